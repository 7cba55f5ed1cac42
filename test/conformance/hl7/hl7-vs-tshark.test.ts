/**
 * Conformance: the HL7 analyzer (src/protocols/hl7/, through the real ingest pipeline: capture reader, flows, TCP
 * reassembly, stream dispatch) against tshark 4.0's HL7 dissector, field by field, over the corpus HL7 captures and
 * the synthetic HL7 captures of samples/medical (tshark-hl7.json, from scripts/make-hl7-baselines.ts).
 *
 * Each capture is ingested in-process with `--log-dir`; the hl7.jsonl records are matched with tshark's messages by
 * connection direction (source and destination address and port) and order within that direction. Compared per
 * message: the segment IDs, MSH-3 … MSH-7, MSH-9 (type, trigger, structure), MSH-10, MSH-11, MSH-12, MSH-18, MSA-1,
 * MSA-2, the number of OBX, the OBX-3 coding systems and standard identifiers (from tshark's OBX-3 components: which
 * component is the identifier, the text and the system of each triplet), OBX-18 (first component of each), the PRT device fields (PRT-4, -10, -16 … -22, first
 * components), and the PHI kinds (from the numbers of the non-empty PID/PV1/NK1/GT1/IN1 fields tshark shows, mapped
 * with medtap's field table: what is compared is which fields are present). tshark's baseline holds no patient value.
 *
 * Normalisations (both sides describe the same bytes): tshark shows fields as sent, so medtap's values are compared
 * with tshark's after splitting tshark's field at the message's own component / repetition separators (MSH-2), and
 * tshark's text is rendered with medtap's wire-text rule (a backslash written \\).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ingest } from '../../../src/ingest/ingest.js';
import { SqliteStore } from '../../../src/inventory/sqlite-store.js';
import type { Hl7Record } from '../../../src/protocols/hl7/analyzer.js';
import { CODING_SYSTEM_NAME, MAX_OBSERVATION_CODES, STANDARD_CODING_SYSTEMS } from '../../../src/protocols/hl7/parser.js';
import { PHI_FIELDS, phiKind } from '../../../src/protocols/hl7/phi.js';
import { corpusRoot, repoRoot } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';

/** A segment of the baseline (see scripts/make-hl7-baselines.ts). */
interface TSegment { id: string; values?: Record<string, string>; present?: number[] }
/** A message of the baseline. */
interface TMessage { frame: number; stream: number; src: string; sport: number; dst: string; dport: number; message_type: string; event_type: string; segments: TSegment[] }
interface TCapture { sha256: string; size: number; messages: TMessage[]; tshark_error?: string }
interface Baseline { tshark_version: string; captures: Record<string, TCapture> }

/** A medtap record as logged: the message plus where it went. */
type Record_ = Hl7Record & { src_ip: string; src_port: number; dst_ip: string; dst_port: number; ts: string };

interface DiffContext extends FrameSite {
  ours: Record_;
  t: TMessage;
}

/** Every accepted difference between medtap and tshark; none is needed on the current captures. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {
  'escape-sequences': {
    fields: ['control_id', 'message_type', 'trigger_event', 'message_structure', 'ack_control_id', 'msh7', 'observation_codes', 'obx18', 'prt'],
    reason: 'medtap decodes HL7 escape sequences (§2.7) in atomic values; tshark shows the field as sent',
    applies: (c) => /\\[FSTREXP]/.test(c.theirsValue),
  },
};

/** Messages medtap finds that tshark does not dissect, with the rule recognising each reason. */
const EXTRA_REASONS: Record<string, { reason: string; applies: (r: Record_, previous: Record_ | undefined, previousReason: string | null) => boolean }> = {
  'tshark-needs-mllp': {
    reason: "bare HL7 (no MLLP block): tshark's HL7 dissector only reads MLLP-framed messages",
    applies: (r) => r.framing === 'bare',
  },
  'tshark-no-resync': {
    reason: 'a block after non-HL7 bytes, and the other messages of that block: tshark does not resynchronise on the next VT',
    applies: (r, prev, prevReason) => r.anomalies.some((a) => a.startsWith('skipped_bytes:')) || (prevReason === 'tshark-no-resync' && prev?.ts === r.ts),
  },
};

// ---------------------------------------------------------------------------------------------------------------

const doc = JSON.parse(readFileSync(join(repoRoot(), 'test/conformance/hl7/tshark-hl7.json'), 'utf8')) as Baseline;
const agreement = new FieldAgreement<DiffContext>(KNOWN_DIFFERENCES, {});
const extras = new Map<string, number>();
let messages = 0;

/** tshark text rendered as medtap writes wire text: backslash → \\ (the values compared hold no control characters). */
const wire = (s: string): string => s.replace(/\\/g, '\\\\');
const str = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The delimiters tshark's MSH shows (MSH-2 is its field 2; MSH-1 is not shown, '|' in every baseline capture). */
function delimitersOf(t: TMessage): { comp: string; rep: string } {
  const msh2 = t.segments[0]?.id === 'MSH' ? (t.segments[0].values?.['2'] ?? '^~\\&') : '^~\\&';
  return { comp: msh2[0] ?? '^', rep: msh2[1] ?? '~' };
}

