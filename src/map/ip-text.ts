/**
 * IP address and CIDR text, parsed into numbers for classification and subnet membership (src/map/). IPv4 as a
 * 32-bit unsigned number; IPv6 as eight 16-bit groups (RFC 4291 §2.2 text forms: `::` compression, an embedded
 * dotted IPv4 tail, a `%zone` suffix which is ignored). Never throws: malformed text gives null.
 */
import { ipv4ToString, ipv6ToString } from '../decode/address.js';

const DOT = 0x2e;
const ZERO = 0x30;

/** A parsed address: IPv4 (one 32-bit number) or IPv6 (eight 16-bit groups). */
export type ParsedIp = { version: 4; v4: number } | { version: 6; groups: number[] };

/** A parsed CIDR block: the address (host bits cleared) and the prefix length. */
export interface Cidr {
  ip: ParsedIp;
  prefix: number;
}

/** Parses dotted-quad IPv4 text (four decimal octets of 1–3 ASCII digits, no leading `+`/spaces); null when malformed. */
export function parseIpv4(s: string): number | null {
  let v = 0;
  let octet = 0;
  let digits = 0;
  let octets = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : DOT; // the end closes the last octet
    if (c === DOT) {
      if (digits === 0 || octet > 255 || ++octets > 4) return null;
      v = v * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= ZERO && c <= ZERO + 9 && digits < 3) {
      octet = octet * 10 + (c - ZERO);
      digits++;
    } else return null;
  }
  return octets === 4 ? v : null;
}

/** Parses IPv6 text into eight 16-bit groups; null when malformed. */
export function parseIpv6(text: string): number[] | null {
  const s = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (s.length === 0 || s.length > 45) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const side = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const head = side(halves[0]!);
  if (head === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const tail = side(halves[1]!);
  if (tail === null || head.length + tail.length > 7) return null;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

/** Parses IPv4 or IPv6 text. */
export function parseIp(s: string): ParsedIp | null {
  if (s.includes(':')) {
    const g = parseIpv6(s);
    return g === null ? null : { version: 6, groups: g };
  }
  const v4 = parseIpv4(s);
  return v4 === null ? null : { version: 4, v4 };
}

/** The IPv4 mask of a prefix length (0–32) as an unsigned number. */
function v4Mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `ip` with every bit after `prefix` cleared. */
export function networkOf(ip: ParsedIp, prefix: number): ParsedIp {
  if (ip.version === 4) return { version: 4, v4: (ip.v4 & v4Mask(prefix)) >>> 0 };
  const groups = ip.groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, prefix - i * 16));
    return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
  });
  return { version: 6, groups };
}

/** Canonical text of a parsed address (IPv6 in RFC 5952 form: lower case, longest zero run compressed). */
export function ipText(ip: ParsedIp): string {
  if (ip.version === 4) return ipv4ToString(ip.v4);
  const g = ip.groups;
  return ipv6ToString([g[0]! << 16 | g[1]!, g[2]! << 16 | g[3]!, g[4]! << 16 | g[5]!, g[6]! << 16 | g[7]!]);
}

/** Parses `a.b.c.d/n` or `x::/n` (host bits must be zero unless `loose`); null when malformed. */
export function parseCidr(s: string, loose = false): Cidr | null {
  const slash = s.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(s.slice(0, slash).trim());
  const pt = s.slice(slash + 1).trim();
  if (ip === null || !/^\d{1,3}$/.test(pt)) return null;
  const prefix = Number(pt);
  if (prefix > (ip.version === 4 ? 32 : 128)) return null;
  const net = networkOf(ip, prefix);
  if (!loose && ipText(net) !== ipText(ip)) return null;
  return { ip: net, prefix };
}

/** `a.b.c.d/n` text of a block. */
export function cidrText(c: Cidr): string {
  return `${ipText(c.ip)}/${c.prefix}`;
}

/** True when `ip` lies in block `c`. */
export function cidrContains(c: Cidr, ip: ParsedIp): boolean {
  if (c.ip.version !== ip.version) return false;
  const net = networkOf(ip, c.prefix);
  if (net.version === 4 && c.ip.version === 4) return net.v4 === c.ip.v4;
  if (net.version === 6 && c.ip.version === 6) return net.groups.every((g, i) => g === (c.ip as { groups: number[] }).groups[i]);
  return false;
}

/** The prefix length of a dotted IPv4 netmask (255.255.255.0 → 24); null when not contiguous ones then zeros. */
export function maskPrefix(mask: string): number | null {
  const m = parseIpv4(mask);
  if (m === null) return null;
  for (let p = 0; p <= 32; p++) if (v4Mask(p) === m) return p;
  return null;
}
