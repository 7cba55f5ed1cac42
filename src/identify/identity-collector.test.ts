/**
 * Unit tests of the fact keys of identity-collector.ts: which side of a packet a fact may describe (factMac: a device
 * MAC, '' for a host without a MAC, nothing for group addresses) and the IP a fact then carries.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PacketContext } from '../observe/observation.js';
import { factMac, linkLocalSenderIp, unicastSenderIp } from './identity-collector.js';

const HOST_MAC = '00:0c:29:5e:77:44';
const ZERO = '00:00:00:00:00:00';

test('factMac: a unicast MAC keys its facts whatever the IP', () => {
  assert.equal(factMac(HOST_MAC, '10.0.0.5'), HOST_MAC);
  assert.equal(factMac(HOST_MAC, '224.0.0.251'), HOST_MAC);
});

test('factMac: a broadcast or multicast MAC is never a device, even with a host IP', () => {
  assert.equal(factMac('ff:ff:ff:ff:ff:ff', '10.0.0.5'), null);
  assert.equal(factMac('01:00:5e:00:00:fb', '10.0.0.5'), null);
  assert.equal(factMac('33:33:00:00:00:01', 'fe80::1'), null);
});

test('factMac: no MAC or the all-zero MAC with a host address gives the empty key (the fact goes by IP)', () => {
  for (const mac of [null, ZERO]) {
    for (const ip of ['10.0.0.5', '127.0.0.1', '93.184.216.34', 'fe80::1', '::1', 'fd00:9::20', '::ffff:10.0.0.5']) assert.equal(factMac(mac, ip), '', `${mac} ${ip}`);
  }
});

test('factMac: no MAC and a group or unspecified address gives nothing', () => {
  for (const mac of [null, ZERO]) {
    for (const ip of ['224.0.0.251', '239.255.255.250', '255.255.255.255', '0.0.0.0', '240.0.0.1', 'ff02::fb', '::']) assert.equal(factMac(mac, ip), null, `${mac} ${ip}`);
  }
});

test('linkLocalSenderIp: a MAC-keyed fact carries no IP, a MAC-less one its sender IP', () => {
  assert.equal(linkLocalSenderIp(HOST_MAC, '10.0.0.5'), undefined);
  assert.equal(linkLocalSenderIp('', '10.0.0.5'), '10.0.0.5');
});

test('unicastSenderIp: the sender IP for unicast frames and for senders without a MAC, none for group frames', () => {
  const ctx = (src_mac: string | null, dst_mac: string | null): PacketContext =>
    ({ ts_us: 0, src_mac, dst_mac, vlan: null, src_ip: '10.0.0.5', dst_ip: '10.0.0.255', src_port: 137, dst_port: 137 });
  assert.equal(unicastSenderIp(ctx(HOST_MAC, '00:0c:29:1f:a7:55')), '10.0.0.5');
  assert.equal(unicastSenderIp(ctx(HOST_MAC, 'ff:ff:ff:ff:ff:ff')), undefined);
  assert.equal(unicastSenderIp(ctx(null, null)), '10.0.0.5');
  assert.equal(unicastSenderIp(ctx(ZERO, ZERO)), '10.0.0.5');
});
