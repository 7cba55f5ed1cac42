/**
 * TLS stream analyzer: per TCP connection, reads each direction's records (RFC 8446 §5.1, RFC 5246 §6.2), reassembles
 * handshake messages across records and segments (bounded by MAX_HANDSHAKE_MESSAGE), hands them to parser.ts, and
 * emits one `tls` observation per connection (session.ts) once nothing more can be read in the clear: after both
 * sides sent ChangeCipherSpec, application data or an alert, or after a ServerHello selecting TLS 1.3. An SSL 2.0
 * record at the start of a direction (draft-hickman §2.1) is read as an SSL 2.0 hello.
 *
 * Costs: a 5-byte header and at most one handshake message buffered per direction; bulk data is never buffered
 * (the connection is released as soon as the handshake is over).
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import {
  CONTENT_TYPE,
  HANDSHAKE_TYPE,
  MAX_HANDSHAKE_MESSAGE,
  MAX_RECORD_LENGTH,
  handshakeMessage,
  parseSsl2ClientHello,
  parseSsl2ServerHello,
  recordHeaderError,
  ssl2RecordLength,
} from './parser.js';
import { TlsSessionBuilder } from './session.js';

/**
 * Server ports of TLS-first services: HTTPS 443 / 8443, SMTPS 465, NNTPS 563, LDAPS 636 / 3269, DNS over TLS 853,
 * FTPS 989 / 990, TELNETS 992, IMAPS 993, IRCS 994, POP3S 995, OPC UA TLS 4843,
 * SIP TLS 5061, AMQPS 5671, WinRM HTTPS 5986, syslog TLS 6514 (RFC 5425), MQTT TLS 8883. (RDP 3389 starts in the
 * clear and is not here; connections on other ports are found by `sniffTls`.)
 */
// DICOM TLS (2762, PS3.15 Annex B) belongs to the DICOM analyzer, which records the association as encrypted.
export const TLS_PORTS = [443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 3269, 4843, 5061, 5671, 5986, 6514, 8443, 8883] as const;

/**
 * Content detection on the first bytes of a connection: a handshake record header (0x16, version 0x0300–0x0304, a
 * length 1 … MAX_RECORD_LENGTH) whose message is a ClientHello from the client or a ServerHello from the server, or
 * an SSL 2.0 CLIENT-HELLO header (2-byte length, msg_type 1, a version 0x0002 or 0x0300–0x0304).
 */
export function sniffTls(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  if (len < 6) return false;
  const v = (b[off + 1]! << 8) | b[off + 2]!;
  if (b[off] === CONTENT_TYPE.HANDSHAKE) {
    const l = (b[off + 3]! << 8) | b[off + 4]!;
    return v >= 0x0300 && v <= 0x0304 && l > 0 && l <= MAX_RECORD_LENGTH &&
      b[off + 5] === (fromClient ? HANDSHAKE_TYPE.CLIENT_HELLO : HANDSHAKE_TYPE.SERVER_HELLO);
  }
  const l2 = ssl2RecordLength(b, off, len);
  const hv = (b[off + 3]! << 8) | b[off + 4]!;
  return fromClient && l2 >= 9 && b[off + 2] === 1 && (hv === 0x0002 || (hv >= 0x0300 && hv <= 0x0304));
}

