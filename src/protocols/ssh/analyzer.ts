/**
 * SSH analyzer (TCP 22, or any connection whose first bytes are "SSH-"): per connection, the identification
 * string of each side, then each side's SSH_MSG_KEXINIT, then nothing more (everything after is encrypted) →
 * one `ssh` observation, with the HASSH / HASSHServer fingerprints and the algorithms RFC 4253 §7.1 negotiates.
 * Decoding in parser.ts.
 *
 * HASSH (Salesforce, 2018): md5 of "kex;encryption;mac;compression" taken from the client's KEXINIT
 * (client-to-server lists); HASSHServer the same from the server's KEXINIT (server-to-client lists).
 */
import { createHash } from 'node:crypto';
import type { ObservationSink } from '../../observe/observation.js';
import { LineAssembler, StreamBuffer } from '../stream-buffer.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import {
  frameSshPacket,
  type KexinitList,
  MAX_IDENT_BYTES,
  MAX_SSH_PACKET,
  negotiateAlgorithm,
  parseSshIdentification,
  parseSshKexinit,
  SSH_MSG_KEXINIT,
  type SshIdentification,
  type SshKexinit,
  startsWithSsh,
} from './parser.js';

/** SSH port. */
export const SSH_PORTS = [22] as const;
/** Lines a server may send before its identification (RFC 4253 §4.2) before the side is given up. */
export const MAX_PRE_IDENT_LINES = 32;
/** Packets a side may send before its KEXINIT (SSH_MSG_IGNORE, DEBUG) before it is given up. */
export const MAX_PACKETS_BEFORE_KEXINIT = 8;

/**
 * Session anomaly names (the `anomalies` of the record; parser anomalies stay in the identification and KEXINIT
 * objects). Each is prefixed `client:` or `server:` (the side it concerns), except `no_identification`.
 */
export const SSH_SESSION_ANOMALIES = {
  /** Lines before the identification (allowed from a server by RFC 4253 §4.2, not from a client). */
  pre_identification_lines: 'lines before the identification string',
  /** No identification within MAX_PRE_IDENT_LINES lines, or the stream ended first. */
  no_identification: 'no SSH identification string',
  /** A line starting with "SSH-" that does not parse (empty protocol version). */
  bad_identification: 'unparseable identification line',
  /** A binary packet with an impossible length before KEXINIT. */
  bad_packet: 'binary packet with an impossible length',
  /** A packet starting with code 20 that does not parse as KEXINIT. */
  bad_kexinit: 'unparseable KEXINIT',
  /** More than MAX_PACKETS_BEFORE_KEXINIT packets before KEXINIT. */
  no_kexinit: 'no KEXINIT among the first packets',
  /** Bytes missing from the capture before the handshake was complete. */
  gap: 'capture gap during the handshake',
} as const;

/** One SSH connection's handshake, as logged. */
export interface SshSession {
  /** 2 when both sides speak SSH 2 (a "1.99" server counts as 2 with a 2.0 client), 1 for SSH 1; null if unknown. */
  version: 1 | 2 | null;
  /** The client's identification string (RFC 4253 §4.2), null if not seen. */
  client: SshIdentification | null;
  /** The server's identification string, null if not seen. */
  server: SshIdentification | null;
  /** Lines the server sent before its identification (RFC 4253 §4.2 allows them; not kept). */
  server_pre_identification_lines: number;
  /** The client's KEXINIT, null if not seen. */
  client_kexinit: SshKexinit | null;
  /** The server's KEXINIT, null if not seen. */
  server_kexinit: SshKexinit | null;
  /** HASSH: md5 hex of `hassh_algorithms`. */
  hassh: string | null;
  /** The client's "kex;encryption c→s;mac c→s;compression c→s" name-lists. */
  hassh_algorithms: string | null;
  /** HASSHServer: md5 hex of `hassh_server_algorithms`. */
  hassh_server: string | null;
  /** The server's "kex;encryption s→c;mac s→c;compression s→c" name-lists. */
  hassh_server_algorithms: string | null;
  /** Negotiated algorithms (RFC 4253 §7.1: the client's first that the server lists), null unless both KEXINITs seen. */
  kex_alg: string | null;
  host_key_alg: string | null;
  cipher_client_to_server: string | null;
  cipher_server_to_client: string | null;
  mac_client_to_server: string | null;
  mac_server_to_client: string | null;
  compression_client_to_server: string | null;
  compression_server_to_client: string | null;
  /** See SSH_SESSION_ANOMALIES. */
  anomalies: string[];
}

/** True when the first bytes of a connection are an SSH identification. */
export function sniffSsh(_fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  return startsWithSsh(b, off, off + len);
}

/** What one side of the connection is reading. */
const enum Phase {
  Identification,
  Packets,
  Finished,
}

/** One direction's state. */
class Side {
  phase = Phase.Identification;
  readonly lines = new LineAssembler(MAX_IDENT_BYTES);
  readonly packet = new StreamBuffer(MAX_SSH_PACKET);
  ident: SshIdentification | null = null;
  kexinit: SshKexinit | null = null;
  preLines = 0;
  packets = 0;

  constructor(readonly name: 'client' | 'server') {}
}

/** The SSH protocol version of a pair of identifications (RFC 4253 §5.1), null until both are known. */
function sshVersion(client: SshIdentification | null, server: SshIdentification | null): 1 | 2 | null {
  if (client === null || server === null) return null;
  const two = (v: string, compat: boolean): boolean => v.startsWith('2.') || (compat && v === '1.99');
  return two(client.proto_version, false) && two(server.proto_version, true) ? 2 : 1;
}

