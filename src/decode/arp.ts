/**
 * ARP (RFC 826) for IPv4 over Ethernet: operation, sender and target hardware/protocol addresses.
 * Other hardware/protocol sizes are counted as an anomaly and not decoded.
 */
import { Anomaly } from './anomalies.js';
import { type DecodedPacket } from './decoded-packet.js';
import { readMac } from './link.js';

/** Decodes an ARP packet at `o` into `p.arp*`. */
export function decodeArp(b: Uint8Array, o: number, end: number, p: DecodedPacket): boolean {
  if (end - o < 8) {
    p.anomaly = Anomaly.TruncatedArp;
    return false;
  }
  const hlen = b[o + 4]!;
  const plen = b[o + 5]!;
  if (hlen !== 6 || plen !== 4) {
    p.anomaly = Anomaly.ArpUnsupportedAddressSizes;
    return false;
  }
  if (end - o < 28) {
    p.anomaly = Anomaly.TruncatedArp;
    return false;
  }
  p.arpOp = (b[o + 6]! << 8) | b[o + 7]!;
  p.arpSha = readMac(b, o + 8);
  p.arpSpa = ((b[o + 14]! << 24) | (b[o + 15]! << 16) | (b[o + 16]! << 8) | b[o + 17]!) >>> 0;
  p.arpTha = readMac(b, o + 18);
  p.arpTpa = ((b[o + 24]! << 24) | (b[o + 25]! << 16) | (b[o + 26]! << 8) | b[o + 27]!) >>> 0;
  return true;
}