/** The reading state of one direction. */
class Side {
  // The three small buffers below are made on first use: most headers are read in place, most records are no alerts.
  private hdrBytes: Uint8Array | null = null;
  private hsHdrBytes: Uint8Array | null = null;
  private alertBytes: Uint8Array | null = null;
  /** Bytes of the current record header (5) or SSL 2.0 header (2). */
  get hdr(): Uint8Array {
    return (this.hdrBytes ??= new Uint8Array(5));
  }
  hdrHave = 0;
  /** Content type and unread body bytes of the current record (recLeft 0 between records). */
  recType = 0;
  recLen = 0;
  recLeft = 0;
  /** The handshake message being assembled: its header, then the whole message once its length is known. */
  get hsHdr(): Uint8Array {
    return (this.hsHdrBytes ??= new Uint8Array(4));
  }
  hsHdrHave = 0;
  msg: Uint8Array | null = null;
  msgHave = 0;
  /** Bytes of an oversized handshake message still to skip. */
  skip = 0;
  /** The first two body bytes of an alert record. */
  get alert(): Uint8Array {
    return (this.alertBytes ??= new Uint8Array(2));
  }
  /** The side started with an SSL 2.0 record and still speaks SSL 2.0. */
  ssl2Mode = false;
  /** The SSL 2.0 record body being collected (null while its 2-byte header is read). */
  ssl2: Uint8Array | null = null;
  ssl2Have = 0;
  /** A ChangeCipherSpec was skipped before the ServerHello: only a hello can still come in the clear. */
  afterCcs = false;
  started = false;
  done = false;

  constructor(readonly physicalClient: boolean) {}

  /** True when the side stopped inside a record or a message. */
  midway(): boolean {
    return this.hdrHave > 0 || this.recLeft > 0 || this.msg !== null || this.hsHdrHave > 0 || this.skip > 0 || this.ssl2 !== null;
  }

  /** Forgets any partial record or message (the side is done). */
  stop(): void {
    this.done = true;
    this.hdrHave = 0;
    this.recLeft = 0;
    this.msg = null;
    this.hsHdrHave = 0;
    this.skip = 0;
    this.ssl2 = null;
  }
}

/** The client ↔ server swap of a context (the ingest guessed the connection's direction wrong). */
function swapped(c: PacketContext): PacketContext {
  return { ts_us: c.ts_us, src_mac: c.dst_mac, dst_mac: c.src_mac, src_ip: c.dst_ip, dst_ip: c.src_ip, src_port: c.dst_port, dst_port: c.src_port, vlan: c.vlan };
}

/** One connection's TLS reader. */
class TlsStream implements StreamParser {
  // The sides and the record are made when bytes arrive: many connections on a TLS port never carry any.
  private cSide: Side | null = null;
  private sSide: Side | null = null;
  private builder: TlsSessionBuilder | null = null;
  /** The side the ingest calls the server sent the ClientHello (or the other sent the ServerHello). */
  private flipped = false;
  private oriented = false;
  /** A record header or SSL 2.0 record was accepted on some side. */
  private anyRecord = false;
  /** A ServerHello selected TLS 1.3: every later handshake record is encrypted. */
  private tls13 = false;
  private firstTs = -1;
  private emitted = false;
  error: string | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  /** The record being built (made on first use). */
  private get b(): TlsSessionBuilder {
    return (this.builder ??= new TlsSessionBuilder());
  }

  /** The reading state of a direction (made on first use). */
  private side(fromClient: boolean): Side {
    return fromClient ? (this.cSide ??= new Side(true)) : (this.sSide ??= new Side(false));
  }

  data(fromClient: boolean, b: Uint8Array, off: number, len: number, ts: number): StreamStatus {
    const side = this.side(fromClient);
    let p = off;
    const end = off + len;
    while (p < end && !side.done && this.error === null) p = this.step(side, b, p, end, ts);
    return this.status(ts);
  }

  gap(fromClient: boolean, _missing: number, ts: number): StreamStatus {
    const side = this.side(fromClient);
    if (!side.done) {
      if (side.started) this.b.anomaly(`gap:${this.role(side)}`);
      side.done = true;
    }
    return this.status(ts);
  }

  end(ts: number): void {
    if (this.emitted || this.error !== null) return;
    this.endSide(this.cSide);
    this.endSide(this.sSide);
    this.flush(ts);
  }

  /** A side (if it got bytes) stopped inside a record or message at the connection's end: `truncated`. */
  private endSide(side: Side | null): void {
    if (side !== null && !side.done && side.midway()) this.b.anomaly(`truncated:${this.role(side)}`);
  }

