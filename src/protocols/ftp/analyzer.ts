/**
 * FTP analyzer (TCP 21, or a connection whose server speaks first with a `220` greeting that is not SMTP's): the
 * control connection's commands and replies, paired in order (RFC 959 §4.2: every command gets one final reply,
 * possibly after 1xx preliminary ones) → one `ftp` observation per connection with the greeting, the user name,
 * whether a password crossed in clear (never its value), the login outcome, SYST, FEAT, the data connections
 * announced, and the commands (bounded). After a successful `AUTH` (234, RFC 4217 §4) the rest is TLS: done.
 * Line decoding in parser.ts.
 */
import type { ObservationSink } from '../../observe/observation.js';
import { LineAssembler } from '../stream-buffer.js';
import { decodeWireText } from '../wire-text.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import {
  type FtpCommand,
  type FtpRedaction,
  MAX_FTP_LINE,
  parseFtpCommand,
  parseFtpEprt,
  parseFtpEpsvPort,
  parseFtpHostPort,
  parseFtpReplyLine,
} from './parser.js';
import { isDefaultPasswordBytes } from '../default-credential-check.js';

/** FTP control port. */
export const FTP_PORTS = [21] as const;
/** Commands kept in the record (the first ones; all are counted in `commands_total`). */
export const MAX_LOGGED_COMMANDS = 64;
/** Commands read before the connection is left alone (a long session of NOOPs costs nothing beyond it). */
export const MAX_FTP_COMMANDS = 4096;
/** Commands waiting for their reply (pipelining); beyond it the oldest is given up. */
export const MAX_PENDING = 32;
/** Lines kept of one multi-line reply (FEAT, banners); further lines are counted only. */
export const MAX_REPLY_LINES = 64;
/** Longest banner kept (the greeting's lines joined with "\n"), in characters. */
export const MAX_BANNER_CHARS = 1024;
/** Unsolicited replies kept. */
export const MAX_UNSOLICITED = 8;
/** Distinct user names kept. */
export const MAX_USERS = 16;
/** Data connections kept. */
export const MAX_DATA_CHANNELS = 32;
/** Lines that are neither commands nor replies before the connection is judged not FTP. */
export const MAX_BAD_LINES = 8;

/** Session anomaly names (parser anomalies of a line are added as `<anomaly>` too). */
export const FTP_SESSION_ANOMALIES = {
  /** A client line that is not `verb [SP arg]`. */
  not_a_command: 'client line that is not a command',
  /** A server line without a reply code outside a multi-line reply. */
  text_without_code: 'server line without a code outside a multi-line reply',
  /** A final reply with no command waiting for it (other than the greeting), e.g. 421 on time-out. */
  unsolicited_reply: 'reply with no command waiting',
  /** More than MAX_PENDING commands waiting; the oldest dropped. */
  too_many_pending: 'more than MAX_PENDING unanswered commands',
  /** More than MAX_REPLY_LINES lines in one reply. */
  long_reply: 'reply longer than MAX_REPLY_LINES lines',
  /** More than MAX_DATA_CHANNELS data connections announced. */
  too_many_data_channels: 'more than MAX_DATA_CHANNELS data connections',
  /** MAX_FTP_COMMANDS commands read: the rest of the connection is not analysed. */
  too_many_commands: 'MAX_FTP_COMMANDS reached, analysis stopped',
  /** PORT/EPRT argument or 227/229 reply whose address does not parse. */
  bad_data_address: 'unparseable data connection address',
  /** Bytes missing from the capture; command/reply pairing restarted. */
  gap: 'capture gap',
} as const;

/** One command and its reply. */
export interface FtpExchange {
  /** The verb as sent. */
  command: string;
  /** The argument, null when absent or not kept (see `redacted`). */
  arg: string | null;
  /** `password`: PASS/ACCT argument dropped; `path`: a file or directory name dropped (and the reply text). */
  redacted: FtpRedaction | null;
  /** The first 1xx preliminary reply code, if any (150 before a transfer). */
  preliminary_code: number | null;
  /** The final reply code; null when none was seen. */
  reply_code: number | null;
  /** The final reply's first line text; null when none, or when it may name a path (`redacted: path`, PWD). */
  reply_text: string | null;
}

