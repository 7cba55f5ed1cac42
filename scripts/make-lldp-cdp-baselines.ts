/**
 * Generate test/conformance/lldp-cdp/tshark-lldp-cdp.json: tshark's LLDP and CDP field values for every LLDP or CDP
 * frame of every capture in the shared corpus that holds them, so the two link-layer parsers can be compared with
 * tshark field by field without running tshark at test time (test/conformance/lldp-cdp/lldp-cdp-vs-tshark.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-lldp-cdp-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/lldp-cdp/tshark-lldp-cdp.json] [--jobs 2]
 *     [--only SUBSTRING] [--probe-all]
 *
 * Which captures: every *.pcap / *.pcapng under the corpus (recursively, skipping baselines/) whose manifest.tsv
 * `protocols` column holds the token `lldp` or `cdp`; a capture missing from the manifest is probed with
 * `tshark -n -r F -Y 'lldp || cdp' -T fields -e frame.number` (stopped at its first output line). `--probe-all`
 * probes every capture instead of trusting the manifest.
 *
 * Per selected capture F it runs tshark once (LC_ALL=C, empty WIRESHARK_CONFIG_DIR: every dissector preference at
 * its default):
 *   tshark -n -r F -Y 'lldp || cdp' -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US>
 *     -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F: system descriptions and software versions hold commas, while tshark
 * never prints a raw control character in a field value. The fields start with the shared transport context
 * (empty for these link-layer frames) and the Ethernet source and VLAN; field names were checked against
 * `tshark -G fields` of TShark 4.0.17.
 *
 * The JSON stores, per capture, `frames`: frame number -> array of the raw tshark strings in the order of the
 * top-level `fields` array (frame.number itself is the key; trailing empty values are dropped), multi-occurrence
 * values joined with U+001F.
 */
import { FRAME_CONTEXT_FIELDS, frameBaselineArgs, readFrameFields, runFrameBaselineGenerator, runScript } from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const LLDP_CDP_AGGREGATOR = '\u001f';

/** The display filter selecting the frames recorded. */
export const LLDP_CDP_FILTER = 'lldp || cdp';

/** The boolean fields of the LLDP system capabilities, in bit order (802.1AB-2016 Table 8-4, first 8 bits). */
export const LLDP_CAPABILITY_BITS = ['other', 'repeater', 'bridge', 'wlan_access_pt', 'router', 'telephone', 'docsis_cable_device', 'station_only'] as const;
/** The boolean fields of the LLDP-MED capabilities, in bit order. */
export const MED_CAPABILITY_BITS = ['llpd', 'network_policy', 'location_id', 'mdi_pse', 'mid_pd', 'inventory'] as const;
/** The boolean fields of the CDP capabilities, in bit order. */
export const CDP_CAPABILITY_BITS = ['router', 'trans_bridge', 'src_bridge', 'switch', 'host', 'igmp_capable', 'repeater', 'voip_phone', 'remote', 'cvta', 'mac_relay'] as const;

