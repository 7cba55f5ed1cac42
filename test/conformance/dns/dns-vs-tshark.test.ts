/**
 * Conformance: src/protocols/dns/parser.ts against tshark 4.0's DNS, mDNS and LLMNR dissectors, field by field, over
 * every DNS / mDNS / LLMNR frame carried over UDP in every capture of ../shared/corpus that holds one
 * (tshark-dns.json, from scripts/make-dns-baselines.ts).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 53, 5353 or 5355 on either side is parsed with parseDns, keyed by its
 * 1-based frame number, and compared with tshark's values for the same frame when tshark decoded that frame as DNS,
 * mDNS or LLMNR. A field counts as compared on a frame when either side has a value (header fields always do; a
 * flag only when tshark shows it). List fields (question names, record types, A addresses, …) are compared as the
 * whole list of the frame, in wire order over the answer, authority and additional sections, as tshark lists them.
 * At the end one line per field gives agree / compared; every field must agree on ≥ 99 % of its comparisons and
 * every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - tshark prints the ID, flags word, classes and the EDNS extended RCODE in hex ("0x8180"), medtap numbers.
 * - LLMNR (RFC 4795 §2.1.1): tshark's `conflict` / `tentative` flags are the header bits medtap calls `aa` / `rd`.
 * - UPDATE (opcode 5, RFC 2136 §2.2): tshark names the counts zones / prerequisites / updates.
 * - tshark shows `aa`, `ra` and `rcode` only in responses, and no `rd`, `ra`, `z`, `ad`, `cd` for LLMNR: a flag is
 *   compared only where tshark shows it.
 * - mDNS: tshark splits the top class bit off as `qu` / `cache_flush` (as medtap always does); for DNS and LLMNR it
 *   prints the whole class, compared with medtap's `class | cache_flush << 15`.
 * - OPT: tshark gives no class or TTL for it (they are the payload size and EDNS fields, compared as such).
 * - NSEC and NSEC3 type bitmaps: tshark adds each listed type as one more `dns.resp.type` occurrence right after the
 *   record's own type; medtap's NSEC `types` (and, for NSEC3, kept as raw, the bitmap decoded here) are inserted the
 *   same way.
 * - Text: medtap writes `\xNN` for a raw byte, `\\` for a backslash, `\.` for a dot inside a label and `\uNNNN` for
 *   an invisible code point; tshark prints names with C escapes (`\t`, `\n`, …, `\ooo` octal) and `\uNNNN` (upper
 *   case) and leaves dots and backslashes bare, and gives TXT / HINFO strings unescaped. medtap's text is rewritten
 *   into tshark's form before comparing; the root name "." is tshark's "<Root>".
 * - A name medtap could not decode (null, with anomaly `name_too_long` or `name_pointer_loop`) matches tshark's
 *   "<Name too long>" / "<Name contains a pointer that loops>".
 *
 * A field agrees on a frame when the values are equal after these normalisations, or differ only by a known
 * difference of kind `rendering` (tshark's text is a lossy function of medtap's: U+FFFD for non-UTF-8 bytes,
 * ASCII-only strings). Known differences of kind `data` (the tools kept different content) count against the field.
 */
import { strict as assert } from 'node:assert';
import { after, test } from 'node:test';
import { type DnsMessage, type DnsRecord, parseDns } from '../../../src/protocols/dns/parser.js';
import { readUdpFrames, testEachCapture } from '../corpus-frames.js';
import { frameAccessor, loadTsharkDns, type TsharkDnsFrame } from './tshark-dns.js';

/** Minimum agreement per field. */
const MIN_AGREEMENT = 0.99;
/** UDP ports of DNS, mDNS, LLMNR. */
const DNS_PORTS = new Set([53, 5353, 5355]);

/** Which dissector tshark used. */
type Proto = 'dns' | 'mdns' | 'llmnr';

/** What a known difference sees. */
interface DiffContext {
  /** The compared field (a key of the summary). */
  field: string;
  capture: string;
  frame: number;
  proto: Proto;
  ours: DnsMessage;
  t: TsharkDnsFrame;
  /** The compared values; for list fields the JSON of the lists. */
  oursValue: string;
  theirsValue: string;
  /** For list fields, the lists themselves (null for single values). */
  oursList: string[] | null;
  theirsList: string[] | null;
}

