/**
 * End-to-end identification: corpus captures and the bundled sample go through the real CLI; for each device the
 * test first checks that the facts medtap recorded are what tshark shows in the cited frames
 * (identify/tshark-identify.json, from scripts/make-identify-baselines.ts), then checks what the fingerprint rules
 * made of them — expectations written from those packets, frame by frame. Records are validated against
 * schemas/device.schema.json; re-identification (`medtap classify`) must change nothing.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { CORPUS, ROOT, runCli, tempDir } from './cli-harness.js';
import type { DeviceRecord } from '../../src/inventory/sqlite-store.js';

interface BaselineFrame {
  capture: string;
  frame: number;
  kind: 'dhcp' | 'browser' | 'mdns' | 'ssdp';
  fields: Record<string, string>;
}

const BASELINE = JSON.parse(readFileSync(join(ROOT, 'test/e2e/identify/tshark-identify.json'), 'utf8')) as { aggregator: string; frames: BaselineFrame[] };
const US = BASELINE.aggregator;
const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
(addFormats as unknown as typeof addFormats.default)(ajv);
const deviceSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/device.schema.json'), 'utf8')));
const summarySchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/ingest-summary.schema.json'), 'utf8')));

const pathOf = (capture: string): string => (capture.startsWith('samples/') ? join(ROOT, capture) : join(CORPUS, capture));
let db = '';
let devices: DeviceRecord[] = [];

before(() => {
  db = join(tempDir(), 'm.db');
  const captures = [...new Set(BASELINE.frames.map((f) => f.capture))];
  const r = runCli(['ingest', ...captures.map(pathOf), '--json', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { identification: { devices: number; identified: number } };
  assert.ok(summarySchema(s), JSON.stringify(summarySchema.errors));
  assert.ok(s.identification.identified > 30);
  devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as DeviceRecord[];
});

function device(mac: string): DeviceRecord {
  const d = devices.find((x) => x.macs.includes(mac));
  assert.ok(d, `no device with MAC ${mac}`);
  return d;
}

function hasFact(d: DeviceRecord, name: string, value: string): boolean {
  return d.attributes.some((a) => a.name === name && a.value === value && a.source !== 'kb');
}

/** The facts medtap recorded for the sender of a cited frame are the values tshark shows in it. */
function checkFacts(f: BaselineFrame): void {
  const v = f.fields;
  const at = `${f.capture} frame ${f.frame}`;
  const split = (x: string | undefined): string[] => (x ? x.split(US) : []);
  if (f.kind === 'dhcp') {
    const d = device(split(v['dhcp.hw.mac_addr'])[0]!);
    if (v['dhcp.option.hostname']) assert.ok(hasFact(d, 'hostname', v['dhcp.option.hostname']), `${at}: hostname`);
    if (v['dhcp.option.vendor_class_id']) assert.ok(hasFact(d, 'dhcp_vendor_class', v['dhcp.option.vendor_class_id']), `${at}: vendor class`);
    if (v['dhcp.option.request_list_item']) assert.ok(hasFact(d, 'dhcp_parameter_list', split(v['dhcp.option.request_list_item']).join(',')), `${at}: option 55`);
    const types = split(v['dhcp.option.type']);
    const values = split(v['dhcp.option.value']);
    const i = types.indexOf('61'); // option values align with types up to the first option without a value (pad, end)
    if (i >= 0) assert.ok(hasFact(d, 'dhcp_client_id', `${parseInt(values[i]!.slice(0, 2), 16)}:${values[i]!.slice(2)}`), `${at}: option 61`);
  } else if (f.kind === 'browser') {
    const d = device(v['eth.src']!);
    assert.ok(hasFact(d, 'netbios_os_version', `${v['browser.os_major']}.${v['browser.os_minor']}`), `${at}: OS version`);
    assert.ok(hasFact(d, 'hostname', v['browser.server']!), `${at}: server name`);
    if (v['browser.comment']) assert.ok(hasFact(d, 'netbios_comment', v['browser.comment']), `${at}: comment`);
    const w95 = (Number(v['browser.server_type']) & 0x00400000) !== 0; // SV_TYPE_WINDOWS
    assert.equal(d.attributes.some((a) => a.name === 'netbios_server_type' && a.value.split(',').includes('windows_95_plus')), w95, `${at}: server type`);
  } else if (f.kind === 'mdns') {
    const d = device(v['eth.src']!);
    for (const t of split(v['dns.txt'])) {
      if (/^[A-Za-z0-9_.-]{1,32}=./.test(t)) assert.ok(hasFact(d, 'mdns_txt', t), `${at}: TXT ${t}`); // the key=value strings the collector keeps
    }
  } else {
    const d = device(v['eth.src']!);
    if (v['http.server']) assert.ok(hasFact(d, 'ssdp_server', v['http.server']), `${at}: SERVER`);
    if (v['http.user_agent']) assert.ok(hasFact(d, 'ssdp_user_agent', v['http.user_agent']), `${at}: USER-AGENT`);
  }
}

