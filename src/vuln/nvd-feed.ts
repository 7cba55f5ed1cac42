/**
 * NVD CVE API 2.0 records (https://nvd.nist.gov/developers/vulnerabilities, schema cve_api_json_2.0): one
 * `cve` object (as in an API response's `vulnerabilities[].cve`, or a per-CVE file as fkie-cad/nvd-json-data-feeds
 * stores them) → a VulnRecord with its configurations, CVSS vectors (cvssMetricV2/V30/V31/V40), CWEs and English
 * description. A record is malformed when its id, lastModified, a configuration's structure or a criteria CPE is
 * not valid; CVSS entries without a vector are skipped silently (they carry nothing to score).
 */
import { parseCpe23 } from './cpe.js';
import {
  CVE_ID, type ConfigNodeRecord, type ConfigurationRecord, type CpeMatchRecord, type CvssVectorRecord, type VulnRecord,
} from './feed-records.js';
import {
  FeedShapeError, isObject, objectAt, objectsAt, optBoolean, optString, parseShape, stringAt, type JsonObject,
} from './json-shape.js';

/** At most this many configurations / nodes / cpeMatch entries per record (CVE-2019-0708 has 66 / 132 / 139). */
export const MAX_CONFIGURATIONS = 4096;

const METRIC_KEYS = ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2'] as const;

function operator(o: JsonObject, path: string, dflt: 'AND' | 'OR'): 'AND' | 'OR' {
  const v = optString(o, 'operator', path);
  if (v === null) return dflt;
  if (v !== 'AND' && v !== 'OR') throw new FeedShapeError(`${path}operator: '${v}' is not AND or OR`);
  return v;
}

function parseMatch(m: JsonObject, path: string): CpeMatchRecord {
  const criteria = stringAt(m, 'criteria', path);
  const cpe = parseCpe23(criteria);
  if (!cpe.ok) throw new FeedShapeError(`${path}criteria '${criteria}': ${cpe.error}`);
  if (typeof m['vulnerable'] !== 'boolean') throw new FeedShapeError(`${path}vulnerable: missing or not a boolean`);
  return {
    vulnerable: m['vulnerable'],
    criteria,
    match_criteria_id: optString(m, 'matchCriteriaId', path),
    version_start_including: optString(m, 'versionStartIncluding', path),
    version_start_excluding: optString(m, 'versionStartExcluding', path),
    version_end_including: optString(m, 'versionEndIncluding', path),
    version_end_excluding: optString(m, 'versionEndExcluding', path),
  };
}

function parseConfigurations(cve: JsonObject): ConfigurationRecord[] {
  const configs = objectsAt(cve, 'configurations', '');
  if (configs.length > MAX_CONFIGURATIONS) throw new FeedShapeError(`configurations: more than ${MAX_CONFIGURATIONS}`);
  let matches = 0;
  return configs.map((c, ci) => {
    const cp = `configurations[${ci}].`;
    const nodes = objectsAt(c, 'nodes', cp);
    if (nodes.length === 0) throw new FeedShapeError(`${cp}nodes: empty`);
    return {
      operator: operator(c, cp, 'OR'),
      negate: optBoolean(c, 'negate', cp, false),
      nodes: nodes.map((n, ni): ConfigNodeRecord => {
        const np = `${cp}nodes[${ni}].`;
        const list = objectsAt(n, 'cpeMatch', np);
        matches += list.length;
        if (matches > MAX_CONFIGURATIONS) throw new FeedShapeError(`more than ${MAX_CONFIGURATIONS} cpeMatch entries`);
        return { operator: operator(n, np, 'OR'), negate: optBoolean(n, 'negate', np, false), matches: list.map((m, mi) => parseMatch(m, `${np}cpeMatch[${mi}].`)) };
      }),
    };
  });
}

function parseMetrics(cve: JsonObject): CvssVectorRecord[] {
  const out: CvssVectorRecord[] = [];
  const metrics = cve['metrics'];
  if (!isObject(metrics)) return out;
  for (const key of METRIC_KEYS) {
    objectsAt(metrics, key, 'metrics.').forEach((m, i) => {
      const path = `metrics.${key}[${i}].`;
      const data = objectAt(m, 'cvssData', path);
      const vector = optString(data, 'vectorString', `${path}cvssData.`);
      if (vector === null) return;
      const score = data['baseScore'];
      out.push({
        version: optString(data, 'version', `${path}cvssData.`) ?? '',
        vector,
        base_score: typeof score === 'number' ? score : null,
        base_severity: optString(data, 'baseSeverity', `${path}cvssData.`) ?? optString(m, 'baseSeverity', path),
        scorer: optString(m, 'source', path),
        type: optString(m, 'type', path),
      });
    });
  }
  return out;
}

function englishText(list: JsonObject[], path: string): string | null {
  for (const d of list) if (d['lang'] === 'en') return optString(d, 'value', path);
  return list.length > 0 ? optString(list[0]!, 'value', path) : null;
}

function parseCwes(cve: JsonObject): string[] {
  const out = new Set<string>();
  for (const w of objectsAt(cve, 'weaknesses', '')) {
    for (const d of objectsAt(w, 'description', 'weaknesses[].')) {
      const v = d['value'];
      if (typeof v === 'string' && /^CWE-\d+$/.test(v)) out.add(v);
    }
  }
  return [...out];
}

/** The CVE id of an element, for error messages, when it has one. */
export function nvdElementId(element: unknown): string | null {
  const cve = isObject(element) && isObject(element['cve']) ? element['cve'] : element;
  return isObject(cve) && typeof cve['id'] === 'string' ? cve['id'].slice(0, 64) : null;
}

/** Parses one NVD record: an API element `{cve: {…}}` or the bare `cve` object. */
export function parseNvdCve(element: unknown): { ok: true; value: VulnRecord } | { ok: false; error: string } {
  return parseShape(() => {
    if (!isObject(element)) throw new FeedShapeError('not an object');
    const cve = isObject(element['cve']) ? element['cve'] : element;
    const id = stringAt(cve, 'id', '');
    if (!CVE_ID.test(id)) throw new FeedShapeError(`id '${id}' is not a CVE id`);
    return {
      id,
      source: 'nvd' as const,
      status: optString(cve, 'vulnStatus', ''),
      published: optString(cve, 'published', ''),
      last_modified: stringAt(cve, 'lastModified', ''),
      description: englishText(objectsAt(cve, 'descriptions', ''), 'descriptions[].'),
      cwes: parseCwes(cve),
      configurations: parseConfigurations(cve),
      affected: [],
      cvss: parseMetrics(cve),
      cisa_exploit_add: optString(cve, 'cisaExploitAdd', ''),
    };
  });
}
