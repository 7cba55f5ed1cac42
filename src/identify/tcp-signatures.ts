/**
 * The TCP OS signature file (data/fingerprints/tcp-os.tsv) and its strict loader.
 *
 * One signature per line, tab-separated, in the column order of TCP_SIGNATURE_COLUMNS; `#` starts a comment line;
 * `#@ key: text` lines define the citation keys the `source` column may use. The signature column uses the notation
 * of the p0f v3 README §5 (`ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass`) so that a fingerprint observed on
 * the wire (tcp-os-match.ts) reads the same way; the entries themselves are ours (see the file's header).
 *
 * The loader refuses anything it does not understand and reports `file:line: reason`, like p0f's and nmap's loaders:
 * a bad column, an unknown quirk or option, an undefined citation key, and a signature already covered by an earlier
 * one of the same direction and kind (it could never be chosen: the matcher takes the first match in file order).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The signature file shipped with medtap (this module runs from dist/src/identify/). */
export const TCP_SIGNATURE_FILE = fileURLToPath(new URL('../../../data/fingerprints/tcp-os.tsv', import.meta.url));

/** Columns of a signature line, in order (the file's header line must list them so). */
export const TCP_SIGNATURE_COLUMNS = ['direction', 'kind', 'class', 'os', 'version', 'signature', 'source'] as const;

/** SYN (client, request) or SYN-ACK (server, response) signatures. */
export const TCP_DIRECTIONS = ['syn', 'syn-ack'] as const;
export type TcpDirection = (typeof TCP_DIRECTIONS)[number];

/** OS classes: Windows family, Unix-like (Linux, BSD, Apple, Android), embedded/RTOS stacks, anything else. */
export const TCP_OS_CLASSES = ['win', 'unix', 'embedded', 'other'] as const;
export type TcpOsClass = (typeof TCP_OS_CLASSES)[number];

/**
 * Quirk names in the order the p0f v3 README §5 lists them (and fingerprints print them); bit i of a quirk mask is
 * QUIRK_NAMES[i].
 */
export const QUIRK_NAMES = ['df', 'id+', 'id-', 'ecn', '0+', 'flow', 'seq-', 'ack+', 'ack-', 'uptr+', 'urgf+', 'pushf+',
  'ts1-', 'ts2+', 'opt+', 'exws', 'bad'] as const;
/** Quirks that describe IPv4 header fields only (ignored on IPv6 packets by a signature for both versions). */
export const IPV4_ONLY_QUIRKS = quirkMask(['df', 'id+', 'id-', '0+']);
/** Quirks that describe IPv6 header fields only. */
export const IPV6_ONLY_QUIRKS = quirkMask(['flow']);

/** Highest plausible initial TTL distance (hops) before a TTL counts as not matching; p0f uses the same 35. */
export const MAX_HOPS = 35;
/** Most signature lines accepted from one file. */
export const MAX_TCP_SIGNATURES = 10_000;
/** Most TCP options in a layout (40 option bytes of one-byte NOPs at most). */
export const MAX_LAYOUT_OPTIONS = 40;

/** How a signature constrains the TCP window. */
export type WindowRule =
  | { kind: 'any' }
  | { kind: 'value'; n: number }
  | { kind: 'mss'; n: number }
  | { kind: 'mtu'; n: number }
  | { kind: 'mod'; n: number };

/** One loaded signature line. */
export interface TcpSignature {
  /** 1-based line in `file`. */
  line: number;
  file: string;
  direction: TcpDirection;
  /** Generic ('g') signatures are last-resort matches, considered only when no specific ('s') one matches. */
  generic: boolean;
  osClass: TcpOsClass;
  os: string;
  version: string;
  /** `os version`, the reported label. */
  label: string;
  /** The signature column as written. */
  text: string;
  /** 4, 6, or null for both. */
  ipVersion: 4 | 6 | null;
  /** Initial TTL (32, 64, 128, 255 or an odd value some stacks use). */
  ittl: number;
  /** `ittl-`: the stack randomises its TTL below ittl (no hop distance can be told). */
  randomTtl: boolean;
  olen: number;
  /** MSS option value, null for any. */
  mss: number | null;
  window: WindowRule;
  /** Window scale shift, null for any (0 when the option is absent, as the layout then says). */
  scale: number | null;
  /** Option layout as written (mss, nop, ws, sok, sack, ts, eol+N, ?K), '' for none. */
  layout: string;
  quirks: number;
  /** 0 no payload, 1 payload, null either. */
  payload: 0 | 1 | null;
  source: string;
}

