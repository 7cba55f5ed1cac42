/**
 * Packet sources: a capture file, every capture in a directory merged in time order, or standard input
 * (`tcpdump -U -w - | medtap ingest -`). All expose the same pull interface as CaptureReader.
 */
import { closeSync, fstatSync, openSync, read, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ByteSource, CaptureReader, type PacketRecord } from './capture-reader.js';

/** File name endings treated as captures when a directory is given. */
export const CAPTURE_EXTENSIONS = ['.pcap', '.pcapng', '.cap', '.dmp', '.pcap0', '.pcap1'];

/**
 * Opens a file as a ByteSource. Throws (with the path) if it cannot be opened. A regular file can also be read
 * ahead in the background (ByteSource.readAhead: a positioned read on libuv's threadpool).
 */
export function openFileSource(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const st = fstatSync(fd);
  const size = st.size;
  if (!st.isFile()) return { name: path, size, read: (buf, off, len) => readSync(fd, buf, off, len, null), close: () => closeSync(fd) };
  let at = 0; // the stream position: every read is positioned
  return {
    name: path,
    size,
    read(buf, off, len) {
      const n = readSync(fd, buf, off, len, at);
      at += n;
      return n;
    },
    readAhead(buf, off, len, done) {
      read(fd, buf, off, len, at, (err, n) => {
        if (err === null) at += n;
        done(err, n);
      });
    },
    close: () => closeSync(fd),
  };
}

/** Standard input as a ByteSource (blocking reads; waits briefly and retries when the pipe is empty). */
export function openStdinSource(): ByteSource {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return {
    name: '<stdin>',
    size: null,
    read(buf, off, len) {
      for (;;) {
        try {
          return readSync(0, buf, off, len, null);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            Atomics.wait(pause, 0, 0, 5);
            continue;
          }
          if (code === 'EOF') return 0;
          throw err;
        }
      }
    },
    close() {},
  };
}

/** Lists the capture files in a directory (recursively), sorted by name. */
export function listCaptureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile() && CAPTURE_EXTENSIONS.some((e) => ent.name.toLowerCase().endsWith(e))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

/** A pull source of packets; `next()` fills `pkt` (valid until the next call). */
export interface PacketSource {
  readonly pkt: PacketRecord;
  next(): boolean;
  /** Bytes consumed so far, over all inputs. */
  readonly bytesRead: number;
  /** Total bytes of all inputs when known. */
  readonly totalBytes: number | null;
  /** Index (in the order given) of the input the current packet came from. */
  readonly currentIndex: number;
  /** Per input: format detected ("pcap" / "pcapng") or null. */
  formats(): (string | null)[];
  /** Errors met so far (one per input that ended abnormally). */
  readonly errors: string[];
  /** Closes every input (idempotent). */
  close(): void;
  /**
   * After `next()` returned false: null at the end (check `errors`), else a promise to await before calling `next()`
   * again (a background read is in flight; see CaptureReader.stalled).
   */
  stalled(): Promise<void> | null;
}

/** One reader as a PacketSource; `background`: read ahead on libuv's threadpool when the source can. */
export function singleSource(src: ByteSource, background = false): PacketSource {
  const r = new CaptureReader(src, undefined, background);
  const errors: string[] = [];
  let closed = false;
  return {
    get pkt() {
      return r.pkt;
    },
    // (the reader's error is taken when asked for: a check here would first run at the first stall, after the
    // optimiser compiled the packet loop, and cost a deoptimisation; the reader sets its error once)
    next: () => r.next(),
    get errors() {
      if (r.error !== null && errors.length === 0) errors.push(r.error);
      return errors;
    },
    get bytesRead() {
      return r.offset;
    },
    totalBytes: src.size,
    currentIndex: 0,
    formats: () => [r.format],
    stalled: () => r.stalled(),
    close: () => {
      if (closed) return;
      closed = true;
      src.close();
    },
  };
}

/**
 * Several readers merged in timestamp order (a k-way merge; ties keep input order). Each reader keeps its own
 * buffer, so the current packet of every input stays valid while the others are compared. `background` applies to
 * a single input (several are read synchronously).
 */
export function mergedSource(srcs: ByteSource[], background = false): PacketSource {
  if (srcs.length === 1) return singleSource(srcs[0]!, background);
  const readers = srcs.map((s) => new CaptureReader(s));
  const ready: boolean[] = readers.map(() => false);
  const started: boolean[] = readers.map(() => false);
  const errors: string[] = [];
  let current = -1;
  let closed = false;
  const advance = (i: number): void => {
    const r = readers[i]!;
    ready[i] = r.next();
    if (!ready[i] && r.error) errors.push(r.error);
  };
  const total = srcs.every((s) => s.size !== null) ? srcs.reduce((a, s) => a + (s.size ?? 0), 0) : null;
  const self: PacketSource = {
    pkt: readers[0]!.pkt,
    next() {
      if (current >= 0) advance(current);
      for (let i = 0; i < readers.length; i++) {
        if (!started[i]) {
          started[i] = true;
          advance(i);
        }
      }
      let best = -1;
      let bestTs = Infinity;
      for (let i = 0; i < readers.length; i++) {
        if (ready[i] && readers[i]!.pkt.tsUs < bestTs) {
          best = i;
          bestTs = readers[i]!.pkt.tsUs;
        }
      }
      current = best;
      if (best < 0) return false;
      (self as { pkt: PacketRecord }).pkt = readers[best]!.pkt;
      return true;
    },
    get bytesRead() {
      return readers.reduce((a, r) => a + r.offset, 0);
    },
    totalBytes: total,
    get currentIndex() {
      return current;
    },
    formats: () => readers.map((r) => r.format),
    errors,
    stalled: () => null,
    close: () => {
      if (closed) return;
      closed = true;
      for (const s of srcs) s.close();
    },
  };
  return self;
}

/** True if the path is a directory. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
