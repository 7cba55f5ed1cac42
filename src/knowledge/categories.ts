/**
 * Clinical defaults per device category (data/categories/categories.tsv): whether the category is medical, its FDA
 * classification regulation and class, whether it sustains life or delivers therapy, its typical PHI role and how
 * much losing it disrupts care. The risk model (DESIGN §4) starts from these; a device's own evidence (asset
 * register FDA class, observed PHI, redundancy) overrides them. Strict loader: every vocabulary category exactly
 * once, errors name `file:line`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataLines, unique } from './tsv-data.js';
import { DEVICE_CATEGORIES, type DeviceCategory, isDeviceCategory } from './vocabulary.js';

/** The categories file (this module compiles to dist/src/knowledge/). */
export const CATEGORIES_FILE = fileURLToPath(new URL('../../../data/categories/categories.tsv', import.meta.url));

/** FDA device class (21 CFR 860.3). */
export type FdaClass = 'I' | 'II' | 'III';
/** Three-level impact (DESIGN §4). */
export type Level = 'low' | 'medium' | 'high';
/** Typical PHI role of a category. */
export type PhiRole = 'none' | 'single' | 'many';

/** The defaults of one category. */
export interface CategoryDefaults {
  category: DeviceCategory;
  medical: boolean;
  /** 21 CFR section, e.g. "880.5725"; null when no single regulation applies. */
  regulation: string | null;
  /** null when no single class applies or the product is not a device. */
  fda_class: FdaClass | null;
  life_supporting: boolean;
  therapy: boolean;
  phi_role: PhiRole;
  disruption: Level;
  note: string;
  /** Where it was defined (file:line). */
  rule: string;
}

const FDA_CLASSES = new Set(['I', 'II', 'III']);
const PHI_ROLES = new Set(['none', 'single', 'many']);
const LEVELS = new Set(['low', 'medium', 'high']);

/** Parses a yes/no field. */
function yesNo(v: string, at: string, what: string): boolean {
  if (v === 'yes') return true;
  if (v === 'no') return false;
  throw new Error(`${at}: ${what} must be yes or no, not ${v}`);
}

/** Checks `v` is one of `allowed`. */
function oneOf<T extends string>(v: string, allowed: ReadonlySet<string>, at: string, what: string): T {
  if (!allowed.has(v)) throw new Error(`${at}: ${what} ${v} is not one of ${[...allowed].join(', ')}`);
  return v as T;
}

/**
 * Parses the categories file's text. @throws Error `file:line: reason` on a malformed line, an unknown or duplicate
 * category, or (at the end) a vocabulary category missing from the file.
 */
export function parseCategories(text: string, file = 'categories.tsv'): Map<DeviceCategory, CategoryDefaults> {
  const out = new Map<DeviceCategory, CategoryDefaults>();
  const seen = new Map<string, string>();
  for (const [at, [category, medical, regulation, fdaClass, life, therapy, phi, disruption, note]] of dataLines(file, text, 9)) {
    if (!isDeviceCategory(category!)) throw new Error(`${at}: ${category} is not a device category (DESIGN §3)`);
    unique(seen, category!, at, 'category');
    if (regulation !== '-' && !/^8[6-9][0-9]\.[0-9]{4}$/.test(regulation!)) throw new Error(`${at}: regulation ${regulation} is not a 21 CFR 862-892 section`);
    out.set(category!, {
      category: category!,
      medical: yesNo(medical!, at, 'medical'),
      regulation: regulation === '-' ? null : regulation!,
      fda_class: fdaClass === '-' ? null : oneOf<FdaClass>(fdaClass!, FDA_CLASSES, at, 'FDA class'),
      life_supporting: yesNo(life!, at, 'life_supporting'),
      therapy: yesNo(therapy!, at, 'therapy'),
      phi_role: oneOf<PhiRole>(phi!, PHI_ROLES, at, 'phi_role'),
      disruption: oneOf<Level>(disruption!, LEVELS, at, 'disruption'),
      note: note!,
      rule: at,
    });
  }
  const missing = DEVICE_CATEGORIES.filter((c) => !out.has(c));
  if (missing.length > 0) throw new Error(`${file}: no line for ${missing.join(', ')}`);
  return out;
}

let cached: Map<DeviceCategory, CategoryDefaults> | null = null;

/** Loads (once) data/categories/categories.tsv. @throws Error `file:line: reason`. */
export function loadCategories(file = CATEGORIES_FILE): Map<DeviceCategory, CategoryDefaults> {
  if (file !== CATEGORIES_FILE) return parseCategories(readFileSync(file, 'utf8'), file);
  cached ??= parseCategories(readFileSync(file, 'utf8'), 'data/categories/categories.tsv');
  return cached;
}

/** The defaults of `category` (unknown or null → the `unknown` row). */
export function categoryDefaults(category: string | null): CategoryDefaults {
  const all = loadCategories();
  return all.get(category !== null && isDeviceCategory(category) ? category : 'unknown')!;
}
