/**
 * Unit tests of the HTTP stream analyzer: framing of messages over a connection (RFC 9112 §6.3 body length,
 * §7.1 chunked coding, §9.3.2 pipelining), pairing of requests and responses, interim and protocol-switching
 * responses, recovery after capture gaps, limits, and independence from how the bytes are split into calls.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../../observe/observation.js';
import { type StreamContext, StreamStatus } from '../stream.js';
import { MAX_PENDING, openHttpStream } from './analyzer.js';
import { MAX_HEAD_BYTES } from './parser.js';
import type { HttpTransaction } from './transaction.js';

const BASE: PacketContext = {
  ts_us: 0, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 40000, dst_port: 80, vlan: null,
};
const CTX: StreamContext = { base: BASE, at: (ts) => ({ ...BASE, ts_us: ts }) };

/** One step of a conversation: bytes from the client (`c`) or the server (`s`), or a gap of `missing` bytes. */
type Step = { c: string } | { s: string } | { gapC: number } | { gapS: number };

interface Run {
  records: (HttpTransaction & { ts: number })[];
  status: StreamStatus;
  error: string | null;
}

/**
 * Feeds the steps to a fresh parser, each data step cut into pieces of `piece` bytes (Infinity: whole), the time
 * being the step's index; then ends the connection (unless it stopped).
 */
function run(steps: readonly Step[], piece = Infinity): Run {
  const obs: Observation[] = [];
  const p = openHttpStream(CTX, (o) => obs.push(o));
  let status: StreamStatus = StreamStatus.More;
  for (let ts = 0; ts < steps.length && status === StreamStatus.More; ts++) {
    const st = steps[ts]!;
    if ('gapC' in st) { status = p.gap(true, st.gapC, ts); continue; }
    if ('gapS' in st) { status = p.gap(false, st.gapS, ts); continue; }
    const fromClient = 'c' in st;
    const b = Buffer.from(fromClient ? st.c : st.s, 'latin1');
    // A larger buffer around the bytes, so an offset error shows.
    const framed = new Uint8Array(b.length + 16).fill(0x41);
    framed.set(b, 8);
    for (let o = 0; o < b.length && status === StreamStatus.More; o += Math.min(piece, b.length)) {
      status = p.data(fromClient, framed, 8 + o, Math.min(piece, b.length - o), ts);
    }
  }
  if (status !== StreamStatus.Failed) p.end(steps.length);
  return {
    records: obs.map((o) => {
      assert.equal(o.kind, 'http');
      return { ...(o.msg as HttpTransaction), ts: o.ctx.ts_us };
    }),
    status,
    error: p.error,
  };
}

