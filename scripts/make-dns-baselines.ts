/**
 * Generate test/conformance/dns/tshark-dns.json: tshark's DNS field values for every DNS, mDNS and LLMNR frame
 * carried over UDP in every capture of the shared corpus that holds one, so the DNS parser can be compared with
 * tshark field by field without running tshark at test time (test/conformance/dns/dns-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-dns-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/dns/tshark-dns.json] [--jobs 2] [--only SUBSTRING]
 *     [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng / *.cap under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `dns`, `mdns` or `llmnr`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y 'dns or mdns or llmnr' -T fields -e frame.number` (stopped at its first output line).
 * `--probe-all` probes every capture instead of trusting the manifest (slower; used once to check that both
 * selections agree: they do, 32 captures). `tshark -Y X -c 1` is NOT a usable probe: in tshark 4.0 `-c` counts
 * packets read, not packets displayed.
 *
 * Per selected capture F it runs tshark once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR so no personal preference
 * changes the result; every dissector preference at its default, IP reassembly included):
 *   tshark -n -r F -Y 'dns or mdns or llmnr' -T json -e <FIELDS> -e tcp.srcport -e icmp.type -e icmpv6.type
 * JSON output (not `-T fields`) because DNS names and TXT strings may hold any character, including the `-T fields`
 * aggregator and separator; tshark's JSON keeps every occurrence of a field as its own string. Field names were
 * checked against `tshark -G fields` of TShark 4.0.17.
 *
 * Frames carried over TCP (DNS over TCP) and DNS quoted inside ICMP errors are counted in the capture's `notes` and
 * left out: the parser is compared on UDP datagrams only.
 *
 * The JSON stores, per capture, `frames`: frame number -> one value per entry of the top-level `fields` array after
 * frame.number: null when tshark shows no occurrence, a string for one occurrence, an array of strings for more
 * (trailing nulls dropped). Values are exactly tshark's strings.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const DNS_TSHARK_FIELDS = [
  'frame.number',
  // Transport context: which dissector (dns / mdns / llmnr is the last protocol), ports, fragments, expert notes.
  'frame.protocols',
  'udp.srcport',
  'udp.dstport',
  'ip.flags.mf',
  'ip.frag_offset',
  '_ws.expert.message',
  // Header (RFC 1035 §4.1.1; LLMNR flags RFC 4795 §2.1.1; UPDATE counts RFC 2136 §2.2).
  'dns.id',
  'dns.flags',
  'dns.flags.response',
  'dns.flags.opcode',
  'dns.flags.authoritative',
  'dns.flags.conflict',
  'dns.flags.truncated',
  'dns.flags.recdesired',
  'dns.flags.tentative',
  'dns.flags.recavail',
  'dns.flags.z',
  'dns.flags.authenticated',
  'dns.flags.checkdisable',
  'dns.flags.rcode',
  'dns.count.queries',
  'dns.count.zones',
  'dns.count.answers',
  'dns.count.prerequisites',
  'dns.count.auth_rr',
  'dns.count.updates',
  'dns.count.add_rr',
  // Questions.
  'dns.qry.name',
  'dns.qry.type',
  'dns.qry.class',
  'dns.qry.qu',
  // Resource records of all three sections, in order (NSEC / NSEC3 type bitmaps add dns.resp.type occurrences).
  'dns.resp.name',
  'dns.resp.type',
  'dns.resp.class',
  'dns.resp.cache_flush',
  'dns.resp.ttl',
  'dns.resp.len',
  // Rdata.
  'dns.a',
  'dns.aaaa',
  'dns.cname',
  'dns.ns',
  'dns.ptr.domain_name',
  'dns.mx.preference',
  'dns.mx.mail_exchange',
  'dns.txt',
  // tshark shows an SRV record's owner name split at its first two dots instead of as dns.resp.name.
  'dns.srv.service',
  'dns.srv.proto',
  'dns.srv.name',
  'dns.srv.priority',
  'dns.srv.weight',
  'dns.srv.port',
  'dns.srv.target',
  'dns.soa.mname',
  'dns.soa.rname',
  'dns.soa.serial_number',
  'dns.soa.refresh_interval',
  'dns.soa.retry_interval',
  'dns.soa.expire_limit',
  'dns.soa.minimum_ttl',
  'dns.hinfo.cpu',
  'dns.hinfo.os',
  'dns.nsec.next_domain_name',
  // EDNS0 OPT (RFC 6891 §6.1).
  'dns.rr.udp_payload_size',
  'dns.resp.ext_rcode',
  'dns.resp.edns0_version',
  'dns.resp.z.do',
  'dns.opt.code',
  'dns.opt.len',
] as const;

/** Fields asked for only to leave frames out (not stored). */
const SELECTION_FIELDS = ['tcp.srcport', 'icmp.type', 'icmpv6.type'] as const;

