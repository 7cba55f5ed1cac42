/**
 * FTP control-connection parsers: one command line, one reply line, and the host-port arguments that announce data
 * connections. Pure: no state, no I/O, never throws, never reads outside b[off, off+len). Reply assembly and the
 * session logic are in analyzer.ts.
 *
 * Specs:
 * - RFC 959 §4.1 commands (`verb [SP argument] CRLF`, verbs case-insensitive), §4.2 replies (`xyz SP text`, and the
 *   multi-line form `xyz-text` … `xyz SP text`), §5.3.2 host-port `h1,h2,h3,h4,p1,p2`, §4.1.2 PORT, PASV's 227 reply;
 * - RFC 1123 §4.1.2.6: the 227 reply's numbers may appear anywhere in its text, with or without parentheses;
 * - RFC 2428 EPRT `|af|address|port|` (§2) and EPSV's 229 reply `(|||port|)` (§3), any delimiter character;
 * - RFC 2228 AUTH/ADAT/PROT/PBSZ, RFC 4217 AUTH TLS, RFC 2389 FEAT, RFC 3659 SIZE/MDTM/MLST/MLSD (verbs only).
 *
 * Secrets and paths are never kept: the argument of PASS and ACCT (a password or account, RFC 959 §4.1.1) is dropped
 * here, in the parser, and only its presence is reported; the argument of a command that names a file or directory
 * (which can name a patient) is likewise dropped. Text is decoded with src/protocols/wire-text.ts.
 */
import { decodeWireText } from '../wire-text.js';

/** Longest command or reply line kept, in bytes (RFC 959 sets no limit; paths make lines of a few hundred). */
export const MAX_FTP_LINE = 2048;
/** Longest verb accepted (RFC 959 verbs are 3–4 letters; extensions such as CLNT, HOST, OPTS stay short). */
export const MAX_VERB_BYTES = 16;

/** Verbs whose argument is a secret (RFC 959 §4.1.1): never kept. */
export const SECRET_VERBS: ReadonlySet<string> = new Set(['PASS', 'ACCT']);

/**
 * Verbs whose argument (or, for PWD, whose reply) names a file or directory (RFC 959 §4.1.1–4.1.3, RFC 3659): not
 * kept, as a path may carry a patient's name.
 */
export const PATH_VERBS: ReadonlySet<string> = new Set([
  'CWD', 'XCWD', 'SMNT', 'RETR', 'STOR', 'STOU', 'APPE', 'RNFR', 'RNTO', 'DELE', 'RMD', 'XRMD', 'MKD', 'XMKD', 'PWD',
  'XPWD', 'LIST', 'NLST', 'STAT', 'SITE', 'SIZE', 'MDTM', 'MLST', 'MLSD', 'MFMT', 'MFCT', 'MFF', 'HASH',
]);

/** Anomaly names; an entry is one of these, optionally followed by `:` and a detail. */
export const FTP_ANOMALIES = {
  /** A line longer than MAX_FTP_LINE, cut. */
  long_line: 'line longer than MAX_FTP_LINE, cut',
  /** A command verb in lower or mixed case (RFC 959 allows it; upper-cased in `verb`). */
  lower_case_verb: 'verb not in upper case',
  /** A byte outside printable US-ASCII in the verb or argument (escaped). */
  non_ascii: 'bytes outside printable US-ASCII',
  /** More than one space between verb and argument (RFC 959 §5.3: exactly one SP); the argument is kept as sent. */
  extra_space: 'more than one space before the argument',
  /** A reply code not in 100–599 (RFC 959 §4.2: first digit 1–5). */
  bad_reply_code: 'reply code outside 100-599',
} as const;

/** An anomaly name. */
export type FtpAnomaly = keyof typeof FTP_ANOMALIES;

/** Why an argument is not kept. */
export type FtpRedaction = 'password' | 'path';

/** One command line (RFC 959 §4.1). */
export interface FtpCommand {
  /** The verb as sent. */
  command: string;
  /** The verb in upper case (verbs are case-insensitive). */
  verb: string;
  /** The argument after the first space, text-escaped; null when absent or not kept (`redacted`). */
  arg: string | null;
  /** Why the argument was dropped, null when kept or absent. */
  redacted: FtpRedaction | null;
  /** True when the line had a non-empty argument (whether kept or not). */
  has_arg: boolean;
  /**
   * Where the argument lies, relative to the line's start: b[off + arg_start, off + arg_end) (equal when absent). Lets
   * the analyzer test a PASS argument against the default-credential list at once without the parser returning it.
   */
  arg_start: number;
  arg_end: number;
  anomalies: string[];
}

/** One reply line (RFC 959 §4.2). */
export interface FtpReplyLine {
  /** The 3-digit code, null for a line without one (inside a multi-line reply). */
  code: number | null;
  /** True for `xyz-` (a multi-line reply goes on). */
  more: boolean;
  /** The text after the code and its separator (the whole line when there is no code), text-escaped. */
  text: string;
  anomalies: string[];
}

/** Result of a parser. */
export type FtpParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** An IPv4 or IPv6 address and a port announced for a data connection. */
export interface FtpHostPort {
  ip: string;
  port: number;
}

// ---------------------------------------------------------------------------------------------------------------

const SP = 0x20;

function goodBounds(b: Uint8Array, off: number, len: number): boolean {
  return Number.isSafeInteger(off) && Number.isSafeInteger(len) && off >= 0 && len >= 0 && off + len <= b.length;
}

