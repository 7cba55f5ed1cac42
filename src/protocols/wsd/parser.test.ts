/**
 * Tests of the WS-Discovery parser (parser.ts), one per message of OASIS WS-Discovery 1.1 (§4.1 Hello, §4.2 Bye,
 * §5.2 Probe, §5.3 ProbeMatches, §6.1 Resolve, §6.2 ResolveMatches, §7 AppSequence) as an IEEE 11073 SDC provider
 * and consumer send them (IEEE 11073-20701-2018 §9.3 scopes, IEEE 11073-20702-2016 §5 MedicalDevice), the April 2005
 * draft used by Windows, malformed and truncated datagrams, and random mutations. Corpus-wide agreement with tshark:
 * test/conformance/wsd/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { type SdcProvider, wsdBye, wsdHello, wsdProbe, wsdProbeMatches, wsdResolve, wsdResolveMatches } from '../../synth/sdc-messages.js';
import { Prng } from '../../synth/prng.js';
import { mutate, runMutations } from '../mutation-harness.js';
import { MAX_WSD_LIST, parseSdcLocation, parseWsd, WSD_ANOMALIES, type WsdMessage } from './parser.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const parse = (s: string): WsdMessage => {
  const b = enc(s);
  const r = parseWsd(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
};

const DPWS_DEVICE = '{http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01}Device';
const MEDICAL = '{http://standards.ieee.org/downloads/11073/11073-20702-2016}MedicalDevice';
const PROVIDER: SdcProvider = {
  epr: 'urn:uuid:11111111-2222-4333-8444-555555555555',
  types: 'dpws:Device mdpws:MedicalDevice',
  scopes: [
    'sdc.ctxt.loc:/sdc.ctxt.loc.detail/H%2F%2F%2FICU%2F%2FB1?fac=H&poc=ICU&bed=B%201',
    'sdc.ctxt.pat:/sdc.ctxt.pat.detail/ZZPAT-999',
    'sdc.ctxt.opr:/sdc.ctxt.opr.detail/ZZOPR-7',
    'sdc.mds.pkp:1.2.840.10004.20701.1.1',
    'sdc.cdc.type:///69837',
  ],
  xaddrs: 'http://192.0.2.10:6464/d http://[2001:db8::10]:6464/d',
  metadataVersion: 7,
  instanceId: 1700000000,
};

test('Hello (WS-Discovery 1.1 §4.1, AppSequence §7) of an SDC provider: types resolved, scopes decoded, PHI withheld', () => {
  const m = parse(wsdHello(PROVIDER, 'urn:uuid:aaaa', 1));
  assert.equal(m.message_type, 'hello');
  assert.equal(m.wsd_version, '1.1');
  assert.equal(m.soap_version, '1.2');
  assert.equal(m.action, 'http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01/Hello');
  assert.equal(m.message_id, 'urn:uuid:aaaa');
  assert.equal(m.to, 'urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01');
  assert.deepEqual([m.app_instance_id, m.app_sequence_id, m.app_message_number], [1700000000, null, 1]);
  assert.equal(m.endpoints.length, 1);
  const e = m.endpoints[0]!;
  assert.equal(e.address, PROVIDER.epr);
  assert.deepEqual(e.types, [DPWS_DEVICE, MEDICAL]);
  assert.equal(e.types_raw, 'dpws:Device mdpws:MedicalDevice');
  assert.deepEqual(e.xaddrs, ['http://192.0.2.10:6464/d', 'http://[2001:db8::10]:6464/d']);
  assert.equal(e.metadata_version, 7);
  assert.equal(m.medical_device, true);
  // IEEE 11073-20701 §9.3: location items percent-decoded; the scope itself kept as written (with its & decoded from &amp;)
  assert.deepEqual(m.sdc_locations, [{ facility: 'H', building: null, floor: null, point_of_care: 'ICU', room: null, bed: 'B 1' }]);
  assert.ok(e.scopes.includes(PROVIDER.scopes[0]!));
  assert.deepEqual(m.sdc_key_purposes, ['1.2.840.10004.20701.1.1']);
  assert.deepEqual(m.sdc_component_types, ['///69837']);
  // patient and operator context scopes: only their kinds
  assert.deepEqual(m.phi_kinds, ['patient_context', 'operator_context']);
  assert.equal(e.scopes.length, 3);
  assert.ok(!JSON.stringify(m).includes('ZZPAT') && !JSON.stringify(m).includes('ZZOPR'));
  assert.deepEqual(m.anomalies, []);
});

test('Probe (§5.2) for the MedicalDevice type; ProbeMatches (§5.3) relate to it', () => {
  const p = parse(wsdProbe('urn:uuid:p1', 'mdpws:MedicalDevice'));
  assert.equal(p.message_type, 'probe');
  assert.deepEqual(p.probe_types, [MEDICAL]);
  assert.equal(p.probe_types_raw, 'mdpws:MedicalDevice');
  assert.equal(p.medical_device, true);
  assert.deepEqual(p.endpoints, []);
  const pm = parse(wsdProbeMatches(PROVIDER, 'urn:uuid:pm1', 'urn:uuid:p1', 2));
  assert.equal(pm.message_type, 'probe_matches');
  assert.equal(pm.relates_to, 'urn:uuid:p1');
  assert.equal(pm.to, 'http://www.w3.org/2005/08/addressing/anonymous');
  assert.equal(pm.endpoints[0]!.address, PROVIDER.epr);
  assert.equal(pm.app_message_number, 2);
});

test('Resolve (§6.1) names the endpoint; ResolveMatches (§6.2) describe it; Bye (§4.2)', () => {
  const r = parse(wsdResolve('urn:uuid:r1', PROVIDER.epr));
  assert.equal(r.message_type, 'resolve');
  assert.equal(r.endpoints[0]!.address, PROVIDER.epr);
  const rm = parse(wsdResolveMatches(PROVIDER, 'urn:uuid:rm1', 'urn:uuid:r1', 3));
  assert.equal(rm.message_type, 'resolve_matches');
  assert.deepEqual(rm.endpoints[0]!.xaddrs.length, 2);
  const b = parse(wsdBye(PROVIDER, 'urn:uuid:b1', 4));
  assert.equal(b.message_type, 'bye');
  assert.equal(b.endpoints[0]!.address, PROVIDER.epr);
  assert.deepEqual(b.anomalies, []);
});

/** A Hello in the April 2005 draft's namespaces (WS-Addressing 2004/08, DPWS 2006/02) as Windows' WSD stack sends it. */
const HELLO_2005 = '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" ' +
  'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:wsd="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
  'xmlns:wsdp="http://schemas.xmlsoap.org/ws/2006/02/devprof" xmlns:pub="http://schemas.microsoft.com/windows/pub/2005/07">' +
  '<soap:Header><wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Hello</wsa:Action>' +
  '<wsa:MessageID>urn:uuid:m</wsa:MessageID><wsd:AppSequence InstanceId="12" SequenceId="urn:uuid:s" MessageNumber="5"></wsd:AppSequence></soap:Header>' +
  '<soap:Body><wsd:Hello><wsa:EndpointReference><wsa:Address>urn:uuid:e</wsa:Address></wsa:EndpointReference>' +
  '<wsd:Types>wsdp:Device pub:Computer</wsd:Types><wsd:MetadataVersion>2</wsd:MetadataVersion></wsd:Hello></soap:Body></soap:Envelope>';

