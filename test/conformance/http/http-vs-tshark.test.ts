/**
 * Conformance: the HTTP analyzer (src/protocols/http/) against tshark 4.0's HTTP dissector, message by message,
 * over every HTTP/1.x request and response carried over TCP in ../shared/corpus (tshark-http.json, from
 * scripts/make-http-baselines.ts).
 *
 * medtap's side is the real pipeline: each capture is ingested in-process (`ingest` with `logDir`, as
 * `medtap ingest --log-dir` does: decoding, flows, TCP reassembly, analyzer dispatch by port and by content) and its
 * http.jsonl records are read back. Each record is one exchange (a request and its response).
 *
 * Matching: tshark's messages are grouped by connection (client address and port → server address and port; a
 * request's frame goes from the client, a response's to it) and ordered by frame; medtap's records are grouped the
 * same way and ordered by time and trans_depth. The n-th request of a connection is compared with the n-th, and the
 * n-th response with the n-th, where medtap's responses are each record's interim (1xx) response, if any, then its
 * final one. `paired_request` checks the pairing: tshark's http.request_in as the ordinal of that request in its
 * connection, against the ordinal of the record's own request.
 *
 * A field counts as compared when either side has a value (start-line fields always). Every field must agree on
 * ≥ 99 % and every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences): the baseline holds reductions made by the generator (query names only, Basic
 * user only, schemes, header names, cookie counts, the Referer's host); medtap's values are reduced the same way
 * here where its record keeps more (the query part of `uri` is compared with tshark's query names, the path with
 * tshark's path).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingest } from '../../../src/ingest/ingest.js';
import { SqliteStore } from '../../../src/inventory/sqlite-store.js';
import type { HttpTransaction } from '../../../src/protocols/http/transaction.js';
import { type TsharkFrame, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { frameAccessor, loadTsharkHttp, type TsharkHttpCapture } from './tshark-http.js';

/** An http.jsonl line. */
interface HttpLogRecord extends HttpTransaction {
  ts: string;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
}

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: HttpLogRecord;
  t: TsharkFrame;
}

/** Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

const US = '\u001f';
const agreement = new FieldAgreement<DiffContext>(KNOWN_DIFFERENCES, {});

const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** One tshark message: its frame and values. */
interface TsharkMessage {
  frame: number;
  t: TsharkFrame;
}

/** tshark's messages of one connection, in frame order. */
interface TsharkConnection {
  requests: TsharkMessage[];
  responses: TsharkMessage[];
}

/** Connection key: client address, port → server address, port. */
const connKey = (cIp: string, cPort: string | number, sIp: string, sPort: string | number): string => `${cIp} ${cPort} > ${sIp} ${sPort}`;

/** tshark's messages grouped by connection. */
function tsharkConnections(cap: TsharkHttpCapture, accessor: (row: string[]) => TsharkFrame): Map<string, TsharkConnection> {
  const conns = new Map<string, TsharkConnection>();
  const conn = (k: string): TsharkConnection => {
    let c = conns.get(k);
    if (c === undefined) conns.set(k, (c = { requests: [], responses: [] }));
    return c;
  };
  const frames = Object.keys(cap.frames).map(Number).sort((a, b) => a - b);
  for (const frame of frames) {
    const t = accessor(cap.frames[String(frame)]!);
    const src = t.get('ip.src') || t.get('ipv6.src');
    const dst = t.get('ip.dst') || t.get('ipv6.dst');
    const sp = t.get('tcp.srcport');
    const dp = t.get('tcp.dstport');
    if (t.get('http.request.method') !== '') conn(connKey(src, sp, dst, dp)).requests.push({ frame, t });
    if (t.get('http.response.code') !== '') conn(connKey(dst, dp, src, sp)).responses.push({ frame, t });
  }
  return conns;
}

