/**
 * Identity facts from SMB connections (smb observations), each on the side that stated it:
 * - both sides: `smb_v1` ("true" when the server answered in SMB1 — a misconfiguration finding) and `smb_dialect`
 *   (the dialect chosen);
 * - the sender of an SMB1 SESSION_SETUP_ANDX: `smb_native_os`, `smb_native_lanman`;
 * - the sender of an NTLMSSP VERSION: `ntlm_os_version` ("10.0.19041");
 * - the server (CHALLENGE target info): `ntlm_netbios_computer`, `ntlm_dns_computer`, `ntlm_domain` (NetBIOS
 *   domain), `ntlm_dns_domain`;
 * - the client (AUTHENTICATE): `ntlm_user`, `ntlm_user_domain`, `ntlm_workstation`; a NetBIOS session request's
 *   calling name → `netbios_calling_name`.
 * SMB is routed unicast: every fact carries the sender's IP (MacFact.ip) so it reaches the host behind a router.
 */
import type { SmbObservation, Observation } from '../observe/observation.js';
import type { SmbSession } from '../protocols/smb/analyzer.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** Which side of the connection. */
type Side = 'client' | 'server';

/** Fact name → the session field it is taken from, per side. */
const SIDE_FACTS: Readonly<Record<Side, readonly (readonly [string, keyof SmbSession])[]>> = {
  client: [
    ['smb_native_os', 'client_native_os'], ['smb_native_lanman', 'client_native_lanman'], ['ntlm_os_version', 'client_ntlm_version'],
    ['ntlm_user', 'user'], ['ntlm_user_domain', 'user_domain'], ['ntlm_workstation', 'workstation'], ['netbios_calling_name', 'calling_name'],
  ],
  server: [
    ['smb_native_os', 'server_native_os'], ['smb_native_lanman', 'server_native_lanman'], ['ntlm_os_version', 'server_ntlm_version'],
    ['ntlm_netbios_computer', 'nb_computer'], ['ntlm_dns_computer', 'dns_computer'], ['ntlm_domain', 'nb_domain'], ['ntlm_dns_domain', 'dns_domain'],
  ],
};

/** Collects SMB / NTLM facts during an ingest. */
export class SmbIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['smb'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'smb') return;
    this.side(o, 'client');
    this.side(o, 'server');
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

  private side(o: SmbObservation, side: Side): void {
    const c = o.ctx;
    const ip = side === 'client' ? c.src_ip : c.dst_ip;
    const mac = factMac(side === 'client' ? c.src_mac : c.dst_mac, ip);
    if (mac === null) return;
    const s = o.msg;
    const ev = (what: string): string => `SMB ${side} ${ip} (connection ${c.src_ip}:${c.src_port} → ${c.dst_ip}:${c.dst_port}): ${what}`;
    if (s.smb_v1) this.facts.add(mac, 'smb', 'smb_v1', 'true', 1, ev('the server answered in SMB1'), c.ts_us, ip);
    if (s.dialect !== null) this.facts.add(mac, 'smb', 'smb_dialect', s.dialect, 1, ev('dialect chosen in NEGOTIATE'), c.ts_us, ip);
    for (const [name, field] of SIDE_FACTS[side]) {
      const v = s[field];
      if (typeof v !== 'string' || v === '') continue;
      this.facts.add(mac, name.startsWith('ntlm') ? 'ntlmssp' : 'smb', name, v, 1, ev(field.replace(/_/g, ' ')), c.ts_us, ip);
    }
  }
}
