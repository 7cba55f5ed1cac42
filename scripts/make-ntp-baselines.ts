/**
 * Generate test/conformance/ntp/tshark-ntp.json: tshark's NTP field values for every NTP frame of every capture in
 * the shared corpus that holds NTP, so the NTP parser can be compared with tshark field by field without running
 * tshark at test time (test/conformance/ntp/ntp-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-ntp-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/ntp/tshark-ntp.json] [--jobs 2] [--only SUBSTRING]
 *     [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `ntp`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y ntp -T fields -e frame.number` (stopped at its first output line). `--probe-all` probes every
 * capture instead.
 *
 * Per selected capture F it runs (LC_ALL=C, empty WIRESHARK_CONFIG_DIR, every dissector preference at its default):
 *   tshark -n -r F -Y ntp -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F (tshark's timestamps hold commas: "May 30, 2019 …"). Field names were
 * checked against `tshark -G fields` of TShark 4.0.17.
 *
 * tshark has no field for the variables of a mode 6 read-variables response: it shows each as an unnamed text item
 * under `ntp.ctrl.data`. For a capture holding mode 6 responses a second command writes PDML,
 *   tshark -n -r F -Y 'ntp.flags.mode == 6 && ntp.ctrl.flags2.r == 1' -T pdml
 * and the hex `value` of every unnamed field directly under `ntp.ctrl.data` (one per item, in order) is recorded in
 * the extra column `pdml:ntp.ctrl.data/item` (items joined with <US>).
 */
import { join } from 'node:path';
import { FRAME_CONTEXT_FIELDS, run, runSpecBaselineGenerator, runScript } from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const NTP_AGGREGATOR = '\u001f';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const NTP_TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  // First byte (RFC 5905 §7.3).
  'ntp.flags.li',
  'ntp.flags.vn',
  'ntp.flags.mode',
  // Standard header, modes 0–5.
  'ntp.stratum',
  'ntp.ppoll',
  'ntp.precision',
  'ntp.rootdelay',
  'ntp.rootdispersion',
  'ntp.refid',
  'ntp.reftime',
  'ntp.org',
  'ntp.rec',
  'ntp.xmt',
  'ntp.ext.type',
  'ntp.ext.length',
  'ntp.keyid',
  'ntp.mac',
  // Mode 6 control (RFC 9327 §2).
  'ntp.ctrl.flags2.r',
  'ntp.ctrl.flags2.error',
  'ntp.ctrl.flags2.more',
  'ntp.ctrl.flags2.opcode',
  'ntp.ctrl.sequence',
  'ntp.ctrl.status',
  'ntp.ctrl.associd',
  'ntp.ctrl.offset',
  'ntp.ctrl.count',
  // Mode 7 private (ntpd).
  'ntp.priv.flags.r',
  'ntp.priv.flags.more',
  'ntp.priv.auth',
  'ntp.priv.seq',
  'ntp.priv.impl',
  'ntp.priv.reqcode',
  'ntp.priv.err',
  'ntp.priv.numitems',
  'ntp.priv.itemsize',
] as const;

/** The extra column holding the mode 6 variable items (hex of each item's bytes). */
export const NTP_CTRL_ITEM_COLUMN = 'pdml:ntp.ctrl.data/item';

const CTRL_FILTER = 'ntp.flags.mode == 6 && ntp.ctrl.flags2.r == 1';
const CTRL_ARGS = ['-n', '-Y', CTRL_FILTER, '-T', 'pdml'];

/**
 * Reads tshark's PDML of the mode 6 responses of `file` and sets each frame's item column: the hex values of the
 * unnamed fields directly under ntp.ctrl.data.
 */
async function fillControlItems(file: string, frames: Record<string, string[]>, env: NodeJS.ProcessEnv): Promise<void> {
  const modeCol = NTP_TSHARK_FIELDS.indexOf('ntp.flags.mode') - 1;
  if (!Object.values(frames).some((r) => r[modeCol] === '6')) return;
  const r = await run('tshark', ['-r', file, ...CTRL_ARGS], env);
  let frame = '';
  let dataIndent = -1;
  const items: string[] = [];
  const flush = (): void => {
    const row = frames[frame];
    if (row !== undefined && items.length > 0) row.push(items.join(NTP_AGGREGATOR));
    items.length = 0;
  };
  for (const line of r.stdout.split('\n')) {
    const num = /<field name="frame.number" [^>]*show="(\d+)"/.exec(line);
    if (num) { flush(); frame = num[1]!; dataIndent = -1; continue; }
    const indent = line.length - line.trimStart().length;
    if (line.includes('<field name="ntp.ctrl.data"')) { dataIndent = indent; continue; }
    if (dataIndent < 0) continue;
    if (indent <= dataIndent) { dataIndent = -1; continue; }
    const item = /^<field name="" show="[^"]*" size="\d+" pos="\d+" value="([0-9a-f]*)"/.exec(line.trimStart());
    if (indent === dataIndent + 2 && item) items.push(item[1]!);
  }
  flush();
}

runScript(() => runSpecBaselineGenerator({
  generator: 'scripts/make-ntp-baselines.ts',
  protocol: 'NTP',
  countKey: 'ntp_frames',
  defaultOut: join('test', 'conformance', 'ntp', 'tshark-ntp.json'),
  manifestTokens: ['ntp'],
  filter: 'ntp',
  fields: NTP_TSHARK_FIELDS,
  aggregator: NTP_AGGREGATOR,
  ports: ['123'],
  extraColumns: {
    names: [NTP_CTRL_ITEM_COLUMN],
    commands: [`tshark -r F -n -Y '${CTRL_FILTER}' -T pdml  (captures with mode 6 frames only; see the generator)`],
    fill: fillControlItems,
  },
}));
