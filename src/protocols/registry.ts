/**
 * The analyzer registry: every protocol analyzer, in two exhaustive typed tables — ANALYZERS for protocols carried
 * over IP (UDP datagram analyzers selected by port; TCP stream analyzers selected by port or by content) and
 * FRAME_ANALYZERS for link-layer protocols (selected by ethertype or by LLC/SNAP OUI and protocol id) — so that adding
 * a ProtocolName without exactly one analyzer is a compile error (observation.ts splits ProtocolName into
 * IpProtocolName and FrameProtocolName by the kind of context an observation carries; each table must cover its
 * half); plus the indexes the ingest dispatches with.
 *
 * Datagram analyzers see one packet's payload and keep no state; stream analyzers (protocols/stream.ts) get a
 * parser per TCP connection fed with reassembled bytes.
 */
import type { FrameContext, FrameProtocolName, IpProtocolName, ObservationSink, PacketContext, ProtocolName } from '../observe/observation.js';
import { analyzeCdpFrame, CDP_SNAP_OUI, CDP_SNAP_PID } from './cdp/analyzer.js';
import type { RegisteredStreamAnalyzer, StreamAnalyzer } from './stream.js';
import { analyzeDhcpDatagram, DHCP_PORTS } from './dhcp/analyzer.js';
import { analyzeDhcpv6Datagram, DHCPV6_PORTS } from './dhcpv6/analyzer.js';
import { DICOM_ANALYZER } from './dicom/analyzer.js';
import { analyzeDnsDatagram, DNS_PORTS } from './dns/analyzer.js';
import { analyzeLldpFrame, LLDP_ETHERTYPE } from './lldp/analyzer.js';
import { HTTP_PORTS, openHttpStream } from './http/analyzer.js';
import { sniffHttp } from './http/parser.js';
import { analyzeNbdgmDatagram, analyzeNbnsDatagram, NBDGM_PORTS, NBNS_PORTS } from './netbios/analyzer.js';
import { analyzeNtpDatagram, NTP_PORTS } from './ntp/analyzer.js';
import { openSmbStream, SMB_PORTS, sniffSmb } from './smb/analyzer.js';
import { analyzeSnmpDatagram, SNMP_PORTS } from './snmp/analyzer.js';
import { analyzeSsdpDatagram, SSDP_PORTS } from './ssdp/analyzer.js';
import { analyzeWsdDatagram, WSD_PORTS } from './wsd/analyzer.js';
import { FTP_PORTS, openFtpStream, sniffFtp } from './ftp/analyzer.js';
import { openTelnetStream, TELNET_PORTS } from './telnet/analyzer.js';
import { openRdpStream, RDP_PORTS, sniffRdp } from './rdp/analyzer.js';
import { openSshStream, sniffSsh, SSH_PORTS } from './ssh/analyzer.js';
import { openTlsStream, sniffTls, TLS_PORTS } from './tls/analyzer.js';
import { HL7_PORTS, openHl7, sniffHl7Stream } from './hl7/analyzer.js';
import { openPoct1a, POCT1A_PORTS, sniffPoct1aStream } from './poct1a/analyzer.js';
import { analyzeIntellivueDatagram, INTELLIVUE_PORTS } from './intellivue/analyzer.js';

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
  dhcpv6: { transport: 'udp', ports: DHCPV6_PORTS, analyze: analyzeDhcpv6Datagram },
  dicom: { transport: 'tcp', ...DICOM_ANALYZER },
  dns: { transport: 'udp', ports: DNS_PORTS, analyze: analyzeDnsDatagram },
  nbns: { transport: 'udp', ports: NBNS_PORTS, analyze: analyzeNbnsDatagram },
  nbdgm: { transport: 'udp', ports: NBDGM_PORTS, analyze: analyzeNbdgmDatagram },
  ntp: { transport: 'udp', ports: NTP_PORTS, analyze: analyzeNtpDatagram },
  snmp: { transport: 'udp', ports: SNMP_PORTS, analyze: analyzeSnmpDatagram },
  ssdp: { transport: 'udp', ports: SSDP_PORTS, analyze: analyzeSsdpDatagram },
  sdc: { transport: 'udp', ports: WSD_PORTS, analyze: analyzeWsdDatagram },
  ftp: { transport: 'tcp', ports: FTP_PORTS, sniff: sniffFtp, open: openFtpStream },
  telnet: { transport: 'tcp', ports: TELNET_PORTS, open: openTelnetStream },
  rdp: { transport: 'tcp', ports: RDP_PORTS, sniff: sniffRdp, open: openRdpStream },
  ssh: { transport: 'tcp', ports: SSH_PORTS, sniff: sniffSsh, open: openSshStream },
  tls: { transport: 'tcp', ports: TLS_PORTS, open: openTlsStream, sniff: sniffTls },
  http: { transport: 'tcp', ports: HTTP_PORTS, open: openHttpStream, sniff: sniffHttp },
  smb: { transport: 'tcp', ports: SMB_PORTS, sniff: sniffSmb, open: openSmbStream },
  hl7: { transport: 'tcp', ports: HL7_PORTS, sniff: sniffHl7Stream, open: openHl7 },
  poct1a: { transport: 'tcp', ports: POCT1A_PORTS, sniff: sniffPoct1aStream, open: openPoct1a },
  intellivue: { transport: 'udp', ports: INTELLIVUE_PORTS, analyze: analyzeIntellivueDatagram },
} as const satisfies Record<IpProtocolName, AnyAnalyzer>;

