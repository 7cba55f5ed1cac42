/**
 * Generate test/conformance/snmp/tshark-snmp.json: tshark's SNMP values for every SNMP frame of every capture in the
 * shared corpus that holds SNMP, so the SNMP parser can be compared with tshark field by field without running
 * tshark at test time (test/conformance/snmp/snmp-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-snmp-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/snmp/tshark-snmp.json] [--jobs 2] [--only SUBSTRING]
 *     [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `snmp`; a capture missing from the manifest (every capture with `--probe-all`)
 * is probed with `tshark -n -r F -Y snmp -T fields -e frame.number` (stopped at its first output line).
 *
 * Per selected capture F, tshark runs twice (LC_ALL=C, empty WIRESHARK_CONFIG_DIR: every dissector preference at its
 * default, IP reassembly included), both with the display filter `snmp`:
 * 1. `-T fields` with the scalar fields (SNMP_TSHARK_FIELDS): one row per frame, occurrences joined with U+001F.
 *    snmp.community is NOT among them: a community string other than a well-known default must never be written.
 * 2. `-T pdml`, for what `-T fields` cannot give:
 *    - the community, redacted here: the well-known default itself (SNMP_WELL_KNOWN_COMMUNITIES, compared octet for
 *      octet with PDML's `value` hex) or `<other>`, and its length in octets (PDML `size`);
 *    - the variable bindings in wire order: `-T fields` lists each value type in its own column, losing which value
 *      belongs to which name; PDML lists snmp.name and its value field one after the other. Each becomes
 *      "FIELD=VALUE" (FIELD a tshark field name; VALUE PDML's `show`, or its `value` hex for the byte-valued fields
 *      snmp.value.octets / .opaque / .unk / .addr), in document order. An OCTET STRING's hex is prefixed `text:`
 *      when tshark displays it as quoted text, `bytes:` when it displays hex (tshark's own printable test).
 *    These are appended to each row as the columns PDML_COLUMNS (names starting with `pdml:`).
 *
 * The JSON stores, per capture, `frames`: frame number -> the raw strings for fields[1..] (the -T fields columns, then
 * the PDML columns; trailing empty values dropped), multi-occurrence values joined with U+001F.
 */
import { join, resolve } from 'node:path';
import { OTHER_COMMUNITY, SNMP_WELL_KNOWN_COMMUNITIES } from '../src/protocols/snmp/parser.js';
import {
  collectCaptureEntries,
  corpusLabel,
  FRAME_BASELINE_LAYOUT,
  FRAME_CONTEXT_FIELDS,
  frameBaselineArgs,
  frameContextNotes,
  parseBaselineArgs,
  readFrameFields,
  run,
  runScript,
  selectionText,
  TSHARK_ENVIRONMENT_TEXT,
  tsharkFailure,
  withTsharkEnvironment,
  writeJsonFile,
  tsharkCommandLine,
} from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const SNMP_AGGREGATOR = '\u001f';

/** The display filter selecting the frames recorded. */
export const SNMP_FILTER = 'snmp';

/** SNMP's UDP ports (agent, notifications). */
const SNMP_PORTS = ['161', '162'];

/** The tshark fields recorded with -T fields, in column order (first one is the frame number, used as the key). */
export const SNMP_TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  'snmp.version',
  'snmp.msgVersion',
  // PDU (RFC 1157 §4, RFC 3416 §3): the CHOICE index of `data`, its header, the v1 Trap-PDU fields.
  'snmp.data',
  'snmp.request_id',
  'snmp.error_status',
  'snmp.error_index',
  'snmp.non_repeaters',
  'snmp.max_repetitions',
  'snmp.enterprise',
  'snmp.agent_addr',
  'snmp.generic_trap',
  'snmp.specific_trap',
  'snmp.time_stamp',
  'snmp.variable_bindings',
  // SNMPv3 (RFC 3412 §6, RFC 3414 §2.4).
  'snmp.msgID',
  'snmp.msgMaxSize',
  'snmp.msgFlags',
  'snmp.msgSecurityModel',
  'snmp.msgAuthoritativeEngineID',
  'snmp.msgAuthoritativeEngineBoots',
  'snmp.msgAuthoritativeEngineTime',
  'snmp.msgUserName',
  'snmp.msgData',
  'snmp.contextEngineID',
  'snmp.contextName',
] as const;

/** The columns taken from PDML, appended after SNMP_TSHARK_FIELDS. */
export const PDML_COLUMNS = ['pdml:community_redacted', 'pdml:community_length', 'pdml:varbind_fields'] as const;

/** tshark's OCTET STRING value field. */
const OCTETS_FIELD = 'snmp.value.octets';
/** Varbind value fields whose PDML `value` (hex of the octets) is recorded instead of `show`. */
const BYTE_VALUE_FIELDS = new Set(['snmp.value.octets', 'snmp.value.opaque', 'snmp.value.unk', 'snmp.value.addr']);
/** The varbind fields recorded from PDML: the name, every value type, the exceptions. */
const isVarbindField = (name: string): boolean =>
  name === 'snmp.name' || name.startsWith('snmp.value.') || ['snmp.noSuchObject', 'snmp.noSuchInstance', 'snmp.endOfMibView', 'snmp.unSpecified'].includes(name);

const TSHARK_ARGS = frameBaselineArgs(SNMP_FILTER, SNMP_TSHARK_FIELDS, SNMP_AGGREGATOR);
const PDML_ARGS = ['-n', '-Y', SNMP_FILTER, '-T', 'pdml'];

