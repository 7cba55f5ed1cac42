/**
 * Generate test/conformance/http/tshark-http.json: tshark's HTTP field values for every HTTP/1.x request and
 * response carried over TCP in every capture of the shared corpus that holds one, so the HTTP analyzer can be
 * compared with tshark message by message without running tshark at test time
 * (test/conformance/http/http-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-http-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/http/tshark-http.json] [--jobs 2] [--only SUBSTRING]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) is probed with
 * `tshark -n -r F -Y 'tcp && (http.request || http.response)' -T fields -e frame.number` (stopped at its first
 * output line). The manifest's `protocols` column is not used: it lists `http` for captures where tshark finds it
 * only over UDP (SSDP) and misses captures with HTTP on TCP.
 *
 * Per selected capture F it runs tshark once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR: every dissector preference at
 * its default, TCP and HTTP reassembly included, so a message's fields sit on the frame that completes it):
 *   tshark -n -r F -Y 'tcp && (http.request || http.response)' -T fields -E header=n -E separator=/t
 *     -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F (header lines hold commas). Field names were checked against
 * `tshark -G fields` of TShark 4.0.17.
 *
 * NO SECRET OR QUERY VALUE IS WRITTEN. Some fields are reduced here, in memory, before anything is stored, and the
 * stored column is named after the reduction (`fields` in the JSON):
 * - http.request.uri → `:path` (up to "?") and `:query_names` (the name of each "&"-separated item that has "=",
 *   an empty string for one that has not, joined with "&"): query values can carry patient identifiers;
 * - http.authbasic ("user:password") → `:user` (up to the first ":"): the password is never stored;
 * - http.authorization, http.proxy_authorization → `:scheme` (the first token) and, for Digest, `:digest_user`
 *   (the username auth-param); hashes, nonces and tokens are never stored;
 * - http.referer → `:host` (the authority of the URL without userinfo);
 * - http.request.line, http.response.line ("Name: value\r\n" per header) → `:names`;
 * - http.cookie_pair, http.set_cookie → `:count`;
 * - http.www_authenticate, http.proxy_authenticate → `:schemes` (first token of each) and `:realm` (the first
 *   realm="…" parameter).
 * Other values are stored as tshark prints them. The transport context columns every per-frame baseline asks for
 * (FRAME_CONTEXT_FIELDS) are read for the notes but not stored: tshark's expert messages quote whole request lines.
 *
 * A second run per capture lists the directions of connection (`src port > dst port`) holding TCP segments out of
 * order, retransmitted, after a lost segment, or reusing a closed connection's ports:
 *   tshark -n -r F -Y '<DISORDER_FILTER>' -T fields -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport
 * and keeps those of connections that carry HTTP, as `tcp_disorder` (sorted).
 *
 * The JSON stores, per capture, `frames`: frame number -> array of strings in the order of the top-level `fields`
 * array (frame.number itself is the key; trailing empty values dropped), multi-occurrence values joined with U+001F.
 */
import { join, resolve } from 'node:path';
import {
  corpusLabel,
  run,
  FRAME_BASELINE_LAYOUT,
  FRAME_CONTEXT_FIELDS,
  frameBaselineArgs,
  mapConcurrently,
  parseBaselineArgs,
  readFrameFields,
  runScript,
  selectCaptures,
  withTsharkEnvironment,
  writeJsonFile,
} from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const HTTP_AGGREGATOR = '\u001f';

/**
 * The display filter selecting the frames recorded: those completing an HTTP request, response or notification
 * (tshark's name for the UPnP GENA methods NOTIFY, SUBSCRIBE, UNSUBSCRIBE) over TCP.
 */
export const HTTP_FILTER = 'tcp && (http.request || http.response || http.notification)';

/**
 * The TCP segments tshark's in-order reassembly may not use (tshark 4.0 leaves tcp.reassemble_out_of_order off):
 * their direction of connection is recorded in `tcp_disorder`, which explains messages medtap reassembles and
 * tshark does not show.
 */
export const DISORDER_FILTER = 'tcp.analysis.out_of_order || tcp.analysis.retransmission || tcp.analysis.lost_segment || tcp.analysis.reused_ports';

/** The tshark fields asked for, in column order (the first is the frame number, the key). */
const TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  // The connection and direction.
  'tcp.stream',
  'ip.src',
  'ipv6.src',
  'tcp.srcport',
  'ip.dst',
  'ipv6.dst',
  'tcp.dstport',
  // Start lines (RFC 9112 §3, §4).
  'http.request.method',
  'http.request.uri',
  'http.request.version',
  'http.response.version',
  'http.response.code',
  'http.response.phrase',
  // Headers.
  'http.host',
  'http.user_agent',
  'http.server',
  'http.referer',
  'http.content_type',
  'http.content_length',
  'http.transfer_encoding',
  'http.upgrade',
  'http.authbasic',
  'http.authorization',
  'http.proxy_authorization',
  'http.www_authenticate',
  'http.proxy_authenticate',
  'http.cookie_pair',
  'http.set_cookie',
  'http.request.line',
  'http.response.line',
  // Pairing.
  'http.request_in',
  // NTLM inside Authorization (MS-NLMP AUTHENTICATE_MESSAGE).
  'ntlmssp.auth.username',
  'ntlmssp.auth.domain',
  'ntlmssp.auth.hostname',
] as const;

