/**
 * NTP analyzer: UDP 123 datagrams → `ntp` observations (RFC 5905 header, mode 6 control and mode 7 private messages,
 * decoded by parser.ts). Emits one observation per decodable message; returns the parser's error otherwise.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseNtp } from './parser.js';

/** The NTP port (RFC 5905 §7.3: both sides of symmetric and client/server associations; mode 6/7 servers). */
export const NTP_PORTS = [123] as const;

/** Decodes one datagram; returns null, or the reason it was not NTP-decodable. */
export function analyzeNtpDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseNtp(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'ntp', ctx: ctx(), msg: r.value });
  return null;
}
