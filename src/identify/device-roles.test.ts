/**
 * Role evidence: the role rules (data/fingerprints/roles.tsv) over hand-written facts of the shapes the DICOM, HL7,
 * POCT1-A, NTP collectors and the service facts (service-facts.ts) record, each case after the standard behaviour or
 * port assignment its rule cites; the strict loader; and the
 * coverage of data/dicom/sop-classes.tsv's device categories by the rules.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Claim, Fact } from '../knowledge/knowledge-base.js';
import { DicomKnowledge } from './dicom-knowledge.js';
import { loadRoleRules, parseRoleRules, ROLES_FILE, roleClaims, roleSignals } from './device-roles.js';

const dicom = DicomKnowledge.load();
const CT = '1.2.840.10008.5.1.4.1.1.2';
const MR = '1.2.840.10008.5.1.4.1.1.4';
const STUDY_FIND = '1.2.840.10008.5.1.4.1.2.2.1';
const STUDY_MOVE = '1.2.840.10008.5.1.4.1.2.2.2';
const MWL = '1.2.840.10008.5.1.4.31';

const f = (source: string, name: string, value: string, confidence = 1): Fact => ({ source, name, value, confidence, evidence: null, first: 1, last: 2 });
const sop = (role: 'scu' | 'scp', uid: string, confidence = 1): Fact => f('dicom', 'dicom_sop_class', `${role}:${uid}`, confidence);
const peer = (value: string): Fact => f('dicom', 'dicom_peer', value);
const hl7 = (value: string): Fact => f('hl7', 'hl7_role', value);
const hl7Peer = (value: string): Fact => f('hl7', 'hl7_peer', value);
const obsKind = (kind: string, confidence: number): Fact => f('hl7', 'hl7_observation_kind', kind, confidence);

/** Categories claimed by the role rules, best first, as "category confidence". */
function claimed(facts: Fact[]): string[] {
  return roleClaims(roleSignals(facts, dicom)).sort((a, b) => b.confidence - a.confidence).map((c) => `${c.value} ${c.confidence}`);
}

test('a CT Image Storage SCU is a CT scanner; an agreed but unused context counts half (PS3.4 B, PS3.3 A.3)', () => {
  assert.deepEqual(claimed([sop('scu', CT), peer(`scu storage 10.0.0.100`)]), ['imaging-ct 0.85']);
  assert.deepEqual(claimed([sop('scu', CT, 0.5)]), ['imaging-ct 0.425']);
  assert.deepEqual(claimed([sop('scu', MR), sop('scu', MWL)]), ['imaging-mr 0.85', 'medical-other 0.5']);
});

test('a storage SCP fed by several modalities is a PACS; it is no CT scanner when it forwards CT images', () => {
  const pacs = [sop('scp', CT), sop('scp', MR), sop('scu', CT), sop('scp', STUDY_FIND), peer('scp storage 10.0.0.60'), peer('scp storage 10.0.0.61'), peer('scu storage 10.0.0.80')];
  assert.deepEqual(claimed(pacs), ['pacs 0.85', 'pacs 0.7']);
  // one sender only: a weaker archive claim
  assert.deepEqual(claimed([sop('scp', CT), peer('scp storage 10.0.0.60')]), ['pacs 0.5']);
});

test('a Query/Retrieve SCU that sends no images is a viewer, even when the archive stores the moved study at it', () => {
  const viewer = [sop('scu', STUDY_FIND), sop('scu', STUDY_MOVE), sop('scp', CT), peer('scu query_retrieve 10.0.0.100'), peer('scp storage 10.0.0.100')];
  assert.deepEqual(claimed(viewer), ['imaging-workstation 0.75']);
});

test('the Modality Worklist SCP is an information system (RIS), not a device', () => {
  assert.deepEqual(claimed([sop('scp', MWL), peer('scp worklist 10.0.0.60')]), ['server 0.6']);
});

