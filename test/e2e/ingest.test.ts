/**
 * End-to-end tests of `medtap ingest / devices / flows / stats` through the real CLI and a real SQLite file:
 * the bundled sample, re-ingest without double counting, directories, stdin, truncated and hostile files,
 * interrupted runs, JSON records against the checked-in schemas, exit codes.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Database from 'better-sqlite3';
import { CORPUS, ROOT, runCli, SAMPLE, tempDir } from './cli-harness.js';
import { SqliteStore } from '../../src/inventory/sqlite-store.js';
import { ingest } from '../../src/ingest/ingest.js';
import { buildSample } from '../../scripts/make-sample.js';

/** Frames of samples/hospital.pcap, as its generator writes them. */
const SAMPLE_FRAMES = buildSample().length;

const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ allErrors: true, strict: false });
(addFormats as unknown as typeof addFormats.default)(ajv);
const deviceSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/device.schema.json'), 'utf8')));
const flowSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/flow.schema.json'), 'utf8')));
const dhcpLogSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/dhcp.schema.json'), 'utf8')));
const summarySchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/ingest-summary.schema.json'), 'utf8')));

/** Packet counts per capture from the corpus manifest (tshark's count). */
function manifestPackets(): Map<string, number> {
  const lines = readFileSync(join(CORPUS, 'manifest.tsv'), 'utf8').trim().split('\n');
  const head = lines[0]!.split('\t');
  const fi = head.indexOf('file');
  const pi = head.indexOf('packets');
  return new Map(lines.slice(1).map((l) => {
    const c = l.split('\t');
    return [c[fi]!, Number(c[pi])];
  }));
}

