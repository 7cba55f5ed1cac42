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
 * HTTP crosses routers: a server on another subnet is seen behind its router's MAC. A MAC seen in HTTP exchanges
 * with more than one IPv4 address (or more than MAX_IPV6_PER_HOST IPv6 addresses) is taken for a router and gets
 * no HTTP fact. A single remote host behind a router is not detected this way (its facts land on the router).
 */
import type { Observation } from '../observe/observation.js';
import type { HttpTransaction } from '../protocols/http/transaction.js';
import { FactBook, type IdentityCollector, isDeviceMac, type MacFact } from './identity-collector.js';

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
  private readonly facts = new FactBook();
  private readonly addresses = new Map<string, MacAddresses>();

  observe(o: Observation): void {
    if (o.kind !== 'http') return;
    const { src_mac: client, dst_mac: server, src_ip, dst_ip, ts_us: ts } = o.ctx;
    const m = o.msg;
    // evidence texts are made only for new facts (FactBook.add)
    const what = (): string => `HTTP ${m.method ?? 'response'} ${m.host ?? dst_ip}${m.uri ?? ''}${m.status_code !== null ? ` → ${m.status_code}` : ''}`;
    if (isDeviceMac(client)) {
      this.seen(client, src_ip);
      this.clientFacts(client, m, () => `${what()} from ${src_ip}`, ts);
    }
    if (isDeviceMac(server)) {
      this.seen(server, dst_ip);
      this.serverFacts(server, m, () => `${what()} to ${dst_ip}`, ts);
    }
  }

  private clientFacts(mac: string, m: HttpTransaction, ev: () => string, ts: number): void {
    if (m.user_agent) this.facts.add(mac, 'http', 'http_user_agent', m.user_agent, SELF_CONFIDENCE, () => `${ev()}: User-Agent header`, ts);
    if (m.auth_host) this.facts.add(mac, 'http', 'ntlm_workstation', m.auth_host, NAME_CONFIDENCE, () => `${ev()}: NTLM credentials (workstation)`, ts);
    if (m.auth_domain) this.facts.add(mac, 'http', 'ntlm_domain', m.auth_domain, NAME_CONFIDENCE, () => `${ev()}: NTLM credentials (domain)`, ts);
  }

  private serverFacts(mac: string, m: HttpTransaction, ev: () => string, ts: number): void {
    const answered = m.status_code !== null;
    if (m.server) this.facts.add(mac, 'http', 'http_server', m.server, SELF_CONFIDENCE, () => `${ev()}: Server header`, ts);
    if (m.x_powered_by) this.facts.add(mac, 'http', 'http_x_powered_by', m.x_powered_by, SELF_CONFIDENCE, () => `${ev()}: X-Powered-By header`, ts);
    if (m.challenge_realm) this.facts.add(mac, 'http', 'http_auth_realm', m.challenge_realm, NAME_CONFIDENCE, () => `${ev()}: authentication challenge realm`, ts);
    if (m.challenge_schemes.length > 0) for (const s of new Set(m.challenge_schemes)) this.facts.add(mac, 'http', 'http_auth_offered', s, SELF_CONFIDENCE, () => `${ev()}: authentication challenge`, ts);
    // The Host a client used names the server only if the server answered (not a proxy's absolute-form target).
    if (m.host && answered && m.uri?.startsWith('/')) this.facts.add(mac, 'http', 'http_host', m.host, NAME_CONFIDENCE, () => `${ev()}: Host header`, ts);
    if (m.cleartext_password && m.auth_scheme) {
      const value = m.auth_user === null ? m.auth_scheme : `${m.auth_scheme} user=${m.auth_user}`;
      this.facts.add(mac, 'http', 'http_cleartext_auth', value, SELF_CONFIDENCE, () => `${ev()}: Authorization header (password not stored)`, ts);
      if (m.default_credential) {
        this.facts.add(mac, 'http', 'default_credential', `http:${m.auth_user ?? ''}`, SELF_CONFIDENCE, () => `${ev()}: Basic credentials are a default pair of the list (password not stored)`, ts);
      }
    }
    if (m.password_in_uri) this.facts.add(mac, 'http', 'http_cleartext_auth', 'URL password', SELF_CONFIDENCE, () => `${ev()}: password in the request target (not stored)`, ts);
    if (m.password_in_form) this.facts.add(mac, 'http', 'http_cleartext_auth', 'form password', SELF_CONFIDENCE, () => `${ev()}: password field in a form body (not stored)`, ts);
  }

  /** Notes that `mac` used `ip` (bounded: once a MAC proves to be a router, its sets stop growing). */
  private seen(mac: string, ip: string): void {
    let a = this.addresses.get(mac);
    if (a === undefined) this.addresses.set(mac, (a = { v4: new Set(), v6: new Set() }));
    const set = ip.includes(':') ? a.v6 : a.v4;
    if (set.size <= MAX_IPV6_PER_HOST) set.add(ip);
  }

  /** True if `mac` carried the traffic of several hosts (a router). */
  private isRouterLike(mac: string): boolean {
    const a = this.addresses.get(mac);
    return a !== undefined && (a.v4.size > 1 || a.v6.size > MAX_IPV6_PER_HOST);
  }

  allFacts(): MacFact[] {
    return this.facts.all().filter((f) => !this.isRouterLike(f.mac));
  }
}
