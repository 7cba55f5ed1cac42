/**
 * Generate test/conformance/wsd/tshark-wsd.json: tshark's view of every WS-Discovery datagram (UDP 3702) and every
 * HTTP response carrying a UPnP device description or DPWS device metadata, in the corpus captures that hold them and
 * in samples/medical/sdc-discovery.pcap, so that src/protocols/wsd/, src/protocols/ssdp/description.ts and the HTTP
 * analyzer's XML body reading can be compared with tshark without running it at test time
 * (test/conformance/wsd/wsd-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-wsd-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/wsd/tshark-wsd.json] [--jobs 2] [--only SUBSTRING] [--probe-all]
 *
 * tshark 4.0 has no WS-Discovery, DPWS or UPnP description dissector: it shows these messages as generic XML
 * (`xml.tag`, `xml.attribute`, `xml.cdata`), and only with its UDP XML heuristic enabled for port 3702. So per
 * capture F it runs (LC_ALL=C, empty WIRESHARK_CONFIG_DIR):
 *   tshark -r F -n --enable-heuristic xml_udp -d tcp.port==5357,http -d tcp.port==6464,http -Y '<FILTER>' -T pdml
 * (5357: Windows WSD metadata; 6464: the SDC sample) and rebuilds each message's element tree from the nested
 * `xml.tag` fields (name from the tag text, attributes from `xml.attribute`, text from `xml.cdata`). Names are
 * compared by local part (tshark resolves no namespace). The fields recorded are listed in WsdBaselineFrame.
 *
 * Which captures: by default CORPUS_CAPTURES (every corpus capture in which a full probe with the filter found a
 * frame) plus SAMPLE_CAPTURES; `--probe-all` probes every corpus capture again.
 *
 * PHI: a scope naming a patient, operator or workflow context (IEEE 11073-20701 §9.3 sdc.ctxt.pat / opr / wfl) is
 * recorded as `<withheld:KIND>`, never with its value.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { descendants, parsePdml, type PdmlNode } from './tshark-pdml.js';
import {
  corpusLabel, mapConcurrently, parseBaselineArgs, run, runScript, selectCaptures, tsharkFailure, withTsharkEnvironment, writeJsonFile,
} from './tshark-runner.js';

/** The display filter: WS-Discovery datagrams and HTTP responses with an XML body. */
export const WSD_FILTER = 'udp.port==3702 || (http.response && xml)';
/** tshark options besides -r, -Y and -T. */
export const WSD_TSHARK_OPTIONS = ['-n', '--enable-heuristic', 'xml_udp', '-d', 'tcp.port==5357,http', '-d', 'tcp.port==6464,http'] as const;
/** Corpus captures holding a frame the filter selects (full probe of ../shared/corpus with tshark 4.0.17). */
export const CORPUS_CAPTURES = ['ssdp_upnp/ndpi__upnp.pcap', 'lan_mixed/ndpi__gnutella.pcap', 'lan_mixed/sv__base64-decode-5885.pcap', 'http/ja4__http1.pcapng', 'bulk/malcolm__DNS.pcap'];
/** Captures of this repository compared too (paths from the repository root). */
export const SAMPLE_CAPTURES = ['samples/medical/sdc-discovery.pcap'];

/** Scope prefixes withheld as personal data, and the kind recorded instead. */
const PHI_SCOPES: readonly [string, string][] = [['sdc.ctxt.pat:', 'patient_context'], ['sdc.ctxt.opr:', 'operator_context'], ['sdc.ctxt.wfl:', 'workflow_context']];

/** One XML element rebuilt from tshark's fields. */
interface Element {
  qname: string;
  local: string;
  attrs: Record<string, string>;
  text: string;
  children: Element[];
}

/** What the baseline keeps of one frame (strings as tshark shows them; lists in document order). */
export interface WsdBaselineFrame {
  src: string;
  dst: string;
  /** 'wsd' (UDP 3702), 'upnp' (root element `root`), 'dpws' (Envelope with ThisModel/ThisDevice), 'other'. */
  kind: string;
  /** Local name of the root element. */
  root: string;
  fields: Record<string, string | string[]>;
}

