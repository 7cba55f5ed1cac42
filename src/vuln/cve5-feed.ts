/**
 * CVE JSON 5.x records (CVE Record Format, https://github.com/CVEProject/cve-schema, `CVE_RECORD` 5.0/5.1) → a
 * VulnRecord with the CNA's (and ADP containers') `affected` products and versions (`version`, `lessThan`,
 * `lessThanOrEqual`, `versionType`, `status`, `defaultStatus`, `cpes`), CVSS metrics (cvssV2_0/V3_0/V3_1/V4_0),
 * CWEs from problemTypes and the English description. Old ICS-CERT records carry HTML character references
 * (`Dr&#195;&#164;ger`) and padded versions (`"16  "`): both are cleaned. These products are what matching uses
 * where NVD has no CPE configuration.
 */
import {
  CVE_ID, type AffectedRecord, type CvssVectorRecord, type VulnRecord,
} from './feed-records.js';
import {
  FeedShapeError, decodeHtmlEntities, isObject, objectAt, objectsAt, optString, parseShape, stringAt, type JsonObject,
} from './json-shape.js';

/** At most this many affected products × versions per record. */
export const MAX_AFFECTED = 4096;

const METRIC_KEYS: [string, string][] = [['cvssV4_0', '4.0'], ['cvssV3_1', '3.1'], ['cvssV3_0', '3.0'], ['cvssV2_0', '2.0']];

function clean(s: string | null): string | null {
  if (s === null) return null;
  const t = decodeHtmlEntities(s).trim();
  return t === '' ? null : t;
}

function parseAffected(container: JsonObject, origin: string, out: AffectedRecord[]): void {
  objectsAt(container, 'affected', `${origin}.`).forEach((a, ai) => {
    const path = `${origin}.affected[${ai}].`;
    const vendor = clean(optString(a, 'vendor', path)) ?? 'n/a';
    const product = clean(optString(a, 'product', path)) ?? clean(optString(a, 'packageName', path)) ?? 'n/a';
    const cpes = (Array.isArray(a['cpes']) ? a['cpes'] : []).filter((c): c is string => typeof c === 'string');
    const base = {
      vendor, product, full_name: `${vendor} ${product}`, product_ref: `${origin}.affected[${ai}]`,
      default_status: optString(a, 'defaultStatus', path), cpes,
    };
    const versions = objectsAt(a, 'versions', path);
    if (versions.length === 0) {
      out.push({ ...base, status: base.default_status ?? 'unknown', version_raw: null, less_than: null, less_than_or_equal: null, version_type: null });
    }
    versions.forEach((v, vi) => {
      const vp = `${path}versions[${vi}].`;
      const status = stringAt(v, 'status', vp);
      if (status !== 'affected' && status !== 'unaffected' && status !== 'unknown') throw new FeedShapeError(`${vp}status: '${status}'`);
      out.push({
        ...base, status, version_raw: clean(optString(v, 'version', vp)),
        less_than: clean(optString(v, 'lessThan', vp)), less_than_or_equal: clean(optString(v, 'lessThanOrEqual', vp)),
        version_type: optString(v, 'versionType', vp),
      });
    });
    if (out.length > MAX_AFFECTED) throw new FeedShapeError(`more than ${MAX_AFFECTED} affected versions`);
  });
}

function parseMetrics(container: JsonObject, scorer: string, out: CvssVectorRecord[]): void {
  objectsAt(container, 'metrics', `${scorer}.`).forEach((m, i) => {
    for (const [key, version] of METRIC_KEYS) {
      const data = m[key];
      if (!isObject(data)) continue;
      const path = `${scorer}.metrics[${i}].${key}.`;
      const vector = optString(data, 'vectorString', path);
      if (vector === null) continue;
      const score = data['baseScore'];
      out.push({ version, vector, base_score: typeof score === 'number' ? score : null, base_severity: optString(data, 'baseSeverity', path), scorer, type: null });
    }
  });
}

function parseCwes(container: JsonObject, out: Set<string>): void {
  for (const p of objectsAt(container, 'problemTypes', '')) {
    for (const d of objectsAt(p, 'descriptions', 'problemTypes[].')) {
      if (typeof d['cweId'] === 'string' && /^CWE-\d+$/.test(d['cweId'])) out.add(d['cweId']);
    }
  }
}

/** The CVE id of a record, for error messages, when it has one. */
export function cve5RecordId(doc: unknown): string | null {
  const meta = isObject(doc) ? doc['cveMetadata'] : undefined;
  return isObject(meta) && typeof meta['cveId'] === 'string' ? meta['cveId'].slice(0, 64) : null;
}

/** Parses one CVE JSON 5 record. */
export function parseCve5(doc: unknown): { ok: true; value: VulnRecord } | { ok: false; error: string } {
  return parseShape(() => {
    if (!isObject(doc)) throw new FeedShapeError('not an object');
    if (doc['dataType'] !== 'CVE_RECORD') throw new FeedShapeError("dataType is not 'CVE_RECORD'");
    const meta = objectAt(doc, 'cveMetadata', '');
    const id = stringAt(meta, 'cveId', 'cveMetadata.');
    if (!CVE_ID.test(id)) throw new FeedShapeError(`cveMetadata.cveId '${id}' is not a CVE id`);
    const lastModified = optString(meta, 'dateUpdated', 'cveMetadata.') ?? optString(meta, 'datePublished', 'cveMetadata.') ?? optString(meta, 'dateReserved', 'cveMetadata.');
    if (lastModified === null) throw new FeedShapeError('cveMetadata: no dateUpdated, datePublished or dateReserved');
    const containers = objectAt(doc, 'containers', '');
    const cna = objectAt(containers, 'cna', 'containers.');
    const affected: AffectedRecord[] = [];
    const cvss: CvssVectorRecord[] = [];
    const cwes = new Set<string>();
    parseAffected(cna, 'cna', affected);
    parseMetrics(cna, 'cna', cvss);
    parseCwes(cna, cwes);
    objectsAt(containers, 'adp', 'containers.').forEach((adp, i) => {
      const pm = adp['providerMetadata'];
      const name = `adp:${isObject(pm) && typeof pm['shortName'] === 'string' ? pm['shortName'] : i}`;
      parseAffected(adp, name, affected);
      parseMetrics(adp, name, cvss);
      parseCwes(adp, cwes);
    });
    const descriptions = objectsAt(cna, 'descriptions', 'cna.');
    const en = descriptions.find((d) => typeof d['lang'] === 'string' && d['lang'].startsWith('en')) ?? descriptions[0];
    return {
      id,
      source: 'cve5' as const,
      status: optString(meta, 'state', 'cveMetadata.'),
      published: optString(meta, 'datePublished', 'cveMetadata.'),
      last_modified: lastModified,
      description: en ? optString(en, 'value', 'cna.descriptions[].') : null,
      cwes: [...cwes],
      configurations: [],
      affected,
      cvss,
      cisa_exploit_add: null,
    };
  });
}
