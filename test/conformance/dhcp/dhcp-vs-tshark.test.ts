/**
 * Conformance: src/protocols/dhcp/parser.ts against tshark 4.0's DHCP dissector, field by field, over every DHCP
 * frame of every capture in ../shared/corpus that holds DHCP (tshark-dhcp.json, from
 * scripts/make-dhcp-baselines.ts).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 67 or 68 on either side is parsed with parseDhcp, keyed by its 1-based
 * frame number, and compared with tshark's values for the same frame. A field counts as compared on a frame when
 * either side has a value (header fields always do). At the end one line per field gives compared / equal; every
 * field must agree on ≥ 99 % of its comparisons and every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - tshark renders the End option as `dhcp.option.type` 0 and lists no length/value for it; `options` excludes
 *   pad and end, so zeros are dropped from tshark's list.
 * - with option overload tshark nests the options of `file`/`sname` under option 52, at 52's position; medtap lists
 *   them after the options field (RFC 2131 §4.1 order). On such frames the lists must hold the same codes and agree
 *   up to option 52.
 * - a client identifier of type 1 with 6 bytes adds a second `dhcp.hw.mac_addr` (and `dhcp.hw.type`) occurrence
 *   in tshark: the first occurrence is chaddr's, the next the identifier's.
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
import { type DhcpMessage, parseDhcp } from '../../../src/protocols/dhcp/parser.js';
import { corpusRoot, frameAccessor, loadTsharkDhcp, type TsharkDhcpFrame } from './tshark-dhcp.js';

/** Most tunnel layers followed per frame (as in the ingest). */
const MAX_TUNNEL_DEPTH = 4;
/** Minimum agreement per field. */
const MIN_AGREEMENT = 0.99;

