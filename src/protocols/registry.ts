/**
 * The analyzer registry: every protocol analyzer, in one exhaustive typed table (adding a ProtocolName without an
 * analyzer is a compile error), plus the port index the ingest uses to dispatch UDP payloads.
 *
 * Analyzers see one packet's payload and its context and emit observations; they keep no state across packets yet
 * (stateful TCP analyzers come with TCP reassembly).
 */
import type { ObservationSink, PacketContext, ProtocolName } from '../observe/observation.js';
import { analyzeDhcpDatagram, DHCP_PORTS } from './dhcp/analyzer.js';
import { analyzeDnsDatagram, DNS_PORTS } from './dns/analyzer.js';
import { analyzeNbdgmDatagram, analyzeNbnsDatagram, NBDGM_PORTS, NBNS_PORTS } from './netbios/analyzer.js';
import { analyzeSnmpDatagram, SNMP_PORTS } from './snmp/analyzer.js';
import { analyzeSsdpDatagram, SSDP_PORTS } from './ssdp/analyzer.js';

/** A protocol carried in single UDP datagrams. */
export interface DatagramAnalyzer {
  /** UDP ports (either side) that select this analyzer. */
  ports: readonly number[];
  /** Decodes one datagram payload b[off, off+len) and emits observations; never throws; returns why it failed, or null. */
  analyze(b: Uint8Array, off: number, len: number, ctx: () => PacketContext, emit: ObservationSink): string | null;
}

/** All analyzers by protocol name. */
export const ANALYZERS = {
  dhcp: { ports: DHCP_PORTS, analyze: analyzeDhcpDatagram },
  dns: { ports: DNS_PORTS, analyze: analyzeDnsDatagram },
  nbns: { ports: NBNS_PORTS, analyze: analyzeNbnsDatagram },
  nbdgm: { ports: NBDGM_PORTS, analyze: analyzeNbdgmDatagram },
  ssdp: { ports: SSDP_PORTS, analyze: analyzeSsdpDatagram },
  snmp: { ports: SNMP_PORTS, analyze: analyzeSnmpDatagram },
} as const satisfies Record<ProtocolName, DatagramAnalyzer>;

/** An analyzer with its registry name (the name its failures and logs are counted under). */
export interface RegisteredAnalyzer extends DatagramAnalyzer {
  name: ProtocolName;
}

/** UDP port → analyzer, built from ANALYZERS. */
export function udpPortIndex(): (RegisteredAnalyzer | undefined)[] {
  const index: (RegisteredAnalyzer | undefined)[] = new Array(65536);
  for (const [name, a] of Object.entries(ANALYZERS) as [ProtocolName, DatagramAnalyzer][]) {
    const entry: RegisteredAnalyzer = { name, ports: a.ports, analyze: a.analyze };
    for (const p of a.ports) index[p] = entry;
  }
  return index;
}
