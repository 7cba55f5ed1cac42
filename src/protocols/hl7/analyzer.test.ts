/**
 * Tests of the HL7 stream analyzer and its framing (analyzer.ts, mllp.ts): MLLP blocks (HL7 v2.5.1 Appendix C §C.4)
 * in any TCP segmentation, bare MSH streams, batches (§2.10.3), commit acknowledgments (MLLP release 2),
 * resynchronisation after garbage, oversized messages, gaps, the sniffer, and the sender-side context.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../../observe/observation.js';
import { type StreamContext, StreamStatus } from '../stream.js';
import { type Hl7Record, MAX_HUNT_BYTES, openHl7, sniffHl7Stream } from './analyzer.js';
import { MAX_HL7_MESSAGE } from './parser.js';

const CTX: PacketContext = { ts_us: 1_000, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 40000, dst_port: 2575, vlan: null };
const SCTX: StreamContext = { base: CTX, at: (t) => ({ ...CTX, ts_us: t }) };

const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const cat = (...parts: (Uint8Array | string)[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === 'string' ? enc(p) : p)));
const VT = '\x0b';
const END = '\x1c\r';
const hl7 = (type: string, id: string, ...rest: string[]): string => [`MSH|^~\\&|SND|SF|RCV|RF|20240101||${type}|${id}|P|2.5`, ...rest, ''].join('\r');
const mllp = (m: string): Uint8Array => enc(`${VT}${m}${END}`);

const ORU = hl7('ORU^R01', 'C1', 'PID|1||MRN884422||ZZTESTPATIENT^QQGIVEN||19700101', 'OBX|1|NM|HR||72|||||||||||||MON-7');
const ACK = hl7('ACK^R01', 'A1', 'MSA|AA|C1');

interface Run {
  records: { ctx: PacketContext; msg: Hl7Record }[];
  status: StreamStatus;
  error: string | null;
}

/** Feeds `chunks` (client or server side) to a fresh connection and ends it. */
function run(chunks: [boolean, Uint8Array][], close = true): Run {
  const records: Run['records'] = [];
  const p = openHl7(SCTX, (o: Observation) => {
    assert.equal(o.kind, 'hl7');
    if (o.kind === 'hl7') records.push({ ctx: o.ctx, msg: o.msg });
  });
  let status = StreamStatus.More;
  let ts = 2_000;
  for (const [fromClient, b] of chunks) {
    status = p.data(fromClient, b, 0, b.length, ts++);
    if (status !== StreamStatus.More) break;
  }
  if (close) p.end(ts);
  return { records, status, error: p.error };
}

const summary = (r: Run): string[] => r.records.map((x) => `${x.msg.sender}:${x.msg.framing}:${x.msg.message_type}^${x.msg.trigger_event}:${x.msg.control_id}:${x.msg.anomalies.join(',')}`);

test('MLLP: a message and its ACK; the context is the sender → receiver', () => {
  const r = run([[true, mllp(ORU)], [false, mllp(ACK)]]);
  assert.deepEqual(summary(r), ['client:mllp:ORU^R01:C1:', 'server:mllp:ACK^R01:A1:']);
  const [oru, ack] = r.records;
  assert.deepEqual([oru!.ctx.src_ip, oru!.ctx.dst_port, oru!.ctx.src_mac], ['10.0.0.1', 2575, '02:00:00:00:00:01']);
  assert.deepEqual([ack!.ctx.src_ip, ack!.ctx.src_port, ack!.ctx.dst_port, ack!.ctx.src_mac], ['10.0.0.2', 2575, 40000, '02:00:00:00:00:02']);
  assert.equal(oru!.msg.message_bytes, ORU.length);
  assert.equal(ack!.msg.ack_code, 'AA');
  assert.equal(oru!.ctx.ts_us, 2_000);
  for (const x of r.records) for (const p of ['MRN884422', 'ZZTESTPATIENT', 'QQGIVEN', '19700101']) assert.ok(!JSON.stringify(x).includes(p));
});

test('MLLP: the same records whatever the TCP segmentation (every split point, and byte by byte)', () => {
  const stream = cat(mllp(ORU), mllp(hl7('ADT^A08', 'C2')));
  const expected = summary(run([[true, stream]]));
  assert.equal(expected.length, 2);
  for (let k = 1; k < stream.length; k++) {
    assert.deepEqual(summary(run([[true, stream.subarray(0, k)], [true, stream.subarray(k)]])), expected, `split at ${k}`);
  }
  assert.deepEqual(summary(run([...stream].map((c) => [true, Uint8Array.of(c)] as [boolean, Uint8Array]))), expected);
});

test('bare HL7 (no MLLP): messages split at each MSH that starts a line; the last one at the end of the connection', () => {
  const bare = cat(hl7('ADT^A01', 'B1', 'PID|1'), hl7('ADT^A02', 'B2'), hl7('ADT^A03', 'B3'));
  const expected = ['client:bare:ADT^A01:B1:', 'client:bare:ADT^A02:B2:', 'client:bare:ADT^A03:B3:'];
  assert.deepEqual(summary(run([[true, bare]])), expected);
  for (let k = 1; k < bare.length; k++) assert.deepEqual(summary(run([[true, bare.subarray(0, k)], [true, bare.subarray(k)]])), expected, `split at ${k}`);
  // "MSH|" inside a field is not a message start; an FS ends a bare message
  const inner = run([[true, enc(`${hl7('ADT^A01', 'B1', 'NTE|1||see MSH|x')}\x1c\r`)]], false);
  assert.deepEqual(summary(inner), ['client:bare:ADT^A01:B1:']);
});

