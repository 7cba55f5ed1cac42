/**
 * Unit tests of the TLS stream analyzer: whole handshakes fed as the TCP reassembly would (in one piece, byte by byte,
 * messages split across records, several messages per record), the end conditions (ChangeCipherSpec, application
 * data, alerts, TLS 1.3, HelloRetryRequest and its compatibility ChangeCipherSpec), SSL 2.0 hellos, gaps, truncation,
 * the client/server swap, non-TLS input, and content detection (sniffTls).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext, TlsObservation } from '../../observe/observation.js';
import { StreamStatus } from '../stream.js';
import { ascii, be16, zeros } from '../test-bytes.js';
import { openTlsStream, sniffTls } from './analyzer.js';
import { MAX_HANDSHAKE_MESSAGE } from './parser.js';
import { certificate } from './test-der.js';

const be24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const vec8 = (b: number[]): number[] => [b.length, ...b];
const vec16 = (b: number[]): number[] => [...be16(b.length), ...b];
const ext = (type: number, body: number[] = []): number[] => [...be16(type), ...vec16(body)];
/** A record: content type, version 0x0303 (0x0301 for the first ClientHello), body. */
const record = (type: number, body: number[] | Uint8Array, version = 0x0303): number[] => [type, ...be16(version), ...be16(body.length), ...body];
const hs = (type: number, body: number[] | Uint8Array): number[] => [type, ...be24(body.length), ...body];