/** A data connection announced on the control connection. */
export interface FtpDataChannel {
  /** PORT, EPRT (active: the client listens) or PASV, EPSV (passive: the server listens). */
  command: string;
  passive: boolean;
  /** The listening address (for EPSV, the server's control address, RFC 2428 §3). */
  ip: string;
  port: number;
}

/** One FTP control connection, as logged. */
export interface FtpSession {
  /** The greeting's code (220 ready, 120 later, 421 refused), null if not seen. */
  greeting_code: number | null;
  /** The greeting's text, its lines joined with "\n" (at most MAX_BANNER_CHARS), null if not seen. */
  banner: string | null;
  /** The user that logged in, else the last USER argument; null when no USER was sent. */
  user: string | null;
  /** Distinct USER arguments, in order (at most MAX_USERS). */
  users: string[];
  /** USER anonymous or ftp (RFC 1635): the password is by convention an e-mail address, not kept either. */
  anonymous: boolean;
  /** A PASS with a non-empty argument was sent in clear (its value is never kept). */
  cleartext_password: boolean;
  /**
   * A PASS with the current (non-anonymous) user was a pair of the default-credential list, tested at once and
   * dropped (src/protocols/default-credential-check.ts); `user` names the account.
   */
  default_credential: boolean;
  /** true when a login was accepted (230), false when every answered attempt was refused (530), null otherwise. */
  login_success: boolean | null;
  /** USER / PASS / ACCT commands answered with 230 or 530. */
  login_attempts: number;
  /** Of those, answered 530. */
  login_failures: number;
  /** The SYST reply's text (215), null if not seen. */
  syst: string | null;
  /** The features listed in a FEAT reply (211, RFC 2389), trimmed; null if not seen. */
  features: string[] | null;
  /** The AUTH argument (RFC 2228: TLS, SSL, GSSAPI…), null if none was sent. */
  auth: string | null;
  /** AUTH was accepted (234): everything after it is TLS and not analysed. */
  tls: boolean;
  /** Data connections announced (at most MAX_DATA_CHANNELS). */
  data_channels: FtpDataChannel[];
  /** Replies with no command waiting (e.g. 421 or 221 as the server closes), the first MAX_UNSOLICITED. */
  unsolicited_replies: { code: number; text: string }[];
  /** The first MAX_LOGGED_COMMANDS commands with their replies. */
  commands: FtpExchange[];
  /** Commands read in all. */
  commands_total: number;
  anomalies: string[];
}

/** True when the first bytes from the server are an FTP greeting (`220 ` or `220-`, not an SMTP one). */
export function sniffFtp(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  if (fromClient || len < 4 || b[off] !== 0x32 || b[off + 1] !== 0x32 || b[off + 2] !== 0x30) return false;
  if (b[off + 3] !== 0x20 && b[off + 3] !== 0x2d) return false;
  let end = off + 4;
  const limit = off + Math.min(len, 512);
  while (end < limit && b[end] !== 0x0a) end++;
  return !/smtp/i.test(Buffer.from(b.buffer, b.byteOffset + off, end - off).toString('latin1'));
}

/** A reply being assembled. */
interface Reply {
  code: number;
  lines: string[];
  extra: number;
}

/** A command waiting for its reply. */
interface Pending {
  cmd: FtpCommand;
  exchange: FtpExchange;
}

