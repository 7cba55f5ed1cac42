/**
 * Bounded TCP reassembly of one direction of a connection: segments in, contiguous in-order bytes out.
 *
 * - The stream starts at the SYN's sequence number + 1, or at the first data segment seen (a connection picked up
 *   mid-stream).
 * - In-order segments are handed on as views of the packet (no copy); only out-of-order segments are copied and
 *   held, up to a per-direction and a global (shared) byte budget.
 * - Retransmissions are dropped; a segment that partly repeats delivered data is trimmed to its new bytes. Held
 *   segments that overlap are compared: different bytes for the same sequence numbers are an `tcp_overlap_mismatch`
 *   (the first copy wins, as in most stacks and in Zeek's default policy).
 * - A gap (bytes never seen) is skipped, and reported to the sink and counted, when: the peer acknowledged data
 *   beyond it (so it was sent but not captured), the budget is exhausted (`tcp_reassembly_limit`), or the
 *   connection ended with segments still held.
 *
 * Sequence numbers are compared modulo 2^32 (RFC 793 §3.3), so streams that wrap are followed.
 */

/** Out-of-order bytes one direction may hold. */
export const MAX_HELD_BYTES_PER_DIRECTION = 256 * 1024;
/** Out-of-order segments one direction may hold. */
export const MAX_HELD_SEGMENTS_PER_DIRECTION = 512;
/** A segment further ahead than this of the expected sequence number is not plausibly the same stream. */
export const MAX_SEQUENCE_JUMP = 1 << 30;

/**
 * Receives one direction's bytes in order (`fromClient`: the direction's flag given to its DirectionAssembler, so one
 * sink can serve both directions of a connection).
 */
export interface StreamSink {
  /** Contiguous bytes b[off, off+len) following the previous ones; `ts` is the capture time (µs) of their packet. */
  data(b: Uint8Array, off: number, len: number, ts: number, fromClient: boolean): void;
  /** `missing` bytes (at least 1) were never seen; the next data follows the gap. */
  gap(missing: number, ts: number, fromClient: boolean): void;
}

/** Shared accounting of held bytes and of the events worth reporting, across every direction of a run. */
export class ReassemblyBudget {
  held = 0;
  /** Gaps skipped and bytes they lost. */
  gaps = 0;
  gapBytes = 0;
  /** Times a direction or the global budget was exhausted. */
  limitHits = 0;
  /** Overlapping segments whose bytes differed. */
  overlapMismatches = 0;
  /** Segments entirely repeating delivered bytes (retransmissions; counted, not anomalies). */
  retransmissions = 0;
  /** Segments too far from the expected sequence number to belong to the stream (dropped). */
  implausible = 0;

  constructor(readonly maxHeldBytes = 64 * 1024 * 1024) {}
}

interface Held {
  seq: number;
  data: Uint8Array;
  ts: number;
}

/** The modular difference a - b of two sequence numbers, as a signed 32-bit number. */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** Reassembles one direction of one connection. */
export class DirectionAssembler {
  /** Next expected sequence number (valid once `started`). */
  private next = 0;
  private started = false;
  /** Sequence number of the SYN, -1 when none was seen. */
  private isn = -1;
  /** Held out-of-order segments, sorted by sequence number, non-overlapping. */
  private held: Held[] = [];
  private heldBytes = 0;
  /** Bytes delivered so far. */
  delivered = 0;

  /** @param fromClient handed to the sink with every call (which direction this is) */
  constructor(private readonly sink: StreamSink, private readonly budget: ReassemblyBudget, private readonly fromClient = false) {}

  /** True while out-of-order segments are held. */
  get holding(): boolean {
    return this.held.length > 0;
  }

  /** A SYN (or SYN-ACK) with sequence number `seq`: the stream's data starts at seq + 1. */
  syn(seq: number): void {
    seq >>>= 0;
    if (this.started && (this.delivered > 0 || this.held.length > 0 || seq === this.isn)) return;
    // first SYN, or a new attempt with another initial sequence number before any data
    this.isn = seq;
    this.next = (seq + 1) >>> 0;
    this.started = true;
  }

  /** Starts where `o` (a direction that has delivered nothing yet) starts: same SYN, same expected sequence number. */
  startLike(o: DirectionAssembler): void {
    this.next = o.next;
    this.started = o.started;
    this.isn = o.isn;
  }

  /** True when a SYN with sequence number `seq` starts a new connection: this one carried data from another ISN. */
  restartsWith(seq: number): boolean {
    return this.isn >= 0 && (seq >>> 0) !== this.isn && (this.delivered > 0 || this.held.length > 0);
  }

