// Purpose: pure, wire-correct frame builders (Ethernet/802.1Q, ARP, IPv4/IPv6, TCP/UDP/ICMP, LLDP, DHCP, DNS)
// and small helpers that lay out whole TCP sessions and UDP exchanges, for synthetic captures and tests.

/** EtherType values used by the builders. */
export const ETHERTYPE = { IPV4: 0x0800, ARP: 0x0806, VLAN: 0x8100, QINQ: 0x88a8, IPV6: 0x86dd, LLDP: 0x88cc } as const;
/** IP protocol numbers used by the builders. */
export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;
/** TCP flag bits. */
export const TCP = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;
/** DNS resource record types used by the builders. */
export const DNS_TYPE = { A: 1, NS: 2, CNAME: 5, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 } as const;

/** Minimum Ethernet frame length without FCS; shorter frames are zero-padded unless `pad: false`. */
export const MIN_FRAME = 60;

// ---------------------------------------------------------------- addresses

/** Parse "aa:bb:cc:dd:ee:ff" (or with '-') into 6 bytes. */
export function mac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) throw new Error(`bad MAC: ${text}`);
  return Uint8Array.from(parts, (p) => parseInt(p, 16));
}

/** Format 6 bytes as lower-case "aa:bb:cc:dd:ee:ff". */
export function macToString(b: Uint8Array): string {
  return Array.from(b.subarray(0, 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

/** Parse dotted-quad IPv4 text into 4 bytes. */
export function ip4(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((n) => !(n >= 0 && n <= 255))) throw new Error(`bad IPv4: ${text}`);
  return Uint8Array.from(parts);
}

/** Parse IPv6 text (with optional "::") into 16 bytes. */
export function ip6(text: string): Uint8Array {
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
  if (groups.length !== 8) throw new Error(`bad IPv6: ${text}`);
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

/** The broadcast MAC ff:ff:ff:ff:ff:ff. */
export const BROADCAST_MAC: Uint8Array = new Uint8Array(6).fill(0xff);
/** The all-zero MAC (ARP request target, etc.). */
export const ZERO_MAC: Uint8Array = new Uint8Array(6);
/** LLDP nearest-bridge multicast destination 01:80:c2:00:00:0e. */
export const LLDP_MULTICAST: Uint8Array = mac('01:80:c2:00:00:0e');

/** Ethernet multicast MAC (33:33:xx:xx:xx:xx) for an IPv6 multicast group. */
export function ipv6MulticastMac(group: Uint8Array): Uint8Array {
  return Uint8Array.of(0x33, 0x33, group[12]!, group[13]!, group[14]!, group[15]!);
}

/** Solicited-node multicast address ff02::1:ffXX:XXXX for an IPv6 unicast address. */
export function solicitedNode(addr: Uint8Array): Uint8Array {
  const out = ip6('ff02::1:ff00:0');
  out.set(addr.subarray(13, 16), 13);
  return out;
}

// ---------------------------------------------------------------- byte helpers

function w16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

function w32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** Concatenates byte arrays (or plain byte lists). */
export function concat(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const enc = new TextEncoder();
/** UTF-8 encode a string. */
export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

// ---------------------------------------------------------------- checksums

/** Add big-endian 16-bit words of buf[off, off+len) to a running one's-complement sum (unfolded). */
export function sum16(buf: Uint8Array, off: number, len: number, acc = 0): number {
  const end = off + len;
  let i = off;
  for (; i + 1 < end; i += 2) acc += (buf[i]! << 8) | buf[i + 1]!;
  if (i < end) acc += buf[i]! << 8;
  return acc;
}

/** Fold a running sum to 16 bits and complement it: the Internet checksum (RFC 1071). */
export function foldChecksum(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 0x10000);
  return ~acc & 0xffff;
}

/** Internet checksum of buf[off, off+len). */
export function internetChecksum(buf: Uint8Array, off = 0, len = buf.length - off): number {
  return foldChecksum(sum16(buf, off, len));
}

/** Unfolded sum of the IPv4 or IPv6 pseudo-header (chosen by address length). */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, proto: number, l4len: number): number {
  let acc = sum16(src, 0, src.length) + sum16(dst, 0, dst.length) + proto;
  acc += src.length === 16 ? Math.floor(l4len / 0x10000) + (l4len & 0xffff) : l4len;
  return acc;
}

// ---------------------------------------------------------------- Ethernet / 802.1Q

/** One 802.1Q tag. `tpid` defaults to 0x88a8 for outer tags of a QinQ stack and 0x8100 otherwise. */
export interface VlanTag {
  id: number;
  pcp?: number;
  dei?: boolean;
  tpid?: number;
}

/** Link-layer addressing of a frame. `vlans` are listed outermost first; a number is a plain VLAN id. */
export interface L2Spec {
  src: Uint8Array;
  dst: Uint8Array;
  vlans?: readonly (number | VlanTag)[];
  /** Zero-pad to 60 bytes like a real NIC (default true). */
  pad?: boolean;
}

function l2Len(l2: L2Spec): number {
  return 14 + 4 * (l2.vlans?.length ?? 0);
}

function allocFrame(l2: L2Spec, len: number): Uint8Array {
  return new Uint8Array(l2.pad === false ? len : Math.max(len, MIN_FRAME));
}

function writeL2(b: Uint8Array, l2: L2Spec, ethertype: number): number {
  b.set(l2.dst.subarray(0, 6), 0);
  b.set(l2.src.subarray(0, 6), 6);
  let o = 12;
  const tags = l2.vlans ?? [];
  tags.forEach((t, i) => {
    const tag: VlanTag = typeof t === 'number' ? { id: t } : t;
    const tpid = tag.tpid ?? (i < tags.length - 1 ? ETHERTYPE.QINQ : ETHERTYPE.VLAN);
    w16(b, o, tpid);
    w16(b, o + 2, ((tag.pcp ?? 0) << 13) | (tag.dei ? 0x1000 : 0) | (tag.id & 0xfff));
    o += 4;
  });
  w16(b, o, ethertype);
  return o + 2;
}

/** Ethernet II frame (with optional VLAN tags) carrying `payload`. */
export function ethernetFrame(l2: L2Spec, ethertype: number, payload: Uint8Array): Uint8Array {
  const b = allocFrame(l2, l2Len(l2) + payload.length);
  b.set(payload, writeL2(b, l2, ethertype));
  return b;
}

// ---------------------------------------------------------------- IPv4 / IPv6

/** Network-layer fields. The IP version follows the address length (4 or 16 bytes). */
export interface IpSpec {
  src: Uint8Array;
  dst: Uint8Array;
  /** TTL / hop limit (default 64). */
  ttl?: number;
  /** IPv4 identification (default 0). */
  id?: number;
  /** IPv4 don't-fragment bit (default true). */
  df?: boolean;
  /** IPv4 TOS / IPv6 traffic class (default 0). */
  tos?: number;
  /** IPv6 flow label (default 0). */
  flowLabel?: number;
  /** IPv4 fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  /** IPv4 more-fragments bit. */
  moreFragments?: boolean;
}

function ipHdrLen(ip: IpSpec): number {
  return ip.src.length === 16 ? 40 : 20;
}

function writeIp(b: Uint8Array, o: number, ip: IpSpec, proto: number, payloadLen: number): number {
  const tos = ip.tos ?? 0;
  if (ip.src.length === 16) {
    const fl = ip.flowLabel ?? 0;
    b[o] = 0x60 | (tos >> 4);
    b[o + 1] = ((tos & 0xf) << 4) | ((fl >> 16) & 0xf);
    w16(b, o + 2, fl & 0xffff);
    w16(b, o + 4, payloadLen);
    b[o + 6] = proto;
    b[o + 7] = ip.ttl ?? 64;
    b.set(ip.src, o + 8);
    b.set(ip.dst, o + 24);
    return o + 40;
  }
  b[o] = 0x45;
  b[o + 1] = tos;
  w16(b, o + 2, 20 + payloadLen);
  w16(b, o + 4, (ip.id ?? 0) & 0xffff);
  const frag = ((ip.fragOffset ?? 0) >> 3) & 0x1fff;
  w16(b, o + 6, ((ip.df ?? true) ? 0x4000 : 0) | (ip.moreFragments ? 0x2000 : 0) | frag);
  b[o + 8] = ip.ttl ?? 64;
  b[o + 9] = proto;
  w16(b, o + 10, 0);
  b.set(ip.src, o + 12);
  b.set(ip.dst, o + 16);
  w16(b, o + 10, internetChecksum(b, o, 20));
  return o + 20;
}

/** IPv4 or IPv6 packet (header + `l4`), without link layer. */
export function ipPacket(ip: IpSpec, proto: number, l4: Uint8Array): Uint8Array {
  const b = new Uint8Array(ipHdrLen(ip) + l4.length);
  b.set(l4, writeIp(b, 0, ip, proto, l4.length));
  return b;
}

/** Complete Ethernet frame carrying an IP packet with transport bytes `l4` (one allocation). */
export function ipFrame(l2: L2Spec, ip: IpSpec, proto: number, l4: Uint8Array): Uint8Array {
  const b = allocFrame(l2, l2Len(l2) + ipHdrLen(ip) + l4.length);
  let o = writeL2(b, l2, ip.src.length === 16 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4);
  o = writeIp(b, o, ip, proto, l4.length);
  b.set(l4, o);
  return b;
}

/**
 * The IP packet an untagged Ethernet frame carries, without its link header and NIC padding (bounded by the IPv4 total
 * length or IPv6 payload length): the frame as a raw-IP capture (LINKTYPE_RAW) records it.
 */
export function rawIpPacket(frame: Uint8Array): Uint8Array {
  const ip = frame.subarray(14);
  const len = ip[0]! >> 4 === 6 ? 40 + ((ip[4]! << 8) | ip[5]!) : (ip[2]! << 8) | ip[3]!;
  return ip.subarray(0, Math.min(len, ip.length));
}

/**
 * Split a transport payload `l4` (already carrying its checksum) into IPv4 fragments that fit `mtu`.
 * Returns one frame per fragment; all share `ip.id`, DF is cleared.
 */
export function ipv4FragmentFrames(l2: L2Spec, ip: IpSpec, proto: number, l4: Uint8Array, mtu = 1500): Uint8Array[] {
  if (ip.src.length !== 4) throw new Error('fragments are built for IPv4 only');
  const step = (mtu - 20) & ~7;
  const frames: Uint8Array[] = [];
  for (let off = 0; off < l4.length; off += step) {
    const chunk = l4.subarray(off, Math.min(off + step, l4.length));
    const more = off + step < l4.length;
    frames.push(ipFrame(l2, { ...ip, df: false, fragOffset: off, moreFragments: more }, proto, chunk));
  }
  return frames;
}

// ---------------------------------------------------------------- TCP

/** One TCP option. */
export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'ws'; shift: number }
  | { kind: 'sackOk' }
  | { kind: 'ts'; val: number; ecr: number }
  | { kind: 'nop' }
  | { kind: 'eol' };

/** OS-like TCP SYN option layouts. */
export type TcpOsProfile = 'linux' | 'windows' | 'macos' | 'minimal';

/** Encode options, padded with EOL to a multiple of 4 bytes. */
export function encodeTcpOptions(opts: readonly TcpOption[]): Uint8Array {
  const out: number[] = [];
  for (const o of opts) {
    switch (o.kind) {
      case 'mss':
        out.push(2, 4, o.value >> 8, o.value & 0xff);
        break;
      case 'ws':
        out.push(3, 3, o.shift);
        break;
      case 'sackOk':
        out.push(4, 2);
        break;
      case 'ts':
        out.push(8, 10, ...u32be(o.val), ...u32be(o.ecr));
        break;
      case 'nop':
        out.push(1);
        break;
      case 'eol':
        out.push(0);
        break;
    }
  }
  while (out.length % 4) out.push(0);
  return Uint8Array.from(out);
}

function u32be(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/**
 * SYN / SYN-ACK options in the order a given OS emits them, e.g. Linux: MSS,SACK,TS,NOP,WS;
 * Windows: MSS,NOP,WS,NOP,NOP,SACK. `ts` omitted means no timestamps; `ws` omitted means no scaling.
 */
export function tcpSynOptions(
  os: TcpOsProfile,
  p: { mss?: number; ws?: number; ts?: { val: number; ecr: number }; sack?: boolean } = {},
): TcpOption[] {
  const mss: TcpOption = { kind: 'mss', value: p.mss ?? 1460 };
  const nop: TcpOption = { kind: 'nop' };
  const sack = p.sack ?? true;
  const ws: TcpOption[] = p.ws === undefined ? [] : [nop, { kind: 'ws', shift: p.ws }];
  const ts: TcpOption[] = p.ts ? [{ kind: 'ts', ...p.ts }] : [];
  switch (os) {
    case 'linux':
      if (ts.length) return [mss, ...(sack ? [{ kind: 'sackOk' } as TcpOption] : [nop, nop]), ...ts, ...ws];
      return [mss, ...(sack ? [nop, nop, { kind: 'sackOk' } as TcpOption] : []), ...ws];
    case 'windows':
      return [mss, ...ws, ...(sack ? (ts.length ? [{ kind: 'sackOk' } as TcpOption] : [nop, nop, { kind: 'sackOk' } as TcpOption]) : []), ...ts];
    case 'macos':
      return [mss, ...ws, ...(ts.length ? [nop, nop, ...ts] : []), ...(sack ? [{ kind: 'sackOk' } as TcpOption] : [])];
    case 'minimal':
      return [mss];
  }
}

/** TCP header fields. */
export interface TcpHeader {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** Bitwise OR of {@link TCP} flags. */
  flags: number;
  window?: number;
  options?: readonly TcpOption[];
  urgent?: number;
}

/** TCP segment (header + payload) with its checksum over the IPv4/IPv6 pseudo-header of `src`→`dst`. */
export function tcpSegment(src: Uint8Array, dst: Uint8Array, h: TcpHeader, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const opt = h.options?.length ? encodeTcpOptions(h.options) : new Uint8Array(0);
  const hl = 20 + opt.length;
  const b = new Uint8Array(hl + payload.length);
  w16(b, 0, h.sport);
  w16(b, 2, h.dport);
  w32(b, 4, h.seq >>> 0);
  w32(b, 8, (h.ack ?? 0) >>> 0);
  b[12] = (hl / 4) << 4;
  b[13] = h.flags & 0xff;
  w16(b, 14, h.window ?? 64240);
  w16(b, 18, h.urgent ?? 0);
  b.set(opt, 20);
  b.set(payload, hl);
  w16(b, 16, foldChecksum(sum16(b, 0, b.length, pseudoHeaderSum(src, dst, IPPROTO.TCP, b.length))));
  return b;
}

/** Complete Ethernet/IP/TCP frame. */
export function tcpFrame(l2: L2Spec, ip: IpSpec, h: TcpHeader, payload?: Uint8Array): Uint8Array {
  return ipFrame(l2, ip, IPPROTO.TCP, tcpSegment(ip.src, ip.dst, h, payload));
}

// ---------------------------------------------------------------- UDP / ICMP

/** UDP datagram (header + payload) with checksum over the pseudo-header of `src`→`dst`. */
export function udpDatagram(src: Uint8Array, dst: Uint8Array, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + payload.length);
  w16(b, 0, sport);
  w16(b, 2, dport);
  w16(b, 4, b.length);
  b.set(payload, 8);
  const cs = foldChecksum(sum16(b, 0, b.length, pseudoHeaderSum(src, dst, IPPROTO.UDP, b.length)));
  w16(b, 6, cs === 0 ? 0xffff : cs);
  return b;
}

/** Complete Ethernet/IP/UDP frame. */
export function udpFrame(l2: L2Spec, ip: IpSpec, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  return ipFrame(l2, ip, IPPROTO.UDP, udpDatagram(ip.src, ip.dst, sport, dport, payload));
}

/** ICMPv6 message with checksum over the IPv6 pseudo-header. `body` follows the 4-byte type/code/checksum. */
export function icmpv6Message(src: Uint8Array, dst: Uint8Array, type: number, code: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + body.length);
  b[0] = type;
  b[1] = code;
  b.set(body, 4);
  w16(b, 2, foldChecksum(sum16(b, 0, b.length, pseudoHeaderSum(src, dst, IPPROTO.ICMPV6, b.length))));
  return b;
}

