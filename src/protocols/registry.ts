/**
 * The analyzer registry: every protocol analyzer, in one exhaustive typed table (adding a ProtocolName without an
 * analyzer is a compile error), plus the indexes the ingest dispatches with: UDP port → datagram analyzer, TCP
 * port → stream analyzer, and the stream analyzers that detect their protocol by content.
 *
 * Datagram analyzers see one packet's payload and keep no state; stream analyzers (protocols/stream.ts) get a
 * parser per TCP connection fed with reassembled bytes.
 */
import type { ObservationSink, PacketContext, ProtocolName } from '../observe/observation.js';
import type { RegisteredStreamAnalyzer, StreamAnalyzer } from './stream.js';
import { analyzeDhcpDatagram, DHCP_PORTS } from './dhcp/analyzer.js';
import { analyzeDnsDatagram, DNS_PORTS } from './dns/analyzer.js';
import { analyzeNbdgmDatagram, analyzeNbnsDatagram, NBDGM_PORTS, NBNS_PORTS } from './netbios/analyzer.js';
import { analyzeSsdpDatagram, SSDP_PORTS } from './ssdp/analyzer.js';
import { HL7_PORTS, openHl7, sniffHl7Stream } from './hl7/analyzer.js';
import { openPoct1a, POCT1A_PORTS, sniffPoct1aStream } from './poct1a/analyzer.js';

/** A protocol carried in single UDP datagrams. */
export interface DatagramAnalyzer {
  /** UDP ports (either side) that select this analyzer. */
  ports: readonly number[];
  /** Decodes one datagram payload b[off, off+len) and emits observations; never throws; returns why it failed, or null. */
  analyze(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null;
}

/** A registry entry: a datagram analyzer on UDP, or a stream analyzer on TCP. */
export type AnyAnalyzer = ({ transport: 'udp' } & DatagramAnalyzer) | ({ transport: 'tcp' } & StreamAnalyzer);

/** All analyzers by protocol name. */
export const ANALYZERS = {
  dhcp: { transport: 'udp', ports: DHCP_PORTS, analyze: analyzeDhcpDatagram },
  dns: { transport: 'udp', ports: DNS_PORTS, analyze: analyzeDnsDatagram },
  nbns: { transport: 'udp', ports: NBNS_PORTS, analyze: analyzeNbnsDatagram },
  nbdgm: { transport: 'udp', ports: NBDGM_PORTS, analyze: analyzeNbdgmDatagram },
  ssdp: { transport: 'udp', ports: SSDP_PORTS, analyze: analyzeSsdpDatagram },
  hl7: { transport: 'tcp', ports: HL7_PORTS, sniff: sniffHl7Stream, open: openHl7 },
  poct1a: { transport: 'tcp', ports: POCT1A_PORTS, sniff: sniffPoct1aStream, open: openPoct1a },
} as const satisfies Record<ProtocolName, AnyAnalyzer>;

/** Every registry entry with its name. */
function entries(): [ProtocolName, AnyAnalyzer][] {
  return Object.entries(ANALYZERS) as [ProtocolName, AnyAnalyzer][];
}

/** An analyzer with its registry name (the name its failures and logs are counted under). */
export interface RegisteredAnalyzer extends DatagramAnalyzer {
  name: ProtocolName;
}

/** UDP port → analyzer, built from ANALYZERS. */
export function udpPortIndex(): (RegisteredAnalyzer | undefined)[] {
  const index: (RegisteredAnalyzer | undefined)[] = new Array(65536);
  for (const [name, a] of entries()) {
    if (a.transport !== 'udp') continue;
    const entry: RegisteredAnalyzer = { name, ports: a.ports, analyze: a.analyze };
    for (const p of a.ports) index[p] = entry;
  }
  return index;
}

/** The stream analyzers: TCP port → analyzer, and every analyzer that can detect its protocol by content. */
export function tcpAnalyzers(): { byPort: (RegisteredStreamAnalyzer | undefined)[]; sniffers: RegisteredStreamAnalyzer[] } {
  const byPort: (RegisteredStreamAnalyzer | undefined)[] = new Array(65536);
  const sniffers: RegisteredStreamAnalyzer[] = [];
  for (const [name, a] of entries()) {
    if (a.transport !== 'tcp') continue;
    const entry: RegisteredStreamAnalyzer = { name, ports: a.ports, open: a.open, ...(a.sniff ? { sniff: a.sniff } : {}) };
    for (const p of a.ports) byPort[p] = entry;
    if (entry.sniff) sniffers.push(entry);
  }
  return { byPort, sniffers };
}
