/**
 * Knowledge base tests: cross-file checks of the loader (duplicates, priorities, error reporting), the matcher,
 * and the bundled rules of data/fingerprints/ on fact values taken from public captures and documentation.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildKnowledgeBase, type Claim, type Fact, FINGERPRINT_DIR, KnowledgeBaseError, loadKnowledgeBase, MAX_REGEX_INPUT_CHARS } from './knowledge-base.js';

const HEAD = '@purpose p\n@licence l\n@ref r a reference\n';

function fact(name: string, value: string, source = 'dhcp', confidence = 1): Fact {
  return { source, name, value, confidence, evidence: null, first: 1, last: 2 };
}

/** `attribute=value@rule` strings of a claim list, sorted. */
function summary(claims: Claim[]): string[] {
  return claims.map((c) => `${c.attribute}=${c.value}@${c.rule?.id ?? 'fact'}`).sort();
}

function kbErrors(files: { name: string; text: string }[], label?: string): string[] {
  try {
    buildKnowledgeBase(files, label);
  } catch (err) {
    assert.ok(err instanceof KnowledgeBaseError);
    return err.errors;
  }
  return [];
}

test('duplicate rules are refused across and within files; a selector list counts per fact', () => {
  const a = { name: 'a.fp', text: `${HEAD}x exact "1" os=Linux:0.5 ref=r\ny,z regex /^a$/ os=BSD:0.5 ref=r\n` };
  const b = { name: 'b.fp', text: `${HEAD}x exact "2" os=Linux:0.5 ref=r\nx exact "1" os=Windows:0.5 ref=r\nz regex /^a$/ os=BSD:0.4 ref=r\ndhcp:x exact "1" os=Linux:0.5 ref=r\nz regex /^a$/i os=BSD:0.4 ref=r\n` };
  assert.deepEqual(kbErrors([a, b], 'data/fingerprints'), [
    'data/fingerprints/b.fp:5: duplicate rule: same fact, match and pattern as data/fingerprints/a.fp:4',
    'data/fingerprints/b.fp:6: duplicate rule: same fact, match and pattern as data/fingerprints/a.fp:5',
  ]);
  const c = { name: 'c.fp', text: `${HEAD}x exact "1" os=Linux:0.5 ref=r\nx exact "1" os=Linux:0.6 ref=r\n` };
  assert.deepEqual(kbErrors([c]), ['c.fp:5: duplicate rule: same fact, match and pattern as c.fp:4']);
});

test('a source priority given twice is refused; parse errors of every file are collected', () => {
  const p1 = { name: 'p1.fp', text: '@purpose p\n@licence l\n@priority dhcp 60\n' };
  const p2 = { name: 'p2.fp', text: '@purpose p\n@licence l\n@priority dhcp 70\n' };
  const bad = { name: 'bad.fp', text: `${HEAD}x exact "1" category=pump:0.5 ref=r\n` };
  const errors = kbErrors([p1, p2, bad]);
  assert.deepEqual(errors, ['p2.fp:3: @priority dhcp already given at p1.fp:3', 'bad.fp:4: unknown category \'pump\' (see DESIGN §3 / src/knowledge/vocabulary.ts)', 'bad.fp:3: @ref r is not used by any rule']);
  const e = new KnowledgeBaseError(errors);
  assert.equal(e.message.split('\n')[0], 'p2.fp:3: @priority dhcp already given at p1.fp:3 (and 2 more)');
  assert.equal(e.message.split('\n').length, 3);
});

