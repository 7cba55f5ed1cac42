/**
 * Typed loader for tshark-tls.json (written by scripts/make-tls-baselines.ts): tshark 4.0's TLS handshake messages,
 * alerts and certificates per capture and frame, and the grouping of those messages into TCP connections.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../corpus-frames.js';

/** One attribute of a distinguished name as tshark shows it: [OID, shown value]. */
export type TsharkAttribute = [string, string];

/** One certificate, as tshark decodes it (values are tshark's `show` strings). */
export interface TsharkCert {
  /** x509af.version ("2" for v3; absent for v1). */
  version?: string;
  /** Hex bytes joined with ':' as tshark shows them. */
  serial: string;
  /** The outer signatureAlgorithm OID. */
  sig_alg: string;
  /** The TBSCertificate signature OID. */
  tbs_sig_alg: string;
  /** RDNs in wire order (first RDN first), each a list of attributes. */
  issuer: TsharkAttribute[][];
  subject: TsharkAttribute[][];
  /** "2013-02-04 00:00:00 (UTC)". */
  not_before: string;
  not_after: string;
  /** The subjectPublicKeyInfo algorithm OID. */
  spki_alg: string;
  /** RSA modulus bytes (hex), when tshark decodes an RSA key. */
  modulus?: string;
  /** EC namedCurve as tshark labels it: "OID (name)". */
  curve?: string;
  /** subjectAltName dNSName entries. */
  san_dns: string[];
  /** subjectAltName iPAddress entries. */
  san_ip: string[];
  /** basicConstraints cA: "1" / "0"; absent without the extension. */
  ca?: string;
}

/** One TLS handshake message or alert. */
export interface TsharkMessage {
  /** tls.record.content_type ("22" handshake, "21" alert, "23" for a record tshark decrypted; "" for SSL 2.0). */
  record_type: string;
  record_version: string;
  /** tls.handshake.type ("" for an alert). */
  type?: string;
  /** The message's field values by field name (see the document's message_fields and extension_fields). */
  f: Record<string, string[]>;
  certs?: TsharkCert[];
  alert_level?: string;
  alert_desc?: string;
}

/** One frame: where it was sent and the messages it completes, in order. */
export interface TsharkTlsFrame {
  stream: string;
  src: string;
  sport: string;
  dst: string;
  dport: string;
  messages: TsharkMessage[];
}

/** One capture of the baseline. */
export interface TsharkTlsCapture {
  sha256: string;
  size: number;
  selected_by: string;
  tls_frames: number;
  messages: number;
  tshark_error?: string;
  frames: Record<string, TsharkTlsFrame>;
}

/** The whole baseline document. */
export interface TsharkTlsBaselines {
  generator: string;
  tshark_version: string;
  message_fields: string[];
  extension_fields: Record<string, string>;
  totals: { captures: number; tls_frames: number; messages: number };
  captures: Record<string, TsharkTlsCapture>;
}

/** Absolute path of the checked-in JSON (source tree, not dist/). */
export function tlsBaselinesPath(): string {
  return join(repoRoot(), 'test', 'conformance', 'tls', 'tshark-tls.json');
}

/**
 * Loads and shape-checks the baseline.
 * @throws if the file is missing or malformed.
 */
export function loadTsharkTls(path: string = tlsBaselinesPath()): TsharkTlsBaselines {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as TsharkTlsBaselines;
  const bad = (what: string): never => {
    throw new Error(`${path}: ${what}`);
  };
  if (typeof doc.captures !== 'object' || doc.captures === null) bad('captures missing');
  for (const [name, c] of Object.entries(doc.captures)) {
    if (typeof c.sha256 !== 'string' || typeof c.frames !== 'object') bad(`${name}: sha256/frames missing`);
    for (const [num, f] of Object.entries(c.frames)) {
      if (!/^\d+$/.test(num) || !Array.isArray(f.messages) || typeof f.src !== 'string') bad(`${name} frame ${num}: bad frame`);
    }
  }
  return doc;
}

/** A message with the frame that completed it. */
export interface SitedMessage {
  frame: number;
  m: TsharkMessage;
}

/** One TCP connection's cleartext messages, split by sender. */
export interface TsharkConnection {
  stream: string;
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  fromClient: SitedMessage[];
  fromServer: SitedMessage[];
}

/**
 * Groups a capture's messages by tcp.stream. The client is the sender of the first ClientHello, else the receiver
 * of the first ServerHello, else the side whose port is the higher one. Returned in stream order.
 */
export function tsharkConnections(c: TsharkTlsCapture): TsharkConnection[] {
  const byStream = new Map<string, { frame: number; f: TsharkTlsFrame }[]>();
  for (const [num, f] of Object.entries(c.frames)) {
    let l = byStream.get(f.stream);
    if (l === undefined) byStream.set(f.stream, (l = []));
    l.push({ frame: Number(num), f });
  }
  const out: TsharkConnection[] = [];
  for (const [stream, frames] of [...byStream].sort((a, b) => Number(a[0]) - Number(b[0]))) {
    frames.sort((a, b) => a.frame - b.frame);
    const hello = (t: string): TsharkTlsFrame | undefined => frames.find((x) => x.f.messages.some((m) => m.type === t && m.record_type !== '23'))?.f;
    const ch = hello('1');
    const sh = hello('2');
    const f0 = frames[0]!.f;
    const [client, clientPort, server, serverPort] = ch !== undefined ? [ch.src, ch.sport, ch.dst, ch.dport]
      : sh !== undefined ? [sh.dst, sh.dport, sh.src, sh.sport]
        : Number(f0.sport) > Number(f0.dport) ? [f0.src, f0.sport, f0.dst, f0.dport] : [f0.dst, f0.dport, f0.src, f0.sport];
    const conn: TsharkConnection = { stream, client, clientPort: Number(clientPort), server, serverPort: Number(serverPort), fromClient: [], fromServer: [] };
    for (const { frame, f } of frames) {
      const fromClient = f.src === client && Number(f.sport) === conn.clientPort;
      for (const m of f.messages) (fromClient ? conn.fromClient : conn.fromServer).push({ frame, m });
    }
    out.push(conn);
  }
  return out;
}
