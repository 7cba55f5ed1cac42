/**
 * Generate test/conformance/ssdp/tshark-ssdp.json: tshark's SSDP field values for every SSDP frame of every capture
 * in the shared corpus that holds SSDP, so the SSDP parser can be compared with tshark field by field without
 * running tshark at test time (test/conformance/ssdp/ssdp-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-ssdp-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/ssdp/tshark-ssdp.json] [--jobs 2] [--only SUBSTRING]
 *     [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `ssdp`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y ssdp -T fields -e frame.number` (stopped at its first output line). `--probe-all` probes every
 * capture instead of trusting the manifest. (`tshark -Y ssdp -c 1` is not a usable probe: in tshark 4.0 `-c` counts
 * packets read, not packets displayed.)
 *
 * tshark 4.0 has no `ssdp.*` fields: its SSDP dissector is the HTTP dissector registered on UDP 1900, so the values
 * are HTTP fields. How the headers SSDP cares about (ST, NT, NTS, USN, MAN, MX, BOOTID.UPNP.ORG, …) show up depends on
 * the message: in a request (M-SEARCH) every header line is an `http.request.line`; in a response every header line
 * is an `http.response.line`; in a NOTIFY (tshark calls it a "notification", not a request) the headers HTTP knows
 * get their own fields and the others are `http.unknown_header`. Those three line fields are recorded whole
 * ("NAME: value\r\n", with tshark's `\r\n` escape) and split by the test.
 *
 * Per selected capture F it runs tshark once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR so no personal preference
 * changes the result; every dissector preference at its default, IP reassembly included):
 *   tshark -n -r F -Y ssdp -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F: header values hold commas, while tshark never prints a raw control
 * character in a field value. Field names were checked against `tshark -G fields` of TShark 4.0.17.
 *
 * The JSON stores, per capture, `frames`: frame number -> array of the raw tshark strings in the order of the
 * top-level `fields` array (frame.number itself is the key; trailing empty values are dropped), multi-occurrence
 * values joined with U+001F.
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
export const SSDP_AGGREGATOR = '\u001f';

/** The display filter selecting the frames recorded. */
export const SSDP_FILTER = 'ssdp';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const SSDP_TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  // Start line (RFC 7230 §3.1 as reused by UPnP Device Architecture §1).
  'http.request.method',
  'http.request.uri',
  'http.request.version',
  'http.response.version',
  'http.response.code',
  'http.response.phrase',
  'http.notification',
  // Headers the HTTP dissector knows by name.
  'http.host',
  'http.server',
  'http.location',
  'http.user_agent',
  'http.cache_control',
  // Every header line (requests, responses) and the unknown ones (notifications): "NAME: value\r\n".
  'http.request.line',
  'http.response.line',
  'http.unknown_header',
] as const;

const TSHARK_ARGS = frameBaselineArgs(SSDP_FILTER, SSDP_TSHARK_FIELDS, SSDP_AGGREGATOR);

/** One capture in the output. */
interface SsdpCaptureEntry {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  ssdp_frames: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<SsdpCaptureEntry> {
  const c = await readFrameFields(root, name, TSHARK_ARGS, env, SSDP_AGGREGATOR, ['1900']);
  const { tunnelled, fragmented, nonStandardPort, malformed } = c.context;
  const notes: string[] = [];
  if (tunnelled) notes.push(`tunnelled: ${tunnelled} SSDP frames carry more than one UDP layer (SSDP inside a tunnel)`);
  if (fragmented) notes.push(`ip-fragments: ${fragmented} SSDP frames complete a reassembled IPv4 datagram`);
  if (nonStandardPort) notes.push(`non-standard-port: ${nonStandardPort} SSDP frames use no UDP port 1900`);
  if (malformed) notes.push(`malformed: ${malformed} SSDP frames flagged "Malformed Packet" by tshark`);
  return {
    sha256: c.sha256,
    size: c.size,
    selected_by: selectedBy,
    ssdp_frames: Object.keys(c.frames).length,
    notes,
    tshark_error: c.tsharkError,
    frames: c.frames,
  };
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/ssdp/tshark-ssdp.json', true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, ['ssdp'], SSDP_FILTER, 'SSDP', env);
    const captures: Record<string, SsdpCaptureEntry> = {};
    await mapConcurrently(selected, args.jobs, (s) => processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${e.ssdp_frames} SSDP frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });

    const doc = {
      generator: 'scripts/make-ssdp-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      selection: args.probeAll
        ? `every *.pcap/*.pcapng probed with: tshark -n -r F -Y ${SSDP_FILTER} -T fields -e frame.number (first line)`
        : `manifest.tsv protocols column holds "ssdp"; captures missing from the manifest probed with: tshark -n -r F -Y ${SSDP_FILTER} -T fields -e frame.number (first line)`,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)',
      commands: [tsharkCommandLine(TSHARK_ARGS, SSDP_AGGREGATOR)],
      format: 'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`',
      aggregator: SSDP_AGGREGATOR,
      fields: SSDP_TSHARK_FIELDS,
      totals: { captures: selected.length, ssdp_frames: Object.values(captures).reduce((a, c) => a + c.ssdp_frames, 0) },
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.ssdp_frames} SSDP frames, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
