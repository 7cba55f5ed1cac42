/** Service facts: the ports a device served and used, from hand-written edges (answered, refused, ICMP, caps). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { MAX_PEERS_PER_PORT, MAX_PORTS_PER_ROLE, type ServiceEdge, serviceFacts } from './service-facts.js';

const edge = (clientIp: string, serverIp: string, proto: number, serverPort: number, answered = 1): ServiceEdge => ({
  clientKey: `ip:${clientIp}`, serverKey: `ip:${serverIp}`, clientIp, serverIp, proto, serverPort, answered, first: 10, last: 20,
});

/** The facts as "device name value" lines, sorted. */
const lines = (edges: ServiceEdge[]): string[] => serviceFacts(edges).map((f) => `${f.deviceKey} ${f.fact.name} ${f.fact.value}`).sort();

test('an answered TCP connection: the server serves the port, the client uses it; only the server names its peers', () => {
  assert.deepEqual(lines([edge('10.0.0.31', '10.0.0.60', 6, 9100)]), [
    'ip:10.0.0.31 service_port client tcp/9100',
    'ip:10.0.0.60 service_peer server tcp/9100 10.0.0.31',
    'ip:10.0.0.60 service_port server tcp/9100',
  ]);
  const [f] = serviceFacts([edge('10.0.0.31', '10.0.0.60', 6, 9100, 3), edge('10.0.0.41', '10.0.0.60', 6, 9100, 2)])
    .filter((x) => x.fact.name === 'service_port' && x.deviceKey === 'ip:10.0.0.60');
  assert.deepEqual(f!.fact, { source: 'traffic', name: 'service_port', value: 'server tcp/9100', confidence: 1,
    evidence: 'map edges: 5 answered TCP connections on port 9100 from 2 peers', first: 10, last: 20 });
});

test('unanswered or refused attempts, other IP protocols, port 0 and the dynamic range say nothing', () => {
  assert.deepEqual(lines([edge('10.0.0.33', '10.0.0.60', 6, 3389, 0)]), []);
  assert.deepEqual(lines([edge('10.0.0.33', '10.0.0.60', 1, 0), edge('10.0.0.33', '10.0.0.60', 47, 0)]), []);
  assert.deepEqual(lines([edge('10.0.0.33', '10.0.0.60', 17, 0), edge('10.0.0.33', '10.0.0.60', 17, 49152)]), []);
  assert.equal(lines([edge('10.0.0.33', '10.0.0.60', 17, 49151)]).length, 3);
});

test('a host talking to itself is neither its own server nor client; a side without a device gets no fact', () => {
  assert.deepEqual(lines([{ ...edge('10.0.0.5', '10.0.0.5', 6, 445), clientKey: 'mac:aa', serverKey: 'mac:aa' }]), []);
  assert.deepEqual(lines([{ ...edge('10.0.0.31', '10.0.0.5', 17, 53), clientKey: null }]), [
    'ip:10.0.0.5 service_peer server udp/53 10.0.0.31', 'ip:10.0.0.5 service_port server udp/53']);
});

test('at most MAX_PEERS_PER_PORT peers per port and MAX_PORTS_PER_ROLE ports per device and role, most peers first', () => {
  const many = Array.from({ length: 10 }, (_, i) => edge(`10.0.1.${i + 1}`, '10.0.0.5', 17, 53));
  assert.equal(lines(many).filter((l) => l.startsWith('ip:10.0.0.5 service_peer')).length, MAX_PEERS_PER_PORT);
  // a scanner: one client, 100 ports answered; plus one port used by 2 clients, which is kept
  const scan = Array.from({ length: 100 }, (_, i) => edge('10.0.0.99', '10.0.0.7', 6, 1000 + i));
  scan.push(edge('10.0.0.98', '10.0.0.7', 6, 2000), edge('10.0.0.97', '10.0.0.7', 6, 2000));
  const served = lines(scan).filter((l) => l.startsWith('ip:10.0.0.7 service_port server'));
  assert.equal(served.length, MAX_PORTS_PER_ROLE);
  assert.ok(served.includes('ip:10.0.0.7 service_port server tcp/2000'));
  assert.equal(lines(scan).filter((l) => l.startsWith('ip:10.0.0.99 service_port client')).length, MAX_PORTS_PER_ROLE);
});
