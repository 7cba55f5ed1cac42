/**
 * Writes test/conformance/map/tshark-map.json: what tshark sees in the captures the network-map tests ingest, to
 * check the map's edges and endpoint names against it (test/e2e/map.test.ts):
 * - TCP connections per server port: every tcp.stream, its server port the destination of its client SYN (SYN without
 *   ACK), else (a connection picked up mid-stream) the lower of its two ports;
 * - application protocols per server port: the protocols tshark dissects on those streams' payload frames
 *   (frame.protocols), named as medtap's analyzers name them;
 * - DNS names: (address, question name) for every dns.a / dns.aaaa of responses on UDP port 53;
 * - TLS SNI: (server address, server_name) of every ClientHello over TCP carrying one (QUIC is not analysed).
 *
 * Usage: node dist/scripts/make-map-baselines.js [--corpus DIR] [--out FILE]
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBaselineArgs, run, runScript, tsharkFailure, withTsharkEnvironment } from './tshark-runner.js';

/** The captures: repository samples, then corpus-relative paths. */
export const MAP_BASELINE_CAPTURES = [
  'samples/hospital.pcap',
  'samples/medical/hl7-pcd01-oru.pcap',
  'corpus:medical/tapirx__dicom_arq_1_find_testclient.pcap',
  'corpus:tls_quic/ja4__tls-sni.pcapng',
  'corpus:telnet_ftp/malcolm__Telnet.pcap',
] as const;

/** tshark protocol names (frame.protocols tokens) -> medtap application protocol names. */
const TSHARK_APP: Readonly<Record<string, string>> = {
  tls: 'tls', http: 'http', dicom: 'dicom', hl7: 'hl7', ssh: 'ssh', telnet: 'telnet', ftp: 'ftp', smb: 'smb', smb2: 'smb', rdp: 'rdp',
};

/** What tshark sees in one capture. */
export interface MapBaseline {
  tcp_connections_by_server_port: Record<string, number>;
  app_protos_by_server_port: Record<string, string[]>;
  dns_names: [string, string][];
  sni_names: [string, string][];
  tshark_error?: string;
}

/** The file of a capture entry. */
export function capturePath(entry: string, root: string, corpus: string): string {
  return entry.startsWith('corpus:') ? join(corpus, entry.slice(7)) : join(root, entry);
}

async function fields(file: string, filter: string, fieldNames: string[], env: NodeJS.ProcessEnv): Promise<{ rows: string[][]; error?: string }> {
  const r = await run('tshark', ['-r', file, '-Y', filter, '-T', 'fields', '-E', 'separator=\t', '-E', 'aggregator=,', ...fieldNames.flatMap((f) => ['-e', f])], env);
  const error = tsharkFailure(r);
  const rows = r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  return error === undefined ? { rows } : { rows, error };
}

async function baselineOf(file: string, env: NodeJS.ProcessEnv): Promise<MapBaseline> {
  const syn = await fields(file, 'tcp', ['tcp.stream', 'tcp.srcport', 'tcp.dstport', 'tcp.flags.syn', 'tcp.flags.ack'], env);
  const portOfStream = new Map<string, string>();
  const bySyn = new Set<string>();
  for (const [stream, sp, dp, synFlag, ack] of syn.rows) {
    if (!stream || !sp || !dp || bySyn.has(stream)) continue;
    const clientSyn = (synFlag === '1' || synFlag === 'True') && (ack === '0' || ack === 'False');
    if (clientSyn) {
      portOfStream.set(stream, dp);
      bySyn.add(stream);
    } else if (!portOfStream.has(stream)) portOfStream.set(stream, String(Math.min(Number(sp), Number(dp))));
  }
  const byPort: Record<string, number> = {};
  for (const port of portOfStream.values()) byPort[port] = (byPort[port] ?? 0) + 1;
  const payload = await fields(file, 'tcp.len > 0', ['tcp.stream', 'frame.protocols'], env);
  const apps = new Map<string, Set<string>>();
  for (const [stream, protocols] of payload.rows) {
    const port = portOfStream.get(stream ?? '');
    if (port === undefined) continue;
    for (const p of (protocols ?? '').split(':')) {
      const app = TSHARK_APP[p];
      if (app === undefined) continue;
      if (!apps.has(port)) apps.set(port, new Set());
      apps.get(port)!.add(app);
    }
  }
  const dns = await fields(file, 'udp.port == 53 && dns.flags.response == 1', ['dns.qry.name', 'dns.a', 'dns.aaaa'], env);
  const dnsNames = new Set<string>();
  for (const [q, a, aaaa] of dns.rows) {
    if (!q) continue;
    for (const ip of [...(a ?? '').split(','), ...(aaaa ?? '').split(',')]) if (ip !== '') dnsNames.add(JSON.stringify([ip, q.toLowerCase()]));
  }
  const sni = await fields(file, 'tcp && tls.handshake.type == 1 && tls.handshake.extensions_server_name', ['ip.dst', 'ipv6.dst', 'tls.handshake.extensions_server_name'], env);
  const sniNames = new Set<string>();
  for (const [v4, v6, name] of sni.rows) if (name) sniNames.add(JSON.stringify([v4 || v6, name.toLowerCase()]));
  const error = [syn.error, payload.error, dns.error, sni.error].find((e) => e !== undefined);
  return {
    tcp_connections_by_server_port: byPort,
    app_protos_by_server_port: Object.fromEntries([...apps].sort(([a], [b]) => Number(a) - Number(b)).map(([p, s]) => [p, [...s].sort()])),
    dns_names: [...dnsNames].sort().map((s) => JSON.parse(s) as [string, string]),
    sni_names: [...sniNames].sort().map((s) => JSON.parse(s) as [string, string]),
    ...(error === undefined ? {} : { tshark_error: error }),
  };
}

/** Generates the baseline (only when run as a script: the e2e test imports this module for its capture list). */
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) runScript(async () => {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/map/tshark-map.json', false);
  const root = resolve('.');
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const captures: Record<string, MapBaseline> = {};
    for (const c of MAP_BASELINE_CAPTURES) captures[c] = await baselineOf(capturePath(c, root, resolve(args.corpus)), env);
    const doc = { generated_by: 'scripts/make-map-baselines.ts', tshark: tsharkVersion, captures };
    writeFileSync(args.out, `${JSON.stringify(doc, null, 1)}\n`);
    process.stdout.write(`wrote ${args.out}: ${Object.keys(captures).length} captures\n`);
  });
});
