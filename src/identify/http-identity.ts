/**
 * Identity facts from HTTP exchanges (src/protocols/http/), raw as seen, keyed by Ethernet MAC. An exchange's
 * context runs client → server, so `src_mac` is the client's and `dst_mac` the server's:
 * - the client: User-Agent → `http_user_agent`; from NTLM credentials it sent, its workstation name →
 *   `ntlm_workstation` and domain → `ntlm_domain`;
 * - the server: Server → `http_server`, X-Powered-By → `http_x_powered_by`, the realm of its authentication
 *   challenges → `http_auth_realm` (devices often name themselves there), each challenge scheme it offers →
 *   `http_auth_offered`, the Host name clients reached it by → `http_host`, and credentials that crossed to it in
 *   clear → `http_cleartext_auth` (`Basic user=<name>`; `URL password` for a password in the request target;
 *   `form password` for a password field in a URL-encoded form body; never the password itself).
 *
 * HTTP crosses routers: a server (or client) on another subnet is seen behind its router's MAC. Every fact carries
 * its side's IP (MacFact.ip: the client's source, the server's destination address), so it goes to the device that
 * (MAC, IP) endpoint resolves to: the host behind a detected router, else the MAC's own device. Two rules stay:
 * - a MAC seen in HTTP with more than one IPv4 address (or more than MAX_IPV6_PER_HOST IPv6 addresses) carries several
 *   hosts' exchanges: its facts are marked MacFact.sharedMac, kept only if the ingest detected the MAC as a router.
 *   A gateway fronting two web servers is no router to the ingest (ROUTER_MIN_IPV4), and one host's Server header
 *   on it would be wrong;
 * - internet servers get no HTTP fact (factsForInternetPeers false): a browsing workstation reaches hundreds of them,
 *   and internet hosts are peers, not inventory (as for TLS, and for the service facts).
 */
import type { Observation } from '../observe/observation.js';
import type { HttpTransaction } from '../protocols/http/transaction.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** IPv6 addresses one host may use (link-local, stable and temporary addresses). */
export const MAX_IPV6_PER_HOST = 4;
/** Self-descriptions (User-Agent, Server): what the software says it is. */
const SELF_CONFIDENCE = 1;
/** Names carried by credentials or used by clients: about the device, less directly. */
const NAME_CONFIDENCE = 0.7;

/** Addresses seen per MAC, up to what proves it is not one host. */
interface MacAddresses {
  v4: Set<string>;
  v6: Set<string>;
}

