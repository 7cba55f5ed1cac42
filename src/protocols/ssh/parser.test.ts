/**
 * Unit tests of the SSH parsers (RFC 4253 §4.2 identification, §6 binary packet, §7.1 KEXINIT) and of the
 * per-connection analyzer, from annotated bytes, plus random-mutation robustness. Corpus-wide agreement with tshark
 * and Zeek is in test/conformance/ssh/.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { onlyMessage, runScriptInPieces, type ScriptStep } from '../stream-test-harness.js';
import { ascii, be32, bytes, zeros } from '../test-bytes.js';
import { openSshStream, sniffSsh, type SshSession } from './analyzer.js';
import {
  frameSshPacket,
  KEXINIT_LISTS,
  MAX_IDENT_BYTES,
  MAX_NAME_LIST_BYTES,
  MAX_NAMES,
  negotiateAlgorithm,
  parseSshIdentification,
  parseSshKexinit,
  SSH_ANOMALIES,
  type SshIdentification,
  type SshKexinit,
} from './parser.js';

const raw = (s: string): Uint8Array => Buffer.from(s, 'latin1');

function ident(s: string): SshIdentification {
  const b = raw(s);
  const r = parseSshIdentification(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** An RFC 4251 §5 name-list: uint32 length + the comma-joined names. */
const nameList = (names: string): number[] => [...be32(names.length), ...ascii(names)];

/** A KEXINIT payload with the ten lists given (in KEXINIT_LISTS order). */
function kexinitPayload(lists: string[], follows = 0, reserved = 0): Uint8Array {
  return bytes(
    [20], // SSH_MSG_KEXINIT
    [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff], // cookie
    ...lists.map(nameList), // the ten name-lists
    [follows], // first_kex_packet_follows
    be32(reserved), // reserved
  );
}

/** A binary packet (RFC 4253 §6) around `payload`, with 4 + n padding bytes so the total is a multiple of 8. */
function packet(payload: Uint8Array): Uint8Array {
  let pad = 8 - ((5 + payload.length) % 8);
  if (pad < 4) pad += 8;
  return bytes(be32(1 + payload.length + pad), [pad], payload, zeros(pad));
}

const CLIENT_LISTS = [
  'curve25519-sha256,ecdh-sha2-nistp256,ext-info-c', // kex
  'ssh-ed25519,rsa-sha2-512', // host key
  'chacha20-poly1305@openssh.com,aes128-ctr', // enc c→s
  'aes128-ctr,chacha20-poly1305@openssh.com', // enc s→c
  'umac-64-etm@openssh.com,hmac-sha2-256', // mac c→s
  'hmac-sha2-256', // mac s→c
  'none,zlib@openssh.com', // compression c→s
  'none', // compression s→c
  '', // languages c→s
  '', // languages s→c
];
const SERVER_LISTS = [
  'ecdh-sha2-nistp256,curve25519-sha256', // kex: the client's first common one is curve25519-sha256
  'rsa-sha2-512,ssh-ed25519',
  'aes128-ctr,chacha20-poly1305@openssh.com',
  'aes128-ctr',
  'hmac-sha2-256,umac-64-etm@openssh.com',
  'hmac-sha2-256',
  'none',
  'none,zlib',
  '',
  '',
];