/**
 * A documented reason why medtap and tshark differ on a field, with the rule that recognises it.
 *
 * `rendering`: both read the same bytes, and tshark's text is a function of medtap's value that loses detail
 * (U+FFFD for bytes that are not UTF-8, ASCII-only strings); such comparisons count as agreeing. `data`: the two
 * tools kept different content (one stopped earlier); these count against the field's agreement.
 */
interface KnownDifference {
  kind: 'rendering' | 'data';
  fields: string[];
  reason: string;
  applies(c: DiffContext): boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Text: medtap's escaped text rewritten into tshark's rendering.

/** Private-use code point standing for a raw byte ≥ 0x80 that medtap escaped as `\xNN` (not valid UTF-8). */
const RAW_BYTE_BASE = 0xf780;
const isRawByteMarker = (cp: number): boolean => cp >= RAW_BYTE_BASE && cp < RAW_BYTE_BASE + 0x80;

/** One unit of medtap's escaped text. */
type Unit = { kind: 'char'; text: string } | { kind: 'byte'; value: number } | { kind: 'escaped'; cp: number } | { kind: 'dot' } | { kind: 'backslash' };

/** Splits medtap's escaped text into units. */
function units(s: string): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < s.length;) {
    if (s[i] !== '\\') {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      out.push({ kind: 'char', text: ch });
      i += ch.length;
      continue;
    }
    const k = s[i + 1];
    if (k === 'x') { out.push({ kind: 'byte', value: parseInt(s.slice(i + 2, i + 4), 16) }); i += 4; } else if (k === 'u' && s[i + 2] === '{') {
      const close = s.indexOf('}', i);
      out.push({ kind: 'escaped', cp: parseInt(s.slice(i + 3, close), 16) });
      i = close + 1;
    } else if (k === 'u') { out.push({ kind: 'escaped', cp: parseInt(s.slice(i + 2, i + 6), 16) }); i += 6; } else if (k === '.') { out.push({ kind: 'dot' }); i += 2; } else { out.push({ kind: 'backslash' }); i += 2; }
  }
  return out;
}

