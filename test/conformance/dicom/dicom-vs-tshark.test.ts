/**
 * Conformance: src/protocols/dicom/ against tshark 4.0's DICOM dissector, field by field, over every corpus capture
 * holding DICOM and the synthetic capture built from the standard (tshark-dicom.json, from
 * scripts/make-dicom-baselines.ts; synth-dicom.pcap from scripts/make-dicom-captures.ts).
 *
 * Each capture is read with medtap's own reader, flow table and TCP reassembly (TcpStreams, as the ingest runs them);
 * connections go to a recorder on the DICOM ports and, elsewhere, when `sniffDicom` accepts their first bytes. The
 * recorder cuts each direction into PDUs and notes the frame that completes each one — tshark puts a PDU's fields on
 * that frame — then parses them with parser.ts (association PDUs, P-DATA-TF, DIMSE command sets reassembled from their
 * command fragments). Per frame, each field's occurrences (in PDU order) are compared with tshark's.
 *
 * A second test runs the real stream analyzer over the same captures and checks each association record against the
 * frames tshark decoded for that connection (AE titles, contexts and results, implementation identity, the DIMSE
 * commands, how the association ended).
 *
 * Normalisations (not differences; both sides describe the same bytes):
 * - tshark prints AE titles with their space padding; medtap trims them (PS3.5: not significant).
 * - tshark prints UIDs it knows as "Name (uid)"; the UID in the last parentheses is compared.
 * - Context IDs, results and role values are printed by tshark as 0xNN, the rest in decimal.
 * - DIMSE commands come from tshark's Info column, which lists each distinct command text of a frame once: the set of
 *   command names per frame is compared.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ProtocolName } from '../../../src/observe/observation.js';
import type { DicomAssociation } from '../../../src/protocols/dicom/association.js';
import { DICOM_ANALYZER, DICOM_PORTS, sniffDicom } from '../../../src/protocols/dicom/analyzer.js';
import {
  parseAbort, parseAssociate, parseCommandSet, parsePData, parseReject, PDU_HEADER_BYTES, readPduHeader,
} from '../../../src/protocols/dicom/parser.js';
import { type RegisteredStreamAnalyzer, type StreamParser, StreamStatus } from '../../../src/protocols/stream.js';
import type { DicomBaselines } from '../../../scripts/make-dicom-baselines.js';
import { corpusRoot, readTcpStreams, repoRoot, type TsharkFrame, tsharkFrameAccessor } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';

const BASELINE = join(repoRoot(), 'test/conformance/dicom/tshark-dicom.json');
const doc = JSON.parse(readFileSync(BASELINE, 'utf8')) as DicomBaselines;
const accessor = tsharkFrameAccessor(doc.fields, doc.aggregator, 'tshark-dicom.json');
/** The synthetic capture's extra DICOM port (the others are DICOM_PORTS). */
const SNIFFED_PORT = 5678;

/** A capture's path: corpus-relative, or the repository path of the synthetic capture or the bundled sample. */
function capturePath(name: string): string {
  return name.startsWith('test/') || name.startsWith('samples/') ? join(repoRoot(), name) : join(corpusRoot(), name);
}

/** What known differences see. */
interface DiffContext extends FrameSite {
  t: TsharkFrame;
}

/** Every accepted difference between medtap and tshark. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

const agreement = new FieldAgreement<DiffContext>(KNOWN_DIFFERENCES, {});

/** One PDU a recorder cut out, with the frame that completed it. */
interface RecordedPdu {
  frame: number;
  fromClient: boolean;
  bytes: Uint8Array;
}

/** One connection's PDUs and the real analyzer's records. */
interface RecordedConnection {
  pdus: RecordedPdu[];
  records: DicomAssociation[];
}

