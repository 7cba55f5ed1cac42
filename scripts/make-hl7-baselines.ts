/**
 * Generate test/conformance/hl7/tshark-hl7.json: tshark's HL7 dissection of every HL7 message in the corpus HL7
 * captures, the synthetic HL7 captures of samples/medical and the bundled sample (samples/hospital.pcap), so the HL7 analyzer can be compared with tshark field by
 * field without running tshark at test time (test/conformance/hl7/hl7-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-hl7-baselines.js [--corpus ../shared/corpus] [--out FILE]
 *
 * Per capture F (LC_ALL=C, empty WIRESHARK_CONFIG_DIR: default preferences, TCP reassembly on):
 *   tshark -n -r F -d tcp.port==6661,hl7 -d tcp.port==5555,hl7 -Y hl7 -T pdml
 * (tshark registers HL7 on TCP 2575 only; "decode as" adds the ports the captures use). The PDML is used because
 * `-T fields` prints hl7.field values without their positions and drops empty fields: each `hl7.field` has a
 * showname "field N: value" where, for MSH, N is the MSH field number (N = 1 is the segment ID, N = 2 is MSH-2), and
 * for every other segment N − 1 is the HL7 field number (field 1 is the segment ID).
 *
 * PATIENT DATA IS NEVER WRITTEN: per message only the segment IDs are kept, with
 * - MSH: the values of MSH-2 … MSH-7, MSH-9 … MSH-12, MSH-18;
 * - MSA: MSA-1, MSA-2;
 * - OBX: OBX-3 reduced to the identifier and coding-system name of its primary and alternate triplets, the identifier
 *   only for the standard systems LN / MDC / SCT and the text components blanked (an MDC_… reference ID excepted):
 *   what medtap may keep (src/protocols/hl7/parser.ts), never free text; OBX-18 (equipment instance identifier);
 * - PRT: PRT-4, PRT-10, PRT-16 … PRT-22 (participation and device fields);
 * - PID, PV1, NK1, GT1, IN1: the NUMBERS of the non-empty fields (no value);
 * - any other segment: nothing but its ID.
 * plus the frame, TCP stream, addresses and ports, hl7.message.type and hl7.event.type.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CODING_SYSTEM_NAME, STANDARD_CODING_SYSTEMS } from '../src/protocols/hl7/parser.js';
import { HL7_CAPTURE_PORTS } from './make-medical-captures.js';
import { run, runScript, stderrLines, withTsharkEnvironment, writeJsonFile } from './tshark-runner.js';

/** The corpus HL7 captures (relative to the corpus). */
export const CORPUS_HL7_CAPTURES = [
  'hl7/ndpi__hl7.pcap', 'medical/tapirx__HL7-ADT.pcap', 'medical/tapirx__HL7-ADT-UDI-OBX.pcap',
  'medical/tapirx__HL7-ADT-UDI-PRT.pcap', 'medical/tapirx__HL7-ORM.pcap', 'medical/tapirx__HL7-ORU.pcap',
] as const;

/** tshark's "decode as" for the non-standard ports of the captures. */
export const DECODE_AS = ['-d', 'tcp.port==6661,hl7', '-d', 'tcp.port==5555,hl7'] as const;

/** Field numbers (HL7 numbering) whose values are kept, by segment; PHI segments keep field numbers only. */
export const KEPT_VALUES: Readonly<Record<string, readonly number[]>> = {
  MSH: [2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 18],
  MSA: [1, 2],
  OBX: [3, 18],
  PRT: [4, 10, 16, 17, 18, 19, 20, 21, 22],
};
/** Segments of which only the numbers of the non-empty fields are kept. */
export const PRESENCE_ONLY = ['PID', 'PV1', 'NK1', 'GT1', 'IN1'] as const;

/** One segment in the baseline: its ID, kept values by HL7 field number, and (PHI segments) the non-empty field numbers. */
export interface BaselineSegment {
  id: string;
  values?: Record<string, string>;
  present?: number[];
}

