/**
 * Conformance: src/protocols/netbios/parser.ts against tshark 4.0's nbns, nbdgm and browser dissectors, field by
 * field, over every NetBIOS name service and datagram frame of every capture in ../shared/corpus that holds them
 * (tshark-netbios.json, from scripts/make-netbios-baselines.ts).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 137 on either side is parsed with parseNbns, one with port 138 with
 * parseNetbiosDatagram, keyed by its 1-based frame number, and compared with tshark's values for the same frame. A
 * field counts as compared on a frame when either side has a value (header fields always do). At the end one line
 * per field gives compared / equal; every field must agree on ≥ 99 % of its comparisons and every difference must be
 * explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - tshark appends a description of well-known suffixes to some names ("WORKGROUP<1d> (Local Master Browser)"); it
 *   is removed. tshark writes a non-printable name byte as `<NN>`, medtap as `\xNN` (and a backslash as `\\`); medtap's
 *   form is rewritten to tshark's before comparing.
 * - tshark shows the AA/TC/RD/RA/B bits and RCODE only where its dissector decodes them (RCODE: responses only); a
 *   bit is compared when tshark shows it.
 * - for a domain announcement (0x0c) whose signature is not 0xAA55, tshark shows the 4 bytes of browser version and
 *   signature as one little-endian `browser.mysterious_field` and the LocalMasterBrowserName as `browser.mb_server`;
 *   they are split back into version and signature, and `comment` is compared with `browser.mb_server`.
 * - the server type bits are compared as the list of names medtap gives against the tshark bit fields set to 1.
 */
import { after, test } from 'node:test';
import type { DecodedPacket } from '../../../src/decode/decoded-packet.js';
import {
  BROWSER_SERVER_TYPE_BITS,
  formatNetbiosName,
  type NbnsMessage,
  type NbnsResourceRecord,
  type NetbiosDatagram,
  type NetbiosName,
  parseNbns,
  parseNetbiosDatagram,
} from '../../../src/protocols/netbios/parser.js';
import { readUdpFrames, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { frameAccessor, loadTsharkNetbios, type TsharkNetbiosFrame } from './tshark-netbios.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  t: TsharkNetbiosFrame;
}

/**
 * Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test.
 * (None is needed on the current corpus; the table stays so a future difference is documented, not waved through.)
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

/** Frames tshark has and medtap does not reach, with the reason. */
const MISSING_REASONS: Record<string, string> = {
  'undecoded-tunnel': 'NetBIOS inside a tunnel medtap does not decapsulate: tshark shows two UDP layers',
  'ip-fragment': 'NetBIOS datagram split into IP fragments: tshark reassembles them, medtap parses no fragment',
};

/** tshark's bit field name for each of medtap's server type flag names. */
const SERVER_TYPE_FIELD: Record<string, string> = {
  workstation: 'browser.server_type.workstation',
  server: 'browser.server_type.server',
  sql_server: 'browser.server_type.sql',
  domain_controller: 'browser.server_type.domain_controller',
  backup_controller: 'browser.server_type.backup_controller',
  time_source: 'browser.server_type.time',
  apple: 'browser.server_type.apple',
  novell: 'browser.server_type.novell',
  domain_member: 'browser.server_type.member',
  print_queue: 'browser.server_type.print',
  dialin: 'browser.server_type.dialin',
  xenix: 'browser.server_type.xenix',
  nt_workstation: 'browser.server_type.ntw',
  wfw: 'browser.server_type.wfw',
  nt_server: 'browser.server_type.nts',
  potential_browser: 'browser.server_type.browser.potential',
  backup_browser: 'browser.server_type.browser.backup',
  master_browser: 'browser.server_type.browser.master',
  domain_master: 'browser.server_type.browser.domain_master',
  osf: 'browser.server_type.osf',
  vms: 'browser.server_type.vms',
  windows_95_plus: 'browser.server_type.w95',
  dfs: 'browser.server_type.dfs',
  local_list_only: 'browser.server_type.local',
  domain_enum: 'browser.server_type.domainenum',
};

// ---------------------------------------------------------------------------------------------------------------

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, MISSING_REASONS);
/** Baseline frames by protocol, and the anomalies medtap reported on the compared ones. */
const kinds = { nbns: 0, nbdgm: 0, anomalies: new Map<string, number>() };

