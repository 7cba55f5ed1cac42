/**
 * Named decoding anomalies ("weirds", in Zeek's word). A malformed header never throws: the decoder stops at
 * that layer, records one of these codes on the packet, and the ingest counts it by name.
 */

/** Anomaly codes; 0 means none. Keep ANOMALY_NAMES in the same order. */
export const enum Anomaly {
  None = 0,
  TruncatedEthernet,
  TruncatedVlan,
  TooManyVlanTags,
  UnknownLinktype,
  TruncatedLinkHeader,
  TruncatedArp,
  ArpUnsupportedAddressSizes,
  TruncatedIpv4Header,
  Ipv4BadVersion,
  Ipv4BadHeaderLength,
  Ipv4BadTotalLength,
  TruncatedIpv6Header,
  Ipv6BadVersion,
  Ipv6TruncatedExtensionHeader,
  Ipv6TooManyExtensionHeaders,
  Ipv6PayloadLengthExceedsFrame,
  TruncatedTcpHeader,
  TcpBadDataOffset,
  TruncatedUdpHeader,
  UdpBadLength,
  TruncatedIcmpHeader,
  TruncatedTunnelHeader,
  TooManyEncapsulations,
  FlowTableFullEvicted,
  EdgeTableFull,
  TruncatedMplsHeader,
  TruncatedPppoeHeader,
  FragmentWithoutFirst,
  EndpointTableFull,
  TcpReassemblyGap,
  TcpReassemblyLimit,
  TcpOverlapMismatch,
}

/** Snake-case names, indexed by Anomaly code. */
export const ANOMALY_NAMES: readonly string[] = [
  'none',
  'truncated_ethernet_header',
  'truncated_vlan_tag',
  'too_many_vlan_tags',
  'unknown_link_type',
  'truncated_link_header',
  'truncated_arp',
  'arp_unsupported_address_sizes',
  'truncated_ipv4_header',
  'ipv4_bad_version',
  'ipv4_bad_header_length',
  'ipv4_bad_total_length',
  'truncated_ipv6_header',
  'ipv6_bad_version',
  'ipv6_truncated_extension_header',
  'ipv6_too_many_extension_headers',
  'ipv6_payload_length_exceeds_frame',
  'truncated_tcp_header',
  'tcp_bad_data_offset',
  'truncated_udp_header',
  'udp_bad_length',
  'truncated_icmp_header',
  'truncated_tunnel_header',
  'too_many_encapsulations',
  'flow_table_full_evicted',
  'edge_table_full',
  'truncated_mpls_header',
  'truncated_pppoe_header',
  'ip_fragment_without_first',
  'endpoint_table_full',
  'tcp_reassembly_gap',
  'tcp_reassembly_limit',
  'tcp_overlap_mismatch',
];

/** Counts anomalies by code. */
export class AnomalyCounter {
  readonly counts = new Float64Array(ANOMALY_NAMES.length);

  add(code: number, n = 1): void {
    this.counts[code] = (this.counts[code] ?? 0) + n;
  }

  /** Non-zero counts by name. */
  toRecord(): Record<string, number> {
    const out: Record<string, number> = {};
    for (let i = 1; i < this.counts.length; i++) if (this.counts[i]! > 0) out[ANOMALY_NAMES[i]!] = this.counts[i]!;
    return out;
  }
}
