/**
 * Generate the tshark baselines of the remote-access TCP analyzers: test/conformance/{ssh,telnet,ftp,rdp}/
 * tshark-<protocol>.json, tshark's field values for every frame of every corpus capture holding the protocol, so
 * medtap's logs can be compared with tshark connection by connection without running tshark at test time
 * (test/conformance/<protocol>/<protocol>-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-remote-access-baselines.js
 *     [--corpus ../shared/corpus] [--jobs 2] [--only SUBSTRING] [--protocol ssh|telnet|ftp|rdp]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus whose manifest.tsv `protocols` column holds one of the
 * protocol's tokens (a capture missing from the manifest is probed with `tshark -Y <filter>`).
 *
 * Per selected capture F and protocol, tshark runs once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR: default preferences):
 *   tshark -r F -n -Y <filter> -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * with <US> the ASCII unit separator 0x1F. The first fields locate the frame in its connection (tcp.stream, the
 * addresses and ports); tshark puts a message's fields on the frame that completes it.
 *
 * Secrets are never written: the arguments of an FTP frame that carries PASS or ACCT become "<redacted>"; the data a
 * Telnet client types (user names and passwords alike) becomes "<redacted:N>", N its printable characters; and the
 * Telnet server's data is kept only until the client first types something (the pre-login banner the analyzer
 * reports), later data becomes "" (session output).
 */
import { resolve } from 'node:path';
import {
  corpusLabel,
  FRAME_BASELINE_LAYOUT,
  mapConcurrently,
  parseBaselineArgs,
  run,
  runScript,
  selectCaptures,
  tsharkFailure,
  tsharkFieldArgs,
  withTsharkEnvironment,
  writeJsonFile,
} from './tshark-runner.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const STREAM_AGGREGATOR = '\u001f';

