/**
 * TCP connections → stream analyzers. Keyed by flow-table slot: for each TCP packet the ingest says which flow it
 * belongs to and whether the client sent it; a connection is given to an analyzer by port (from its SYN or its
 * first data) or by content (`sniff` on its first data), reassembled per direction within a shared byte budget,
 * and released when its flow ends or its analyzer is done.
 *
 * Costs per packet: one typed-array read for connections without an analyzer.
 */
import type { DecodedPacket } from '../decode/decoded-packet.js';
import { type FlowTable, INITIAL_FLOW_CAPACITY } from '../flow/flow-table.js';
import { DirectionAssembler, ReassemblyBudget, type StreamSink } from '../flow/tcp-reassembly.js';
import { type FailureCounts, packetContext } from './packet-context.js';
import type { ObservationSink, PacketContext } from '../observe/observation.js';
import { type RegisteredStreamAnalyzer, type StreamContext, type StreamParser, StreamStatus } from '../protocols/stream.js';

const UNDECIDED = 0;
const NONE = 1;
const ACTIVE = 2;
/** Payload packets of a connection offered to the sniffers before it is left alone. */
const SNIFF_ATTEMPTS = 2;
const TCP_SYN = 0x02;
const TCP_ACK = 0x10;

/** One analysed connection: it also receives both directions' in-order bytes and hands them to its parser while it wants more. */
class Connection implements StreamSink {
  readonly client: DirectionAssembler;
  readonly server: DirectionAssembler;
  status: StreamStatus = StreamStatus.More;
  /** The first payload was checked against the analyzer's sniff (see TcpStreams.recheck). */
  contentChecked = false;

  constructor(readonly analyzer: RegisteredStreamAnalyzer, readonly parser: StreamParser, budget: ReassemblyBudget) {
    this.client = new DirectionAssembler(this, budget, true);
    this.server = new DirectionAssembler(this, budget, false);
  }

  data(b: Uint8Array, off: number, len: number, ts: number, fromClient: boolean): void {
    if (this.status === StreamStatus.More) this.status = this.parser.data(fromClient, b, off, len, ts);
  }

  gap(missing: number, ts: number, fromClient: boolean): void {
    if (this.status === StreamStatus.More) this.status = this.parser.gap(fromClient, missing, ts);
  }
}

/** The analysed TCP connections of one ingest run. */
export class TcpStreams {
  // per flow slot, grown (doubling, up to maxFlows) as the flow table hands out higher slots
  private mode: Uint8Array;
  private tries: Uint8Array;
  private readonly conns: (Connection | undefined)[];
  private readonly byPort: readonly (RegisteredStreamAnalyzer | undefined)[];
  private readonly sniffers: readonly RegisteredStreamAnalyzer[];
  /** Some analyzer can take a connection (false: a discovery-core run; `packet` and `close` then do nothing). */
  private readonly any: boolean;
  readonly budget = new ReassemblyBudget();

  /**
   * @param maxFlows the flow table's size (slots are flow ids)
   * @param analyzers server port → analyzer, and the analyzers that detect their protocol by content
   * @param failures where `<protocol>_malformed` counts go
   */
  constructor(maxFlows: number, analyzers: { byPort: readonly (RegisteredStreamAnalyzer | undefined)[]; sniffers: readonly RegisteredStreamAnalyzer[] },
    private readonly emit: ObservationSink, private readonly failures: FailureCounts) {
    const n = Math.min(maxFlows, INITIAL_FLOW_CAPACITY);
    this.mode = new Uint8Array(n);
    this.tries = new Uint8Array(n);
    this.conns = new Array<Connection | undefined>(n).fill(undefined);
    this.byPort = analyzers.byPort;
    this.sniffers = analyzers.sniffers;
    this.any = this.sniffers.length > 0 || this.byPort.some((a) => a !== undefined);
  }

  /**
   * The TCP packet `p` the flow table has just counted in flow `f` (`flows.update` returned `f`): who sent it is
   * read from the table only for connections that may still get, or have, an analyzer.
   */
  packet(flows: FlowTable, f: number, p: DecodedPacket, ts: number): void {
    if (!this.any) return;
    const flags = p.tcpFlags;
    if (f >= this.mode.length) this.grow(f);
    let m = this.mode[f]!;
    // a client SYN with another initial sequence number on the same addresses and ports: a new connection
    if ((flags & (TCP_SYN | TCP_ACK)) === TCP_SYN && m === ACTIVE && this.conns[f]!.client.restartsWith(p.tcpSeq)) {
      this.close(f, ts);
      m = UNDECIDED;
    }
    if (m === NONE) return;
    const fromClient = flows.lastDir === flows.clientSide(f);
    let c = m === ACTIVE ? this.conns[f]! : this.select(f, fromClient, p, ts);
    if (c === undefined) return;
    if (p.payloadLen > 0 && !c.contentChecked) {
      c.contentChecked = true;
      c = this.recheck(f, c, fromClient, p, ts);
    }
    const dir = fromClient ? c.client : c.server;
    if (flags & TCP_SYN) dir.syn(p.tcpSeq);
    // The peer's bytes this packet acknowledges were sent before it: release them (skipping a gap before them)
    // first, so the analyzer sees the two directions in causal order.
    if (flags & TCP_ACK) (fromClient ? c.server : c.client).acked(p.tcpAck);
    if (p.payloadLen > 0) dir.segment(p.tcpSeq, p.pktBuf, p.payloadOff, p.payloadLen, ts);
    if (c.status !== StreamStatus.More) this.finish(f, c, ts, false);
  }