const req = (method: string, target: string, ...headers: string[]): string => `${method} ${target} HTTP/1.1\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;
const resp = (code: number, reason: string, ...headers: string[]): string => `HTTP/1.1 ${code} ${reason}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`;

/** The fields that say what was paired with what. */
const summary = (r: Run): string[] => r.records.map((x) =>
  `${x.trans_depth} ${x.method ?? '-'} ${x.uri ?? '-'} ${x.status_code ?? '-'} ${x.request_body_len}/${x.response_body_len}${x.anomalies.length ? ` [${x.anomalies.join(',')}]` : ''}`);

const KEEP_ALIVE: Step[] = [
  { c: req('GET', '/a?id=5', 'Host: h') },
  { s: resp(200, 'OK', 'Content-Length: 5') + 'hello' },
  { c: req('POST', '/b', 'Host: h', 'Content-Length: 3') + 'x=1' },
  { s: resp(201, 'Created', 'Transfer-Encoding: chunked') + '4;ext=1\r\nabcd\r\n2\r\nef\r\n0\r\nX-Trailer: t\r\n\r\n' },
  { c: req('HEAD', '/c', 'Host: h') },
  { s: resp(200, 'OK', 'Content-Length: 1000') }, // HEAD: no body whatever Content-Length says
  { c: req('GET', '/d') },
  { s: resp(304, 'Not Modified', 'Content-Length: 10') }, // 304: no body
  { c: req('GET', '/e') },
  { s: `HTTP/1.0 200 OK\r\nServer: old\r\n\r\nbody until close` }, // no length: read to the end
];

test('keep-alive: Content-Length, chunked with extensions and trailer, HEAD, 304, read to close', () => {
  const r = run(KEEP_ALIVE);
  assert.equal(r.status, StreamStatus.More);
  assert.deepEqual(summary(r), [
    '1 GET /a?id= 200 0/5',
    '2 POST /b 201 3/6',
    '3 HEAD /c 200 0/0',
    '4 GET /d 304 0/0',
    '5 GET /e 200 0/16',
  ]);
  assert.equal(r.records[0]!.ts, 0); // the request's time
  assert.equal(r.records[4]!.server, 'old');
  assert.equal(r.records[4]!.response_version, 'HTTP/1.0');
});

test('the result does not depend on how the bytes are split into calls', () => {
  const whole = run(KEEP_ALIVE);
  for (const piece of [1, 2, 3, 5, 7, 13, 64]) assert.deepEqual(run(KEEP_ALIVE, piece), whole, `pieces of ${piece}`);
});

test('pipelining: responses pair with requests in order (RFC 9112 §9.3.2)', () => {
  const r = run([
    { c: req('GET', '/1') + req('GET', '/2') + req('GET', '/3') },
    { s: resp(200, 'OK', 'Content-Length: 1') + 'a' + resp(404, 'Not Found', 'Content-Length: 0') + resp(200, 'OK', 'Content-Length: 2') + 'bc' },
  ]);
  assert.deepEqual(summary(r), ['1 GET /1 200 0/1', '2 GET /2 404 0/0', '3 GET /3 200 0/2']);
});

test('interim responses: 100 Continue recorded as info_code; 101 and CONNECT 2xx end HTTP', () => {
  let r = run([
    { c: req('POST', '/upload', 'Expect: 100-continue', 'Content-Length: 4') },
    { s: resp(100, 'Continue') },
    { c: 'data' },
    { s: resp(200, 'OK', 'Content-Length: 0') },
  ]);
  assert.deepEqual(summary(r), ['1 POST /upload 200 4/0']);
  assert.equal(r.records[0]!.info_code, 100);
  assert.equal(r.records[0]!.info_reason, 'Continue');

  r = run([
    { c: req('GET', '/chat', 'Upgrade: websocket', 'Connection: Upgrade') },
    { s: resp(101, 'Switching Protocols', 'Upgrade: websocket') + '\x81\x05hello' },
    { c: '\x81\x85....binary' },
  ]);
  assert.equal(r.status, StreamStatus.Done);
  assert.deepEqual(summary(r), ['1 GET /chat 101 0/0']);
  assert.equal(r.records[0]!.upgrade, 'websocket');

  r = run([
    { c: req('CONNECT', 'pacs.example:443', 'Host: pacs.example:443') + '\x16\x03\x01\x00\x05hello' }, // TLS right away
    { s: resp(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="proxy"', 'Content-Length: 0') },
    { c: req('CONNECT', 'pacs.example:443', 'Proxy-Authorization: Basic dTpw') },
    { s: resp(200, 'Connection established') },
    { c: '\x16\x03\x01\x00\x05hello' },
  ]);
  assert.equal(r.status, StreamStatus.Done);
  assert.deepEqual(summary(r), ['1 CONNECT pacs.example:443 407 0/0', '2 CONNECT pacs.example:443 200 0/0']);
  assert.deepEqual(r.records[0]!.challenge_schemes, ['Basic']);
  assert.equal(r.records[0]!.challenge_realm, 'proxy');
  assert.equal(r.records[1]!.auth_user, 'u');
  assert.equal(r.records[1]!.cleartext_password, true);
});

test('HTTP/2 prior knowledge (PRI * HTTP/2.0) ends HTTP/1 analysis', () => {
  const r = run([{ c: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04' }]);
  assert.equal(r.status, StreamStatus.Done);
  assert.deepEqual(summary(r), ['1 PRI * - 0/0 [unusual_version]']);
});

test('a request body in the chunked coding, and a bare LF after chunk data', () => {
  const r = run([
    { c: req('POST', '/obs', 'Transfer-Encoding: chunked') + '3\r\nabc\n5\r\ndefgh\r\n0\r\n\r\n' + req('GET', '/next') },
    { s: resp(200, 'OK', 'Content-Length: 0') + resp(200, 'OK', 'Content-Length: 0') },
  ]);
  assert.deepEqual(summary(r), ['1 POST /obs 200 8/0', '2 GET /next 200 0/0']);
});

test('a client that does not speak HTTP on an HTTP port fails at once', () => {
  let r = run([{ c: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03' }]);
  assert.equal(r.status, StreamStatus.Failed);
  assert.equal(r.error, 'bad_start_line');
  assert.deepEqual(r.records, []);
  // A server's first bytes may be the end of a body (picked up mid-connection): only the client's decide.
  r = run([{ s: 'SSH-2.0-OpenSSH_8.9\r\n' }]);
  assert.equal(r.status, StreamStatus.More);
  r = run([{ s: 'SSH-2.0-OpenSSH_8.9\r\n' }, { c: 'SSH-2.0-PuTTY\r\n' }]);
  assert.equal(r.status, StreamStatus.Failed);
  r = run([{ s: 'x'.repeat(3000) }, { c: req('GET', '/late') }, { s: resp(200, 'OK', 'Content-Length: 0') }]);
  assert.deepEqual(summary(r), ['1 GET /late 200 0/0']);
  r = run([{ c: 'GET /\r\n\r\n' }]); // HTTP/0.9: no version
  assert.equal(r.status, StreamStatus.Failed);
  assert.equal(r.error, 'bad_request_line');
});

test('roles swapped when the side taken for the client sends a status line first', () => {
  const obs: Observation[] = [];
  const p = openHttpStream(CTX, (o) => obs.push(o));
  const b = Buffer.from(resp(200, 'OK', 'Content-Length: 2') + 'ok', 'latin1');
  assert.equal(p.data(true, b, 0, b.length, 7), StreamStatus.More); // the ingest thought the server was the client
  const q = Buffer.from(req('GET', '/next'), 'latin1');
  p.data(false, q, 0, q.length, 8);
  p.end(9);
  assert.deepEqual(obs.map((o) => [(o.ctx as PacketContext).src_ip, (o.ctx as PacketContext).src_port, (o.ctx as PacketContext).dst_ip, (o.ctx as PacketContext).dst_port, (o.msg as HttpTransaction).status_code, (o.msg as HttpTransaction).uri]),
    [['10.0.0.2', 80, '10.0.0.1', 40000, 200, null], ['10.0.0.2', 80, '10.0.0.1', 40000, null, '/next']]);
});

test('a response with no request before it is logged alone', () => {
  const r = run([{ s: resp(200, 'OK', 'Content-Length: 2', 'Server: s') + 'ok' }, { c: req('GET', '/x') }, { s: resp(204, 'No Content') }]);
  assert.deepEqual(summary(r), ['1 - - 200 0/2 [unpaired_response]', '2 GET /x 204 0/0']);
  assert.equal(r.records[0]!.ts, 0); // the response's time
});

test('the connection ends: requests without responses, a cut body, a cut head', () => {
  let r = run([{ c: req('GET', '/1') + req('GET', '/2') }, { s: resp(200, 'OK', 'Content-Length: 10') + 'abc' }]);
  assert.deepEqual(summary(r), ['1 GET /1 200 0/3 [truncated_body]', '2 GET /2 - 0/0']);
  r = run([{ c: 'GET /only-a-start-line HTTP/1.1\r\nHost: h' }]);
  assert.deepEqual(summary(r), ['1 GET /only-a-start-line - 0/0 [truncated_head]']);
  assert.equal(r.records[0]!.host, 'h');
});

test('gaps: inside a body of known length the framing holds; elsewhere it resynchronises', () => {
  let r = run([
    { c: req('GET', '/big') },
    { s: resp(200, 'OK', 'Content-Length: 100') + 'x'.repeat(10) },
    { gapS: 80 },
    { s: 'y'.repeat(10) + resp(200, 'OK', 'Content-Length: 0') },
    { c: req('GET', '/after') },
  ]);
  // The second response came before any second request: logged alone; /after never got one.
  assert.deepEqual(summary(r), ['1 GET /big 200 0/100 [gap]', '2 - - 200 0/0 [unpaired_response]', '3 GET /after - 0/0']);

  r = run([
    { c: req('GET', '/1') },
    { s: resp(200, 'OK', 'Content-Length: 100') + 'x'.repeat(10) },
    { gapS: 500 }, // beyond the body: framing lost; /1 is logged with its partial response
    { s: 'tail of something\r\n' + resp(200, 'OK', 'Content-Length: 0') }, // resynchronised after an LF
    { c: req('GET', '/2') },
    { s: resp(404, 'Not Found', 'Content-Length: 0') }, // at a segment start
  ]);
  assert.deepEqual(summary(r), ['1 GET /1 200 0/10 [gap]', '2 - - 200 0/0 [unpaired_response]', '3 GET /2 404 0/0']);

  r = run([
    { c: req('GET', '/1') },
    { gapS: 300 }, // the response to /1 was lost: /1 is logged without it
    { c: req('GET', '/2') },
    { s: 'rest of a body' },
    { s: resp(302, 'Found', 'Content-Length: 0') }, // taken to answer /2, the latest request before it
  ]);
  assert.deepEqual(summary(r), ['1 GET /1 - 0/0 [lost_sync]', '2 GET /2 302 0/0']);

  // Picked up mid-connection: the server's first bytes are the end of a body whose head was never captured.
  r = run([{ c: req('GET', '/1') }, { s: 'end of a body' }, { c: req('GET', '/2') }, { s: resp(200, 'OK', 'Content-Length: 0') }]);
  assert.deepEqual(summary(r), ['1 GET /1 - 0/0 [lost_sync]', '2 GET /2 200 0/0']);

  // Both directions picked up after a loss: the first response read answers the request before it.
  r = run([{ gapC: 100 }, { gapS: 100 }, { c: req('GET', '/11') }, { s: resp(200, 'OK', 'Content-Length: 0') }]);
  assert.deepEqual(summary(r), ['1 GET /11 200 0/0']);

  r = run([{ c: req('GET', '/1') }, { gapC: 50 }, { c: 'junk' + req('GET', '/3') }, { s: resp(200, 'OK', 'Content-Length: 0') }]);
  assert.deepEqual(summary(r), ['1 GET /1 200 0/0']); // /3 was not at a segment start or after an LF: not found
});

test('too many pipelined requests: the oldest is logged without waiting', () => {
  const many = Array.from({ length: MAX_PENDING + 3 }, (_, i) => req('GET', `/${i}`)).join('');
  const r = run([{ c: many }]);
  assert.equal(r.records.length, MAX_PENDING + 3);
  assert.deepEqual(r.records.slice(0, 3).map((x) => x.anomalies), [['pending_overflow'], ['pending_overflow'], ['pending_overflow']]);
  assert.deepEqual(r.records[3]!.anomalies, []);
});

test('an oversized head: what fits is logged, the direction resynchronises', () => {
  const r = run([
    { c: `GET /big HTTP/1.1\r\nX-Pad: ${'p'.repeat(MAX_HEAD_BYTES)}\r\n\r\n` },
    { c: req('GET', '/next') },
    { s: resp(200, 'OK', 'Content-Length: 0') + resp(200, 'OK', 'Content-Length: 0') },
  ]);
  assert.deepEqual(summary(r), ['1 GET /big 200 0/0 [oversized_head,truncated_head]', '2 GET /next 200 0/0']);
});

test('malformed chunked coding: the response is logged, framing resynchronises', () => {
  const r = run([
    { c: req('GET', '/1') },
    { s: resp(200, 'OK', 'Transfer-Encoding: chunked') + 'zz\r\nwhatever\r\n' },
    { c: req('GET', '/2') },
    { s: resp(200, 'OK', 'Content-Length: 0') },
  ]);
  assert.deepEqual(summary(r), ['1 GET /1 200 0/0 [bad_chunk_size]', '2 GET /2 200 0/0']);
});

test('leading empty lines between messages are skipped and noted', () => {
  const r = run([{ c: `\r\n${req('GET', '/x')}` }, { s: resp(200, 'OK', 'Content-Length: 0') }]);
  assert.deepEqual(summary(r), ['1 GET /x 200 0/0 [leading_blank_line]']);
});