test('every device record follows the schema', () => {
  for (const d of devices) assert.ok(deviceSchema(d), `${d.key}: ${JSON.stringify(deviceSchema.errors)}`);
});

test('the recorded facts are what tshark shows in the cited frames', () => {
  assert.equal(BASELINE.frames.length, 28);
  for (const f of BASELINE.frames) checkFacts(f);
});

/** What a device must be identified as; `why` names the frames and the values in them. */
interface Expectation {
  mac: string;
  why: string;
  vendor?: string | null;
  model?: string;
  category?: string;
  os?: string;
  os_version?: string;
  software?: string[];
  /** Values listed in the evidence trail without being chosen (conflicts kept visible). */
  rejected?: string[];
}

const EXPECTED: Expectation[] = [
  { mac: '08:00:27:e6:e5:59', why: 'lan_mixed/ndpi__gnutella.pcap 7: vendor class MSFT 5.0, Windows 10 option 55; 101: browser OS 10.0; 125: M-SEARCH UA Microsoft Edge/99.0.1150.30 Windows',
    os: 'Windows', os_version: '10.0', category: 'workstation', software: ['Microsoft Edge 99.0.1150.30'] },
  { mac: '00:0c:29:61:f5:5f', why: 'lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap 21: MSFT 5.0, host DESKTOP-V1FA0UQ; 88: browser OS 10.0',
    vendor: 'VMware, Inc.', os: 'Windows', os_version: '10.0', category: 'workstation' },
  { mac: 'd8:30:62:56:00:1c', why: 'iot/ndpi__iphone.pcap 2: Lucas-iMac, macOS option 55; 5: mDNS TXT model=iMac11,3 osxvers=17 (Darwin 17 = macOS 10.13)',
    vendor: 'Apple', model: 'iMac11,3', os: 'macOS', os_version: '10.13', category: 'workstation' },
  { mac: 'c4:61:8b:35:82:a9', why: 'iot/ndpi__iphone.pcap 29: host Lucas-iPhone, iOS option 55 1,121,3,6,15,119,252', vendor: 'Apple', os: 'iOS', category: 'mobile' },
  { mac: '4c:6a:f6:9f:f6:27', why: 'iot/ndpi__android.pcap 67: vendor class android-dhcp-9', os: 'Android', os_version: '9', category: 'mobile' },
  { mac: '00:30:48:b0:b1:a6', why: 'nbns_netbios/ndpi__netbios.pcap 113: BOWIE announces OS 6.1', os: 'Windows', os_version: '6.1' },
  { mac: '00:50:56:33:78:9e', why: 'nbns_netbios/ndpi__dos_win98_smb_netbeui.pcap 33: MDJR98 announces OS 4.0 with server type 0x00402003 (SV_TYPE_WINDOWS: Windows 9x)',
    os: 'Windows', os_version: '9x', rejected: ['os_version=4.0'] },
  { mac: '8c:73:6e:b7:94:1d', why: 'lan_mixed/ndpi__1kxun.pcap 389: browser comment "sanji-LIFEBOOK-LH531 server (Samba, Ubuntu)"', os: 'Linux', software: ['Samba'] },
  { mac: '60:c5:47:05:bc:8c', why: 'lan_mixed/ndpi__1kxun.pcap 597: host MacBook-Air, option 55 1,3,6,15,119,95,252,44,46', vendor: 'Apple', os: 'macOS' },
  { mac: 'e8:b1:fc:ab:fb:b2', why: 'lan_mixed/ndpi__1kxun.pcap 693: SERVER Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0', os: 'Windows', os_version: '10.0' },
  { mac: 'bc:ee:7b:0c:b3:de', why: 'lan_mixed/ndpi__1kxun.pcap 706: vendor class dhcpcd-5.5.6, host android-f7ca0f571270c52d',
    os: 'Android', category: 'mobile', software: ['dhcpcd 5.5.6'] },
  { mac: '48:d2:24:63:0a:de', why: 'lan_mixed/ndpi__1kxun.pcap 833: kevin-PC, MSFT 5.0, Windows 7-era option 55', os: 'Windows', category: 'workstation' },
  { mac: '84:26:15:3e:75:c4', why: 'lan_mixed/ndpi__starcraft_battle.pcap 29: SERVER EPICENTRO UPnP/1.0 MiniUPnPd/1.6', category: 'network-infrastructure', software: ['MiniUPnPd 1.6'] },
  { mac: 'e0:91:f5:73:8c:c2', why: 'ssdp_upnp/sv__sip-ssdp-pm__ssdp.pcap 1: SERVER UPnP/Tomato 1.28.7500 … MiniUPnPd/1.6',
    os: 'Linux', category: 'network-infrastructure', software: ['MiniUPnPd 1.6', 'Tomato firmware 1.28.7500'] },
  { mac: 'f0:2f:4b:09:93:bc', why: 'ssdp_upnp/ndpi__ssdp-m-search-ua.pcap 1: USER-AGENT Google Chrome/99.0.4844.74 Mac OS X',
    vendor: 'Apple', os: 'macOS', software: ['Google Chrome 99.0.4844.74'] },
  { mac: 'cc:00:0a:c4:00:00', why: 'dhcp/zeek__hw-type0.pcap 1: client identifier "cisco-cc00.0ac4.0000-Fa0/0" (Cisco IOS default)',
    vendor: 'Cisco', os: 'Cisco IOS', category: 'network-infrastructure' },
  { mac: '92:dd:a4:8d:5f:de', why: 'dhcp/sv__dhcp-option-52-overload.pcap 1: vendor class "udhcp 1.36.1" (locally administered MAC: no OUI)',
    vendor: null, os: 'Linux', software: ['BusyBox udhcpc 1.36.1'] },
  { mac: '28:cf:da:dc:8d:76', why: 'dhcp/sv__dhcp-eve-extended-option-60.pcap 1: MSFT 5.0 and a Windows option 55 from an Apple NIC named NicksMacBook',
    vendor: 'Apple', os: 'Windows', rejected: ['os=macOS'] },
  { mac: '00:0c:29:59:fd:21', why: 'dhcp/csanders__dhcp_inlease_renewal.pcapng 1: ubuntu2, Debian/Ubuntu dhclient option 55', os: 'Linux', software: ['ISC dhclient'] },
  // the bundled sample (samples/README.md)
  { mac: '00:09:5c:21:4e:10', why: 'sample: piic-central-01 DHCPINFORM with MSFT 5.0 and the Windows 10 list; OUI Philips Medical Systems',
    vendor: 'Philips', os: 'Windows', os_version: '10.0', category: 'central-station', rejected: ['category=patient-monitor', 'category=workstation'] },
  { mac: '00:09:fb:4c:11:27', why: 'sample: bedside monitor, OUI Philips Patient Monitoring', vendor: 'Philips', category: 'patient-monitor' },
  { mac: 'f8:c6:78:0e:51:91', why: 'sample: pump-01 DHCP (host name pump-01), OUI CareFusion', vendor: 'BD', category: 'infusion-pump', rejected: ['category=medical-other'] },
  { mac: '9c:c8:ae:1d:77:04', why: 'sample: pump-04 DHCP (host name pump-04), OUI Becton, Dickinson and Company', vendor: 'BD', category: 'infusion-pump' },
  { mac: 'd4:be:d9:35:a0:1f', why: 'sample: ws-dell-05 DHCP with MSFT 5.0 and the Windows 10 list', vendor: 'Dell', os: 'Windows', os_version: '10.0', category: 'workstation' },
  { mac: 'da:7e:3c:91:0b:44', why: 'sample: tablet-ward3 DHCP with android-dhcp-14 (randomised MAC)', vendor: null, os: 'Android', os_version: '14', category: 'mobile' },
  { mac: '44:4b:5d:03:a1:60', why: 'sample: ct-01 sends CT Image Storage C-STORE (role rule modality-ct; the GE OUI alone only said medical-other)',
    vendor: 'GE Healthcare', category: 'imaging-ct', rejected: ['category=medical-other'] },
  { mac: '00:18:65:7b:20:31', why: 'sample: lab-analyzer-01, OUI Siemens Healthcare Diagnostics', vendor: 'Siemens Healthineers', category: 'lab-analyzer' },
];

