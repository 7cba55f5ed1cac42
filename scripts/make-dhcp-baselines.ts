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
} from './tshark-runner.js';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const DHCP_TSHARK_FIELDS = [
  // frame.number, then the transport context: a tunnelled frame shows two UDP layers; fragments are reassembled.
  ...FRAME_CONTEXT_FIELDS,
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

const TSHARK_ARGS = frameBaselineArgs('dhcp', DHCP_TSHARK_FIELDS, ',');

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

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<DhcpCaptureEntry> {
  const c = await readFrameFields(root, name, TSHARK_ARGS, env, ',', ['67', '68']);
  const { tunnelled, fragmented, nonStandardPort, malformed } = c.context;
  const notes: string[] = [];
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} DHCP frames carry more than one UDP layer (DHCP inside a tunnel)`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} DHCP frames complete a reassembled IPv4 datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} DHCP frames use neither UDP port 67 nor 68`);
  if (malformed) notes.push(`malformed: ${malformed} DHCP frames flagged "Malformed Packet" by tshark`);
  return {
    sha256: c.sha256,
    size: c.size,
    selected_by: selectedBy,
    dhcp_frames: Object.keys(c.frames).length,
    notes,
    tshark_error: c.tsharkError,
    frames: c.frames,
  };
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/dhcp/tshark-dhcp.json', true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, ['dhcp'], 'dhcp', 'DHCP', env);
    const captures: Record<string, DhcpCaptureEntry> = {};
    await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.dhcp_frames} DHCP frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });

    const doc = {
      generator: 'scripts/make-dhcp-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
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
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.dhcp_frames} DHCP frames, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
