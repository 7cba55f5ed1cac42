/**
 * Conformance: src/protocols/snmp/parser.ts against Zeek's SNMP analyzer, on the corpus captures Zeek's own tests run
 * on (snmp/zeek__*.pcap), using Zeek's checked-in test outputs in ../shared/corpus/baselines/zeek (zeek-snmp.ts):
 * - the event dumps of scripts.base.protocols.snmp.v1 / v2 / v3: Zeek's i-th SNMP event is compared with medtap's
 *   i-th parsed datagram of the capture, field by field (PDU type, community, request-id, error status and index,
 *   bulk parameters, Trap-PDU fields, each binding's OID, tag and value, and the v3 header and USM parameters);
 * - snmp.log of the v3 test (version, per-session binding counts, the `community` column);
 * - the IpAddress values printed by scripts.base.protocols.snmp.snmp-addr for every response binding.
 *
 * Normalisations: the PDU is compared as the event label snmp-test.zeek prints (ZEEK_EVENT_LABELS: it labels
 * GetNextRequest events `snmp_get_request`); Zeek prints NULL-like values as `<unspecified>`, `<no such object>`, …
 * (read as ''), octet strings with `\xNN` escapes
 * (undone, then rendered by the parser's renderOctetString rule), engine IDs as escaped octets (compared as hex),
 * flags in decimal. The community is compared redacted (a well-known default as sent, else `<other>`) and by length;
 * a community Zeek prints is read here and never written anywhere. Zeek's v3 test script logs the USM user name in
 * snmp.log's `community` column, so for a v3 session it is compared with the user name medtap decoded.
 *
 * v1 out2 (snmpv1_get_short.pcap) is not in the corpus and is not compared.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OTHER_COMMUNITY, parseSnmp, renderOctetString, SNMP_WELL_KNOWN_COMMUNITIES, type SnmpMessage } from '../../../src/protocols/snmp/parser.js';
import { decodeWireText } from '../../../src/protocols/wire-text.js';
import { corpusRoot, readUdpFrames } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite } from '../field-agreement.js';
import { readZeekLog, readZeekSnmpEvents, readZeekStdout, type ZeekSnmpEvent, zeekBytes, zeekRecordValue } from './zeek-snmp.js';

/** Zeek's baseline files for each corpus capture (paths under baselines/zeek). */
const ZEEK_BASELINES: Record<string, { events?: string; log?: string; addresses?: string }> = {
  'snmp/zeek__snmpv1_get.pcap': { events: 'scripts.base.protocols.snmp.v1/out1' },
  'snmp/zeek__snmpv1_set.pcap': { events: 'scripts.base.protocols.snmp.v1/out3' },
  'snmp/zeek__snmpv1_trap.pcap': { events: 'scripts.base.protocols.snmp.v1/out4' },
  'snmp/zeek__snmpv2_get.pcap': { events: 'scripts.base.protocols.snmp.v2/out1' },
  'snmp/zeek__snmpv2_get_bulk.pcap': { events: 'scripts.base.protocols.snmp.v2/out2' },
  'snmp/zeek__snmpv2_get_next.pcap': { events: 'scripts.base.protocols.snmp.v2/out3' },
  'snmp/zeek__snmpv3_get_next.pcap': { events: 'scripts.base.protocols.snmp.v3/out1', log: 'scripts.base.protocols.snmp.v3/snmp.log' },
  'snmp/zeek__snmpwalk-short.pcap': { addresses: 'scripts.base.protocols.snmp.snmp-addr/.stdout' },
};

/**
 * The event name testing/scripts/snmp-test.zeek prints for each of our PDU names (null: an encrypted PDU). The script
 * prints `snmp_get_request` for GetNextRequest events too (its snmp_get_next_request handler reuses that label), so
 * GetRequest and GetNextRequest compare as one; the tshark suite tells them apart.
 */
const ZEEK_EVENT_LABELS: Readonly<Record<string, string>> = {
  get_request: 'snmp_get_request',
  get_next_request: 'snmp_get_request',
  response: 'snmp_response',
  set_request: 'snmp_set_request',
  trap: 'snmp_trap',
  get_bulk_request: 'snmp_get_bulk_request',
  inform_request: 'snmp_inform_request',
  snmpv2_trap: 'snmp_trapv2',
  report: 'snmp_report',
};
/** The label of an encrypted PDU. */
const ZEEK_ENCRYPTED_LABEL = 'snmp_encrypted_pdu';
/** What snmp-test.zeek prints for NULL and the exceptions (RFC 3416 §3), compared as ''. */
const ZEEK_EMPTY_VALUES = new Set(['<unspecified>', '<no such object>', '<no such instance>', '<end of mib view>']);

