/**
 * CDP analyzer (Cisco Discovery Protocol v1/v2; 802.3 LLC/SNAP frames with OUI 00-00-0C and protocol id 0x2000,
 * usually to 01:00:0c:cc:cc:cc): one PDU → one `cdp` observation. Decoding in parser.ts.
 */
import type { FrameContext, ObservationSink } from '../../observe/observation.js';
import { parseCdp } from './parser.js';

/** Cisco's SNAP OUI. */
export const CDP_SNAP_OUI = 0x00000c;
/** The SNAP protocol id of CDP. */
export const CDP_SNAP_PID = 0x2000;

/** Decodes one CDP PDU b[off, off+len); returns null, or why it was not decodable. */
export function analyzeCdpFrame(b: Uint8Array, off: number, len: number, ctx: () => FrameContext, emit: ObservationSink): string | null {
  const r = parseCdp(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'cdp', ctx: ctx(), msg: r.value });
  return null;
}
