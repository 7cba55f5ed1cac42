/**
 * Telnet analyzer (TCP 23): per connection, the option negotiation of both sides, the terminal type and other
 * identity subnegotiations, the server's banner (its text before the user types anything), and — by heuristics on
 * the text — the user name typed at a login prompt, whether a password was typed in clear (never its value) and
 * whether the login succeeded → one `telnet` observation. IAC scanning in parser.ts.
 *
 * The heuristics (documented with their confidence in README.md):
 * - a line the client types while the server's current line ends in a login prompt (`login:`, `Username:`,
 *   `User name:` …) is a user name; typed while it ends in `Password:` (or passwd/passcode/pass phrase) it is a
 *   password: only the fact is kept (`cleartext_password`), the line itself is dropped at once;
 * - after a password, the server's next words decide the login: a failure message (`Login incorrect`, `Access
 *   denied`, …) → failure 0.9; `Last login`, `Welcome`, `logged in` → success 0.8; the next prompt the client types
 *   at is a shell prompt (ends in `$ # > %`) → success 0.7, or a login/password prompt again → failure 0.6.
 * The typed text comes from the client's bytes, so the server's echo (RFC 857) does not matter; backspace and DEL
 * erase, ANSI escape sequences are skipped, CR, CR LF, CR NUL and LF end a line (RFC 854 NVT).
 */
import type { ObservationSink } from '../../observe/observation.js';
import { StreamBuffer } from '../stream-buffer.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import { decodeWireText, isUtf8 } from '../wire-text.js';
import { isDefaultPasswordBytes } from '../default-credential-check.js';
import {
  decodeTelnetSub, MAX_SUBNEGOTIATION, scanTelnet, SE, TELNET_COMMANDS, TELNET_OPTIONS, type TelnetItem, type TelnetVariable,
} from './parser.js';

/** Telnet port. */
export const TELNET_PORTS = [23] as const;
/** Bytes read per direction before the connection is left alone (logins happen in the first few KiB). */
export const MAX_TELNET_BYTES = 256 * 1024;
/** Longest text line kept (bytes); the rest of a longer line is dropped. */
export const MAX_TELNET_LINE = 512;
/** Negotiation commands kept (all are counted). */
export const MAX_TELNET_COMMANDS = 128;
/** Subnegotiations kept. */
export const MAX_SUBNEGOTIATIONS = 32;
/** Banner lines and characters kept. */
export const MAX_BANNER_LINES = 16;
export const MAX_BANNER_CHARS = 1024;
/** Distinct user names kept. */
export const MAX_USERS = 8;
/** Bytes scanned at a time (a chunk is copied into the scan buffer in pieces of this size). */
const SCAN_PIECE = 4096;

/** Confidence of each login-outcome rule. */
export const LOGIN_RULES = {
  failure_message: { result: 'failure', confidence: 0.9 },
  success_message: { result: 'success', confidence: 0.8 },
  shell_prompt: { result: 'success', confidence: 0.7 },
  prompt_again: { result: 'failure', confidence: 0.6 },
} as const;

/** A login-outcome rule name. */
export type LoginRule = keyof typeof LOGIN_RULES;

