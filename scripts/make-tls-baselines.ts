/**
 * Generate test/conformance/tls/tshark-tls.json: tshark's view of every cleartext TLS handshake message and alert
 * carried over TCP in every capture of the shared corpus that holds TLS, message by message, so the TLS analyzer can
 * be compared with tshark field by field without running tshark at test time (test/conformance/tls/tls-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-tls-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/tls/tshark-tls.json] [--jobs 2] [--only SUBSTRING] [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `tls`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y '<FILTER>' -T fields -e frame.number` (stopped at its first output line).
 *
 * Per selected capture F it runs tshark twice (LC_ALL=C, empty WIRESHARK_CONFIG_DIR: default preferences, TCP and
 * TLS reassembly on):
 *   tshark -n -r F -Y '<FILTER>' -T fields -e frame.number -e tcp.stream -e ip.src -e ipv6.src -e tcp.srcport
 *          -e ip.dst -e ipv6.dst -e tcp.dstport            (where each frame was sent)
 *   tshark -n -r F -Y '<FILTER>' -T pdml -J tls           (the TLS dissection tree)
 * with FILTER = `tcp and (tls.handshake.type or tls.alert_message)` (QUIC carries TLS handshake messages over UDP:
 * left out). PDML, not `-T fields`, because one frame may hold several messages and certificates, and a field such
 * as tls.handshake.sig_hash_alg appears in several extensions and messages: the tree says which is which.
 *
 * Per frame the JSON keeps the connection (tcp.stream, addresses, ports) and its messages in order, each with the
 * record's content type and version, the handshake type, the values of the fields listed in MESSAGE_FIELDS (outside
 * extensions and certificates), the extension types, the values of EXTENSION_FIELDS inside the extension they belong
 * to, the alert level and description, and per certificate the X.509 fields of `TsharkCert`
 * (test/conformance/tls/tshark-tls.ts). Values are tshark's `show` strings, untouched (the EC curve is its label). A
 * record tshark decrypted (a pcapng with embedded TLS keys) has record_type 23, its outer (opaque) type.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type {
  TsharkAttribute as Attribute, TsharkCert as Cert, TsharkMessage as Message, TsharkTlsCapture, TsharkTlsFrame as Frame,
} from '../test/conformance/tls/tshark-tls.js';
import { descendants, first, parsePdml, type PdmlNode, shows } from './tshark-pdml.js';
import {
  corpusLabel,
  type JsonLayout,
  mapConcurrently,
  parseBaselineArgs,
  run,
  runScript,
  selectCaptures,
  tsharkFailure,
  withTsharkEnvironment,
  writeJsonFile,
} from './tshark-runner.js';

/** The frames recorded. */
export const TLS_FILTER = 'tcp and (tls.handshake.type or tls.alert_message)';

/** Message-level fields kept (found outside extensions and certificates). */
export const MESSAGE_FIELDS = [
  'tls.handshake.version',
  'tls.handshake.session_id_length',
  'tls.handshake.ciphersuite',
  'tls.handshake.comp_method',
  'tls.handshake.ja3',
  'tls.handshake.ja3_full',
  'tls.handshake.ja3s',
  'tls.handshake.ja3s_full',
  // SSL 2.0 hellos
  'tls.handshake.cipherspec',
  'tls.handshake.challenge_length',
  'tls.handshake.session_id_hit',
  'tls.handshake.cert_type',
] as const;

/** Per extension type, the field kept from inside that extension. */
export const EXTENSION_FIELDS: Readonly<Record<string, string>> = {
  0: 'tls.handshake.extensions_server_name',
  10: 'tls.handshake.extensions_supported_group',
  11: 'tls.handshake.extensions_ec_point_format',
  13: 'tls.handshake.sig_hash_alg',
  16: 'tls.handshake.extensions_alpn_str',
  43: 'tls.handshake.extensions.supported_version',
  45: 'tls.extension.psk_ke_mode',
  51: 'tls.handshake.extensions_key_share_group',
};

const FRAME_FIELDS = ['frame.number', 'tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport'] as const;


const isExtension = (n: PdmlNode): boolean => n.children.some((c) => c.name === 'tls.handshake.extension.type');
const isCertificate = (n: PdmlNode): boolean => n.name === 'tls.handshake.certificate';

/** The OID of the first algorithm.id under `n`. */
const algorithmId = (n: PdmlNode | undefined): string => (n === undefined ? '' : shows(n, 'x509af.algorithm.id')[0] ?? '');