/** ICMPv4 message (checksum over the message only). `body` follows the 4-byte type/code/checksum. */
export function icmpMessage(type: number, code: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + body.length);
  b[0] = type;
  b[1] = code;
  b.set(body, 4);
  w16(b, 2, internetChecksum(b));
  return b;
}

/** Echo request/reply body: identifier, sequence, data. */
function echoBody(id: number, seq: number, data: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + data.length);
  w16(b, 0, id);
  w16(b, 2, seq);
  b.set(data, 4);
  return b;
}

/** ICMP (IPv4) or ICMPv6 (IPv6) echo request / reply frame. */
export function icmpEchoFrame(
  l2: L2Spec,
  ip: IpSpec,
  e: { reply?: boolean; id: number; seq: number; data?: Uint8Array },
): Uint8Array {
  const body = echoBody(e.id, e.seq, e.data ?? new Uint8Array(0));
  if (ip.src.length === 16) {
    return ipFrame(l2, ip, IPPROTO.ICMPV6, icmpv6Message(ip.src, ip.dst, e.reply ? 129 : 128, 0, body));
  }
  return ipFrame(l2, ip, IPPROTO.ICMP, icmpMessage(e.reply ? 0 : 8, 0, body));
}

/** Complete ICMPv6 frame. Neighbor discovery callers should set `ip.ttl` to 255. */
export function icmpv6Frame(l2: L2Spec, ip: IpSpec, type: number, code: number, body: Uint8Array): Uint8Array {
  return ipFrame(l2, ip, IPPROTO.ICMPV6, icmpv6Message(ip.src, ip.dst, type, code, body));
}

