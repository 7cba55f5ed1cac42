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
import { resolve } from 'node:path';
import {
  corpusLabel,
  FRAME_BASELINE_LAYOUT,
  FRAME_CONTEXT_FIELDS,
  frameBaselineArgs,
  mapConcurrently,
  parseBaselineArgs,
  readFrameFields,
  runScript,
  selectCaptures,
  withTsharkEnvironment,
  writeJsonFile,
  tsharkCommandLine,
} from './tshark-runner.js';

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
  // frame.number, then the transport context: a tunnelled frame shows two UDP layers; fragments are reassembled.
  ...FRAME_CONTEXT_FIELDS,
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

const TSHARK_ARGS = frameBaselineArgs(NETBIOS_FILTER, NETBIOS_TSHARK_FIELDS, NETBIOS_AGGREGATOR);

/** Manifest tokens that select a capture. */
const MANIFEST_TOKENS = ['nbns', 'nbdgm', 'browser'];

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
  let nbns = 0, nbdgm = 0;
  const c = await readFrameFields(root, name, TSHARK_ARGS, env, NETBIOS_AGGREGATOR, ['137', '138'], (v) => {
    if ((v[F['nbns.id']] ?? '') !== '') nbns++;
    if ((v[F['nbdgm.type']] ?? '') !== '') nbdgm++;
  });
  const { tunnelled, fragmented, nonStandardPort, malformed } = c.context;
  const notes: string[] = [];
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} frames carry more than one UDP layer (NetBIOS inside a tunnel)`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} frames complete a reassembled IPv4 datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} frames use neither UDP port 137 nor 138 (e.g. NetBIOS over LLC)`);
  if (malformed) notes.push(`malformed: ${malformed} frames flagged "Malformed Packet" by tshark`);
  return {
    sha256: c.sha256,
    size: c.size,
    selected_by: selectedBy,
    nbns_frames: nbns,
    nbdgm_frames: nbdgm,
    notes,
    tshark_error: c.tsharkError,
    frames: c.frames,
  };
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/netbios/tshark-netbios.json', true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, MANIFEST_TOKENS, NETBIOS_FILTER, 'NetBIOS', env);
    const captures: Record<string, NetbiosCaptureEntry> = {};
    await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.nbns_frames} nbns, ${e.nbdgm_frames} nbdgm frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });

    const all = Object.values(captures);
    const doc = {
      generator: 'scripts/make-netbios-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      selection: args.probeAll
        ? `every *.pcap/*.pcapng probed with: tshark -n -r F -Y '${NETBIOS_FILTER}' -T fields -e frame.number (first line)`
        : `manifest.tsv protocols column holds "nbns", "nbdgm" or "browser"; captures missing from the manifest probed with: tshark -n -r F -Y '${NETBIOS_FILTER}' -T fields -e frame.number (first line)`,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)',
      commands: [tsharkCommandLine(TSHARK_ARGS, NETBIOS_AGGREGATOR)],
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
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.nbns_frames} nbns + ${doc.totals.nbdgm_frames} nbdgm frames, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
