/**
 * Conformance: src/protocols/ntp/parser.ts against tshark 4.0's NTP dissector, field by field, over every NTP frame
 * of every capture in ../shared/corpus that holds NTP (tshark-ntp.json, from scripts/make-ntp-baselines.ts).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 123 on either side is parsed with parseNtp, keyed by its 1-based frame
 * number, and compared with tshark's values for the same frame. A field counts as compared on a frame when either
 * side has a value (the first byte's fields always do). Every field must agree on ≥ 99 % of its comparisons and
 * every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - tshark prints poll and precision as unsigned bytes (FT_UINT8), medtap as the signed log2 values RFC 5905 defines;
 *   tshark's value is read as a signed byte.
 * - tshark prints root delay / dispersion as the raw 32-bit value; medtap gives seconds (value / 65536).
 * - tshark prints timestamps as "May 30, 2019 20:02:36.073681418 UTC" and a zero timestamp as "NULL"; medtap as
 *   ISO-8601 with nanoseconds, null for zero. tshark's text is converted to ISO.
 * - tshark prints the key id as 8 hex digits and the digest as hex; medtap keeps the key id as a number and the MAC's
 *   length (key id included), not the digest.
 * - tshark decodes the items of some mode 7 responses (peer lists) into ntp.stratum / ntp.ppoll occurrences; the
 *   standard header fields are compared for modes 0–5 only.
 * - a mode 6 read-status response lists its (association, status) pairs as further ntp.ctrl.associd /
 *   ntp.ctrl.status occurrences after the header's; they are compared with `control.associations`.
 * - mode 6 variables: tshark shows each item as an unnamed text item (recorded from PDML as hex); an item is split at
 *   its first "=", the name and value trimmed and one pair of quotes removed from the value, as medtap does.
 */
import { type NtpMessage, parseNtp } from '../../../src/protocols/ntp/parser.js';
import { loadAggregatedBaseline, type TsharkFrame, testUdpSuiteAgainstTshark, udpMissingReasons } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: NtpMessage;
  t: TsharkFrame;
}

/** Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};


const CTRL_ITEM_COLUMN = 'pdml:ntp.ctrl.data/item';

// ---------------------------------------------------------------------------------------------------------------

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, udpMissingReasons('NTP'));

const str = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '1' : '0') : String(v);

/** tshark's unsigned byte as the signed value it encodes. */
const signedByte = (s: string): string => (s === '' ? '' : String((Number(s) << 24) >> 24));

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** tshark's absolute time ("May 30, 2019 20:02:36.073681418 UTC") as ISO-8601 with nanoseconds; "NULL" → ''. */
function tsharkTime(s: string): string {
  if (s === '' || s === 'NULL') return '';
  const m = /^([A-Z][a-z]{2}) +(\d{1,2}), (\d{4}) (\d{2}:\d{2}:\d{2})\.(\d{9}) UTC$/.exec(s);
  if (!m) return `unparsed: ${s}`;
  const month = String(MONTHS.indexOf(m[1]!) + 1).padStart(2, '0');
  return `${m[3]}-${month}-${m[2]!.padStart(2, '0')}T${m[4]}.${m[5]}Z`;
}

/** One tshark mode 6 item (hex) as "name=value" the way medtap splits it (see the file comment). */
function tsharkItem(hex: string): string {
  const text = Buffer.from(hex, 'hex').toString('latin1');
  const eq = text.indexOf('=');
  if (eq < 0) return text.trim();
  let v = text.slice(eq + 1).trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
  return `${text.slice(0, eq).trim()}=${v}`;
}

