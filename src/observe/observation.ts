/**
 * The contract between protocol analyzers and everything else (DESIGN §1: "parsing never decides"). Analyzers in
 * src/protocols/ emit these typed observations; identification, logs, risk and detection consume them and never
 * import a parser.
 *
 * Every observation carries where it was seen (`PacketContext`) and a protocol record. Records are flat,
 * snake_case and JSON-serialisable: they are also what `medtap ingest --log-dir DIR` writes, one JSONL file per
 * protocol, each documented by a JSON Schema in schemas/logs/.
 */
import type { DhcpMessage } from '../protocols/dhcp/parser.js';
import type { DnsMessage } from '../protocols/dns/parser.js';
import type { NbnsMessage, NetbiosDatagram } from '../protocols/netbios/parser.js';
import type { SsdpMessage } from '../protocols/ssdp/parser.js';
import type { Hl7Record } from '../protocols/hl7/analyzer.js';
import type { Poct1aRecord } from '../protocols/poct1a/analyzer.js';

/** Where a packet was seen. MACs as aa:bb:cc:dd:ee:ff text (null without a link layer). */
export interface PacketContext {
  ts_us: number;
  src_mac: string | null;
  dst_mac: string | null;
  src_ip: string;
  dst_ip: string;
  src_port: number;
  dst_port: number;
  vlan: number | null;
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

/** One HL7 v2 message (MLLP or bare, either direction); `ctx` is its sender → receiver. Never patient values. */
export interface Hl7Observation {
  kind: 'hl7';
  ctx: PacketContext;
  msg: Hl7Record;
}

/** One POCT1-A device messaging layer message (XML over TCP); `ctx` is its sender → receiver. Never patient values. */
export interface Poct1aObservation {
  kind: 'poct1a';
  ctx: PacketContext;
  msg: Poct1aRecord;
}

/** Every observation type; extend this union (and the registry) when adding a protocol. */
export type Observation = DhcpObservation | DnsObservation | NbnsObservation | NbdgmObservation | SsdpObservation | Hl7Observation | Poct1aObservation;

/** Protocol names: the `kind` of each observation and the name of its JSONL log. */
export type ProtocolName = Observation['kind'];

/** Receives observations (log writers, identification). */
export type ObservationSink = (o: Observation) => void;
