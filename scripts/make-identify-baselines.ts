/**
 * Generate test/e2e/identify/tshark-identify.json: what tshark shows in the corpus frames the identification test
 * (test/e2e/identify.test.ts) cites — the DHCP options, NetBIOS browser fields, mDNS TXT strings and SSDP headers a
 * device's classification rests on — so the test checks, without running tshark, that the facts medtap recorded are
 * the ones in the packets before it checks what the fingerprint rules made of them.
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-identify-baselines.js
 *     [--corpus ../shared/corpus] [--out test/e2e/identify/tshark-identify.json]
 *
 * Per cited frame N of capture F (for the sample: the first frame matching a display filter, the frame number then
 * recorded) it runs (LC_ALL=C, empty WIRESHARK_CONFIG_DIR, dissector preferences at defaults):
 *   tshark -n -r F -Y frame.number==N -T fields -E header=n -E separator=/t -E occurrence=a -E aggregator=<US> -e <FIELDS>
 * with <US> the ASCII unit separator 0x1F (TXT strings and option lists hold commas). Field names were checked
 * against `tshark -G fields` of TShark 4.0.17. The JSON stores each frame's fields by name; multi-occurrence values
 * are joined with U+001F; empty values are kept as "".
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { corpusLabel, run, runScript, stderrLines, tsharkFailure, withTsharkEnvironment, writeJsonFile } from './tshark-runner.js';

/** Joins the occurrences of a multi-occurrence field. */
export const IDENTIFY_AGGREGATOR = '\u001f';

/** Fields of each kind of cited frame. */
export const IDENTIFY_FIELDS = {
  dhcp: ['eth.src', 'dhcp.hw.mac_addr', 'dhcp.option.hostname', 'dhcp.option.vendor_class_id', 'dhcp.option.request_list_item', 'dhcp.option.type', 'dhcp.option.value'],
  browser: ['eth.src', 'browser.server', 'browser.os_major', 'browser.os_minor', 'browser.server_type', 'browser.comment'],
  mdns: ['eth.src', 'dns.txt'],
  ssdp: ['eth.src', 'http.server', 'http.user_agent'],
} as const;

/**
 * One cited frame: by number in a corpus capture, or — in the bundled sample, which is regenerated when its
 * generator grows — the first frame matching a display filter.
 */
export interface IdentifyFrame {
  capture: string;
  frame?: number;
  filter?: string;
  kind: keyof typeof IDENTIFY_FIELDS;
}

