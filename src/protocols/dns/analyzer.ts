/**
 * DNS analyzer for UDP: unicast DNS (53), multicast DNS (5353, RFC 6762) and LLMNR (5355, RFC 4795) share one wire
 * format (parser.ts). Emits one `dns` observation per decodable message, with `service` telling which of the three
 * it was (by port).
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseDns } from './parser.js';

/** UDP ports decoded as DNS. */
export const DNS_PORTS = [53, 5353, 5355] as const;

/** Which DNS service a datagram belongs to, by its ports. */
export function dnsService(srcPort: number, dstPort: number): 'mdns' | 'llmnr' | 'dns' {
  if (srcPort === 5353 || dstPort === 5353) return 'mdns';
  if (srcPort === 5355 || dstPort === 5355) return 'llmnr';
  return 'dns';
}

/** Decodes one datagram; returns null, or the reason it was not DNS-decodable. */
export function analyzeDnsDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseDns(b, off, len);
  if (!r.ok) return r.error;
  const c = ctx();
  emit({ kind: 'dns', ctx: c, msg: { service: dnsService(c.src_port, c.dst_port), ...r.value } });
  return null;
}
