/**
 * Conformance: medtap's ssh.jsonl (the real ingest pipeline) against tshark 4.0's SSH dissector, connection by
 * connection, over every corpus capture holding SSH (tshark-ssh.json, from scripts/make-remote-access-baselines.ts);
 * and against the peer tools' outputs present in the corpus: Zeek's ssh.log (client, server, version, negotiated
 * algorithms) and Suricata's HASSH values.
 *
 * Per connection: the client's and the server's identification (tshark's ssh.protocol on the first frame of each
 * direction that has one); each side's KEXINIT (the first frame of the direction with message code 20): cookie, the
 * ten name-lists, first_kex_packet_follows; HASSH / HASSHServer and their algorithm strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KEXINIT_LISTS } from '../../../src/protocols/ssh/parser.js';
import type { SshSession } from '../../../src/protocols/ssh/analyzer.js';
import { corpusRoot, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import {
  assertPeersAgree, compareCapture, type ConnectionFrame, fromClient, loadStreamBaseline, type LogRecord, manifestBaselines,
  type StreamSuite, text, zeekRowsWithRecords, zeekValue,
} from '../stream-records.js';

/** What a known difference sees. */
interface DiffContext extends FrameSite {
  rec: LogRecord;
}

/** Every accepted difference; one not listed fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

const suite: StreamSuite<DiffContext> = { agreement: new FieldAgreement(KNOWN_DIFFERENCES, {}), peers: new FieldAgreement({}, {}), connections: 0, recordsOnly: [] };
const { agreement, peers } = suite;

/** tshark's name for each KEXINIT list. */
const TSHARK_LIST: Record<(typeof KEXINIT_LISTS)[number], string> = {
  kex_algorithms: 'ssh.kex_algorithms',
  server_host_key_algorithms: 'ssh.server_host_key_algorithms',
  encryption_client_to_server: 'ssh.encryption_algorithms_client_to_server',
  encryption_server_to_client: 'ssh.encryption_algorithms_server_to_client',
  mac_client_to_server: 'ssh.mac_algorithms_client_to_server',
  mac_server_to_client: 'ssh.mac_algorithms_server_to_client',
  compression_client_to_server: 'ssh.compression_algorithms_client_to_server',
  compression_server_to_client: 'ssh.compression_algorithms_server_to_client',
  languages_client_to_server: 'ssh.languages_client_to_server',
  languages_server_to_client: 'ssh.languages_server_to_client',
};

/** Compares one direction's identification and KEXINIT. */
function compareSide(capture: string, rec: LogRecord, side: 'client' | 'server', frames: ConnectionFrame[]): void {
  const s = rec as unknown as SshSession;
  const identFrame = frames.find((f) => f.t.get('ssh.protocol') !== '');
  const kexFrame = frames.find((f) => f.t.list('ssh.message_code').includes('20'));
  const site = { capture, frame: (identFrame ?? kexFrame ?? frames[0])?.frame ?? 0, rec };
  agreement.compare(`${side}.identification`, text(s[side]?.raw), identFrame?.t.get('ssh.protocol') ?? '', site);
  const k = s[`${side}_kexinit`];
  const t = kexFrame?.t;
  const at = { capture, frame: kexFrame?.frame ?? site.frame, rec };
  agreement.compare(`${side}.kexinit.cookie`, text(k?.cookie), (t?.get('ssh.cookie') ?? '').replaceAll(':', ''), at);
  for (const f of KEXINIT_LISTS) {
    // An empty list (languages) shows as an empty string in tshark: compared whenever the KEXINIT is on either side.
    agreement.compare(`${side}.kexinit.${f}`, k ? k[f].join(',') : '', t?.get(TSHARK_LIST[f]) ?? '', at, k !== null || t !== undefined);
  }
  agreement.compare(`${side}.kexinit.first_kex_packet_follows`, k ? (k.first_kex_packet_follows ? '1' : '0') : '', t?.get('ssh.first_kex_packet_follows') ?? '', at);
  const hassh = side === 'client' ? ['hassh', 'ssh.kex.hassh', 'hassh_algorithms', 'ssh.kex.hassh_algorithms'] : ['hassh_server', 'ssh.kex.hasshserver', 'hassh_server_algorithms', 'ssh.kex.hasshserver_algorithms'];
  agreement.compare(hassh[0]!, text(rec[hassh[0]!]), t?.get(hassh[1]!) ?? '', at);
  agreement.compare(hassh[2]!, text(rec[hassh[2]!]), t?.get(hassh[3]!) ?? '', at);
}

