/**
 * Conformance: medtap's reader and flow table against tshark 4.0, over every capture in ../shared/corpus.
 *
 * For each capture the real ingest pipeline runs into an in-memory SQLite store; then
 *  - the packet count must equal tshark's frame count;
 *  - every TCP and UDP conversation, summed per unordered 5-tuple (tshark's conv tables ignore VLANs and split a
 *    reused port pair into several conversations; medtap splits at idle timeouts), must have the same packets and
 *    bytes in each direction as `tshark -q -z conv,tcp` / `-z conv,udp`.
 *
 * Known, documented differences (KNOWN_DIFFERENCES below) are the only exceptions, each with its reason. The
 * agreement figures are printed at the end.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SqliteStore } from '../../src/inventory/sqlite-store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { aggregateByTuple, aggregateCapture, corpusRoot, loadTsharkBaselines, type TsharkConversation, type TupleAggregate } from './tshark-baselines.js';

/**
 * Captures where medtap deliberately counts differently from tshark, and why. Conversations on these captures
 * may differ; everything else in them (and the packet count) must still agree.
 */
export const KNOWN_DIFFERENCES: Record<string, string> = {};

/** Transport tuples where a difference is explained by a rule rather than by capture (see `explain`). */
function explain(notes: string[], ours: TupleAggregate | undefined, theirs: TupleAggregate | undefined): string | null {
  const has = (prefix: string): boolean => notes.some((n) => n.startsWith(prefix));
  if (has('ip-fragments') && ours && theirs && ours.a_to_b_packets + ours.b_to_a_packets > theirs.a_to_b_packets + theirs.b_to_a_packets) {
    // tshark reassembles IP fragments and counts only the frame that completes a datagram; medtap counts every
    // fragment on the wire in the datagram's flow.
    return 'fragments';
  }
  if (has('tunnel: capwap') || has('tunnel: openvpn') || has('tunnel: teredo')) {
    // CAPWAP data, OpenVPN and Teredo payloads are not decapsulated by medtap (tshark counts their inner transport).
    return 'undecoded-tunnel';
  }
  return null;
}

interface Tally {
  captures: number;
  packetsEqual: number;
  conversations: number;
  equal: number;
  explained: Map<string, number>;
  unexplained: string[];
}
const tally: Tally = { captures: 0, packetsEqual: 0, conversations: 0, equal: 0, explained: new Map(), unexplained: [] };

const baselines = loadTsharkBaselines();
const root = corpusRoot();

for (const [rel, cap] of Object.entries(baselines.captures)) {
  const path = join(root, rel);
  test(`tshark agreement: ${rel}`, { skip: existsSync(path) ? false : 'capture missing from ../shared/corpus' }, async () => {
    const store = new SqliteStore(':memory:');
    try {
      const s = await ingest(store, [path]);
      tally.captures++;
      assert.equal(s.packets, cap.packets, `packet count differs from tshark (${s.errors.join('; ')})`);
      tally.packetsEqual++;
      const rows = store.db.prepare(`SELECT proto, client_ip AS a, client_port AS a_port, server_ip AS b, server_port AS b_port,
        client_to_server_packets AS a_to_b_packets, client_to_server_bytes AS a_to_b_bytes, server_to_client_packets AS b_to_a_packets,
        server_to_client_bytes AS b_to_a_bytes, 0 AS rel_start, 0 AS duration FROM flows WHERE proto IN (6, 17)`).all() as
        (TsharkConversation & { proto: number })[];
      // Our flows, summed per 5-tuple exactly as tshark's conversations are.
      const ours = new Map([...aggregateByTuple('tcp', rows.filter((r) => r.proto === 6)), ...aggregateByTuple('udp', rows.filter((r) => r.proto === 17))]);
      const theirs = aggregateCapture(cap);
      const keys = new Set([...ours.keys(), ...theirs.keys()]);
      const bad: string[] = [];
      for (const k of keys) {
        const o = ours.get(k);
        const t = theirs.get(k);
        tally.conversations++;
        const same = o && t && o.a_to_b_packets === t.a_to_b_packets && o.b_to_a_packets === t.b_to_a_packets &&
          (t.bytes_approx || (o.a_to_b_bytes === t.a_to_b_bytes && o.b_to_a_bytes === t.b_to_a_bytes));
        if (same) {
          tally.equal++;
          continue;
        }
        const why = KNOWN_DIFFERENCES[rel] ? 'capture-listed' : explain(cap.notes, o, t);
        if (why) {
          tally.explained.set(why, (tally.explained.get(why) ?? 0) + 1);
          continue;
        }
        const fmt = (x: TupleAggregate | undefined): string => (x ? `${x.a_to_b_packets}/${x.a_to_b_bytes} ${x.b_to_a_packets}/${x.b_to_a_bytes}` : 'absent');
        bad.push(`${k}: medtap ${fmt(o)} vs tshark ${fmt(t)}`);
      }
      tally.unexplained.push(...bad.map((b) => `${rel} ${b}`));
      assert.deepEqual(bad, [], `conversations differing from tshark in ${rel}`);
    } finally {
      store.close();
    }
  });
}

after(() => {
  const explained = [...tally.explained].map(([k, v]) => `${k}=${v}`).join(', ') || 'none';
  process.stdout.write(`tshark agreement: packet counts ${tally.packetsEqual}/${tally.captures} captures; ` +
    `conversations equal ${tally.equal}/${tally.conversations} (${((100 * tally.equal) / Math.max(1, tally.conversations)).toFixed(2)} %), ` +
    `explained differences: ${explained}; unexplained: ${tally.unexplained.length}\n`);
});
