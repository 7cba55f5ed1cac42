/**
 * Identity facts from TLS handshakes (one `tls` observation per connection), keyed by Ethernet MAC:
 * - the client (ctx source) → `tls_ja4`, `tls_ja3` (its TLS stack's ClientHello fingerprints) and `tls_sni` (the
 *   names it connects to: vendor clouds, update and telemetry services);
 * - the server (ctx destination) → `tls_ja4s`, and from its leaf certificate (TLS ≤ 1.2, SSL 2.0)
 *   `tls_cert_subject`, `tls_cert_issuer`, `tls_cert_not_after`, `tls_cert_self_signed` (issuer equals subject) and
 *   `tls_cert_expired` (notAfter before the capture time of the handshake).
 *
 * TLS crosses routers, unlike the link-local protocols: the MAC on the far side of a routed connection is the
 * gateway's. A side's facts are kept only when its address is on-link-like (RFC 1918 / RFC 6598 / link-local IPv4,
 * ULA or link-local IPv6), and every fact of a MAC seen with ROUTER_MIN_IPV4 or more IPv4 addresses (or as many
 * IPv6 addresses) in TLS connections is dropped (the endpoint accumulator's router rule, applied to TLS alone).
 */
import { isPrivateIpv4 } from '../decode/address.js';
import type { Observation } from '../observe/observation.js';
import type { TlsSession } from '../protocols/tls/session.js';
import { ROUTER_MIN_IPV4 } from '../inventory/endpoint-accumulator.js';
import { FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';
import { remembered } from '../memo/bounded-memo.js';

/** Confidence of TLS facts: raw values as observed. */
export const TLS_CONFIDENCE = { raw: 1 } as const;
/** Distinct SNI names kept per client MAC (a browser visits hundreds; a device a handful). */
export const MAX_SNI_PER_MAC = 64;
/** Distinct addresses remembered per MAC for the router rule. */
const ADDRESS_SAMPLE = 8;

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

/** What the collector keeps per MAC: the addresses it used in TLS connections (up to ADDRESS_SAMPLE), the SNI names credited to it. */
interface MacState {
  mac: string;
  addresses: Set<string>;
  sni: Set<string> | null;
}

/** A side's last MAC and address, that MAC's state (null when it is no device MAC) and what `side` answered. */
interface SideAnswer {
  mac: string | null;
  state: MacState | null;
  ip: string;
  answer: MacState | null;
}

/** Collects TLS fingerprints, server names and certificate facts during an ingest. */
export class TlsIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['tls'] as const;
  private readonly facts = new FactBook();
  /** Per device MAC seen in a TLS connection, its state. */
  private readonly macs = new Map<string, MacState>();
  private readonly lastClient: SideAnswer = { mac: null, state: null, ip: '', answer: null };
  private readonly lastServer: SideAnswer = { mac: null, state: null, ip: '', answer: null };

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
      if (s.ja4) this.add(client.mac, 'tls_ja4', s.ja4, () => `${conn()}: ClientHello JA4${sni()}`, ts);
      if (s.ja3) this.add(client.mac, 'tls_ja3', s.ja3, () => `${conn()}: ClientHello JA3${sni()}`, ts);
      if (s.server_name) this.sni(client, s.server_name, () => `${conn()}: ClientHello server_name`, ts);
    }
    if (server === null) return;
    this.serverFacts(server.mac, s, conn, ts);
  }

  /** The server's facts: JA4S and its leaf certificate. */
  private serverFacts(server: string, s: TlsSession, conn: () => string, ts: number): void {
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
    // the router rule per MAC, decided once (a MAC has many facts)
    const fronting = new Map<string, boolean>();
    return this.facts.all().filter((f) => {
      let r = fronting.get(f.mac);
      if (r === undefined) fronting.set(f.mac, (r = this.fronts(f.mac)));
      return !r;
    });
  }

  /**
   * The state of the MAC to credit with a side's facts, or null (no usable MAC, or an address that is not
   * on-link-like); the address is sampled for the router rule. `last` is the previous answer for this side (client or
   * server): the same MAC again (a gateway fronting many servers) keeps its state, the same MAC and address again (a
   * device's next connection) give the same answer and nothing new to record.
   */
  private side(last: SideAnswer, mac: string | null, ip: string): MacState | null {
    if (mac === last.mac) {
      if (ip === last.ip) return last.answer;
    } else {
      last.mac = mac;
      last.state = isDeviceMac(mac) ? this.stateOf(mac) : null;
    }
    last.ip = ip;
    const state = last.state;
    if (state === null) return (last.answer = null);
    if (state.addresses.size < ADDRESS_SAMPLE) state.addresses.add(ip);
    return (last.answer = isOnLinkAddress(ip) ? state : null);
  }

  /** The state of device MAC `mac`, made when first seen. */
  private stateOf(mac: string): MacState {
    let state = this.macs.get(mac);
    if (state === undefined) {
      state = { mac, addresses: new Set<string>(), sni: null };
      this.macs.set(mac, state);
    }
    return state;
  }

  /** True when `mac` used ROUTER_MIN_IPV4 or more IPv4 (or IPv6) addresses: a gateway, not one device. */
  private fronts(mac: string): boolean {
    const seen = [...(this.macs.get(mac)?.addresses ?? [])];
    const v4 = seen.filter((ip) => ip.includes('.')).length;
    return v4 >= ROUTER_MIN_IPV4 || seen.length - v4 >= ROUTER_MIN_IPV4;
  }

  private add(mac: string, name: string, value: string, evidence: string | (() => string), ts: number): void {
    this.facts.add(mac, 'tls', name, value, TLS_CONFIDENCE.raw, evidence, ts);
  }

  /** A server name fact, at most MAX_SNI_PER_MAC distinct names per MAC. */
  private sni(client: MacState, name: string, evidence: () => string, ts: number): void {
    const names = (client.sni ??= new Set<string>());
    if (!names.has(name) && names.size >= MAX_SNI_PER_MAC) return;
    names.add(name);
    this.add(client.mac, 'tls_sni', name, evidence, ts);
  }
}