/** A Name's RDNs: per RDNSequence_item, per attribute, [OID, the shown value of its deepest non-OID field]. */
function rdns(name: PdmlNode | undefined): Attribute[][] {
  if (name === undefined) return [];
  return descendants(name, (d) => d.name === 'x509if.RDNSequence_item').map((rdn) =>
    descendants(rdn, (d) => d.name === 'x509if.RelativeDistinguishedName_item_element').map((atv): Attribute => {
      const leaves = descendants(atv, (d) => d.children.length === 0 && d.name !== 'x509if.oid' && d.name !== 'x509if.id');
      return [shows(atv, 'x509if.oid')[0] ?? shows(atv, 'x509if.id')[0] ?? '', leaves[leaves.length - 1]?.show ?? ''];
    }));
}

/** The time shown under a validity child (utcTime or generalizedTime). */
function time(n: PdmlNode | undefined): string {
  if (n === undefined) return '';
  return shows(n, 'x509af.utcTime')[0] ?? shows(n, 'x509af.generalizedTime')[0] ?? '';
}

/** One tls.handshake.certificate node. */
function certificate(c: PdmlNode): Cert {
  const tbs = first(c, 'x509af.signedCertificate_element');
  const outer = c.children.find((x) => x.name === 'x509af.algorithmIdentifier_element') ?? first(c, 'x509af.algorithmIdentifier_element');
  const spki = tbs === undefined ? undefined : first(tbs, 'x509af.subjectPublicKeyInfo_element');
  const san = tbs === undefined ? undefined : descendants(tbs, (d) => d.name === 'x509af.Extension_element' && shows(d, 'x509af.extension.id')[0] === '2.5.29.17')[0];
  const bc = tbs === undefined ? undefined : descendants(tbs, (d) => d.name === 'x509af.Extension_element' && shows(d, 'x509af.extension.id')[0] === '2.5.29.19')[0];
  const version = tbs === undefined ? undefined : shows(tbs, 'x509af.version')[0];
  return {
    ...(version !== undefined ? { version } : {}),
    serial: tbs === undefined ? '' : shows(tbs, 'x509af.serialNumber')[0] ?? '',
    sig_alg: algorithmId(outer),
    tbs_sig_alg: tbs === undefined ? '' : algorithmId(first(tbs, 'x509af.signature_element')),
    issuer: rdns(tbs === undefined ? undefined : first(tbs, 'x509af.issuer')),
    subject: rdns(tbs === undefined ? undefined : first(tbs, 'x509af.subject')),
    not_before: time(tbs === undefined ? undefined : first(tbs, 'x509af.notBefore')),
    not_after: time(tbs === undefined ? undefined : first(tbs, 'x509af.notAfter')),
    spki_alg: algorithmId(spki),
    ...(spki !== undefined && first(spki, 'pkcs1.modulus') ? { modulus: first(spki, 'pkcs1.modulus')!.value } : {}),
    ...(spki !== undefined && first(spki, 'pkcs1.namedCurve') ? { curve: first(spki, 'pkcs1.namedCurve')!.showname.replace(/^namedCurve: /, '') } : {}),
    san_dns: san === undefined ? [] : shows(san, 'x509ce.dNSName'),
    san_ip: san === undefined ? [] : descendants(san, (d) => d.name === 'x509ce.IPAddress.ipv4' || d.name === 'x509ce.IPAddress.ipv6').map((d) => d.show),
    ...(bc !== undefined ? { ca: shows(bc, 'x509ce.cA')[0] ?? '0' } : {}),
  };
}

/** One handshake message node (tls.handshake, or an SSL 2.0 record holding its fields directly). */
function message(m: PdmlNode, recordType: string, recordVersion: string): Message {
  const f: Record<string, string[]> = {};
  const add = (k: string, v: string[]): void => {
    if (v.length > 0) (f[k] ??= []).push(...v);
  };
  const pruneExtCert = (d: PdmlNode): boolean => isExtension(d) || isCertificate(d);
  for (const name of MESSAGE_FIELDS) add(name, shows(m, name, pruneExtCert));
  for (const ext of descendants(m, isExtension, isCertificate)) {
    const type = shows(ext, 'tls.handshake.extension.type')[0] ?? '';
    add('tls.handshake.extension.type', [type]);
    const field = EXTENSION_FIELDS[type];
    if (field !== undefined) add(field, shows(ext, field));
  }
  const certs = descendants(m, isCertificate, isCertificate).map(certificate);
  return {
    record_type: recordType,
    record_version: recordVersion,
    type: shows(m, 'tls.handshake.type', pruneExtCert)[0] ?? '',
    f,
    ...(certs.length > 0 ? { certs } : {}),
  };
}

