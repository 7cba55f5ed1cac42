/**
 * Generate test/conformance/tshark-baselines.json: tshark's view of every
 * capture in the shared corpus (frame counts and TCP/UDP conversation tables
 * with exact per-direction frame and byte counts), so the test suite can
 * compare medtap's reader and flow table against tshark without running it.
 *
 * Usage (from the repository root):
 *   npm run build && node dist/scripts/make-tshark-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/tshark-baselines.json]
 *     [--jobs 2] [--only SUBSTRING]
 *
 * Per capture F it runs, at most `--jobs` (default 2) at a time:
 *   capinfos -c -M F
 *   tshark -n -r F -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=,
 *          -e <FIELDS below> -z conv,tcp -z conv,udp -z io,phs
 * (one tshark pass prints the per-frame fields first and the three statistics
 * tables after the last frame). tshark runs with LC_ALL=C and an empty
 * WIRESHARK_CONFIG_DIR so personal preferences cannot change the result.
 *
 * Verified semantics of `tshark -z conv,tcp|udp` (tshark 4.0.17):
 *  - A row reads `A:portA <-> B:portB  <-Frames <-Bytes  ->Frames ->Bytes  Total  RelStart Duration`.
 *    A (left) is the source of the conversation's first counted frame.
 *    The `->` columns count frames A->B, the `<-` columns frames B->A.
 *    Evidence: hl7/ndpi__hl7.pcap row `10.0.0.155:49242 <-> 10.0.0.126:6661  4 396 bytes  5 777 bytes`;
 *    `-Y 'ip.src==10.0.0.155 && tcp.srcport==49242'` gives 5 frames (66+60+531+60+60 = 777 bytes),
 *    `-Y 'ip.src==10.0.0.126 && tcp.srcport==6661'` gives 4 frames (396 bytes).
 *    bulk/sv__smb2-async-read.pcap row `172.16.10.105:36694 <-> 192.168.20.100:445  2211 3311 kB  927 62 kB`;
 *    the client 172.16.10.105 sends 927 frames / 62816 bytes, the server 2211 / 3311722.
 *    This script re-verifies it on every conversation of the corpus: each row is
 *    matched to the tcp.stream/udp.stream computed from the per-frame fields, and
 *    the per-direction frame counts must agree (a disagreement becomes a note).
 *  - Bytes are sums of frame.len (original wire length), not frame.cap_len:
 *    lan_mixed/sv__enip-keywords__enip_cip_example.pcap tcp.stream 2 (snaplen-cut frames)
 *    shows 315/268 bytes = frame.len sums; the cap_len sums would be 299/252.
 *  - tshark 4.0 prints bytes with truncating SI units once >= 10000
 *    ("62816" -> "62 kB", "3311722" -> "3311 kB"), so exact bytes are computed
 *    here from the per-frame fields and checked to lie within the printed unit.
 *  - TCP rows are per tcp.stream (a reused port pair yields several rows); UDP
 *    rows are per udp.stream.
 *  - Transport headers quoted inside ICMP/ICMPv6 errors get a tcp/udp.stream
 *    number but are NOT counted in the conversation tables (malcolm__TFTP.pcap:
 *    udp.stream 43 has 71 frames, its row counts 57, the 14 ICMP errors are left out).
 *  - IPv4 fragments are reassembled (default prefs): only the frame completing
 *    the datagram carries the UDP/TCP layer and is counted, with its own frame.len.
 *  - Tunnelled (inner) TCP/UDP headers are counted with the innermost addresses.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeIp, type TsharkCapture, type TsharkConversation } from '../test/conformance/tshark-baselines.js';
import {
  corpusLabel,
  type JsonLayout,
  listCaptures,
  mapConcurrently,
  parseBaselineArgs,
  run,
  runScript,
  stderrLines,
  tsharkFailure,
  tsharkFieldArgs,
  withTsharkEnvironment,
  writeJsonFile,
} from './tshark-runner.js';

const FIELDS = [
  'frame.number',
  'frame.time_relative',
  'frame.len',
  'frame.cap_len',
  'frame.protocols',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.stream',
  'tcp.srcport',
  'tcp.dstport',
  'udp.stream',
  'udp.srcport',
  'udp.dstport',
  'ip.flags.mf',
  'ip.frag_offset',
  'ipv6.fraghdr.offset',
] as const;
type FieldName = (typeof FIELDS)[number];
const FI = Object.fromEntries(FIELDS.map((f, i) => [f, i])) as Record<FieldName, number>;

const TSHARK_ARGS = ['-n', ...tsharkFieldArgs(FIELDS, ','), '-z', 'conv,tcp', '-z', 'conv,udp', '-z', 'io,phs'];

/** io,phs names of tunnels whose inner IP packets tshark decodes (outer and inner transport may both be counted). */
const TUNNEL_PROTOCOLS = new Set([
  'gre', 'vxlan', 'teredo', 'geneve', 'gtp', 'l2tp', 'erspan', 'capwap.data', 'ayiya', 'nsh', 'eoip', 'etherip', 'lisp-data',
]);
/** io,phs names of encrypted tunnels/VPNs: only the outer transport is visible to tshark. */
const ENCRYPTED_TUNNELS = new Set(['esp', 'udpencap', 'openvpn', 'wg']);
/** io,phs names of link-layer encapsulations below IP that conversation tables ignore. */
const ENCAPSULATIONS = new Set(['pppoes', 'mpls', 'vntag', 'etag']);
const VLAN_PROTOCOLS = new Set(['vlan', 'ieee8021ad']);