/** Body of a Neighbor Solicitation (type 135) for `target`, with source link-layer address option. */
export function ndpSolicitBody(target: Uint8Array, srcMac: Uint8Array): Uint8Array {
  return concat([new Uint8Array(4), target, Uint8Array.of(1, 1), srcMac]);
}

/** Body of a Neighbor Advertisement (type 136): flags R/S/O, target, target link-layer address option. */
export function ndpAdvertBody(target: Uint8Array, targetMac: Uint8Array, f: { router?: boolean; solicited?: boolean; override?: boolean } = {}): Uint8Array {
  const flags = (f.router ? 0x80 : 0) | (f.solicited ? 0x40 : 0) | ((f.override ?? true) ? 0x20 : 0);
  return concat([Uint8Array.of(flags, 0, 0, 0), target, Uint8Array.of(2, 1), targetMac]);
}

// ---------------------------------------------------------------- ARP

/** ARP request or reply for IPv4 over Ethernet. */
export interface ArpSpec {
  op: 'request' | 'reply';
  senderMac: Uint8Array;
  senderIp: Uint8Array;
  /** Target hardware address; zero for requests by default. */
  targetMac?: Uint8Array;
  targetIp: Uint8Array;
  vlans?: L2Spec['vlans'];
  /** Ethernet destination; broadcast for requests and targetMac for replies by default. */
  dst?: Uint8Array;
}