test('the April 2005 draft (Windows WSD): same messages in the older namespaces', () => {
  const m = parse(HELLO_2005);
  assert.equal(m.wsd_version, '2005');
  assert.equal(m.message_type, 'hello');
  assert.deepEqual([m.app_instance_id, m.app_sequence_id, m.app_message_number], [12, 'urn:uuid:s', 5]);
  assert.deepEqual(m.endpoints[0]!.types, ['{http://schemas.xmlsoap.org/ws/2006/02/devprof}Device', '{http://schemas.microsoft.com/windows/pub/2005/07}Computer']);
  assert.equal(m.medical_device, false);
  assert.deepEqual(m.anomalies, []);
});

test('malformed: not a SOAP envelope fails; other faults are anomalies', () => {
  const fail = (s: string): string => { const b = enc(s); const r = parseWsd(b, 0, b.length); assert.ok(!r.ok); return r.error; };
  assert.equal(fail('M-SEARCH * HTTP/1.1\r\n\r\n'), 'not_soap_envelope');
  assert.equal(fail('<Envelope/>'), 'not_soap_envelope'); // no SOAP namespace
  const noHeader = parse('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>');
  assert.deepEqual(noHeader.anomalies, ['missing_header']);
  assert.equal(noHeader.message_type, 'other');
  const mismatch = parse(HELLO_2005.replace('2005/04/discovery/Hello<', '2005/04/discovery/Bye<'));
  assert.ok(mismatch.anomalies.includes('action_mismatch:http://schemas.xmlsoap.org/ws/2005/04/discovery/Bye'));
  const badSeq = parse(HELLO_2005.replace('InstanceId="12"', 'InstanceId="-1"'));
  assert.deepEqual([badSeq.app_instance_id, badSeq.anomalies], [null, ['bad_number:InstanceId']]);
  const undeclared = parse(HELLO_2005.replace('wsdp:Device pub:Computer', 'zz:Thing pub:Computer'));
  assert.ok(undeclared.anomalies.includes('unresolved_type'));
  assert.equal(undeclared.endpoints[0]!.types.length, 1);
  const unknown = parse(HELLO_2005.replace(/wsd:Hello>/g, 'wsd:Howdy>'));
  assert.ok(unknown.anomalies.includes('unknown_body'));
  const many = parse(wsdHello({ ...PROVIDER, scopes: Array.from({ length: MAX_WSD_LIST + 4 }, (_, i) => `urn:s${i}`) }, 'urn:uuid:x', 1));
  assert.ok(many.anomalies.includes('long_list:scopes'));
  assert.equal(many.endpoints[0]!.scopes.length, MAX_WSD_LIST);
});

