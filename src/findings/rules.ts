/**
 * The finding rules as one exhaustive table (a kind without a rule is a compile error), the per-device assessment,
 * and the two device properties computed for every device before the assessment: its weaknesses (what makes it a
 * less secure peer) and its zones (for flat-network detection).
 */
import type { AssessmentContext, DeviceView, FactView, FindingDraft, FindingKind } from './device-view.js';
import type { FindingsData } from './data-files.js';
import { eolMatch, OS_TEXT_FACT_NAMES, osTexts } from './eol.js';
import { exposedServices, flatNetwork, internetExposure, lessSecurePeers, noTunnel, phiFlows } from './exposure-rules.js';
import { cleartextCredentials, defaultCredentials, eolOs, insecureProtocols, phiInClear } from './misconfiguration-rules.js';

/** A rule: a pure function of one device and the shared context. */
export type FindingRule = (v: DeviceView, ctx: AssessmentContext) => FindingDraft[];

/** One rule per kind. */
export const RULES = {
  internet_exposure: internetExposure,
  exposed_service: exposedServices,
  less_secure_peer: lessSecurePeers,
  flat_network: flatNetwork,
  no_tunnel: noTunnel,
  phi_flow: phiFlows,
  phi_in_clear: phiInClear,
  cleartext_credentials: cleartextCredentials,
  default_credentials: defaultCredentials,
  insecure_protocol: insecureProtocols,
  eol_os: eolOs,
} as const satisfies Record<FindingKind, FindingRule>;

/** The rules in RULES order. */
const RULE_LIST = Object.values(RULES) as FindingRule[];

/** Every finding of one device; drafts without timed evidence take the device's first/last seen. */
export function assessDevice(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (let r = 0; r < RULE_LIST.length; r++) {
    const drafts = RULE_LIST[r]!(v, ctx);
    for (let i = 0; i < drafts.length; i++) {
      const d = drafts[i]!;
      if (d.last_us === 0) {
        d.first_us = v.first_us;
        d.last_us = v.last_us;
      }
      out.push(d);
    }
  }
  return out;
}

/** The fact names weaknessesOf reads (besides the OS texts). */
export const WEAKNESS_FACT_NAMES: readonly string[] = ['cleartext_credentials', 'cleartext_credential', 'http_cleartext_auth', 'smb_v1'];

/**
 * The fact names the rules read from a device's view (every other fact leaves the findings unchanged): the OS texts
 * (eol.ts), the credential, PHI, banner and version facts of the misconfiguration and exposure rules, and the server
 * names a client used (`tls_sni`, `http_host`: findings-db.ts namesFromFacts).
 */
export const VIEW_FACT_NAMES: readonly string[] = [
  ...OS_TEXT_FACT_NAMES, 'phi_flow', 'cleartext_credentials', 'cleartext_credential', 'http_cleartext_auth', 'snmp_community', 'default_credential',
  'smb_v1', 'snmp_version', 'telnet_banner', 'ftp_banner', 'tls_sni', 'http_host',
];

/** What makes a device a less secure peer: an end-of-life OS, credentials crossing to it in clear, SMBv1. */
export function weaknessesOf(os: string | null, osVersion: string | null, facts: readonly FactView[], data: FindingsData, nowUs: number): string[] {
  const out: string[] = [];
  const eol = eolMatch(osTexts(os, osVersion, facts), data.eol, nowUs);
  if (eol) out.push(`end-of-life OS ${eol.products.join(' / ')}`);
  const clear = [...new Set(facts.filter((f) => f.name.startsWith('cleartext_credential') || f.name === 'http_cleartext_auth')
    .map((f) => (f.name === 'http_cleartext_auth' ? 'http' : f.name === 'cleartext_credential' ? 'dicom' : f.value.split(':')[0]!)))];
  if (clear.length > 0) out.push(`cleartext credentials (${clear.join(', ')})`);
  if (facts.some((f) => f.name === 'smb_v1' && f.value === 'true')) out.push('SMBv1');
  return out;
}

/** Categories counted as IT devices for flat-network detection. */
export const IT_CATEGORIES: ReadonlySet<string> = new Set(['workstation', 'server']);