/** medtap's records grouped by connection, each in time then trans_depth order. */
function ourConnections(records: readonly HttpLogRecord[]): Map<string, HttpLogRecord[]> {
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

/** A response of medtap's side: an exchange's interim (1xx) or final response. */
interface OurResponse {
  record: HttpLogRecord;
  interim: boolean;
}

function compareRequest(capture: string, frame: number, r: HttpLogRecord, t: TsharkFrame): void {
  const ctx = { capture, frame, ours: r, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  const uri = r.uri ?? '';
  const q = uri.indexOf('?');
  c('method', str(r.method), t.get('http.request.method'), true);
  c('uri_path', q < 0 ? uri : uri.slice(0, q), t.get('http.request.uri:path'), true);
  c('uri_query_names', q < 0 ? '' : uri.slice(q + 1), t.get('http.request.uri:query_names'));
  c('version', str(r.version), t.get('http.request.version'), true);
  c('host', str(r.host), t.first('http.host'));
  c('user_agent', str(r.user_agent), t.first('http.user_agent'));
  c('referrer_host', str(r.referrer_host), t.first('http.referer:host'));
  c('request_content_type', str(r.request_content_type), t.first('http.content_type'));
  c('request_content_length', str(r.request_content_length), t.first('http.content_length'));
  c('request_headers', r.request_headers.join(US), t.get('http.request.line:names'), true);
  c('cookie_count', r.cookie_count > 0 ? String(r.cookie_count) : '', t.get('http.cookie_pair:count'));
  c('auth_scheme', str(r.auth_scheme), t.first('http.authorization:scheme'));
  c('auth_basic_user', r.auth_scheme === 'Basic' ? str(r.auth_user) : '', t.first('http.authbasic:user'));
  c('auth_digest_user', r.auth_scheme === 'Digest' ? str(r.auth_user) : '', t.first('http.authorization:digest_user'));
  const ntlm = r.auth_scheme === 'NTLM' || r.auth_scheme === 'Negotiate';
  c('auth_ntlm_user', ntlm ? str(r.auth_user) : '', t.first('ntlmssp.auth.username'));
  c('auth_ntlm_domain', ntlm ? str(r.auth_domain) : '', t.first('ntlmssp.auth.domain'));
  c('auth_ntlm_host', ntlm ? str(r.auth_host) : '', t.first('ntlmssp.auth.hostname'));
}

function compareResponse(capture: string, frame: number, o: OurResponse, t: TsharkFrame, pairedTheirs: string, pairedOurs: string): void {
  const r = o.record;
  const ctx = { capture, frame, ours: r, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  if (o.interim) {
    c('status_code', str(r.info_code), t.get('http.response.code'), true);
    c('reason', str(r.info_reason), t.get('http.response.phrase'));
    return;
  }
  c('status_code', str(r.status_code), t.get('http.response.code'), true);
  c('reason', str(r.reason), t.get('http.response.phrase'));
  c('response_version', str(r.response_version), t.get('http.response.version'), true);
  c('server', str(r.server), t.first('http.server'));
  c('response_content_type', str(r.response_content_type), t.first('http.content_type'));
  c('response_content_length', str(r.response_content_length), t.first('http.content_length'));
  c('response_headers', r.response_headers.join(US), t.get('http.response.line:names'), true);
  c('set_cookie_count', r.set_cookie_count > 0 ? String(r.set_cookie_count) : '', t.get('http.set_cookie:count'));
  c('challenge_schemes', r.challenge_schemes.join(US), t.get('http.www_authenticate:schemes'));
  c('challenge_realm', str(r.challenge_realm), t.get('http.www_authenticate:realm'));
  c('paired_request', pairedOurs, pairedTheirs);
}

/** Compares one connection's messages; counts what one side has and the other lacks. */
function compareConnection(capture: string, key: string, theirs: TsharkConnection | undefined, ours: readonly HttpLogRecord[]): void {
  const tReq = theirs?.requests ?? [];
  const tResp = theirs?.responses ?? [];
  const oReq = ours.filter((r) => r.method !== null);
  const oResp: OurResponse[] = ours.flatMap((r) => [
    ...(r.info_code !== null ? [{ record: r, interim: true }] : []),
    ...(r.status_code !== null ? [{ record: r, interim: false }] : []),
  ]);
  for (let i = 0; i < Math.max(tReq.length, oReq.length); i++) {
    const t = tReq[i];
    const o = oReq[i];
    if (t !== undefined) agreement.tsharkFrames++;
    if (t !== undefined && o !== undefined) {
      agreement.matched++;
      compareRequest(capture, t.frame, o, t.t);
    } else if (t !== undefined) agreement.missingUnexplained.push(`${capture} ${key} request ${i + 1} (frame ${t.frame})`);
    else {
      agreement.extra++;
      agreement.extraDetail.push(`${capture} ${key} request ${i + 1}: ${o!.method} ${o!.uri}`);
    }
  }
  const tOrdinal = new Map(tReq.map((m, i) => [String(m.frame), String(i + 1)]));
  for (let i = 0; i < Math.max(tResp.length, oResp.length); i++) {
    const t = tResp[i];
    const o = oResp[i];
    if (t !== undefined) agreement.tsharkFrames++;
    if (t !== undefined && o !== undefined) {
      agreement.matched++;
      const pairedOurs = o.record.method === null ? '' : String(oReq.indexOf(o.record) + 1);
      compareResponse(capture, t.frame, o, t.t, tOrdinal.get(t.t.get('http.request_in')) ?? '', pairedOurs);
    } else if (t !== undefined) agreement.missingUnexplained.push(`${capture} ${key} response ${i + 1} (frame ${t.frame})`);
    else {
      agreement.extra++;
      agreement.extraDetail.push(`${capture} ${key} response ${i + 1}: ${o!.record.status_code}`);
    }
  }
}

/** medtap's http.jsonl records for a capture, from an in-process ingest with a log directory. */
async function ingestHttpRecords(path: string): Promise<HttpLogRecord[]> {
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

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkHttp();
const accessor = frameAccessor(doc);

testEachCapture('http vs tshark', doc.captures, 'tshark-http.json', 'test/conformance/http/README.md', async (rel, cap, path) => {
  agreement.captures++;
  const theirs = tsharkConnections(cap, accessor);
  const ours = ourConnections(await ingestHttpRecords(path));
  for (const key of new Set([...theirs.keys(), ...ours.keys()])) compareConnection(rel, key, theirs.get(key), ours.get(key) ?? []);
});

test('http vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('HTTP');
});

after(() => {
  agreement.printSummary(
    `http vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark HTTP messages, ${agreement.matched} compared, ` +
      `${agreement.missingUnexplained.length} not found, ${agreement.extra} medtap messages tshark does not show, ${agreement.elapsed()} s`,
  );
});