function compareStandard(c: (name: string, ours: string, theirs: string, always?: boolean) => void, m: NtpMessage, t: TsharkFrame): void {
  c('stratum', str(m.stratum), t.get('ntp.stratum'));
  c('poll', str(m.poll), signedByte(t.get('ntp.ppoll')));
  c('precision', str(m.precision), signedByte(t.get('ntp.precision')));
  c('root_delay', m.root_delay === null ? '' : str(m.root_delay * 65536), t.get('ntp.rootdelay'));
  c('root_dispersion', m.root_dispersion === null ? '' : str(m.root_dispersion * 65536), t.get('ntp.rootdispersion'));
  c('ref_id_raw', str(m.ref_id_raw), t.get('ntp.refid'));
  c('reference_time', str(m.reference_time), tsharkTime(t.get('ntp.reftime')));
  c('origin_time', str(m.origin_time), tsharkTime(t.get('ntp.org')));
  c('receive_time', str(m.receive_time), tsharkTime(t.get('ntp.rec')));
  c('transmit_time', str(m.transmit_time), tsharkTime(t.get('ntp.xmt')));
  c('extensions', m.extensions.map((e) => `${e.type}/${e.length}`).join(','),
    t.list('ntp.ext.type').map((x, i) => `${Number(x)}/${t.list('ntp.ext.length')[i] ?? ''}`).join(','));
  c('key_id', m.key_id === null ? '' : m.key_id.toString(16).padStart(8, '0'), t.get('ntp.keyid'));
  const theirMac = t.get('ntp.keyid') === '' ? '' : str(4 + t.get('ntp.mac').length / 2);
  c('mac_length', m.mac_length === 0 ? '' : str(m.mac_length), theirMac);
}

function compareFrame(capture: string, frame: number, m: NtpMessage, t: TsharkFrame): void {
  const ctx = { capture, frame, ours: m, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  c('leap', str(m.leap), m.mode === 7 ? '' : t.get('ntp.flags.li'));
  c('version', str(m.version), t.get('ntp.flags.vn'), true);
  c('mode', str(m.mode), t.get('ntp.flags.mode'), true);
  if (m.mode < 6) compareStandard(c, m, t);
  const k = m.control;
  c('control.response', str(k?.response), t.get('ntp.ctrl.flags2.r'));
  c('control.error', str(k?.error), t.get('ntp.ctrl.flags2.error'));
  c('control.more', str(k?.more), t.get('ntp.ctrl.flags2.more'));
  c('control.opcode', str(k?.opcode), t.get('ntp.ctrl.flags2.opcode'));
  c('control.sequence', str(k?.sequence), t.get('ntp.ctrl.sequence'));
  c('control.status', k ? `0x${k.status.toString(16).padStart(4, '0')}` : '', t.first('ntp.ctrl.status'));
  c('control.association_id', str(k?.association_id), t.first('ntp.ctrl.associd'));
  c('control.associations', (k?.associations ?? []).map((a) => `${a.id}/0x${a.status.toString(16).padStart(4, '0')}`).join(','),
    k?.associations ? t.list('ntp.ctrl.associd').slice(1).map((id, i) => `${id}/${t.list('ntp.ctrl.status')[i + 1] ?? ''}`).join(',') : '');
  c('control.offset', str(k?.offset), t.get('ntp.ctrl.offset'));
  c('control.count', str(k?.count), t.get('ntp.ctrl.count'));
  const items = t.list(CTRL_ITEM_COLUMN);
  const theirVars = k?.vars || k === null || !k.response ? items.map(tsharkItem).join('\n') : '';
  c('control.vars', (k?.vars ?? []).map((v) => (v.value === null ? v.name : `${v.name}=${v.value}`)).join('\n'), theirVars);
  const p = m.private;
  c('private.response', str(p?.response), t.get('ntp.priv.flags.r'));
  c('private.more', str(p?.more), t.get('ntp.priv.flags.more'));
  c('private.auth', str(p?.auth), t.get('ntp.priv.auth'));
  c('private.sequence', str(p?.sequence), t.get('ntp.priv.seq'));
  c('private.implementation', str(p?.implementation), t.get('ntp.priv.impl'));
  c('private.request_code', str(p?.request_code), t.get('ntp.priv.reqcode'));
  c('private.error', p ? `0x${p.error.toString(16).padStart(2, '0')}` : '', t.get('ntp.priv.err'));
  c('private.item_count', str(p?.item_count), t.get('ntp.priv.numitems'));
  c('private.item_size', str(p?.item_size), t.get('ntp.priv.itemsize'));
}

// ---------------------------------------------------------------------------------------------------------------

const { captures, accessor } = loadAggregatedBaseline('ntp', 'tshark-ntp.json');

testUdpSuiteAgainstTshark({
  title: 'ntp vs tshark',
  protocol: 'NTP',
  baselineName: 'tshark-ntp.json',
  readme: 'test/conformance/ntp/README.md',
  captures,
  accessor,
  ports: [123],
  parse: parseNtp,
  agreement,
  compare: compareFrame,
  describe: (v) => `parsed, mode ${v.mode}`,
});
