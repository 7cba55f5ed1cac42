/** Connection annotations: observations matched to a flow's two ends, application protocol, encryption, PHI and credential kinds. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../observe/observation.js';
import { combineEncryption, ConnectionAnnotator, transportAnnotation } from './connection-annotations.js';

const ctx = (src: string, sp: number, dst: string, dp: number): PacketContext =>
  ({ ts_us: 1, src_mac: null, dst_mac: null, vlan: null, src_ip: src, dst_ip: dst, src_port: sp, dst_port: dp });

/** An observation of `kind` with only the message fields the annotator reads. */
const obs = (kind: string, c: PacketContext, msg: Record<string, unknown>): Observation => ({ kind, ctx: c, msg } as unknown as Observation);

test('a connection is found from either direction and is distinct per port (same addresses, both orders)', () => {
  const a = new ConnectionAnnotator();
  a.observe(obs('tls', ctx('10.0.0.1', 5000, '10.0.0.2', 104), {}));
  a.observe(obs('ssh', ctx('10.0.0.1', 5001, '10.0.0.2', 104), {}));
  a.observe(obs('http', ctx('10.0.0.1', 80, '10.0.0.1', 5000), { auth_scheme: null }));
  assert.equal(a.size, 3);
  assert.equal(a.take('10.0.0.2', 104, '10.0.0.1', 5000)?.appProto, 'tls');
  assert.equal(a.take('10.0.0.2', 104, '10.0.0.1', 5000), undefined);
  assert.equal(a.take('10.0.0.1', 5001, '10.0.0.2', 104)?.appProto, 'ssh');
  assert.equal(a.take('10.0.0.1', 5000, '10.0.0.1', 80)?.appProto, 'http');
  assert.equal(a.size, 0);
});

test('HL7 messages in both directions make one annotation with their PHI kinds; taken once', () => {
  const a = new ConnectionAnnotator();
  a.observe(obs('hl7', ctx('10.0.0.1', 40000, '10.0.0.2', 2575), { phi_kinds: ['PID:name', 'PID:dob'] }));
  a.observe(obs('hl7', ctx('10.0.0.2', 2575, '10.0.0.1', 40000), { phi_kinds: ['PID:name', 'PV1:location'] }));
  const t = a.take('10.0.0.2', 2575, '10.0.0.1', 40000)!;
  assert.equal(t.appProto, 'hl7');
  assert.equal(t.encrypted, 0);
  assert.deepEqual(t.phiKinds, ['hl7:PID:name', 'hl7:PID:dob', 'hl7:PV1:location']);
  assert.equal(a.take('10.0.0.2', 2575, '10.0.0.1', 40000), undefined);
});

test('encryption per protocol; cleartext credential kinds, never values', () => {
  const a = new ConnectionAnnotator();
  const cases: [string, Record<string, unknown>, 0 | 1 | null, string[]][] = [
    ['tls', { server_name: 'x' }, 1, []],
    ['ssh', {}, 1, []],
    ['telnet', { cleartext_password: true }, 0, ['telnet']],
    ['ftp', { cleartext_password: true, anonymous: false, tls: false }, 0, ['ftp']],
    ['ftp', { cleartext_password: true, anonymous: true, tls: false }, 0, ['ftp-anonymous']],
    ['http', { auth_scheme: 'Basic', host: null }, 0, ['http-basic']],
    ['http', { auth_scheme: 'NTLM', host: null }, 0, []],
    ['snmp', { version: 1, community: 'public', priv: null }, 0, ['snmp-community:public']],
    ['snmp', { version: 1, community: '<other>', priv: null }, 0, ['snmp-community:<other>']],
    ['snmp', { version: 3, community: null, priv: true }, 1, []],
    ['dicom', { encrypted: false, cleartext_credentials: true, phi: [{ kind: 'patient_name', datasets: 2 }] }, 0, ['dicom-user-identity']],
    ['dicom', { encrypted: true, cleartext_credentials: false, phi: [] }, 1, []],
    ['rdp', { selected_protocol: 2 }, 1, []],
    ['rdp', { selected_protocol: 0 }, 0, []],
    ['rdp', { selected_protocol: null }, null, []],
    ['smb', {}, null, []],
  ];
  cases.forEach(([kind, msg, enc, creds], i) => {
    a.observe(obs(kind, ctx('10.0.0.9', 1000 + i, '10.0.0.8', 1), msg));
    const t = a.take('10.0.0.9', 1000 + i, '10.0.0.8', 1)!;
    assert.equal(t.appProto, kind, kind);
    assert.equal(t.encrypted, enc, `${kind} ${JSON.stringify(msg)}`);
    assert.deepEqual(t.credentials, creds, kind);
  });
});

test('mDNS and LLMNR are named by their service; TCP fingerprints are no application protocol', () => {
  const a = new ConnectionAnnotator();
  a.observe(obs('tcp_fp', ctx('10.0.0.1', 1, '10.0.0.2', 2), {}));
  assert.equal(a.size, 0);
  a.observe(obs('dns', ctx('10.0.0.1', 5353, '224.0.0.251', 5353), { service: 'mdns' }));
  assert.equal(a.take('10.0.0.1', 5353, '224.0.0.251', 5353)!.appProto, 'mdns');
});

test('cleartext wins when connections of an edge differ; unknown yields to known', () => {
  assert.equal(combineEncryption(1, 0), 0);
  assert.equal(combineEncryption(null, 1), 1);
  assert.equal(combineEncryption(0, null), 0);
  assert.equal(combineEncryption(null, null), null);
});

test('transports no analyzer decodes: ESP, AH, IKE, NAT-T, WireGuard', () => {
  assert.equal(transportAnnotation(50, 0)!.encrypted, 1);
  assert.equal(transportAnnotation(51, 0)!.encrypted, 0);
  assert.equal(transportAnnotation(17, 500)!.appProto, 'ike');
  assert.equal(transportAnnotation(17, 4500)!.appProto, 'ipsec-nat-t');
  assert.equal(transportAnnotation(17, 51820)!.appProto, 'wireguard');
  assert.equal(transportAnnotation(6, 500), undefined);
  assert.equal(transportAnnotation(17, 53), undefined);
});
