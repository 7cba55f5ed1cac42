/**
 * Matching device profiles, written by hand from the shared records, against the whole of ../shared/vulndata
 * imported into a temporary store: expected matches (with their reasons and certainty) and expected non-matches
 * (fixed versions, other platforms, other product lines). Plus configuration evaluation on hand-made NVD
 * configurations (AND/OR, negate, vulnerable flags, running-on platforms).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { SqliteStore } from '../../src/inventory/sqlite-store.js';
import { parseCpe23 } from '../../src/vuln/cpe.js';
import type { CpeCandidate, DeviceAttribute } from '../../src/vuln/device-candidates.js';
import { importVulnFeeds } from '../../src/vuln/feed-import.js';
import type { ConfigurationRecord, CpeMatchRecord } from '../../src/vuln/feed-records.js';
import { evaluateConfiguration, indexCandidates } from '../../src/vuln/nvd-match.js';
import { VulnMatcher, type VulnMatch } from '../../src/vuln/vuln-matcher.js';
import { tempDir } from '../e2e/cli-harness.js';
import { VULNDATA } from './vulndata.js';

let matcher: VulnMatcher;

before(() => {
  const store = new SqliteStore(join(tempDir(), 'm.db'));
  const s = importVulnFeeds(store, [VULNDATA]);
  assert.equal(s.errors.length, 0, s.errors.join('\n'));
  matcher = new VulnMatcher(store.db);
});

function attrs(o: Record<string, string>): DeviceAttribute[] {
  return Object.entries(o).map(([name, value]) => ({ name, value, source: 'test', confidence: 1 }));
}

function match(o: Record<string, string>): Map<string, VulnMatch> {
  return new Map(matcher.matchDevice(attrs(o)).map((m) => [m.vuln_id, m]));
}

test('Windows 7 SP1 host speaking SMBv1 → EternalBlue (CVE-2017-0144), confirmed, KEV, with SMB as the vulnerable part', () => {
  const m = match({ vendor: 'Dell Inc.', os: 'Windows 7 Professional 7601 Service Pack 1', smb_dialect: 'NT LM 0.12' });
  const eb = m.get('CVE-2017-0144');
  assert.ok(eb, [...m.keys()].join(' '));
  assert.equal(eb.certainty, 'confirmed');
  assert.ok(eb.kev);
  assert.equal(eb.cvss?.base_score, 8.8);
  const smb = eb.why.find((w) => w.vulnerable === true)!;
  assert.equal(smb.matched, 'cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*');
  assert.equal(smb.attribute, 'smb_dialect');
  const platform = eb.why.find((w) => w.vulnerable === false)!;
  assert.equal(platform.matched, 'cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*');
  assert.equal(platform.attribute, 'os');
  assert.ok(m.get('CVE-2019-0708')?.certainty === 'confirmed', 'BlueKeep lists windows_7 sp1 as vulnerable itself');
});

test('EternalBlue needs both parts: no SMBv1 seen → no match; SMBv1 on Linux → no match; SMBv1 with OS unknown → possible', () => {
  assert.ok(!match({ os: 'Windows 7 Professional 7601 Service Pack 1' }).has('CVE-2017-0144'));
  assert.ok(!match({ os: 'Linux 5.10', smb_dialect: 'NT LM 0.12' }).has('CVE-2017-0144'));
  const unknownOs = match({ smb_dialect: 'NT LM 0.12' }).get('CVE-2017-0144');
  assert.equal(unknownOs?.certainty, 'possible');
  assert.ok(unknownOs.why.some((w) => w.notes.includes('running-on platform not identified')));
  // Windows 7 without a known service pack: NVD names sp1, so only possible
  assert.equal(match({ os: 'Microsoft Windows 7', smb_dialect: 'SMBv1' }).get('CVE-2017-0144')?.certainty, 'possible');
  // an OS NVD does not list for CVE-2017-0144
  assert.ok(!match({ os: 'Windows 2000 Service Pack 4', smb_dialect: 'SMB1' }).has('CVE-2017-0144'));
});

test('BD Alaris GS syringe pump at firmware 2.3.6 → CVE-2019-10959 (NVD <= 2.3.6 and ICSMA-19-164-01); at 2.3.7 → none of them', () => {
  const affected = match({ vendor: 'Becton, Dickinson and Company', model: 'Alaris GS', firmware_version: '2.3.6' });
  const v = affected.get('CVE-2019-10959');
  assert.equal(v?.certainty, 'confirmed');
  assert.deepEqual(v.sources, ['nvd', 'csaf:ICSMA-19-164-01']);
  const nvd = v.why.find((w) => w.source === 'nvd' && w.vulnerable)!;
  assert.equal(nvd.matched, 'cpe:2.3:o:bd:alaris_gs_syringe_pump_firmware:*:*:*:*:*:*:*:*');
  assert.equal(nvd.range, '<= 2.3.6');
  assert.equal(nvd.version_check, '2.3.6 in <= 2.3.6');
  const fixed = match({ vendor: 'Becton, Dickinson and Company', model: 'Alaris GS', firmware_version: '2.3.7' });
  assert.ok(!fixed.has('CVE-2019-10959'));
  assert.ok(!fixed.has('CVE-2019-10962'));
  const noVersion = match({ vendor: 'Becton Dickinson', model: 'Alaris GS' }).get('CVE-2019-10959');
  assert.equal(noVersion?.certainty, 'possible', 'firmware version unknown');
});

test('BD Alaris 8015 PC unit: affected at 9.5 (NVD <= 9.5), not at 12.1', () => {
  const m = match({ vendor: 'CareFusion', model: 'Alaris 8015 PC Unit', software_version: '9.5' });
  for (const id of ['CVE-2016-8375', 'CVE-2016-9355']) assert.equal(m.get(id)?.certainty, 'confirmed', id);
  const fixed = match({ vendor: 'CareFusion', model: 'Alaris 8015 PC Unit', software_version: '12.1' });
  assert.ok(!fixed.has('CVE-2016-8375') && !fixed.has('CVE-2016-9355'));
});

test('Philips PIC iX: C.02 → CVE-2021-43548 (NVD version c.02, advisory ICSMA-21-322-02); C.04 → not', () => {
  const m = match({ vendor: 'Philips Medical Systems', model: 'Patient Information Center iX', software_version: 'C.02' });
  const v = m.get('CVE-2021-43548');
  assert.equal(v?.certainty, 'confirmed');
  assert.ok(v.sources.includes('csaf:ICSMA-21-322-02'));
  assert.ok(!match({ vendor: 'Philips Medical Systems', model: 'Patient Information Center iX', software_version: 'C.04' }).has('CVE-2021-43548'));
});

test('B. Braun SpaceCom: L81 affected (CVE-2020-25150, NVD <= l81), L82 not, U61 only through the advisory (U line)', () => {
  const l81 = match({ vendor: 'B.Braun Melsungen AG', model: 'SpaceCom', firmware_version: 'L81' });
  assert.equal(l81.get('CVE-2020-25150')?.certainty, 'confirmed');
  assert.ok(!match({ vendor: 'B.Braun Melsungen AG', model: 'SpaceCom', firmware_version: 'L82' }).has('CVE-2020-25150'));
  const u61 = match({ vendor: 'B.Braun Melsungen AG', model: 'SpaceCom', firmware_version: 'U61' }).get('CVE-2020-25150');
  assert.equal(u61?.certainty, 'confirmed');
  assert.deepEqual(u61.sources, ['csaf:ICSMA-20-296-02'], 'NVD lists only the L line; the advisory lists both');
});

test('records without NVD configurations are matched through CVE 5 affected data (Contec CMS8000, CVE-2025-0626)', () => {
  const m = match({ vendor: 'Contec Health', model: 'CMS8000 Patient Monitor' });
  const v = m.get('CVE-2025-0626');
  assert.equal(v?.certainty, 'confirmed');
  assert.deepEqual(v.sources, ['cve5']);
  assert.equal(v.why[0]!.version_check, 'all versions');
  assert.equal(v.cvss?.version, '3.1');
});

test('software versions from banners: DCMTK 3.6.5 → CVE-2022-2119/2120/2121 (NVD and ICSMA-22-174-01); DCMTK 3.6.7 → none', () => {
  const m = match({ software: 'OFFIS DCMTK 3.6.5' });
  assert.deepEqual([...m.keys()].sort(), ['CVE-2022-2119', 'CVE-2022-2120', 'CVE-2022-2121']);
  assert.equal(m.get('CVE-2022-2119')!.why[0]!.version_check, '3.6.5 in < 3.6.7');
  assert.deepEqual(m.get('CVE-2022-2120')!.sources, ['csaf:ICSMA-22-174-01'], 'not in the NVD sample: the advisory alone');
  assert.equal(match({ software: 'DCMTK 3.6.7' }).size, 0);
});

test('OS products of platform advisories: VxWorks 6.9.4.11 → URGENT/11 (NVD range and ICSA-19-211-01); a not-affected product named as closely cancels', () => {
  const m = match({ os: 'VxWorks 6.9.4.11' });
  const v = m.get('CVE-2019-12256');
  assert.equal(v?.certainty, 'confirmed');
  assert.ok(v.sources.includes('nvd') && v.sources.includes('csaf:ICSA-19-211-01'));
  // 6.4: ICSA-19-211-01 says VxWorks >= 5.3, <= 6.4 is known_not_affected
  const old = match({ os: 'VxWorks 6.4' }).get('CVE-2019-12256');
  assert.ok(!old || !old.sources.includes('csaf:ICSA-19-211-01'));
  assert.ok(!old || !old.sources.includes('nvd'));
});

test('a vendor alone, or an unknown vendor, matches nothing', () => {
  assert.equal(match({ vendor: 'GE Healthcare' }).size, 0);
  assert.equal(match({ vendor: 'Unknown Corp', model: 'Alaris GS', firmware_version: '2.3.5' }).size, 0);
  assert.equal(matcher.matchDevice([]).length, 0);
});

// ------------------------------------------------------------------ configuration evaluation (hand-made)

function m(criteria: string, vulnerable: boolean, range: Partial<CpeMatchRecord> = {}): CpeMatchRecord {
  return { criteria, vulnerable, match_criteria_id: null, version_start_including: null, version_start_excluding: null, version_end_including: null, version_end_excluding: null, ...range };
}

function cand(fs: string): CpeCandidate {
  const p = parseCpe23(fs);
  assert.ok(p.ok);
  return { cpe: p.value, confidence: 1, attribute: { name: 'test', value: fs }, rule: 'test', versionFrom: null };
}

test('configuration evaluation: AND with a running-on platform, OR, negate, vulnerable flags, ranges', () => {
  const app = m('cpe:2.3:a:acme:viewer:*:*:*:*:*:*:*:*', true, { version_end_excluding: '2.0' });
  const os = m('cpe:2.3:o:acme:rtos:-:*:*:*:*:*:*:*', false);
  const and: ConfigurationRecord = { operator: 'AND', negate: false, nodes: [{ operator: 'OR', negate: false, matches: [app] }, { operator: 'OR', negate: false, matches: [os] }] };
  const both = indexCandidates([cand('cpe:2.3:a:acme:viewer:1.5'), cand('cpe:2.3:o:acme:rtos:-')]);
  assert.equal(evaluateConfiguration(and, both).state, 'match');
  assert.equal(evaluateConfiguration(and, indexCandidates([cand('cpe:2.3:a:acme:viewer:2.0'), cand('cpe:2.3:o:acme:rtos:-')])).state, 'no', 'fixed version');
  assert.equal(evaluateConfiguration(and, indexCandidates([cand('cpe:2.3:a:acme:viewer:1.5')])).state, 'no', 'platform known absent');
  assert.equal(evaluateConfiguration(and, indexCandidates([cand('cpe:2.3:a:acme:viewer:1.5')]), false).state, 'possible', 'platform unknown');
  assert.equal(evaluateConfiguration(and, indexCandidates([cand('cpe:2.3:a:acme:viewer'), cand('cpe:2.3:o:acme:rtos:-')])).state, 'possible', 'version unknown');
  // only the platform matches: not vulnerable
  const platformOnly: ConfigurationRecord = { operator: 'OR', negate: false, nodes: [{ operator: 'OR', negate: false, matches: [os] }] };
  assert.equal(evaluateConfiguration(platformOnly, both).state, 'no');
  // negated node: vulnerable unless the patch component is present
  const patch = m('cpe:2.3:a:acme:hotfix:*:*:*:*:*:*:*:*', false);
  const neg: ConfigurationRecord = { operator: 'AND', negate: false, nodes: [{ operator: 'OR', negate: false, matches: [app] }, { operator: 'OR', negate: true, matches: [patch] }] };
  assert.equal(evaluateConfiguration(neg, indexCandidates([cand('cpe:2.3:a:acme:viewer:1.0')])).state, 'match');
  assert.equal(evaluateConfiguration(neg, indexCandidates([cand('cpe:2.3:a:acme:viewer:1.0'), cand('cpe:2.3:a:acme:hotfix:1')])).state, 'no');
  // AND node inside: both entries must hold
  const andNode: ConfigurationRecord = { operator: 'OR', negate: false, nodes: [{ operator: 'AND', negate: false, matches: [app, m('cpe:2.3:a:acme:plugin:1.0:*:*:*:*:*:*:*', true)] }] };
  assert.equal(evaluateConfiguration(andNode, both).state, 'no');
  assert.equal(evaluateConfiguration(andNode, indexCandidates([cand('cpe:2.3:a:acme:viewer:1.5'), cand('cpe:2.3:a:acme:plugin:1.0')])).state, 'match');
  // an update level the device name leaves open makes it possible; a different one excludes
  const sp = { operator: 'OR' as const, negate: false, nodes: [{ operator: 'OR' as const, negate: false, matches: [m('cpe:2.3:o:acme:rtos:-:sp1:*:*:*:*:*:*', true)] }] };
  assert.equal(evaluateConfiguration(sp, indexCandidates([cand('cpe:2.3:o:acme:rtos:-')])).state, 'possible');
  assert.equal(evaluateConfiguration(sp, indexCandidates([cand('cpe:2.3:o:acme:rtos:-:sp2')])).state, 'no');
  assert.equal(evaluateConfiguration(sp, indexCandidates([cand('cpe:2.3:o:acme:rtos:-:sp1')])).state, 'match');
});
