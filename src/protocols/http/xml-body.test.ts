/**
 * Tests of the HTTP analyzer's XML body reading (xml-body.ts, with ../ssdp/description.ts and ../wsd/metadata.ts):
 * a UPnP device description (UPnP Device Architecture 1.1 §2.3) and DPWS device metadata (DPWS 1.1 §5.1–5.2) in
 * responses framed by Content-Length and by the chunked coding (RFC 9112 §6.3, §7.1), in any segmentation; which
 * bodies are looked at (RFC 9110 §8.3 media types, RFC 7303 +xml); truncated, gapped and oversized bodies.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation } from '../../observe/observation.js';
import { dpwsGetResponse, type SdcProvider } from '../../synth/sdc-messages.js';
import { runScript, runScriptInPieces, type ScriptStep } from '../stream-test-harness.js';
import { openHttpStream } from './analyzer.js';
import type { HttpTransaction } from './transaction.js';
import { MAX_XML_BODY, XmlBodyCapture, xmlBodyMetadata } from './xml-body.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** A UPnP device description, written from UDA 1.1 §2.3's element list. */
const DESCRIPTION = '<?xml version="1.0"?>\n<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>1</minor></specVersion>' +
  '<device><deviceType>urn:schemas-upnp-org:device:Printer:1</deviceType><friendlyName>Ward 3 printer</friendlyName>' +
  '<manufacturer>Example &amp; Co</manufacturer><manufacturerURL>http://example.com</manufacturerURL><modelDescription>Laser</modelDescription>' +
  '<modelName>LP-9</modelName><modelNumber>9</modelNumber><modelURL>http://example.com/lp9</modelURL><serialNumber>SN42</serialNumber>' +
  '<UDN>uuid:12345678-1234-1234-1234-123456789abc</UDN><UPC>012345678905</UPC>' +
  '<serviceList><service><serviceType>urn:schemas-upnp-org:service:PrintBasic:1</serviceType></service></serviceList>' +
  '<deviceList><device><deviceType>urn:schemas-upnp-org:device:Scanner:1</deviceType></device></deviceList>' +
  '<presentationURL>/</presentationURL></device></root>';

const PROVIDER: SdcProvider = { epr: 'urn:uuid:e', types: 'dpws:Device mdpws:MedicalDevice', scopes: [], xaddrs: '', metadataVersion: 1, instanceId: 1 };
const METADATA = dpwsGetResponse('urn:uuid:r', 'urn:uuid:q', PROVIDER, {
  manufacturer: 'Example Medical', manufacturerUrl: 'http://example.org', modelName: 'Monitor X', modelNumber: 'X1', modelUrl: 'http://example.org/x',
  presentationUrl: 'http://192.0.2.1/', friendlyName: 'Bed 1', firmwareVersion: '1.0.2', serialNumber: 'S-1',
  hosted: [{ address: 'http://192.0.2.1:6464/get', types: 'sdc:GetService', serviceId: 'Get' }],
});

const GET = enc('GET /desc.xml HTTP/1.1\r\nHost: 192.0.2.1\r\n\r\n');

/** A response with a Content-Length body. */
function lengthResponse(body: string, contentType: string | null): Uint8Array {
  const b = enc(body);
  return Buffer.concat([enc(`HTTP/1.1 200 OK\r\n${contentType === null ? '' : `Content-Type: ${contentType}\r\n`}Content-Length: ${b.length}\r\n\r\n`), b]);
}

