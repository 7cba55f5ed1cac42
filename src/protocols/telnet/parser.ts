/**
 * Telnet stream scanner: splits bytes of one direction into data and Telnet commands (IAC sequences), and decodes
 * the few subnegotiations that carry identity text. Pure: no state, no I/O, never throws, never reads outside
 * b[off, off+len). A command cut by the end of the bytes is left unconsumed (`consumed` stops before it) so the
 * caller can prepend it to the next bytes; the per-connection logic (banner, prompts, login) is in analyzer.ts.
 *
 * Specs:
 * - RFC 854 (Telnet): IAC = 255; commands SE 240, NOP 241, Data Mark 242, Break 243, Interrupt Process 244, Abort
 *   Output 245, Are You There 246, Erase Character 247, Erase Line 248, Go Ahead 249, SB 250, WILL 251, WONT 252,
 *   DO 253, DONT 254; IAC IAC is a data byte 255; RFC 855 option negotiation and subnegotiation
 *   `IAC SB option … IAC SE`; RFC 885 EOR 239; RFC 1184 ABORT 238, SUSP 237, xEOF 236;
 * - option codes from the IANA "Telnet Options" registry (RFC 856 BINARY … RFC 2217 COM-PORT, RFC 2946 ENCRYPT);
 * - RFC 1091 TERMINAL-TYPE `IS` (0) text, RFC 1096 X-DISPLAY-LOCATION `IS` text, RFC 1079 TERMINAL-SPEED `IS`
 *   "tx,rx", RFC 1073 NAWS width and height as 16-bit numbers, RFC 1572 NEW-ENVIRON (and RFC 1408 ENVIRON) variables
 *   `VAR`/`USERVAR` name [`VALUE` value], `ESC` quoting the next byte.
 */
import { decodeWireText } from '../wire-text.js';

/** Longest subnegotiation (between IAC SB and IAC SE) read; a longer one is cut and the rest read as data. */
export const MAX_SUBNEGOTIATION = 1024;

/** Telnet command codes (RFC 854, 885, 1184). */
export const IAC = 255;
export const SB = 250;
export const SE = 240;
export const WILL = 251;
export const WONT = 252;
export const DO = 253;
export const DONT = 254;

/** Command names by code. */
export const TELNET_COMMANDS: Readonly<Record<number, string>> = {
  236: 'EOF', 237: 'SUSP', 238: 'ABORT', 239: 'EOR', 240: 'SE', 241: 'NOP', 242: 'DM', 243: 'BRK', 244: 'IP',
  245: 'AO', 246: 'AYT', 247: 'EC', 248: 'EL', 249: 'GA', 250: 'SB', 251: 'WILL', 252: 'WONT', 253: 'DO', 254: 'DONT',
};

/** Option names by code (IANA Telnet Options registry). */
export const TELNET_OPTIONS: Readonly<Record<number, string>> = {
  0: 'BINARY', 1: 'ECHO', 2: 'RCP', 3: 'SUPPRESS-GO-AHEAD', 4: 'NAMS', 5: 'STATUS', 6: 'TIMING-MARK', 7: 'RCTE',
  8: 'NAOL', 9: 'NAOP', 10: 'NAOCRD', 11: 'NAOHTS', 12: 'NAOHTD', 13: 'NAOFFD', 14: 'NAOVTS', 15: 'NAOVTD',
  16: 'NAOLFD', 17: 'EXTEND-ASCII', 18: 'LOGOUT', 19: 'BM', 20: 'DET', 21: 'SUPDUP', 22: 'SUPDUP-OUTPUT',
  23: 'SEND-LOCATION', 24: 'TERMINAL-TYPE', 25: 'END-OF-RECORD', 26: 'TUID', 27: 'OUTMRK', 28: 'TTYLOC',
  29: '3270-REGIME', 30: 'X.3-PAD', 31: 'NAWS', 32: 'TERMINAL-SPEED', 33: 'TOGGLE-FLOW-CONTROL', 34: 'LINEMODE',
  35: 'X-DISPLAY-LOCATION', 36: 'ENVIRON', 37: 'AUTHENTICATION', 38: 'ENCRYPT', 39: 'NEW-ENVIRON', 40: 'TN3270E',
  41: 'XAUTH', 42: 'CHARSET', 43: 'RSP', 44: 'COM-PORT-OPTION', 45: 'SLE', 46: 'START-TLS', 47: 'KERMIT',
  48: 'SEND-URL', 49: 'FORWARD-X', 138: 'PRAGMA-LOGON', 139: 'SSPI-LOGON', 140: 'PRAGMA-HEARTBEAT', 255: 'EXOPL',
};

