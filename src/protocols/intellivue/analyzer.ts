/**
 * IntelliVue Data Export analyzer: UDP 24005 (the monitor's Connect Indication broadcast) and UDP 24105 (association
 * control and data export, the port the Connect Indication's Protocol Support attribute names by default) datagrams →
 * `intellivue` observations, decoded by parser.ts. One observation per decodable datagram. The ports are not
 * IANA-registered for IntelliVue: a datagram that does not start like an IntelliVue message (looksLikeIntellivue) is
 * another application's and is skipped, neither logged nor counted as malformed.
 */
import type { ObservationSink, PacketContext } from '../../observe/observation.js';
import { looksLikeIntellivue, parseIntellivue } from './parser.js';

/** The Connect Indication port and the default data export port (guide: "Connect Indication", "Protocol Support"). */
export const INTELLIVUE_PORTS = [24005, 24105] as const;

/** Decodes one datagram; returns null (also for another application's datagram), or why an IntelliVue-looking one was not decodable. */
export function analyzeIntellivueDatagram(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null {
  if (!looksLikeIntellivue(b, off, len)) return null;
  const r = parseIntellivue(b, off, len);
  if (!r.ok) return r.error;
  emit({ kind: 'intellivue', ctx: ctx(), msg: r.value });
  return null;
}