  /** More, Done (emitting the record) once both sides are done, or Failed. */
  private status(ts: number): StreamStatus {
    if (this.error !== null) return StreamStatus.Failed;
    if (this.cSide === null || !this.cSide.done || this.sSide === null || !this.sSide.done) return StreamStatus.More;
    this.flush(ts);
    return StreamStatus.Done;
  }

  private flush(ts: number): void {
    if (this.emitted || this.builder === null || !this.builder.seen) return;
    this.emitted = true;
    const at = this.ctx.at(this.firstTs >= 0 ? this.firstTs : ts);
    this.emit({ kind: 'tls', ctx: this.flipped ? swapped(at) : at, msg: this.b.s });
  }

  /** 'client' or 'server': the side's role once the hellos told who is who. */
  private role(side: Side): 'client' | 'server' {
    return side.physicalClient !== this.flipped ? 'client' : 'server';
  }

  /** Reads from b[p, end) for `side`; returns where it stopped. */
  private step(side: Side, b: Uint8Array, p: number, end: number, ts: number): number {
    if (!side.started) {
      side.started = true;
      side.ssl2Mode = (b[p]! & 0x80) !== 0;
    }
    if (side.ssl2Mode) return this.ssl2Bytes(side, b, p, end, ts);
    if (side.recLeft === 0) {
      if (side.hdrHave === 0 && end - p >= 5) {
        this.recordHeader(side, b, p); // the whole header in these bytes: read in place
        return p + 5;
      }
      const k = Math.min(5 - side.hdrHave, end - p);
      side.hdr.set(b.subarray(p, p + k), side.hdrHave);
      side.hdrHave += k;
      if (side.hdrHave === 5) this.recordHeader(side, side.hdr, 0);
      return p + k;
    }
    const n = Math.min(side.recLeft, end - p);
    const at = side.recLen - side.recLeft;
    side.recLeft -= n;
    if (side.recType === CONTENT_TYPE.HANDSHAKE) this.handshakeBytes(side, b, p, n, ts);
    else if (side.recType === CONTENT_TYPE.ALERT) {
      for (let i = 0; i < n && at + i < 2; i++) side.alert[at + i] = b[p + i]!;
      if (side.recLeft === 0) this.alertRecord(side);
    }
    return p + n;
  }

  /** A complete 5-byte header at h[off]: starts the record, or ends the side (not TLS, or encrypted from here on). */
  private recordHeader(side: Side, h: Uint8Array, off: number): void {
    side.hdrHave = 0;
    const error = recordHeaderError(h, off);
    if (error !== null) return this.notTls(side, error);
    this.anyRecord = true;
    const type = h[off]!;
    const length = (h[off + 3]! << 8) | h[off + 4]!;
    if (type !== CONTENT_TYPE.HANDSHAKE && (side.msg !== null || side.hsHdrHave > 0 || side.skip > 0)) {
      this.b.anomaly('interleaved_record');
      side.msg = null;
      side.hsHdrHave = 0;
      side.skip = 0;
    }
    // Before the ServerHello a ChangeCipherSpec is TLS 1.3's middlebox-compatibility record (RFC 8446 §D.4), sent
    // around a HelloRetryRequest: a second ClientHello or the ServerHello may still follow in the clear (afterCcs).
    const compat = type === CONTENT_TYPE.CHANGE_CIPHER_SPEC && !this.b.serverHelloSeen;
    const encrypted = type === CONTENT_TYPE.APPLICATION_DATA || (type === CONTENT_TYPE.CHANGE_CIPHER_SPEC && !compat) ||
      (type === CONTENT_TYPE.HANDSHAKE && this.tls13);
    if (encrypted) {
      this.b.s.encrypted = true;
      side.stop();
      return;
    }
    if (compat) side.afterCcs = true;
    side.recType = type;
    side.recLen = length;
    side.recLeft = length;
    if (length === 0 && type === CONTENT_TYPE.ALERT) this.alertRecord(side);
  }

  /** Bytes that are not TLS: the connection fails if nothing was read yet, else this side stops. */
  private notTls(side: Side, why: string): void {
    side.stop();
    if (!this.anyRecord) this.error = why;
    else this.b.anomaly(`bad_record:${this.role(side)}`);
  }

