/**
 * Conformance: medtap's smb.jsonl (the real ingest pipeline) against tshark 4.0's NBSS / SMB / SMB2 / NTLMSSP
 * dissectors, over every corpus capture holding SMB over TCP (tshark-smb.json, from scripts/make-smb-baselines.ts).
 *
 * Each smb.jsonl record (one per connection) is paired with the tshark connection (tcp.stream) that has the same
 * endpoints. tshark's frames of that connection (NetBIOS session requests, SMB1 NEGOTIATE / SESSION_SETUP_ANDX,
 * SMB2 NEGOTIATE / SESSION_SETUP) are split by direction and matched in order with the record's `messages` of the
 * same direction: one tshark frame, one message. Per message: SMB version, command, response flag; dialects offered
 * (SMB1 strings, SMB2 revisions), SMB1 DialectIndex, SMB2 DialectRevision, client/server GUID, SMB2 SecurityMode and
 * Capabilities; SMB1 NativeOS / NativeLanMan; NTLMSSP message type, VERSION (major, minor, build), target name,
 * target info names, and the AUTHENTICATE user, domain and workstation. Per connection: the NetBIOS called/calling
 * names, and SMBv1 use (tshark: the server sent an SMB1 message).
 *
 * Normalisations: tshark prints numbers in hex ("0x01") — compared as numbers; it prints an empty NTLMSSP string as
 * "NULL" — compared as "". medtap stops reading a connection once a session setup succeeds: tshark frames after that
 * are counted as not reached ("after-session-setup"), as documented in src/protocols/smb/README.md.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { SmbLoggedMessage, SmbSession } from '../../../src/protocols/smb/analyzer.js';
import { runCli, tempDir } from '../../e2e/cli-harness.js';
import { loadAggregatedBaseline, type TsharkFrame, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';

/** What a difference sees. */
interface DiffContext extends FrameSite {
  t: TsharkFrame | null;
}

/** Every accepted difference between medtap and tshark. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

const MISSING_REASONS: Record<string, string> = {
  'after-session-setup': 'medtap stops reading a connection once a session setup has succeeded (documented limit)',
};

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, MISSING_REASONS);
/** smb.jsonl records with no tshark connection: SMB connections whose NEGOTIATE/SESSION_SETUP tshark lacks. */
const recordsOnly: string[] = [];
let connections = 0;

/** A log record: the connection context and the session. */
type LogRecord = SmbSession & { src_ip: string; dst_ip: string; src_port: number; dst_port: number; ts: string };

/** Runs `medtap ingest <capture> --log-dir` and returns the records of smb.jsonl. */
function ingestRecords(path: string): LogRecord[] {
  const dir = tempDir();
  const r = runCli(['ingest', path, '--db', join(dir, 'm.db'), '--log-dir', join(dir, 'logs')]);
  assert.equal(r.code, 0, r.stderr);
  let text = '';
  try {
    text = readFileSync(join(dir, 'logs', 'smb.jsonl'), 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as LogRecord);
}

/** One tshark frame of a connection. */
interface Frame {
  frame: number;
  t: TsharkFrame;
  src: string;
}

const endpoint = (ip: string, port: string | number): string => `${ip}|${port}`;
const ends = (a: string, b: string): string => [a, b].sort().join(' ');
const text = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '' : String(v));
/** A tshark number (hex "0x01" or decimal) as decimal text, '' when absent. */
const num = (v: string): string => (v === '' ? '' : String(Number(v)));
const bool = (v: string): string => (v === '' ? '' : String(v === '1' || v === 'True'));
const ntlmText = (v: string): string => (v === 'NULL' ? '' : v);

/** The capture's tshark connections (frames in order), keyed by their sorted endpoints, in first-frame order. */
function tsharkConnections(frames: Record<string, string[]>, accessor: (row: string[]) => TsharkFrame): Map<string, Frame[][]> {
  const byStream = new Map<string, Frame[]>();
  for (const n of Object.keys(frames).map(Number).sort((a, b) => a - b)) {
    const t = accessor(frames[String(n)]!);
    const src = endpoint(t.get('ip.src') || t.get('ipv6.src'), t.get('tcp.srcport'));
    const list = byStream.get(t.get('tcp.stream')) ?? [];
    list.push({ frame: n, t, src });
    byStream.set(t.get('tcp.stream'), list);
  }
  const out = new Map<string, Frame[][]>();
  for (const list of byStream.values()) {
    const t = list[0]!.t;
    const key = ends(list[0]!.src, endpoint(t.get('ip.dst') || t.get('ipv6.dst'), t.get('tcp.dstport')));
    out.set(key, [...(out.get(key) ?? []), list]);
  }
  return out;
}

