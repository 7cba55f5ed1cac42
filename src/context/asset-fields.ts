/**
 * The fields medtap reads from an asset register (CMMS / CMDB export), how each value is checked and normalised,
 * and the column mapping: register column name → medtap field. Without a mapping file, common header names are
 * recognised (case, spaces and punctuation ignored: "MAC Address", "mac_address" and "MAC-Address" are the same).
 */
import { isIP } from 'node:net';

/** Every field of an asset record, in display order. */
export const ASSET_FIELDS = [
  'asset_tag', 'serial', 'udi', 'mac', 'ip', 'hostname', 'vendor', 'model', 'device_type', 'department', 'room', 'site', 'owner',
  'managed_by', 'security_access', 'backup', 'fda_class', 'clinical_criticality',
] as const;

/** One asset field. */
export type AssetField = (typeof ASSET_FIELDS)[number];

/** An asset as read from one row: only the fields present and non-empty, normalised. */
export type AssetValues = Partial<Record<AssetField, string>>;

/** Longest value kept for any field. */
export const MAX_ASSET_VALUE_CHARS = 256;

/** Who manages a device (normalised `managed_by` values). */
export const MANAGED_BY = ['clinical-engineering', 'it', 'vendor', 'contractor'] as const;

/**
 * Header names recognised without a mapping file (compared after `headerKey`). "Device Name" is deliberately not a
 * host name: in CMMS exports it is usually a description ("Patient Monitor"), which would refuse the row.
 */
const DEFAULT_HEADERS: Record<AssetField, readonly string[]> = {
  asset_tag: ['assettag', 'tag', 'assetid', 'assetnumber', 'assetno', 'equipmentid', 'equipmentnumber', 'controlnumber', 'cmmsid'],
  serial: ['serial', 'serialnumber', 'serialno', 'sn'],
  udi: ['udi', 'udidi', 'deviceidentifier', 'uniquedeviceidentifier'],
  mac: ['mac', 'macaddress', 'ethernetaddress', 'hardwareaddress'],
  ip: ['ip', 'ipaddress', 'ipv4', 'ipv4address', 'ipv6address'],
  hostname: ['hostname', 'host', 'networkname', 'dnsname', 'computername', 'fqdn'],
  vendor: ['vendor', 'manufacturer', 'make', 'mfr'],
  model: ['model', 'modelnumber', 'modelname'],
  device_type: ['devicetype', 'type', 'equipmenttype', 'assettype', 'category', 'devicecategory'],
  department: ['department', 'dept', 'costcenter', 'unit', 'ward'],
  room: ['room', 'location', 'roomlocation', 'bed', 'area'],
  site: ['site', 'facility', 'campus', 'building'],
  owner: ['owner', 'contact', 'pointofcontact', 'poc', 'responsible', 'custodian'],
  managed_by: ['managedby', 'supportedby', 'support', 'maintainedby', 'servicedby'],
  security_access: ['securityaccess', 'securityteamaccess', 'securityteamhasaccess'],
  backup: ['backup', 'redundancy', 'backupredundancy', 'backuporredundancy', 'hasbackup'],
  fda_class: ['fdaclass', 'fdaclassoverride', 'deviceclass', 'regulatoryclass'],
  clinical_criticality: ['clinicalcriticality', 'criticality', 'riskclass', 'clinicalrisk', 'missioncriticality'],
};

/** A header name reduced for comparison: lower case, letters and digits only. */
export function headerKey(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Medtap field of a register column with the default header names, or null. */
export function defaultFieldOf(header: string): AssetField | null {
  const k = headerKey(header);
  for (const f of ASSET_FIELDS) if (DEFAULT_HEADERS[f].includes(k)) return f;
  return null;
}

/** True when `s` names an asset field. */
export function isAssetField(s: string): s is AssetField {
  return (ASSET_FIELDS as readonly string[]).includes(s);
}

/**
 * A column mapping from a mapping file: `{ "<register column>": "<medtap field>" | null }` (null ignores the
 * column). Columns it does not name fall back to the default header names. Returns an error text when invalid.
 */
export function parseMapping(json: unknown): Map<string, AssetField | null> | string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'a mapping must be a JSON object { "register column": "medtap field" }';
  const out = new Map<string, AssetField | null>();
  for (const [column, field] of Object.entries(json as Record<string, unknown>)) {
    if (field !== null && (typeof field !== 'string' || !isAssetField(field))) {
      return `column '${column}': '${String(field)}' is not a medtap field (one of ${ASSET_FIELDS.join(', ')}, or null to ignore it)`;
    }
    out.set(headerKey(column), field);
  }
  return out;
}

