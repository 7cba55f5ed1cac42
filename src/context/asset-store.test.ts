/**
 * Reconciliation and storage tests on an in-memory inventory: each match basis in its order, IP matches over time,
 * conflicting values kept beside traffic values, idempotent re-import, changed rows, the two unmatched lists.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SqliteStore } from '../inventory/sqlite-store.js';
import { readAssetFile } from './asset-file.js';
import { ASSET_SOURCE, importAssets, listAssets, reconcileAll, unregisteredDevices } from './asset-store.js';
import { MATCH_CONFIDENCE } from './reconcile.js';

const MIN = 60e6;
const T0 = Date.parse('2026-03-02T08:00:00Z') * 1000;

/** Adds a device with its MAC, IP bindings (ip, first, last) and facts (source, name, value); returns its id. */
function device(s: SqliteStore, v: { mac?: string; key?: string; ips?: [string, number, number][]; facts?: [string, string, string][]; vendor?: string }): number {
  const key = v.key ?? `mac:${v.mac}`;
  const id = Number(s.db.prepare(`INSERT INTO devices (key, key_kind, first_us, last_us, vendor) VALUES (?, ?, ?, ?, ?)`)
    .run(key, key.startsWith('ip:') ? 'ip' : 'mac', T0, T0 + 10 * MIN, v.vendor ?? null).lastInsertRowid);
  if (v.mac) s.db.prepare('INSERT INTO device_macs (device_id, mac, first_us, last_us) VALUES (?, ?, ?, ?)').run(id, parseInt(v.mac.replace(/:/g, ''), 16), T0, T0 + MIN);
  for (const [ip, f, l] of v.ips ?? []) s.upsertIpBinding(id, ip, 4, 'traffic', T0 + f * MIN, T0 + l * MIN);
  for (const [src, name, value] of v.facts ?? []) s.upsertAttribute(id, name, value, src, 0.9, 'test', T0, T0 + MIN);
  return id;
}

function load(s: SqliteStore, csv: string, file = 'reg.csv') {
  const c = readAssetFile(csv, false, new Map());
  assert.ok(!('error' in c));
  return importAssets(s, file, csv, c, null);
}

const HEADER = 'Asset Tag,MAC,Serial,UDI,Hostname,IP,Vendor,Department\n';

test('each basis, tried in order: MAC, serial, UDI, host name (exact, then first label), IP', () => {
  const s = new SqliteStore(':memory:');
  const byMac = device(s, { mac: '00:09:fb:00:00:01', facts: [['dhcp', 'hostname', 'bed-9']] });
  const bySerial = device(s, { mac: '00:09:fb:00:00:02', facts: [['lldp', 'lldp_med_serial_number', 'SN-0002']] });
  const byUdi = device(s, { mac: '00:09:fb:00:00:03', facts: [['hl7', 'udi', '(01)00885403000003']] });
  const byHost = device(s, { mac: '00:09:fb:00:00:04', facts: [['dhcp', 'hostname', 'PUMP-04']] });
  const byShort = device(s, { mac: '00:09:fb:00:00:05', facts: [['mdns', 'hostname', 'pacs-05.ward.local']] });
  const byIp = device(s, { mac: '00:09:fb:00:00:06', ips: [['10.0.0.6', 0, 9]] });
  const sum = load(s, `${HEADER}A1,00:09:FB:00:00:01,,,bed-3,,,ICU
A2,,sn-0002,,,,,ICU
A3,,,(01)00885403000003,,,,ICU
A4,,,,pump-04,,,ICU
A5,,,,pacs-05,,,ICU
A6,,,,,10.0.0.6,,ICU
`);
  assert.deepEqual(sum.matched, { mac: 1, serial: 1, udi: 1, hostname: 2, ip: 1 });
  const got = listAssets(s.db).map((a) => [a.key, a.match?.device_id, a.match?.basis, a.match?.confidence]);
  assert.deepEqual(got, [
    ['asset_tag:A1', byMac, 'mac', MATCH_CONFIDENCE.mac], ['asset_tag:A2', bySerial, 'serial', MATCH_CONFIDENCE.serial],
    ['asset_tag:A3', byUdi, 'udi', MATCH_CONFIDENCE.udi], ['asset_tag:A4', byHost, 'hostname', MATCH_CONFIDENCE.hostname],
    ['asset_tag:A5', byShort, 'hostname', MATCH_CONFIDENCE.hostname_short], ['asset_tag:A6', byIp, 'ip', MATCH_CONFIDENCE.ip],
  ]);
  const a1 = listAssets(s.db)[0]!.match!;
  assert.match(a1.evidence, /register MAC 00:09:fb:00:00:01 = device MAC/);
  assert.deepEqual(a1.conflicts, [{ field: 'hostname', register: 'bed-3', discovered: ['bed-9'] }]);
  assert.match(listAssets(s.db)[1]!.match!.evidence, /register serial sn-0002 = device lldp lldp_med_serial_number "SN-0002"/);
});

test('a MAC match wins over a host name naming another device; an ambiguous host name falls through to the IP', () => {
  const s = new SqliteStore(':memory:');
  const a = device(s, { mac: '00:09:fb:00:00:01' });
  device(s, { mac: '00:09:fb:00:00:02', facts: [['dhcp', 'hostname', 'mon-1']] });
  device(s, { mac: '00:09:fb:00:00:03', facts: [['dhcp', 'hostname', 'dup']] });
  const d4 = device(s, { mac: '00:09:fb:00:00:04', facts: [['nbns', 'hostname', 'DUP']], ips: [['10.0.0.4', 0, 5]] });
  load(s, `${HEADER}A1,00:09:fb:00:00:01,,,mon-1,,,ICU\nA2,,,,dup,10.0.0.4,,ICU\n`);
  const [m1, m2] = listAssets(s.db).map((x) => x.match!);
  assert.deepEqual([m1!.device_id, m1!.basis], [a, 'mac']);
  assert.deepEqual([m2!.device_id, m2!.basis], [d4, 'ip']);
});

