/**
 * Conformance: WS-Discovery (src/protocols/wsd/parser.ts) and the XML bodies the HTTP analyzer reads (UPnP device
 * descriptions, src/protocols/ssdp/description.ts; DPWS metadata, src/protocols/wsd/metadata.ts) against tshark 4.0's
 * generic XML dissection, field by field, over every corpus capture holding them and samples/medical/sdc-discovery.pcap
 * (tshark-wsd.json, from scripts/make-wsd-baselines.ts).
 *
 * WS-Discovery datagrams are read with medtap's own reader and decoders and parsed with parseWsd, keyed by frame
 * number. HTTP responses go through the real pipeline (`medtap ingest --log-dir`): the http.jsonl records with an
 * `xml_metadata` are paired with tshark's response frames by connection (client and server address:port) and order.
 *
 * Normalisations (both sides describe the same bytes): tshark shows element text as written, so the predefined
 * entities and character references are decoded on its side (XML 1.0 §4.1, §4.6), and text is trimmed (medtap trims
 * XML white space around values); tshark resolves no namespace, so elements are matched by local name and types are
 * compared as written (`types_raw`); a personal context scope is `<withheld:KIND>` in the baseline and compared with
 * medtap's `phi_kinds`.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseWsd, type WsdMessage } from '../../../src/protocols/wsd/parser.js';
import type { XmlMetadata } from '../../../src/protocols/http/xml-body.js';
import { corpusRoot, readUdpFrames, repoRoot } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { runCli, tempDir } from '../../e2e/cli-harness.js';

/** One frame of the baseline (see scripts/make-wsd-baselines.ts). */
interface BaselineFrame {
  src: string;
  dst: string;
  kind: string;
  root: string;
  fields: Record<string, string | string[]>;
}

interface BaselineCapture {
  base: 'corpus' | 'repo';
  sha256: string;
  frames: Record<string, BaselineFrame>;
}

const BASELINE = join(repoRoot(), 'test/conformance/wsd/tshark-wsd.json');
const doc = JSON.parse(readFileSync(BASELINE, 'utf8')) as { captures: Record<string, BaselineCapture> };

/** Every accepted difference (none so far). */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<FrameSite>> = {};

const wsd = new FieldAgreement<FrameSite>(KNOWN_DIFFERENCES, {});
const xml = new FieldAgreement<FrameSite>(KNOWN_DIFFERENCES, {});

/** tshark's text with references decoded and XML white space trimmed. */
function decoded(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|quot|amp|lt|gt|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[e]!;
  }).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

const one = (v: string | string[] | undefined): string => decoded(typeof v === 'string' ? v : (v ?? []).join('|'));
const list = (v: string | string[] | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []).map(decoded);
const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** Compares one WS-Discovery frame. */
function compareWsd(site: FrameSite, m: WsdMessage, t: BaselineFrame): void {
  const c = (name: string, ours: string, theirs: string, always = false): void => wsd.compare(name, ours, theirs, site, always);
  const f = t.fields;
  c('body_element', str(m.body_element), one(f['body']), true);
  c('action', str(m.action), one(f['action']));
  c('message_id', str(m.message_id), one(f['message_id']));
  c('relates_to', str(m.relates_to), one(f['relates_to']));
  c('to', str(m.to), one(f['to']));
  c('app_instance_id', str(m.app_instance_id), one(f['instance_id']));
  c('app_sequence_id', str(m.app_sequence_id), one(f['sequence_id']));
  c('app_message_number', str(m.app_message_number), one(f['message_number']));
  const eps = m.message_type === 'probe' ? [] : m.endpoints;
  c('endpoints.address', eps.map((e) => str(e.address)).join('|'), list(f['addresses']).join('|'));
  if (m.message_type === 'probe') c('probe_types_raw', str(m.probe_types_raw), list(f['types']).join('|'));
  else if (m.message_type !== 'resolve' && m.message_type !== 'bye') c('endpoints.types_raw', eps.map((e) => str(e.types_raw)).join('|'), list(f['types']).join('|'));
  const theirScopes = list(f['scopes']);
  const ourScopes = m.message_type === 'probe' ? m.probe_scopes : eps.flatMap((e) => e.scopes);
  c('endpoints.scopes', ourScopes.join(' '), theirScopes.filter((s) => !s.startsWith('<withheld:')).join(' '));
  const kinds = [...new Set(theirScopes.filter((s) => s.startsWith('<withheld:')).map((s) => s.slice(10, -1)))];
  c('phi_kinds', m.phi_kinds.join(' '), kinds.join(' '));
  c('endpoints.xaddrs', eps.flatMap((e) => e.xaddrs).join(' '), list(f['xaddrs']).join(' '));
  c('endpoints.metadata_version', eps.map((e) => str(e.metadata_version)).join('|'), list(f['metadata_version']).join('|'));
}