test('matching: exact, prefix, regex groups, source limits, skipped groups, direct facts', () => {
  const kb = buildKnowledgeBase([{ name: 'm.fp', text: `${HEAD}@priority dhcp 60
v exact "MSFT 5.0" os=Windows:0.75 ref=r
v prefix "MSFT" os=Windows:0.6 category=workstation:0.3 ref=r
v regex /^android-dhcp-(\\d+)(?:-(\\w+))?$/ os=Android:0.9 os_version=$1:0.8 model=$2:0.5 ref=r
mdns:h regex /^x$/ os=Linux:0.5 ref=r
` }]);
  assert.deepEqual(summary(kb.claims(fact('v', 'MSFT 5.0'))), ['category=workstation@m.fp:6', 'os=Windows@m.fp:5', 'os=Windows@m.fp:6']);
  assert.deepEqual(summary(kb.claims(fact('v', 'MSFT 98'))), ['category=workstation@m.fp:6', 'os=Windows@m.fp:6']);
  const android = kb.claims(fact('v', 'android-dhcp-9'));
  assert.deepEqual(summary(android), ['os=Android@m.fp:7', 'os_version=9@m.fp:7']); // $2 did not take part: no model
  assert.deepEqual(android[1]!.together, { os: 'Android', os_version: '9' });
  assert.deepEqual(summary(kb.claims(fact('v', 'android-dhcp-9-x'))), ['model=x@m.fp:7', 'os=Android@m.fp:7', 'os_version=9@m.fp:7']);
  assert.deepEqual(kb.claims(fact('v', 'msft 5.0')), []); // case-sensitive
  assert.deepEqual(kb.claims(fact('h', 'x', 'dhcp')), []); // rule limited to mdns
  assert.deepEqual(summary(kb.claims(fact('h', 'x', 'mdns'))), ['os=Linux@m.fp:8']);
  assert.deepEqual(kb.claims(fact('other', 'MSFT 5.0')), []);
  // facts naming a derived attribute are claims themselves (categories only from the vocabulary)
  assert.deepEqual(summary(kb.claims(fact('vendor', 'Acme', 'oui', 0.5))), ['vendor=Acme@fact']);
  assert.deepEqual(summary(kb.claims(fact('category', 'pump', 'import'))), []);
  assert.deepEqual(summary(kb.claims(fact('category', 'infusion-pump', 'import'))), ['category=infusion-pump@fact']);
  assert.equal(kb.priority('dhcp'), 60);
  assert.equal(kb.priority('never-named'), 50);
});

test('regex rules skip over-long values; exact and prefix still apply', () => {
  const kb = buildKnowledgeBase([{ name: 'l.fp', text: `${HEAD}v regex /^a.*$/ os=Linux:0.5 ref=r\nv prefix "a" os=BSD:0.5 ref=r\n` }]);
  assert.deepEqual(summary(kb.claims(fact('v', `a${'x'.repeat(MAX_REGEX_INPUT_CHARS - 1)}`))), ['os=BSD@l.fp:5', 'os=Linux@l.fp:4']);
  assert.deepEqual(summary(kb.claims(fact('v', `a${'x'.repeat(MAX_REGEX_INPUT_CHARS)}`))), ['os=BSD@l.fp:5']);
});

test('the bundled rules load, once per process, and cover every fact the collectors produce', () => {
  const kb = loadKnowledgeBase();
  assert.equal(loadKnowledgeBase(), kb);
  assert.equal(loadKnowledgeBase(FINGERPRINT_DIR), kb);
  assert.match(kb.version, /^[0-9a-f]{12}$/);
  assert.ok(kb.rules.length > 200);
  for (const f of ['vendor', 'dhcp_vendor_class', 'dhcp_parameter_list', 'dhcp_client_id', 'hostname', 'mdns_txt', 'mdns_service', 'mdns_hinfo',
    'netbios_os_version', 'netbios_server_type', 'netbios_comment', 'ssdp_server', 'ssdp_user_agent', 'upnp_device_type',
    'snmp_sys_object_id', 'snmp_sys_descr', 'lldp_system_description', 'cdp_platform', 'cdp_software_version', 'http_user_agent', 'http_server',
    'tcp_os', 'ntlm_os_version', 'smb_native_os', 'ssh_banner']) {
    assert.ok(kb.factNames().includes(f), f);
  }
  assert.equal(kb.priority('oui'), 20);
  assert.ok(kb.priority('snmp') > kb.priority('dhcp'));
});