test('HL7: an engine receives from several systems and sends on; a sender of ORU or ADT alone is not one', () => {
  const engine = [hl7('receiver ORU^R01'), hl7('receiver ADT^A01'), hl7('sender ORU^R01'), hl7('sender ACK'), hl7Peer('receiver 10.0.0.10'), hl7Peer('receiver 10.0.0.103'), hl7Peer('sender 10.0.0.103')];
  assert.deepEqual(claimed(engine), ['hl7-interface-engine 0.85']);
  assert.deepEqual(claimed([hl7('sender ORU^R01'), hl7('receiver ACK'), hl7Peer('sender 10.0.0.101')]), ['central-station 0.45', 'patient-monitor 0.3']);
  assert.deepEqual(claimed([hl7('sender ADT^A01'), hl7('receiver ORU^R01'), hl7Peer('sender 10.0.0.101'), hl7Peer('receiver 10.0.0.101')]), ['server 0.5']);
  // acknowledgments alone are no traffic of one's own: an EHR that only ACKs claims nothing
  assert.deepEqual(claimed([hl7('sender ACK'), hl7('receiver ORU^R01'), hl7Peer('receiver 10.0.0.101')]), []);
});

test('HL7 ORU: vital-sign codes keep the monitoring reading, laboratory codes make an analyzer (one peer) or an LIS (several)', () => {
  const oru = [hl7('sender ORU^R01'), hl7('receiver ACK'), hl7Peer('sender 10.0.0.101')];
  // strengths: the facts' confidences (HL7_CONFIDENCE: vital_signs 0.9, laboratory 0.7)
  assert.deepEqual(claimed([...oru, obsKind('vital_signs', 0.9)]), ['central-station 0.495', 'patient-monitor 0.315']);
  assert.deepEqual(claimed([...oru, obsKind('laboratory', 0.7)]), ['lab-analyzer 0.42']);
  // laboratory results to several systems: a laboratory information system
  assert.deepEqual(claimed([...oru, hl7Peer('sender 10.0.0.102'), obsKind('laboratory', 0.7)]), ['server 0.315']);
  // both kinds (e.g. a blood-gas analyzer's 2708-6, or an EHR): no kind-specific rule, and not the "no code" ones
  assert.deepEqual(claimed([...oru, obsKind('laboratory', 0.7), obsKind('vital_signs', 0.9)]), []);
  // an engine stays an engine whatever it relays
  const engine = [hl7('receiver ORU^R01'), hl7('sender ORU^R01'), hl7Peer('receiver 10.0.0.10'), hl7Peer('receiver 10.0.0.11'), hl7Peer('sender 10.0.0.103'), obsKind('laboratory', 0.7)];
  assert.deepEqual(claimed(engine), ['hl7-interface-engine 0.85']);
});

test('POCT1-A: the Hello sender is the point-of-care device, its receiver the data manager (POCT1-A2 DML)', () => {
  assert.deepEqual(claimed([f('poct1a', 'poct1a_role', 'sender HEL.R01'), f('poct1a', 'poct1a_role', 'receiver ACK.R01')]), ['poc-analyzer 0.85']);
  assert.deepEqual(claimed([f('poct1a', 'poct1a_role', 'receiver HEL.R01')]), ['medical-other 0.6']);
});

const served = (port: string, ...peers: string[]): Fact[] => [f('traffic', 'service_port', `server ${port}`), ...peers.map((ip) => f('traffic', 'service_peer', `server ${port} ${ip}`))];
const used = (port: string): Fact => f('traffic', 'service_port', `client ${port}`);
/** An os claim of the fingerprint rules, as identify() passes them. */
const osClaim = (value: string, confidence: number, source = 'tcp_os'): Claim =>
  ({ attribute: 'os', value, confidence, rule: null, fact: f(source, `${source}_os`, value, confidence), together: {} });
const claimedWithOs = (facts: Fact[], os: Claim[]): string[] =>
  roleClaims(roleSignals(facts, dicom, os)).sort((a, b) => b.confidence - a.confidence).map((c) => `${c.value} ${c.confidence}`);

