/** Zones: learned from VLANs, DHCP subnets and inferred /24 or /64 groups; imported from CSV; devices assigned; counts. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { SqliteStore } from '../inventory/sqlite-store.js';
import { DhcpSubnetCollector, inferredConfidence, isMedicalCategory, learnZones } from './zones.js';
import { importZones, readZoneFile } from './zone-import.js';
import { deviceZone, interZoneEdges, listZones } from './map-store.js';
import type { Observation } from '../observe/observation.js';

/** A store with devices: [key, category, vlan or null, ips]. */
function storeWith(devices: [string, string | null, number | null, string[]][]): SqliteStore {
  const s = new SqliteStore(':memory:');
  devices.forEach(([key, category, vlan, ips], i) => {
    const id = i + 1;
    s.db.prepare('INSERT INTO devices (id, key, key_kind, first_us, last_us, category) VALUES (?, ?, ?, 1, 2, ?)').run(id, key, key.slice(0, key.indexOf(':')), category);
    if (vlan !== null) s.db.prepare('INSERT INTO device_vlans VALUES (?, ?, 1, 2)').run(id, vlan);
    for (const ip of ips) s.db.prepare("INSERT INTO device_ips VALUES (?, ?, ?, 'traffic', 0.8, 1, 2)").run(id, ip, ip.includes(':') ? 6 : 4);
  });
  return s;
}

const edge = (s: SqliteStore, c: number, sv: number, ip: string): void => {
  s.db.prepare("INSERT INTO edges (client_device_id, server_device_id, server_ip, proto, server_port, flows, packets, bytes, first_us, last_us) VALUES (?, ?, ?, 6, 80, 1, 1, 100, 1, 2)").run(c, sv, ip);
};

const dhcpAck = (yiaddr: string, mask: string): Observation => ({
  kind: 'dhcp', ctx: { ts_us: 5, src_mac: null, dst_mac: null, vlan: null, src_ip: '10.9.0.1', dst_ip: yiaddr, src_port: 67, dst_port: 68 },
  msg: { msg_type: 5, subnet_mask: mask, yiaddr, routers: ['10.9.0.1'] },
} as unknown as Observation);

test('learned zones: VLANs first, then DHCP subnets, then inferred /24 and /64 groups; internet hosts in none', () => {
  const s = storeWith([
    ['mac:1', 'infusion-pump', 10, ['10.10.0.5']],
    ['mac:2', 'workstation', 10, ['10.10.0.6']],
    ['mac:3', 'patient-monitor', null, ['10.9.0.20']],
    ['mac:4', 'printer', null, ['10.30.0.7']],
    ['mac:5', null, null, ['10.30.0.8']],
    ['mac:6', null, null, ['fd00:1:2:3::9']],
    ['ip:8.8.8.8', null, 10, ['8.8.8.8']],
    ['mac:8', null, null, ['169.254.3.3']],
  ]);
  const dhcp = new DhcpSubnetCollector();
  dhcp.observe(dhcpAck('10.9.0.20', '255.255.254.0'));
  dhcp.observe(dhcpAck('10.9.0.21', '255.255.254.0'));
  dhcp.observe(dhcpAck('10.9.0.22', '255.0.255.0')); // not a netmask: ignored
  assert.deepEqual([...dhcp.subnets.keys()], ['10.9.0.0/23']);
  learnZones(s.db, dhcp.subnets.values());
  const zone = (id: number): string | null => deviceZone(s.db, id)?.name ?? null;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(zone), ['vlan-10', 'vlan-10', '10.9.0.0/23', '10.30.0.0/24', '10.30.0.0/24', 'fd00:1:2:3::/64', null, null]);
  const zones = new Map(listZones(s.db).map((z) => [z.name, z]));
  assert.equal(zones.get('10.30.0.0/24')!.source, 'inferred');
  assert.equal(zones.get('10.30.0.0/24')!.confidence, inferredConfidence(2));
  assert.equal(zones.get('10.9.0.0/23')!.source, 'dhcp');
  assert.equal(zones.get('vlan-10')!.medical_devices, 1);
  assert.equal(zones.get('vlan-10')!.it_devices, 1);
  assert.ok(inferredConfidence(1) < inferredConfidence(3));
  assert.ok(isMedicalCategory('ventilator') && !isMedicalCategory('workstation') && !isMedicalCategory(null));
  // edges: vlan-10 -> 10.30.0.0/24 twice, within vlan-10 once, to the internet host once
  edge(s, 1, 4, '10.30.0.7');
  edge(s, 2, 5, '10.30.0.8');
  edge(s, 1, 2, '10.10.0.6');
  edge(s, 2, 7, '8.8.8.8');
  assert.deepEqual(interZoneEdges(s.db).map((e) => [e.from, e.to, e.edges]), [['vlan-10', '10.30.0.0/24', 2]]);
  const v10 = listZones(s.db).find((z) => z.name === 'vlan-10')!;
  assert.deepEqual([v10.internal_edges, v10.edges_out, v10.edges_in, v10.edges_to_unzoned], [1, 2, 0, 1]);
  // a second learning pass is idempotent
  learnZones(s.db, []);
  assert.deepEqual([1, 3, 4].map(zone), ['vlan-10', '10.9.0.0/23', '10.30.0.0/24']);
  s.close();
});