test('devices are identified as their packets say', () => {
  for (const e of EXPECTED) {
    const d = device(e.mac);
    const at = `${e.mac} (${e.why})`;
    for (const k of ['vendor', 'model', 'category', 'os', 'os_version'] as const) {
      if (e[k] !== undefined) assert.equal(d[k], e[k], `${at}: ${k}`);
    }
    if (e.software) {
      const sw = d.software.map((s) => (s.version_raw ? `${s.name} ${s.version_raw}` : s.name));
      for (const s of e.software) assert.ok(sw.includes(s), `${at}: software ${s} not in ${sw.join(', ')}`);
    }
    for (const r of e.rejected ?? []) {
      const [attr, value] = r.split('=') as [string, string];
      assert.ok(d.evidence.some((x) => x.attribute === attr && x.value === value && !x.selected), `${at}: ${r} should be listed, not chosen`);
    }
    // every chosen single value is backed by the evidence trail, and every rule named exists as file:line
    for (const k of ['vendor', 'model', 'category', 'os', 'os_version'] as const) {
      if (d[k] !== null) assert.ok(d.evidence.some((x) => x.attribute === k && x.value === d[k] && x.selected), `${at}: no evidence for ${k}=${d[k]}`);
    }
  }
});

test('medtap device <id> prints the evidence trail; medtap classify changes nothing', () => {
  const central = device('00:09:5c:21:4e:10');
  const out = runCli(['device', String(central.id), '--db', db]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /model -\s+hostname piic-central-01\s+category central-station\s+os Windows 10\.0/);
  assert.match(out.stdout, /^category\s+\*\s+central-station\s+0\.40\s+dhcp\s+hostname "piic-central-01"\s+hostname\.fp:\d+/m);
  assert.match(out.stdout, /^category\s+-\s+patient-monitor\s+0\.35\s+oui\s+vendor "Philips Medical Systems/m);
  const table = runCli(['devices', '--db', db]);
  assert.match(table.stdout, /pump-01\s+BD\s+-\s+infusion-pump/);
  assert.match(table.stdout, /Apple\s+iMac11,3\s+workstation\s+macOS 10\.13/);
  const again = runCli(['classify', '--json', '--db', db]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal((JSON.parse(again.stdout) as { devices: number }).devices, devices.length);
  assert.deepEqual(JSON.parse(runCli(['devices', '--json', '--db', db]).stdout), devices);
});

test('a broken rule file stops the ingest before anything is stored, naming file and line', () => {
  const dir = tempDir();
  const rules = join(dir, 'fingerprints');
  cpSync(join(ROOT, 'data/fingerprints'), rules, { recursive: true });
  writeFileSync(join(rules, 'site.fp'), '@purpose site rules\n@licence internal\n@ref site our asset list\nhostname exact "pump-01" category=pump:0.9 ref=site\n');
  const fresh = join(dir, 'm.db');
  const r = runCli(['ingest', join(ROOT, 'samples/hospital.pcap'), '--db', fresh], { env: { MEDTAP_FINGERPRINTS: rules } });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^medtap: .*fingerprints\/site\.fp:4: unknown category 'pump' \(see DESIGN §3/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const ok = runCli(['ingest', join(ROOT, 'samples/hospital.pcap'), '--json', '--db', fresh]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as { status: string }).status, 'ok'); // the failed run stored nothing
});
