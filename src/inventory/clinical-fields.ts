/**
 * The clinical fields of a device record (issue 4 item 7, DESIGN §3), computed from its winning category and its
 * attributes when the record is assembled — nothing extra is stored, so they follow every re-identification and
 * every change of data/categories/categories.tsv:
 * - `is_medical`, `fda_regulation`, `fda_class` from the category's defaults; an FDA class in the asset register
 *   (attribute `fda_class`, source asset_register) overrides the default class (`fda_class_source` says which);
 * - `category_confidence`: the combined confidence of the winning category;
 * - `serials`, `udi`: device serial numbers and UDIs as the traffic (HL7 PRT/OBX-18, POCT1-A Hello) or the register
 *   stated them — a UDI's device identifier names the specific device model, stronger than any category default;
 * - `phi_kinds`: the kinds of patient data the device was seen handling (`protocol:kind`), never values.
 */
import { categoryDefaults, type FdaClass } from '../knowledge/categories.js';
import { type AttributeRow, DERIVED_SOURCE } from './sqlite-store.js';

/** A value stated about the device, with its provenance. */
export interface StatedValue {
  value: string;
  source: string;
  confidence: number;
}

/** A UDI or UDI device identifier stated about the device. */
export interface UdiRecord extends StatedValue {
  /** `carrier`: the whole UDI as sent (DI + production identifiers); `device_identifier`: the DI alone (PRT-16, parsed UDI). */
  kind: 'carrier' | 'device_identifier';
}

/** The clinical fields of a device record. */
export interface ClinicalFields {
  is_medical: boolean;
  category_confidence: number | null;
  fda_class: FdaClass | null;
  fda_class_source: 'asset_register' | 'category_default' | null;
  fda_regulation: string | null;
  serials: StatedValue[];
  udi: UdiRecord[];
  phi_kinds: string[];
}

/** Attribute names holding serial numbers (collectors: device_serial; asset register: serial_number). */
const SERIAL_ATTRIBUTES = new Set(['device_serial', 'serial_number']);
/** Source of asset register attributes (src/context/asset-store.ts ASSET_SOURCE). */
const REGISTER_SOURCE = 'asset_register';
const FDA_CLASSES = new Set(['I', 'II', 'III']);

/** Distinct (value, source) pairs of the attributes `pick` selects, strongest first. */
function stated(attrs: readonly AttributeRow[], pick: (a: AttributeRow) => boolean): StatedValue[] {
  const seen = new Set<string>();
  const out: StatedValue[] = [];
  for (const a of [...attrs].sort((x, y) => y.confidence - x.confidence)) {
    if (!pick(a) || a.source === DERIVED_SOURCE || seen.has(`${a.value}\u0000${a.source}`)) continue;
    seen.add(`${a.value}\u0000${a.source}`);
    out.push({ value: a.value, source: a.source, confidence: a.confidence });
  }
  return out;
}

/** The clinical fields of a device whose winning category is `category`. */
export function clinicalFields(category: string | null, attrs: readonly AttributeRow[]): ClinicalFields {
  const d = category === null ? null : categoryDefaults(category);
  const winning = attrs.filter((a) => a.name === 'category' && a.value === category).sort((x, y) => (x.source === DERIVED_SOURCE ? -1 : 0) - (y.source === DERIVED_SOURCE ? -1 : 0) || y.confidence - x.confidence)[0];
  const register = attrs.find((a) => a.name === 'fda_class' && a.source === REGISTER_SOURCE && FDA_CLASSES.has(a.value));
  const fdaClass = register ? (register.value as FdaClass) : d?.fda_class ?? null;
  return {
    is_medical: d?.medical ?? false,
    category_confidence: winning?.confidence ?? null,
    fda_class: fdaClass,
    fda_class_source: register ? 'asset_register' : fdaClass !== null ? 'category_default' : null,
    fda_regulation: d?.regulation ?? null,
    serials: stated(attrs, (a) => SERIAL_ATTRIBUTES.has(a.name)),
    udi: [
      ...stated(attrs, (a) => a.name === 'udi').map((s) => ({ ...s, kind: 'carrier' as const })),
      ...stated(attrs, (a) => a.name === 'udi_device_identifier').map((s) => ({ ...s, kind: 'device_identifier' as const })),
    ],
    phi_kinds: [...new Set(attrs.filter((a) => a.name === 'phi_kind').map((a) => `${a.source}:${a.value}`))].sort(),
  };
}