/** The first columns of every remote-access baseline: the frame, its connection, its direction. */
export const STREAM_CONTEXT_FIELDS = ['frame.number', 'tcp.stream', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst', 'tcp.dstport', '_ws.expert.message'] as const;

/** The protocols this script makes baselines for. */
export type RemoteProtocol = 'ssh' | 'telnet' | 'ftp' | 'rdp';

/** Removes secrets from one row (values in `fields` order after frame.number), given the rows before it. */
type Redactor = (row: string[], col: (field: string) => number, state: Map<string, boolean>) => void;

/** What one protocol's baseline holds. */
interface Spec {
  manifestTokens: readonly string[];
  filter: string;
  fields: readonly string[];
  redact?: Redactor;
}

/** FTP: the arguments of a frame carrying PASS or ACCT are replaced. */
const redactFtp: Redactor = (row, col) => {
  const cmds = (row[col('ftp.request.command')] ?? '').split(STREAM_AGGREGATOR);
  const argCol = col('ftp.request.arg');
  if (cmds.some((c) => /^(PASS|ACCT)$/i.test(c)) && (row[argCol] ?? '') !== '') {
    row[argCol] = row[argCol]!.split(STREAM_AGGREGATOR).map(() => '<redacted>').join(STREAM_AGGREGATOR);
  }
};

/** Printable characters of a tshark text value (its escapes \r, \n, \xNN … not counted). */
function printable(v: string): number {
  return v.replace(/\\x[0-9a-fA-F]{2}|\\[abfnrtv\\"]/g, '').replace(/[^\x20-\x7e]/g, '').length;
}

/** Telnet: client data → "<redacted:N>"; server data kept only before the client's first printable data. */
const redactTelnet: Redactor = (row, col, typed) => {
  const dataCol = col('telnet.data');
  const data = row[dataCol] ?? '';
  if (data === '') return;
  const stream = row[col('tcp.stream')] ?? '';
  const fromServer = row[col('tcp.srcport')] === '23';
  if (!fromServer) {
    const n = data.split(STREAM_AGGREGATOR).reduce((a, v) => a + printable(v), 0);
    row[dataCol] = `<redacted:${n}>`;
    if (n > 0) typed.set(stream, true);
  } else if (typed.get(stream)) row[dataCol] = '';
};

const SPECS: Record<RemoteProtocol, Spec> = {
  ssh: {
    manifestTokens: ['ssh'],
    filter: 'ssh.protocol || ssh.message_code == 20',
    fields: [
      'ssh.protocol', 'ssh.message_code', 'ssh.cookie', 'ssh.kex_algorithms', 'ssh.server_host_key_algorithms',
      'ssh.encryption_algorithms_client_to_server', 'ssh.encryption_algorithms_server_to_client',
      'ssh.mac_algorithms_client_to_server', 'ssh.mac_algorithms_server_to_client',
      'ssh.compression_algorithms_client_to_server', 'ssh.compression_algorithms_server_to_client',
      'ssh.languages_client_to_server', 'ssh.languages_server_to_client', 'ssh.first_kex_packet_follows',
      'ssh.kex.hassh_algorithms', 'ssh.kex.hassh', 'ssh.kex.hasshserver_algorithms', 'ssh.kex.hasshserver',
    ],
  },
  telnet: {
    manifestTokens: ['telnet'],
    filter: 'telnet',
    fields: ['telnet.cmd', 'telnet.subcmd', 'telnet.string_subopt.value', 'telnet.naws_subopt.width', 'telnet.naws_subopt.height', 'telnet.data'],
    redact: redactTelnet,
  },
  ftp: {
    manifestTokens: ['ftp'],
    filter: 'ftp.request || ftp.response',
    fields: [
      'ftp.request.command', 'ftp.request.arg', 'ftp.response.code', 'ftp.response.arg', 'ftp.passive.ip', 'ftp.passive.port',
      'ftp.active.cip', 'ftp.active.port', 'ftp.eprt.ip', 'ftp.eprt.ipv6', 'ftp.eprt.port', 'ftp.epsv.ip', 'ftp.epsv.port',
    ],
    redact: redactFtp,
  },
  rdp: {
    manifestTokens: ['rdp'],
    filter: 'cotp.type == 0x0e || cotp.type == 0x0d',
    fields: [
      'cotp.type', 'cotp.destref', 'cotp.srcref', 'rdp.rt_cookie', 'rdp.neg_type', 'rdp.negReq.flags', 'rdp.negReq.requestedProtocols',
      'rdp.correlationInfo.correlationId', 'rdp.negRsp.flags', 'rdp.negReq.selectedProtocol', 'rdp.negFailure.failureCode',
    ],
  },
};

/** One capture in a baseline. */
interface StreamCaptureEntry {
  sha256: string;
  size: number;
  selected_by: string;
  frames_count: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

/** Runs tshark for one capture and protocol and reads (and redacts) its rows. */
async function processCapture(root: string, name: string, selectedBy: string, spec: Spec, env: NodeJS.ProcessEnv): Promise<StreamCaptureEntry> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const fields = [...STREAM_CONTEXT_FIELDS, ...spec.fields];
  const r = await run('tshark', ['-r', file, '-n', '-Y', spec.filter, ...tsharkFieldArgs(fields, STREAM_AGGREGATOR)], env);
  const index = new Map(fields.map((f, i) => [f, i - 1]));
  const col = (f: string): number => index.get(f)!;
  const state = new Map<string, boolean>();
  const frames: Record<string, string[]> = {};
  let malformed = 0;
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const v = line.split('\t');
    if (!/^\d+$/.test(v[0] ?? '')) throw new Error(`${name}: unexpected tshark line ${JSON.stringify(line.slice(0, 80))}`);
    const row = v.slice(1);
    if ((row[col('_ws.expert.message')] ?? '').includes('Malformed Packet')) malformed++;
    spec.redact?.(row, col, state);
    while (row.length > 0 && row[row.length - 1] === '') row.pop();
    frames[v[0]!] = row;
  }
  return {
    sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length, selected_by: selectedBy,
    frames_count: Object.keys(frames).length, notes: malformed > 0 ? [`malformed: ${malformed} frames flagged "Malformed Packet" by tshark`] : [],
    tshark_error: tsharkFailure(r)?.replaceAll(file, name), frames,
  };
}

/** Writes one protocol's baseline. */
async function makeBaseline(protocol: RemoteProtocol, root: string, args: ReturnType<typeof parseBaselineArgs>, env: NodeJS.ProcessEnv, tsharkVersion: string): Promise<void> {
  const spec = SPECS[protocol];
  const out = `test/conformance/${protocol}/tshark-${protocol}.json`;
  const selected = await selectCaptures(root, args, spec.manifestTokens, spec.filter, protocol, env);
  const captures: Record<string, StreamCaptureEntry> = {};
  await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, spec, env), (s, e, done) => {
    captures[s.name] = e;
    process.stderr.write(`[${protocol} ${done}/${selected.length}] ${s.name}: ${e.frames_count} frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
  });
  const fields = [...STREAM_CONTEXT_FIELDS, ...spec.fields];
  const doc = {
    generator: 'scripts/make-remote-access-baselines.ts',
    tshark_version: tsharkVersion,
    corpus: corpusLabel(root),
    selection: `manifest.tsv protocols column holds ${spec.manifestTokens.map((t) => `"${t}"`).join(' or ')}; captures missing from the manifest probed with tshark -Y '${spec.filter}'`,
    environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences)',
    commands: [`tshark -r F -n -Y '${spec.filter}' -T fields -E header=n -E separator=/t -E occurrence=a -E "aggregator=$(printf '\\037')" ${fields.map((f) => `-e ${f}`).join(' ')}`],
    redaction: spec.redact === undefined ? 'none' : protocol === 'ftp' ? 'ftp.request.arg of frames carrying PASS/ACCT -> "<redacted>"'
      : 'client telnet.data -> "<redacted:N>" (N printable characters); server telnet.data after the client first typed -> ""',
    format: 'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`',
    aggregator: STREAM_AGGREGATOR,
    fields,
    totals: { captures: selected.length, frames: Object.values(captures).reduce((a, c) => a + c.frames_count, 0) },
    captures,
  };
  const bytes = writeJsonFile(out, doc, FRAME_BASELINE_LAYOUT);
  process.stderr.write(`wrote ${out}: ${doc.totals.captures} captures, ${doc.totals.frames} frames, ${bytes} bytes\n`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let only: RemoteProtocol | null = null;
  const p = argv.indexOf('--protocol');
  if (p >= 0) {
    const v = argv[p + 1];
    if (v !== 'ssh' && v !== 'telnet' && v !== 'ftp' && v !== 'rdp') throw new Error(`--protocol must be ssh, telnet, ftp or rdp`);
    only = v;
    argv.splice(p, 2);
  }
  const args = parseBaselineArgs(argv, '', false);
  const root = resolve(args.corpus);
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    for (const protocol of ['ssh', 'telnet', 'ftp', 'rdp'] as const) {
      if (only === null || only === protocol) await makeBaseline(protocol, root, args, env, tsharkVersion);
    }
  });
}

runScript(main);
