/**
 * From a device's attributes to what vulnerability records can be matched against: CPE vendor names (vendor
 * rules of data/vuln/cpe-aliases.tsv, else the first word of the vendor name), candidate CPE names from the
 * os / software / product rules (with the version read from the attribute text or a version attribute), and the
 * device's version attributes. Also the product-name comparison used for NVD products, CSAF product names and
 * CVE 5 products (token overlap after dropping vendor and generic words). Every candidate says which attribute
 * and which rule produced it, and how sure it is (rule confidence × attribute confidence).
 */
import { ANY, cpeLiteral, type CpeName } from './cpe.js';
import { foldText, matchAliases, type AliasTable } from './cpe-aliases.js';

/** A device attribute as the inventory stores it (name, value, provenance). */
export interface DeviceAttribute {
  name: string;
  value: string;
  /** 0..1 (default 1). */
  confidence?: number;
  source?: string | null;
}

/** Attribute names read for each purpose. */
export const ATTRIBUTE_ROLES = {
  vendor: ['vendor', 'dicom_manufacturer', 'manufacturer'],
  os: ['os'],
  software: ['software', 'smb_dialect', 'http_server', 'dicom_implementation_version'],
  product: ['model', 'dicom_model', 'product'],
  version: ['firmware_version', 'software_version', 'version', 'dicom_software_versions'],
  hardware_version: ['hardware_version'],
} as const;

/** A CPE vendor the device may be listed under. */
export interface VendorCandidate {
  cpeVendor: string;
  confidence: number;
  attribute: DeviceAttribute;
  rule: string | null;
}

/** A CPE name the device (or something running on it) may be. */
export interface CpeCandidate {
  cpe: CpeName;
  confidence: number;
  attribute: DeviceAttribute;
  /** The alias rule (`file:line`) or how the name was derived. */
  rule: string;
  /** Where the version came from (attribute name, `attribute text`, or the rule). */
  versionFrom: string | null;
}

function attrs(list: readonly DeviceAttribute[], names: readonly string[]): DeviceAttribute[] {
  return list.filter((a) => names.includes(a.name) && a.value.trim() !== '');
}

function conf(a: DeviceAttribute): number {
  return a.confidence ?? 1;
}

/** The device's version for its firmware/software (first present of ATTRIBUTE_ROLES.version), if any. */
export function deviceVersion(list: readonly DeviceAttribute[], role: 'version' | 'hardware_version' = 'version'): DeviceAttribute | null {
  for (const n of ATTRIBUTE_ROLES[role]) {
    const a = list.find((x) => x.name === n && x.value.trim() !== '');
    if (a) return a;
  }
  return null;
}

/** CPE vendors of the device, best first (vendor rules; else the vendor name's first word, confidence 0.3). */
export function vendorCandidates(list: readonly DeviceAttribute[], table: AliasTable): VendorCandidate[] {
  const out = new Map<string, VendorCandidate>();
  const add = (c: VendorCandidate): void => {
    const old = out.get(c.cpeVendor);
    if (!old || old.confidence < c.confidence) out.set(c.cpeVendor, c);
  };
  for (const a of attrs(list, ATTRIBUTE_ROLES.vendor)) {
    const rules = matchAliases(table, 'vendor', a.value);
    for (const r of rules) r.vendors.forEach((v, i) => add({ cpeVendor: v, confidence: r.confidence * conf(a) * (i === 0 ? 1 : 0.8), attribute: a, rule: r.where }));
    if (rules.length === 0) {
      const first = foldText(a.value).split(' ')[0];
      if (first && first.length > 1) add({ cpeVendor: first, confidence: 0.3 * conf(a), attribute: a, rule: null });
    }
  }
  return [...out.values()].sort((x, y) => y.confidence - x.confidence);
}

