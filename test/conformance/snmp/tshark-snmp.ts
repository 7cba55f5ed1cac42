/**
 * Typed loader for tshark-snmp.json (written by scripts/make-snmp-baselines.ts): tshark 4.0's SNMP field values per
 * capture and frame (the -T fields columns, then the pdml:* columns: redacted community, its length, the varbind
 * fields in wire order), and accessors that split tshark's aggregated values.
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
export interface TsharkSnmpCapture extends TsharkFrameCapture {
  snmp_frames: number;
}

/** The whole baseline document. */
export interface TsharkSnmpBaselines extends TsharkFrameBaselines<TsharkSnmpCapture> {
  /** Joins the occurrences of a multi-occurrence field (U+001F). */
  aggregator: string;
  totals: { captures: number; snmp_frames: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function snmpBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'snmp', 'tshark-snmp.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkSnmp(path: string = snmpBaselinesPath()): TsharkSnmpBaselines {
  return loadTsharkFrameBaselines<TsharkSnmpBaselines>(path, true, { uniqueFields: true });
}

/** Accessors over one frame's row (occurrences joined with the document's aggregator). */
export type TsharkSnmpFrame = TsharkFrame;

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkSnmpBaselines): (row: string[]) => TsharkSnmpFrame {
  return tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-snmp.json');
}
