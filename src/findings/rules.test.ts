/**
 * Unit tests of the finding rules over hand-built device views: each rule's positive case, its negative cases and
 * its severity, the end-of-life dates against an injected assessment time, and the address classes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressClass, isInternetAddress } from '../map/address-class.js';
import { loadFindingsData } from './data-files.js';
import type { AssessmentContext, DeviceView, EdgeView, FactView, FindingDraft, FindingKind, ZoneMember } from './device-view.js';
import { assessDevice, RULES, weaknessesOf } from './rules.js';
import { zoneKeys } from './exposure-rules.js';
import { namesFromFacts } from './findings-db.js';

const DATA = loadFindingsData();
const T0 = Date.UTC(2026, 0, 1) * 1000;
const us = (iso: string): number => Date.parse(iso) * 1000;

/** A device view with defaults overridden. */
function view(over: Partial<DeviceView> = {}): DeviceView {
  return {
    id: 1, key: 'mac:00:09:fb:00:00:01', category: 'patient-monitor', medical: true, critical_care: false, vendor: null, model: null,
    os: null, os_version: null, first_us: T0, last_us: T0 + 1, ips: ['10.10.0.21'], vlans: [], facts: [], edges: [], edges_truncated: false, ...over,
  };
}

/** A fact. */
function fact(name: string, value: string, evidence: string | null = null): FactView {
  return { name, value, source: 'test', evidence, first_us: T0, last_us: T0 + 10 };
}

/** An edge of the device. */
function edge(over: Partial<EdgeView>): EdgeView {
  return {
    role: 'client', peer_id: null, peer_key: null, peer_category: null, peer_ips: [], peer_names: [], proto: 6, server_ip: '10.10.0.100',
    server_port: 443, flows: 1, packets: 10, bytes: 1000, first_us: T0, last_us: T0 + 5, answered: true, app_proto: null, encrypted: null, phi_kinds: [],
    cleartext_credentials: [], ...over,
  };
}

/** A context at `now` (µs). */
function ctx(now = T0, zones: Record<string, ZoneMember[]> = {}, weak: Record<number, string[]> = {}): AssessmentContext {
  return {
    now_us: now, data: DATA, zones: new Map(Object.entries(zones)),
    weak: new Map(Object.entries(weak).map(([id, reasons]) => [Number(id), { key: `mac:peer-${id}`, reasons }])),
  };
}

/** The findings of one kind. */
function run(kind: FindingKind, v: DeviceView, c = ctx()): FindingDraft[] {
  return RULES[kind](v, c);
}

test('address classes: RFC 1918, CGNAT, link-local, loopback, multicast, ULA are not internet', () => {
  for (const ip of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.255', '169.254.1.1', '127.0.0.1', '224.0.0.251',
    '239.255.255.250', '255.255.255.255', '0.0.0.0', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'ff02::1', '::1', '::']) {
    assert.equal(isInternetAddress(ip), false, ip);
  }
  for (const ip of ['8.8.8.8', '172.32.0.1', '100.128.0.1', '2001:4860::8888', '203.0.113.7']) assert.equal(isInternetAddress(ip), true, ip);
  assert.equal(addressClass('203.0.113.7'), 'documentation');
  assert.equal(addressClass('100.64.0.1'), 'cgnat');
  assert.equal(addressClass('fd00::1'), 'private'); // RFC 4193 unique local: the map's private class
  assert.equal(addressClass('not an ip'), 'invalid');
});

test('eol_os: Windows 10 22H2 (build 19045) is end-of-life only after 2025-10-14', () => {
  const v = view({ category: 'workstation', medical: false, os: 'Windows', os_version: '10.0', facts: [fact('ntlm_os_version', '10.0.19045')] });
  assert.deepEqual(run('eol_os', v, ctx(us('2025-10-14T23:00:00Z'))), []);
  const after = run('eol_os', v, ctx(us('2025-10-15T00:00:01Z')));
  assert.equal(after.length, 1);
  assert.equal(after[0]!.subject, 'Windows 10 22H2');
  assert.equal(after[0]!.severity, 'high');
  assert.ok(after[0]!.evidence.some((e) => e.detail.includes('2025-10-14') && e.detail.includes('learn.microsoft.com')));
});