/** Signatures by direction, in file order, with the citation keys the file defines. */
export interface TcpSignatureDb {
  file: string;
  syn: TcpSignature[];
  'syn-ack': TcpSignature[];
  references: Map<string, string>;
}

/** Loader outcome: the database, or every problem found as `file:line: reason`. */
export type TcpSignatureLoad = { ok: true; db: TcpSignatureDb } | { ok: false; errors: string[] };

/** Bit mask of quirk names (unknown names are ignored; the loader checks names itself). */
export function quirkMask(names: readonly string[]): number {
  let m = 0;
  for (const n of names) {
    const i = (QUIRK_NAMES as readonly string[]).indexOf(n);
    if (i >= 0) m |= 1 << i;
  }
  return m;
}

/** Comma-separated quirk names of a mask, in QUIRK_NAMES order. */
export function quirkText(mask: number): string {
  return QUIRK_NAMES.filter((_, i) => (mask & (1 << i)) !== 0).join(',');
}

/** Reads and parses the signature file; throws an Error listing every `file:line: reason` when it is not valid. */
export function loadTcpSignatures(path = TCP_SIGNATURE_FILE): TcpSignatureDb {
  const r = parseTcpSignatures(readFileSync(path, 'utf8'), path);
  if (!r.ok) throw new Error(`invalid TCP signature file:\n${r.errors.join('\n')}`);
  return r.db;
}

const REFERENCE_LINE = /^#@\s*([a-z0-9][a-z0-9._-]*)\s*:\s*(\S.*)$/;
const CORPUS_SOURCE = /^corpus:[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\.(pcap|pcapng|cap)$/;

/** Parses signature file text (`file` names it in messages). Pure. */
export function parseTcpSignatures(text: string, file: string): TcpSignatureLoad {
  const errors: string[] = [];
  const db: TcpSignatureDb = { file, syn: [], 'syn-ack': [], references: new Map() };
  const lines = text.split('\n');
  let header = false;
  const pending: { line: number; source: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    const fail = (reason: string): void => { errors.push(`${file}:${n}: ${reason}`); };
    if (raw.trim() === '') continue;
    if (raw.startsWith('#')) {
      const ref = REFERENCE_LINE.exec(raw);
      if (ref) {
        if (db.references.has(ref[1]!)) fail(`citation key '${ref[1]}' defined twice`);
        db.references.set(ref[1]!, ref[2]!);
      } else if (raw.startsWith('#@')) fail('malformed citation line (expected "#@ key: text")');
      continue;
    }
    const cols = raw.split('\t');
    if (!header) {
      if (cols.join('\t') !== TCP_SIGNATURE_COLUMNS.join('\t')) fail(`header must be: ${TCP_SIGNATURE_COLUMNS.join(' <tab> ')}`);
      header = true;
      continue;
    }
    if (db.syn.length + db['syn-ack'].length >= MAX_TCP_SIGNATURES) {
      fail(`more than ${MAX_TCP_SIGNATURES} signatures`);
      break;
    }
    const sig = parseSignatureLine(cols, file, n, fail);
    if (sig === null) continue;
    const list = db[sig.direction];
    const earlier = list.find((e) => e.generic === sig.generic && signatureCovers(e, sig));
    if (earlier) {
      fail(`signature already covered by line ${earlier.line}`);
      continue;
    }
    list.push(sig);
    pending.push({ line: n, source: sig.source });
  }
  if (!header) errors.push(`${file}:1: no header line`);
  for (const p of pending) checkSources(p.source, db.references, (reason) => errors.push(`${file}:${p.line}: ${reason}`));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, db };
}