/** Exact integer nanoseconds of a decimal seconds string ("-1.5", "203019146.300888002"). */
function toNs(s: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
  if (!m) throw new Error(`bad time ${s}`);
  const frac = (m[3] ?? '').padEnd(9, '0').slice(0, 9);
  const v = BigInt(m[2]!) * 1_000_000_000n + BigInt(frac);
  return m[1] === '-' ? -v : v;
}

/** Seconds as a JSON number from exact nanoseconds (decimal string first, so no binary drift is added). */
function nsToSeconds(ns: bigint): number {
  const neg = ns < 0n;
  const v = neg ? -ns : ns;
  const frac = (v % 1_000_000_000n).toString().padStart(9, '0');
  return Number(`${neg ? '-' : ''}${v / 1_000_000_000n}.${frac}`);
}

const UNIT: Record<string, number> = { bytes: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };

/** tshark's printed byte column ("396 bytes", "62 kB") as [lowest, highest] possible exact value. */
function byteRange(printed: string): [number, number] {
  const m = /^(\d+) (bytes|kB|MB|GB|TB)$/.exec(printed);
  if (!m) throw new Error(`bad byte column ${printed}`);
  const mult = UNIT[m[2]!]!;
  const v = Number(m[1]);
  return mult === 1 ? [v, v] : [v * mult, (v + 1) * mult - 1];
}

interface ConvRow {
  a: string; a_port: number; b: string; b_port: number;
  btoaFrames: number; btoaBytes: string; atobFrames: number; atobBytes: string;
  relStart: string; duration: string;
}

