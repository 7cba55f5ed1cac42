/**
 * HTTP/1.x stream analyzer: the per-connection framing of requests and responses (keep-alive and pipelining),
 * their pairing, and one `http` observation per exchange (Zeek http.log style). Message heads are decoded by
 * parser.ts; bodies are skipped, never buffered: by Content-Length, by the chunked coding (chunk-size lines read,
 * chunk data skipped), or to the end of the connection — except the start of an XML response body, kept for
 * xml-body.ts (UPnP device descriptions, DPWS metadata).
 *
 * Specs: RFC 9112 §6.3 (message body length: responses to HEAD, 1xx, 204 and 304 have none; a 2xx to CONNECT
 * starts a tunnel; Transfer-Encoding chunked; Content-Length; else a response is read until the connection
 * closes and a request has no body), §7.1 (chunked coding, trailer section), §9.3.2 (pipelining: responses come
 * in request order), §9.5 (a client may send empty lines before a request); RFC 9110 §15.2 (1xx interim
 * responses; 101 Switching Protocols ends HTTP on the connection), §9.3.6 (CONNECT).
 *
 * Recovery: bytes lost to the capture (`gap`) inside a body of known length are skipped and framing continues;
 * elsewhere the direction resynchronises on the next start line found at a segment start or after an LF. A
 * connection whose first message is not HTTP fails at once (binary data on port 80).
 */
import type { ObservationSink } from '../../observe/observation.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import {
  findHeadEnd,
  type HttpHead,
  MAX_CHUNK_LINE,
  MAX_HEAD_BYTES,
  parseChunkSize,
  parseHttpHead,
  sniffHttp,
  startVerdict,
} from './parser.js';
import { FormPasswordScan, isUrlEncodedForm } from './form-scan.js';
import { type Exchange, newExchange, transactionRecord } from './transaction.js';
import { XmlBodyCapture } from './xml-body.js';

/** TCP ports whose connections are HTTP (either side); other ports are recognised by content. */
export const HTTP_PORTS = [80, 8080, 8000, 8008, 8888, 591] as const;
/** Requests awaiting their responses; with more pipelined, the oldest is logged without its response. */
export const MAX_PENDING = 32;
/** Longest trailer section skipped after the last chunk; a longer one loses the framing. */
export const MAX_TRAILER_BYTES = 16384;
/** First size of a direction's head buffer (doubled up to MAX_HEAD_BYTES as needed). */
const INITIAL_BUFFER = 2048;

const CR = 0x0d;
const LF = 0x0a;

const enum Mode {
  /** Waiting for (or buffering) a message head. */
  Head,
  /** Skipping `remaining` body bytes (Content-Length). */
  Body,
  /** Buffering a chunk-size line. */
  ChunkSize,
  /** Skipping `remaining` chunk data bytes. */
  ChunkData,
  /** Expecting the CRLF after chunk data. */
  ChunkEnd,
  /** Skipping trailer lines up to the empty line. */
  Trailer,
  /** Body to the end of the connection. */
  ToClose,
  /** Looking for the next start line after lost framing. */
  Resync,
  /** Client bytes after CONNECT, until its response says whether a tunnel follows. */
  AwaitTunnel,
}

/** One direction's framing state. */
class Direction {
  mode = Mode.Head;
  /** Bytes of a head or line split across calls. */
  buf: Uint8Array | null = null;
  bufLen = 0;
  /** How much of `buf` findHeadEnd has already scanned. */
  scanned = 0;
  /** Capture time of the message's first byte. */
  startTs = 0;
  /** Empty lines were skipped before this message. */
  leadingBlank = false;
  /** Body or chunk bytes left. */
  remaining = 0;
  /** Bytes of the current trailer line, and of the whole trailer section. */
  lineBytes = 0;
  trailerBytes = 0;
  /** The exchange whose body this direction is reading. */
  body: Exchange | null = null;
  constructor(readonly fromClient: boolean) {}

