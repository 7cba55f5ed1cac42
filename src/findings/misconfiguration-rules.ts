/**
 * Misconfiguration rules (issue 6 item 4): cleartext credentials, default credentials, insecure protocols, PHI in
 * clear, end-of-life OS. Pure functions of a DeviceView and the AssessmentContext; severities are documented in
 * src/findings/README.md.
 */
import type { AssessmentContext, DeviceView, EvidenceItem, FactView, FindingDraft, Severity } from './device-view.js';
import { draft, edgeEvidence, factEvidence, factsNamed, serviceOf } from './finding-draft.js';
import { eolMatch, osTexts } from './eol.js';
import { parsePhiFlowValue } from '../identify/phi-flow-identity.js';

/** Groups evidence items by a subject, in first-seen order. */
function grouped(): { add(subject: string, e: EvidenceItem): void; entries(): [string, EvidenceItem[]][] } {
  const m = new Map<string, EvidenceItem[]>();
  return {
    add(subject, e) {
      const list = m.get(subject);
      if (list) list.push(e);
      else m.set(subject, [e]);
    },
    entries: () => [...m.entries()],
  };
}

/** The protocol a cleartext-credential fact is about. */
function credentialProtocol(f: FactView): string {
  if (f.name === 'cleartext_credentials') return f.value.split(':')[0]!;
  if (f.name === 'cleartext_credential') return 'dicom';
  if (f.name === 'http_cleartext_auth') return 'http';
  return 'snmp';
}

/** Cleartext credentials: Telnet/FTP passwords, HTTP Basic/URL/form passwords, DICOM user identity, SNMP communities. */
export function cleartextCredentials(v: DeviceView): FindingDraft[] {
  const g = grouped();
  for (const f of factsNamed(v.facts, 'cleartext_credentials', 'cleartext_credential', 'http_cleartext_auth', 'snmp_community')) {
    g.add(credentialProtocol(f), factEvidence(f));
  }
  // The map's edge kinds (telnet, ftp, ftp-anonymous, http-basic, snmp-community:X, dicom-user-identity) name the same
  // protocols as the facts by their first word; like the facts, they count on the server whose accounts the credentials open.
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.role !== 'server' || e.cleartext_credentials.length === 0) continue;
    for (const c of e.cleartext_credentials) g.add(c.split(/[:-]/)[0]!, edgeEvidence(e, `credentials ${c} in clear`));
  }
  const anonymousOnly = (proto: string): boolean => proto === 'ftp'
    && v.facts.filter((f) => f.name === 'cleartext_credentials' && f.value.startsWith('ftp')).every((f) => ANONYMOUS_FTP.has(f.value));
  return g.entries().map(([proto, ev]) => {
    if (anonymousOnly(proto)) return draft('cleartext_credentials', proto, 'low', 'anonymous FTP login in clear (an e-mail address as password)', ev);
    return draft('cleartext_credentials', proto, proto === 'snmp' ? 'medium' : 'high',
      `${proto === 'snmp' ? 'SNMP community' : `${proto.toUpperCase()} credentials`} sent in clear`, ev);
  });
}

/** FTP fact values of anonymous logins (RFC 1635: the password is an e-mail address by convention). */
const ANONYMOUS_FTP: ReadonlySet<string> = new Set(['ftp:anonymous', 'ftp:ftp', 'ftp:Anonymous', 'ftp:ANONYMOUS']);

/** Default credentials, checked by the analyzers when the password crossed (facts `default_credential` = "<protocol>:<user>"). */
export function defaultCredentials(v: DeviceView): FindingDraft[] {
  const g = grouped();
  for (const f of factsNamed(v.facts, 'default_credential')) g.add(f.value, factEvidence(f));
  return g.entries().map(([subject, ev]) => draft('default_credentials', subject, subject === 'snmp:public' ? 'high' : 'critical',
    `default credentials in use (${subject})`, ev));
}

