/**
 * NetBIOS over TCP/IP analyzers (RFC 1001/1002): the name service on UDP 137 (`nbns` observations) and the
 * datagram service on UDP 138 with [MS-BRWS] browser announcements (`nbdgm` observations). Decoding in parser.ts.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { parseNbns, parseNetbiosDatagram } from './parser.js';

/** NetBIOS name service port. */
export const NBNS_PORTS = [137] as const;
/** NetBIOS datagram service port. */
export const NBDGM_PORTS = [138] as const;

/** Decodes one name-service datagram; returns null, or why it was not decodable. */
export function analyzeNbnsDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseNbns(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'nbns', ctx: ctx(), msg: r.value });
  return null;
}

/** Decodes one datagram-service datagram; returns null, or why it was not decodable. */
export function analyzeNbdgmDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  const r = parseNetbiosDatagram(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'nbdgm', ctx: ctx(), msg: r.value });
  return null;
}
