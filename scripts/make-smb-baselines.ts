/**
 * Generate test/conformance/smb/tshark-smb.json: tshark's SMB1 / SMB2 / NTLMSSP field values for every frame of a
 * TCP SMB connection that carries a NEGOTIATE or SESSION_SETUP message, over every capture in the shared corpus that holds SMB over TCP,
 * so the SMB analyzer can be compared with tshark (test/conformance/smb/smb-vs-tshark.test.ts) without running
 * tshark at test time.
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-smb-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/smb/tshark-smb.json] [--jobs 2] [--only SUBSTRING]
 *     [--probe-all]
 *
 * Which captures: those whose manifest.tsv `protocols` column holds `nbss` or `smb2` (NetBIOS session service and
 * SMB2 only occur over TCP; SMB1 in UDP mailslot browser datagrams is not this analyzer's); a capture missing from
 * the manifest is probed with the display filter below.
 *
 * Per selected capture F it runs (LC_ALL=C, empty WIRESHARK_CONFIG_DIR, every dissector preference at its default):
 *   tshark -n -r F -Y 'tcp && (nbss.type == 0x81 || smb.cmd == 0x72 || smb.cmd == 0x73 || smb2.cmd == 0 || smb2.cmd == 1)'
 *     -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * where <US> is the ASCII unit separator 0x1F (dialect strings and native OS strings hold commas and spaces). The
 * NTLM response and session key fields are deliberately not requested. Field names were checked against
 * `tshark -G fields` of TShark 4.0.17.
 */
import { join } from 'node:path';
import { FRAME_CONTEXT_FIELDS, runSpecBaselineGenerator, runScript } from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field (ASCII unit separator). */
export const SMB_AGGREGATOR = '\u001f';

/** The frames recorded: NetBIOS session requests, SMB1 NEGOTIATE / SESSION_SETUP_ANDX and SMB2 NEGOTIATE / SESSION_SETUP over TCP. */
export const SMB_FILTER = 'tcp && (nbss.type == 0x81 || smb.cmd == 0x72 || smb.cmd == 0x73 || smb2.cmd == 0 || smb2.cmd == 1)';

/** The tshark fields recorded, in column order (first one is the frame number, used as the key). */
export const SMB_TSHARK_FIELDS = [
  ...FRAME_CONTEXT_FIELDS,
  // The connection and the frame's direction.
  'tcp.stream', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport',
  // NetBIOS session service (RFC 1002 §4.3).
  'nbss.type', 'nbss.called_name', 'nbss.calling_name',
  // SMB1 ([MS-CIFS] §2.2.3.1, §2.2.4.52, §2.2.4.53).
  'smb.cmd', 'smb.flags.response', 'smb.dialect', 'smb.dialect.index', 'smb.native_os', 'smb.native_lanman',
  // SMB2 ([MS-SMB2] §2.2.1, §2.2.3–§2.2.6).
  'smb2.cmd', 'smb2.flags.response', 'smb2.dialect', 'smb2.client_guid', 'smb2.server_guid', 'smb2.sec_mode', 'smb2.capabilities',
  // NTLMSSP ([MS-NLMP] §2.2): identity fields only.
  'ntlmssp.messagetype', 'ntlmssp.version.major', 'ntlmssp.version.minor', 'ntlmssp.version.build_number',
  'ntlmssp.challenge.target_name', 'ntlmssp.challenge.target_info.nb_computer_name', 'ntlmssp.challenge.target_info.nb_domain_name',
  'ntlmssp.challenge.target_info.dns_computer_name', 'ntlmssp.challenge.target_info.dns_domain_name',
  'ntlmssp.challenge.target_info.dns_tree_name', 'ntlmssp.auth.username', 'ntlmssp.auth.domain', 'ntlmssp.auth.hostname',
] as const;

runScript(() => runSpecBaselineGenerator({
  generator: 'scripts/make-smb-baselines.ts',
  protocol: 'SMB',
  countKey: 'smb_frames',
  defaultOut: join('test', 'conformance', 'smb', 'tshark-smb.json'),
  manifestTokens: ['nbss', 'smb2'],
  filter: SMB_FILTER,
  fields: SMB_TSHARK_FIELDS,
  aggregator: SMB_AGGREGATOR,
  ports: ['445', '139'],
}));
