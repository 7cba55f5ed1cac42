/**
 * Conformance: medtap's JA4 / JA4S fingerprints against the expected outputs FoxIO's own implementations give for
 * the JA4 test captures (../shared/corpus/baselines/ja4, from FoxIO-LLC/ja4; see ../shared/corpus/SOURCES.md):
 * - `python__<capture>.json`: the Python tool's records (JA4, JA4_r, JA4_o, JA4_ro of the first ClientHello of a
 *   stream as `JA4.1` …, JA4S, JA4S_r), keyed by addresses and ports;
 * - `rust__ja4__insta@<capture>.snap`: the Rust tool's insta snapshot (ja4, ja4s per stream, with its transport);
 * - `wireshark__<capture>.json`: the Wireshark plugin's per-frame fields (ja4.ja4s, ja4.ja4s_r on the ServerHello
 *   frame); the frame's connection is taken from tshark-tls.json.
 * and Suricata's JA4 test (suricata-verify ja4-tls: one tls event with the given tls.ja4). Only TLS over TCP is
 * compared (QUIC fingerprints start with `q`). The peers' files are read as they are; nothing here was produced by
 * medtap.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { corpusRoot } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { connectionKey, type TlsLogRecord, tlsRecordsOf } from './tls-records.js';
import { loadTsharkTls } from './tshark-tls.js';

/** One expected fingerprint: which connection, which field, which peer said what. */
interface Expected {
  key: string;
  field: 'ja4' | 'ja4_r' | 'ja4_o' | 'ja4_ro' | 'ja4s' | 'ja4s_r';
  peer: 'python' | 'rust' | 'wireshark' | 'suricata';
  value: string;
}

/** What a known difference sees. */
interface DiffContext extends FrameSite {
  expected: Expected;
}

/** Every accepted difference; a difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {};

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, {});
const BASELINES = join(corpusRoot(), 'baselines', 'ja4');

/** The Python tool's records. */
function pythonExpected(file: string): Expected[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string | number>[];
  const out: Expected[] = [];
  for (const r of rows) {
    const key = connectionKey(String(r.src), Number(r.srcport), String(r.dst), Number(r.dstport));
    const add = (field: Expected['field'], v: unknown): void => {
      if (typeof v === 'string' && !v.startsWith('q')) out.push({ key, field, peer: 'python', value: v });
    };
    add('ja4', r['JA4.1']);
    add('ja4_r', r['JA4_r.1']);
    add('ja4_o', r['JA4_o.1']);
    add('ja4_ro', r['JA4_ro.1']);
    add('ja4s', r.JA4S);
    add('ja4s_r', r.JA4S_r);
  }
  return out;
}

/** The Rust tool's snapshot: `- stream: N` items with `  key: value` lines. */
function rustExpected(file: string): Expected[] {
  const out: Expected[] = [];
  for (const item of readFileSync(file, 'utf8').split(/^- /m).slice(1)) {
    const v = new Map<string, string>();
    for (const line of `  ${item}`.split('\n')) {
      const m = /^ {2}([a-z0-9_]+): (.*)$/.exec(line);
      if (m) v.set(m[1]!, m[2]!);
    }
    if (v.get('transport') !== 'tcp') continue;
    const key = connectionKey(v.get('src')!, Number(v.get('src_port')), v.get('dst')!, Number(v.get('dst_port')));
    for (const field of ['ja4', 'ja4s'] as const) {
      const x = v.get(field);
      if (x !== undefined) out.push({ key, field, peer: 'rust', value: x });
    }
  }
  return out;
}

/** The Wireshark plugin's ServerHello-frame fields, placed on their connection with tshark-tls.json. */
function wiresharkExpected(file: string, frames: Readonly<Record<string, { src: string; sport: string; dst: string; dport: string }>>): Expected[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { _source: { layers: Record<string, string[]> } }[];
  const out: Expected[] = [];
  for (const r of rows) {
    const l = r._source.layers;
    const f = frames[l['frame.number']?.[0] ?? ''];
    if (f === undefined) continue;
    const key = connectionKey(f.dst, Number(f.dport), f.src, Number(f.sport)); // the ServerHello is sent by the server
    for (const [field, name] of [['ja4s', 'ja4.ja4s'], ['ja4s_r', 'ja4.ja4s_r']] as const) {
      const x = l[name]?.[0];
      if (x !== undefined && !x.startsWith('q')) out.push({ key, field, peer: 'wireshark', value: x });
    }
  }
  return out;
}