// A:port <-> B:port  <-frames <-bytes unit  ->frames ->bytes unit  total-frames total-bytes unit  relstart duration
const ROW = /^(\S+):(\d+)\s+<->\s+(\S+):(\d+)\s+(\d+)\s+(\d+ \S+)\s+(\d+)\s+(\d+ \S+)\s+(\d+)\s+(\d+ \S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*$/;

interface Sections { fieldLines: string[]; tcp: ConvRow[]; udp: ConvRow[]; phs: { depth: number; name: string; frames: number }[] }

function parseOutput(stdout: string): Sections {
  const lines = stdout.split('\n');
  const firstStat = lines.findIndex((l) => l.startsWith('='));
  const fieldLines = (firstStat < 0 ? lines : lines.slice(0, firstStat)).filter((l) => l !== '');
  const s: Sections = { fieldLines, tcp: [], udp: [], phs: [] };
  let mode: 'none' | 'tcp' | 'udp' | 'phs' = 'none';
  for (const l of firstStat < 0 ? [] : lines.slice(firstStat)) {
    if (l === 'TCP Conversations') { mode = 'tcp'; continue; }
    if (l === 'UDP Conversations') { mode = 'udp'; continue; }
    if (l === 'Protocol Hierarchy Statistics') { mode = 'phs'; continue; }
    if (l.startsWith('=')) continue;
    if (mode === 'tcp' || mode === 'udp') {
      if (!l.includes('<->')) continue;
      const m = ROW.exec(l);
      if (!m) throw new Error(`unparsed ${mode} conversation row: ${l}`);
      s[mode].push({
        a: m[1]!, a_port: Number(m[2]), b: m[3]!, b_port: Number(m[4]),
        btoaFrames: Number(m[5]), btoaBytes: m[6]!, atobFrames: Number(m[7]), atobBytes: m[8]!,
        relStart: m[11]!, duration: m[12]!,
      });
      if (Number(m[9]) !== Number(m[5]) + Number(m[7])) throw new Error(`total frames mismatch in row: ${l}`);
    } else if (mode === 'phs') {
      const m = /^(\s*)(\S+)\s+frames:(\d+) bytes:(\d+)$/.exec(l);
      if (m) s.phs.push({ depth: m[1]!.length / 2, name: m[2]!, frames: Number(m[3]) });
    }
  }
  return s;
}

interface StreamAgg {
  proto: 'tcp' | 'udp'; a: string; a_port: number; b: string; b_port: number;
  atobFrames: number; atobBytes: number; btoaFrames: number; btoaBytes: number;
  minNs: bigint; used: boolean;
}

interface FrameStats {
  streams: Map<string, StreamAgg>;
  frames: number;
  ipFragFrames: number;
  ipv6FragFrames: number;
  nestedIp: Map<string, number>;
  icmpQuoted: number;
  truncated: number;
  nonIp: number;
  malformed: number;
  multiLayer: number;
  misaligned: number;
  vlan: number;
}

const split = (v: string | undefined): string[] => (v === undefined || v === '' ? [] : v.split(','));

function aggregateFrames(fieldLines: string[]): FrameStats {
  const st: FrameStats = {
    streams: new Map(), frames: 0, ipFragFrames: 0, ipv6FragFrames: 0, nestedIp: new Map(), icmpQuoted: 0,
    truncated: 0, nonIp: 0, malformed: 0, multiLayer: 0, misaligned: 0, vlan: 0,
  };
  for (const line of fieldLines) {
    const f = line.split('\t');
    st.frames++;
    const len = Number(f[FI['frame.len']]);
    if (Number(f[FI['frame.cap_len']]) < len) st.truncated++;
    const t = f[FI['frame.time_relative']] ?? '';
    const ns = t === '' ? 0n : toNs(t); // some file formats carry no timestamps
    const protos = (f[FI['frame.protocols']] ?? '').split(':');
    const ipSrc = split(f[FI['ip.src']]), ipDst = split(f[FI['ip.dst']]);
    const ip6Src = split(f[FI['ipv6.src']]), ip6Dst = split(f[FI['ipv6.dst']]);
    const tcpStream = split(f[FI['tcp.stream']]), tcpS = split(f[FI['tcp.srcport']]), tcpD = split(f[FI['tcp.dstport']]);
    const udpStream = split(f[FI['udp.stream']]), udpS = split(f[FI['udp.srcport']]), udpD = split(f[FI['udp.dstport']]);
    if (split(f[FI['ip.flags.mf']]).some((v) => v === '1' || v === 'True') || split(f[FI['ip.frag_offset']]).some((v) => Number(v) > 0)) st.ipFragFrames++;
    if (split(f[FI['ipv6.fraghdr.offset']]).length > 0) st.ipv6FragFrames++;
    if (protos.includes('_ws.malformed')) st.malformed++;
    if (protos.some((p) => VLAN_PROTOCOLS.has(p))) st.vlan++;

    let ip4 = 0, ip6 = 0, tcp = 0, udp = 0, inError = false, quoted = false;
    let src: string | undefined, dst: string | undefined;
    const nets: string[] = [];
    let counted = 0;
    for (const p of protos) {
      if (p === 'ip') { src = ipSrc[ip4]; dst = ipDst[ip4]; ip4++; if (inError) quoted = true; else nets.push(p); }
      else if (p === 'ipv6') { src = ip6Src[ip6]; dst = ip6Dst[ip6]; ip6++; if (inError) quoted = true; else nets.push(p); }
      else if (p === 'icmp' || p === 'icmpv6') inError = true;
      else if (p === 'tcp' || p === 'udp') {
        const i = p === 'tcp' ? tcp++ : udp++;
        if (inError) { quoted = true; continue; }
        const stream = (p === 'tcp' ? tcpStream : udpStream)[i];
        const sp = (p === 'tcp' ? tcpS : udpS)[i];
        const dp = (p === 'tcp' ? tcpD : udpD)[i];
        if (stream === undefined || sp === undefined || dp === undefined || src === undefined || dst === undefined) { st.misaligned++; continue; }
        const s = normalizeIp(src), d = normalizeIp(dst), sport = Number(sp), dport = Number(dp);
        const key = `${p}:${stream}`;
        let agg = st.streams.get(key);
        if (!agg) {
          agg = { proto: p, a: s, a_port: sport, b: d, b_port: dport, atobFrames: 0, atobBytes: 0, btoaFrames: 0, btoaBytes: 0, minNs: ns, used: false };
          st.streams.set(key, agg);
        }
        // Same rule as tshark: A->B only if source and destination both match A and B.
        if (s === agg.a && sport === agg.a_port && d === agg.b && dport === agg.b_port) { agg.atobFrames++; agg.atobBytes += len; } else { agg.btoaFrames++; agg.btoaBytes += len; }
        if (ns < agg.minNs) agg.minNs = ns;
        counted++;
      }
    }
    // Quoted headers inside ICMP errors get no tcp.stream, and a malformed IP header may lack ip.src: that only
    // matters if this frame also has counted transport layers.
    if (counted > 0 && (ip4 !== ipSrc.length || ip6 !== ip6Src.length || tcp !== tcpStream.length || udp !== udpStream.length)) st.misaligned++;
    if (ip4 + ip6 === 0) st.nonIp++;
    if (quoted) st.icmpQuoted++;
    if (counted > 1) st.multiLayer++;
    if (nets.length > 1) { const k = nets.join('>'); st.nestedIp.set(k, (st.nestedIp.get(k) ?? 0) + 1); }
  }
  return st;
}

interface CaptureResult { name: string; entry: TsharkCapture; verifiedDirections: number; conversations: number }

async function processCapture(root: string, name: string, env: NodeJS.ProcessEnv): Promise<CaptureResult> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const [ci, ts] = await Promise.all([run('capinfos', ['-c', '-M', file], env), run('tshark', ['-r', file, ...TSHARK_ARGS], env)]);
  const notes: string[] = [];
  const capM = /Number of packets:\s*(\d+)/.exec(ci.stdout);
  const capinfosPackets = capM ? Number(capM[1]) : null;
  const tsharkError = tsharkFailure(ts);
  const sec = parseOutput(ts.stdout);
  const st = aggregateFrames(sec.fieldLines);

  const entry: TsharkCapture = { packets: st.frames, size: buf.length, sha256: createHash('sha256').update(buf).digest('hex'), notes, tcp: [], udp: [] };
  if (tsharkError !== undefined) entry.tshark_error = tsharkError.replace(file, name);
  if (capinfosPackets === null) notes.push(`capinfos gave no packet count: ${stderrLines(ci.stderr).join(' ').replace(file, name)}`);
  else if (capinfosPackets !== st.frames) { entry.capinfos_packets = capinfosPackets; notes.push(`capinfos reports ${capinfosPackets} packets, tshark -T fields printed ${st.frames} frames`); }

  // Match every conversation row to the stream computed from the per-frame fields.
  let verifiedDirections = 0;
  let approx = 0, mismatched = 0, nonCanonical = 0;
  for (const proto of ['tcp', 'udp'] as const) {
    const byTuple = new Map<string, StreamAgg[]>();
    for (const agg of st.streams.values()) {
      if (agg.proto !== proto) continue;
      const k = `${agg.a}|${agg.a_port}|${agg.b}|${agg.b_port}`;
      const l = byTuple.get(k);
      if (l) l.push(agg); else byTuple.set(k, [agg]);
    }
    for (const row of sec[proto]) {
      const a = normalizeIp(row.a), b = normalizeIp(row.b);
      if (a !== row.a || b !== row.b) nonCanonical++;
      const rowNs = toNs(row.relStart);
      const cands = (byTuple.get(`${a}|${row.a_port}|${b}|${row.b_port}`) ?? []).filter((c) => !c.used);
      // tshark computes the relative start through a double: allow 1 us of rounding (745841437.164590001 vs .164590000).
      const near = (c: StreamAgg): bigint => (c.minNs > rowNs ? c.minNs - rowNs : rowNs - c.minNs);
      const match = cands
        .filter((c) => near(c) <= 1000n && c.atobFrames === row.atobFrames && c.btoaFrames === row.btoaFrames)
        .sort((x, y) => (near(x) < near(y) ? -1 : near(x) > near(y) ? 1 : 0))[0];
      const [aLo, aHi] = byteRange(row.atobBytes);
      const [bLo, bHi] = byteRange(row.btoaBytes);
      const conv: TsharkConversation = {
        a, a_port: row.a_port, b, b_port: row.b_port,
        a_to_b_packets: row.atobFrames, a_to_b_bytes: aLo, b_to_a_packets: row.btoaFrames, b_to_a_bytes: bLo,
        rel_start: Number(row.relStart), duration: Number(row.duration),
      };
      if (match && match.atobBytes >= aLo && match.atobBytes <= aHi && match.btoaBytes >= bLo && match.btoaBytes <= bHi) {
        match.used = true;
        conv.a_to_b_bytes = match.atobBytes;
        conv.b_to_a_bytes = match.btoaBytes;
        conv.rel_start = nsToSeconds(match.minNs);
        if (row.atobFrames !== row.btoaFrames) verifiedDirections++;
      } else {
        if (!match && cands.length > 0) mismatched++;
        conv.bytes_approx = true;
        approx++;
      }
      entry[proto].push(conv);
    }
  }
  const orphan = [...st.streams.values()].filter((s) => !s.used && (s.atobFrames + s.btoaFrames) > 0).length;

  const cmp = (x: TsharkConversation, y: TsharkConversation): number =>
    x.rel_start - y.rel_start || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0) || x.a_port - y.a_port || (x.b < y.b ? -1 : x.b > y.b ? 1 : 0) || x.b_port - y.b_port ||
    x.a_to_b_packets - y.a_to_b_packets || x.b_to_a_packets - y.b_to_a_packets;
  entry.tcp.sort(cmp);
  entry.udp.sort(cmp);

  // Notes that matter when comparing against medtap.
  if (st.ipFragFrames) notes.push(`ip-fragments: ${st.ipFragFrames} frames with IPv4 MF set or fragment offset > 0; tshark reassembles, so only the frame completing a datagram carries the TCP/UDP layer and is counted (with its own frame.len)`);
  if (st.ipv6FragFrames) notes.push(`ipv6-fragments: ${st.ipv6FragFrames} frames with an IPv6 fragment header; only the reassembling frame is counted`);
  const tunnels = new Map<string, number>();
  const encrypted = new Map<string, number>();
  const encaps = new Map<string, number>();
  for (const p of sec.phs) {
    const m = TUNNEL_PROTOCOLS.has(p.name) ? tunnels : ENCRYPTED_TUNNELS.has(p.name) ? encrypted : ENCAPSULATIONS.has(p.name) ? encaps : null;
    if (m) m.set(p.name, (m.get(p.name) ?? 0) + p.frames);
  }
  for (const [name, n] of [...tunnels].sort()) notes.push(`tunnel: ${name} (${n} frames in io,phs); tshark decodes the inner packets and counts inner TCP/UDP headers with the innermost addresses`);
  for (const [name, n] of [...encrypted].sort()) notes.push(`encrypted-tunnel: ${name} (${n} frames in io,phs); inner traffic is not decoded, only the outer transport is counted`);
  for (const [name, n] of [...encaps].sort()) notes.push(`encapsulation: ${name} (${n} frames in io,phs) below IP; conversation tables ignore it`);
  for (const [k, n] of [...st.nestedIp].sort()) notes.push(`nested-ip: ${n} frames with ${k}; conversations use the innermost IP addresses`);
  if (st.multiLayer) notes.push(`multi-layer: ${st.multiLayer} frames are counted in more than one conversation (outer and inner transport)`);
  if (st.icmpQuoted) notes.push(`icmp-error-quoted: ${st.icmpQuoted} frames quote an IP/TCP/UDP header inside ICMP; tshark's conv tables do not count the quoted header`);
  if (st.vlan) notes.push(`vlan: ${st.vlan} frames are VLAN-tagged; tshark conv tables ignore VLAN ids`);
  if (st.truncated) notes.push(`snaplen-truncated: ${st.truncated} frames have frame.cap_len < frame.len; conv bytes use frame.len`);
  if (st.malformed) notes.push(`malformed: ${st.malformed} frames flagged as malformed by tshark`);
  if (st.nonIp) notes.push(`non-ip: ${st.nonIp} frames have no IPv4/IPv6 layer`);
  if (st.misaligned) notes.push(`field-misaligned: ${st.misaligned} frames whose per-layer fields could not be aligned with frame.protocols`);
  if (approx) notes.push(`bytes-approx: ${approx} conversations could not be matched to a stream; their bytes are lower bounds of tshark's rounded display${mismatched ? ` (${mismatched} had a frame-count or start-time mismatch)` : ''}`);
  if (orphan) notes.push(`unlisted-streams: ${orphan} tcp/udp streams computed from fields have no conversation row`);
  if (nonCanonical) notes.push(`non-canonical-ip: ${nonCanonical} rows printed an address differently from normalizeIp()`);
  return { name, entry, verifiedDirections, conversations: entry.tcp.length + entry.udp.length };
}