/** The frames test/e2e/identify.test.ts cites (capture paths relative to the corpus). */
export const IDENTIFY_FRAMES: readonly IdentifyFrame[] = [
  { capture: 'lan_mixed/ndpi__gnutella.pcap', frame: 7, kind: 'dhcp' },
  { capture: 'lan_mixed/ndpi__gnutella.pcap', frame: 101, kind: 'browser' },
  { capture: 'lan_mixed/ndpi__gnutella.pcap', frame: 125, kind: 'ssdp' },
  { capture: 'lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap', frame: 21, kind: 'dhcp' },
  { capture: 'lan_mixed/sv__smb2-ntlmssp-negotiateflags.pcap', frame: 88, kind: 'browser' },
  { capture: 'iot/ndpi__iphone.pcap', frame: 2, kind: 'dhcp' },
  { capture: 'iot/ndpi__iphone.pcap', frame: 5, kind: 'mdns' },
  { capture: 'iot/ndpi__iphone.pcap', frame: 29, kind: 'dhcp' },
  { capture: 'iot/ndpi__android.pcap', frame: 67, kind: 'dhcp' },
  { capture: 'nbns_netbios/ndpi__netbios.pcap', frame: 113, kind: 'browser' },
  { capture: 'nbns_netbios/ndpi__dos_win98_smb_netbeui.pcap', frame: 33, kind: 'browser' },
  { capture: 'lan_mixed/ndpi__1kxun.pcap', frame: 389, kind: 'browser' },
  { capture: 'lan_mixed/ndpi__1kxun.pcap', frame: 597, kind: 'dhcp' },
  { capture: 'lan_mixed/ndpi__1kxun.pcap', frame: 693, kind: 'ssdp' },
  { capture: 'lan_mixed/ndpi__1kxun.pcap', frame: 706, kind: 'dhcp' },
  { capture: 'lan_mixed/ndpi__1kxun.pcap', frame: 833, kind: 'dhcp' },
  { capture: 'lan_mixed/ndpi__starcraft_battle.pcap', frame: 29, kind: 'ssdp' },
  { capture: 'ssdp_upnp/sv__sip-ssdp-pm__ssdp.pcap', frame: 1, kind: 'ssdp' },
  { capture: 'ssdp_upnp/ndpi__ssdp-m-search-ua.pcap', frame: 1, kind: 'ssdp' },
  { capture: 'dhcp/zeek__hw-type0.pcap', frame: 1, kind: 'dhcp' },
  { capture: 'dhcp/sv__dhcp-option-52-overload.pcap', frame: 1, kind: 'dhcp' },
  { capture: 'dhcp/sv__dhcp-eve-extended-option-60.pcap', frame: 1, kind: 'dhcp' },
  { capture: 'dhcp/csanders__dhcp_inlease_renewal.pcapng', frame: 1, kind: 'dhcp' },
  // the bundled sample (path relative to the repository root)
  { capture: 'samples/hospital.pcap', filter: 'dhcp.option.dhcp == 8', kind: 'dhcp' },
  { capture: 'samples/hospital.pcap', filter: 'dhcp.option.dhcp == 1 && eth.src == f8:c6:78:0e:51:91', kind: 'dhcp' },
  { capture: 'samples/hospital.pcap', filter: 'dhcp.option.dhcp == 1 && eth.src == 9c:c8:ae:1d:77:04', kind: 'dhcp' },
  { capture: 'samples/hospital.pcap', filter: 'dhcp.option.dhcp == 1 && eth.src == d4:be:d9:35:a0:1f', kind: 'dhcp' },
  { capture: 'samples/hospital.pcap', filter: 'dhcp.option.dhcp == 1 && eth.src == da:7e:3c:91:0b:44', kind: 'dhcp' },
];

/** True for a capture of the bundled sample rather than the corpus. */
export function isSampleCapture(capture: string): boolean {
  return capture.startsWith('samples/');
}

function parseArgs(argv: string[]): { corpus: string; out: string } {
  const a = { corpus: '../shared/corpus', out: 'test/e2e/identify/tshark-identify.json' };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (argv[i] === '--corpus' && v) a.corpus = v;
    else if (argv[i] === '--out' && v) a.out = v;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = resolve(args.corpus);
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const frames: Record<string, unknown>[] = [];
    for (const f of IDENTIFY_FRAMES) {
      const fields = ['frame.number', ...IDENTIFY_FIELDS[f.kind]];
      const path = isSampleCapture(f.capture) ? resolve(f.capture) : join(root, f.capture);
      const r = await run('tshark', ['-n', '-r', path, '-Y', f.filter ?? `frame.number==${f.frame}`, '-T', 'fields', '-E', 'header=n',
        '-E', 'separator=/t', '-E', 'occurrence=a', '-E', `aggregator=${IDENTIFY_AGGREGATOR}`, ...fields.flatMap((x) => ['-e', x])], env);
      const failure = tsharkFailure(r);
      if (failure) throw new Error(`${f.capture}: ${failure} ${stderrLines(r.stderr).join(' ')}`);
      const line = r.stdout.split('\n')[0] ?? '';
      if (line === '' || (f.filter === undefined && r.stdout.trim().includes('\n'))) throw new Error(`${f.capture}: ${f.filter ?? `frame ${f.frame}`} not found once`);
      const values = line.split('\t');
      frames.push({ capture: f.capture, frame: Number(values[0]), ...(f.filter ? { filter: f.filter } : {}), kind: f.kind,
        fields: Object.fromEntries(fields.slice(1).map((name, i) => [name, values[i + 1] ?? ''])) });
    }
    mkdirSync(dirname(args.out), { recursive: true });
    const size = writeJsonFile(args.out, { corpus: corpusLabel(root), tshark: tsharkVersion, aggregator: IDENTIFY_AGGREGATOR, frames },
      { lastKeys: ['frames'], numericKeys: false, inlineArrayMax: 0, inlineFlatObjects: false });
    process.stdout.write(`wrote ${args.out}: ${frames.length} frames, ${size} bytes\n`);
  });
}

runScript(main);
