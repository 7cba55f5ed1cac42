/**
 * Address formatting and classification: IPv4 dotted quad, IPv6 in RFC 5952 canonical text, MAC as
 * lower-case colon-separated hex; unicast/multicast/locally-administered tests on 48-bit MACs held in numbers.
 */

/** IPv4 address (uint32) as dotted quad. */
export function ipv4ToString(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** IPv6 address from four big-endian 32-bit words, RFC 5952 §4 (longest run of ≥2 zero groups compressed). */
export function ipv6ToString(w: ArrayLike<number>): string {
  const g: number[] = [];
  for (let i = 0; i < 4; i++) {
    g.push((w[i]! >>> 16) & 0xffff, w[i]! & 0xffff);
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // groups [from, to) as hex joined by ':' (no sliced arrays: their maps differ from g's, a deoptimisation)
  const hex = (from: number, to: number): string => {
    let t = '';
    for (let i = from; i < to; i++) t += i > from ? `:${g[i]!.toString(16)}` : g[i]!.toString(16);
    return t;
  };
  if (bestLen < 2) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
}

/** Text of an address held as four words (IPv4 in the last word when `version` is 4). */
export function ipToString(version: number, w: ArrayLike<number>): string {
  return version === 4 ? ipv4ToString(w[3]!) : ipv6ToString(w);
}

/** MAC (48-bit number) as aa:bb:cc:dd:ee:ff. */
export function macToString(m: number): string {
  const hi = Math.floor(m / 4294967296);
  const lo = m >>> 0;
  const h = hi.toString(16).padStart(4, '0') + lo.toString(16).padStart(8, '0');
  return `${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}:${h.slice(10, 12)}`;
}

/** Parses aa:bb:cc:dd:ee:ff (or - separators, or bare hex) into a number; null if malformed. */
export function parseMac(s: string): number | null {
  const h = s.replace(/[:.-]/g, '');
  if (!/^[0-9a-fA-F]{12}$/.test(h)) return null;
  return parseInt(h, 16);
}

/** First octet of a MAC. */
function firstOctet(m: number): number {
  return Math.floor(m / 1099511627776) & 0xff;
}

/** Group (multicast/broadcast) bit set. */
export function isGroupMac(m: number): boolean {
  return (firstOctet(m) & 1) === 1;
}

/** Locally administered bit set (randomised or assigned by software, not a vendor OUI). */
export function isLocallyAdministeredMac(m: number): boolean {
  return (firstOctet(m) & 2) === 2;
}

/** True for IPv4 addresses no single host owns: 0.0.0.0/8, multicast 224/4, broadcast and reserved 240/4. */
export function isNonHostIpv4(a: number): boolean {
  const o = a >>> 24;
  return o === 0 || o >= 224;
}

/** True for IPv6 addresses no single host owns: unspecified :: and multicast ff00::/8. */
export function isNonHostIpv6(w: ArrayLike<number>): boolean {
  if ((w[0]! >>> 24) === 0xff) return true;
  return w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0;
}

/** RFC 1918 / RFC 6598 (CGNAT) / loopback / link-local IPv4. */
export function isPrivateIpv4(a: number): boolean {
  const o1 = a >>> 24;
  const o2 = (a >>> 16) & 255;
  return o1 === 10 || o1 === 127 || (o1 === 172 && o2 >= 16 && o2 < 32) || (o1 === 192 && o2 === 168) ||
    (o1 === 100 && o2 >= 64 && o2 < 128) || (o1 === 169 && o2 === 254);
}
