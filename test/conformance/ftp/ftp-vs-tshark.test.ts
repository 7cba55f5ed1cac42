/**
 * Conformance: medtap's ftp.jsonl (the real ingest pipeline) against tshark 4.0's FTP dissector, connection by
 * connection, over every corpus capture holding FTP (tshark-ftp.json, from scripts/make-remote-access-baselines.ts),
 * and against the peer tools' outputs present in the corpus: Zeek's ftp.log (user, per-command reply code and
 * message, data channels), nDPI's and Arkime's FTP user names.
 *
 * Per connection:
 * - commands: tshark's ftp.request.command occurrences, in order, against the record's commands (the first
 *   MAX_LOGGED_COMMANDS); the argument where the frame carries one command. A PASS/ACCT argument is "<redacted>" in
 *   the baseline and must be dropped (`redacted: password`) by medtap; a path argument must be dropped (`redacted:
 *   path`) exactly when tshark shows one;
 * - replies: tshark's ftp.response.code occurrences in order, consecutive repeats merged (tshark gives every line of
 *   a multi-line reply that starts with the code its own occurrence), against medtap's greeting, preliminary and
 *   final replies (same merge); the first line's text where tshark pairs it with the code and medtap keeps it;
 * - data channels: PORT / EPRT (tshark ftp.active.*, ftp.eprt.*) and 227 / 229 replies (ftp.passive.*,
 *   ftp.epsv.port, at the server's address) against the record's data_channels.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { FtpSession } from '../../../src/protocols/ftp/analyzer.js';
import { PATH_VERBS } from '../../../src/protocols/ftp/parser.js';
import { corpusRoot, testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import {
  assertPeersAgree, compareCapture, type ConnectionFrame, fromClient, type LogRecord, loadStreamBaseline, manifestBaselines,
  readNdpiFlows, recordKey, type StreamSuite, text, zeekRowsWithRecords, zeekValue,
} from '../stream-records.js';

/** What a known difference sees. */
interface DiffContext extends FrameSite {
  rec: FtpSession;
}

/** Every accepted difference; one not listed fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

const suite: StreamSuite<DiffContext> = { agreement: new FieldAgreement(KNOWN_DIFFERENCES, {}), peers: new FieldAgreement({}, {}), connections: 0, recordsOnly: [] };
const { agreement, peers } = suite;

/** Consecutive equal items merged (the first of each run kept). */
function runs<T>(xs: readonly T[], same: (a: T, b: T) => boolean): T[] {
  return xs.filter((x, i) => i === 0 || !same(xs[i - 1]!, x));
}

/** One reply as compared: its code and first line text ('' when unknown or not kept). */
interface ReplyItem {
  code: string;
  text: string | null;
  frame: number;
}

/** tshark's replies of the server frames: every coded line, its text when the frame pairs codes and texts one to one. */
function tsharkReplies(frames: ConnectionFrame[]): ReplyItem[] {
  const out: ReplyItem[] = [];
  for (const f of frames) {
    const codes = f.t.list('ftp.response.code');
    const args = f.t.list('ftp.response.arg');
    codes.forEach((code, i) => out.push({ code, text: codes.length === args.length ? args[i]! : codes.length === 1 && args.length === 0 ? '' : null, frame: f.frame }));
  }
  return out;
}

/** medtap's replies in wire order: greeting, then per command its preliminary and final replies. */
function ourReplies(s: FtpSession): ReplyItem[] {
  const out: ReplyItem[] = [];
  if (s.greeting_code !== null) out.push({ code: String(s.greeting_code), text: (s.banner ?? '').split('\n')[0]!, frame: 0 });
  for (const x of s.commands) {
    if (x.preliminary_code !== null) out.push({ code: String(x.preliminary_code), text: null, frame: 0 });
    if (x.reply_code !== null) out.push({ code: String(x.reply_code), text: x.reply_text, frame: 0 });
  }
  // Unsolicited replies (no command waiting) are kept apart; in the corpus they close the connection, after the others.
  for (const u of s.unsolicited_replies) out.push({ code: String(u.code), text: u.text, frame: 0 });
  return out;
}