/** Zeek ssh.log rows of the capture compared with the records (version, identifications, negotiated algorithms). */
function compareZeek(capture: string, records: LogRecord[], zeekLog: string): void {
  for (const { z, rec } of zeekRowsWithRecords(peers, capture, records, zeekLog)) {
    const site = { capture, frame: 0, rec };
    const s = rec as unknown as SshSession;
    peers.compare('zeek.version', text(s.version), zeekValue(z['version']), site);
    peers.compare('zeek.client', text(s.client?.raw), zeekValue(z['client']), site);
    peers.compare('zeek.server', text(s.server?.raw), zeekValue(z['server']), site);
    peers.compare('zeek.kex_alg', text(s.kex_alg), zeekValue(z['kex_alg']), site);
    peers.compare('zeek.host_key_alg', text(s.host_key_alg), zeekValue(z['host_key_alg']), site);
    peers.compare('zeek.cipher_alg', text(s.cipher_client_to_server), zeekValue(z['cipher_alg']), site);
    peers.compare('zeek.mac_alg', text(s.mac_client_to_server), zeekValue(z['mac_alg']), site);
    peers.compare('zeek.compression_alg', text(s.compression_client_to_server), zeekValue(z['compression_alg']), site);
  }
}

/** Suricata-verify HASSH checks of the capture (`ssh.client.hassh.hash` / `ssh.server.hassh.hash`). */
function compareSuricata(capture: string, records: LogRecord[], yaml: string): void {
  const doc = readFileSync(yaml, 'utf8');
  const client = /ssh\.client\.hassh\.hash:\s*"([0-9a-f]+)"/.exec(doc)?.[1];
  const server = /ssh\.server\.hassh\.hash:\s*"([0-9a-f]+)"/.exec(doc)?.[1];
  if (client === undefined && server === undefined) return;
  const rec = records.find((r) => r['hassh'] !== null);
  const site = { capture, frame: 0, rec: rec ?? ({} as LogRecord) };
  peers.compare('suricata.hassh', text(rec?.['hassh']), client ?? '', site);
  peers.compare('suricata.hassh_server', text(rec?.['hassh_server']), server ?? '', site);
}

const { doc, accessor } = loadStreamBaseline('ssh');
const baselines = manifestBaselines();

testEachCapture('ssh vs tshark', doc.captures, 'tshark-ssh.json', 'test/conformance/ssh/README.md', (rel, cap, path) => {
  const records = compareCapture(suite, 'ssh', rel, cap, path, accessor, (rec, frames) => {
    compareSide(rel, rec, 'client', frames.filter((f) => fromClient(rec, f)));
    compareSide(rel, rec, 'server', frames.filter((f) => !fromClient(rec, f)));
  });
  for (const b of baselines.get(rel) ?? []) {
    if (b.endsWith('protocols.ssh.basic/ssh.log')) compareZeek(rel, records, join(corpusRoot(), b));
    if (b.includes('suricata-verify/')) compareSuricata(rel, records, join(corpusRoot(), b));
  }
});

test('ssh vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('SSH');
});

test('ssh vs Zeek ssh.log and Suricata HASSH: every compared value agrees', () => {
  assertPeersAgree(peers);
});

after(() => {
  agreement.printSummary(
    `ssh vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark SSH frames in ${suite.connections} connections, ` +
      `${suite.recordsOnly.length} connections tshark does not dissect as SSH (another port), ${agreement.elapsed()} s`,
    suite.recordsOnly.map((d) => `  SSH ON ANOTHER PORT ${d}`),
  );
  peers.printSummary('ssh vs peer tools (Zeek ssh.log, Suricata HASSH):');
});