/** Zeek's snmp.log version names (main.zeek version_map). */
const ZEEK_VERSIONS: Readonly<Record<number, string>> = { 0: '1', 1: '2c', 3: '3' };

const agreement = new FieldAgreement<FrameSite>({}, {}, 'zeek');
const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The community as the parser records it: a well-known default as sent, else `<other>`. */
function redacted(community: Buffer): string {
  return SNMP_WELL_KNOWN_COMMUNITIES.find((w) => Buffer.from(w, 'latin1').equals(community)) ?? OTHER_COMMUNITY;
}

/** A Zeek binding value in our rendering. */
function zeekValue(tag: number, value: string): string {
  if (ZEEK_EMPTY_VALUES.has(value)) return '';
  if (tag !== 0x04) return value;
  const b = zeekBytes(value);
  return renderOctetString(b, 0, b.length).value;
}

/** Compares the v3 header record of a Zeek event with ours. */
function compareV3(c: (name: string, ours: string, theirs: string) => void, m: SnmpMessage, h: string): void {
  const hex = (s: string): string => zeekBytes(s).toString('hex');
  const text = (s: string): string => { const b = zeekBytes(s); return decodeWireText(b, 0, b.length); };
  c('msg_id', str(m.msg_id), zeekRecordValue(h, 'id', ', max_size='));
  c('msg_max_size', str(m.msg_max_size), zeekRecordValue(h, 'max_size', ', flags='));
  c('msg_flags', str(m.msg_flags), zeekRecordValue(h, 'flags', ', auth_flag='));
  c('security_model', str(m.security_model), zeekRecordValue(h, 'security_model', ', security_params='));
  c('context_engine_id', str(m.context_engine_id), hex(zeekRecordValue(h, 'engine_id', ', name=')));
  c('context_name', str(m.context_name), text(zeekRecordValue(h, 'name', '], user_security_parameters=')));
  c('engine_id', str(m.engine_id), hex(zeekRecordValue(h, 'AuthoritativeEngineID', ', AuthoritativeEngineBoots=')));
  c('engine_boots', str(m.engine_boots), zeekRecordValue(h, 'AuthoritativeEngineBoots', ', AuthoritativeEngineTime='));
  c('engine_time', str(m.engine_time), zeekRecordValue(h, 'AuthoritativeEngineTime', ', UserName='));
  c('user_name', str(m.user_name), text(zeekRecordValue(h, 'UserName', ', AuthenticationParameters=')));
}

/** Compares one Zeek event with our parse of the same datagram. */
function compareEvent(site: FrameSite, m: SnmpMessage, e: ZeekSnmpEvent): void {
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, site, always);
  c('pdu', m.pdu === null ? (m.encrypted ? ZEEK_ENCRYPTED_LABEL : '') : ZEEK_EVENT_LABELS[m.pdu]!, e.name, true);
  if (e.header.startsWith('community=')) {
    const community = zeekBytes(e.header.slice('community='.length));
    c('community', str(m.community), redacted(community), true);
    c('community_length', str(m.community_length), String(community.length), true);
  } else compareV3(c, m, e.header);
  const f = (k: string): string => e.fields.get(k) ?? '';
  c('request_id', str(m.request_id), f('request_id'));
  c('error_status', str(m.error_status), f('error_stat'));
  c('error_index', str(m.error_index), f('error_idx'));
  c('non_repeaters', str(m.non_repeaters), f('non_repeaters'));
  c('max_repetitions', str(m.max_repetitions), f('max_repetitions'));
  c('enterprise', str(m.enterprise), f('enterprise'));
  c('agent_addr', str(m.agent_addr), f('agent'));
  c('generic_trap', str(m.generic_trap), f('generic_trap'));
  c('specific_trap', str(m.specific_trap), f('specific_trap'));
  c('time_stamp', str(m.time_stamp), f('time_stamp'));
  const join = (a: string[]): string => a.join('\u001f');
  c('binding_oids', join(m.varbinds.map((v) => v.oid)), join(e.bindings.map((b) => b.oid)));
  c('binding_tags', join(m.varbinds.map((v) => v.tag.toString(16))), join(e.bindings.map((b) => b.tag.toString(16))));
  c('binding_values', join(m.varbinds.map((v) => str(v.value))), join(e.bindings.map((b) => zeekValue(b.tag, b.value))));
}

