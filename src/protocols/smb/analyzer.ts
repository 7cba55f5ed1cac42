/**
 * SMB analyzer (TCP 445 direct hosting, TCP 139 NetBIOS session service — RFC 1002 §4.3): frames each direction
 * into messages (4-byte header: type + 24-bit length; a session request carries the called and calling NetBIOS
 * names), decodes NEGOTIATE and SESSION_SETUP messages (parser.ts, ntlmssp.ts) and writes one `smb` observation per
 * connection when it ends. Large messages (READ/WRITE data) are skipped without being buffered; the analyzer is done
 * once a session setup succeeds, or after MAX_SMB_CONNECTION_BYTES / MAX_SMB_MESSAGES.
 */
import type { ObservationSink } from '../../observe/observation.js';
import { StreamBuffer } from '../stream-buffer.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import type { NtlmMessage } from './ntlmssp.js';
import { parseSmbMessage, SMB1_NEGOTIATE, SMB1_SESSION_SETUP, SMB2_NEGOTIATE, SMB2_SESSION_SETUP, type SmbMessage } from './parser.js';

/** SMB ports: direct hosting and NetBIOS session service. */
export const SMB_PORTS = [445, 139] as const;
/** Largest message buffered (NEGOTIATE and SESSION_SETUP are far smaller; larger ones are skipped). */
export const MAX_SMB_MESSAGE = 65_536;
/** Bytes of one connection (both directions) read before giving up on a session setup. */
export const MAX_SMB_CONNECTION_BYTES = 1 << 20;
/** Messages of one connection read before giving up. */
export const MAX_SMB_MESSAGES = 256;
/** NEGOTIATE / SESSION_SETUP messages kept in the record. */
export const MAX_LOGGED_MESSAGES = 16;

const NB_MESSAGE = 0x00;
const NB_SESSION_REQUEST = 0x81;
const STATUS_SUCCESS = 0;

/** A NEGOTIATE or SESSION_SETUP message of the connection, as logged. */
export interface SmbLoggedMessage extends Omit<SmbMessage, 'anomalies'> {
  from_client: boolean;
}

/** One SMB connection's negotiation and authentication, as logged. */
export interface SmbSession {
  /** `netbios` when the connection began with a NetBIOS session request (port 139), else `direct`. */
  transport: 'direct' | 'netbios';
  /** NetBIOS session request names, `NAME<xx>`. */
  called_name: string | null;
  calling_name: string | null;
  /** The server answered in SMB1 (NEGOTIATE response or later): SMBv1 in use. */
  smb_v1: boolean;
  /** SMB1 dialect strings offered by the client. */
  smb1_dialects: string[] | null;
  /** SMB2 dialect revisions offered by the client (0x0202 …; from an SMB2 NEGOTIATE). */
  smb2_dialects: string[] | null;
  /** The dialect chosen: an SMB1 dialect string, or an SMB2 revision ("0x0311"; "0x02ff" = SMB2 wildcard). */
  dialect: string | null;
  client_guid: string | null;
  server_guid: string | null;
  /** SMB1 SESSION_SETUP_ANDX strings of each side. */
  client_native_os: string | null;
  client_native_lanman: string | null;
  server_native_os: string | null;
  server_native_lanman: string | null;
  /** NTLMSSP VERSION of each side, "major.minor.build". */
  client_ntlm_version: string | null;
  server_ntlm_version: string | null;
  /** CHALLENGE target name and target info. */
  target_name: string | null;
  nb_computer: string | null;
  nb_domain: string | null;
  dns_computer: string | null;
  dns_domain: string | null;
  dns_tree: string | null;
  server_time: string | null;
  /** AUTHENTICATE (or SMB1 plaintext session setup) user, domain and workstation; never a password or response. */
  user: string | null;
  user_domain: string | null;
  workstation: string | null;
  /** The last SESSION_SETUP response's status; null when none was seen. */
  session_setup_status: number | null;
  /** NEGOTIATE / SESSION_SETUP messages in order (at most MAX_LOGGED_MESSAGES). */
  messages: SmbLoggedMessage[];
  /** Parser anomalies prefixed `client:` / `server:`, and framing problems. */
  anomalies: string[];
}

