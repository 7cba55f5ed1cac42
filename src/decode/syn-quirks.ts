/**
 * IP and TCP header properties of a SYN or SYN-ACK that passive OS fingerprinting compares ("quirks", in the
 * notation of the p0f v3 README §5). They are facts about the header bits, not conclusions: which stack sets them is
 * decided by the signature data (data/fingerprints/tcp-os.tsv), never here.
 *
 * Header fields read: IPv4 ToS/ECN (RFC 791, RFC 3168 §5), flags and identification (RFC 791 §3.1, RFC 6864);
 * IPv6 traffic class and flow label (RFC 8200 §3, §6); TCP sequence, acknowledgment, flags, reserved bits and urgent
 * pointer (RFC 9293 §3.1, RFC 3168 §6.1 for CWR/ECE, RFC 3540 for the former NS bit).
 */
import { type DecodedPacket, TCP_ACK, TCP_PSH } from './decoded-packet.js';

const TCP_URG = 0x20;
/** ECE and CWR (RFC 3168 §6.1), and the former NS bit (RFC 3540) as decoded into bit 8 of tcpFlags. */
const TCP_ECN_BITS = 0x40 | 0x80 | 0x100;

/** Header quirk names in the order tcpHeaderQuirks writes them; bit i of tcpHeaderQuirkBits is QUIRK_NAMES[i]. */
const QUIRK_NAMES = ['df', 'id+', 'id-', 'ecn', '0+', 'flow', 'seq-', 'ack+', 'ack-', 'uptr+', 'urgf+', 'pushf+'] as const;
/** Every value of tcpHeaderQuirkBits, as text (made once: 4096 short strings). */
const QUIRK_TEXTS: readonly string[] = Array.from({ length: 1 << QUIRK_NAMES.length }, (_, bits) =>
  QUIRK_NAMES.filter((_n, i) => (bits & (1 << i)) !== 0).join(','));

/**
 * Header quirks of a decoded TCP segment, comma-separated in this order: df (IPv4 don't-fragment set), id+ (DF set
 * and a non-zero IPv4 identification), id- (DF clear and a zero identification), ecn (ECN codepoint in the IP header
 * or ECN bits in the TCP header), 0+ (IPv4 reserved flag set), flow (non-zero IPv6 flow label), seq- (zero sequence
 * number), ack+ (non-zero acknowledgment number without ACK), ack- (zero acknowledgment number with ACK), uptr+
 * (urgent pointer without URG), urgf+ (URG set), pushf+ (PSH set). Empty when none applies.
 *
 * Reads only the IP and TCP fixed headers the decoder already bounded (`ipOff`, and the TCP header at
 * `tcpOptOff - 20`); call it only for a packet with `hasL4` and protocol 6.
 */
export function tcpHeaderQuirks(p: DecodedPacket): string {
  return tcpHeaderQuirkText(tcpHeaderQuirkBits(p));
}

/** The text (as tcpHeaderQuirks) of a tcpHeaderQuirkBits value. */
export function tcpHeaderQuirkText(bits: number): string {
  return QUIRK_TEXTS[bits & (QUIRK_TEXTS.length - 1)]!;
}

/** The quirks of tcpHeaderQuirks as a 12-bit mask (no string made: the flow table keys SYNs by it). */
export function tcpHeaderQuirkBits(p: DecodedPacket): number {
  const b = p.pktBuf;
  const ip = p.ipOff;
  const tcp = p.tcpOptOff - 20;
  let q = 0;
  const tcpEcn = (p.tcpFlags & TCP_ECN_BITS) !== 0 || (b[tcp + 12]! & 0x0e) !== 0; // 0x0e: reserved bits
  if (p.ipVersion === 4) {
    const flags = b[ip + 6]! >> 5; // reserved, DF, MF
    const df = (flags & 2) !== 0;
    if (df) q |= 1; // df
    if (df && p.ipId !== 0) q |= 2; // id+
    if (!df && p.ipId === 0) q |= 4; // id-
    if (tcpEcn || (b[ip + 1]! & 3) !== 0) q |= 8; // ecn
    if ((flags & 4) !== 0) q |= 16; // 0+
  } else {
    if (tcpEcn || ((b[ip + 1]! >> 4) & 3) !== 0) q |= 8; // ecn: traffic class: low nibble of byte 0, high of byte 1
    if (((b[ip + 1]! & 0x0f) | b[ip + 2]! | b[ip + 3]!) !== 0) q |= 32; // flow
  }
  const fl = p.tcpFlags;
  if (p.tcpSeq === 0) q |= 64; // seq-
  if ((fl & TCP_ACK) === 0 && p.tcpAck !== 0) q |= 128; // ack+
  if ((fl & TCP_ACK) !== 0 && p.tcpAck === 0) q |= 256; // ack-
  const urgentPointer = (b[tcp + 18]! << 8) | b[tcp + 19]!;
  if ((fl & TCP_URG) === 0 && urgentPointer !== 0) q |= 512; // uptr+
  if ((fl & TCP_URG) !== 0) q |= 1024; // urgf+
  if ((fl & TCP_PSH) !== 0) q |= 2048; // pushf+
  return q;
}