/** A stored column: a tshark field, or a reduction of one (name `field:reduction`), computed from the raw row. */
interface Column {
  name: string;
  value: (get: (field: string) => string[]) => string;
}

const joined = (a: readonly string[]): string => a.join(HTTP_AGGREGATOR);
const first = (a: readonly string[]): string => a[0] ?? '';

/** The query's parameter names (the name of each item that has "="; '' for one that has not), joined with "&". */
function queryNames(uri: string): string {
  const q = uri.indexOf('?');
  if (q < 0) return '';
  return uri.slice(q + 1).split('&').map((item) => (item.includes('=') ? `${item.slice(0, item.indexOf('='))}=` : '')).join('&');
}

/** The authority of an absolute URL without its userinfo, or ''. */
function urlAuthority(url: string): string {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  if (m === null) return '';
  const a = m[1]!;
  return a.slice(a.lastIndexOf('@') + 1);
}

/** The header names of tshark's header lines ("Name: value\r\n"). */
const lineNames = (lines: readonly string[]): string[] => lines.map((l) => l.slice(0, Math.max(0, l.indexOf(':'))).replace(/[ \t]+$/, ''));

const firstToken = (v: string): string => /^\s*([^\s,]+)/.exec(v)?.[1] ?? '';

/** The stored columns, in order. */
const COLUMNS: Column[] = [
  ...TSHARK_FIELDS.filter((f) => f === 'tcp.stream' || TSHARK_FIELDS.indexOf(f) > TSHARK_FIELDS.indexOf('tcp.stream')).filter((f) => !['http.request.uri', 'http.authbasic', 'http.authorization', 'http.proxy_authorization', 'http.referer',
    'http.request.line', 'http.response.line', 'http.cookie_pair', 'http.set_cookie', 'http.www_authenticate', 'http.proxy_authenticate'].includes(f))
    .map((f) => ({ name: f, value: (get: (field: string) => string[]) => joined(get(f)) })),
  { name: 'http.request.uri:path', value: (get) => joined(get('http.request.uri').map((u) => u.split('?')[0]!)) },
  { name: 'http.request.uri:query_names', value: (get) => joined(get('http.request.uri').map(queryNames)) },
  { name: 'http.authbasic:user', value: (get) => joined(get('http.authbasic').map((v) => v.slice(0, v.includes(':') ? v.indexOf(':') : 0))) },
  { name: 'http.authorization:scheme', value: (get) => joined([...get('http.authorization'), ...get('http.proxy_authorization')].map(firstToken)) },
  {
    name: 'http.authorization:digest_user',
    value: (get) => joined(get('http.authorization').map((v) => /^\s*Digest\b.*?\busername\s*=\s*"([^"]*)"/i.exec(v)?.[1] ?? '')),
  },
  { name: 'http.referer:host', value: (get) => joined(get('http.referer').map(urlAuthority)) },
  { name: 'http.request.line:names', value: (get) => joined(lineNames(get('http.request.line'))) },
  { name: 'http.response.line:names', value: (get) => joined(lineNames(get('http.response.line'))) },
  { name: 'http.cookie_pair:count', value: (get) => (get('http.cookie_pair').length > 0 ? String(get('http.cookie_pair').length) : '') },
  { name: 'http.set_cookie:count', value: (get) => (get('http.set_cookie').length > 0 ? String(get('http.set_cookie').length) : '') },
  { name: 'http.www_authenticate:schemes', value: (get) => joined([...get('http.www_authenticate'), ...get('http.proxy_authenticate')].map(firstToken)) },
  {
    name: 'http.www_authenticate:realm',
    value: (get) => first([...get('http.www_authenticate'), ...get('http.proxy_authenticate')].map((v) => /\brealm\s*=\s*"([^"]*)"/i.exec(v)?.[1] ?? '').filter((r) => r !== '')),
  },
];

/** The stored column names, frame.number first. */
export const HTTP_BASELINE_FIELDS = ['frame.number', ...COLUMNS.map((c) => c.name)];

const TSHARK_ARGS = frameBaselineArgs(HTTP_FILTER, TSHARK_FIELDS, HTTP_AGGREGATOR);