/** Collects HTTP client and server facts during an ingest. */
export class HttpIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['http'] as const;
  /** Internet servers' facts are dropped (IdentityCollector.factsForInternetPeers). */
  readonly factsForInternetPeers = false;
  private readonly facts = new FactBook();
  private readonly addresses = new Map<string, MacAddresses>();

  observe(o: Observation): void {
    if (o.kind !== 'http') return;
    const { src_ip, dst_ip, ts_us: ts } = o.ctx;
    const client = factMac(o.ctx.src_mac, src_ip);
    const server = factMac(o.ctx.dst_mac, dst_ip);
    const m = o.msg;
    // evidence texts are made only for new facts (FactBook.add)
    const what = (): string => `HTTP ${m.method ?? 'response'} ${m.host ?? dst_ip}${m.uri ?? ''}${m.status_code !== null ? ` → ${m.status_code}` : ''}`;
    if (client !== null) {
      this.seen(client, src_ip);
      this.clientFacts(client, src_ip, m, () => `${what()} from ${src_ip}`, ts);
    }
    if (server !== null) {
      this.seen(server, dst_ip);
      this.serverFacts(server, dst_ip, m, () => `${what()} to ${dst_ip}`, ts);
    }
  }

  private clientFacts(mac: string, ip: string, m: HttpTransaction, ev: () => string, ts: number): void {
    const add = this.adder(mac, ip, ts);
    if (m.user_agent) add('http_user_agent', m.user_agent, SELF_CONFIDENCE, () => `${ev()}: User-Agent header`);
    if (m.auth_host) add('ntlm_workstation', m.auth_host, NAME_CONFIDENCE, () => `${ev()}: NTLM credentials (workstation)`);
    if (m.auth_domain) add('ntlm_domain', m.auth_domain, NAME_CONFIDENCE, () => `${ev()}: NTLM credentials (domain)`);
  }

  private serverFacts(mac: string, ip: string, m: HttpTransaction, ev: () => string, ts: number): void {
    const add = this.adder(mac, ip, ts);
    const answered = m.status_code !== null;
    if (m.server) add('http_server', m.server, SELF_CONFIDENCE, () => `${ev()}: Server header`);
    if (m.x_powered_by) add('http_x_powered_by', m.x_powered_by, SELF_CONFIDENCE, () => `${ev()}: X-Powered-By header`);
    if (m.challenge_realm) add('http_auth_realm', m.challenge_realm, NAME_CONFIDENCE, () => `${ev()}: authentication challenge realm`);
    if (m.challenge_schemes.length > 0) for (const s of new Set(m.challenge_schemes)) add('http_auth_offered', s, SELF_CONFIDENCE, () => `${ev()}: authentication challenge`);
    // The Host a client used names the server only if the server answered (not a proxy's absolute-form target).
    if (m.host && answered && m.uri?.startsWith('/')) add('http_host', m.host, NAME_CONFIDENCE, () => `${ev()}: Host header`);
    if (m.cleartext_password && m.auth_scheme) {
      const value = m.auth_user === null ? m.auth_scheme : `${m.auth_scheme} user=${m.auth_user}`;
      add('http_cleartext_auth', value, SELF_CONFIDENCE, () => `${ev()}: Authorization header (password not stored)`);
      if (m.default_credential) {
        add('default_credential', `http:${m.auth_user ?? ''}`, SELF_CONFIDENCE, () => `${ev()}: Basic credentials are a default pair of the list (password not stored)`);
      }
    }
    if (m.password_in_uri) add('http_cleartext_auth', 'URL password', SELF_CONFIDENCE, () => `${ev()}: password in the request target (not stored)`);
    if (m.password_in_form) add('http_cleartext_auth', 'form password', SELF_CONFIDENCE, () => `${ev()}: password field in a form body (not stored)`);
  }

  /** Adds facts about the side with `mac` and `ip` (MacFact.ip) seen at `ts`. */
  private adder(mac: string, ip: string, ts: number): (name: string, value: string, confidence: number, evidence: () => string) => void {
    return (name, value, confidence, evidence) => this.facts.add(mac, 'http', name, value, confidence, evidence, ts, ip);
  }

  /**
   * Notes that `mac` used `ip` (bounded: once a MAC proves to carry several hosts, its sets stop growing). Hosts without
   * a MAC ('') are each keyed by their IP: they share nothing.
   */
  private seen(mac: string, ip: string): void {
    if (mac === '') return;
    let a = this.addresses.get(mac);
    if (a === undefined) this.addresses.set(mac, (a = { v4: new Set(), v6: new Set() }));
    const set = ip.includes(':') ? a.v6 : a.v4;
    if (set.size <= MAX_IPV6_PER_HOST) set.add(ip);
  }

  /** True if `mac` carried the exchanges of several hosts. */
  private isShared(mac: string): boolean {
    const a = this.addresses.get(mac);
    return a !== undefined && (a.v4.size > 1 || a.v6.size > MAX_IPV6_PER_HOST);
  }

  /** The facts, those of a MAC that carried several hosts' exchanges marked MacFact.sharedMac. */
  allFacts(): MacFact[] {
    return this.facts.all().map((f) => (this.isShared(f.mac) ? { ...f, sharedMac: true } : f));
  }
}
