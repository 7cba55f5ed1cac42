/**
 * DICOM upper-layer analyzer (PS3.8 §9): TCP 104, 11112, 4242 and 2762 (DICOM over TLS), and any other port whose
 * client opens with an A-ASSOCIATE-RQ (`sniffDicom`). Each connection carries one association (PS3.8 §9.1); it
 * becomes one `dicom` observation (association.ts) when it is released, aborted, rejected or the connection ends.
 *
 * Per direction the byte stream is cut into PDUs (6-byte header, PS3.8 §9.3.1) whatever the TCP segmentation:
 * - association PDUs (RQ/AC/RJ/release/abort) are buffered whole (at most MAX_ASSOCIATE_PDU / MAX_SHORT_PDU bytes)
 *   and parsed by parser.ts;
 * - P-DATA-TF PDUs are never buffered: their PDV items (§9.3.5.1) are read as they stream; command fragments are
 *   gathered (at most MAX_COMMAND_SET bytes) until the last one and parsed as a DIMSE command set; data-set
 *   fragments go through a PhiScanner (dataset-scan.ts), which reads element headers only, so bulk data (images)
 *   costs nothing but counting.
 * A gap inside data-set bytes is skipped (that data set counts as not scanned); any other gap loses the direction's
 * framing, which is not recovered (the record keeps what was seen). A connection whose first bytes are a TLS
 * record (on the DICOM ports) is recorded as `encrypted` and left alone.
 */