/** ARP frame (a gratuitous ARP is a request with senderIp equal to targetIp). */
export function arpFrame(a: ArpSpec): Uint8Array {
  const tha = a.targetMac ?? ZERO_MAC;
  const body = new Uint8Array(28);
  w16(body, 0, 1);
  w16(body, 2, ETHERTYPE.IPV4);
  body[4] = 6;
  body[5] = 4;
  w16(body, 6, a.op === 'request' ? 1 : 2);
  body.set(a.senderMac, 8);
  body.set(a.senderIp, 14);
  body.set(tha, 18);
  body.set(a.targetIp, 24);
  const dst = a.dst ?? (a.op === 'request' ? BROADCAST_MAC : tha);
  return ethernetFrame({ src: a.senderMac, dst, vlans: a.vlans }, ETHERTYPE.ARP, body);
}

// ---------------------------------------------------------------- LLDP

/** LLDPDU contents. Chassis id is sent as a MAC address (subtype 4), port id as an interface name (subtype 5). */
export interface LldpSpec {
  /** Ethernet source (the sending port's MAC). */
  src: Uint8Array;
  chassisMac: Uint8Array;
  portId: string;
  /** Time-to-live in seconds. */
  ttl: number;
  portDescription?: string;
  systemName?: string;
  systemDescription?: string;
  /** System capabilities / enabled capabilities bitmaps (e.g. bridge 0x0004, router 0x0010). */
  capabilities?: { system: number; enabled: number };
  /** Management IPv4 address, reported with ifIndex numbering. */
  mgmtIp?: Uint8Array;
  mgmtIfIndex?: number;
}

