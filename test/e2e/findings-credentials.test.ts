/**
 * Default credentials checked at observation time, end to end: a capture built from the specs (RFC 959 FTP login,
 * RFC 854 Telnet login, RFC 7617 HTTP Basic) with user/password pairs taken from the default-credential list is
 * ingested with protocol logs; the facts and `default_credentials` findings name protocol and user, and no password
 * string appears anywhere: not in the database file, not in any log, not in any CLI output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from './cli-harness.js';
import { ip4, mac, tcpSession, type TcpExchange, type TimedFrame } from '../../src/synth/frames.js';
import { openPcapWriter } from '../../src/synth/pcap-writer.js';
import { isDefaultCredential } from '../../src/knowledge/default-credentials.js';

const START = Date.UTC(2026, 2, 2, 9, 0, 0) * 1000;
const enc = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const host = (n: number, port: number): { mac: Uint8Array; ip: Uint8Array; port: number } => ({
  mac: mac(`02:4d:54:00:01:${n.toString(16).padStart(2, '0')}`), ip: ip4(`10.40.0.${n}`), port,
});

/** Pairs of the bundled list (data/findings/default_creds_medical_subset.csv). */
const FTP = { user: 'museadmin', password: 'Muse!Admin' };
const TELNET = { user: 'KeyOperator', password: 'DV5800' };
const HTTP = { user: 'PACSLinkIP', password: 'NetServer' };
const PASSWORDS = [FTP.password, TELNET.password, HTTP.password];

/** The capture: one FTP, one Telnet and one HTTP login, each to its own server. */
function frames(): TimedFrame[] {
  const ftp: TcpExchange[] = [
    { request: enc(`USER ${FTP.user}\r\n`), response: enc('331 Password required\r\n') },
    { request: enc(`PASS ${FTP.password}\r\n`), response: enc('230 Logged in\r\n') },
    { request: enc('QUIT\r\n'), response: enc('221 Bye\r\n') },
  ];
  const telnet: TcpExchange[] = [
    { request: Uint8Array.of(0xff, 0xfb, 0x18), response: enc('\r\nWelcome\r\nlogin: ') }, // IAC WILL TERMINAL-TYPE
    { request: enc(`${TELNET.user}\r\n`), response: enc('Password: ') },
    { request: enc(`${TELNET.password}\r\n`), response: enc('\r\nLast login: never\r\n$ ') },
  ];
  const basic = Buffer.from(`${HTTP.user}:${HTTP.password}`).toString('base64');
  const http: TcpExchange[] = [{
    request: enc(`GET /admin/ HTTP/1.1\r\nHost: 10.40.0.12\r\nAuthorization: Basic ${basic}\r\n\r\n`),
    response: enc('HTTP/1.1 200 OK\r\nServer: Test-Admin/1.0\r\nContent-Length: 2\r\n\r\nok'),
  }];
  return [
    ...tcpSession({ client: { ...host(1, 50001), isn: 100 }, server: { ...host(10, 21), isn: 200 }, start: START, exchanges: ftp }),
    ...tcpSession({ client: { ...host(1, 50002), isn: 300 }, server: { ...host(11, 23), isn: 400 }, start: START + 1_000_000, exchanges: telnet }),
    ...tcpSession({ client: { ...host(1, 50003), isn: 500 }, server: { ...host(12, 80), isn: 600 }, start: START + 2_000_000, exchanges: http }),
  ].sort((a, b) => a.ts - b.ts);
}

test('default credentials: facts and findings name protocol and user; the passwords are nowhere', () => {
  for (const p of [FTP, TELNET, HTTP]) assert.equal(isDefaultCredential(p.user, p.password), true, `${p.user} is a pair of the list`);
  const dir = tempDir();
  const pcap = join(dir, 'logins.pcap');
  const w = openPcapWriter(pcap);
  for (const f of frames()) w.write(f.ts, f.frame);
  w.close();
  const db = join(dir, 'f.db');
  const logs = join(dir, 'logs');
  const outputs: string[] = [];
  const cli = (...args: string[]): string => {
    const r = runCli(['--db', db, ...args]);
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  cli('ingest', pcap, '--log-dir', logs, '--json');
  const findings = JSON.parse(cli('findings', '--kind', 'default_credentials', '--json')) as { device_key: string; subject: string; severity: string }[];
  assert.deepEqual(findings.map((f) => `${f.device_key} ${f.subject} ${f.severity}`).sort(), [
    'mac:02:4d:54:00:01:0a ftp:museadmin critical',
    'mac:02:4d:54:00:01:0b telnet:KeyOperator critical',
    'mac:02:4d:54:00:01:0c http:PACSLinkIP critical',
  ]);
  const clear = JSON.parse(cli('findings', '--kind', 'cleartext_credentials', '--json')) as { subject: string }[];
  assert.deepEqual(clear.map((f) => f.subject).sort(), ['ftp', 'http', 'telnet']);
  for (const id of ['1', '2', '3', '4']) {
    cli('device', id);
    cli('device', id, '--json');
  }
  cli('findings');
  cli('devices', '--json');
  // The secrets: not in the database (and its WAL), the logs, or anything printed.
  const files = [db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
  for (const name of readdirSync(logs)) files.push(readFileSync(join(logs, name)));
  assert.ok(files.length >= 4);
  const haystacks = [...files.map((b) => b.toString('latin1')), ...outputs];
  for (const p of PASSWORDS) {
    for (const h of haystacks) assert.equal(h.includes(p), false, `${p} leaked`);
  }
  // Sanity of the check itself: the capture does hold them.
  const raw = readFileSync(pcap).toString('latin1');
  for (const p of [FTP.password, TELNET.password]) assert.ok(raw.includes(p));
  assert.ok(readFileSync(join(logs, 'ftp.jsonl'), 'utf8').includes('"default_credential":true'));
});