const DISPLAY_FILTER = 'dns or mdns or llmnr';

const TSHARK_ARGS = [
  '-n', '-Y', DISPLAY_FILTER, '-T', 'json',
  ...[...DNS_TSHARK_FIELDS, ...SELECTION_FIELDS].flatMap((f) => ['-e', f]),
];

/** UDP ports of DNS (RFC 1035 §4.2.1), mDNS (RFC 6762) and LLMNR (RFC 4795). */
const DNS_PORTS = ['53', '5353', '5355'];

interface Args { corpus: string; out: string; jobs: number; only: string | null; probeAll: boolean }

function parseArgs(argv: string[]): Args {
  const a: Args = { corpus: '../shared/corpus', out: 'test/conformance/dns/tshark-dns.json', jobs: 2, only: null, probeAll: false };
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

/** Every *.pcap / *.pcapng / *.cap below root (not under baselines/), as sorted '/'-separated relative paths. */
function listCaptures(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'baselines') walk(p); } else if (e.isFile() && /\.(pcap|pcapng|cap)$/i.test(e.name)) out.push(p);
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

/** One stored value: no occurrence, one, or several. */
type TsharkValue = string | string[] | null;

/** One capture in the output. */
interface DnsCaptureEntry {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  /** Frames stored (DNS, mDNS, LLMNR over UDP). */
  dns_frames: number;
  /** Frames per dissector: dns / mdns / llmnr. */
  by_protocol: Record<string, number>;
  /** DNS frames over TCP, left out. */
  tcp_frames_skipped: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, TsharkValue[]>;
}

interface TsharkJsonPacket { _source?: { layers?: Record<string, string[]> } }

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<DnsCaptureEntry> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const ts = await run('tshark', ['-r', file, ...TSHARK_ARGS], env);
  const packets = (ts.stdout.trim() === '' ? [] : JSON.parse(ts.stdout)) as TsharkJsonPacket[];
  const frames: Record<string, TsharkValue[]> = {};
  const byProtocol: Record<string, number> = {};
  let tcp = 0, icmp = 0, tunnelled = 0, fragmented = 0, malformed = 0, nonStandardPort = 0;
  for (const pkt of packets) {
    const layers = pkt._source?.layers ?? {};
    const num = layers['frame.number']?.[0] ?? '';
    if (!/^\d+$/.test(num)) throw new Error(`${name}: tshark packet without a frame number`);
    if (layers['tcp.srcport'] !== undefined) { tcp++; continue; }
    if (layers['icmp.type'] !== undefined || layers['icmpv6.type'] !== undefined) { icmp++; continue; }
    const row: TsharkValue[] = DNS_TSHARK_FIELDS.slice(1).map((f) => {
      const v = layers[f];
      if (v === undefined || v.length === 0) return null;
      return v.length === 1 ? v[0]! : v;
    });
    while (row.length > 0 && row[row.length - 1] === null) row.pop();
    frames[num] = row;
    const proto = (layers['frame.protocols']?.[0] ?? '').split(':').pop() ?? '';
    byProtocol[proto] = (byProtocol[proto] ?? 0) + 1;
    const sports = layers['udp.srcport'] ?? [];
    const dports = layers['udp.dstport'] ?? [];
    if (sports.length > 1) tunnelled++;
    if (!DNS_PORTS.includes(sports[sports.length - 1] ?? '') && !DNS_PORTS.includes(dports[dports.length - 1] ?? '')) nonStandardPort++;
    if ((layers['ip.flags.mf'] ?? []).includes('1') || (layers['ip.frag_offset'] ?? []).some((x) => Number(x) > 0)) fragmented++;
    if ((layers['_ws.expert.message'] ?? []).some((x) => x.includes('Malformed Packet'))) malformed++;
  }
  const notes: string[] = [];
  if (tcp) notes.push(`tcp: ${tcp} DNS frames over TCP left out`);
  if (icmp) notes.push(`icmp: ${icmp} DNS messages quoted in ICMP errors left out`);
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} DNS frames carry more than one UDP layer`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} DNS frames complete a reassembled IP datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} DNS frames use none of UDP ports 53, 5353, 5355`);
  if (malformed) notes.push(`malformed: ${malformed} DNS frames flagged "Malformed Packet" by tshark`);
  const entry: DnsCaptureEntry = {
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    selected_by: selectedBy,
    dns_frames: Object.keys(frames).length,
    by_protocol: byProtocol,
    tcp_frames_skipped: tcp,
    notes,
    frames,
  };
  const errLines = stderrLines(ts.stderr);
  if (ts.code !== 0 || errLines.length > 0) entry.tshark_error = (errLines.join(' ') || `exit code ${ts.code}`).replaceAll(file, name);
  return entry;
}

