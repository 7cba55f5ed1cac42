// Purpose: the floor of a packet loop in Node.js on this machine — what the least work medtap's discovery core must do
// costs: read a classic pcap in 4 MiB chunks, walk its records, skip Ethernet and 802.1Q/QinQ tags, read the IPv4/IPv6
// addresses and the TCP/UDP ports, and count packets and bytes per direction in a bidirectional 5-tuple table (typed
// arrays, open addressing; no timeouts, no anomalies, no TCP state, no endpoints, no store). It is a yardstick for the
// issue 2 target, not a second implementation: medtap's loop (bench/ingest-cpu.ts, phase read_decode_flows) does all of
// that and more. IPv6 addresses are folded to 64 bits for the key (enough to tell this capture's flows apart; the
// flow count printed is checked against medtap's summary by eye).
// Usage: node dist/bench/loop-floor.js [capture.pcap] [--runs K]   (prints CPU seconds per run and the median)

import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHUNK = 4 << 20;
const MAX_RECORD = 1 << 17;
const SLOTS = 1 << 17;

/** One pass over a little-endian microsecond pcap: packets, 5-tuple flows and the CPU seconds it took. */
function onePass(path: string): { packets: number; flows: number; cpu: number } {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK + MAX_RECORD);
  let end = 0;
  let pos = 0;
  const fill = (): number => {
    buf.copy(buf, 0, pos, end);
    end -= pos;
    pos = 0;
    const n = readSync(fd, buf, end, buf.length - end, null);
    end += n;
    return n;
  };
  const mask = SLOTS - 1;
  const keyA = new Uint32Array(SLOTS);
  const keyB = new Uint32Array(SLOTS);
  const keyPorts = new Uint32Array(SLOTS);
  const keyProto = new Uint8Array(SLOTS); // protocol + 1; 0 = empty slot
  const packets = new Float64Array(SLOTS * 2);
  const bytes = new Float64Array(SLOTS * 2);
  let flows = 0;
  let count = 0;
  const t0 = process.cpuUsage();
  fill();
  if (buf.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${path}: not a little-endian microsecond pcap`);
  pos = 24;
  for (;;) {
    if (end - pos < MAX_RECORD && fill() === 0 && end - pos < 16) break;
    if (end - pos < 16) break;
    const incl = buf.readUInt32LE(pos + 8);
    const orig = buf.readUInt32LE(pos + 12);
    if (incl > MAX_RECORD - 16 || end - pos < 16 + incl) break;
    let o = pos + 16;
    const lim = o + incl;
    pos = lim;
    count++;
    if (incl < 14) continue;
    let type = (buf[o + 12]! << 8) | buf[o + 13]!;
    o += 14;
    while ((type === 0x8100 || type === 0x88a8) && o + 4 <= lim) {
      type = (buf[o + 2]! << 8) | buf[o + 3]!;
      o += 4;
    }
    let a: number;
    let b: number;
    let proto: number;
    let l4: number;
    if (type === 0x0800 && o + 20 <= lim) {
      proto = buf[o + 9]!;
      a = buf.readUInt32BE(o + 12);
      b = buf.readUInt32BE(o + 16);
      l4 = o + (buf[o]! & 15) * 4;
    } else if (type === 0x86dd && o + 40 <= lim) {
      proto = buf[o + 6]!;
      a = (buf.readUInt32BE(o + 20) ^ buf.readUInt32BE(o + 8)) >>> 0;
      b = (buf.readUInt32BE(o + 36) ^ buf.readUInt32BE(o + 24)) >>> 0;
      l4 = o + 40;
    } else continue;
    let sp = 0;
    let dp = 0;
    if ((proto === 6 || proto === 17) && l4 + 4 <= lim) {
      sp = (buf[l4]! << 8) | buf[l4 + 1]!;
      dp = (buf[l4 + 2]! << 8) | buf[l4 + 3]!;
    }
    let dir = 0;
    if (a > b || (a === b && sp > dp)) {
      const t = a;
      a = b;
      b = t;
      const u = sp;
      sp = dp;
      dp = u;
      dir = 1;
    }
    const ports = ((sp << 16) | dp) >>> 0;
    let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ ports ^ proto, 0x85ebca6b);
    h ^= h >>> 15;
    let s = h & mask;
    for (;;) {
      if (keyProto[s] === 0) {
        keyProto[s] = proto + 1;
        keyA[s] = a;
        keyB[s] = b;
        keyPorts[s] = ports;
        if (++flows > SLOTS / 2) throw new Error('more flows than this yardstick holds');
        break;
      }
      if (keyA[s] === a && keyB[s] === b && keyPorts[s] === ports && keyProto[s] === proto + 1) break;
      s = (s + 1) & mask;
    }
    packets[s * 2 + dir]!++;
    bytes[s * 2 + dir] += orig;
  }
  const u = process.cpuUsage(t0);
  closeSync(fd);
  return { packets: count, flows, cpu: (u.user + u.system) / 1e6 };
}

function main(argv: string[]): void {
  const i = argv.indexOf('--runs');
  const runs = i >= 0 ? Number(argv[i + 1]) : 3;
  const capture = resolve(argv.find((a, k) => !a.startsWith('--') && (k === 0 || argv[k - 1] !== '--runs')) ??
    join(ROOT, 'bench', '.cache', 'bench-1m.pcap'));
  const cpus: number[] = [];
  for (let r = 0; r < runs; r++) {
    const p = onePass(capture);
    cpus.push(p.cpu);
    process.stdout.write(`run ${r + 1}: ${p.packets} packets, ${p.flows} flows, CPU ${p.cpu.toFixed(3)} s (${Math.round(p.packets / p.cpu / 1000)} k packets/s)\n`);
  }
  const m = [...cpus].sort((x, y) => x - y)[runs >> 1]!;
  process.stdout.write(`median CPU ${m.toFixed(3)} s\n`);
}

main(process.argv.slice(2));
