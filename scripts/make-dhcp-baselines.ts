/**
 * Generate test/conformance/dhcp/tshark-dhcp.json: tshark's DHCP field values for every DHCP frame of every
 * capture in the shared corpus that holds DHCP, so the DHCP parser can be compared with tshark field by field
 * without running tshark at test time (test/conformance/dhcp/dhcp-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-dhcp-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/dhcp/tshark-dhcp.json] [--jobs 2] [--only SUBSTRING]
 *     [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose
 * manifest.tsv `protocols` column holds the token `dhcp`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y dhcp -T fields -e frame.number` (stopped at its first output line). `--probe-all` probes every
 * capture instead of trusting the manifest (slower; used once to check that both selections agree: they do, 31
 * captures). Note: `tshark -Y dhcp -c 1` is NOT a usable probe: in tshark 4.0 `-c` counts packets read, not packets
 * displayed, so it only finds captures whose first frame is DHCP (it missed 10 of the 31).
 *
 * Per selected capture F it runs tshark once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR so no personal preference
 * changes the result; every dissector preference at its default, IP reassembly included):
 *   tshark -n -r F -Y dhcp -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=, -e <FIELDS>
 * Field names were checked against `tshark -G fields` of TShark 4.0.17.
 *
 * The JSON stores, per capture, `frames`: frame number -> array of the raw tshark strings in the order of the
 * top-level `fields` array (frame.number itself is the key; trailing empty values are dropped). Values are kept
 * exactly as tshark printed them: multi-occurrence fields are joined with "," (so a string field holding a comma
 * is ambiguous; the test only splits list fields whose values cannot contain one).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const DHCP_TSHARK_FIELDS = [
  'frame.number',
  // Transport context: a tunnelled frame shows two UDP layers; fragments are reassembled by tshark.
  'udp.srcport',
  'udp.dstport',
  'ip.flags.mf',
  'ip.frag_offset',
  '_ws.expert.message',
  // Fixed header (RFC 2131 §2).
  'dhcp.type',
  'dhcp.hw.type',
  'dhcp.hw.len',
  'dhcp.hops',
  'dhcp.id',
  'dhcp.secs',
  'dhcp.flags.bc',
  'dhcp.ip.client',
  'dhcp.ip.your',
  'dhcp.ip.server',
  'dhcp.ip.relay',
  'dhcp.hw.mac_addr',
  'dhcp.hw.addr',
  'dhcp.server',
  'dhcp.file',
  'dhcp.cookie',
  'dhcp.bootp',
  // Every option (tshark renders End as type 0 and gives no length/value for it).
  'dhcp.option.type',
  'dhcp.option.length',
  'dhcp.option.value',
  // Decoded options (RFC 2132 and later).
  'dhcp.option.dhcp',
  'dhcp.option.option_overload',
  'dhcp.option.subnet_mask',
  'dhcp.option.router',
  'dhcp.option.domain_name_server',
  'dhcp.option.hostname',
  'dhcp.option.domain_name',
  'dhcp.option.ntp_server',
  'dhcp.option.requested_ip_address',
  'dhcp.option.ip_address_lease_time',
  'dhcp.option.dhcp_server_id',
  'dhcp.option.request_list_item',
  'dhcp.option.dhcp_max_message_size',
  'dhcp.option.renewal_time_value',
  'dhcp.option.rebinding_time_value',
  'dhcp.option.vendor_class_id',
  'dhcp.client_id.type',
  'dhcp.client_id',
  'dhcp.client_id.undef',
  'dhcp.option.user_class.data',
  'dhcp.option.user_class.text',
  'dhcp.fqdn.flags',
  'dhcp.fqdn.name',
  'dhcp.option.agent_information_option.agent_circuit_id',
  'dhcp.option.agent_information_option.agent_remote_id',
  'dhcp.option.dhcp_dns_domain_search_list_fqdn',
] as const;

const TSHARK_ARGS = [
  '-n', '-Y', 'dhcp', '-T', 'fields', '-E', 'header=n', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
  ...DHCP_TSHARK_FIELDS.flatMap((f) => ['-e', f]),
];

interface Args { corpus: string; out: string; jobs: number; only: string | null; probeAll: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { corpus: '../shared/corpus', out: 'test/conformance/dhcp/tshark-dhcp.json', jobs: 2, only: null, probeAll: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--corpus' && v) { a.corpus = v; i++; } else if (k === '--out' && v) { a.out = v; i++; } else if (k === '--jobs' && v) { a.jobs = Math.max(1, Number(v)); i++; } else if (k === '--only' && v) { a.only = v; i++; } else if (k === '--probe-all') a.probeAll = true; else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

interface RunResult { code: number | null; stdout: string; stderr: string }

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** True if tshark shows at least one frame matching `filter` (stops tshark at its first output line). */
function probe(file: string, filter: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((res, rej) => {
    const p = spawn('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let found = false;
    p.stdout.on('data', (b: Buffer) => {
      if (!found && b.toString('utf8').trim() !== '') {
        found = true;
        p.kill();
      }
    });
    p.on('error', rej);
    p.on('close', () => res(found));
  });
}

/** Relevant stderr lines (drops tshark's "Running as user root" warning). */
function stderrLines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Running as user/.test(l));
}

