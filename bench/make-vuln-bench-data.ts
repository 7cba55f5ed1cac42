// Purpose: deterministic synthetic inputs for bench/vuln-bench.ts — an NVD CVE API 2.0 response with N records
// shaped like the shared NVD records (../shared/vulndata/nvd: descriptions in two languages, CVSS v3.1 + v2
// metrics with their component fields, weaknesses, AND configurations of a vulnerable firmware range running on a
// non-vulnerable hardware CPE, OR application ranges, Windows platform configurations, references), written
// streaming to a file; and M devices with vendor/model/os/software attributes plus a few findings, inserted into
// an inventory store. Nothing here is real vulnerability data: vendors and products are invented names.
// Mix of configurations: 0.1 % SMBv1 running on Windows 7 SP1 (the CVE-2017-0144 shape), 0.4 % Windows 7 SP1
// itself (so a Windows 7 host matches about 1 500 of 300 000 records, the order of Windows 7's real NVD history),
// 77.5 % firmware ranges on hardware, 22 % application ranges.

import { closeSync, openSync, writeSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { scoreCvss } from '../src/vuln/cvss.js';

/** A seeded PRNG (mulberry32), so every run generates the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['lumen', 'vita', 'cardio', 'pulse', 'neo', 'flow', 'sentry', 'axis', 'nova', 'orbit', 'care', 'sigma', 'vector', 'helix', 'prism', 'quanta',
  'atlas', 'beacon', 'cirrus', 'delta', 'ember', 'fjord', 'granite', 'harbor', 'iris', 'juniper', 'kestrel', 'lyric', 'meridian', 'nimbus', 'onyx', 'pioneer'];
const KINDS = ['pump', 'monitor', 'station', 'analyzer', 'gateway', 'scanner', 'ventilator', 'console'];
/** Real v3.1 vectors of the shared records; base scores are computed here, not copied. */
const V31 = ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N',
  'CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'];
const V2 = ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 'AV:A/AC:L/Au:N/C:C/I:C/A:C', 'AV:N/AC:M/Au:N/C:P/I:N/A:N', 'AV:L/AC:L/Au:N/C:C/I:C/A:C'];
const SCORE = new Map([...V31, ...V2].map((v) => {
  const s = scoreCvss(v);
  if (!s.ok) throw new Error(`bench vector ${v}: ${s.error}`);
  return [v, s.value.base];
}));

/** Number of invented vendors, and products per vendor. */
export const BENCH_VENDORS = 3000;
export const PRODUCTS_PER_VENDOR = 12;

/** Vendor i's CPE name and the name a device would show (its first word folds to the CPE name). */
export function vendorName(i: number): { cpe: string; text: string } {
  const w = `${WORDS[i % WORDS.length]}${KINDS[Math.floor(i / WORDS.length) % KINDS.length]}${Math.floor(i / (WORDS.length * KINDS.length))}`;
  return { cpe: w, text: `${w[0]!.toUpperCase()}${w.slice(1)} Medical Inc.` };
}

/** Product j of a vendor: two words (the model text) and its CPE product names. */
export function productName(i: number, j: number): { model: string; firmware: string; hardware: string } {
  const a = WORDS[(i * 7 + j * 3) % WORDS.length]!;
  const b = KINDS[(i + j) % KINDS.length]!;
  const n = 100 + ((i * 31 + j * 17) % 800);
  return { model: `${a[0]!.toUpperCase()}${a.slice(1)} ${b} ${n}`, firmware: `${a}_${b}_${n}_firmware`, hardware: `${a}_${b}_${n}` };
}

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
const version = (r: () => number): string => `${1 + Math.floor(r() * 9)}.${Math.floor(r() * 10)}.${Math.floor(r() * 20)}`;
const uuid = (r: () => number): string => 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => Math.floor(r() * 16).toString(16).toUpperCase());

