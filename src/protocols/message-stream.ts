/**
 * The per-connection shell of the message-oriented stream analyzers (HL7 v2, POCT1-A): one reader per direction
 * fed with that direction's bytes, told of gaps and of the end, the capture time of the bytes being read kept for
 * the observations the readers emit, and a check that gives the connection up (e.g. "not this protocol").
 */
import { type StreamParser, StreamStatus } from './stream.js';

/** One direction's reader. */
export interface DirectionReader {
  /** Bytes b[off, off+len) of this direction, in order. */
  push(b: Uint8Array, off: number, len: number): void;
  /** Bytes of this direction were not captured here. */
  gap(): void;
  /** The connection ended. */
  end(): void;
}

/** A StreamParser with a reader per direction. */
export class TwoWayMessageStream<R extends DirectionReader> implements StreamParser {
  error: string | null = null;
  /** Capture time (µs) of the bytes being read: the time of the observations emitted meanwhile. */
  ts: number;
  readonly client: R;
  readonly server: R;

  /**
   * @param startTs the connection's first time (µs)
   * @param makeReader the reader of the client's (`fromClient`) or the server's bytes
   * @param giveUp after each chunk: a reason to stop analysing the connection (its `error`), or null
   */
  constructor(startTs: number, makeReader: (fromClient: boolean) => R, private readonly giveUp: (s: TwoWayMessageStream<R>) => string | null) {
    this.ts = startTs;
    this.client = makeReader(true);
    this.server = makeReader(false);
  }

  data(fromClient: boolean, b: Uint8Array, off: number, len: number, ts: number): StreamStatus {
    this.ts = ts;
    (fromClient ? this.client : this.server).push(b, off, len);
    this.error = this.giveUp(this);
    return this.error === null ? StreamStatus.More : StreamStatus.Failed;
  }

  gap(fromClient: boolean, _missing: number, ts: number): StreamStatus {
    this.ts = ts;
    (fromClient ? this.client : this.server).gap();
    return StreamStatus.More;
  }

  end(ts: number): void {
    this.ts = ts;
    this.client.end();
    this.server.end();
  }
}
