/**
 * Tests of the POCT1-A stream analyzer (analyzer.ts): a device ↔ data manager conversation built from CLSI POCT1-A2's
 * device messaging layer (Hello, Device Status, Observations, End of Topic, Terminate, each acknowledged), in any TCP
 * segmentation; gaps; a connection that is not POCT1-A; the sniffer; the sender-side context.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PacketContext } from '../../observe/observation.js';
import { ackR01, dstR01, endR01, eotR01, helloR01, obsR01 } from '../../synth/poct1a-messages.js';
import { type StreamContext, StreamStatus } from '../stream.js';
import { MAX_NON_XML_BYTES, openPoct1a, type Poct1aRecord, sniffPoct1aStream } from './analyzer.js';

const CTX: PacketContext = { ts_us: 1, src_mac: '02:00:00:00:00:0a', dst_mac: '02:00:00:00:00:0b', src_ip: '10.0.0.10', dst_ip: '10.0.0.11', src_port: 50000, dst_port: 7000, vlan: null };
const SCTX: StreamContext = { base: CTX, at: (t) => ({ ...CTX, ts_us: t }) };
const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const T = '2024-03-01T08:00:00+01:00';
const DEVICE = {
  deviceId: '00:11:22:33:44:55', vendorId: 'ACME', modelId: 'GLU-9', serialId: 'SN-0042', manufacturer: 'Acme Diagnostics',
  hwVersion: '1.2', swVersion: '3.4.5', deviceName: 'Ward 3 meter', topics: ['OBS'], directives: [],
};

/** The POCT1-A2 basic conversation: the device (client) sends, the manager (server) acknowledges each message. */
const CONVERSATION: [boolean, string][] = [
  [true, helloR01('1', T, DEVICE)], [false, ackR01('101', T, '1')],
  [true, dstR01('2', T, 1)], [false, ackR01('102', T, '2')],
  [true, obsR01('3', T, { id: 'MRN884422', name: 'ZZTESTPATIENT', birthDate: '1970-01-01' }, 'OP1', [{ analyte: 'GLU', value: '5.4', unit: 'mmol/L' }])],
  [false, ackR01('103', T, '3')],
  [true, eotR01('4', T, 'OBS')], [false, ackR01('104', T, '4')],
  [false, endR01('105', T)],
];

interface Run { records: { ctx: PacketContext; msg: Poct1aRecord }[]; status: StreamStatus; error: string | null }

function run(chunks: [boolean, Uint8Array][]): Run {
  const records: Run['records'] = [];
  const p = openPoct1a(SCTX, (o) => { if (o.kind === 'poct1a') records.push({ ctx: o.ctx, msg: o.msg }); });
  let status = StreamStatus.More;
  let ts = 10;
  for (const [c, b] of chunks) {
    status = p.data(c, b, 0, b.length, ts++);
    if (status !== StreamStatus.More) break;
  }
  p.end(ts);
  return { records, status, error: p.error };
}
const summary = (r: Run): string[] => r.records.map((x) => `${x.msg.sender}:${x.msg.message_type}:${x.msg.control_id}:${x.msg.anomalies.join(',')}`);
const EXPECTED = ['client:HEL.R01:1:', 'server:ACK.R01:101:', 'client:DST.R01:2:', 'server:ACK.R01:102:', 'client:OBS.R01:3:',
  'server:ACK.R01:103:', 'client:EOT.R01:4:', 'server:ACK.R01:104:', 'server:END.R01:105:'];

test('a POCT1-A2 conversation: one record per message, context from its sender', () => {
  const r = run(CONVERSATION.map(([c, s]) => [c, enc(s)]));
  assert.deepEqual(summary(r), EXPECTED);
  const hel = r.records[0]!;
  assert.deepEqual([hel.ctx.src_ip, hel.ctx.dst_port, hel.msg.vendor_id, hel.msg.serial_id], ['10.0.0.10', 7000, 'ACME', 'SN-0042']);
  const ack = r.records[1]!;
  assert.deepEqual([ack.ctx.src_ip, ack.ctx.src_port, ack.ctx.src_mac, ack.msg.ack_control_id], ['10.0.0.11', 7000, '02:00:00:00:00:0b', '1']);
  const json = JSON.stringify(r.records);
  for (const s of ['MRN884422', 'ZZTESTPATIENT', '1970-01-01', 'OP1', '5.4']) assert.ok(!json.includes(s), s);
});

test('the same records whatever the segmentation; blanks, NUL and ESC between messages', () => {
  const client = enc(CONVERSATION.filter(([c]) => c).map(([, s]) => s).join('\r\n\x00\x1b'));
  const whole = summary(run([[true, client]]));
  assert.equal(whole.length, 4); // HEL, DST, OBS, EOT
  for (let k = 1; k < client.length; k += 3) assert.deepEqual(summary(run([[true, client.subarray(0, k)], [true, client.subarray(k)]])), whole, `split at ${k}`);
});

test('a gap inside a message hands it over cut; reading resumes with the next message', () => {
  const records: string[] = [];
  const p = openPoct1a(SCTX, (o) => { if (o.kind === 'poct1a') records.push(`${o.msg.message_type}:${o.msg.anomalies.join(',')}`); });
  const hel = enc(helloR01('1', T, DEVICE));
  p.data(true, hel, 0, 200, 1);
  p.gap(true, 300, 2);
  const dst = enc(dstR01('2', T, 0));
  p.data(true, dst, 0, dst.length, 3);
  p.end(4);
  assert.deepEqual(records, ['HEL.R01:truncated_by_gap', 'DST.R01:']);
});

test('a connection that carries no XML is given up', () => {
  const r = run([[true, new Uint8Array(MAX_NON_XML_BYTES + 10).fill(0x41)]]);
  assert.deepEqual([r.status, r.error], [StreamStatus.Failed, 'not_poct1a']);
});

test('sniffer: optional BOM and declaration, then a POCT1-A message root', () => {
  const yes = ['<?xml version="1.0" encoding="utf-8"?>\n<HEL.R01>', '\ufeff<?xml version="1.0"?><ACK.R01>', '<OBS.R01>', '  <END.R01/>', '<?xml version="1.0"?>\n<!-- c -->\n<HEL.R01>'];
  const no = ['<?xml version="1.0"?><html>', '<?xml version="1.0"?><FOO.R01>', '<soap:Envelope>', 'GET / HTTP/1.1', '<?xml version="1.0"', '<?xml version="1.0"?><!-- open'];
  for (const s of yes) assert.equal(sniffPoct1aStream(true, enc(s), 0, enc(s).length), true, s);
  for (const s of no) assert.equal(sniffPoct1aStream(true, enc(s), 0, enc(s).length), false, s);
});