/** A chunked response, the body cut in `n` chunks. */
function chunkedResponse(body: string, n: number): Uint8Array {
  const b = enc(body);
  const size = Math.ceil(b.length / n);
  const parts: Uint8Array[] = [enc('HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n')];
  for (let o = 0; o < b.length; o += size) {
    const c = b.subarray(o, o + size);
    parts.push(enc(`${c.length.toString(16)}\r\n`), c, enc('\r\n'));
  }
  parts.push(enc('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const records = (obs: Observation[]): HttpTransaction[] => obs.filter((o) => o.kind === 'http').map((o) => o.msg as HttpTransaction);

test('a UPnP device description (UDA 1.1 §2.3) in a Content-Length response, in any segmentation', () => {
  const run = runScriptInPieces(openHttpStream, [{ client: true, bytes: GET }, { client: false, bytes: lengthResponse(DESCRIPTION, 'text/xml; charset="utf-8"') }]);
  const m = records(run.observations)[0]!.xml_metadata;
  assert.ok(m !== null && m.format === 'upnp');
  assert.deepEqual(
    [m.spec_version, m.device_type, m.friendly_name, m.manufacturer, m.model_name, m.model_number, m.serial_number, m.udn, m.upc, m.presentation_url],
    ['1.1', 'urn:schemas-upnp-org:device:Printer:1', 'Ward 3 printer', 'Example & Co', 'LP-9', '9', 'SN42', 'uuid:12345678-1234-1234-1234-123456789abc', '012345678905', '/'],
  );
  assert.deepEqual(m.service_types, ['urn:schemas-upnp-org:service:PrintBasic:1']);
  assert.deepEqual(m.embedded_device_types, ['urn:schemas-upnp-org:device:Scanner:1']);
  assert.deepEqual(m.anomalies, []);
});

test('DPWS metadata (DPWS 1.1 §5.2) in a chunked GetResponse (RFC 9112 §7.1), in any segmentation', () => {
  const run = runScriptInPieces(openHttpStream, [{ client: true, bytes: enc('POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n') }, { client: false, bytes: chunkedResponse(METADATA, 3) }]);
  const m = records(run.observations)[0]!.xml_metadata;
  assert.ok(m !== null && m.format === 'dpws');
  assert.deepEqual([m.manufacturer, m.model_name, m.model_number, m.friendly_name, m.firmware_version, m.serial_number, m.host_address],
    ['Example Medical', 'Monitor X', 'X1', 'Bed 1', '1.0.2', 'S-1', 'urn:uuid:e']);
  assert.equal(m.action, 'http://schemas.xmlsoap.org/ws/2004/09/transfer/GetResponse');
  assert.equal(m.medical_device, true);
  assert.deepEqual(m.hosted, [{ address: 'http://192.0.2.1:6464/get', types: ['{http://standards.ieee.org/downloads/11073/11073-20701-2018}GetService'], service_id: 'Get' }]);
  assert.deepEqual(m.anomalies, []);
});

test('which bodies are read: XML media types (RFC 7303, +xml suffix), or no Content-Type and a first "<"', () => {
  for (const ct of ['text/xml', 'application/xml', 'application/soap+xml; charset=utf-8', ' TEXT/XML ;q=1']) assert.ok(XmlBodyCapture.forContentType(ct) !== null, ct);
  for (const ct of ['text/html', 'application/json', 'application/xhtml', 'text/xml-external-parsed-entity']) assert.equal(XmlBodyCapture.forContentType(ct), null, ct);
  const read = (ct: string | null, body: string): HttpTransaction => records(runScript(openHttpStream, [{ client: true, bytes: GET }, { client: false, bytes: lengthResponse(body, ct) }]).observations)[0]!;
  assert.equal(read(null, `\ufeff  ${DESCRIPTION}`).xml_metadata?.format, 'upnp'); // BOM and white space before "<"
  assert.equal(read('text/html', DESCRIPTION).xml_metadata, null);
  assert.equal(read(null, `x${DESCRIPTION}`).xml_metadata, null);
  assert.equal(read('text/xml', '<root xmlns="urn:other"/>').xml_metadata, null); // XML, but no self-description
});

test('a body cut by the end of the connection, or by a capture gap, is read as far as it goes and flagged truncated_body', () => {
  const whole = lengthResponse(DESCRIPTION, 'text/xml');
  const cut = whole.subarray(0, whole.length - 40);
  const ended = records(runScript(openHttpStream, [{ client: true, bytes: GET }, { client: false, bytes: cut }]).observations)[0]!;
  assert.ok(ended.anomalies.includes('truncated_body'));
  assert.ok(ended.xml_metadata!.anomalies.includes('truncated_body'));
  assert.equal(ended.xml_metadata!.format === 'upnp' && ended.xml_metadata!.model_name, 'LP-9');
  const head = whole.length - enc(DESCRIPTION).length;
  const script: ScriptStep[] = [{ client: true, bytes: GET }, { client: false, bytes: whole.subarray(0, head + 300) }, { client: false, gap: 100 }, { client: false, bytes: whole.subarray(head + 400) }];
  const gapped = records(runScript(openHttpStream, script).observations)[0]!;
  assert.ok(gapped.xml_metadata!.anomalies.includes('truncated_body'));
});

test('a body longer than MAX_XML_BODY: only its start is read (body_over_limit)', () => {
  const big = DESCRIPTION.replace('</device></root>', `<x>${'y'.repeat(MAX_XML_BODY)}</x></device></root>`);
  const r = records(runScript(openHttpStream, [{ client: true, bytes: GET }, { client: false, bytes: lengthResponse(big, 'text/xml') }]).observations)[0]!;
  assert.equal(r.response_body_len, enc(big).length);
  assert.ok(r.xml_metadata!.anomalies.includes('body_over_limit'));
  assert.equal(r.xml_metadata!.format === 'upnp' && r.xml_metadata!.friendly_name, 'Ward 3 printer');
});

test('xmlBodyMetadata is pure: not XML gives null; never reads outside the view', () => {
  assert.equal(xmlBodyMetadata(enc('{"a":1}'), 0, 7), null);
  const b = enc(DESCRIPTION);
  const framed = new Uint8Array(b.length + 10).fill(0x3c);
  framed.set(b, 5);
  assert.deepEqual(xmlBodyMetadata(framed, 5, b.length), xmlBodyMetadata(b, 0, b.length));
});
