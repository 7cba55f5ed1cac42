/**
 * Conformance: medtap's rdp.jsonl (the real ingest pipeline) against tshark 4.0's RDP/COTP dissectors, connection by
 * connection, over every corpus capture holding RDP (tshark-rdp.json, from scripts/make-remote-access-baselines.ts),
 * and against Zeek's rdp.log (cookie, security protocol) and Suricata's RDP cookie where the corpus has them.
 *
 * Per connection: the client's X.224 Connection Request (cotp.type 0x0e): the cookie / routing token line
 * (rdp.rt_cookie), RDP_NEG_REQ flags and requestedProtocols, correlationId; the server's Connection Confirm (0x0d):
 * RDP_NEG_RSP flags and selectedProtocol, RDP_NEG_FAILURE failureCode. tshark prints the numbers in hex.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RdpSession } from '../../../src/protocols/rdp/analyzer.js';
import { corpusRoot, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite } from '../field-agreement.js';
import {
  assertPeersAgree, compareCapture, type ConnectionFrame, fromClient, loadStreamBaseline, type LogRecord, manifestBaselines,
  type StreamSuite, text, zeekRowsWithRecords, zeekValue,
} from '../stream-records.js';

/** What a difference sees. */
interface DiffContext extends FrameSite {
  rec: RdpSession;
}

const suite: StreamSuite<DiffContext> = { agreement: new FieldAgreement({}, {}), peers: new FieldAgreement({}, {}), connections: 0, recordsOnly: [] };
const { agreement, peers } = suite;

/** A tshark hex number ("0x0000000b") as decimal text, '' when absent. */
const hex = (v: string): string => (v === '' ? '' : String(parseInt(v, 16)));

function compareConnection(capture: string, rec: LogRecord, frames: ConnectionFrame[]): void {
  const s = rec as unknown as RdpSession;
  const cr = frames.find((f) => fromClient(rec, f) && f.t.get('cotp.type') === '0x0e');
  const cc = frames.find((f) => !fromClient(rec, f) && f.t.get('cotp.type') === '0x0d');
  const at = (f: ConnectionFrame | undefined): DiffContext => ({ capture, frame: f?.frame ?? 0, rec: s });
  agreement.compare('requested', String(s.requested), String(cr !== undefined), at(cr), true);
  agreement.compare('token', text(s.token), cr?.t.get('rdp.rt_cookie') ?? '', at(cr));
  const req = cr?.t.first('rdp.neg_type') === '0x01'; // correlation info adds a second neg_type (0x06)
  agreement.compare('request_flags', text(s.request_flags), req ? hex(cr!.t.get('rdp.negReq.flags')) : '', at(cr));
  agreement.compare('requested_protocols', text(s.requested_protocols), req ? hex(cr!.t.get('rdp.negReq.requestedProtocols')) : '', at(cr));
  agreement.compare('correlation_id', text(s.correlation_id), (cr?.t.get('rdp.correlationInfo.correlationId') ?? '').replaceAll(':', ''), at(cr));
  agreement.compare('confirmed', String(s.confirmed), String(cc !== undefined), at(cc), true);
  const type = cc?.t.first('rdp.neg_type') ?? '';
  agreement.compare('response_flags', text(s.response_flags), type === '0x02' ? hex(cc!.t.get('rdp.negRsp.flags')) : '', at(cc));
  agreement.compare('selected_protocol', text(s.selected_protocol), type === '0x02' ? hex(cc!.t.get('rdp.negReq.selectedProtocol')) : '', at(cc));
  agreement.compare('failure_code', text(s.failure_code), type === '0x03' ? hex(cc!.t.get('rdp.negFailure.failureCode')) : '', at(cc));
}

/** Zeek rdp.log: cookie and security protocol. */
function compareZeek(capture: string, records: LogRecord[], zeekLog: string): void {
  for (const { z, rec } of zeekRowsWithRecords(peers, capture, records, zeekLog)) {
    const s = rec as unknown as RdpSession;
    const site = { capture, frame: 0, rec: s };
    peers.compare('zeek.cookie', text(s.cookie), zeekValue(z['cookie']), site);
    peers.compare('zeek.security_protocol', text(s.selected_protocol_name), zeekValue(z['security_protocol']), site);
  }
}

/** Suricata-verify `rdp.cookie` checks. */
function compareSuricata(capture: string, records: LogRecord[], yaml: string): void {
  const cookie = /rdp\.cookie:\s*"([^"]*)"/.exec(readFileSync(yaml, 'utf8'))?.[1];
  if (cookie === undefined) return;
  const s = records[0] as unknown as RdpSession | undefined;
  peers.compare('suricata.cookie', text(s?.cookie), cookie, { capture, frame: 0, rec: s ?? ({} as RdpSession) });
}

const { doc, accessor } = loadStreamBaseline('rdp');
const baselines = manifestBaselines();

testEachCapture('rdp vs tshark', doc.captures, 'tshark-rdp.json', 'test/conformance/rdp/README.md', (rel, cap, path) => {
  const records = compareCapture(suite, 'rdp', rel, cap, path, accessor, (rec, frames) => compareConnection(rel, rec, frames));
  for (const b of baselines.get(rel) ?? []) {
    if (b.endsWith('protocols.rdp.rdp-x509/rdp.log')) compareZeek(rel, records, join(corpusRoot(), b));
    if (b.includes('suricata-verify/')) compareSuricata(rel, records, join(corpusRoot(), b));
  }
});

test('rdp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  assert.deepEqual(suite.recordsOnly, [], 'RDP connections tshark does not dissect as RDP');
  agreement.assertAgreement('RDP');
});

test('rdp vs Zeek rdp.log and Suricata: every compared value agrees', () => {
  assertPeersAgree(peers);
});

after(() => {
  agreement.printSummary(`rdp vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark X.224 CR/CC frames in ${suite.connections} connections, ${agreement.elapsed()} s`);
  peers.printSummary('rdp vs peer tools (Zeek rdp.log, Suricata):');
});