/** Reads a capture through the flow table and TCP reassembly; each DICOM connection's PDUs and records. */
function record(path: string): RecordedConnection[] {
  const conns: RecordedConnection[] = [];
  let frame = 0;
  const recorder: RegisteredStreamAnalyzer = {
    name: 'dicom' as ProtocolName,
    ports: [...DICOM_PORTS, SNIFFED_PORT],
    sniff: sniffDicom,
    open(ctx): StreamParser {
      const c: RecordedConnection = { pdus: [], records: [] };
      conns.push(c);
      const real = DICOM_ANALYZER.open(ctx, (o) => { if (o.kind === 'dicom') c.records.push(o.msg); }); // DICOM over TLS also yields the TLS analyzer's record
      const held = [new Uint8Array(0), new Uint8Array(0)];
      return {
        error: null,
        data(fromClient, b, off, len, ts) {
          const i = fromClient ? 0 : 1;
          const buf = new Uint8Array(held[i]!.length + len);
          buf.set(held[i]!);
          buf.set(b.subarray(off, off + len), held[i]!.length);
          let o = 0;
          while (buf.length - o >= PDU_HEADER_BYTES) {
            const n = PDU_HEADER_BYTES + readPduHeader(buf, o).length;
            if (buf.length - o < n) break;
            c.pdus.push({ frame, fromClient, bytes: buf.slice(o, o + n) });
            o += n;
          }
          held[i] = buf.slice(o);
          real.data(fromClient, b, off, len, ts);
          return StreamStatus.More;
        },
        gap: (fromClient, missing, ts) => {
          real.gap(fromClient, missing, ts);
          return StreamStatus.More;
        },
        end: (ts) => real.end(ts),
      };
    },
  };
  const byPort = new Array<RegisteredStreamAnalyzer | undefined>(65536);
  for (const p of recorder.ports) byPort[p] = recorder;
  readTcpStreams(path, { byPort, sniffers: [recorder] }, (_p, n) => {
    frame = n;
  });
  return conns;
}

/** Our fields of one frame: field name → occurrences in PDU order. */
type Fields = Map<string, string[]>;

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** Appends occurrences of a field. */
function put(f: Fields, name: string, ...values: (string | number | null)[]): void {
  const list = f.get(name) ?? [];
  for (const v of values) if (v !== null) list.push(String(v));
  f.set(name, list);
}

/** Command bytes gathered per direction until their last fragment. */
class CommandAssembly {
  private readonly parts: [number[], number[]] = [[], []];

  /** Adds one P-DATA-TF PDU's PDVs; puts the names of commands it completes and the PDV fields. */
  add(pdu: RecordedPdu, f: Fields): void {
    const r = parsePData(pdu.bytes, 0, pdu.bytes.length);
    if (!r.ok) return;
    const mine = this.parts[pdu.fromClient ? 0 : 1];
    for (const v of r.value.pdvs) {
      put(f, 'pdv_ctx', v.context_id);
      put(f, 'pdv_flags', hex2((v.command ? 1 : 0) | (v.last ? 2 : 0)));
      if (!v.command) continue;
      for (let i = 0; i < v.length; i++) mine.push(pdu.bytes[v.value_offset + i]!);
      if (!v.last) continue;
      const c = parseCommandSet(Uint8Array.from(mine), 0, mine.length);
      if (c.ok && c.value.command !== null) put(f, 'commands', c.value.command);
      mine.length = 0;
    }
  }
}

/** Puts the fields of an association PDU. */
function associateFields(pdu: RecordedPdu, f: Fields): void {
  const r = parseAssociate(pdu.bytes, 0, pdu.bytes.length);
  if (!r.ok) return;
  const a = r.value;
  put(f, 'protocol_version', a.protocol_version);
  put(f, 'called_ae', a.called_ae);
  put(f, 'calling_ae', a.calling_ae);
  put(f, 'application_context', a.application_context);
  for (const pc of a.presentation_contexts) {
    put(f, 'context_id', hex2(pc.id));
    if (pc.result !== null) put(f, 'context_result', hex2(pc.result));
    put(f, 'abstract_syntax', pc.abstract_syntax);
    put(f, 'transfer_syntax', ...pc.transfer_syntaxes);
  }
  put(f, 'max_pdu_length', a.max_pdu_length);
  put(f, 'implementation_class_uid', a.implementation_class_uid);
  put(f, 'implementation_version', a.implementation_version);
  put(f, 'async_ops_invoked', a.async_ops_invoked);
  put(f, 'async_ops_performed', a.async_ops_performed);
  for (const rs of a.role_selections) {
    put(f, 'role_sop_class', rs.sop_class);
    put(f, 'role_scu', hex2(rs.scu_role));
    put(f, 'role_scp', hex2(rs.scp_role));
  }
  if (a.user_identity) {
    put(f, 'user_identity_type', a.user_identity.type);
    put(f, 'user_identity_response_requested', a.user_identity.positive_response_requested ? 1 : 0);
  }
}

