/**
 * Transport headers: TCP (RFC 9293), UDP (RFC 768), ICMP (RFC 792), ICMPv6 (RFC 4443); GRE (RFC 2784/2890) and
 * VXLAN (RFC 7348, UDP 4789) are recognised as tunnels and their payload is marked for inner decoding.
 * TCP options are parsed separately (parseTcpOptions) and only where kept: SYN and SYN-ACK.
 */
import { Anomaly } from './anomalies.js';
import { type DecodedPacket, Inner } from './decoded-packet.js';

export const UDP_PORT_VXLAN = 4789;

/** Decodes the transport header at `o` (IP payload up to `end`). */
export function decodeTransport(b: Uint8Array, o: number, end: number, proto: number, p: DecodedPacket): boolean {
  switch (proto) {
    case 6: {
      if (end - o < 20) {
        p.anomaly = Anomaly.TruncatedTcpHeader;
        return false;
      }
      p.srcPort = (b[o]! << 8) | b[o + 1]!;
      p.dstPort = (b[o + 2]! << 8) | b[o + 3]!;
      p.tcpSeq = ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0;
      p.tcpAck = ((b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!) >>> 0;
      const doff = (b[o + 12]! >> 4) << 2;
      p.tcpFlags = ((b[o + 12]! & 1) << 8) | b[o + 13]!;
      p.tcpWindow = (b[o + 14]! << 8) | b[o + 15]!;
      p.tcpOptOff = o + 20; // end of the fixed header: readers find the header itself at tcpOptOff - 20
      p.hasL4 = true;
      if (doff < 20) {
        p.anomaly = Anomaly.TcpBadDataOffset;
        p.tcpOptLen = 0;
        p.payloadLen = 0;
        return false;
      }
      if (end - o < doff) {
        // Options cut by the snaplen or a lying offset: keep ports/flags, no payload.
        p.anomaly = Anomaly.TruncatedTcpHeader;
        p.tcpOptLen = end - o - 20;
        p.payloadLen = 0;
        return false;
      }
      p.tcpOptLen = doff - 20;
      p.payloadOff = o + doff;
      p.payloadLen = end - o - doff;
      return true;
    }
    case 17: {
      if (end - o < 8) {
        p.anomaly = Anomaly.TruncatedUdpHeader;
        return false;
      }
      p.srcPort = (b[o]! << 8) | b[o + 1]!;
      p.dstPort = (b[o + 2]! << 8) | b[o + 3]!;
      p.hasL4 = true;
      const ulen = (b[o + 4]! << 8) | b[o + 5]!;
      p.payloadOff = o + 8;
      if (ulen < 8 && ulen !== 0) {
        p.anomaly = Anomaly.UdpBadLength;
        p.payloadLen = end - o - 8;
        return true;
      }
      p.payloadLen = ulen === 0 || o + ulen > end ? end - o - 8 : ulen - 8;
      if ((p.dstPort === UDP_PORT_VXLAN) && p.payloadLen >= 8 + 14 && (b[o + 8]! & 0x08) !== 0) {
        p.inner = Inner.Ethernet;
        p.innerOff = o + 16;
        p.innerEnd = o + 8 + p.payloadLen;
      }
      return true;
    }
    case 1:
    case 58:
      if (end - o < 4) {
        p.anomaly = Anomaly.TruncatedIcmpHeader;
        return false;
      }
      p.icmpType = b[o]!;
      p.icmpCode = b[o + 1]!;
      p.payloadOff = o + 4;
      p.payloadLen = end - o - 4;
      return true;
    case 4:
    case 41:
      p.inner = Inner.Ip;
      p.innerOff = o;
      p.innerEnd = end;
      return true;
    case 47:
      return decodeGre(b, o, end, p);
    default:
      p.payloadOff = o;
      p.payloadLen = end - o;
      return true;
  }
}

/** GRE (RFC 2784 with RFC 2890 key/sequence): marks IPv4/IPv6 or transparent Ethernet bridging payloads. */
function decodeGre(b: Uint8Array, o: number, end: number, p: DecodedPacket): boolean {
  if (end - o < 4) {
    p.anomaly = Anomaly.TruncatedTunnelHeader;
    return false;
  }
  const flags = b[o]!;
  const version = b[o + 1]! & 7;
  const ptype = (b[o + 2]! << 8) | b[o + 3]!;
  if (version !== 0) return true; // PPTP enhanced GRE (version 1): not followed
  let hl = 4;
  if (flags & 0x80) hl += 4; // checksum + reserved
  if (flags & 0x20) hl += 4; // key
  if (flags & 0x10) hl += 4; // sequence number
  if (end - o < hl) {
    p.anomaly = Anomaly.TruncatedTunnelHeader;
    return false;
  }
  if (ptype === 0x0800 || ptype === 0x86dd) {
    p.inner = Inner.Ip;
  } else if (ptype === 0x6558) {
    p.inner = Inner.Ethernet;
  } else if (ptype === 0x88be && (flags & 0x10) !== 0) {
    hl += 8; // ERSPAN type II header
    if (end - o < hl) {
      p.anomaly = Anomaly.TruncatedTunnelHeader;
      return false;
    }
    p.inner = Inner.Ethernet;
  } else {
    return true;
  }
  p.innerOff = o + hl;
  p.innerEnd = end;
  return true;
}

/** TCP options kept from SYN / SYN-ACK segments for passive OS fingerprinting. */
export interface TcpSynOptions {
  /** Option kinds in wire order as p0f writes them: mss, nop, ws, sok, sack, ts, eol+N, ?K. */
  layout: string;
  mss: number | null;
  wscale: number | null;
  sack_ok: boolean;
  timestamps: boolean;
  ts_val: number | null;
  malformed: boolean;
  /**
   * Option quirks in p0f v3 notation (its README §5), comma-separated in this order: ts1- (own timestamp zero),
   * ts2+ (echoed timestamp non-zero; a quirk only on a SYN without ACK, which the caller decides), opt+ (non-zero
   * bytes after EOL), exws (window scale above 14, RFC 7323 §2.3), bad (malformed options).
   */
  quirks: string;
}

/** Window scale shifts above this are invalid (RFC 7323 §2.3). */
export const MAX_WSCALE = 14;
/** The fixed length of the options kept, by kind (RFC 9293 §3.1, RFC 7323 §2.2/§3.2, RFC 2018 §2). */
const FIXED_OPTION_LENGTH: Record<number, number> = { 2: 4, 3: 3, 4: 2, 8: 10 };

/** Parses TCP options (RFC 9293 §3.1, RFC 7323, RFC 2018); never reads past `off + len`. */
export function parseTcpOptions(b: Uint8Array, off: number, len: number): TcpSynOptions {
  const out: TcpSynOptions = { layout: '', mss: null, wscale: null, sack_ok: false, timestamps: false, ts_val: null, malformed: false, quirks: '' };
  let tsEcr = 0;
  let eolData = false;
  let layout = '';
  const names = { push(n: string): void { layout = layout === '' ? n : `${layout},${n}`; } };
  const end = off + len;
  let o = off;
  while (o < end) {
    const kind = b[o]!;
    if (kind === 0) {
      names.push(`eol+${end - o - 1}`);
      for (let k = o + 1; k < end; k++) if (b[k] !== 0) eolData = true;
      break;
    }
    if (kind === 1) {
      names.push('nop');
      o++;
      continue;
    }
    if (o + 1 >= end) {
      out.malformed = true;
      break;
    }
    const olen = b[o + 1]!;
    if (olen < 2 || o + olen > end) {
      out.malformed = true;
      names.push(`?${kind}`);
      break;
    }
    const fixed = FIXED_OPTION_LENGTH[kind];
    if (fixed !== undefined && olen !== fixed) out.malformed = true;
    switch (kind) {
      case 2:
        names.push('mss');
        if (olen === 4) out.mss = (b[o + 2]! << 8) | b[o + 3]!;
        break;
      case 3:
        names.push('ws');
        if (olen === 3) out.wscale = b[o + 2]!;
        break;
      case 4:
        names.push('sok');
        out.sack_ok = true;
        break;
      case 5:
        names.push('sack');
        break;
      case 8:
        names.push('ts');
        out.timestamps = true;
        if (olen === 10) {
          out.ts_val = ((b[o + 2]! << 24) | (b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!) >>> 0;
          tsEcr = ((b[o + 6]! << 24) | (b[o + 7]! << 16) | (b[o + 8]! << 8) | b[o + 9]!) >>> 0;
        }
        break;
      default:
        names.push(`?${kind}`);
    }
    o += olen;
  }
  out.layout = layout;
  let q = '';
  const quirk = (name: string): void => { q = q === '' ? name : `${q},${name}`; };
  if (out.ts_val === 0) quirk('ts1-');
  if (tsEcr !== 0) quirk('ts2+');
  if (eolData) quirk('opt+');
  if (out.wscale !== null && out.wscale > MAX_WSCALE) quirk('exws');
  if (out.malformed) quirk('bad');
  out.quirks = q;
  return out;
}