function tlv(type: number, value: Uint8Array): Uint8Array {
  if (value.length > 511) throw new Error('LLDP TLV too long');
  const b = new Uint8Array(2 + value.length);
  w16(b, 0, (type << 9) | value.length);
  b.set(value, 2);
  return b;
}

/** LLDP frame to 01:80:c2:00:00:0e (EtherType 0x88cc). */
export function lldpFrame(s: LldpSpec): Uint8Array {
  const parts = [
    tlv(1, concat([Uint8Array.of(4), s.chassisMac])),
    tlv(2, concat([Uint8Array.of(5), utf8(s.portId)])),
    tlv(3, Uint8Array.of(s.ttl >> 8, s.ttl & 0xff)),
  ];
  if (s.portDescription !== undefined) parts.push(tlv(4, utf8(s.portDescription)));
  if (s.systemName !== undefined) parts.push(tlv(5, utf8(s.systemName)));
  if (s.systemDescription !== undefined) parts.push(tlv(6, utf8(s.systemDescription)));
  if (s.capabilities) {
    const c = new Uint8Array(4);
    w16(c, 0, s.capabilities.system);
    w16(c, 2, s.capabilities.enabled);
    parts.push(tlv(7, c));
  }
  if (s.mgmtIp) {
    const m = new Uint8Array(12);
    m[0] = 5; // address string length: subtype + 4 bytes
    m[1] = 1; // IPv4
    m.set(s.mgmtIp, 2);
    m[6] = 2; // ifIndex numbering
    w32(m, 7, s.mgmtIfIndex ?? 1);
    m[11] = 0; // no OID
    parts.push(tlv(8, m));
  }
  parts.push(tlv(0, new Uint8Array(0)));
  return ethernetFrame({ src: s.src, dst: LLDP_MULTICAST }, ETHERTYPE.LLDP, concat(parts));
}

// ---------------------------------------------------------------- DHCP

/** DHCP message types (option 53). */
export const DHCP_MSG = { discover: 1, offer: 2, request: 3, decline: 4, ack: 5, nak: 6, release: 7, inform: 8 } as const;

/** DHCP (BOOTP) message fields and the options this builder knows. */
export interface DhcpSpec {
  type: keyof typeof DHCP_MSG;
  xid: number;
  clientMac: Uint8Array;
  secs?: number;
  /** Set the BOOTP broadcast flag. */
  broadcast?: boolean;
  hops?: number;
  ciaddr?: Uint8Array;
  yiaddr?: Uint8Array;
  siaddr?: Uint8Array;
  giaddr?: Uint8Array;
  /** Option 61; default is hardware type 1 followed by the client MAC (client messages only). */
  clientId?: Uint8Array;
  /** Option 12. */
  hostname?: string;
  /** Option 60. */
  vendorClass?: string;
  /** Option 55. */
  paramList?: readonly number[];
  /** Option 50. */
  requestedIp?: Uint8Array;
  /** Option 54. */
  serverId?: Uint8Array;
  /** Option 51, seconds. */
  leaseTime?: number;
  /** Option 1. */
  subnetMask?: Uint8Array;
  /** Option 3. */
  router?: Uint8Array;
  /** Option 6. */
  dns?: readonly Uint8Array[];
  /** Option 15. */
  domainName?: string;
}

