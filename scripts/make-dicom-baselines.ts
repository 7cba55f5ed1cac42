/**
 * Generates test/conformance/dicom/tshark-dicom.json: tshark 4.0's DICOM dissector fields, per frame, for every
 * capture of the corpus holding DICOM and for test/conformance/dicom/synth-dicom.pcap (scripts/make-dicom-captures.ts).
 *
 * Usage: node dist/scripts/make-dicom-baselines.js [--corpus ../shared/corpus] [--out test/conformance/dicom/tshark-dicom.json]
 *     [--jobs 2] [--only SUBSTRING] [--probe-all]
 *
 * Which captures: corpus captures whose manifest.tsv `protocols` holds `dicom`, and those missing from the manifest for
 * which `tshark -Y dicom` shows a frame (tshark decodes DICOM on TCP 104 by default; its heuristic dissector is off),
 * plus the synthetic capture and the bundled sample (samples/hospital.pcap). Per capture F (LC_ALL=C, empty WIRESHARK_CONFIG_DIR):
 *   tshark -n -r F -d tcp.port==11112,dicom -d tcp.port==4242,dicom -d tcp.port==5678,dicom -Y dicom -T fields
 *     -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * tshark puts a PDU's fields on the frame that completes it. Fields that carry patient data or credentials
 * (dicom.tag.value.*, dicom.userinfo.user_identify.primary_field/secondary_field) are never requested; the DIMSE
 * command names come from the Info column (e.g. "P-DATA, C-ECHO-RQ ID=1"), which holds no attribute values.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  corpusLabel, FRAME_BASELINE_LAYOUT, mapConcurrently, parseBaselineArgs, run, runScript, selectCaptures, tsharkFailure,
  tsharkFieldArgs, withTsharkEnvironment, writeJsonFile,
} from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const DICOM_AGGREGATOR = '\u001f';

/** The synthetic capture, relative to the repository. */
export const SYNTH_CAPTURE = 'test/conformance/dicom/synth-dicom.pcap';
/** The bundled sample (scripts/make-sample.ts), whose DICOM traffic is built from the standard too. */
export const SAMPLE_CAPTURE = 'samples/hospital.pcap';

/** Ports decoded as DICOM besides 104 (the synthetic capture's 11112, 4242 and 5678). */
export const DECODE_AS = ['-d', 'tcp.port==11112,dicom', '-d', 'tcp.port==4242,dicom', '-d', 'tcp.port==5678,dicom'] as const;

/** The tshark fields recorded, in column order (frame.number is the key). */
export const DICOM_TSHARK_FIELDS = [
  'frame.number', 'tcp.stream', 'ip.src', 'tcp.srcport', '_ws.expert.message', '_ws.col.Info',
  'dicom.pdu.type', 'dicom.assoc.version', 'dicom.assoc.ae.called', 'dicom.assoc.ae.calling', 'dicom.actx',
  'dicom.pctx.id', 'dicom.pctx.result', 'dicom.pctx.abss.syntax', 'dicom.pctx.xfer.syntax',
  'dicom.max_pdu_len', 'dicom.userinfo.uid', 'dicom.userinfo.version',
  'dicom.userinfo.asyncneg.maxnumopsinv', 'dicom.userinfo.asyncneg.maxnumopsper',
  'dicom.userinfo.rolesel.sopclassuid', 'dicom.userinfo.rolesel.scurole', 'dicom.userinfo.rolesel.scprole',
  'dicom.userinfo.user_identify.type', 'dicom.userinfo.user_identify.response_requested',
  'dicom.assoc.reject.result', 'dicom.assoc.reject.source', 'dicom.assoc.reject.reason',
  'dicom.assoc.abort.source', 'dicom.assoc.abort.reason',
  'dicom.pdv.ctx', 'dicom.pdv.flags',
] as const;

/** One capture in the output. */
export interface DicomCaptureEntry {
  sha256: string;
  size: number;
  selected_by: string;
  dicom_frames: number;
  tshark_error?: string;
  /** frame.number -> raw values of fields[1..], trailing empty values dropped. */
  frames: Record<string, string[]>;
}

/** The baseline document. */
export interface DicomBaselines {
  fields: readonly string[];
  aggregator: string;
  captures: Record<string, DicomCaptureEntry>;
}

const ARGS = ['-n', ...DECODE_AS, '-Y', 'dicom', ...tsharkFieldArgs(DICOM_TSHARK_FIELDS, DICOM_AGGREGATOR)];

async function processCapture(file: string, label: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<DicomCaptureEntry> {
  const buf = readFileSync(file);
  const r = await run('tshark', ['-r', file, ...ARGS], env);
  const frames: Record<string, string[]> = {};
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const v = line.split('\t');
    if (!/^\d+$/.test(v[0] ?? '')) throw new Error(`${label}: unexpected tshark line ${JSON.stringify(line.slice(0, 80))}`);
    const rest = v.slice(1);
    while (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    frames[v[0]!] = rest;
  }
  return {
    sha256: createHash('sha256').update(buf).digest('hex'), size: buf.length, selected_by: selectedBy,
    dicom_frames: Object.keys(frames).length, tshark_error: tsharkFailure(r)?.replaceAll(file, label), frames,
  };
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/dicom/tshark-dicom.json', true);
  const root = resolve(args.corpus);
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, ['dicom'], 'dicom', 'DICOM', env);
    const items = [...selected.map((s) => ({ file: join(root, s.name), label: s.name, by: s.by })), { file: resolve(SYNTH_CAPTURE), label: SYNTH_CAPTURE, by: 'synthetic' }, { file: resolve(SAMPLE_CAPTURE), label: SAMPLE_CAPTURE, by: 'sample' }];
    const captures: Record<string, DicomCaptureEntry> = {};
    await mapConcurrently(items, args.jobs, (s) => processCapture(s.file, s.label, s.by, env), (s, e, done) => {
      captures[s.label] = e;
      process.stderr.write(`[${done}/${items.length}] ${s.label}: ${e.dicom_frames} DICOM frames\n`);
    });
    const doc = {
      generator: 'scripts/make-dicom-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences)',
      commands: [`tshark -r F ${ARGS.map((a) => (a.includes(DICOM_AGGREGATOR) ? a.replace(DICOM_AGGREGATOR, '<US>') : a)).join(' ')}`],
      format: 'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`. The synthetic capture is keyed by its repository path.',
      aggregator: DICOM_AGGREGATOR,
      fields: DICOM_TSHARK_FIELDS,
      totals: { captures: items.length, dicom_frames: Object.values(captures).reduce((a, c) => a + c.dicom_frames, 0) },
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${doc.totals.captures} captures, ${doc.totals.dicom_frames} frames, ${bytes} bytes\n`);
  });
}

runScript(main);