/** Prompt and message patterns (matched against a server line with trailing spaces removed). */
const LOGIN_PROMPT = /(?:^|[^a-z])(?:login|username|user ?name|user ?id|user|account)\s*:$/i;
const PASSWORD_PROMPT = /(?:password|passwd|passcode|pass ?phrase)\s*:$/i;
const SHELL_PROMPT = /[$#>%]$/;
const FAILURE_MESSAGE = /(?:login|password|authentication|logon)\s+(?:incorrect|invalid|failed|failure|denied|rejected)|incorrect\s+(?:login|password|user)|invalid\s+(?:login|password|user|credentials)|access denied|bad password/i;
const SUCCESS_MESSAGE = /last login|logged in|login successful|welcome/i;

/** Session anomaly names (scanner anomalies are added as they are named in TELNET_ANOMALIES). */
export const TELNET_SESSION_ANOMALIES = {
  /** More than MAX_TELNET_COMMANDS commands; the rest counted only. */
  too_many_commands: 'more than MAX_TELNET_COMMANDS commands',
  /** MAX_TELNET_BYTES read in one direction: the rest not analysed. */
  byte_limit: 'MAX_TELNET_BYTES reached',
  /** Bytes missing from the capture. */
  gap: 'capture gap',
  /** A server line before the login that is not text (TerminalLine.binary): left out of the banner. */
  binary_banner: 'server bytes before the login that are not text',
} as const;

/** One Telnet command (IAC sequence). */
export interface TelnetCommandEvent {
  from: 'client' | 'server';
  /** WILL, WONT, DO, DONT, SB, SE, NOP, IP, GA, … (or the code as text when unassigned). */
  command: string;
  /** The command code (251 WILL, 250 SB, 240 SE, …). */
  code: number;
  /** The option code for WILL/WONT/DO/DONT/SB, else null. */
  option: number | null;
  /** The option's IANA name, null when none or unassigned. */
  option_name: string | null;
}

/** One subnegotiation. */
export interface TelnetSubnegotiation {
  from: 'client' | 'server';
  option: number;
  option_name: string | null;
  /** The first data byte for text options (0 IS, 1 SEND), null otherwise. */
  verb: number | null;
  /** TERMINAL-TYPE / TERMINAL-SPEED / X-DISPLAY-LOCATION `IS` text, NAWS "WxH"; null otherwise. */
  value: string | null;
  /** ENVIRON / NEW-ENVIRON variables (RFC 1572), null for other options. */
  variables: TelnetVariable[] | null;
  /** Closed by IAC SE. */
  terminated: boolean;
}

/** One Telnet connection, as logged. */
export interface TelnetSession {
  /** IAC commands in wire order per side, interleaved as they arrived (at most MAX_TELNET_COMMANDS). */
  commands: TelnetCommandEvent[];
  commands_total: number;
  subnegotiations: TelnetSubnegotiation[];
  /** The client's TERMINAL-TYPE IS value (RFC 1091), the first one. */
  terminal_type: string | null;
  /** The USER variable the client sent in ENVIRON / NEW-ENVIRON (RFC 1572 §4: the login name), the first one. */
  environment_user: string | null;
  /** The server's text before the client typed anything: its non-empty lines, trailing spaces removed, "\n"-joined. */
  banner: string | null;
  /** The prompt the first user name was typed at. */
  login_prompt: string | null;
  /** The last user name typed at a login prompt (heuristic). */
  user: string | null;
  users: string[];
  /** A non-empty line was typed at a password prompt: a password crossed in clear (its value is never kept). */
  cleartext_password: boolean;
  /**
   * A line typed at a password prompt, with the user name typed before it, was a pair of the default-credential list
   * (tested when seen, src/protocols/default-credential-check.ts; the line is never kept).
   */
  default_credential: boolean;
  /** Lines typed at a password prompt. */
  password_lines: number;
  /** The outcome of the last login judged (heuristic), null when none was. */
  login_result: 'success' | 'failure' | null;
  /** The rule that judged it (LOGIN_RULES) and its confidence. */
  login_rule: LoginRule | null;
  login_confidence: number | null;
  /** Logins judged failed. */
  login_failures: number;
  anomalies: string[];
}

/** A line of terminal text being typed or printed (NVT rules, RFC 854). */
class TerminalLine {
  private readonly bytes = new Uint8Array(MAX_TELNET_LINE);
  private len = 0;
  private afterCr = false;
  /** 0: plain, 1: after ESC, 2: inside a CSI sequence (ESC [ … final byte). */
  private esc = 0;

  /** True when nothing is on the line. */
  get empty(): boolean {
    return this.len === 0;
  }

  /** True when the line, as a password of `user`, is a default-credential pair (tested, never kept). */
  isDefaultPasswordOf(user: string | null): boolean {
    return isDefaultPasswordBytes(user, this.bytes, 0, this.len);
  }

  /**
   * True when the line is not text: more than a quarter of its bytes are 0x80 or above and they are not well-formed
   * UTF-8 (a binary or encrypted stream on the Telnet port; a Latin-1 banner has a few such bytes, a UTF-8 one decodes).
   */
  binary(): boolean {
    let high = 0;
    for (let i = 0; i < this.len; i++) if (this.bytes[i]! >= 0x80) high++;
    return high * 4 > this.len && !isUtf8(this.bytes, 0, this.len);
  }

  /** The line as text, trailing spaces removed. */
  text(): string {
    let e = this.len;
    while (e > 0 && (this.bytes[e - 1] === 0x20 || this.bytes[e - 1] === 0x09)) e--;
    return decodeWireText(this.bytes, 0, e);
  }

  /**
   * Feeds data bytes b[start, end): `onStart` is called when a character lands on an empty line, `onLine` when a
   * line ends (the line is cleared after it).
   */
  feed(b: Uint8Array, start: number, end: number, onStart: () => void, onLine: (line: TerminalLine) => void): void {
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (this.esc === 1) { this.esc = c === 0x5b ? 2 : 0; continue; }
      if (this.esc === 2) { if (c >= 0x40 && c <= 0x7e) this.esc = 0; continue; }
      if (c === 0x0d || (c === 0x0a && !this.afterCr)) {
        this.afterCr = c === 0x0d;
        onLine(this);
        this.len = 0;
        continue;
      }
      this.afterCr = false;
      if (c === 0x0a || c === 0x00) continue;
      if (c === 0x1b) { this.esc = 1; continue; }
      if (c === 0x08 || c === 0x7f) { if (this.len > 0) this.len--; continue; }
      if (c < 0x20 && c !== 0x09) continue;
      if (this.len === 0) onStart();
      if (this.len < MAX_TELNET_LINE) this.bytes[this.len++] = c;
    }
  }

  /** Forgets the line (after a gap). */
  clear(): void {
    this.len = 0;
    this.esc = 0;
    this.afterCr = false;
  }
}