/** tshark's data channels in frame order, rendered as the record's are. */
function tsharkChannels(frames: ConnectionFrame[], serverIp: string): string[] {
  const out: string[] = [];
  for (const f of frames) {
    const t = f.t;
    if (t.get('ftp.active.port')) out.push(`active ${t.get('ftp.active.cip')}:${t.get('ftp.active.port')}`);
    if (t.get('ftp.eprt.port')) out.push(`active ${t.get('ftp.eprt.ip') || t.get('ftp.eprt.ipv6')}:${t.get('ftp.eprt.port')}`);
    if (t.get('ftp.passive.port')) out.push(`passive ${t.get('ftp.passive.ip')}:${t.get('ftp.passive.port')}`);
    if (t.get('ftp.epsv.port')) out.push(`passive ${t.get('ftp.epsv.ip') || serverIp}:${t.get('ftp.epsv.port')}`);
  }
  return out;
}

function compareConnection(capture: string, rec: LogRecord, frames: ConnectionFrame[]): void {
  const s = rec as unknown as FtpSession;
  const client = frames.filter((f) => fromClient(rec, f));
  const server = frames.filter((f) => !fromClient(rec, f));
  const site = (frame: number): DiffContext => ({ capture, frame, rec: s });

  // Commands, in order.
  const theirs = client.flatMap((f) => {
    const cmds = f.t.list('ftp.request.command');
    const args = f.t.list('ftp.request.arg');
    return cmds.map((c, i) => ({ c, arg: cmds.length === 1 ? args[0] ?? '' : cmds.length === args.length ? args[i]! : null, frame: f.frame }));
  });
  agreement.compare('commands_total', String(s.commands_total), String(theirs.length), site(frames[0]!.frame), true);
  s.commands.forEach((x, i) => {
    const t = theirs[i];
    const at = site(t?.frame ?? 0);
    agreement.compare('command', x.command, t?.c ?? '', at, true);
    if (t === undefined || t.arg === null) return;
    const ours = x.redacted === 'password' ? '<redacted>' : x.redacted === 'path' ? '<path>' : text(x.arg);
    const tshark = PATH_VERBS.has(t.c.toUpperCase()) && t.arg !== '' ? '<path>' : t.arg;
    agreement.compare('arg', ours, tshark, at);
  });

  // Replies, repeats merged.
  const same = (a: ReplyItem, b: ReplyItem): boolean => a.code === b.code;
  const ours = runs(ourReplies(s), same);
  const tr = runs(tsharkReplies(server), same);
  agreement.compare('reply_count', String(ours.length), String(tr.length), site(server[0]?.frame ?? 0), true);
  ours.forEach((o, i) => {
    const t = tr[i];
    const at = site(t?.frame ?? 0);
    agreement.compare('reply_code', o.code, t?.code ?? '', at, true);
    if (o.text !== null && t !== undefined && t.text !== null) agreement.compare('reply_text', o.text, t.text, at);
  });

  // Data channels.
  const mine = s.data_channels.map((d) => `${d.passive ? 'passive' : 'active'} ${d.ip}:${d.port}`);
  agreement.compare('data_channels', mine.join(' '), tsharkChannels(frames, rec.dst_ip).join(' '), site(frames[0]!.frame), true);
}

/** The n-th (0-based) command named `verb` of a record. */
function nthCommand(s: FtpSession, verb: string, n: number): FtpSession['commands'][number] | undefined {
  return s.commands.filter((x) => x.command.toUpperCase() === verb)[n];
}

