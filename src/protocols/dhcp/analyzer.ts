/**
 * DHCPv4 analyzer: UDP 67/68 datagrams → `dhcp` observations (RFC 2131 message + RFC 2132 options, decoded by
 * parser.ts). Emits one observation per well-formed message; returns the parser's error for a malformed one.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseDhcp } from './parser.js';

/** BOOTP/DHCP server and client ports. */
export const DHCP_PORTS = [67, 68] as const;

/** Decodes one datagram; returns null, or the reason it was not DHCP-decodable. */
export function analyzeDhcpDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseDhcp(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'dhcp', ctx: ctx(), msg: r.value });
  return null;
}