  /** Appends b[start, end) to the buffer; false if that would exceed `limit`. */
  append(b: Uint8Array, start: number, end: number, limit: number): boolean {
    const need = this.bufLen + (end - start);
    if (need > limit) return false;
    if (this.buf === null || this.buf.length < need) {
      let size = this.buf?.length ?? INITIAL_BUFFER;
      while (size < need) size *= 2;
      const grown = new Uint8Array(Math.min(size, limit));
      if (this.buf !== null) grown.set(this.buf.subarray(0, this.bufLen));
      this.buf = grown;
    }
    this.buf.set(b.subarray(start, end), this.bufLen);
    this.bufLen = need;
    return true;
  }

  clear(): void {
    this.buf = null;
    this.bufLen = 0;
    this.scanned = 0;
  }
}

/** The HTTP state of one TCP connection. */
class HttpConnection implements StreamParser {
  error: string | null = null;
  private status = StreamStatus.More;
  // The directions are made when bytes (or a gap) arrive: many connections on an HTTP port never carry any.
  private clientDir: Direction | null = null;
  private serverDir: Direction | null = null;
  /** Requests awaiting their final response, oldest first. */
  private readonly pending: Exchange[] = [];
  private depth = 0;
  /** A message has been parsed on this connection (junk is no longer a reason to fail). */
  private seen = false;
  /** The server's framing was lost and no final response has been read since (see pairAfterDesync). */
  private serverDesynced = false;

  /** The first data has been seen, and with it which side is the client. */
  private rolesDecided = false;
  /** The side the ingest took for the client is the server (it sent a status line first, or received a request). */
  private swapped = false;

  constructor(private ctx: StreamContext, private readonly emitObservation: ObservationSink) {}

  /** The client's direction (made on first use). */
  private get client(): Direction {
    return (this.clientDir ??= new Direction(true));
  }

  /** The server's direction (made on first use). */
  private get server(): Direction {
    return (this.serverDir ??= new Direction(false));
  }

  data(fromClient: boolean, b: Uint8Array, off: number, len: number, ts: number): StreamStatus {
    if (!this.rolesDecided) this.decideRoles(fromClient, b, off, len);
    fromClient = fromClient !== this.swapped;
    const d = fromClient ? this.client : this.server;
    const end = off + len;
    let p = off;
    const segmentStart = off;
    while (p < end && this.status === StreamStatus.More) {
      switch (d.mode) {
        case Mode.Head: p = this.head(d, b, p, end, ts); break;
        case Mode.Body: p = this.skipBody(d, b, p, end); break;
        case Mode.ChunkSize: p = this.chunkSize(d, b, p, end); break;
        case Mode.ChunkData: p = this.skipBody(d, b, p, end); break;
        case Mode.ChunkEnd: p = this.chunkEnd(d, b, p); break;
        case Mode.Trailer: p = this.trailer(d, b, p, end); break;
        case Mode.ToClose: p = this.skipBody(d, b, p, end); break;
        case Mode.Resync: p = this.resync(d, b, p, end, segmentStart); break;
        case Mode.AwaitTunnel: p = end; break;
      }
    }
    return this.status;
  }

  gap(fromClient: boolean, missing: number, ts: number): StreamStatus {
    if (this.status !== StreamStatus.More) return this.status;
    fromClient = fromClient !== this.swapped;
    const d = fromClient ? this.client : this.server;
    const x = d.body;
    if (x !== null) {
      note(x, 'gap');
      if (!fromClient) x.xml?.stop();
    }
    if ((d.mode === Mode.Body || d.mode === Mode.ChunkData) && missing <= d.remaining) {
      // Inside a body of known length: still in step.
      this.countBody(d, missing);
      d.remaining -= missing;
      if (d.remaining === 0) this.bodyBytesDone(d);
      return this.status;
    }
    if (d.mode === Mode.ToClose) {
      this.countBody(d, missing);
      return this.status;
    }
    if (d.mode !== Mode.AwaitTunnel) this.desync(d, null);
    return this.status;
  }

