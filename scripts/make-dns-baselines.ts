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
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  corpusLabel,
  countFrameContext,
  FRAME_BASELINE_LAYOUT,
  type FrameContextCounts,
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

/** The captures considered: *.cap as well as *.pcap / *.pcapng. */
const DNS_CAPTURE_EXTENSIONS = /\.(pcap|pcapng|cap)$/i;

/** The per-frame layout, with a frame's multi-occurrence values (arrays in the row) kept on the frame's one line. */
const DNS_BASELINE_LAYOUT: JsonLayout = { ...FRAME_BASELINE_LAYOUT, inlineNestedArrays: true };

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
  const context: FrameContextCounts = { tunnelled: 0, fragmented: 0, nonStandardPort: 0, malformed: 0 };
  let tcp = 0, icmp = 0;
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
    countFrameContext(context, {
      udpSrcPorts: layers['udp.srcport'] ?? [],
      udpDstPorts: layers['udp.dstport'] ?? [],
      ipMoreFragments: layers['ip.flags.mf'] ?? [],
      ipFragOffsets: layers['ip.frag_offset'] ?? [],
      expertMessages: layers['_ws.expert.message'] ?? [],
    }, DNS_PORTS);
  }
  const { tunnelled, fragmented, nonStandardPort, malformed } = context;
  const notes: string[] = [];
  if (tcp) notes.push(`tcp: ${tcp} DNS frames over TCP left out`);
  if (icmp) notes.push(`icmp: ${icmp} DNS messages quoted in ICMP errors left out`);
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} DNS frames carry more than one UDP layer`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} DNS frames complete a reassembled IP datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} DNS frames use none of UDP ports 53, 5353, 5355`);
  if (malformed) notes.push(`malformed: ${malformed} DNS frames flagged "Malformed Packet" by tshark`);
  return {
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    selected_by: selectedBy,
    dns_frames: Object.keys(frames).length,
    by_protocol: byProtocol,
    tcp_frames_skipped: tcp,
    notes,
    tshark_error: tsharkFailure(ts)?.replaceAll(file, name),
    frames,
  };
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/dns/tshark-dns.json', true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, ['dns', 'mdns', 'llmnr'], DISPLAY_FILTER, 'DNS/mDNS/LLMNR', env, DNS_CAPTURE_EXTENSIONS);
    const captures: Record<string, DnsCaptureEntry> = {};
    await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.dns_frames} DNS frames, ${e.tcp_frames_skipped} over TCP${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });

    const all = Object.values(captures);
    const byProtocol: Record<string, number> = {};
    for (const c of all) for (const [k, n] of Object.entries(c.by_protocol)) byProtocol[k] = (byProtocol[k] ?? 0) + n;
    const quote = (a: string): string => (/[\s,]/.test(a) ? `'${a}'` : a);
    const doc = {
      generator: 'scripts/make-dns-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
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
    const bytes = writeJsonFile(args.out, doc, DNS_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.dns_frames} DNS frames (${JSON.stringify(byProtocol)}), ${doc.totals.tcp_frames_skipped} TCP frames left out, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
