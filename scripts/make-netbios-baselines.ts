/**
 * Generate test/conformance/netbios/tshark-netbios.json: tshark's NetBIOS name service (nbns), datagram service
 * (nbdgm) and browser field values for every nbns/nbdgm frame of every capture in the shared corpus that holds
 * them, so the NetBIOS parsers can be compared with tshark field by field without running tshark at test time
 * (test/conformance/netbios/netbios-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-netbios-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/netbios/tshark-netbios.json] [--jobs 2]
 *     [--only SUBSTRING] [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `nbns`, `nbdgm` or `browser`; a capture missing from the manifest is probed
 * with `tshark -n -r F -Y 'nbns || nbdgm' -T fields -e frame.number` (stopped at its first output line).
 * `--probe-all` probes every capture instead of trusting the manifest (slower; used once to check that both
 * selections agree). Note: `tshark -Y X -c 1` is NOT a usable probe: in tshark 4.0 `-c` counts packets read, not
 * packets displayed, so it only finds captures whose first frame matches.
 *
 * Per selected capture F it runs tshark once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR so no personal preference
 * changes the result; every dissector preference at its default, IP reassembly included):
 *   tshark -n -r F -Y 'nbns || nbdgm' -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US>
 *     -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F: NetBIOS names and browser comments may hold commas, while tshark
 * never prints a raw control character in a field value. Field names were checked against `tshark -G fields` of
 * TShark 4.0.17.
 *
 * The JSON stores, per capture, `frames`: frame number -> array of the raw tshark strings in the order of the
 * top-level `fields` array (frame.number itself is the key; trailing empty values are dropped). Values are kept
 * exactly as tshark printed them, multi-occurrence values joined with U+001F.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const NETBIOS_AGGREGATOR = '\u001f';

/** The display filter selecting the frames recorded. */
export const NETBIOS_FILTER = 'nbns || nbdgm';

/** The browser.server_type.* bit fields of tshark 4.0, in bit order. */
export const BROWSER_SERVER_TYPE_FIELDS = [
  'browser.server_type.workstation',
  'browser.server_type.server',
  'browser.server_type.sql',
  'browser.server_type.domain_controller',
  'browser.server_type.backup_controller',
  'browser.server_type.time',
  'browser.server_type.apple',
  'browser.server_type.novell',
  'browser.server_type.member',
  'browser.server_type.print',
  'browser.server_type.dialin',
  'browser.server_type.xenix',
  'browser.server_type.ntw',
  'browser.server_type.wfw',
  'browser.server_type.nts',
  'browser.server_type.browser.potential',
  'browser.server_type.browser.backup',
  'browser.server_type.browser.master',
  'browser.server_type.browser.domain_master',
  'browser.server_type.osf',
  'browser.server_type.vms',
  'browser.server_type.w95',
  'browser.server_type.dfs',
  'browser.server_type.local',
  'browser.server_type.domainenum',
] as const;

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const NETBIOS_TSHARK_FIELDS = [
  'frame.number',
  // Transport context: a tunnelled frame shows two UDP layers; fragments are reassembled by tshark.
  'udp.srcport',
  'udp.dstport',
  'ip.flags.mf',
  'ip.frag_offset',
  '_ws.expert.message',
  // Name service header (RFC 1002 §4.2.1.1).
  'nbns.id',
  'nbns.flags',
  'nbns.flags.response',
  'nbns.flags.opcode',
  'nbns.flags.authoritative',
  'nbns.flags.truncated',
  'nbns.flags.recdesired',
  'nbns.flags.recavail',
  'nbns.flags.broadcast',
  'nbns.flags.rcode',
  'nbns.count.queries',
  'nbns.count.answers',
  'nbns.count.auth_rr',
  'nbns.count.add_rr',
  // Questions and records (one occurrence each, questions first).
  'nbns.name',
  'nbns.type',
  'nbns.class',
  'nbns.ttl',
  'nbns.data_length',
  // NB RDATA entries (RFC 1002 §4.2.2).
  'nbns.nb_flags',
  'nbns.nb_flags.group',
  'nbns.nb_flags.ont',
  'nbns.addr',
  // NBSTAT RDATA (RFC 1002 §4.2.18).
  'nbns.number_of_names',
  'nbns.netbios_name',
  'nbns.name_flags',
  'nbns.name_flags.group',
  'nbns.unit_id',
  // Datagram header (RFC 1002 §4.4).
  'nbdgm.type',
  'nbdgm.flags',
  'nbdgm.next',
  'nbdgm.first',
  'nbdgm.node_type',
  'nbdgm.dgram_id',
  'nbdgm.src.ip',
  'nbdgm.src.port',
  'nbdgm.dgram_len',
  'nbdgm.pkt_offset',
  'nbdgm.error_code',
  'nbdgm.source_name',
  'nbdgm.destination_name',
  // SMB transaction carrying the mailslot ([MS-CIFS] §2.2.4.33).
  'smb.cmd',
  'smb.trans_name',
  // Browser frames ([MS-BRWS] §2.2).
  'browser.command',
  'browser.update_count',
  'browser.period',
  'browser.server',
  'browser.os_major',
  'browser.os_minor',
  'browser.server_type',
  ...BROWSER_SERVER_TYPE_FIELDS,
  'browser.proto_major',
  'browser.proto_minor',
  'browser.sig',
  'browser.comment',
  'browser.mb_server',
  'browser.mysterious_field',
] as const;