const RANDOM = zeros(32);
const HRR_RANDOM = [...Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex')];
const CLIENT_HELLO = hs(1, [...be16(0x0303), ...RANDOM, 0, ...vec16([0xc0, 0x2f, 0x13, 0x01]), 1, 0,
  ...vec16([...ext(0, vec16([0, ...vec16(ascii('monitor.example'))])), ...ext(0x2b, vec8([3, 4, 3, 3]))])]);
const SERVER_HELLO_12 = hs(2, [...be16(0x0303), ...RANDOM, 0, 0xc0, 0x2f, 0, ...vec16(ext(0xff01, [0]))]);
const SERVER_HELLO_13 = hs(2, [...be16(0x0303), ...RANDOM, 0, 0x13, 0x01, 0, ...vec16([...ext(0x2b, [3, 4]), ...ext(0x33, [0, 0x1d, ...vec16(zeros(32))])])]);
const HRR = hs(2, [...be16(0x0303), ...HRR_RANDOM, 0, 0x13, 0x01, 0, ...vec16([...ext(0x2b, [3, 4]), ...ext(0x33, [0, 0x17])])]);
const LEAF = certificate();
const CERTIFICATE = hs(11, [...be24(LEAF.length + 3), ...be24(LEAF.length), ...LEAF]);
const DONE = hs(14, []);
const CCS = record(20, [1]);
const APP = record(23, zeros(40));

const CTX: PacketContext = { ts_us: 1_000_000, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 50000, dst_port: 443, vlan: null };

/** A stream with its observations; `feed` sends a direction's bytes in chunks of `chunk` bytes (0: all at once). */
function stream(): {
  out: TlsObservation[]; feed: (fromClient: boolean, b: number[], chunk?: number) => StreamStatus; gap: (fromClient: boolean) => StreamStatus; end: () => void;
} {
  const out: TlsObservation[] = [];
  const p = openTlsStream({ base: CTX, at: (ts) => ({ ...CTX, ts_us: ts }) }, (o: Observation) => out.push(o as TlsObservation));
  let ts = 1_000_000;
  return {
    out,
    feed: (fromClient, b, chunk = 0) => {
      const buf = Uint8Array.from(b);
      let st = StreamStatus.More;
      const n = chunk || buf.length;
      for (let i = 0; i < buf.length; i += n) st = p.data(fromClient, buf, i, Math.min(n, buf.length - i), ts++);
      return st;
    },
    gap: (fromClient) => p.gap(fromClient, 1000, ts++),
    end: () => p.end(ts),
  };
}

/** A TLS 1.2 handshake with a certificate, fed in chunks of `chunk` bytes. */
function tls12(chunk: number): TlsObservation[] {
  const s = stream();
  assert.equal(s.feed(true, record(22, CLIENT_HELLO, 0x0301), chunk), StreamStatus.More);
  assert.equal(s.feed(false, record(22, [...SERVER_HELLO_12, ...CERTIFICATE, ...DONE]), chunk), StreamStatus.More);
  assert.equal(s.feed(true, [...record(22, hs(16, zeros(33))), ...CCS, ...record(22, zeros(40))], chunk), StreamStatus.More);
  assert.equal(s.feed(false, [...CCS, ...APP], chunk), StreamStatus.Done);
  return s.out;
}

test('TLS 1.2: one record per connection once both sides sent ChangeCipherSpec, the same in one piece or byte by byte', () => {
  const whole = tls12(0);
  assert.equal(whole.length, 1);
  const o = whole[0]!;
  assert.equal(o.kind, 'tls');
  assert.deepEqual([o.ctx.src_ip, o.ctx.dst_port, o.ctx.ts_us], ['10.0.0.1', 443, 1_000_000]);
  const s = o.msg;
  assert.equal(s.server_name, 'monitor.example');
  assert.equal(s.version, 'TLSv1.2');
  assert.equal(s.cipher_suite, 0xc02f);
  assert.deepEqual(s.client_handshake_types, [1, 16]);
  assert.deepEqual(s.server_handshake_types, [2, 11, 14]);
  assert.equal(s.certificates[0]?.subject, 'CN=pump.example');
  assert.equal(s.encrypted, true);
  assert.deepEqual(s.anomalies, []);
  const msgs = (l: TlsObservation[]): unknown[] => l.map((x) => x.msg);
  assert.deepEqual(msgs(tls12(1)), msgs(whole));
  assert.deepEqual(msgs(tls12(7)), msgs(whole));
});

test('a handshake message split over records, and a record holding several messages', () => {
  const s = stream();
  const ch = CLIENT_HELLO;
  s.feed(true, [...record(22, ch.slice(0, 10), 0x0301), ...record(22, ch.slice(10), 0x0301)]);
  const flight = [...SERVER_HELLO_12, ...CERTIFICATE, ...DONE];
  s.feed(false, [...record(22, flight.slice(0, 50)), ...record(22, flight.slice(50, 900)), ...record(22, flight.slice(900))]);
  s.feed(true, CCS);
  assert.equal(s.feed(false, CCS), StreamStatus.Done);
  assert.equal(s.out[0]!.msg.server_name, 'monitor.example');
  assert.deepEqual(s.out[0]!.msg.server_handshake_types, [2, 11, 14]);
});

test('TLS 1.3: the server side ends at its ServerHello; a cleartext alert from the client is still read', () => {
  const s = stream();
  s.feed(true, record(22, CLIENT_HELLO, 0x0301));
  assert.equal(s.feed(false, [...record(22, SERVER_HELLO_13), ...CCS, ...APP]), StreamStatus.More);
  assert.equal(s.feed(true, record(21, [2, 48])), StreamStatus.Done); // fatal unknown_ca
  const m = s.out[0]!.msg;
  assert.deepEqual([m.version, m.selected_version, m.server_key_share_group], ['TLSv1.3', 0x0304, 0x001d]);
  assert.deepEqual(m.alerts, [{ from: 'client', level: 2, description: 48 }]);
  assert.match(m.ja4s ?? '', /^t130200_1301_/);
});

test('HelloRetryRequest: compatibility ChangeCipherSpecs skipped, second ClientHello counted, the real ServerHello recorded', () => {
  const s = stream();
  s.feed(true, record(22, CLIENT_HELLO, 0x0301));
  s.feed(false, [...record(22, HRR), ...CCS]);
  s.feed(true, [...CCS, ...record(22, CLIENT_HELLO)]);
  assert.equal(s.feed(false, record(22, SERVER_HELLO_13)), StreamStatus.More);
  assert.equal(s.feed(true, APP), StreamStatus.Done);
  const m = s.out[0]!.msg;
  assert.deepEqual([m.hello_retry_request, m.client_hellos, m.version, m.server_key_share_group], [true, 2, 'TLSv1.3', 0x001d]);
  assert.deepEqual([m.client_handshake_types, m.server_handshake_types, m.anomalies], [[1, 1], [2, 2], []]);
});

test('a warning alert does not end a side; a ChangeCipherSpec before any ServerHello only lets a hello through', () => {
  const s = stream();
  s.feed(true, record(22, CLIENT_HELLO, 0x0301));
  s.feed(false, [...record(21, [1, 112]), ...record(22, SERVER_HELLO_12)]); // unrecognized_name warning first
  assert.equal(s.out.length, 0);
  s.feed(true, CCS);
  assert.equal(s.feed(false, CCS), StreamStatus.Done);
  assert.deepEqual(s.out[0]!.msg.alerts, [{ from: 'server', level: 1, description: 112 }]);
  assert.equal(s.out[0]!.msg.version, 'TLSv1.2');
  const one = stream(); // a capture of the client side only: CCS, then an encrypted Finished (type 22)
  one.feed(true, [...record(22, CLIENT_HELLO, 0x0301), ...CCS, ...record(22, [0x7c, ...zeros(39)])]);
  one.end();
  assert.deepEqual([one.out[0]!.msg.client_handshake_types, one.out[0]!.msg.anomalies], [[1], []]);
});

test('not TLS (HTTP on port 443): Failed, nothing emitted; garbage after a hello ends that side only', () => {
  const s = stream();
  assert.equal(s.feed(true, [...ascii('GET / HTTP/1.1\r\n\r\n')]), StreamStatus.Failed);
  s.end();
  assert.deepEqual(s.out, []);
  const t = stream();
  t.feed(true, record(22, CLIENT_HELLO, 0x0301));
  assert.equal(t.feed(false, [...ascii('HTTP/1.1 400 Bad Request\r\n')]), StreamStatus.More);
  t.end();
  assert.deepEqual(t.out[0]!.msg.anomalies, ['bad_record:server']);
});

test('gaps, truncation, an oversized message, and a ClientHello from the side the ingest called the server', () => {
  const g = openTlsStream({ base: CTX, at: (ts) => ({ ...CTX, ts_us: ts }) }, () => assert.fail('nothing to emit'));
  assert.equal(g.gap(true, 100, 1), StreamStatus.More); // before any data: nothing to note
  assert.equal(g.gap(false, 100, 2), StreamStatus.Done);
  const late = stream();
  late.feed(true, record(22, CLIENT_HELLO, 0x0301));
  late.feed(false, record(22, SERVER_HELLO_12).slice(0, 9));
  assert.equal(late.gap(false), StreamStatus.More);
  assert.equal(late.feed(true, [...CCS, ...APP]), StreamStatus.Done);
  assert.deepEqual(late.out[0]!.msg.anomalies, ['gap:server']);
  const cut = stream();
  cut.feed(true, record(22, CLIENT_HELLO, 0x0301));
  cut.feed(false, record(22, SERVER_HELLO_12).slice(0, 20));
  cut.end();
  assert.deepEqual(cut.out[0]!.msg.anomalies, ['truncated:server']);
  const big = stream();
  big.feed(true, record(22, CLIENT_HELLO, 0x0301));
  const huge = MAX_HANDSHAKE_MESSAGE + 1;
  big.feed(false, [...record(22, [...SERVER_HELLO_12, 11, ...be24(huge), ...zeros(16000)]), ...record(22, zeros(16000))]);
  big.feed(false, [...record(22, zeros(16000)), ...record(22, zeros(16000)), ...record(22, zeros(huge - 64000)), ...record(22, DONE)]);
  big.end();
  assert.deepEqual(big.out[0]!.msg.server_handshake_types, [2, 11, 14]);
  assert.deepEqual(big.out[0]!.msg.anomalies, ['oversized_handshake:11']);
  const flipped = stream();
  flipped.feed(false, record(22, CLIENT_HELLO, 0x0301));
  flipped.feed(true, record(22, SERVER_HELLO_12));
  flipped.end();
  const o = flipped.out[0]!;
  assert.deepEqual([o.ctx.src_ip, o.ctx.src_port, o.ctx.dst_ip, o.ctx.dst_port, o.ctx.src_mac], ['10.0.0.2', 443, '10.0.0.1', 50000, '02:00:00:00:00:02']);
  assert.deepEqual([o.msg.client_handshake_types, o.msg.server_handshake_types], [[1], [2]]);
});

test('SSL 2.0: a compatible CLIENT-HELLO then TLS records; an SSL 2.0 SERVER-HELLO with its certificate', () => {
  const hello = [1, 3, 1, 0, 3, 0, 0, 0, 16, 0, 0, 0x2f, ...zeros(16)];
  const s = stream();
  s.feed(true, [0x80 | 0, hello.length, ...hello]);
  s.feed(false, record(22, SERVER_HELLO_12));
  s.feed(true, [...record(22, hs(16, zeros(4))), ...CCS]);
  assert.equal(s.feed(false, CCS), StreamStatus.Done);
  const m = s.out[0]!.msg;
  assert.deepEqual([m.ssl2_client_hello, m.client_version, m.ssl2_cipher_specs, m.client_handshake_types], [true, 0x0301, [0x2f], [1, 16]]);
  const v2 = stream();
  const ch = [1, 0, 2, 0, 3, 0, 0, 0, 16, 0x01, 0x00, 0x80, ...zeros(16)];
  v2.feed(true, [0x80, ch.length, ...ch]);
  const sh = [4, 0, 1, ...be16(2), ...be16(LEAF.length), ...be16(3), ...be16(16), ...LEAF, 0x01, 0x00, 0x80, ...zeros(16)];
  v2.feed(false, [0x80 | (sh.length >> 8), sh.length & 0xff, ...sh]);
  assert.equal(v2.feed(true, [0x80, 10, 2, ...zeros(9)]), StreamStatus.Done); // CLIENT-MASTER-KEY
  const v = v2.out[0]!.msg;
  assert.deepEqual([v.version, v.client_handshake_types, v.server_handshake_types, v.certificates.length], ['SSLv2', [1, 2], [4], 1]);
});

test('sniffTls: a ClientHello record from the client, a ServerHello from the server, an SSL 2.0 CLIENT-HELLO', () => {
  const sniff = (fromClient: boolean, b: number[]): boolean => sniffTls(fromClient, Uint8Array.from(b), 0, b.length);
  assert.equal(sniff(true, record(22, CLIENT_HELLO, 0x0301)), true);
  assert.equal(sniff(false, record(22, SERVER_HELLO_12)), true);
  assert.equal(sniff(false, record(22, CLIENT_HELLO)), false);
  assert.equal(sniff(true, [0x16, 0x03, 0x05, 0x00, 0x10, 0x01]), false); // version 0x0305
  assert.equal(sniff(true, [0x16, 0x03, 0x01, 0x00, 0x00, 0x01]), false); // empty record
  assert.equal(sniff(true, [0x80, 0x2e, 0x01, 0x00, 0x02, 0x00]), true);
  assert.equal(sniff(true, [0x80, 0x2e, 0x01, 0x09, 0x02, 0x00]), false);
  assert.equal(sniff(true, [...ascii('GET / ')]), false);
  assert.equal(sniff(true, [0x16, 0x03]), false);
});
