/**
 * Identity facts from TLS handshakes (one `tls` observation per connection), keyed by Ethernet MAC:
 * - the client (ctx source) → `tls_ja4`, `tls_ja3` (its TLS stack's ClientHello fingerprints) and `tls_sni` (the
 *   names it connects to: vendor clouds, update and telemetry services);
 * - the server (ctx destination) → `tls_ja4s`, and from its leaf certificate (TLS ≤ 1.2, SSL 2.0)
 *   `tls_cert_subject`, `tls_cert_issuer`, `tls_cert_not_after`, `tls_cert_self_signed` (issuer equals subject) and
 *   `tls_cert_expired` (notAfter before the capture time of the handshake).
 *
 * TLS crosses routers, unlike the link-local protocols: the MAC on the far side of a routed connection is the
 * gateway's. Every fact carries its side's IP (MacFact.ip: the client's source, the server's destination address), so
 * it goes to the device that (MAC, IP) endpoint resolves to: the host behind a detected router, else the MAC's own
 * device. A side's facts are kept only when its address is on-link-like (RFC 1918 / RFC 6598 / link-local IPv4, ULA
 * or link-local IPv6): internet servers and clients are peers, not inventory (a browsing workstation meets hundreds;
 * README "Known limits"), unlike NTP, SSH or HTTP whose internet peers are few.
 */
import { isPrivateIpv4 } from '../decode/address.js';
import type { Observation } from '../observe/observation.js';
import type { TlsSession } from '../protocols/tls/session.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';
import { remembered } from '../memo/bounded-memo.js';

/** Confidence of TLS facts: raw values as observed. */
export const TLS_CONFIDENCE = { raw: 1 } as const;
/** Distinct SNI names kept per client (MAC, IP) (a browser visits hundreds; a device a handful). */
export const MAX_SNI_PER_MAC = 64;

/** Most address texts whose isOnLinkAddress answer is remembered (asked twice per TLS connection). */
const MAX_REMEMBERED_ADDRESSES = 65_536;
const onLink = new Map<string, boolean>();

/** True for an address a device on the capture's link may hold: private, CGNAT or link-local IPv4; ULA or link-local IPv6. */
export function isOnLinkAddress(ip: string): boolean {
  return remembered(onLink, MAX_REMEMBERED_ADDRESSES, ip, onLinkAnswer);
}

function onLinkAnswer(ip: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return v4 ? isPrivateIpv4(((Number(v4[1]) << 24) | (Number(v4[2]) << 16) | (Number(v4[3]) << 8) | Number(v4[4])) >>> 0)
    : /^f[cd][0-9a-f]{0,2}:/i.test(ip) || /^fe[89ab][0-9a-f]?:/i.test(ip);
}

/** What the collector keeps per side ((MAC, IP) pair): the SNI names credited to it. */
interface SideState {
  mac: string;
  ip: string;
  sni: Set<string> | null;
}

/** A side's last MAC and address and what `side` answered for them (null: no device MAC, or not on-link-like). */
interface SideAnswer {
  mac: string | null;
  ip: string;
  answer: SideState | null;
}

/** Collects TLS fingerprints, server names and certificate facts during an ingest. */
export class TlsIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['tls'] as const;
  private readonly facts = new FactBook();
  /** Per side ("MAC NUL IP") credited with facts, its state. */
  private readonly sides = new Map<string, SideState>();
  private readonly lastClient: SideAnswer = { mac: null, ip: '', answer: null };
  private readonly lastServer: SideAnswer = { mac: null, ip: '', answer: null };

  observe(o: Observation): void {
    if (o.kind !== 'tls') return;
    const { ctx, msg: s } = o;
    const ts = ctx.ts_us;
    // evidence texts are made only for new facts (most sightings repeat a known one)
    const conn = (): string => `TLS ${ctx.src_ip}:${ctx.src_port} → ${ctx.dst_ip}:${ctx.dst_port}`;
    const client = this.side(this.lastClient, ctx.src_mac, ctx.src_ip);
    const server = this.side(this.lastServer, ctx.dst_mac, ctx.dst_ip);
    if (client !== null && s.client_version !== null) {
      const sni = (): string => (s.server_name ? ` (SNI ${s.server_name})` : '');
      if (s.ja4) this.add(client, 'tls_ja4', s.ja4, () => `${conn()}: ClientHello JA4${sni()}`, ts);
      if (s.ja3) this.add(client, 'tls_ja3', s.ja3, () => `${conn()}: ClientHello JA3${sni()}`, ts);
      if (s.server_name) this.sni(client, s.server_name, () => `${conn()}: ClientHello server_name`, ts);
    }
    if (server === null) return;
    this.serverFacts(server, s, conn, ts);
  }

  /** The server's facts: JA4S and its leaf certificate. */
  private serverFacts(server: SideState, s: TlsSession, conn: () => string, ts: number): void {
    if (s.ja4s) this.add(server, 'tls_ja4s', s.ja4s, () => `${conn()}: ServerHello JA4S`, ts);
    const leaf = s.certificates[0];
    if (leaf === undefined) return;
    const ev = (): string => `${conn()}: server certificate (sha256 ${leaf.sha256})`;
    this.add(server, 'tls_cert_subject', leaf.subject, () => `${ev()} subject`, ts);
    this.add(server, 'tls_cert_issuer', leaf.issuer, () => `${ev()} issuer`, ts);
    if (leaf.not_after) {
      const notAfter = leaf.not_after;
      this.add(server, 'tls_cert_not_after', notAfter, () => `${ev()} notAfter`, ts);
      const end = Date.parse(notAfter);
      if (Number.isFinite(end) && end * 1000 < ts) {
        this.add(server, 'tls_cert_expired', 'true', () => `${ev()}: notAfter ${notAfter} before the handshake at ${new Date(Math.floor(ts / 1000)).toISOString()}`, ts);
      }
    }
    if (leaf.self_issued) this.add(server, 'tls_cert_self_signed', 'true', () => `${ev()}: issuer equals subject (${leaf.subject})`, ts);
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

  /**
   * The state of the side to credit with facts, or null (no usable MAC, or an address that is not on-link-like).
   * `last` is the previous answer for this side (client or server): the same MAC and address again (a device's next
   * connection) give the same answer.
   */
  private side(last: SideAnswer, mac: string | null, ip: string): SideState | null {
    if (mac === last.mac && ip === last.ip) return last.answer;
    last.mac = mac;
    last.ip = ip;
    const key = factMac(mac, ip);
    return (last.answer = key !== null && isOnLinkAddress(ip) ? this.stateOf(key, ip) : null);
  }

  /** The state of side (`mac`, `ip`), made when first seen. */
  private stateOf(mac: string, ip: string): SideState {
    const key = `${mac}\u0000${ip}`;
    let state = this.sides.get(key);
    if (state === undefined) {
      state = { mac, ip, sni: null };
      this.sides.set(key, state);
    }
    return state;
  }

  private add(at: SideState, name: string, value: string, evidence: string | (() => string), ts: number): void {
    this.facts.add(at.mac, 'tls', name, value, TLS_CONFIDENCE.raw, evidence, ts, at.ip);
  }

  /** A server name fact, at most MAX_SNI_PER_MAC distinct names per client (MAC, IP). */
  private sni(client: SideState, name: string, evidence: () => string, ts: number): void {
    const names = (client.sni ??= new Set<string>());
    if (!names.has(name) && names.size >= MAX_SNI_PER_MAC) return;
    names.add(name);
    this.add(client, 'tls_sni', name, evidence, ts);
  }
}
