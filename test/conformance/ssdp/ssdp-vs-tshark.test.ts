/**
 * Conformance: src/protocols/ssdp/parser.ts against tshark 4.0's SSDP dissector (the HTTP dissector on UDP 1900),
 * field by field, over every SSDP frame of every capture in ../shared/corpus that holds SSDP (tshark-ssdp.json, from
 * scripts/make-ssdp-baselines.ts).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 1900 on either side is parsed with parseSsdp, keyed by its 1-based frame
 * number, and compared with tshark's values for the same frame. A field counts as compared on a frame when either
 * side has a value (start-line fields always do). At the end one line per field gives compared / equal; every field
 * must agree on ≥ 99 % of its comparisons and every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - tshark 4.0 has no ssdp.* fields. HOST, SERVER, LOCATION, USER-AGENT and CACHE-CONTROL have http.* fields; the
 *   SSDP headers (ST, NT, NTS, USN, MAN, MX, *.UPNP.ORG) are read from tshark's whole header lines: every header line
 *   of a request is an `http.request.line` and of a response an `http.response.line`; a NOTIFY is a "notification"
 *   to tshark, whose headers HTTP does not know are `http.unknown_header`. A line is "NAME: value\r\n" with tshark's
 *   `\r\n` escape; it is split at the first ":" and the value trimmed, as RFC 7230 §3.2 reads it.
 * - `headers`: for a request or response tshark's lines are all the headers, compared in order as "name: value";
 *   for a NOTIFY only the unknown ones are listed, so medtap's headers are compared after keeping those whose name
 *   tshark lists as unknown.
 * - `max_age` is read from tshark's http.cache_control by the same rule (RFC 7234 §5.2.2.8).
 */
import { after, test } from 'node:test';
import { parseSsdp, type SsdpMessage } from '../../../src/protocols/ssdp/parser.js';
import { readUdpFrames, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { frameAccessor, loadTsharkSsdp, type TsharkSsdpFrame } from './tshark-ssdp.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: SsdpMessage;
  t: TsharkSsdpFrame;
}

/**
 * Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test.
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

/** Frames tshark has and medtap does not reach, with the reason. */
const MISSING_REASONS: Record<string, string> = {
  'undecoded-tunnel': 'SSDP inside a tunnel medtap does not decapsulate: tshark shows two UDP layers',
  'ip-fragment': 'SSDP in a fragmented IPv4 datagram: medtap parses no fragment (tshark reassembles)',
};

// ---------------------------------------------------------------------------------------------------------------

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, MISSING_REASONS);

const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** One header line of tshark ("NAME: value\r\n", escaped) as [name, trimmed value]. */
function splitLine(line: string): [string, string] {
  const l = line.endsWith('\\r\\n') ? line.slice(0, -4) : line.endsWith('\\n') ? line.slice(0, -2) : line;
  const colon = l.indexOf(':');
  if (colon < 0) return [l, ''];
  return [l.slice(0, colon).replace(/[ \t]+$/, ''), l.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '')];
}

/** tshark's header lines of a frame, and whether they are all the headers (request/response) or the unknown ones. */
function tsharkHeaders(t: TsharkSsdpFrame): { lines: [string, string][]; complete: boolean } {
  const all = [...t.list('http.request.line'), ...t.list('http.response.line')];
  if (all.length > 0) return { lines: all.map(splitLine), complete: true };
  return { lines: t.list('http.unknown_header').map(splitLine), complete: false };
}

/** The max-age directive of a Cache-Control value, '' when absent (RFC 7234 §5.2.2.8). */
function maxAge(cc: string): string {
  const m = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?\s*(?:,|$)/i.exec(cc);
  return m === null ? '' : String(Number(m[1]));
}

function compareFrame(capture: string, frame: number, m: SsdpMessage, t: TsharkSsdpFrame): void {
  const ctx = { capture, frame, ours: m, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  const method = t.get('http.request.method');
  const code = t.get('http.response.code');
  const theirKind = method === 'M-SEARCH' ? 'search' : method === 'NOTIFY' ? 'notify' : code !== '' ? 'response' : method !== '' ? 'other' : '';

  c('kind', m.kind, theirKind, true);
  c('method', str(m.method), method);
  c('request_target', str(m.request_target), t.get('http.request.uri'));
  c('http_version', m.http_version, t.get('http.request.version') || t.get('http.response.version'), true);
  c('status_code', str(m.status_code), code);
  c('reason', str(m.reason), t.get('http.response.phrase'));
  c('host', str(m.host), t.first('http.host'));
  c('server', str(m.server), t.first('http.server'));
  c('location', str(m.location), t.first('http.location'));
  c('user_agent', str(m.user_agent), t.first('http.user_agent'));
  c('cache_control', str(m.cache_control), t.first('http.cache_control'));
  c('max_age', str(m.max_age), maxAge(t.first('http.cache_control')));

  const { lines, complete } = tsharkHeaders(t);
  const header = (name: string): string => lines.find(([n]) => n.toLowerCase() === name)?.[1] ?? '';
  c('st', str(m.st), header('st'));
  c('nt', str(m.nt), header('nt'));
  c('nts', str(m.nts), header('nts'));
  c('usn', str(m.usn), header('usn'));
  c('man', str(m.man), header('man'));
  c('mx', str(m.mx), header('mx'));
  c('bootid', str(m.bootid), header('bootid.upnp.org'));
  c('configid', str(m.configid), header('configid.upnp.org'));
  c('searchport', str(m.searchport), header('searchport.upnp.org'));

  const unknown = new Set(lines.map(([n]) => n));
  const ours = complete ? m.headers : m.headers.filter((h) => unknown.has(h.name));
  c('headers', ours.map((h) => `${h.name}: ${h.value}`).join('\u001f'), lines.map(([n, v]) => `${n}: ${v}`).join('\u001f'), true);
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkSsdp();
const accessor = frameAccessor(doc);

testEachCapture('ssdp vs tshark', doc.captures, 'tshark-ssdp.json', 'test/conformance/ssdp/README.md', (rel, cap, path) => {
  agreement.captures++;
  // A UDP datagram with port 1900 on either side, parsed as SSDP.
  const { parsed: ssdp, fragments } = readUdpFrames(path, [1900], (p) => parseSsdp(p.pktBuf, p.payloadOff, p.payloadLen));
  for (const [num, row] of Object.entries(cap.frames)) {
    const frame = Number(num);
    const t = accessor(row);
    agreement.tsharkFrames++;
    const r = ssdp.get(frame);
    if (r === undefined) {
      agreement.frameMissing(rel, frame, t, fragments);
      continue;
    }
    if (!r.ok) {
      agreement.parseErrors.push(`${rel} frame ${frame}: ${r.error}`);
      continue;
    }
    agreement.matched++;
    compareFrame(rel, frame, r.value, t);
  }
  agreement.extraFrames(rel, ssdp, cap.frames, (r) => (r.ok ? `parsed (${r.value.kind})` : r.error));
});

test('ssdp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('SSDP');
});

after(() => {
  agreement.printSummary(
    `ssdp vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark SSDP frames, ${agreement.matched} compared, ` +
      `${agreement.notReached()}, ${agreement.extra} UDP 1900 datagrams tshark does not call SSDP, ${agreement.elapsed()} s`,
  );
});
