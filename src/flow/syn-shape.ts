/**
 * Interned SYN / SYN-ACK details. The SynInfo of a handshake segment (flow-table.ts) is a function of a few IP and
 * TCP header fields and of its TCP option bytes; all but one of them (the timestamp value) repeat in every segment a
 * given stack sends along a given path. The flow table therefore keys each kept segment by those bytes (timestamp
 * values reduced to "zero or not", which is all the quirks look at), parses a key's options once, and keeps per flow
 * side only a reference to the shared shape and the timestamp value: a SYN costs no parse, no string and no object
 * once its shape is known, and the fingerprinting of ended flows can memoise by shape.
 */
import { type DecodedPacket, TCP_ACK } from '../decode/decoded-packet.js';
import { tcpHeaderQuirkBits, tcpHeaderQuirks } from '../decode/syn-quirks.js';
import { parseTcpOptions } from '../decode/transport.js';
import type { SynInfo } from './flow-table.js';

/** Most distinct shapes held; when full the table is emptied (flows keep the shapes they refer to). */
export const MAX_SYN_SHAPES = 4096;
/** Header bytes of a key (see SynShapes.keyOf), then at most 40 bytes of TCP options. */
const KEY_HEADER = 14;
const KEY_MAX = KEY_HEADER + 40;

/** What every segment of one shape shares: its SynInfo but for `ts_val`, and the stored text around `ts_val`. */
export interface SynShape {
  /** The SynInfo of the first segment of this shape (shared: never modify; its ts_val is that segment's). */
  readonly info: SynInfo;
  /** synToText of the shape up to the ts_val field, and after it. */
  readonly textHead: string;
  readonly textTail: string;
}

/** One interned shape in a hash chain. */
interface Entry {
  readonly key: Uint8Array;
  readonly shape: SynShape;
  readonly next: Entry | undefined;
}

/** The SynInfo of a SYN or SYN-ACK, parsed from the packet. */
export function synInfo(p: DecodedPacket): SynInfo {
  const o = parseTcpOptions(p.pktBuf, p.tcpOptOff, p.tcpOptLen) as SynInfo;
  o.ttl = p.ttl;
  o.window = p.tcpWindow;
  o.ip_version = p.ipVersion;
  o.ip_options = p.ipOptions;
  o.payload = p.payloadLen;
  o.ip_olen = p.l4Off - p.ipOff - (p.ipVersion === 4 ? 20 : 40);
  let quirks = tcpHeaderQuirks(p);
  const synAck = (p.tcpFlags & TCP_ACK) !== 0;
  for (const q of o.quirks.split(',')) {
    // A SYN-ACK legitimately echoes the peer's timestamp: ts2+ is a quirk only on a SYN.
    if (q !== '' && !(synAck && q === 'ts2+')) quirks = quirks === '' ? q : `${quirks},${q}`;
  }
  o.quirks = quirks;
  return o;
}

/** synToText of `s` up to its ts_val field (the fields before it, and the separator). */
export function synTextHead(s: SynInfo): string {
  const flags = `${s.sack_ok ? 's' : ''}${s.timestamps ? 't' : ''}${s.ip_options ? 'o' : ''}${s.malformed ? 'm' : ''}`;
  return `${s.ip_version}:${s.ttl}:${s.window}:${s.mss ?? ''}:${s.wscale ?? ''}:${s.layout}:${flags}:`;
}

/** synToText of `s` after its ts_val field (the separator, and the fields after it). */
export function synTextTail(s: SynInfo): string {
  return `:${s.payload}:${s.quirks}:${s.ip_olen}`;
}

/** The shape of a segment whose SynInfo is `s`. */
function shapeOf(s: SynInfo): SynShape {
  return { info: s, textHead: synTextHead(s), textTail: synTextTail(s) };
}

/** The interning table of one flow table. */
export class SynShapes {
  private readonly byHash = new Map<number, Entry>();
  private count = 0;
  private readonly key = new Uint8Array(KEY_MAX);
  /** The timestamp value (TSval) of the segment last given to `of`, -1 when it carries none. */
  tsVal = -1;

  /** The shape of SYN or SYN-ACK `p` (a decoded TCP segment); sets `tsVal`. */
  of(p: DecodedPacket): SynShape {
    const k = this.key;
    const n = this.keyOf(p);
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    for (let e = this.byHash.get(h); e !== undefined; e = e.next) {
      if (sameKey(e.key, k, n)) return e.shape;
    }
    if (this.count >= MAX_SYN_SHAPES) {
      this.byHash.clear();
      this.count = 0;
    }
    const shape = shapeOf(synInfo(p));
    this.byHash.set(h, { key: k.slice(0, n), shape, next: this.byHash.get(h) });
    this.count++;
    return shape;
  }

  /**
   * Writes the key of `p` into `this.key` and returns its length: IP version, TTL, window, IP options flag and
   * length, payload length, header quirk bits and the ACK flag (ts2+ depends on it), option length, then the option
   * bytes with each timestamp option's values replaced by their zero-ness (walked as parseTcpOptions walks them).
   */
  private keyOf(p: DecodedPacket): number {
    const k = this.key;
    const b = p.pktBuf;
    const olen = p.l4Off - p.ipOff - (p.ipVersion === 4 ? 20 : 40);
    const pl = p.payloadLen;
    const q = tcpHeaderQuirkBits(p) | ((p.tcpFlags & TCP_ACK) !== 0 ? 0x1000 : 0);
    const len = p.tcpOptLen;
    k[0] = p.ipVersion;
    k[1] = p.ttl;
    k[2] = p.tcpWindow >> 8;
    k[3] = p.tcpWindow;
    k[4] = p.ipOptions ? 1 : 0;
    k[5] = olen >> 16;
    k[6] = olen >> 8;
    k[7] = olen;
    k[8] = pl >> 16;
    k[9] = pl >> 8;
    k[10] = pl;
    k[11] = q >> 8;
    k[12] = q;
    k[13] = len;
    const off = p.tcpOptOff;
    for (let i = 0; i < len; i++) k[KEY_HEADER + i] = b[off + i]!;
    this.tsVal = -1;
    let o = 0;
    while (o < len) {
      const kind = k[KEY_HEADER + o]!;
      if (kind === 0) break;
      if (kind === 1) {
        o++;
        continue;
      }
      if (o + 1 >= len) break;
      const ol = k[KEY_HEADER + o + 1]!;
      if (ol < 2 || o + ol > len) break;
      if (kind === 8 && ol === 10) {
        const at = KEY_HEADER + o + 2;
        this.tsVal = ((k[at]! << 24) | (k[at + 1]! << 16) | (k[at + 2]! << 8) | k[at + 3]!) >>> 0;
        const ecr = k[at + 4]! | k[at + 5]! | k[at + 6]! | k[at + 7]!;
        k.fill(0, at, at + 8);
        if (this.tsVal !== 0) k[at] = 1;
        if (ecr !== 0) k[at + 4] = 1;
      }
      o += ol;
    }
    return KEY_HEADER + len;
  }
}

/** True when `key` equals the first `n` bytes of `k`. */
function sameKey(key: Uint8Array, k: Uint8Array, n: number): boolean {
  if (key.length !== n) return false;
  for (let i = 0; i < n; i++) if (key[i] !== k[i]) return false;
  return true;
}