/** Every registry entry with its name. */
function entries(): [IpProtocolName, AnyAnalyzer][] {
  return Object.entries(ANALYZERS) as [IpProtocolName, AnyAnalyzer][];
}

/** What selects a frame analyzer: an ethertype (Ethernet II, Linux cooked), or an LLC/SNAP OUI and protocol id (802.3). */
export type FrameSelector = { ethertype: number } | { snapOui: number; snapPid: number };

/** A link-layer protocol carried in single frames (no IP). */
export interface FrameAnalyzer {
  select: FrameSelector;
  /** Decodes one link-layer payload b[off, off+len) and emits observations; never throws; returns why it failed, or null. */
  analyze(b: Uint8Array, off: number, len: number, ctx: () => FrameContext, emit: ObservationSink): string | null;
}

/** Frame analyzers by protocol name: one for every protocol whose observations carry a FrameContext only. */
export const FRAME_ANALYZERS = {
  lldp: { select: { ethertype: LLDP_ETHERTYPE }, analyze: analyzeLldpFrame },
  cdp: { select: { snapOui: CDP_SNAP_OUI, snapPid: CDP_SNAP_PID }, analyze: analyzeCdpFrame },
} as const satisfies Record<FrameProtocolName, FrameAnalyzer>;

/** An analyzer with its registry name (the name its failures and logs are counted under). */
export interface RegisteredAnalyzer extends DatagramAnalyzer {
  name: ProtocolName;
}

/** A frame analyzer with its registry name. */
export interface RegisteredFrameAnalyzer extends FrameAnalyzer {
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
    const entry: RegisteredStreamAnalyzer = { name, ports: a.ports, open: a.open, ...(a.sniff ? { sniff: a.sniff } : {}), ...(a.keepOnPort ? { keepOnPort: true } : {}) };
    for (const p of a.ports) byPort[p] = entry;
    if (entry.sniff) sniffers.push(entry);
  }
  return { byPort, sniffers };
}

/** Frame analyzers by ethertype (an array indexed by it) and by SNAP OUI × 65536 + protocol id. */
export interface FrameAnalyzerIndex {
  byEthertype: (RegisteredFrameAnalyzer | undefined)[];
  bySnap: Map<number, RegisteredFrameAnalyzer>;
}

/** The index of FRAME_ANALYZERS. */
export function frameAnalyzerIndex(): FrameAnalyzerIndex {
  const index: FrameAnalyzerIndex = { byEthertype: new Array(65536), bySnap: new Map() };
  for (const [name, a] of Object.entries(FRAME_ANALYZERS) as [ProtocolName, FrameAnalyzer][]) {
    const entry: RegisteredFrameAnalyzer = { name, select: a.select, analyze: a.analyze };
    if ('ethertype' in a.select) index.byEthertype[a.select.ethertype] = entry;
    else index.bySnap.set(a.select.snapOui * 65536 + a.select.snapPid, entry);
  }
  return index;
}

/**
 * The analyzer of a non-IP frame, given its ethertype (0 for an 802.3 length frame) and SNAP OUI (-1 without SNAP)
 * and protocol id: an array read for an Ethernet II frame, a map lookup only for an LLC/SNAP one.
 */
export function frameAnalyzerFor(index: FrameAnalyzerIndex, ethertype: number, snapOui: number, snapPid: number): RegisteredFrameAnalyzer | undefined {
  return snapOui >= 0 ? index.bySnap.get(snapOui * 65536 + snapPid) : index.byEthertype[ethertype];
}
