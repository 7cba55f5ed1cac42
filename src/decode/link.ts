/**
 * Link-layer decoding and dispatch by link type / ethertype.
 *
 * Link types (https://www.tcpdump.org/linktypes.html): 1 Ethernet, 113 Linux SLL, 276 Linux SLL2, 101/12/14 raw
 * IP, 228 IPv4, 229 IPv6, 0 BSD null/loopback (host byte order family), 108 OpenBSD loopback (network order).
 * Ethernet: IEEE 802.3 (Ethernet II and 802.3 length frames), 802.1Q / 802.1ad / 0x9100 tags (QinQ), PPPoE session
 * (RFC 2516) carrying IP, MPLS (RFC 3032) label stacks carrying IP. An 802.3 length frame's payload is bounded by its
 * length field; an IEEE 802.2 LLC header with SNAP (IEEE Std 802-2014 §10.3: DSAP = SSAP = 0xAA, UI control 0x03,
 * then a 3-byte OUI and a 2-byte protocol id) is read into `snapOui` / `snapPid` for the link-layer analyzers (CDP).
 */
import { Anomaly } from './anomalies.js';
import { decodeArp } from './arp.js';
import { type DecodedPacket } from './decoded-packet.js';
import { decodeIp, decodeIpv4, decodeIpv6 } from './ip.js';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MC = 0x8848;
export const ETHERTYPE_LLDP = 0x88cc;
/** Linux SLL protocol value of an IEEE 802.2 LLC frame (linux/if_ether.h ETH_P_802_2). */
export const SLL_PROTOCOL_802_2 = 0x0004;
/** The LLC SAP of SNAP (IEEE Std 802-2014 §10.3), with its I/G (DSAP) or C/R (SSAP) bit clear. */
export const LLC_SAP_SNAP = 0xaa;
/** LLC control field of an Unnumbered Information frame. */
export const LLC_CONTROL_UI = 0x03;
/** Bytes of an LLC header with SNAP: DSAP, SSAP, control, OUI (3), protocol id (2). */
export const LLC_SNAP_HEADER_BYTES = 8;

/** Most VLAN tags followed on one frame. */
export const MAX_VLAN_TAGS = 4;
/** Most MPLS labels followed on one frame. */
export const MAX_MPLS_LABELS = 8;

/** Reads a 48-bit MAC at `o` as a number. */
export function readMac(b: Uint8Array, o: number): number {
  return b[o]! * 1099511627776 + b[o + 1]! * 4294967296 + ((b[o + 2]! << 24) >>> 0) + (b[o + 3]! << 16) + (b[o + 4]! << 8) + b[o + 5]!;
}

/**
 * Decodes a frame of the given link type into `p` (reset first). Returns false when the link type is unknown or
 * the link header is truncated (the anomaly is set on `p`).
 */
export function decodeFrame(b: Uint8Array, off: number, len: number, linktype: number, p: DecodedPacket): boolean {
  p.reset();
  p.pktBuf = b;
  const end = off + len;
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      return decodeEthernet(b, off, end, p);
    case LINKTYPE_RAW:
    case 12:
    case 14:
      return decodeIp(b, off, end, p);
    case LINKTYPE_IPV4:
      return decodeIpv4(b, off, end, p);
    case LINKTYPE_IPV6:
      return decodeIpv6(b, off, end, p);
    case LINKTYPE_LINUX_SLL:
      return decodeSll(b, off, end, p);
    case LINKTYPE_LINUX_SLL2:
      return decodeSll2(b, off, end, p);
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP:
      return decodeNull(b, off, end, linktype, p);
    default:
      p.anomaly = Anomaly.UnknownLinktype;
      return false;
  }
}

/** Ethernet II / 802.3 with VLAN tags. */
export function decodeEthernet(b: Uint8Array, off: number, end: number, p: DecodedPacket): boolean {
  if (end - off < 14) {
    p.anomaly = Anomaly.TruncatedEthernet;
    return false;
  }
  // Inlined readMac: a double returned from a call would be boxed on the heap for every packet.
  p.dstMac = b[off]! * 1099511627776 + b[off + 1]! * 4294967296 + ((b[off + 2]! << 24) >>> 0) + (b[off + 3]! << 16) + (b[off + 4]! << 8) + b[off + 5]!;
  p.srcMac = b[off + 6]! * 1099511627776 + b[off + 7]! * 4294967296 + ((b[off + 8]! << 24) >>> 0) + (b[off + 9]! << 16) + (b[off + 10]! << 8) + b[off + 11]!;
  p.hasDstMac = true;
  p.hasSrcMac = true;
  let o = off + 12;
  let type = (b[o]! << 8) | b[o + 1]!;
  o += 2;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (end - o < 4) {
      p.anomaly = Anomaly.TruncatedVlan;
      return false;
    }
    if (p.vlanTags === MAX_VLAN_TAGS) {
      p.anomaly = Anomaly.TooManyVlanTags;
      return false;
    }
    const vid = ((b[o]! & 0x0f) << 8) | b[o + 1]!;
    if (p.vlanTags === 0) p.vlan = vid;
    else p.innerVlan = vid;
    p.vlanTags++;
    type = (b[o + 2]! << 8) | b[o + 3]!;
    o += 4;
  }
  if (type <= 1500) {
    // IEEE 802.3 length field: an LLC payload (STP, CDP, …) of that many bytes; what follows is padding (or an FCS).
    p.ethertype = 0;
    decodeLlc(b, o, Math.min(end, o + type), p);
    return true;
  }
  return decodeEthertype(b, o, end, type, p);
}

/**
 * An IEEE 802.2 LLC payload b[o, end): notes its bounds, and the SNAP OUI and protocol id when the LLC header is a
 * SNAP one (IEEE Std 802-2014 §10.3). Other LLC payloads (STP's SAP 0x42, NetBIOS's 0xF0, …) are left undecoded.
 */