/** XML attribute text with its entities replaced. */
function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|quot|amp|lt|gt|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[e]!;
  });
}

/** The attributes of one PDML `<field …>` line. */
function attributes(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of line.matchAll(/ ([a-z]+)="([^"]*)"/g)) out[m[1]!] = xmlUnescape(m[2]!);
  return out;
}

/** The redacted community of a PDML snmp.community field: a well-known default as sent, else `<other>`. */
function redactCommunity(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  const known = SNMP_WELL_KNOWN_COMMUNITIES.find((w) => Buffer.from(w, 'latin1').equals(bytes));
  return known ?? OTHER_COMMUNITY;
}

/**
 * The recorded value of a varbind field: `show`, or for the byte-valued fields the `value` hex; an OCTET STRING's hex
 * is prefixed `text:` when tshark shows it as quoted text (its showname `…: "…"`), else `bytes:`.
 */
function varbindValue(name: string, a: Record<string, string>): string {
  if (!BYTE_VALUE_FIELDS.has(name)) return a.show ?? '';
  if (name !== OCTETS_FIELD) return a.value ?? '';
  return `${/^[^:]*: "/.test(a.showname ?? '') ? 'text' : 'bytes'}:${a.value ?? ''}`;
}

/** Per frame, the PDML_COLUMNS values. */
function readPdml(xml: string): Map<string, string[]> {
  const frames = new Map<string, string[]>();
  let frame: string | null = null;
  let community = '';
  let communityLength = '';
  let varbinds: string[] = [];
  for (const line of xml.split('\n')) {
    const t = line.trimStart();
    if (t.startsWith('<packet>')) { frame = null; community = ''; communityLength = ''; varbinds = []; continue; }
    if (t.startsWith('</packet>')) {
      if (frame === null) throw new Error('PDML packet without frame.number');
      frames.set(frame, [community, communityLength, varbinds.join(SNMP_AGGREGATOR)]);
      continue;
    }
    if (!t.startsWith('<field name="')) continue;
    const a = attributes(t);
    const name = a.name ?? '';
    if (name === 'frame.number') frame = a.show ?? null;
    else if (name === 'snmp.community') { community = redactCommunity(a.value ?? ''); communityLength = a.size ?? ''; } else if (isVarbindField(name)) varbinds.push(`${name}=${varbindValue(name, a)}`);
  }
  return frames;
}

/** One capture in the output. */
interface SnmpCaptureEntry {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  snmp_frames: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<SnmpCaptureEntry> {
  const c = await readFrameFields(root, name, TSHARK_ARGS, env, SNMP_AGGREGATOR, SNMP_PORTS);
  const file = join(root, name);
  const p = await run('tshark', ['-r', file, ...PDML_ARGS], env);
  const pdml = readPdml(p.stdout);
  for (const [num, row] of Object.entries(c.frames)) {
    const extra = pdml.get(num);
    if (extra === undefined) throw new Error(`${name}: frame ${num} missing from the PDML output`);
    const full = [...row, ...new Array<string>(SNMP_TSHARK_FIELDS.length - 1 - row.length).fill(''), ...extra];
    while (full.length > 0 && full[full.length - 1] === '') full.pop();
    c.frames[num] = full;
  }
  if (pdml.size !== Object.keys(c.frames).length) throw new Error(`${name}: PDML and -T fields list different frames`);
  const pdmlError = tsharkFailure(p)?.replaceAll(file, name);
  return {
    sha256: c.sha256,
    size: c.size,
    selected_by: selectedBy,
    snmp_frames: Object.keys(c.frames).length,
    notes: frameContextNotes(c.context, 'SNMP', ['161', '162']),
    tshark_error: [c.tsharkError, pdmlError].filter((e) => e !== undefined).join(' ') || undefined,
    frames: c.frames,
  };
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/snmp/tshark-snmp.json', true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const captures = await collectCaptureEntries(root, args, 'snmp', SNMP_FILTER, 'SNMP', env,
      (name, by) => processCapture(root, name, by, env), (e) => e.snmp_frames);
    const doc = {
      generator: 'scripts/make-snmp-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      selection: selectionText(args, 'snmp', SNMP_FILTER),
      environment: TSHARK_ENVIRONMENT_TEXT,
      commands: [tsharkCommandLine(TSHARK_ARGS, SNMP_AGGREGATOR), tsharkCommandLine(PDML_ARGS, SNMP_AGGREGATOR)],
      format:
        'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`. ' +
        'Columns named pdml:* come from the PDML run: pdml:community_redacted is the community if it is one of ' +
        `${JSON.stringify(SNMP_WELL_KNOWN_COMMUNITIES)} (octet for octet), else "${OTHER_COMMUNITY}"; pdml:community_length its size in octets; ` +
        'pdml:varbind_fields every snmp.name / snmp.value.* / exception field in document order as FIELD=VALUE (show, or the hex value of byte fields; ' +
        'snmp.value.octets as text:HEX when tshark shows it as quoted text, else bytes:HEX).',
      aggregator: SNMP_AGGREGATOR,
      fields: [...SNMP_TSHARK_FIELDS, ...PDML_COLUMNS],
      totals: { captures: Object.keys(captures).length, snmp_frames: Object.values(captures).reduce((a, c) => a + c.snmp_frames, 0) },
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.snmp_frames} SNMP frames, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}

runScript(main);
