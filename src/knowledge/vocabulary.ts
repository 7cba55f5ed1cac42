/**
 * The closed vocabularies the knowledge base writes into the inventory: device categories (DESIGN §3) and the
 * attributes fingerprint rules may derive. Rule files using anything else are rejected by the loader.
 */

/** Device categories (DESIGN §3): medical first, then IT/IoT. Extend with care — risk defaults key on them. */
export const DEVICE_CATEGORIES = [
  'patient-monitor', 'central-station', 'telemetry', 'infusion-pump', 'ventilator', 'anesthesia', 'dialysis', 'defibrillator',
  'imaging-ct', 'imaging-mr', 'imaging-xray', 'imaging-us', 'imaging-nm', 'mammography', 'pacs', 'imaging-workstation',
  'lab-analyzer', 'poc-analyzer', 'medication-dispensing', 'nurse-call', 'hl7-interface-engine', 'medical-other',
  'workstation', 'server', 'printer', 'ip-camera', 'voip-phone', 'network-infrastructure', 'building-automation', 'mobile',
  'iot-other', 'unknown',
] as const;

/** One device category. */
export type DeviceCategory = (typeof DEVICE_CATEGORIES)[number];

const CATEGORY_SET: ReadonlySet<string> = new Set(DEVICE_CATEGORIES);

/** True when `c` is in the DESIGN §3 vocabulary. */
export function isDeviceCategory(c: string): c is DeviceCategory {
  return CATEGORY_SET.has(c);
}

/**
 * Attributes a rule may produce. `software` values are `name` or `name/version` (split at the first '/'); the
 * others are single values whose winner becomes the device column of the same name.
 */
export const DERIVED_ATTRIBUTES = ['vendor', 'model', 'category', 'os', 'os_version', 'software'] as const;

/** One derivable attribute. */
export type DerivedAttribute = (typeof DERIVED_ATTRIBUTES)[number];

/** The derived attributes with one winning value per device (all but `software`, which is a list). */
export const SINGLE_VALUED_ATTRIBUTES = ['vendor', 'model', 'category', 'os', 'os_version'] as const;

/** One single-valued derived attribute (a column of `devices`). */
export type SingleValuedAttribute = (typeof SINGLE_VALUED_ATTRIBUTES)[number];

const DERIVED_SET: ReadonlySet<string> = new Set(DERIVED_ATTRIBUTES);

/** True when `a` may be derived by a rule. */
export function isDerivedAttribute(a: string): a is DerivedAttribute {
  return DERIVED_SET.has(a);
}