test('import zones: good rows kept, bad rows reported by line and column; imported zones replace learned ones', () => {
  const s = storeWith([
    ['mac:1', 'infusion-pump', 10, ['10.10.0.5']],
    ['mac:2', null, null, ['10.30.0.7']],
    ['mac:3', null, null, ['10.40.1.2']],
  ]);
  learnZones(s.db, []);
  assert.equal(deviceZone(s.db, 1)!.name, 'vlan-10');
  const csv = [
    'Name,VLAN,CIDR,Purpose,Owner',
    'ICU pumps,10,,clinical,biomed',
    'Servers,,10.30.0.0/24,it,',
    'Bad vlan,5000,,it,',
    'Host bits,,10.40.1.2/16,,',
    ',,10.50.0.0/24,,',
    'No scope,,,guest,',
    'Wrong purpose,,10.60.0.0/24,cafeteria,',
    'ICU pumps,11,,clinical,',
    'Wide,,10.40.0.0/16,management,',
  ].join('\n');
  const read = readZoneFile('zones.csv', csv);
  assert.ok(!('error' in read));
  assert.deepEqual(read.ignored, ['Owner']);
  assert.deepEqual(read.errors.map((e) => [e.where, e.column]), [
    ['zones.csv:4', 'vlan'], ['zones.csv:5', 'cidr'], ['zones.csv:6', 'name'], ['zones.csv:7', 'vlan'], ['zones.csv:8', 'purpose'], ['zones.csv:9', 'name'],
  ]);
  assert.match(read.errors[1]!.why, /did you mean 10\.40\.0\.0\/16/);
  assert.match(read.errors[5]!.why, /already defined on line 2/);
  const sum = importZones(s.db, 'zones.csv', read);
  assert.deepEqual([sum.imported, sum.added, sum.updated], [3, 3, 0]);
  assert.ok(sum.learned_replaced >= 2, 'vlan-10 and the inferred 10.30.0.0/24 are replaced');
  assert.deepEqual([1, 2, 3].map((id) => deviceZone(s.db, id)?.name), ['ICU pumps', 'Servers', 'Wide']);
  assert.equal(deviceZone(s.db, 1)!.purpose, 'clinical');
  assert.equal(deviceZone(s.db, 1)!.basis, 'vlan');
  // learning again keeps the imported zones in charge
  learnZones(s.db, []);
  assert.equal(deviceZone(s.db, 1)!.name, 'ICU pumps');
  assert.ok(!listZones(s.db).some((z) => z.name === 'vlan-10'));
  // re-import updates by name
  const again = importZones(s.db, 'zones.csv', read);
  assert.deepEqual([again.added, again.updated], [0, 3]);
  assert.ok('error' in readZoneFile('z.csv', 'foo,bar\n1,2'));
  assert.ok('error' in readZoneFile('z.csv', ''));
  s.close();
});
