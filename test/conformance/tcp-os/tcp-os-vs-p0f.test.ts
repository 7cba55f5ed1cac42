/**
 * Conformance of medtap's passive TCP OS fingerprinting with p0f v3, on the handshakes of a sample of the shared corpus
 * (p0f's verdicts are in p0f-baselines.json, made by scripts/make-p0f-baselines.ts):
 * - the raw fingerprint medtap writes must equal p0f's `raw_sig` for every SYN and SYN-ACK both saw (same header
 *   fields, same quirks, same window notation);
 * - where both name an OS, the OS families must agree (p0f's database is from 2012-2016: "Linux 2.2.x-3.x" against
 *   our "Linux 4.20+" is an agreement at the family level, which is what is measured); the rate must stay at or above
 *   MIN_FAMILY_AGREEMENT and every disagreement is listed in the test's diagnostics (see README.md beside this file).
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { P0fBaselines, P0fVerdict } from '../../../scripts/make-p0f-baselines.js';
import { normalizeIp } from '../tshark-baselines.js';
import { corpusRoot, repoRoot } from '../corpus-frames.js';
import { matchTcpOs, tcpFingerprint } from '../../../src/identify/tcp-os-match.js';
import { loadTcpSignatures, type TcpDirection } from '../../../src/identify/tcp-signatures.js';
import { readHandshakes } from './handshakes.js';
import type { SynInfo } from '../../../src/flow/flow-table.js';

/** Lowest family agreement accepted (measured: see README.md). */
export const MIN_FAMILY_AGREEMENT = 0.95;

/** OS families a label names, for the family-level comparison (our "FreeBSD/macOS" names two; Android is Linux). */
export function osFamilies(label: string): Set<string> {
  const l = label.toLowerCase();
  const out = new Set<string>();
  if (l.includes('windows')) out.add('windows');
  if (l.includes('linux') || l.includes('android')) out.add('linux');
  if (/mac ?os|\bios\b|iphone|ipad/.test(l)) out.add('apple');
  for (const bsd of ['freebsd', 'openbsd', 'netbsd']) if (l.includes(bsd)) out.add(bsd);
  if (out.size === 0) out.add(l.split(/[\s/]/)[0]!);
  return out;
}

/** `ip/port>ip/port` with both addresses in one spelling (p0f and medtap write IPv6 differently). */
function normalizeKey(key: string): string {
  return key.split('>').map((side) => {
    const slash = side.lastIndexOf('/');
    return `${normalizeIp(side.slice(0, slash))}/${side.slice(slash + 1)}`;
  }).join('>');
}

/**
 * Raw-signature differences explained by p0f rather than by medtap: p0f 3.09b tests a non-zero acknowledgment number
 * on a segment without ACK with a bitwise `ack & !(flags & RST)`, so it reports `ack+` only for odd numbers; medtap
 * reports it for any non-zero number, as the p0f README defines the quirk. Returns the reason, or null.
 */
export function knownRawDifference(ours: string, p0f: string): string | null {
  const f = ours.split(':');
  const quirks = (f[6] ?? '').split(',').filter((q) => q !== '' && q !== 'ack+').join(',');
  const withoutAck = [...f.slice(0, 6), quirks, ...f.slice(7)].join(':');
  return withoutAck === p0f && withoutAck !== ours ? "p0f reports 'ack+' only for odd acknowledgment numbers" : null;
}

interface Tally {
  rawBoth: number;
  rawEqual: number;
  rawKnown: Map<string, number>;
  rawDiffs: string[];
  /** Distinct (direction, raw signature, p0f label) labelled by both, and how many of them agree. */
  distinct: Map<string, boolean>;
  /** p0f label → medtap label pairs (family agreements included), for the README. */
  pairs: Map<string, number>;
  bothLabel: number;
  familyAgree: number;
  disagreements: Map<string, number>;
  p0fOnly: number;
  oursOnly: number;
}

const baselinePath = join(repoRoot(), 'test/conformance/tcp-os/p0f-baselines.json');
const baselines = JSON.parse(readFileSync(baselinePath, 'utf8')) as P0fBaselines;
const db = loadTcpSignatures();
const tally: Tally = { rawBoth: 0, rawEqual: 0, rawKnown: new Map(), rawDiffs: [], distinct: new Map(), pairs: new Map(), bothLabel: 0, familyAgree: 0, disagreements: new Map(), p0fOnly: 0, oursOnly: 0 };

