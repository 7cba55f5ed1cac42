/** Device resolution tests: MAC-keyed hosts, router detection, hosts behind routers keyed by IP, group addresses. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { EndpointAccumulator } from './endpoint-accumulator.js';

const HOST = 0x0009fb000001; // 00:09:fb:00:00:01
const ROUTER = 0x00000c000001; // 00:00:0c:00:00:01 (Cisco OUI)
const v4 = (s: string): number => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
const ep = (acc: EndpointAccumulator, mac: number, ip: string, src = true) =>
  acc.addEndpoint(mac, src, ip, 4, v4(ip), null, !ip.startsWith('224.') && ip !== '255.255.255.255', 10, 2, 200, 1e6, 2e6)!;

test('a MAC sourcing many addresses is a router; the hosts behind it are keyed by IP', () => {
  const acc = new EndpointAccumulator();
  acc.addArpClaim(ROUTER, v4('10.0.0.1'), 0);
  acc.addArpClaim(HOST, v4('10.0.0.5'), 0);
  const h = ep(acc, HOST, '10.0.0.5');
  for (const ip of ['8.8.8.8', '1.1.1.1', '93.184.216.34']) acc.addEdge(h, ep(acc, ROUTER, ip), 6, 443, 2, 200, 1e6, 2e6);
  const gw = ep(acc, ROUTER, '10.0.0.1');
  acc.addEdge(h, gw, 17, 53, 2, 200, 1e6, 2e6);
  const { devices, routers, endpointDevice } = acc.resolve();
  assert.deepEqual([...routers.keys()], [ROUTER]);
  const r = devices.get('mac:00:00:0c:00:00:01')!;
  assert.equal(r.isRouter, true);
  assert.deepEqual([...r.ips.keys()].sort(), ['10.0.0.1']);
  const host = devices.get('mac:00:09:fb:00:00:01')!;
  assert.equal(host.isRouter, false);
  assert.deepEqual([...host.ips.keys()].sort(), ['10.0.0.5']);
  assert.deepEqual(host.ips.get('10.0.0.5')!.sources.has('arp'), true);
  const remote = devices.get('ip:8.8.8.8')!;
  assert.equal(remote.keyKind, 'ip');
  assert.equal(remote.behindRouter, true);
  assert.equal(endpointDevice.get(gw), 'mac:00:00:0c:00:00:01');
  assert.equal(devices.size, 2 + 3);
});

test('one host with IPv4 and IPv6 addresses is not a router; multicast peers are not devices', () => {
  const acc = new EndpointAccumulator();
  ep(acc, HOST, '10.0.0.5');
  acc.addEndpoint(HOST, true, 'fe80::1', 6, 0, null, true, -1, 1, 100, 1e6, 2e6);
  acc.addEndpoint(HOST, true, '2001:db8::5', 6, 0, '20010db8:0', true, -1, 1, 100, 1e6, 2e6);
  const m = ep(acc, 0x01005e0000fb, '224.0.0.251', false);
  const { devices, routers, endpointDevice } = acc.resolve();
  assert.equal(routers.size, 0);
  assert.equal(devices.size, 1);
  assert.deepEqual([...devices.get('mac:00:09:fb:00:00:01')!.ips.keys()], ['10.0.0.5', 'fe80::1', '2001:db8::5']);
  assert.equal(endpointDevice.get(m), null);
});

test('a gateway claiming a private address in ARP and forwarding one public host is a router', () => {
  const acc = new EndpointAccumulator();
  acc.addArpClaim(ROUTER, v4('192.168.1.1'), 0);
  ep(acc, ROUTER, '203.0.113.9');
  assert.deepEqual([...acc.detectRouters().values()], ['claims a private address in ARP and forwards public addresses']);
});

test('without link-layer addresses devices are keyed by IP and not flagged behind a router', () => {
  const acc = new EndpointAccumulator();
  acc.addEndpoint(-1, false, '10.1.1.1', 4, v4('10.1.1.1'), null, true, -1, 1, 60, 0, 0);
  const d = acc.resolve().devices.get('ip:10.1.1.1')!;
  assert.equal(d.keyKind, 'ip');
  assert.equal(d.behindRouter, false);
});

test('a scan through the gateway: the next-hop MAC is a router, unanswered targets are not devices', () => {
  const acc = new EndpointAccumulator();
  const h = ep(acc, HOST, '10.0.0.5');
  for (let i = 1; i <= 50; i++) {
    const target = acc.addEndpoint(ROUTER, false, `198.51.100.${i}`, 4, v4(`198.51.100.${i}`), null, true, -1, 1, 60, 1e6, 1e6, false)!;
    acc.addEdge(h, target, 6, 22, 1, 60, 1e6, 1e6);
  }
  const { devices, routers, endpointDevice } = acc.resolve();
  assert.match(routers.get(ROUTER)!, /next hop for 8 or more IPv4 addresses/);
  assert.deepEqual([...devices.keys()].sort(), ['mac:00:00:0c:00:00:01', 'mac:00:09:fb:00:00:01']);
  assert.equal([...endpointDevice.values()].filter((k) => k === null).length, 50);
  assert.equal(acc.edges.length, 50); // the attempts stay visible as edges to peers
});

test('without link-layer addresses, an address that never sent is not a device', () => {
  const acc = new EndpointAccumulator();
  acc.addEndpoint(-1, false, '10.1.1.1', 4, v4('10.1.1.1'), null, true, -1, 1, 60, 0, 0, true);
  acc.addEndpoint(-1, false, '10.1.1.2', 4, v4('10.1.1.2'), null, true, -1, 1, 60, 0, 0, false);
  assert.deepEqual([...acc.resolve().devices.keys()], ['ip:10.1.1.1']);
});

test('the all-zero MAC (Linux loopback frames) names no interface: its hosts are keyed by IP, it is no router', () => {
  const acc = new EndpointAccumulator();
  const lo = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'].map((ip) => ep(acc, 0, ip));
  acc.addEdge(lo[0]!, lo[1]!, 6, 5432, 2, 200, 1e6, 2e6);
  acc.addArpClaim(0, v4('127.0.0.1'), 0);
  acc.addL2Frame(0, 0, true, -1, 60, 0);
  const { devices, routers } = acc.resolve();
  assert.equal(routers.size, 0);
  assert.deepEqual([...devices.keys()].sort(), ['ip:127.0.0.1', 'ip:127.0.0.2', 'ip:127.0.0.3', 'ip:127.0.0.4']);
  assert.equal(acc.endpointOf(-1, '127.0.0.1'), lo[0]);
});
