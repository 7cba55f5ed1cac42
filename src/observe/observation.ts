/**
 * The contract between protocol analyzers and everything else (DESIGN §1: "parsing never decides"). Analyzers in
 * src/protocols/ emit these typed observations; identification, logs, risk and detection consume them and never
 * import a parser.
 *
 * Every observation carries where it was seen and a protocol record: a `PacketContext` (MACs, IPs, ports) for
 * protocols carried over IP, a `FrameContext` (MACs only) for link-layer protocols such as LLDP and CDP. Records are flat,
 * snake_case and JSON-serialisable: they are also what `medtap ingest --log-dir DIR` writes, one JSONL file per
 * protocol, each documented by a JSON Schema in schemas/logs/.
 */
import type { CdpMessage } from '../protocols/cdp/parser.js';
import type { DhcpMessage } from '../protocols/dhcp/parser.js';
import type { DnsMessage } from '../protocols/dns/parser.js';
import type { LldpMessage } from '../protocols/lldp/parser.js';
import type { NbnsMessage, NetbiosDatagram } from '../protocols/netbios/parser.js';
import type { SsdpMessage } from '../protocols/ssdp/parser.js';

/**
 * Where a link-layer frame (no IP) was seen. MACs as aa:bb:cc:dd:ee:ff text (null when the capture has no such
 * address, e.g. the destination in a Linux cooked capture); `vlan` is the outer 802.1Q VLAN id, null if untagged.
 */
export interface FrameContext {
  ts_us: number;
  src_mac: string | null;
  dst_mac: string | null;
  vlan: number | null;
}

/** Where an IP packet was seen: its frame's context plus addresses and ports. */
export interface PacketContext extends FrameContext {
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
}

/** A DHCPv4 message (RFC 2131/2132), as decoded. */
export interface DhcpObservation {
  kind: 'dhcp';
  ctx: PacketContext;
  msg: DhcpMessage;
}

/** A DNS, mDNS or LLMNR message (RFC 1035 wire format), as decoded. */
export interface DnsObservation {
  kind: 'dns';
  ctx: PacketContext;
  msg: { service: 'dns' | 'mdns' | 'llmnr' } & DnsMessage;
}

/** A NetBIOS name service message (UDP 137). */
export interface NbnsObservation {
  kind: 'nbns';
  ctx: PacketContext;
  msg: NbnsMessage;
}

/** A NetBIOS datagram (UDP 138), with its browser announcement when it carries one. */
export interface NbdgmObservation {
  kind: 'nbdgm';
  ctx: PacketContext;
  msg: NetbiosDatagram;
}

/** An SSDP (UPnP discovery) message: M-SEARCH, NOTIFY or search response. */
export interface SsdpObservation {
  kind: 'ssdp';
  ctx: PacketContext;
  msg: SsdpMessage;
}

/** An LLDPDU (IEEE 802.1AB, ethertype 0x88cc), as decoded. */
export interface LldpObservation {
  kind: 'lldp';
  ctx: FrameContext;
  msg: LldpMessage;
}

/** A CDP PDU (Cisco Discovery Protocol v1/v2, LLC/SNAP 00-00-0C/0x2000), as decoded. */
export interface CdpObservation {
  kind: 'cdp';
  ctx: FrameContext;
  msg: CdpMessage;
}

/** Every observation type; extend this union (and the registry) when adding a protocol. */
export type Observation = DhcpObservation | DnsObservation | NbnsObservation | NbdgmObservation | SsdpObservation | LldpObservation | CdpObservation;

/** Protocol names: the `kind` of each observation and the name of its JSONL log. */
export type ProtocolName = Observation['kind'];

/** Protocols seen in IP packets (their observations carry a PacketContext): each has a UDP or TCP analyzer. */
export type IpProtocolName = Extract<Observation, { ctx: PacketContext }>['kind'];

/** Link-layer protocols (their observations carry a FrameContext only): each has a frame analyzer. */
export type FrameProtocolName = Exclude<ProtocolName, IpProtocolName>;

/** Receives observations (log writers, identification). */
export type ObservationSink = (o: Observation) => void;
