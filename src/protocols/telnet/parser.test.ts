/**
 * Unit tests of the Telnet scanner (RFC 854/855 IAC sequences, RFC 1091/1096/1079/1073/1572 subnegotiations) and
 * of the connection analyzer's banner and login heuristics, plus random-mutation robustness. Corpus-wide agreement
 * with tshark and nDPI is in test/conformance/telnet/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { onlyMessage, runScriptInPieces, type ScriptStep } from '../stream-test-harness.js';
import { ascii, bytes } from '../test-bytes.js';
import { MAX_TELNET_COMMANDS, openTelnetStream, type TelnetSession } from './analyzer.js';
import { decodeTelnetSub, MAX_SUBNEGOTIATION, scanTelnet, TELNET_ANOMALIES, type TelnetScan } from './parser.js';

const IAC = 255;
const [WILL, WONT, DO, DONT, SB, SE] = [251, 252, 253, 254, 250, 240];
const raw = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function scan(b: Uint8Array): TelnetScan {
  const r = scanTelnet(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('scanner: data, negotiation, IAC IAC, other commands (RFC 854)', () => {
  const b = bytes(
    ascii('ab'), // data
    [IAC, DO, 24], // DO TERMINAL-TYPE
    [IAC, IAC], // a data byte 255
    [IAC, 241], // NOP
    [IAC, WILL, 1, IAC, WONT, 3, IAC, DONT, 31], // WILL ECHO, WONT SGA, DONT NAWS
    ascii('c'),
  );
  const r = scan(b);
  assert.equal(r.consumed, b.length);
  assert.deepEqual(r.items, [
    { type: 'data', start: 0, end: 2 },
    { type: 'option', command: DO, option: 24 },
    { type: 'data', start: 6, end: 7 },
    { type: 'command', command: 241 },
    { type: 'option', command: WILL, option: 1 },
    { type: 'option', command: WONT, option: 3 },
    { type: 'option', command: DONT, option: 31 },
    { type: 'data', start: 18, end: 19 },
  ]);
  assert.deepEqual(r.anomalies, []);
});

test('scanner: subnegotiations, and sequences cut by the end of the bytes are left unconsumed', () => {
  const ttype = bytes([IAC, SB, 24, 0], ascii('xterm'), [IAC, SE]); // SB TERMINAL-TYPE IS "xterm" SE
  assert.deepEqual(scan(ttype).items, [{ type: 'sub', option: 24, start: 3, end: 9, terminated: true }]);
  for (const cut of [1, 2, 3, 5, ttype.length - 1]) {
    const r = scan(bytes(ascii('x'), ttype.subarray(0, cut)));
    assert.equal(r.consumed, 1, `cut at ${cut}`); // only the data byte before the IAC
    assert.deepEqual(r.items, [{ type: 'data', start: 0, end: 1 }]);
  }
  assert.equal(scan(bytes(ascii('x'), [IAC, WILL])).consumed, 1);
  const unterminated = scan(bytes([IAC, SB, 24, 0], ascii('vt'), [IAC, DO, 1]));
  assert.deepEqual(unterminated.items, [{ type: 'sub', option: 24, start: 3, end: 6, terminated: false }, { type: 'option', command: DO, option: 1 }]);
  assert.deepEqual(unterminated.anomalies, ['unterminated_subnegotiation']);
  const long = scan(bytes([IAC, SB, 39], new Array<number>(MAX_SUBNEGOTIATION + 10).fill(0x41)));
  assert.equal(long.items[0]!.type, 'sub');
  assert.deepEqual(long.anomalies, ['long_subnegotiation']);
  assert.deepEqual(scan(bytes([IAC, SE, IAC, 200])).anomalies, ['stray_se', 'unknown_command']);
  assert.deepEqual(scanTelnet(bytes([1]), 1, 1), { ok: false, error: 'bad_bounds' });
});

test('subnegotiation values: TTYPE/XDISPLOC/TSPEED IS, NAWS, NEW-ENVIRON variables', () => {
  const sub = (option: number, data: number[]): ReturnType<typeof decodeTelnetSub> => decodeTelnetSub(option, Uint8Array.from(data), 0, data.length);
  assert.deepEqual(sub(24, [0, ...ascii('xterm-color')]), { verb: 0, value: 'xterm-color', variables: null }); // RFC 1091 IS
  assert.deepEqual(sub(24, [1]), { verb: 1, value: null, variables: null }); // SEND
  assert.deepEqual(sub(35, [0, ...ascii('bam.zing.org:0.0')]).value, 'bam.zing.org:0.0'); // RFC 1096
  assert.deepEqual(sub(32, [0, ...ascii('38400,38400')]).value, '38400,38400'); // RFC 1079
  assert.deepEqual(sub(31, [0, 80, 0, 24]).value, '80x24'); // RFC 1073
  assert.deepEqual(sub(31, [0, IAC, IAC, 0, 24]).value, '255x24'); // IAC doubled inside the data (RFC 855)
  assert.deepEqual(sub(31, [0, 80, 0]).value, null);
  // RFC 1572: IS VAR "USER" VALUE "-fadm" USERVAR "X" VALUE "a" ESC VALUE-byte "b" VAR "DISPLAY" (no value)
  assert.deepEqual(sub(39, [0, 0, ...ascii('USER'), 1, ...ascii('-fadm'), 3, ...ascii('X'), 1, 0x61, 2, 1, 0x62, 0, ...ascii('DISPLAY')]).variables, [
    { kind: 'VAR', name: 'USER', value: '-fadm' },
    { kind: 'USERVAR', name: 'X', value: 'a\\x01b' },
    { kind: 'VAR', name: 'DISPLAY', value: null },
  ]);
  assert.deepEqual(sub(39, [1, 0]).variables, []); // SEND
  assert.deepEqual(sub(1, [0, 1]), { verb: null, value: null, variables: null }); // not decoded
});

const cmd = (...b: number[]): number[] => [IAC, ...b];
const cl = (b: Uint8Array | string): ScriptStep => ({ client: true, bytes: typeof b === 'string' ? raw(b) : b });
const sv = (b: Uint8Array | string): ScriptStep => ({ client: false, bytes: typeof b === 'string' ? raw(b) : b });

test('analyzer: line-mode login (OpenBSD style): negotiation, terminal type, banner, user, password, success', () => {
  const run = runScriptInPieces(openTelnetStream, [
    cl(bytes(cmd(DO, 3), cmd(WILL, 24))), // client: DO SGA, WILL TERMINAL-TYPE
    sv(bytes(cmd(SB, 24, 1), cmd(SE))), // server: SB TERMINAL-TYPE SEND
    cl(bytes(cmd(SB, 24, 0), ascii('xterm-color'), cmd(SE))), // client: IS xterm-color
    sv('\r\nOpenBSD/i386 (oof) (ttyp2)\r\n\r\nlogin: '),
    cl('fake\r\n'),
    sv(bytes(cmd(WILL, 1), ascii('Password:'))),
    cl('Xyzzy42\r\n'), // the password: must not appear anywhere
    sv('\r\nLast login: Sat Nov 27 20:11:43 on ttyp2\r\n$ '),
    cl('ls\r\n'),
  ], 23);
  const m = onlyMessage<TelnetSession>(run);
  assert.equal(m.terminal_type, 'xterm-color');
  assert.equal(m.banner, 'OpenBSD/i386 (oof) (ttyp2)\nlogin:');
  assert.equal(m.login_prompt, 'login:');
  assert.equal(m.user, 'fake');
  assert.equal(m.cleartext_password, true);
  assert.equal(m.password_lines, 1);
  assert.equal(m.login_result, 'success');
  assert.equal(m.login_rule, 'success_message');
  assert.equal(m.login_confidence, 0.8);
  assert.deepEqual(m.commands.map((x) => `${x.from} ${x.command} ${x.option_name ?? ''}`.trim()), [
    'client DO SUPPRESS-GO-AHEAD', 'client WILL TERMINAL-TYPE', 'server SB TERMINAL-TYPE', 'server SE', 'client SB TERMINAL-TYPE',
    'client SE', 'server WILL ECHO',
  ]);
  assert.deepEqual(m.subnegotiations.map((x) => [x.from, x.verb, x.value]), [['server', 1, null], ['client', 0, 'xterm-color']]);
  assert.ok(!JSON.stringify(run.observations).includes('Xyzzy'), 'the password leaked');
});

test('analyzer: character mode with echo and backspace; failure message, then a retry at a shell prompt', () => {
  const typed = (s: string): ScriptStep[] => [...s].flatMap((ch) => [cl(ch), sv(ch === '\r' ? '\r\n' : ch === '\x7f' ? '\b \b' : ch)]);
  const m = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [
    sv('\x1b[2J\x1b[1;1HMonitor CMS-7 Central Station\r\nUsername: '), // ANSI clear screen, cursor home
    ...typed('adminn\x7f\r'), // a DEL erases the extra n
    sv('Password: '), cl('s'), cl('e'), cl('c'), cl('r'), cl('\r'), // no echo of the password
    sv('\r\n% Login invalid\r\n\r\nUsername: '),
    ...typed('service\r'),
    sv('Password: '), cl('pw\r\n'),
    sv('\r\nCMS-7# '), cl('show ver\r\n'),
  ], 23));
  assert.equal(m.banner, 'Monitor CMS-7 Central Station\nUsername:');
  assert.deepEqual(m.users, ['admin', 'service']);
  assert.equal(m.user, 'service');
  assert.equal(m.password_lines, 2);
  assert.equal(m.login_failures, 1);
  assert.equal(m.login_result, 'success');
  assert.equal(m.login_rule, 'shell_prompt');
  assert.ok(!JSON.stringify(m).includes('secr'));
});

test('analyzer: a prompt again after the password is a failure; password-only devices; banner grab without typing', () => {
  const again = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [
    sv('login: '), cl('root\r\n'), sv('Password:'), cl('x\r\n'), sv('\r\nlogin: '), cl('root\r\n'),
  ], 23));
  assert.equal(again.login_result, 'failure');
  assert.equal(again.login_rule, 'prompt_again');
  assert.equal(again.login_confidence, 0.6);

  const pwOnly = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [
    sv('\r\nUser Access Verification\r\n\r\nPassword: '), cl('cisco\r'), sv('\r\nswitch>'),
  ], 23));
  assert.equal(pwOnly.user, null);
  assert.equal(pwOnly.cleartext_password, true);
  assert.equal(pwOnly.login_rule, 'shell_prompt'); // judged at the end, from the prompt the server waits at

  const grab = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [sv('Welcome to the infusion gateway\r\n\r\nlogin: ')], 23));
  assert.equal(grab.banner, 'Welcome to the infusion gateway\nlogin:');
  assert.equal(grab.cleartext_password, false);
  assert.equal(grab.login_result, null);

  const env = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [cl(bytes(cmd(SB, 39, 0, 0), ascii('USER'), [1], ascii('-froot'), cmd(SE)))], 23));
  assert.equal(env.environment_user, '-froot');
});

test('analyzer: command list bounded, gaps noted', () => {
  const flood = new Array<number[]>(MAX_TELNET_COMMANDS + 20).fill(cmd(DONT, 1)).flat();
  const m = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [sv(Uint8Array.from(flood)), { client: true, gap: 10 }, cl('x\r\n')], 23));
  assert.equal(m.commands.length, MAX_TELNET_COMMANDS);
  assert.equal(m.commands_total, MAX_TELNET_COMMANDS + 20);
  assert.deepEqual(m.anomalies, ['too_many_commands', 'gap']);
});

test('20 000 random mutations of Telnet streams: no throw, no read outside the bounds, items inside the bytes', () => {
  const bases = [
    bytes(cmd(DO, 24), cmd(SB, 24, 0), ascii('vt100'), cmd(SE), ascii('login: '), [IAC, IAC], cmd(241)),
    bytes(cmd(SB, 39, 0, 0), ascii('USER'), [1, 2, 255], ascii('x'), cmd(SE), cmd(SB, 31, 0, 80, 0, 24), cmd(SE)),
  ];
  const ok = runMutations({
    seed: 0x7e1e, bases, count: 20_000, special: [IAC, SB, SE, WILL, DO, 0, 1, 2, 3, 0x0d],
    parse: scanTelnet, anomalyNames: TELNET_ANOMALIES,
    onParsed: (v) => {
      for (const it of v.items) {
        if (it.type !== 'data' && it.type !== 'sub') continue;
        assert.ok(it.start >= 0 && it.end >= it.start && it.end <= v.consumed);
        if (it.type === 'sub') decodeTelnetSub(it.option, Uint8Array.from([]), 0, 0);
      }
    },
  });
  assert.equal(ok, 20_000);
});

test('analyzer: a binary stream on the Telnet port gives no banner (binary_banner); Latin-1 and UTF-8 banners stay text', () => {
  const noise = Uint8Array.from({ length: 96 }, (_, i) => (i * 151 + 77) & 0xff | 0x80); // high bytes, not UTF-8
  const bin = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [sv(raw('OK\r\n')), sv(noise)], 23));
  assert.equal(bin.banner, 'OK');
  assert.ok(bin.anomalies.includes('binary_banner'));
  const latin1 = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [sv(Uint8Array.from([...raw('Gr'), 0xfc, ...raw('\u00df Gott\r\nlogin: ')]))], 23));
  assert.equal(latin1.banner, 'Grüß Gott\nlogin:');
  const utf8 = onlyMessage<TelnetSession>(runScriptInPieces(openTelnetStream, [sv(new TextEncoder().encode('Монитор ЦС-7\r\nlogin: '))], 23));
  assert.equal(utf8.banner, 'Монитор ЦС-7\nlogin:');
  assert.ok(!utf8.anomalies.includes('binary_banner'));
});
