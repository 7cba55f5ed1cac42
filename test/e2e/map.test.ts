/**
 * End-to-end tests of the network map through the real CLI and SQLite: edges per application protocol, PHI and
 * cleartext-credential kinds, endpoint names, zones, and the three export formats. Edge counts, application
 * protocols and names are compared with tshark's view of the same captures (test/conformance/map/tshark-map.json,
 * written by scripts/make-map-baselines.ts; the test does not run tshark).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { capturePath, MAP_BASELINE_CAPTURES, type MapBaseline } from '../../scripts/make-map-baselines.js';
import { CORPUS, ROOT, runCli, SAMPLE, tempDir } from './cli-harness.js';
import { exposedServices, externalEndpoints, phiEdges } from '../../src/map/map-store.js';

const BASELINE = JSON.parse(readFileSync(join(ROOT, 'test/conformance/map/tshark-map.json'), 'utf8')) as { captures: Record<string, MapBaseline> };

/** Ingests one capture into a fresh database; returns its path. */
function ingestOne(file: string): string {
  const db = join(tempDir(), 'map.db');
  const r = runCli(['ingest', file, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  return db;
}

for (const entry of MAP_BASELINE_CAPTURES) {
  const file = capturePath(entry, ROOT, CORPUS);
  test(`map vs tshark: ${entry}: TCP connections per server port, application protocols, DNS and SNI names`, { skip: !existsSync(file) }, () => {
    const b = BASELINE.captures[entry]!;
    assert.equal(b.tshark_error, undefined);
    const db = new Database(ingestOne(file), { readonly: true });
    try {
      const ours = new Map((db.prepare('SELECT server_port AS p, SUM(flows) AS n FROM edges WHERE proto = 6 GROUP BY 1').all() as { p: number; n: number }[])
        .map((r) => [String(r.p), r.n]));
      assert.deepEqual(Object.fromEntries(ours), b.tcp_connections_by_server_port);
      for (const [port, apps] of Object.entries(b.app_protos_by_server_port)) {
        const seen = (db.prepare("SELECT DISTINCT app_proto FROM edges WHERE proto = 6 AND server_port = ? AND app_proto <> ''").all(Number(port)) as { app_proto: string }[])
          .map((r) => r.app_proto);
        // DICOM over TLS (PS3.15 Annex B, port 2762): tshark sees TLS; our edge is the DICOM association, encrypted.
        const dicomTls = (db.prepare("SELECT COUNT(*) AS n FROM edges WHERE proto = 6 AND server_port = ? AND app_proto = 'dicom' AND encrypted = 1").get(Number(port)) as { n: number }).n > 0;
        for (const a of apps) assert.ok(seen.includes(a) || (a === 'tls' && dicomTls), `port ${port}: tshark dissects ${a}, our edges say ${JSON.stringify(seen)}`);
      }
      const names = (source: string): Set<string> => new Set((db.prepare('SELECT ip, name FROM endpoint_names WHERE source = ?').all(source) as { ip: string; name: string }[])
        .map((r) => `${r.ip} ${r.name}`));
      const dns = names('dns');
      for (const [ip, name] of b.dns_names) assert.ok(dns.has(`${ip} ${name}`), `DNS ${name} -> ${ip} missing`);
      const sni = names('tls_sni');
      for (const [ip, name] of b.sni_names) assert.ok(sni.has(`${ip} ${name}`), `SNI ${name} -> ${ip} missing`);
    } finally {
      db.close();
    }
  });
}

test('PHI kinds on HL7 and DICOM edges, cleartext Telnet passwords and DICOM user identities as kinds, DICOM over TLS encrypted', () => {
  const kinds = (file: string, col: 'phi_kinds' | 'cleartext_credentials', app: string): string[] => {
    const db = new Database(ingestOne(file), { readonly: true });
    try {
      const rows = db.prepare(`SELECT ${col} AS k FROM edges WHERE app_proto = ?`).all(app) as { k: string }[];
      assert.ok(rows.length > 0, `${file}: no ${app} edge`);
      return [...new Set(rows.flatMap((r) => JSON.parse(r.k) as string[]))].sort();
    } finally {
      db.close();
    }
  };
  const hl7 = kinds(join(ROOT, 'samples/medical/hl7-pcd01-oru.pcap'), 'phi_kinds', 'hl7');
  assert.ok(hl7.includes('hl7:PID:name') && hl7.includes('hl7:PID:dob'), JSON.stringify(hl7));
  for (const k of hl7) assert.match(k, /^hl7:(PID|PV1|NK1|GT1|IN1):[a-z_]+$/);
  const telnet = join(CORPUS, 'telnet_ftp/malcolm__Telnet.pcap');
  if (existsSync(telnet)) assert.deepEqual(kinds(telnet, 'cleartext_credentials', 'telnet'), ['telnet']);
  assert.deepEqual(kinds(SAMPLE, 'phi_kinds', 'dicom').filter((k) => !k.startsWith('dicom:')), []);
  // DICOM built from the standard (scripts/make-dicom-captures.ts): C-STORE data sets with patient attributes, a
  // user identity with a passcode, and DICOM over TLS on 2762
  const synth = join(ROOT, 'test/conformance/dicom/synth-dicom.pcap');
  const dicomPhi = kinds(synth, 'phi_kinds', 'dicom');
  for (const k of ['dicom:patient_name', 'dicom:patient_birth_date', 'dicom:patient_id']) assert.ok(dicomPhi.includes(k), `${k} in ${dicomPhi.join(' ')}`);
  assert.deepEqual(kinds(synth, 'cleartext_credentials', 'dicom'), ['dicom-user-identity']);
  const db = new Database(ingestOne(synth), { readonly: true });
  try {
    const enc = db.prepare("SELECT server_port AS p, encrypted AS e FROM edges WHERE app_proto = 'dicom' ORDER BY server_port").all() as { p: number; e: number }[];
    assert.ok(enc.some((r) => r.p === 2762 && r.e === 1), 'DICOM over TLS is encrypted');
    assert.ok(enc.filter((r) => r.p !== 2762).every((r) => r.e === 0), 'plain DICOM is cleartext');
  } finally {
    db.close();
  }
});

test('medtap zones, map (json, graphml, dot, filters) and device on the sample hospital capture', () => {
  const db = ingestOne(SAMPLE);
  const z = runCli(['zones', '--json', '--db', db]);
  assert.equal(z.code, 0, z.stderr);
  const zones = JSON.parse(z.stdout) as { zones: { name: string; source: string; devices: number; medical_devices: number }[]; inter_zone_edges: unknown[] };
  const vlans = zones.zones.filter((x) => x.source === 'vlan').map((x) => x.name).sort();
  assert.deepEqual(vlans, ['vlan-10', 'vlan-20']);
  assert.ok(zones.zones.some((x) => x.source === 'dhcp'), 'a DHCP-announced subnet');
  assert.ok(zones.zones.some((x) => x.medical_devices > 0));
  assert.ok(zones.inter_zone_edges.length > 0);
  assert.match(runCli(['zones', '--db', db]).stdout, /vlan-10/);

  const map = JSON.parse(runCli(['map', '--db', db]).stdout) as { nodes: { id: string; external: boolean; names: string[] }[]; edges: { source: string; target: string; app_proto: string | null }[] };
  const ids = new Set(map.nodes.map((n) => n.id));
  assert.equal(ids.size, map.nodes.length, 'node ids are unique');
  for (const e of map.edges) assert.ok(ids.has(e.source) && ids.has(e.target), `${e.source} -> ${e.target}: an end is not a node`);
  assert.ok(map.nodes.some((n) => n.external && n.names.length > 0), 'external endpoints named from DNS/SNI');
  const graphml = runCli(['map', '--format', 'graphml', '--db', db]).stdout;
  assert.equal((graphml.match(/<node /g) ?? []).length, map.nodes.length);
  assert.equal((graphml.match(/<edge /g) ?? []).length, map.edges.length);
  const dot = runCli(['map', '--format', 'dot', '--db', db]).stdout;
  assert.equal((dot.match(/ -> /g) ?? []).length, map.edges.length);

  const ext = JSON.parse(runCli(['map', '--external', '--db', db]).stdout) as typeof map;
  assert.ok(ext.edges.length > 0 && ext.edges.length < map.edges.length);
  const byId = new Map(ext.nodes.map((n) => [n.id, n]));
  for (const e of ext.edges) assert.ok(byId.get(e.source)!.external || byId.get(e.target)!.external);
  const zoned = JSON.parse(runCli(['map', '--zone', 'vlan-10', '--db', db]).stdout) as typeof map;
  assert.ok(zoned.edges.length > 0 && zoned.edges.length < map.edges.length);
  assert.equal(runCli(['map', '--zone', 'nope', '--db', db]).code, 1);
  assert.equal(runCli(['map', '--category', 'toaster', '--db', db]).code, 2);

  const hl7Edge = map.edges.find((e) => e.app_proto === 'hl7')!;
  const store = new Database(db, { readonly: true });
  try {
    const services = exposedServices(store, Number(hl7Edge.target.slice(1)));
    const hl7 = services.find((x) => x.app_proto === 'hl7')!;
    assert.equal(hl7.server_port, 2575);
    assert.equal(hl7.encrypted, false);
    assert.ok(hl7.clients >= 1 && hl7.internet_clients === 0);
    const phi = phiEdges(store);
    assert.ok(phi.length > 0 && phi.every((e) => e.phi_kinds.length > 0));
    const internet = externalEndpoints(store);
    assert.ok(internet.length > 0 && internet.every((x) => x.address_class === 'public'));
    assert.ok(internet.some((x) => x.names.length > 0 && x.outbound_edges > 0));
  } finally {
    store.close();
  }
  const dev = Number(hl7Edge.source.slice(1));
  const one = JSON.parse(runCli(['map', '--device', String(dev), '--db', db]).stdout) as typeof map;
  for (const e of one.edges) assert.ok(e.source === `d${dev}` || e.target === `d${dev}`);
  const shown = runCli(['device', String(dev), '--db', db]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^zone /m);
  assert.match(shown.stdout, /talks to/);
  assert.match(shown.stdout, /hl7/);
});

test('medtap import zones: the sample zones CSV, its deliberate mistake reported by line, devices reassigned', () => {
  const db = ingestOne(SAMPLE);
  const csv = join(ROOT, 'samples/hospital-zones.csv');
  const r = runCli(['import', 'zones', csv, '--json', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { imported: number; errors: { where: string; column: string }[]; ignored_columns: string[] };
  assert.equal(s.imported, 4);
  assert.deepEqual(s.errors.map((e) => [e.where, e.column]), [[`${csv}:6`, 'purpose']]);
  assert.deepEqual(s.ignored_columns, ['notes']);
  const zones = (JSON.parse(runCli(['zones', '--json', '--db', db]).stdout) as { zones: { name: string; source: string; purpose: string | null; devices: number; medical_devices: number }[] }).zones;
  const clinical = zones.find((z) => z.name === 'Clinical')!;
  assert.equal(clinical.purpose, 'clinical');
  assert.ok(clinical.medical_devices > 0);
  assert.ok(!zones.some((z) => z.name === 'vlan-10' || z.name === 'vlan-20'), 'learned VLAN zones replaced');
  assert.ok(zones.find((z) => z.name === 'Management')!.devices > 0);
  const text = runCli(['import', 'zones', csv, '--db', db]);
  assert.match(text.stdout, /hospital-zones\.csv:6: column 'purpose': 'laboratory' is not one of/);
  assert.equal(runCli(['import', 'zones', join(ROOT, 'README.md'), '--db', db]).code, 1);
});
