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
import type { Dhcpv6Message } from '../protocols/dhcpv6/parser.js';
import type { DicomAssociation } from '../protocols/dicom/association.js';
import type { DnsMessage } from '../protocols/dns/parser.js';
import type { LldpMessage } from '../protocols/lldp/parser.js';
import type { HttpTransaction } from '../protocols/http/transaction.js';
import type { NbnsMessage, NetbiosDatagram } from '../protocols/netbios/parser.js';
import type { NtpMessage } from '../protocols/ntp/parser.js';
import type { SmbSession } from '../protocols/smb/analyzer.js';
import type { SnmpMessage } from '../protocols/snmp/parser.js';
import type { SsdpMessage } from '../protocols/ssdp/parser.js';
import type { SshSession } from '../protocols/ssh/analyzer.js';
import type { FtpSession } from '../protocols/ftp/analyzer.js';
import type { TelnetSession } from '../protocols/telnet/analyzer.js';
import type { RdpSession } from '../protocols/rdp/analyzer.js';
import type { TlsSession } from '../protocols/tls/session.js';
import type { Hl7Record } from '../protocols/hl7/analyzer.js';
import type { Poct1aRecord } from '../protocols/poct1a/analyzer.js';
import type { IntellivueMessage } from '../protocols/intellivue/parser.js';
import type { WsdMessage } from '../protocols/wsd/parser.js';

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