/** Our fields per frame for one connection. */
function ourFrames(c: RecordedConnection): Map<number, Fields> {
  const frames = new Map<number, Fields>();
  const commands = new CommandAssembly();
  for (const pdu of c.pdus) {
    let f = frames.get(pdu.frame);
    if (!f) frames.set(pdu.frame, (f = new Map()));
    const type = pdu.bytes[0]!;
    put(f, 'pdu_type', hex2(type));
    if (type === 1 || type === 2) associateFields(pdu, f);
    else if (type === 4) commands.add(pdu, f);
    else if (type === 3) {
      const r = parseReject(pdu.bytes, 0, pdu.bytes.length);
      if (r.ok) put(f, 'reject', `${r.value.result}/${r.value.source}/${r.value.reason}`);
    } else if (type === 7) {
      const r = parseAbort(pdu.bytes, 0, pdu.bytes.length);
      if (r.ok) put(f, 'abort', `${r.value.source}/${r.value.reason}`);
    }
  }
  return frames;
}

/** The UID of tshark's "Name (uid)" rendering, or the value as printed. */
const uidOf = (v: string): string => /\(([0-9.]+)\)$/.exec(v)?.[1] ?? v;

/** tshark's values of our field `name` on a frame. */
function theirs(t: TsharkFrame, name: string): string[] {
  const l = (f: string): string[] => t.list(f);
  switch (name) {
    case 'pdu_type': return l('dicom.pdu.type');
    case 'protocol_version': return l('dicom.assoc.version');
    case 'called_ae': return l('dicom.assoc.ae.called').map((x) => x.trim());
    case 'calling_ae': return l('dicom.assoc.ae.calling').map((x) => x.trim());
    case 'application_context': return l('dicom.actx').map(uidOf);
    case 'context_id': return l('dicom.pctx.id');
    case 'context_result': return l('dicom.pctx.result');
    case 'abstract_syntax': return l('dicom.pctx.abss.syntax').map(uidOf);
    case 'transfer_syntax': return l('dicom.pctx.xfer.syntax').map(uidOf);
    case 'max_pdu_length': return l('dicom.max_pdu_len');
    case 'implementation_class_uid': return l('dicom.userinfo.uid');
    case 'implementation_version': return l('dicom.userinfo.version');
    case 'async_ops_invoked': return l('dicom.userinfo.asyncneg.maxnumopsinv');
    case 'async_ops_performed': return l('dicom.userinfo.asyncneg.maxnumopsper');
    case 'role_sop_class': return l('dicom.userinfo.rolesel.sopclassuid').map(uidOf);
    case 'role_scu': return l('dicom.userinfo.rolesel.scurole');
    case 'role_scp': return l('dicom.userinfo.rolesel.scprole');
    case 'user_identity_type': return l('dicom.userinfo.user_identify.type');
    case 'user_identity_response_requested': return l('dicom.userinfo.user_identify.response_requested');
    case 'reject': return l('dicom.assoc.reject.result').map((r, i) => `${r}/${l('dicom.assoc.reject.source')[i]}/${l('dicom.assoc.reject.reason')[i]}`);
    case 'abort': return l('dicom.assoc.abort.source').map((s, i) => `${s}/${l('dicom.assoc.abort.reason')[i]}`);
    case 'pdv_ctx': return l('dicom.pdv.ctx');
    case 'pdv_flags': return l('dicom.pdv.flags');
    case 'commands': return [...new Set(t.get('_ws.col.Info').match(/\b[CN]-[A-Z-]+?-(RQ|RSP)\b(?!-DATA)/g) ?? [])].sort();
    default: throw new Error(name);
  }
}

/** Every compared field, in summary order. */
const FIELDS = [
  'pdu_type', 'protocol_version', 'called_ae', 'calling_ae', 'application_context', 'context_id', 'context_result',
  'abstract_syntax', 'transfer_syntax', 'max_pdu_length', 'implementation_class_uid', 'implementation_version',
  'async_ops_invoked', 'async_ops_performed', 'role_sop_class', 'role_scu', 'role_scp', 'user_identity_type',
  'user_identity_response_requested', 'reject', 'abort', 'pdv_ctx', 'pdv_flags', 'commands',
];

