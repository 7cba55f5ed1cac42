/**
 * Unit tests of the TLS identity collector: which side's MAC gets which fact, the expired / self-signed facts, no
 * facts for internet (public-address) sides, and each fact carrying its side's IP (a gateway's MAC fronts many).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PacketContext } from '../observe/observation.js';
import { TlsSessionBuilder, type TlsSession } from '../protocols/tls/session.js';
import type { X509Certificate } from '../protocols/tls/x509.js';
import { isOnLinkAddress, MAX_SNI_PER_MAC, TlsIdentityCollector } from './tls-identity.js';

const CLIENT = '00:11:22:33:44:55';
const SERVER = '00:aa:bb:cc:dd:ee';
const TS = Date.parse('2024-06-01T00:00:00Z') * 1000;

const ctx = (over: Partial<PacketContext> = {}): PacketContext => ({
  ts_us: TS, src_mac: CLIENT, dst_mac: SERVER, src_ip: '10.1.1.5', dst_ip: '10.1.1.9', src_port: 50000, dst_port: 443, vlan: null, ...over,
});

const leaf = (over: Partial<X509Certificate> = {}): X509Certificate => ({
  version: 3, serial: '01', signature_algorithm: 'sha256WithRSAEncryption', signature_algorithm_oid: '1.2.840.113549.1.1.11',
  issuer: 'CN=Pump Vendor CA', subject: 'CN=pump-17.example', not_before: '2020-01-01T00:00:00Z', not_after: '2030-01-01T00:00:00Z',
  public_key_algorithm: 'rsa', public_key_algorithm_oid: '1.2.840.113549.1.1.1', public_key_bits: 2048, public_key_curve: null,
  san_dns: [], san_ip: [], san_email: [], san_uri: [], ca: false, self_issued: false, sha256: 'ab'.repeat(32), length: 900, anomalies: [], ...over,
});

/** A session with a ClientHello and a ServerHello, and `over` applied. */
function session(over: Partial<TlsSession> = {}): TlsSession {
  return { ...new TlsSessionBuilder().s, client_version: 0x0303, ja4: 't13d1516h2_8daaf6152771_e5627efa2ab1', ja3: 'ab'.repeat(16),
    server_name: 'telemetry.vendor.example', ja4s: 't130200_1301_234ea6891581', certificates: [leaf()], ...over };
}

/** name=value facts of `mac`, sorted. */
function facts(c: TlsIdentityCollector, mac: string): string[] {
  return c.allFacts().filter((f) => f.mac === mac).map((f) => `${f.name}=${f.value}`).sort();
}

test('client MAC gets JA4, JA3 and SNI; server MAC gets JA4S and the leaf certificate', () => {
  const c = new TlsIdentityCollector();
  c.observe({ kind: 'tls', ctx: ctx(), msg: session() });
  assert.deepEqual(facts(c, CLIENT), ['tls_ja3=' + 'ab'.repeat(16), 'tls_ja4=t13d1516h2_8daaf6152771_e5627efa2ab1', 'tls_sni=telemetry.vendor.example']);
  assert.deepEqual(facts(c, SERVER), ['tls_cert_issuer=CN=Pump Vendor CA', 'tls_cert_not_after=2030-01-01T00:00:00Z',
    'tls_cert_subject=CN=pump-17.example', 'tls_ja4s=t130200_1301_234ea6891581']);
  assert.ok(c.allFacts().every((f) => f.source === 'tls' && f.confidence === 1));
});

test('an expired or self-issued leaf adds tls_cert_expired / tls_cert_self_signed', () => {
  const c = new TlsIdentityCollector();
  c.observe({ kind: 'tls', ctx: ctx(), msg: session({ certificates: [leaf({ not_after: '2023-01-01T00:00:00Z', self_issued: true, issuer: 'CN=pump-17.example' })] }) });
  const f = facts(c, SERVER);
  assert.ok(f.includes('tls_cert_expired=true'));
  assert.ok(f.includes('tls_cert_self_signed=true'));
  assert.match(c.allFacts().find((x) => x.name === 'tls_cert_expired')!.evidence, /notAfter 2023-01-01T00:00:00Z before the handshake at 2024-06-01/);
});

test('a side with a public address is not credited; a MAC fronting many addresses credits each by its IP', () => {
  const c = new TlsIdentityCollector();
  c.observe({ kind: 'tls', ctx: ctx({ dst_ip: '52.1.2.3' }), msg: session() });
  assert.deepEqual(facts(c, SERVER), []);
  assert.equal(facts(c, CLIENT).length, 3);
  const r = new TlsIdentityCollector();
  for (const ip of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) r.observe({ kind: 'tls', ctx: ctx({ src_ip: ip }), msg: session() });
  const ja4 = r.allFacts().filter((f) => f.mac === CLIENT && f.name === 'tls_ja4');
  assert.deepEqual(ja4.map((f) => f.ip), ['10.9.0.1', '10.9.0.2', '10.9.0.3']);
  assert.deepEqual([...new Set(r.allFacts().filter((f) => f.mac === SERVER).map((f) => f.ip))], ['10.1.1.9']);
  assert.equal(facts(r, SERVER).length, 4);
});

test('group MACs are skipped, a side without a MAC is keyed by its IP; SNI facts are bounded per MAC; address classes', () => {
  const c = new TlsIdentityCollector();
  c.observe({ kind: 'tls', ctx: ctx({ src_mac: '01:00:5e:00:00:02', dst_mac: '01:00:5e:00:00:01' }), msg: session() });
  assert.deepEqual(c.allFacts(), []);
  const m = new TlsIdentityCollector();
  m.observe({ kind: 'tls', ctx: ctx({ src_mac: null, dst_mac: '01:00:5e:00:00:01' }), msg: session() });
  assert.ok(m.allFacts().length > 0);
  assert.deepEqual([...new Set(m.allFacts().map((f) => `${f.mac}|${f.ip}`))], ['|10.1.1.5']);
  for (let i = 0; i < MAX_SNI_PER_MAC + 10; i++) c.observe({ kind: 'tls', ctx: ctx(), msg: session({ server_name: `h${i}.example` }) });
  assert.equal(c.allFacts().filter((f) => f.name === 'tls_sni').length, MAX_SNI_PER_MAC);
  assert.deepEqual(['192.168.1.1', '172.16.0.1', '100.64.0.1', '169.254.1.1', 'fd00::1', 'fe80::1', '8.8.8.8', '2001:db8::1'].map(isOnLinkAddress),
    [true, true, true, true, true, true, false, false]);
});