/** DHCP message as a UDP payload (BOOTP header, magic cookie, options, END, padded to 300 bytes). */
export function dhcpMessage(d: DhcpSpec): Uint8Array {
  const code = DHCP_MSG[d.type];
  const fromServer = code === 2 || code === 5 || code === 6;
  const h = new Uint8Array(240);
  h[0] = fromServer ? 2 : 1;
  h[1] = 1;
  h[2] = 6;
  h[3] = d.hops ?? 0;
  w32(h, 4, d.xid >>> 0);
  w16(h, 8, d.secs ?? 0);
  w16(h, 10, d.broadcast ? 0x8000 : 0);
  if (d.ciaddr) h.set(d.ciaddr, 12);
  if (d.yiaddr) h.set(d.yiaddr, 16);
  if (d.siaddr) h.set(d.siaddr, 20);
  if (d.giaddr) h.set(d.giaddr, 24);
  h.set(d.clientMac, 28);
  w32(h, 236, 0x63825363);
  const opts: Uint8Array[] = [Uint8Array.of(53, 1, code)];
  const opt = (c: number, v: Uint8Array): void => {
    opts.push(concat([Uint8Array.of(c, v.length), v]));
  };
  if (!fromServer) opt(61, d.clientId ?? concat([Uint8Array.of(1), d.clientMac]));
  if (d.requestedIp) opt(50, d.requestedIp);
  if (d.serverId) opt(54, d.serverId);
  if (d.leaseTime !== undefined) opt(51, Uint8Array.from(u32be(d.leaseTime)));
  if (d.subnetMask) opt(1, d.subnetMask);
  if (d.router) opt(3, d.router);
  if (d.dns?.length) opt(6, concat(d.dns));
  if (d.domainName !== undefined) opt(15, utf8(d.domainName));
  if (d.hostname !== undefined) opt(12, utf8(d.hostname));
  if (d.vendorClass !== undefined) opt(60, utf8(d.vendorClass));
  if (d.paramList?.length) opt(55, Uint8Array.from(d.paramList));
  opts.push(Uint8Array.of(255));
  const msg = concat([h, ...opts]);
  return msg.length >= 300 ? msg : concat([msg, new Uint8Array(300 - msg.length)]);
}

// ---------------------------------------------------------------- DNS

/** A DNS question. */
export interface DnsQuestion {
  name: string;
  type: number;
  /** Class (default 1 = IN). */
  cls?: number;
}

/** A DNS resource record; `data` is raw RDATA bytes, or a domain name for CNAME/PTR/NS. */
export interface DnsRecord {
  name: string;
  type: number;
  ttl: number;
  data: Uint8Array | string;
  cls?: number;
}

/** DNS message fields. */
export interface DnsSpec {
  id: number;
  response?: boolean;
  /** Opcode (default 0 = query). */
  opcode?: number;
  authoritative?: boolean;
  /** Recursion desired (default true). */
  rd?: boolean;
  /** Recursion available (default true for responses). */
  ra?: boolean;
  rcode?: number;
  questions: readonly DnsQuestion[];
  answers?: readonly DnsRecord[];
  authority?: readonly DnsRecord[];
  additional?: readonly DnsRecord[];
}

/** DNS message (UDP payload) with name compression. */
export function dnsMessage(m: DnsSpec): Uint8Array {
  const out: number[] = [];
  const offsets = new Map<string, number>();
  const u16 = (v: number): void => {
    out.push((v >> 8) & 0xff, v & 0xff);
  };
  const name = (n: string): void => {
    const labels = n.replace(/\.$/, '').split('.').filter((l) => l.length > 0);
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = offsets.get(suffix);
      if (at !== undefined) {
        u16(0xc000 | at);
        return;
      }
      if (out.length < 0x4000) offsets.set(suffix, out.length);
      const bytes = utf8(labels[i]!);
      if (bytes.length > 63) throw new Error(`DNS label too long: ${labels[i]}`);
      out.push(bytes.length, ...bytes);
    }
    out.push(0);
  };
  const record = (r: DnsRecord): void => {
    name(r.name);
    u16(r.type);
    u16(r.cls ?? 1);
    out.push(...u32be(r.ttl));
    const lenAt = out.length;
    u16(0);
    if (typeof r.data === 'string') name(r.data);
    else out.push(...r.data);
    const len = out.length - lenAt - 2;
    out[lenAt] = len >> 8;
    out[lenAt + 1] = len & 0xff;
  };
  const resp = m.response ?? false;
  u16(m.id);
  out.push(
    (resp ? 0x80 : 0) | ((m.opcode ?? 0) << 3) | (m.authoritative ? 0x04 : 0) | ((m.rd ?? true) ? 0x01 : 0),
    ((m.ra ?? resp) ? 0x80 : 0) | ((m.rcode ?? 0) & 0xf),
  );
  u16(m.questions.length);
  u16(m.answers?.length ?? 0);
  u16(m.authority?.length ?? 0);
  u16(m.additional?.length ?? 0);
  for (const q of m.questions) {
    name(q.name);
    u16(q.type);
    u16(q.cls ?? 1);
  }
  for (const r of m.answers ?? []) record(r);
  for (const r of m.authority ?? []) record(r);
  for (const r of m.additional ?? []) record(r);
  return Uint8Array.from(out);
}

/** Standard recursive query for one name. */
export function dnsQuery(id: number, name: string, type: number = DNS_TYPE.A): Uint8Array {
  return dnsMessage({ id, questions: [{ name, type }] });
}