/** Every *.pcap / *.pcapng below root (not under baselines/), as sorted '/'-separated relative paths. */
function listCaptures(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'baselines') walk(p); } else if (e.isFile() && /\.(pcap|pcapng)$/i.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.map((p) => relative(root, p).split(sep).join('/')).sort();
}

/** manifest.tsv: relative path -> protocols tokens (null when the manifest is missing). */
function readManifest(root: string): Map<string, string[]> | null {
  let text: string;
  try {
    text = readFileSync(join(root, 'manifest.tsv'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const head = (lines[0] ?? '').split('\t');
  const fileCol = head.indexOf('file');
  const protoCol = head.indexOf('protocols');
  if (fileCol < 0 || protoCol < 0) throw new Error('manifest.tsv: header lacks file/protocols columns');
  const m = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    m.set(c[fileCol] ?? '', (c[protoCol] ?? '').split(','));
  }
  return m;
}

/** One capture in the output. */
interface DhcpCaptureEntry {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  dhcp_frames: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

const F = Object.fromEntries(DHCP_TSHARK_FIELDS.map((f, i) => [f, i])) as Record<(typeof DHCP_TSHARK_FIELDS)[number], number>;

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<DhcpCaptureEntry> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const ts = await run('tshark', ['-r', file, ...TSHARK_ARGS], env);
  const frames: Record<string, string[]> = {};
  let tunnelled = 0, fragmented = 0, malformed = 0, nonStandardPort = 0;
  for (const line of ts.stdout.split('\n')) {
    if (line === '') continue;
    const v = line.split('\t');
    const num = v[0] ?? '';
    if (!/^\d+$/.test(num)) throw new Error(`${name}: unexpected tshark line ${JSON.stringify(line.slice(0, 80))}`);
    const rest = v.slice(1);
    while (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    frames[num] = rest;
    const sports = (v[F['udp.srcport']] ?? '').split(',');
    const dports = (v[F['udp.dstport']] ?? '').split(',');
    if (sports.length > 1) tunnelled++;
    const last = (a: string[]): string => a[a.length - 1] ?? '';
    if (!['67', '68'].includes(last(sports)) && !['67', '68'].includes(last(dports))) nonStandardPort++;
    if ((v[F['ip.flags.mf']] ?? '').split(',').includes('1') || (v[F['ip.frag_offset']] ?? '').split(',').some((x) => Number(x) > 0)) fragmented++;
    if ((v[F['_ws.expert.message']] ?? '').includes('Malformed Packet')) malformed++;
  }
  const notes: string[] = [];
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} DHCP frames carry more than one UDP layer (DHCP inside a tunnel)`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} DHCP frames complete a reassembled IPv4 datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} DHCP frames use neither UDP port 67 nor 68`);
  if (malformed) notes.push(`malformed: ${malformed} DHCP frames flagged "Malformed Packet" by tshark`);
  const entry: DhcpCaptureEntry = {
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    selected_by: selectedBy,
    dhcp_frames: Object.keys(frames).length,
    notes,
    frames,
  };
  const errLines = stderrLines(ts.stderr);
  if (ts.code !== 0 || errLines.length > 0) entry.tshark_error = (errLines.join(' ') || `exit code ${ts.code}`).replaceAll(file, name);
  return entry;
}

/** JSON with sorted keys (frame keys in numeric order, `captures`/`frames` last); arrays of primitives stay on one line. */
function stringify(v: unknown, indent = ''): string {
  const isPrim = (x: unknown): boolean => x === null || typeof x !== 'object';
  if (isPrim(v)) return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isPrim)) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + stringify(x, inner)).join(',\n')}\n${indent}]`;
  }
  const o = v as Record<string, unknown>;
  const numeric = (k: string): boolean => /^\d+$/.test(k);
  // The bulky maps go last so the metadata stays at the top of the file.
  const rank = (k: string): number => (k === 'captures' || k === 'frames' ? 1 : 0);
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort((x, y) =>
    rank(x) - rank(y) || (numeric(x) && numeric(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0));
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringify(o[k], inner)}`).join(',\n')}\n${indent}}`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(args.corpus);
  const t0 = Date.now();
  const cfg = mkdtempSync(join(tmpdir(), 'medtap-tshark-cfg-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', WIRESHARK_CONFIG_DIR: cfg };
  try {
    const tv = await run('tshark', ['--version'], env);
    const tsharkVersion = (tv.stdout.split('\n')[0] ?? '').trim();
    if (!tsharkVersion.startsWith('TShark')) throw new Error(`tshark not usable: ${tv.stderr}`);

    const manifest = args.probeAll ? null : readManifest(root);
    let names = listCaptures(root);
    if (args.only) names = names.filter((n) => n.includes(args.only!));
    const selected: { name: string; by: string }[] = [];
    let probed = 0;
    for (const name of names) {
      const protos = manifest?.get(name);
      if (protos) {
        if (protos.includes('dhcp')) selected.push({ name, by: 'manifest' });
        continue;
      }
      probed++;
      if (await probe(join(root, name), 'dhcp', env)) selected.push({ name, by: 'probe' });
    }
    process.stderr.write(`${selected.length} of ${names.length} captures hold DHCP (${probed} probed with tshark)\n`);

    const captures: Record<string, DhcpCaptureEntry> = {};
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < selected.length) {
        const s = selected[next++]!;
        const e = await processCapture(root, s.name, s.by, env);
        captures[s.name] = e;
        done++;
        process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.dhcp_frames} DHCP frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.jobs, selected.length) }, () => worker()));

    const doc = {
      generator: 'scripts/make-dhcp-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: relative(process.cwd(), root).split(sep).join('/'),
      selection: args.probeAll
        ? 'every *.pcap/*.pcapng probed with: tshark -n -r F -Y dhcp -T fields -e frame.number (first line)'
        : 'manifest.tsv protocols column holds "dhcp"; captures missing from the manifest probed with: tshark -n -r F -Y dhcp -T fields -e frame.number (first line)',
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)',
      commands: [`tshark -r F ${TSHARK_ARGS.map((a) => (/[\s,]/.test(a) ? `'${a}'` : a)).join(' ')}`],
      format: 'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped)',
      fields: DHCP_TSHARK_FIELDS,
      totals: { captures: selected.length, dhcp_frames: Object.values(captures).reduce((a, c) => a + c.dhcp_frames, 0) },
      captures,
    };
    writeFileSync(args.out, stringify(doc) + '\n');
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.dhcp_frames} DHCP frames, ${statSync(args.out).size} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