/** The field a register column maps to under `mapping` (then the defaults), or null when ignored. */
export function fieldOf(header: string, mapping: ReadonlyMap<string, AssetField | null>): AssetField | null {
  const k = headerKey(header);
  return mapping.has(k) ? mapping.get(k)! : defaultFieldOf(header);
}

/** A normalised value, or the reason it is refused. */
export type Checked = { ok: true; value: string } | { ok: false; why: string };

const ok = (value: string): Checked => ({ ok: true, value });
const bad = (why: string): Checked => ({ ok: false, why });

/** MAC in any common notation (aa:bb:.., aa-bb-.., aabb.ccdd.eeff, aabbccddeeff) → lower-case colon form. */
function checkMac(v: string): Checked {
  const hex = v.toLowerCase().replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex) || !/^([0-9a-f]{2}([:-]?)){5}[0-9a-f]{2}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/i.test(v)) {
    return bad(`'${v}' is not a MAC address (expected six hex octets, e.g. 00:09:fb:4c:11:27)`);
  }
  return ok(hex.match(/../g)!.join(':'));
}

function checkIp(v: string): Checked {
  return isIP(v) === 0 ? bad(`'${v}' is not an IPv4 or IPv6 address`) : ok(v.toLowerCase());
}

function checkFdaClass(v: string): Checked {
  const m = /^(?:fda\s*)?(?:class\s*)?(i{1,3}|[123])$/i.exec(v);
  if (!m) return bad(`'${v}' is not an FDA device class (I, II or III)`);
  const c = m[1]!.toUpperCase();
  return ok(c === '1' ? 'I' : c === '2' ? 'II' : c === '3' ? 'III' : c);
}

function checkYesNo(v: string): Checked {
  const k = v.toLowerCase();
  if (['yes', 'y', 'true', '1', 'x'].includes(k)) return ok('yes');
  if (['no', 'n', 'false', '0', 'none'].includes(k)) return ok('no');
  return bad(`'${v}' is not yes or no`);
}

const MANAGED_BY_WORDS: Record<string, (typeof MANAGED_BY)[number]> = {
  clinicalengineering: 'clinical-engineering', ce: 'clinical-engineering', biomed: 'clinical-engineering', biomedical: 'clinical-engineering',
  biomedicalengineering: 'clinical-engineering', htm: 'clinical-engineering', it: 'it', informationtechnology: 'it', itservices: 'it',
  vendor: 'vendor', manufacturer: 'vendor', oem: 'vendor', contractor: 'contractor', thirdparty: 'contractor', isp: 'contractor',
};

function checkManagedBy(v: string): Checked {
  const m = MANAGED_BY_WORDS[headerKey(v)];
  return m ? ok(m) : bad(`'${v}' is not one of clinical engineering, IT, vendor, contractor`);
}

function checkCriticality(v: string): Checked {
  const k = v.toLowerCase().trim();
  const known = ['life-support', 'critical', 'high', 'medium', 'low', 'none'];
  if (known.includes(k)) return ok(k);
  const n = Number(k);
  if (Number.isInteger(n) && n >= 1 && n <= 5) return ok(k);
  return bad(`'${v}' is not a criticality (life-support, critical, high, medium, low, none, or 1-5)`);
}

const CHECKERS: Partial<Record<AssetField, (v: string) => Checked>> = {
  mac: checkMac, ip: checkIp, fda_class: checkFdaClass, security_access: checkYesNo, backup: checkYesNo, managed_by: checkManagedBy,
  clinical_criticality: checkCriticality,
  hostname: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) ? ok(v.toLowerCase()) : bad(`'${v}' is not a host name`)),
};

/**
 * Checks and normalises one value of a field: white space runs (line breaks of a multi-line cell included) become
 * one space; other control characters and over-long values are refused.
 */
export function checkValue(field: AssetField, raw: string): Checked {
  const v = raw.replace(/\s+/g, ' ').trim();
  if (v.length > MAX_ASSET_VALUE_CHARS) return bad(`value longer than ${MAX_ASSET_VALUE_CHARS} characters`);
  if (/[\u0000-\u001f\u007f]/.test(v)) return bad('value contains control characters');
  const check = CHECKERS[field];
  return check ? check(v) : ok(v);
}

/** Fields that identify an asset, in the order its stable key is taken from. */
export const IDENTIFYING_FIELDS = ['asset_tag', 'serial', 'udi', 'mac', 'hostname', 'ip'] as const satisfies readonly AssetField[];

/** The stable key of an asset (`tag:…`, `serial:…`, …), from its first identifying field; null when it has none. */
export function assetKey(a: AssetValues): string | null {
  for (const f of IDENTIFYING_FIELDS) {
    const v = a[f];
    if (v !== undefined) return `${f}:${f === 'asset_tag' || f === 'serial' || f === 'udi' ? v.toUpperCase() : v}`;
  }
  return null;
}