test('batches (§2.10.3): FHS/BHS/BTS/FTS are not messages; each MSH is', () => {
  const block = ['FHS|^~\\&|SND', 'BHS|^~\\&|SND', hl7('ORU^R01', 'M1').trimEnd(), hl7('ORU^R01', 'M2', 'OBX|1').trimEnd(), 'BTS|2', 'FTS|1', ''].join('\r');
  const r = run([[true, mllp(block)]]);
  assert.deepEqual(summary(r), ['client:mllp:ORU^R01:M1:', 'client:mllp:ORU^R01:M2:']);
  assert.deepEqual(r.records[1]!.msg.segments, ['MSH', 'OBX']);
});

test('MLLP release 2 commit ACK/NAK blocks are not messages; CR after FS optional', () => {
  const r = run([[true, cat(mllp(ORU), `${VT}\x06\x1c\r${VT}\x15\x1c`, mllp(ACK))]]);
  assert.deepEqual(summary(r), ['client:mllp:ORU^R01:C1:', 'client:mllp:ACK^R01:A1:']);
});

test('resynchronisation: garbage between frames is skipped and counted on the next message', () => {
  const r = run([[true, cat('junk', mllp(ORU), '\r\n', 'xx', mllp(ACK))]]);
  assert.deepEqual(summary(r), ['client:mllp:ORU^R01:C1:skipped_bytes:4', 'client:mllp:ACK^R01:A1:skipped_bytes:2']);
  // a VT before the FS: the first block is handed over as it is
  const v = run([[true, cat(VT, hl7('ADT^A01', 'X1'), mllp(ACK))]]);
  assert.deepEqual(summary(v), ['client:mllp:ADT^A01:X1:missing_end_block', 'client:mllp:ACK^R01:A1:']);
  // the connection ends inside a block
  assert.deepEqual(summary(run([[true, cat(VT, hl7('ADT^A01', 'X2'))]])), ['client:mllp:ADT^A01:X2:unterminated_block']);
  // text before the first MSH of a block
  assert.deepEqual(summary(run([[true, mllp(`hello\r${ORU}`)]])), ['client:mllp:ORU^R01:C1:data_before_msh']);
});

test(`oversized: a message beyond MAX_HL7_MESSAGE is handed over cut and the rest skipped to its FS`, () => {
  const big = hl7('ORU^R01', 'BIG', ...Array.from({ length: 20000 }, (_, i) => `OBX|${i}|ST|X||${'v'.repeat(60)}`));
  assert.ok(big.length > MAX_HL7_MESSAGE);
  const stream = cat(mllp(big), mllp(ACK));
  const r = run([[true, stream.subarray(0, 500_000)], [true, stream.subarray(500_000, 1_200_000)], [true, stream.subarray(1_200_000)]]);
  assert.deepEqual(summary(r), ['client:mllp:ORU^R01:BIG:oversized_message,segment_list_truncated', 'client:mllp:ACK^R01:A1:']);
  assert.equal(r.records[0]!.msg.message_bytes, big.length);
  assert.ok(r.records[0]!.msg.segment_count < 20001);
});

test('a gap inside a message hands it over cut; framing resumes at the next VT', () => {
  const records: string[] = [];
  const p = openHl7(SCTX, (o) => { if (o.kind === 'hl7') records.push(`${o.msg.control_id}:${o.msg.anomalies.join(',')}`); });
  const first = mllp(ORU);
  p.data(true, first, 0, 60, 1);
  assert.equal(p.gap(true, 100, 2), StreamStatus.More);
  p.data(true, enc('|R|tail of the lost message\r\x1c\r'), 0, 28, 3);
  const next = mllp(ACK);
  p.data(true, next, 0, next.length, 4);
  p.end(5);
  assert.deepEqual(records, ['C1:truncated_by_gap', 'A1:skipped_bytes:23']); // the non-blank bytes of the tail
});

test('a connection chosen by port that never carries HL7 is given up', () => {
  const r = run([[true, new Uint8Array(MAX_HUNT_BYTES + 100).fill(0x41)]]);
  assert.equal(r.status, StreamStatus.Failed);
  assert.equal(r.error, 'not_hl7');
  // once HL7 was seen, garbage does not fail the connection
  assert.equal(run([[true, mllp(ORU)], [true, new Uint8Array(MAX_HUNT_BYTES + 100).fill(0x41)]]).status, StreamStatus.More);
});

test('sniffer: VT + MSH/FHS/BHS + separator, or a bare MSH + separator', () => {
  const yes = [`${VT}MSH|^~\\&|`, `${VT}FHS|^~`, `${VT}BHS*`, 'MSH|^~\\&', 'MSH*!%$#'];
  const no = ['MSH', `${VT}MSH`, 'MSHA', 'MSH ^', 'GET / HTTP/1.1', `${VT}EVN|`, 'FHS|^~\\&', `\x16\x03\x01\x02\x00`];
  for (const s of yes) assert.equal(sniffHl7Stream(true, enc(s), 0, s.length), true, JSON.stringify(s));
  for (const s of no) assert.equal(sniffHl7Stream(true, enc(s), 0, s.length), false, JSON.stringify(s));
  const framed = enc(`xx${VT}MSH|^~\\&`);
  assert.equal(sniffHl7Stream(false, framed, 2, framed.length - 2), true);
  assert.equal(sniffHl7Stream(false, framed, 2, framed.length), false, 'out of bounds');
});