/** Checks the `source` column: `;`-separated citations, each a defined `#@` key or a `corpus:dir/file.pcap` path. */
function checkSources(source: string, refs: Map<string, string>, fail: (reason: string) => void): void {
  for (const part of source.split(';')) {
    const c = part.trim().split(/\s+/)[0] ?? '';
    if (c === '') fail('empty citation in source');
    else if (c.startsWith('corpus:')) {
      if (!CORPUS_SOURCE.test(c)) fail(`malformed corpus citation '${c}' (expected corpus:dir/file.pcap)`);
    } else if (!refs.has(c)) fail(`source cites '${c}', which no "#@ ${c}: …" line defines`);
  }
}

/** Parses one signature line's columns; reports problems through `fail` and returns null on any. */
function parseSignatureLine(cols: string[], file: string, line: number, fail: (reason: string) => void): TcpSignature | null {
  if (cols.length !== TCP_SIGNATURE_COLUMNS.length) {
    fail(`expected ${TCP_SIGNATURE_COLUMNS.length} tab-separated columns, found ${cols.length}`);
    return null;
  }
  const [direction, kind, osClass, os, version, text, source] = cols.map((c) => c.trim()) as [string, string, string, string, string, string, string];
  let ok = true;
  const bad = (reason: string): void => { ok = false; fail(reason); };
  if (!(TCP_DIRECTIONS as readonly string[]).includes(direction)) bad(`direction must be one of ${TCP_DIRECTIONS.join(', ')}, not '${direction}'`);
  if (kind !== 's' && kind !== 'g') bad(`kind must be s (specific) or g (generic), not '${kind}'`);
  if (!(TCP_OS_CLASSES as readonly string[]).includes(osClass)) bad(`class must be one of ${TCP_OS_CLASSES.join(', ')}, not '${osClass}'`);
  if (os === '') bad('empty os');
  if (source === '') bad('empty source: every signature says where its knowledge comes from');
  const parsed = parseSignatureText(text, bad);
  if (!ok || parsed === null) return null;
  return {
    line, file, direction: direction as TcpDirection, generic: kind === 'g', osClass: osClass as TcpOsClass, os, version,
    label: version === '' ? os : `${os} ${version}`, text, source, ...parsed,
  };
}

type SignatureFields = Pick<TcpSignature, 'ipVersion' | 'ittl' | 'randomTtl' | 'olen' | 'mss' | 'window' | 'scale' | 'layout' | 'quirks' | 'payload'>;