/** The per-connection FTP reader. */
class FtpParser implements StreamParser {
  private readonly clientLines = new LineAssembler(MAX_FTP_LINE);
  private readonly serverLines = new LineAssembler(MAX_FTP_LINE);
  private readonly pending: Pending[] = [];
  private reply: Reply | null = null;
  private readonly s: FtpSession = {
    greeting_code: null, banner: null, user: null, users: [], anonymous: false, cleartext_password: false, default_credential: false,
    login_success: null, login_attempts: 0, login_failures: 0, syst: null, features: null, auth: null, tls: false,
    data_channels: [], unsolicited_replies: [], commands: [], commands_total: 0, anomalies: [],
  };
  private readonly noted = new Set<string>();
  private loggedInAs: string | null = null;
  private badLines = 0;
  private seen = false;
  private emitted = false;
  private status = StreamStatus.More;
  error: string | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  data(fromClient: boolean, b: Uint8Array, off: number, len: number): StreamStatus {
    if (this.status !== StreamStatus.More) return this.status;
    if (fromClient) this.clientLines.push(b, off, len, (lb, s, e, cut) => this.clientLine(lb, s, e, cut));
    else this.serverLines.push(b, off, len, (lb, s, e, cut) => this.serverLine(lb, s, e, cut));
    return this.status;
  }

  gap(fromClient: boolean): StreamStatus {
    (fromClient ? this.clientLines : this.serverLines).reset();
    if (!fromClient) this.reply = null;
    this.pending.length = 0;
    this.note('gap');
    return this.status;
  }

  end(): void {
    if (this.emitted || !this.seen) return;
    this.emitted = true;
    this.emit({ kind: 'ftp', ctx: this.ctx.base, msg: this.s });
  }

  /** Records an anomaly once per connection. */
  private note(anomaly: string): void {
    if (this.noted.has(anomaly)) return;
    this.noted.add(anomaly);
    this.s.anomalies.push(anomaly);
  }

  private badLine(anomaly: keyof typeof FTP_SESSION_ANOMALIES): boolean {
    this.note(anomaly);
    if (!this.seen && ++this.badLines >= MAX_BAD_LINES) {
      this.error = 'not_ftp';
      this.status = StreamStatus.Failed;
      return false;
    }
    return true;
  }