/** The element tree of one xml.tag field. */
function element(n: PdmlNode): Element {
  const qname = /^<([^\s>/]+)/.exec(n.show)?.[1] ?? '';
  const e: Element = { qname, local: qname.slice(qname.indexOf(':') + 1), attrs: {}, text: '', children: [] };
  for (const c of n.children) {
    if (c.name === 'xml.tag') e.children.push(element(c));
    else if (c.name === 'xml.cdata') e.text += c.show;
    else if (c.name === 'xml.attribute') {
      const eq = c.show.indexOf('=');
      if (eq > 0) e.attrs[c.show.slice(0, eq)] = c.show.slice(eq + 1).replace(/^["']|["']$/g, '');
    }
  }
  return e;
}

const child = (e: Element | undefined, local: string): Element | undefined => e?.children.find((c) => c.local === local);
const children = (e: Element | undefined, local: string): Element[] => e?.children.filter((c) => c.local === local) ?? [];
const text = (e: Element | undefined): string => e?.text.trim() ?? '';
const words = (e: Element | undefined): string[] => text(e).split(/\s+/).filter((w) => w !== '');

/** The first element named `local` under `e` (breadth first). */
function find(e: Element | undefined, local: string): Element | undefined {
  const todo = e ? [e] : [];
  for (let i = 0; i < todo.length; i++) {
    if (todo[i]!.local === local) return todo[i];
    todo.push(...todo[i]!.children);
  }
  return undefined;
}

/** Scopes with personal context scopes replaced by their kind. */
function redactScopes(scopes: string[]): string[] {
  return scopes.map((s) => {
    const k = PHI_SCOPES.find(([p]) => s.toLowerCase().startsWith(p));
    return k === undefined ? s : `<withheld:${k[1]}>`;
  });
}

/** The WS-Discovery fields of an envelope. */
function wsdFields(env: Element): Record<string, string | string[]> {
  const header = child(env, 'Header');
  const msg = child(env, 'Body')?.children[0];
  const seq = child(header, 'AppSequence');
  const endpoints = msg === undefined ? [] : msg.local.endsWith('Matches') ? children(msg, msg.local.slice(0, -2)) : [msg];
  const addr = (e: Element): string => text(child(child(e, 'EndpointReference'), 'Address'));
  return {
    body: msg?.local ?? '',
    action: text(child(header, 'Action')),
    message_id: text(child(header, 'MessageID')),
    relates_to: text(child(header, 'RelatesTo')),
    to: text(child(header, 'To')),
    instance_id: seq?.attrs['InstanceId'] ?? '',
    sequence_id: seq?.attrs['SequenceId'] ?? '',
    message_number: seq?.attrs['MessageNumber'] ?? '',
    addresses: endpoints.map(addr),
    types: endpoints.map((e) => text(child(e, 'Types'))),
    scopes: endpoints.flatMap((e) => redactScopes(words(child(e, 'Scopes')))),
    xaddrs: endpoints.flatMap((e) => words(child(e, 'XAddrs'))),
    metadata_version: endpoints.map((e) => text(child(e, 'MetadataVersion'))),
  };
}

/** The UPnP root device fields of a description. */
function upnpFields(root: Element): Record<string, string | string[]> {
  const d = child(root, 'device');
  const f: Record<string, string | string[]> = {};
  for (const n of ['deviceType', 'friendlyName', 'manufacturer', 'manufacturerURL', 'modelDescription', 'modelName', 'modelNumber', 'modelURL', 'serialNumber', 'UDN', 'UPC', 'presentationURL']) {
    f[n] = text(child(d, n));
  }
  f['serviceType'] = children(child(d, 'serviceList'), 'service').map((s) => text(child(s, 'serviceType')));
  return f;
}

/** The DPWS metadata fields of a GetResponse. */
function dpwsFields(env: Element): Record<string, string | string[]> {
  const model = find(env, 'ThisModel');
  const device = find(env, 'ThisDevice');
  const rel = find(env, 'Relationship');
  const f: Record<string, string | string[]> = { action: text(child(child(env, 'Header'), 'Action')) };
  for (const n of ['Manufacturer', 'ManufacturerUrl', 'ModelName', 'ModelNumber', 'ModelUrl', 'PresentationUrl']) f[n] = text(child(model, n));
  for (const n of ['FriendlyName', 'FirmwareVersion', 'SerialNumber']) f[n] = text(child(device, n));
  f['HostTypes'] = words(child(child(rel, 'Host'), 'Types'));
  f['HostedServiceIds'] = children(rel, 'Hosted').map((h) => text(child(h, 'ServiceId')));
  return f;
}

/** The address:port of a packet's side ("src" or "dst"), from its ip/ipv6 and udp/tcp protocol fields. */
function endpointOf(p: PdmlNode, side: 'src' | 'dst'): string {
  const field = (name: string): string => descendants(p, (d) => d.name === name)[0]?.show ?? '';
  const ip = field(`ip.${side}`) || field(`ipv6.${side}`);
  const port = field(`udp.${side === 'src' ? 'srcport' : 'dstport'}`) || field(`tcp.${side === 'src' ? 'srcport' : 'dstport'}`);
  return `${ip}:${port}`;
}

/** The baseline frames of one PDML packet (its first XML document). */
function frameOf(p: PdmlNode): [string, WsdBaselineFrame] | null {
  const num = descendants(p, (d) => d.name === 'num')[0]?.show ?? '';
  const xml = p.children.find((c) => c.name === 'xml');
  const top = xml?.children.find((c) => c.name === 'xml.tag');
  if (num === '' || top === undefined) return null;
  const root = element(top);
  const isUdp = p.children.some((c) => c.name === 'udp');
  const base = { src: endpointOf(p, 'src'), dst: endpointOf(p, 'dst'), root: root.local };
  if (isUdp) return [num, { ...base, kind: 'wsd', fields: wsdFields(root) }];
  if (root.local === 'root') return [num, { ...base, kind: 'upnp', fields: upnpFields(root) }];
  if (root.local === 'Envelope' && (find(root, 'ThisModel') || find(root, 'ThisDevice'))) return [num, { ...base, kind: 'dpws', fields: dpwsFields(root) }];
  return [num, { ...base, kind: 'other', fields: {} }];
}

/** One capture of the baseline. */
interface WsdCaptureEntry {
  /** 'corpus' (path relative to the corpus) or 'repo' (relative to the repository root). */
  base: 'corpus' | 'repo';
  sha256: string;
  frames: Record<string, WsdBaselineFrame>;
  tshark_error?: string;
}

async function processCapture(path: string, base: 'corpus' | 'repo', env: NodeJS.ProcessEnv): Promise<WsdCaptureEntry> {
  const r = await run('tshark', ['-r', path, ...WSD_TSHARK_OPTIONS, '-Y', WSD_FILTER, '-T', 'pdml'], env);
  const frames: Record<string, WsdBaselineFrame> = {};
  for (const p of parsePdml(r.stdout)) {
    const f = frameOf(p);
    if (f !== null) frames[f[0]] = f[1];
  }
  const entry: WsdCaptureEntry = { base, sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), frames };
  const err = tsharkFailure(r);
  if (err !== undefined) entry.tshark_error = err;
  return entry;
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/wsd/tshark-wsd.json', true);
  const root = resolve(args.corpus);
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const corpus = args.probeAll ? (await selectCaptures(root, args, [], WSD_FILTER, 'WS-Discovery / HTTP XML', env)).map((s) => s.name) : CORPUS_CAPTURES;
    const list: [string, string, 'corpus' | 'repo'][] = [
      ...corpus.filter((n) => !args.only || n.includes(args.only)).map((n): [string, string, 'corpus'] => [n, join(root, n), 'corpus']),
      ...SAMPLE_CAPTURES.map((n): [string, string, 'repo'] => [n, n, 'repo']),
    ];
    const captures: Record<string, WsdCaptureEntry> = {};
    await mapConcurrently(list, args.jobs, ([, path, base]) => processCapture(path, base, env), ([name], e, done) => {
      captures[name] = e;
      process.stderr.write(`[${done}/${list.length}] ${name}: ${Object.keys(e.frames).length} frames\n`);
    });
    const sorted = Object.fromEntries(Object.entries(captures).sort(([a], [b]) => a.localeCompare(b)));
    const doc = {
      generator: 'scripts/make-wsd-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences)',
      commands: [`tshark -r F ${WSD_TSHARK_OPTIONS.join(' ')} -Y '${WSD_FILTER}' -T pdml`],
      format: 'captures[path].frames[frame.number] = { src, dst, kind, root, fields } rebuilt from xml.tag / xml.attribute / xml.cdata (text as tshark shows it: references not decoded)',
      captures: sorted,
    };
    const bytes = writeJsonFile(args.out, doc, { lastKeys: ['captures', 'frames'], numericKeys: true, inlineArrayMax: Infinity, inlineFlatObjects: true });
    process.stderr.write(`wrote ${args.out}: ${list.length} captures, ${bytes} bytes\n`);
  });
}

runScript(main);
