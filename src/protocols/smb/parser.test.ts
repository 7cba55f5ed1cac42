/**
 * Unit tests of the SMB message parser, the NTLMSSP / SPNEGO reader and the per-connection stream logic, on
 * hand-built messages annotated field by field from [MS-SMB2], [MS-CIFS], [MS-NLMP], RFC 4178 and RFC 1002; plus
 * robustness runs of the mutation harness.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../../observe/observation.js';
import { runMutations } from '../mutation-harness.js';
import { StreamStatus } from '../stream.js';
import { ascii, zeros } from '../test-bytes.js';
import { decodeSessionName, MAX_SMB_MESSAGE, openSmbStream, type SmbSession } from './analyzer.js';
import { NTLM_ANOMALIES, parseNtlmssp, parseSecurityBlob } from './ntlmssp.js';
import { parseSmbMessage, SMB_ANOMALIES, type SmbMessage } from './parser.js';

const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
const utf16 = (s: string): number[] => [...s].flatMap((c) => le16(c.charCodeAt(0)));
const NTLMSSP = ascii('NTLMSSP\0');

/** An SMB2 header ([MS-SMB2] §2.2.1.2) for `command`, a response when `response`. */
function smb2Header(command: number, response: boolean, status = 0): number[] {
  return [
    0xfe, ...ascii('SMB'), // ProtocolId
    ...le16(64), ...le16(0), // StructureSize 64, CreditCharge
    ...le32(status), // Status
    ...le16(command), ...le16(1), // Command, Credit
    ...le32(response ? 1 : 0), ...le32(0), // Flags (SERVER_TO_REDIR), NextCommand
    ...zeros(8), ...zeros(4), ...zeros(4), ...zeros(8), ...zeros(16), // MessageId, Reserved, TreeId, SessionId, Signature
  ];
}

/** CHALLENGE ([MS-NLMP] §2.2.1.2) from server "SRV" of domain "DOM", Windows 10.0.19041, NTLM revision 15. */
function challenge(): number[] {
  const target = utf16('DOM');
  const av = [
    ...le16(2), ...le16(6), ...utf16('DOM'), // MsvAvNbDomainName
    ...le16(1), ...le16(6), ...utf16('SRV'), // MsvAvNbComputerName
    ...le16(3), ...le16(18), ...utf16('srv.dom.lan'.slice(0, 9)), // MsvAvDnsComputerName "srv.dom.l" (9 chars)
    ...le16(7), ...le16(8), ...le32(0xd53e8000), ...le32(0x019db1de), // MsvAvTimestamp 1970-01-01T00:00:00Z
    ...le16(0), ...le16(0), // MsvAvEOL
  ];
  const fixed = 56;
  return [
    ...NTLMSSP, ...le32(2), // Signature, MessageType CHALLENGE
    ...le16(target.length), ...le16(target.length), ...le32(fixed), // TargetNameFields
    ...le32(0x02000001 | 0x00800000), // NegotiateFlags: VERSION, TARGET_INFO, UNICODE
    ...zeros(8), ...zeros(8), // ServerChallenge, Reserved
    ...le16(av.length), ...le16(av.length), ...le32(fixed + target.length), // TargetInfoFields
    10, 0, ...le16(19041), 0, 0, 0, 15, // Version 10.0.19041, revision 15
    ...target, ...av,
  ];
}

const SECRET_RESPONSE = [0x5e, 0xc2, 0xe7, 0x11, 0x9a, 0x42, 0x77, 0x31];