test('an IP held by several devices over time goes to the latest holder, at a lower confidence, naming the others', () => {
  const s = new SqliteStore(':memory:');
  const early = device(s, { mac: '00:09:fb:00:00:01', ips: [['10.0.0.9', 0, 3]] });
  const late = device(s, { mac: '00:09:fb:00:00:02', ips: [['10.0.0.9', 5, 9]] });
  load(s, `${HEADER}A1,,,,,10.0.0.9,,ICU\n`);
  const m = listAssets(s.db)[0]!.match!;
  assert.equal(m.device_id, late);
  assert.equal(m.confidence, MATCH_CONFIDENCE.ip_shared);
  assert.match(m.evidence, new RegExp(`2026-03-02T08:05:00Z \\.\\. 2026-03-02T08:09:00Z, the latest holder; also held earlier by device #${early}`));
});

test('register values that disagree with traffic are kept beside them with provenance, never over them', () => {
  const s = new SqliteStore(':memory:');
  const id = device(s, { mac: '18:a9:9b:62:07:c1', vendor: 'Dell', ips: [['10.10.0.12', 0, 9]], facts: [['oui', 'vendor', 'Dell Inc.']] });
  load(s, `${HEADER}A1,18:a9:9b:62:07:c1,,,,10.10.0.99,BD,Pharmacy\n`, 'cmms.csv');
  const m = listAssets(s.db)[0]!.match!;
  assert.deepEqual(m.conflicts, [{ field: 'ip', register: '10.10.0.99', discovered: ['10.10.0.12'] }, { field: 'vendor', register: 'BD', discovered: ['Dell Inc.'] }]);
  const vendors = s.devices(id)[0]!.attributes.filter((a) => a.name === 'vendor').map((a) => [a.value, a.source, a.evidence]);
  assert.deepEqual(vendors.sort(), [['BD', ASSET_SOURCE, 'cmms.csv:2 (mac match)'], ['Dell Inc.', 'oui', 'test']]);
  assert.equal(s.devices(id)[0]!.vendor, 'Dell');
  assert.deepEqual(s.devices(id)[0]!.ips, ['10.10.0.12']);
  const dept = s.devices(id)[0]!.attributes.find((a) => a.name === 'department')!;
  assert.deepEqual([dept.value, dept.source], ['Pharmacy', ASSET_SOURCE]);
});

test('re-importing the same file changes nothing; a changed row updates its asset and its attributes', () => {
  const s = new SqliteStore(':memory:');
  const id = device(s, { mac: '00:09:fb:00:00:01' });
  const csv = `${HEADER}A1,00:09:fb:00:00:01,,,,,,ICU\nA2,00:09:fb:00:00:02,,,,,,ICU\n`;
  const snapshot = (): unknown => [
    s.db.prepare('SELECT * FROM assets ORDER BY id').all(), s.db.prepare('SELECT * FROM asset_matches ORDER BY asset_id').all(),
    s.db.prepare('SELECT * FROM attributes ORDER BY device_id, name, value, source').all(),
  ];
  const first = load(s, csv);
  assert.deepEqual([first.added, first.updated, first.unchanged], [2, 0, 0]);
  const before = snapshot();
  const again = load(s, csv);
  assert.deepEqual([again.added, again.updated, again.unchanged], [0, 0, 2]);
  assert.deepEqual(snapshot(), before);
  const changed = load(s, `${HEADER}A2,00:09:fb:00:00:02,,,,,,ICU\nA1,00:09:fb:00:00:01,,,,,,Cardiology\n`, 'reg2.csv');
  assert.deepEqual([changed.added, changed.updated, changed.unchanged], [0, 1, 1]);
  const depts = s.devices(id)[0]!.attributes.filter((a) => a.name === 'department').map((a) => [a.value, a.evidence]);
  assert.deepEqual(depts, [['Cardiology', 'reg2.csv:3 (mac match)']]);
  const a2 = listAssets(s.db).find((a) => a.key === 'asset_tag:A2')!;
  assert.deepEqual([a2.file, a2.line], ['reg.csv', 3]);
});

test('assets never seen and LAN devices missing from the register are listed; hosts keyed by IP are not', () => {
  const s = new SqliteStore(':memory:');
  device(s, { mac: '00:09:fb:00:00:01' });
  const missing = device(s, { mac: '00:09:fb:00:00:02', ips: [['10.0.0.2', 0, 1]], facts: [['dhcp', 'hostname', 'tablet']] });
  device(s, { key: 'ip:93.184.0.1' });
  const sum = load(s, `${HEADER}A1,00:09:fb:00:00:01,,,,,,ICU\nA9,00:09:fb:00:00:09,,,,,,ICU\n`);
  assert.deepEqual([sum.unmatched_assets, sum.devices_missing_from_register], [1, 1]);
  assert.deepEqual(listAssets(s.db, { unmatchedOnly: true }).map((a) => a.key), ['asset_tag:A9']);
  assert.deepEqual(unregisteredDevices(s.db), [{ id: missing, key: 'mac:00:09:fb:00:00:02', macs: ['00:09:fb:00:00:02'], ips: ['10.0.0.2'],
    hostname: 'tablet', vendor: null, category: null }]);
  // A device discovered later is matched when reconciliation runs again (as `medtap assets` does).
  device(s, { mac: '00:09:fb:00:00:09' });
  assert.equal(reconcileAll(s, null).unmatched_assets, 0);
});