test('a host accepting raw print jobs on TCP 9100 is a printer; one that only sends jobs there is not', () => {
  assert.deepEqual(claimed(served('tcp/9100', '10.0.0.31')), ['printer 0.5']);
  assert.deepEqual(claimed([used('tcp/9100')]), []);
  assert.deepEqual(claimed([...served('tcp/515', '10.0.0.31'), ...served('tcp/631', '10.0.0.31')]), ['printer 0.45', 'printer 0.4']);
  // peers alone (no service_port fact) are no signal
  assert.deepEqual(claimed([f('traffic', 'service_peer', 'server tcp/9100 10.0.0.31')]), []);
});

test('DNS, Kerberos and LDAP served: a domain controller; DNS or SMB alone needs several clients', () => {
  const dc = [...served('udp/53', '10.0.0.31'), ...served('tcp/88', '10.0.0.31'), ...served('tcp/389', '10.0.0.31')];
  assert.deepEqual(claimed(dc), ['server 0.7', 'server 0.65', 'server 0.55']);
  assert.deepEqual(claimed(served('udp/53', '10.0.0.31')), []); // one client: maybe a workstation answering a stray query
  assert.deepEqual(claimed(served('udp/53', '10.0.0.31', '10.0.0.32')), ['server 0.45']);
  assert.deepEqual(claimed([...served('udp/53', '10.0.0.31', '10.0.0.32'), ...served('tcp/445', '10.0.0.31')]), ['server 0.6', 'server 0.45']);
  // an NTP server reply is a weak hint, and only with two clients
  assert.deepEqual(claimed([f('ntp', 'ntp_mode', 'server'), ...served('udp/123', '10.0.0.31')]), []);
  assert.deepEqual(claimed([f('ntp', 'ntp_mode', 'server'), ...served('udp/123', '10.0.0.31', '10.0.0.32')]), ['server 0.3']);
  assert.deepEqual(claimed(served('udp/123', '10.0.0.31', '10.0.0.32')), []); // answered port 123 without an NTP server reply decoded
  // a DHCP server; with DNS for several hosts, the network's infrastructure server
  assert.deepEqual(claimed([f('dhcp', 'dhcp_server', 'DHCPACK')]), ['server 0.4']);
  assert.deepEqual(claimed([f('dhcp', 'dhcp_server', 'DHCPOFFER'), ...served('udp/53', '10.0.0.31', '10.0.0.32')]), ['server 0.55', 'server 0.45', 'server 0.4']);
});

test('Windows that only acts as a client is a workstation (at most 0.4, times the OS confidence); Windows serving several hosts is not', () => {
  const windows = [osClaim('Windows', 0.5)];
  assert.deepEqual(claimedWithOs([used('tcp/445'), used('tcp/443')], windows), ['workstation 0.2', 'workstation 0.15']);
  assert.deepEqual(claimedWithOs([used('tcp/3389')], windows), ['workstation 0.2', 'workstation 0.15']);
  // the OS strength is the OS's combined confidence: two independent sources (1 - 0.5 × 0.2 = 0.9)
  assert.deepEqual(claimedWithOs([used('tcp/445'), used('tcp/443')], [osClaim('Windows', 0.5), osClaim('Windows', 0.8, 'dhcp')]), ['workstation 0.36', 'workstation 0.27']);
  // no OS, or another OS: no workstation claim from client behaviour
  assert.deepEqual(claimed([used('tcp/445'), used('tcp/443')]), []);
  assert.deepEqual(claimedWithOs([used('tcp/445')], [osClaim('Linux', 0.9)]), []);
  // serving: no workstation claim; three clients make a server claim
  assert.deepEqual(claimedWithOs([used('tcp/445'), ...served('tcp/8080', '10.0.0.31')], windows), []);
  assert.deepEqual(claimedWithOs([used('tcp/445'), ...served('tcp/8080', '10.0.0.31', '10.0.0.32'), ...served('tcp/8081', '10.0.0.33')], windows), ['server 0.225']);
});