/** JSON with sorted keys; objects/arrays holding only primitives stay on one line (arrays up to 100 characters). */
const LAYOUT: JsonLayout = { lastKeys: [], numericKeys: false, inlineArrayMax: 100, inlineFlatObjects: true };

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/tshark-baselines.json', false);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const cv = await run('capinfos', ['--version'], env);
    const capinfosVersion = (cv.stdout.split('\n')[0] ?? '').trim();

    let names = listCaptures(root, /\.(pcap|pcapng|cap)$/i);
    if (args.only) names = names.filter((n) => n.includes(args.only!));
    // In the order of `names`, which is sorted.
    const results = await mapConcurrently(names, args.jobs, (name) => processCapture(root, name, env), (name, r, done) => {
      process.stderr.write(`[${done}/${names.length}] ${name}: ${r.entry.packets} frames, ${r.conversations} conversations${r.entry.tshark_error ? ' (tshark error)' : ''}\n`);
    });

    const captures: Record<string, TsharkCapture> = {};
    for (const r of results) captures[r.name] = r.entry;
    const doc = {
      tshark_version: tsharkVersion,
      capinfos_version: capinfosVersion,
      generator: 'scripts/make-tshark-baselines.ts',
      corpus: corpusLabel(root),
      commands: [
        'capinfos -c -M F',
        `tshark -r F ${TSHARK_ARGS.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`,
      ],
      totals: { captures: results.length, packets: results.reduce((s, r) => s + r.entry.packets, 0) },
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, LAYOUT);
    const convs = results.reduce((s, r) => s + r.conversations, 0);
    const verified = results.reduce((s, r) => s + r.verifiedDirections, 0);
    const approx = results.reduce((s, r) => s + r.entry.tcp.concat(r.entry.udp).filter((c) => c.bytes_approx).length, 0);
    process.stderr.write(
      `wrote ${args.out}: ${results.length} captures, ${doc.totals.packets} packets, ${convs} conversations ` +
      `(${verified} with unequal direction counts verified against per-frame fields, ${approx} with approximate bytes), ` +
      `${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  });
}

runScript(main);
