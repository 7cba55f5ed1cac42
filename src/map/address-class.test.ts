/** Address classes and IP/CIDR text: a table of addresses per class (IANA special-purpose registries), parsing edge cases. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { addressClass, type AddressClass, BLOCKS, classifyParsedIp } from './address-class.js';
import { cidrContains, cidrText, ipText, maskPrefix, parseCidr, parseIp, parseIpv4, parseIpv6 } from './ip-text.js';

const TABLE: readonly (readonly [string, AddressClass])[] = [
  ['10.0.0.1', 'private'], ['10.255.255.255', 'private'], ['172.16.0.1', 'private'], ['172.31.255.254', 'private'],
  ['172.15.255.255', 'public'], ['172.32.0.0', 'public'], ['192.168.1.10', 'private'], ['192.169.0.1', 'public'],
  ['100.64.0.1', 'cgnat'], ['100.127.255.255', 'cgnat'], ['100.63.255.255', 'public'], ['100.128.0.0', 'public'],
  ['169.254.10.20', 'link-local'], ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'],
  ['224.0.0.251', 'multicast'], ['239.255.255.250', 'multicast'], ['255.255.255.255', 'broadcast'],
  ['192.0.2.7', 'documentation'], ['198.51.100.1', 'documentation'], ['203.0.113.200', 'documentation'],
  ['198.18.0.1', 'reserved'], ['198.19.255.255', 'reserved'], ['240.0.0.1', 'reserved'], ['0.0.0.0', 'reserved'], ['192.0.0.9', 'reserved'],
  ['8.8.8.8', 'public'], ['93.184.216.34', 'public'], ['1.1.1.1', 'public'],
  ['fd12:3456:789a::1', 'private'], ['fc00::1', 'private'], ['fe80::1', 'link-local'], ['febf:ffff::1', 'link-local'],
  ['::1', 'loopback'], ['::', 'reserved'], ['ff02::1', 'multicast'], ['ff05::1:3', 'multicast'],
  ['2001:db8::1', 'documentation'], ['3fff:0fff::1', 'documentation'], ['2606:4700::6810:84e5', 'public'], ['2a00:1450:4007:80e::200e', 'public'],
  ['100::1', 'reserved'], ['fec0::1', 'reserved'], ['4000::1', 'reserved'],
  ['::ffff:10.1.2.3', 'private'], ['::ffff:8.8.8.8', 'public'],
  ['not-an-ip', 'invalid'], ['256.1.1.1', 'invalid'], ['1.2.3', 'invalid'], ['1:2:3', 'invalid'], ['', 'invalid'],
];

test('address classes: every row of the table', () => {
  for (const [ip, cls] of TABLE) assert.equal(addressClass(ip), cls, ip);
});

test('IPv4 text: four octets of 1-3 digits up to 255, nothing else', () => {
  assert.equal(parseIpv4('10.1.2.3'), 0x0a010203);
  assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  assert.equal(parseIpv4('0.0.0.0'), 0);
  assert.equal(parseIpv4('010.001.0.9'), 0x0a010009);
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '1.2.3.', '.1.2.3', '1..2.3', '256.1.1.1', '1.2.3.1000', '1.2.3.0004', '+1.2.3.4', ' 1.2.3.4',
    '1.2.3.4 ', '1.2.3.a', '1.2.3.4/8', '١.2.3.4', '1,2.3.4']) assert.equal(parseIpv4(bad), null, bad);
});

test('IPv6 text: compression, embedded IPv4, zone ids, malformed forms', () => {
  assert.deepEqual(parseIpv6('2001:db8::1'), [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(parseIpv6('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
  assert.deepEqual(parseIpv6('fe80::1%eth0'), [0xfe80, 0, 0, 0, 0, 0, 0, 1]);
  for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'g::1', ':::', '1:2:3:4:5:6:7::8']) assert.equal(parseIpv6(bad), null, bad);
  assert.equal(ipText(parseIp('2001:0db8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1');
  assert.equal(ipText(parseIp('0:0:0:0:0:0:0:0')!), '::');
});

test('CIDR: parse, host bits, containment, netmasks', () => {
  assert.equal(cidrText(parseCidr('10.1.2.0/24')!), '10.1.2.0/24');
  assert.equal(parseCidr('10.1.2.3/24'), null);
  assert.equal(cidrText(parseCidr('10.1.2.3/24', true)!), '10.1.2.0/24');
  assert.equal(parseCidr('10.1.2.0/33'), null);
  assert.equal(parseCidr('10.1.2.0'), null);
  assert.equal(cidrText(parseCidr('2001:db8:1:2::/64')!), '2001:db8:1:2::/64');
  assert.equal(cidrText(parseCidr('0.0.0.0/0')!), '0.0.0.0/0');
  const c = parseCidr('172.16.0.0/12')!;
  assert.ok(cidrContains(c, parseIp('172.31.1.1')!));
  assert.ok(!cidrContains(c, parseIp('172.32.0.0')!));
  assert.ok(!cidrContains(c, parseIp('::1')!));
  assert.ok(cidrContains(parseCidr('2001:db8::/33')!, parseIp('2001:db8:7fff::1')!));
  assert.ok(!cidrContains(parseCidr('2001:db8::/33')!, parseIp('2001:db8:8000::1')!));
  assert.equal(maskPrefix('255.255.255.0'), 24);
  assert.equal(maskPrefix('255.255.240.0'), 20);
  assert.equal(maskPrefix('255.0.255.0'), null);
  assert.equal(maskPrefix('0.0.0.0'), 0);
});

test('classifyParsedIp classes as the first block that cidrContains says holds the address (edges of every block, mapped IPv4, random)', () => {
  const blocks = BLOCKS.map(([c, cls]) => [parseCidr(c)!, cls] as const);
  const expected = (ip: NonNullable<ReturnType<typeof parseIp>>): AddressClass => {
    if (ip.version === 6 && ip.groups.slice(0, 5).every((g) => g === 0) && ip.groups[5] === 0xffff) {
      return expected({ version: 4, v4: ip.groups[6]! * 65536 + ip.groups[7]! });
    }
    for (const [b, cls] of blocks) if (cidrContains(b, ip)) return cls;
    return ip.version === 4 ? 'public' : 'reserved';
  };
  const samples: NonNullable<ReturnType<typeof parseIp>>[] = [];
  let seed = 12345;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (const [b] of blocks) {
    if (b.ip.version === 4) {
      const size = 2 ** (32 - b.prefix);
      for (const v of [b.ip.v4 - 1, b.ip.v4, b.ip.v4 + size - 1, b.ip.v4 + size]) {
        if (v < 0 || v > 0xffffffff) continue;
        samples.push({ version: 4, v4: v }, { version: 6, groups: [0, 0, 0, 0, 0, 0xffff, Math.floor(v / 65536), v % 65536] });
      }
    } else {
      const g = b.ip.groups;
      const last = g.map((x, i) => { const bits = Math.max(0, Math.min(16, b.prefix - i * 16)); return x | (0xffff >> bits); });
      samples.push({ version: 6, groups: [...g] }, { version: 6, groups: last });
      const below = [...g];
      for (let i = 7; i >= 0; i--) { if (below[i]! > 0) { below[i]!--; break; } below[i] = 0xffff; }
      samples.push({ version: 6, groups: below });
    }
  }
  for (let i = 0; i < 3000; i++) {
    samples.push({ version: 4, v4: rnd(65536) * 65536 + rnd(65536) });
    samples.push({ version: 6, groups: [rnd(4) === 0 ? 0x2001 : rnd(65536), rnd(65536), rnd(4) === 0 ? 0 : rnd(65536), 0, 0, 0, rnd(65536), rnd(65536)] });
  }
  for (const ip of samples) assert.equal(classifyParsedIp(ip), expected(ip), JSON.stringify(ip));
});