/** Parses `ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass`. */
function parseSignatureText(text: string, bad: (reason: string) => void): SignatureFields | null {
  const f = text.split(':');
  if (f.length !== 8) {
    bad(`signature '${text}' must have 8 ':'-separated fields (ver:ittl:olen:mss:wsize,scale:olayout:quirks:pclass)`);
    return null;
  }
  const [ver, ttl, olen, mss, win, layout, quirks, pclass] = f as [string, string, string, string, string, string, string, string];
  let ok = true;
  const no = (reason: string): void => { ok = false; bad(reason); };
  const ipVersion = ver === '4' ? 4 : ver === '6' ? 6 : ver === '*' ? null : (no(`IP version must be 4, 6 or *, not '${ver}'`), null);
  const ttlm = /^(\d{1,3})(-?)$/.exec(ttl);
  const ittl = ttlm ? Number(ttlm[1]) : 0;
  if (!ttlm || ittl < 1 || ittl > 255) no(`initial TTL must be 1..255, optionally with '-' (random below), not '${ttl}'`);
  const olenN = uint(olen, 255);
  if (olenN === null) no(`IP options length must be 0..255, not '${olen}'`);
  const mssN = mss === '*' ? null : uint(mss, 65535);
  if (mss !== '*' && mssN === null) no(`MSS must be 0..65535 or *, not '${mss}'`);
  const winParts = win.split(',');
  const window = winParts.length === 2 ? parseWindowRule(winParts[0]!) : null;
  if (window === null) no(`window must be N, mss*N, mtu*N, %N or * followed by ',scale', not '${win}'`);
  const scaleText = winParts[1] ?? '*';
  const scale = scaleText === '*' ? null : uint(scaleText, 255);
  if (scaleText !== '*' && scale === null) no(`window scale must be 0..255 or *, not '${scaleText}'`);
  const layoutError = checkLayout(layout);
  if (layoutError) no(layoutError);
  const qnames = quirks === '' ? [] : quirks.split(',');
  for (const q of qnames) if (!(QUIRK_NAMES as readonly string[]).includes(q)) no(`unknown quirk '${q}'`);
  const qmask = quirkMask(qnames);
  if (ipVersion === 6 && (qmask & IPV4_ONLY_QUIRKS) !== 0) no(`IPv4-only quirks (${quirkText(qmask & IPV4_ONLY_QUIRKS)}) in an IPv6 signature`);
  if (ipVersion === 4 && (qmask & IPV6_ONLY_QUIRKS) !== 0) no("IPv6-only quirk 'flow' in an IPv4 signature");
  const payload = pclass === '0' ? 0 : pclass === '+' ? 1 : pclass === '*' ? null : (no(`payload class must be 0, + or *, not '${pclass}'`), null);
  if (!ok) return null;
  return { ipVersion, ittl, randomTtl: ttlm![2] === '-', olen: olenN!, mss: mssN, window: window!, scale, layout, quirks: qmask, payload };
}

/** A decimal integer in 0..max, else null. */
function uint(s: string, max: number): number | null {
  if (!/^\d{1,5}$/.test(s)) return null;
  const n = Number(s);
  return n <= max ? n : null;
}

function parseWindowRule(s: string): WindowRule | null {
  if (s === '*') return { kind: 'any' };
  const m = /^(mss\*|mtu\*|%)?(\d{1,5})$/.exec(s);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === undefined) return n <= 65535 ? { kind: 'value', n } : null;
  if (m[1] === '%') return n >= 2 && n <= 65535 ? { kind: 'mod', n } : null;
  return n >= 1 && n <= 1000 ? { kind: m[1] === 'mss*' ? 'mss' : 'mtu', n } : null;
}

const LAYOUT_ITEM = /^(mss|nop|ws|sok|sack|ts|eol\+\d{1,2}|\?\d{1,3})$/;

/** Why an option layout is not valid, or null. */
function checkLayout(layout: string): string | null {
  if (layout === '') return null;
  const items = layout.split(',');
  if (items.length > MAX_LAYOUT_OPTIONS) return `more than ${MAX_LAYOUT_OPTIONS} options in layout`;
  for (const [k, it] of items.entries()) {
    if (!LAYOUT_ITEM.test(it)) return `unknown TCP option '${it}' in layout (mss, nop, ws, sok, sack, ts, eol+N, ?K)`;
    if (it.startsWith('?') && Number(it.slice(1)) > 255) return `option kind '${it}' above 255`;
    if (it.startsWith('eol') && k !== items.length - 1) return 'eol+N must be the last option';
  }
  return null;
}

/** True when every segment `b` matches is also matched by `a` (so `b`, placed after `a`, could never be chosen). */
export function signatureCovers(a: TcpSignature, b: TcpSignature): boolean {
  return (a.ipVersion === null || a.ipVersion === b.ipVersion) && a.ittl === b.ittl && a.randomTtl === b.randomTtl &&
    a.olen === b.olen && (a.mss === null || a.mss === b.mss) && (a.scale === null || a.scale === b.scale) &&
    a.layout === b.layout && a.quirks === b.quirks && (a.payload === null || a.payload === b.payload) &&
    windowCovers(a.window, b.window);
}

function windowCovers(a: WindowRule, b: WindowRule): boolean {
  if (a.kind === 'any') return true;
  if (a.kind === 'mod') return (b.kind === 'value' || b.kind === 'mod') && b.n % a.n === 0;
  return a.kind === b.kind && a.n === b.n;
}
