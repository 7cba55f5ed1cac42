/**
 * Unit tests of the risk model (src/risk/README.md): impacts from category defaults, register and observed PHI;
 * device-specific environmental vectors (one v3.1 score worked by hand from the FIRST spec §7.3); the index — each
 * component moves it the documented way, monotonicity, the README's worked example; the FDA tier; the threshold;
 * remediation ranking by the risk removed.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Level } from '../knowledge/categories.js';
import { deviceCvss, orderV4, requirementMetrics } from './environmental.js';
import { computeImpacts, type Impacts, type ImpactInput } from './impacts.js';
import { planRemediation, type VulnFixInfo } from './remediation.js';
import { DEFAULT_THRESHOLD, riskIndex, type RiskFinding, type RiskInput, type RiskVuln } from './risk-index.js';
import { resolveThreshold } from './threshold.js';
import { fdaTier } from './tier.js';

const impactsOf = (o: Partial<ImpactInput>): Impacts => computeImpacts({ category: null, register: null, phi_peers: [], phi_in_clear: [], ...o });

function levels(i: Impacts): string {
  return `${i.patient_safety.level}/${i.privacy.level}/${i.service_disruption.level}`;
}

/** Impacts with the given levels (reasons are irrelevant to the index). */
function fixed(safety: Level, privacy: Level, disruption: Level, medical = true): Impacts {
  return { patient_safety: { level: safety, reasons: [] }, privacy: { level: privacy, reasons: [] }, service_disruption: { level: disruption, reasons: [] }, fda_class: 'II', fda_class_assumed: false, medical };
}

function finding(kind: string, subject: string, severity = 'high'): RiskFinding {
  return { kind, subject, severity, title: `${kind} ${subject}`, evidence: 'hand-written' };
}

/** A vulnerability whose environmental score is `env` (the vector does not matter to the index). */
function vuln(id: string, env: number, o: Partial<RiskVuln> = {}): RiskVuln {
  return { vuln_id: id, certainty: 'confirmed', kev: false, cvss: { version: '3.1', base_vector: 'x', base_score: env, environmental_vector: 'x', environmental_score: env, requirements: {} }, ...o };
}

test('impacts: category defaults (DESIGN §4), unknown medical class assumed II, register overrides, redundancy lowers disruption', () => {
  assert.equal(levels(impactsOf({ category: 'infusion-pump' })), 'high/medium/high', 'life-sustaining medication: safety HIGH');
  assert.equal(levels(impactsOf({ category: 'workstation' })), 'low/low/low');
  assert.equal(levels(impactsOf({ category: 'pacs' })), 'medium/high/medium', 'class II; many patients');
  assert.equal(levels(impactsOf({ category: 'defibrillator' })), 'high/medium/high', 'class III');
  const other = impactsOf({ category: 'medical-other' });
  assert.equal(other.fda_class, 'II');
  assert.ok(other.fda_class_assumed);
  assert.match(other.patient_safety.reasons[0]!, /class II assumed/);
  assert.equal(other.patient_safety.level, 'medium');
  const monitor = impactsOf({ category: 'patient-monitor', register: { asset: 'A-1', fda_class: 'III', backup: 'yes' } });
  assert.equal(monitor.patient_safety.level, 'high', 'register class III → HIGH');
  assert.equal(monitor.service_disruption.level, 'medium', 'HIGH lowered one level by the backup');
  assert.match(monitor.service_disruption.reasons.at(-1)!, /A-1/);
  assert.equal(impactsOf({ category: 'unknown', register: { asset: 'A-2', fda_class: 'I' } }).patient_safety.level, 'low', 'class I → LOW');
  assert.equal(impactsOf({ category: 'imaging-ct', register: { asset: 'A-3', clinical_criticality: 'life-support' } }).patient_safety.level, 'high');
  const numeric = impactsOf({ category: 'imaging-ct', register: { asset: 'A-4', clinical_criticality: '4' } });
  assert.equal(numeric.service_disruption.level, 'medium', 'a numeric criticality is not interpreted');
  assert.match(numeric.service_disruption.reasons.at(-1)!, /not used/);
});

