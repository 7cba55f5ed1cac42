/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) decoding, and tunnel detection for IP-in-IP (RFC 2003), IPv6-in-IPv4
 * (RFC 4213) and GRE (RFC 2784/2890). Fragments are flagged; only first fragments carry a transport header.
 */
import { Anomaly } from './anomalies.js';
import { type DecodedPacket } from './decoded-packet.js';
import { decodeTransport } from './transport.js';

/** Most IPv6 extension headers followed before giving up. */
export const MAX_IPV6_EXT_HEADERS = 8;

export const PROTO_ICMP = 1;
export const PROTO_IPIP = 4;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_IPV6 = 41;
export const PROTO_GRE = 47;
export const PROTO_ESP = 50;
export const PROTO_ICMPV6 = 58;

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Decodes IPv4 or IPv6 by the version nibble. */
export function decodeIp(b: Uint8Array, o: number, end: number, p: DecodedPacket): boolean {
  if (o >= end) {
    p.anomaly = Anomaly.TruncatedIpv4Header;
    return false;
  }
  return b[o]! >> 4 === 6 ? decodeIpv6(b, o, end, p) : decodeIpv4(b, o, end, p);
}

/** IPv4 header, then the transport layer. */
export function decodeIpv4(b: Uint8Array, o: number, end: number, p: DecodedPacket): boolean {
  if (end - o < 20) {
    p.anomaly = Anomaly.TruncatedIpv4Header;
    return false;
  }
  const vihl = b[o]!;
  if (vihl >> 4 !== 4) {
    p.anomaly = Anomaly.Ipv4BadVersion;
    return false;
  }
  const hl = (vihl & 0x0f) << 2;
  if (hl < 20) {
    p.anomaly = Anomaly.Ipv4BadHeaderLength;
    return false;
  }
  if (end - o < hl) {
    p.anomaly = Anomaly.TruncatedIpv4Header;
    return false;
  }
  const total = (b[o + 2]! << 8) | b[o + 3]!;
  p.ipVersion = 4;
  p.ipOff = o;
  p.src4 = u32(b, o + 12);
  p.dst4 = u32(b, o + 16);
  const s = p.src6;
  const d = p.dst6;
  s[0] = 0; s[1] = 0; s[2] = 0xffff; s[3] = p.src4;
  d[0] = 0; d[1] = 0; d[2] = 0xffff; d[3] = p.dst4;
  p.ttl = b[o + 8]!;
  p.ipId = (b[o + 4]! << 8) | b[o + 5]!;
  p.ipOptions = hl > 20;
  const ff = (b[o + 6]! << 8) | b[o + 7]!;
  p.moreFragments = (ff & 0x2000) !== 0;
  p.fragOffset = (ff & 0x1fff) << 3;
  p.isFragment = p.moreFragments || p.fragOffset !== 0;
  const proto = b[o + 9]!;
  p.l4Proto = proto;
  p.l4Off = o + hl;
  if (total < hl) {
    // TSO/offloaded captures write 0 here; use the frame instead of dropping the packet.
    if (total !== 0) p.anomaly = Anomaly.Ipv4BadTotalLength;
    p.ipEnd = end;
  } else if (o + total > end) {
    p.ipEnd = end; // snaplen cut it, or the header lies; the wire length tells which (see ingest)
  } else {
    p.ipEnd = o + total; // drop Ethernet padding
  }
  if (p.fragOffset !== 0) return true; // later fragment: no transport header
  return decodeTransport(b, p.l4Off, p.ipEnd, proto, p);
}

/** IPv6 header and extension headers, then the transport layer. */
export function decodeIpv6(b: Uint8Array, o: number, end: number, p: DecodedPacket): boolean {
  if (end - o < 40) {
    p.anomaly = Anomaly.TruncatedIpv6Header;
    return false;
  }
  if (b[o]! >> 4 !== 6) {
    p.anomaly = Anomaly.Ipv6BadVersion;
    return false;
  }
  p.ipVersion = 6;
  p.ipOff = o;
  const s = p.src6;
  const d = p.dst6;
  s[0] = u32(b, o + 8); s[1] = u32(b, o + 12); s[2] = u32(b, o + 16); s[3] = u32(b, o + 20);
  d[0] = u32(b, o + 24); d[1] = u32(b, o + 28); d[2] = u32(b, o + 32); d[3] = u32(b, o + 36);
  p.src4 = 0;
  p.dst4 = 0;
  p.ttl = b[o + 7]!;
  const plen = (b[o + 4]! << 8) | b[o + 5]!;
  let ipEnd = o + 40 + plen;
  if (plen === 0) ipEnd = end; // jumbogram or offload: take the frame
  if (ipEnd > end) ipEnd = end;
  p.ipEnd = ipEnd;
  let next = b[o + 6]!;
  let q = o + 40;
  for (let n = 0; ; n++) {
    if (next !== 0 && next !== 43 && next !== 44 && next !== 60 && next !== 51 && next !== 135) break;
    if (n === MAX_IPV6_EXT_HEADERS) {
      p.anomaly = Anomaly.Ipv6TooManyExtensionHeaders;
      p.l4Proto = next;
      return false;
    }
    if (ipEnd - q < 8) {
      p.anomaly = Anomaly.Ipv6TruncatedExtensionHeader;
      p.l4Proto = next;
      return false;
    }
    p.ipOptions = true;
    const hnext = b[q]!;
    let hlen: number;
    if (next === 44) {
      // Fragment header (RFC 8200 §4.5): fixed 8 bytes.
      const fo = (b[q + 2]! << 8) | b[q + 3]!;
      p.fragOffset = fo & 0xfff8;
      p.moreFragments = (fo & 1) !== 0;
      p.isFragment = true;
      p.ipId = u32(b, q + 4);
      hlen = 8;
    } else if (next === 51) {
      hlen = (b[q + 1]! + 2) << 2; // AH: length in 4-byte units minus 2
    } else {
      hlen = (b[q + 1]! + 1) << 3;
    }
    if (ipEnd - q < hlen) {
      p.anomaly = Anomaly.Ipv6TruncatedExtensionHeader;
      p.l4Proto = hnext;
      return false;
    }
    q += hlen;
    next = hnext;
  }
  p.l4Proto = next;
  p.l4Off = q;
  if (p.fragOffset !== 0) return true;
  return decodeTransport(b, q, ipEnd, next, p);
}

