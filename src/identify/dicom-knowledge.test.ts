/**
 * data/dicom/ and its strict loader: lookups, whole-arc root matching, file:line errors and duplicate refusal, and
 * coverage of the implementation identities and SOP classes seen in pydicom's test files (shared vulndata).
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DicomKnowledge } from './dicom-knowledge.js';

const K = DicomKnowledge.load();

test('Implementation Class UID roots: toolkit and vendor, longest whole-arc match', () => {
  assert.equal(K.implementation('1.2.276.0.7230010.3.0.3.6.4')?.name, 'DCMTK (OFFIS)');
  assert.equal(K.implementation('1.2.40.0.13.1.3')?.name, 'dcm4che');
  assert.equal(K.implementation('1.2.826.0.1.3680043.9.3811.2.0.2')?.name, 'pynetdicom');
  assert.equal(K.implementation('1.3.6.1.4.1.30071.8')?.name, 'fo-dicom');
  assert.equal(K.implementation('1.2.826.0.1.3680043.9.7133.1.1')?.name, 'go-dicom');
  assert.equal(K.implementation('1.2.840.113619.6.286')?.kind, 'vendor');
  assert.equal(K.implementation('1.2.840.113619.6.286')?.name, 'GE Healthcare');
  assert.equal(K.implementation('1.2.840.1136190.1'), null); // not on an arc boundary
  assert.equal(K.implementation('1.2.826.0.1.3680043.9'), null); // a shorter prefix of several roots
  assert.match(K.implementation('1.3.12.2.1107.5.2')!.rule, /^implementation-class-uids\.tsv:\d+$/);
});

test('Implementation Version Names: product and version', () => {
  assert.deepEqual(pick(K.version('OFFIS_DCMTK_360')), ['DCMTK', '3.6.0']);
  assert.deepEqual(pick(K.version('OFFIS-DCMTK-311')), ['DCMTK', '3.1.1']);
  assert.deepEqual(pick(K.version('PYNETDICOM_202')), ['pynetdicom', '2.0.2']);
  assert.deepEqual(pick(K.version('dcm4che-5.31.0')), ['dcm4che', '5.31.0']);
  assert.deepEqual(pick(K.version('fo-dicom 5.1.2')), ['fo-dicom', '5.1.2']);
  assert.deepEqual(pick(K.version('GODICOM_1_1')), ['go-dicom', '1.1']);
  assert.deepEqual(pick(K.version('OSIRIX')), ['OsiriX', null]);
  assert.equal(K.version('OFFIS_DCMTK_36'), null);
});

/** [product, version] of a match. */
function pick(m: { product: string; version: string | null } | null): [string, string | null] | null {
  return m === null ? null : [m.product, m.version];
}

test('SOP classes: name, service, modality, device category', () => {
  const ct = K.sopClass('1.2.840.10008.5.1.4.1.1.2')!;
  assert.deepEqual([ct.name, ct.service, ct.modality, ct.device_category], ['CT Image Storage', 'storage', 'CT', 'ct_scanner']);
  assert.equal(K.sopClass('1.2.840.10008.5.1.4.31')!.service, 'worklist');
  assert.equal(K.sopClass('1.2.840.10008.1.1')!.name, 'Verification SOP Class');
  assert.equal(K.sopClass('1.2.3'), null);
  for (const s of K.allSopClasses()) assert.ok(s.uid.startsWith('1.2.840.10008.'), s.uid);
  for (const s of K.allSopClasses()) if (s.service === 'storage') assert.ok(/Storage/.test(s.name), s.name);
});

const ROOTS = '# c\n1.2.3\ttoolkit\tA\tsrc\n';
const VERSIONS = '^A(\\d)$\tA\t$1\tsrc\n';
const SOPS = '1.2.840.10008.1.1\tVerification SOP Class\tverification\t-\t-\n';

