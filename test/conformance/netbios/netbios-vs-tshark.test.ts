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
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openFileSource, singleSource } from '../../../src/capture/packet-source.js';
import { DecodedPacket, Inner } from '../../../src/decode/decoded-packet.js';
import { decodeEthernet, decodeFrame } from '../../../src/decode/link.js';
import { decodeIp } from '../../../src/decode/ip.js';
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
import { corpusRoot, frameAccessor, loadTsharkNetbios, type TsharkNetbiosFrame } from './tshark-netbios.js';

/** Most tunnel layers followed per frame (as in the ingest). */
const MAX_TUNNEL_DEPTH = 4;
/** Minimum agreement per field. */
const MIN_AGREEMENT = 0.99;

/** What a known difference sees. */
interface DiffContext {
  capture: string;
  frame: number;
  t: TsharkNetbiosFrame;
  oursValue: string;
  theirsValue: string;
}

/** A documented reason why medtap and tshark differ on a field, with the rule that recognises it. */
interface KnownDifference {
  fields: string[];
  reason: string;
  applies(c: DiffContext): boolean;
}

/**
 * Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test.
 * (None is needed on the current corpus; the table stays so a future difference is documented, not waved through.)
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {};

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

interface FieldTally {
  compared: number;
  equal: number;
  known: Map<string, number>;
}
const tally = new Map<string, FieldTally>();
const unexplained: string[] = [];
const frameTally = {
  tshark: 0,
  nbns: 0,
  nbdgm: 0,
  matched: 0,
  missing: new Map<string, number>(),
  missingUnexplained: [] as string[],
  extra: 0,
  extraDetail: [] as string[],
  parseErrors: [] as string[],
  anomalies: new Map<string, number>(),
};
let captures = 0;

function fieldTally(name: string): FieldTally {
  let t = tally.get(name);
  if (!t) {
    t = { compared: 0, equal: 0, known: new Map() };
    tally.set(name, t);
  }
  return t;
}

/** Compares one field; `always` counts the comparison even when both sides are empty. */
function compare(name: string, oursValue: string, theirsValue: string, ctx: Omit<DiffContext, 'oursValue' | 'theirsValue'>, always = false): void {
  const t = fieldTally(name); // registered even when nothing is compared, so the summary lists every field
  if (!always && oursValue === '' && theirsValue === '') return;
  t.compared++;
  if (oursValue === theirsValue) {
    t.equal++;
    return;
  }
  for (const [id, k] of Object.entries(KNOWN_DIFFERENCES)) {
    if (k.fields.includes(name) && k.applies({ ...ctx, oursValue, theirsValue })) {
      t.known.set(id, (t.known.get(id) ?? 0) + 1);
      return;
    }
  }
  unexplained.push(`${ctx.capture} frame ${ctx.frame} ${name}: medtap ${JSON.stringify(oursValue)} tshark ${JSON.stringify(theirsValue)}`);
}

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
  const c = (name: string, ours: string, theirs: string, always = false): void => compare(name, ours, theirs, ctx, always);
  // Where tshark shows a bit only in some packets, compare it where it shows it.
  const cShown = (name: string, ours: string, field: string): void => {
    const theirs = t.get(field);
    if (theirs !== '') c(name, ours, theirs, true);
    else fieldTally(name);
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
  const c = (name: string, ours: string, theirs: string, always = false): void => compare(name, ours, theirs, ctx, always);

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
    for (const f of fields) fieldTally(f);
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

/** Reads a capture; returns frame number → parse result of the NetBIOS datagram in it (if any). */
function parseCapture(path: string): { parsed: Map<number, Parsed>; fragments: Set<number> } {
  const src = singleSource(openFileSource(path));
  const outer = new DecodedPacket();
  const inner = new DecodedPacket();
  const parsed = new Map<number, Parsed>();
  const fragments = new Set<number>();
  let frame = 0;
  try {
    while (src.next()) {
      frame++;
      const r = src.pkt;
      let p = outer;
      decodeFrame(r.buf, r.off, r.caplen, r.linktype, p);
      // Follow tunnels the decoders recognise (VXLAN, GRE, IP-in-IP), as the ingest does.
      for (let depth = 0; depth < MAX_TUNNEL_DEPTH && p.inner !== Inner.None; depth++) {
        const next = p === outer ? inner : outer;
        const buf = p.pktBuf, off = p.innerOff, end = p.innerEnd, kind = p.inner;
        next.reset();
        next.pktBuf = buf;
        if (kind === Inner.Ethernet) decodeEthernet(buf, off, end, next);
        else decodeIp(buf, off, end, next);
        p = next;
      }
      if (p.l4Proto !== 17 || !p.hasL4) continue;
      const ns = p.srcPort === 137 || p.dstPort === 137;
      const dgm = p.srcPort === 138 || p.dstPort === 138;
      if (!ns && !dgm) continue;
      if (p.isFragment) {
        fragments.add(frame);
        continue;
      }
      parsed.set(frame, ns
        ? { kind: 'nbns', r: parseNbns(p.pktBuf, p.payloadOff, p.payloadLen) }
        : { kind: 'nbdgm', r: parseNetbiosDatagram(p.pktBuf, p.payloadOff, p.payloadLen) });
    }
  } finally {
    src.close();
  }
  return { parsed, fragments };
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkNetbios();
const accessor = frameAccessor(doc);
const root = corpusRoot();
const started = Date.now();

for (const [rel, cap] of Object.entries(doc.captures)) {
  const path = join(root, rel);
  test(`netbios vs tshark: ${rel}`, { skip: existsSync(path) ? false : 'capture missing from ../shared/corpus' }, () => {
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.equal(sha, cap.sha256, `${rel} changed since tshark-netbios.json was made: regenerate it (test/conformance/netbios/README.md)`);
    captures++;
    const { parsed, fragments } = parseCapture(path);
    for (const [n, row] of Object.entries(cap.frames)) {
      const frame = Number(n);
      const t = accessor(row);
      const isNbns = t.get('nbns.id') !== '';
      frameTally.tshark++;
      if (isNbns) frameTally.nbns++;
      else frameTally.nbdgm++;
      const ours = parsed.get(frame);
      if (ours === undefined) {
        const reason = t.list('udp.srcport').length > 1 ? 'undecoded-tunnel' : fragments.has(frame) ? 'ip-fragment' : null;
        if (reason !== null && reason in MISSING_REASONS) frameTally.missing.set(reason, (frameTally.missing.get(reason) ?? 0) + 1);
        else frameTally.missingUnexplained.push(`${rel} frame ${frame}${reason ? ` (${reason})` : ''}`);
        continue;
      }
      if (ours.kind !== (isNbns ? 'nbns' : 'nbdgm')) {
        frameTally.missingUnexplained.push(`${rel} frame ${frame}: tshark ${isNbns ? 'nbns' : 'nbdgm'}, medtap ${ours.kind}`);
        continue;
      }
      if (!ours.r.ok) {
        frameTally.parseErrors.push(`${rel} frame ${frame}: ${ours.r.error}`);
        continue;
      }
      frameTally.matched++;
      for (const a of ours.r.value.anomalies) frameTally.anomalies.set(a, (frameTally.anomalies.get(a) ?? 0) + 1);
      if (ours.kind === 'nbns') compareNbns(rel, frame, ours.r.value as NbnsMessage, t);
      else compareDatagram(rel, frame, ours.r.value as NetbiosDatagram, t);
    }
    for (const [frame, p] of parsed) {
      if (cap.frames[String(frame)] === undefined) {
        frameTally.extra++;
        frameTally.extraDetail.push(`${rel} frame ${frame}: ${p.kind} ${p.r.ok ? 'parsed' : p.r.error}`);
      }
    }
  });
}

test('netbios vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  assert.ok(captures > 0, 'no capture compared');
  assert.deepEqual(frameTally.parseErrors, [], 'tshark NetBIOS frames medtap failed to parse');
  assert.deepEqual(frameTally.missingUnexplained, [], 'tshark NetBIOS frames medtap did not find');
  assert.deepEqual(unexplained, [], 'differences not in KNOWN_DIFFERENCES');
  for (const [name, t] of tally) {
    if (t.compared === 0) continue; // no frame of the corpus carries it (covered by the unit tests only)
    assert.ok(t.equal / t.compared >= MIN_AGREEMENT, `${name}: ${t.equal}/${t.compared} equal, below ${MIN_AGREEMENT * 100} %`);
  }
});

after(() => {
  const lines: string[] = [];
  const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)} %`);
  lines.push(
    `netbios vs tshark: ${captures} captures, ${frameTally.tshark} tshark frames (${frameTally.nbns} nbns, ${frameTally.nbdgm} nbdgm), ` +
      `${frameTally.matched} compared, ` +
      `${[...frameTally.missing].map(([k, n]) => `${n} not reached (${k})`).join(', ') || '0 not reached'}, ` +
      `${frameTally.extra} UDP 137/138 datagrams tshark does not call nbns/nbdgm, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const width = Math.max(...[...tally.keys()].map((k) => k.length));
  for (const [name, t] of tally) {
    const known = [...t.known].map(([k, n]) => `, ${n} known (${k})`).join('');
    lines.push(`  ${name.padEnd(width)}  ${t.equal}/${t.compared} equal (${pct(t.equal, t.compared)})${known}`);
  }
  if (frameTally.anomalies.size > 0) lines.push(`  anomalies: ${[...frameTally.anomalies].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  for (const u of unexplained.slice(0, 20)) lines.push(`  UNEXPLAINED ${u}`);
  for (const u of frameTally.missingUnexplained.slice(0, 20)) lines.push(`  MISSING ${u}`);
  for (const u of frameTally.parseErrors.slice(0, 20)) lines.push(`  PARSE ERROR ${u}`);
  for (const u of frameTally.extraDetail.slice(0, 20)) lines.push(`  EXTRA ${u}`);
  process.stdout.write(`${lines.join('\n')}\n`);
});
