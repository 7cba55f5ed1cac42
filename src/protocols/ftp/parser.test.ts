/**
 * Unit tests of the FTP line parsers (RFC 959 commands and replies, RFC 2428 EPRT/EPSV, RFC 1123 227 text) and of
 * the control-connection analyzer (reply pairing, login, redaction of passwords and paths), plus random-mutation
 * robustness. Corpus-wide agreement with tshark and Zeek is in test/conformance/ftp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { onlyMessage, runScriptInPieces, type ScriptStep } from '../stream-test-harness.js';
import { FTP_PORTS, type FtpSession, MAX_LOGGED_COMMANDS, openFtpStream, sniffFtp } from './analyzer.js';
import {
  FTP_ANOMALIES,
  type FtpCommand,
  type FtpReplyLine,
  MAX_FTP_LINE,
  parseFtpCommand,
  parseFtpEprt,
  parseFtpEpsvPort,
  parseFtpHostPort,
  parseFtpReplyLine,
} from './parser.js';

const raw = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function command(s: string): FtpCommand {
  const r = parseFtpCommand(raw(s), 0, s.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

function reply(s: string): FtpReplyLine {
  const r = parseFtpReplyLine(raw(s), 0, s.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('commands (RFC 959 §4.1): verb, argument, case, spaces', () => {
  assert.deepEqual(command('USER anonymous'), { command: 'USER', verb: 'USER', arg: 'anonymous', redacted: null, has_arg: true, arg_start: 5, arg_end: 14, anomalies: [] });
  assert.deepEqual(command('PASV'), { command: 'PASV', verb: 'PASV', arg: null, redacted: null, has_arg: false, arg_start: 4, arg_end: 4, anomalies: [] });
  const lower = command('type  I');
  assert.equal(lower.verb, 'TYPE');
  assert.equal(lower.command, 'type');
  assert.equal(lower.arg, 'I');
  assert.deepEqual(lower.anomalies, ['lower_case_verb', 'extra_space']);
  assert.equal(command('CLNT NcFTP 3.2.6 macosx10.13').arg, 'NcFTP 3.2.6 macosx10.13');
  assert.deepEqual(command('HELP \u00ff').anomalies, ['non_ascii']);
  for (const s of ['', ' USER x', '123 x', 'ABCDEFGHIJKLMNOPQ x', 'US3R x', '\u00ffUSER']) {
    assert.deepEqual(parseFtpCommand(raw(s), 0, s.length), { ok: false, error: 'not_a_command' }, JSON.stringify(s));
  }
});

test('commands: the argument of PASS / ACCT (secret) and of path commands is never kept', () => {
  const pass = command('PASS s3cret!');
  assert.equal(pass.arg, null);
  assert.equal(pass.redacted, 'password');
  assert.equal(pass.has_arg, true);
  assert.ok(!JSON.stringify(pass).includes('s3cret'));
  assert.equal(command('acct 4711').redacted, 'password');
  assert.equal(command('PASS').redacted, null); // no argument: nothing to drop
  for (const s of ['RETR SMITH_JOHN_CT.dcm', 'STOR /pat/123.hl7', 'CWD /home/x', 'DELE a', 'RNFR a', 'RNTO b', 'SIZE f', 'MDTM f', 'LIST -la /x', 'SITE CHMOD 600 f']) {
    const c = command(s);
    assert.equal(c.redacted, 'path', s);
    assert.equal(c.arg, null, s);
  }
  assert.equal(command('PORT 10,0,0,1,4,1').arg, '10,0,0,1,4,1');
});

test('reply lines (RFC 959 §4.2): code, continuation mark, text', () => {
  assert.deepEqual(reply('220 (vsFTPd 3.0.3)'), { code: 220, more: false, text: '(vsFTPd 3.0.3)', anomalies: [] });
  assert.deepEqual(reply('230-'), { code: 230, more: true, text: '', anomalies: [] });
  assert.deepEqual(reply('221'), { code: 221, more: false, text: '', anomalies: [] });
  assert.deepEqual(reply(' EPRT'), { code: null, more: true, text: ' EPRT', anomalies: [] });
  assert.deepEqual(reply('2200 x'), { code: null, more: true, text: '2200 x', anomalies: [] });
  assert.deepEqual(reply('099 odd').anomalies, ['bad_reply_code']);
  const long = reply(`200 ${'x'.repeat(MAX_FTP_LINE + 10)}`);
  assert.deepEqual(long.anomalies, ['long_line']);
  assert.equal(long.text.length, MAX_FTP_LINE - 4);
});

test('data connection addresses: PORT / 227 (RFC 959, RFC 1123 §4.1.2.6), EPRT / 229 (RFC 2428)', () => {
  assert.deepEqual(parseFtpHostPort('141,142,220,235,131,46'), { ip: '141.142.220.235', port: 33582 });
  assert.deepEqual(parseFtpHostPort('Entering Passive Mode (199,233,217,249,221,90).'), { ip: '199.233.217.249', port: 56666 });
  assert.deepEqual(parseFtpHostPort('=10,0,0,1,0,21 no parentheses'), { ip: '10.0.0.1', port: 21 });
  assert.equal(parseFtpHostPort('256,0,0,1,0,21'), null);
  assert.equal(parseFtpHostPort('1,2,3,4,5'), null);
  assert.deepEqual(parseFtpEprt('|1|132.235.1.2|6275|'), { ip: '132.235.1.2', port: 6275 });
  assert.deepEqual(parseFtpEprt('|2|1080::8:800:200C:417A|5282|'), { ip: '1080::8:800:200c:417a', port: 5282 });
  assert.deepEqual(parseFtpEprt('!1!10.0.0.1!21!'), { ip: '10.0.0.1', port: 21 });
  for (const a of ['|3|x|1|', '|1|10.0.0.1|0|', '|1|10.0.0.300|21|', '|1|10.0.0.1|21', '']) assert.equal(parseFtpEprt(a), null, a);
  assert.equal(parseFtpEpsvPort('Entering Extended Passive Mode (|||38141|)'), 38141);
  assert.equal(parseFtpEpsvPort('ok (!!!6446!)'), 6446);
  assert.equal(parseFtpEpsvPort('(||38141|)'), null);
  assert.equal(parseFtpEpsvPort('(|||70000|)'), null);
});

const line = (s: string): string => `${s}\r\n`;
const c = (...lines: string[]): ScriptStep => ({ client: true, bytes: raw(lines.map(line).join('')) });
const s = (...lines: string[]): ScriptStep => ({ client: false, bytes: raw(lines.map(line).join('')) });

test('analyzer: greeting, login, SYST, FEAT, data channels, preliminary and final replies', () => {
  const run = runScriptInPieces(openFtpStream, [
    s('220-Welcome to the imaging archive', '220-  second line', '220 ready.'), // multi-line greeting
    c('USER anonymous'), s('331 Guest login ok, send your e-mail as password.'),
    c('PASS pump@example.org'), s('230 Guest login ok.'),
    c('SYST'), s('215 UNIX Type: L8'),
    c('FEAT'), s('211-Features:', ' EPSV', ' MDTM', ' SIZE', '211 End'),
    c('PASV'), s('227 Entering Passive Mode (10,0,0,2,195,80).'),
    c('EPSV'), s('229 Entering Extended Passive Mode (|||6446|)'),
    c('PORT 10,0,0,1,4,1'), s('200 PORT command successful.'),
    c('RETR STUDY_DOE_JANE.dcm'), s('150 Opening BINARY mode data connection for STUDY_DOE_JANE.dcm', '226 Transfer complete.'),
    c('PWD'), s('257 "/patients/doe" is the current directory'),
    c('QUIT'), s('221 Goodbye.'),
  ], 21);
  const m = onlyMessage<FtpSession>(run);
  assert.equal(m.greeting_code, 220);
  assert.equal(m.banner, 'Welcome to the imaging archive\n  second line\nready.');
  assert.equal(m.user, 'anonymous');
  assert.equal(m.anonymous, true);
  assert.equal(m.cleartext_password, true);
  assert.equal(m.login_success, true);
  assert.equal(m.login_attempts, 1);
  assert.equal(m.syst, 'UNIX Type: L8');
  assert.deepEqual(m.features, ['EPSV', 'MDTM', 'SIZE']);
  assert.deepEqual(m.data_channels, [
    { command: 'PASV', passive: true, ip: '10.0.0.2', port: 50000 },
    { command: 'EPSV', passive: true, ip: '10.0.0.2', port: 6446 }, // the server's control address (RFC 2428 §3)
    { command: 'PORT', passive: false, ip: '10.0.0.1', port: 1025 },
  ]);
  assert.equal(m.commands_total, 10);
  const retr = m.commands.find((x) => x.command === 'RETR')!;
  assert.deepEqual(retr, { command: 'RETR', arg: null, redacted: 'path', preliminary_code: 150, reply_code: 226, reply_text: null });
  assert.equal(m.commands.find((x) => x.command === 'PWD')!.reply_text, null);
  assert.deepEqual(m.commands[1], { command: 'PASS', arg: null, redacted: 'password', preliminary_code: null, reply_code: 230, reply_text: 'Guest login ok.' });
  const json = JSON.stringify(run.observations);
  for (const secret of ['pump@example.org', 'DOE', 'patients']) assert.ok(!json.includes(secret), secret);
  assert.deepEqual(m.anomalies, []);
});

test('analyzer: failed logins, several users, pipelining, AUTH TLS ends the analysis', () => {
  const failed = onlyMessage<FtpSession>(runScriptInPieces(openFtpStream, [
    s('220 FTP server ready.'),
    c('USER admin', 'PASS 1234'), // pipelined: both sent before any reply
    s('331 Password required', '530 Login incorrect.'),
    c('USER service'), s('331 Password required'), c('PASS x'), s('530 Login incorrect.'),
  ], 21));
  assert.deepEqual(failed.users, ['admin', 'service']);
  assert.equal(failed.user, 'service');
  assert.equal(failed.login_success, false);
  assert.equal(failed.login_attempts, 2);
  assert.equal(failed.login_failures, 2);

  const tls = runScriptInPieces(openFtpStream, [
    s('220 ready'), c('AUTH TLS'), s('234 Proceed with negotiation.'),
    { client: true, bytes: Uint8Array.from([0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5]) }, // TLS: not read
  ], 21);
  assert.equal(tls.stepsFed, 3);
  const t = onlyMessage<FtpSession>(tls);
  assert.equal(t.auth, 'TLS');
  assert.equal(t.tls, true);
  assert.equal(t.cleartext_password, false);

  const many = onlyMessage<FtpSession>(runScriptInPieces(openFtpStream, [
    s('220 ok'), ...Array.from({ length: MAX_LOGGED_COMMANDS + 6 }, () => [c('NOOP'), s('200 ok')]).flat(),
    s('421 Timeout.'), // no command waiting
  ], 21));
  assert.equal(many.commands.length, MAX_LOGGED_COMMANDS);
  assert.equal(many.commands_total, MAX_LOGGED_COMMANDS + 6);
  assert.deepEqual(many.anomalies, ['unsolicited_reply']);
  assert.deepEqual(many.unsolicited_replies, [{ code: 421, text: 'Timeout.' }]);
});

test('analyzer: SMTP and other protocols on the port are given up; gaps restart the pairing', () => {
  const smtp = runScriptInPieces(openFtpStream, [s('220 mail ESMTP'), c('EHLO me')], 21);
  assert.equal(smtp.observations.length, 0);
  assert.equal(smtp.error, 'smtp');
  const junk = runScriptInPieces(openFtpStream, [{ client: true, bytes: raw('\u0016\u0003\u0001 binary\n'.repeat(10)) }], 21);
  assert.equal(junk.error, 'not_ftp');
  const gap = onlyMessage<FtpSession>(runScriptInPieces(openFtpStream, [
    s('220 ok'), c('USER a'), { client: false, gap: 50 }, s('331 pw'), c('SYST'), s('215 UNIX'),
  ], 21));
  assert.equal(gap.syst, 'UNIX'); // the SYST reply still pairs with SYST after the gap
  assert.equal(gap.commands[0]!.reply_code, null);
  assert.deepEqual(gap.anomalies, ['gap', 'unsolicited_reply']);
});

test('sniff: a 220 greeting from the server, not an SMTP one', () => {
  assert.equal(sniffFtp(false, raw('220 (vsFTPd 3.0.3)\r\n'), 0, 20), true);
  assert.equal(sniffFtp(false, raw('220-Welcome\r\n'), 0, 13), true);
  assert.equal(sniffFtp(false, raw('220 mx.example.org ESMTP Postfix\r\n'), 0, 34), false);
  assert.equal(sniffFtp(true, raw('220 x\r\n'), 0, 7), false);
  assert.equal(sniffFtp(false, raw('2201'), 0, 4), false);
  assert.deepEqual(FTP_PORTS, [21]);
});

test('20 000 random mutations of command and reply lines: no throw, no read outside the bounds, no password kept', () => {
  const cmdOk = runMutations({
    seed: 0xf7b1, bases: [raw('USER anonymous'), raw('PASS hunter2'), raw('PORT 10,0,0,1,4,1'), raw('RETR x.dcm')], count: 10_000,
    special: [0x20, 0x0d, 0x0a, 0x2c, 0x7c, 0x00, 0xff], parse: parseFtpCommand, anomalyNames: FTP_ANOMALIES,
    onParsed: (v) => {
      if (v.verb === 'PASS' || v.verb === 'ACCT') assert.equal(v.arg, null);
    },
  });
  assert.ok(cmdOk > 2000);
  const replyOk = runMutations({
    seed: 0xf7b2, bases: [raw('227 Entering Passive Mode (10,0,0,2,195,80).'), raw('230-Welcome'), raw('229 (|||6446|)')], count: 10_000,
    special: [0x20, 0x2d, 0x30, 0x39, 0x0d, 0xff], parse: parseFtpReplyLine, anomalyNames: FTP_ANOMALIES,
  });
  assert.equal(replyOk, 10_000); // any line is a reply line or reply text
});
