/**
 * Typed loader for tshark-http.json (written by scripts/make-http-baselines.ts): tshark 4.0's HTTP field values per
 * capture and frame (some reduced before storage: query names, user names, schemes, header names, counts), and
 * accessors that split tshark's aggregated values.
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
export interface TsharkHttpCapture extends TsharkFrameCapture {
  http_messages: number;
  /** Directions of HTTP connections ("src port > dst port") with TCP segments tshark's reassembly may skip. */
  tcp_disorder: string[];
}

/** The whole baseline document. */
export interface TsharkHttpBaselines extends TsharkFrameBaselines<TsharkHttpCapture> {
  /** Joins the occurrences of a multi-occurrence field (U+001F). */
  aggregator: string;
  totals: { captures: number; http_messages: number };
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function httpBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'http', 'tshark-http.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkHttp(path: string = httpBaselinesPath()): TsharkHttpBaselines {
  return loadTsharkFrameBaselines<TsharkHttpBaselines>(path, true, { uniqueFields: true });
}

/** Builds the accessor factory for a document's field order. */
export function frameAccessor(doc: TsharkHttpBaselines): (row: string[]) => TsharkFrame {
  return tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-http.json');
}