const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
const bit = (v: boolean): string => (v ? '1' : '0');
/** A tshark hex value ("0x00402003") as a decimal string; '' stays ''. */
const num = (v: string): string => (v === '' ? '' : String(Number(v)));
/** Joins a list with a separator no compared value contains. */
const join1 = (a: readonly (string | number)[]): string => a.join('\u0001');

/**
 * medtap's text escapes rewritten to tshark's name form: `\xNN` → `<NN>`, `\\` → `\`. (tshark shows a name byte
 * outside printable ASCII as `<NN>`.)
 */
function tsharkNameText(s: string): string {
  return s.replace(/\\(x([0-9a-f]{2})|\\)/g, (_m, _a: string, h: string | undefined) => (h === undefined ? '\\' : `<${h}>`));
}

/** A name as tshark writes it. */
function nameAsTshark(n: NetbiosName | null): string {
  if (n === null) return '';
  return tsharkNameText(formatNetbiosName(n));
}

/** tshark's name without its suffix description: "WORKGROUP<1d> (Local Master Browser)" → "WORKGROUP<1d>". */
function stripDescription(s: string): string {
  const m = /^(.*<[0-9a-f]{2}>(?:\.\S*)?) \([^()]*\)$/s.exec(s);
  return m ? m[1]! : s;
}

