/**
 * HL7 v2 stream framing, one direction of a TCP connection: MLLP blocks (VT data FS CR) and bare HL7 streams (MSH
 * segments one after another, no framing), found in bytes that arrive in arbitrary chunks; plus batch splitting (a
 * block may hold FHS/BHS … MSH … MSH … BTS/FTS) and the content sniffer.
 *
 * Spec: HL7 v2.5.1 Appendix C "Lower Layer Protocols" §C.4 "Minimal Lower Layer Protocol" (a block is <SB> data
 * <EB><CR>, SB = 0x0B, EB = 0x1C) and the HL7 "Transport Specification: MLLP, Release 2" (a block holding only ACK
 * 0x06 or NAK 0x15 is a commit acknowledgment, not a message); v2.5.1 §2.10.3 batch protocol (FHS, BHS, BTS, FTS).
 *
 * Robustness: a message is buffered up to MAX_HL7_MESSAGE bytes; the rest of a longer one is skipped (not buffered)
 * up to the end of its frame and the message is handed over cut, with `oversized_message`. Bytes between frames that
 * are not blank are skipped until the next VT or a line starting with "MSH" and a delimiter (resynchronisation),
 * and reported on the next message (`skipped_bytes:<n>`). A VT inside a block ends the block (`missing_end_block`);
 * after a gap in the capture the current message is handed over cut (`truncated_by_gap`) and the framer hunts again.
 */
import { MAX_HL7_MESSAGE } from './parser.js';

/** How a message was delimited on the wire. */
export type Hl7Framing = 'mllp' | 'bare';

/** One frame's content: an MLLP block's data, or one bare message. `bytes` is valid during the callback only. */
export interface Hl7Frame {
  bytes: Uint8Array;
  framing: Hl7Framing;
  /** Bytes the frame's data had on the wire (more than bytes.length when it was cut). */
  wire_length: number;
  /** Framing anomalies: oversized_message, skipped_bytes:<n>, missing_end_block, truncated_by_gap, unterminated_block. */
  anomalies: string[];
}

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const LF = 0x0a;
const ACK = 0x06;
const NAK = 0x15;

const enum Mode { Hunt, Block, Bare }