function stats(db: string): Record<string, unknown> {
  const r = runCli(['stats', '--json', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('sample capture: ingest, devices and flows as schema-valid JSON', () => {
  const db = join(tempDir(), 'm.db');
  const r = runCli(['ingest', SAMPLE, '--json', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { status: string; packets: number; flows: number; devices: number; anomalies: object };
  assert.ok(summarySchema(s), JSON.stringify(summarySchema.errors));
  assert.equal(s.status, 'ok');
  assert.ok(s.packets > 1000);
  assert.ok(s.flows > 50);
  assert.deepEqual(s.anomalies, {});
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { id: number; vendor: string | null; is_router: boolean; macs: string[]; locally_administered: boolean; key_kind: string; behind_router: boolean }[];
  assert.equal(devices.length, s.devices);
  for (const d of devices) assert.ok(deviceSchema(d), JSON.stringify(deviceSchema.errors));
  // Known members of the generated network (see samples/README.md); vendors as canonicalised by data/fingerprints/oui.fp
  assert.ok(devices.some((d) => d.vendor === 'Philips'));
  assert.ok(devices.some((d) => d.vendor === 'GE Healthcare'));
  assert.equal(devices.filter((d) => d.is_router).length, 1);
  assert.ok(devices.some((d) => d.locally_administered && d.vendor === null));
  assert.ok(devices.filter((d) => d.key_kind === 'ip').every((d) => d.behind_router));
  const flows = JSON.parse(runCli(['flows', '--json', '--db', db]).stdout) as unknown[];
  assert.equal(flows.length, s.flows);
  for (const f of flows) assert.ok(flowSchema(f), JSON.stringify(flowSchema.errors));
  const table = runCli(['devices', '--db', db]);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /Philips/);
  assert.match(table.stdout, new RegExp(`${s.devices} devices\\n$`));
});

test('re-ingesting the same content does not double count', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  assert.equal(runCli(['ingest', SAMPLE, '--db', db]).code, 0);
  const before = stats(db);
  const copy = join(dir, 'renamed.pcap');
  copyFileSync(SAMPLE, copy);
  const again = runCli(['ingest', copy, '--json', '--db', db]);
  assert.equal(again.code, 0, again.stderr);
  const s = JSON.parse(again.stdout) as { status: string; inputs: { status: string; message: string }[] };
  assert.ok(summarySchema(s), JSON.stringify(summarySchema.errors));
  assert.equal(s.status, 'nothing_new');
  assert.equal(s.inputs[0]!.status, 'skipped_duplicate');
  assert.match(s.inputs[0]!.message, /already ingested as capture #1/);
  assert.deepEqual(stats(db), before);
});

test('a directory is ingested as one time-ordered stream; packet counts equal tshark\'s', () => {
  const db = join(tempDir(), 'm.db');
  const r = runCli(['ingest', join(CORPUS, 'arp'), '--json', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { packets: number; inputs: { name: string; packets: number }[] };
  const m = manifestPackets();
  let total = 0;
  for (const i of s.inputs) {
    const rel = i.name.slice(CORPUS.length + 1);
    assert.equal(i.packets, m.get(rel), rel);
    total += m.get(rel)!;
  }
  assert.equal(s.packets, total);
  assert.equal(s.inputs.length, 5);
});

test('stdin: `medtap ingest -` reads a pcap stream', () => {
  const db = join(tempDir(), 'm.db');
  const r = runCli(['ingest', '-', '--json', '--db', db], { input: readFileSync(SAMPLE) });
  assert.equal(r.code, 0, r.stderr);
  const fromStdin = JSON.parse(r.stdout) as { packets: number; flows: number; devices: number };
  const db2 = join(tempDir(), 'm.db');
  const fromFile = JSON.parse(runCli(['ingest', SAMPLE, '--json', '--db', db2]).stdout) as typeof fromStdin;
  assert.deepEqual([fromStdin.packets, fromStdin.flows, fromStdin.devices], [fromFile.packets, fromFile.flows, fromFile.devices]);
});

test('a truncated capture: clear error with the byte offset, the packets before it are kept', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const bytes = readFileSync(SAMPLE);
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const r = runCli(['ingest', cut, '--json', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, new RegExp(`^medtap: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: truncated record \\(\\d+ of \\d+ bytes\\) at byte offset \\d+\\n$`));
  const s = JSON.parse(r.stdout) as { status: string; packets: number };
  assert.ok(summarySchema(s), JSON.stringify(summarySchema.errors));
  assert.equal(s.status, 'partial');
  assert.ok(s.packets > 1000);
  assert.equal(stats(db)['packets'], s.packets);
});

test('not a capture / missing file / unknown command: one-line reasons and exit codes', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  assert.equal(runCli(['ingest', SAMPLE, '--db', db]).code, 0);
  const before = stats(db);
  const junk = join(dir, 'notes.pcap');
  writeFileSync(junk, 'patient list, not a capture\n');
  const r = runCli(['ingest', junk, '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /notes\.pcap: not a pcap or pcapng capture \(bad magic 0x[0-9a-f]{8}\) at byte offset 0/);
  const missing = runCli(['ingest', join(dir, 'nope.pcap'), '--db', db]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
  assert.match(missing.stderr, /nope\.pcap: no such file/);
  assert.equal(runCli(['frobnicate']).code, 2);
  const badFlows = runCli(['ingest', SAMPLE, '--max-flows', '0', '--db', db]);
  assert.equal(badFlows.code, 2);
  assert.match(badFlows.stderr, /--max-flows must be an integer/);
  assert.equal(runCli(['devices', '--db', join(dir, 'absent.db')]).code, 1);
  const s = stats(db);
  delete before['ingest_runs'];
  delete s['ingest_runs'];
  assert.deepEqual({ ...s, captures: before['captures'] }, before);
});

test('hostile bytes after a valid header never crash the CLI', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const sample = readFileSync(SAMPLE);
  let seed = 99;
  const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  const mutated = Buffer.from(sample.subarray(0, 200_000));
  for (let i = 24; i < mutated.length; i++) if (rnd() < 8) mutated[i] = rnd();
  const f = join(dir, 'mutated.pcap');
  writeFileSync(f, mutated);
  const r = runCli(['ingest', f, '--json', '--db', db]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.doesNotMatch(r.stderr, /TypeError|RangeError|at .*\.js:\d+/);
  const s = JSON.parse(r.stdout) as { packets: number };
  assert.equal(stats(db)['packets'], s.packets);
});

/** Resolves once `data` has been handed to the child's stdin pipe (all but the pipe's buffer has been read by it). */
function fedToChild(stdin: NodeJS.WritableStream, data: Buffer): Promise<void> {
  return new Promise((resolve) => stdin.write(data, () => resolve()));
}

test('a run killed mid-stream leaves the database as it was', async () => {
  const db = join(tempDir(), 'm.db');
  assert.equal(runCli(['ingest', join(CORPUS, 'arp'), '--db', db]).code, 0);
  const before = stats(db);
  const child = spawn(process.execPath, [join(ROOT, 'bin/medtap.js'), 'ingest', '-', '--db', db], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.on('error', () => {}); // EPIPE if the kill comes first: the point is the database, not the pipe
  await fedToChild(child.stdin, readFileSync(SAMPLE));
  await new Promise((r) => setTimeout(r, 1000)); // the run has read everything and waits for more, inside its transaction
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const after = stats(db);
  assert.deepEqual(after, before);
  const check = new Database(db, { readonly: true });
  assert.equal((check.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  check.close();
});

test('an interrupted file ingest stores nothing; an interrupted stream keeps what it read', async () => {
  const store = new SqliteStore(':memory:');
  const s = await ingest(store, [SAMPLE], { stopSignal: { stop: true, abort: false } });
  assert.equal(s.status, 'interrupted');
  assert.equal(store.stats()['packets'], 0);
  assert.equal(store.stats()['devices'], 0);
  store.close();
  const db = join(tempDir(), 'm.db');
  const child = spawn(process.execPath, [join(ROOT, 'bin/medtap.js'), 'ingest', '-', '--json', '--db', db], { stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await fedToChild(child.stdin, readFileSync(SAMPLE));
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGINT'); // Ctrl-C on a live stream: finish and store
  child.stdin.end();
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 0);
  const summary = JSON.parse(out) as { packets: number };
  assert.equal(stats(db)['packets'], summary.packets);
  assert.ok(summary.packets > 1000);
});

test('live: tcpdump -U -w - on loopback piped into `medtap ingest -`', async (t) => {
  const which = spawnSync('sh', ['-c', 'command -v tcpdump']);
  if (which.status !== 0) {
    t.skip('tcpdump not installed (.ci/run installs it)');
    return;
  }
  const db = join(tempDir(), 'm.db');
  const port = 40000 + Math.floor(Math.random() * 20000);
  const count = 20;
  // tcpdump captures our own datagrams to 127.0.0.1 on lo; nothing leaves the machine.
  const dump = spawn('tcpdump', ['-i', 'lo', '-U', '-n', '-w', '-', '-c', String(count), 'udp', 'and', 'port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let dumpErr = '';
  dump.stderr.on('data', (d: Buffer) => (dumpErr += d.toString()));
  const medtap = spawn(process.execPath, [join(ROOT, 'bin/medtap.js'), 'ingest', '-', '--json', '--db', db], { stdio: ['pipe', 'pipe', 'pipe'] });
  dump.stdout.pipe(medtap.stdin);
  let out = '';
  medtap.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // wait until tcpdump listens, then send
  for (let i = 0; i < 50 && !dumpErr.includes('listening'); i++) await new Promise((r) => setTimeout(r, 100));
  if (!dumpErr.includes('listening')) {
    dump.kill();
    medtap.kill();
    t.skip(`tcpdump cannot capture on lo here: ${dumpErr.trim().split('\n')[0] ?? ''}`);
    return;
  }
  const sock = createSocket('udp4');
  for (let i = 0; i < count; i++) {
    await new Promise<void>((r) => sock.send(Buffer.from(`medtap-live-test ${i}`), port, '127.0.0.1', () => r()));
    await new Promise((r) => setTimeout(r, 10));
  }
  sock.close();
  const code = await new Promise((r) => medtap.once('exit', r));
  assert.equal(code, 0);
  const s = JSON.parse(out) as { packets: number; flows: number };
  assert.equal(s.packets, count);
  const flows = JSON.parse(runCli(['flows', '--json', '--db', db]).stdout) as { proto: string; server_ip: string; server_port: number; client_to_server_packets: number }[];
  const f = flows.find((x) => x.server_port === port);
  assert.ok(f, 'the UDP flow to the test port is recorded');
  assert.equal(f.proto, 'udp');
  assert.equal(f.server_ip, '127.0.0.1');
  assert.equal(f.client_to_server_packets, count);
});

test('a named pipe is read once, as a stream (no pre-read for the duplicate check)', async () => {
  const dir = tempDir();
  const fifo = join(dir, 'capture.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const writer = spawn('sh', ['-c', `cat "${SAMPLE}" > "${fifo}"`]);
  const db = join(dir, 'm.db');
  const r = runCli(['ingest', fifo, '--json', '--db', db]);
  await new Promise((res) => writer.once('exit', res));
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { packets: number; inputs: { sha256: string }[] };
  assert.equal(s.packets, SAMPLE_FRAMES); // what the generator wrote (the sample grew with the clinical protocols)
  const again = JSON.parse(runCli(['ingest', SAMPLE, '--json', '--db', db]).stdout) as { status: string };
  assert.equal(again.status, 'nothing_new'); // same content: the stream's hash was recorded
});

test('--log-dir writes dhcp.jsonl; DHCP names the pumps and workstations and binds their leases', () => {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  const r = runCli(['ingest', SAMPLE, '--json', '--log-dir', logs, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as { observations: Record<string, number> };
  const lines = readFileSync(join(logs, 'dhcp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  // 48 DHCP frames in the sample (tshark -Y dhcp): 8 for each of the four relayed pumps, 4 for the central station's
  // relayed INFORM, 4 each for two workstations and a tablet
  assert.equal(lines.length, 48);
  assert.equal(s.observations["dhcp"], 48);
  for (const l of lines) {
    assert.ok(dhcpLogSchema(l), JSON.stringify(dhcpLogSchema.errors));
    assert.match(String(l['ts']), /^2026-03-02T08:/);
    assert.ok(['discover', 'offer', 'request', 'ack', 'inform'].includes(String(l['msg_type_name'])), String(l['msg_type_name']));
  }
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as
    { macs: string[]; hostname: string | null; ip_bindings: { ip: string; source: string }[]; attributes: { name: string; value: string; source: string }[] }[];
  const byMac = (m: string) => devices.find((d) => d.macs.includes(m))!;
  const pump = byMac('9c:c8:ae:1d:77:04');
  assert.equal(pump.hostname, 'pump-04');
  assert.ok(pump.attributes.some((a) => a.name === 'dhcp_vendor_class' && a.value === 'BD-Alaris-PCU' && a.source === 'dhcp'));
  assert.ok(pump.ip_bindings.some((b) => b.ip === '10.10.0.44' && b.source === 'dhcp'));
  assert.equal(byMac('d4:be:d9:35:a0:1f').hostname, 'ws-dell-05');
  assert.equal(byMac('da:7e:3c:91:0b:44').hostname, 'tablet-ward3');
  const table = runCli(['devices', '--db', db]).stdout;
  assert.match(table, /pump-04/);
});

test('medtap device <id> shows provenance, addresses and peers; unknown ids are a clear error', () => {
  const db = join(tempDir(), 'm.db');
  assert.equal(runCli(['ingest', SAMPLE, '--db', db]).code, 0);
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { id: number; macs: string[] }[];
  const pump = devices.find((d) => d.macs.includes('9c:c8:ae:1d:77:04'))!;
  const r = runCli(['device', String(pump.id), '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /hostname pump-04/);
  assert.match(r.stdout, /dhcp_vendor_class\s+BD-Alaris-PCU\s+dhcp\s+1\.00/);
  assert.match(r.stdout, /IEEE registry \(oui-data 2\.1\.9\)/);
  assert.match(r.stdout, /10\.10\.0\.44\s+dhcp\s+0\.95/);
  const j = JSON.parse(runCli(['device', String(pump.id), '--json', '--db', db]).stdout) as { edges: { proto: string; server_port: number | null; direction: string }[] };
  assert.ok(j.edges.some((e) => e.direction === 'to' && e.proto === 'tcp' && e.server_port === 443));
  const missing = runCli(['device', '99999', '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^medtap: no device 99999/);
  assert.equal(runCli(['device', 'abc', '--db', db]).code, 2);
});

test('mDNS and LLMNR responders name themselves; dns.jsonl records follow their schema', () => {
  const dnsLogSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/dns.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  const inputs = [join(CORPUS, 'mdns_llmnr/zeek__mdns.pcap'), join(CORPUS, 'mdns_llmnr/sv__llmnr-udp.pcap')];
  for (const f of inputs) assert.equal(runCli(['ingest', f, '--log-dir', logs, '--db', db]).code, 0);
  const lines = readFileSync(join(logs, 'dns.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.length >= 6);
  for (const l of lines) assert.ok(dnsLogSchema(l), JSON.stringify(dnsLogSchema.errors));
  assert.ok(lines.some((l) => l['service'] === 'mdns') && lines.some((l) => l['service'] === 'llmnr'));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; hostname: string | null; attributes: { name: string; value: string; source: string }[] }[];
  // Values checked with tshark: the responders' A records for their own addresses.
  assert.ok(devices.some((d) => d.hostname === 'HS2011' && d.attributes.some((a) => a.source === 'llmnr')));
  assert.ok(devices.some((d) => d.attributes.some((a) => a.source === 'mdns' && a.name === 'hostname')));
});

test('NetBIOS: registrations and browser announcements name Windows hosts; nbns/nbdgm logs follow their schemas', () => {
  const nbnsSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/nbns.schema.json'), 'utf8')));
  const nbdgmSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/nbdgm.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'nbns_netbios/ndpi__netbios.pcap'), '--log-dir', logs, '--db', db]).code, 0);
  for (const [file, schema] of [['nbns.jsonl', nbnsSchema], ['nbdgm.jsonl', nbdgmSchema]] as const) {
    const lines = readFileSync(join(logs, file), 'utf8').trim().split('\n');
    assert.ok(lines.length > 0);
    for (const l of lines) assert.ok(schema(JSON.parse(l)), `${file}: ${JSON.stringify(schema.errors)}`);
  }
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; hostname: string | null; attributes: { name: string; value: string; source: string }[] }[];
  // tshark: browser host announcements from 00:30:48:b0:b1:a6 with server name BOWIE, OS 6.1
  const bowie = devices.find((d) => d.macs.includes('00:30:48:b0:b1:a6'))!;
  assert.equal(bowie.hostname, 'BOWIE');
  assert.ok(bowie.attributes.some((a) => a.name === 'netbios_os_version' && a.value === '6.1'));
  const gunnar = devices.find((d) => d.macs.includes('00:1c:c4:10:79:0f'))!;
  assert.ok(gunnar.attributes.some((a) => a.name === 'netbios_workgroup' && a.value === 'VIGILANT_GROUP'));
});

test('SSDP announcements describe UPnP devices; ssdp.jsonl records follow their schema', () => {
  const ssdpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/ssdp.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'lan_mixed/ndpi__1kxun.pcap'), '--log-dir', logs, '--db', db]).code, 0);
  const lines = readFileSync(join(logs, 'ssdp.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 143); // tshark -Y ssdp counts 143 frames in this capture
  for (const l of lines) assert.ok(ssdpSchema(JSON.parse(l)), JSON.stringify(ssdpSchema.errors));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  // tshark: NOTIFY from e8:b1:fc:ab:fb:b2 with SERVER "Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0"
  const host = devices.find((d) => d.macs.includes('e8:b1:fc:ab:fb:b2'))!;
  assert.ok(host.attributes.some((a) => a.source === 'ssdp' && a.name === 'ssdp_server' && a.value === 'Microsoft-Windows/10.0 UPnP/1.0 UPnP-Device-Host/1.0'));
  assert.ok(host.attributes.some((a) => a.name === 'upnp_device_type' && a.value === 'urn:schemas-upnp-org:device:MediaServer:1'));
});

test('LLDP and CDP describe switches and hosts per sending MAC; lldp/cdp logs follow their schemas', () => {
  const lldpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/lldp.schema.json'), 'utf8')));
  const cdpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/cdp.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'lldp_cdp_l2'), '--log-dir', logs, '--db', db]).code, 0);
  // tshark -Y lldp / -Y cdp over the captures of lldp_cdp_l2: 14 LLDP and 8 CDP frames.
  for (const [file, schema, count] of [['lldp.jsonl', lldpSchema, 14], ['cdp.jsonl', cdpSchema, 8]] as const) {
    const lines = readFileSync(join(logs, file), 'utf8').trim().split('\n');
    assert.equal(lines.length, count, file);
    for (const l of lines) assert.ok(schema(JSON.parse(l)), `${file}: ${JSON.stringify(schema.errors)}`);
  }
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  const facts = (mac: string): string[] => devices.find((d) => d.macs.includes(mac))!.attributes.filter((a) => a.source === 'lldp' || a.source === 'cdp').map((a) => `${a.name}=${a.value}`);
  // tshark: 00:19:2f:a7:b2:8d sends LLDP "System Name = S2.cisco.com" and CDP "Device ID: S2", "Platform: cisco WS-C3560G-24PS".
  const s2 = facts('00:19:2f:a7:b2:8d');
  for (const f of ['lldp_system_name=S2.cisco.com', 'lldp_capabilities=bridge,router', 'lldp_enabled_capabilities=bridge', 'cdp_device_id=S2', 'cdp_platform=cisco WS-C3560G-24PS', 'cdp_capabilities=switch,igmp']) {
    assert.ok(s2.includes(f), f);
  }
  // tshark: the ProCurve port 00:13:21:57:ca:7f announces chassis 00:13:21:57:ca:40 and management address 15.255.122.148.
  const procurve = facts('00:13:21:57:ca:7f');
  for (const f of ['lldp_chassis_id=00:13:21:57:ca:40', 'lldp_mgmt_ip=15.255.122.148', 'lldp_med_device_type=network_connectivity']) assert.ok(procurve.includes(f), f);
  // tshark: "Manufacturer Usage Description URL: https://imright.mud.example.com/.well-known/mud/v1/vomitv2.0".
  assert.ok(facts('00:23:54:c2:57:02').includes('lldp_mud_url=https://imright.mud.example.com/.well-known/mud/v1/vomitv2.0'));
  // tshark: the CDP Addresses of 00:19:06:ea:b8:85 hold 192.168.0.1; S1 (00:18:ba:98:68:8f) sends only 0.0.0.0, not a fact.
  assert.ok(facts('00:19:06:ea:b8:85').includes('cdp_mgmt_ip=192.168.0.1'));
  assert.ok(!facts('00:18:ba:98:68:8f').some((f) => f.startsWith('cdp_mgmt_ip=')));
});

test('TCP SYN / SYN-ACK fingerprints: tcp_fp.jsonl follows its schema; devices get tcp_os facts', () => {
  const tcpFpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/tcp_fp.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'http/ndpi__ipp.pcap'), '--log-dir', logs, '--db', db]).code, 0);
  const recs = readFileSync(join(logs, 'tcp_fp.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of recs) assert.ok(tcpFpSchema(r), JSON.stringify(tcpFpSchema.errors));
  // tshark -Y tcp.flags.syn==1: three SYNs from 10.10.10.49 and three SYN-ACKs from 10.10.10.251, each trio with the
  // same TTL 64, window 5840, MSS 1460 and window scale (7 in the SYNs, 0 in the SYN-ACKs): one record per direction.
  assert.deepEqual(recs.map((r) => [r['direction'], r['src_ip'], r['ttl'], r['window'], r['mss'], r['wscale']]).sort(),
    [['syn', '10.10.10.49', 64, 5840, 1460, 7], ['syn-ack', '10.10.10.251', 64, 5840, 1460, 0]]);
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  const attr = (mac: string, name: string): string[] =>
    devices.find((d) => d.macs.includes(mac))!.attributes.filter((a) => a.source === 'tcp_fp' && a.name === name).map((a) => a.value);
  // The server is an HP printer (HP MAC prefix, "Server: Virata-EmWeb" HP's embedded web server, IPP on 631).
  assert.deepEqual(attr('00:12:79:80:69:60', 'tcp_os_class'), ['embedded']);
  assert.ok(attr('00:12:79:80:69:60', 'tcp_os')[0]?.startsWith('HP printer'));
  assert.deepEqual(attr('00:1b:63:98:bf:36', 'tcp_hop_distance'), ['0']);
  assert.deepEqual(attr('00:1b:63:98:bf:36', 'tcp_os_class'), ['unix']);
});

test('NTP: client and server facts, routed servers kept off the router; ntp.jsonl records follow their schema', () => {
  const ntpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/ntp.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  for (const f of ['infra/zeek__ntp.pcap', 'infra/malcolm__NTP.pcap']) assert.equal(runCli(['ingest', join(CORPUS, f), '--log-dir', logs, '--db', db]).code, 0);
  const lines = readFileSync(join(logs, 'ntp.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 32 + 246); // tshark -Y ntp counts 32 and 246 frames in these captures
  for (const l of lines) assert.ok(ntpSchema(JSON.parse(l)), JSON.stringify(ntpSchema.errors));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as
    { macs: string[]; ip_bindings: { ip: string }[]; attributes: { name: string; value: string; source: string }[] }[];
  const client = devices.find((d) => d.macs.includes('9c:b6:d0:09:17:1d'))!;
  assert.ok(client.attributes.some((a) => a.source === 'ntp' && a.name === 'ntp_mode' && a.value === 'client'));
  assert.ok(client.attributes.some((a) => a.name === 'ntp_version' && a.value === '4'));
  // tshark: 85.199.214.99 answers in mode 4 at stratum 1 with reference ID 47505300 ("GPS"), through the router
  // 88:75:98:49:97:09: the facts go to the server's own (IP-keyed) device, not to the router.
  const server = devices.find((d) => d.ip_bindings.some((b) => b.ip === '85.199.214.99'))!;
  assert.equal(server.macs.length, 0);
  assert.ok(server.attributes.some((a) => a.name === 'ntp_stratum' && a.value === '1'));
  assert.ok(server.attributes.some((a) => a.name === 'ntp_reference_id' && a.value === 'GPS'));
  const router = devices.find((d) => d.macs.includes('88:75:98:49:97:09'))!;
  assert.ok(!router.attributes.some((a) => a.source === 'ntp'));
});

test('DHCPv6: client DUID, ORO, vendor class, FQDN and Reply bindings; dhcpv6.jsonl records follow their schema', () => {
  const dhcpv6Schema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/dhcpv6.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  const inputs = ['dhcp/csanders__dhcp6_outlease_acquisition.pcapng', 'dhcp/tcpdump__dhcpv6-mud.pcap', 'lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap'];
  for (const f of inputs) assert.equal(runCli(['ingest', join(CORPUS, f), '--log-dir', logs, '--db', db]).code, 0);
  const lines = readFileSync(join(logs, 'dhcpv6.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 4 + 5 + 52); // tshark -Y dhcpv6 counts 4, 5 and 52 frames in these captures
  for (const l of lines) assert.ok(dhcpv6Schema(JSON.parse(l)), JSON.stringify(dhcpv6Schema.errors));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as
    { macs: string[]; hostname: string | null; ip_bindings: { ip: string; source: string }[]; attributes: { name: string; value: string; source: string }[] }[];
  const has = (d: { attributes: { name: string; value: string; source: string }[] }, name: string, value: string): boolean =>
    d.attributes.some((a) => a.source === 'dhcpv6' && a.name === name && a.value === value);
  // tshark: the Reply to 00:0c:29:5e:77:44 carries IA_NA address 2001:db8:1:2::1002 (valid lifetime 3600)
  const leased = devices.find((d) => d.macs.includes('00:0c:29:5e:77:44'))!;
  assert.ok(leased.ip_bindings.some((b) => b.ip === '2001:db8:1:2::1002' && b.source === 'dhcpv6'));
  assert.ok(has(leased, 'dhcpv6_duid', '000100011def69bd000c295e7744'));
  // tshark: Solicits from 00:50:56:c0:00:01 with vendor class 311 "MSFT 5.0", FQDN "SCV", ORO 24,23,17,39
  const win = devices.find((d) => d.macs.includes('00:50:56:c0:00:01'))!;
  assert.ok(has(win, 'dhcpv6_vendor_class', '311:MSFT 5.0'));
  assert.ok(has(win, 'dhcpv6_oro', '24,23,17,39'));
  assert.ok(has(win, 'dhcpv6_fqdn', 'SCV'));
  assert.ok(has(win, 'dhcpv6_enterprise', '311'));
  assert.equal(win.hostname, 'SCV');
});

test('SNMP responses describe their agents; snmp.jsonl records follow their schema and hold no secret community', () => {
  const snmpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/snmp.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  for (const f of ['snmp/zeek__snmpwalk-short.pcap', 'snmp/zeek__snmpv2_get_next.pcap', 'snmp/ndpi__snmp.pcap']) {
    assert.equal(runCli(['ingest', join(CORPUS, f), '--log-dir', logs, '--db', db]).code, 0);
  }
  const lines = readFileSync(join(logs, 'snmp.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 400 + 8 + 72); // tshark -Y snmp counts 400, 8 and 72 frames in these captures
  for (const l of lines) assert.ok(snmpSchema(JSON.parse(l)), JSON.stringify(snmpSchema.errors));
  // tshark shows, besides "public", communities of 8 and 4 octets (ndpi__snmp.pcap) and one of 11
  // (zeek__snmpv2_get_next.pcap): recorded as <other> with their lengths only.
  const records = lines.map((l) => JSON.parse(l) as { community: string | null; community_length: number | null });
  assert.deepEqual([...new Set(records.map((r) => r.community))].sort(), ['<other>', 'public', null].sort());
  assert.deepEqual([...new Set(records.filter((r) => r.community === '<other>').map((r) => r.community_length!))].sort((a, b) => a - b), [4, 8, 11]);
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  // tshark: 04:01:3a:ef:d2:01 (138.68.10.203) answers the walk with sysDescr "Linux ubuntu-512mb-sfo2-01 …", sysObjectID
  // 1.3.6.1.4.1.8072.3.2.10, sysContact "Me <me@example.org>", sysName, sysLocation, with community "public".
  const agent = devices.find((d) => d.macs.includes('04:01:3a:ef:d2:01'))!;
  const attr = (name: string): string[] => agent.attributes.filter((a) => a.source === 'snmp' && a.name === name).map((a) => a.value);
  assert.ok(attr('snmp_sys_descr')[0]!.startsWith('Linux ubuntu-512mb-sfo2-01 4.4.0-31-generic'));
  assert.deepEqual(attr('snmp_sys_object_id'), ['1.3.6.1.4.1.8072.3.2.10']);
  assert.deepEqual(attr('snmp_sys_contact'), ['Me <me@example.org>']);
  assert.deepEqual(attr('snmp_sys_name'), ['ubuntu-512mb-sfo2-01']);
  assert.deepEqual(attr('snmp_sys_location'), ['Sitting on the Dock of the Bay']);
  assert.deepEqual(attr('snmp_community'), ['public']);
  assert.deepEqual(attr('snmp_version'), ['v2c']);
  // The walking manager (04:01:3a:f1:f8:01 in tshark) sends requests only: no agent facts.
  const manager = devices.find((d) => d.macs.includes('04:01:3a:f1:f8:01'));
  assert.ok(!manager?.attributes.some((a) => a.source === 'snmp'));
  // The agent answering with an 11-octet community: flagged <other>, never the community itself.
  const other = devices.find((d) => d.macs.includes('00:0e:83:16:f5:00'))!;
  assert.deepEqual(other.attributes.filter((a) => a.name === 'snmp_community').map((a) => a.value), ['<other>']);
  // SNMPv3 (ndpi__snmp.pcap): the engine ID of the authoritative agent.
  assert.ok(devices.some((d) => d.attributes.some((a) => a.name === 'snmp_engine_id' && a.value === '800000090300aabbcc000100')));
});

test('SSH, Telnet, FTP and RDP: logs follow their schemas, identity facts on server and client, no password anywhere', () => {
  const schema = (p: string) => ajv.compile(JSON.parse(readFileSync(join(ROOT, `schemas/logs/${p}.schema.json`), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  const captures = ['ssh/sv__ssh-hassh.pcap', 'iot/zeek__var-services-std-ports.pcap', 'telnet_ftp/malcolm__Telnet.pcap', 'remote_access/zeek__rdp-x509.pcap'];
  const r = runCli(['ingest', ...captures.map((c) => join(CORPUS, c)), '--log-dir', logs, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  // connections tshark dissects as each protocol (tcp.stream): SSH 1 + 2, FTP 1, Telnet 8, RDP 1
  const expected: Record<string, number> = { ssh: 3, ftp: 1, telnet: 8, rdp: 1 };
  const records: Record<string, Record<string, unknown>[]> = {};
  for (const [p, n] of Object.entries(expected)) {
    const text = readFileSync(join(logs, `${p}.jsonl`), 'utf8');
    assert.ok(!text.includes('whatabadpass'), `FTP password in ${p}.jsonl`);
    if (p === 'telnet') assert.ok(!text.includes('capture'), 'typed Telnet password in telnet.jsonl');
    records[p] = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(records[p]!.length, n, p);
    const validate = schema(p);
    for (const l of records[p]!) assert.ok(validate(l), `${p}: ${JSON.stringify(validate.errors)}`);
  }
  const out = runCli(['devices', '--json', '--db', db]).stdout;
  assert.ok(!out.includes('whatabadpass'));
  const devices = JSON.parse(out) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  /** The `proto` attributes of the device whose MAC the record of `proto` with that server (or client) `ip` carries. */
  const attrs = (proto: string, ip: string, side: 'server' | 'client'): Map<string, string[]> => {
    const rec = records[proto]!.find((x) => x[side === 'server' ? 'dst_ip' : 'src_ip'] === ip)!;
    const d = devices.find((x) => x.macs.includes(String(rec[side === 'server' ? 'dst_mac' : 'src_mac'])))!;
    const m = new Map<string, string[]>();
    for (const a of d.attributes) if (a.source === proto) m.set(a.name, [...(m.get(a.name) ?? []), a.value]);
    return m;
  };
  // Suricata-verify's expected HASSH values for this capture
  const sshServer = attrs('ssh', '192.168.0.103', 'server');
  assert.deepEqual(sshServer.get('ssh_server_software'), ['OpenSSH_7.4']);
  assert.deepEqual(sshServer.get('ssh_hassh_server'), ['6832f1ce43d4397c2c0a3e2f8c94334e']);
  assert.deepEqual(attrs('ssh', '192.168.0.27', 'client').get('ssh_hassh'), ['2dd6531c7e89d3c925db9214711be76a']);
  // tshark: USER jsiwek, SYST reply "UNIX Type: L8 (Linux)", greeting 220
  const ftp = attrs('ftp', '172.16.238.131', 'server');
  assert.deepEqual(ftp.get('cleartext_credentials'), ['ftp:jsiwek']);
  assert.deepEqual(ftp.get('ftp_syst'), ['UNIX Type: L8 (Linux)']);
  assert.deepEqual(ftp.get('ftp_banner'), ['localhost.localdomain FTP server (Version 6.4/OpenBSD/Linux-ftpd-0.17) ready.']);
  // tshark: "login: " then the client types t, e, s, t; "Password: " then a line
  assert.deepEqual(attrs('telnet', '192.168.1.194', 'server').get('cleartext_credentials'), ['telnet:test']);
  // Zeek rdp.log: cookie "JOHN-PC  ", security protocol RDP
  assert.deepEqual(attrs('rdp', '192.168.1.1', 'client').get('rdp_cookie_user'), ['JOHN-PC']);
  assert.deepEqual(attrs('rdp', '192.168.1.2', 'server').get('rdp_selected_protocol'), ['RDP']);
});

test('DICOM: one dicom.jsonl record per association, schema-valid; AE titles, roles and SOP classes as device facts; no patient value or credential anywhere', () => {
  const dicomSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/dicom.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  // Built from the standard by scripts/make-dicom-captures.ts: echo, C-STORE ×2, reject, abort, C-FIND/C-GET on a non-DICOM port, TLS.
  const run = runCli(['ingest', join(ROOT, 'test/conformance/dicom/synth-dicom.pcap'), '--log-dir', logs, '--db', db]);
  assert.equal(run.code, 0, run.stderr);
  const records = readFileSync(join(logs, 'dicom.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const r of records) assert.ok(dicomSchema(r), JSON.stringify(dicomSchema.errors));
  assert.deepEqual(records.map((r) => `${r.dst_port}:${r.state}:${r.ended_by}`).sort(),
    ['104:accepted:release', '104:rejected:reject', '11112:accepted:release', '2762:unknown:tls', '4242:accepted:abort', '5678:accepted:release']);
  const store = records.find((r) => r.dst_port === 11112)!;
  assert.deepEqual((store.phi as { kind: string; datasets: number }[]).find((k) => k.kind === 'patient_name'), { kind: 'patient_name', datasets: 2 });
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  const attrs = (mac: string): string[] => devices.find((d) => d.macs.includes(mac))!.attributes.filter((a) => a.source === 'dicom').map((a) => `${a.name}=${a.value}`);
  const ct = attrs('00:00:5e:00:53:10');
  for (const f of ['dicom_ae_title=GE_CT01', 'dicom_role=scu', 'dicom_sop_class=scu:1.2.840.10008.5.1.4.1.1.2', 'dicom_implementation_class_uid=1.2.840.113619.6.286']) assert.ok(ct.includes(f), `${f} in ${ct.join(' ')}`);
  const pacs = attrs('00:00:5e:00:53:99');
  for (const f of ['dicom_ae_title=PACS_ARCHIVE', 'dicom_role=scp', 'dicom_sop_class=scp:1.2.840.10008.5.1.4.1.1.2', 'dicom_implementation_version=OFFIS_DCMTK_368', 'dicom_tls=true']) assert.ok(pacs.includes(f), `${f} in ${pacs.join(' ')}`);
  const ws = attrs('00:00:5e:00:53:20');
  for (const f of ['dicom_user_identity=username-passcode', 'cleartext_credential=dicom_username_passcode', 'dicom_sop_class=scp:1.2.840.10008.5.1.4.1.1.2']) assert.ok(ws.includes(f), `${f} in ${ws.join(' ')}`);
  // The capture's patient names, IDs, birth dates, physician, query and credentials must appear nowhere medtap wrote.
  const outputs = [run.stdout, run.stderr, readFileSync(join(logs, 'dicom.jsonl'), 'latin1'), readFileSync(db, 'latin1'), JSON.stringify(devices)];
  for (const secret of ['DOE^JANE', 'ROE^RICHARD', 'DOE^JOHN', 'DOE*', 'JANE', 'RICHARD', 'HOUSE^GREGORY', '19700101', '19650505', 'ACC4711', 'radiologist7', 'Winter2026']) {
    for (const o of outputs) assert.ok(!o.includes(secret), `${secret} leaked`);
  }
});

test('TLS handshakes describe clients and servers; tls.jsonl records follow their schema', () => {
  const tlsSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/tls.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  for (const f of ['iot/ndpi__sonos.pcapng', 'bulk/malcolm__SSL.pcap']) {
    assert.equal(runCli(['ingest', join(CORPUS, f), '--log-dir', logs, '--db', db]).code, 0);
  }
  const lines = readFileSync(join(logs, 'tls.jsonl'), 'utf8').trim().split('\n');
  assert.ok(lines.length > 150);
  for (const l of lines) assert.ok(tlsSchema(JSON.parse(l)), JSON.stringify(tlsSchema.errors));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  const attr = (mac: string, name: string): string[] =>
    devices.find((d) => d.macs.includes(mac))?.attributes.filter((a) => a.source === 'tls' && a.name === name).map((a) => a.value) ?? [];
  // tshark (ndpi__sonos.pcapng): a ClientHello from 9c:58:3c:a7:ee:cc with JA3 ae25e09391d7275844ccf16316569582 and SNI
  // 192.168.1.70; the Sonos speaker 34:7e:5c:ff:a2:6e answers with a certificate whose subject RDNs are
  // CN=347E5CFFA26E, DC=prod, OU=Sonos Devices, O=Sonos, Inc, L=Santa Barbara, ST=California, C=US, notAfter 2025-01-29 08:20:55.
  assert.deepEqual(attr('9c:58:3c:a7:ee:cc', 'tls_ja3'), ['ae25e09391d7275844ccf16316569582']);
  assert.deepEqual(attr('9c:58:3c:a7:ee:cc', 'tls_sni'), ['192.168.1.70']);
  assert.equal(attr('9c:58:3c:a7:ee:cc', 'tls_ja4').length, 1);
  assert.deepEqual(attr('34:7e:5c:ff:a2:6e', 'tls_cert_subject'), ['C=US,ST=California,L=Santa Barbara,O=Sonos\\, Inc,OU=Sonos Devices,DC=prod,CN=347E5CFFA26E']);
  assert.deepEqual(attr('34:7e:5c:ff:a2:6e', 'tls_cert_not_after'), ['2025-01-29T08:20:55Z']);
  assert.equal(attr('34:7e:5c:ff:a2:6e', 'tls_ja4s').length, 1);
});

test('HTTP exchanges describe clients and servers, a cleartext login is flagged; http.jsonl records follow their schema', () => {
  const httpSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/http.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'http/csanders__http_dvwa_clearlogin.pcapng'), '--log-dir', logs, '--db', db]).code, 0);
  const lines = readFileSync(join(logs, 'http.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 8); // tshark: 8 requests, each answered
  for (const l of lines) assert.ok(httpSchema(JSON.parse(l)), JSON.stringify(httpSchema.errors));
  // tshark: the POST /dvwa/login.php body is a URL-encoded form with the fields username, password, Login, user_token.
  const login = lines.map((l) => JSON.parse(l) as { method: string; password_in_form: boolean }).find((r) => r.method === 'POST')!;
  assert.equal(login.password_in_form, true);
  assert.ok(!readFileSync(join(logs, 'http.jsonl'), 'utf8').includes('user_token='), 'no form field is logged');
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string; source: string }[] }[];
  // tshark: the server 00:0c:29:a2:4b:e3 answers with Server "Apache/2.4.7 (Ubuntu)"; the client c4:b3:01:bc:95:63 sends Chrome 56's User-Agent.
  const server = devices.find((d) => d.macs.includes('00:0c:29:a2:4b:e3'))!;
  assert.ok(server.attributes.some((a) => a.source === 'http' && a.name === 'http_server' && a.value === 'Apache/2.4.7 (Ubuntu)'));
  assert.ok(server.attributes.some((a) => a.name === 'http_cleartext_auth' && a.value === 'form password'));
  const client = devices.find((d) => d.macs.includes('c4:b3:01:bc:95:63'))!;
  assert.ok(client.attributes.some((a) => a.name === 'http_user_agent' && a.value.includes('Chrome/56.0.2924.87')));
});

test('SMB: dialects, SMBv1 use, NTLM versions and names become facts; smb.jsonl follows its schema and holds no NTLM response', () => {
  const smbSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/smb.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'smb'), '--log-dir', logs, '--db', db]).code, 0);
  const text = readFileSync(join(logs, 'smb.jsonl'), 'utf8');
  const lines = text.trim().split('\n');
  assert.ok(lines.length >= 9);
  for (const l of lines) assert.ok(smbSchema(JSON.parse(l)), JSON.stringify(smbSchema.errors));
  // tshark -e ntlmssp.auth.ntresponse on zeek__smb2.pcap frame 8 starts 0f842a7e66fa9a6b: neither hex nor bytes are logged.
  assert.ok(!/0f842a7e|ntresponse|lmresponse|session_key/i.test(text));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string }[] }[];
  const facts = (mac: string): string[] => devices.find((d) => d.macs.includes(mac))!.attributes.map((a) => `${a.name}=${a.value}`);
  // tshark, zeek__smb2.pcap: CHALLENGE from 00:0c:29:4e:b0:d0 (version 6.0.6001, NetBIOS SERVER002, DNS
  // SERVER002.contoso.com, domain CONTOSO); AUTHENTICATE from 00:0c:29:6b:99:0f as CONTOSO\Administrator on SERVER01.
  const server = facts('00:0c:29:4e:b0:d0');
  for (const f of ['ntlm_os_version=6.0.6001', 'ntlm_netbios_computer=SERVER002', 'ntlm_dns_computer=SERVER002.contoso.com', 'ntlm_domain=CONTOSO', 'smb_dialect=0x0202']) {
    assert.ok(server.includes(f), f);
  }
  const client = facts('00:0c:29:6b:99:0f');
  for (const f of ['ntlm_user=Administrator', 'ntlm_user_domain=CONTOSO', 'ntlm_workstation=SERVER01', 'ntlm_os_version=6.0.6001']) assert.ok(client.includes(f), f);
  // tshark, ndpi__smbv1.pcap: SMB1 session setup; the server 00:50:56:e8:0a:b1 says "Windows 7 Ultimate 7601 Service Pack 1".
  const v1server = facts('00:50:56:e8:0a:b1');
  assert.ok(v1server.includes('smb_v1=true'));
  assert.ok(v1server.includes('smb_native_os=Windows 7 Ultimate 7601 Service Pack 1'));
  assert.ok(facts('00:0c:29:02:ef:6a').includes('smb_v1=true'));
  assert.ok(!facts('00:0c:29:6b:99:0f').includes('smb_v1=true'), 'SMB2 after an SMB1 NEGOTIATE is not SMBv1 use');
});

test('HL7 over MLLP: hl7.jsonl records follow their schema; system names on the sender (more in medical.test.ts)', () => {
  const hl7Schema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas/logs/hl7.schema.json'), 'utf8')));
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  assert.equal(runCli(['ingest', join(CORPUS, 'hl7/ndpi__hl7.pcap'), '--log-dir', logs, '--db', db]).code, 0);
  const lines = readFileSync(join(logs, 'hl7.jsonl'), 'utf8').trim().split('\n');
  assert.equal(lines.length, 2); // tshark -d tcp.port==6661,hl7: ADT^A01 (frame 4) and its ACK (frame 5)
  for (const l of lines) assert.ok(hl7Schema(JSON.parse(l)), JSON.stringify(hl7Schema.errors));
  const devices = JSON.parse(runCli(['devices', '--json', '--db', db]).stdout) as { macs: string[]; attributes: { name: string; value: string }[] }[];
  const sender = devices.find((d) => d.macs.includes('00:0c:29:b5:b6:48'))!;
  assert.ok(sender.attributes.some((a) => a.name === 'hl7_sending_application' && a.value === 'SENDING_APPLICATION'));
});

interface E2eDevice { macs: string[]; ips: string[]; vendor: string | null; model: string | null; category: string | null; os: string | null; attributes: { name: string; value: string; source: string }[] }

/** Ingests `input` with --log-dir; returns the log directory, the devices and everything printed. */
function ingestWithLogs(input: string): { logs: string; db: string; devices: E2eDevice[]; out: string } {
  const dir = tempDir();
  const db = join(dir, 'm.db');
  const logs = join(dir, 'logs');
  const r = runCli(['ingest', input, '--log-dir', logs, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const list = runCli(['devices', '--json', '--db', db]);
  return { logs, db, devices: JSON.parse(list.stdout) as E2eDevice[], out: r.stdout + r.stderr + list.stdout };
}

/** Validates every line of `<logs>/<proto>.jsonl` against its schema; returns the records. */
function validLog(logs: string, proto: string): Record<string, unknown>[] {
  const schema = ajv.getSchema(`https://medtap.local/schemas/logs/${proto}.schema.json`)
    ?? ajv.compile(JSON.parse(readFileSync(join(ROOT, `schemas/logs/${proto}.schema.json`), 'utf8')));
  const lines = readFileSync(join(logs, `${proto}.jsonl`), 'utf8').trim().split('\n');
  return lines.map((l) => {
    const rec = JSON.parse(l) as Record<string, unknown>;
    assert.ok(schema(rec), `${proto}: ${JSON.stringify(schema.errors)}`);
    return rec;
  });
}

test('IEEE 11073 SDC (samples/medical/sdc-discovery.pcap): sdc.jsonl follows its schema; the provider gets vendor, model, firmware, serial and category from its DPWS metadata; no patient scope value anywhere', () => {
  const run = ingestWithLogs(join(ROOT, 'samples/medical/sdc-discovery.pcap'));
  // WS-Discovery 1.1 §4.1, §5.2, §5.3, §6.1, §6.2, §4.2: the six datagrams the generator writes
  const sdc = validLog(run.logs, 'sdc');
  assert.deepEqual(sdc.map((r) => r['message_type']), ['hello', 'probe', 'probe_matches', 'resolve', 'resolve_matches', 'bye']);
  assert.ok(sdc.every((r) => r['wsd_version'] === '1.1'));
  assert.deepEqual(sdc[0]!['phi_kinds'], ['patient_context']);
  // DPWS 1.1 §5.2 metadata in the chunked GetResponse on TCP 6464 (found by content), in http.jsonl
  const http = validLog(run.logs, 'http');
  const meta = http.map((r) => r['xml_metadata'] as { format: string; firmware_version: string } | null).filter((m) => m !== null);
  assert.deepEqual(meta.map((m) => [m.format, m.firmware_version]), [['dpws', '2.4.1']]);
  const provider = run.devices.find((d) => d.macs.includes('02:4d:54:00:00:3c'))!;
  assert.deepEqual([provider.vendor, provider.model, provider.category], ['Dräger', 'Example SDC Monitor', 'medical-other']);
  const has = (d: E2eDevice, name: string, value: string): boolean => d.attributes.some((a) => a.name === name && a.value === value);
  assert.ok(has(provider, 'sdc_firmware', '2.4.1') && has(provider, 'sdc_serial', 'ZZSN-000123') && has(provider, 'sdc_model_number', 'EX-100'));
  assert.ok(has(provider, 'sdc_scope_location', 'fac=HOSP1;bldng=B2;flr=3;poc=ICU3;rm=R12;bed=Bed07'));
  assert.ok(has(provider, 'sdc_role', 'provider'));
  const consumer = run.devices.find((d) => d.macs.includes('02:4d:54:00:00:3d'))!;
  assert.ok(has(consumer, 'sdc_role', 'consumer'));
  assert.ok(!consumer.attributes.some((a) => a.name.startsWith('sdc_') && a.name !== 'sdc_role'), 'the client of the metadata exchange gets no device facts');
  const places = [run.out, readFileSync(run.db).toString('latin1'), ...['sdc', 'http'].map((p) => readFileSync(join(run.logs, `${p}.jsonl`), 'utf8'))];
  for (const text of places) assert.ok(!text.includes('ZZPATID-4711'));
});

test('WS-Discovery from Windows hosts (corpus): sdc.jsonl follows its schema; a pub:Computer Hello says Windows workstation', () => {
  const run = ingestWithLogs(join(CORPUS, 'lan_mixed/ndpi__gnutella.pcap'));
  const sdc = validLog(run.logs, 'sdc');
  assert.equal(sdc.length, 41); // tshark --enable-heuristic xml_udp -Y 'udp.port==3702': 41 frames (test/conformance/wsd)
  const hello = sdc.find((r) => r['message_type'] === 'hello')!;
  const host = run.devices.find((d) => d.macs.includes(hello['src_mac'] as string))!;
  assert.ok(host.attributes.some((a) => a.name === 'sdc_types' && a.value === '{http://schemas.microsoft.com/windows/pub/2005/07}Computer'));
  assert.equal(host.os, 'Windows');
});

test('a UPnP device description fetched over cleartext HTTP (corpus) describes the gateway that serves it, by its IP', () => {
  const run = ingestWithLogs(join(CORPUS, 'http/ja4__http1.pcapng'));
  const http = validLog(run.logs, 'http');
  assert.equal(http.filter((r) => (r['xml_metadata'] as { format?: string } | null)?.format === 'upnp').length, 8); // tshark: 8 responses with a root device
  // the description is served by 192.168.1.1, whose MAC is a router's: the facts go to the device keyed by that IP
  const gw = run.devices.find((d) => d.ips.includes('192.168.1.1'))!;
  assert.deepEqual([gw.model, gw.category], ['UDM-SE', 'network-infrastructure']);
  assert.ok(gw.attributes.some((a) => a.name === 'upnp_manufacturer' && a.value === 'Ubiquiti Networks'));
  assert.ok(gw.attributes.some((a) => a.name === 'upnp_serial' && a.value === '78:45:58:c0:1d:bf'));
  const client = run.devices.find((d) => d.ips.includes('192.168.1.136'))!;
  assert.ok(!client.attributes.some((a) => a.name.startsWith('upnp_model')));
});
