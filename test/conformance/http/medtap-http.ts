/**
 * medtap's side of the HTTP conformance suites: a capture ingested in-process by the real pipeline (`ingest` with
 * `logDir`, as `medtap ingest --log-dir` does: decoding, flows, TCP reassembly, analyzer dispatch by port and by
 * content), its http.jsonl records read back and grouped by connection.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../../src/ingest/ingest.js';
import { SqliteStore } from '../../../src/inventory/sqlite-store.js';
import type { HttpTransaction } from '../../../src/protocols/http/transaction.js';

/** An http.jsonl line. */
export interface HttpLogRecord extends HttpTransaction {
  ts: string;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
}

/** Connection key: client address, port → server address, port. */
export const connKey = (cIp: string, cPort: string | number, sIp: string, sPort: string | number): string => `${cIp} ${cPort} > ${sIp} ${sPort}`;

/** medtap's http.jsonl records for a capture, from an in-process ingest with a log directory. */
export async function ingestHttpRecords(path: string): Promise<HttpLogRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-http-conf-'));
  const store = new SqliteStore(':memory:');
  try {
    await ingest(store, [path], { logDir: dir });
    const log = join(dir, 'http.jsonl');
    if (!existsSync(log)) return [];
    return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as HttpLogRecord);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** medtap's records grouped by connection, each in time then trans_depth order. */
export function ourConnections(records: readonly HttpLogRecord[]): Map<string, HttpLogRecord[]> {
  const conns = new Map<string, HttpLogRecord[]>();
  for (const r of records) {
    const k = connKey(r.src_ip, r.src_port, r.dst_ip, r.dst_port);
    let l = conns.get(k);
    if (l === undefined) conns.set(k, (l = []));
    l.push(r);
  }
  for (const l of conns.values()) l.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.trans_depth - b.trans_depth));
  return conns;
}
