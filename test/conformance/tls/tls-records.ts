/**
 * medtap's side of the TLS conformance suites: the `tls.jsonl` records the real ingest pipeline writes for one
 * capture (reader, decoders, flow table, TCP reassembly, stream dispatch, the TLS analyzer, the log writer), run
 * in-process with an in-memory inventory.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../../src/ingest/ingest.js';
import { SqliteStore } from '../../../src/inventory/sqlite-store.js';
import type { PacketContext } from '../../../src/observe/observation.js';
import type { TlsSession } from '../../../src/protocols/tls/session.js';

/** One line of tls.jsonl: the time (ISO 8601), where (client → server), and the session record. */
export type TlsLogRecord = TlsSession & Omit<PacketContext, 'ts_us'> & { ts: string };

/** Ingests `path` and returns its tls.jsonl records in log order ([] when none). */
export async function tlsRecordsOf(path: string): Promise<TlsLogRecord[]> {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-tls-'));
  const store = new SqliteStore(':memory:');
  try {
    await ingest(store, [path], { logDir: dir });
    let text: string;
    try {
      text = readFileSync(join(dir, 'tls.jsonl'), 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as TlsLogRecord);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The key of a connection: client address and port → server address and port. */
export function connectionKey(client: string, clientPort: number, server: string, serverPort: number): string {
  return `${client}:${clientPort}>${server}:${serverPort}`;
}
