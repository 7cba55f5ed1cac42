/**
 * HL7 v2 stream analyzer (TCP; MLLP framing or bare MSH streams, on the HL7 ports or any port by content): each
 * direction is framed (mllp.ts), each frame split into messages (batches), each message parsed (parser.ts) and
 * emitted as one `hl7` observation whose context is the message's sender (src_*) and receiver (dst_*).
 *
 * The connection stays analysed to its end (HL7 links are long-lived and every message counts). A connection chosen
 * by port that shows MAX_HUNT_BYTES of non-HL7 bytes before any frame is given up (`not_hl7`).
 */
import type { ObservationSink } from '../../observe/observation.js';
import { senderContext } from '../sender-context.js';
import { TwoWayMessageStream } from '../message-stream.js';
import type { StreamContext, StreamParser } from '../stream.js';
import { type Hl7Frame, type Hl7Framing, Hl7Framer, sniffHl7, splitHl7Batch } from './mllp.js';
import { type Hl7Message, parseHl7Message } from './parser.js';

/**
 * Ports that select HL7: 2575 (IANA "hl7") and 6661 (the MLLP listener port of many interface-engine set-ups, e.g.
 * Mirth Connect examples and the tapirx/nDPI captures). HL7 on other ports is found by content (sniffHl7).
 */
export const HL7_PORTS = [2575, 6661] as const;

/** Non-blank bytes a connection may show before its first HL7 frame before it is judged not HL7. */
export const MAX_HUNT_BYTES = 8192;

/** One `hl7` log record: the parsed message plus how it travelled. */
export interface Hl7Record extends Hl7Message {
  /** `mllp` (VT … FS CR) or `bare` (no framing). */
  framing: Hl7Framing;
  /** Who sent it: the connection's client or server (src_* of the record is the sender either way). */
  sender: 'client' | 'server';
  /** Bytes of the message on the wire (framing excluded; includes any part cut beyond MAX_HL7_MESSAGE). */
  message_bytes: number;
}

/** One frame of one direction of a connection: its messages, parsed and emitted with the sender's context. */
function emitFrame(ctx: StreamContext, emit: ObservationSink, fromClient: boolean, f: Hl7Frame, ts: number): void {
  const { messages, leading } = splitHl7Batch(f.bytes, 0, f.bytes.length);
  const cutBytes = f.wire_length - f.bytes.length;
  messages.forEach(([s, e], k) => {
    const r = parseHl7Message(f.bytes, s, e - s);
    if (!r.ok) return;
    const extra = k === 0 ? [...f.anomalies, ...(leading ? ['data_before_msh'] : [])] : [];
    const msg: Hl7Record = {
      ...r.value,
      anomalies: [...extra, ...r.value.anomalies],
      framing: f.framing,
      sender: fromClient ? 'client' : 'server',
      message_bytes: e - s + (k === messages.length - 1 ? cutBytes : 0),
    };
    emit({ kind: 'hl7', ctx: senderContext(ctx, fromClient, ts), msg });
  });
}

/** Content detection: VT + "MSH|" (or FHS/BHS) or a bare "MSH" + field separator, from either side. */
export function sniffHl7Stream(_fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  return sniffHl7(b, off, len);
}

/** A parser for one HL7 connection: a framer per direction; given up when only non-HL7 bytes come (`not_hl7`). */
export function openHl7(ctx: StreamContext, emit: ObservationSink): StreamParser {
  const conn: TwoWayMessageStream<Hl7Framer> = new TwoWayMessageStream(
    ctx.base.ts_us,
    (fromClient) => new Hl7Framer((f) => emitFrame(ctx, emit, fromClient, f, conn.ts)),
    (s) => (s.client.frames + s.server.frames === 0 && s.client.skippedTotal + s.server.skippedTotal > MAX_HUNT_BYTES ? 'not_hl7' : null),
  );
  return conn;
}