test('strict loader: file:line errors, duplicates refused with the first line', () => {
  const bad = (over: Partial<{ roots: string; versions: string; sopClasses: string }>): string => {
    try {
      DicomKnowledge.parse({ roots: ROOTS, versions: VERSIONS, sopClasses: SOPS, ...over });
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  assert.equal(bad({}), 'no error');
  assert.equal(bad({ roots: `${ROOTS}1.2.3\tvendor\tB\tsrc\n` }), 'implementation-class-uids.tsv:3: duplicate root 1.2.3, already on line 2');
  assert.equal(bad({ roots: '1.2.x\ttoolkit\tA\tsrc\n' }), 'implementation-class-uids.tsv:1: 1.2.x is not a UID root');
  assert.equal(bad({ roots: '1.2.3\tcompany\tA\tsrc\n' }), 'implementation-class-uids.tsv:1: kind company is neither toolkit nor vendor');
  assert.equal(bad({ roots: '1.2.3\ttoolkit\tA\n' }), 'implementation-class-uids.tsv:1: 3 tab-separated fields, expected 4');
  assert.equal(bad({ versions: '^A($\tA\t-\tsrc\n' }).startsWith('implementation-versions.tsv:1: invalid pattern'), true);
  assert.equal(bad({ versions: '^A(\\d)$\tA\t$2\tsrc\n' }), 'implementation-versions.tsv:1: template uses $2, the pattern has 1 groups');
  assert.equal(bad({ versions: 'A\tA\t-\tsrc\n' }), 'implementation-versions.tsv:1: pattern must be anchored with ^ and $');
  assert.equal(bad({ versions: `${VERSIONS}${VERSIONS}` }), 'implementation-versions.tsv:2: duplicate pattern ^A(\\d)$, already on line 1');
  assert.equal(bad({ sopClasses: '1.2.840.10008.1.1\tV\tchat\t-\t-\n' }), 'sop-classes.tsv:1: unknown service chat');
  assert.equal(bad({ sopClasses: `${SOPS}${SOPS}` }), 'sop-classes.tsv:2: duplicate SOP class 1.2.840.10008.1.1, already on line 1');
  assert.equal(bad({ sopClasses: '1.2.840.10008.1.1\tV \tverification\t-\t-\n' }), 'sop-classes.tsv:1: empty field or surrounding spaces');
});

/** Identities in pydicom's test files that name no product: example/test roots and values without a public owner. */
const UNATTRIBUTED_UIDS = new Set(['1234567890.1998.310', '1.2.999.999.99.9.9.9', '1.2.888.888.88.8.8.8', '1.2.3.18.133392880203', '1.2.826.0.1.3680043.2.135.1066.101']);
const UNATTRIBUTED_VERSIONS = new Set(['AISDWAM40', 'Tiller_SV500', '1.4.1/WIN32']);

/** The shared references beside the repository (this file compiles to dist/src/identify/). */
const PYDICOM_TSV = join(fileURLToPath(new URL('../../../', import.meta.url)), '../shared/vulndata/fingerprints/dicom_header_observables_pydicom_testfiles.tsv');

test('pydicom test files: every implementation UID, version name and SOP class is covered or listed as unattributed', { skip: !existsSync(PYDICOM_TSV) }, () => {
  const lines = readFileSync(PYDICOM_TSV, 'utf8').trim().split('\n');
  const head = lines[0]!.split('\t');
  const col = (n: string): number => head.indexOf(n);
  const missing: string[] = [];
  for (const l of lines.slice(1)) {
    const f = l.split('\t');
    const uid = f[col('ImplementationClassUID')] ?? '';
    const version = f[col('ImplementationVersionName')] ?? '';
    const sop = f[col('SOPClassUID')] ?? '';
    if (uid !== '' && !UNATTRIBUTED_UIDS.has(uid) && K.implementation(uid) === null) missing.push(`uid ${uid}`);
    if (version !== '' && !UNATTRIBUTED_VERSIONS.has(version) && K.version(version) === null) missing.push(`version ${version}`);
    if (sop !== '' && K.sopClass(sop) === null) missing.push(`sop ${sop}`);
  }
  assert.deepEqual([...new Set(missing)], []);
});