function decodeLlc(b: Uint8Array, o: number, end: number, p: DecodedPacket): void {
  p.l3Off = o;
  p.linkEnd = end;
  if (end - o < LLC_SNAP_HEADER_BYTES || (b[o]! & 0xfe) !== LLC_SAP_SNAP || (b[o + 1]! & 0xfe) !== LLC_SAP_SNAP || b[o + 2] !== LLC_CONTROL_UI) return;
  p.snapOui = (b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!;
  p.snapPid = (b[o + 6]! << 8) | b[o + 7]!;
  p.l3Off = o + LLC_SNAP_HEADER_BYTES;
}

/** Dispatches the network layer by ethertype. */
export function decodeEthertype(b: Uint8Array, o: number, end: number, type: number, p: DecodedPacket): boolean {
  p.ethertype = type;
  p.l3Off = o;
  p.linkEnd = end;
  switch (type) {
    case ETHERTYPE_IPV4:
      return decodeIpv4(b, o, end, p);
    case ETHERTYPE_IPV6:
      return decodeIpv6(b, o, end, p);
    case ETHERTYPE_ARP:
      return decodeArp(b, o, end, p);
    case ETHERTYPE_PPPOE_SESSION: {
      // RFC 2516 §5: ver/type, code, session id, length; then the PPP protocol field.
      if (end - o < 8) {
        p.anomaly = Anomaly.TruncatedPppoeHeader;
        return false;
      }
      const proto = (b[o + 6]! << 8) | b[o + 7]!;
      if (proto === 0x0021) return decodeIpv4(b, o + 8, end, p);
      if (proto === 0x0057) return decodeIpv6(b, o + 8, end, p);
      return true;
    }
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MC: {
      // RFC 3032: 4-byte label entries until the bottom-of-stack bit; the payload is guessed by IP version.
      let n = 0;
      for (;;) {
        if (end - o < 4) {
          p.anomaly = Anomaly.TruncatedMplsHeader;
          return false;
        }
        const bos = b[o + 2]! & 1;
        o += 4;
        if (bos) break;
        if (++n === MAX_MPLS_LABELS) {
          p.anomaly = Anomaly.TruncatedMplsHeader;
          return false;
        }
      }
      if (o < end) {
        const v = b[o]! >> 4;
        if (v === 4 || v === 6) return decodeIp(b, o, end, p);
      }
      return true;
    }
    default:
      return true; // LLDP, EAPOL, … : link-layer only
  }
}

/** Linux "cooked" capture v1: 16-byte header with the sender's link address. */
function decodeSll(b: Uint8Array, off: number, end: number, p: DecodedPacket): boolean {
  if (end - off < 16) {
    p.anomaly = Anomaly.TruncatedLinkHeader;
    return false;
  }
  const hatype = (b[off + 2]! << 8) | b[off + 3]!;
  const alen = (b[off + 4]! << 8) | b[off + 5]!;
  if (alen === 6 && (hatype === 1 || hatype === 772)) {
    p.srcMac = readMac(b, off + 6);
    p.hasSrcMac = hatype === 1; // 772 = loopback: no real link address
  }
  const proto = (b[off + 14]! << 8) | b[off + 15]!;
  return decodeSllProtocol(b, off + 16, end, proto, p);
}

/** Linux "cooked" capture v2: 20-byte header. */
function decodeSll2(b: Uint8Array, off: number, end: number, p: DecodedPacket): boolean {
  if (end - off < 20) {
    p.anomaly = Anomaly.TruncatedLinkHeader;
    return false;
  }
  const proto = (b[off]! << 8) | b[off + 1]!;
  const hatype = (b[off + 8]! << 8) | b[off + 9]!;
  const alen = b[off + 11]!;
  if (alen === 6 && hatype === 1) {
    p.srcMac = readMac(b, off + 12);
    p.hasSrcMac = true;
  }
  return decodeSllProtocol(b, off + 20, end, proto, p);
}

function decodeSllProtocol(b: Uint8Array, o: number, end: number, proto: number, p: DecodedPacket): boolean {
  if (proto <= 1500) {
    if (proto === SLL_PROTOCOL_802_2) decodeLlc(b, o, end, p);
    else {
      p.l3Off = o;
      p.linkEnd = end;
    }
    return true; // 802.2 LLC, Novell raw 802.3, CAN, …
  }
  if (proto === ETHERTYPE_VLAN) {
    // A VLAN tag left in the payload (when not stripped by the kernel).
    if (end - o < 4) {
      p.anomaly = Anomaly.TruncatedVlan;
      return false;
    }
    p.vlan = ((b[o]! & 0x0f) << 8) | b[o + 1]!;
    p.vlanTags = 1;
    return decodeEthertype(b, o + 4, end, (b[o + 2]! << 8) | b[o + 3]!, p);
  }
  return decodeEthertype(b, o, end, proto, p);
}

/** BSD null/loopback: a 4-byte address family (host byte order for NULL, network order for LOOP). */
function decodeNull(b: Uint8Array, off: number, end: number, linktype: number, p: DecodedPacket): boolean {
  if (end - off < 4) {
    p.anomaly = Anomaly.TruncatedLinkHeader;
    return false;
  }
  let fam = ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  if (linktype === LINKTYPE_NULL && (fam & 0xffff) === 0) fam = fam >>> 24 | ((fam >>> 8) & 0xff00); // little-endian writer
  const o = off + 4;
  if (fam === 2) return decodeIpv4(b, o, end, p);
  if (fam === 24 || fam === 28 || fam === 30 || fam === 10) return decodeIpv6(b, o, end, p);
  return decodeIp(b, o, end, p);
}