/** Compares one logged message with the tshark frame carrying it. */
function compareMessage(capture: string, m: SmbLoggedMessage, f: Frame): void {
  const t = f.t;
  const c = (name: string, ours: string, theirs: string, always = false): void => agreement.compare(name, ours, theirs, { capture, frame: f.frame, t }, always);
  const v2 = t.get('smb2.cmd') !== '';
  c('version', String(m.version), v2 ? '2' : '1', true);
  c('command', String(m.command), num(t.first(v2 ? 'smb2.cmd' : 'smb.cmd')), true);
  c('response', String(m.response), bool(t.first(v2 ? 'smb2.flags.response' : 'smb.flags.response')), true);
  if (m.version === 1) {
    c('smb1.dialects', (m.dialects ?? []).join('\u001f'), t.get('smb.dialect'));
    c('smb1.dialect_index', text(m.dialect_index), t.get('smb.dialect.index'));
    c('smb1.native_os', text(m.native_os), t.first('smb.native_os'));
    c('smb1.native_lanman', text(m.native_lanman), t.first('smb.native_lanman'));
  } else {
    c('smb2.dialects', m.response ? text(m.dialect) : (m.dialects ?? []).join('\u001f'), t.get('smb2.dialect'));
    c('smb2.client_guid', m.response ? '' : text(m.guid), t.get('smb2.client_guid'));
    c('smb2.server_guid', m.response ? text(m.guid) : '', t.get('smb2.server_guid'));
    c('smb2.sec_mode', text(m.security_mode), num(t.first('smb2.sec_mode')));
    c('smb2.capabilities', text(m.capabilities), num(t.first('smb2.capabilities')));
  }
  const n = m.ntlm;
  c('ntlmssp.messagetype', text(n?.type), num(t.first('ntlmssp.messagetype')));
  c('ntlmssp.version.major', text(n?.version?.major), t.first('ntlmssp.version.major'));
  c('ntlmssp.version.minor', text(n?.version?.minor), t.first('ntlmssp.version.minor'));
  c('ntlmssp.version.build_number', text(n?.version?.build), t.first('ntlmssp.version.build_number'));
  c('ntlmssp.challenge.target_name', text(n?.target_name), ntlmText(t.first('ntlmssp.challenge.target_name')));
  const ti = n?.target_info;
  for (const [field, ours] of [
    ['nb_computer_name', ti?.nb_computer], ['nb_domain_name', ti?.nb_domain], ['dns_computer_name', ti?.dns_computer],
    ['dns_domain_name', ti?.dns_domain], ['dns_tree_name', ti?.dns_tree],
  ] as const) c(`ntlmssp.challenge.target_info.${field}`, text(ours), t.first(`ntlmssp.challenge.target_info.${field}`));
  const auth = n?.type === 3;
  c('ntlmssp.auth.username', auth ? text(n.user) : '', ntlmText(t.first('ntlmssp.auth.username')));
  c('ntlmssp.auth.domain', auth ? text(n.domain) : '', ntlmText(t.first('ntlmssp.auth.domain')));
  c('ntlmssp.auth.hostname', auth ? text(n.workstation) : '', ntlmText(t.first('ntlmssp.auth.hostname')));
}

/** Compares a record with its tshark connection: per-connection fields, then messages in order per direction. */
function compareConnection(capture: string, rec: LogRecord, frames: Frame[]): void {
  connections++;
  const client = endpoint(rec.src_ip, rec.src_port);
  const site = { capture, frame: frames[0]!.frame, t: frames[0]!.t };
  const request = frames.find((f) => f.t.get('nbss.type') === '0x81');
  agreement.compare('nbss.called_name', text(rec.called_name), request?.t.get('nbss.called_name') ?? '', site);
  agreement.compare('nbss.calling_name', text(rec.calling_name), request?.t.get('nbss.calling_name') ?? '', site);
  const v1 = frames.some((f) => f.src !== client && f.t.get('smb.cmd') !== '');
  agreement.compare('smb_v1', String(rec.smb_v1), String(v1), site, true);
  const smbFrames = frames.filter((f) => f.t.get('smb.cmd') !== '' || f.t.get('smb2.cmd') !== '');
  for (const fromClient of [true, false]) {
    const ours = rec.messages.filter((m) => m.from_client === fromClient);
    const theirs = smbFrames.filter((f) => (f.src === client) === fromClient);
    theirs.forEach((f, i) => {
      agreement.tsharkFrames++;
      const m = ours[i];
      if (m !== undefined) {
        agreement.matched++;
        compareMessage(capture, m, f);
      } else if (rec.session_setup_status === 0) {
        agreement.missing.set('after-session-setup', (agreement.missing.get('after-session-setup') ?? 0) + 1);
      } else {
        agreement.missingUnexplained.push(`${capture} frame ${f.frame}`);
      }
    });
    for (const m of ours.slice(theirs.length)) {
      agreement.extra++;
      agreement.extraDetail.push(`${capture} ${client}: ${m.from_client ? 'client' : 'server'} message command ${m.command}`);
    }
  }
}

const { captures, accessor } = loadAggregatedBaseline('smb', 'tshark-smb.json');

testEachCapture('smb vs tshark', captures, 'tshark-smb.json', 'test/conformance/smb/README.md', (rel, cap, path) => {
  agreement.captures++;
  const conns = tsharkConnections(cap.frames, accessor);
  const records = ingestRecords(path).sort((a, b) => a.ts.localeCompare(b.ts));
  for (const rec of records) {
    const list = conns.get(ends(endpoint(rec.src_ip, rec.src_port), endpoint(rec.dst_ip, rec.dst_port)));
    const frames = list?.shift();
    if (frames === undefined) {
      recordsOnly.push(`${rel} ${rec.src_ip}:${rec.src_port} → ${rec.dst_ip}:${rec.dst_port} (${rec.messages.length} messages)`);
      continue;
    }
    compareConnection(rel, rec, frames);
  }
  for (const list of conns.values()) {
    for (const frames of list) for (const f of frames) agreement.missingUnexplained.push(`${rel} frame ${f.frame} (no smb.jsonl record)`);
  }
});

test('smb vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('SMB');
  assert.deepEqual(agreement.extraDetail, [], 'messages medtap logged that tshark does not show');
  // Connections without NEGOTIATE/SESSION_SETUP (captures starting mid-connection) have records but no baseline frames.
  for (const r of recordsOnly) assert.match(r, /\(0 messages\)$/, r);
});

after(() => {
  agreement.printSummary(
    `smb vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark frames in ${connections} connections, ${agreement.matched} matched, ${agreement.notReached()}, ${agreement.elapsed()} s`,
    [`  records without NEGOTIATE/SESSION_SETUP frames: ${recordsOnly.length}`],
  );
});
