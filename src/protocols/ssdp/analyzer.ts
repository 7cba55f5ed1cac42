/**
 * SSDP analyzer (UDP 1900; UPnP Device Architecture §1 Discovery): search requests, NOTIFY announcements and
 * search responses → `ssdp` observations. Decoding in parser.ts.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseSsdp } from './parser.js';

/** SSDP port. */
export const SSDP_PORTS = [1900] as const;

/** Decodes one datagram; returns null, or why it was not decodable. */
export function analyzeSsdpDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseSsdp(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'ssdp', ctx: ctx(), msg: r.value });
  return null;
}