test('eol_os: an ambiguous build is end-of-life only when every edition it may be is (19044: 21H2, LTSC 2021, IoT LTSC 2021)', () => {
  const v = view({ facts: [fact('ntlm_os_version', '10.0.19044')] });
  assert.deepEqual(run('eol_os', v, ctx(us('2030-01-01T00:00:00Z'))), []);
  const f = run('eol_os', v, ctx(us('2032-02-01T00:00:00Z')));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'critical'); // a medical device
  assert.match(f[0]!.subject, /IoT Enterprise LTSC 2021/);
});

test('eol_os: XP from an NT version, Server 2003 from SMB NativeOS, CE 6 from a Server header; Windows 10.0 alone and Linux 6.x are not', () => {
  const at = ctx(us('2026-11-28T00:00:00Z'));
  assert.match(run('eol_os', view({ os: 'Windows', os_version: '5.1' }), at)[0]!.subject, /^Windows XP/);
  assert.equal(run('eol_os', view({ facts: [fact('smb_native_os', 'Windows Server 2003 3790 Service Pack 2')] }), at)[0]!.subject, 'Windows Server 2003 / XP x64');
  assert.equal(run('eol_os', view({ facts: [fact('http_server', 'Microsoft-WinCE/6.00')] }), at)[0]!.subject, 'Windows Embedded CE 6.0');
  assert.equal(run('eol_os', view({ facts: [fact('netbios_os_version', '6.3')] }), at)[0]!.subject, 'Windows 8.1 / Windows Server 2012 R2 / Windows Embedded 8.1 Industry');
  assert.deepEqual(run('eol_os', view({ os: 'Windows', os_version: '10.0' }), at), []);
  assert.deepEqual(run('eol_os', view({ facts: [fact('snmp_sys_descr', 'Linux monitor 6.1.0-13-amd64 #1 SMP')] }), at), []);
  assert.equal(run('eol_os', view({ facts: [fact('snmp_sys_descr', 'Linux pacs 2.6.32-431.el6.x86_64 #1 SMP')] }), at)[0]!.subject, 'Linux kernel 2.x (last longterm 2.6.32)');
});

test('eol_os: the 4.19 and 5.4 longterm kernels ended (2024-12, 2025-12); a CIP SLTS kernel and a distribution kernel of a short-lived branch are not flagged', () => {
  const sysDescr = (text: string, at: string) => run('eol_os', view({ facts: [fact('snmp_sys_descr', text)] }), ctx(us(at))).map((f) => f.subject);
  assert.deepEqual(sysDescr('Linux lab 4.19.0-27-amd64 #1 SMP Debian 4.19.316-1', '2026-11-28T00:00:00Z'), ['Linux kernel 4.19 (longterm)']);
  assert.deepEqual(sysDescr('Linux gw 5.4.0-216-generic #236-Ubuntu SMP', '2026-11-28T00:00:00Z'), ['Linux kernel 5.4 (longterm)']);
  assert.deepEqual(sysDescr('Linux gw 5.4.0-216-generic #236-Ubuntu SMP', '2025-11-28T00:00:00Z'), []); // before its end
  assert.deepEqual(sysDescr('Linux pump 4.19.94-cip20 #1 PREEMPT', '2026-11-28T00:00:00Z'), []);
  assert.deepEqual(sysDescr('Linux hmi 4.4.302-cip80 #1 SMP', '2026-11-28T00:00:00Z'), []);
  assert.deepEqual(sysDescr('Linux pacs 4.18.0-553.el8_10.x86_64 #1 SMP', '2026-11-28T00:00:00Z'), []);
});

test('flat_network: a medical device sharing its VLAN with a workstation is flagged; on its own VLAN it is not', () => {
  const zones = { 'vlan:20': [{ id: 7, key: 'mac:ws', category: 'workstation' }] };
  const shared = run('flat_network', view({ vlans: [20], category: 'infusion-pump', critical_care: true }), ctx(T0, zones));
  assert.equal(shared.length, 1);
  assert.equal(shared[0]!.subject, 'vlan:20');
  assert.equal(shared[0]!.severity, 'high');
  assert.deepEqual(run('flat_network', view({ vlans: [10] }), ctx(T0, zones)), []);
  assert.deepEqual(run('flat_network', view({ vlans: [20], medical: false, category: 'printer' }), ctx(T0, zones)), []);
});