/** Response to a one-question query; an empty answer list with rcode 3 is NXDOMAIN. */
export function dnsResponse(id: number, name: string, type: number, answers: readonly DnsRecord[], rcode = 0): Uint8Array {
  return dnsMessage({ id, response: true, rcode, questions: [{ name, type }], answers });
}

// ---------------------------------------------------------------- sessions

/** A frame with its capture timestamp in microseconds. */
export interface TimedFrame {
  ts: number;
  frame: Uint8Array;
}

/**
 * One side of a conversation as seen at the capture point. For a peer behind a router, `mac` is the
 * router's MAC and `ttl` the decremented TTL on arrival.
 */
export interface Endpoint {
  mac: Uint8Array;
  ip: Uint8Array;
  port: number;
  /** TTL / hop limit of this side's packets (default 64). */
  ttl?: number;
}

/** Options of one TCP endpoint. */
export interface TcpEndpoint extends Endpoint {
  /** SYN option layout (default 'linux'). */
  os?: TcpOsProfile;
  /** Initial sequence number (default derived from the port). */
  isn?: number;
  /** Advertised window (default 64240). */
  window?: number;
  /** Window scale shift offered on SYN (default 7; ignored by 'minimal'). */
  wscale?: number;
  /** First IPv4 identification value; incremented per packet (default derived from the port). */
  ipId?: number;
}

/** One request/response round of a TCP session. */
export interface TcpExchange {
  request: Uint8Array;
  response?: Uint8Array;
  /** Microseconds the client waits before sending the request (default 1000). */
  thinkTime?: number;
  /** Microseconds the server takes before answering (default 2000). */
  serverTime?: number;
}

/** A whole TCP conversation. */
export interface TcpSessionSpec {
  client: TcpEndpoint;
  server: TcpEndpoint;
  vlans?: L2Spec['vlans'];
  /** Timestamp of the SYN in microseconds. */
  start: number;
  /** Round-trip time in microseconds (default 500). */
  rtt?: number;
  exchanges: readonly TcpExchange[];
  /** MSS used for segmentation (default 1460). */
  mss?: number;
  /** How the session ends (default 'client' = client FIN first). */
  close?: 'client' | 'server' | 'reset' | 'none';
  /** Server refuses: SYN answered by RST/ACK. */
  refused?: boolean;
  /** Per-segment serialization gap in microseconds for back-to-back segments (default 12). */
  gap?: number;
}

/**
 * Lay out a TCP session: handshake from the client, each exchange segmented to the MSS with correct
 * seq/ack (receiver ACKs every second segment and the last one), then FIN/ACK teardown.
 * Returns frames in timestamp order.
 */
