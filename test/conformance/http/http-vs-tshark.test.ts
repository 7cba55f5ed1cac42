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
 * same way and ordered by time and trans_depth. The n-th request of a connection is compared with the n-th. A
 * response is compared through tshark's pairing (http.request_in): the response tshark pairs with the connection's
 * k-th request is compared with the response (final, or interim for a 1xx) of the record of medtap's k-th request,
 * so a pairing that differs shows as differing values; responses tshark pairs with no request are then compared in
 * order with medtap's responses not yet compared.
 *
 * A field counts as compared when either side has a value (start-line fields always). Every field must agree on
 * ≥ 99 % and every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences): the baseline holds reductions made by the generator (query names only, Basic
 * user only, schemes, header names, cookie counts, the Referer's host); medtap's values are reduced the same way
 * here where its record keeps more (the query part of `uri` is compared with tshark's query names, the path with
 * tshark's path). tshark dissects the UPnP GENA methods (NOTIFY, SUBSCRIBE, UNSUBSCRIBE) as notifications, with no
 * http.request.line: their header names are not compared.
 */
import { strict as assert } from 'node:assert';
import { after, test } from 'node:test';
import { type TsharkFrame, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { connKey, type HttpLogRecord, ingestHttpRecords, ourConnections } from './medtap-http.js';
import { frameAccessor, loadTsharkHttp, type TsharkHttpCapture } from './tshark-http.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: HttpLogRecord;
  t: TsharkFrame;
}

/** Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {
  'folded-header-lines': {
    fields: ['request_headers', 'response_headers'],
    reason: 'obsolete line folding (RFC 9112 §5.2): tshark lists each continuation line as a header line of its own; ' +
      'medtap joins it to the header it continues (anomaly folded_header), so tshark has extra names starting with SP/HT',
    applies: ({ ours, oursValue, theirsValue }) => ours.anomalies.includes('folded_header') &&
      theirsValue.split(US).filter((n) => !/^(\\t| )/.test(n)).join(US) === oursValue,
  },
};

const US = '\u001f';
/** The UPnP GENA methods tshark dissects as notifications (http.notification) rather than requests. */
const GENA_METHODS = new Set(['NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE']);
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
  // tshark lists no header lines for a notification (NOTIFY, SUBSCRIBE, UNSUBSCRIBE): nothing to compare.
  if (!GENA_METHODS.has(r.method ?? '') || t.get('http.request.line:names') !== '') {
    c('request_headers', r.request_headers.join(US), t.get('http.request.line:names'), true);
  }
  c('cookie_count', r.cookie_count > 0 ? String(r.cookie_count) : '', t.get('http.cookie_pair:count'));
  c('auth_scheme', str(r.auth_scheme), t.first('http.authorization:scheme'));
  c('auth_basic_user', r.auth_scheme === 'Basic' ? str(r.auth_user) : '', t.first('http.authbasic:user'));
  c('auth_digest_user', r.auth_scheme === 'Digest' ? str(r.auth_user) : '', t.first('http.authorization:digest_user'));
  const ntlm = r.auth_scheme === 'NTLM' || r.auth_scheme === 'Negotiate';
  c('auth_ntlm_user', ntlm ? str(r.auth_user) : '', t.first('ntlmssp.auth.username'));
  c('auth_ntlm_domain', ntlm ? str(r.auth_domain) : '', t.first('ntlmssp.auth.domain'));
  c('auth_ntlm_host', ntlm ? str(r.auth_host) : '', t.first('ntlmssp.auth.hostname'));
}

function compareResponse(capture: string, frame: number, r: HttpLogRecord, interim: boolean, t: TsharkFrame): void {
  const ctx = { capture, frame, ours: r, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  if (interim) {
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
}

/** Compares one connection's messages; counts what one side has and the other lacks. */
function compareConnection(capture: string, cap: TsharkHttpCapture, key: string, theirs: TsharkConnection | undefined, ours: readonly HttpLogRecord[]): void {
  const tReq = theirs?.requests ?? [];
  const oReq = ours.filter((r) => r.method !== null);
  for (let i = 0; i < Math.max(tReq.length, oReq.length); i++) {
    const t = tReq[i];
    const o = oReq[i];
    if (t !== undefined) agreement.tsharkFrames++;
    if (t !== undefined && o !== undefined) {
      agreement.matched++;
      compareRequest(capture, t.frame, o, t.t);
    } else if (t !== undefined) agreement.missingUnexplained.push(`${capture} ${key} request ${i + 1} (frame ${t.frame})`);
    else extraMessage(capture, key, `request ${i + 1}: ${o!.method} ${o!.uri}`, { r: o!, response: false, cap });
  }
  // Responses are matched through tshark's pairing: the one whose http.request_in is the connection's k-th request
  // is compared with the response of medtap's k-th request (a wrong pairing shows as differing values). Those tshark
  // pairs with no request are then compared, in order, with medtap's responses not yet compared.
  const tOrdinal = new Map(tReq.map((m, i) => [String(m.frame), i]));
  const used = new Set<string>();
  const slot = (r: HttpLogRecord, interim: boolean): string => `${r.trans_depth} ${interim}`;
  const has = (r: HttpLogRecord | undefined, interim: boolean): r is HttpLogRecord =>
    r !== undefined && !used.has(slot(r, interim)) && (interim ? r.info_code !== null : r.status_code !== null);
  const responses = theirs?.responses ?? [];
  const paired = responses.filter((m) => tOrdinal.has(m.t.get('http.request_in')));
  const unpaired = responses.filter((m) => !tOrdinal.has(m.t.get('http.request_in')));
  for (const m of [...paired, ...unpaired]) {
    agreement.tsharkFrames++;
    const code = m.t.get('http.response.code');
    const interim = code.startsWith('1') && code !== '101';
    const k = tOrdinal.get(m.t.get('http.request_in'));
    const r = k !== undefined ? oReq[k] : ours.find((x) => has(x, interim));
    if (!has(r, interim)) {
      agreement.missingUnexplained.push(`${capture} ${key} response ${code} to request ${k === undefined ? '(none)' : k + 1} (frame ${m.frame})`);
      continue;
    }
    used.add(slot(r, interim));
    agreement.matched++;
    compareResponse(capture, m.frame, r, interim, m.t);
  }
  for (const r of ours) {
    if (r.info_code !== null && !used.has(slot(r, true))) extraMessage(capture, key, `interim response ${r.info_code} (exchange ${r.trans_depth})`, { r, response: true, cap });
    if (r.status_code !== null && !used.has(slot(r, false))) extraMessage(capture, key, `response ${r.status_code} (exchange ${r.trans_depth})`, { r, response: true, cap });
  }
}

/** A message medtap has and tshark does not show: the record, whether it is its response, and the capture. */
interface ExtraMessage {
  r: HttpLogRecord;
  response: boolean;
  cap: TsharkHttpCapture;
}

/**
 * Why tshark may show no message where medtap has one. tshark shows a message on the frame that completes it, body
 * included, and tshark 4.0 reassembles TCP in order only (tcp.reassemble_out_of_order is off by default).
 */
const EXTRA_REASONS: Record<string, (e: ExtraMessage) => boolean> = {
  'body incomplete in the capture (truncated_body, gap): tshark shows a message only once its body is complete': ({ r }) =>
    r.anomalies.includes('truncated_body') || r.anomalies.includes('gap'),
  'TCP segments out of order, retransmitted or after a lost segment in that direction (tcp_disorder): medtap reassembles them, tshark 4.0 does not': ({ r, response, cap }) =>
    cap.tcp_disorder.includes(response ? connKey(r.dst_ip, r.dst_port, r.src_ip, r.src_port) : connKey(r.src_ip, r.src_port, r.dst_ip, r.dst_port)),
};

/** Extra messages by reason; those with no reason are listed. */
const extraByReason = new Map<string, number>();

/** Records a message medtap has and tshark does not show. */
function extraMessage(capture: string, key: string, what: string, e: ExtraMessage): void {
  agreement.extra++;
  const reason = Object.entries(EXTRA_REASONS).find(([, f]) => f(e))?.[0];
  if (reason !== undefined) extraByReason.set(reason, (extraByReason.get(reason) ?? 0) + 1);
  else agreement.extraDetail.push(`${capture} ${key} ${what} [${e.r.anomalies.join(',')}]`);
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkHttp();
const accessor = frameAccessor(doc);

testEachCapture('http vs tshark', doc.captures, 'tshark-http.json', 'test/conformance/http/README.md', async (rel, cap, path) => {
  agreement.captures++;
  const theirs = tsharkConnections(cap, accessor);
  const ours = ourConnections(await ingestHttpRecords(path));
  for (const key of new Set([...theirs.keys(), ...ours.keys()])) compareConnection(rel, cap, key, theirs.get(key), ours.get(key) ?? []);
});

test('http vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('HTTP');
  assert.deepEqual(agreement.extraDetail, [], 'medtap messages tshark does not show, for no known reason');
});

after(() => {
  agreement.printSummary(
    `http vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark HTTP messages, ${agreement.matched} compared, ` +
      `${agreement.missingUnexplained.length} not found, ${agreement.extra} medtap messages tshark does not show, ${agreement.elapsed()} s`,
    [...extraByReason].map(([reason, n]) => `  ${n} medtap messages tshark does not show: ${reason}`),
  );
});