const recorded = new Map<string, RecordedConnection[]>();

for (const [name, cap] of Object.entries(doc.captures)) {
  test(`DICOM vs tshark: ${name}`, () => {
    const conns = record(capturePath(name));
    recorded.set(name, conns);
    agreement.captures++;
    const ours = new Map<number, Fields>();
    for (const c of conns) for (const [frame, f] of ourFrames(c)) ours.set(frame, f);
    for (const [num, row] of Object.entries(cap.frames)) {
      agreement.tsharkFrames++;
      const frame = Number(num);
      const t = accessor(row);
      const f = ours.get(frame);
      if (f === undefined) {
        agreement.missingUnexplained.push(`${name} frame ${frame}`);
        continue;
      }
      agreement.matched++;
      for (const field of FIELDS) {
        let mine = f.get(field) ?? [];
        if (field === 'commands') mine = [...new Set(mine)].sort();
        agreement.compare(field, mine.join(','), theirs(t, field).join(','), { capture: name, frame, t });
      }
    }
    agreement.extraFrames(name, new Map([...ours].map(([k, v]) => [k, v.get('pdu_type')!.join(',')])), cap.frames, (p) => `PDU types ${p}`);
  });
}

test('DICOM association records agree with the frames tshark decoded for each connection', () => {
  let checked = 0;
  for (const [name, cap] of Object.entries(doc.captures)) {
    const conns = recorded.get(name) ?? record(capturePath(name));
    const frames = Object.entries(cap.frames).map(([n, row]) => ({ frame: Number(n), t: accessor(row) }));
    for (const c of conns) {
      assert.equal(c.records.length, 1, `${name}: one record per connection`);
      const r = c.records[0]!;
      if (r.encrypted) {
        // DICOM over TLS: tshark shows no DICOM either
        assert.deepEqual(c.pdus, [], name);
        checked++;
        continue;
      }
      const mine = new Set(c.pdus.map((p) => p.frame));
      const ts = frames.filter((x) => mine.has(x.frame)).map((x) => x.t);
      const types = ts.flatMap((t) => t.list('dicom.pdu.type'));
      const rq = ts.find((t) => t.list('dicom.pdu.type').includes('0x01'));
      const ac = ts.find((t) => t.list('dicom.pdu.type').includes('0x02'));
      if (rq) {
        assert.equal(r.called_ae, rq.first('dicom.assoc.ae.called').trim(), name);
        assert.equal(r.calling_ae, rq.first('dicom.assoc.ae.calling').trim(), name);
        assert.equal(r.requestor_implementation_class_uid, rq.first('dicom.userinfo.uid'), name);
        assert.equal(r.requestor_implementation_version || '', rq.first('dicom.userinfo.version'), name);
        assert.deepEqual(r.presentation_contexts.map((p) => p.abstract_syntax), rq.list('dicom.pctx.abss.syntax').map(uidOf), name);
      }
      if (ac) {
        assert.equal(r.acceptor_implementation_class_uid, ac.first('dicom.userinfo.uid'), name);
        assert.deepEqual(r.presentation_contexts.map((p) => hex2(p.result_code ?? 0xff)), ac.list('dicom.pctx.result'), name);
      }
      const state = types.includes('0x03') ? 'rejected' : types.includes('0x02') ? 'accepted' : types.includes('0x01') ? 'requested' : 'unknown';
      assert.equal(r.state, state, name);
      const ended = types.includes('0x03') ? 'reject' : types.includes('0x07') ? 'abort' : types.includes('0x06') ? 'release' : 'connection_end';
      assert.equal(r.ended_by, ended, name);
      const theirCommands = new Set(ts.flatMap((t) => theirs(t, 'commands')));
      assert.deepEqual(new Set(r.dimse.map((o) => o.command)), theirCommands, name);
      checked++;
    }
  }
  assert.ok(checked >= Object.keys(doc.captures).length, `${checked} connections checked`);
});

after(() => {
  for (const f of FIELDS) agreement.field(f);
  agreement.printSummary(`DICOM vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} frames, ${agreement.matched} matched, ${agreement.extra} extra, ${agreement.elapsed()} s`);
  agreement.assertAgreement('DICOM');
});
