/**
 * Address classes for the exposure rules: is an IP address on the internet or not. Not internet: RFC 1918 private
 * (10/8, 172.16/12, 192.168/16), RFC 6598 shared CGNAT (100.64/10), RFC 3927 link-local (169.254/16), loopback
 * (127/8, ::1), 0/8 and unspecified, multicast (224/4, ff00::/8), 240/4 reserved and broadcast, RFC 4193 unique local
 * (fc00::/7), RFC 4291 link-local (fe80::/10). Everything else is `public`, including the RFC 5737 / RFC 3849
 * documentation ranges (reported as `documentation` but counted as internet: captures and examples use them to stand
 * for internet hosts).
 */
import { isIPv4, isIPv6 } from 'node:net';

/** The class of an address. */
export type AddressClass = 'private' | 'cgnat' | 'link_local' | 'loopback' | 'multicast' | 'unspecified' | 'reserved' | 'ula'
  | 'documentation' | 'public' | 'invalid';

/** The class of an IPv4 dotted quad. */
function ipv4Class(ip: string): AddressClass {
  const [a, b, c] = ip.split('.').map(Number) as [number, number, number, number];
  if (a === 10 || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b < 128) return 'cgnat';
  if (a === 169 && b === 254) return 'link_local';
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (a >= 224 && a < 240) return 'multicast';
  if (a >= 240) return 'reserved';
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'documentation';
  return 'public';
}

/** The class of an IPv6 address (textual, any compression). */
function ipv6Class(ip: string): AddressClass {
  const s = ip.toLowerCase();
  if (s === '::') return 'unspecified';
  if (s === '::1') return 'loopback';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) return ipv4Class(v4[1]!);
  const head = s.startsWith('::') ? 0 : parseInt(s.split(':')[0]!, 16);
  if ((head & 0xff00) === 0xff00) return 'multicast';
  if ((head & 0xfe00) === 0xfc00) return 'ula';
  if ((head & 0xffc0) === 0xfe80) return 'link_local';
  if (s.startsWith('2001:db8:') || s === '2001:db8::') return 'documentation';
  if (head === 0) return 'reserved';
  return 'public';
}

/** The class of `ip` (IPv4 or IPv6 text). */
export function addressClass(ip: string): AddressClass {
  if (isIPv4(ip)) return ipv4Class(ip);
  if (isIPv6(ip)) return ipv6Class(ip);
  return 'invalid';
}

/** True when `ip` is an internet (public or documentation) address. */
export function isInternetAddress(ip: string): boolean {
  const c = addressClass(ip);
  return c === 'public' || c === 'documentation';
}