  private clientLine(b: Uint8Array, start: number, end: number, cut: boolean): boolean {
    if (end === start && !cut) return true;
    const r = parseFtpCommand(b, start, end - start);
    if (!r.ok) return this.badLine('not_a_command');
    const cmd = r.value;
    if (this.s.commands_total === 0 && (cmd.verb === 'EHLO' || cmd.verb === 'HELO')) {
      this.error = 'smtp';
      this.status = StreamStatus.Failed;
      return false;
    }
    this.seen = true;
    if (cut) this.note('long_line');
    for (const a of cmd.anomalies) this.note(a);
    const s = this.s;
    if (cmd.verb === 'PASS' && cmd.has_arg && !s.anonymous && isDefaultPasswordBytes(s.user, b, start + cmd.arg_start, start + cmd.arg_end)) s.default_credential = true;
    const exchange: FtpExchange = { command: cmd.command, arg: cmd.arg, redacted: cmd.redacted, preliminary_code: null, reply_code: null, reply_text: null };
    if (s.commands.length < MAX_LOGGED_COMMANDS) s.commands.push(exchange);
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.note('too_many_pending');
    }
    this.pending.push({ cmd, exchange });
    this.onCommand(cmd);
    if (++s.commands_total >= MAX_FTP_COMMANDS) {
      this.note('too_many_commands');
      this.status = StreamStatus.Done;
      return false;
    }
    return true;
  }

  /** What a command says by itself (before its reply). */
  private onCommand(cmd: FtpCommand): void {
    const s = this.s;
    if (cmd.verb === 'USER' && cmd.arg !== null) {
      s.user = cmd.arg;
      if (!s.users.includes(cmd.arg) && s.users.length < MAX_USERS) s.users.push(cmd.arg);
      if (/^(anonymous|ftp)$/i.test(cmd.arg)) s.anonymous = true;
    } else if (cmd.verb === 'PASS' && cmd.has_arg) s.cleartext_password = true;
    else if (cmd.verb === 'AUTH') s.auth = cmd.arg;
    else if (cmd.verb === 'PORT' && cmd.arg !== null) this.dataChannel(cmd.command, false, parseFtpHostPort(cmd.arg));
    else if (cmd.verb === 'EPRT' && cmd.arg !== null) this.dataChannel(cmd.command, false, parseFtpEprt(cmd.arg));
  }

  private dataChannel(command: string, passive: boolean, hp: { ip: string; port: number } | null): void {
    if (hp === null) {
      this.note('bad_data_address');
      return;
    }
    if (this.s.data_channels.length >= MAX_DATA_CHANNELS) {
      this.note('too_many_data_channels');
      return;
    }
    this.s.data_channels.push({ command, passive, ip: hp.ip, port: hp.port });
  }

  private serverLine(b: Uint8Array, start: number, end: number, cut: boolean): boolean {
    const r = parseFtpReplyLine(b, start, end - start);
    if (!r.ok) return true;
    const line = r.value;
    if (cut) this.note('long_line');
    const rep = this.reply;
    if (rep === null) {
      if (line.code === null) return end === start || this.badLine('text_without_code');
      this.seen = true;
      for (const a of line.anomalies) this.note(a);
      const fresh: Reply = { code: line.code, lines: [line.text], extra: 0 };
      if (line.more) this.reply = fresh;
      else this.onReply(fresh);
      return this.status === StreamStatus.More;
    }
    const closing = line.code === rep.code && !line.more;
    if (rep.lines.length < MAX_REPLY_LINES) rep.lines.push(line.code === rep.code ? line.text : decodeWireText(b, start, end));
    else if (rep.extra++ === 0) this.note('long_reply');
    if (closing) {
      this.reply = null;
      this.onReply(rep);
    }
    return this.status === StreamStatus.More;
  }

  /** A complete reply: the greeting, a preliminary reply, or the final reply of the oldest waiting command. */
  private onReply(rep: Reply): void {
    const s = this.s;
    const head = this.pending[0];
    if (head === undefined) {
      if (s.greeting_code === null || (s.greeting_code >= 100 && s.greeting_code < 200 && s.commands_total === 0)) {
        s.greeting_code = rep.code;
        s.banner = rep.lines.join('\n').slice(0, MAX_BANNER_CHARS);
      } else {
        this.note('unsolicited_reply');
        if (s.unsolicited_replies.length < MAX_UNSOLICITED) s.unsolicited_replies.push({ code: rep.code, text: rep.lines[0] ?? '' });
      }
      return;
    }
    const x = head.exchange;
    if (rep.code < 200) {
      x.preliminary_code ??= rep.code;
      return;
    }
    this.pending.shift();
    x.reply_code = rep.code;
    x.reply_text = x.redacted === 'path' || head.cmd.verb === 'PWD' || head.cmd.verb === 'XPWD' ? null : rep.lines[0] ?? '';
    this.onFinalReply(head.cmd, rep);
  }

  /** What a final reply says about its command. */
  private onFinalReply(cmd: FtpCommand, rep: Reply): void {
    const s = this.s;
    const v = cmd.verb;
    if ((v === 'USER' || v === 'PASS' || v === 'ACCT') && (rep.code === 230 || rep.code === 530)) {
      s.login_attempts++;
      if (rep.code === 230) {
        s.login_success = true;
        this.loggedInAs = s.user;
      } else {
        s.login_failures++;
        s.login_success ??= false;
      }
      if (this.loggedInAs !== null) s.user = this.loggedInAs;
    } else if (v === 'SYST' && rep.code === 215) s.syst = rep.lines[0] ?? '';
    else if (v === 'FEAT' && rep.code === 211) s.features = rep.lines.slice(1, -1).map((l) => l.trim()).filter((l) => l !== '');
    else if (v === 'PASV' && rep.code === 227) this.dataChannel(cmd.command, true, parseFtpHostPort(rep.lines.join(' ')));
    else if (v === 'EPSV' && rep.code === 229) {
      const port = parseFtpEpsvPort(rep.lines.join(' '));
      this.dataChannel(cmd.command, true, port === null ? null : { ip: this.ctx.base.dst_ip, port });
    } else if (v === 'AUTH' && rep.code === 234) {
      s.tls = true;
      this.status = StreamStatus.Done;
    }
  }
}

/** A parser for one FTP control connection. */
export function openFtpStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new FtpParser(ctx, emit);
}