/** The messages and alerts of one packet, in order. */
function packetMessages(p: PdmlNode): Message[] {
  const out: Message[] = [];
  for (const proto of p.children.filter((c) => c.name === 'tls')) {
    for (const rec of descendants(proto, (d) => d.name === 'tls.record', (d) => d.name === 'tls.record')) {
      // A record tshark decrypted shows its outer type as tls.record.opaque_type (23): kept as the record's type.
      const notHandshake = (d: PdmlNode): boolean => d.name === 'tls.handshake';
      const type = shows(rec, 'tls.record.opaque_type', notHandshake)[0] ?? shows(rec, 'tls.record.content_type', notHandshake)[0] ?? '';
      const version = shows(rec, 'tls.record.version', notHandshake)[0] ?? '';
      const hs = descendants(rec, (d) => d.name === 'tls.handshake', (d) => d.name === 'tls.handshake');
      if (hs.length > 0) for (const h of hs) out.push(message(h, type, version));
      else if (rec.children.some((c) => c.name === 'tls.handshake.type')) out.push(message(rec, type, version)); // SSL 2.0
      const alert = first(rec, 'tls.alert_message');
      if (alert !== undefined) {
        out.push({ record_type: type, record_version: version, f: {}, alert_level: shows(alert, 'tls.alert_message.level')[0] ?? '',
          alert_desc: shows(alert, 'tls.alert_message.desc')[0] ?? '' });
      }
    }
  }
  return out;
}

const last = (s: string): string => s.split(',').pop() ?? '';

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<TsharkTlsCapture> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const ctx = await run('tshark', ['-r', file, '-n', '-Y', TLS_FILTER, '-T', 'fields', '-E', 'separator=/t', ...FRAME_FIELDS.flatMap((f) => ['-e', f])], env);
  const pdml = await run('tshark', ['-r', file, '-n', '-Y', TLS_FILTER, '-T', 'pdml', '-J', 'tls'], env);
  const where = new Map<string, string[]>();
  for (const line of ctx.stdout.split('\n')) if (line !== '') where.set(line.split('\t')[0]!, line.split('\t'));
  const frames: Record<string, Frame> = {};
  let messages = 0;
  for (const p of parsePdml(pdml.stdout)) {
    const num = p.children.find((c) => c.name === 'geninfo')?.children.find((c) => c.name === 'num')?.show ?? '';
    const w = where.get(num);
    if (w === undefined) throw new Error(`${name}: frame ${num} in the PDML but not in the field output`);
    const ms = packetMessages(p);
    messages += ms.length;
    frames[num] = { stream: w[1]!, src: last(w[2] || w[3]!), sport: last(w[4]!), dst: last(w[5] || w[6]!), dport: last(w[7]!), messages: ms };
  }
  const err = [tsharkFailure(ctx), tsharkFailure(pdml)].filter((e) => e !== undefined).join(' ');
  return {
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    selected_by: selectedBy,
    tls_frames: Object.keys(frames).length,
    messages,
    ...(err !== '' ? { tshark_error: err.replaceAll(file, name) } : {}),
    frames,
  };
}

/** Frames in numeric order, one frame object per line block; short lists inline. */
const LAYOUT: JsonLayout = { lastKeys: ['captures', 'frames'], numericKeys: true, inlineArrayMax: 400, inlineFlatObjects: true, inlineNestedArrays: true };

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/tls/tshark-tls.json', true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, ['tls'], TLS_FILTER, 'TLS', env);
    const captures: Record<string, TsharkTlsCapture> = {};
    await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.tls_frames} frames, ${e.messages} messages${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });
    const doc = {
      generator: 'scripts/make-tls-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      selection: `manifest.tsv protocols column holds "tls"; captures missing from the manifest probed with: tshark -n -r F -Y '${TLS_FILTER}' -T fields -e frame.number (first line)`,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences: TCP and TLS reassembly on)',
      commands: [
        `tshark -r F -n -Y '${TLS_FILTER}' -T fields -E separator=/t ${FRAME_FIELDS.map((f) => `-e ${f}`).join(' ')}`,
        `tshark -r F -n -Y '${TLS_FILTER}' -T pdml -J tls`,
      ],
      format: 'captures[path].frames[frame.number] = {stream, src, sport, dst, dport, messages: [{record_type, record_version, type, f: {field: [show...]}, certs?, alert_level?, alert_desc?}]}',
      message_fields: MESSAGE_FIELDS,
      extension_fields: EXTENSION_FIELDS,
      totals: {
        captures: selected.length,
        tls_frames: Object.values(captures).reduce((a, c) => a + c.tls_frames, 0),
        messages: Object.values(captures).reduce((a, c) => a + c.messages, 0),
      },
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.tls_frames} frames, ${doc.totals.messages} messages, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
