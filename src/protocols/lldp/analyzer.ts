/**
 * LLDP analyzer (IEEE 802.1AB; Ethernet frames with ethertype 0x88cc, usually to 01:80:c2:00:00:0e): one LLDPDU →
 * one `lldp` observation. Decoding in parser.ts.
 */
import type { FrameContext, ObservationSink } from '../../observe/observation.js';
import { parseLldp } from './parser.js';

/** The LLDP ethertype (IEEE 802.1AB-2016 §7.2). */
export const LLDP_ETHERTYPE = 0x88cc;

/** Decodes one LLDPDU b[off, off+len); returns null, or why it was not decodable. */
export function analyzeLldpFrame(b: Uint8Array, off: number, len: number, ctx: () => FrameContext, emit: ObservationSink): string | null {
  const r = parseLldp(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'lldp', ctx: ctx(), msg: r.value });
  return null;
}
