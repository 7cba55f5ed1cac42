/**
 * Unit tests of the DHCP server fact: the sender of an OFFER or ACK that names itself in option 54 is a DHCP server;
 * a relay agent forwarding another server's reply, and the clients, are not (RFC 2131 §4.1, RFC 2132 §9.7).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../observe/observation.js';
import { parseDhcp } from '../protocols/dhcp/parser.js';
import { dhcpMessage, type DhcpSpec } from '../synth/frames.js';
import { DhcpIdentityCollector } from './dhcp-identity.js';

const SERVER_MAC = 'b8:ca:3a:5d:00:05';
const RELAY_MAC = '2c:31:24:5e:00:01';
const CLIENT = Uint8Array.of(0xf8, 0xc6, 0x78, 0x0e, 0x51, 0x91);
const ip = (s: string): Uint8Array => Uint8Array.from(s.split('.').map(Number));

function observe(c: DhcpIdentityCollector, d: DhcpSpec, srcMac: string, srcIp: string): void {
  const b = dhcpMessage(d);
  const r = parseDhcp(b, 0, b.length);
  assert.ok(r.ok);
  const ctx: PacketContext = { ts_us: 1_000_000, src_mac: srcMac, dst_mac: null, src_ip: srcIp, dst_ip: '10.10.0.41', src_port: 67, dst_port: 68, vlan: null };
  c.observe({ kind: 'dhcp', ctx, msg: r.value } as Observation);
}

const servers = (c: DhcpIdentityCollector): string[] =>
  c.allFacts().filter((f) => f.name === 'dhcp_server').map((f) => `${f.mac} ${f.ip ?? '-'} ${f.value}`).sort();

test('an OFFER and an ACK from the server named in option 54 make a dhcp_server fact on the sender', () => {
  const c = new DhcpIdentityCollector();
  const base = { xid: 1, clientMac: CLIENT, yiaddr: ip('10.20.0.35'), serverId: ip('10.20.0.5') };
  observe(c, { ...base, type: 'offer' }, SERVER_MAC, '10.20.0.5');
  observe(c, { ...base, type: 'ack' }, SERVER_MAC, '10.20.0.5');
  assert.deepEqual(servers(c), [`${SERVER_MAC} 10.20.0.5 DHCPACK`, `${SERVER_MAC} 10.20.0.5 DHCPOFFER`]);
  assert.match(c.allFacts().find((f) => f.name === 'dhcp_server')!.evidence, /server identifier \(option 54\) = its source address/);
});

test('a relay agent forwarding the reply, a NAK, a reply without option 54 and a client message make none', () => {
  const c = new DhcpIdentityCollector();
  const base = { xid: 2, clientMac: CLIENT, yiaddr: ip('10.10.0.41'), serverId: ip('10.20.0.5'), giaddr: ip('10.10.0.1') };
  observe(c, { ...base, type: 'ack' }, RELAY_MAC, '10.10.0.1'); // the relay's copy to the client (RFC 2131 §4.1)
  observe(c, { ...base, type: 'nak' }, SERVER_MAC, '10.20.0.5');
  observe(c, { xid: 3, clientMac: CLIENT, yiaddr: ip('10.10.0.41'), type: 'offer' }, SERVER_MAC, '10.20.0.5');
  observe(c, { xid: 4, clientMac: CLIENT, type: 'request', serverId: ip('10.20.0.5') }, SERVER_MAC, '10.20.0.5');
  assert.deepEqual(servers(c), []);
});
