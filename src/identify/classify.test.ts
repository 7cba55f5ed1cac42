/** Identification against a real (in-memory) store: derived rows, winner columns, evidence trail, idempotence. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SqliteStore } from '../inventory/sqlite-store.js';
import { buildKnowledgeBase, loadKnowledgeBase } from '../knowledge/knowledge-base.js';
import { classifyDevices } from './classify.js';

function storeWithDevice(facts: [source: string, name: string, value: string, confidence: number][]): { store: SqliteStore; id: number } {
  const store = new SqliteStore(':memory:');
  const id = Number(store.db.prepare("INSERT INTO devices (key, key_kind, first_us, last_us) VALUES ('mac:08:00:27:e6:e5:59', 'mac', 1, 9)").run().lastInsertRowid);
  facts.forEach(([source, name, value, confidence], i) => store.upsertAttribute(id, name, value, source, confidence, `${source} said so`, 1_000_000 + i, 2_000_000 + i));
  return { store, id };
}

/** Everything identification writes, as comparable text. */
function dump(store: SqliteStore): string {
  const q = (sql: string): unknown[] => store.db.prepare(sql).all();
  return JSON.stringify([
    q("SELECT * FROM attributes WHERE source = 'kb' ORDER BY name, value"),
    q('SELECT * FROM attribute_evidence ORDER BY name, value, rule, fact_value'),
    q('SELECT vendor, model, category, os, os_version FROM devices'),
  ]);
}

// The Windows 10 host of lan_mixed/ndpi__gnutella.pcap: DHCP frame 7, browser announcement frame 101.
const WINDOWS_10_HOST: [string, string, string, number][] = [
  ['oui', 'vendor', 'PCS Systemtechnik GmbH', 0.5],
  ['dhcp', 'dhcp_vendor_class', 'MSFT 5.0', 1],
  ['dhcp', 'dhcp_parameter_list', '1,3,6,15,31,33,43,44,46,47,119,121,249,252', 1],
  ['dhcp', 'hostname', 'MSEDGEWIN10', 0.7],
  ['netbios_browser', 'netbios_os_version', '10.0', 1],
  ['ssdp', 'ssdp_user_agent', 'Microsoft Edge/99.0.1150.30 Windows', 1],
];

test('a Windows 10 host: winners in the device columns, every claim in the evidence trail', () => {
  const { store, id } = storeWithDevice(WINDOWS_10_HOST);
  const s = classifyDevices(store, loadKnowledgeBase(), [id]);
  assert.deepEqual(s, { devices: 1, identified: 1, derived_values: 4 }); // os, os_version, category, software (Edge)
  const d = store.devices(id)[0]!;
  assert.deepEqual([d.vendor, d.model, d.category, d.os, d.os_version], ['PCS Systemtechnik GmbH', null, 'workstation', 'Windows', '10.0']);
  const os = d.attributes.find((a) => a.name === 'os' && a.source === 'kb')!;
  // dhcp 0.75 (vendor class; the parameter list is the same signal), hostname 0.8, netbios 0.8, ssdp 0.6
  assert.equal(os.confidence, Math.round((1 - 0.25 * 0.2 * 0.2 * 0.4) * 10_000) / 10_000);
  assert.match(os.evidence!, /^fingerprint rules [0-9a-f]{12}: /);
  const osEvidence = d.evidence.filter((e) => e.attribute === 'os');
  assert.deepEqual(osEvidence.map((e) => `${e.source}:${e.fact}`).sort(),
    ['dhcp:dhcp_parameter_list', 'dhcp:dhcp_vendor_class', 'dhcp:hostname', 'netbios_browser:netbios_os_version', 'ssdp:ssdp_user_agent']);
  assert.ok(osEvidence.every((e) => e.selected && /^[a-z-]+\.fp:\d+$/.test(e.rule!) && e.ref !== null));
  const vendor = d.evidence.filter((e) => e.attribute === 'vendor');
  assert.deepEqual(vendor.map((e) => [e.value, e.rule, e.source, e.selected]), [['PCS Systemtechnik GmbH', null, 'oui', true]]);
  assert.deepEqual(d.software, [{ name: 'Microsoft Edge', version: '99.0.1150.30', version_raw: '99.0.1150.30', source: 'ssdp', confidence: 0.8 }]);
  store.close();
});

test('identification is idempotent and never feeds on its own output', () => {
  const { store, id } = storeWithDevice(WINDOWS_10_HOST);
  const kb = loadKnowledgeBase();
  classifyDevices(store, kb, [id]);
  const first = dump(store);
  classifyDevices(store, kb, [id, id]);
  classifyDevices(store, kb, [id]);
  assert.equal(dump(store), first);
  store.close();
});