test('flat_network: without VLANs, the /24 of the device decides', () => {
  assert.deepEqual(zoneKeys([], ['10.20.0.5', '8.8.8.8']), ['subnet:10.20.0.0/24']);
  const zones = { 'subnet:10.20.0.0/24': [{ id: 7, key: 'mac:srv', category: 'server' }] };
  assert.equal(run('flat_network', view({ ips: ['10.20.0.9'] }), ctx(T0, zones))[0]!.severity, 'medium');
  assert.deepEqual(run('flat_network', view({ ips: ['10.30.0.9'] }), ctx(T0, zones)), []);
});

test('internet_exposure: a medical device talking only to its vendor domains, to others, inbound; private peers are not internet', () => {
  const vendorOnly = view({ vendor: 'Philips', edges: [edge({ server_ip: '93.184.216.34', peer_names: [] }), edge({ server_ip: '8.8.4.4', peer_names: ['rs.philips.com'] })] });
  // An unnamed public destination means "not only to its vendor".
  const f = run('internet_exposure', vendorOnly);
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'high');
  assert.match(f[0]!.title, /not only to Philips domains/);
  const only = run('internet_exposure', view({ vendor: 'Philips', edges: [edge({ server_ip: '8.8.4.4', peer_names: ['rs.philips.com', 'philips.com'] })] }));
  assert.equal(only[0]!.severity, 'medium');
  assert.match(only[0]!.title, /only to Philips domains/);
  const it = run('internet_exposure', view({ medical: false, category: 'workstation', edges: [edge({ server_ip: '1.1.1.1' })] }));
  assert.equal(it[0]!.severity, 'info');
  assert.deepEqual(run('internet_exposure', view({ edges: [edge({ server_ip: '10.0.0.1' }), edge({ server_ip: '100.64.1.1' }), edge({ server_ip: '224.0.0.251' })] })), []);
  const inbound = run('internet_exposure', view({ edges: [edge({ role: 'server', server_ip: '10.10.0.21', server_port: 23, peer_ips: ['203.0.113.9'] })] }));
  assert.equal(inbound[0]!.subject, 'inbound:tcp/23');
  assert.equal(inbound[0]!.severity, 'critical');
});

test('exposed_service: server ports in use with the service name; client-side and DHCP client port are not', () => {
  const v = view({ edges: [
    edge({ role: 'server', server_port: 23, peer_key: 'mac:a' }), edge({ role: 'server', server_port: 23, peer_key: 'mac:b' }),
    edge({ role: 'server', proto: 17, server_port: 68 }), edge({ role: 'client', server_port: 3389 }), edge({ role: 'server', server_port: 40001 }),
    edge({ role: 'server', server_port: 3389, answered: false }), // refused: not exposed
  ] });
  const f = run('exposed_service', v);
  assert.deepEqual(f.map((x) => [x.subject, x.severity]), [['tcp/23 telnet', 'medium'], ['tcp/40001', 'info']]);
  assert.match(f[0]!.title, /2 client\(s\)/);
});

test('less_secure_peer: edges to a weak device; none to healthy ones', () => {
  const v = view({ edges: [edge({ peer_id: 9, peer_key: 'mac:peer-9' }), edge({ peer_id: 8 })] });
  const f = run('less_secure_peer', v, ctx(T0, {}, { 9: ['SMBv1'] }));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.subject, 'mac:peer-9');
  assert.equal(f[0]!.severity, 'medium');
  assert.deepEqual(run('less_secure_peer', v, ctx()), []);
});

test('weaknesses: end-of-life OS, cleartext credentials, SMBv1', () => {
  const w = weaknessesOf('Windows', '6.1', [fact('cleartext_credentials', 'telnet:root'), fact('smb_v1', 'true')], DATA, us('2026-01-01T00:00:00Z'));
  assert.equal(w.length, 3);
  assert.match(w[0]!, /Windows 7/);
  assert.equal(w[1], 'cleartext credentials (telnet)');
  assert.deepEqual(weaknessesOf('Linux', null, [], DATA, T0), []);
});

