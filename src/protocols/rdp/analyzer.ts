/**
 * RDP analyzer (TCP 3389, or a connection opened by an X.224 Connection Request carrying an RDP cookie or
 * RDP_NEG_REQ): the client's Connection Request (cookie / routing token, requested security protocols) and the
 * server's Connection Confirm (selected protocol or negotiation failure) → one `rdp` observation; then done (what
 * follows is TLS/CredSSP, or MCS with standard RDP security). Decoding in parser.ts.
 */
import type { ObservationSink } from '../../observe/observation.js';
import { StreamBuffer } from '../stream-buffer.js';
import { type StreamContext, type StreamParser, StreamStatus } from '../stream.js';
import { MAX_RDP_X224, parseRdpX224, RDP_FAILURE_CODES, rdpProtocolName, rdpProtocolNames, type RdpX224 } from './parser.js';

/** RDP port. */
export const RDP_PORTS = [3389] as const;

/** One RDP connection's negotiation, as logged. */
export interface RdpSession {
  /** The client sent an X.224 Connection Request. */
  requested: boolean;
  /** The `Cookie: mstshash=` identifier (a user name, as sent: mstsc cuts it to 9 characters). */
  cookie: string | null;
  /** The whole cookie / routing-token line (tshark's rdp.rt_cookie). */
  token: string | null;
  /** The token is a load-balancer routing token (`Cookie: msts=…`). */
  routing_token: boolean;
  /** RDP_NEG_REQ flags (0x01 restricted admin, 0x02 redirected authentication, 0x08 correlation info). */
  request_flags: number | null;
  /** RDP_NEG_REQ requestedProtocols mask; null without RDP_NEG_REQ (standard RDP security only). */
  requested_protocols: number | null;
  /** Its flag names (MS-RDPBCGR: SSL, HYBRID, RDSTLS, HYBRID_EX, RDSAAD; RDP for 0). */
  requested_protocol_names: string[] | null;
  /** RDP_NEG_CORRELATION_INFO correlationId, hex. */
  correlation_id: string | null;
  /** The server sent an X.224 Connection Confirm. */
  confirmed: boolean;
  /** RDP_NEG_RSP flags. */
  response_flags: number | null;
  /** RDP_NEG_RSP selectedProtocol; null without RDP_NEG_RSP. */
  selected_protocol: number | null;
  selected_protocol_name: string | null;
  /** RDP_NEG_FAILURE failureCode and its name. */
  failure_code: number | null;
  failure_name: string | null;
  /** Parser anomalies prefixed `request:` / `confirm:`, and `not_x224:<side>` when a side sent something else. */
  anomalies: string[];
}

/** True when the client's first bytes are an X.224 CR with an RDP cookie/token or an RDP_NEG_REQ right after it. */
export function sniffRdp(fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  if (!fromClient || len < 19 || b[off] !== 3 || b[off + 1] !== 0 || (b[off + 5]! & 0xf0) !== 0xe0) return false;
  const cookie = 'Cookie: ';
  let isCookie = true;
  for (let i = 0; i < cookie.length; i++) if (b[off + 11 + i] !== cookie.charCodeAt(i)) isCookie = false;
  return isCookie || (b[off + 11] === 1 && b[off + 13] === 8 && b[off + 14] === 0);
}

/** The per-connection RDP reader. */
class RdpParser implements StreamParser {
  private readonly buffers = { client: new StreamBuffer(MAX_RDP_X224), server: new StreamBuffer(MAX_RDP_X224) };
  private readonly finished = { client: false, server: false };
  private readonly s: RdpSession = {
    requested: false, cookie: null, token: null, routing_token: false, request_flags: null, requested_protocols: null,
    requested_protocol_names: null, correlation_id: null, confirmed: false, response_flags: null, selected_protocol: null,
    selected_protocol_name: null, failure_code: null, failure_name: null, anomalies: [],
  };
  private emitted = false;
  error: string | null = null;

  constructor(private readonly ctx: StreamContext, private readonly emit: ObservationSink) {}

  data(fromClient: boolean, b: Uint8Array, off: number, len: number): StreamStatus {
    const side = fromClient ? 'client' : 'server';
    if (this.finished[side]) return this.status();
    const buf = this.buffers[side];
    buf.append(b, off, len);
    const v = buf.view();
    if (v.length < 4) return this.status();
    const tpktLength = (v[2]! << 8) | v[3]!;
    if (v[0] !== 3 || tpktLength < 11 || tpktLength > MAX_RDP_X224) return this.notX224(side);
    if (v.length < tpktLength) return this.status();
    const r = parseRdpX224(v, 0, tpktLength);
    if (!r.ok || r.value.kind !== (fromClient ? 'request' : 'confirm')) return this.notX224(side);
    if (fromClient) this.request(r.value);
    else this.confirm(r.value);
    this.finished[side] = true;
    buf.clear();
    return this.status();
  }

  gap(fromClient: boolean): StreamStatus {
    this.finished[fromClient ? 'client' : 'server'] = true;
    return this.status();
  }

  end(): void {
    if (this.emitted || (!this.s.requested && !this.s.confirmed)) return;
    this.emitted = true;
    this.emit({ kind: 'rdp', ctx: this.ctx.base, msg: this.s });
  }

  private notX224(side: 'client' | 'server'): StreamStatus {
    this.finished[side] = true;
    this.buffers[side].clear();
    if (side === 'client' && !this.s.requested) {
      this.error = 'not_x224_connection_request';
      return StreamStatus.Failed;
    }
    this.s.anomalies.push(`not_x224:${side}`);
    return this.status();
  }

  private status(): StreamStatus {
    return this.finished.client && this.finished.server ? StreamStatus.Done : StreamStatus.More;
  }

  private request(x: RdpX224): void {
    const s = this.s;
    s.requested = true;
    s.cookie = x.cookie;
    s.token = x.token;
    s.routing_token = x.routing_token;
    if (x.neg_type === 1) {
      s.request_flags = x.neg_flags;
      s.requested_protocols = x.requested_protocols;
      s.requested_protocol_names = rdpProtocolNames(x.requested_protocols!);
    }
    s.correlation_id = x.correlation_id;
    for (const a of x.anomalies) s.anomalies.push(`request:${a}`);
  }

  private confirm(x: RdpX224): void {
    const s = this.s;
    s.confirmed = true;
    if (x.neg_type === 2) {
      s.response_flags = x.neg_flags;
      s.selected_protocol = x.selected_protocol;
      s.selected_protocol_name = rdpProtocolName(x.selected_protocol!);
    } else if (x.neg_type === 3) {
      s.failure_code = x.failure_code;
      s.failure_name = RDP_FAILURE_CODES[x.failure_code!] ?? null;
    }
    for (const a of x.anomalies) s.anomalies.push(`confirm:${a}`);
  }
}

/** A parser for one RDP connection. */
export function openRdpStream(ctx: StreamContext, emit: ObservationSink): StreamParser {
  return new RdpParser(ctx, emit);
}