/** One HL7 message as tshark dissects it. */
export interface BaselineMessage {
  frame: number;
  stream: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  message_type: string;
  event_type: string;
  segments: BaselineSegment[];
}

/** XML attribute text → text. */
function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(e.startsWith('#x') ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/**
 * OBX-3 as the baseline keeps it: the first repetition's components CWE.1 … CWE.6 at the message's own separators,
 * with the texts (CWE.2, CWE.5) blanked unless an MDC reference ID, an identifier blanked unless its system is LN, MDC
 * or SCT, and a system blanked unless it has the form of a coding-system name. Trailing empty components are dropped.
 */
export function observationIdentifierKept(raw: string, comp: string, rep: string): string {
  const c = raw.split(rep)[0]!.split(comp);
  const standard = (sys: string | undefined): boolean => sys !== undefined && STANDARD_CODING_SYSTEMS[sys] !== undefined;
  const text = (i: number): string => (c[i + 1] === 'MDC' && /^MDC_[A-Z0-9_]+$/.test(c[i] ?? '') ? c[i]! : '');
  const system = (sys: string | undefined): string => (sys !== undefined && CODING_SYSTEM_NAME.test(sys) ? sys : '');
  const kept = [standard(c[2]) ? c[0]! : '', text(1), system(c[2]), standard(c[5]) ? c[3]! : '', text(4), system(c[5])];
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  return kept.join(comp);
}

/** An attribute of one PDML line. */
const attr = (line: string, name: string): string | null => {
  const m = new RegExp(` ${name}="([^"]*)"`).exec(line);
  return m === null ? null : xmlUnescape(m[1]!);
};

/** OBX-3 of `msg` reduced (observationIdentifierKept) with the separators its MSH-2 declares. */
function reducedObx3(msg: BaselineMessage, raw: string): string {
  const msh2 = msg.segments[0]?.id === 'MSH' ? (msg.segments[0].values?.['2'] ?? '^~\\&') : '^~\\&';
  return observationIdentifierKept(raw, msh2[0] ?? '^', msh2[1] ?? '~');
}

/** Reads the HL7 messages of tshark's PDML, keeping only what KEPT_VALUES / PRESENCE_ONLY allow. */
export function hl7MessagesFromPdml(pdml: string): BaselineMessage[] {
  const out: BaselineMessage[] = [];
  let pkt = { frame: 0, stream: -1, src: '', sport: 0, dst: '', dport: 0 };
  let msg: BaselineMessage | null = null;
  let seg: BaselineSegment | null = null;
  // hl7.message.type / hl7.event.type are hidden fields printed outside the hl7 proto, before it: each is given to
  // the message whose bytes hold its position.
  let spans: { msg: BaselineMessage; start: number; end: number }[] = [];
  let hidden: { name: string; pos: number; show: string }[] = [];
  const assignHidden = (): void => {
    for (const h of hidden) {
      const owner = spans.find((sp) => h.pos >= sp.start && h.pos < sp.end)?.msg;
      if (owner && h.name === 'hl7.message.type') owner.message_type = h.show;
      if (owner && h.name === 'hl7.event.type') owner.event_type = h.show;
    }
    spans = [];
    hidden = [];
  };
  for (const line of pdml.split('\n')) {
    const t = line.trimStart();
    if (t.startsWith('<packet>') || t.startsWith('</packet>')) {
      assignHidden();
      pkt = { frame: 0, stream: -1, src: '', sport: 0, dst: '', dport: 0 };
      msg = null;
      continue;
    }
    const name = attr(t, 'name');
    if (t.startsWith('<proto') && name === 'hl7') {
      msg = { ...pkt, message_type: '', event_type: '', segments: [] };
      const start = Number(attr(t, 'pos'));
      spans.push({ msg, start, end: start + Number(attr(t, 'size')) });
      out.push(msg);
      continue;
    }
    if (!t.startsWith('<field') || name === null) continue;
    const show = attr(t, 'show') ?? '';
    if (name === 'hl7.message.type' || name === 'hl7.event.type') {
      hidden.push({ name, pos: Number(attr(t, 'pos')), show });
      continue;
    }
    if (name === 'num') pkt.frame = Number(show);
    else if (name === 'tcp.stream') pkt.stream = Number(show);
    else if (name === 'ip.src' || name === 'ipv6.src') pkt.src = show;
    else if (name === 'ip.dst' || name === 'ipv6.dst') pkt.dst = show;
    else if (name === 'tcp.srcport') pkt.sport = Number(show);
    else if (name === 'tcp.dstport') pkt.dport = Number(show);
    else if (msg === null) continue;
    else if (name === 'hl7.segment') {
      const id = (attr(t, 'showname') ?? '').split(' ')[0]!;
      seg = { id };
      if (KEPT_VALUES[id]) seg.values = {};
      if ((PRESENCE_ONLY as readonly string[]).includes(id)) seg.present = [];
      msg.segments.push(seg);
    } else if (name === 'hl7.field' && seg !== null) {
      const m = /^field (\d+): /.exec(attr(t, 'showname') ?? '');
      if (m === null) continue;
      const n = seg.id === 'MSH' ? Number(m[1]) : Number(m[1]) - 1; // tshark's field N (see the file comment)
      if (n < 1) continue;
      if (seg.values && KEPT_VALUES[seg.id]!.includes(n)) seg.values[String(n)] = seg.id === 'OBX' && n === 3 ? reducedObx3(msg, show) : show;
      if (seg.present) seg.present.push(n);
    }
  }
  return out;
}

/** One capture in the output. */
interface CaptureEntry {
  sha256: string;
  size: number;
  messages: BaselineMessage[];
  tshark_error?: string;
}

async function processCapture(path: string, env: NodeJS.ProcessEnv): Promise<CaptureEntry> {
  const bytes = readFileSync(path);
  const r = await run('tshark', ['-n', '-r', path, ...DECODE_AS, '-Y', 'hl7', '-T', 'pdml'], env);
  const err = stderrLines(r.stderr).join(' ');
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: statSync(path).size,
    messages: hl7MessagesFromPdml(r.stdout),
    ...(r.code !== 0 || err ? { tshark_error: err || `exit code ${r.code}` } : {}),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opt = (k: string, d: string): string => { const i = argv.indexOf(k); return i >= 0 && argv[i + 1] ? argv[i + 1]! : d; };
  const corpus = resolve(opt('--corpus', '../shared/corpus'));
  const out = opt('--out', 'test/conformance/hl7/tshark-hl7.json');
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const captures: Record<string, CaptureEntry> = {};
    const inputs: [string, string][] = [
      ...CORPUS_HL7_CAPTURES.map((c) => [`corpus/${c}`, join(corpus, c)] as [string, string]),
      ...Object.keys(HL7_CAPTURE_PORTS).map((f) => [`samples/medical/${f}`, join('samples/medical', f)] as [string, string]),
      ['samples/hospital.pcap', 'samples/hospital.pcap'], // the bundled sample's ADT/ORU (placeholders) on 2575
    ];
    for (const [key, path] of inputs) {
      captures[key] = await processCapture(path, env);
      process.stderr.write(`${key}: ${captures[key]!.messages.length} HL7 messages\n`);
    }
    const doc = {
      generator: 'scripts/make-hl7-baselines.ts',
      tshark_version: tsharkVersion,
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences)',
      commands: [`tshark -n -r F ${DECODE_AS.join(' ')} -Y hl7 -T pdml`],
      keys: 'corpus/<path below the corpus>, samples/medical/<file> or samples/hospital.pcap (repository)',
      kept: { values: KEPT_VALUES, presence_only: PRESENCE_ONLY, note: 'HL7 field numbers; no patient value is stored' },
      captures,
    };
    const n = writeJsonFile(out, doc, { lastKeys: ['captures'], numericKeys: false, inlineArrayMax: 40, inlineFlatObjects: true });
    process.stderr.write(`wrote ${out}: ${n} bytes\n`);
  });
}

if (process.argv[1]?.endsWith('make-hl7-baselines.js')) runScript(main);
