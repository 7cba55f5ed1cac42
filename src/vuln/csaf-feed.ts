/**
 * CSAF 2.0 security advisories (OASIS CSAF v2.0, §3.1.2 document, §3.1.3 product_tree, §3.1.5 vulnerabilities)
 * → a CsafAdvisory: every product of the product tree (branches walked to their leaves — vendor → product_name →
 * product_version / product_version_range — plus full_product_names and relationships) with its vendor, product
 * name, version text and full name; each vulnerability's product_status (§3.2.3.9), remediations (§3.2.3.12),
 * CVSS scores (§3.2.3.13) and notes. CISA's ICS/ICSMA advisories carry no CPEs and free-text versions such as
 * `<= 4.2` or `4.X | 5.X` (see csaf-versions.ts). A vulnerability whose product references are undefined
 * (CSAF §6.1.1) or whose shape is wrong is reported and skipped; the rest of the advisory is kept.
 */
import { CVE_ID, type CsafAdvisory, type CsafProduct, type CsafVuln, type CvssVectorRecord } from './feed-records.js';
import {
  FeedShapeError, arrayAt, isObject, objectAt, objectsAt, optString, parseShape, stringAt, type JsonObject,
} from './json-shape.js';

/** At most this many products per advisory, and branch depth (CSAF §3.1.3.2 recommends ≤ 30 levels). */
export const MAX_CSAF_PRODUCTS = 65536;
const MAX_BRANCH_DEPTH = 30;

const STATUS_KEYS = ['first_affected', 'first_fixed', 'fixed', 'known_affected', 'known_not_affected', 'last_affected', 'recommended', 'under_investigation'];

interface BranchPath {
  vendor: string | null;
  product_name: string | null;
}

function productOf(p: JsonObject, path: string, where: BranchPath, version: { raw: string | null; category: string | null }): CsafProduct {
  const helper = p['product_identification_helper'];
  return {
    product_id: stringAt(p, 'product_id', path),
    vendor: where.vendor,
    product_name: where.product_name,
    version_raw: version.raw,
    version_category: version.category,
    full_name: stringAt(p, 'name', path),
    cpe: isObject(helper) ? optString(helper, 'cpe', `${path}product_identification_helper.`) : null,
  };
}

function walkBranches(branches: JsonObject[], path: string, where: BranchPath, depth: number, out: CsafProduct[]): void {
  if (depth > MAX_BRANCH_DEPTH) throw new FeedShapeError(`${path}: branches deeper than ${MAX_BRANCH_DEPTH}`);
  branches.forEach((b, i) => {
    const bp = `${path}branches[${i}].`;
    const category = stringAt(b, 'category', bp);
    const name = stringAt(b, 'name', bp);
    const here: BranchPath = {
      vendor: category === 'vendor' ? name : where.vendor,
      product_name: category === 'product_name' || (category === 'product_family' && where.product_name === null) ? name : where.product_name,
    };
    if (isObject(b['product'])) {
      const isVersion = category === 'product_version' || category === 'product_version_range';
      out.push(productOf(b['product'], `${bp}product.`, here, { raw: isVersion ? name : null, category: isVersion ? category : null }));
    }
    walkBranches(objectsAt(b, 'branches', bp), bp, here, depth + 1, out);
    if (out.length > MAX_CSAF_PRODUCTS) throw new FeedShapeError(`more than ${MAX_CSAF_PRODUCTS} products`);
  });
}

function parseProducts(tree: JsonObject): CsafProduct[] {
  const out: CsafProduct[] = [];
  walkBranches(objectsAt(tree, 'branches', 'product_tree.'), 'product_tree.', { vendor: null, product_name: null }, 0, out);
  const none = { raw: null, category: null };
  objectsAt(tree, 'full_product_names', 'product_tree.').forEach((p, i) => out.push(productOf(p, `product_tree.full_product_names[${i}].`, { vendor: null, product_name: null }, none)));
  const byId = new Map(out.map((p) => [p.product_id, p]));
  objectsAt(tree, 'relationships', 'product_tree.').forEach((r, i) => {
    const rp = `product_tree.relationships[${i}].`;
    const component = byId.get(stringAt(r, 'product_reference', rp));
    const fp = objectAt(r, 'full_product_name', rp);
    // "X installed on / default component of Y": the product a device would be identified as is the component X
    const p = productOf(fp, `${rp}full_product_name.`, { vendor: component?.vendor ?? null, product_name: component?.product_name ?? null },
      { raw: component?.version_raw ?? null, category: component?.version_category ?? null });
    out.push(p);
  });
  return out;
}

