/**
 * The `tls` log record: what the cleartext handshake of one TLS connection showed (the first ClientHello, the
 * ServerHello, the certificate chains of TLS ≤ 1.2, cleartext alerts), one flat record per connection in the manner
 * of Zeek's ssl.log. `TlsSessionBuilder` fills it from the messages analyzer.ts reassembles; pure, no I/O.
 */
import type { X509Certificate } from './x509.js';
import type { ClientHelloLists, Ssl2ClientHello, Ssl2ServerHello, TlsCertificateList, TlsClientHello, TlsServerHello } from './parser.js';

/** Most handshake message types listed per direction. */
export const MAX_HANDSHAKE_TYPES = 32;
/** Most cleartext alerts kept. */
export const MAX_ALERTS = 4;

/** A cleartext alert (RFC 8446 §6: level 1 warning / 2 fatal, AlertDescription). */
export interface TlsAlert {
  from: 'client' | 'server';
  level: number;
  description: number;
}

/**
 * One TLS connection's cleartext handshake. ClientHello fields are null / empty without a ClientHello, ServerHello
 * fields without a ServerHello. Lists hold values as sent (GREASE included); fingerprints leave GREASE out.
 */
export interface TlsSession extends ClientHelloLists {
  /** The version the server chose, as text (`SSLv2`, `SSLv3`, `TLSv1.0` … `TLSv1.3`, `TLSv1.3-draft-NN`, `0xNNNN`); null without a ServerHello. */
  version: string | null;
  /** The ClientHello was an SSL 2.0 CLIENT-HELLO (possibly a later client's compatible hello). */
  ssl2_client_hello: boolean;
  /** ClientHello legacy_version (or the SSL 2.0 hello's version). */
  client_version: number | null;
  client_session_id_length: number | null;
  cipher_suites: number[];
  /** The 3-byte cipher specs of an SSL 2.0 hello. */
  ssl2_cipher_specs: number[];
  compression_methods: number[];
  /** ClientHello extension types in wire order. */
  client_extensions: number[];
  /** SNI: the first host_name of server_name. */
  server_name: string | null;
  /** ALPN names the client offered. */
  client_alpn: string[];
  /** ClientHellos seen (2 after a HelloRetryRequest); the first is the one recorded. */
  client_hellos: number;
  ja3: string | null;
  ja3_string: string | null;
  ja4: string | null;
  ja4_r: string | null;
  ja4_o: string | null;
  ja4_ro: string | null;
  /** ServerHello legacy_version. */
  server_version: number | null;
  /** ServerHello supported_versions (TLS 1.3). */
  selected_version: number | null;
  server_session_id_length: number | null;
  cipher_suite: number | null;
  compression_method: number | null;
  server_extensions: number[];
  /** The ALPN protocol the server chose. */
  alpn: string | null;
  server_key_share_group: number | null;
  /** The server sent a HelloRetryRequest (its fields are not the ServerHello's). */
  hello_retry_request: boolean;
  ja3s: string | null;
  ja3s_string: string | null;
  ja4s: string | null;
  ja4s_r: string | null;
  /** The server's certificate chain (TLS ≤ 1.2 or SSL 2.0), leaf first. */
  certificates: X509Certificate[];
  /** Certificates the server's Certificate message held (more than `certificates` when some did not parse or the bound was hit). */
  certificate_count: number;
  /** The client's certificate chain (TLS ≤ 1.2, after a CertificateRequest). */
  client_certificates: X509Certificate[];
  /** The server sent a CertificateRequest (TLS ≤ 1.2). */
  certificate_request: boolean;
  /** Handshake message types in order, per sender (cleartext only). */
  client_handshake_types: number[];
  server_handshake_types: number[];
  /** Cleartext alerts, in order. */
  alerts: TlsAlert[];
  /** A side went on to encrypted records (ChangeCipherSpec, application data, or a TLS 1.3 ServerHello). */
  encrypted: boolean;
  /** Malformed or missing things (parser.ts TLS_ANOMALIES, the certificates' own in their records). */
  anomalies: string[];
}

/** Text of a protocol version number. */
export function versionText(v: number): string {
  switch (v) {
    case 0x0002: return 'SSLv2';
    case 0x0300: return 'SSLv3';
    case 0x0301: return 'TLSv1.0';
    case 0x0302: return 'TLSv1.1';
    case 0x0303: return 'TLSv1.2';
    case 0x0304: return 'TLSv1.3';
    default:
      if ((v & 0xff00) === 0x7f00) return `TLSv1.3-draft-${v & 0xff}`;
      return `0x${v.toString(16).padStart(4, '0')}`;
  }
}

/** An empty record. */
function emptySession(): TlsSession {
  return {
    version: null, ssl2_client_hello: false, client_version: null, client_session_id_length: null, cipher_suites: [], ssl2_cipher_specs: [],
    compression_methods: [], client_extensions: [], server_name: null, client_alpn: [], supported_groups: [], ec_point_formats: [],
    signature_algorithms: [], supported_versions: [], key_share_groups: [], psk_key_exchange_modes: [], client_hellos: 0,
    ja3: null, ja3_string: null, ja4: null, ja4_r: null, ja4_o: null, ja4_ro: null,
    server_version: null, selected_version: null, server_session_id_length: null, cipher_suite: null, compression_method: null,
    server_extensions: [], alpn: null, server_key_share_group: null, hello_retry_request: false,
    ja3s: null, ja3s_string: null, ja4s: null, ja4s_r: null,
    certificates: [], certificate_count: 0, client_certificates: [], certificate_request: false,
    client_handshake_types: [], server_handshake_types: [], alerts: [], encrypted: false, anomalies: [],
  };
}