/** A byte usable as the HL7 field separator after "MSH" (visible ASCII, not a letter or digit). */
export function isFieldSeparator(c: number): boolean {
  return c > 0x20 && c < 0x7f && !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/** True when b[i, i+4) (within end) is "MSH", "FHS" or "BHS" followed by a field separator. */
function isHeaderAt(b: Uint8Array, i: number, end: number): boolean {
  if (end - i < 4 || !isFieldSeparator(b[i + 3]!)) return false;
  const a = b[i]!, s = b[i + 1]!, h = b[i + 2]!;
  return (a === 0x4d && s === 0x53 && h === 0x48) || ((a === 0x46 || a === 0x42) && s === 0x48 && h === 0x53);
}

/** True when b[i, end) (shorter than 4 bytes) could be the start of "MSH" + a field separator. */
function isHeaderPrefix(b: Uint8Array, i: number, end: number): boolean {
  for (let k = 0; i + k < end; k++) if (k < 3 && b[i + k] !== 'MSH'.charCodeAt(k)) return false;
  return true;
}

/**
 * Content detection of HL7 over TCP on any port: the first bytes are VT then "MSH"/"FHS"/"BHS" and a field
 * separator, or "MSH" and a field separator without framing. Needs the first 4 (bare) or 5 (MLLP) bytes.
 */
export function sniffHl7(b: Uint8Array, off: number, len: number): boolean {
  if (off < 0 || len < 4 || off + len > b.length) return false;
  const end = off + len;
  return b[off] === VT ? isHeaderAt(b, off + 1, end) : isHeaderAt(b, off, end) && b[off] === 0x4d;
}

/** The ID of the segment starting at b[i]: 1 MSH, 2 a batch segment (FHS BHS BTS FTS), 0 another. */
function segmentKind(b: Uint8Array, i: number, end: number): number {
  if (end - i < 3) return 0;
  const a = b[i]!, s = b[i + 1]!, h = b[i + 2]!;
  if (a === 0x4d && s === 0x53 && h === 0x48) return 1;
  if ((a === 0x46 || a === 0x42) && ((s === 0x48 && h === 0x53) || (s === 0x54 && h === 0x53))) return 2;
  return 0;
}

/**
 * The messages of a frame b[off, off+len): each runs from an MSH segment to the next MSH or batch segment (FHS,
 * BHS, BTS, FTS), or the end. Batch segments and anything before the first MSH are not part of any message; the
 * returned `leading` says whether something other than batch segments and blank bytes preceded the first MSH.
 */
export function splitHl7Batch(b: Uint8Array, off: number, len: number): { messages: [number, number][]; leading: boolean } {
  const end = off + len;
  const messages: [number, number][] = [];
  let start = -1;
  let leading = false;
  let i = off;
  while (i < end) {
    let j = i;
    while (j < end && b[j] !== CR && b[j] !== LF) j++;
    if (j > i) {
      const k = segmentKind(b, i, j);
      if (k !== 0 && start >= 0) { messages.push([start, i]); start = -1; }
      if (k === 1) start = i;
      else if (k === 0 && start < 0 && messages.length === 0) leading = true;
    }
    i = j + 1;
  }
  if (start >= 0) messages.push([start, end]);
  return { messages, leading };
}

/** Frames one direction of an HL7 connection; calls `onFrame` for each complete frame. */
export class Hl7Framer {
  private mode = Mode.Hunt;
  private buf = new Uint8Array(4096);
  private n = 0;
  /** Bytes of the current frame on the wire (kept or not). */
  private wire = 0;
  private framing: Hl7Framing = 'mllp';
  /** Non-blank bytes skipped while hunting, reported on the next frame. */
  private skipped = 0;
  private pending: string[] = [];
  /** Bare-mode "MSH" at a line start: how many of its letters matched; and whether the last byte ended a line. */
  private match = 0;
  private lineStart = true;
  /** The first bytes of a possible bare "MSH" + separator that ended a chunk while hunting (at most 3). */
  private carry: Uint8Array | null = null;
  /** Frames handed over so far. */
  frames = 0;
  /** Non-blank bytes skipped in total. */
  skippedTotal = 0;

  constructor(private readonly onFrame: (f: Hl7Frame) => void) {}

  /** Bytes b[off, off+len), in order. */
  push(b: Uint8Array, off: number, len: number): void {
    if (this.carry !== null) {
      // The previous chunk ended inside a possible "MSH" + separator at a line start: read it again with this one.
      const joined = new Uint8Array(this.carry.length + len);
      joined.set(this.carry);
      joined.set(b.subarray(off, off + len), this.carry.length);
      this.carry = null;
      b = joined;
      off = 0;
      len = joined.length;
    }
    const end = off + len;
    let i = off;
    while (i < end) {
      if (this.mode === Mode.Block) i = this.inBlock(b, i, end);
      else if (this.mode === Mode.Bare) i = this.inBare(b, i, end);
      else i = this.hunt(b, i, end);
    }
  }

  /** Bytes are missing here: the current frame is handed over cut, then the framer hunts. */
  gap(): void {
    this.carry = null;
    if (this.mode !== Mode.Hunt) this.flush('truncated_by_gap');
    this.mode = Mode.Hunt;
    this.match = 0;
    this.lineStart = false;
  }

  /** The connection ended: a bare message is complete, an open block is handed over as it is. */
  end(): void {
    this.carry = null;
    if (this.mode === Mode.Block) this.flush('unterminated_block');
    else if (this.mode === Mode.Bare) this.flush(null);
    this.mode = Mode.Hunt;
  }

  /** Appends b[s, e) to the current frame, keeping at most MAX_HL7_MESSAGE bytes. */
  private append(b: Uint8Array, s: number, e: number): void {
    this.wire += e - s;
    const room = MAX_HL7_MESSAGE - this.n;
    const take = Math.min(room, e - s);
    if (take <= 0) return;
    if (this.n + take > this.buf.length) {
      const grown = new Uint8Array(Math.min(MAX_HL7_MESSAGE, Math.max(this.buf.length * 2, this.n + take)));
      grown.set(this.buf.subarray(0, this.n));
      this.buf = grown;
    }
    this.buf.set(b.subarray(s, s + take), this.n);
    this.n += take;
  }

  /** Starts a frame of the given framing. */
  private open(framing: Hl7Framing): void {
    this.mode = framing === 'mllp' ? Mode.Block : Mode.Bare;
    this.framing = framing;
    this.n = 0;
    this.wire = 0;
    if (this.skipped > 0) this.pending.push(`skipped_bytes:${this.skipped}`);
    this.skipped = 0;
  }

  /** Hands over the current frame (unless it is empty or an MLLP commit acknowledgment) and resets. */
  private flush(anomaly: string | null): void {
    const bytes = this.buf.subarray(0, this.n);
    const anomalies = this.pending;
    this.pending = [];
    if (this.wire > this.n) anomalies.push('oversized_message');
    if (anomaly !== null) anomalies.push(anomaly);
    const commit = this.n === 1 && (bytes[0] === ACK || bytes[0] === NAK);
    if (this.n > 0 && !commit) {
      this.frames++;
      this.onFrame({ bytes, framing: this.framing, wire_length: this.wire, anomalies });
    }
    this.n = 0;
    this.wire = 0;
    if (this.buf.length > 65536) this.buf = new Uint8Array(4096); // do not keep a large buffer for a long-lived connection
  }

  /** Hunting: skips to a VT, or to "MSH" + separator at a line start. Returns where it stopped. */
  private hunt(b: Uint8Array, i: number, end: number): number {
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === VT) {
        this.open('mllp');
        return i + 1;
      }
      if (this.lineStart && c === 0x4d && end - i < 4 && isHeaderPrefix(b, i, end)) {
        this.carry = b.slice(i, end);
        return end;
      }
      if (this.lineStart && c === 0x4d && isHeaderAt(b, i, end)) {
        this.open('bare');
        this.match = 0;
        this.lineStart = false;
        return i; // the bytes "MSH|" are the message's own
      }
      this.lineStart = c === CR || c === LF || c === FS;
      if (c !== CR && c !== LF && c !== 0x20 && c !== 0 && c !== FS) { this.skipped++; this.skippedTotal++; }
    }
    return i;
  }

  /** Inside an MLLP block: up to FS (the end) or VT (a new block). */
  private inBlock(b: Uint8Array, i: number, end: number): number {
    let j = i;
    while (j < end && b[j] !== FS && b[j] !== VT) j++;
    this.append(b, i, j);
    if (j >= end) return j;
    if (b[j] === FS) {
      this.flush(null);
      this.mode = Mode.Hunt;
      this.lineStart = true;
      return j + 1;
    }
    this.flush('missing_end_block');
    this.open('mllp');
    return j + 1;
  }

  /** Inside a bare message: up to VT, FS, or the next "MSH" + separator at a line start. */
  private inBare(b: Uint8Array, i: number, end: number): number {
    let j = i;
    for (; j < end; j++) {
      const c = b[j]!;
      if (c === VT || c === FS) {
        this.append(b, i, j);
        this.flush(null);
        if (c === VT) this.open('mllp');
        else { this.mode = Mode.Hunt; this.lineStart = true; }
        return j + 1;
      }
      if (this.match === 3) {
        this.match = 0;
        if (isFieldSeparator(c)) {
          // "MSH" + separator at a line start: the previous message ended before the "MSH".
          this.append(b, i, j);
          this.wire -= 3;
          if (this.n > this.wire) this.n = this.wire;
          this.flush(null);
          this.open('bare');
          this.append(Uint8Array.of(0x4d, 0x53, 0x48), 0, 3);
          return j;
        }
      }
      if (this.lineStart && c === 0x4d) this.match = 1;
      else if (this.match === 1 && c === 0x53) this.match = 2;
      else if (this.match === 2 && c === 0x48) this.match = 3;
      else this.match = 0;
      this.lineStart = c === CR || c === LF;
    }
    this.append(b, i, j);
    return j;
  }
}