export function tcpSession(s: TcpSessionSpec): TimedFrame[] {
  const out: TimedFrame[] = [];
  const rtt = s.rtt ?? 500;
  const gap = s.gap ?? 12;
  const c = s.client;
  const v = s.server;
  const cOs = c.os ?? 'linux';
  const sOs = v.os ?? 'linux';
  const useTs = tsCapable(cOs) && tsCapable(sOs);
  const side = (e: TcpEndpoint, peer: TcpEndpoint) => ({
    e,
    l2: { src: e.mac, dst: peer.mac, vlans: s.vlans } as L2Spec,
    seq: (e.isn ?? Math.imul(e.port + 1, 2654435761)) >>> 0,
    ipId: e.ipId ?? (e.port * 7) & 0xffff,
    tsBase: (e.port * 1000) >>> 0,
    lastPeerTs: 0,
    win: e.window ?? 64240,
    winScaled: e.window ?? 64240,
  });
  const C = side(c, v);
  const S = side(v, c);
  let t = s.start;
  const emit = (from: typeof C, to: typeof C, flags: number, payload?: Uint8Array, options?: readonly TcpOption[]): void => {
    const tsVal = (from.tsBase + Math.floor((t - s.start) / 1000)) >>> 0;
    let opts = options;
    if (!opts && useTs && !(flags & TCP.RST)) opts = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: tsVal, ecr: from.lastPeerTs }];
    const tsOpt = opts?.find((o) => o.kind === 'ts');
    if (tsOpt?.kind === 'ts') to.lastPeerTs = tsOpt.val;
    const ip: IpSpec = { src: from.e.ip, dst: to.e.ip, ttl: from.e.ttl ?? 64, id: from.ipId++ & 0xffff };
    const h: TcpHeader = {
      sport: from.e.port,
      dport: to.e.port,
      seq: from.seq,
      ack: flags & TCP.ACK ? to.seq : 0,
      flags,
      window: flags & TCP.RST ? 0 : flags & TCP.SYN ? from.win : from.winScaled,
      options: opts,
    };
    out.push({ ts: Math.round(t), frame: tcpFrame(from.l2, ip, h, payload) });
    from.seq = (from.seq + (payload?.length ?? 0) + (flags & (TCP.SYN | TCP.FIN) ? 1 : 0)) >>> 0;
  };

  const wsOf = (e: TcpEndpoint, os: TcpOsProfile) => (os === 'minimal' ? undefined : (e.wscale ?? 7));
  const clientTs = tsCapable(cOs) ? { val: C.tsBase, ecr: 0 } : undefined;
  emit(C, S, TCP.SYN, undefined, tcpSynOptions(cOs, { mss: s.mss ?? 1460, ws: wsOf(c, cOs), ts: clientTs }));
  t += rtt;
  if (s.refused) {
    S.seq = 0;
    emit(S, C, TCP.RST | TCP.ACK, undefined, []);
    return out;
  }
  // the server scales its window (and sends timestamps) only if the client offered it
  const cWs = wsOf(c, cOs);
  const sWs = cWs === undefined ? undefined : wsOf(v, sOs);
  emit(S, C, TCP.SYN | TCP.ACK, undefined, tcpSynOptions(sOs, {
    mss: s.mss ?? 1460,
    ws: sWs,
    ts: useTs ? { val: S.tsBase, ecr: C.tsBase } : undefined,
  }));
  if (cWs !== undefined && sWs !== undefined) {
    C.winScaled = Math.max(1, Math.round(C.win / 2 ** cWs));
    S.winScaled = Math.max(1, Math.round(S.win / 2 ** sWs));
  }
  t += gap * 4;
  emit(C, S, TCP.ACK);

  const segSize = (s.mss ?? 1460) - (useTs ? 12 : 0);
  const send = (from: typeof C, to: typeof C, data: Uint8Array): void => {
    let n = 0;
    for (let off = 0; off < data.length; off += segSize) {
      const last = off + segSize >= data.length;
      emit(from, to, TCP.ACK | (last ? TCP.PSH : 0), data.subarray(off, off + segSize));
      n++;
      if (n % 2 === 0 && !last) {
        t += gap;
        emit(to, from, TCP.ACK);
      }
      t += gap;
    }
  };
  for (const x of s.exchanges) {
    t += x.thinkTime ?? 1000;
    if (x.request.length) send(C, S, x.request);
    t += rtt / 2 + (x.serverTime ?? 2000);
    if (x.response?.length) {
      send(S, C, x.response);
      t += rtt / 2;
      emit(C, S, TCP.ACK);
    } else {
      emit(S, C, TCP.ACK);
    }
  }
  t += 1000;
  switch (s.close ?? 'client') {
    case 'client':
    case 'server': {
      const [a, b] = s.close === 'server' ? [S, C] : [C, S];
      emit(a, b, TCP.FIN | TCP.ACK);
      t += rtt / 2;
      emit(b, a, TCP.FIN | TCP.ACK);
      t += rtt / 2;
      emit(a, b, TCP.ACK);
      break;
    }
    case 'reset':
      emit(C, S, TCP.RST | TCP.ACK);
      break;
    case 'none':
      break;
  }
  return out;
}

function tsCapable(os: TcpOsProfile): boolean {
  return os === 'linux' || os === 'macos';
}

/** A UDP request/response conversation (DNS, NTP, SNMP, ...). */
export interface UdpExchangeSpec {
  client: Endpoint;
  server: Endpoint;
  vlans?: L2Spec['vlans'];
  start: number;
  /** Microseconds between request and response (default 800). */
  rtt?: number;
  /** Microseconds between successive exchanges (default 1 s). */
  interval?: number;
  /** Responses may be omitted (one-way traffic such as syslog). */
  exchanges: readonly { request: Uint8Array; response?: Uint8Array }[];
  /** First IPv4 identification value of each side (default 0x1000). */
  ipId?: number;
}

/** Lay out UDP request/response pairs; returns frames in timestamp order. */
export function udpExchange(u: UdpExchangeSpec): TimedFrame[] {
  const out: TimedFrame[] = [];
  const rtt = u.rtt ?? 800;
  const interval = u.interval ?? 1_000_000;
  let idC = u.ipId ?? 0x1000;
  let idS = (u.ipId ?? 0x1000) + 0x4000;
  const cl2: L2Spec = { src: u.client.mac, dst: u.server.mac, vlans: u.vlans };
  const sl2: L2Spec = { src: u.server.mac, dst: u.client.mac, vlans: u.vlans };
  u.exchanges.forEach((x, i) => {
    const t = u.start + i * interval;
    const cip: IpSpec = { src: u.client.ip, dst: u.server.ip, ttl: u.client.ttl ?? 64, id: idC++ & 0xffff, df: false };
    out.push({ ts: Math.round(t), frame: udpFrame(cl2, cip, u.client.port, u.server.port, x.request) });
    if (x.response) {
      const sip: IpSpec = { src: u.server.ip, dst: u.client.ip, ttl: u.server.ttl ?? 64, id: idS++ & 0xffff, df: false };
      out.push({ ts: Math.round(t + rtt), frame: udpFrame(sl2, sip, u.server.port, u.client.port, x.response) });
    }
  });
  return out;
}
