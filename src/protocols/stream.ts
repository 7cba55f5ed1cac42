/**
 * The contract for analyzers of TCP protocols (HTTP, TLS, SSH, SMB, DICOM, HL7/MLLP, …). The ingest reassembles
 * each direction of a connection (src/flow/tcp-reassembly.ts) and hands a stream parser the bytes in order, told
 * which side sent them; the parser keeps its own bounded state per connection and emits observations.
 *
 * A connection is given to an analyzer when one side's port is one of its `ports`, else when its `sniff` accepts
 * the first bytes of the connection (content detection: DICOM or HL7 on any port).
 */
import type { ObservationSink, PacketContext, ProtocolName } from '../observe/observation.js';

/** What a stream parser wants after a call. */
export const enum StreamStatus {
  /** Keep sending bytes. */
  More = 0,
  /** Seen all it needs: no more bytes for this connection. */
  Done = 1,
  /** Not (or no longer) this protocol, or malformed beyond recovery: stop; `error` says why. */
  Failed = 2,
}

/** Where a connection is: its client → server addresses; `at(ts)` is the context of an observation made at `ts`. */
export interface StreamContext {
  /** The client → server context (its `ts_us` is the connection's first analysed packet). */
  readonly base: PacketContext;
  /** The same context at capture time `ts` (µs). */
  at(ts: number): PacketContext;
}

/** The per-connection state of a TCP analyzer. */
export interface StreamParser {
  /** Contiguous bytes b[off, off+len) sent by the client (`fromClient`) or the server, at capture time `ts`. */
  data(fromClient: boolean, b: Uint8Array, off: number, len: number, ts: number): StreamStatus;
  /** `missing` bytes of one direction were never captured; the next data of that direction follows the gap. */
  gap(fromClient: boolean, missing: number, ts: number): StreamStatus;
  /** The connection ended (closed, idle, evicted or end of capture): emit what is complete; never throws. */
  end(ts: number): void;
  /** Why the parser failed (after it returned Failed), e.g. `bad_record_header`. */
  readonly error: string | null;
}

/** A TCP protocol analyzer. */
export interface StreamAnalyzer {
  /** Server ports that select this analyzer (either side of the connection). */
  ports: readonly number[];
  /**
   * Content detection for connections on other ports: true when b[off, off+len), the first bytes of a connection
   * sent by the client (`fromClient`) or the server, start this protocol. Cheap; never throws.
   */
  sniff?(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean;
  /**
   * Keep a connection on one of `ports` even when `sniff` rejects its first bytes (DICOM's ports carry DICOM over TLS
   * too, which the DICOM analyzer records as encrypted). Without it, another analyzer that recognises those bytes
   * takes the connection (TLS on HTTP's 8888).
   */
  keepOnPort?: boolean;
  /** A parser for one connection. */
  open(ctx: StreamContext, emit: ObservationSink): StreamParser;
}

/** A stream analyzer with its registry name (the name its failures and logs are counted under). */
export interface RegisteredStreamAnalyzer extends StreamAnalyzer {
  name: ProtocolName;
}