test('re-identification replaces the derived values: new facts and new rules take effect, stale rows go', () => {
  const { store, id } = storeWithDevice([['mdns', 'mdns_txt', 'osxvers=17', 1]]);
  classifyDevices(store, loadKnowledgeBase(), [id]);
  assert.deepEqual([store.devices(id)[0]!.os, store.devices(id)[0]!.os_version], ['macOS', '10.13']);
  store.upsertAttribute(id, 'mdns_txt', 'model=iMac11,3', 'mdns', 1, null, 5, 6);
  classifyDevices(store, loadKnowledgeBase(), [id]);
  assert.deepEqual([store.devices(id)[0]!.vendor, store.devices(id)[0]!.model], ['Apple', 'iMac11,3']);
  const other = buildKnowledgeBase([{ name: 'o.fp', text: '@purpose p\n@licence l\n@ref r x\nmdns_txt exact "osxvers=17" os=Darwin:0.9 ref=r\n' }]);
  classifyDevices(store, other, [id]);
  const d = store.devices(id)[0]!;
  assert.deepEqual([d.vendor, d.model, d.os, d.os_version], [null, null, 'Darwin', null]);
  assert.deepEqual(d.evidence.map((e) => `${e.attribute}=${e.value}@${e.rule}`), ['os=Darwin@o.fp:4']);
  store.close();
});

test('a device without usable facts gets nothing and null columns', () => {
  // (a router role became usable with traffic.fp; an AE title alone says nothing)
  const { store, id } = storeWithDevice([['dicom', 'dicom_ae_title', 'GE_CT01', 1]]);
  assert.deepEqual(classifyDevices(store, loadKnowledgeBase(), [id]), { devices: 1, identified: 0, derived_values: 0 });
  const d = store.devices(id)[0]!;
  assert.deepEqual([d.vendor, d.model, d.category, d.os, d.os_version, d.software, d.evidence], [null, null, null, null, null, [], []]);
  store.close();
});

test('a Windows host that views DICOM studies is an imaging workstation, not a workstation; the IT claim stays in the trail', () => {
  const viewer: [string, string, string, number][] = [
    ...WINDOWS_10_HOST,
    ['dicom', 'dicom_sop_class', 'scu:1.2.840.10008.5.1.4.1.2.2.1', 1], // Study Root Q/R FIND sent
    ['dicom', 'dicom_sop_class', 'scu:1.2.840.10008.5.1.4.1.2.2.2', 1], // Study Root Q/R MOVE sent
    ['dicom', 'dicom_implementation_version', 'fo-dicom 5.1.2', 1],
  ];
  const { store, id } = storeWithDevice(viewer);
  classifyDevices(store, loadKnowledgeBase(), [id]);
  const [d] = store.devices(id);
  assert.equal(d!.category, 'imaging-workstation');
  assert.equal(d!.os, 'Windows');
  assert.ok(d!.is_medical);
  assert.ok(d!.evidence.some((e) => e.attribute === 'category' && e.value === 'workstation' && !e.selected));
  assert.ok(d!.evidence.some((e) => e.attribute === 'category' && e.value === 'imaging-workstation' && e.selected && /^roles\.tsv:\d+$/.test(e.rule ?? '')));
  assert.ok(d!.software.some((s) => s.name === 'fo-dicom' && s.version === '5.1.2'));
  // without the DICOM facts, the same host is a workstation
  const plain = storeWithDevice(WINDOWS_10_HOST);
  classifyDevices(plain.store, loadKnowledgeBase(), [plain.id]);
  assert.equal(plain.store.devices(plain.id)[0]!.category, 'workstation');
});

test('a medical device that serves TCP 9100, DNS and SMB stays medical; the printer and server claims stay in the trail', () => {
  const served = (port: string, ...peers: string[]): [string, string, string, number][] =>
    [['traffic', 'service_port', `server ${port}`, 1], ...peers.map((ip): [string, string, string, number] => ['traffic', 'service_peer', `server ${port} ${ip}`, 1])];
  const monitor: [string, string, string, number][] = [
    ['oui', 'vendor', 'Philips Medical Systems', 0.5], // category patient-monitor 0.35 (oui.fp): a weak maker hint
    ...served('tcp/9100', '10.0.0.31'), ...served('udp/53', '10.0.0.31', '10.0.0.32'), ...served('tcp/445', '10.0.0.31', '10.0.0.32'),
  ];
  const { store, id } = storeWithDevice(monitor);
  classifyDevices(store, loadKnowledgeBase(), [id]);
  const [d] = store.devices(id);
  assert.equal(d!.category, 'patient-monitor');
  assert.ok(d!.is_medical);
  for (const it of ['printer', 'server']) assert.ok(d!.evidence.some((e) => e.attribute === 'category' && e.value === it && !e.selected && /^roles\.tsv:\d+$/.test(e.rule ?? '')), it);
  // the same services without the medical maker: a server (DNS + SMB, 0.6, beats the printer's 0.5)
  const plain = storeWithDevice(monitor.slice(1));
  classifyDevices(plain.store, loadKnowledgeBase(), [plain.id]);
  assert.equal(plain.store.devices(plain.id)[0]!.category, 'server');
  store.close();
  plain.store.close();
});

test('a Windows host that only sends print jobs and uses SMB is a workstation, not a printer', () => {
  const client: [string, string, string, number][] = [
    ['tcp_os', 'tcp_os', 'Windows 7 or 8', 1], ['traffic', 'service_port', 'client tcp/9100', 1], ['traffic', 'service_port', 'client tcp/445', 1],
  ];
  const { store, id } = storeWithDevice(client);
  classifyDevices(store, loadKnowledgeBase(), [id]);
  const [d] = store.devices(id);
  assert.deepEqual([d!.category, d!.os], ['workstation', 'Windows']);
  assert.ok(!d!.evidence.some((e) => e.value === 'printer'));
  store.close();
});
