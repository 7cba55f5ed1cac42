/**
 * Remediation actions for one device, ranked by the risk they remove: every candidate action (patch,
 * configuration change, segmentation, compensating control) names the vulnerabilities and findings it addresses;
 * the index is recomputed without them (or, for a compensating control, with them mitigated) and the difference
 * is the rank key (src/risk/README.md, "Remediation").
 */
import { riskIndex, type RiskFinding, type RiskInput } from './risk-index.js';

/** Kinds of remediation, cheapest usually first. */
export const REMEDIATION_KINDS = ['configuration', 'segmentation', 'patch', 'compensating_control'] as const;
/** A kind of remediation. */
export type RemediationKind = (typeof REMEDIATION_KINDS)[number];

/** A published remediation of a vulnerability (CSAF §3.2.3.12). */
export interface PublishedRemediation {
  advisory_id: string;
  category: string;
  details: string;
  url: string | null;
}

/** What the remediation planner knows about a matched vulnerability beyond the risk input. */
export interface VulnFixInfo {
  /** The product the match is on (criteria CPE vendor:product, or the advisory product name). */
  product: string;
  /** The affected range or version expression ('' = all / unknown). */
  range: string;
  /** The device attribute the vulnerable part was matched through (`smb_dialect`, `os`, `model`, …). */
  via_attribute: string;
  /** CSAF remediations of the advisories that matched. */
  published: PublishedRemediation[];
}

/** One action on one device. */
export interface RemediationAction {
  kind: RemediationKind;
  action: string;
  /** Where the action comes from (advisory remediation, affected range, finding evidence). */
  detail: string;
  /** `removes` = the addressed items are gone afterwards; `mitigates` = vulnerabilities stay, blocked (× 0.5). */
  effect: 'removes' | 'mitigates';
  vulns: string[];
  /** Addressed findings as `kind:subject`. */
  findings: string[];
}

/** An action with its effect on the index. */
export interface RankedAction extends RemediationAction {
  /** How many vulnerabilities the action addresses (a stored record keeps at most 50 ids in `vulns`). */
  vulns_total: number;
  index_before: number;
  index_after: number;
  risk_removed: number;
}

const PROTOCOL_FIX: [RegExp, string][] = [
  [/telnet/i, 'disable Telnet (use SSH)'],
  [/ftp/i, 'disable FTP (use SFTP or FTPS)'],
  [/smb ?v?1|smb1|nt lm/i, 'disable SMBv1 (use SMB 3 with signing)'],
  [/snmp/i, 'move SNMP to SNMPv3 with authentication and privacy (authPriv); disable v1/v2c communities'],
  [/http/i, 'disable the cleartext HTTP interface (use HTTPS)'],
];

/** The configuration change that removes a weakness finding. */
function configurationFor(f: RiskFinding): string | null {
  switch (f.kind) {
    case 'insecure_protocol': return PROTOCOL_FIX.find(([re]) => re.test(f.subject))?.[1] ?? `disable ${f.subject} or replace it with an encrypted equivalent`;
    case 'default_credentials': return `change the default credentials${f.subject ? ` (${f.subject})` : ''}`;
    case 'cleartext_credentials': return `stop logging in over ${f.subject || 'a cleartext protocol'} (use an encrypted protocol)`;
    case 'phi_in_clear': return `encrypt ${f.subject || 'the'} traffic carrying PHI (TLS)`;
    default: return null;
  }
}

const key = (f: RiskFinding): string => `${f.kind}:${f.subject}`;

function patchActions(input: RiskInput, info: ReadonlyMap<string, VulnFixInfo>): RemediationAction[] {
  const byProduct = new Map<string, string[]>();
  for (const v of input.vulns) {
    const i = info.get(v.vuln_id);
    const p = i?.product ?? 'the affected software';
    const list = byProduct.get(p);
    if (list) list.push(v.vuln_id);
    else byProduct.set(p, [v.vuln_id]);
  }
  const out: RemediationAction[] = [];
  for (const [product, vulns] of byProduct) {
    const fixes = vulns.flatMap((id) => info.get(id)?.published ?? []).filter((r) => r.category === 'vendor_fix');
    const ranges = [...new Set(vulns.map((id) => info.get(id)?.range ?? '').filter(Boolean))];
    out.push({
      kind: 'patch', effect: 'removes', vulns, findings: [],
      action: fixes.length > 0 ? `apply the vendor fix for ${product}: ${texts(fixes)}`
        : ranges.length > 0 ? `update ${product} to a version outside the affected range (${ranges.join('; ')})` : `apply the vendor's security updates for ${product} (every listed version is affected)`,
      detail: fixes.length > 0 ? `${fixes[0]!.advisory_id} vendor_fix${fixes[0]!.url ? ` ${fixes[0]!.url}` : ''}` : `affected range from the matched records; no published vendor fix imported`,
    });
  }
  const eol = input.findings.filter((f) => f.kind === 'eol_os');
  if (eol.length > 0) {
    const osVulns = input.vulns.filter((v) => info.get(v.vuln_id)?.via_attribute === 'os').map((v) => v.vuln_id);
    out.push({ kind: 'patch', effect: 'removes', vulns: osVulns, findings: eol.map(key), action: `upgrade the end-of-life operating system (${eol.map((f) => f.subject).join(', ')})`,
      detail: eol.map((f) => f.evidence).join('; ') });
  }
  return out;
}

