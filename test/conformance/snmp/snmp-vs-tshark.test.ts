/**
 * Conformance: src/protocols/snmp/parser.ts against tshark 4.0's SNMP dissector, field by field, over every SNMP
 * frame of every capture in ../shared/corpus that holds SNMP (tshark-snmp.json, from scripts/make-snmp-baselines.ts:
 * the -T fields columns, then the pdml:* columns — redacted community, its length, the varbind fields in wire order).
 *
 * Each capture is read with medtap's own reader and decoders (tunnels the decoders recognise are followed, as the
 * ingest does); a UDP datagram with port 161 or 162 on either side is parsed with parseSnmp, keyed by its 1-based
 * frame number, and compared with tshark's values for the same frame. A field counts as compared on a frame when
 * either side has a value (version always). Every field must agree on ≥ 99 % of its comparisons and every
 * difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (not differences; both sides describe the same wire bytes):
 * - the community: the baseline holds it redacted by the same rule the parser applies (a well-known default as sent,
 *   else `<other>`) with its length in octets, so no secret community is ever written to the repository;
 * - tshark prints an empty OCTET STRING field (engine ID, contextEngineID) as `<MISSING>`: read as '';
 * - `msg_flags` is compared as tshark prints it, two hex digits; `encrypted` as snmp.msgData's CHOICE index (0
 *   plaintext, 1 encryptedPDU);
 * - varbinds: tshark's PDML lists each snmp.name followed by its value field; `varbind_oids` compares the names,
 *   `varbind_types` our type against the tshark field that carries the value (VALUE_FIELDS), `varbind_values` the
 *   values: decimal numbers, dotted OIDs and addresses as tshark shows them; an OCTET STRING from tshark's octets
 *   rendered by the parser's documented rule (renderOctetString: text when displayable, else hex), so
 *   `octets_as_text` checks that rule's choice separately against tshark's own (quoted text or hex display);
 *   Opaque and unknown types as hex; NULL and the exceptions as ''.
 */
import { after, test } from 'node:test';
import { parseSnmp, renderOctetString, type SnmpMessage, type SnmpValueType } from '../../../src/protocols/snmp/parser.js';
import { join } from 'node:path';
import {
  loadTsharkFrameBaselines,
  readUdpFrames,
  repoRoot,
  testEachCapture,
  type TsharkFrame,
  tsharkFrameAccessor,
  type TsharkFrameBaselines,
  type TsharkFrameCapture,
} from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference, udpMissingReasons } from '../field-agreement.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: SnmpMessage;
  t: TsharkFrame;
}

/**
 * Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test.
 */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

/** The tshark field carrying a value of each of our types. */
export const VALUE_FIELDS: Readonly<Record<SnmpValueType, string>> = {
  integer: 'snmp.value.int',
  octet_string: 'snmp.value.octets',
  null: 'snmp.value.null',
  oid: 'snmp.value.oid',
  ip_address: 'snmp.value.ipv4',
  counter32: 'snmp.value.counter',
  gauge32: 'snmp.value.g32',
  timeticks: 'snmp.value.timeticks',
  opaque: 'snmp.value.opaque',
  nsap_address: 'snmp.value.nsap',
  counter64: 'snmp.value.counter',
  uinteger32: 'snmp.value.u32',
  no_such_object: 'snmp.noSuchObject',
  no_such_instance: 'snmp.noSuchInstance',
  end_of_mib_view: 'snmp.endOfMibView',
  unknown: 'snmp.value.unk',
};

/** tshark's OCTET STRING value field. */
const OCTETS_FIELD = VALUE_FIELDS.octet_string;

// ---------------------------------------------------------------------------------------------------------------

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, udpMissingReasons('SNMP'));

const str = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** A tshark bytes/string field, with its `<MISSING>` (empty) marker read as ''. */
function bytesField(t: TsharkFrame, field: string): string {
  const v = t.get(field);
  return v === '<MISSING>' ? '' : v;
}

/** One varbind as tshark's PDML gives it: the name and the value field with its value. */
interface TsharkVarbind {
  oid: string;
  field: string;
  value: string;
}

/** Pairs the pdml:varbind_fields tokens: each snmp.name with the value field after it ('' when none follows). */
function tsharkVarbinds(t: TsharkFrame): TsharkVarbind[] {
  const out: TsharkVarbind[] = [];
  for (const token of t.list('pdml:varbind_fields')) {
    const eq = token.indexOf('=');
    const field = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (field === 'snmp.name') out.push({ oid: value, field: '', value: '' });
    else if (out.length > 0 && out[out.length - 1]!.field === '') Object.assign(out[out.length - 1]!, { field, value });
  }
  return out;
}

/** An OCTET STRING as the baseline records it: `text:HEX` (tshark shows quoted text) or `bytes:HEX`. */
function octets(v: TsharkVarbind): { text: boolean; bytes: Buffer } {
  const colon = v.value.indexOf(':');
  return { text: v.value.slice(0, colon) === 'text', bytes: Buffer.from(v.value.slice(colon + 1), 'hex') };
}

/** tshark's value in our rendering: OCTET STRING octets through renderOctetString, the rest as tshark shows it. */
function theirValue(v: TsharkVarbind): string {
  if (v.field !== OCTETS_FIELD) return v.value;
  const { bytes } = octets(v);
  return renderOctetString(bytes, 0, bytes.length).value;
}

/**
 * Whether each non-empty OCTET STRING is text ('text') or bytes ('hex'): ours from the varbind's `hex`, tshark's from
 * how it displays the value (its own printable test). Empty strings are left out (tshark shows `<MISSING>`).
 */