function parseScores(v: JsonObject, path: string, known: Set<string>): { vector: CvssVectorRecord; product_ids: string[] }[] {
  const out: { vector: CvssVectorRecord; product_ids: string[] }[] = [];
  objectsAt(v, 'scores', path).forEach((s, i) => {
    const sp = `${path}scores[${i}].`;
    const ids = productIds(s, 'products', sp, known);
    for (const key of ['cvss_v3', 'cvss_v2']) {
      const c = s[key];
      if (!isObject(c)) continue;
      const vector = stringAt(c, 'vectorString', `${sp}${key}.`);
      const score = c['baseScore'];
      out.push({
        vector: { version: optString(c, 'version', `${sp}${key}.`) ?? (key === 'cvss_v2' ? '2.0' : ''), vector, base_score: typeof score === 'number' ? score : null,
          base_severity: optString(c, 'baseSeverity', `${sp}${key}.`), scorer: null, type: null },
        product_ids: ids,
      });
    }
  });
  return out;
}

function productIds(o: JsonObject, k: string, path: string, known: Set<string>): string[] {
  return arrayAt(o, k, path).map((id, i) => {
    if (typeof id !== 'string') throw new FeedShapeError(`${path}${k}[${i}]: not a string`);
    if (!known.has(id)) throw new FeedShapeError(`${path}${k}[${i}]: product_id '${id}' is not defined in the product tree`);
    return id;
  });
}

function parseVuln(v: JsonObject, advisory: string, index: number, known: Set<string>): CsafVuln {
  const cve = optString(v, 'cve', '');
  if (cve !== null && !CVE_ID.test(cve)) throw new FeedShapeError(`cve '${cve}' is not a CVE id`);
  const status: Record<string, string[]> = {};
  const ps = v['product_status'];
  if (isObject(ps)) {
    for (const k of STATUS_KEYS) {
      const ids = productIds(ps, k, 'product_status.', known);
      if (ids.length > 0) status[k] = ids;
    }
  }
  const cwe = v['cwe'];
  return {
    vuln_id: cve ?? `${advisory}#${index + 1}`,
    title: optString(v, 'title', ''),
    cwe: isObject(cwe) ? optString(cwe, 'id', 'cwe.') : null,
    notes: objectsAt(v, 'notes', '').map((n, i) => ({ category: stringAt(n, 'category', `notes[${i}].`), title: optString(n, 'title', `notes[${i}].`), text: stringAt(n, 'text', `notes[${i}].`) })),
    product_status: status,
    remediations: objectsAt(v, 'remediations', '').map((r, i) => {
      const rp = `remediations[${i}].`;
      return { category: stringAt(r, 'category', rp), details: stringAt(r, 'details', rp), url: optString(r, 'url', rp), product_ids: productIds(r, 'product_ids', rp, known) };
    }),
    cvss: parseScores(v, '', known).map((s) => ({ ...s, vector: { ...s.vector, scorer: advisory } })),
  };
}

/** A parsed advisory, with the vulnerabilities that had to be skipped. */
export interface CsafParse {
  advisory: CsafAdvisory;
  skipped: { index: number; id: string | null; error: string }[];
}

/** Parses one CSAF 2.0 document. */
export function parseCsaf(doc: unknown): { ok: true; value: CsafParse } | { ok: false; error: string } {
  return parseShape(() => {
    if (!isObject(doc)) throw new FeedShapeError('not an object');
    const document = objectAt(doc, 'document', '');
    const version = stringAt(document, 'csaf_version', 'document.');
    if (version !== '2.0') throw new FeedShapeError(`document.csaf_version '${version}' is not 2.0`);
    const tracking = objectAt(document, 'tracking', 'document.');
    const id = stringAt(tracking, 'id', 'document.tracking.');
    const publisher = document['publisher'];
    const summary = objectsAt(document, 'notes', 'document.').find((n) => n['category'] === 'summary');
    const products = isObject(doc['product_tree']) ? parseProducts(doc['product_tree']) : [];
    const known = new Set(products.map((p) => p.product_id));
    const vulnerabilities: CsafVuln[] = [];
    const skipped: CsafParse['skipped'] = [];
    arrayAt(doc, 'vulnerabilities', '').forEach((v, i) => {
      const r = parseShape(() => {
        if (!isObject(v)) throw new FeedShapeError('not an object');
        return parseVuln(v, id, i, known);
      });
      if (r.ok) vulnerabilities.push(r.value);
      else skipped.push({ index: i, id: isObject(v) && typeof v['cve'] === 'string' ? v['cve'] : null, error: `vulnerabilities[${i}].${r.error}` });
    });
    return {
      advisory: {
        id,
        title: stringAt(document, 'title', 'document.'),
        publisher: isObject(publisher) ? optString(publisher, 'name', 'document.publisher.') : null,
        initial_release_date: optString(tracking, 'initial_release_date', 'document.tracking.'),
        current_release_date: stringAt(tracking, 'current_release_date', 'document.tracking.'),
        revision: optString(tracking, 'version', 'document.tracking.'),
        summary: summary ? optString(summary, 'text', 'document.notes[].') : null,
        products,
        vulnerabilities,
      },
      skipped,
    };
  });
}