/**
 * JSON with sorted keys (frame keys in numeric order, `captures`/`frames` last); an array whose items are all
 * primitives or arrays of primitives stays on one line, so one frame takes one line.
 */
function stringify(v: unknown, indent = ''): string {
  const isPrim = (x: unknown): boolean => x === null || typeof x !== 'object';
  const isFlat = (x: unknown): boolean => isPrim(x) || (Array.isArray(x) && x.every(isPrim));
  if (isPrim(v)) return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isFlat)) return JSON.stringify(v);
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
        if (protos.includes('dns') || protos.includes('mdns') || protos.includes('llmnr')) selected.push({ name, by: 'manifest' });
        continue;
      }
      probed++;
      if (await probe(join(root, name), DISPLAY_FILTER, env)) selected.push({ name, by: 'probe' });
    }
    process.stderr.write(`${selected.length} of ${names.length} captures hold DNS/mDNS/LLMNR (${probed} probed with tshark)\n`);

    const captures: Record<string, DnsCaptureEntry> = {};
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < selected.length) {
        const s = selected[next++]!;
        const e = await processCapture(root, s.name, s.by, env);
        captures[s.name] = e;
        done++;
        process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.dns_frames} DNS frames, ${e.tcp_frames_skipped} over TCP${e.tshark_error ? ' (tshark error)' : ''}\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(args.jobs, selected.length) }, () => worker()));

    const all = Object.values(captures);
    const byProtocol: Record<string, number> = {};
    for (const c of all) for (const [k, n] of Object.entries(c.by_protocol)) byProtocol[k] = (byProtocol[k] ?? 0) + n;
    const quote = (a: string): string => (/[\s,]/.test(a) ? `'${a}'` : a);
    const doc = {
      generator: 'scripts/make-dns-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: relative(process.cwd(), root).split(sep).join('/'),
      selection: args.probeAll
        ? `every *.pcap/*.pcapng probed with: tshark -n -r F -Y '${DISPLAY_FILTER}' -T fields -e frame.number (first line)`
        : `manifest.tsv protocols column holds "dns", "mdns" or "llmnr"; captures missing from the manifest probed with: tshark -n -r F -Y '${DISPLAY_FILTER}' -T fields -e frame.number (first line)`,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)',
      commands: [`tshark -r F ${TSHARK_ARGS.map(quote).join(' ')}`],
      format: 'captures[path].frames[frame.number] = tshark values for fields[1..] in order: null (absent), a string (one occurrence) or an array of strings (several); trailing nulls dropped. Frames over TCP and inside ICMP are left out.',
      fields: DNS_TSHARK_FIELDS,
      totals: {
        captures: selected.length,
        dns_frames: all.reduce((a, c) => a + c.dns_frames, 0),
        by_protocol: byProtocol,
        tcp_frames_skipped: all.reduce((a, c) => a + c.tcp_frames_skipped, 0),
      },
      captures,
    };
    writeFileSync(args.out, stringify(doc) + '\n');
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.dns_frames} DNS frames (${JSON.stringify(byProtocol)}), ${doc.totals.tcp_frames_skipped} TCP frames left out, ${statSync(args.out).size} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
