/**
 * The normalised records every feed parser produces and the vulnerability store keeps: one shape for NVD and
 * CVE 5 vulnerabilities (configurations from NVD, affected products from CVE 5), CISA KEV entries and CSAF
 * advisories. Field names follow the store's snake_case columns.
 */

/** A CVSS vector as published, with who scored it. */
export interface CvssVectorRecord {
  version: string;
  vector: string;
  /** The base score the feed states (kept as given; our own score comes from cvss.ts). */
  base_score: number | null;
  base_severity: string | null;
  /** Who scored it: NVD `source` (nvd@nist.gov or a CNA id), CVE 5 `cna`/`adp:<short name>`, CSAF `cisa`. */
  scorer: string | null;
  /** NVD `type`: Primary or Secondary. */
  type: string | null;
}

/** NVD version-range bounds of a cpeMatch (each optional). */
export interface RangeBounds {
  version_start_including: string | null;
  version_start_excluding: string | null;
  version_end_including: string | null;
  version_end_excluding: string | null;
}

/** One NVD cpeMatch: a criteria CPE (may have ANY version and a range), and whether it is the vulnerable part. */
export interface CpeMatchRecord extends RangeBounds {
  vulnerable: boolean;
  criteria: string;
  match_criteria_id: string | null;
}

/** One NVD configuration node: cpeMatch entries joined by AND/OR, optionally negated. */
export interface ConfigNodeRecord {
  operator: 'AND' | 'OR';
  negate: boolean;
  matches: CpeMatchRecord[];
}

/** One NVD configuration: nodes joined by AND/OR (an AND of a vulnerable node and a running-on platform node). */
export interface ConfigurationRecord {
  operator: 'AND' | 'OR';
  negate: boolean;
  nodes: ConfigNodeRecord[];
}

/** An affected (or unaffected/fixed) product with its versions, from CVE 5 `affected` or a CSAF product status. */
export interface AffectedRecord {
  vendor: string;
  product: string;
  /** CSAF: the full product name; CVE 5: vendor + product. */
  full_name: string;
  /** CSAF product_id; CVE 5: `affected[i]`. */
  product_ref: string;
  /** CVE 5: affected | unaffected | unknown; CSAF: known_affected, fixed, known_not_affected, … */
  status: string;
  /** The version text as published (CVE 5 `version`, CSAF branch name). */
  version_raw: string | null;
  /** CVE 5 `lessThan` / `lessThanOrEqual` and `versionType`. */
  less_than: string | null;
  less_than_or_equal: string | null;
  version_type: string | null;
  /** CVE 5 `defaultStatus` of the product. */
  default_status: string | null;
  /** CPEs the record names for this product, if any. */
  cpes: string[];
}

/** A vulnerability as one source describes it. */
export interface VulnRecord {
  id: string;
  source: 'nvd' | 'cve5';
  /** NVD vulnStatus or CVE 5 state. */
  status: string | null;
  published: string | null;
  last_modified: string;
  description: string | null;
  cwes: string[];
  configurations: ConfigurationRecord[];
  affected: AffectedRecord[];
  cvss: CvssVectorRecord[];
  /** NVD's copy of the KEV date added (`cisaExploitAdd`), if any. */
  cisa_exploit_add: string | null;
}

/** One CISA KEV catalog entry. */
export interface KevRecord {
  cve_id: string;
  vendor_project: string;
  product: string;
  vulnerability_name: string | null;
  date_added: string;
  short_description: string | null;
  required_action: string | null;
  due_date: string | null;
  known_ransomware_campaign_use: string | null;
  notes: string | null;
  cwes: string[];
}

/** One product of a CSAF product tree. */
export interface CsafProduct {
  product_id: string;
  vendor: string | null;
  product_name: string | null;
  /** The version branch name as published (`<= 4.2`, `4.X | 5.X`, `v8.x model 35700BAX2`). */
  version_raw: string | null;
  /** product_version or product_version_range (null when the product has no version branch). */
  version_category: string | null;
  full_name: string;
  cpe: string | null;
}

/** A CSAF remediation. */
export interface CsafRemediation {
  category: string;
  details: string;
  url: string | null;
  product_ids: string[];
}

/** One vulnerability of a CSAF advisory. */
export interface CsafVuln {
  /** The CVE id, or `<advisory>#<n>` when the vulnerability has none. */
  vuln_id: string;
  title: string | null;
  cwe: string | null;
  notes: { category: string; title: string | null; text: string }[];
  product_status: Record<string, string[]>;
  remediations: CsafRemediation[];
  cvss: { vector: CvssVectorRecord; product_ids: string[] }[];
}

/** A CSAF 2.0 advisory. */
export interface CsafAdvisory {
  id: string;
  title: string;
  publisher: string | null;
  initial_release_date: string | null;
  current_release_date: string;
  revision: string | null;
  summary: string | null;
  products: CsafProduct[];
  vulnerabilities: CsafVuln[];
}

/** The CVE id pattern (CVE JSON 5 schema `cveId`). */
export const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