/** Options whose `IS` subnegotiation is text (RFC 1091, 1096, 1079). */
const TEXT_OPTIONS: ReadonlySet<number> = new Set([24, 32, 35]);
/** NAWS (RFC 1073). */
const NAWS = 31;

/** Anomaly names. */
export const TELNET_ANOMALIES = {
  /** IAC followed by a byte that is no command (RFC 854 lists 236–255); read as a command anyway. */
  unknown_command: 'IAC followed by an unassigned command code',
  /** IAC SE without a subnegotiation open. */
  stray_se: 'IAC SE outside a subnegotiation',
  /** A subnegotiation longer than MAX_SUBNEGOTIATION: cut, the rest read as data. */
  long_subnegotiation: 'subnegotiation longer than MAX_SUBNEGOTIATION',
  /** IAC inside a subnegotiation followed by something other than IAC or SE (RFC 855); taken as its end. */
  unterminated_subnegotiation: 'IAC other than IAC/SE inside a subnegotiation',
} as const;

/** One element of the stream. */
export type TelnetItem =
  /** Data bytes b[off+start, off+end) (offsets from `off`); IAC IAC yields a 1-byte item of 255. */
  | { type: 'data'; start: number; end: number }
  /** IAC WILL/WONT/DO/DONT option. */
  | { type: 'option'; command: number; option: number }
  /** IAC SB option … IAC SE: the raw bytes between the option code and IAC SE are b[off+start, off+end) (IAC IAC still doubled). */
  | { type: 'sub'; option: number; start: number; end: number; terminated: boolean }
  /** Any other command (NOP, IP, AYT, GA, …), and a stray SE. */
  | { type: 'command'; command: number };

/** What scanTelnet found. */
export interface TelnetScan {
  items: TelnetItem[];
  /** Bytes consumed from `off`; the rest (an incomplete command) must be given again with what follows. */
  consumed: number;
  anomalies: string[];
}

/** Result of scanTelnet. */
export type TelnetScanResult = { ok: true; value: TelnetScan } | { ok: false; error: string };

/** The end (exclusive) of the subnegotiation data starting at `p`, and where the scan resumes. */
interface SubEnd {
  end: number;
  next: number;
  terminated: boolean;
}

/** Finds the IAC SE closing a subnegotiation whose data starts at p; null when b ends first (incomplete). */
function findSubEnd(b: Uint8Array, p: number, end: number, anomalies: string[]): SubEnd | null {
  const limit = Math.min(end, p + MAX_SUBNEGOTIATION);
  let i = p;
  while (i < limit) {
    if (b[i] !== IAC) { i++; continue; }
    if (i + 1 >= end) return null;
    const c = b[i + 1]!;
    if (c === IAC) { i += 2; continue; }
    if (c !== SE) anomalies.push('unterminated_subnegotiation');
    return { end: i, next: c === SE ? i + 2 : i, terminated: c === SE };
  }
  if (limit === end && end - p < MAX_SUBNEGOTIATION) return null;
  anomalies.push('long_subnegotiation');
  return { end: limit, next: limit, terminated: false };
}

/**
 * Scans b[off, off+len) into data and commands. Never fails except for bad bounds; an IAC sequence cut by the end
 * of the bytes is not consumed.
 */
export function scanTelnet(b: Uint8Array, off: number, len: number): TelnetScanResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  const end = off + len;
  const items: TelnetItem[] = [];
  const anomalies: string[] = [];
  let p = off;
  let dataStart = off;
  const flush = (to: number): void => {
    if (to > dataStart) items.push({ type: 'data', start: dataStart - off, end: to - off });
  };
  while (p < end) {
    if (b[p] !== IAC) { p++; continue; }
    flush(p);
    if (p + 1 >= end) { dataStart = p; break; }
    const c = b[p + 1]!;
    if (c === IAC) {
      items.push({ type: 'data', start: p + 1 - off, end: p + 2 - off });
      p += 2;
    } else if (c >= WILL) {
      if (p + 2 >= end) { dataStart = p; break; }
      items.push({ type: 'option', command: c, option: b[p + 2]! });
      p += 3;
    } else if (c === SB) {
      if (p + 2 >= end) { dataStart = p; break; }
      const se = findSubEnd(b, p + 3, end, anomalies);
      if (se === null) { dataStart = p; break; }
      items.push({ type: 'sub', option: b[p + 2]!, start: p + 3 - off, end: se.end - off, terminated: se.terminated });
      p = se.next;
    } else {
      if (c === SE) anomalies.push('stray_se');
      else if (c < 236) anomalies.push('unknown_command');
      items.push({ type: 'command', command: c });
      p += 2;
    }
    dataStart = p;
  }
  if (p >= end) {
    flush(end);
    dataStart = end;
  }
  return { ok: true, value: { items, consumed: dataStart - off, anomalies } };
}