/** Builds a TlsSession from the messages of one connection, in the order they complete. */
export class TlsSessionBuilder {
  readonly s: TlsSession = emptySession();
  /** Something worth a record was seen (a hello, a certificate or an alert). */
  seen = false;
  /** A ServerHello (not a HelloRetryRequest) was recorded. */
  serverHelloSeen = false;
  private serverHellos = 0;

  /** Notes an anomaly once. */
  anomaly(a: string): void {
    if (!this.s.anomalies.includes(a)) this.s.anomalies.push(a);
  }

  /** Records a handshake message type sent by `from`. */
  handshakeType(from: 'client' | 'server', type: number): void {
    const l = from === 'client' ? this.s.client_handshake_types : this.s.server_handshake_types;
    if (l.length < MAX_HANDSHAKE_TYPES) l.push(type);
  }

  /**
   * A ClientHello: the first is recorded; a second (the answer to a HelloRetryRequest, which a one-sided capture may
   * not show) is counted; a third is an anomaly.
   */
  clientHello(h: TlsClientHello): void {
    this.seen = true;
    const s = this.s;
    s.client_hellos++;
    if (s.client_hellos > 1) {
      if (s.client_hellos > 2) this.anomaly('extra_client_hello');
      return;
    }
    // field by field (the record's keys keep their order; no intermediate objects)
    s.cipher_suites = h.cipher_suites;
    s.compression_methods = h.compression_methods;
    s.server_name = h.server_name;
    s.supported_groups = h.supported_groups;
    s.ec_point_formats = h.ec_point_formats;
    s.signature_algorithms = h.signature_algorithms;
    s.supported_versions = h.supported_versions;
    s.key_share_groups = h.key_share_groups;
    s.psk_key_exchange_modes = h.psk_key_exchange_modes;
    s.ja3 = h.ja3;
    s.ja3_string = h.ja3_string;
    s.ja4 = h.ja4;
    s.ja4_r = h.ja4_r;
    s.ja4_o = h.ja4_o;
    s.ja4_ro = h.ja4_ro;
    s.client_version = h.version;
    s.client_session_id_length = h.session_id_length;
    s.client_extensions = h.extensions;
    s.client_alpn = h.alpn;
    for (const a of h.anomalies) this.anomaly(a);
  }

  /** An SSL 2.0 CLIENT-HELLO (recorded when it is the connection's first hello). */
  ssl2ClientHello(h: Ssl2ClientHello): void {
    this.seen = true;
    const s = this.s;
    if (++s.client_hellos > 1) return this.anomaly('extra_client_hello');
    s.ssl2_client_hello = true;
    s.client_version = h.version;
    s.client_session_id_length = h.session_id_length;
    s.ssl2_cipher_specs = h.cipher_specs;
    for (const a of h.anomalies) this.anomaly(a);
  }

  /**
   * A ServerHello. A HelloRetryRequest only sets `hello_retry_request` (and fills the server fields until a real
   * ServerHello replaces them); the first real ServerHello is recorded.
   * @returns true when it selected TLS 1.3 (everything after it is encrypted).
   */
  serverHello(h: TlsServerHello): boolean {
    this.seen = true;
    const s = this.s;
    if (this.serverHelloSeen || ++this.serverHellos > 2) {
      this.anomaly('extra_server_hello');
      return false;
    }
    if (h.hello_retry_request) s.hello_retry_request = true;
    else this.serverHelloSeen = true;
    s.cipher_suite = h.cipher_suite;
    s.compression_method = h.compression_method;
    s.selected_version = h.selected_version;
    s.alpn = h.alpn;
    s.ja3s = h.ja3s;
    s.ja3s_string = h.ja3s_string;
    s.ja4s = h.ja4s;
    s.ja4s_r = h.ja4s_r;
    s.server_version = h.version;
    s.server_session_id_length = h.session_id_length;
    s.server_extensions = h.extensions;
    s.server_key_share_group = h.key_share_group;
    s.version = h.hello_retry_request ? null : versionText(h.selected_version ?? h.version);
    for (const a of h.anomalies) this.anomaly(a);
    const v = h.selected_version ?? h.version;
    const tls13 = !h.hello_retry_request && (v === 0x0304 || (v & 0xff00) === 0x7f00);
    if (tls13) s.encrypted = true;
    return tls13;
  }

  /** An SSL 2.0 SERVER-HELLO: version and certificate. */
  ssl2ServerHello(h: Ssl2ServerHello): void {
    this.seen = true;
    this.s.version = versionText(h.version);
    this.s.server_version = h.version;
    this.certificates('server', h.certificate);
    for (const a of h.anomalies) this.anomaly(a);
  }

  /** A Certificate message from `from` (the first of each side is recorded). */
  certificates(from: 'client' | 'server', c: TlsCertificateList): void {
    this.seen = true;
    const s = this.s;
    if (from === 'server') {
      if (s.certificate_count > 0) return;
      s.certificates = c.certificates;
      s.certificate_count = c.certificate_count;
    } else {
      if (s.client_certificates.length > 0) return;
      s.client_certificates = c.certificates;
    }
    for (const a of c.anomalies) this.anomaly(a);
  }

  /** A cleartext alert from `from`. */
  alert(from: 'client' | 'server', level: number, description: number): void {
    this.seen = true;
    if (this.s.alerts.length < MAX_ALERTS) this.s.alerts.push({ from, level, description });
  }
}
