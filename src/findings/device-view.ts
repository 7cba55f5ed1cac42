/**
 * The per-device view the finding rules read (built from the store by findings-db.ts, or by hand in tests), the
 * assessment context shared by all devices (time, knowledge data, weak devices, network zones), and the finding
 * records the rules produce. Kinds are a fixed vocabulary: other modules (the risk model) read them by name.
 */
import type { FindingsData } from './data-files.js';

/** Finding kinds (the `findings.kind` column). */
export const FINDING_KINDS = [
  'internet_exposure', 'exposed_service', 'less_secure_peer', 'flat_network', 'no_tunnel', 'phi_flow',
  'phi_in_clear', 'cleartext_credentials', 'default_credentials', 'insecure_protocol', 'eol_os',
] as const;
/** One finding kind. */
export type FindingKind = (typeof FINDING_KINDS)[number];
/** Exposure facts describe how a device is reachable or what it exchanges; misconfigurations are things to fix. */
export type FindingClass = 'exposure' | 'misconfiguration';
/** Severity levels, lowest first. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
/** One severity. */
export type Severity = (typeof SEVERITIES)[number];

/** The class of each kind. */
export const FINDING_CLASS = {
  internet_exposure: 'exposure', exposed_service: 'exposure', less_secure_peer: 'exposure', flat_network: 'exposure',
  no_tunnel: 'exposure', phi_flow: 'exposure', phi_in_clear: 'misconfiguration', cleartext_credentials: 'misconfiguration',
  default_credentials: 'misconfiguration', insecure_protocol: 'misconfiguration', eol_os: 'misconfiguration',
} as const satisfies Record<FindingKind, FindingClass>;

/** One piece of evidence: where it comes from (`edge`, `fact:<name>`, `data:<file:line>`, `zone`) and what it says. */
export interface EvidenceItem {
  source: string;
  detail: string;
  first_us?: number;
  last_us?: number;
}

/** A finding as a rule produces it (before storage). */
export interface FindingDraft {
  kind: FindingKind;
  /** The specific protocol, port, peer, zone or OS: (device, kind, subject) is unique. */
  subject: string;
  severity: Severity;
  title: string;
  evidence: EvidenceItem[];
  first_us: number;
  last_us: number;
}

/** One attribute (fact or derived value) of a device. */
export interface FactView {
  name: string;
  value: string;
  source: string;
  evidence: string | null;
  first_us: number;
  last_us: number;
}

/** One edge of a device, seen from that device. */
export interface EdgeView {
  /** The device's role: client (it opened the connections) or server. */
  role: 'client' | 'server';
  /** The peer device, null when unresolved (broadcast, unknown). */
  peer_id: number | null;
  peer_key: string | null;
  peer_category: string | null;
  /** The peer's addresses on this edge: the server IP when the device is the client, else the client's IPs. */
  peer_ips: readonly string[];
  /** Names of the peer (TLS SNI, HTTP Host, DNS) when known. */
  peer_names: readonly string[];
  /** IP protocol number (6 TCP, 17 UDP, 50 ESP, …). */
  proto: number;
  server_ip: string;
  /** 0 for protocols without ports. */
  server_port: number;
  flows: number;
  packets: number;
  bytes: number;
  first_us: number;
  last_us: number;
  /**
   * The server accepted at least one connection of this edge (TCP: a flow past the SYN, not `rejected` or `attempt`;
   * other protocols: always true). A port that only refused connections is not a service the device exposes.
   */
  answered: boolean;
  /** From the communication map (edges.app_proto); null when no analyzer named the connection. */
  app_proto: string | null;
  /** From the communication map (edges.encrypted); null when unknown. */
  encrypted: boolean | null;
  /** From the communication map (edges.phi_kinds). */
  phi_kinds: readonly string[];
  /** From the communication map (edges.cleartext_credentials). */
  cleartext_credentials: readonly string[];
}

/** Everything the rules know about one device. */
export interface DeviceView {
  id: number;
  key: string;
  category: string | null;
  /** From the category defaults (data/categories/categories.tsv). */
  medical: boolean;
  /** Sustains life or delivers therapy (category defaults). */
  critical_care: boolean;
  vendor: string | null;
  model: string | null;
  os: string | null;
  os_version: string | null;
  /** When the device was first and last seen (findings without timed evidence take this span). */
  first_us: number;
  last_us: number;
  ips: readonly string[];
  vlans: number[];
  /** The device's facts the rules read (the store's reader gives those named in rules.ts VIEW_FACT_NAMES). */
  facts: FactView[];
  edges: EdgeView[];
  /** True when edges were cut at MAX_EDGES_PER_DEVICE (evidence says so). */
  edges_truncated: boolean;
}

/** An IT workstation or server of a zone (the `flat_network` rule's evidence). */
export interface ZoneMember {
  id: number;
  key: string;
  category: string;
}

/** Context shared by every device of one assessment. */
export interface AssessmentContext {
  /** The assessment time, µs since the epoch (injectable for tests). */
  now_us: number;
  data: FindingsData;
  /** Devices with a weakness that makes them a less secure peer: id → reasons (end-of-life OS, cleartext credentials, SMBv1). */
  weak: ReadonlyMap<number, { key: string; reasons: string[] }>;
  /** IT workstations and servers per zone (`vlan:N` or `subnet:a.b.c.0/24`). */
  zones: ReadonlyMap<string, ZoneMember[]>;
}