  /** A segment with sequence number `seq` carrying b[off, off+len). */
  segment(seq: number, b: Uint8Array, off: number, len: number, ts: number): void {
    if (len <= 0) return;
    if (!this.started) {
      this.next = seq >>> 0;
      this.started = true;
    }
    let rel = seqDiff(seq, this.next);
    if (rel + len <= 0) {
      this.budget.retransmissions++;
      return;
    }
    if (rel > MAX_SEQUENCE_JUMP) {
      this.budget.implausible++;
      return;
    }
    if (rel < 0) {
      // repeats some delivered bytes: keep the new tail
      off -= rel;
      len += rel;
      seq = this.next;
      rel = 0;
    }
    if (rel === 0) {
      this.deliver(b, off, len, ts);
      this.drain();
      return;
    }
    this.hold(seq >>> 0, b.subarray(off, off + len), ts);
  }

  /**
   * The peer acknowledged everything before `ack`: if a held segment starts at or before it, the bytes between the
   * expected sequence number and that segment were sent but not captured, so the gap is skipped now.
   */
  acked(ack: number): void {
    if (this.held.length === 0) return;
    const first = this.held[0]!;
    if (seqDiff(ack, first.seq) >= 0 && seqDiff(ack, this.next) > 0) this.skipToHeld();
  }

  /** The connection ended: whatever is held is delivered in order, gaps reported. */
  finish(): void {
    while (this.held.length > 0) this.skipToHeld();
  }

  private deliver(b: Uint8Array, off: number, len: number, ts: number): void {
    this.next = (this.next + len) >>> 0;
    this.delivered += len;
    this.sink.data(b, off, len, ts, this.fromClient);
  }

  /** Delivers held segments that are now in order (trimming what was already delivered). */
  private drain(): void {
    while (this.held.length > 0) {
      const h = this.held[0]!;
      const rel = seqDiff(h.seq, this.next);
      if (rel > 0) return;
      this.held.shift();
      this.release(h.data.length);
      const skip = -rel;
      if (skip < h.data.length) this.deliver(h.data, skip, h.data.length - skip, h.ts);
      else this.budget.retransmissions++;
    }
  }

  /** Skips the gap before the first held segment and delivers what follows it. */
  private skipToHeld(): void {
    const h = this.held[0]!;
    const missing = seqDiff(h.seq, this.next);
    if (missing > 0) {
      this.budget.gaps++;
      this.budget.gapBytes += missing;
      this.sink.gap(missing, h.ts, this.fromClient);
      this.next = h.seq;
    }
    this.drain();
  }

  private release(n: number): void {
    this.heldBytes -= n;
    this.budget.held -= n;
  }

  /** Holds an out-of-order segment (copied), merging it with overlapping held ones; enforces the budgets. */
  private hold(seq: number, view: Uint8Array, ts: number): void {
    const held = this.held;
    // position: first held segment that ends after `seq`
    let i = 0;
    while (i < held.length && seqDiff(held[i]!.seq + held[i]!.data.length, seq) <= 0) i++;
    let data = view;
    let start = seq;
    // trim against held segments (the first copy wins), compare the overlapping bytes
    while (i < held.length && data.length > 0) {
      const h = held[i]!;
      const hs = h.seq;
      const he = (hs + h.data.length) >>> 0;
      const rel = seqDiff(hs, start);
      if (rel >= data.length) break; // h is after us
      if (rel > 0) {
        // a piece before h: insert it, continue with the remainder (compared with h below)
        this.insert(i, start, data.subarray(0, rel), ts);
        i++;
        data = data.subarray(rel);
        start = hs;
        continue;
      }
      // starts inside h (rel <= 0)
      this.compare(h, start, data);
      const covered = seqDiff(he, start);
      data = covered >= data.length ? data.subarray(data.length) : data.subarray(covered);
      start = he;
      i++;
    }
    if (data.length > 0) this.insert(i, start, data, ts);
    if (this.heldBytes > MAX_HELD_BYTES_PER_DIRECTION || held.length > MAX_HELD_SEGMENTS_PER_DIRECTION || this.budget.held > this.budget.maxHeldBytes) {
      this.budget.limitHits++;
      // give up waiting: skip gaps until this direction is back under half its budget
      while (held.length > 0 && (this.heldBytes > MAX_HELD_BYTES_PER_DIRECTION / 2 || held.length > MAX_HELD_SEGMENTS_PER_DIRECTION / 2 || this.budget.held > this.budget.maxHeldBytes)) this.skipToHeld();
    }
  }

  private insert(i: number, seq: number, view: Uint8Array, ts: number): void {
    this.held.splice(i, 0, { seq, data: view.slice(), ts });
    this.heldBytes += view.length;
    this.budget.held += view.length;
  }

  /** Counts a mismatch when the bytes of `data` (starting at `start`) differ from the held segment where they overlap. */
  private compare(h: Held, start: number, data: Uint8Array): void {
    const from = Math.max(0, seqDiff(h.seq, start)); // index into data
    const hFrom = Math.max(0, seqDiff(start, h.seq)); // index into h.data
    const n = Math.min(data.length - from, h.data.length - hFrom);
    for (let k = 0; k < n; k++) {
      if (data[from + k] !== h.data[hFrom + k]) {
        this.budget.overlapMismatches++;
        return;
      }
    }
  }
}
