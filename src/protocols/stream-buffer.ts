/**
 * Bounded buffering for the stream parsers (protocols/stream.ts): a stream parser receives each direction's bytes
 * in order but in arbitrary chunks, so a message or a text line may arrive in pieces. `StreamBuffer` holds the bytes
 * of one partial binary message (SSH packet, TPKT) up to a hard limit; `LineAssembler` cuts a text stream (FTP
 * control connection, SSH identification) into LF-terminated lines, each at most `maxLine` bytes kept.
 *
 * Both copy only what must outlive a call (a partial message or line); complete lines inside a chunk are handed on
 * as views of the caller's bytes. Nothing here throws or reads outside the bytes it is given.
 */

const LF = 0x0a;
const CR = 0x0d;

/** The first capacity of a StreamBuffer (it doubles from there, up to its max). */
const INITIAL_BYTES = 256;
const NO_BYTES = new Uint8Array(0);

/** Bytes of a partial message, held across calls, never more than `max`. */
export class StreamBuffer {
  /** Made on the first append (many connections never hold a partial message). */
  private buf: Uint8Array = NO_BYTES;
  private used = 0;

  /** @param max the most bytes ever held. */
  constructor(readonly max: number) {}

  /** Bytes held. */
  get length(): number {
    return this.used;
  }

  /**
   * Appends b[off, off+len), as much as fits under `max`.
   * @returns how many bytes were appended (less than `len` when the limit was reached).
   */
  append(b: Uint8Array, off: number, len: number): number {
    const n = Math.max(0, Math.min(len, this.max - this.used));
    if (n === 0) return 0;
    if (this.used + n > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.max, Math.max(this.used + n, this.buf.length * 2, INITIAL_BYTES)));
      grown.set(this.buf.subarray(0, this.used));
      this.buf = grown;
    }
    this.buf.set(b.subarray(off, off + n), this.used);
    this.used += n;
    return n;
  }

  /** The held bytes (a view, valid until the next append/consume/clear). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.used);
  }

  /** Drops the first `n` held bytes. */
  consume(n: number): void {
    if (n >= this.used) {
      this.used = 0;
      return;
    }
    this.buf.copyWithin(0, n, this.used);
    this.used -= n;
  }

  /** Drops everything held. */
  clear(): void {
    this.used = 0;
  }
}

/**
 * Receives one line: b[start, end) without its LF and without a CR before the LF. `cut` is true when the line was
 * longer than the limit (only its first `maxLine` bytes are given). Return false to stop at this line.
 */
export type LineSink = (b: Uint8Array, start: number, end: number, cut: boolean) => boolean | void;

/** Cuts a byte stream into LF-terminated lines (RFC 959 and RFC 4253 lines end in CR LF; a bare LF is accepted). */
export class LineAssembler {
  private readonly partial: StreamBuffer;
  /** Bytes of the current line that did not fit (the line is cut). */
  private dropped = 0;

  /** @param maxLine the most bytes of one line kept (its terminator excluded). */
  constructor(readonly maxLine: number) {
    this.partial = new StreamBuffer(maxLine + 1);
  }

  /** Bytes of an unterminated line held. */
  get pending(): number {
    return this.partial.length + this.dropped;
  }

  /**
   * Feeds b[off, off+len): every completed line goes to `sink`, in order, until the sink returns false.
   * @returns the bytes consumed: `len`, or fewer when the sink stopped (the bytes after that line's LF are left).
   */
  push(b: Uint8Array, off: number, len: number, sink: LineSink): number {
    const end = off + len;
    let p = off;
    while (p < end) {
      let lf = p;
      while (lf < end && b[lf] !== LF) lf++;
      if (lf === end) {
        this.hold(b, p, end);
        return len;
      }
      const more = this.emit(b, p, lf, sink);
      p = lf + 1;
      if (more === false) return p - off;
    }
    return len;
  }

  /** Drops the partial line (after a gap in the stream). */
  reset(): void {
    this.partial.clear();
    this.dropped = 0;
  }

  private hold(b: Uint8Array, start: number, end: number): void {
    const n = this.partial.append(b, start, end - start);
    this.dropped += end - start - n;
  }

  /** Gives the line ending at the LF at b[lf] (its start in b at `start`, earlier bytes held) to the sink. */
  private emit(b: Uint8Array, start: number, lf: number, sink: LineSink): boolean | void {
    if (this.partial.length === 0 && this.dropped === 0) {
      const e = lf > start && b[lf - 1] === CR ? lf - 1 : lf;
      const cut = e - start > this.maxLine;
      return sink(b, start, cut ? start + this.maxLine : e, cut);
    }
    this.hold(b, start, lf);
    const v = this.partial.view();
    let e = v.length;
    // A CR right before the LF ends the line; when bytes were dropped that CR was not kept.
    if (this.dropped === 0 && e > 0 && v[e - 1] === CR) e--;
    const cut = this.dropped > 0 || e > this.maxLine;
    const r = sink(v, 0, Math.min(e, this.maxLine), cut);
    this.reset();
    return r;
  }
}