test('no_tunnel: a medical device reaching the internet outside a tunnel; ESP-only traffic is fine; IT devices are not reported', () => {
  const plain = run('no_tunnel', view({ edges: [edge({ server_ip: '8.8.8.8' })] }));
  assert.equal(plain[0]!.severity, 'medium');
  assert.deepEqual(run('no_tunnel', view({ edges: [edge({ server_ip: '8.8.8.8', proto: 50, server_port: 0 }), edge({ server_ip: '8.8.8.8', proto: 17, server_port: 500 })] })), []);
  const mixed = run('no_tunnel', view({ edges: [edge({ server_ip: '8.8.8.8', proto: 17, server_port: 51820 }), edge({ server_ip: '9.9.9.9' })] }));
  assert.equal(mixed[0]!.severity, 'low');
  assert.match(mixed[0]!.title, /wireguard/);
  assert.deepEqual(run('no_tunnel', view({ medical: false, edges: [edge({ server_ip: '8.8.8.8' })] })), []);
});

test('cleartext and default credentials, insecure protocols from facts and served ports', () => {
  const v = view({
    category: 'infusion-pump',
    facts: [fact('cleartext_credentials', 'telnet:root'), fact('snmp_community', '<other>'), fact('default_credential', 'ftp:admin'),
      fact('default_credential', 'snmp:public'), fact('smb_v1', 'true'), fact('snmp_version', 'v2c'), fact('snmp_version', 'v3')],
    edges: [edge({ role: 'server', server_port: 80 }), edge({ role: 'server', server_port: 22 }), edge({ role: 'server', server_port: 23 })],
  });
  assert.deepEqual(run('cleartext_credentials', v).map((f) => [f.subject, f.severity]), [['telnet', 'high'], ['snmp', 'medium']]);
  assert.deepEqual(run('default_credentials', v).map((f) => [f.subject, f.severity]), [['ftp:admin', 'critical'], ['snmp:public', 'high']]);
  assert.deepEqual(run('insecure_protocol', v).map((f) => f.subject).sort(), ['http-admin', 'smbv1', 'snmpv2c', 'telnet']);
  const server = view({ category: 'server', medical: false, edges: [edge({ role: 'server', server_port: 80 })] });
  assert.deepEqual(run('insecure_protocol', server), []); // a web server's HTTP is not an admin interface
  assert.deepEqual(run('cleartext_credentials', view()), []);
  const anon = run('cleartext_credentials', view({ facts: [fact('cleartext_credentials', 'ftp:anonymous')] }));
  assert.deepEqual(anon.map((f) => [f.subject, f.severity]), [['ftp', 'low']]);
  const mixed = run('cleartext_credentials', view({ facts: [fact('cleartext_credentials', 'ftp:anonymous'), fact('cleartext_credentials', 'ftp:admin')] }));
  assert.deepEqual(mixed.map((f) => [f.subject, f.severity]), [['ftp', 'high']]);
});

test('phi_flow and phi_in_clear from phi_flow facts; a public peer raises phi_flow to high', () => {
  const v = view({ facts: [fact('phi_flow', 'hl7|sent|10.10.0.101|PID:dob,PID:name'), fact('phi_flow', 'hl7|sent|10.10.0.101|PID:mrn'),
    fact('phi_flow', 'dicom|exchanged|203.0.113.5|patient_name')] });
  const flows = run('phi_flow', v);
  assert.deepEqual(flows.map((f) => [f.subject, f.severity]), [['hl7:sent:10.10.0.101', 'info'], ['dicom:exchanged:203.0.113.5', 'high']]);
  assert.match(flows[0]!.evidence[0]!.detail, /PID:dob, PID:mrn, PID:name/);
  assert.deepEqual(run('phi_in_clear', v).map((f) => f.subject), ['hl7', 'dicom']);
  const encrypted = view({ edges: [edge({ encrypted: true, phi_kinds: ['PID:name'], app_proto: 'hl7' })] });
  assert.deepEqual(run('phi_in_clear', encrypted), []);
  assert.equal(run('phi_in_clear', view({ edges: [edge({ encrypted: false, phi_kinds: ['PID:name'], app_proto: 'hl7' })] }))[0]!.subject, 'hl7');
});

test('assessDevice: every finding has a time span; names come from SNI evidence', () => {
  const all = assessDevice(view({ os: 'Windows', os_version: '5.1' }), ctx(us('2026-01-01T00:00:00Z')));
  assert.equal(all.length, 1);
  assert.equal(all[0]!.first_us, T0);
  const names = namesFromFacts([fact('tls_sni', 'rs.philips.com', 'TLS 10.10.0.21:49200 → 8.8.4.4:443: ClientHello server_name')]);
  assert.deepEqual([...names.get('8.8.4.4')!], ['rs.philips.com']);
});