/** One direction: its scan buffer, its text line, its byte count. */
class Direction {
  readonly pending = new StreamBuffer(SCAN_PIECE + MAX_SUBNEGOTIATION + 3);
  readonly line = new TerminalLine();
  bytes = 0;
  done = false;

  constructor(readonly name: 'client' | 'server') {}
}

/** The per-connection Telnet reader. */
class TelnetParser implements StreamParser {
  private readonly client = new Direction('client');
  private readonly server = new Direction('server');
  private readonly s: TelnetSession = {
    commands: [], commands_total: 0, subnegotiations: [], terminal_type: null, environment_user: null, banner: null, login_prompt: null,
    user: null, users: [], cleartext_password: false, default_credential: false, password_lines: 0, login_result: null, login_rule: null,
    login_confidence: null, login_failures: 0, anomalies: [],
  };
  private readonly noted = new Set<string>();
  private readonly bannerLines: string[] = [];
  private lastServerLine = '';
  /** The server text the client's current line was started at. */
  private prompt = '';
  private typing = false;
  private awaitingOutcome = false;
  private emitted = false;
  error: string | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  data(fromClient: boolean, b: Uint8Array, off: number, len: number): StreamStatus {
    const d = fromClient ? this.client : this.server;
    if (d.done) return this.status();
    const take = Math.min(len, MAX_TELNET_BYTES - d.bytes);
    d.bytes += take;
    let p = off;
    const end = off + take;
    while (p < end) {
      p += d.pending.append(b, p, end - p);
      const v = d.pending.view();
      const r = scanTelnet(v, 0, v.length);
      if (!r.ok) break;
      for (const a of r.value.anomalies) this.note(a);
      for (const item of r.value.items) this.item(d, v, item);
      d.pending.consume(r.value.consumed);
    }
    if (d.bytes >= MAX_TELNET_BYTES) {
      d.done = true;
      this.note('byte_limit');
    }
    return this.status();
  }

  gap(fromClient: boolean): StreamStatus {
    const d = fromClient ? this.client : this.server;
    d.pending.clear();
    d.line.clear();
    this.note('gap');
    return this.status();
  }

  end(): void {
    if (this.emitted) return;
    this.emitted = true;
    if (!this.typing) this.closeBanner();
    if (this.awaitingOutcome) this.judgePrompt(this.serverPrompt());
    if (this.client.bytes === 0 && this.server.bytes === 0) return;
    this.emit({ kind: 'telnet', ctx: this.ctx.base, msg: this.s });
  }

  private status(): StreamStatus {
    return this.client.done && this.server.done ? StreamStatus.Done : StreamStatus.More;
  }

  private note(anomaly: string): void {
    if (this.noted.has(anomaly)) return;
    this.noted.add(anomaly);
    this.s.anomalies.push(anomaly);
  }

  private item(d: Direction, v: Uint8Array, it: TelnetItem): void {
    if (it.type === 'data') {
      if (d === this.client) d.line.feed(v, it.start, it.end, () => this.clientStarts(), (l) => this.clientLine(l));
      else d.line.feed(v, it.start, it.end, () => {}, (l) => this.serverLine(l));
      return;
    }
    if (it.type === 'option') this.command(d, it.command, it.option);
    else if (it.type === 'command') this.command(d, it.command, null);
    else {
      this.command(d, 250, it.option);
      this.subnegotiation(d, v, it);
      if (it.terminated) this.command(d, SE, null);
    }
  }