  end(_ts: number): void {
    this.endDirection(this.clientDir);
    this.endDirection(this.serverDir);
    if (this.pending.length === 0) return;
    for (const x of this.pending.splice(0)) {
      if (this.serverDesynced) note(x, 'lost_sync');
      this.finish(x);
    }
  }

  /** A direction (if it got anything) at the connection's end: its partial head or body is logged as cut. */
  private endDirection(d: Direction | null): void {
    if (d === null) return;
    if (d.mode === Mode.Head && d.bufLen > 0) this.partialHead(d);
    const x = d.body;
    if (x === null) return;
    if (d.mode !== Mode.ToClose) note(x, 'truncated_body');
    else x.xml?.complete();
    if (!d.fromClient) this.finish(x);
  }

  /**
   * On the first data: when both ports are unprivileged the ingest takes the first sender for the client, which is
   * wrong for a connection picked up after its request. A status line from the "client", or a request line from the
   * "server", swaps the roles (and the context the exchanges are logged with).
   */
  private decideRoles(fromClient: boolean, b: Uint8Array, off: number, len: number): void {
    this.rolesDecided = true;
    if (sniffHttp(!fromClient, b, off, len) && !sniffHttp(fromClient, b, off, len)) {
      this.swapped = true;
      this.ctx = reversedContext(this.ctx);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Heads

  /** Head mode: buffers until the empty line, then handles the message; returns where it stopped reading. */
  private head(d: Direction, b: Uint8Array, p: number, end: number, ts: number): number {
    if (d.bufLen === 0) {
      // Empty lines before a message are ignored (RFC 9112 §2.2).
      while (p < end && (b[p] === CR || b[p] === LF)) { p++; d.leadingBlank = true; }
      if (p === end) return p;
      d.startTs = ts;
      const v = startVerdict(d.fromClient, b, p, end - p);
      if (v === 'no') return this.notHttp(d, end, 'bad_start_line');
      const e = v === 'yes' ? findHeadEnd(b, p, end) : -1;
      if (e >= 0) {
        this.onHead(d, b, p, e);
        return e;
      }
      if (!d.append(b, p, end, MAX_HEAD_BYTES)) return this.oversized(d, b, p, end);
      return end;
    }
    const from = Math.max(0, d.bufLen - 3);
    const room = MAX_HEAD_BYTES - d.bufLen;
    const take = Math.min(end - p, room);
    d.append(b, p, p + take, MAX_HEAD_BYTES);
    const v = startVerdict(d.fromClient, d.buf!, 0, d.bufLen);
    if (v === 'no') return this.notHttp(d, end, 'bad_start_line');
    const e = v === 'yes' ? findHeadEnd(d.buf!, 0, d.bufLen, Math.max(from, d.scanned)) : -1;
    d.scanned = d.bufLen;
    if (e >= 0) {
      const consumed = e - (d.bufLen - take); // bytes of this call that belong to the head
      const buf = d.buf!;
      d.clear();
      this.onHead(d, buf, 0, e);
      return p + consumed;
    }
    if (take < end - p || d.bufLen >= MAX_HEAD_BYTES) return this.oversized(d, d.buf!, 0, d.bufLen, end);
    return end;
  }

  /** The head b[start, e) is complete: parse it and set up the body. */
  private onHead(d: Direction, b: Uint8Array, start: number, e: number): void {
    const r = parseHttpHead(b, start, e - start);
    if (!r.ok) {
      this.notHttp(d, e, r.error);
      return;
    }
    this.seen = true;
    const h = r.value;
    if (d.leadingBlank) { h.anomalies.push('leading_blank_line'); d.leadingBlank = false; }
    if (h.kind === 'request' && d.fromClient) this.onRequest(d, h);
    else if (h.kind === 'response' && !d.fromClient) this.onResponse(d, h);
    else this.notHttp(d, e, h.kind === 'request' ? 'request_from_server' : 'response_from_client');
  }

  /** A head that would not fit MAX_HEAD_BYTES: what fits is parsed; the framing is lost. */
  private oversized(d: Direction, b: Uint8Array, start: number, stop: number, end = stop): number {
    const r = parseHttpHead(b, start, Math.min(stop - start, MAX_HEAD_BYTES));
    d.clear();
    if (r.ok) {
      r.value.anomalies.push('oversized_head');
      this.seen = true;
      if (r.value.kind === 'request' && d.fromClient) this.onRequest(d, r.value);
      else if (r.value.kind === 'response' && !d.fromClient) this.onResponse(d, r.value);
    }
    if (this.status === StreamStatus.More) this.desync(d, null);
    return end;
  }

  /** A head cut by the end of the connection: logged as far as it goes. */
  private partialHead(d: Direction): void {
    const r = parseHttpHead(d.buf!, 0, d.bufLen);
    d.clear();
    if (!r.ok) return;
    if (r.value.kind === 'request' && d.fromClient) this.onRequest(d, r.value);
    else if (r.value.kind === 'response' && !d.fromClient) this.onResponse(d, r.value);
  }

  /**
   * Bytes that cannot start a message. The connection fails if they come from a client that has sent no HTTP yet
   * (binary data on an HTTP port); otherwise the direction resynchronises (a server's first bytes may be the end of
   * a body, the connection having been picked up in its middle).
   */
  private notHttp(d: Direction, end: number, why: string): number {
    d.clear();
    if (!this.seen && d.fromClient) {
      this.error = why;
      this.status = StreamStatus.Failed;
      return end;
    }
    this.desync(d, null);
    return end;
  }

  private onRequest(d: Direction, h: HttpHead): void {
    const x = newExchange(++this.depth, d.startTs);
    x.request = h;
    if (isUrlEncodedForm(h.content_type)) x.form = new FormPasswordScan();
    if (this.pending.length >= MAX_PENDING) {
      const oldest = this.pending.shift()!;
      note(oldest, 'pending_overflow');
      this.finish(oldest);
    }
    this.pending.push(x);
    if (h.method === 'PRI' && h.version === 'HTTP/2.0') {
      // HTTP/2 with prior knowledge (RFC 9113 §3.3): binary frames follow.
      this.finish(this.pending.pop()!);
      this.status = StreamStatus.Done;
      return;
    }
    if (h.method === 'CONNECT') {
      d.mode = Mode.AwaitTunnel;
      return;
    }
    if (h.chunked) this.startChunked(d, x);
    else if (h.transfer_encoding !== null || h.bad_length) {
      d.mode = Mode.Resync; // a request whose length cannot be known (RFC 9112 §6.3 items 4, 5)
    } else this.startBody(d, x, h.content_length ?? 0);
  }

  private onResponse(d: Direction, h: HttpHead): void {
    const code = h.status_code!;
    if (code >= 100 && code < 200 && code !== 101) {
      let x = this.pending[0];
      if (x === undefined) {
        x = newExchange(++this.depth, d.startTs);
        note(x, 'unpaired_response');
        this.pending.push(x);
      }
      x.interim = h;
      return;
    }
    let x = this.serverDesynced ? this.pairAfterDesync(d.startTs) : this.pending.shift();
    if (x === undefined) {
      x = newExchange(++this.depth, d.startTs);
      note(x, 'unpaired_response');
    }
    x.response = h;
    x.xml = XmlBodyCapture.forContentType(h.content_type);
    const method = x.request?.method ?? null;
    if (method === 'CONNECT') {
      if (code >= 200 && code < 300) return this.endWith(x);
      if (this.client.mode === Mode.AwaitTunnel) this.client.mode = Mode.Head;
    }
    if (code === 101) return this.endWith(x);
    if (method === 'HEAD' || code === 204 || code === 304) this.startBody(d, x, 0);
    else if (h.chunked) this.startChunked(d, x);
    else if (h.transfer_encoding !== null || h.bad_length || h.content_length === null) {
      d.body = x;
      d.mode = Mode.ToClose;
    } else this.startBody(d, x, h.content_length);
  }

  /** The exchange ends HTTP on the connection (tunnel, protocol switch): logged, then Done. */
  private endWith(x: Exchange): void {
    this.finish(x);
    for (const p of this.pending.splice(0)) this.finish(p);
    this.status = StreamStatus.Done;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Bodies

  private startBody(d: Direction, x: Exchange, length: number): void {
    d.body = x;
    d.remaining = length;
    d.mode = Mode.Body;
    if (length === 0) this.messageDone(d);
  }

  private startChunked(d: Direction, x: Exchange): void {
    d.body = x;
    d.mode = Mode.ChunkSize;
    d.clear();
  }

  private countBody(d: Direction, n: number): void {
    const x = d.body;
    if (x === null || x.done) return;
    if (d.fromClient) x.requestBodyLen += n;
    else x.responseBodyLen += n;
  }

  /** Body, chunk data or to-close bytes: counted and skipped (a form request body is scanned for field names). */
  private skipBody(d: Direction, b: Uint8Array, p: number, end: number): number {
    if (d.mode === Mode.ToClose) {
      this.countBody(d, end - p);
      if (!d.fromClient) d.body?.xml?.feed(b, p, end);
      return end;
    }
    const n = Math.min(end - p, d.remaining);
    this.countBody(d, n);
    if (d.fromClient) d.body?.form?.feed(b, p, p + n);
    else d.body?.xml?.feed(b, p, p + n);
    d.remaining -= n;
    if (d.remaining === 0) this.bodyBytesDone(d);
    return p + n;
  }

  /** The counted bytes of a Content-Length body or of a chunk are all there. */
  private bodyBytesDone(d: Direction): void {
    if (d.mode === Mode.ChunkData) d.mode = Mode.ChunkEnd;
    else this.messageDone(d);
  }

  /** The message in `d` is complete: a response's exchange is logged; the direction waits for the next head. */
  private messageDone(d: Direction): void {
    const x = d.body;
    if (!d.fromClient) x?.xml?.complete();
    d.body = null;
    d.mode = Mode.Head;
    d.clear();
    if (x !== null && !d.fromClient) this.finish(x);
  }

  /** Chunk-size line: buffered to its LF (at most MAX_CHUNK_LINE bytes), then the chunk or the trailer. */
  private chunkSize(d: Direction, b: Uint8Array, p: number, end: number): number {
    let lf = p;
    while (lf < end && b[lf] !== LF) lf++;
    if (lf === end) {
      if (!d.append(b, p, end, MAX_CHUNK_LINE)) this.desync(d, 'bad_chunk_size');
      return end;
    }
    let line: Uint8Array = b;
    let s = p;
    let e = lf;
    if (d.bufLen > 0) {
      if (!d.append(b, p, lf, MAX_CHUNK_LINE)) { this.desync(d, 'bad_chunk_size'); return end; }
      line = d.buf!;
      s = 0;
      e = d.bufLen;
    }
    if (e > s && line[e - 1] === CR) e--;
    const r = parseChunkSize(line, s, e - s);
    d.clear();
    if (!r.ok) { this.desync(d, r.error); return lf + 1; }
    if (r.size === 0) {
      d.mode = Mode.Trailer;
      d.lineBytes = 0;
      d.trailerBytes = 0;
    } else {
      d.mode = Mode.ChunkData;
      d.remaining = r.size;
    }
    return lf + 1;
  }

  /** The CRLF after chunk data (a bare LF tolerated). */
  private chunkEnd(d: Direction, b: Uint8Array, p: number): number {
    const c = b[p]!;
    if (c === CR) return p + 1; // the LF follows
    if (c === LF) {
      d.mode = Mode.ChunkSize;
      return p + 1;
    }
    if (d.body !== null) note(d.body, 'bad_chunk_end');
    d.mode = Mode.ChunkSize; // read this byte as the start of the next chunk-size line
    return p;
  }

  /** Trailer section: lines skipped up to the empty one (RFC 9112 §7.1.2). */
  private trailer(d: Direction, b: Uint8Array, p: number, end: number): number {
    for (let i = p; i < end; i++) {
      const c = b[i]!;
      if (c === LF) {
        if (d.lineBytes === 0) {
          this.messageDone(d);
          return i + 1;
        }
        d.lineBytes = 0;
      } else if (c !== CR) d.lineBytes++;
      if (++d.trailerBytes > MAX_TRAILER_BYTES) { this.desync(d, 'bad_chunk_size'); return end; }
    }
    return end;
  }

  /**
   * The framing of `d` is lost (a gap, bytes that are not a message, a malformed chunked coding, an oversized
   * head): the exchange whose body was being read gets `anomaly` (and is logged if it is a response); on the server
   * side, the next final response is paired by pairAfterDesync. The direction then looks for the next start line.
   */
  private desync(d: Direction, anomaly: string | null): void {
    const x = d.body;
    if (x !== null) {
      if (anomaly !== null) note(x, anomaly);
      if (!d.fromClient) this.finish(x);
    }
    d.body = null;
    d.clear();
    d.mode = Mode.Resync;
    if (!d.fromClient) this.serverDesynced = true;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Recovery

  /**
   * Looks for a start line (a request line from the client, `HTTP/1.` from the server) at the start of a segment or
   * after an LF; returns where it starts (Head mode), or the end.
   */
  private resync(d: Direction, b: Uint8Array, p: number, end: number, segmentStart: number): number {
    for (let i = p; i < end; i++) {
      if (i !== segmentStart && b[i - 1] !== LF) continue;
      if (sniffHttp(d.fromClient, b, i, end - i)) {
        d.mode = Mode.Head;
        d.clear();
        return i;
      }
    }
    return end;
  }

  /**
   * The request that the first final response read after the server's framing was lost (starting at `ts`)
   * answers: taken to be the latest request sent before it. The older pending requests were answered in what could
   * not be followed: they are logged without a response (`lost_sync`). Right for one request at a time (the usual
   * case); with pipelining across the loss the responses that follow may be paired with later requests.
   */
  private pairAfterDesync(ts: number): Exchange | undefined {
    this.serverDesynced = false;
    let last = -1;
    while (last + 1 < this.pending.length && this.pending[last + 1]!.ts <= ts) last++;
    for (let i = 0; i < last; i++) {
      const lost = this.pending.shift()!;
      note(lost, 'lost_sync');
      this.finish(lost);
    }
    return last >= 0 ? this.pending.shift() : undefined;
  }

  /** Logs an exchange (once). */
  private finish(x: Exchange): void {
    if (x.done) return;
    x.done = true;
    this.emitObservation({ kind: 'http', ctx: this.ctx.at(x.ts), msg: transactionRecord(x) });
  }
}

/** The context with client and server exchanged. */
function reversedContext(ctx: StreamContext): StreamContext {
  const c = ctx.base;
  const base = { ...c, src_mac: c.dst_mac, dst_mac: c.src_mac, src_ip: c.dst_ip, dst_ip: c.src_ip, src_port: c.dst_port, dst_port: c.src_port };
  return { base, at: (ts: number) => ({ ...base, ts_us: ts }) };
}

/** Adds a stream anomaly to an exchange (once). */
function note(x: Exchange, anomaly: string): void {
  if (!x.anomalies.includes(anomaly)) x.anomalies.push(anomaly);
}

/** A parser for one HTTP connection. */
export function openHttpStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new HttpConnection(ctx, emit);
}
