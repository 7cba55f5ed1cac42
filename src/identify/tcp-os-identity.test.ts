/**
 * Tests of the TCP OS identity collector: one tcp_fp observation per new (endpoint, direction, fingerprint); facts for
 * a MAC-keyed device only from segments that crossed no router, for an IP-keyed device at any distance; evidence
 * names the fingerprint and the signature line.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { SynInfo } from '../flow/flow-table.js';
import type { DeviceDraft, Endpoint } from '../inventory/endpoint-accumulator.js';
import type { Observation, TcpFingerprintObservation } from '../observe/observation.js';
import { type Handshake, TcpOsCollector } from './tcp-os-identity.js';
import { parseTcpSignatures, TCP_SIGNATURE_COLUMNS } from './tcp-signatures.js';

const DB = (() => {
  const r = parseTcpSignatures(`#@ t: test\n${TCP_SIGNATURE_COLUMNS.join('\t')}\n` + [
    ['syn', 's', 'unix', 'Linux', '4.20+', '*:64:0:*:mss*44,*:mss,sok,ts,nop,ws:df,id+:0', 't'],
    ['syn-ack', 's', 'win', 'Windows', 'server', '*:128:0:*:8192,8:mss,nop,ws,sok,ts:df,id+:0', 't'],
  ].map((l) => l.join('\t')).join('\n'), '/data/tcp-os.tsv');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.db;
})();

function endpoint(id: number, mac: number, ip: string): Endpoint {
  return { id, mac, ip, ipVersion: 4, hostIp: true, macIsSource: true, sent: true, packets: 1, bytes: 60, vlan: -1, moreVlans: null, first: 0, last: 0 };
}

function device(key: string, keyKind: 'mac' | 'ip'): DeviceDraft {
  return { key, keyKind, isRouter: false, behindRouter: keyKind === 'ip', locallyAdministered: false, packets: 0, bytes: 0,
    macs: new Map(), ips: new Map(), vlans: new Map(), first: 0, last: 0 };
}

function syn(o: Partial<SynInfo>): SynInfo {
  return { layout: 'mss,sok,ts,nop,ws', mss: 1460, wscale: 7, sack_ok: true, timestamps: true, ts_val: 1, malformed: false, ttl: 64,
    window: 64240, ip_version: 4, ip_options: false, payload: 0, ip_olen: 0, quirks: 'df,id+', ...o };
}

const client = endpoint(1, 0x0009fb000001, '10.0.0.1');
const server = endpoint(2, 0x001b21000002, '10.0.0.2');
const remote = endpoint(3, 0x001b21000002, '203.0.113.9'); // behind the router whose MAC is 00:1b:21:00:00:02

function handshake(firstUs: number, c: Endpoint, s: Endpoint, sy: SynInfo | null, sa: SynInfo | null): Handshake {
  return { firstUs, lastUs: firstUs + 10, vlan: null, client: { endpoint: c, mac: c.mac, ip: c.ip, port: 40000 + firstUs },
    server: { endpoint: s, mac: s.mac, ip: s.ip, port: 443 }, syn: sy, synAck: sa };
}

test('one tcp_fp record per new (endpoint, direction, fingerprint), with the matched line', () => {
  const seen: Observation[] = [];
  const c = new TcpOsCollector(DB, (o) => seen.push(o));
  const winSa = syn({ ttl: 128, window: 8192, wscale: 8, layout: 'mss,nop,ws,sok,ts' });
  c.addHandshake(handshake(1, client, server, syn({}), winSa));
  c.addHandshake(handshake(2, client, server, syn({}), winSa)); // same fingerprints again: nothing new
  c.addHandshake(handshake(3, client, server, syn({ window: 29200 }), null)); // another SYN fingerprint
  const recs = seen.map((o) => (o as TcpFingerprintObservation).msg);
  assert.deepEqual(recs.map((r) => [r.direction, r.os, r.signature, r.match, r.hop_distance]), [
    ['syn', 'Linux 4.20+', 'tcp-os.tsv:3', 'exact', 0],
    ['syn-ack', 'Windows server', 'tcp-os.tsv:4', 'exact', 0],
    ['syn', null, null, 'none', 0],
  ]);
  assert.equal((seen[1] as TcpFingerprintObservation).ctx.src_ip, '10.0.0.2');
  assert.equal(seen[1]!.ctx.src_mac, '00:1b:21:00:00:02');
  assert.equal(recs[0]!.raw_sig, '4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0');
});

test('facts: MAC-keyed devices only at distance 0, IP-keyed devices at any distance', () => {
  const c = new TcpOsCollector(DB, () => undefined);
  c.addHandshake(handshake(1, client, remote, syn({}), syn({ ttl: 116, window: 8192, wscale: 8, layout: 'mss,nop,ws,sok,ts' })));
  // The router's own MAC seen with a distance: a host behind it not (yet) told apart from the router.
  c.addHandshake(handshake(2, client, server, null, syn({ ttl: 116, window: 8192, wscale: 8, layout: 'mss,nop,ws,sok,ts' })));
  const keys = new Map<Endpoint, string | null>([[client, 'mac:00:09:fb:00:00:01'], [remote, 'ip:203.0.113.9'], [server, 'mac:00:1b:21:00:00:02']]);
  const devices = new Map([...keys.values()].map((k) => [k!, device(k!, k!.startsWith('mac:') ? 'mac' : 'ip')]));
  const facts = c.facts(keys, devices).map((f) => [f.deviceKey, f.fact.name, f.fact.value, f.fact.confidence]);
  assert.deepEqual(facts.sort(), [
    ['ip:203.0.113.9', 'tcp_hop_distance', '12', 0.7],
    ['ip:203.0.113.9', 'tcp_os', 'Windows server', 0.75],
    ['ip:203.0.113.9', 'tcp_os_class', 'win', 0.75],
    ['mac:00:09:fb:00:00:01', 'tcp_hop_distance', '0', 0.7],
    ['mac:00:09:fb:00:00:01', 'tcp_os', 'Linux 4.20+', 0.75],
    ['mac:00:09:fb:00:00:01', 'tcp_os_class', 'unix', 0.75],
  ]);
  const ev = c.facts(keys, devices).find((f) => f.deviceKey === 'ip:203.0.113.9')!.fact.evidence;
  assert.equal(ev, 'SYN-ACK from 203.0.113.9:443 to 10.0.0.1:40001, fingerprint 4:116+12:0:1460:8192,8:mss,nop,ws,sok,ts:df,id+:0 matched tcp-os.tsv:4 (exact)');
});

test('segments of endpoints without a device give no facts', () => {
  const c = new TcpOsCollector(DB, () => undefined);
  c.addHandshake(handshake(1, client, server, syn({}), null));
  assert.deepEqual(c.facts(new Map(), new Map()), []);
});