  private command(d: Direction, code: number, option: number | null): void {
    const s = this.s;
    s.commands_total++;
    if (s.commands.length >= MAX_TELNET_COMMANDS) {
      this.note('too_many_commands');
      return;
    }
    s.commands.push({
      from: d.name, command: TELNET_COMMANDS[code] ?? String(code), code, option,
      option_name: option === null ? null : TELNET_OPTIONS[option] ?? null,
    });
  }

  private subnegotiation(d: Direction, v: Uint8Array, it: TelnetItem & { type: 'sub' }): void {
    const { verb, value, variables } = decodeTelnetSub(it.option, v, it.start, it.end);
    const s = this.s;
    if (d === this.client) {
      if (it.option === 24 && verb === 0) s.terminal_type ??= value;
      s.environment_user ??= variables?.find((x) => x.kind === 'VAR' && x.name === 'USER')?.value ?? null;
    }
    if (s.subnegotiations.length < MAX_SUBNEGOTIATIONS) {
      s.subnegotiations.push({ from: d.name, option: it.option, option_name: TELNET_OPTIONS[it.option] ?? null, verb, value, variables, terminated: it.terminated });
    }
  }

  /** The server text a client line starts at: the server's current line, else its last line. */
  private serverPrompt(): string {
    return this.server.line.empty ? this.lastServerLine : this.server.line.text();
  }

  /** The client starts typing a line. */
  private clientStarts(): void {
    this.prompt = this.serverPrompt();
    if (!this.typing) {
      this.typing = true;
      this.closeBanner();
    }
    if (this.awaitingOutcome) this.judgePrompt(this.prompt);
  }

  /** After a password, the prompt the server waits at: a login/password prompt again, or a shell prompt. */
  private judgePrompt(prompt: string): void {
    if (LOGIN_PROMPT.test(prompt) || PASSWORD_PROMPT.test(prompt)) this.judge('prompt_again');
    else if (SHELL_PROMPT.test(prompt)) this.judge('shell_prompt');
  }

  /** The client ended a line (its text is read only when it is a user name). */
  private clientLine(line: TerminalLine): void {
    const s = this.s;
    if (line.empty) return;
    if (PASSWORD_PROMPT.test(this.prompt)) {
      s.cleartext_password = true;
      if (line.isDefaultPasswordOf(s.user)) s.default_credential = true;
      s.password_lines++;
      this.awaitingOutcome = true;
    } else if (LOGIN_PROMPT.test(this.prompt)) {
      const user = line.text();
      if (user === '') return;
      s.user = user;
      s.login_prompt ??= this.prompt;
      if (!s.users.includes(user) && s.users.length < MAX_USERS) s.users.push(user);
    }
  }

  private serverLine(line: TerminalLine): void {
    const text = line.text();
    if (text !== '') this.lastServerLine = text;
    if (!this.typing && text !== '' && this.bannerLines.length < MAX_BANNER_LINES) this.bannerLine(line, text);
    if (!this.awaitingOutcome || text === '') return;
    if (FAILURE_MESSAGE.test(text)) this.judge('failure_message');
    else if (SUCCESS_MESSAGE.test(text)) this.judge('success_message');
  }

  /** Keeps a server line of the banner, unless it is not text (then notes `binary_banner`). */
  private bannerLine(line: TerminalLine, text: string): void {
    if (line.binary()) this.note('binary_banner');
    else this.bannerLines.push(text);
  }

  /** The banner: the server's lines before the client typed, and the line it was on. */
  private closeBanner(): void {
    const open = this.server.line;
    if (!open.empty && this.bannerLines.length < MAX_BANNER_LINES) this.bannerLine(open, open.text());
    const text = this.bannerLines.filter((l) => l !== '').join('\n');
    this.s.banner = text === '' ? null : text.slice(0, MAX_BANNER_CHARS);
  }

  private judge(rule: LoginRule): void {
    const r = LOGIN_RULES[rule];
    const s = this.s;
    this.awaitingOutcome = false;
    s.login_result = r.result;
    s.login_rule = rule;
    s.login_confidence = r.confidence;
    if (r.result === 'failure') s.login_failures++;
  }
}

/** A parser for one Telnet connection. */
export function openTelnetStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new TelnetParser(ctx, emit);
}