import type { ObservationSink } from '../../observe/observation.js';
import { type StreamAnalyzer, type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import { openTlsStream } from '../tls/analyzer.js';
import { AssociationBuilder } from './association.js';
import { encodingOf, PhiScanner } from './dataset-scan.js';
import {
  MAX_ASSOCIATE_PDU, MAX_COMMAND_SET, MAX_DICOM_PDU, MAX_SHORT_PDU, parseAbort, parseAssociate, parseCommandSet,
  parseReject, parseRelease, PDU_HEADER_BYTES, PDU_NAMES, PDU_TYPE, PDV_HEADER_BYTES, readPduHeader, readPdvHeader,
} from './parser.js';

/** DICOM ports: 104 (IANA "dicom"), 11112 (IANA "dicom", DCMTK's default), 4242 (Orthanc's default), 2762 (IANA "dicom-tls"). */
export const DICOM_PORTS = [104, 11112, 4242, 2762] as const;

/** Smallest A-ASSOCIATE-RQ/AC body: the 68-byte fixed part (PS3.8 §9.3.2 Table 9-11). */
const MIN_ASSOCIATE_BODY = 68;

/**
 * Content detection: true when b[off, off+len), the first bytes a client sends, start an A-ASSOCIATE-RQ
 * (PS3.8 §9.3.2): type 01H, reserved 00H, a body length between 68 bytes and MAX_ASSOCIATE_PDU, protocol version
 * 0001H, and called and calling AE titles of printable ASCII that are not all spaces; when the first item is there
 * it must be the application context (10H).
 */
export function sniffDicom(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  if (!fromClient || len < 42 || off < 0 || off + len > b.length) return false;
  if (b[off] !== PDU_TYPE.ASSOCIATE_RQ || b[off + 1] !== 0) return false;
  const body = readPduHeader(b, off).length;
  if (body < MIN_ASSOCIATE_BODY || body > MAX_ASSOCIATE_PDU) return false;
  if (b[off + 6] !== 0x00 || b[off + 7] !== 0x01) return false;
  for (const start of [off + 10, off + 26]) {
    let blank = true;
    for (let i = start; i < start + 16; i++) {
      const c = b[i]!;
      if (c < 0x20 || c > 0x7e) return false;
      if (c !== 0x20) blank = false;
    }
    if (blank) return false;
  }
  return len < 75 || b[off + 74] === 0x10;
}

/** Where a direction's reader is. */
const enum Phase {
  /** Reading a PDU header. */
  Header,
  /** Buffering an association PDU. */
  Buffer,
  /** Skipping the rest of a PDU. */
  Skip,
  /** Inside a P-DATA-TF PDU. */
  PData,
  /** Framing lost (a gap or nonsense): nothing more is read. */
  Lost,
}

/** The reader state of one direction. */
class Direction {
  phase = Phase.Header;
  readonly hdr = new Uint8Array(PDU_HEADER_BYTES);
  hdrLen = 0;
  /** The association PDU being buffered (header included), and how much of it is filled. */
  pdu: Uint8Array | null = null;
  fill = 0;
  /** Body bytes of the current PDU still to come (Skip, PData). */
  remaining = 0;
  readonly pdvHdr = new Uint8Array(PDV_HEADER_BYTES);
  pdvHdrLen = 0;
  /** Value bytes of the current PDV still to come. */
  pdvRemaining = 0;
  pdvCommand = false;
  pdvLast = false;
  pdvContext = 0;
  /** The command being gathered. */
  cmd: Uint8Array | null = null;
  cmdLen = 0;
  cmdOverflow = false;
  /** The data set being scanned. */
  scanner: PhiScanner | null = null;
  dsBytes = 0;
  dsContext = 0;
  dsGap = false;
}

/** One connection's DICOM state. */
class DicomStream implements StreamParser {
  error: string | null = null;
  private status = StreamStatus.More;
  private readonly client = new Direction();
  private readonly server = new Direction();
  private readonly assoc = new AssociationBuilder();
  private recognized = false;
  private emitted = false;
  private firstTs: number | null = null;
  /** The TLS parser a DICOM-over-TLS connection is handed to. */
  private tls: StreamParser | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  data(fromClient: boolean, b: Uint8Array, off: number, len: number, ts: number): StreamStatus {
    if (this.tls !== null) return (this.status = this.tls.data(fromClient, b, off, len, ts));
    if (this.status !== StreamStatus.More) return this.status;
    if (!this.recognized && this.isTls(b, off, len)) {
      // DICOM over TLS (PS3.15 Annex B): the association is recorded now (encrypted, nothing more visible), and the
      // TLS handshake goes to the TLS analyzer, which records its SNI, fingerprints and certificates.
      this.recognized = true;
      this.firstTs = ts;
      this.assoc.rec.encrypted = true;
      this.assoc.rec.ended_by = 'tls';
      this.end();
      this.tls = openTlsStream(this.ctx, this.emit);
      return (this.status = this.tls.data(fromClient, b, off, len, ts));
    }
    const d = fromClient ? this.client : this.server;
    let o = off;
    const end = off + len;
    while (o < end && this.status === StreamStatus.More && d.phase !== Phase.Lost) o = this.step(d, fromClient, b, o, end, ts);
    return this.status;
  }

  gap(fromClient: boolean, missing: number, ts: number): StreamStatus {
    if (this.tls !== null) return (this.status = this.tls.gap(fromClient, missing, ts));
    if (this.status !== StreamStatus.More) return this.status;
    const d = fromClient ? this.client : this.server;
    if (d.phase === Phase.Lost) return this.status;
    if (d.phase === Phase.Skip && missing < d.remaining) {
      d.remaining -= missing;
    } else if (d.phase === Phase.PData && !d.pdvCommand && d.pdvHdrLen === 0 && missing < d.pdvRemaining) {
      d.pdvRemaining -= missing;
      d.remaining -= missing;
      d.dsBytes += missing;
      d.dsGap = true;
      this.assoc.anomaly('gap_in_dataset');
    } else {
      if (!this.recognized) return (this.status = StreamStatus.Done);
      this.lose(d, 'gap');
    }
    return this.status;
  }

  end(ts?: number): void {
    if (this.tls !== null) this.tls.end(ts ?? this.ctx.base.ts_us);
    if (this.emitted || !this.recognized) return;
    this.emitted = true;
    for (const d of [this.client, this.server]) {
      if (d.scanner === null) continue;
      d.dsGap = true; // its last fragment never came
      this.finishDataset(d);
    }
    this.emit({ kind: 'dicom', ctx: this.ctx.at(this.firstTs ?? this.ctx.base.ts_us), msg: this.assoc.rec });
  }

  /** A TLS record header (handshake, version 3.x) at the start of the connection. */
  private isTls(b: Uint8Array, off: number, len: number): boolean {
    return len >= 3 && b[off] === 0x16 && b[off + 1] === 0x03 && b[off + 2]! <= 0x04;
  }

  /** The direction's framing is lost; when both are, the connection is done. */
  private lose(d: Direction, why: string): void {
    this.assoc.anomaly(why);
    d.phase = Phase.Lost;
    d.pdu = null;
    d.cmd = null;
    if (d.scanner !== null) {
      d.dsGap = true;
      this.finishDataset(d);
    }
    if (this.client.phase === Phase.Lost && this.server.phase === Phase.Lost) {
      this.assoc.rec.ended_by = 'desync';
      this.status = StreamStatus.Done;
    }
  }

  /** Consumes bytes of b[o, end) in the direction's current phase; returns where it stopped. */
  private step(d: Direction, fromClient: boolean, b: Uint8Array, o: number, end: number, ts: number): number {
    switch (d.phase) {
      case Phase.Header: {
        const n = Math.min(PDU_HEADER_BYTES - d.hdrLen, end - o);
        d.hdr.set(b.subarray(o, o + n), d.hdrLen);
        d.hdrLen += n;
        if (d.hdrLen === PDU_HEADER_BYTES) {
          d.hdrLen = 0;
          this.header(d, fromClient, ts);
        }
        return o + n;
      }
      case Phase.Buffer: {
        const pdu = d.pdu!;
        const n = Math.min(pdu.length - d.fill, end - o);
        pdu.set(b.subarray(o, o + n), d.fill);
        d.fill += n;
        if (d.fill === pdu.length) this.complete(d, fromClient);
        return o + n;
      }
      case Phase.Skip: {
        const n = Math.min(d.remaining, end - o);
        d.remaining -= n;
        if (d.remaining === 0) d.phase = Phase.Header;
        return o + n;
      }
      case Phase.PData:
        return this.pdata(d, fromClient, b, o, end);
      default:
        return end;
    }
  }

  /** True if a connection's first PDU header is plausible (type, reserved byte, a length fitting the type). */
  private plausibleFirst(type: number, reserved: number, length: number): boolean {
    if (reserved !== 0) return false;
    if (type === PDU_TYPE.ASSOCIATE_RQ || type === PDU_TYPE.ASSOCIATE_AC) return length >= MIN_ASSOCIATE_BODY && length <= MAX_ASSOCIATE_PDU;
    if (type === PDU_TYPE.P_DATA_TF) return length >= PDV_HEADER_BYTES && length <= MAX_DICOM_PDU;
    return type >= PDU_TYPE.ASSOCIATE_RJ && type <= PDU_TYPE.ABORT && length === 4;
  }

  /** A complete PDU header: choose how its body is read. */
  private header(d: Direction, fromClient: boolean, ts: number): void {
    const { type, length } = readPduHeader(d.hdr, 0);
    if (!this.recognized) {
      if (!this.plausibleFirst(type, d.hdr[1]!, length)) {
        this.error = 'not_dicom';
        this.status = StreamStatus.Failed;
        return;
      }
      this.recognized = true;
      this.firstTs = ts;
    }
    this.assoc.pdu(fromClient);
    const name = PDU_NAMES[type];
    if (name === undefined || length > MAX_DICOM_PDU) {
      if (length > MAX_DICOM_PDU) this.lose(d, `pdu_too_long:${name ?? `0x${type.toString(16)}`}`);
      else this.skip(d, length, `unknown_pdu_type:0x${type.toString(16).padStart(2, '0')}`);
      return;
    }
    if (type === PDU_TYPE.P_DATA_TF) {
      this.startPData(d, fromClient, length);
      return;
    }
    const limit = type === PDU_TYPE.ASSOCIATE_RQ || type === PDU_TYPE.ASSOCIATE_AC ? MAX_ASSOCIATE_PDU : MAX_SHORT_PDU;
    if (length > limit) {
      this.skip(d, length, `oversized_pdu:${name}`);
      return;
    }
    d.pdu = new Uint8Array(PDU_HEADER_BYTES + length);
    d.pdu.set(d.hdr);
    d.fill = PDU_HEADER_BYTES;
    d.phase = Phase.Buffer;
    if (length === 0) this.complete(d, fromClient);
  }

  private skip(d: Direction, length: number, why: string): void {
    this.assoc.anomaly(why);
    d.remaining = length;
    d.phase = length === 0 ? Phase.Header : Phase.Skip;
  }

  private startPData(d: Direction, fromClient: boolean, length: number): void {
    const r = this.assoc.rec;
    const receiverMax = fromClient ? r.acceptor_max_pdu_length : r.requestor_max_pdu_length;
    if (receiverMax !== null && receiverMax > 0 && length > receiverMax) this.assoc.anomaly('pdu_exceeds_max_length');
    if (length === 0) {
      this.assoc.anomaly('empty_pdata');
      return;
    }
    d.remaining = length;
    d.pdvHdrLen = 0;
    d.pdvRemaining = 0;
    d.phase = Phase.PData;
  }

  /** A buffered association PDU is complete: parse it into the record. */
  private complete(d: Direction, fromClient: boolean): void {
    const pdu = d.pdu!;
    d.pdu = null;
    d.phase = Phase.Header;
    const a = this.assoc;
    const type = pdu[0]!;
    if (type === PDU_TYPE.ASSOCIATE_RQ || type === PDU_TYPE.ASSOCIATE_AC) {
      const r = parseAssociate(pdu, 0, pdu.length);
      if (r.ok) a.associate(r.value, fromClient);
      else a.anomaly(`unparsable_pdu:${PDU_NAMES[type]}`);
    } else if (type === PDU_TYPE.ASSOCIATE_RJ) {
      const r = parseReject(pdu, 0, pdu.length);
      if (r.ok) a.reject(r.value);
      else a.anomaly('unparsable_pdu:A-ASSOCIATE-RJ');
      this.status = StreamStatus.Done;
    } else if (type === PDU_TYPE.ABORT) {
      const r = parseAbort(pdu, 0, pdu.length);
      if (r.ok) a.abort(r.value, fromClient);
      else a.anomaly('unparsable_pdu:A-ABORT');
      this.status = StreamStatus.Done;
    } else {
      const r = parseRelease(pdu, 0, pdu.length);
      if (!r.ok) a.anomaly(`unparsable_pdu:${PDU_NAMES[type]}`);
      else {
        a.anomaly(...r.value.anomalies);
        a.release(type === PDU_TYPE.RELEASE_RP);
        if (type === PDU_TYPE.RELEASE_RP) this.status = StreamStatus.Done;
      }
    }
  }

  /** Bytes of a P-DATA-TF body: PDV headers, then each PDV's fragment. */
  private pdata(d: Direction, fromClient: boolean, b: Uint8Array, o: number, end: number): number {
    if (d.pdvRemaining > 0) {
      const n = Math.min(d.pdvRemaining, end - o);
      this.fragmentBytes(d, b, o, n);
      d.pdvRemaining -= n;
      d.remaining -= n;
      if (d.pdvRemaining === 0) this.fragmentEnd(d, fromClient);
      if (d.remaining === 0 && d.phase === Phase.PData) d.phase = Phase.Header;
      return o + n;
    }
    if (d.pdvHdrLen === 0 && d.remaining < PDV_HEADER_BYTES) {
      this.skip(d, d.remaining, 'bad_pdv_length');
      return o;
    }
    const n = Math.min(PDV_HEADER_BYTES - d.pdvHdrLen, end - o);
    d.pdvHdr.set(b.subarray(o, o + n), d.pdvHdrLen);
    d.pdvHdrLen += n;
    d.remaining -= n;
    if (d.pdvHdrLen === PDV_HEADER_BYTES) {
      d.pdvHdrLen = 0;
      this.pdvHeader(d, fromClient);
    }
    return o + n;
  }

  /** A complete PDV item header. */
  private pdvHeader(d: Direction, fromClient: boolean): void {
    const h = readPdvHeader(d.pdvHdr, 0);
    const valueLength = h.itemLength - 2;
    if (h.itemLength < 2 || valueLength > d.remaining) {
      this.skip(d, d.remaining, 'bad_pdv_length');
      return;
    }
    if (h.control & 0xfc) this.assoc.anomaly('bad_pdv_flags');
    if (valueLength % 2) this.assoc.anomaly('odd_pdv_length');
    d.pdvCommand = (h.control & 1) !== 0;
    d.pdvLast = (h.control & 2) !== 0;
    d.pdvContext = h.contextId;
    d.pdvRemaining = valueLength;
    if (d.pdvCommand) {
      if (d.scanner !== null) {
        this.assoc.anomaly('command_inside_dataset');
        this.finishDataset(d);
      }
    } else if (d.scanner === null) {
      d.scanner = new PhiScanner(encodingOf(this.assoc.transferSyntax(h.contextId)));
      d.dsBytes = 0;
      d.dsContext = h.contextId;
      d.dsGap = false;
    } else if (d.dsContext !== h.contextId) this.assoc.anomaly('context_changed_inside_dataset');
    if (valueLength === 0) this.fragmentEnd(d, fromClient);
    if (d.remaining === 0 && d.phase === Phase.PData) d.phase = Phase.Header;
  }

  /** Fragment bytes b[o, o+n) of the current PDV. */
  private fragmentBytes(d: Direction, b: Uint8Array, o: number, n: number): void {
    if (!d.pdvCommand) {
      d.dsBytes += n;
      if (!d.scanner!.done) d.scanner!.feed(b, o, n);
      return;
    }
    if (d.cmdOverflow) return;
    if (d.cmdLen + n > MAX_COMMAND_SET) {
      d.cmdOverflow = true;
      this.assoc.anomaly('command_set_too_long');
      return;
    }
    if (d.cmd === null || d.cmd.length < d.cmdLen + n) {
      const grown = new Uint8Array(Math.min(MAX_COMMAND_SET, Math.max(256, 2 * (d.cmdLen + n))));
      if (d.cmd !== null) grown.set(d.cmd.subarray(0, d.cmdLen));
      d.cmd = grown;
    }
    d.cmd.set(b.subarray(o, o + n), d.cmdLen);
    d.cmdLen += n;
  }

  /** The current PDV's fragment is complete; the last fragment completes its command or data set. */
  private fragmentEnd(d: Direction, fromClient: boolean): void {
    if (!d.pdvLast) return;
    if (!d.pdvCommand) {
      this.finishDataset(d);
      return;
    }
    if (!d.cmdOverflow && d.cmd !== null) {
      const r = parseCommandSet(d.cmd, 0, d.cmdLen);
      if (r.ok) this.assoc.command(r.value, d.pdvContext, fromClient);
      else this.assoc.anomaly(`unparsable_command:${r.error}`);
    } else if (d.cmd === null && !d.cmdOverflow) this.assoc.anomaly('unparsable_command:empty');
    d.cmdLen = 0;
    d.cmdOverflow = false;
  }

  private finishDataset(d: Direction): void {
    const scan = d.scanner!.finish();
    this.assoc.dataset(d.dsBytes, d.dsGap ? { kinds: scan.kinds, outcome: 'incomplete' } : scan);
    d.scanner = null;
  }
}

/** The DICOM stream analyzer (registered in protocols/registry.ts). */
export const DICOM_ANALYZER: StreamAnalyzer = {
  ports: DICOM_PORTS,
  sniff: sniffDicom,
  keepOnPort: true,
  open: (ctx, emit) => new DicomStream(ctx, emit),
};
