/**
 * WS-Discovery analyzer (SOAP-over-UDP, UDP 3702): Hello, Bye, Probe, ProbeMatches, Resolve and ResolveMatches of
 * DPWS devices, Windows WSD hosts and IEEE 11073 SDC participants → `sdc` observations (log `sdc.jsonl`). Decoding
 * in parser.ts.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseWsd } from './parser.js';

/** The WS-Discovery port (WS-Discovery 1.1 §2.4: multicast 239.255.255.250 / FF02::C, port 3702). */
export const WSD_PORTS = [3702] as const;

/** Decodes one datagram; returns null, or why it was not decodable. */
export function analyzeWsdDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseWsd(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'sdc', ctx: ctx(), msg: r.value });
  return null;
}
