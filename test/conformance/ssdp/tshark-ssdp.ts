/**
 * Typed loader for tshark-ssdp.json (written by scripts/make-ssdp-baselines.ts): tshark 4.0's SSDP (HTTP-over-UDP)
 * field values per capture and frame, and accessors that split tshark's aggregated values.
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
export interface TsharkSsdpCapture extends TsharkFrameCapture {
  ssdp_frames: number;
}

/** The whole baseline document. */
export interface TsharkSsdpBaselines extends TsharkFrameBaselines<TsharkSsdpCapture> {
  /** Joins the occurrences of a multi-occurrence field (U+001F). */
  aggregator: string;
  totals: { captures: number; ssdp_frames: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function ssdpBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'ssdp', 'tshark-ssdp.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkSsdp(path: string = ssdpBaselinesPath()): TsharkSsdpBaselines {
  return loadTsharkFrameBaselines<TsharkSsdpBaselines>(path, true);
}

/** Accessors over one frame's row (occurrences joined with the document's aggregator). */
export type TsharkSsdpFrame = TsharkFrame;

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkSsdpBaselines): (row: string[]) => TsharkSsdpFrame {
  return tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-ssdp.json');
}