function kexinit(b: Uint8Array): SshKexinit {
  const r = parseSshKexinit(b, 0, b.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

test('identification: protocol version, software version, comments (RFC 4253 §4.2)', () => {
  const i = ident('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1');
  assert.equal(i.raw, 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1');
  assert.equal(i.proto_version, '2.0');
  assert.equal(i.software_version, 'OpenSSH_8.9p1');
  assert.equal(i.comments, 'Ubuntu-3ubuntu0.1');
  assert.deepEqual(i.anomalies, []);
  const c = ident('SSH-1.99-Cisco-1.25'); // a "1.99" server; a dash inside the software version is kept
  assert.equal(c.proto_version, '1.99');
  assert.equal(c.software_version, 'Cisco-1.25');
  assert.equal(c.comments, null);
  assert.equal(ident('SSH-2.0-dropbear_2019.78 with spaces').comments, 'with spaces');
});

test('identification: missing software version, odd bytes, length limits, failures', () => {
  assert.deepEqual(ident('SSH-2.0-').anomalies, ['missing_software_version']);
  assert.equal(ident('SSH-2.0').software_version, null);
  const odd = ident('SSH-2.0-X\u00e9\u0001');
  assert.deepEqual(odd.anomalies, ['non_ascii_identification']);
  assert.equal(odd.software_version, 'X\u00e9\\x01'); // Latin-1 é, control escaped
  const long = ident(`SSH-2.0-${'a'.repeat(250)}`);
  assert.deepEqual(long.anomalies, ['long_identification']);
  const huge = ident(`SSH-2.0-${'b'.repeat(MAX_IDENT_BYTES + 10)}`);
  assert.deepEqual(huge.anomalies, ['long_identification', 'cut_identification']);
  assert.equal(huge.raw.length, MAX_IDENT_BYTES);
  for (const [s, error] of [['HTTP/1.1 200 OK', 'not_ssh_identification'], ['SSH--x', 'empty_protocol_version'], ['SSH-', 'empty_protocol_version'], ['', 'not_ssh_identification']] as const) {
    const r = parseSshIdentification(raw(s), 0, s.length);
    assert.deepEqual(r, { ok: false, error }, s);
  }
  assert.equal(parseSshIdentification(raw('SSH-2.0-x'), 5, 10).ok, false); // beyond the bytes
});

test('binary packet framing (RFC 4253 §6): incomplete, impossible lengths, payload position', () => {
  const p = packet(kexinitPayload(CLIENT_LISTS));
  assert.deepEqual(frameSshPacket(p, 0, 3), { kind: 'incomplete', needed: 4 });
  assert.deepEqual(frameSshPacket(p, 0, 10), { kind: 'incomplete', needed: p.length });
  const f = frameSshPacket(p, 0, p.length);
  assert.equal(f.kind, 'packet');
  if (f.kind === 'packet') {
    assert.equal(f.total, p.length);
    assert.equal(f.payloadOff, 5);
    assert.equal(f.messageCode, 20);
    assert.equal(f.payloadLen, kexinitPayload(CLIENT_LISTS).length);
  }
  assert.deepEqual(frameSshPacket(bytes(be32(4), [0]), 0, 5), { kind: 'bad', error: 'bad_packet_length' }); // < 5
  assert.deepEqual(frameSshPacket(bytes(be32(40_000)), 0, 4), { kind: 'bad', error: 'bad_packet_length' }); // > 35000
  assert.deepEqual(frameSshPacket(bytes(be32(8), [8], zeros(7)), 0, 12), { kind: 'bad', error: 'bad_padding_length' });
});

test('KEXINIT (RFC 4253 §7.1): cookie, the ten name-lists, flag, reserved', () => {
  const k = kexinit(kexinitPayload(CLIENT_LISTS, 1));
  assert.equal(k.cookie, '00112233445566778899aabbccddeeff');
  assert.deepEqual(k.kex_algorithms, ['curve25519-sha256', 'ecdh-sha2-nistp256', 'ext-info-c']);
  assert.deepEqual(k.encryption_client_to_server, ['chacha20-poly1305@openssh.com', 'aes128-ctr']);
  assert.deepEqual(k.compression_client_to_server, ['none', 'zlib@openssh.com']);
  assert.deepEqual(k.languages_client_to_server, []);
  assert.equal(k.first_kex_packet_follows, true);
  assert.equal(k.reserved, 0);
  assert.deepEqual(k.anomalies, []);
  assert.deepEqual(Object.keys(k).filter((x) => x.includes('_') && Array.isArray(k[x as keyof SshKexinit])).sort(), [...KEXINIT_LISTS].sort());
});

test('KEXINIT: malformed lists and fields become anomalies, what was read is kept', () => {
  const lists = [...CLIENT_LISTS];
  lists[1] = 'a,,b,'; // empty names
  lists[2] = 'x y'; // a space inside a name
  const k = kexinit(kexinitPayload(lists, 2, 7));
  assert.deepEqual(k.server_host_key_algorithms, ['a', 'b']);
  assert.deepEqual(k.anomalies, ['empty_name:server_host_key_algorithms', 'non_ascii_name:encryption_client_to_server', 'odd_boolean', 'reserved_not_zero']);
  const full = kexinitPayload(CLIENT_LISTS);
  // cut inside the fourth name-list: the first three are kept, the fourth is what is there
  const cut = kexinit(full.subarray(0, 17 + nameList(CLIENT_LISTS[0]!).length + nameList(CLIENT_LISTS[1]!).length + nameList(CLIENT_LISTS[2]!).length + 6));
  assert.deepEqual(cut.encryption_client_to_server, ['chacha20-poly1305@openssh.com', 'aes128-ctr']);
  assert.deepEqual(cut.encryption_server_to_client, ['ae']);
  assert.deepEqual(cut.anomalies, ['truncated_kexinit:encryption_server_to_client']);
  assert.deepEqual(kexinit(full.subarray(0, full.length - 2)).anomalies, ['truncated_kexinit:reserved']);
  assert.deepEqual(kexinit(bytes(full, [1])).anomalies, ['trailing_bytes']);
  const many = [...CLIENT_LISTS];
  many[0] = Array.from({ length: MAX_NAMES + 5 }, (_, i) => `k${i}`).join(',');
  const m = kexinit(kexinitPayload(many));
  assert.equal(m.kex_algorithms.length, MAX_NAMES);
  assert.deepEqual(m.anomalies, ['too_many_names:kex_algorithms']);
  const longList = [...CLIENT_LISTS];
  longList[0] = Array.from({ length: 400 }, (_, i) => `algorithm-${i}`).join(',');
  const l = kexinit(kexinitPayload(longList));
  assert.ok(l.kex_algorithms.join(',').length <= MAX_NAME_LIST_BYTES);
  assert.ok(l.kex_algorithms.every((n) => /^algorithm-\d+$/.test(n))); // cut at a comma, no half name
  assert.ok(l.anomalies[0]!.startsWith('long_name_list:kex_algorithms'));
  assert.deepEqual(parseSshKexinit(bytes([21], zeros(20)), 0, 21), { ok: false, error: 'not_kexinit' });
  assert.deepEqual(parseSshKexinit(bytes([20], zeros(10)), 0, 11), { ok: false, error: 'short_kexinit' });
});

test('negotiation (RFC 4253 §7.1): the client\'s first algorithm the server also lists', () => {
  assert.equal(negotiateAlgorithm(['a', 'b', 'c'], ['c', 'b']), 'b');
  assert.equal(negotiateAlgorithm(['a'], ['b']), null);
  assert.equal(negotiateAlgorithm([], ['b']), null);
});

/** A whole SSH 2 handshake: identifications, then each side's KEXINIT packet. */
function handshake(): ScriptStep[] {
  return [
    { client: false, bytes: raw('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1\r\n') }, // server speaks first
    { client: true, bytes: bytes(raw('SSH-2.0-PuTTY_Release_0.78\r\n'), packet(kexinitPayload(CLIENT_LISTS))) }, // one segment
    { client: false, bytes: packet(kexinitPayload(SERVER_LISTS)) },
    { client: true, bytes: raw('encrypted after NEWKEYS, never read') },
  ];
}

test('analyzer: identifications, KEXINITs, HASSH, negotiated algorithms, whatever the segmentation', () => {
  const run = runScriptInPieces(openSshStream, handshake(), 22);
  const s = onlyMessage<SshSession>(run);
  assert.equal(run.stepsFed, 3); // done after both KEXINITs: the encrypted bytes are not fed
  assert.equal(s.version, 2);
  assert.equal(s.client?.software_version, 'PuTTY_Release_0.78');
  assert.equal(s.server?.comments, 'Ubuntu-3ubuntu0.1');
  const hasshAlgorithms = 'curve25519-sha256,ecdh-sha2-nistp256,ext-info-c;chacha20-poly1305@openssh.com,aes128-ctr;umac-64-etm@openssh.com,hmac-sha2-256;none,zlib@openssh.com';
  assert.equal(s.hassh_algorithms, hasshAlgorithms);
  assert.equal(s.hassh, createHash('md5').update(hasshAlgorithms).digest('hex'));
  assert.equal(s.hassh_server_algorithms, 'ecdh-sha2-nistp256,curve25519-sha256;aes128-ctr;hmac-sha2-256;none,zlib');
  assert.equal(s.kex_alg, 'curve25519-sha256');
  assert.equal(s.host_key_alg, 'ssh-ed25519');
  assert.equal(s.cipher_client_to_server, 'chacha20-poly1305@openssh.com');
  assert.equal(s.cipher_server_to_client, 'aes128-ctr');
  assert.equal(s.mac_client_to_server, 'umac-64-etm@openssh.com');
  assert.equal(s.compression_server_to_client, 'none');
  assert.deepEqual(s.anomalies, []);
});

test('analyzer: server lines before the identification, SSH 1, ignore packets, gaps, not SSH', () => {
  const pre = onlyMessage<SshSession>(runScriptInPieces(openSshStream, [
    { client: false, bytes: raw('Welcome\r\nauthorised use only\r\nSSH-1.99-Sun_SSH_1.1\r\n') },
    { client: true, bytes: raw('SSH-1.5-OpenSSH_6.2\r\n') }, // an SSH 1 client: no KEXINIT on either side
  ], 22));
  assert.equal(pre.server_pre_identification_lines, 2);
  assert.equal(pre.version, 1);
  assert.equal(pre.client_kexinit, null);
  assert.deepEqual(pre.anomalies, ['server:pre_identification_lines']);

  const ignore = bytes(be32(12), [6], [2], be32(0), zeros(6)); // SSH_MSG_IGNORE before KEXINIT
  const withIgnore = onlyMessage<SshSession>(runScriptInPieces(openSshStream, [
    { client: true, bytes: bytes(raw('SSH-2.0-c\r\n'), ignore, packet(kexinitPayload(CLIENT_LISTS))) },
    { client: false, bytes: raw('SSH-2.0-s\n') }, // bare LF accepted
    { client: false, gap: 100 },
  ], 22));
  assert.deepEqual(withIgnore.client_kexinit?.kex_algorithms, ['curve25519-sha256', 'ecdh-sha2-nistp256', 'ext-info-c']);
  assert.equal(withIgnore.server_kexinit, null);
  assert.equal(withIgnore.kex_alg, null);
  assert.deepEqual(withIgnore.anomalies, ['server:gap']);

  const bad = runScriptInPieces(openSshStream, [
    { client: false, bytes: raw('SSH-2.0-s\r\n') },
    { client: false, bytes: bytes(be32(0xffffff), zeros(8)) },
  ], 22);
  assert.deepEqual(onlyMessage<SshSession>(bad).anomalies, ['server:bad_packet', 'client:no_identification']);

  const notSsh = runScriptInPieces(openSshStream, [
    { client: true, bytes: raw(Array.from({ length: 40 }, () => 'GET / HTTP/1.0\r\n').join('')) },
    { client: false, bytes: raw(Array.from({ length: 40 }, () => 'junk\r\n').join('')) },
  ], 22);
  assert.equal(notSsh.observations.length, 0);
  assert.equal(notSsh.error, 'not_ssh');
});

test('sniff: "SSH-" at the start of either side', () => {
  assert.equal(sniffSsh(false, raw('SSH-2.0-x\r\n'), 0, 11), true);
  assert.equal(sniffSsh(true, raw('xxSSH-2.0'), 2, 7), true);
  assert.equal(sniffSsh(true, raw('SSH'), 0, 3), false);
  assert.equal(sniffSsh(true, raw('GET /'), 0, 5), false);
});

test('10 000 random mutations of identifications and KEXINITs: no throw, no read outside the bounds', () => {
  const identOk = runMutations({
    seed: 0x5511, bases: [raw('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.1'), raw('SSH-1.99-Cisco-1.25')], count: 2_500,
    special: [0x2d, 0x20, 0x0d, 0x0a, 0x00, 0x80, 0xff], parse: parseSshIdentification, anomalyNames: SSH_ANOMALIES,
  });
  assert.ok(identOk > 500);
  const kexOk = runMutations({
    seed: 0x5512, bases: [kexinitPayload(CLIENT_LISTS), kexinitPayload(SERVER_LISTS, 1)], count: 7_500,
    special: [0x00, 0x2c, 0x14, 0xff, 0x7f, 0x01], parse: parseSshKexinit, anomalyNames: SSH_ANOMALIES,
    onParsed: (k) => {
      for (const f of KEXINIT_LISTS) assert.ok(k[f].length <= MAX_NAMES);
    },
  });
  assert.ok(kexOk > 1500);
});
