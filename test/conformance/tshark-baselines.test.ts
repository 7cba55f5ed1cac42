/**
 * Checks of the checked-in tshark baselines (test/conformance/tshark-baselines.json)
 * and of the helpers used to compare medtap's flows with them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { SocketAddress } from 'node:net';
import { join, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import {
  aggregateByTuple,
  aggregateCapture,
  baselinesPath,
  compareEndpoints,
  conversationKey,
  corpusRoot,
  loadTsharkBaselines,
  normalizeIp,
  orientConversation,
  type TsharkBaselines,
  type TsharkConversation,
} from './tshark-baselines.js';

const corpus = corpusRoot();
const manifestPath = join(corpus, 'manifest.tsv');

let cached: TsharkBaselines | undefined;
function baselines(): TsharkBaselines {
  cached ??= loadTsharkBaselines();
  return cached;
}

/** Rows of manifest.tsv as objects keyed by the header line. */
function readManifest(): Record<string, string>[] {
  const [header, ...rows] = readFileSync(manifestPath, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = header!.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

function listCaptures(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'baselines') walk(p); } else if (/\.(pcap|pcapng|cap)$/i.test(e.name)) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function conv(a: string, aPort: number, b: string, bPort: number, ab: [number, number], ba: [number, number], relStart = 0, duration = 0): TsharkConversation {
  return { a, a_port: aPort, b, b_port: bPort, a_to_b_packets: ab[0], a_to_b_bytes: ab[1], b_to_a_packets: ba[0], b_to_a_bytes: ba[1], rel_start: relStart, duration };
}

describe('tshark baseline JSON', () => {
  test('exists and loads', () => {
    assert.ok(existsSync(baselinesPath()), `missing ${baselinesPath()}: run npm run build && node dist/scripts/make-tshark-baselines.js`);
    const b = baselines();
    assert.match(b.tshark_version, /^TShark \(Wireshark\) \d+\.\d+\.\d+/);
    const names = Object.keys(b.captures);
    assert.ok(names.length > 0);
    assert.equal(b.totals.captures, names.length);
    assert.equal(b.totals.packets, Object.values(b.captures).reduce((s, c) => s + c.packets, 0));
  });

  test('every capture in manifest.tsv is present with the manifest packet count', (t) => {
    if (!existsSync(manifestPath)) { t.skip(`no corpus manifest at ${manifestPath}`); return; }
    const b = baselines();
    const missing: string[] = [];
    const mismatched: string[] = [];
    for (const row of readManifest()) {
      const entry = b.captures[row.file!];
      if (!entry) { missing.push(row.file!); continue; }
      if (entry.packets !== Number(row.packets)) mismatched.push(`${row.file}: manifest ${row.packets}, tshark ${entry.packets}`);
    }
    assert.deepEqual(missing, [], `captures missing from the baselines (regenerate them):\n${missing.join('\n')}`);
    assert.deepEqual(mismatched, [], `packet count mismatches:\n${mismatched.join('\n')}`);
  });

  test('covers exactly the captures on disk, unchanged since generation', (t) => {
    if (!existsSync(corpus)) { t.skip(`no corpus at ${corpus}`); return; }
    const b = baselines();
    const onDisk = listCaptures(corpus);
    assert.deepEqual(Object.keys(b.captures).sort(), onDisk, 'capture set differs from the corpus: regenerate the baselines');
    const stale = onDisk.filter((n) => createHash('sha256').update(readFileSync(join(corpus, n))).digest('hex') !== b.captures[n]!.sha256);
    assert.deepEqual(stale, [], `captures changed since the baselines were generated:\n${stale.join('\n')}`);
  });

  test('conversation records are exact, consistent and deterministically ordered', () => {
    for (const [name, cap] of Object.entries(baselines().captures)) {
      for (const proto of ['tcp', 'udp'] as const) {
        const list = cap[proto];
        list.forEach((c, i) => {
          const where = `${name} ${proto}[${i}]`;
          assert.equal(c.bytes_approx, undefined, `${where}: approximate bytes`);
          assert.ok(c.a_to_b_packets + c.b_to_a_packets > 0, `${where}: empty conversation`);
          assert.equal(c.a_to_b_packets === 0, c.a_to_b_bytes === 0, `${where}: a->b packets/bytes`);
          assert.equal(c.b_to_a_packets === 0, c.b_to_a_bytes === 0, `${where}: b->a packets/bytes`);
          assert.equal(normalizeIp(c.a), c.a, `${where}: a not canonical`);
          assert.equal(normalizeIp(c.b), c.b, `${where}: b not canonical`);
          if (i > 0) assert.ok(list[i - 1]!.rel_start <= c.rel_start, `${where}: not sorted by rel_start`);
        });
      }
    }
  });

  // The evidence for the column semantics documented in README.md, locked in.
  test('direction and byte semantics (hl7, smb2-async-read, enip snaplen)', () => {
    const caps = baselines().captures;
    const hl7 = caps['hl7/ndpi__hl7.pcap'];
    assert.ok(hl7);
    assert.deepEqual(hl7.tcp, [conv('10.0.0.155', 49242, '10.0.0.126', 6661, [5, 777], [4, 396], 0, 0.035)]);
    const smb = caps['bulk/sv__smb2-async-read.pcap']?.tcp[0];
    assert.ok(smb);
    assert.deepEqual([smb.a, smb.a_port, smb.a_to_b_packets, smb.a_to_b_bytes, smb.b_to_a_packets, smb.b_to_a_bytes], ['172.16.10.105', 36694, 927, 62816, 2211, 3311722]);
    const enip = caps['lan_mixed/sv__enip-keywords__enip_cip_example.pcap']?.tcp.find((c) => c.a_port === 5262);
    assert.ok(enip);
    // frame.len sums; the frame.cap_len sums would be 268 and 299.
    assert.deepEqual([enip.a_to_b_bytes, enip.b_to_a_bytes], [268, 315]);
  });
});

describe('normalizeIp', () => {
  test('IPv4 and the forms tshark prints', () => {
    assert.equal(normalizeIp('10.0.0.1'), '10.0.0.1');
    assert.equal(normalizeIp('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
    assert.equal(normalizeIp('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
    assert.equal(normalizeIp('2001:0db8::0001'), '2001:db8::1');
    assert.equal(normalizeIp('[fe80::1]'), 'fe80::1');
    assert.equal(normalizeIp('fe80:0:0:0:0:0:0:1'), 'fe80::1');
    assert.equal(normalizeIp('1:0:0:0:1:0:0:0'), '1::1:0:0:0');
    assert.equal(normalizeIp('::ffff:102:304'), '::ffff:1.2.3.4');
    assert.equal(normalizeIp('::ffff:0:0'), '::ffff:0.0.0.0');
    assert.equal(normalizeIp('::102:304'), '::1.2.3.4');
    assert.equal(normalizeIp('::2'), '::2');
    assert.equal(normalizeIp('::1'), '::1');
    assert.equal(normalizeIp('::'), '::');
    assert.equal(normalizeIp('64:ff9b::1.2.3.4'), '64:ff9b::102:304');
    assert.equal(normalizeIp('fe80::1%eth0'), 'fe80::1%eth0');
    for (const bad of ['', '1.2.3', '1.2.3.256', '01.2.3.4', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', 'host']) assert.throws(() => normalizeIp(bad), bad);
  });

  test('agrees with node:net SocketAddress on random IPv6 addresses', () => {
    let seed = 12345;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed; };
    for (let n = 0; n < 5000; n++) {
      const words = Array.from({ length: 8 }, () => (rnd() % 3 === 0 ? rnd() & 0xffff : 0));
      if (rnd() % 7 === 0) words[5] = 0xffff;
      const text = words.map((w) => w.toString(16).padStart(4, '0')).join(':');
      assert.equal(normalizeIp(text), new SocketAddress({ address: text, family: 'ipv6' }).address, text);
    }
  });
});

describe('conversation helpers', () => {
  test('conversationKey is order-independent and normalises addresses', () => {
    const k = conversationKey('tcp', '10.0.0.2', 80, '10.0.0.1', 1234);
    assert.equal(k, 'tcp|10.0.0.1|1234|10.0.0.2|80');
    assert.equal(conversationKey('TCP', '10.0.0.1', 1234, '10.0.0.2', 80), k);
    assert.notEqual(conversationKey('udp', '10.0.0.1', 1234, '10.0.0.2', 80), k);
    // Same address: the port decides.
    assert.equal(conversationKey('udp', '10.0.0.9', 5353, '10.0.0.9', 53), 'udp|10.0.0.9|53|10.0.0.9|5353');
    // Numeric, not lexicographic, address order; IPv4 before IPv6.
    assert.equal(conversationKey('udp', '10.0.0.10', 1, '9.0.0.1', 1), 'udp|9.0.0.1|1|10.0.0.10|1');
    assert.equal(conversationKey('udp', '2001:DB8::0:1', 547, 'fe80::1', 546), 'udp|2001:db8::1|547|fe80::1|546');
    assert.equal(conversationKey('udp', 'fe80::1', 546, '2001:db8:0:0::1', 547), 'udp|2001:db8::1|547|fe80::1|546');
    assert.ok(compareEndpoints('255.255.255.255', 1, '::', 0) < 0);
  });

  test('orientConversation swaps endpoints and directions', () => {
    const c = conv('10.0.0.155', 49242, '10.0.0.126', 6661, [5, 777], [4, 396], 1.5, 2);
    assert.deepEqual(orientConversation(c, '10.0.0.155', 49242), c);
    assert.deepEqual(orientConversation(c, '10.0.0.126', 6661), conv('10.0.0.126', 6661, '10.0.0.155', 49242, [4, 396], [5, 777], 1.5, 2));
    assert.throws(() => orientConversation(c, '10.0.0.126', 49242));
    const v6 = conv('2001:db8::1', 547, 'fe80::1', 546, [1, 100], [0, 0]);
    assert.equal(orientConversation(v6, 'FE80:0::1', 546).a_to_b_packets, 0);
  });

  test('aggregateByTuple sums conversations per unordered 5-tuple', () => {
    const convs = [
      // Port pair reused: two tshark rows, opposite orientation.
      conv('10.0.0.2', 80, '10.0.0.1', 1234, [3, 300], [2, 120], 5, 1),
      conv('10.0.0.1', 1234, '10.0.0.2', 80, [4, 400], [6, 900], 0, 2),
      conv('10.0.0.1', 1235, '10.0.0.2', 80, [1, 60], [0, 0], 3, 0),
    ];
    const agg = aggregateByTuple('tcp', convs);
    assert.deepEqual([...agg.keys()], ['tcp|10.0.0.1|1234|10.0.0.2|80', 'tcp|10.0.0.1|1235|10.0.0.2|80']);
    const first = agg.get('tcp|10.0.0.1|1234|10.0.0.2|80');
    assert.deepEqual(first, {
      key: 'tcp|10.0.0.1|1234|10.0.0.2|80', proto: 'tcp',
      a: '10.0.0.1', a_port: 1234, b: '10.0.0.2', b_port: 80,
      a_to_b_packets: 6, a_to_b_bytes: 520, b_to_a_packets: 9, b_to_a_bytes: 1200,
      conversations: 2, rel_start: 0, rel_end: 6, bytes_approx: false,
    });
    assert.equal(agg.get('tcp|10.0.0.1|1235|10.0.0.2|80')?.conversations, 1);
  });

  test('aggregateCapture keeps TCP and UDP apart and preserves totals', () => {
    const cap = baselines().captures['bulk/malcolm__TFTP.pcap'];
    assert.ok(cap);
    const agg = aggregateCapture(cap);
    const sum = (xs: Iterable<{ a_to_b_packets: number; b_to_a_packets: number }>): number => [...xs].reduce((s, c) => s + c.a_to_b_packets + c.b_to_a_packets, 0);
    assert.equal(sum(agg.values()), sum(cap.tcp) + sum(cap.udp));
    for (const k of agg.keys()) assert.match(k, /^(tcp|udp)\|/);
  });
});
