/**
 * DHCPv6 analyzer: UDP 546/547 datagrams → `dhcpv6` observations (RFC 8415 messages, relays unwrapped, decoded by
 * parser.ts). Emits one observation per decodable message; returns the parser's error otherwise.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseDhcpv6 } from './parser.js';

/** DHCPv6 client and server/relay ports (RFC 8415 §7.2). */
export const DHCPV6_PORTS = [546, 547] as const;

/** Decodes one datagram; returns null, or the reason it was not DHCPv6-decodable. */
export function analyzeDhcpv6Datagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseDhcpv6(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'dhcpv6', ctx: ctx(), msg: r.value });
  return null;
}