test('a datagram cut short is decoded as far as it goes and flagged', () => {
  const full = enc(wsdHello(PROVIDER, 'urn:uuid:aaaa', 1));
  const cut = full.subarray(0, full.indexOf(enc('<wsd:XAddrs>')[0]!, full.length - 200));
  const r = parseWsd(cut, 0, cut.length);
  assert.ok(r.ok);
  assert.ok(r.value.anomalies.includes('unclosed_element'));
  assert.equal(r.value.endpoints[0]!.address, PROVIDER.epr);
});

test('sdc.ctxt.loc query items (IEEE 11073-20701 §9.3): first of each kept, malformed escapes kept as written', () => {
  assert.deepEqual(parseSdcLocation('sdc.ctxt.loc:/x/y?rm=1&rm=2&flr=%ZZ&bldng=A+B'), { facility: null, building: 'A B', floor: '%ZZ', point_of_care: null, room: '1', bed: null });
  assert.deepEqual(parseSdcLocation('sdc.ctxt.loc:/x/y').facility, null);
});

test('random mutations never throw, never read outside the view, and report only documented anomalies', () => {
  const bases = [wsdHello(PROVIDER, 'urn:uuid:a', 1), wsdProbe('urn:uuid:p', 'dpws:Device'), wsdResolveMatches(PROVIDER, 'urn:uuid:r', 'urn:uuid:q', 2), HELLO_2005].map(enc);
  const ok = runMutations({
    seed: 3702, bases, count: 4000, special: [0x3c, 0x3e, 0x2f, 0x3a, 0x26, 0x3b, 0x22, 0x20], parse: parseWsd, anomalyNames: WSD_ANOMALIES,
  });
  assert.ok(ok > 1000, `most mutations keep the envelope (${ok})`);
});

test('a patient scope damaged anywhere but its marker is never output, whatever element its text lands in', () => {
  const base = enc(wsdHello(PROVIDER, 'urn:uuid:a', 1));
  const rng = new Prng(11073);
  let checked = 0;
  for (let i = 0; i < 4000; i++) {
    const m = mutate(rng, base, [0x3c, 0x3e, 0x2f, 0x20, 0x0a]);
    const token = Buffer.from(m).toString('latin1').split(/[\s<>]/).find((t) => t.includes('ZZPAT-999'));
    if (token === undefined || !/ctxt\.pat/i.test(token)) continue; // the marker itself was destroyed: nothing says it is a patient scope
    checked++;
    const r = parseWsd(m, 0, m.length);
    if (r.ok) assert.ok(!JSON.stringify(r.value).includes('ZZPAT-999'), Buffer.from(m).toString('latin1'));
  }
  assert.ok(checked > 2000, `${checked}`);
});