  /** Makes room for slot `f` (capacity doubles; the flow table never hands out a slot beyond its maxFlows). */
  private grow(f: number): void {
    let n = this.mode.length * 2;
    while (n <= f) n *= 2;
    const mode = new Uint8Array(n);
    mode.set(this.mode);
    this.mode = mode;
    const tries = new Uint8Array(n);
    tries.set(this.tries);
    this.tries = tries;
    while (this.conns.length < n) this.conns.push(undefined);
  }

  /** Flow `f` of `flows` ended: its analyzer sees the held bytes and the end, at the flow's last packet's time. */
  flowEnded(flows: FlowTable, f: number): void {
    if (this.any) this.close(f, flows.lastUs(f)); // (a core run reads no time for nothing)
  }

  /** The connection in slot `f` ends at `ts` (the flow ended, or a new connection took its addresses and ports). */
  private close(f: number, ts: number): void {
    if (f >= this.mode.length) return; // never given a packet: nothing to close
    const m = this.mode[f]!;
    this.mode[f] = UNDECIDED;
    this.tries[f] = 0;
    if (m !== ACTIVE) return;
    const c = this.conns[f]!;
    c.client.finish();
    c.server.finish();
    this.finish(f, c, ts, true);
  }

  /**
   * A connection given to an analyzer by its port, at its first payload: when the analyzer can recognise its
   * protocol (`sniff`, unless it keeps its ports whatever they carry) and does not, but another analyzer does (TLS on
   * HTTP's 8888, an FTP banner on 8080), the connection goes to that one instead, from the same starting sequence
   * numbers.
   */
  private recheck(f: number, c: Connection, fromClient: boolean, p: DecodedPacket, ts: number): Connection {
    const a = c.analyzer;
    if (a.sniff === undefined || a.keepOnPort === true || c.client.delivered + c.server.delivered > 0 || a.sniff(fromClient, p.pktBuf, p.payloadOff, p.payloadLen)) return c;
    const other = this.sniffers.find((s) => s !== a && s.sniff!(fromClient, p.pktBuf, p.payloadOff, p.payloadLen));
    if (other === undefined) return c;
    const n = this.open(f, other, fromClient, p, ts);
    n.contentChecked = true;
    n.client.startLike(c.client);
    n.server.startLike(c.server);
    return n;
  }

  /** Chooses the connection's analyzer (by port on any packet, by content on its first data); undefined: none yet. */
  private select(f: number, fromClient: boolean, p: DecodedPacket, ts: number): Connection | undefined {
    const serverPort = fromClient ? p.dstPort : p.srcPort;
    const a = this.byPort[serverPort] ?? this.byPort[fromClient ? p.srcPort : p.dstPort] ?? this.sniff(f, fromClient, p);
    return a === undefined ? undefined : this.open(f, a, fromClient, p, ts);
  }

  /** The analyzer recognising the first payload bytes of slot `f`; after SNIFF_ATTEMPTS misses the slot gets none. */
  private sniff(f: number, fromClient: boolean, p: DecodedPacket): RegisteredStreamAnalyzer | undefined {
    if (p.payloadLen === 0) return undefined;
    const a = this.sniffers.find((s) => s.sniff!(fromClient, p.pktBuf, p.payloadOff, p.payloadLen));
    if (a === undefined && ++this.tries[f]! >= SNIFF_ATTEMPTS) this.mode[f] = NONE;
    return a;
  }

  /** Gives slot `f` to analyzer `a`, the context oriented client → server from packet `p`. */
  private open(f: number, a: RegisteredStreamAnalyzer, fromClient: boolean, p: DecodedPacket, ts: number): Connection {
    const c = new Connection(a, a.open(streamContext(p, fromClient, ts), this.emit), this.budget);
    this.conns[f] = c;
    this.mode[f] = ACTIVE;
    return c;
  }

  private finish(f: number, c: Connection, ts: number, ended: boolean): void {
    if (c.status === StreamStatus.Failed) this.failures.add(c.analyzer.name);
    else if (ended || c.status === StreamStatus.Done) {
      try {
        c.parser.end(ts);
      } catch {
        // a parser must not throw; if one does, the connection is dropped, the run goes on
      }
    }
    this.conns[f] = undefined;
    this.mode[f] = ended ? UNDECIDED : NONE;
  }
}

/** A connection's client → server context and its copies at later times (one object per connection, no closure). */
class ConnectionContext implements StreamContext {
  constructor(readonly base: PacketContext) {}

  at(t: number): PacketContext {
    return { ...this.base, ts_us: t };
  }
}

/** The client → server context of the connection packet `p` belongs to. */
function streamContext(p: DecodedPacket, fromClient: boolean, ts: number): StreamContext {
  return new ConnectionContext(packetContext(p, ts, !fromClient));
}