test('malformed service facts are ignored', () => {
  for (const v of ['server tcp/', 'server sctp/80', 'listener tcp/80', 'server tcp/80 10.0.0.1 x', 'server tcp/123456']) assert.deepEqual(claimed([f('traffic', 'service_port', v)]), [], v);
  assert.deepEqual(claimed([f('traffic', 'service_port', 'server tcp/9100 10.0.0.31')]), []); // a peer value under the port fact's name
});

test('a role claim names its rule (file:line), the signals and peers that made it, and its basis', () => {
  const [c] = roleClaims(roleSignals([sop('scp', CT), peer('scp storage 10.0.0.60'), peer('scp storage 10.0.0.61')], dicom));
  assert.match(c!.rule!.id, /^roles\.tsv:\d+$/);
  assert.equal(c!.fact.source, 'role');
  assert.match(c!.fact.value, /^pacs-many: dicom:scp:storage \(2 peers\)$/);
  assert.match(c!.rule!.refText, /PS3\.4 B\.2/);
});

test('the loader refuses bad lines with file:line', () => {
  const refuses = (line: string, why: RegExp): void => assert.throws(() => parseRoleRules(`# c\n${line}\n`, 'r.tsv'), why);
  refuses('x\tdicom:scu:storage\tnot-a-category\t0.5\tb', /^Error: r\.tsv:2: not-a-category is not a device category/);
  refuses('x\tdicom:scu:storage\tpacs\t1.5\tb', /^Error: r\.tsv:2: confidence 1\.5 is not in/);
  refuses('x\tsnmp:foo\tpacs\t0.5\tb', /^Error: r\.tsv:2: bad term "snmp:foo"/);
  refuses('x\ttcp:server:9100>=0\tprinter\t0.5\tb', /^Error: r\.tsv:2: bad term "tcp:server:9100>=0"/);
  refuses('x\t!dicom:scu:storage\tpacs\t0.5\tb', /^Error: r\.tsv:2: a condition needs at least one positive term/);
  refuses('X Y\tdicom:scu:storage\tpacs\t0.5\tb', /^Error: r\.tsv:2: id X Y is not/);
  assert.throws(() => parseRoleRules('a\tdicom:scp:print\tprinter\t0.5\tb\na\tdicom:scp:print\tprinter\t0.5\tb\n', 'r.tsv'), /r\.tsv:2: duplicate role rule a, already on line 1/);
  assert.ok(loadRoleRules().length >= 30);
});

test('every device category of a storage SOP class in sop-classes.tsv maps to a category, or is listed as deliberately unmapped', () => {
  // VL Photographic images come from any camera or phone app: no device category follows from sending them.
  const UNMAPPED = new Set(['photography']);
  const text = readFileSync(ROLES_FILE, 'utf8');
  const used = new Set(dicom.allSopClasses().filter((s) => s.service === 'storage' && s.device_category !== null).map((s) => s.device_category!));
  for (const c of used) {
    if (UNMAPPED.has(c)) continue;
    assert.ok(text.includes(`dicom:scu:storage:${c} `), `no role rule for the storage device category ${c}`);
  }
});

test('every vendor root of implementation-class-uids.tsv has a vendor rule in data/fingerprints/dicom.fp', () => {
  const fp = readFileSync(new URL('../../../data/fingerprints/dicom.fp', import.meta.url), 'utf8');
  const tsv = readFileSync(new URL('../../../data/dicom/implementation-class-uids.tsv', import.meta.url), 'utf8');
  const vendorRoots = tsv.split('\n').filter((l) => !l.startsWith('#') && l.split('\t')[1] === 'vendor').map((l) => l.split('\t')[0]!);
  assert.ok(vendorRoots.length >= 8);
  for (const r of vendorRoots) assert.ok(fp.includes(`prefix "${r}."`), `no dicom.fp rule for vendor root ${r}`);
});