/** Compares snmp.log (one session per capture here) with the session's messages. */
function compareLog(capture: string, msgs: [number, SnmpMessage][], row: Map<string, string>): void {
  const site = { capture, frame: msgs[0]![0] };
  const c = (name: string, ours: string, theirs: string): void => agreement.compare(`log.${name}`, ours, theirs, site, true);
  const first = msgs[0]![1];
  c('version', ZEEK_VERSIONS[first.version] ?? 'unknown', row.get('version') ?? '');
  const count = (...pdus: string[]): string => String(msgs.reduce((n, [, m]) => n + (pdus.includes(m.pdu ?? '') ? m.varbinds.length : 0), 0));
  c('get_requests', count('get_request', 'get_next_request'), row.get('get_requests') ?? '');
  c('get_bulk_requests', count('get_bulk_request'), row.get('get_bulk_requests') ?? '');
  c('get_responses', count('response'), row.get('get_responses') ?? '');
  c('set_requests', count('set_request'), row.get('set_requests') ?? '');
  const users = [...new Set(msgs.map(([, m]) => m.user_name).filter((u) => u))];
  c('community', first.version === 3 ? users.join(',') : str(first.community), first.version === 3 ? row.get('community') ?? '' : redacted(zeekBytes(row.get('community') ?? '')));
}

/** Compares the IpAddress values of every response binding, in order, with snmp-addr's output. */
function compareAddresses(capture: string, msgs: [number, SnmpMessage][], lines: string[]): void {
  const ours = msgs.flatMap(([, m]) => (m.pdu === 'response' ? m.varbinds.filter((v) => v.type === 'ip_address').map((v) => str(v.value)) : []));
  agreement.compare('response_ip_addresses', ours.join(','), lines.join(','), { capture, frame: msgs[0]![0] }, true);
}

// ---------------------------------------------------------------------------------------------------------------

const zeekRoot = join(corpusRoot(), 'baselines', 'zeek');

for (const [capture, files] of Object.entries(ZEEK_BASELINES)) {
  const path = join(corpusRoot(), capture);
  const present = existsSync(path) && Object.values(files).every((f) => existsSync(join(zeekRoot, f)));
  test(`snmp vs zeek: ${capture}`, { skip: present ? false : 'capture or Zeek baseline missing from ../shared/corpus' }, () => {
    agreement.captures++;
    const { parsed } = readUdpFrames(path, [161, 162], (p) => parseSnmp(p.pktBuf, p.payloadOff, p.payloadLen));
    const msgs: [number, SnmpMessage][] = [];
    for (const [frame, r] of parsed) {
      if (r.ok) msgs.push([frame, r.value]);
      else agreement.parseErrors.push(`${capture} frame ${frame}: ${r.error}`);
    }
    if (files.events) {
      const events = readZeekSnmpEvents(join(zeekRoot, files.events));
      agreement.tsharkFrames += events.length;
      assert.equal(msgs.length, events.length, `${capture}: ${msgs.length} SNMP datagrams, ${events.length} Zeek events`);
      events.forEach((e, i) => {
        agreement.matched++;
        compareEvent({ capture, frame: msgs[i]![0] }, msgs[i]![1], e);
      });
    }
    if (files.log) {
      const rows = readZeekLog(join(zeekRoot, files.log));
      assert.equal(rows.length, 1, `${files.log}: one session expected`);
      compareLog(capture, msgs, rows[0]!);
    }
    if (files.addresses) compareAddresses(capture, msgs, readZeekStdout(join(zeekRoot, files.addresses)));
  });
}

test('snmp vs zeek: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('SNMP');
});

after(() => {
  agreement.printSummary(`snmp vs zeek: ${agreement.captures} captures, ${agreement.tsharkFrames} Zeek SNMP events compared, ${agreement.elapsed()} s`);
});