/** True when the client's first bytes look like a direct-TCP SMB message or a NetBIOS session request. */
export function sniffSmb(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  if (!fromClient || len < 8 || b[off] !== NB_MESSAGE) return false;
  return (b[off + 4] === 0xff || b[off + 4] === 0xfe) && b[off + 5] === 0x53 && b[off + 6] === 0x4d && b[off + 7] === 0x42;
}

/** The first-level decoded NetBIOS name at b[p] (RFC 1001 §14.1) as `NAME<xx>`, or null. */
export function decodeSessionName(b: Uint8Array, p: number, end: number): { name: string; next: number } | null {
  if (p + 34 > end || b[p] !== 32) return null;
  let name = '';
  let suffix = 0;
  for (let i = 0; i < 16; i++) {
    const hi = b[p + 1 + 2 * i]! - 0x41;
    const lo = b[p + 2 + 2 * i]! - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) return null;
    const c = (hi << 4) | lo;
    if (i === 15) suffix = c;
    else name += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
  }
  let q = p + 33;
  while (q < end && b[q] !== 0) q += b[q]! + 1; // scope labels
  return { name: `${name.trimEnd()}<${suffix.toString(16).padStart(2, '0')}>`, next: q + 1 };
}

/** Framing state of one direction. */
class Direction {
  readonly buf = new StreamBuffer(MAX_SMB_MESSAGE + 4);
  /** Bytes of an oversized message still to skip. */
  skip = 0;
}

const versionText = (n: NtlmMessage): string | null => (n.version ? `${n.version.major}.${n.version.minor}.${n.version.build}` : null);

/** The per-connection SMB reader. */
class SmbParser implements StreamParser {
  private readonly dirs = { client: new Direction(), server: new Direction() };
  private readonly s: SmbSession = {
    transport: 'direct', called_name: null, calling_name: null, smb_v1: false, smb1_dialects: null, smb2_dialects: null,
    dialect: null, client_guid: null, server_guid: null, client_native_os: null, client_native_lanman: null,
    server_native_os: null, server_native_lanman: null, client_ntlm_version: null, server_ntlm_version: null,
    target_name: null, nb_computer: null, nb_domain: null, dns_computer: null, dns_domain: null, dns_tree: null,
    server_time: null, user: null, user_domain: null, workstation: null, session_setup_status: null, messages: [],
    anomalies: [],
  };
  private bytes = 0;
  private count = 0;
  private done = false;
  private seen = false;
  private emitted = false;
  error: string | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  data(fromClient: boolean, b: Uint8Array, off: number, len: number): StreamStatus {
    const d = fromClient ? this.dirs.client : this.dirs.server;
    this.bytes += len;
    let p = off;
    const end = off + len;
    while (p < end && !this.done && this.error === null) {
      if (d.skip > 0) {
        const n = Math.min(d.skip, end - p);
        d.skip -= n;
        p += n;
        continue;
      }
      p += this.fill(d, b, p, end);
      this.frame(fromClient, d);
    }
    if (this.error !== null) return StreamStatus.Failed;
    if (this.bytes > MAX_SMB_CONNECTION_BYTES || this.count > MAX_SMB_MESSAGES) this.done = true;
    return this.done ? StreamStatus.Done : StreamStatus.More;
  }

  gap(): StreamStatus {
    // Message boundaries are lost; what was seen is logged at the end.
    this.s.anomalies.push('gap');
    this.done = true;
    return StreamStatus.Done;
  }

  end(): void {
    if (this.emitted || !this.seen) return;
    this.emitted = true;
    this.emit({ kind: 'smb', ctx: this.ctx.base, msg: this.s });
  }

  /** Appends what the current frame still needs from b[p, end); returns the bytes taken. */
  private fill(d: Direction, b: Uint8Array, p: number, end: number): number {
    const v = d.buf.view();
    const need = v.length < 4 ? 4 - v.length : 4 + frameLength(v) - v.length;
    return d.buf.append(b, p, Math.min(need, end - p));
  }

  /** Handles the buffered frame once complete; starts skipping an oversized one. */
  private frame(fromClient: boolean, d: Direction): void {
    const v = d.buf.view();
    if (v.length < 4) return;
    const n = frameLength(v);
    if (v[0] !== NB_MESSAGE && v[0] !== NB_SESSION_REQUEST && (v[0]! < 0x82 || v[0]! > 0x85)) {
      this.fail('bad_frame_type');
      return;
    }
    if (n > MAX_SMB_MESSAGE) {
      d.skip = n - (v.length - 4);
      d.buf.clear();
      this.count++;
      return;
    }
    if (v.length < 4 + n) return;
    this.count++;
    if (v[0] === NB_MESSAGE && n > 0) this.message(fromClient, v, 4, n);
    else if (v[0] === NB_SESSION_REQUEST && fromClient) this.sessionRequest(v, 4 + n);
    d.buf.clear();
  }