  /**
   * The end of an alert record: a 2-byte cleartext alert is recorded. A fatal alert or close_notify ends the side (RFC
   * 8446 §6), as does an encrypted alert; a warning (e.g. unrecognized_name before a ServerHello) does not.
   */
  private alertRecord(side: Side): void {
    if (side.recLen !== 2) {
      if (side.recLen > 2) this.b.s.encrypted = true; // an encrypted alert (shorter: malformed)
      side.done = true;
      return;
    }
    const level = side.alert[0]!;
    const description = side.alert[1]!;
    this.b.alert(this.role(side), level, description);
    if (level !== 1 || description === 0) side.done = true;
  }

  /** Handshake record body bytes b[p, p+n): assembles messages (header, then the whole message) and handles them. */
  private handshakeBytes(side: Side, b: Uint8Array, p: number, n: number, ts: number): void {
    const end = p + n;
    while (p < end && !side.done) {
      if (side.skip > 0) {
        const k = Math.min(side.skip, end - p);
        side.skip -= k;
        p += k;
        continue;
      }
      if (side.msg === null) {
        const whole = this.wholeMessage(side, b, p, end);
        if (whole > 0) {
          // the whole message is in these bytes: parsed in place, not copied
          this.message(side, b, p, whole, ts);
          p += whole;
          continue;
        }
        const k = Math.min(4 - side.hsHdrHave, end - p);
        side.hsHdr.set(b.subarray(p, p + k), side.hsHdrHave);
        side.hsHdrHave += k;
        p += k;
        if (side.hsHdrHave < 4) return;
        side.hsHdrHave = 0;
        const t = side.hsHdr[0]!;
        if (side.afterCcs && t !== HANDSHAKE_TYPE.CLIENT_HELLO && t !== HANDSHAKE_TYPE.SERVER_HELLO) {
          this.b.s.encrypted = true; // after a ChangeCipherSpec, anything but a hello is encrypted
          return side.stop();
        }
        const length = (side.hsHdr[1]! << 16) | (side.hsHdr[2]! << 8) | side.hsHdr[3]!;
        if (length > MAX_HANDSHAKE_MESSAGE) {
          this.b.anomaly(`oversized_handshake:${side.hsHdr[0]}`);
          this.b.handshakeType(this.role(side), side.hsHdr[0]!);
          side.skip = length;
          continue;
        }
        side.msg = new Uint8Array(4 + length);
        side.msg.set(side.hsHdr);
        side.msgHave = 4;
      }
      const k = Math.min(side.msg.length - side.msgHave, end - p);
      side.msg.set(b.subarray(p, p + k), side.msgHave);
      side.msgHave += k;
      p += k;
      if (side.msgHave === side.msg.length) {
        const m = side.msg;
        side.msg = null;
        this.message(side, m, 0, m.length, ts);
      }
    }
  }