/** The data of a subnegotiation b[start, end) with IAC IAC undoubled (RFC 855). */
function undouble(b: Uint8Array, start: number, end: number): Uint8Array {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    out.push(b[i]!);
    if (b[i] === IAC && i + 1 < end && b[i + 1] === IAC) i++;
  }
  return Uint8Array.from(out);
}

/** One environment variable of an ENVIRON / NEW-ENVIRON subnegotiation (RFC 1572). */
export interface TelnetVariable {
  /** `VAR` (a well-known variable such as USER, DISPLAY) or `USERVAR`. */
  kind: 'VAR' | 'USERVAR';
  name: string;
  /** null when the variable was sent without VALUE (undefined, or a SEND request). */
  value: string | null;
}

/**
 * A decoded subnegotiation: the `IS` text of TERMINAL-TYPE, TERMINAL-SPEED, X-DISPLAY-LOCATION, NAWS "WxH", or the
 * variables of ENVIRON / NEW-ENVIRON.
 */
export interface TelnetSubValue {
  /** The first data byte of text and environment options (0 IS, 1 SEND, 2 INFO); null for NAWS and others. */
  verb: number | null;
  /** The value as text, null when there is none (a SEND request) or the option is not a text option. */
  value: string | null;
  /** ENVIRON / NEW-ENVIRON variables (at most MAX_VARIABLES), null for other options. */
  variables: TelnetVariable[] | null;
}

/** Variables kept from one environment subnegotiation. */
export const MAX_VARIABLES = 16;
/** ENVIRON (RFC 1408) and NEW-ENVIRON (RFC 1572): codes VAR 0, VALUE 1, ESC 2, USERVAR 3. */
const ENV_OPTIONS: ReadonlySet<number> = new Set([36, 39]);

/** The variables of an environment subnegotiation's data d[1, …) (RFC 1572 §3: VAR/USERVAR name [VALUE value]). */
function environmentVariables(d: Uint8Array): TelnetVariable[] {
  const vars: TelnetVariable[] = [];
  let cur: { kind: 'VAR' | 'USERVAR'; name: number[]; value: number[] | null } | null = null;
  const close = (): void => {
    if (cur !== null && vars.length < MAX_VARIABLES) {
      const n = Uint8Array.from(cur.name);
      const v = cur.value === null ? null : Uint8Array.from(cur.value);
      vars.push({ kind: cur.kind, name: decodeWireText(n, 0, n.length), value: v === null ? null : decodeWireText(v, 0, v.length) });
    }
  };
  for (let i = 1; i < d.length; i++) {
    let c = d[i]!;
    if (c === 0 || c === 3) {
      close();
      cur = { kind: c === 0 ? 'VAR' : 'USERVAR', name: [], value: null };
      continue;
    }
    if (cur === null) continue;
    if (c === 1) {
      cur.value ??= [];
      continue;
    }
    if (c === 2) {
      if (i + 1 >= d.length) break;
      c = d[++i]!;
    }
    (cur.value ?? cur.name).push(c);
  }
  close();
  return vars;
}

/** Decodes the subnegotiation of `option` whose raw data is b[start, end) (IAC IAC doubled). */
export function decodeTelnetSub(option: number, b: Uint8Array, start: number, end: number): TelnetSubValue {
  const none: TelnetSubValue = { verb: null, value: null, variables: null };
  if (start < 0 || end > b.length || start >= end) return none;
  const d = undouble(b, start, end);
  if (option === NAWS) {
    if (d.length !== 4) return none;
    return { verb: null, value: `${(d[0]! << 8) | d[1]!}x${(d[2]! << 8) | d[3]!}`, variables: null };
  }
  const verb = d[0]!;
  if (ENV_OPTIONS.has(option)) return { verb, value: null, variables: verb === 1 ? [] : environmentVariables(d) };
  if (!TEXT_OPTIONS.has(option)) return none;
  return { verb, value: verb === 0 ? decodeWireText(d, 1, d.length) : null, variables: null };
}