function compareNbns(capture: string, frame: number, m: NbnsMessage, t: TsharkNetbiosFrame): void {
  const ctx = { capture, frame, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  // Where tshark shows a bit only in some packets, compare it where it shows it.
  const cShown = (name: string, ours: string, field: string): void => {
    const theirs = t.get(field);
    if (theirs !== '') c(name, ours, theirs, true);
    else agreement.field(name);
  };

  c('nbns.transaction_id', str(m.transaction_id), num(t.get('nbns.id')), true);
  c('nbns.flags', str(m.flags), num(t.get('nbns.flags')), true);
  c('nbns.response', bit(m.response), t.get('nbns.flags.response'), true);
  c('nbns.opcode', str(m.opcode), t.get('nbns.flags.opcode'), true);
  cShown('nbns.authoritative', bit(m.authoritative), 'nbns.flags.authoritative');
  cShown('nbns.truncated', bit(m.truncated), 'nbns.flags.truncated');
  cShown('nbns.recursion_desired', bit(m.recursion_desired), 'nbns.flags.recdesired');
  cShown('nbns.recursion_available', bit(m.recursion_available), 'nbns.flags.recavail');
  cShown('nbns.broadcast', bit(m.broadcast), 'nbns.flags.broadcast');
  cShown('nbns.rcode', str(m.rcode), 'nbns.flags.rcode');
  c('nbns.qd_count', str(m.qd_count), t.get('nbns.count.queries'), true);
  c('nbns.an_count', str(m.an_count), t.get('nbns.count.answers'), true);
  c('nbns.ns_count', str(m.ns_count), t.get('nbns.count.auth_rr'), true);
  c('nbns.ar_count', str(m.ar_count), t.get('nbns.count.add_rr'), true);

  const records: NbnsResourceRecord[] = [...m.answers, ...m.authority, ...m.additional];
  // Questions then records, in wire order, as tshark lists the occurrences.
  c('nbns.names', join1([...m.questions.map((q) => nameAsTshark(q.name)), ...records.map((r) => nameAsTshark(r.name))]),
    join1(t.list('nbns.name').map(stripDescription)), true);
  c('nbns.types', join1([...m.questions.map((q) => q.type), ...records.map((r) => r.type)]), join1(t.list('nbns.type')), true);
  c('nbns.classes', join1([...m.questions.map((q) => q.class), ...records.map((r) => r.class)]), join1(t.list('nbns.class')), true);
  c('nbns.ttl', join1(records.map((r) => r.ttl)), join1(t.list('nbns.ttl')));
  c('nbns.rdlength', join1(records.map((r) => r.rdlength)), join1(t.list('nbns.data_length')));

  const entries = records.flatMap((r) => r.addresses ?? []);
  c('nbns.nb.flags', join1(entries.map((e) => e.flags)), join1(t.list('nbns.nb_flags').map(num)));
  c('nbns.nb.group', join1(entries.map((e) => bit(e.group))), join1(t.list('nbns.nb_flags.group')));
  c('nbns.nb.node_type', join1(entries.map((e) => 'BPMH'.indexOf(e.node_type))), join1(t.list('nbns.nb_flags.ont')));
  // nbns.addr holds NB entry addresses and A record addresses, in record order.
  c('nbns.nb.address', join1(records.flatMap((r) => [...(r.addresses ?? []).map((e) => e.address), ...(r.ns_address === null ? [] : [r.ns_address])])),
    join1(t.list('nbns.addr')));

  const stat = records.filter((r) => r.node_names !== null);
  c('nbns.nbstat.count', join1(stat.map((r) => r.node_names!.length)), join1(t.list('nbns.number_of_names')));
  const nodes = stat.flatMap((r) => r.node_names!);
  c('nbns.nbstat.names', join1(nodes.map((n) => tsharkNameText(n.name))), join1(t.list('nbns.netbios_name')));
  c('nbns.nbstat.flags', join1(nodes.map((n) => n.flags)), join1(t.list('nbns.name_flags').map(num)));
  c('nbns.nbstat.group', join1(nodes.map((n) => bit(n.group))), join1(t.list('nbns.name_flags.group')));
  c('nbns.nbstat.unit_id', join1(stat.map((r) => str(r.unit_id))), join1(t.list('nbns.unit_id')));
}

function compareDatagram(capture: string, frame: number, d: NetbiosDatagram, t: TsharkNetbiosFrame): void {
  const ctx = { capture, frame, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);

  c('nbdgm.msg_type', str(d.msg_type), t.get('nbdgm.type'), true);
  c('nbdgm.flags', str(d.flags), num(t.get('nbdgm.flags')), true);
  c('nbdgm.more', bit(d.more), t.get('nbdgm.next'), true);
  c('nbdgm.first', bit(d.first), t.get('nbdgm.first'), true);
  c('nbdgm.node_type', str('BPMH'.indexOf(d.node_type)), t.get('nbdgm.node_type'), true);
  c('nbdgm.datagram_id', str(d.datagram_id), num(t.get('nbdgm.dgram_id')), true);
  c('nbdgm.source_ip', d.source_ip, t.get('nbdgm.src.ip'), true);
  c('nbdgm.source_port', str(d.source_port), t.get('nbdgm.src.port'), true);
  c('nbdgm.datagram_length', str(d.datagram_length), t.get('nbdgm.dgram_len'));
  c('nbdgm.packet_offset', str(d.packet_offset), t.get('nbdgm.pkt_offset'));
  c('nbdgm.error_code', str(d.error_code), num(t.get('nbdgm.error_code')));
  c('nbdgm.source_name', nameAsTshark(d.source_name), stripDescription(t.get('nbdgm.source_name')));
  c('nbdgm.destination_name', nameAsTshark(d.destination_name), stripDescription(t.get('nbdgm.destination_name')));
  c('nbdgm.smb_command', str(d.smb_command), num(t.first('smb.cmd')));
  c('nbdgm.mailslot', str(d.mailslot), t.get('smb.trans_name'));

  const b = d.browser;
  c('browser.opcode', str(b?.opcode), num(t.get('browser.command')));
  const announcement = b !== null && b.server_type !== null;
  const fields = ['browser.update_count', 'browser.periodicity_ms', 'browser.server_name', 'browser.os_major', 'browser.os_minor',
    'browser.server_type', 'browser.server_type_flags', 'browser.browser_version', 'browser.signature', 'browser.comment'];
  if (!announcement) {
    // Only announcements carry these; tshark shows browser.server / proto version for other opcodes too.
    for (const f of fields) agreement.field(f);
    return;
  }
  c('browser.update_count', str(b.update_count), t.get('browser.update_count'), true);
  c('browser.periodicity_ms', str(b.periodicity_ms), t.get('browser.period'), true);
  c('browser.server_name', tsharkNameText(str(b.server_name)), t.get('browser.server'), true);
  c('browser.os_major', str(b.os_major), t.get('browser.os_major'), true);
  c('browser.os_minor', str(b.os_minor), t.get('browser.os_minor'), true);
  c('browser.server_type', str(b.server_type), num(t.get('browser.server_type')), true);
  const theirFlags = BROWSER_SERVER_TYPE_BITS.map(([, name]) => name).filter((name) => t.get(SERVER_TYPE_FIELD[name]!) === '1');
  c('browser.server_type_flags', (b.server_type_flags ?? []).join(','), theirFlags.join(','), true);
  const mystery = t.get('browser.mysterious_field');
  let theirVersion: string;
  let theirSignature: string;
  if (mystery !== '') {
    const v = Number(mystery) >>> 0;
    theirVersion = `${v & 0xff}.${(v >>> 8) & 0xff}`;
    theirSignature = String(v >>> 16);
  } else {
    theirVersion = `${t.get('browser.proto_major')}.${t.get('browser.proto_minor')}`;
    theirSignature = num(t.get('browser.sig'));
  }
  c('browser.browser_version', str(b.browser_version), theirVersion, true);
  c('browser.signature', str(b.signature), theirSignature, true);
  const theirComment = b.opcode === 0x0c && t.get('browser.mb_server') !== '' ? t.get('browser.mb_server') : t.get('browser.comment');
  c('browser.comment', tsharkNameText(str(b.comment)), theirComment, true);
}

type Parsed = { kind: 'nbns'; r: ReturnType<typeof parseNbns> } | { kind: 'nbdgm'; r: ReturnType<typeof parseNetbiosDatagram> };

/** A UDP datagram with port 137 on either side parsed as name service, else (port 138) as datagram service. */
function parseNetbios(p: DecodedPacket): Parsed {
  return p.srcPort === 137 || p.dstPort === 137
    ? { kind: 'nbns', r: parseNbns(p.pktBuf, p.payloadOff, p.payloadLen) }
    : { kind: 'nbdgm', r: parseNetbiosDatagram(p.pktBuf, p.payloadOff, p.payloadLen) };
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkNetbios();
const accessor = frameAccessor(doc);

testEachCapture('netbios vs tshark', doc.captures, 'tshark-netbios.json', 'test/conformance/netbios/README.md', (rel, cap, path) => {
  agreement.captures++;
  const { parsed, fragments } = readUdpFrames(path, [137, 138], parseNetbios);
  for (const [n, row] of Object.entries(cap.frames)) {
    const frame = Number(n);
    const t = accessor(row);
    const isNbns = t.get('nbns.id') !== '';
    agreement.tsharkFrames++;
    if (isNbns) kinds.nbns++;
    else kinds.nbdgm++;
    const ours = parsed.get(frame);
    if (ours === undefined) {
      agreement.frameMissing(rel, frame, t, fragments);
      continue;
    }
    if (ours.kind !== (isNbns ? 'nbns' : 'nbdgm')) {
      agreement.missingUnexplained.push(`${rel} frame ${frame}: tshark ${isNbns ? 'nbns' : 'nbdgm'}, medtap ${ours.kind}`);
      continue;
    }
    if (!ours.r.ok) {
      agreement.parseErrors.push(`${rel} frame ${frame}: ${ours.r.error}`);
      continue;
    }
    agreement.matched++;
    for (const a of ours.r.value.anomalies) kinds.anomalies.set(a, (kinds.anomalies.get(a) ?? 0) + 1);
    if (ours.kind === 'nbns') compareNbns(rel, frame, ours.r.value as NbnsMessage, t);
    else compareDatagram(rel, frame, ours.r.value as NetbiosDatagram, t);
  }
  agreement.extraFrames(rel, parsed, cap.frames, (p) => `${p.kind} ${p.r.ok ? 'parsed' : p.r.error}`);
});

test('netbios vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('NetBIOS');
});

after(() => {
  const anomalies = kinds.anomalies.size > 0 ? [`  anomalies: ${[...kinds.anomalies].map(([k, n]) => `${k} ×${n}`).join(', ')}`] : [];
  agreement.printSummary(
    `netbios vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark frames (${kinds.nbns} nbns, ${kinds.nbdgm} nbdgm), ` +
      `${agreement.matched} compared, ` +
      `${agreement.notReached()}, ` +
      `${agreement.extra} UDP 137/138 datagrams tshark does not call nbns/nbdgm, ${agreement.elapsed()} s`,
    anomalies,
  );
});
