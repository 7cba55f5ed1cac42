/**
 * Generate test/e2e/findings-baselines.json: the findings tshark's dissection implies for a set of captures (the
 * sample hospital and corpus captures with Telnet, FTP, SNMP, SMBv1 and HL7), so test/e2e/findings.test.ts can check
 * `medtap findings` against them without running tshark at test time.
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-findings-baselines.js [--corpus ../shared/corpus]
 *     [--out test/e2e/findings-baselines.json]
 *
 * Per capture, tshark (LC_ALL=C, empty WIRESHARK_CONFIG_DIR) is run with these display filters, and each line becomes
 * an expectation {ip, kind, subject} — "the device holding this IP has an open finding of this kind whose subject
 * starts with this text" — or an absence (`absent`: no such finding):
 * - `tcp.flags.syn==1 && tcp.flags.ack==1` (ip.src, tcp.srcport): the host accepted a connection on that port →
 *   `exposed_service` "tcp/<port>"; port 23 also → `insecure_protocol` "telnet", port 21 → "ftp";
 *   `tcp.flags.syn==1 && tcp.flags.ack==0` (ip.dst, tcp.dstport) never answered by a SYN-ACK → absent
 *   `exposed_service` "tcp/<port> " (a refused or unanswered port is not exposed);
 * - `smb.flags.response == 1` (ip.src): an SMB1 server → `insecure_protocol` "smbv1";
 * - `snmp && udp.srcport == 161` (ip.src, snmp.version, snmp.community): an agent answering v1 (0) / v2c (1) →
 *   `insecure_protocol` "snmpv1" / "snmpv2c" and `cleartext_credentials` "snmp"; community public/private →
 *   `default_credentials` "snmp:<community>" (only these two well-known values are ever written); an agent answering
 *   only v3 → absent `insecure_protocol` "snmpv", absent `default_credentials`;
 * - `ftp.request.command == "PASS"` (ip.dst): `cleartext_credentials` "ftp";
 * - `hl7` (ip.src, ip.dst, hl7.segment): a message with a PID segment → `phi_in_clear` "hl7" on both ends and
 *   `phi_flow` "hl7:sent:<dst>" on the sender (only segment IDs are read from tshark's output; no value is kept);
 * - `tcp.flags.syn==1 && tcp.flags.ack==0` (ip.src, ip.dst) from a private to a public address →
 *   `internet_exposure` "outbound" on the source.
 * Addresses are classified here independently of src/map/address-class.ts: private = 10/8, 172.16/12,
 * 192.168/16, 100.64/10, 169.254/16, 127/8. Only private IPs get expectations: medtap does not assess internet hosts.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run, runScript, tsharkFailure, withTsharkEnvironment } from './tshark-runner.js';

/** The captures (corpus-relative, or repository-relative when starting with samples/). */
const CAPTURES = [
  'samples/hospital.pcap',
  'smb/ndpi__smbv1.pcap',
  'snmp/zeek__snmpv1_get.pcap',
  'snmp/zeek__snmpv2_get.pcap',
  'snmp/sv__snmp-v3-encrypted__SNMPv3.pcap',
  'telnet_ftp/arkime__ftp.pcap',
  'telnet_ftp/malcolm__Telnet.pcap',
  'telnet_ftp/sv__telnet-01__telnet.pcap',
  'medical/tapirx__HL7-ORU.pcap',
];

/** One expectation. */
interface Expectation {
  ip: string;
  kind: string;
  subject: string;
  /** The tshark filter it comes from. */
  why: string;
}

/** True for the private, shared, link-local and loopback IPv4 ranges (not internet). */
function isPrivate(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || a === 127 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254);
}

