/**
 * SNMP analyzer (UDP 161 agent port, UDP 162 trap/notification port; RFC 1157, RFC 3416, RFC 3412): every message
 * → an `snmp` observation. Decoding in parser.ts.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseSnmp } from './parser.js';

/** SNMP agent and notification-receiver ports (RFC 3417 §3.1). */
export const SNMP_PORTS = [161, 162] as const;

/** Decodes one datagram; returns null, or why it was not decodable. */
export function analyzeSnmpDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseSnmp(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'snmp', ctx: ctx(), msg: r.value });
  return null;
}