/** AUTHENTICATE ([MS-NLMP] §2.2.1.3): user "alice", domain "DOM", workstation "WS1", with LM/NT responses. */
function authenticate(): number[] {
  const dom = utf16('DOM');
  const user = utf16('alice');
  const ws = utf16('WS1');
  let o = 72;
  const field = (n: number): number[] => {
    const f = [...le16(n), ...le16(n), ...le32(o)];
    o += n;
    return f;
  };
  return [
    ...NTLMSSP, ...le32(3), // Signature, MessageType AUTHENTICATE
    ...field(8), ...field(8), // LmChallengeResponseFields, NtChallengeResponseFields
    ...field(dom.length), ...field(user.length), ...field(ws.length), // DomainName, UserName, Workstation
    ...field(0), // EncryptedRandomSessionKeyFields
    ...le32(0x02000001), // NegotiateFlags: VERSION, UNICODE
    6, 1, ...le16(7601), 0, 0, 0, 15, // Version 6.1.7601
    ...SECRET_RESPONSE, ...SECRET_RESPONSE.map((x) => x ^ 0xff), ...dom, ...user, ...ws,
  ];
}

/** A DER TLV (short-form length below 128, else the one-byte long form 0x81 n). */
const der = (tag: number, body: number[]): number[] => (body.length < 128 ? [tag, body.length, ...body] : [tag, 0x81, body.length, ...body]);

/** SPNEGO NegTokenResp (RFC 4178 §4.2.2) carrying `token` as its responseToken. */
function negTokenResp(token: number[]): number[] {
  const respToken = der(0xa2, der(0x04, token)); // [2] responseToken OCTET STRING
  return der(0xa1, der(0x30, [...der(0xa0, der(0x0a, [1])), ...respToken])); // [0] negState accept-incomplete
}

