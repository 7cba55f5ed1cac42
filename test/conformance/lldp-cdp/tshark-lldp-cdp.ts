/**
 * Typed loader for tshark-lldp-cdp.json (written by scripts/make-lldp-cdp-baselines.ts): tshark 4.0's LLDP and CDP
 * field values per capture and frame, and accessors that split tshark's aggregated values.
 */
import { join } from 'node:path';
import { loadTsharkFrameBaselines, repoRoot, type TsharkFrame, tsharkFrameAccessor, type TsharkFrameBaselines, type TsharkFrameCapture } from '../corpus-frames.js';

/** One capture of the baseline. */
export interface TsharkLldpCdpCapture extends TsharkFrameCapture {
  lldp_frames: number;
  cdp_frames: number;
}

/** The whole baseline document. */
export interface TsharkLldpCdpBaselines extends TsharkFrameBaselines<TsharkLldpCdpCapture> {
  /** Joins the occurrences of a multi-occurrence field (U+001F). */
  aggregator: string;
  totals: { captures: number; lldp_frames: number; cdp_frames: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function lldpCdpBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'lldp-cdp', 'tshark-lldp-cdp.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkLldpCdp(path: string = lldpCdpBaselinesPath()): TsharkLldpCdpBaselines {
  return loadTsharkFrameBaselines<TsharkLldpCdpBaselines>(path, true);
}

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkLldpCdpBaselines): (row: string[]) => TsharkFrame {
  return tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-lldp-cdp.json');
}