/** The end of the line b[off, off+len) cut at MAX_FTP_LINE (`long_line` when cut), or null for bad bounds. */
function lineBounds(b: Uint8Array, off: number, len: number): { end: number; anomalies: string[] } | null {
  if (!goodBounds(b, off, len)) return null;
  const anomalies: string[] = len > MAX_FTP_LINE ? ['long_line'] : [];
  return { end: off + Math.min(len, MAX_FTP_LINE), anomalies };
}

/** True if b[start, end) holds a byte outside printable US-ASCII. */
function hasNonAscii(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i]! < SP || b[i]! > 0x7e) return true;
  return false;
}

/**
 * Parses one command line b[off, off+len) (without CR LF). Fails when the line does not start with a verb of 1 to
 * MAX_VERB_BYTES ASCII letters followed by a space or the end of the line.
 */
export function parseFtpCommand(b: Uint8Array, off: number, len: number): FtpParseResult<FtpCommand> {
  const line = lineBounds(b, off, len);
  if (line === null) return { ok: false, error: 'bad_bounds' };
  const { end, anomalies } = line;
  let ve = off;
  while (ve < end && ve - off <= MAX_VERB_BYTES && ((b[ve]! | 0x20) >= 0x61 && (b[ve]! | 0x20) <= 0x7a)) ve++;
  if (ve === off || ve - off > MAX_VERB_BYTES || (ve < end && b[ve] !== SP)) return { ok: false, error: 'not_a_command' };
  const command = decodeWireText(b, off, ve);
  const verb = command.toUpperCase();
  if (verb !== command) anomalies.push('lower_case_verb');
  let as = ve < end ? ve + 1 : end;
  if (as < end && b[as] === SP) {
    anomalies.push('extra_space');
    while (as < end && b[as] === SP) as++;
  }
  const hasArg = as < end;
  if (hasArg && hasNonAscii(b, as, end)) anomalies.push('non_ascii');
  const redacted: FtpRedaction | null = !hasArg ? null : SECRET_VERBS.has(verb) ? 'password' : PATH_VERBS.has(verb) ? 'path' : null;
  const arg = hasArg && redacted === null ? decodeWireText(b, as, end) : null;
  return { ok: true, value: { command, verb, arg, redacted, has_arg: hasArg, arg_start: as - off, arg_end: end - off, anomalies } };
}

/**
 * Parses one reply line b[off, off+len) (without CR LF): `xyz SP text`, `xyz-text`, a bare `xyz`, or (inside a
 * multi-line reply) any text, given with `code: null`. Fails only for bad bounds.
 */
export function parseFtpReplyLine(b: Uint8Array, off: number, len: number): FtpParseResult<FtpReplyLine> {
  const line = lineBounds(b, off, len);
  if (line === null) return { ok: false, error: 'bad_bounds' };
  const { end, anomalies } = line;
  const digit = (i: number): boolean => i < end && b[i]! >= 0x30 && b[i]! <= 0x39;
  if (digit(off) && digit(off + 1) && digit(off + 2) && (off + 3 === end || b[off + 3] === SP || b[off + 3] === 0x2d)) {
    const code = (b[off]! - 0x30) * 100 + (b[off + 1]! - 0x30) * 10 + (b[off + 2]! - 0x30);
    if (code < 100 || code > 599) anomalies.push('bad_reply_code');
    const more = off + 3 < end && b[off + 3] === 0x2d;
    return { ok: true, value: { code, more, text: decodeWireText(b, Math.min(off + 4, end), end), anomalies } };
  }
  return { ok: true, value: { code: null, more: true, text: decodeWireText(b, off, end), anomalies } };
}

/** A decimal byte 0–255 from text, or -1. */
function octet(s: string): number {
  if (!/^\d{1,3}$/.test(s)) return -1;
  const n = Number(s);
  return n <= 255 ? n : -1;
}

/**
 * The host-port `h1,h2,h3,h4,p1,p2` (RFC 959 §5.3.2) of a PORT argument, or the first such group of six numbers in
 * a 227 reply's text (RFC 1123 §4.1.2.6); null when there is none.
 */
export function parseFtpHostPort(text: string): FtpHostPort | null {
  const m = /(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})/.exec(text);
  if (m === null) return null;
  const v = m.slice(1).map(octet);
  if (v.some((x) => x < 0)) return null;
  return { ip: `${v[0]}.${v[1]}.${v[2]}.${v[3]}`, port: v[4]! * 256 + v[5]! };
}

/** A decimal port 1–65535, or -1. */
function portNumber(s: string): number {
  if (!/^\d{1,5}$/.test(s)) return -1;
  const n = Number(s);
  return n >= 1 && n <= 65_535 ? n : -1;
}

/** The EPRT argument `<d>af<d>address<d>port<d>` (RFC 2428 §2; af 1 = IPv4, 2 = IPv6); null when malformed. */
export function parseFtpEprt(arg: string): FtpHostPort | null {
  if (arg.length < 7) return null;
  const d = arg[0]!;
  const parts = arg.split(d);
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return null;
  const [, af, addr, port] = parts as [string, string, string, string, string];
  const p = portNumber(port);
  if (p < 0) return null;
  if (af === '1' && /^\d{1,3}(\.\d{1,3}){3}$/.test(addr) && addr.split('.').every((x) => octet(x) >= 0)) return { ip: addr, port: p };
  if (af === '2' && /^[0-9a-fA-F:.]+$/.test(addr) && addr.includes(':')) return { ip: addr.toLowerCase(), port: p };
  return null;
}

/** The port of a 229 reply's `(<d><d><d>port<d>)` (RFC 2428 §3); null when there is none. */
export function parseFtpEpsvPort(text: string): number | null {
  const m = /\(([\x21-\x7e])\1\1(\d{1,5})\1\)/.exec(text);
  if (m === null) return null;
  const p = portNumber(m[2]!);
  return p < 0 ? null : p;
}