  private fail(error: string): void {
    if (this.seen) {
      this.s.anomalies.push(error);
      this.done = true;
    } else this.error = error;
  }

  private sessionRequest(v: Uint8Array, end: number): void {
    this.s.transport = 'netbios';
    this.seen = true;
    const called = decodeSessionName(v, 4, end);
    const calling = called ? decodeSessionName(v, called.next, end) : null;
    this.s.called_name = called?.name ?? null;
    this.s.calling_name = calling?.name ?? null;
  }

  private message(fromClient: boolean, v: Uint8Array, off: number, len: number): void {
    const r = parseSmbMessage(v, off, len);
    if (!r.ok) {
      this.fail(`not_smb:${r.error}`);
      return;
    }
    this.seen = true;
    const m = r.value;
    for (const a of m.anomalies) this.s.anomalies.push(`${fromClient ? 'client' : 'server'}:${a}`);
    if (m.version === 1 && !fromClient) this.s.smb_v1 = true;
    const isNeg = m.command === (m.version === 1 ? SMB1_NEGOTIATE : SMB2_NEGOTIATE);
    const isSetup = m.command === (m.version === 1 ? SMB1_SESSION_SETUP : SMB2_SESSION_SETUP);
    if (!isNeg && !isSetup) return;
    const { anomalies: _a, ...logged } = m;
    if (this.s.messages.length < MAX_LOGGED_MESSAGES) this.s.messages.push({ from_client: fromClient, ...logged });
    if (isNeg) this.negotiate(m);
    else this.sessionSetup(fromClient, m);
  }

  private negotiate(m: SmbMessage): void {
    const s = this.s;
    if (!m.response) {
      if (m.version === 1) s.smb1_dialects = m.dialects;
      else {
        s.smb2_dialects = m.dialects;
        s.client_guid = m.guid;
      }
      return;
    }
    if (m.version === 1) {
      const i = m.dialect_index;
      s.dialect = i !== null && s.smb1_dialects !== null ? s.smb1_dialects[i] ?? null : null;
    } else {
      s.dialect = m.dialect;
      s.server_guid = m.guid;
    }
  }

  private sessionSetup(fromClient: boolean, m: SmbMessage): void {
    const s = this.s;
    if (m.native_os !== null) s[fromClient ? 'client_native_os' : 'server_native_os'] = m.native_os;
    if (m.native_lanman !== null) s[fromClient ? 'client_native_lanman' : 'server_native_lanman'] = m.native_lanman;
    if (m.account) {
      s.user = m.account;
      s.user_domain = m.primary_domain;
    }
    if (m.ntlm !== null) this.ntlm(fromClient, m.ntlm);
    if (m.response) {
      s.session_setup_status = m.status;
      if (m.status === STATUS_SUCCESS) this.done = true;
    }
  }

  private ntlm(fromClient: boolean, n: NtlmMessage): void {
    const s = this.s;
    const version = versionText(n);
    if (version !== null) s[fromClient ? 'client_ntlm_version' : 'server_ntlm_version'] = version;
    if (n.type === 2) {
      s.target_name = n.target_name;
      const ti = n.target_info;
      if (ti !== null) {
        s.nb_computer = ti.nb_computer;
        s.nb_domain = ti.nb_domain;
        s.dns_computer = ti.dns_computer;
        s.dns_domain = ti.dns_domain;
        s.dns_tree = ti.dns_tree;
        s.server_time = ti.timestamp;
      }
    } else if (n.type === 3) {
      s.user = n.user;
      s.user_domain = n.domain;
      s.workstation = n.workstation;
    }
  }
}

/** The payload length of the frame whose 4-byte header is at v[0]: 24 bits (RFC 1002's 17 plus direct TCP's 24). */
function frameLength(v: Uint8Array): number {
  return (v[1]! << 16) | (v[2]! << 8) | v[3]!;
}

/** A parser for one SMB connection. */
export function openSmbStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new SmbParser(ctx, emit);
}