/** The LLDP-MED inventory fields (TIA-1057 §10.2.6), in subtype order. */
export const MED_INVENTORY_FIELDS = ['hardware', 'firmware', 'software', 'sn', 'manufacturer', 'model', 'asset'] as const;

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const LLDP_CDP_TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  'eth.src',
  'vlan.id',
  // LLDP basic TLVs (802.1AB-2016 §8.5).
  'lldp.tlv.type',
  'lldp.chassis.subtype',
  'lldp.chassis.id',
  'lldp.chassis.id.mac',
  'lldp.chassis.id.ip4',
  'lldp.chassis.id.ip6',
  'lldp.port.subtype',
  'lldp.port.id',
  'lldp.port.id.mac',
  'lldp.port.id.ip4',
  'lldp.port.id.ip6',
  'lldp.time_to_live',
  'lldp.port.desc',
  'lldp.tlv.system.name',
  'lldp.tlv.system.desc',
  'lldp.tlv.system_cap',
  ...LLDP_CAPABILITY_BITS.map((b) => `lldp.tlv.system_cap.${b}`),
  'lldp.tlv.enable_system_cap',
  ...LLDP_CAPABILITY_BITS.map((b) => `lldp.tlv.enable_system_cap.${b}`),
  'lldp.mgn.address.subtype',
  'lldp.mgn.addr.ip4',
  'lldp.mgn.addr.ip6',
  'lldp.mgn.addr.hex',
  'lldp.mgn.interface.subtype',
  'lldp.mgn.interface.number',
  'lldp.mgn.obj.id',
  // Organizationally specific TLVs.
  'lldp.orgtlv.oui',
  'lldp.ieee.802_1.subtype',
  'lldp.ieee.802_3.subtype',
  'lldp.media.subtype',
  'lldp.iana.subtype',
  'lldp.ieee.802_1.port_vlan.id',
  'lldp.ieee.802_1.vlan.id',
  'lldp.ieee.802_1.vlan.name',
  'lldp.ieee.802_3.mac_phy_auto_neg_status',
  'lldp.ieee.802_3.pmd_auto_neg_advertised_caps',
  'lldp.ieee.802_3.pmd_mau_type',
  'lldp.ieee.802_3.max_frame_size',
  'lldp.media.subtype.caps',
  ...MED_CAPABILITY_BITS.map((b) => `lldp.media.subtype.caps.${b}`),
  'lldp.media.subtype.class',
  'lldp.media.app_type',
  'lldp.media.policy_flag',
  'lldp.media.tag_flag',
  'lldp.media.vlan_id',
  'lldp.media.l2_prio',
  'lldp.media.dscp',
  ...MED_INVENTORY_FIELDS.map((f) => `lldp.media.${f}`),
  'lldp.iana.mudurl',
  // CDP.
  'cdp.version',
  'cdp.ttl',
  'cdp.checksum',
  'cdp.checksum.status',
  'cdp.tlv.type',
  'cdp.deviceid',
  'cdp.portid',
  'cdp.platform',
  'cdp.software_version',
  'cdp.capabilities',
  ...CDP_CAPABILITY_BITS.map((b) => `cdp.capabilities.${b}`),
  'cdp.number_of_addresses',
  'cdp.protocol_type',
  'cdp.protocol',
  'cdp.nrgyz.ip_address',
  'cdp.nrgyz.ipv6_address',
  'cdp.vtp_management_domain',
  'cdp.native_vlan',
  'cdp.duplex',
  'cdp.voice_vlan',
  'cdp.power_consumption',
  'cdp.mtu',
  'cdp.system_name',
  'cdp.power_requested',
  'cdp.power_available',
] as const;

const TSHARK_ARGS = frameBaselineArgs(LLDP_CDP_FILTER, LLDP_CDP_TSHARK_FIELDS, LLDP_CDP_AGGREGATOR);

/** Manifest tokens that select a capture. */
const MANIFEST_TOKENS = ['lldp', 'cdp'];

/** One capture in the output. */
interface LldpCdpCaptureEntry {
  sha256: string;
  size: number;
  /** How the capture was selected: "manifest" or "probe". */
  selected_by: string;
  lldp_frames: number;
  cdp_frames: number;
  notes: string[];
  tshark_error?: string;
  frames: Record<string, string[]>;
}

const COLUMN = Object.fromEntries(LLDP_CDP_TSHARK_FIELDS.map((f, i) => [f, i])) as Record<(typeof LLDP_CDP_TSHARK_FIELDS)[number], number>;

async function processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<LldpCdpCaptureEntry> {
  let lldp = 0, cdp = 0;
  const c = await readFrameFields(root, name, TSHARK_ARGS, env, LLDP_CDP_AGGREGATOR, [], (v) => {
    if ((v[COLUMN['lldp.tlv.type']] ?? '') !== '') lldp++;
    if ((v[COLUMN['cdp.version']] ?? '') !== '') cdp++;
  });
  // The transport context counts are about UDP and IP: only "malformed" can apply to these link-layer frames.
  const notes = c.context.malformed ? [`malformed: ${c.context.malformed} frames flagged "Malformed Packet" by tshark`] : [];
  return { sha256: c.sha256, size: c.size, selected_by: selectedBy, lldp_frames: lldp, cdp_frames: cdp, notes, tshark_error: c.tsharkError, frames: c.frames };
}

runScript(() => runFrameBaselineGenerator({
  generator: 'scripts/make-lldp-cdp-baselines.ts',
  defaultOut: 'test/conformance/lldp-cdp/tshark-lldp-cdp.json',
  manifestTokens: MANIFEST_TOKENS,
  filter: LLDP_CDP_FILTER,
  protocol: 'LLDP/CDP',
  tsharkArgs: TSHARK_ARGS,
  aggregator: LLDP_CDP_AGGREGATOR,
  fields: LLDP_CDP_TSHARK_FIELDS,
  environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences)',
  processCapture,
  counts: (e) => ({ lldp_frames: e.lldp_frames, cdp_frames: e.cdp_frames }),
}));
