/**
 * Typed loader for tshark-netbios.json (written by scripts/make-netbios-baselines.ts): tshark 4.0's NetBIOS name
 * service, datagram service and browser field values per capture and frame, and accessors that split tshark's
 * aggregated values.
 */
import { join } from 'node:path';
import {
  loadTsharkFrameBaselines,
  repoRoot,
  type TsharkFrame,
  tsharkFrameAccessor,
  type TsharkFrameBaselines,
  type TsharkFrameCapture,
} from '../corpus-frames.js';

/** One capture of the baseline. */
export interface TsharkNetbiosCapture extends TsharkFrameCapture {
  /** Frames tshark calls nbns / nbdgm (a frame is counted once). */
  nbns_frames: number;
  nbdgm_frames: number;
}

/** The whole baseline document. */
export interface TsharkNetbiosBaselines extends TsharkFrameBaselines<TsharkNetbiosCapture> {
  /** Joins the occurrences of a multi-occurrence field (U+001F). */
  aggregator: string;
  totals: { captures: number; frames: number; nbns_frames: number; nbdgm_frames: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function netbiosBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'netbios', 'tshark-netbios.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkNetbios(path: string = netbiosBaselinesPath()): TsharkNetbiosBaselines {
  return loadTsharkFrameBaselines<TsharkNetbiosBaselines>(path, true);
}

/** Accessors over one frame's row (occurrences joined with the document's aggregator). */
export type TsharkNetbiosFrame = TsharkFrame;

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkNetbiosBaselines): (row: string[]) => TsharkNetbiosFrame {
  return tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-netbios.json');
}