const TSHARK_ARGS = [
  '-n', '-Y', NETBIOS_FILTER, '-T', 'fields', '-E', 'header=n', '-E', 'separator=/t', '-E', 'occurrence=a',
  '-E', `aggregator=${NETBIOS_AGGREGATOR}`,
  ...NETBIOS_TSHARK_FIELDS.flatMap((f) => ['-e', f]),
];

/** Manifest tokens that select a capture. */
const MANIFEST_TOKENS = ['nbns', 'nbdgm', 'browser'];

interface Args { corpus: string; out: string; jobs: number; only: string | null; probeAll: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { corpus: '../shared/corpus', out: 'test/conformance/netbios/tshark-netbios.json', jobs: 2, only: null, probeAll: false };
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
interface NetbiosCaptureEntry {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  /** Frames tshark calls nbns / nbdgm (a frame is counted once). */
  nbns_frames: number;
  nbdgm_frames: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

const F = Object.fromEntries(NETBIOS_TSHARK_FIELDS.map((f, i) => [f, i])) as Record<(typeof NETBIOS_TSHARK_FIELDS)[number], number>;

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<NetbiosCaptureEntry> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const ts = await run('tshark', ['-r', file, ...TSHARK_ARGS], env);
  const frames: Record<string, string[]> = {};
  let nbns = 0, nbdgm = 0, tunnelled = 0, fragmented = 0, malformed = 0, nonStandardPort = 0;
  const ports = ['137', '138'];
  for (const line of ts.stdout.split('\n')) {
    if (line === '') continue;
    const v = line.split('\t');
    const num = v[0] ?? '';
    if (!/^\d+$/.test(num)) throw new Error(`${name}: unexpected tshark line ${JSON.stringify(line.slice(0, 80))}`);
    const rest = v.slice(1);
    while (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    frames[num] = rest;
    if ((v[F['nbns.id']] ?? '') !== '') nbns++;
    if ((v[F['nbdgm.type']] ?? '') !== '') nbdgm++;
    const sports = (v[F['udp.srcport']] ?? '').split(NETBIOS_AGGREGATOR);
    const dports = (v[F['udp.dstport']] ?? '').split(NETBIOS_AGGREGATOR);
    if (sports.length > 1) tunnelled++;
    const last = (a: string[]): string => a[a.length - 1] ?? '';
    if (!ports.includes(last(sports)) && !ports.includes(last(dports))) nonStandardPort++;
    if ((v[F['ip.flags.mf']] ?? '').split(NETBIOS_AGGREGATOR).includes('1') || (v[F['ip.frag_offset']] ?? '').split(NETBIOS_AGGREGATOR).some((x) => Number(x) > 0)) fragmented++;
    if ((v[F['_ws.expert.message']] ?? '').includes('Malformed Packet')) malformed++;
  }
  const notes: string[] = [];
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} frames carry more than one UDP layer (NetBIOS inside a tunnel)`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} frames complete a reassembled IPv4 datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} frames use neither UDP port 137 nor 138 (e.g. NetBIOS over LLC)`);
  if (malformed) notes.push(`malformed: ${malformed} frames flagged "Malformed Packet" by tshark`);
  const entry: NetbiosCaptureEntry = {
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    selected_by: selectedBy,
    nbns_frames: nbns,
    nbdgm_frames: nbdgm,
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

/** A shell-readable rendering of one tshark argument. */
function shellArg(a: string): string {
  if (a.includes(NETBIOS_AGGREGATOR)) return `"${a.replace(NETBIOS_AGGREGATOR, '$(printf \'\\037\')')}"`;
  return /[\s,|]/.test(a) ? `'${a}'` : a;
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
        if (protos.some((t) => MANIFEST_TOKENS.includes(t))) selected.push({ name, by: 'manifest' });
        continue;
      }
      probed++;
      if (await probe(join(root, name), NETBIOS_FILTER, env)) selected.push({ name, by: 'probe' });
    }
    process.stderr.write(`${selected.length} of ${names.length} captures hold NetBIOS (${probed} probed with tshark)\n`);

    const captures: Record<string, NetbiosCaptureEntry> = {};
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < selected.length) {
        const s = selected[next++]!;
        const e = await processCapture(root, s.name, s.by, env);
        captures[s.name] = e;
        done++;
        process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.nbns_frames} nbns, ${e.nbdgm_frames} nbdgm frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.jobs, selected.length) }, () => worker()));

    const all = Object.values(captures);
    const doc = {
      generator: 'scripts/make-netbios-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: relative(process.cwd(), root).split(sep).join('/'),
      selection: args.probeAll
        ? `every *.pcap/*.pcapng probed with: tshark -n -r F -Y '${NETBIOS_FILTER}' -T fields -e frame.number (first line)`
        : `manifest.tsv protocols column holds "nbns", "nbdgm" or "browser"; captures missing from the manifest probed with: tshark -n -r F -Y '${NETBIOS_FILTER}' -T fields -e frame.number (first line)`,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)',
      commands: [`tshark -r F ${TSHARK_ARGS.map(shellArg).join(' ')}`],
      format: 'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`',
      aggregator: NETBIOS_AGGREGATOR,
      fields: NETBIOS_TSHARK_FIELDS,
      totals: {
        captures: selected.length,
        frames: all.reduce((a, c) => a + Object.keys(c.frames).length, 0),
        nbns_frames: all.reduce((a, c) => a + c.nbns_frames, 0),
        nbdgm_frames: all.reduce((a, c) => a + c.nbdgm_frames, 0),
      },
      captures,
    };
    writeFileSync(args.out, stringify(doc) + '\n');
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.nbns_frames} nbns + ${doc.totals.nbdgm_frames} nbdgm frames, ${statSync(args.out).size} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