/** The corpus path of a JA4 test capture named `name` in the baselines (stored as `<dir>/ja4__<name>`). */
function capturePath(name: string): string | null {
  for (const dir of readdirSync(corpusRoot(), { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'baselines') continue;
    const p = join(corpusRoot(), dir.name, `ja4__${name}`);
    if (existsSync(p)) return p;
  }
  return null;
}

const tsharkTls = loadTsharkTls();
const names = readdirSync(BASELINES).filter((f) => f.startsWith('python__')).map((f) => f.slice('python__'.length, -'.json'.length));
let compared = 0;

for (const name of names) {
  const path = capturePath(name);
  const rel = path === null ? name : path.slice(corpusRoot().length + 1);
  const expected = [
    ...pythonExpected(join(BASELINES, `python__${name}.json`)),
    ...(existsSync(join(BASELINES, `rust__ja4__insta@${name}.snap`)) ? rustExpected(join(BASELINES, `rust__ja4__insta@${name}.snap`)) : []),
    ...(existsSync(join(BASELINES, `wireshark__${name}.json`)) ? wiresharkExpected(join(BASELINES, `wireshark__${name}.json`), tsharkTls.captures[rel]?.frames ?? {}) : []),
  ];
  if (expected.length === 0) continue; // a JA4H / JA4SSH / JA4D capture
  test(`ja4 vs FoxIO: ${name}`, { skip: path === null ? 'capture missing from ../shared/corpus' : false }, async () => {
    agreement.captures++;
    const ours = new Map<string, TlsLogRecord>();
    for (const r of await tlsRecordsOf(path!)) {
      const k = connectionKey(r.src_ip, r.src_port, r.dst_ip, r.dst_port);
      if (!ours.has(k)) ours.set(k, r);
    }
    for (const e of expected) {
      agreement.tsharkFrames++;
      const r = ours.get(e.key);
      if (r === undefined) {
        agreement.missingUnexplained.push(`${rel} ${e.key}: ${e.peer} ${e.field} ${e.value}`);
        continue;
      }
      compared++;
      agreement.compare(`${e.field} (${e.peer})`, r[e.field] ?? '', e.value, { capture: rel, frame: 0, expected: e });
    }
  });
}

// Suricata's own JA4 test (suricata-verify tests/ja4-tls, baselines/suricata-verify/ja4-tls__test.yaml): `count`
// tls events whose tls.ja4 is the value given, for tls_quic/sv__ja4-tls.pcap.
const SV_TEST = join(corpusRoot(), 'baselines', 'suricata-verify', 'ja4-tls__test.yaml');
const SV_CAPTURE = join(corpusRoot(), 'tls_quic', 'sv__ja4-tls.pcap');
test('ja4 vs Suricata: sv__ja4-tls.pcap', { skip: existsSync(SV_TEST) && existsSync(SV_CAPTURE) ? false : 'missing from ../shared/corpus' }, async () => {
  const yaml = readFileSync(SV_TEST, 'utf8');
  const count = /count: (\d+)/.exec(yaml)?.[1];
  const ja4 = /tls\.ja4: (\S+)/.exec(yaml)?.[1];
  if (count === undefined || ja4 === undefined) throw new Error(`${SV_TEST}: no count / tls.ja4 check`);
  const ours = (await tlsRecordsOf(SV_CAPTURE)).filter((r) => r.ja4 === ja4).length;
  agreement.captures++;
  agreement.tsharkFrames++;
  compared++;
  const e: Expected = { key: 'any', field: 'ja4', peer: 'suricata', value: ja4 };
  agreement.compare('ja4 (suricata: records with it)', String(ours), count, { capture: 'tls_quic/sv__ja4-tls.pcap', frame: 0, expected: e });
});

test('ja4 vs FoxIO and Suricata: every fingerprint agrees and every difference is known', () => {
  agreement.assertAgreement('JA4');
});

after(() => {
  agreement.printSummary(`ja4 vs FoxIO and Suricata: ${agreement.captures} captures, ${agreement.tsharkFrames} expected fingerprints, ${compared} compared, ${agreement.elapsed()} s`);
});