function configurationActions(input: RiskInput, info: ReadonlyMap<string, VulnFixInfo>): RemediationAction[] {
  const out: RemediationAction[] = [];
  for (const f of input.findings) {
    const action = configurationFor(f);
    if (action === null) continue;
    // disabling SMBv1 also closes the vulnerabilities matched through the SMBv1 dialect (EternalBlue)
    const vulns = f.kind === 'insecure_protocol' && /smb/i.test(f.subject)
      ? input.vulns.filter((v) => info.get(v.vuln_id)?.via_attribute === 'smb_dialect').map((v) => v.vuln_id) : [];
    out.push({ kind: 'configuration', effect: 'removes', action, vulns, findings: [key(f)], detail: `${f.title}: ${f.evidence}` });
  }
  return out;
}

function segmentationActions(input: RiskInput): RemediationAction[] {
  const pick = (kinds: string[]): RiskFinding[] => input.findings.filter((f) => kinds.includes(f.kind));
  const out: RemediationAction[] = [];
  const groups: [string[], string][] = [
    [['internet_exposure', 'exposed_service'], 'block internet communication (allow only the vendor or service peers it needs, through the perimeter firewall)'],
    [['flat_network', 'less_secure_peer'], 'isolate the device in a medical-device VLAN/zone, away from the IT VLAN; allow only its required peers and protocols'],
    [['no_tunnel'], 'carry remote and cross-site communication through an encrypted tunnel (VPN)'],
  ];
  for (const [kinds, action] of groups) {
    const fs = pick(kinds);
    if (fs.length > 0) out.push({ kind: 'segmentation', effect: 'removes', action, vulns: [], findings: fs.map(key), detail: fs.map((f) => f.title).join('; ') });
  }
  return out;
}

function compensatingAction(input: RiskInput, info: ReadonlyMap<string, VulnFixInfo>): RemediationAction[] {
  if (input.vulns.length === 0) return [];
  const published = input.vulns.flatMap((v) => info.get(v.vuln_id)?.published ?? []).filter((r) => r.category === 'mitigation' || r.category === 'workaround');
  return [{
    kind: 'compensating_control', effect: 'mitigates', vulns: input.vulns.map((v) => v.vuln_id), findings: [],
    action: published.length > 0 ? `apply the published mitigations: ${texts(published)}` : 'restrict the device to its required peers and protocols (allow-list) and monitor for exploitation (IDS signatures) until it can be patched',
    detail: published.length > 0 ? `${published[0]!.advisory_id} ${published[0]!.category}` : 'no published mitigation imported; generic control',
  }];
}

/** Published remediation texts, each once, joined and cut to 400 characters. */
function texts(rs: readonly PublishedRemediation[]): string {
  const t = [...new Set(rs.map((r) => r.details.replace(/\s+/g, ' ').trim()))].join(' ');
  return t.length > 400 ? `${t.slice(0, 399)}…` : t;
}

/** The risk input after an action: addressed items removed, or vulnerabilities mitigated. */
export function applyAction(input: RiskInput, a: RemediationAction): RiskInput {
  const vulns = new Set(a.vulns);
  const findings = new Set(a.findings);
  return {
    impacts: input.impacts,
    vulns: a.effect === 'removes' ? input.vulns.filter((v) => !vulns.has(v.vuln_id)) : input.vulns.map((v) => (vulns.has(v.vuln_id) ? { ...v, mitigated: true } : v)),
    findings: input.findings.filter((f) => !findings.has(key(f))),
  };
}

/** Every candidate action of a device, ranked by the risk it removes (then cheapest kind first). */
export function planRemediation(input: RiskInput, info: ReadonlyMap<string, VulnFixInfo>): RankedAction[] {
  const before = riskIndex(input, { explain: false }).index;
  const actions = [...configurationActions(input, info), ...segmentationActions(input), ...patchActions(input, info), ...compensatingAction(input, info)];
  return actions.map((a) => {
    const after = riskIndex(applyAction(input, a), { explain: false }).index;
    return { ...a, vulns_total: a.vulns.length, index_before: before, index_after: after, risk_removed: before - after };
  }).sort((a, b) => b.risk_removed - a.risk_removed || REMEDIATION_KINDS.indexOf(a.kind) - REMEDIATION_KINDS.indexOf(b.kind) || (a.action < b.action ? -1 : 1));
}
