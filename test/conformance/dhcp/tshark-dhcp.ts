/**
 * Typed loader for tshark-dhcp.json (written by scripts/make-dhcp-baselines.ts): tshark 4.0's DHCP field values per
 * capture and frame, and accessors that split tshark's aggregated values.
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
export interface TsharkDhcpCapture extends TsharkFrameCapture {
  dhcp_frames: number;
}

/** The whole baseline document. */
export interface TsharkDhcpBaselines extends TsharkFrameBaselines<TsharkDhcpCapture> {
  totals: { captures: number; dhcp_frames: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function dhcpBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'dhcp', 'tshark-dhcp.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkDhcp(path: string = dhcpBaselinesPath()): TsharkDhcpBaselines {
  return loadTsharkFrameBaselines<TsharkDhcpBaselines>(path);
}

/**
 * Accessors over one frame's row. Occurrences are joined with ",", so `list` is only for fields whose values
 * cannot contain a comma.
 */
export type TsharkDhcpFrame = TsharkFrame;

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkDhcpBaselines): (row: string[]) => TsharkDhcpFrame {
  return tsharkFrameAccessor(doc.fields, ',', 'tshark-dhcp.json');
}