/** What a known difference sees. */
interface DiffContext {
  capture: string;
  frame: number;
  ours: DhcpMessage;
  t: TsharkDhcpFrame;
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
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {
  'secs-little-endian-heuristic': {
    fields: ['secs'],
    reason:
      'tshark byte-swaps `secs` when it guesses the client wrote it little-endian (expert note "Seconds elapsed ' +
      'appears to be encoded as little-endian"; in this corpus exactly the frames whose wire value has a non-zero high ' +
      'byte and a zero low byte); medtap reports the value as on the wire (RFC 2131: network byte order), so 1024 ' +
      '(0x0400) here is 4 there',
    applies: (c) =>
      c.t.get('_ws.expert.message').includes('Seconds elapsed appears to be encoded as little-endian') &&
      Number(c.theirsValue) === (((c.ours.secs & 0xff) << 8) | (c.ours.secs >> 8)),
  },
};

/** Frames tshark has and medtap does not reach, with the reason. */
const MISSING_REASONS: Record<string, string> = {
  'undecoded-tunnel':
    'DHCP inside a tunnel medtap does not decapsulate (CAPWAP data carrying 802.11 frames): tshark shows two UDP layers',
};

// ---------------------------------------------------------------------------------------------------------------

interface FieldTally {
  compared: number;
  equal: number;
  known: Map<string, number>;
}
const tally = new Map<string, FieldTally>();
const unexplained: string[] = [];
const frameTally = { tshark: 0, matched: 0, missing: new Map<string, number>(), missingUnexplained: [] as string[], extra: 0, extraDetail: [] as string[], parseErrors: [] as string[] };
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
const hexByte = (n: number): string => n.toString(16).padStart(2, '0');

/** tshark's value bytes of every instance of option `code` (hex), concatenated as RFC 3396 joins them. */
function tsharkOptionValue(t: TsharkDhcpFrame, code: number): string {
  const types = t.list('dhcp.option.type').filter((x) => x !== '0');
  const lens = t.list('dhcp.option.length');
  const values = t.list('dhcp.option.value');
  let vi = 0;
  let out = '';
  for (let i = 0; i < types.length; i++) {
    const hasValue = Number(lens[i] ?? '0') > 0;
    if (Number(types[i]) === code && hasValue) out += values[vi] ?? '';
    if (hasValue) vi++;
  }
  return out;
}

/** tshark's option code list, with the overload normalisation described in the file comment. */
function optionsAgree(ours: number[], theirs: number[], overloaded: boolean): boolean {
  if (!overloaded) return ours.join(',') === theirs.join(',');
  const at = theirs.indexOf(52);
  if (at < 0 || ours.slice(0, at + 1).join(',') !== theirs.slice(0, at + 1).join(',')) return false;
  return [...ours].sort((a, b) => a - b).join(',') === [...theirs].sort((a, b) => a - b).join(',');
}

/** Hex → text for user class instances (tshark gives RFC 3004 instances as bytes). */
function hexText(h: string): string {
  return Buffer.from(h, 'hex').toString('latin1');
}

function compareFrame(capture: string, frame: number, m: DhcpMessage, t: TsharkDhcpFrame): void {
  const ctx = { capture, frame, ours: m, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => compare(name, ours, theirs, ctx, always);
  const ethernetChaddr = m.htype === 1 && m.hlen === 6;
  const macs = t.list('dhcp.hw.mac_addr');

  c('op', str(m.op), t.get('dhcp.type'), true);
  c('htype', str(m.htype), str(parseInt(t.list('dhcp.hw.type')[0] ?? '', 16)), true);
  c('hlen', str(m.hlen), t.list('dhcp.hw.len')[0] ?? '', true);
  c('hops', str(m.hops), t.get('dhcp.hops'), true);
  c('xid', str(m.xid), str(Number(t.get('dhcp.id'))), true);
  c('secs', str(m.secs), t.get('dhcp.secs'), true);
  c('flags_broadcast', m.flags_broadcast ? '1' : '0', t.get('dhcp.flags.bc'), true);
  c('ciaddr', m.ciaddr, t.get('dhcp.ip.client'), true);
  c('yiaddr', m.yiaddr, t.get('dhcp.ip.your'), true);
  c('siaddr', m.siaddr, t.get('dhcp.ip.server'), true);
  c('giaddr', m.giaddr, t.get('dhcp.ip.relay'), true);
  c('chaddr', m.chaddr, ethernetChaddr ? macs[0] ?? '' : t.get('dhcp.hw.addr'), true);
  c('sname', str(m.sname), t.get('dhcp.server'));
  c('file', str(m.file), t.get('dhcp.file'));
  c('magic_ok', m.magic_ok ? '1' : '0', t.get('dhcp.cookie') === '99.130.83.99' ? '1' : '0', true);

  const theirOptions = t.list('dhcp.option.type').filter((x) => x !== '0').map(Number);
  const optionsEqual = optionsAgree(m.options, theirOptions, m.option_overload !== null);
  c('options', m.options.join(','), optionsEqual ? m.options.join(',') : theirOptions.join(','), true);
  c('truncated_options', m.truncated_options ? '1' : '0', t.get('_ws.expert.message').includes('End option missing') ? '1' : '0', true);
  c('option_overload', str(m.option_overload), t.get('dhcp.option.option_overload'));
  c('msg_type', str(m.msg_type), t.get('dhcp.option.dhcp'));
  c('subnet_mask', str(m.subnet_mask), t.get('dhcp.option.subnet_mask'));
  c('routers', (m.routers ?? []).join(','), t.get('dhcp.option.router'));
  c('dns_servers', (m.dns_servers ?? []).join(','), t.get('dhcp.option.domain_name_server'));
  c('hostname', str(m.hostname), t.get('dhcp.option.hostname'));
  c('domain_name', str(m.domain_name), t.get('dhcp.option.domain_name'));
  c('ntp_servers', (m.ntp_servers ?? []).join(','), t.get('dhcp.option.ntp_server'));
  c('vendor_specific', str(m.vendor_specific), tsharkOptionValue(t, 43));
  c('requested_addr', str(m.requested_addr), t.get('dhcp.option.requested_ip_address'));
  c('lease_time', str(m.lease_time), t.get('dhcp.option.ip_address_lease_time'));
  c('server_id', str(m.server_id), t.get('dhcp.option.dhcp_server_id'));
  c('param_list', (m.param_list ?? []).join(','), t.get('dhcp.option.request_list_item'));
  c('max_msg_size', str(m.max_msg_size), t.get('dhcp.option.dhcp_max_message_size'));
  c('renewal_time', str(m.renewal_time), t.get('dhcp.option.renewal_time_value'));
  c('rebinding_time', str(m.rebinding_time), t.get('dhcp.option.rebinding_time_value'));
  c('vendor_class', str(m.vendor_class), t.get('dhcp.option.vendor_class_id'));
  c('client_id', m.client_id ? hexByte(m.client_id.type) + m.client_id.value : '', tsharkOptionValue(t, 61));
  c('client_id_mac', str(m.client_id_mac), (ethernetChaddr ? macs[1] : macs[0]) ?? '');
  const ucData = t.list('dhcp.option.user_class.data').map(hexText);
  const ucText = t.get('dhcp.option.user_class.text');
  c('user_class', (m.user_class ?? []).join('\u0001'), ucData.length > 0 ? ucData.join('\u0001') : ucText);
  c('client_fqdn.flags', m.client_fqdn ? str(m.client_fqdn.flags) : '', t.get('dhcp.fqdn.flags') === '' ? '' : str(parseInt(t.get('dhcp.fqdn.flags'), 16)));
  c('client_fqdn.name', str(m.client_fqdn?.name), t.get('dhcp.fqdn.name'));
  c('relay_agent.circuit_id', str(m.relay_agent?.circuit_id), t.get('dhcp.option.agent_information_option.agent_circuit_id'));
  c('relay_agent.remote_id', str(m.relay_agent?.remote_id), t.get('dhcp.option.agent_information_option.agent_remote_id'));
  c('domain_search', (m.domain_search ?? []).join(','), t.get('dhcp.option.dhcp_dns_domain_search_list_fqdn'));
}

/** Reads a capture; returns frame number → parse result of the DHCP datagram in it (if any). */
function parseCapture(path: string): { dhcp: Map<number, ReturnType<typeof parseDhcp>>; fragments: Set<number> } {
  const src = singleSource(openFileSource(path));
  const outer = new DecodedPacket();
  const inner = new DecodedPacket();
  const dhcp = new Map<number, ReturnType<typeof parseDhcp>>();
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
      if (p.srcPort !== 67 && p.srcPort !== 68 && p.dstPort !== 67 && p.dstPort !== 68) continue;
      if (p.isFragment) {
        fragments.add(frame);
        continue;
      }
      dhcp.set(frame, parseDhcp(p.pktBuf, p.payloadOff, p.payloadLen));
    }
  } finally {
    src.close();
  }
  return { dhcp, fragments };
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkDhcp();
const accessor = frameAccessor(doc);
const root = corpusRoot();
const started = Date.now();

for (const [rel, cap] of Object.entries(doc.captures)) {
  const path = join(root, rel);
  test(`dhcp vs tshark: ${rel}`, { skip: existsSync(path) ? false : 'capture missing from ../shared/corpus' }, () => {
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.equal(sha, cap.sha256, `${rel} changed since tshark-dhcp.json was made: regenerate it (test/conformance/dhcp/README.md)`);
    captures++;
    const { dhcp, fragments } = parseCapture(path);
    for (const [num, row] of Object.entries(cap.frames)) {
      const frame = Number(num);
      const t = accessor(row);
      frameTally.tshark++;
      const r = dhcp.get(frame);
      if (r === undefined) {
        const reason = t.list('udp.srcport').length > 1 ? 'undecoded-tunnel' : fragments.has(frame) ? 'ip-fragment' : null;
        if (reason !== null && reason in MISSING_REASONS) frameTally.missing.set(reason, (frameTally.missing.get(reason) ?? 0) + 1);
        else frameTally.missingUnexplained.push(`${rel} frame ${frame}${reason ? ` (${reason})` : ''}`);
        continue;
      }
      if (!r.ok) {
        frameTally.parseErrors.push(`${rel} frame ${frame}: ${r.error}`);
        continue;
      }
      frameTally.matched++;
      compareFrame(rel, frame, r.value, t);
    }
    for (const [frame, r] of dhcp) {
      if (cap.frames[String(frame)] === undefined) {
        frameTally.extra++;
        frameTally.extraDetail.push(`${rel} frame ${frame}: ${r.ok ? 'parsed' : r.error}`);
      }
    }
  });
}

test('dhcp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  assert.ok(captures > 0, 'no capture compared');
  assert.deepEqual(frameTally.parseErrors, [], 'tshark DHCP frames medtap failed to parse');
  assert.deepEqual(frameTally.missingUnexplained, [], 'tshark DHCP frames medtap did not find');
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
    `dhcp vs tshark: ${captures} captures, ${frameTally.tshark} tshark DHCP frames, ${frameTally.matched} compared, ` +
      `${[...frameTally.missing].map(([k, n]) => `${n} not reached (${k})`).join(', ') || '0 not reached'}, ` +
      `${frameTally.extra} UDP 67/68 datagrams tshark does not call DHCP, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const width = Math.max(...[...tally.keys()].map((k) => k.length));
  for (const [name, t] of tally) {
    const known = [...t.known].map(([k, n]) => `, ${n} known (${k})`).join('');
    lines.push(`  ${name.padEnd(width)}  ${t.equal}/${t.compared} equal (${pct(t.equal, t.compared)})${known}`);
  }
  for (const u of unexplained.slice(0, 20)) lines.push(`  UNEXPLAINED ${u}`);
  for (const u of frameTally.missingUnexplained.slice(0, 20)) lines.push(`  MISSING ${u}`);
  for (const u of frameTally.parseErrors.slice(0, 20)) lines.push(`  PARSE ERROR ${u}`);
  for (const u of frameTally.extraDetail.slice(0, 20)) lines.push(`  EXTRA ${u}`);
  process.stdout.write(`${lines.join('\n')}\n`);
});
