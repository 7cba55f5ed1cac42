/**
 * The address class of an IP: which part of the address space it belongs to, so the map can tell internal peers
 * from the internet. Pure, table-driven (first matching block wins; blocks are listed most specific first).
 *
 * Sources: IANA IPv4 and IPv6 Special-Purpose Address Registries; RFC 1918 (private IPv4), RFC 6598 (shared
 * address space 100.64.0.0/10, "CGNAT"), RFC 3927 (IPv4 link-local), RFC 1122 §3.2.1.3 (0/8, 127/8), RFC 5771
 * (IPv4 multicast), RFC 919/922 (limited broadcast), RFC 5737 (IPv4 documentation), RFC 2544 (198.18/15
 * benchmarking), RFC 1112 §4 (240/4 reserved), RFC 4193 (IPv6 unique local, fc00::/7), RFC 4291 (::, ::1, fe80::/10,
 * ff00::/8, ::ffff:0:0/96 mapped IPv4, 2000::/3 global unicast), RFC 3849 and RFC 9637 (IPv6 documentation),
 * RFC 6666 (100::/64 discard), RFC 3879 (fec0::/10 deprecated site-local).
 */
import { remembered } from '../memo/bounded-memo.js';
import { type Cidr, parseCidr, parseIp, type ParsedIp } from './ip-text.js';

/** Address classes, from most to least local. */
export const ADDRESS_CLASSES = ['loopback', 'link-local', 'private', 'cgnat', 'multicast', 'broadcast', 'documentation', 'reserved', 'public', 'invalid'] as const;

/** One address class. `invalid`: the text is not an IP address. */
export type AddressClass = (typeof ADDRESS_CLASSES)[number];

/** Special-purpose blocks in match order (first containing block wins), with their class. */
export const BLOCKS: readonly (readonly [string, AddressClass])[] = [
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'reserved'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'cgnat'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['::/128', 'reserved'],
  ['::1/128', 'loopback'],
  ['100::/64', 'reserved'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['2000::/3', 'public'],
  ['fc00::/7', 'private'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'reserved'],
  ['ff00::/8', 'multicast'],
];

const PARSED_BLOCKS: readonly (readonly [Cidr, AddressClass])[] = BLOCKS.map(([c, k]) => [parseCidr(c)!, k] as const);

/**
 * The blocks of one IP version in match order, as numbers, so that an address is classed without allocating (what
 * cidrContains tells of each block): IPv4 as (network, mask); IPv6 as the 8 groups of the network and of the mask.
 */
const V4_BLOCKS: readonly { net: number; mask: number; cls: AddressClass }[] = PARSED_BLOCKS.flatMap(([b, cls]) =>
  b.ip.version === 4 ? [{ net: b.ip.v4, mask: b.prefix === 0 ? 0 : (0xffffffff << (32 - b.prefix)) >>> 0, cls }] : []);
const V6_BLOCKS: readonly { net: readonly number[]; mask: readonly number[]; cls: AddressClass }[] = PARSED_BLOCKS.flatMap(([b, cls]) =>
  b.ip.version === 6 ? [{ net: b.ip.groups, mask: [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
    const bits = Math.max(0, Math.min(16, b.prefix - i * 16));
    return bits === 0 ? 0 : (0xffff << (16 - bits)) & 0xffff;
  }), cls }] : []);

/** The class of an IPv4 address (a 32-bit unsigned number). */
function classifyV4(v4: number): AddressClass {
  for (let i = 0; i < V4_BLOCKS.length; i++) {
    const b = V4_BLOCKS[i]!;
    if ((v4 & b.mask) >>> 0 === b.net) return b.cls;
  }
  return 'public'; // IPv4 outside every special block
}

/** The class of an IPv6 address given as its 8 groups. */
function classifyV6(g: readonly number[]): AddressClass {
  for (let i = 0; i < V6_BLOCKS.length; i++) {
    const b = V6_BLOCKS[i]!;
    let k = 0;
    while (k < 8 && (g[k]! & b.mask[k]!) === b.net[k]) k++;
    if (k === 8) return b.cls;
  }
  return 'reserved'; // IPv6 outside 2000::/3 and the listed blocks is unassigned
}

/** The class of a parsed address. IPv4-mapped IPv6 (::ffff:a.b.c.d) is classed as its IPv4 address. */
export function classifyParsedIp(ip: ParsedIp): AddressClass {
  if (ip.version === 4) return classifyV4(ip.v4);
  const g = ip.groups;
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) return classifyV4(g[6]! * 65536 + g[7]!);
  return classifyV6(g);
}

/** Classes of address texts already classified (the same addresses recur across devices, edges and rules); cleared when full. */
const classCache = new Map<string, AddressClass>();
/** Most address texts remembered in classCache. */
const CLASS_CACHE_MAX = 65_536;

/** The class of an address given as text (`invalid` when it is not an IP address). */
export function addressClass(ip: string): AddressClass {
  return remembered(classCache, CLASS_CACHE_MAX, ip, (t) => {
    const p = parseIp(t);
    return p === null ? 'invalid' : classifyParsedIp(p);
  });
}

/** True for addresses of the organisation's own networks (loopback, link-local, private, CGNAT). */
export function isInternalClass(c: AddressClass): boolean {
  return c === 'loopback' || c === 'link-local' || c === 'private' || c === 'cgnat';
}

/**
 * True for internet addresses: public, and the documentation ranges (RFC 5737 / 3849, which captures and examples use
 * to stand for internet hosts). Reserved, special-purpose and the organisation's own classes are not internet.
 */
export function isInternetAddress(ip: string): boolean {
  const c = addressClass(ip);
  return c === 'public' || c === 'documentation';
}

/**
 * True for an internet peer: a host keyed by IP (no MAC of its own: it is behind the router) whose addresses (`ips`,
 * at least one) are all internet addresses. Such hosts are the map's external endpoints, not the hospital's devices.
 */
export function isInternetPeer(keyedByIp: boolean, ips: readonly string[]): boolean {
  return keyedByIp && ips.length > 0 && ips.every(isInternetAddress);
}
