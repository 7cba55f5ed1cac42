/**
 * DNS analyzer for UDP: unicast DNS (53), multicast DNS (5353, RFC 6762) and LLMNR (5355, RFC 4795) share one wire
 * format (parser.ts). Emits one `dns` observation per decodable message, with `service` telling which of the three
 * it was (by port).
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { labelledDnsMessage } from './parser.js';

/** UDP ports decoded as DNS. */
export const DNS_PORTS = [53, 5353, 5355] as const;

/** Which DNS service a datagram belongs to, by its ports. */
export function dnsService(srcPort: number, dstPort: number): 'mdns' | 'llmnr' | 'dns' {
  if (srcPort === 5353 || dstPort === 5353) return 'mdns';
  if (srcPort === 5355 || dstPort === 5355) return 'llmnr';
  return 'dns';
}

/**
 * Decodes one datagram; returns null, or the reason it was not DNS-decodable. The record is the parser's message
 * built with its `service` field first (what `{ service, ...message }` gives, without copying the message).
 */
export function analyzeDnsDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  // the service is known before the context: the ports are in the context, so it is made first (as before)
  const c = ctx();
  const msg = labelledDnsMessage(dnsService(c.src_port, c.dst_port), b, off, len);
  if (typeof msg === 'string') return msg;
  emit({ kind: 'dns', ctx: c, msg });
  return null;
}