/** A version written after the matched words in the attribute text (`Microsoft-IIS/6.0`, `DCMTK 3.6.5`), if any. */
export function versionInText(text: string, phrase: string): string | null {
  const last = phrase.split(' ').pop()!;
  const lower = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const at = lower.indexOf(last);
  const rest = at < 0 ? text : text.slice(at + last.length);
  const m = /^[^0-9a-z]*?(?:^|[\s/:(-])(?:version\s*|v(?=\d))?(\d+(?:\.\d+)+[0-9a-z]*|\d+[a-z][0-9a-z]*)\b/i.exec(rest);
  return m ? m[1]! : null;
}

/** Candidate CPE names from the os, software and product rules. */
export function ruleCandidates(list: readonly DeviceAttribute[], table: AliasTable): CpeCandidate[] {
  const out: CpeCandidate[] = [];
  const version = deviceVersion(list);
  for (const kind of ['os', 'software', 'product'] as const) {
    for (const a of attrs(list, ATTRIBUTE_ROLES[kind])) {
      for (const r of matchAliases(table, kind, a.value)) {
        const cpe = { ...r.cpe! };
        let versionFrom: string | null = cpe.version.kind === 'any' ? null : 'rule';
        if (cpe.version.kind === 'any') {
          const inText = versionInText(a.value, r.phrase);
          if (inText !== null) {
            cpe.version = cpeLiteral(inText);
            versionFrom = `${a.name} text`;
          } else if (kind === 'product' && version) {
            cpe.version = cpeLiteral(version.value.trim());
            versionFrom = version.name;
          }
        }
        out.push({ cpe, confidence: r.confidence * conf(a), attribute: a, rule: r.where, versionFrom });
      }
    }
  }
  return out;
}

/** Words that say nothing about which product it is. */
const GENERIC_WORDS = new Set(['firmware', 'software', 'the', 'and', 'for', 'with', 'of', 'system', 'systems', 'series', 'device', 'devices', 'medical', 'inc', 'ltd', 'corp', 'co', 'gmbh', 'ag']);

/** The distinctive words of a product name (folded, minus generic words and the given vendor words). */
export function productWords(name: string, vendorWords: ReadonlySet<string> = new Set()): string[] {
  return [...new Set(foldText(name.replace(/_/g, ' ')).split(' ').filter((w) => w !== '' && !GENERIC_WORDS.has(w) && !vendorWords.has(w)))];
}

/**
 * How well a device's model text names a product: 1 when the distinctive words are the same; between 0.5 and 0.9
 * when one side's words are all in the other (a model "Alaris GS" and the product "alaris_gs_syringe_pump"),
 * scaled by the share of words in common; null when neither contains the other, or their plain numbers differ.
 */
export function productNameScore(model: string, product: string, vendorWords: ReadonlySet<string>): number | null {
  const m = productWords(model, vendorWords);
  const p = productWords(product, vendorWords);
  if (m.length === 0 || p.length === 0) return null;
  const ps = new Set(p);
  const ms = new Set(m);
  const common = m.filter((w) => ps.has(w)).length;
  if (common === 0) return null;
  // plain numbers tell models and generations apart (SpaceCom vs SpaceCom 2, Aestiva 7100 vs 7900): all must agree
  const nums = (list: string[]): string => list.filter((w) => /^\d+$/.test(w)).sort().join(' ');
  if (nums(m) !== nums(p)) return null;
  const jaccard = common / (ms.size + ps.size - common);
  if (common === ms.size && common === ps.size) return 1;
  if (common === ms.size) return 0.5 + 0.4 * jaccard; // the model's words are all in the product name
  if (common === ps.size) return 0.6 + 0.3 * jaccard; // the product name's words are all in the model text
  return null;
}

/** The folded words of the device's vendor names (to be ignored when comparing product names). */
export function vendorWordsOf(list: readonly DeviceAttribute[], vendors: readonly VendorCandidate[]): Set<string> {
  const s = new Set<string>();
  for (const a of attrs(list, ATTRIBUTE_ROLES.vendor)) for (const w of foldText(a.value).split(' ')) if (w) s.add(w);
  for (const v of vendors) for (const w of foldText(v.cpeVendor).split(' ')) if (w) s.add(w);
  return s;
}

/** A candidate for an NVD product found by name comparison (part ANY, version from the version attribute). */
export function productCandidate(vendor: VendorCandidate, product: string, score: number, model: DeviceAttribute,
  version: DeviceAttribute | null, hardware: boolean): CpeCandidate {
  const cpe: CpeName = { part: ANY, vendor: cpeLiteral(vendor.cpeVendor), product: cpeLiteral(product), version: ANY, update: ANY, edition: ANY, language: ANY, sw_edition: ANY, target_sw: ANY, target_hw: ANY, other: ANY };
  if (version) cpe.version = cpeLiteral(version.value.trim());
  return {
    cpe, confidence: vendor.confidence * score * conf(model), attribute: model,
    rule: `model '${model.value}' ~ product '${product}' (${score.toFixed(2)}), vendor via ${vendor.rule ?? `'${vendor.attribute.value}'`}`,
    versionFrom: version ? `${version.name}${hardware ? ' (hardware)' : ''}` : null,
  };
}
