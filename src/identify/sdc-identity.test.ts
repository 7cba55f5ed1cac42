/**
 * Tests of the SDC / WS-Discovery / DPWS identity facts (sdc-identity.ts) and of the UPnP device description facts
 * (ssdp-identity.ts): who a message describes (WS-Discovery 1.1 §4.1/§5.3: the sender of Hello and matches; DPWS
 * 1.1 §5.2 and UPnP DA 1.1 §2.3: the HTTP server), the server's IP carried for routed traffic, consumers, Bye.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../observe/observation.js';
import { newExchange, transactionRecord } from '../protocols/http/transaction.js';
import { xmlBodyMetadata } from '../protocols/http/xml-body.js';
import { parseWsd } from '../protocols/wsd/parser.js';
import { dpwsGetResponse, type SdcProvider, wsdBye, wsdHello, wsdProbe } from '../synth/sdc-messages.js';
import { locationFact, SdcIdentityCollector } from './sdc-identity.js';
import { SsdpIdentityCollector } from './ssdp-identity.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const CTX: PacketContext = { ts_us: 5, src_mac: '02:00:00:00:00:0a', dst_mac: '02:00:00:00:00:0b', src_ip: '10.1.0.10', dst_ip: '10.2.0.20', src_port: 3702, dst_port: 3702, vlan: null };
const P: SdcProvider = {
  epr: 'urn:uuid:e', types: 'dpws:Device mdpws:MedicalDevice', scopes: ['sdc.ctxt.loc:/x/y?fac=F&bed=B', 'sdc.ctxt.pat:/x/ZZP', 'sdc.mds.pkp:1.2.3'],
  xaddrs: 'http://10.1.0.10/', metadataVersion: 1, instanceId: 1,
};

function wsdObservation(xml: string, ctx: PacketContext = CTX): Observation {
  const b = enc(xml);
  const r = parseWsd(b, 0, b.length);
  assert.ok(r.ok);
  return { kind: 'sdc', ctx, msg: r.value };
}

function httpObservation(body: string): Observation {
  const b = enc(body);
  const msg = { ...transactionRecord(newExchange(1, 0)), method: 'POST', status_code: 200, xml_metadata: xmlBodyMetadata(b, 0, b.length) };
  return { kind: 'http', ctx: { ...CTX, src_port: 50000, dst_port: 6464 }, msg };
}

const facts = (c: { allFacts(): { mac: string; name: string; value: string; ip?: string }[] }): string[] =>
  c.allFacts().map((f) => `${f.mac} ${f.ip ?? '-'} ${f.name}=${f.value}`).sort();

test('a Hello describes its sender: types, MedicalDevice, role, location, key purpose, endpoint; never the patient scope', () => {
  const c = new SdcIdentityCollector();
  c.observe(wsdObservation(wsdHello(P, 'urn:uuid:m', 1)));
  c.observe(wsdObservation(wsdBye(P, 'urn:uuid:n', 2))); // Bye adds nothing
  const m = '02:00:00:00:00:0a 10.1.0.10';
  assert.deepEqual(facts(c), [
    `${m} sdc_key_purpose=1.2.3`,
    `${m} sdc_medical_device=true`,
    `${m} sdc_role=provider`,
    `${m} sdc_scope_location=fac=F;bed=B`,
    `${m} sdc_types={http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01}Device`,
    `${m} sdc_types={http://standards.ieee.org/downloads/11073/11073-20702-2016}MedicalDevice`,
    `${m} wsd_endpoint=urn:uuid:e`,
  ]);
});

test('a Probe for MedicalDevice marks an SDC consumer; other probes say nothing', () => {
  const c = new SdcIdentityCollector();
  c.observe(wsdObservation(wsdProbe('urn:uuid:p', 'mdpws:MedicalDevice')));
  c.observe(wsdObservation(wsdProbe('urn:uuid:q', 'dpws:Device'), { ...CTX, src_mac: '02:00:00:00:00:0c' }));
  assert.deepEqual(facts(c), ['02:00:00:00:00:0a 10.1.0.10 sdc_role=consumer']);
});

test('DPWS metadata in an HTTP response describes the server (its MAC and IP), not the client', () => {
  const c = new SdcIdentityCollector();
  c.observe(httpObservation(dpwsGetResponse('urn:uuid:r', 'urn:uuid:q', P, {
    manufacturer: 'Drägerwerk AG & Co. KGaA', manufacturerUrl: '', modelName: 'M', modelNumber: 'N', modelUrl: '', presentationUrl: '',
    friendlyName: 'F', firmwareVersion: '1.2', serialNumber: 'S', hosted: [],
  })));
  const s = '02:00:00:00:00:0b 10.2.0.20';
  assert.deepEqual(facts(c).filter((f) => !f.includes('sdc_types')), [
    `${s} sdc_firmware=1.2`, `${s} sdc_friendly_name=F`, `${s} sdc_manufacturer=Drägerwerk AG & Co. KGaA`, `${s} sdc_medical_device=true`,
    `${s} sdc_model_name=M`, `${s} sdc_model_number=N`, `${s} sdc_serial=S`,
  ]);
});

test('a UPnP device description describes the HTTP server: upnp_* facts with its IP', () => {
  const c = new SsdpIdentityCollector();
  c.observe(httpObservation('<root xmlns="urn:schemas-upnp-org:device-1-0"><device><deviceType>urn:schemas-upnp-org:device:MediaRenderer:1</deviceType>' +
    '<friendlyName>TV</friendlyName><manufacturer>Acme</manufacturer><modelName>T1</modelName><modelNumber>1</modelNumber><serialNumber>42</serialNumber>' +
    '<UDN>uuid:abc</UDN></device></root>'));
  const s = '02:00:00:00:00:0b 10.2.0.20';
  assert.deepEqual(facts(c), [
    `${s} upnp_device_type=urn:schemas-upnp-org:device:MediaRenderer:1`, `${s} upnp_friendly_name=TV`, `${s} upnp_manufacturer=Acme`,
    `${s} upnp_model_name=T1`, `${s} upnp_model_number=1`, `${s} upnp_serial=42`, `${s} upnp_uuid=abc`,
  ]);
});

test('location fact: the decoded items in order, empty when none', () => {
  assert.equal(locationFact({ facility: 'H', building: null, floor: '2', point_of_care: 'ICU', room: '', bed: '7' }), 'fac=H;flr=2;poc=ICU;bed=7');
  assert.equal(locationFact({ facility: null, building: null, floor: null, point_of_care: null, room: null, bed: null }), null);
});