/** A DHCPv6 message (RFC 8415), relays unwrapped, as decoded. */
export interface Dhcpv6Observation {
  kind: 'dhcpv6';
  ctx: PacketContext;
  msg: Dhcpv6Message;
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

/** An NTP message (RFC 5905), or an ntpd mode 6 control / mode 7 private message. */
export interface NtpObservation {
  kind: 'ntp';
  ctx: PacketContext;
  msg: NtpMessage;
}

/** An SSDP (UPnP discovery) message: M-SEARCH, NOTIFY or search response. */
export interface SsdpObservation {
  kind: 'ssdp';
  ctx: PacketContext;
  msg: SsdpMessage;
}

/** A WS-Discovery message (UDP 3702: DPWS, Windows WSD, IEEE 11073 SDC discovery). Never patient context values. */
export interface SdcObservation {
  kind: 'sdc';
  ctx: PacketContext;
  msg: WsdMessage;
}

/** An LLDPDU (IEEE 802.1AB, ethertype 0x88cc), as decoded. */
export interface LldpObservation {
  kind: 'lldp';
  ctx: FrameContext;
  msg: LldpMessage;
}
/** An SNMP message (v1, v2c or v3; UDP 161/162): request, response, trap, notification or report. */
export interface SnmpObservation {
  kind: 'snmp';
  ctx: PacketContext;
  msg: SnmpMessage;
}
/** One SSH connection's handshake: identification strings, KEXINIT lists, HASSH (TCP 22 or content-detected). */
export interface SshObservation {
  kind: 'ssh';
  /** The connection's client → server context, at its first analysed packet. */
  ctx: PacketContext;
  msg: SshSession;
}
/** A DICOM association (PS3.8 upper layer): one per TCP connection, summarised when it ends. */
export interface DicomObservation {
  kind: 'dicom';
  /** The client (association requestor) → server context, at the first PDU. */
  ctx: PacketContext;
  msg: DicomAssociation;
}
/** The cleartext handshake of one TLS connection (ClientHello, ServerHello, certificates), ctx client → server. */
export interface TlsObservation {
  kind: 'tls';
  ctx: PacketContext;
  msg: TlsSession;
}
/** An HTTP/1.x request paired with its response (either may be missing), reduced for storage. */
export interface HttpObservation {
  kind: 'http';
  ctx: PacketContext;
  msg: HttpTransaction;
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

/**
 * One Philips IntelliVue Data Export message (UDP 24005 Connect Indication, UDP 24105 association and data export):
 * kinds, operations, poll types and counts, MDS identity attributes; of patient demographics only the kinds present.
 */
export interface IntellivueObservation {
  kind: 'intellivue';
  ctx: PacketContext;
  msg: IntellivueMessage;
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


/** A CDP PDU (Cisco Discovery Protocol v1/v2, LLC/SNAP 00-00-0C/0x2000), as decoded. */
export interface CdpObservation {
  kind: 'cdp';
  ctx: FrameContext;
  msg: CdpMessage;
}

/**
 * A passive OS fingerprint of a TCP SYN or SYN-ACK (p0f v3 style), written the first time a (MAC, IP) endpoint shows
 * a given fingerprint. Not from a protocol analyzer: the ingest produces it when a TCP flow ends, from the handshake
 * the flow table kept (src/identify/tcp-os-identity.ts). Its context is the sender's; `ts` is the flow's start.
 */
export interface TcpFingerprintObservation {
  kind: 'tcp_fp';
  ctx: PacketContext;
  msg: TcpFingerprintRecord;
}

/** The fields of a tcp_fp record (schemas/logs/tcp_fp.schema.json). */
export interface TcpFingerprintRecord {
  /** 'syn' (the client's SYN) or 'syn-ack' (the server's SYN-ACK). */
  direction: 'syn' | 'syn-ack';
  /** p0f-style raw signature `ver:ttl+dist:olen:mss:wsize,scale:olayout:quirks:pclass` (dist guessed, `?` if > 35). */
  raw_sig: string;
  ip_version: number;
  ttl: number;
  /** Initial TTL: the matched signature's, else the guess (32, 64, 128 or 255). */
  initial_ttl: number;
  /** Hops between sender and capture point; null when the matched signature randomises its TTL. */
  hop_distance: number | null;
  ip_olen: number;
  mss: number | null;
  window: number;
  wscale: number | null;
  layout: string;
  quirks: string;
  payload: number;
  /** The matched signature's label, class and line (`tcp-os.tsv:N`); nulls when nothing matched. */
  os: string | null;
  os_class: string | null;
  signature: string | null;
  match: 'exact' | 'fuzzy' | 'none';
  generic: boolean;
  confidence: number;
}

/** One SMB connection's negotiation and session setup (SMB1/SMB2/3, NTLMSSP identity fields), when it ends. */
export interface SmbObservation {
  kind: 'smb';
  /** The connection's client → server context (its first analysed packet). */
  ctx: PacketContext;
  msg: SmbSession;
}

/** Every observation type; extend this union (and the registry, for protocol analyzers) when adding one. */
export type Observation = DhcpObservation | Dhcpv6Observation | DnsObservation | NbnsObservation | NbdgmObservation | NtpObservation | SnmpObservation | SsdpObservation | SdcObservation
  | LldpObservation | CdpObservation | TcpFingerprintObservation
  | SshObservation | FtpObservation | TelnetObservation | RdpObservation | Hl7Observation | Poct1aObservation | IntellivueObservation | HttpObservation | TlsObservation | DicomObservation | SmbObservation;

/** Observation kinds: the name of each JSONL log. */
export type LogName = Observation['kind'];

/** Kinds produced by the ingest itself rather than by a registered protocol analyzer. */
export type DerivedLogName = 'tcp_fp';

/** Protocol analyzer names (the registry's keys): every log name but the derived ones. */
export type ProtocolName = Exclude<LogName, DerivedLogName>;

/** Protocols seen in IP packets (their observations carry a PacketContext): each has a UDP or TCP analyzer. */
export type IpProtocolName = Exclude<Extract<Observation, { ctx: PacketContext }>['kind'], DerivedLogName>;

/** Link-layer protocols (their observations carry a FrameContext only): each has a frame analyzer. */
export type FrameProtocolName = Exclude<ProtocolName, IpProtocolName>;

/** Receives observations (log writers, identification). */
export type ObservationSink = (o: Observation) => void;