function octetsAsText(m: SnmpMessage, theirs: TsharkVarbind[]): [string, string] {
  const ours = m.varbinds.filter((v) => v.type === 'octet_string' && v.value !== '').map((v) => (v.hex ? 'hex' : 'text'));
  const their = theirs.filter((v) => v.field === OCTETS_FIELD && octets(v).bytes.length > 0).map((v) => (octets(v).text ? 'text' : 'hex'));
  return [ours.join(','), their.join(',')];
}

/** Compares the PDU header and the v1 Trap-PDU fields. */
function comparePdu(c: (name: string, ours: string, theirs: string) => void, m: SnmpMessage, t: TsharkFrame): void {
  c('pdu_type', str(m.pdu_type), t.get('snmp.data'));
  c('request_id', str(m.request_id), t.get('snmp.request_id'));
  c('error_status', str(m.error_status), t.get('snmp.error_status'));
  c('error_index', str(m.error_index), t.get('snmp.error_index'));
  c('non_repeaters', str(m.non_repeaters), t.get('snmp.non_repeaters'));
  c('max_repetitions', str(m.max_repetitions), t.get('snmp.max_repetitions'));
  c('enterprise', str(m.enterprise), t.get('snmp.enterprise'));
  c('agent_addr', str(m.agent_addr), t.get('snmp.agent_addr'));
  c('generic_trap', str(m.generic_trap), t.get('snmp.generic_trap'));
  c('specific_trap', str(m.specific_trap), t.get('snmp.specific_trap'));
  c('time_stamp', str(m.time_stamp), t.get('snmp.time_stamp'));
  c('varbind_count', str(m.varbind_count), t.get('snmp.variable_bindings'));
  const theirs = tsharkVarbinds(t);
  const join = (a: string[]): string => a.join('\u001f');
  c('varbind_oids', join(m.varbinds.map((v) => v.oid)), join(theirs.map((v) => v.oid)));
  c('varbind_types', join(m.varbinds.map((v) => VALUE_FIELDS[v.type])), join(theirs.map((v) => v.field)));
  c('varbind_values', join(m.varbinds.map((v) => str(v.value))), join(theirs.map(theirValue)));
  c('octets_as_text', ...octetsAsText(m, theirs));
}

/** Compares the SNMPv3 header, USM parameters and scoped PDU fields. */
function compareV3(c: (name: string, ours: string, theirs: string) => void, m: SnmpMessage, t: TsharkFrame): void {
  c('msg_id', str(m.msg_id), t.get('snmp.msgID'));
  c('msg_max_size', str(m.msg_max_size), t.get('snmp.msgMaxSize'));
  c('msg_flags', m.msg_flags === null ? '' : m.msg_flags.toString(16).padStart(2, '0'), t.get('snmp.msgFlags'));
  c('security_model', str(m.security_model), t.get('snmp.msgSecurityModel'));
  c('engine_id', str(m.engine_id), bytesField(t, 'snmp.msgAuthoritativeEngineID'));
  c('engine_boots', str(m.engine_boots), t.get('snmp.msgAuthoritativeEngineBoots'));
  c('engine_time', str(m.engine_time), t.get('snmp.msgAuthoritativeEngineTime'));
  c('user_name', str(m.user_name), t.get('snmp.msgUserName'));
  c('encrypted', m.encrypted === null ? '' : m.encrypted ? '1' : '0', t.get('snmp.msgData'));
  c('context_engine_id', str(m.context_engine_id), bytesField(t, 'snmp.contextEngineID'));
  c('context_name', str(m.context_name), t.get('snmp.contextName'));
}

function compareFrame(capture: string, frame: number, m: SnmpMessage, t: TsharkFrame): void {
  const ctx = { capture, frame, ours: m, t };
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, ctx, always);
  c('version', str(m.version), t.get('snmp.version') || t.get('snmp.msgVersion'), true);
  c('community', str(m.community), t.get('pdml:community_redacted'));
  c('community_length', str(m.community_length), t.get('pdml:community_length'));
  comparePdu(c, m, t);
  compareV3(c, m, t);
}

// ---------------------------------------------------------------------------------------------------------------

/** tshark-snmp.json: the generic per-frame baseline, with its aggregator (U+001F). */
const doc = loadTsharkFrameBaselines<TsharkFrameBaselines<TsharkFrameCapture> & { aggregator: string }>(
  join(repoRoot(), 'test', 'conformance', 'snmp', 'tshark-snmp.json'), true, { uniqueFields: true });
const accessor = tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-snmp.json');

testEachCapture('snmp vs tshark', doc.captures, 'tshark-snmp.json', 'test/conformance/snmp/README.md', (rel, cap, path) => {
  // A UDP datagram with port 161 or 162 on either side, parsed as SNMP.
  const read = readUdpFrames(path, [161, 162], (p) => parseSnmp(p.pktBuf, p.payloadOff, p.payloadLen));
  agreement.compareCapture(rel, cap.frames, accessor, read, (frame, m, t) => compareFrame(rel, frame, m, t), (m) => m.pdu ?? 'no PDU');
});

test('snmp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('SNMP');
});

after(() => {
  agreement.printSummary(
    `snmp vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark SNMP frames, ${agreement.matched} compared, ` +
      `${agreement.notReached()}, ${agreement.extra} UDP 161/162 datagrams tshark does not call SNMP, ${agreement.elapsed()} s`,
  );
});