/** Component n (1-based) of the first repetition of a raw field, as medtap renders it. */
function comp(t: TMessage, raw: string | undefined, n: number): string {
  if (raw === undefined) return '';
  const { comp: c, rep } = delimitersOf(t);
  const v = raw.split(rep)[0]!.split(c)[n - 1] ?? '';
  return v === '""' ? '' : wire(v);
}

/** The kept values of the first segment `id` of a message. */
const first = (t: TMessage, id: string): Record<string, string> => t.segments.find((s) => s.id === id)?.values ?? {};

/** PHI kinds from tshark's non-empty field numbers, mapped with medtap's table (phi.ts). */
function tsharkPhiKinds(t: TMessage): string[] {
  const kinds: string[] = [];
  for (const s of t.segments) {
    if (PHI_FIELDS[s.id] === undefined) continue;
    for (const n of s.present ?? []) {
      const k = phiKind(s.id, n);
      if (k !== null && !kinds.includes(`${s.id}:${k}`)) kinds.push(`${s.id}:${k}`);
    }
  }
  return kinds;
}

/** The PRT device fields of tshark's message, one string per PRT with any (1-based segment position first). */
function tsharkPrts(t: TMessage): string[] {
  const out: string[] = [];
  t.segments.forEach((s, i) => {
    if (s.id !== 'PRT') return;
    const v = s.values ?? {};
    if (![10, 16, 17, 18, 19, 20, 21, 22].some((n) => (v[String(n)] ?? '') !== '')) return;
    out.push([i + 1, ...[4, 10, 16, 17, 18, 21, 22].map((n) => comp(t, v[String(n)], 1)), wire(v['19'] ?? ''), wire(v['20'] ?? '')].join(' | '));
  });
  return out;
}

/**
 * The observation codes tshark's OBX-3 fields give (the baseline keeps identifier and system of both triplets, and an
 * MDC reference ID): "system code reference count" per distinct code, first-seen order, each OBX counted once per code.
 */
function tsharkObservationCodes(t: TMessage): string[] {
  const codes: { key: string; count: number }[] = [];
  for (const s of t.segments) {
    if (s.id !== 'OBX' || (s.values?.['3'] ?? '') === '') continue;
    const c = s.values!['3']!.split(delimitersOf(t).comp);
    const inThisObx = new Set<string>();
    for (const base of [0, 3]) {
      const system = c[base + 2] ?? '';
      if (!CODING_SYSTEM_NAME.test(system)) continue; // empty, the HL7 null, or not a name (not kept by either)
      const id = c[base] ?? '';
      const form = STANDARD_CODING_SYSTEMS[system];
      const code = form !== undefined && form.test(id) && (system !== 'MDC' || Number(id) <= 0xffffffff) ? id : '-';
      const key = `${wire(system)} ${code} ${system === 'MDC' && /^MDC_[A-Z0-9_]+$/.test(c[base + 1] ?? '') ? c[base + 1] : '-'}`;
      if (inThisObx.has(key)) continue;
      inThisObx.add(key);
      const seen = codes.find((x) => x.key === key);
      if (seen !== undefined) seen.count++;
      else if (codes.length < MAX_OBSERVATION_CODES) codes.push({ key, count: 1 });
    }
  }
  return codes.map((x) => `${x.key} ${x.count}`);
}

function compareMessage(capture: string, ours: Record_, t: TMessage): void {
  const ctx: DiffContext = { capture, frame: t.frame, ours, t };
  const c = (name: string, o: string, theirs: string, always = false): void => agreement.compare(name, o, theirs, ctx, always);
  const msh = first(t, 'MSH');
  c('segments', ours.segments.join(' '), t.segments.map((s) => s.id).join(' '), true);
  c('sending_application', str(ours.sending_application), wire(msh['3'] ?? ''));
  c('sending_facility', str(ours.sending_facility), wire(msh['4'] ?? ''));
  c('receiving_application', str(ours.receiving_application), wire(msh['5'] ?? ''));
  c('receiving_facility', str(ours.receiving_facility), wire(msh['6'] ?? ''));
  c('msh7', str(ours.message_datetime), comp(t, msh['7'], 1));
  c('message_type', str(ours.message_type), t.message_type, true);
  c('trigger_event', str(ours.trigger_event), t.event_type);
  c('message_structure', str(ours.message_structure), comp(t, msh['9'], 3));
  c('control_id', str(ours.control_id), wire(msh['10'] ?? ''));
  c('processing_id', str(ours.processing_id), comp(t, msh['11'], 1));
  c('version', str(ours.version), comp(t, msh['12'], 1));
  c('character_set', str(ours.character_set), wire((msh['18'] ?? '').split(delimitersOf(t).rep)[0]!));
  const msa = first(t, 'MSA');
  c('ack_code', str(ours.ack_code), comp(t, msa['1'], 1));
  c('ack_control_id', str(ours.ack_control_id), wire(msa['2'] ?? ''));
  c('observation_count', String(ours.observation_count), String(t.segments.filter((s) => s.id === 'OBX').length), true);
  c('phi_kinds', ours.phi_kinds.join(' '), tsharkPhiKinds(t).join(' '));
  const codes = ours.observation_codes.map((o) => `${o.system} ${o.code ?? '-'} ${o.mdc_reference_id ?? '-'} ${o.count}`);
  c('observation_codes', codes.join(' ; '), tsharkObservationCodes(t).join(' ; '), ours.observation_count > 0);
  const obx18 = t.segments.filter((s) => s.id === 'OBX' && (s.values?.['18'] ?? '') !== '').map((s) => comp(t, s.values!['18'], 1));
  c('obx18', ours.devices.filter((d) => d.segment === 'OBX').map((d) => str(d.identifiers[0]?.entity_id)).join(' ; '), obx18.join(' ; '));
  const prts = ours.devices.filter((d) => d.segment === 'PRT').map((d) => [d.segment_index, d.participation, d.identifiers[0]?.entity_id,
    d.udi_device_identifier, d.manufacture_date, d.expiry_date, d.donation_id, d.device_type, d.lot_number, d.serial_number].map(str).join(' | '));
  c('prt', prts.join(' ; '), tsharkPrts(t).join(' ; '));
}

