/**
 * CISA Known Exploited Vulnerabilities catalog entries (https://www.cisa.gov/known-exploited-vulnerabilities-catalog;
 * schema known_exploited_vulnerabilities_schema.json, catalogVersion/dateReleased/count/vulnerabilities[]), from the
 * JSON form (one element of `vulnerabilities`) or the CSV form (same columns, `cwes` as "CWE-59, CWE-436").
 * Required: cveID, vendorProject, product, dateAdded (YYYY-MM-DD).
 */
import { CVE_ID, type KevRecord } from './feed-records.js';
import { FeedShapeError, isObject, optString, parseShape, stringAt, type JsonObject } from './json-shape.js';

/** The KEV CSV header columns this reader needs (the catalog's own names). */
export const KEV_CSV_COLUMNS = ['cveID', 'vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate', 'knownRansomwareCampaignUse', 'notes', 'cwes'] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function fromObject(o: JsonObject): KevRecord {
  const cve = stringAt(o, 'cveID', '');
  if (!CVE_ID.test(cve)) throw new FeedShapeError(`cveID '${cve}' is not a CVE id`);
  const added = stringAt(o, 'dateAdded', '');
  if (!DATE.test(added)) throw new FeedShapeError(`dateAdded '${added}' is not YYYY-MM-DD`);
  const cw = o['cwes'];
  const cwes = Array.isArray(cw) ? cw.filter((c): c is string => typeof c === 'string')
    : typeof cw === 'string' ? cw.split(',').map((c) => c.trim()).filter((c) => c !== '') : [];
  return {
    cve_id: cve,
    vendor_project: stringAt(o, 'vendorProject', ''),
    product: stringAt(o, 'product', ''),
    vulnerability_name: optString(o, 'vulnerabilityName', ''),
    date_added: added,
    short_description: optString(o, 'shortDescription', ''),
    required_action: optString(o, 'requiredAction', ''),
    due_date: optString(o, 'dueDate', ''),
    known_ransomware_campaign_use: optString(o, 'knownRansomwareCampaignUse', ''),
    notes: optString(o, 'notes', ''),
    cwes,
  };
}

/** Parses one element of the JSON catalog's `vulnerabilities` array. */
export function parseKevEntry(element: unknown): { ok: true; value: KevRecord } | { ok: false; error: string } {
  return parseShape(() => {
    if (!isObject(element)) throw new FeedShapeError('not an object');
    return fromObject(element);
  });
}

/** Parses one CSV row given the header row. */
export function parseKevCsvRow(header: readonly string[], fields: readonly string[]): { ok: true; value: KevRecord } | { ok: false; error: string } {
  if (fields.length !== header.length) return { ok: false, error: `${fields.length} fields, header has ${header.length}` };
  const o: JsonObject = {};
  header.forEach((h, i) => {
    o[h] = fields[i] === '' ? null : fields[i];
  });
  return parseShape(() => fromObject(o));
}

/** Whether a CSV header row is the KEV catalog's. */
export function isKevCsvHeader(fields: readonly string[]): boolean {
  return ['cveID', 'vendorProject', 'product', 'dateAdded'].every((c) => fields.includes(c));
}