/** Zeek ftp.log rows against the records: user, reply code and message per command, data channels. */
function compareZeek(capture: string, records: LogRecord[], zeekLog: string): void {
  const seen = new Map<string, number>();
  for (const { z, rec } of zeekRowsWithRecords(peers, capture, records, zeekLog)) {
    const s = rec as unknown as FtpSession;
    const site = { capture, frame: 0, rec: s };
    const nKey = `${recordKey(rec)} ${z['command']}`;
    const n = seen.get(nKey) ?? 0;
    seen.set(nKey, n + 1);
    peers.compare('zeek.user', text(s.user), z['user'] ?? '', site);
    const x = nthCommand(s, z['command']!, n);
    peers.compare('zeek.command', x?.command ?? '', z['command'] ?? '', site);
    peers.compare('zeek.reply_code', text(x?.reply_code), z['reply_code'] ?? '', site);
    if (x?.reply_text !== null && x?.reply_text !== undefined) peers.compare('zeek.reply_msg', x.reply_text, zeekValue(z['reply_msg']), site);
    if (zeekValue(z['data_channel.resp_p']) !== '') {
      const passive = z['data_channel.passive'] === 'T';
      const d = s.data_channels.filter((c) => c.passive === passive && c.command.toUpperCase() === z['command'])[n];
      peers.compare('zeek.data_channel', d ? `${d.ip}:${d.port}` : '', `${z['data_channel.resp_h']}:${z['data_channel.resp_p']}`, site);
    }
  }
}

/** nDPI's `[User: …]` of FTP control flows against the records' user. */
function compareNdpi(capture: string, records: LogRecord[], out: string): void {
  for (const f of readNdpiFlows(out)) {
    const user = f.tags.get('User');
    if (user === undefined) continue;
    const rec = records.find((r) => `${r.src_ip}|${r.src_port}` === f.client && `${r.dst_ip}|${r.dst_port}` === f.server) as FtpSession | undefined;
    peers.compare('ndpi.user', text(rec?.user), user, { capture, frame: 0, rec: rec ?? ({} as FtpSession) });
  }
}

/** Arkime's session `user` lists against the records' users. */
function compareArkime(capture: string, records: LogRecord[], path: string): void {
  const doc = JSON.parse(readFileSync(path, 'utf8')) as { sessions3?: { body: { user?: string[]; source?: { ip: string; port: number }; destination?: { ip: string; port: number } } }[] };
  for (const { body } of doc.sessions3 ?? []) {
    if (!body.user || !body.source || !body.destination) continue;
    const rec = records.find((r) => r.src_ip === body.source!.ip && r.src_port === body.source!.port && r.dst_port === body.destination!.port) as FtpSession | undefined;
    peers.compare('arkime.user', (rec?.users ?? []).join(','), body.user.join(','), { capture, frame: 0, rec: rec ?? ({} as FtpSession) });
  }
}

const { doc, accessor } = loadStreamBaseline('ftp');
const baselines = manifestBaselines();

testEachCapture('ftp vs tshark', doc.captures, 'tshark-ftp.json', 'test/conformance/ftp/README.md', (rel, cap, path) => {
  const records = compareCapture(suite, 'ftp', rel, cap, path, accessor, (rec, frames) => compareConnection(rel, rec, frames));
  const json = JSON.stringify(records);
  for (const secret of ['whatabadpass', 'M0d1c0nF14G', 'NcFTP@', 'chrome@example.com', 'ftp@example.com']) assert.ok(!json.includes(secret), `${secret} in ftp.jsonl`);
  for (const b of baselines.get(rel) ?? []) {
    if (/protocols\.ftp\.(ftp-ipv4|bruteforce)\/ftp\.log$/.test(b)) compareZeek(rel, records, join(corpusRoot(), b));
    if (b.startsWith('baselines/ndpi/')) compareNdpi(rel, records, join(corpusRoot(), b));
    if (b.startsWith('baselines/arkime/')) compareArkime(rel, records, join(corpusRoot(), b));
  }
});

test('ftp vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  assert.deepEqual(suite.recordsOnly, [], 'FTP connections tshark does not dissect as FTP');
  agreement.assertAgreement('FTP');
});

test('ftp vs Zeek ftp.log, nDPI and Arkime: every compared value agrees', () => {
  assertPeersAgree(peers);
});

after(() => {
  agreement.printSummary(`ftp vs tshark: ${agreement.captures} captures, ${agreement.tsharkFrames} tshark FTP frames in ${suite.connections} connections, ${agreement.elapsed()} s`);
  peers.printSummary('ftp vs peer tools (Zeek ftp.log, nDPI, Arkime):');
});
