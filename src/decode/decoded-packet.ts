/**
 * The decoded view of one frame, filled in place by the decoders (no allocation per packet: one instance is
 * reused for every packet of an ingest). Offsets point into the frame buffer the decoders were given.
 */

const EMPTY = new Uint8Array(0);

/** What the payload of a tunnel carries, when the decoder found one. */
export const enum Inner {
  None = 0,
  Ethernet = 1,
  Ip = 2,
}

/** Fields of one decoded frame; -1 / 0 / false mean "absent". */
export class DecodedPacket {
  /** The frame bytes the offsets below point into. */
  pktBuf: Uint8Array = EMPTY;
  /**
   * Capture time (µs) of the frame, set by whoever hands the packet on (the ingest loop; FlowTable.update): a field
   * instead of an argument, so that the per-packet calls pass no double (a double argument is boxed on the heap).
   * Not touched by the decoders or `reset`.
   */
  tsUs = 0;
  // Link layer
  hasSrcMac = false;
  hasDstMac = false;
  /** 48-bit MAC as a number (exact in a double). */
  srcMac = 0;
  dstMac = 0;
  /** Outer 802.1Q/802.1ad VLAN id, -1 if untagged. */
  vlan = -1;
  /** Inner (customer) VLAN id of a QinQ frame, -1 if none. */
  innerVlan = -1;
  vlanTags = 0;
  /** Ethertype of the network layer (after VLAN tags), or 0 for 802.3/LLC frames. */
  ethertype = 0;
  /** Where the network layer starts; for an LLC/SNAP frame, where the SNAP payload starts (after the 8-byte header). */
  l3Off = 0;
  /**
   * End of the link-layer payload within the captured bytes: for an IEEE 802.3 length frame the end its length field
   * gives (padding excluded), else the end of the capture. Set for every frame whose link header was decoded.
   */
  linkEnd = 0;
  /** The SNAP organisation code (IEEE 802 LLC DSAP = SSAP = 0xAA, UI) of an LLC/SNAP frame, -1 when there is none. */
  snapOui = -1;
  /** The SNAP protocol id (meaningful when snapOui ≥ 0). */
  snapPid = 0;

  // ARP (IPv4 over Ethernet only)
  arpOp = 0;
  arpSha = 0;
  arpSpa = 0;
  arpTha = 0;
  arpTpa = 0;

  // IP
  /** 4, 6 or 0 when the frame carries no IP. */
  ipVersion = 0;
  src4 = 0;
  dst4 = 0;
  /** IPv6 addresses as four big-endian 32-bit words; IPv4 addresses are mirrored as ::ffff:a.b.c.d. */
  readonly src6 = new Uint32Array(4);
  readonly dst6 = new Uint32Array(4);
  /** Offset of the (innermost decoded) IP header in pktBuf. */
  ipOff = 0;
  ttl = 0;
  ipId = 0;
  /** True for any IP fragment (first or later). */
  isFragment = false;
  /** Fragment offset in bytes (0 for the first fragment). */
  fragOffset = 0;
  moreFragments = false;
  /** IPv4 options present (header longer than 20 bytes) or IPv6 extension headers present. */
  ipOptions = false;
  /** Transport protocol number (TCP 6, UDP 17, ICMP 1, ICMPv6 58, …), -1 if unknown. */
  l4Proto = -1;
  l4Off = 0;
  /** End of the IP payload within the captured bytes (clipped to the capture). */
  ipEnd = 0;

  // Transport
  /** True when the transport header was decoded (ports and flags valid). */
  hasL4 = false;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  tcpSeq = 0;
  tcpAck = 0;
  tcpWindow = 0;
  tcpOptOff = 0;
  tcpOptLen = 0;
  icmpType = -1;
  icmpCode = -1;
  payloadOff = 0;
  payloadLen = 0;

  // Encapsulation
  inner = Inner.None;
  innerOff = 0;
  innerEnd = 0;

  /** First anomaly met (an Anomaly code), 0 if none. */
  anomaly = 0;

  reset(): void {
    this.hasSrcMac = false;
    this.hasDstMac = false;
    this.vlan = -1;
    this.innerVlan = -1;
    this.vlanTags = 0;
    this.ethertype = 0;
    this.snapOui = -1;
    this.arpOp = 0;
    this.ipVersion = 0;
    this.isFragment = false;
    this.fragOffset = 0;
    this.moreFragments = false;
    this.ipOptions = false;
    this.l4Proto = -1;
    this.hasL4 = false;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.payloadLen = 0;
    this.inner = Inner.None;
    this.anomaly = 0;
  }
}

/** TCP flag bits. */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
