/**
 * Content identity of capture files: SHA-256 of the whole file (computed on a worker thread, in parallel with the
 * ingest, so the hash costs no time on the main pipeline), and a cheap "quick key" (size + SHA-256 of the first
 * and last MiB) used to decide, before ingesting, whether a full-hash duplicate check is worth doing.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const HEAD_TAIL = 1 << 20;
const CHUNK = 8 << 20;

/** SHA-256 (hex) of a whole file, synchronously. */
export function sha256File(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
    }
    return h.digest('hex');
  } finally {
    closeSync(fd);
  }
}

/** size:sha256(first MiB + last MiB) of a file. */
export function quickKey(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const h = createHash('sha256');
    const buf = Buffer.allocUnsafe(HEAD_TAIL);
    const n1 = readSync(fd, buf, 0, Math.min(HEAD_TAIL, size), 0);
    h.update(buf.subarray(0, n1));
    if (size > HEAD_TAIL) {
      const start = Math.max(HEAD_TAIL, size - HEAD_TAIL);
      const n2 = readSync(fd, buf, 0, size - start, start);
      h.update(buf.subarray(0, n2));
    }
    return `${size}:${h.digest('hex')}`;
  } finally {
    closeSync(fd);
  }
}


/** Hashes files on a worker thread; resolves to one hex digest (or "error:…") per path, in order. */
export function sha256FilesInBackground(paths: string[]): Promise<string[]> {
  if (paths.length === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./hash-worker.js', import.meta.url), { workerData: paths });
    w.once('message', (m: string[]) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}