/** Runs one tshark query and returns its lines split into fields. */
async function query(env: NodeJS.ProcessEnv, file: string, filter: string, fields: string[]): Promise<string[][]> {
  const args = ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])];
  const r = await run('tshark', args, env);
  const err = tsharkFailure(r);
  if (err && r.stdout === '') throw new Error(`${file}: ${err}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').map((l) => l.split('\t'));
}

/** The expectations of one capture. */
async function expectationsOf(env: NodeJS.ProcessEnv, file: string): Promise<{ expect: Expectation[]; absent: Expectation[] }> {
  const expect = new Map<string, Expectation>();
  const absent = new Map<string, Expectation>();
  const add = (m: Map<string, Expectation>, ip: string, kind: string, subject: string, why: string): void => {
    if (ip && isPrivate(ip)) m.set(`${ip}|${kind}|${subject}`, { ip, kind, subject, why });
  };
  const synAck = 'tcp.flags.syn==1 && tcp.flags.ack==1';
  const answered = new Set<string>();
  for (const [ip, port] of await query(env, file, synAck, ['ip.src', 'tcp.srcport'])) {
    answered.add(`${ip}|${port}`);
    add(expect, ip!, 'exposed_service', `tcp/${port}`, synAck);
    if (port === '23') add(expect, ip!, 'insecure_protocol', 'telnet', synAck);
    if (port === '21') add(expect, ip!, 'insecure_protocol', 'ftp', synAck);
  }
  const syn = 'tcp.flags.syn==1 && tcp.flags.ack==0';
  for (const [src, dst, port] of await query(env, file, syn, ['ip.src', 'ip.dst', 'tcp.dstport'])) {
    if (!answered.has(`${dst}|${port}`)) add(absent, dst!, 'exposed_service', `tcp/${port} `, `${syn} without ${synAck}`);
    if (isPrivate(src!) && !isPrivate(dst!)) add(expect, src!, 'internet_exposure', 'outbound', `${syn} to a public address`);
  }
  for (const [ip] of await query(env, file, 'smb.flags.response == 1', ['ip.src'])) add(expect, ip!, 'insecure_protocol', 'smbv1', 'smb.flags.response == 1');
  const agents = new Map<string, Set<string>>();
  const snmp = 'snmp && udp.srcport == 161';
  for (const [ip, version, community] of await query(env, file, snmp, ['ip.src', 'snmp.version', 'snmp.community'])) {
    const v = version === '0' ? 'v1' : version === '1' ? 'v2c' : 'v3';
    agents.set(ip!, (agents.get(ip!) ?? new Set()).add(v));
    if (v === 'v3') continue;
    add(expect, ip!, 'insecure_protocol', `snmp${v}`, snmp);
    add(expect, ip!, 'cleartext_credentials', 'snmp', snmp);
    if (community === 'public' || community === 'private') add(expect, ip!, 'default_credentials', `snmp:${community}`, snmp);
  }
  for (const [ip, versions] of agents) {
    if (versions.size === 1 && versions.has('v3')) {
      add(absent, ip, 'insecure_protocol', 'snmpv', `${snmp}: only snmp.version 3`);
      add(absent, ip, 'default_credentials', 'snmp:', `${snmp}: only snmp.version 3`);
    }
  }
  const pass = 'ftp.request.command == "PASS"';
  for (const [ip] of await query(env, file, pass, ['ip.dst'])) add(expect, ip!, 'cleartext_credentials', 'ftp', pass);
  for (const [src, dst, segments] of await query(env, file, 'hl7', ['ip.src', 'ip.dst', 'hl7.segment'])) {
    const ids = (segments ?? '').split(',').map((s) => s.slice(0, 3)); // segment IDs only: no value leaves this line
    if (!ids.includes('PID')) continue;
    add(expect, src!, 'phi_in_clear', 'hl7', 'hl7 with a PID segment');
    add(expect, dst!, 'phi_in_clear', 'hl7', 'hl7 with a PID segment');
    add(expect, src!, 'phi_flow', `hl7:sent:${dst}`, 'hl7 with a PID segment');
  }
  const sorted = (m: Map<string, Expectation>): Expectation[] => [...m.values()].sort((a, b) => `${a.ip}|${a.kind}|${a.subject}`.localeCompare(`${b.ip}|${b.kind}|${b.subject}`));
  return { expect: sorted(expect), absent: sorted(absent) };
}

runScript(async () => {
  const argv = process.argv.slice(2);
  const opt = (name: string, def: string): string => {
    const i = argv.indexOf(name);
    return i >= 0 && argv[i + 1] ? argv[i + 1]! : def;
  };
  const corpus = resolve(opt('--corpus', '../shared/corpus'));
  const out = opt('--out', 'test/e2e/findings-baselines.json');
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const captures: Record<string, { expect: Expectation[]; absent: Expectation[] }> = {};
    for (const c of CAPTURES) {
      const file = c.startsWith('samples/') ? resolve(c) : join(corpus, c);
      if (!existsSync(file)) throw new Error(`${file}: no such capture`);
      captures[c] = await expectationsOf(env, file);
      process.stderr.write(`${c}: ${captures[c]!.expect.length} expected, ${captures[c]!.absent.length} absent\n`);
    }
    writeFileSync(out, `${JSON.stringify({ generator: 'scripts/make-findings-baselines.ts', tshark: tsharkVersion, captures }, null, 1)}\n`);
  });
});
