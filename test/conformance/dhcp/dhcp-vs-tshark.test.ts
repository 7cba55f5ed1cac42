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
import { after, test } from 'node:test';
import { type DhcpMessage, parseDhcp } from '../../../src/protocols/dhcp/parser.js';
import { readUdpFrames, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { frameAccessor, loadTsharkDhcp, type TsharkDhcpFrame } from './tshark-dhcp.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: DhcpMessage;
  t: TsharkDhcpFrame;
}

/**
 * Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test.
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {
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

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, MISSING_REASONS);

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
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
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

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkDhcp();
const accessor = frameAccessor(doc);

testEachCapture('dhcp vs tshark', doc.captures, 'tshark-dhcp.json', 'test/conformance/dhcp/README.md', (rel, cap, path) => {
  agreement.captures++;
  // A UDP datagram with port 67 or 68 on either side, parsed as DHCP.
  const { parsed: dhcp, fragments } = readUdpFrames(path, [67, 68], (p) => parseDhcp(p.pktBuf, p.payloadOff, p.payloadLen));
  for (const [num, row] of Object.entries(cap.frames)) {
    const frame = Number(num);
    const t = accessor(row);
    agreement.tsharkFrames++;
    const r = dhcp.get(frame);
    if (r === undefined) {
      agreement.frameMissing(rel, frame, t, fragments);
      continue;
    }
    if (!r.ok) {
      agreement.parseErrors.push(`${rel} frame ${frame}: ${r.error}`);
      continue;
    }
    agreement.matched++;
    compareFrame(rel, frame, r.value, t);
  }
  agreement.extraFrames(rel, dhcp, cap.frames, (r) => (r.ok ? 'parsed' : r.error));
});

test('dhcp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('DHCP');
});

after(() => {
  agreement.printSummary(
    `dhcp vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark DHCP frames, ${agreement.matched} compared, ` +
      `${agreement.notReached()}, ` +
      `${agreement.extra} UDP 67/68 datagrams tshark does not call DHCP, ${agreement.elapsed()} s`,
  );
});
