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
  // Known members of the generated network (see samples/README.md)
  assert.ok(devices.some((d) => d.vendor === 'Philips Patient Monitoring'));
  assert.ok(devices.some((d) => d.vendor === 'GE Healthcare'));
  assert.equal(devices.filter((d) => d.is_router).length, 1);
  assert.ok(devices.some((d) => d.locally_administered && d.vendor === null));
  assert.ok(devices.filter((d) => d.key_kind === 'ip').every((d) => d.behind_router));
  const flows = JSON.parse(runCli(['flows', '--json', '--db', db]).stdout) as unknown[];
  assert.equal(flows.length, s.flows);
  for (const f of flows) assert.ok(flowSchema(f), JSON.stringify(flowSchema.errors));
  const table = runCli(['devices', '--db', db]);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /Philips Patient Monitoring/);
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

test('a run killed mid-stream leaves the database as it was', async () => {
  const db = join(tempDir(), 'm.db');
  assert.equal(runCli(['ingest', join(CORPUS, 'arp'), '--db', db]).code, 0);
  const before = stats(db);
  const child = spawn(process.execPath, [join(ROOT, 'bin/medtap.js'), 'ingest', '-', '--db', db], { stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.write(readFileSync(SAMPLE));
  await new Promise((r) => setTimeout(r, 1500)); // the run has read everything and waits for more, inside its transaction
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
  child.stdin.write(readFileSync(SAMPLE));
  await new Promise((r) => setTimeout(r, 1500));
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
  assert.equal(s.packets, 5260);
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
  // 20 DHCP frames in the sample (tshark -Y dhcp): 8 for the relayed pump, 4 each for two workstations and a tablet
  assert.equal(lines.length, 20);
  assert.equal(s.observations["dhcp"], 20);
  for (const l of lines) {
    assert.ok(dhcpLogSchema(l), JSON.stringify(dhcpLogSchema.errors));
    assert.match(String(l['ts']), /^2026-03-02T08:/);
    assert.ok(['discover', 'offer', 'request', 'ack'].includes(String(l['msg_type_name'])), String(l['msg_type_name']));
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