const C_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** A name as tshark prints it (raw bytes ≥ 0x80 left as markers, see RAW_BYTE_BASE). */
function tsharkName(name: string | null, anomalies: string[], theirs: string | undefined): string {
  if (name === null) {
    // Which placeholder tshark shows depends on why; accept it when medtap noted the same reason.
    if (theirs === '<Name too long>' && anomalies.includes('name_too_long')) return theirs;
    if (theirs === '<Name contains a pointer that loops>' && anomalies.includes('name_pointer_loop')) return theirs;
    return '<undecodable>';
  }
  if (name === '.') return '<Root>';
  let out = '';
  for (const u of units(name)) {
    if (u.kind === 'char') out += u.text;
    else if (u.kind === 'dot') out += '.';
    else if (u.kind === 'backslash') out += '\\';
    else if (u.kind === 'escaped') out += `\\u${u.cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (u.value >= 0x80) out += String.fromCodePoint(RAW_BYTE_BASE + u.value - 0x80);
    else out += C_ESCAPES[u.value] ?? `\\${u.value.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/** A TXT / HINFO string unescaped (raw bytes ≥ 0x80 left as markers). */
function tsharkString(s: string): string {
  let out = '';
  for (const u of units(s)) {
    if (u.kind === 'char') out += u.text;
    else if (u.kind === 'dot') out += '.';
    else if (u.kind === 'backslash') out += '\\';
    else if (u.kind === 'escaped') out += String.fromCodePoint(u.cp);
    else if (u.value >= 0x80) out += String.fromCodePoint(RAW_BYTE_BASE + u.value - 0x80);
    else out += String.fromCharCode(u.value);
  }
  return out;
}

/** Invalid UTF-8 as tshark shows it: each run of raw bytes becomes U+FFFD (runs collapsed on both sides). */
function replaceInvalid(s: string): string {
  let out = '';
  let inRun = false;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const bad = isRawByteMarker(cp) || cp === 0xfffd;
    if (bad) {
      if (!inRun) out += '\ufffd';
      inRun = true;
    } else {
      out += ch;
      inRun = false;
    }
  }
  return out;
}

/** Text decoded as ASCII the way tshark does for DNS TXT and HINFO: every byte ≥ 0x80 becomes one U+FFFD. */
function asciiOnly(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (isRawByteMarker(cp)) out += '\ufffd';
    else if (cp < 0x80) out += ch;
    else out += '\ufffd'.repeat(Buffer.byteLength(ch, 'utf8'));
  }
  return out;
}

/** A character-string cut at its first NUL, as tshark shows it. */
const cutAtNul = (s: string): string => {
  const i = s.indexOf('\u0000');
  return i < 0 ? s : s.slice(0, i);
};

const sameLists = (a: string[] | null, b: string[] | null): boolean => a !== null && b !== null && a.length === b.length && a.every((x, i) => x === b[i]);
const isPrefix = (a: string[] | null, b: string[] | null): boolean => a !== null && b !== null && a.length <= b.length && a.every((x, i) => x === b[i]);
const malformed = (c: DiffContext): boolean => c.t.all('_ws.expert.message').some((x) => x.startsWith('Malformed Packet'));
/** Every list field (the comparisons that can stop early on either side). */
const LIST_FIELDS = [
  'questions.name', 'questions.qtype', 'questions.qclass', 'questions.unicast_response', 'records.name', 'srv.owner', 'records.type',
  'records.class', 'records.cache_flush', 'records.ttl', 'records.rdlength', 'a', 'aaaa', 'cname', 'ns', 'ptr', 'mx.preference',
  'mx.exchange', 'txt', 'srv.priority', 'srv.weight', 'srv.port', 'srv.target', 'soa.mname', 'soa.rname', 'soa.serial',
  'soa.refresh', 'soa.retry', 'soa.expire', 'soa.minimum', 'hinfo.cpu', 'hinfo.os', 'nsec.next', 'opt.udp_payload_size',
  'opt.extended_rcode', 'opt.version', 'opt.do', 'opt.option_code', 'opt.option_length',
];

// ---------------------------------------------------------------------------------------------------------------

/**
 * Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test.
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {
  'invalid-utf8-replaced': {
    kind: 'rendering',
    fields: ['questions.name', 'records.name', 'cname', 'ns', 'ptr', 'mx.exchange', 'srv.target', 'soa.mname', 'soa.rname', 'nsec.next', 'txt'],
    reason:
      'bytes that are not valid UTF-8 are kept by medtap as \\xNN (one escape per byte, reversible); tshark replaces ' +
      'them with U+FFFD, losing the byte values. Equal once each run of such bytes is one U+FFFD on both sides',
    applies: (c) => sameLists(c.oursList?.map(replaceInvalid) ?? null, c.theirsList?.map(replaceInvalid) ?? null),
  },
  'tshark-ascii-strings': {
    kind: 'rendering',
    fields: ['txt', 'hinfo.cpu', 'hinfo.os'],
    reason:
      'tshark decodes TXT strings of unicast DNS and LLMNR (and HINFO everywhere) as ASCII: every byte >= 0x80 is ' +
      'shown as U+FFFD, valid UTF-8 included; medtap keeps valid UTF-8 as text and other bytes as \\xNN. tshark ' +
      'also stops a string at its first NUL byte, which medtap keeps as \\x00',
    applies: (c) => {
      const utf8 = c.proto === 'mdns' && c.field === 'txt'; // tshark decodes mDNS TXT as UTF-8
      const lossy = (s: string): string => cutAtNul(utf8 ? replaceInvalid(s) : asciiOnly(s));
      return sameLists(c.oursList?.map(lossy) ?? null, c.theirsList?.map((s) => (utf8 ? replaceInvalid(s) : s)) ?? null);
    },
  },
  'max-records-kept': {
    kind: 'data',
    fields: LIST_FIELDS,
    reason:
      'medtap keeps at most MAX_RECORDS (256) entries per section (anomaly too_many_records, the rest are walked over); ' +
      'tshark lists them all. The entries medtap keeps are tshark\'s first ones',
    applies: (c) => c.ours.anomalies.some((a) => a.startsWith('too_many_records:')) && isPrefix(c.oursList, c.theirsList),
  },
  'tshark-gives-up-earlier': {
    kind: 'data',
    fields: LIST_FIELDS,
    reason:
      'on a corrupt message tshark stops at the first exception ("Malformed Packet"), while medtap still walks entries ' +
      'that are well-formed on the wire (e.g. after a name flagged too long); what tshark shows is a prefix of medtap\'s list',
    applies: (c) => malformed(c) && isPrefix(c.theirsList, c.oursList),
  },
  'tshark-reads-past-extended-label': {
    kind: 'data',
    fields: LIST_FIELDS,
    reason:
      'a label of the retired extended type 0x40 (RFC 6891 §5) or reserved type 0x80 hides where the name ends: medtap ' +
      'stops walking (anomaly bad_label_type), tshark prints "<Unknown extended label>" and reads on from the next byte ' +
      '(fuzzed frames of bulk/malcolm__DNS.pcap). What medtap kept is a prefix of tshark\'s list',
    applies: (c) => c.ours.anomalies.some((a) => a.startsWith('bad_label_type:')) && isPrefix(c.oursList, c.theirsList) &&
      [...c.t.all('dns.qry.name'), ...c.t.all('dns.resp.name')].includes('<Unknown extended label>'),
  },
};

/** Frames tshark has and medtap does not compare, with the reason. */
const MISSING_REASONS: Record<string, string> = {
  'non-standard-port':
    'tshark decodes DNS on UDP ports other than 53/5353/5355 (its heuristics and conversation tracking: 8053, a ' +
    'BACnet port 47808, an ephemeral port pair); medtap selects DNS by port only',
  'ip-fragment':
    'the last fragment of a fragmented IP datagram: tshark reassembles it (a large DNS response), medtap\'s decoders ' +
    'do not reassemble IP',
  'undecoded-tunnel': 'DNS inside a tunnel medtap does not decapsulate: tshark shows two UDP layers',
  'short-header':
    'a UDP payload shorter than the 12-byte DNS header: parseDns fails (truncated_header), tshark shows the part of ' +
    'the header there is and flags the frame malformed',
};

// ---------------------------------------------------------------------------------------------------------------

interface FieldTally {
  compared: number;
  /** Identical after the lossless normalisations of the file comment. */
  equal: number;
  /** Matched a `rendering` known difference. */
  rendering: number;
  /** Per known difference (either kind): how many comparisons it explained. */
  known: Map<string, number>;
}
const tally = new Map<string, FieldTally>();
const unexplained: string[] = [];
const frameTally = {
  tshark: 0, matched: 0, missing: new Map<string, number>(), missingUnexplained: [] as string[], extra: 0,
  extraDetail: [] as string[], parseErrors: [] as string[], byProto: new Map<string, number>(),
};
let captures = 0;

function fieldTally(name: string): FieldTally {
  let t = tally.get(name);
  if (!t) {
    t = { compared: 0, equal: 0, rendering: 0, known: new Map() };
    tally.set(name, t);
  }
  return t;
}

type FrameContext = Omit<DiffContext, 'field' | 'oursValue' | 'theirsValue' | 'oursList' | 'theirsList'>;

/** Records one comparison (already decided to take place). */
function record(name: string, oursValue: string, theirsValue: string, oursList: string[] | null, theirsList: string[] | null, ctx: FrameContext): void {
  const t = fieldTally(name);
  t.compared++;
  if (oursValue === theirsValue) {
    t.equal++;
    return;
  }
  const full: DiffContext = { ...ctx, field: name, oursValue, theirsValue, oursList, theirsList };
  for (const [id, k] of Object.entries(KNOWN_DIFFERENCES)) {
    if (k.fields.includes(name) && k.applies(full)) {
      t.known.set(id, (t.known.get(id) ?? 0) + 1);
      if (k.kind === 'rendering') t.rendering++;
      return;
    }
  }
  const show = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}…` : s);
  unexplained.push(`${ctx.capture} frame ${ctx.frame} (${ctx.proto}) ${name}: medtap ${show(oursValue)} tshark ${show(theirsValue)}`);
}

const str = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
const bit = (v: boolean): string => (v ? '1' : '0');
const hexNum = (s: string): string => (s === '' ? '' : String(parseInt(s, 16)));

/** The type list of an NSEC / NSEC3 type bitmap starting at byte `p` of `hex` (RFC 4034 §4.1.2). */
function bitmapTypes(hex: string, p: number): number[] {
  const b = Buffer.from(hex, 'hex');
  const types: number[] = [];
  while (p + 2 <= b.length) {
    const win = b[p]!;
    const len = b[p + 1]!;
    for (let i = 0; i < len && p + 2 + i < b.length; i++) {
      for (let bitNo = 0; bitNo < 8; bitNo++) if ((b[p + 2 + i]! & (0x80 >> bitNo)) !== 0) types.push(win * 256 + i * 8 + bitNo);
    }
    p += 2 + len;
  }
  return types;
}

/** Record types as tshark lists them: each NSEC / NSEC3 record followed by the types of its bitmap. */
function typesWithBitmaps(records: DnsRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    out.push(String(r.type));
    const d = r.rdata;
    if (r.type === 47 && typeof d === 'object' && 'types' in d) out.push(...d.types.map(String));
    if (r.type === 50 && typeof d === 'object' && 'raw' in d && d.raw.length / 2 === r.rdlength) {
      // NSEC3 (RFC 5155 §3.2): algorithm, flags, iterations (2), salt length + salt, hash length + hash, bitmaps.
      const b = Buffer.from(d.raw, 'hex');
      if (b.length >= 5) {
        const saltEnd = 5 + b[4]!;
        if (saltEnd < b.length) out.push(...bitmapTypes(d.raw, saltEnd + 1 + b[saltEnd]!).map(String));
      }
    }
  }
  return out;
}

function compareFrame(capture: string, frame: number, proto: Proto, m: DnsMessage, t: TsharkDnsFrame): void {
  const ctx: FrameContext = { capture, frame, proto, ours: m, t };
  /** A single value, compared when either side has one (or always). */
  const c = (name: string, ours: string, theirs: string, always = false): void => {
    fieldTally(name);
    if (!always && ours === '' && theirs === '') return;
    record(name, ours, theirs, null, null, ctx);
  };
  /** A value compared only where tshark shows the field. */
  const cShown = (name: string, ours: string, field: string): void => {
    fieldTally(name);
    if (!t.has(field)) return;
    record(name, ours, t.get(field), null, null, ctx);
  };
  /** A list, compared when either side is non-empty. */
  const cl = (name: string, ours: string[], theirs: string[]): void => {
    fieldTally(name);
    if (ours.length === 0 && theirs.length === 0) return;
    record(name, JSON.stringify(ours), JSON.stringify(theirs), ours, theirs, ctx);
  };
  const llmnr = proto === 'llmnr';
  const mdns = proto === 'mdns';

  // Header.
  c('id', str(m.id), hexNum(t.get('dns.id')), true);
  const word = (m.qr ? 0x8000 : 0) | (m.opcode << 11) | (m.aa ? 0x400 : 0) | (m.tc ? 0x200 : 0) | (m.rd ? 0x100 : 0) |
    (m.ra ? 0x80 : 0) | (m.z ? 0x40 : 0) | (m.ad ? 0x20 : 0) | (m.cd ? 0x10 : 0) | m.rcode;
  c('flags', str(word), hexNum(t.get('dns.flags')), true);
  cShown('qr', bit(m.qr), 'dns.flags.response');
  cShown('opcode', str(m.opcode), 'dns.flags.opcode');
  cShown('aa', bit(m.aa), llmnr ? 'dns.flags.conflict' : 'dns.flags.authoritative');
  cShown('tc', bit(m.tc), 'dns.flags.truncated');
  cShown('rd', bit(m.rd), llmnr ? 'dns.flags.tentative' : 'dns.flags.recdesired');
  cShown('ra', bit(m.ra), 'dns.flags.recavail');
  cShown('z', bit(m.z), 'dns.flags.z');
  cShown('ad', bit(m.ad), 'dns.flags.authenticated');
  cShown('cd', bit(m.cd), 'dns.flags.checkdisable');
  cShown('rcode', str(m.rcode), 'dns.flags.rcode');
  const count = (a: string, b: string): string => t.get(a) || t.get(b);
  c('qdcount', str(m.qdcount), count('dns.count.queries', 'dns.count.zones'), true);
  c('ancount', str(m.ancount), count('dns.count.answers', 'dns.count.prerequisites'), true);
  c('nscount', str(m.nscount), count('dns.count.auth_rr', 'dns.count.updates'), true);
  c('arcount', str(m.arcount), t.get('dns.count.add_rr'), true);

  // Questions.
  const theirQNames = t.all('dns.qry.name');
  cl('questions.name', m.questions.map((q, i) => tsharkName(q.name, m.anomalies, theirQNames[i])), theirQNames);
  cl('questions.qtype', m.questions.map((q) => String(q.qtype)), t.all('dns.qry.type'));
  cl('questions.qclass', m.questions.map((q) => String(mdns ? q.qclass : q.qclass | (q.unicast_response ? 0x8000 : 0))), t.all('dns.qry.class').map(hexNum));
  fieldTally('questions.unicast_response'); // listed in this order even before the first mDNS frame
  if (mdns) cl('questions.unicast_response', m.questions.map((q) => bit(q.unicast_response)), t.all('dns.qry.qu'));

  // Resource records, all sections in order.
  const rrs = [...m.answers, ...m.authorities, ...m.additionals];
  const notOpt = rrs.filter((r) => r.type !== 41);
  const notSrv = rrs.filter((r) => r.type !== 33);
  const theirRNames = t.all('dns.resp.name');
  cl('records.name', notSrv.map((r, i) => tsharkName(r.name, m.anomalies, theirRNames[i])), theirRNames);
  // SRV owners: tshark splits the printed name at its first two dots (service, proto, name), each part optional.
  const srvParts: [string[], string[], string[]] = [[], [], []];
  for (const r of rrs) {
    if (r.type !== 33) continue;
    const parts = tsharkName(r.name, m.anomalies, undefined).split('.');
    srvParts[0].push(parts[0]!);
    if (parts.length > 1) srvParts[1].push(parts[1]!);
    if (parts.length > 2) srvParts[2].push(parts.slice(2).join('.'));
  }
  cl('srv.owner', srvParts.flatMap((l, i) => l.map((x) => `${i}:${x}`)),
    [t.all('dns.srv.service'), t.all('dns.srv.proto'), t.all('dns.srv.name')].flatMap((l, i) => l.map((x) => `${i}:${x}`)));
  cl('records.type', typesWithBitmaps(rrs), t.all('dns.resp.type'));
  cl('records.class', notOpt.map((r) => String(mdns ? r.class : r.class | (r.cache_flush ? 0x8000 : 0))), t.all('dns.resp.class').map(hexNum));
  // mDNS: tshark also reads the top bit of OPT's class (the payload size) as a cache-flush bit.
  fieldTally('records.cache_flush');
  if (mdns) cl('records.cache_flush', rrs.map((r) => bit(r.type === 41 ? (r.class & 0x8000) !== 0 : r.cache_flush)), t.all('dns.resp.cache_flush'));
  cl('records.ttl', notOpt.map((r) => String(r.ttl)), t.all('dns.resp.ttl'));
  cl('records.rdlength', rrs.map((r) => String(r.rdlength)), t.all('dns.resp.len'));

  // Rdata, per type, in record order (malformed rdata, kept as raw by medtap, is not listed).
  const values = <T>(type: number, pick: (d: T) => string | string[]): string[] => {
    const out: string[] = [];
    for (const r of rrs) {
      const d = r.rdata;
      if (r.type !== type || (typeof d === 'object' && !Array.isArray(d) && 'raw' in d)) continue;
      const v = pick(d as T);
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
    return out;
  };
  const nameList = (type: number, pick: (d: never) => string, field: string, label: string): void => {
    const theirs = t.all(field);
    cl(label, values(type, pick as (d: unknown) => string).map((n, i) => tsharkName(n, m.anomalies, theirs[i])), theirs);
  };
  cl('a', values<string>(1, (d) => d), t.all('dns.a'));
  cl('aaaa', values<string>(28, (d) => d), t.all('dns.aaaa'));
  nameList(5, (d: string) => d, 'dns.cname', 'cname');
  nameList(2, (d: string) => d, 'dns.ns', 'ns');
  nameList(12, (d: string) => d, 'dns.ptr.domain_name', 'ptr');
  cl('mx.preference', values<{ preference: number }>(15, (d) => String(d.preference)), t.all('dns.mx.preference'));
  nameList(15, (d: { exchange: string }) => d.exchange, 'dns.mx.mail_exchange', 'mx.exchange');
  cl('txt', values<string[]>(16, (d) => d.map(tsharkString)), t.all('dns.txt'));
  cl('srv.priority', values<{ priority: number }>(33, (d) => String(d.priority)), t.all('dns.srv.priority'));
  cl('srv.weight', values<{ weight: number }>(33, (d) => String(d.weight)), t.all('dns.srv.weight'));
  cl('srv.port', values<{ port: number }>(33, (d) => String(d.port)), t.all('dns.srv.port'));
  nameList(33, (d: { target: string }) => d.target, 'dns.srv.target', 'srv.target');
  nameList(6, (d: { mname: string }) => d.mname, 'dns.soa.mname', 'soa.mname');
  nameList(6, (d: { rname: string }) => d.rname, 'dns.soa.rname', 'soa.rname');
  type Soa = { serial: number; refresh: number; retry: number; expire: number; minimum: number };
  cl('soa.serial', values<Soa>(6, (d) => String(d.serial)), t.all('dns.soa.serial_number'));
  cl('soa.refresh', values<Soa>(6, (d) => String(d.refresh)), t.all('dns.soa.refresh_interval'));
  cl('soa.retry', values<Soa>(6, (d) => String(d.retry)), t.all('dns.soa.retry_interval'));
  cl('soa.expire', values<Soa>(6, (d) => String(d.expire)), t.all('dns.soa.expire_limit'));
  cl('soa.minimum', values<Soa>(6, (d) => String(d.minimum)), t.all('dns.soa.minimum_ttl'));
  cl('hinfo.cpu', values<{ cpu: string }>(13, (d) => tsharkString(d.cpu)), t.all('dns.hinfo.cpu'));
  cl('hinfo.os', values<{ os: string }>(13, (d) => tsharkString(d.os)), t.all('dns.hinfo.os'));
  nameList(47, (d: { next: string }) => d.next, 'dns.nsec.next_domain_name', 'nsec.next');
  type Opt = { udp_payload_size: number; extended_rcode: number; version: number; do: boolean; options: { code: number; length: number }[] };
  cl('opt.udp_payload_size', values<Opt>(41, (d) => String(mdns ? d.udp_payload_size & 0x7fff : d.udp_payload_size)),
    t.all('dns.rr.udp_payload_size').map((x) => (x.startsWith('0x') ? hexNum(x) : x)));
  cl('opt.extended_rcode', values<Opt>(41, (d) => String(d.extended_rcode)), t.all('dns.resp.ext_rcode').map(hexNum));
  cl('opt.version', values<Opt>(41, (d) => String(d.version)), t.all('dns.resp.edns0_version'));
  cl('opt.do', values<Opt>(41, (d) => bit(d.do)), t.all('dns.resp.z.do'));
  cl('opt.option_code', values<Opt>(41, (d) => d.options.map((o) => String(o.code))), t.all('dns.opt.code'));
  cl('opt.option_length', values<Opt>(41, (d) => d.options.map((o) => String(o.length))), t.all('dns.opt.len'));
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkDns();
const accessor = frameAccessor(doc);
const started = Date.now();

testEachCapture('dns vs tshark', doc.captures, 'tshark-dns.json', 'test/conformance/dns/README.md', (rel, cap, path) => {
  captures++;
  // A UDP datagram with port 53, 5353 or 5355 on either side, parsed as DNS, with its ports for the EXTRA lines;
  // every UDP IP fragment is listed (tshark shows the reassembled datagram on the last one).
  const { parsed: dns, fragments } = readUdpFrames(
    path, [...DNS_PORTS], (p) => ({ result: parseDns(p.pktBuf, p.payloadOff, p.payloadLen), ports: `${p.srcPort}>${p.dstPort}` }), true,
  );
  for (const [num, row] of Object.entries(cap.frames)) {
    const frame = Number(num);
    const t = accessor(row);
    frameTally.tshark++;
    const r = dns.get(frame)?.result;
    if (r === undefined) {
      const sports = t.all('udp.srcport');
      const dports = t.all('udp.dstport');
      const onPort = DNS_PORTS.has(Number(sports[sports.length - 1])) || DNS_PORTS.has(Number(dports[dports.length - 1]));
      const reason = sports.length > 1 ? 'undecoded-tunnel' : fragments.has(frame) ? 'ip-fragment' : !onPort ? 'non-standard-port' : null;
      if (reason !== null && reason in MISSING_REASONS) frameTally.missing.set(reason, (frameTally.missing.get(reason) ?? 0) + 1);
      else frameTally.missingUnexplained.push(`${rel} frame ${frame}${reason ? ` (${reason})` : ''}`);
      continue;
    }
    if (!r.ok) {
      // tshark shows what there is of a header shorter than 12 bytes (and flags it malformed); parseDns rejects it.
      const short = r.error.startsWith('truncated_header') && t.all('_ws.expert.message').some((x) => x.startsWith('Malformed Packet'));
      if (short) frameTally.missing.set('short-header', (frameTally.missing.get('short-header') ?? 0) + 1);
      else frameTally.parseErrors.push(`${rel} frame ${frame}: ${r.error}`);
      continue;
    }
    const proto = (t.get('frame.protocols').split(':').pop() ?? '') as Proto;
    frameTally.matched++;
    frameTally.byProto.set(proto, (frameTally.byProto.get(proto) ?? 0) + 1);
    compareFrame(rel, frame, proto, r.value, t);
  }
  for (const [frame, { result: r, ports }] of dns) {
    if (cap.frames[String(frame)] === undefined) {
      frameTally.extra++;
      frameTally.extraDetail.push(`${rel} frame ${frame} (${ports}): ${r.ok ? `parsed${r.value.anomalies.length ? ` [${r.value.anomalies.slice(0, 3).join(' ')}]` : ''}` : r.error}`);
    }
  }
});

test('dns vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  assert.ok(captures > 0, 'no capture compared');
  assert.deepEqual(frameTally.parseErrors, [], 'tshark DNS frames medtap failed to parse');
  assert.deepEqual(frameTally.missingUnexplained, [], 'tshark DNS frames medtap did not find');
  assert.deepEqual(unexplained, [], 'differences not in KNOWN_DIFFERENCES');
  for (const [name, t] of tally) {
    if (t.compared === 0) continue; // no frame of the corpus carries it (covered by the unit tests only)
    const agree = t.equal + t.rendering;
    assert.ok(agree / t.compared >= MIN_AGREEMENT, `${name}: ${agree}/${t.compared} agree, below ${MIN_AGREEMENT * 100} %`);
  }
});

after(() => {
  const lines: string[] = [];
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)} %`);
  lines.push(
    `dns vs tshark: ${captures} captures, ${frameTally.tshark} tshark DNS/mDNS/LLMNR frames over UDP, ${frameTally.matched} compared ` +
      `(${[...frameTally.byProto].map(([k, n]) => `${k} ${n}`).join(', ')}), ` +
      `${[...frameTally.missing].map(([k, n]) => `${n} not reached (${k})`).join(', ') || '0 not reached'}, ` +
      `${frameTally.extra} UDP 53/5353/5355 datagrams tshark does not call DNS, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const width = Math.max(...[...tally.keys()].map((k) => k.length));
  for (const [name, t] of tally) {
    const known = [...t.known].map(([k, n]) => `, ${n} ${KNOWN_DIFFERENCES[k]!.kind} (${k})`).join('');
    lines.push(`  ${name.padEnd(width)}  ${t.equal + t.rendering}/${t.compared} agree (${pct(t.equal + t.rendering, t.compared)}): ${t.equal} equal${known}`);
  }
  for (const u of unexplained.slice(0, 40)) lines.push(`  UNEXPLAINED ${u}`);
  if (unexplained.length > 40) lines.push(`  … ${unexplained.length - 40} more unexplained`);
  for (const u of frameTally.missingUnexplained.slice(0, 20)) lines.push(`  MISSING ${u}`);
  for (const u of frameTally.parseErrors.slice(0, 20)) lines.push(`  PARSE ERROR ${u}`);
  for (const u of frameTally.extraDetail.slice(0, 20)) lines.push(`  EXTRA ${u}`);
  process.stdout.write(`${lines.join('\n')}\n`);
});