/** medtap's hl7.jsonl records for one capture, through the real ingest. */
async function medtapRecords(path: string): Promise<Record_[]> {
  const logs = mkdtempSync(join(tmpdir(), 'medtap-hl7-conf-'));
  const store = new SqliteStore(':memory:');
  try {
    await ingest(store, [path], { logDir: logs });
  } finally {
    store.close();
  }
  const file = join(logs, 'hl7.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record_) : [];
}

const key = (src: string, sport: number, dst: string, dport: number): string => `${src}:${sport}>${dst}:${dport}`;

for (const [rel, cap] of Object.entries(doc.captures)) {
  const path = rel.startsWith('corpus/') ? join(corpusRoot(), rel.slice('corpus/'.length)) : join(repoRoot(), rel);
  test(`hl7 vs tshark: ${rel}`, { skip: existsSync(path) ? false : 'capture missing' }, async () => {
    assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), cap.sha256, `${rel} changed: regenerate tshark-hl7.json (test/conformance/hl7/README.md)`);
    agreement.captures++;
    const ours = await medtapRecords(path);
    const theirs = new Map<string, TMessage[]>();
    for (const t of cap.messages) {
      const k = key(t.src, t.sport, t.dst, t.dport);
      theirs.set(k, [...(theirs.get(k) ?? []), t]);
    }
    const used = new Map<string, number>();
    let prev: Record_ | undefined;
    let prevReason: string | null = null;
    for (const r of ours) {
      messages++;
      const k = key(r.src_ip, r.src_port, r.dst_ip, r.dst_port);
      const list = theirs.get(k) ?? [];
      const i = used.get(k) ?? 0;
      const reason = Object.entries(EXTRA_REASONS).find(([, x]) => x.applies(r, prev, prevReason))?.[0] ?? null;
      if (reason !== null) {
        extras.set(reason, (extras.get(reason) ?? 0) + 1);
      } else if (i < list.length) {
        used.set(k, i + 1);
        agreement.tsharkFrames++;
        agreement.matched++;
        compareMessage(rel, r, list[i]!);
      } else {
        agreement.extra++;
        agreement.extraDetail.push(`${rel} ${k}: ${r.message_type} ${r.control_id}`);
      }
      prev = r;
      prevReason = reason;
    }
    for (const [k, list] of theirs) {
      for (const t of list.slice(used.get(k) ?? 0)) { agreement.tsharkFrames++; agreement.missingUnexplained.push(`${rel} frame ${t.frame} (${t.message_type})`); }
    }
  });
}

test('hl7 vs tshark: every field agrees on >= 99 %, every difference and extra message is explained, no PHI in the baseline', () => {
  assert.deepEqual(agreement.extraDetail, [], 'messages medtap found that tshark does not dissect, with no documented reason');
  agreement.assertAgreement('HL7');
  const text = readFileSync(join(repoRoot(), 'test/conformance/hl7/tshark-hl7.json'), 'utf8');
  for (const s of ['MOUSE', 'MICKEY', 'MINNIE', '19281118', 'Lake Buena Vista', 'ZZTESTPATIENT', 'ZZMRN', '19450317']) assert.ok(!text.includes(s), s);
  // nor the free text of OBX-3 (texts of hl7-lab-results.pcap and of the tapirx ORU) nor an OBX-5 value
  for (const s of ['QQTEXTMARKER', 'QQALTMARKER', 'Glucose', 'Potassium', 'Hemoglobin', 'Heart rate', 'Imm Gran', 'Neutros', 'PLACEHOLDER', 'Param 0', '5.8642', '139.864']) assert.ok(!text.includes(s), s);
});

after(() => {
  agreement.printSummary(
    `hl7 vs tshark: ${agreement.captures} captures, ${messages} medtap messages, ${agreement.matched} matched with tshark, ` +
      `${[...extras].map(([k, n]) => `${n} not dissected by tshark (${k})`).join(', ') || 'none unmatched'}, ${agreement.elapsed()} s`,
  );
});
