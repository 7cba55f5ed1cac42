/**
 * DNS analyzer for UDP: unicast DNS (53), multicast DNS (5353, RFC 6762) and LLMNR (5355, RFC 4795) share one wire
 * format (parser.ts). Emits one `dns` observation per decodable message, with `service` telling which of the three
 * it was (by port).
 */
import type { DnsObservation, ObservationSink, PacketContext } from '../../observe/observation.js';
import { type DnsMessage, parseDns } from './parser.js';

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
  emit({ kind: 'dns', ctx: c, msg: withService(dnsService(c.src_port, c.dst_port), r.value) });
  return null;
}

/**
 * The observation record of message `m`: `service` first, then the message's fields in the parser's order (what
 * `{ service, ...m }` gives, written out: a spread after a property copies the fields one at a time, the slowest part
 * of a DNS message's handling). A test checks the order against the parser's.
 */
export function withService(service: DnsObservation['msg']['service'], m: DnsMessage): DnsObservation['msg'] {
  return {
    service, id: m.id, qr: m.qr, opcode: m.opcode, opcode_name: m.opcode_name, aa: m.aa, tc: m.tc, rd: m.rd, ra: m.ra, z: m.z,
    ad: m.ad, cd: m.cd, rcode: m.rcode, rcode_name: m.rcode_name, qdcount: m.qdcount, ancount: m.ancount, nscount: m.nscount,
    arcount: m.arcount, questions: m.questions, answers: m.answers, authorities: m.authorities, additionals: m.additionals,
    truncated: m.truncated, anomalies: m.anomalies,
  };
}