/** md5 hex of a string. */
function md5(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

/** The per-connection SSH handshake reader. */
class SshParser implements StreamParser {
  private readonly client = new Side('client');
  private readonly server = new Side('server');
  private readonly anomalies: string[] = [];
  private emitted = false;
  error: string | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  data(fromClient: boolean, b: Uint8Array, off: number, len: number): StreamStatus {
    const side = fromClient ? this.client : this.server;
    let p = off;
    const end = off + len;
    if (side.phase === Phase.Identification) p += side.lines.push(b, p, end - p, (lb, s, e) => this.line(side, lb, s, e));
    if (side.phase === Phase.Packets) this.packets(side, b, p, end);
    return this.status();
  }

  gap(fromClient: boolean): StreamStatus {
    const side = fromClient ? this.client : this.server;
    if (side.phase !== Phase.Finished) this.finish(side, 'gap');
    return this.status();
  }

  end(): void {
    if (this.emitted) return;
    this.emitted = true;
    for (const side of [this.client, this.server]) {
      if (side.ident === null && side.phase !== Phase.Finished) this.anomalies.push(`${side.name}:no_identification`);
    }
    if (this.client.ident === null && this.server.ident === null) return;
    this.emit({ kind: 'ssh', ctx: this.ctx.base, msg: this.session() });
  }

  /** One line before (or being) the identification; false once the identification is read. */
  private line(side: Side, b: Uint8Array, start: number, end: number): boolean {
    if (!startsWithSsh(b, start, end)) {
      if (++side.preLines > MAX_PRE_IDENT_LINES) {
        this.finish(side, 'no_identification');
        return false;
      }
      if (side.preLines === 1) this.anomalies.push(`${side.name}:pre_identification_lines`);
      return true;
    }
    const r = parseSshIdentification(b, start, end - start);
    if (!r.ok) {
      this.finish(side, 'bad_identification');
      return false;
    }
    side.ident = r.value;
    side.phase = Phase.Packets;
    if (sshVersion(this.client.ident, this.server.ident) === 1) {
      // SSH 1 packets are framed differently and carry no KEXINIT: nothing more to read on either side.
      for (const s of [this.client, this.server]) if (s.phase !== Phase.Finished) s.phase = Phase.Finished;
    } else if (!/^(2\.|1\.99$)/.test(side.ident.proto_version)) {
      side.phase = Phase.Finished; // an SSH 1 side sends no KEXINIT
    }
    return false;
  }

  /** Binary packets up to and including the side's KEXINIT. */
  private packets(side: Side, b: Uint8Array, p: number, end: number): void {
    while (side.phase === Phase.Packets) {
      if (p < end) p += side.packet.append(b, p, end - p);
      const v = side.packet.view();
      const f = frameSshPacket(v, 0, v.length);
      if (f.kind === 'incomplete') return;
      if (f.kind === 'bad') {
        this.finish(side, 'bad_packet');
        return;
      }
      if (f.messageCode === SSH_MSG_KEXINIT) {
        const k = parseSshKexinit(v, f.payloadOff, f.payloadLen);
        if (k.ok) {
          side.kexinit = k.value;
          side.phase = Phase.Finished;
        } else this.finish(side, 'bad_kexinit');
      } else if (++side.packets >= MAX_PACKETS_BEFORE_KEXINIT) this.finish(side, 'no_kexinit');
      side.packet.consume(f.total);
    }
  }

  /** Stops reading a side, noting why. */
  private finish(side: Side, anomaly: keyof typeof SSH_SESSION_ANOMALIES): void {
    side.phase = Phase.Finished;
    this.anomalies.push(`${side.name}:${anomaly}`);
  }

  private status(): StreamStatus {
    if (this.client.phase !== Phase.Finished || this.server.phase !== Phase.Finished) return StreamStatus.More;
    if (this.client.ident === null && this.server.ident === null) {
      this.error = 'not_ssh';
      return StreamStatus.Failed;
    }
    return StreamStatus.Done;
  }

  private session(): SshSession {
    const c = this.client.kexinit;
    const s = this.server.kexinit;
    const join = (...lists: string[][]): string => lists.map((l) => l.join(',')).join(';');
    const hasshAlgorithms = c ? join(c.kex_algorithms, c.encryption_client_to_server, c.mac_client_to_server, c.compression_client_to_server) : null;
    const hasshServerAlgorithms = s ? join(s.kex_algorithms, s.encryption_server_to_client, s.mac_server_to_client, s.compression_server_to_client) : null;
    const both = c !== null && s !== null;
    const pick = (f: KexinitList): string | null => (both ? negotiateAlgorithm(c[f], s[f]) : null);
    return {
      version: sshVersion(this.client.ident, this.server.ident),
      client: this.client.ident,
      server: this.server.ident,
      server_pre_identification_lines: this.server.preLines,
      client_kexinit: c,
      server_kexinit: s,
      hassh: hasshAlgorithms === null ? null : md5(hasshAlgorithms),
      hassh_algorithms: hasshAlgorithms,
      hassh_server: hasshServerAlgorithms === null ? null : md5(hasshServerAlgorithms),
      hassh_server_algorithms: hasshServerAlgorithms,
      kex_alg: pick('kex_algorithms'),
      host_key_alg: pick('server_host_key_algorithms'),
      cipher_client_to_server: pick('encryption_client_to_server'),
      cipher_server_to_client: pick('encryption_server_to_client'),
      mac_client_to_server: pick('mac_client_to_server'),
      mac_server_to_client: pick('mac_server_to_client'),
      compression_client_to_server: pick('compression_client_to_server'),
      compression_server_to_client: pick('compression_server_to_client'),
      anomalies: this.anomalies,
    };
  }
}

/** A parser for one SSH connection. */
export function openSshStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new SshParser(ctx, emit);
}