function metrics(r: () => number): unknown {
  const v3 = pick(r, V31);
  const out: Record<string, unknown> = {
    cvssMetricV31: [{ source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '3.1', vectorString: v3, baseScore: SCORE.get(v3), baseSeverity: 'HIGH',
      attackVector: 'NETWORK', attackComplexity: 'LOW', privilegesRequired: 'NONE', userInteraction: 'NONE', scope: 'UNCHANGED',
      confidentialityImpact: 'HIGH', integrityImpact: 'HIGH', availabilityImpact: 'HIGH' }, exploitabilityScore: 3.9, impactScore: 5.9 }],
  };
  if (r() < 0.5) {
    const v2 = pick(r, V2);
    out.cvssMetricV2 = [{ source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '2.0', vectorString: v2, baseScore: SCORE.get(v2), accessVector: 'NETWORK',
      accessComplexity: 'LOW', authentication: 'NONE', confidentialityImpact: 'PARTIAL', integrityImpact: 'PARTIAL', availabilityImpact: 'PARTIAL' },
      baseSeverity: 'HIGH', exploitabilityScore: 10.0, impactScore: 6.4, acInsufInfo: false, obtainAllPrivilege: false, obtainUserPrivilege: false,
      obtainOtherPrivilege: false, userInteractionRequired: false }];
  }
  return out;
}