/** Severity of each insecure protocol subject. */
const INSECURE_SEVERITY: Readonly<Record<string, Severity>> = {
  telnet: 'high', rlogin: 'high', rsh: 'high', rexec: 'high', smbv1: 'high', pptp: 'medium', ftp: 'medium', tftp: 'medium',
  vnc: 'medium', 'vnc-1': 'medium', x11: 'medium', winrm: 'medium', 'http-admin': 'medium', snmpv1: 'medium', snmpv2c: 'medium',
};

/** Insecure protocols: SMBv1, SNMPv1/v2c (facts), cleartext admin services served (ports, banners). */
export function insecureProtocols(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  const g = grouped();
  for (const f of factsNamed(v.facts, 'smb_v1')) if (f.value === 'true') g.add('smbv1', factEvidence(f, `SMB1 dialect in use: ${f.evidence ?? ''}`));
  for (const f of factsNamed(v.facts, 'snmp_version')) if (f.value === 'v1' || f.value === 'v2c') g.add(`snmp${f.value}`, factEvidence(f));
  for (const f of factsNamed(v.facts, 'telnet_banner')) g.add('telnet', factEvidence(f, `Telnet server (banner seen)`));
  for (const f of factsNamed(v.facts, 'ftp_banner')) g.add('ftp', factEvidence(f, `FTP server (greeting seen)`));
  // SNMP by port only when no message told its version (v3 with USM is not insecure).
  const snmpKnown = v.facts.some((f) => f.name === 'snmp_version');
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.role !== 'server' || !e.answered || e.encrypted === true) continue;
    const s = serviceOf(ctx.data, e);
    if (!s || !s.insecure || !s.admin || (s.service === 'snmp' && snmpKnown)) continue;
    const isHttp = s.service === 'http' || s.service === 'http-alt';
    if (isHttp && v.category === 'server') continue;
    g.add(isHttp ? 'http-admin' : s.service, edgeEvidence(e, `${s.service} served (${s.note}; ${s.rule})`));
  }
  return g.entries().map(([subject, ev]) => draft('insecure_protocol', subject, INSECURE_SEVERITY[subject] ?? 'medium', `insecure protocol in use: ${subject}`, ev));
}

/** PHI in clear: patient data kinds seen by a cleartext analyzer (phi_flow facts) or on unencrypted edges. */
export function phiInClear(v: DeviceView): FindingDraft[] {
  const g = grouped();
  for (const f of factsNamed(v.facts, 'phi_flow')) {
    const p = parsePhiFlowValue(f.value);
    if (p) g.add(p.protocol, factEvidence(f, `${p.protocol.toUpperCase()} ${p.direction} ${p.direction === 'sent' ? 'to' : p.direction === 'received' ? 'from' : 'with'} ${p.peer_ip}: ${p.kinds.join(', ')}`));
  }
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.encrypted === false && e.phi_kinds.length > 0) g.add(e.app_proto ?? 'unknown', edgeEvidence(e, `PHI kinds ${e.phi_kinds.join(', ')} in clear`));
  }
  return g.entries().map(([proto, ev]) => draft('phi_in_clear', proto, 'high', `patient data carried in clear over ${proto.toUpperCase()}`, ev));
}

/** End-of-life OS at the assessment time. */
export function eolOs(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  const m = eolMatch(osTexts(v.os, v.os_version, v.facts), ctx.data.eol, ctx.now_us);
  if (!m) return [];
  const ev: EvidenceItem[] = [{ source: 'os', detail: `${m.text.source} matches ${m.products.join(', ')}` }];
  for (const r of m.rules) ev.push({ source: `data:${r.rule}`, detail: `${r.product}: end of support ${r.end_of_support} (${r.source})` });
  return [draft('eol_os', m.products.join(' / '), v.medical ? 'critical' : 'high', `end-of-life OS: ${m.products.join(' / ')} (support ended by ${m.end_of_support})`, ev)];
}
