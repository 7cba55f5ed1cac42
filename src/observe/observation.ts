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
import type { SshSession } from '../protocols/ssh/analyzer.js';
import type { FtpSession } from '../protocols/ftp/analyzer.js';
import type { TelnetSession } from '../protocols/telnet/analyzer.js';
import type { RdpSession } from '../protocols/rdp/analyzer.js';

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

/** One SSH connection's handshake: identification strings, KEXINIT lists, HASSH (TCP 22 or content-detected). */
export interface SshObservation {
  kind: 'ssh';
  /** The connection's client → server context, at its first analysed packet. */
  ctx: PacketContext;
  msg: SshSession;
}

/** One FTP control connection: greeting, user, login outcome, SYST/FEAT, data channels, commands (TCP 21). */
export interface FtpObservation {
  kind: 'ftp';
  /** The connection's client → server context, at its first analysed packet. */
  ctx: PacketContext;
  msg: FtpSession;
}

/** One Telnet connection: option negotiation, banner, login heuristics (TCP 23). */
export interface TelnetObservation {
  kind: 'telnet';
  /** The connection's client → server context, at its first analysed packet. */
  ctx: PacketContext;
  msg: TelnetSession;
}

/** One RDP connection's X.224 negotiation: cookie, requested and selected security protocols (TCP 3389). */
export interface RdpObservation {
  kind: 'rdp';
  /** The connection's client → server context, at its first analysed packet. */
  ctx: PacketContext;
  msg: RdpSession;
}

/** Every observation type; extend this union (and the registry) when adding a protocol. */
export type Observation = DhcpObservation | DnsObservation | NbnsObservation | NbdgmObservation | SsdpObservation | SshObservation
  | FtpObservation | TelnetObservation | RdpObservation;

/** Protocol names: the `kind` of each observation and the name of its JSONL log. */
export type ProtocolName = Observation['kind'];

/** Receives observations (log writers, identification). */
export type ObservationSink = (o: Observation) => void;