function ok(b: number[] | Uint8Array): SmbMessage {
  const u = Uint8Array.from(b);
  const r = parseSmbMessage(u, 0, u.length);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

/** SMB2 NEGOTIATE request ([MS-SMB2] §2.2.3) offering 2.0.2 and 3.1.1 with a known ClientGuid. */
const SMB2_NEGOTIATE_REQUEST = [
  ...smb2Header(0, false),
  ...le16(36), ...le16(2), ...le16(1), ...le16(0), // StructureSize, DialectCount 2, SecurityMode SIGNING_ENABLED, Reserved
  ...le32(0x7f), // Capabilities
  ...le32(0x11223344), ...le16(0x5566), ...le16(0x7788), 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, // ClientGuid
  ...zeros(8), // NegotiateContextOffset/Count, Reserved2
  ...le16(0x0202), ...le16(0x0311), // Dialects
];

test('SMB2 NEGOTIATE request: dialects, GUID, security mode, capabilities', () => {
  const m = ok(SMB2_NEGOTIATE_REQUEST);
  assert.equal(m.version, 2);
  assert.equal(m.response, false);
  assert.deepEqual(m.dialects, ['0x0202', '0x0311']);
  assert.equal(m.guid, '11223344-5566-7788-99aa-bbccddeeff00');
  assert.equal(m.security_mode, 1);
  assert.equal(m.capabilities, 0x7f);
  assert.deepEqual(m.anomalies, []);
});

/** SMB2 SESSION_SETUP response ([MS-SMB2] §2.2.6) with a SPNEGO-wrapped CHALLENGE. */
function sessionSetupResponse(status: number): number[] {
  const blob = negTokenResp(challenge());
  return [
    ...smb2Header(1, true, status),
    ...le16(9), ...le16(0), ...le16(72), ...le16(blob.length), // StructureSize, SessionFlags, SecurityBufferOffset/Length
    ...blob,
  ];
}

test('SMB2 SESSION_SETUP response: SPNEGO → NTLMSSP CHALLENGE with version and target info', () => {
  const m = ok(sessionSetupResponse(0xc0000016));
  assert.equal(m.status, 0xc0000016);
  const n = m.ntlm!;
  assert.equal(n.type_name, 'challenge');
  assert.deepEqual(n.version, { major: 10, minor: 0, build: 19041, ntlm_revision: 15 });
  assert.equal(n.target_name, 'DOM');
  assert.deepEqual(n.target_info, {
    nb_computer: 'SRV', nb_domain: 'DOM', dns_computer: 'srv.dom.l', dns_domain: null, dns_tree: null, timestamp: '1970-01-01T00:00:00.000Z',
  });
});

test('NTLMSSP AUTHENTICATE: user, domain, workstation; the responses are not in the result', () => {
  const a = Uint8Array.from(authenticate());
  const r = parseNtlmssp(a, 0, a.length);
  assert.ok(r.ok);
  assert.equal(r.value.user, 'alice');
  assert.equal(r.value.domain, 'DOM');
  assert.equal(r.value.workstation, 'WS1');
  assert.deepEqual(r.value.version, { major: 6, minor: 1, build: 7601, ntlm_revision: 15 });
  // Only identity fields exist in the result: no LM/NT response, session key or MIC field to leak.
  assert.deepEqual(Object.keys(r.value).sort(), ['anomalies', 'domain', 'flags', 'target_info', 'target_name', 'type', 'type_name', 'user', 'version', 'workstation']);
});

test('NTLMSSP: a string field pointing outside the message is an anomaly, not a read', () => {
  const a = authenticate();
  a.splice(40, 4, ...le32(10_000)); // UserNameFields offset far outside
  const r = parseNtlmssp(Uint8Array.from(a), 0, a.length);
  assert.ok(r.ok);
  assert.equal(r.value.user, null);
  assert.deepEqual(r.value.anomalies, ['ntlm_field_out_of_bounds']);
});

test('NTLMSSP: a timestamp past year 9999 is null, not an extended-year date', () => {
  const c = challenge();
  const at = c.length - 4 - 8; // the MsvAvTimestamp value, before MsvAvEOL
  c.splice(at, 8, ...zeros(4), ...le32(0xffffffff));
  const r = parseNtlmssp(Uint8Array.from(c), 0, c.length);
  assert.ok(r.ok);
  assert.equal(r.value.target_info?.timestamp, null);
  assert.equal(r.value.target_info?.nb_computer, 'SRV');
});

test('security blob: Kerberos-only SPNEGO (no NTLMSSP) yields nothing', () => {
  const krb = der(0x60, [...der(0x06, [0x2b, 0x06, 0x01, 0x05, 0x05, 0x02]), ...der(0xa0, der(0x30, der(0xa2, der(0x04, [0x60, 0x00]))))]);
  const b = Uint8Array.from(krb);
  assert.equal(parseSecurityBlob(b, 0, b.length), null);
});

/** SMB1 header ([MS-CIFS] §2.2.3.1) for `command`; FLAGS2 UNICODE when `unicode`. */
function smb1Header(command: number, reply: boolean, unicode: boolean): number[] {
  return [
    0xff, ...ascii('SMB'), command, ...le32(0), // Protocol, Command, Status
    reply ? 0x88 : 0x08, ...le16(unicode ? 0xc803 : 0x4803), // Flags (REPLY), Flags2
    ...zeros(12), ...zeros(2), ...zeros(2), ...zeros(2), ...zeros(2), // PIDHigh, SecurityFeatures, Reserved, TID, PIDLow, UID
    ...le16(1), // MID
  ].slice(0, 32);
}

test('SMB1 NEGOTIATE request: dialect strings in order', () => {
  const dialects = [0x02, ...ascii('NT LM 0.12\0'), 0x02, ...ascii('SMB 2.002\0')];
  const m = ok([...smb1Header(0x72, false, false), 0, ...le16(dialects.length), ...dialects]);
  assert.equal(m.version, 1);
  assert.deepEqual(m.dialects, ['NT LM 0.12', 'SMB 2.002']);
});

test('SMB1 SESSION_SETUP_ANDX response (no extended security): NativeOS / NativeLanMan in UTF-16, padded', () => {
  const strings = [0, ...utf16('Windows 5.1\0'), ...utf16('Windows 2000 LAN Manager\0'), ...utf16('WG\0')]; // pad to even
  const m = ok([...smb1Header(0x73, true, true), 3, 0xff, 0, ...le16(0), ...le16(0), ...le16(strings.length), ...strings]);
  assert.equal(m.native_os, 'Windows 5.1');
  assert.equal(m.native_lanman, 'Windows 2000 LAN Manager');
  assert.equal(m.primary_domain, 'WG');
});

test('NetBIOS session request name: first-level decoding with suffix', () => {
  const enc = [...'SERVER          '.padEnd(15, ' ')].slice(0, 15).map((c) => c.charCodeAt(0)).concat([0x20]);
  const name = [32, ...enc.flatMap((c) => [0x41 + (c >> 4), 0x41 + (c & 15)]), 0];
  const r = decodeSessionName(Uint8Array.from(name), 0, name.length);
  assert.deepEqual(r, { name: 'SERVER<20>', next: 34 });
});

/** A client → server PacketContext for the stream tests. */
const CTX: PacketContext = { ts_us: 0, src_mac: '02:00:00:00:00:01', dst_mac: '02:00:00:00:00:02', vlan: null, src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 50000, dst_port: 445 };
const frame = (m: number[]): number[] => [0, (m.length >> 16) & 0xff, (m.length >> 8) & 0xff, m.length & 0xff, ...m];

function session(feed: (p: ReturnType<typeof openSmbStream>) => void): SmbSession {
  const out: Observation[] = [];
  const p = openSmbStream({ base: CTX, at: () => CTX }, (o) => out.push(o));
  feed(p);
  p.end(1);
  assert.equal(out.length, 1);
  const o = out[0]!;
  assert.ok(o.kind === 'smb');
  return o.msg;
}

test('stream: byte-by-byte delivery, oversized message skipped unbuffered, Done after a successful session setup', () => {
  const big = frame([...smb2Header(8, true), ...zeros(MAX_SMB_MESSAGE + 100)]); // READ response, larger than the buffer
  const s = session((p) => {
    const c = Uint8Array.from(frame(SMB2_NEGOTIATE_REQUEST));
    for (let i = 0; i < c.length; i++) assert.equal(p.data(true, c, i, 1, 0), StreamStatus.More);
    const bb = Uint8Array.from(big);
    assert.equal(p.data(false, bb, 0, bb.length, 0), StreamStatus.More);
    const fail = Uint8Array.from(frame(sessionSetupResponse(0xc0000016)));
    assert.equal(p.data(false, fail, 0, fail.length, 0), StreamStatus.More);
    const done = Uint8Array.from(frame(sessionSetupResponse(0)));
    assert.equal(p.data(false, done, 0, done.length, 0), StreamStatus.Done);
  });
  assert.deepEqual(s.smb2_dialects, ['0x0202', '0x0311']);
  assert.equal(s.server_ntlm_version, '10.0.19041');
  assert.equal(s.nb_computer, 'SRV');
  assert.equal(s.session_setup_status, 0);
  assert.equal(s.smb_v1, false);
  assert.equal(s.messages.length, 3);
});

test('stream: not SMB on the wire fails before anything was seen', () => {
  const out: Observation[] = [];
  const p = openSmbStream({ base: CTX, at: () => CTX }, (o) => out.push(o));
  const b = Uint8Array.from(ascii('GET / HTTP/1.1\r\n'));
  assert.equal(p.data(true, b, 0, b.length, 0), StreamStatus.Failed);
  p.end(1);
  assert.equal(out.length, 0);
});

test('mutations: parseSmbMessage never throws and reports only known anomalies', () => {
  const bases = [SMB2_NEGOTIATE_REQUEST, sessionSetupResponse(0)].map((b) => Uint8Array.from(b));
  const okCount = runMutations({ seed: 0x5b2, bases, count: 4000, special: [0, 1, 2, 3, 0x30, 0x40, 0x48, 0x60, 0xa1, 0xa2, 0x04, 0x81, 0xff], parse: parseSmbMessage, anomalyNames: SMB_ANOMALIES });
  assert.ok(okCount > 1000, `${okCount}`);
});

test('mutations: parseNtlmssp never throws and reports only known anomalies', () => {
  const bases = [challenge(), authenticate()].map((b) => Uint8Array.from(b));
  const okCount = runMutations({ seed: 0x17a5, bases, count: 4000, special: [0, 1, 2, 3, 7, 8, 0x38, 0x48, 0xff], parse: parseNtlmssp, anomalyNames: NTLM_ANOMALIES });
  assert.ok(okCount > 1000, `${okCount}`);
});