test('a missing rule directory is a one-line error', () => {
  assert.throws(() => loadKnowledgeBase('/nonexistent/fingerprints/'), (e: unknown) => e instanceof KnowledgeBaseError && /cannot read the fingerprint directory/.test(e.errors[0]!));
});

/**
 * The bundled rules on real values. Each case: a fact as a collector records it (source:name), its value — from
 * the cited public capture or documentation — and the attribute values expected among the claims.
 */
const BUNDLED_CASES: [string, string, string[]][] = [
  // DHCP (values from the corpus frames cited in data/fingerprints/dhcp.fp)
  ['dhcp:dhcp_vendor_class', 'MSFT 5.0', ['os=Windows', 'category=workstation']],
  ['dhcp:dhcp_vendor_class', 'android-dhcp-9', ['os=Android', 'os_version=9', 'category=mobile']],
  ['dhcp:dhcp_vendor_class', 'android-dhcp-13.1', ['os=Android', 'os_version=13.1']],
  ['dhcp:dhcp_vendor_class', 'dhcpcd-6.11.5:Linux-4.1.18-v7+:armv7l:BCM2709', ['software=dhcpcd/6.11.5', 'os=Linux', 'os_version=4.1.18-v7+', 'vendor=Raspberry Pi']],
  ['dhcp:dhcp_vendor_class', 'dhcpcd-5.5.6', ['software=dhcpcd/5.5.6', 'os=Android']],
  ['dhcp:dhcp_vendor_class', 'udhcp 1.36.1', ['software=BusyBox udhcpc/1.36.1', 'os=Linux']],
  ['dhcp:dhcp_vendor_class', 'PXEClient:Arch:00000:UNDI:002001', ['software=PXE boot firmware']],
  ['dhcp:dhcp_client_id', '0:636973636f2d636330302e306163342e303030302d4661302f30', ['vendor=Cisco', 'os=Cisco IOS']],
  ['dhcp:dhcp_parameter_list', '1,3,6,15,31,33,43,44,46,47,119,121,249,252', ['os=Windows', 'os_version=10.0']],
  ['dhcp:dhcp_parameter_list', '1,15,3,6,44,46,47,31,33,121,249,43,252', ['os=Windows']],
  ['dhcp:dhcp_parameter_list', '1,121,3,6,15,119,252,95,44,46', ['os=macOS', 'vendor=Apple']],
  ['dhcp:dhcp_parameter_list', '1,121,3,6,15,119,252', ['os=iOS', 'category=mobile']],
  ['dhcp:dhcp_parameter_list', '1,28,2,3,15,6,119,12,44,47,26,121,42', ['os=Linux', 'software=ISC dhclient']],
  ['dhcp:dhcp_parameter_list', '1,28,2,3,15,6,119,12,44,47,26,121,42,121,249,252,42', ['os=Linux']],
  ['dhcp:dhcp_parameter_list', '1,28,2,3,15,6,12,150', ['os=Linux']],
  ['dhcp:dhcp_parameter_list', '1,3,12,15,6,42,119,121', ['os=Linux', 'software=systemd-networkd']],
  // host names
  ['nbns:hostname', 'DESKTOP-V1FA0UQ', ['os=Windows', 'os_version=10.0']],
  ['dhcp:hostname', 'kevin-PC', ['os=Windows', 'category=workstation']],
  ['dhcp:hostname', 'android-f7ca0f571270c52d', ['os=Android', 'category=mobile']],
  ['dhcp:hostname', 'Lucas-iPhone', ['os=iOS', 'vendor=Apple']],
  ['dhcp:hostname', 'NicksMacBook', ['os=macOS']],
  ['dhcp:hostname', 'NPI3F2A1B', ['vendor=HP', 'category=printer']],
  ['dhcp:hostname', 'SEP001122334455', ['vendor=Cisco', 'category=voip-phone']],
  ['dhcp:hostname', 'pump-04', ['category=infusion-pump']],
  ['dhcp:hostname', 'ICU-VENT-12', ['category=ventilator']],
  ['dhcp:hostname', 'piic-central-01', ['category=central-station']],
  ['dhcp:hostname', 'ct-01', ['category=imaging-ct']],
  // mDNS / DNS-SD (iot/ndpi__iphone.pcap frame 3; Bonjour printing TXT keys)
  ['mdns:mdns_txt', 'model=iMac11,3', ['vendor=Apple', 'model=iMac11,3', 'os=macOS', 'category=workstation']],
  ['mdns:mdns_txt', 'osxvers=17', ['os=macOS', 'os_version=10.13']],
  ['mdns:mdns_txt', 'osxvers=23', ['os=macOS', 'os_version=14']],
  ['mdns:mdns_txt', 'model=iPhone14,2', ['model=iPhone14,2', 'os=iOS', 'category=mobile']],
  ['mdns:mdns_txt', 'ty=HP LaserJet Pro M404n', ['model=HP LaserJet Pro M404n', 'category=printer', 'vendor=HP']],
  ['mdns:mdns_txt', 'usb_MFG=Brother', ['vendor=Brother']],
  ['mdns:mdns_service', '_ipp._tcp', ['category=printer']],
  ['mdns:mdns_service', '_axis-video._tcp', ['vendor=Axis', 'category=ip-camera']],
  // NetBIOS (nbns_netbios/ndpi__netbios.pcap frame 113; ndpi__dos_win98_smb_netbeui.pcap frame 33; 1kxun frame 389)
  ['netbios_browser:netbios_os_version', '6.1', ['os=Windows', 'os_version=6.1']],
  ['netbios_browser:netbios_os_version', '10.0', ['os=Windows', 'os_version=10.0']],
  ['netbios_browser:netbios_server_type', 'workstation,server,wfw,potential_browser,windows_95_plus', ['os=Windows', 'os_version=9x']],
  ['netbios_browser:netbios_server_type', 'workstation,server,print_queue,xenix,nt_workstation,nt_server,master_browser,dfs', ['category=server']],
  ['netbios_browser:netbios_comment', 'sanji-LIFEBOOK-LH531 server (Samba, Ubuntu)', ['os=Linux', 'software=Samba']],
  // SSDP (lan_mixed/ndpi__1kxun.pcap, ssdp_upnp/ndpi__ssdp-m-search-ua.pcap)
  ['ssdp:ssdp_server', 'Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0', ['os=Windows', 'os_version=10.0', 'software=UPnP-Device-Host/1.0']],
  ['ssdp:ssdp_server', 'EPICENTRO UPnP/1.0 MiniUPnPd/1.6', ['software=MiniUPnPd/1.6', 'category=network-infrastructure']],
  ['ssdp:ssdp_server', 'UPnP/Tomato 1.28.7500 MIPSR2Toastman-RT K26 USB Ext UPnP/1.0 MiniUPnPd/1.6', ['os=Linux', 'software=Tomato firmware/1.28.7500', 'software=MiniUPnPd/1.6']],
  ['ssdp:ssdp_server', 'Linux/3.14.0 UPnP/1.0 IpBridge/1.26.0', ['os=Linux', 'os_version=3.14.0', 'software=IpBridge/1.26.0']],
  ['ssdp:ssdp_user_agent', 'Google Chrome/99.0.4844.74 Mac OS X', ['os=macOS', 'software=Google Chrome/99.0.4844.74']],
  ['ssdp:ssdp_user_agent', 'Microsoft Edge/99.0.1150.30 Windows', ['os=Windows', 'software=Microsoft Edge/99.0.1150.30']],
  ['ssdp:upnp_device_type', 'urn:schemas-upnp-org:device:InternetGatewayDevice:1', ['category=network-infrastructure']],
  ['ssdp:upnp_device_type', 'urn:schemas-upnp-org:device:ZonePlayer:1', ['vendor=Sonos']],
  // UPnP device description (http/ja4__http1.pcapng: the gateway's rootDesc.xml)
  ['ssdp:upnp_manufacturer', 'Ubiquiti Networks', ['vendor=Ubiquiti Networks']],
  ['ssdp:upnp_model_name', 'UDM-SE', ['model=UDM-SE']],
  // SDC / DPWS (IEEE 11073-20702 §5; DPWS 1.1 §5.2; Windows WSD Hellos of lan_mixed/ndpi__gnutella.pcap)
  ['sdc:sdc_medical_device', 'true', ['category=medical-other']],
  ['sdc:sdc_manufacturer', 'Drägerwerk AG & Co. KGaA', ['vendor=Dräger']],
  ['sdc:sdc_manufacturer', 'Philips Medizin Systeme Böblingen GmbH', ['vendor=Philips']],
  ['sdc:sdc_manufacturer', 'Fresenius Kabi AG', ['vendor=Fresenius Kabi']],
  ['sdc:sdc_model_name', 'Example SDC Monitor', ['model=Example SDC Monitor']],
  ['sdc:sdc_types', '{http://schemas.microsoft.com/windows/pub/2005/07}Computer', ['os=Windows', 'category=workstation']],
  ['sdc:sdc_types', '{http://schemas.microsoft.com/windows/2006/08/wdp/print}PrintDeviceType', ['category=printer']],
  // OUI registrants (IEEE listing)
  ['oui:vendor', 'Philips Patient Monitoring', ['vendor=Philips', 'category=patient-monitor']],
  ['oui:vendor', 'GE Healthcare', ['vendor=GE Healthcare']],
  ['oui:vendor', 'Drägerwerk AG & Co. KG aA', ['vendor=Dräger']],
  ['oui:vendor', 'B.Braun Melsungen AG', ['vendor=B. Braun', 'category=infusion-pump']],
  ['oui:vendor', 'Carefusion', ['vendor=BD']],
  ['oui:vendor', 'ICU Medical, Inc.', ['vendor=ICU Medical', 'category=infusion-pump']],
  ['oui:vendor', 'Fresenius Medical Care Deutschland GmbH', ['vendor=Fresenius Medical Care', 'category=dialysis']],
  ['oui:vendor', 'Masimo Corporation', ['vendor=Masimo', 'category=patient-monitor']],
  ['oui:vendor', 'Mindray DS USA, Inc.', ['vendor=Mindray']],
  ['oui:vendor', 'SPACELABS MEDICAL', ['vendor=Spacelabs', 'category=patient-monitor']],
  ['oui:vendor', 'Welch Allyn, Inc.', ['vendor=Welch Allyn']],
  ['oui:vendor', 'Siemens Healthcare Diagnostics Manufacturing Ltd', ['vendor=Siemens Healthineers', 'category=lab-analyzer']],
  ['oui:vendor', 'Carestream Health, Inc.', ['vendor=Carestream', 'category=imaging-xray']],
  ['oui:vendor', 'Cisco Systems, Inc', ['vendor=Cisco']],
  ['oui:vendor', 'Routerboard.com', ['vendor=MikroTik', 'category=network-infrastructure']],
  // SNMP / LLDP / CDP (IANA enterprise numbers; documented sysDescr formats)
  ['snmp:snmp_sys_object_id', '1.3.6.1.4.1.9.1.1208', ['vendor=Cisco']],
  ['snmp:snmp_sys_object_id', '.1.3.6.1.4.1.11.2.3.9.1', ['vendor=HP', 'category=printer']],
  ['snmp:snmp_sys_object_id', '1.3.6.1.4.1.311.1.1.3.1.2', ['os=Windows', 'category=server']],
  ['snmp:snmp_sys_object_id', '1.3.6.1.4.1.8072.3.2.10', ['os=Linux', 'software=Net-SNMP']],
  ['snmp:snmp_sys_object_id', '1.3.6.1.4.1.19816.1.2', ['vendor=Philips', 'category=patient-monitor']],
  ['snmp:snmp_sys_object_id', '1.3.6.1.4.1.22447', ['vendor=B. Braun']],
  ['snmp:snmp_sys_descr', 'Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.0(2)SE11, RELEASE SOFTWARE (fc3)', ['os=Cisco IOS', 'os_version=15.0(2)SE11']],
  ['lldp:lldp_system_description', 'Cisco IOS Software, C9300 Software (CAT9K_IOSXE), Version 17.9.4 (synthetic)', ['os=Cisco IOS XE', 'os_version=17.9.4']],
  ['snmp:snmp_sys_descr', 'Linux nas 5.10.55+ #42962 SMP Mon Jan 1 00:00:00 CST 2024 x86_64', ['os=Linux', 'os_version=5.10.55+']],
  ['snmp:snmp_sys_descr', 'Hardware: Intel64 Family 6 Model 85 Stepping 4 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 17763 Multiprocessor Free)', ['os=Windows', 'os_version=6.3']],
  ['cdp:cdp_platform', 'Cisco IP Phone 7975', ['vendor=Cisco', 'model=IP Phone 7975', 'category=voip-phone']],
  ['cdp:cdp_platform', 'cisco WS-C3750X-48P', ['model=WS-C3750X-48P', 'category=network-infrastructure']],
  // HTTP, TCP, SMB, SSH
  ['http:http_user_agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36', ['os=Windows', 'os_version=10.0']],
  ['http:http_user_agent', 'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36', ['os=Android', 'os_version=13']],
  ['http:http_user_agent', 'Microsoft-CryptoAPI/10.0', ['os=Windows', 'os_version=10.0']],
  ['http:http_server', 'Microsoft-IIS/8.5', ['software=Microsoft IIS/8.5', 'os=Windows', 'os_version=6.3']],
  ['http:http_server', 'Apache/2.4.41 (Ubuntu)', ['software=Apache httpd/2.4.41', 'os=Linux']],
  ['tcp:tcp_os', 'Windows 7 or 8', ['os=Windows']],
  ['tcp:tcp_os', 'Linux 3.11 and newer', ['os=Linux']],
  ['smb:ntlm_os_version', '10.0.19041', ['os=Windows', 'os_version=10.0']],
  ['smb:smb_native_os', 'Windows 5.1', ['os=Windows', 'os_version=5.1']],
  ['ssh:ssh_banner', 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6', ['software=OpenSSH/8.9p1', 'os=Linux']],
  ['ssh:ssh_banner', 'SSH-2.0-dropbear_2020.81', ['software=Dropbear SSH/2020.81']],
];

test('bundled rules on real values', () => {
  const kb = loadKnowledgeBase();
  for (const [sel, value, expected] of BUNDLED_CASES) {
    const [source, name] = sel.split(':') as [string, string];
    const got = new Set(kb.claims(fact(name, value, source)).map((c) => `${c.attribute}=${c.value}`));
    for (const e of expected) assert.ok(got.has(e), `${sel} "${value}": expected ${e}, got ${[...got].join(', ') || 'nothing'}`);
  }
});

test('bundled rules stay silent on values they must not claim', () => {
  const kb = loadKnowledgeBase();
  const none: [string, string][] = [
    ['dhcp:hostname', 'doctor-office'], // "ct" is not a token of it
    ['dhcp:hostname', 'pumpkin'],
    ['oui:vendor', 'PYXIS S.R.L.'], // not BD Pyxis
    ['oui:vendor', 'Intel Corporate'], // a NIC maker
    ['snmp:snmp_sys_object_id', '1.3.6.1.4.1.90.1'], // not Cisco (9)
    ['dhcp:dhcp_vendor_class', 'BD-Alaris-PCU'], // the sample's invented class
  ];
  for (const [sel, value] of none) {
    const [source, name] = sel.split(':') as [string, string];
    const got = kb.claims(fact(name, value, source)).filter((c) => c.rule !== null);
    assert.deepEqual(got.map((c) => `${c.attribute}=${c.value}@${c.rule!.id}`), [], `${sel} "${value}"`);
  }
});