/** One capture in the output. */
interface HttpCaptureEntry {
  sha256: string;
  size: number;
  selected_by: string;
  http_messages: number;
  /** Directions of HTTP connections ("src port > dst port") with TCP segments tshark's reassembly may skip. */
  tcp_disorder: string[];
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

/** The raw row of one frame → the stored row (reductions applied; trailing empty values dropped). */
function storedRow(raw: readonly string[]): string[] {
  const index = new Map<string, number>(TSHARK_FIELDS.map((f, i) => [f, i - 1]));
  const get = (f: string): string[] => {
    const v = raw[index.get(f)!] ?? '';
    return v === '' ? [] : v.split(HTTP_AGGREGATOR);
  };
  const row = COLUMNS.map((c) => c.value(get));
  while (row.length > 0 && row[row.length - 1] === '') row.pop();
  return row;
}

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<HttpCaptureEntry> {
  const c = await readFrameFields(root, name, TSHARK_ARGS, env, HTTP_AGGREGATOR, []);
  const frames: Record<string, string[]> = {};
  let messages = 0;
  let multi = 0;
  for (const [num, raw] of Object.entries(c.frames)) {
    frames[num] = storedRow(raw);
    const n = (raw[TSHARK_FIELDS.indexOf('http.request.method') - 1] ?? '').split(HTTP_AGGREGATOR).filter((x) => x !== '').length +
      (raw[TSHARK_FIELDS.indexOf('http.response.code') - 1] ?? '').split(HTTP_AGGREGATOR).filter((x) => x !== '').length;
    messages += n;
    if (n > 1) multi++;
  }
  const conns = new Set<string>();
  const ip = (v4: number, v6: number, row: readonly string[]): string => row[v4] || row[v6] || '';
  const col = (f: string): number => TSHARK_FIELDS.indexOf(f as (typeof TSHARK_FIELDS)[number]) - 1;
  for (const raw of Object.values(c.frames)) {
    const a = `${ip(col('ip.src'), col('ipv6.src'), raw)} ${raw[col('tcp.srcport')]}`;
    const b = `${ip(col('ip.dst'), col('ipv6.dst'), raw)} ${raw[col('tcp.dstport')]}`;
    conns.add(`${a} > ${b}`).add(`${b} > ${a}`);
  }
  const d = await run('tshark', ['-n', '-r', join(root, name), '-Y', DISORDER_FILTER, '-T', 'fields',
    '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.dstport'], env);
  const disorder = new Set<string>();
  for (const line of d.stdout.split('\n')) {
    const v = line.split('\t');
    if (v.length < 6) continue;
    const k = `${v[0] || v[1]} ${v[2]} > ${v[3] || v[4]} ${v[5]}`;
    if (conns.has(k)) disorder.add(k);
  }
  const notes: string[] = [];
  if (multi > 0) notes.push(`multi-message: ${multi} frames complete more than one HTTP message (their fields are aggregated)`);
  if (c.context.malformed > 0) notes.push(`malformed: ${c.context.malformed} HTTP frames flagged "Malformed Packet" by tshark`);
  return {
    sha256: c.sha256, size: c.size, selected_by: selectedBy, http_messages: messages, tcp_disorder: [...disorder].sort(), notes,
    tshark_error: c.tsharkError, frames,
  };
}

async function main(): Promise<void> {
  const args = { ...parseBaselineArgs(process.argv.slice(2), 'test/conformance/http/tshark-http.json', false), probeAll: true };
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, [], HTTP_FILTER, 'HTTP over TCP', env);
    const captures: Record<string, HttpCaptureEntry> = {};
    await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.http_messages} HTTP messages${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });
    const doc = {
      generator: 'scripts/make-http-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      selection: `every *.pcap/*.pcapng probed with: tshark -n -r F -Y '${HTTP_FILTER}' -T fields -e frame.number (first line)`,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, TCP/HTTP reassembly on)',
      commands: [`tshark -n -r F -Y '${DISORDER_FILTER}' -T fields -e ip.src -e ipv6.src -e tcp.srcport -e ip.dst -e ipv6.dst -e tcp.dstport`,
        `tshark -r F ${TSHARK_ARGS.map((a) => (a.includes(HTTP_AGGREGATOR) ? `"aggregator=$(printf '\\037')"` : /[\s,|&()]/.test(a) ? `'${a}'` : a)).join(' ')}`],
      reductions: 'columns named field:reduction are computed from the tshark field before storage (see the generator): no query value, password, token or cookie is stored',
      format: 'captures[path].frames[frame.number] = strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`',
      aggregator: HTTP_AGGREGATOR,
      fields: HTTP_BASELINE_FIELDS,
      totals: { captures: selected.length, http_messages: Object.values(captures).reduce((a, c) => a + c.http_messages, 0) },
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.http_messages} HTTP messages, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