test('privacy from observed PHI: none → category default, a few peers → at least MEDIUM, many peers → HIGH', () => {
  assert.equal(impactsOf({ category: 'server' }).privacy.level, 'low');
  assert.equal(impactsOf({ category: 'server', phi_peers: ['10.0.0.5'] }).privacy.level, 'medium');
  assert.equal(impactsOf({ category: 'server', phi_in_clear: ['hl7'] }).privacy.level, 'medium');
  assert.equal(impactsOf({ category: 'server', phi_peers: ['10.0.0.5', '10.0.0.6', '10.0.0.7'] }).privacy.level, 'high');
  assert.equal(impactsOf({ category: 'server', phi_peers: ['10.0.0.5', '10.0.0.5', '10.0.0.5'] }).privacy.level, 'medium', 'distinct peers count');
});

test('environmental vectors: CR←privacy, IR←patient safety, AR←disruption; v4.0 MSI/MSA=S only where safety is HIGH', () => {
  assert.deepEqual(requirementMetrics('3.1', fixed('high', 'low', 'medium')), { CR: 'L', IR: 'H', AR: 'M' });
  assert.deepEqual(requirementMetrics('4.0', fixed('high', 'low', 'medium')), { CR: 'L', IR: 'H', AR: 'M', MSI: 'S', MSA: 'S' });
  assert.deepEqual(requirementMetrics('4.0', fixed('medium', 'low', 'medium')), { CR: 'L', IR: 'M', AR: 'M' });
  // FIRST CVSS v3.1 §7.3 by hand for AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H with CR:L/IR:L/AR:L:
  // MISS = 1 − (1 − 0.5×0.56)³ = 0.626752; ModifiedImpact = 6.42 × MISS = 4.02375;
  // ModifiedExploitability = 8.22 × 0.85 × 0.77 × 0.85 × 0.85 = 3.88704; Roundup(7.91079) = 8.0 (base 9.8)
  const ws = deviceCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', fixed('low', 'low', 'low', false))!;
  assert.equal(ws.base_score, 9.8);
  assert.equal(ws.environmental_vector, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L');
  assert.equal(ws.environmental_score, 8.0);
  // with IR:H/AR:H: MISS = min(1 − 0.72 × 0.16 × 0.16, 0.915) = 0.915 → 6.42 × 0.915 + 3.88704 = 9.76 → 9.8
  assert.equal(deviceCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', fixed('high', 'low', 'high'))!.environmental_score, 9.8);
  const v4 = deviceCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:L/SA:L/E:X/CR:X/S:X', fixed('high', 'medium', 'high'))!;
  assert.equal(v4.environmental_vector, 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:L/SA:L/E:X/CR:M/IR:H/AR:H/MSI:S/MSA:S/S:X');
  const noSafety = deviceCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:L/SA:L', fixed('medium', 'medium', 'high'))!;
  assert.ok(v4.environmental_score >= noSafety.environmental_score, 'Safety raises the subsequent-system impact');
  assert.equal(orderV4('CVSS:4.0/MSA:S/AV:N/CR:H/S:P/E:A'), 'CVSS:4.0/AV:N/E:A/CR:H/MSA:S/S:P');
  assert.equal(deviceCvss('not a vector', fixed('low', 'low', 'low')), null);
});

test('index: the README worked example, and each component moves it the documented way', () => {
  // README: infusion pump (I = 1.0), CVE environmental 9.8 confirmed + telnet finding (high 7.5), flat network
  // W = min(10, 9.8 + 0.75) = 10; L = 0.5 + 0.10 = 0.60 → 100 × 1.0 × 1.0 × 0.60 = 60
  const pump: RiskInput = { impacts: fixed('high', 'medium', 'high'), vulns: [vuln('CVE-A', 9.8)], findings: [finding('insecure_protocol', 'telnet'), finding('flat_network', 'vlan 10', 'medium')] };
  const s = riskIndex(pump);
  assert.equal(s.index, 60);
  assert.equal(s.weakness, 10);
  assert.equal(s.likelihood, 0.6);
  assert.equal(s.impact, 1);
  assert.ok(s.components.some((c) => c.part === 'weakness' && c.term === 'insecure_protocol:telnet' && c.role === 'adds'));
  // impact: I = max(safety, 0.9 × disruption, 0.8 × privacy), LOW 0.4 / MEDIUM 0.7 / HIGH 1.0
  const one = (i: Impacts): number => riskIndex({ impacts: i, vulns: [vuln('V', 10)], findings: [] }).index;
  assert.equal(one(fixed('low', 'low', 'low')), 20, '100 × 0.4 × 1 × 0.5');
  assert.equal(one(fixed('medium', 'low', 'low')), 35, '0.7');
  assert.equal(one(fixed('low', 'low', 'high')), 45, '0.9 × 1.0');
  assert.equal(one(fixed('low', 'high', 'low')), 40, '0.8 × 1.0');
  // weakness: certainty and compensating control halve a vulnerability; unscored → 5.0; accumulation 0.1 × next three
  const w = (vulns: RiskVuln[], findings: RiskFinding[] = []): number => riskIndex({ impacts: fixed('high', 'low', 'low'), vulns, findings }).weakness;
  assert.equal(w([vuln('V', 8)]), 8);
  assert.equal(w([vuln('V', 8, { certainty: 'possible' })]), 4);
  assert.equal(w([vuln('V', 8, { mitigated: true })]), 4);
  assert.equal(w([vuln('V', 8, { cvss: null })]), 5);
  assert.equal(w([vuln('A', 6), vuln('B', 5), vuln('C', 4), vuln('D', 3), vuln('E', 2)]), 7.2, '6 + 0.5 + 0.4 + 0.3; the fifth not counted');
  assert.equal(w([], [finding('default_credentials', 'admin', 'critical')]), 9.5);
  assert.equal(w([], [finding('flat_network', 'x')]), 0, 'an exposure is not a weakness');
  // likelihood: 0.5 + increments per kind present (once per kind), KEV +0.2 (possible +0.1), capped at 1
  const l = (vulns: RiskVuln[], findings: RiskFinding[]): number => riskIndex({ impacts: fixed('high', 'low', 'low'), vulns, findings }).likelihood;
  assert.equal(l([vuln('V', 5)], []), 0.5);
  assert.equal(l([vuln('V', 5)], [finding('internet_exposure', '203.0.113.7'), finding('internet_exposure', '198.51.100.1')]), 0.75);
  assert.equal(l([vuln('V', 5, { kev: true })], []), 0.7);
  assert.equal(l([vuln('V', 5, { kev: true, certainty: 'possible' })], []), 0.6);
  assert.equal(l([vuln('V', 5, { kev: true })], ['internet_exposure', 'exposed_service', 'flat_network', 'less_secure_peer', 'no_tunnel', 'eol_os'].map((k) => finding(k, 's'))), 1);
  assert.equal(riskIndex({ impacts: fixed('high', 'high', 'high'), vulns: [], findings: [finding('internet_exposure', 'x')] }).index, 0, 'no weakness → 0');
});

test('index is monotone: adding a weakness, an exposure, KEV or raising an impact never lowers it; bounded 0..100', () => {
  const levelsAll: Level[] = ['low', 'medium', 'high'];
  const extras: RiskFinding[] = [finding('internet_exposure', 'a'), finding('eol_os', 'Windows 7'), finding('cleartext_credentials', 'ftp', 'medium'), finding('less_secure_peer', 'b')];
  for (const s of levelsAll) for (const p of levelsAll) for (const d of levelsAll) {
    let prev = -1;
    const input: RiskInput = { impacts: fixed(s, p, d), vulns: [], findings: [] };
    for (let step = 0; step < 8; step++) {
      if (step < 4) input.findings.push(extras[step]!);
      else input.vulns.push(vuln(`V${step}`, 2 * step - 6, { kev: step === 6 }));
      const idx = riskIndex(input).index;
      assert.ok(idx >= prev && idx <= 100, `${s}/${p}/${d} step ${step}: ${idx} < ${prev}`);
      prev = idx;
      // raising any impact level never lowers the index
      for (const k of ['patient_safety', 'privacy', 'service_disruption'] as const) {
        const up: Impacts = { ...input.impacts, [k]: { level: 'high', reasons: [] } };
        assert.ok(riskIndex({ ...input, impacts: up }).index >= idx);
      }
    }
  }
  const max: RiskInput = { impacts: fixed('high', 'high', 'high'), vulns: [vuln('A', 10, { kev: true }), vuln('B', 10)], findings: ['internet_exposure', 'exposed_service', 'flat_network', 'eol_os'].map((k) => finding(k, 'x')) };
  assert.equal(riskIndex(max).index, 100);
});

test('FDA 2018 draft tier: Tier 1 = connected and could harm multiple patients', () => {
  const tier = (category: string, fleet = 1): number => fdaTier({ category, impacts: impactsOf({ category }), fleet }).tier;
  assert.equal(tier('infusion-pump'), 1, 'delivers therapy: a fleet is attacked as one');
  assert.equal(tier('central-station'), 1, 'many patients');
  assert.equal(tier('patient-monitor'), 2, 'one bedside monitor');
  assert.equal(tier('patient-monitor', 12), 1, 'twelve networked units of the model');
  assert.equal(tier('workstation', 40), 2, 'not a medical device');
  assert.equal(tier('lab-analyzer', 3), 2, 'class I: safety LOW');
});

test('threshold: --threshold, then MEDTAP_RISK_THRESHOLD, then the default; bad values refused', () => {
  assert.deepEqual(resolveThreshold('55', '70'), { ok: true, value: 55, from: '--threshold' });
  assert.deepEqual(resolveThreshold(undefined, '70'), { ok: true, value: 70, from: 'MEDTAP_RISK_THRESHOLD' });
  assert.deepEqual(resolveThreshold(undefined, undefined), { ok: true, value: DEFAULT_THRESHOLD, from: 'default' });
  assert.equal(DEFAULT_THRESHOLD, 40);
  for (const bad of ['101', '-1', 'x', '4.5', '']) assert.equal(resolveThreshold(bad, undefined).ok, false, bad);
  assert.equal(resolveThreshold(undefined, 'high').ok, false);
});

test('remediation: actions ranked by the index they remove; SMBv1 off closes EternalBlue; compensating control halves', () => {
  const input: RiskInput = {
    impacts: fixed('medium', 'low', 'medium'),
    vulns: [vuln('CVE-2017-0144', 8.1, { kev: true }), vuln('CVE-X', 6.0)],
    findings: [finding('insecure_protocol', 'smbv1'), finding('exposed_service', 'tcp/445'), finding('default_credentials', 'admin', 'critical')],
  };
  const info = new Map<string, VulnFixInfo>([
    ['CVE-2017-0144', { product: 'microsoft:server_message_block', range: '', via_attribute: 'smb_dialect', published: [] }],
    ['CVE-X', { product: 'acme:monitor_firmware', range: '<= 2.0', via_attribute: 'model', published: [{ advisory_id: 'ICSMA-X', category: 'vendor_fix', details: 'Update to 2.1.', url: null }] }],
  ]);
  // before: I 0.7; W = min(10, 9.5 + 0.1 × (8.1 + 7.5 + 6.0)); L = 0.5 + 0.1 (exposed service) + 0.2 (KEV) = 0.8 → 56
  const plan = planRemediation(input, info);
  assert.equal(plan[0]!.index_before, 56);
  const by = (text: RegExp): (typeof plan)[number] => plan.find((a) => text.test(a.action))!;
  // SMBv1 off removes the finding and CVE-2017-0144 (and with it KEV): W = min(10, 9.5 + 0.6); L = 0.6 → 42
  const smb = by(/SMBv1/);
  assert.deepEqual(smb.vulns, ['CVE-2017-0144']);
  assert.equal(smb.index_after, 42);
  // patching SMB removes the same vulnerability but not the SMBv1 finding: W still 10 → 42
  assert.equal(by(/security updates for microsoft:server_message_block/).index_after, 42);
  // blocking the internet: L = 0.7 → 49
  assert.equal(by(/internet/).index_after, 49);
  // compensating control: both vulnerabilities halved (4.05, 3.0), KEV counted as possible (+0.1): W = 10, L = 0.7 → 49
  const comp = plan.find((a) => a.kind === 'compensating_control')!;
  assert.equal(comp.effect, 'mitigates');
  assert.equal(comp.index_after, 49);
  // default credentials changed: W = 8.1 + 0.75 + 0.6 = 9.45 → round(100 × 0.7 × 0.945 × 0.8) = 53
  assert.equal(by(/default credentials/).index_after, 53);
  // the vendor fix of CVE-X removes nothing while stronger weaknesses fill the accumulation: W stays 10
  const patchX = by(/Update to 2\.1/);
  assert.equal(patchX.kind, 'patch');
  assert.equal(patchX.risk_removed, 0);
  assert.deepEqual(plan.map((a) => `${a.risk_removed} ${a.kind}`), ['14 configuration', '14 patch', '7 segmentation', '7 compensating_control', '3 configuration', '0 patch']);
});