function configurations(r: () => number): unknown[] {
  const roll = r();
  const range = (): Record<string, string> => (r() < 0.7 ? { versionEndIncluding: version(r) } : { versionStartIncluding: '1.0.0', versionEndExcluding: version(r) });
  if (roll < 0.001) {
    // a platform CVE: SMBv1 running on Windows 7 SP1 (the shape of CVE-2017-0144)
    return [{ operator: 'AND', nodes: [
      { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*', matchCriteriaId: uuid(r) }] },
      { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*', matchCriteriaId: uuid(r) }] }] }];
  }
  if (roll < 0.005) return [{ nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*', matchCriteriaId: uuid(r) }] }] }];
  const i = Math.floor(r() * BENCH_VENDORS);
  const v = vendorName(i).cpe;
  const p = productName(i, Math.floor(r() * PRODUCTS_PER_VENDOR));
  if (roll < 0.8) {
    return [{ operator: 'AND', nodes: [
      { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: `cpe:2.3:o:${v}:${p.firmware}:*:*:*:*:*:*:*:*`, ...range(), matchCriteriaId: uuid(r) }] },
      { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: `cpe:2.3:h:${v}:${p.hardware}:-:*:*:*:*:*:*:*`, matchCriteriaId: uuid(r) }] }] }];
  }
  return [{ nodes: [{ operator: 'OR', negate: false, cpeMatch: [
    { vulnerable: true, criteria: `cpe:2.3:a:${v}:${p.hardware}_manager:*:*:*:*:*:*:*:*`, ...range(), matchCriteriaId: uuid(r) },
    { vulnerable: true, criteria: `cpe:2.3:a:${v}:${p.hardware}_manager:${version(r)}:*:*:*:*:*:*:*`, matchCriteriaId: uuid(r) }] }] }];
}

/** One NVD CVE API 2.0 `cve` object. */
export function nvdRecord(n: number, r: () => number): unknown {
  const year = 2000 + (n % 25);
  const id = `CVE-${year}-${String(100000 + n)}`;
  const text = `A vulnerability in the ${pick(r, WORDS)} ${pick(r, KINDS)} component allows a remote attacker to ${pick(r, ['execute arbitrary code', 'read patient data', 'cause a denial of service', 'bypass authentication'])} via crafted network packets. Versions before the fixed release are affected.`;
  return {
    id, sourceIdentifier: 'ics-cert@hq.dhs.gov', published: `${year}-03-14T16:29:00.000`, lastModified: `${year + 1}-07-21T00:00:00.000`, vulnStatus: 'Analyzed',
    cveTags: [], descriptions: [{ lang: 'en', value: text }, { lang: 'es', value: `Una vulnerabilidad: ${text.slice(0, 120)}` }],
    metrics: metrics(r),
    weaknesses: [{ source: 'nvd@nist.gov', type: 'Primary', description: [{ lang: 'en', value: `CWE-${pick(r, [20, 79, 287, 306, 434, 798, 119, 400])}` }] }],
    configurations: configurations(r),
    references: [{ url: `https://www.cisa.gov/news-events/ics-medical-advisories/icsma-${n}`, source: 'ics-cert@hq.dhs.gov', tags: ['Third Party Advisory', 'US Government Resource'] },
      { url: `https://example.com/security/${id}`, source: 'nvd@nist.gov', tags: ['Vendor Advisory'] }],
  };
}

/** Writes an NVD API 2.0 response with `records` records to `path` (streamed in 4 MiB chunks); returns its bytes. */
export function writeNvdFeed(path: string, records: number, seed = 1): number {
  const r = prng(seed);
  const fd = openSync(path, 'w');
  let bytes = 0;
  let buf: string[] = [];
  let pending = 0;
  const put = (s: string): void => {
    buf.push(s);
    pending += s.length;
    if (pending >= 4 << 20) flush();
  };
  const flush = (): void => {
    bytes += writeSync(fd, buf.join(''));
    buf = [];
    pending = 0;
  };
  put(`{"resultsPerPage":${records},"startIndex":0,"totalResults":${records},"format":"NVD_CVE","version":"2.0","timestamp":"2026-11-28T00:00:00.000","vulnerabilities":[`);
  for (let n = 0; n < records; n++) put(`${n === 0 ? '' : ','}{"cve":${JSON.stringify(nvdRecord(n, r))}}`);
  put(']}');
  flush();
  closeSync(fd);
  return bytes;
}

/** Inserts `count` devices with attributes (and some findings) into an inventory database; returns their kinds. */
export function insertBenchDevices(db: Database.Database, count: number, seed = 2): Record<string, number> {
  const r = prng(seed);
  const kinds: Record<string, number> = { medical: 0, windows: 0, vendor_only: 0 };
  const dev = db.prepare("INSERT INTO devices (key, key_kind, first_us, last_us, vendor, model, category) VALUES (?, 'mac', 0, 0, ?, ?, ?)");
  const attr = db.prepare("INSERT INTO attributes (device_id, name, value, source, confidence, evidence, first_us, last_us) VALUES (?, ?, ?, 'bench', 0.9, NULL, 0, 0)");
  const finding = db.prepare(`INSERT INTO findings (device_id, kind, subject, class, severity, title, evidence, first_us, last_us, status, assessed_at)
    VALUES (?, ?, ?, ?, ?, ?, '[]', 0, 0, 'open', '2026-11-28T00:00:00Z')`);
  const categories = ['infusion-pump', 'patient-monitor', 'imaging-ct', 'ventilator', 'lab-analyzer', 'central-station', 'pacs'];
  db.transaction(() => {
    for (let n = 0; n < count; n++) {
      const mac = (0x020000000000 + n).toString(16).padStart(12, '0').replace(/(..)(?!$)/g, '$1:');
      const roll = r();
      if (roll < 0.65) {
        const i = Math.floor(r() * BENCH_VENDORS);
        const v = vendorName(i);
        const p = productName(i, Math.floor(r() * PRODUCTS_PER_VENDOR));
        const id = Number(dev.run(mac, v.text, p.model, pick(r, categories)).lastInsertRowid);
        attr.run(id, 'vendor', v.text);
        attr.run(id, 'model', p.model);
        attr.run(id, 'firmware_version', version(r));
        if (r() < 0.3) finding.run(id, 'flat_network', 'vlan 1', 'exposure', 'medium', 'medical device in the IT VLAN');
        if (r() < 0.1) finding.run(id, 'insecure_protocol', 'telnet', 'misconfiguration', 'high', 'Telnet server');
        kinds.medical!++;
      } else if (roll < 0.85) {
        const id = Number(dev.run(mac, 'Dell Inc.', null, 'workstation').lastInsertRowid);
        attr.run(id, 'vendor', 'Dell Inc.');
        attr.run(id, 'os', 'Windows 7 Professional 7601 Service Pack 1');
        if (r() < 0.5) {
          attr.run(id, 'smb_dialect', 'NT LM 0.12');
          finding.run(id, 'insecure_protocol', 'smbv1', 'misconfiguration', 'high', 'SMBv1 in use');
        }
        if (r() < 0.05) finding.run(id, 'internet_exposure', '203.0.113.7', 'exposure', 'high', 'communicates with the internet');
        kinds.windows!++;
      } else {
        const id = Number(dev.run(mac, 'HP Inc.', null, 'printer').lastInsertRowid);
        attr.run(id, 'vendor', 'HP Inc.');
        kinds.vendor_only!++;
      }
    }
  })();
  return kinds;
}