/** The fields of a UPnP description / DPWS metadata record, by tshark element name. */
function metadataFields(m: XmlMetadata): Record<string, string> {
  if (m.format === 'upnp') {
    return {
      deviceType: str(m.device_type), friendlyName: str(m.friendly_name), manufacturer: str(m.manufacturer), manufacturerURL: str(m.manufacturer_url),
      modelDescription: str(m.model_description), modelName: str(m.model_name), modelNumber: str(m.model_number), modelURL: str(m.model_url),
      serialNumber: str(m.serial_number), UDN: str(m.udn), UPC: str(m.upc), presentationURL: str(m.presentation_url), serviceType: m.service_types.join('|'),
    };
  }
  return {
    action: str(m.action), Manufacturer: str(m.manufacturer), ManufacturerUrl: str(m.manufacturer_url), ModelName: str(m.model_name),
    ModelNumber: str(m.model_number), ModelUrl: str(m.model_url), PresentationUrl: str(m.presentation_url), FriendlyName: str(m.friendly_name),
    FirmwareVersion: str(m.firmware_version), SerialNumber: str(m.serial_number),
    HostedServiceIds: m.hosted.map((h) => str(h.service_id)).join('|'),
  };
}

interface HttpRecord { src_ip: string; src_port: number; dst_ip: string; dst_port: number; xml_metadata: XmlMetadata | null }

/** The http.jsonl records of `path` that carry XML metadata, in log order. */
function httpMetadataRecords(path: string): HttpRecord[] {
  const dir = tempDir();
  const r = runCli(['ingest', path, '--db', join(dir, 'm.db'), '--log-dir', join(dir, 'logs')]);
  assert.equal(r.code, 0, r.stderr);
  const file = join(dir, 'logs', 'http.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as HttpRecord).filter((x) => x.xml_metadata !== null);
}

/** Compares the HTTP XML frames of one capture with the pipeline's records. */
function compareHttp(rel: string, path: string, frames: [number, BaselineFrame][]): void {
  const recs = httpMetadataRecords(path);
  const used = new Set<number>();
  const ep = (ip: string, port: number): string => `${ip}:${port}`;
  for (const [frame, t] of frames) {
    if (t.kind === 'other') continue;
    xml.tsharkFrames++;
    const i = recs.findIndex((r, k) => !used.has(k) && ep(r.dst_ip, r.dst_port) === t.src && ep(r.src_ip, r.src_port) === t.dst);
    if (i < 0) { xml.missingUnexplained.push(`${rel} frame ${frame} (${t.kind})`); continue; }
    used.add(i);
    xml.matched++;
    const m = recs[i]!.xml_metadata!;
    const site = { capture: rel, frame };
    xml.compare('format', m.format, t.kind, site, true);
    const ours = metadataFields(m);
    for (const [name, v] of Object.entries(t.fields)) {
      if (name === 'HostTypes') continue; // resolved types on our side; the raw list is checked by the unit tests
      xml.compare(`${t.kind}.${name}`, ours[name] ?? '', Array.isArray(v) ? list(v).join('|') : one(v), site);
    }
  }
  recs.forEach((r, k) => { if (!used.has(k)) { xml.extra++; xml.extraDetail.push(`${rel}: ${r.xml_metadata!.format} from ${r.dst_ip}:${r.dst_port}`); } });
}

for (const [rel, cap] of Object.entries(doc.captures)) {
  const path = join(cap.base === 'corpus' ? corpusRoot() : repoRoot(), rel);
  test(`wsd vs tshark: ${rel}`, { skip: existsSync(path) ? false : 'capture missing' }, () => {
    assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), cap.sha256, `${rel} changed: regenerate ${BASELINE} (node dist/scripts/make-wsd-baselines.js)`);
    const frames = Object.entries(cap.frames).map(([n, f]): [number, BaselineFrame] => [Number(n), f]);
    const udp = frames.filter(([, f]) => f.kind === 'wsd');
    if (udp.length > 0) {
      wsd.captures++;
      const { parsed } = readUdpFrames(path, [3702], (p) => parseWsd(p.pktBuf, p.payloadOff, p.payloadLen));
      for (const [frame, t] of udp) {
        wsd.tsharkFrames++;
        const r = parsed.get(frame);
        if (r === undefined) wsd.missingUnexplained.push(`${rel} frame ${frame}`);
        else if (!r.ok) wsd.parseErrors.push(`${rel} frame ${frame}: ${r.error}`);
        else { wsd.matched++; compareWsd({ capture: rel, frame }, r.value, t); }
      }
      wsd.extraFrames(rel, parsed, cap.frames, (r) => (r.ok ? r.value.message_type : r.error));
    }
    if (frames.some(([, f]) => f.kind !== 'wsd')) {
      xml.captures++;
      compareHttp(rel, path, frames.filter(([, f]) => f.kind !== 'wsd'));
    }
  });
}

test('wsd vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  wsd.assertAgreement('WS-Discovery');
  xml.assertAgreement('HTTP XML metadata');
  assert.deepEqual(xml.extraDetail, [], 'XML metadata records tshark has no UPnP/DPWS document for');
});

after(() => {
  wsd.printSummary(`wsd vs tshark: ${wsd.captures} captures, ${wsd.tsharkFrames} tshark WS-Discovery frames, ${wsd.matched} compared, ${wsd.extra} extra, ${wsd.elapsed()} s`);
  xml.printSummary(`http xml_metadata vs tshark: ${xml.captures} captures, ${xml.tsharkFrames} tshark UPnP/DPWS responses, ${xml.matched} compared, ${xml.extra} extra`);
});