/** Compares one segment medtap kept with p0f's verdict on it. */
function compareSegment(where: string, dir: TcpDirection, s: SynInfo, peerMss: number | null, v: P0fVerdict): void {
  const fp = tcpFingerprint(s, dir, peerMss);
  tally.rawBoth++;
  const known = fp.raw === v.raw_sig ? null : knownRawDifference(fp.raw, v.raw_sig);
  if (fp.raw === v.raw_sig) tally.rawEqual++;
  else if (known !== null) tally.rawKnown.set(known, (tally.rawKnown.get(known) ?? 0) + 1);
  else tally.rawDiffs.push(`${where} ${dir}: medtap ${fp.raw} / p0f ${v.raw_sig}`);
  if (v.kind !== 'os') return;
  const m = matchTcpOs(fp, db);
  if (v.label !== null && m.signature !== null) {
    tally.bothLabel++;
    const ours = osFamilies(m.signature.label);
    const agree = [...osFamilies(v.label)].some((f) => ours.has(f));
    tally.distinct.set(`${dir} ${fp.raw} ${v.label}`, agree);
    const pair = `${dir}: p0f "${v.label}" → medtap "${m.signature.label}"`;
    tally.pairs.set(pair, (tally.pairs.get(pair) ?? 0) + 1);
    if (agree) tally.familyAgree++;
    else {
      const k = `p0f "${v.label}" / medtap "${m.signature.label}" (tcp-os.tsv:${m.signature.line}, ${m.quality}) on ${fp.raw}`;
      tally.disagreements.set(k, (tally.disagreements.get(k) ?? 0) + 1);
    }
  } else if (v.label !== null) tally.p0fOnly++;
  else if (m.signature !== null) tally.oursOnly++;
}

const root = corpusRoot();
for (const [rel, cap] of Object.entries(baselines.captures)) {
  const path = join(root, rel);
  test(`TCP fingerprints vs p0f: ${rel}`, { skip: existsSync(path) ? false : 'capture missing from ../shared/corpus' }, () => {
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    assert.equal(sha, cap.sha256, `${rel} changed since p0f-baselines.json was made: regenerate it (scripts/make-p0f-baselines.ts)`);
    const ours = new Map([...readHandshakes(path)].map(([k, h]) => [normalizeKey(k), h]));
    for (const [key, h] of Object.entries(cap.handshakes)) {
      const mine = ours.get(normalizeKey(key));
      if (h.syn && mine?.syn) compareSegment(`${rel} ${key}`, 'syn', mine.syn, null, h.syn);
      if (h.syn_ack && mine?.synAck) compareSegment(`${rel} ${key}`, 'syn-ack', mine.synAck, mine.syn?.mss ?? null, h.syn_ack);
    }
  });
}

test('TCP fingerprints vs p0f: raw signatures identical, OS families agree', (t) => {
  const known = [...tally.rawKnown].map(([k, n]) => `${n} known (${k})`).join(', ');
  t.diagnostic(`raw signatures: ${tally.rawEqual}/${tally.rawBoth} identical${known ? `, ${known}` : ''}`);
  const distinctAgree = [...tally.distinct.values()].filter(Boolean).length;
  t.diagnostic(`distinct (direction, fingerprint, p0f label): ${distinctAgree}/${tally.distinct.size} agree at family level`);
  for (const [k, n] of [...tally.pairs].sort((a, b) => b[1] - a[1])) t.diagnostic(`pair ${n} × ${k}`);
  t.diagnostic(`OS family: ${tally.familyAgree}/${tally.bothLabel} agree (${(100 * tally.familyAgree / Math.max(1, tally.bothLabel)).toFixed(1)} %); ` +
    `labelled by p0f only: ${tally.p0fOnly}; by medtap only: ${tally.oursOnly}`);
  for (const [k, n] of [...tally.disagreements].sort((a, b) => b[1] - a[1])) t.diagnostic(`${n} × ${k}`);
  assert.ok(tally.rawBoth > 1000, `too few segments compared (${tally.rawBoth})`);
  assert.deepEqual(tally.rawDiffs, []);
  assert.ok(tally.bothLabel > 500, `too few segments labelled by both (${tally.bothLabel})`);
  assert.ok(tally.familyAgree / tally.bothLabel >= MIN_FAMILY_AGREEMENT,
    `OS family agreement ${tally.familyAgree}/${tally.bothLabel} below ${MIN_FAMILY_AGREEMENT}`);
});
