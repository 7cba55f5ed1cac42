/**
 * Generate test/conformance/dhcpv6/tshark-dhcpv6.json: tshark's DHCPv6 field values for every DHCPv6 frame of every
 * capture in the shared corpus that holds DHCPv6, so the DHCPv6 parser can be compared with tshark field by field
 * without running tshark at test time (test/conformance/dhcpv6/dhcpv6-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-dhcpv6-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/dhcpv6/tshark-dhcpv6.json] [--jobs 2]
 *     [--only SUBSTRING] [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `dhcpv6`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y dhcpv6 -T fields -e frame.number` (stopped at its first output line). `--probe-all` probes
 * every capture instead (checked once: the same 12 captures).
 *
 * Per selected capture F it runs (LC_ALL=C, empty WIRESHARK_CONFIG_DIR, every dissector preference at its default):
 *   tshark -n -r F -Y dhcpv6 -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F (DUID times hold commas, text options may). Field names were checked
 * against `tshark -G fields` of TShark 4.0.17. tshark lists the fields of relayed messages and of options nested in
 * options (IA Address in IA_NA, …) as further occurrences, in wire order.
 */
import { join } from 'node:path';
import { FRAME_CONTEXT_FIELDS, runSpecBaselineGenerator, runScript } from './tshark-runner.js';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const DHCPV6_TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  // Message and relay headers (RFC 8415 §8, §9).
  'dhcpv6.msgtype',
  'dhcpv6.hopcount',
  'dhcpv6.xid',
  'dhcpv6.linkaddr',
  'dhcpv6.peeraddr',
  // Every option code, nested ones included.
  'dhcpv6.option.type',
  'dhcpv6.option.length',
  // DUIDs (RFC 8415 §11, RFC 6355).
  'dhcpv6.duid.bytes',
  'dhcpv6.duid.type',
  'dhcpv6.duidllt.hwtype',
  'dhcpv6.duidllt.time',
  'dhcpv6.duidllt.link_layer_addr',
  'dhcpv6.duidll.hwtype',
  'dhcpv6.duidll.link_layer_addr',
  'dhcpv6.duiden.enterprise',
  'dhcpv6.duiden.identifier',
  'dhcpv6.duiduuid.bytes',
  // Identity associations.
  'dhcpv6.iaid',
  'dhcpv6.iaid.t1',
  'dhcpv6.iaid.t2',
  'dhcpv6.iata',
  'dhcpv6.iaaddr.ip',
  'dhcpv6.iaaddr.pref_lifetime',
  'dhcpv6.iaaddr.valid_lifetime',
  'dhcpv6.iaprefix.pref_lifetime',
  'dhcpv6.iaprefix.valid_lifetime',
  'dhcpv6.iaprefix.pref_len',
  'dhcpv6.iaprefix.pref_addr',
  // Other options.
  'dhcpv6.requested_option_code',
  'dhcpv6.option_preference',
  'dhcpv6.elapsed_time',
  'dhcpv6.status_code',
  'dhcpv6.status_msg',
  'dhcpv6.userclass.opaque_data',
  'dhcpv6.vendorclass.enterprise',
  'dhcpv6.vendorclass.data',
  'dhcpv6.vendoropts.enterprise',
  'dhcpv6.vendoropts.enterprise.option_code',
  'dhcpv6.interface_id',
  'dhcpv6.client_fqdn_flags',
  'dhcpv6.client_domain',
  'dhcpv6.dns_server',
  'dhcpv6.search_list_entry',
  'dhcpv6.mudurl',
] as const;

runScript(() => runSpecBaselineGenerator({
  generator: 'scripts/make-dhcpv6-baselines.ts',
  protocol: 'DHCPv6',
  countKey: 'dhcpv6_frames',
  defaultOut: join('test', 'conformance', 'dhcpv6', 'tshark-dhcpv6.json'),
  manifestTokens: ['dhcpv6'],
  filter: 'dhcpv6',
  fields: DHCPV6_TSHARK_FIELDS,
  aggregator: '\u001f',
  ports: ['546', '547'],
}));
