/** Evidence combination: signals, noisy-OR, ranking and tie-breaks, os_version tied to the winning os. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Claim, Fact } from '../knowledge/knowledge-base.js';
import type { FingerprintRule } from '../knowledge/rule-file.js';
import type { DerivedAttribute } from '../knowledge/vocabulary.js';
import { combinedConfidence, combineClaims, signalOf } from './evidence-combination.js';

const PRIORITY: Record<string, number> = { import: 100, snmp: 80, dhcp: 60, mdns: 60, oui: 20 };
const priorityOf = (s: string): number => PRIORITY[s] ?? 50;

function fact(source: string, name: string, value = 'v', last = 2): Fact {
  return { source, name, value, confidence: 1, evidence: null, first: 1, last };
}

function rule(id: string): FingerprintRule {
  return { id, file: id.split(':')[0]!, line: Number(id.split(':')[1]), source: null, fact: 'f', kind: 'exact', pattern: 'v', regex: null, outputs: [], ref: 'r', refText: 'ref' };
}

function claim(attribute: DerivedAttribute, value: string, confidence: number, f: Fact, ruleId: string | null = 'a.fp:1', together: Claim['together'] = {}): Claim {
  return { attribute, value, confidence, rule: ruleId === null ? null : rule(ruleId), fact: f, together: { [attribute]: value, ...together } };
}

test('signals: one per protocol, one for the host name whatever announced it', () => {
  assert.equal(signalOf(fact('dhcp', 'dhcp_vendor_class')), signalOf(fact('dhcp', 'dhcp_parameter_list')));
  assert.notEqual(signalOf(fact('dhcp', 'dhcp_vendor_class')), signalOf(fact('netbios_browser', 'netbios_os_version')));
  assert.equal(signalOf(fact('dhcp', 'hostname')), signalOf(fact('mdns', 'hostname')));
  assert.notEqual(signalOf(fact('dhcp', 'hostname')), signalOf(fact('dhcp', 'dhcp_vendor_class')));
});

test('combined confidence: the strongest claim per signal, noisy-OR across signals', () => {
  const dhcpA = fact('dhcp', 'dhcp_vendor_class');
  const dhcpB = fact('dhcp', 'dhcp_parameter_list');
  const nb = fact('netbios_browser', 'netbios_os_version');
  assert.equal(combinedConfidence([claim('os', 'Windows', 0.75, dhcpA), claim('os', 'Windows', 0.7, dhcpB)]), 0.75);
  assert.equal(combinedConfidence([claim('os', 'Windows', 0.75, dhcpA), claim('os', 'Windows', 0.8, nb)]), 0.95); // 1 - 0.25 * 0.2
  assert.equal(combinedConfidence([claim('os', 'Windows', 1, dhcpA), claim('os', 'Windows', 0.3, nb)]), 1);
});

test('conflicting values are all kept, ranked; the winner has the highest combined confidence', () => {
  const claims = [
    claim('os', 'Windows', 0.75, fact('dhcp', 'dhcp_vendor_class'), 'dhcp.fp:30'),
    claim('os', 'Windows', 0.7, fact('dhcp', 'dhcp_parameter_list'), 'dhcp.fp:49'),
    claim('os', 'macOS', 0.5, fact('dhcp', 'hostname'), 'hostname.fp:31'),
    claim('vendor', 'Apple, Inc.', 0.5, fact('oui', 'vendor', 'Apple, Inc.'), null),
    claim('vendor', 'Apple', 0.6, fact('oui', 'vendor', 'Apple, Inc.'), 'oui.fp:84'),
  ];
  const r = combineClaims(claims, priorityOf);
  assert.equal(r.winners.os!.value, 'Windows');
  assert.equal(r.winners.os!.confidence, 0.75);
  assert.deepEqual(r.winners.os!.claims.map((c) => c.rule!.id), ['dhcp.fp:30', 'dhcp.fp:49']);
  assert.equal(r.winners.vendor!.value, 'Apple');
  assert.deepEqual(r.candidates.map((c) => `${c.attribute}=${c.value}:${c.confidence}`), ['vendor=Apple:0.6', 'vendor=Apple, Inc.:0.5', 'os=Windows:0.75', 'os=macOS:0.5']);
  assert.equal(r.winners.model, null);
  assert.equal(r.winners.category, null);
});

test('ties: source priority, then the latest sighting, then the value', () => {
  const byPriority = combineClaims([claim('model', 'A', 0.6, fact('dhcp', 'x')), claim('model', 'B', 0.6, fact('snmp', 'y'))], priorityOf);
  assert.equal(byPriority.winners.model!.value, 'B');
  const byTime = combineClaims([claim('model', 'A', 0.6, fact('dhcp', 'x', 'v', 5)), claim('model', 'B', 0.6, fact('mdns', 'y', 'v', 3))], priorityOf);
  assert.equal(byTime.winners.model!.value, 'A');
  const byValue = combineClaims([claim('model', 'B', 0.6, fact('dhcp', 'x')), claim('model', 'A', 0.6, fact('mdns', 'y'))], priorityOf);
  assert.equal(byValue.winners.model!.value, 'A');
});

test('an os_version derived with an os competes only when that os won; software values are all kept', () => {
  const claims = [
    claim('os', 'Windows', 0.9, fact('dhcp', 'dhcp_vendor_class')),
    claim('os', 'macOS', 0.85, fact('mdns', 'mdns_txt')),
    claim('os_version', '10.13', 0.8, fact('mdns', 'mdns_txt'), 'mdns.fp:1', { os: 'macOS' }),
    claim('os_version', '10.0', 0.5, fact('dhcp', 'dhcp_parameter_list'), 'dhcp.fp:2', { os: 'Windows' }),
    claim('os_version', '9x', 0.4, fact('import', 'os_version'), null),
    claim('software', 'Samba', 0.8, fact('netbios_browser', 'netbios_comment')),
    claim('software', 'MiniUPnPd/1.6', 0.85, fact('ssdp', 'ssdp_server')),
  ];
  const r = combineClaims(claims, priorityOf);
  assert.equal(r.winners.os!.value, 'Windows');
  assert.equal(r.winners.os_version!.value, '10.0');
  assert.deepEqual(r.candidates.filter((c) => c.attribute === 'os_version').map((c) => c.value), ['10.0', '9x']);
  assert.deepEqual(r.candidates.filter((c) => c.attribute === 'software').map((c) => c.value), ['MiniUPnPd/1.6', 'Samba']);
  const macWins = combineClaims([...claims, claim('os', 'macOS', 0.9, fact('snmp', 'snmp_sys_descr'))], priorityOf);
  assert.equal(macWins.winners.os!.value, 'macOS');
  assert.equal(macWins.winners.os_version!.value, '10.13');
});

test('a medical category wins over IT categories however confident (issue 4: never filed as IT for running Windows)', () => {
  const isMedical = (c: string): boolean => ['patient-monitor', 'imaging-workstation'].includes(c);
  const claims = [
    claim('category', 'workstation', 0.9, fact('dhcp', 'dhcp_vendor_class', 'MSFT 5.0'), 'dhcp.fp:30'),
    claim('category', 'server', 0.8, fact('tcp', 'tcp_os', 'Windows'), 'tcp-os.fp:3'),
    claim('category', 'patient-monitor', 0.35, fact('oui', 'vendor', 'Philips Medical Systems'), 'oui.fp:24'),
  ];
  const withMedical = combineClaims(claims, priorityOf, isMedical);
  assert.equal(withMedical.winners.category!.value, 'patient-monitor');
  // the IT candidates stay visible, ranked after it
  assert.deepEqual(withMedical.candidates.filter((c) => c.attribute === 'category').map((c) => c.value), ['patient-monitor', 'workstation', 'server']);
  // without the medical vocabulary, or when the medical claim is below the floor, confidence decides
  assert.equal(combineClaims(claims, priorityOf).winners.category!.value, 'workstation');
  const weak = [claims[0]!, claim('category', 'patient-monitor', 0.2, fact('oui', 'vendor', 'X'), 'oui.fp:1')];
  assert.equal(combineClaims(weak, priorityOf, isMedical).winners.category!.value, 'workstation');
  // between medical candidates, confidence still decides
  const two = [...claims, claim('category', 'imaging-workstation', 0.75, fact('role', 'device_role', 'viewer'), 'roles.tsv:40')];
  assert.equal(combineClaims(two, priorityOf, isMedical).winners.category!.value, 'imaging-workstation');
});

test('a specific medical category (>= 0.5) wins over the generic medical-other; a weak one does not', () => {
  const isMedical = (c: string): boolean => ['ventilator', 'medical-other'].includes(c);
  const generic = [
    claim('category', 'medical-other', 0.8, fact('sdc', 'sdc_medical_device', 'true'), 'sdc.fp:12'),
    claim('category', 'medical-other', 0.45, fact('oui', 'vendor', 'Drägerwerk AG & Co. KG aA'), 'oui.fp:39'),
  ];
  const kind = claim('category', 'ventilator', 0.85, fact('sdc', 'sdc_model_name', 'Evita V800'), 'sdc.fp:33');
  assert.equal(combineClaims(generic, priorityOf, isMedical).winners.category!.value, 'medical-other');
  const r = combineClaims([...generic, kind], priorityOf, isMedical);
  assert.equal(r.winners.category!.value, 'ventilator');
  assert.deepEqual(r.candidates.filter((c) => c.attribute === 'category').map((c) => c.value), ['ventilator', 'medical-other']);
  const weakKind = claim('category', 'ventilator', 0.4, fact('hostname', 'hostname', 'vent7'), 'hostname.fp:9');
  assert.equal(combineClaims([...generic, weakKind], priorityOf, isMedical).winners.category!.value, 'medical-other');
  // without the medical vocabulary, confidence decides
  assert.equal(combineClaims([...generic, kind], priorityOf).winners.category!.value, 'medical-other');
});
