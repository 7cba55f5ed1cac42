/**
 * Conformance: src/protocols/dhcpv6/parser.ts against tshark 4.0's DHCPv6 dissector, field by field, over every
 * DHCPv6 frame of every capture in ../shared/corpus that holds DHCPv6 (tshark-dhcpv6.json, from
 * scripts/make-dhcpv6-baselines.ts).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 546 or 547 on either side is parsed with parseDhcpv6, keyed by its 1-based
 * frame number, and compared with tshark's values for the same frame. A field counts as compared on a frame when
 * either side has a value (header fields always do). Every field must agree on ≥ 99 % of its comparisons and every
 * difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - tshark shows a relayed message inside its relay, and options nested in options (IA Address in IA_NA, status code
 *   in IA Address, …) in place: its occurrence lists are in wire order over every level. medtap keeps one record per
 *   level (relays, the message, its IAs, their entries); the test walks that record in wire order (flattenOptions)
 *   and compares the resulting lists.
 * - msg_type: tshark lists every level's type (relays first); medtap's relays' types followed by the message's.
 * - tshark prints the transaction id as 0x + 6 hex digits, the IAID as 8 hex digits, the elapsed time in
 *   milliseconds (medtap keeps the wire's hundredths of a second), the DUID-LLT time as an absolute date (medtap:
 *   seconds since 2000-01-01 UTC), FQDN flags as 0x + 2 hex digits, and user class data as hex.
 * - tshark writes a complete name (ended by the root label: client FQDN, domain list) with a trailing "." and a
 *   partial one without; medtap keeps names without the dot, and says which a client FQDN is in `complete`.
 * - DUID parts are compared per DUID type (tshark has one field per type: duidllt.*, duidll.*, duiden.*, duiduuid.*).
 */
import { type Dhcpv6Duid, type Dhcpv6Ia, type Dhcpv6IaEntry, type Dhcpv6Message, parseDhcpv6 } from '../../../src/protocols/dhcpv6/parser.js';
import { loadAggregatedBaseline, type TsharkFrame, testUdpSuiteAgainstTshark, udpMissingReasons } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: Dhcpv6Message;
  t: TsharkFrame;
}

/** Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};


// ---------------------------------------------------------------------------------------------------------------

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, udpMissingReasons('DHCPv6'));

const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');

/** Seconds from the Unix epoch to the DUID-LLT epoch, 2000-01-01 00:00 UTC (RFC 8415 §11.2). */
const DUID_EPOCH = 946_684_800;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A DUID-LLT time as tshark prints it ("Jan  2, 2015 21:52:08.000000000 UTC"). */
function duidTime(secs: number): string {
  const d = new Date((secs + DUID_EPOCH) * 1000);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[d.getUTCMonth()]} ${day}, ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)}.000000000 UTC`;
}

/** What a status code option sets: the message, an IA or an IA entry. */
type StatusOwner = { status_code: number | null; status_message: string | null };

/** One step of the wire-order walk: an option code, the record it sits in, and for IAs and entries the record it opens. */
interface Step {
  code: number;
  owner: StatusOwner | null;
  ia?: Dhcpv6Ia;
  entry?: Dhcpv6IaEntry;
}

/**
 * medtap's record walked in wire order, as tshark lists option occurrences: each relay's options with the relayed
 * message's options in place of option 9, and each IA's and IA entry's sub-options right after it.
 */
function flattenOptions(m: Dhcpv6Message): Step[] {
  const out: Step[] = [];
  const queues: Record<number, Dhcpv6Ia[]> = { 3: [...m.ia_na], 4: [...m.ia_ta], 25: [...m.ia_pd] };
  const iaSteps = (ia: Dhcpv6Ia): void => {
    const entries = [...ia.entries];
    for (const sub of ia.options) {
      const entry = sub === 5 || sub === 26 ? entries.shift() : undefined;
      out.push(entry ? { code: sub, owner: ia, entry } : { code: sub, owner: ia });
      if (entry) for (const code of entry.options) out.push({ code, owner: entry });
    }
  };
  const message = (): void => {
    for (const code of m.options) {
      const ia = queues[code]?.shift();
      out.push(ia ? { code, owner: m, ia } : { code, owner: m });
      if (ia) iaSteps(ia);
    }
  };
  const relay = (i: number): void => {
    if (i >= m.relays.length) { message(); return; }
    for (const code of m.relays[i]!.options) {
      out.push({ code, owner: null });
      if (code === 9) relay(i + 1);
    }
  };
  relay(0);
  return out;
}

/** The DUIDs of the message in wire order (options 1 and 2). */
function duids(m: Dhcpv6Message): Dhcpv6Duid[] {
  const out: Dhcpv6Duid[] = [];
  for (const code of m.options) {
    const d = code === 1 ? m.client_id : code === 2 ? m.server_id : null;
    if (d) out.push(d);
  }
  return out;
}

type Compare = (name: string, ours: string, theirs: string, always?: boolean) => void;

function compareDuids(c: Compare, m: Dhcpv6Message, t: TsharkFrame): void {
  const ds = duids(m);
  const list = (f: (d: Dhcpv6Duid) => string | null): string => ds.map(f).filter((x): x is string => x !== null).join(',');
  const theirs = (field: string): string => t.list(field).join(',');
  c('duid', list((d) => d.duid), theirs('dhcpv6.duid.bytes'));
  c('duid.type', list((d) => str(d.type)), theirs('dhcpv6.duid.type'));
  const ofType = (type: number, f: (d: Dhcpv6Duid) => string | null): string => list((d) => (d.type === type ? f(d) : null));
  /** Two per-type lists as one value ('' when both are empty, so the field is not counted). */
  const pair = (a: string, b: string): string => (a === '' && b === '' ? '' : `${a};${b}`);
  c('duid.hw_type', pair(ofType(1, (d) => str(d.hw_type)), ofType(3, (d) => str(d.hw_type))),
    pair(theirs('dhcpv6.duidllt.hwtype'), theirs('dhcpv6.duidll.hwtype')));
  c('duid.time', list((d) => (d.time === null ? null : duidTime(d.time))), theirs('dhcpv6.duidllt.time'));
  c('duid.link_layer_address', pair(ofType(1, (d) => d.link_layer_address), ofType(3, (d) => d.link_layer_address)),
    pair(theirs('dhcpv6.duidllt.link_layer_addr'), theirs('dhcpv6.duidll.link_layer_addr')));
  c('duid.enterprise', list((d) => (d.enterprise === null ? null : str(d.enterprise))), theirs('dhcpv6.duiden.enterprise'));
  c('duid.identifier', pair(ofType(2, (d) => d.identifier), ofType(4, (d) => d.identifier)),
    pair(theirs('dhcpv6.duiden.identifier'), theirs('dhcpv6.duiduuid.bytes')));
}

function compareIas(c: Compare, steps: Step[], t: TsharkFrame): void {
  const ias = steps.filter((s) => s.ia).map((s) => ({ code: s.code, ia: s.ia! }));
  const entries = steps.filter((s) => s.entry).map((s) => ({ code: s.code, e: s.entry! }));
  const j = (a: (string | number | null)[]): string => a.map(str).join(',');
  const theirs = (field: string): string => t.list(field).join(',');
  c('ia.iaid', j(ias.filter((x) => x.code !== 4).map((x) => hex(x.ia.iaid, 8))), theirs('dhcpv6.iaid'));
  c('ia_ta.iaid', j(ias.filter((x) => x.code === 4).map((x) => hex(x.ia.iaid, 8))), theirs('dhcpv6.iata'));
  c('ia.t1', j(ias.filter((x) => x.code !== 4).map((x) => x.ia.t1)), theirs('dhcpv6.iaid.t1'));
  c('ia.t2', j(ias.filter((x) => x.code !== 4).map((x) => x.ia.t2)), theirs('dhcpv6.iaid.t2'));
  const addrs = entries.filter((x) => x.code === 5).map((x) => x.e);
  const prefixes = entries.filter((x) => x.code === 26).map((x) => x.e);
  c('ia_address.address', j(addrs.map((e) => e.address)), theirs('dhcpv6.iaaddr.ip'));
  c('ia_address.preferred_lifetime', j(addrs.map((e) => e.preferred_lifetime)), theirs('dhcpv6.iaaddr.pref_lifetime'));
  c('ia_address.valid_lifetime', j(addrs.map((e) => e.valid_lifetime)), theirs('dhcpv6.iaaddr.valid_lifetime'));
  c('ia_prefix.prefix', j(prefixes.map((e) => e.address)),
    t.list('dhcpv6.iaprefix.pref_addr').map((a, i) => `${a}/${t.list('dhcpv6.iaprefix.pref_len')[i] ?? ''}`).join(','));
  c('ia_prefix.preferred_lifetime', j(prefixes.map((e) => e.preferred_lifetime)), theirs('dhcpv6.iaprefix.pref_lifetime'));
  c('ia_prefix.valid_lifetime', j(prefixes.map((e) => e.valid_lifetime)), theirs('dhcpv6.iaprefix.valid_lifetime'));
}

/** Status codes and messages in wire order: message level, IA level and IA entry level. */
function statuses(steps: Step[]): { codes: string; messages: string } {
  const st = steps.filter((s) => s.code === 13).map((s) => s.owner);
  return {
    codes: st.map((o) => str(o?.status_code)).join('\u001f'),
    messages: st.map((o) => o?.status_message ?? '').filter((x) => x !== '').join('\u001f'),
  };
}

function compareFrame(capture: string, frame: number, m: Dhcpv6Message, t: TsharkFrame): void {
  const ctx = { capture, frame, ours: m, t };
  const c: Compare = (name, ours, theirs, always = false) => agreement.compare(name, ours, theirs, ctx, always);
  const theirs = (field: string, sep = ','): string => t.list(field).join(sep);
  c('msg_type', [...m.relays.map((r) => r.msg_type), m.msg_type].join(','), theirs('dhcpv6.msgtype'), true);
  c('relay.hop_count', m.relays.map((r) => r.hop_count).join(','), theirs('dhcpv6.hopcount'));
  c('relay.link_address', m.relays.map((r) => r.link_address).join(','), theirs('dhcpv6.linkaddr'));
  c('relay.peer_address', m.relays.map((r) => r.peer_address).join(','), theirs('dhcpv6.peeraddr'));
  c('relay.interface_id', m.relays.map((r) => r.interface_id ?? '').filter((x) => x !== '').join(','), theirs('dhcpv6.interface_id'));
  c('transaction_id', m.transaction_id === null ? '' : `0x${hex(m.transaction_id, 6)}`, theirs('dhcpv6.xid'));
  const steps = flattenOptions(m);
  c('options', steps.map((s) => s.code).join(','), theirs('dhcpv6.option.type'), true);
  compareDuids(c, m, t);
  compareIas(c, steps, t);
  c('oro', (m.oro ?? []).join(','), theirs('dhcpv6.requested_option_code'));
  c('preference', str(m.preference), t.get('dhcpv6.option_preference'));
  c('elapsed_time', m.elapsed_time === null ? '' : str(m.elapsed_time * 10), t.get('dhcpv6.elapsed_time'));
  const st = statuses(steps);
  c('status_code', st.codes, theirs('dhcpv6.status_code', '\u001f'));
  c('status_message', st.messages, theirs('dhcpv6.status_msg', '\u001f'));
  c('rapid_commit', m.rapid_commit ? '1' : '', steps.some((s) => s.code === 14) ? '1' : '');
  c('user_class', (m.user_class ?? []).join('\u001f'), t.list('dhcpv6.userclass.opaque_data').map((h) => Buffer.from(h, 'hex').toString('latin1')).join('\u001f'));
  c('vendor_class.enterprise', m.vendor_class.map((v) => v.enterprise).join(','), theirs('dhcpv6.vendorclass.enterprise'));
  c('vendor_class.data', m.vendor_class.flatMap((v) => v.data).join('\u001f'), theirs('dhcpv6.vendorclass.data', '\u001f'));
  c('vendor_opts.enterprise', m.vendor_opts.map((v) => v.enterprise).join(','), theirs('dhcpv6.vendoropts.enterprise'));
  c('vendor_opts.suboptions', m.vendor_opts.flatMap((v) => v.suboptions).join(','), theirs('dhcpv6.vendoropts.enterprise.option_code'));
  c('client_fqdn.flags', m.client_fqdn ? `0x${hex(m.client_fqdn.flags, 2)}` : '', t.get('dhcpv6.client_fqdn_flags'));
  c('client_fqdn.name', m.client_fqdn ? m.client_fqdn.name + (m.client_fqdn.complete ? '.' : '') : '', t.get('dhcpv6.client_domain'));
  c('dns_servers', (m.dns_servers ?? []).join(','), theirs('dhcpv6.dns_server'));
  c('domain_list', (m.domain_list ?? []).map((n) => `${n}.`).join(','), theirs('dhcpv6.search_list_entry'));
  c('mud_url', str(m.mud_url), t.get('dhcpv6.mudurl'));
}

// ---------------------------------------------------------------------------------------------------------------

const { captures, accessor } = loadAggregatedBaseline('dhcpv6', 'tshark-dhcpv6.json');

testUdpSuiteAgainstTshark({
  title: 'dhcpv6 vs tshark',
  protocol: 'DHCPv6',
  baselineName: 'tshark-dhcpv6.json',
  readme: 'test/conformance/dhcpv6/README.md',
  captures,
  accessor,
  ports: [546, 547],
  parse: parseDhcpv6,
  agreement,
  compare: compareFrame,
  describe: (v) => `parsed, type ${v.msg_type}`,
});