  /**
   * The length (header included) of a handshake message starting at b[p] and complete before `end`, that can be
   * handled as it is (no partial header held, not oversized, not encrypted after a ChangeCipherSpec); 0 otherwise
   * (handshakeBytes then takes the general path, which deals with those cases).
   */
  private wholeMessage(side: Side, b: Uint8Array, p: number, end: number): number {
    if (side.hsHdrHave !== 0 || end - p < 4) return 0;
    const t = b[p]!;
    if (side.afterCcs && t !== HANDSHAKE_TYPE.CLIENT_HELLO && t !== HANDSHAKE_TYPE.SERVER_HELLO) return 0;
    const length = (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    return length <= MAX_HANDSHAKE_MESSAGE && 4 + length <= end - p ? 4 + length : 0;
  }

  /** Fixes who is the client from the first hello: its sender (ClientHello) or the other side (ServerHello). */
  private orient(side: Side, type: number): void {
    if (this.oriented || (type !== HANDSHAKE_TYPE.CLIENT_HELLO && type !== HANDSHAKE_TYPE.SERVER_HELLO)) return;
    this.oriented = true;
    this.flipped = (type === HANDSHAKE_TYPE.CLIENT_HELLO) !== side.physicalClient;
  }

  /** One complete handshake message b[off, off+len) (header included) from `side`; nothing parsed from it keeps a view of b. */
  private message(side: Side, b: Uint8Array, off: number, len: number, ts: number): void {
    const type = b[off]!;
    this.orient(side, type);
    if (this.firstTs < 0) this.firstTs = ts;
    const from = this.role(side);
    this.b.handshakeType(from, type);
    const h = handshakeMessage(b, off, len);
    if (typeof h === 'string') {
      this.b.anomaly(`bad_handshake:${type}:${h}`);
      return;
    }
    for (const a of h.anomalies) this.b.anomaly(a);
    if (h.client_hello) this.b.clientHello(h.client_hello);
    else if (h.server_hello) {
      if (this.b.serverHello(h.server_hello)) {
        // TLS 1.3: the server's next handshake messages are encrypted; the client may still send a cleartext alert.
        this.tls13 = true;
        side.stop();
      }
    } else if (h.certificate) this.b.certificates(from, h.certificate);
    else if (type === HANDSHAKE_TYPE.CERTIFICATE_REQUEST) this.b.s.certificate_request = true;
  }

  /** Collects the SSL 2.0 records of a side that started with one (2-byte header form) and hands each to ssl2Message. */
  private ssl2Bytes(side: Side, b: Uint8Array, p: number, end: number, ts: number): number {
    if (side.ssl2 === null) {
      const k = Math.min(2 - side.hdrHave, end - p);
      side.hdr.set(b.subarray(p, p + k), side.hdrHave);
      side.hdrHave += k;
      if (side.hdrHave === 2) {
        const n = ssl2RecordLength(side.hdr, 0, 2);
        if (n < 1) {
          this.notTls(side, 'bad_ssl2_record');
          return p + k;
        }
        side.ssl2 = new Uint8Array(n);
        side.ssl2Have = 0;
      }
      return p + k;
    }
    const buf = side.ssl2;
    const k = Math.min(buf.length - side.ssl2Have, end - p);
    buf.set(b.subarray(p, p + k), side.ssl2Have);
    side.ssl2Have += k;
    if (side.ssl2Have === buf.length) {
      side.ssl2 = null;
      side.hdrHave = 0;
      this.ssl2Message(side, buf, ts);
    }
    return p + k;
  }

  /**
   * One SSL 2.0 record body (draft-hickman §2.5): a CLIENT-HELLO (a later client's compatible hello switches the side
   * to TLS records), a SERVER-HELLO (what follows is encrypted), or the CLIENT-MASTER-KEY after a hello (listed; the
   * rest is encrypted). Anything else first is not TLS; later, it ends the side.
   */
  private ssl2Message(side: Side, m: Uint8Array, ts: number): void {
    const type = m[0]!;
    const first = !this.oriented;
    if (type === 2 && !first) {
      this.b.handshakeType(this.role(side), type);
      return side.stop();
    }
    if (type !== 1 && type !== 4) return first ? this.notTls(side, 'bad_ssl2_record') : side.stop();
    const r = type === 1 ? parseSsl2ClientHello(m, 0, m.length) : parseSsl2ServerHello(m, 0, m.length);
    if (!r.ok) return first ? this.notTls(side, r.error) : side.stop();
    this.orient(side, type === 1 ? HANDSHAKE_TYPE.CLIENT_HELLO : HANDSHAKE_TYPE.SERVER_HELLO);
    this.anyRecord = true;
    if (this.firstTs < 0) this.firstTs = ts;
    this.b.handshakeType(this.role(side), type);
    if ('challenge_length' in r.value) {
      this.b.ssl2ClientHello(r.value);
      if (r.value.version >= 0x0300) side.ssl2Mode = false; // SSL 3.0 / TLS records follow
    } else {
      this.b.ssl2ServerHello(r.value);
      side.stop();
    }
  }
}

/** A TLS reader for one connection. */
export function openTlsStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new TlsStream(ctx, emit);
}
