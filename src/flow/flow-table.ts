/**
 * Bidirectional flow table: 5-tuple + VLANs (outer and inner) + IP version, canonically ordered so both directions
 * of a conversation land on one entry (side A is the lower (address, port) endpoint).
 *
 * Storage is columnar (typed arrays indexed by flow slot) with an open-addressing index (linear probing,
 * backward-shift deletion), so the per-packet path allocates nothing. Bounded: at most `maxFlows` live flows;
 * idle flows are expired by capture time (TCP 5 min, or 15 s after FIN/RST from both sides; UDP and others 1 min —
 * Zeek's defaults), and when the table is full the least recently seen flow of a sample is evicted and counted.
 * Every flow that ends is handed to `onFlowEnd` while its columns are still valid.
 */
import { type DecodedPacket, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/decoded-packet.js';
import { parseTcpOptions, type TcpSynOptions } from '../decode/transport.js';

/** Default most live flows tracked at once. */
export const MAX_FLOWS = 262_144;
/** Idle timeouts, microseconds. */
export const TCP_IDLE_US = 300e6;
export const TCP_CLOSED_IDLE_US = 15e6;
export const OTHER_IDLE_US = 60e6;
/** How often (capture time) idle flows are swept. */
export const SWEEP_INTERVAL_US = 10e6;

/** How the client side of a flow was decided, strongest first. */
export const CLIENT_BASIS = ['syn', 'syn_ack', 'port', 'first_packet'] as const;
export type ClientBasis = (typeof CLIENT_BASIS)[number];
const BASIS_SYN = 0;
const BASIS_SYNACK = 1;
const BASIS_PORT = 2;
const BASIS_FIRST = 3;

/** Why a flow ended. */
export type FlowEndReason = 'idle' | 'closed' | 'table_full' | 'end_of_capture';

// TCP state bits per flow
const ST_SYN_A = 1;
const ST_SYN_B = 2;
const ST_SYNACK_A = 4;
const ST_SYNACK_B = 8;
const ST_FIN_A = 16;
const ST_FIN_B = 32;
const ST_RST_A = 64;
const ST_RST_B = 128;
const ST_DATA_A = 256;
const ST_DATA_B = 512;

/** SYN or SYN-ACK details kept for OS fingerprinting (issue "device identity" consumes them). */
export interface SynInfo extends TcpSynOptions {
  ttl: number;
  window: number;
  ip_version: number;
  /** IPv4 options or IPv6 extension headers present. */
  ip_options: boolean;
  /** Bytes of payload carried by the SYN itself (quirk). */
  payload: number;
}

/** Callback for ended flows; `t` is the table, `i` the flow slot (read with `t.record(i)` or the columns). */
export type FlowEndHandler = (t: FlowTable, i: number, reason: FlowEndReason) => void;

/**
 * Compact stored form of SynInfo (the flows table keeps one short string instead of JSON):
 * `ipver:ttl:window:mss:wscale:layout:flags:ts_val:payload` with flags letters s (SACK permitted), t (timestamps),
 * o (IP options), m (malformed options); empty fields for null.
 */
export function synToText(s: SynInfo): string {
  const flags = `${s.sack_ok ? 's' : ''}${s.timestamps ? 't' : ''}${s.ip_options ? 'o' : ''}${s.malformed ? 'm' : ''}`;
  return `${s.ip_version}:${s.ttl}:${s.window}:${s.mss ?? ''}:${s.wscale ?? ''}:${s.layout}:${flags}:${s.ts_val ?? ''}:${s.payload}`;
}

/** Inverse of synToText. */
export function synFromText(t: string): SynInfo {
  const f = t.split(':');
  const num = (x: string | undefined): number | null => (x === undefined || x === '' ? null : Number(x));
  const flags = f[6] ?? '';
  return {
    layout: f[5] ?? '', mss: num(f[3]), wscale: num(f[4]), sack_ok: flags.includes('s'), timestamps: flags.includes('t'),
    ts_val: num(f[7]), malformed: flags.includes('m'), ttl: Number(f[1]), window: Number(f[2]), ip_version: Number(f[0]),
    ip_options: flags.includes('o'), payload: Number(f[8] ?? 0),
  };
}

/** SYN / SYN-ACK details of the current packet (a function of its own: a closure here would allocate per packet). */
function synInfo(p: DecodedPacket): SynInfo {
  const o = parseTcpOptions(p.pktBuf, p.tcpOptOff, p.tcpOptLen) as SynInfo;
  o.ttl = p.ttl;
  o.window = p.tcpWindow;
  o.ip_version = p.ipVersion;
  o.ip_options = p.ipOptions;
  o.payload = p.payloadLen;
  return o;
}

/** The live flow table. */
export class FlowTable {
  readonly maxFlows: number;
  private readonly mask: number;
  private readonly index: Int32Array; // slot -> flow id, -1 empty
  // key columns
  readonly proto: Uint8Array;
  readonly ipVersion: Uint8Array;
  readonly vlanKey: Int32Array;
  readonly addr: Uint32Array; // 8 words per flow: A[0..3], B[0..3]
  readonly portA: Uint16Array;
  readonly portB: Uint16Array;
  private readonly hash: Uint32Array;
  // stats
  readonly pktsAB: Float64Array;
  readonly pktsBA: Float64Array;
  readonly bytesAB: Float64Array;
  readonly bytesBA: Float64Array;
  readonly firstUs: Float64Array;
  readonly lastUs: Float64Array;
  /** Sender MAC of side A / B (-1 unknown), and the destination MAC seen on packets to A / B. */
  readonly macA: Float64Array;
  readonly macB: Float64Array;
  readonly rxMacA: Float64Array;
  readonly rxMacB: Float64Array;
  readonly state: Uint16Array;
  /** 0: A is client, 1: B is client. */
  readonly clientSide: Uint8Array;
  readonly clientBasis: Uint8Array;
  /** Encapsulation depth of the packets (0 outer, 1 inside one tunnel, …). */
  readonly depth: Uint8Array;
  private readonly synA: (SynInfo | undefined)[];
  private readonly synB: (SynInfo | undefined)[];
  // free list and live list
  private readonly free: Int32Array;
  private freeTop: number;
  private readonly live: Int32Array;
  private readonly livePos: Int32Array;
  liveCount = 0;
  /** Flows created over the table's life. */
  created = 0;
  /** Flows evicted because the table was full. */
  evictedFull = 0;
  /** Packets whose sender MAC differed from the one first seen for that side of the flow. */
  macChanges = 0;
  private nextSweepUs = 0;
  private nowUs = 0;

  constructor(private readonly onFlowEnd: FlowEndHandler, maxFlows = MAX_FLOWS) {
    this.maxFlows = maxFlows;
    let cap = 1;
    while (cap < maxFlows * 2) cap <<= 1;
    this.mask = cap - 1;
    this.index = new Int32Array(cap).fill(-1);
    this.proto = new Uint8Array(maxFlows);
    this.ipVersion = new Uint8Array(maxFlows);
    this.vlanKey = new Int32Array(maxFlows);
    this.addr = new Uint32Array(maxFlows * 8);
    this.portA = new Uint16Array(maxFlows);
    this.portB = new Uint16Array(maxFlows);
    this.hash = new Uint32Array(maxFlows);
    this.pktsAB = new Float64Array(maxFlows);
    this.pktsBA = new Float64Array(maxFlows);
    this.bytesAB = new Float64Array(maxFlows);
    this.bytesBA = new Float64Array(maxFlows);
    this.firstUs = new Float64Array(maxFlows);
    this.lastUs = new Float64Array(maxFlows);
    this.macA = new Float64Array(maxFlows);
    this.macB = new Float64Array(maxFlows);
    this.rxMacA = new Float64Array(maxFlows);
    this.rxMacB = new Float64Array(maxFlows);
    this.state = new Uint16Array(maxFlows);
    this.clientSide = new Uint8Array(maxFlows);
    this.clientBasis = new Uint8Array(maxFlows);
    this.depth = new Uint8Array(maxFlows);
    this.synA = new Array(maxFlows);
    this.synB = new Array(maxFlows);
    this.free = new Int32Array(maxFlows);
    for (let i = 0; i < maxFlows; i++) this.free[i] = maxFlows - 1 - i;
    this.freeTop = maxFlows;
    this.live = new Int32Array(maxFlows);
    this.livePos = new Int32Array(maxFlows);
  }

  /**
   * Accounts one decoded IP packet (`wirelen` bytes on the wire at `tsUs`). Returns the flow id and sets
   * `lastDirection` (0: A→B, 1: B→A).
   */
  lastDirection = 0;
  update(p: DecodedPacket, wirelen: number, tsUs: number, depth = 0): number {
    if (tsUs > this.nowUs) this.nowUs = tsUs;
    if (this.nowUs >= this.nextSweepUs) {
      if (this.nextSweepUs !== 0) this.sweep(this.nowUs);
      this.nextSweepUs = this.nowUs + SWEEP_INTERVAL_US;
    }
    const s = p.src6;
    const d = p.dst6;
    const hasPorts = p.hasL4 && (p.l4Proto === 6 || p.l4Proto === 17 || p.l4Proto === 132);
    const sp = hasPorts ? p.srcPort : 0;
    const dp = hasPorts ? p.dstPort : 0;
    // canonical order: compare (address words, port)
    let srcIsA = true;
    for (let k = 0; k < 4; k++) {
      if (s[k] !== d[k]) {
        srcIsA = s[k]! < d[k]!;
        break;
      }
      if (k === 3) srcIsA = sp <= dp;
    }
    const a = srcIsA ? s : d;
    const b = srcIsA ? d : s;
    const pa = srcIsA ? sp : dp;
    const pb = srcIsA ? dp : sp;
    const proto = p.l4Proto & 0xff;
    const vk = ((p.vlan + 1) << 13) ^ (p.innerVlan + 1);
    let h = Math.imul(proto ^ (p.ipVersion << 8) ^ (vk << 12), 0x9e3779b1);
    h = Math.imul(h ^ a[0]!, 0x85ebca6b) ^ a[1]!;
    h = Math.imul(h ^ a[2]!, 0xc2b2ae35) ^ a[3]!;
    h = Math.imul(h ^ b[0]!, 0x85ebca6b) ^ b[1]!;
    h = Math.imul(h ^ b[2]!, 0xc2b2ae35) ^ b[3]!;
    h = Math.imul(h ^ ((pa << 16) | pb), 0x27d4eb2f);
    h ^= h >>> 15;
    h >>>= 0;
    const idx = this.index;
    const mask = this.mask;
    const addr = this.addr;
    let slot = h & mask;
    let f = -1;
    for (;;) {
      const c = idx[slot]!;
      if (c < 0) break;
      if (this.hash[c] === h && this.portA[c] === pa && this.portB[c] === pb && this.proto[c] === proto &&
        this.vlanKey[c] === vk && this.ipVersion[c] === p.ipVersion) {
        const o = c << 3;
        if (addr[o] === a[0] && addr[o + 1] === a[1] && addr[o + 2] === a[2] && addr[o + 3] === a[3] &&
          addr[o + 4] === b[0] && addr[o + 5] === b[1] && addr[o + 6] === b[2] && addr[o + 7] === b[3]) {
          f = c;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    const dir = srcIsA ? 0 : 1;
    this.lastDirection = dir;
    if (f < 0) {
      if (this.freeTop === 0) {
        this.evictOne();
        // the index may have shifted: find the empty slot again
        slot = h & mask;
        while (idx[slot]! >= 0) slot = (slot + 1) & mask;
      }
      f = this.free[--this.freeTop]!;
      idx[slot] = f;
      this.hash[f] = h;
      this.proto[f] = proto;
      this.ipVersion[f] = p.ipVersion;
      this.vlanKey[f] = vk;
      const o = f << 3;
      addr[o] = a[0]!; addr[o + 1] = a[1]!; addr[o + 2] = a[2]!; addr[o + 3] = a[3]!;
      addr[o + 4] = b[0]!; addr[o + 5] = b[1]!; addr[o + 6] = b[2]!; addr[o + 7] = b[3]!;
      this.portA[f] = pa;
      this.portB[f] = pb;
      this.depth[f] = depth;
      this.pktsAB[f] = 0;
      this.pktsBA[f] = 0;
      this.bytesAB[f] = 0;
      this.bytesBA[f] = 0;
      this.firstUs[f] = tsUs;
      this.macA[f] = -1;
      this.macB[f] = -1;
      this.rxMacA[f] = -1;
      this.rxMacB[f] = -1;
      this.state[f] = 0;
      this.synA[f] = undefined;
      this.synB[f] = undefined;
      // provisional client: the first sender, unless the ports say otherwise
      let client = dir; // sender side index (0 = A)
      let basis = BASIS_FIRST;
      if (hasPorts && sp !== dp) {
        const spServer = sp < 1024 && dp >= 1024;
        const dpServer = dp < 1024 && sp >= 1024;
        if (spServer) {
          client = 1 - dir;
          basis = BASIS_PORT;
        } else if (dpServer) {
          basis = BASIS_PORT;
        }
      }
      this.clientSide[f] = client;
      this.clientBasis[f] = basis;
      this.livePos[f] = this.liveCount;
      this.live[this.liveCount++] = f;
      this.created++;
    }
    this.lastUs[f] = tsUs;
    if (dir === 0) {
      this.pktsAB[f]++;
      this.bytesAB[f] += wirelen;
    } else {
      this.pktsBA[f]++;
      this.bytesBA[f] += wirelen;
    }
    if (p.hasSrcMac) {
      const cur = dir === 0 ? this.macA[f]! : this.macB[f]!;
      if (cur < 0) {
        if (dir === 0) this.macA[f] = p.srcMac;
        else this.macB[f] = p.srcMac;
      } else if (cur !== p.srcMac) this.macChanges++;
    }
    if (p.hasDstMac) {
      if (dir === 0) {
        if (this.rxMacB[f]! < 0) this.rxMacB[f] = p.dstMac;
      } else if (this.rxMacA[f]! < 0) this.rxMacA[f] = p.dstMac;
    }
    if (proto === 6 && p.hasL4) this.tcpUpdate(f, p, dir);
    return f;
  }

  private tcpUpdate(f: number, p: DecodedPacket, dir: number): void {
    const fl = p.tcpFlags;
    let st = this.state[f]!;
    if (fl & TCP_SYN) {
      if (fl & TCP_ACK) {
        st |= dir === 0 ? ST_SYNACK_A : ST_SYNACK_B;
        if (this.clientBasis[f]! > BASIS_SYNACK) {
          this.clientSide[f] = 1 - dir;
          this.clientBasis[f] = BASIS_SYNACK;
        }
        if (this.clientBasis[f] !== BASIS_SYN || this.clientSide[f] !== dir) {
          if (dir === 0) this.synA[f] ??= synInfo(p);
          else this.synB[f] ??= synInfo(p);
        }
      } else {
        st |= dir === 0 ? ST_SYN_A : ST_SYN_B;
        if (this.clientBasis[f] !== BASIS_SYN) {
          this.clientSide[f] = dir;
          this.clientBasis[f] = BASIS_SYN;
        }
        if (dir === 0) this.synA[f] ??= synInfo(p);
        else this.synB[f] ??= synInfo(p);
      }
    }
    if (fl & TCP_FIN) st |= dir === 0 ? ST_FIN_A : ST_FIN_B;
    if (fl & TCP_RST) st |= dir === 0 ? ST_RST_A : ST_RST_B;
    if (p.payloadLen > 0) st |= dir === 0 ? ST_DATA_A : ST_DATA_B;
    this.state[f] = st;
  }

  /** Ends flows idle at capture time `now`. */
  sweep(now: number): void {
    for (let k = 0; k < this.liveCount; ) {
      const f = this.live[k]!;
      const idle = now - this.lastUs[f]!;
      let limit = OTHER_IDLE_US;
      if (this.proto[f] === 6) {
        const st = this.state[f]!;
        const closed = (st & (ST_RST_A | ST_RST_B)) !== 0 || (st & (ST_FIN_A | ST_FIN_B)) === (ST_FIN_A | ST_FIN_B);
        limit = closed ? TCP_CLOSED_IDLE_US : TCP_IDLE_US;
        if (idle > limit) {
          this.end(f, closed ? 'closed' : 'idle');
          continue; // `end` moved the last live flow into position k
        }
      } else if (idle > limit) {
        this.end(f, 'idle');
        continue;
      }
      k++;
    }
  }

  /** Ends every live flow (end of capture). */
  flushAll(): void {
    while (this.liveCount > 0) this.end(this.live[this.liveCount - 1]!, 'end_of_capture');
  }

  private evictOne(): void {
    // Least recently seen among a sample of live flows.
    let victim = -1;
    let oldest = Infinity;
    const n = Math.min(this.liveCount, 64);
    const step = Math.max(1, Math.floor(this.liveCount / n));
    for (let k = 0; k < this.liveCount; k += step) {
      const f = this.live[k]!;
      if (this.lastUs[f]! < oldest) {
        oldest = this.lastUs[f]!;
        victim = f;
      }
    }
    this.evictedFull++;
    this.end(victim, 'table_full');
  }

  private end(f: number, reason: FlowEndReason): void {
    this.onFlowEnd(this, f, reason);
    // remove from the index (backward-shift deletion)
    const idx = this.index;
    const mask = this.mask;
    let i = this.hash[f]! & mask;
    while (idx[i] !== f) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const c = idx[j]!;
      if (c < 0) break;
      const home = this.hash[c]! & mask;
      const between = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!between) {
        idx[i] = c;
        i = j;
      }
    }
    idx[i] = -1;
    // remove from the live list
    const pos = this.livePos[f]!;
    const last = this.live[--this.liveCount]!;
    this.live[pos] = last;
    this.livePos[last] = pos;
    this.synA[f] = undefined;
    this.synB[f] = undefined;
    this.free[this.freeTop++] = f;
  }

  /** SYN details of side A (0) or B (1) of flow `f`. */
  syn(f: number, side: number): SynInfo | null {
    return (side === 0 ? this.synA[f] : this.synB[f]) ?? null;
  }

  /** TCP state summary of flow `f` (null for other protocols). */
  tcpState(f: number): string | null {
    if (this.proto[f] !== 6) return null;
    const st = this.state[f]!;
    const c = this.clientSide[f]!;
    const synC = st & (c === 0 ? ST_SYN_A : ST_SYN_B);
    const synackS = st & (c === 0 ? ST_SYNACK_B : ST_SYNACK_A);
    const rst = st & (ST_RST_A | ST_RST_B);
    const fin = st & (ST_FIN_A | ST_FIN_B);
    const rstServer = st & (c === 0 ? ST_RST_B : ST_RST_A);
    if (synC && !synackS) return rstServer ? 'rejected' : 'attempt';
    const established = synC ? 'established' : 'midstream';
    if (rst) return `${established}_reset`;
    if (fin === (ST_FIN_A | ST_FIN_B)) return `${established}_closed`;
    if (fin) return `${established}_half_closed`;
    return established;
  }

  /** CLIENT_BASIS name of flow `f`. */
  basis(f: number): ClientBasis {
    return CLIENT_BASIS[this.clientBasis[f]!]!;
  }
}
