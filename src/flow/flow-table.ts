/**
 * Bidirectional flow table: 5-tuple + VLANs (outer and inner) + IP version, canonically ordered so both directions
 * of a conversation land on one entry (side A is the lower (address, port) endpoint).
 *
 * Storage is row-oriented typed arrays (one 64-byte key row and one 64-byte counter row per flow slot, so a
 * packet touches two cache lines of flow state) with an open-addressing index (linear probing, backward-shift
 * deletion); the per-packet path allocates nothing. Bounded: at most `maxFlows` live flows (the storage starts at
 * INITIAL_FLOW_CAPACITY slots and doubles when they are all live, up to `maxFlows`);
 * idle flows are expired by capture time (TCP 5 min, or 15 s after FIN/RST from both sides; UDP and others 1 min —
 * Zeek's defaults), and when the table is full the least recently seen flow of a sample is evicted and counted.
 * Every flow that ends is handed to `onFlowEnd` while its columns are still valid.
 */
import { type DecodedPacket, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/decoded-packet.js';
import { type TcpSynOptions } from '../decode/transport.js';
import { type SynShape, SynShapes, synTextHead, synTextTail } from './syn-shape.js';

/** Default most live flows tracked at once. */
export const MAX_FLOWS = 262_144;
/**
 * Flow slots allocated at first (doubled as needed up to maxFlows: a capture with few live flows allocates little).
 * Small on purpose: the table then grows a few times within the first packets, before the optimiser compiles the
 * per-packet path, which therefore knows the growth branch (a branch first taken after that costs a deoptimisation).
 */
export const INITIAL_FLOW_CAPACITY = 64;
/** Idle timeouts, microseconds. */
export const TCP_IDLE_US = 300e6;
export const TCP_CLOSED_IDLE_US = 15e6;
export const OTHER_IDLE_US = 60e6;
/** How often (capture time) idle flows are swept. */
export const SWEEP_INTERVAL_US = 10e6;
/** Packets at the start whose accounting calls the periodic sweep even when none is due (FlowTable.periodic). */
const PRIMING_CALLS = 256;

/** How the client side of a flow was decided, strongest first. */
export const CLIENT_BASIS = ['syn', 'syn_ack', 'port', 'first_packet'] as const;
export type ClientBasis = (typeof CLIENT_BASIS)[number];
const BASIS_SYN = 0;
const BASIS_SYNACK = 1;
const BASIS_PORT = 2;
const BASIS_FIRST = 3;

/** Why a flow ended. */
export type FlowEndReason = 'idle' | 'closed' | 'table_full' | 'end_of_capture';

// TCP state bits per flow (each side B bit is its side A bit shifted left by one)
const ST_SYN_A = 1;
const ST_SYN_B = 2;
const ST_SYNACK_A = 4;
const ST_SYNACK_B = 8;
const ST_FIN_A = 16;
const ST_FIN_B = 32;
const ST_RST_A = 64;
const ST_RST_B = 128;
const ST_DATA_A = 256; // side B: 512

/** SYN or SYN-ACK details kept for OS fingerprinting (issue "device identity" consumes them). */
export interface SynInfo extends TcpSynOptions {
  ttl: number;
  window: number;
  ip_version: number;
  /** IPv4 options or IPv6 extension headers present. */
  ip_options: boolean;
  /** Bytes of payload carried by the SYN itself (quirk). */
  payload: number;
  /** Length of the IPv4 options or IPv6 extension headers, bytes. */
  ip_olen: number;
  /**
   * Every quirk of the segment in p0f v3 notation and order: the IP and TCP header ones (tcpHeaderQuirks) then the
   * option ones (parseTcpOptions; ts2+ only on a SYN without ACK).
   */
  quirks: string;
}

/** Callback for ended flows; `t` is the table, `i` the flow slot (read with `t.record(i)` or the columns). */
export type FlowEndHandler = (t: FlowTable, i: number, reason: FlowEndReason) => void;

/**
 * Compact stored form of SynInfo (the flows table keeps one short string instead of JSON):
 * `ipver:ttl:window:mss:wscale:layout:flags:ts_val:payload:quirks:ip_olen` with flags letters s (SACK permitted),
 * t (timestamps), o (IP options), m (malformed options); empty fields for null. Rows written before the last two
 * fields existed read back with no quirks and ip_olen 0.
 */
export function synToText(s: SynInfo): string {
  return `${synTextHead(s)}${s.ts_val ?? ''}${synTextTail(s)}`;
}

/** Inverse of synToText. */
export function synFromText(t: string): SynInfo {
  const f = t.split(':');
  const num = (x: string | undefined): number | null => (x === undefined || x === '' ? null : Number(x));
  const flags = f[6] ?? '';
  return {
    layout: f[5] ?? '', mss: num(f[3]), wscale: num(f[4]), sack_ok: flags.includes('s'), timestamps: flags.includes('t'),
    ts_val: num(f[7]), malformed: flags.includes('m'), ttl: Number(f[1]), window: Number(f[2]), ip_version: Number(f[0]),
    ip_options: flags.includes('o'), payload: Number(f[8] ?? 0), quirks: f[9] ?? '', ip_olen: Number(f[10] ?? 0),
  };
}

/** Everything about one flow, filled by `FlowTable.view` (one reused object). */
export interface FlowView {
  proto: number;
  ipVersion: number;
  depth: number;
  /** Outer / inner VLAN id, -1 when absent. */
  vlan: number;
  innerVlan: number;
  /** Side A is the lower (address, port) endpoint. Addresses as four words (IPv4 in the last). */
  addrA: Uint32Array;
  addrB: Uint32Array;
  portA: number;
  portB: number;
  pktsAB: number;
  pktsBA: number;
  bytesAB: number;
  bytesBA: number;
  firstUs: number;
  lastUs: number;
  /** Sender MAC of side A / B (-1 unknown); destination MAC of packets to a side that never sent (-1 unknown). */
  macA: number;
  macB: number;
  rxMacA: number;
  rxMacB: number;
  /** 0: A is client, 1: B is client. */
  clientSide: number;
}

// key row (Int32, 16 per flow = 64 bytes)
const KS = 16;
const K_HASH = 0;
const K_META = 1; // proto | ipVersion << 8 | depth << 16
const K_VLAN = 2;
const K_PORTS = 3; // portA << 16 | portB
const K_A = 4; // 4 words
const K_B = 8; // 4 words
const K_STATE = 12;
const K_CLIENT = 13; // clientSide | basis << 8
// counter row (Float64, 8 per flow = 64 bytes)
const SS = 8;
const S_PKTS_AB = 0;
const S_PKTS_BA = 1;
const S_BYTES_AB = 2;
const S_BYTES_BA = 3;
const S_FIRST = 4;
const S_LAST = 5;
const S_MAC_A = 6;
const S_MAC_B = 7;

/** The live flow table. */
export class FlowTable {
  readonly maxFlows: number;
  private mask = 0;
  private index = new Int32Array(0); // slot -> flow id, -1 empty
  private keys = new Int32Array(0);
  private keysU = new Uint32Array(0); // same memory, unsigned view (addresses, hash)
  private stats = new Float64Array(0);
  private rx = new Float64Array(0); // 2 per flow: rxMacA, rxMacB
  // kept SYN / SYN-ACK per side: its interned shape, and its timestamp value (-1 none) at 2 per flow
  private readonly synA: (SynShape | undefined)[] = [];
  private readonly synB: (SynShape | undefined)[] = [];
  private synTs = new Float64Array(0);
  private readonly shapes = new SynShapes();
  /** Flow slots allocated (at most maxFlows). */
  private capacity = 0;
  // free list and live list
  private free = new Int32Array(0);
  private freeTop = 0;
  private live = new Int32Array(0);
  private livePos = new Int32Array(0);
  private readonly v: FlowView;
  liveCount = 0;
  /** Flows created over the table's life. */
  created = 0;
  /** Flows evicted because the table was full. */
  evictedFull = 0;
  /** Packets whose sender MAC differed from the one first seen for that side of the flow. */
  macChanges = 0;
  /** Capture time at which `count` calls `periodic` next. */
  private nextSweepUs = 0;
  /** Capture time at which the next idle sweep is due. */
  private sweepAtUs = 0;
  /** Calls of `periodic` left to the first packets (see there). */
  private priming = PRIMING_CALLS;
  private nowUs = 0;
  /** Direction of the packet last given to `update`: 0 when its source is side A of the flow, 1 for side B. */
  lastDir = 0;

  constructor(private readonly onFlowEnd: FlowEndHandler, maxFlows = MAX_FLOWS) {
    this.maxFlows = maxFlows;
    this.grow(Math.min(maxFlows, INITIAL_FLOW_CAPACITY));
    this.v = {
      proto: 0, ipVersion: 0, depth: 0, vlan: -1, innerVlan: -1, addrA: new Uint32Array(4), addrB: new Uint32Array(4), portA: 0, portB: 0,
      pktsAB: 0, pktsBA: 0, bytesAB: 0, bytesBA: 0, firstUs: 0, lastUs: 0, macA: -1, macB: -1, rxMacA: -1, rxMacB: -1, clientSide: 0,
    };
  }

  /**
   * Allocates `n` flow slots (more than now; all current ones are live): the columns keep their rows, the new slots
   * go on the free list so that they are taken in increasing order (as with all of them allocated at once), and the
   * index is rebuilt at twice the size or more.
   */
  private grow(n: number): void {
    const old = this.capacity;
    const widen = <T extends Int32Array | Float64Array>(a: T, per: number, make: (len: number) => T): T => {
      const b = make(n * per);
      b.set(a);
      return b;
    };
    this.keys = widen(this.keys, KS, (l) => new Int32Array(l));
    this.keysU = new Uint32Array(this.keys.buffer);
    this.stats = widen(this.stats, SS, (l) => new Float64Array(l));
    this.rx = widen(this.rx, 2, (l) => new Float64Array(l));
    this.synTs = widen(this.synTs, 2, (l) => new Float64Array(l));
    this.live = widen(this.live, 1, (l) => new Int32Array(l));
    this.livePos = widen(this.livePos, 1, (l) => new Int32Array(l));
    for (let i = old; i < n; i++) {
      this.synA.push(undefined);
      this.synB.push(undefined);
    }
    this.free = new Int32Array(n);
    for (let i = old; i < n; i++) this.free[this.freeTop++] = n - 1 - (i - old);
    this.capacity = n;
    let cap = 1;
    while (cap < n * 2) cap <<= 1;
    const mask = cap - 1;
    const idx = new Int32Array(cap).fill(-1);
    for (let k = 0; k < this.liveCount; k++) {
      const f = this.live[k]!;
      idx[emptySlot(idx, mask, this.keys[f * KS + K_HASH]!)] = f;
    }
    this.index = idx;
    this.mask = mask;
  }

  /** Accounts one decoded IP packet (`wirelen` bytes on the wire at `tsUs`); returns the flow id. */
  update(p: DecodedPacket, wirelen: number, tsUs: number, depth = 0): number {
    p.tsUs = tsUs;
    return this.count(p, wirelen, depth);
  }

  /** `update` at the packet's own capture time (`p.tsUs`): the per-packet entry of the ingest. */
  count(p: DecodedPacket, wirelen: number, depth: number): number {
    const tsUs = p.tsUs;
    if (tsUs > this.nowUs) this.nowUs = tsUs;
    if (this.nowUs >= this.nextSweepUs) this.periodic();
    const s = p.src6;
    const d = p.dst6;
    const hasPorts = p.hasL4 && (p.l4Proto === 6 || p.l4Proto === 17 || p.l4Proto === 132);
    const sp = hasPorts ? p.srcPort : 0;
    const dp = hasPorts ? p.dstPort : 0;
    // canonical order: compare (address words, port); the port comparison is made for every packet (a comparison
    // first made late, for the rare packet with equal addresses, would cost a deoptimisation)
    const portsInOrder = sp <= dp;
    let srcIsA: boolean;
    if (s[0] !== d[0]) srcIsA = s[0]! < d[0]!;
    else if (s[1] !== d[1]) srcIsA = s[1]! < d[1]!;
    else if (s[2] !== d[2]) srcIsA = s[2]! < d[2]!;
    else if (s[3] !== d[3]) srcIsA = s[3]! < d[3]!;
    else srcIsA = portsInOrder;
    const a = srcIsA ? s : d;
    const b = srcIsA ? d : s;
    const ports = srcIsA ? (sp << 16) | dp : (dp << 16) | sp;
    const proto = p.l4Proto & 0xff;
    const meta = proto | (p.ipVersion << 8) | (depth << 16);
    const vk = ((p.vlan + 1) << 13) ^ (p.innerVlan + 1);
    let h = Math.imul(meta ^ (vk << 12), 0x9e3779b1);
    h = Math.imul(h ^ a[0]!, 0x85ebca6b) ^ a[1]!;
    h = Math.imul(h ^ a[2]!, 0xc2b2ae35) ^ a[3]!;
    h = Math.imul(h ^ b[0]!, 0x85ebca6b) ^ b[1]!;
    h = Math.imul(h ^ b[2]!, 0xc2b2ae35) ^ b[3]!;
    h = Math.imul(h ^ ports, 0x27d4eb2f);
    h ^= h >>> 15;
    h |= 0;
    const idx = this.index;
    const mask = this.mask;
    const keys = this.keys;
    const ku = this.keysU;
    let slot = h & mask;
    let f = -1;
    for (;;) {
      const c = idx[slot]!;
      if (c < 0) break;
      const o = c * KS;
      if (keys[o + K_HASH] === h && keys[o + K_PORTS] === ports && keys[o + K_META] === meta && keys[o + K_VLAN] === vk &&
        ku[o + K_A] === a[0] && ku[o + K_A + 1] === a[1] && ku[o + K_A + 2] === a[2] && ku[o + K_A + 3] === a[3] &&
        ku[o + K_B] === b[0] && ku[o + K_B + 1] === b[1] && ku[o + K_B + 2] === b[2] && ku[o + K_B + 3] === b[3]) {
        f = c;
        break;
      }
      slot = (slot + 1) & mask;
    }
    const dir = srcIsA ? 0 : 1;
    this.lastDir = dir;
    // (a new flow out of line: the per-packet path stays short, so the optimiser takes it up sooner)
    if (f < 0) f = this.newFlow(slot, h, meta, vk, ports, a, b, dir, hasPorts, sp, dp, tsUs);
    const st = this.stats;
    const so = f * SS;
    st[so + S_LAST] = tsUs;
    st[so + S_PKTS_AB + dir]++;
    st[so + S_BYTES_AB + dir] += wirelen;
    if (p.hasSrcMac) {
      const cur = st[so + S_MAC_A + dir]!;
      if (cur < 0) st[so + S_MAC_A + dir] = p.srcMac;
      else if (cur !== p.srcMac) this.macChanges++;
    }
    // The receiving side's MAC matters only while that side has not sent anything itself.
    if (p.hasDstMac && st[so + S_MAC_A + 1 - dir]! < 0 && this.rx[f * 2 + 1 - dir]! < 0) this.rx[f * 2 + 1 - dir] = p.dstMac;
    if (proto === 6 && p.hasL4) this.tcpUpdate(f, p, dir);
    return f;
  }

  /**
   * The idle sweep when it is due (every SWEEP_INTERVAL_US of capture time, from the first packet). The first
   * PRIMING_CALLS packets call here too, and the last of them runs a sweep that ends nothing: every operation here
   * is then known to the optimiser when it compiles `count` (one first made after that, at the first real sweep,
   * would cost a deoptimisation of the per-packet path). No branch here holds an operation of its own.
   */
  private periodic(): void {
    const now = this.nowUs;
    const due = now >= this.sweepAtUs;
    if (due || this.priming === 1) this.sweep(due ? now : -Infinity); // (nothing is idle at -Infinity)
    const next = now + SWEEP_INTERVAL_US;
    this.sweepAtUs = due ? next : this.sweepAtUs;
    this.nextSweepUs = this.priming-- > 0 ? -Infinity : this.sweepAtUs;
  }

  /**
   * Makes flow `f` for the packet `count` is accounting: `slot` is the empty index slot its probe ended at, the
   * others its key (side A, side B, ports, …) and the packet's direction and ports; returns the flow id.
   */
  private newFlow(slot: number, h: number, meta: number, vk: number, ports: number, a: Uint32Array, b: Uint32Array, dir: number,
    hasPorts: boolean, sp: number, dp: number, tsUs: number): number {
    if (this.freeTop === 0) {
      if (this.capacity < this.maxFlows) this.grow(Math.min(this.maxFlows, this.capacity * 2));
      else this.evictOne();
      // the index may have shifted or been rebuilt: find the empty slot again
      slot = emptySlot(this.index, this.mask, h);
    }
    const f = this.free[--this.freeTop]!;
    this.index[slot] = f;
    const keys = this.keys;
    const ku = this.keysU;
    const o = f * KS;
    keys[o + K_HASH] = h;
    keys[o + K_META] = meta;
    keys[o + K_VLAN] = vk;
    keys[o + K_PORTS] = ports;
    ku[o + K_A] = a[0]!; ku[o + K_A + 1] = a[1]!; ku[o + K_A + 2] = a[2]!; ku[o + K_A + 3] = a[3]!;
    ku[o + K_B] = b[0]!; ku[o + K_B + 1] = b[1]!; ku[o + K_B + 2] = b[2]!; ku[o + K_B + 3] = b[3]!;
    keys[o + K_STATE] = 0;
    const st = this.stats;
    const so = f * SS;
    st[so + S_PKTS_AB] = 0;
    st[so + S_PKTS_BA] = 0;
    st[so + S_BYTES_AB] = 0;
    st[so + S_BYTES_BA] = 0;
    st[so + S_FIRST] = tsUs;
    st[so + S_MAC_A] = -1;
    st[so + S_MAC_B] = -1;
    this.rx[f * 2] = -1;
    this.rx[f * 2 + 1] = -1;
    this.synA[f] = undefined;
    this.synB[f] = undefined;
    // provisional client: the first sender, unless the ports say otherwise
    let client = dir; // sender side index (0 = A)
    let basis = BASIS_FIRST;
    if (hasPorts && sp !== dp) {
      if (sp < 1024 && dp >= 1024) {
        client = 1 - dir;
        basis = BASIS_PORT;
      } else if (dp < 1024 && sp >= 1024) {
        basis = BASIS_PORT;
      }
    }
    keys[o + K_CLIENT] = client | (basis << 8);
    this.livePos[f] = this.liveCount;
    this.live[this.liveCount++] = f;
    this.created++;
    return f;
  }

  private tcpUpdate(f: number, p: DecodedPacket, dir: number): void {
    const fl = p.tcpFlags;
    const o = f * KS;
    let st = this.keys[o + K_STATE]!;
    if (fl & TCP_SYN) {
      let cl = this.keys[o + K_CLIENT]!;
      if (fl & TCP_ACK) {
        st |= dir === 0 ? ST_SYNACK_A : ST_SYNACK_B;
        if (cl >> 8 > BASIS_SYNACK) cl = (1 - dir) | (BASIS_SYNACK << 8);
        if (cl >> 8 !== BASIS_SYN || (cl & 0xff) !== dir) {
          this.keepSyn(f, dir, p);
        }
      } else {
        // a new SYN after a reset or a close: the client tries again, the connection starts over
        st &= ~(ST_RST_A | ST_RST_B | ST_FIN_A | ST_FIN_B);
        st |= dir === 0 ? ST_SYN_A : ST_SYN_B;
        if (cl >> 8 !== BASIS_SYN) cl = dir | (BASIS_SYN << 8);
        this.keepSyn(f, dir, p);
      }
      this.keys[o + K_CLIENT] = cl;
    }
    // without branches (side B's bit is side A's shifted by one): FIN and RST come late in a capture, and an
    // operation first made then would cost a deoptimisation
    st |= (((fl & TCP_FIN) !== 0 ? ST_FIN_A : 0) | ((fl & TCP_RST) !== 0 ? ST_RST_A : 0) | (p.payloadLen > 0 ? ST_DATA_A : 0)) << dir;
    this.keys[o + K_STATE] = st;
  }

  /** Keeps the handshake segment `p` for side `dir` of flow `f`, unless that side already has one. */
  private keepSyn(f: number, dir: number, p: DecodedPacket): void {
    const kept = dir === 0 ? this.synA : this.synB;
    if (kept[f] !== undefined) return;
    kept[f] = this.shapes.of(p);
    this.synTs[f * 2 + dir] = this.shapes.tsVal;
  }

  /** Capture time (µs) of flow `f`'s last packet. */
  lastUs(f: number): number {
    return this.stats[f * SS + S_LAST]!;
  }

  /** The client side of flow `f` as currently known: 0 for side A, 1 for side B. */
  clientSide(f: number): number {
    return this.keys[f * KS + K_CLIENT]! & 0xff;
  }

  /** Ends flows idle at capture time `now`. */
  sweep(now: number): void {
    const keys = this.keys;
    const st = this.stats;
    for (let k = 0; k < this.liveCount; ) {
      const f = this.live[k]!;
      const idle = now - st[f * SS + S_LAST]!;
      if ((keys[f * KS + K_META]! & 0xff) === 6) {
        const s = keys[f * KS + K_STATE]!;
        const closed = (s & (ST_RST_A | ST_RST_B)) !== 0 || (s & (ST_FIN_A | ST_FIN_B)) === (ST_FIN_A | ST_FIN_B);
        if (idle > (closed ? TCP_CLOSED_IDLE_US : TCP_IDLE_US)) {
          this.end(f, closed ? 'closed' : 'idle');
          continue; // `end` moved the last live flow into position k
        }
      } else if (idle > OTHER_IDLE_US) {
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
      const last = this.stats[f * SS + S_LAST]!;
      if (last < oldest) {
        oldest = last;
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
    let i = this.keys[f * KS + K_HASH]! & mask;
    while (idx[i] !== f) i = (i + 1) & mask;
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const c = idx[j]!;
      if (c < 0) break;
      const home = this.keys[c * KS + K_HASH]! & mask;
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

  /** Fills and returns the (reused) view of flow `f`. */
  view(f: number): FlowView {
    const v = this.v;
    const o = f * KS;
    const so = f * SS;
    const k = this.keys;
    const meta = k[o + K_META]!;
    v.proto = meta & 0xff;
    v.ipVersion = (meta >> 8) & 0xff;
    v.depth = meta >> 16;
    const vk = k[o + K_VLAN]!;
    v.vlan = (vk >> 13) - 1;
    v.innerVlan = (vk & 0x1fff) - 1;
    const ku = this.keysU;
    const wa = v.addrA;
    const wb = v.addrB;
    for (let i = 0; i < 4; i++) {
      wa[i] = ku[o + K_A + i]!;
      wb[i] = ku[o + K_B + i]!;
    }
    const ports = k[o + K_PORTS]!;
    v.portA = ports >>> 16;
    v.portB = ports & 0xffff;
    const st = this.stats;
    v.pktsAB = st[so + S_PKTS_AB]!;
    v.pktsBA = st[so + S_PKTS_BA]!;
    v.bytesAB = st[so + S_BYTES_AB]!;
    v.bytesBA = st[so + S_BYTES_BA]!;
    v.firstUs = st[so + S_FIRST]!;
    v.lastUs = st[so + S_LAST]!;
    v.macA = st[so + S_MAC_A]!;
    v.macB = st[so + S_MAC_B]!;
    v.rxMacA = this.rx[f * 2]!;
    v.rxMacB = this.rx[f * 2 + 1]!;
    v.clientSide = k[o + K_CLIENT]! & 0xff;
    return v;
  }

  /** SYN details of side A (0) or B (1) of flow `f` (a new object). */
  syn(f: number, side: number): SynInfo | null {
    const shape = side === 0 ? this.synA[f] : this.synB[f];
    if (shape === undefined) return null;
    const ts = this.synTs[f * 2 + side]!;
    return { ...shape.info, ts_val: ts < 0 ? null : ts };
  }

  /**
   * The SYN details of side `side` of flow `f` as shared by every segment of the same shape (syn-shape.ts): equal to
   * `syn(f, side)` but for `ts_val` (which has the same zero-ness). The same object for equal shapes; never modify it.
   */
  synShape(f: number, side: number): SynInfo | null {
    return (side === 0 ? this.synA[f] : this.synB[f])?.info ?? null;
  }

  /** synToText(syn(f, side)), made without the object; null when that side sent no handshake segment. */
  synText(f: number, side: number): string | null {
    const shape = side === 0 ? this.synA[f] : this.synB[f];
    if (shape === undefined) return null;
    const ts = this.synTs[f * 2 + side]!;
    return ts < 0 ? shape.textHead + shape.textTail : `${shape.textHead}${ts}${shape.textTail}`;
  }

  /** TCP state summary of flow `f` (null for other protocols). */
  tcpState(f: number): string | null {
    const o = f * KS;
    if ((this.keys[o + K_META]! & 0xff) !== 6) return null;
    const st = this.keys[o + K_STATE]!;
    const c = this.keys[o + K_CLIENT]! & 0xff;
    const synC = st & (c === 0 ? ST_SYN_A : ST_SYN_B);
    const synackS = st & (c === 0 ? ST_SYNACK_B : ST_SYNACK_A);
    const rst = st & (ST_RST_A | ST_RST_B);
    const fin = st & (ST_FIN_A | ST_FIN_B);
    const rstServer = st & (c === 0 ? ST_RST_B : ST_RST_A);
    if (synC && !synackS) return rstServer ? 'rejected' : 'attempt';
    // constant strings (a template here would make a new string for every ended flow), chosen without an array read
    if (rst) return synC ? 'established_reset' : 'midstream_reset';
    if (fin === (ST_FIN_A | ST_FIN_B)) return synC ? 'established_closed' : 'midstream_closed';
    if (fin) return synC ? 'established_half_closed' : 'midstream_half_closed';
    return synC ? 'established' : 'midstream';
  }

  /** CLIENT_BASIS name of flow `f`. */
  basis(f: number): ClientBasis {
    return CLIENT_BASIS[this.keys[f * KS + K_CLIENT]! >> 8]!;
  }
}

/** The empty slot of index `idx` (size mask + 1) where a key of hash `h` goes (linear probing). */
function emptySlot(idx: Int32Array, mask: number, h: number): number {
  let slot = h & mask;
  while (idx[slot]! >= 0) slot = (slot + 1) & mask;
  return slot;
}
