/**
 * Software values of the inventory: a `software` attribute is `name` or `name/version` (split at the first '/';
 * names never contain one). The version is kept as seen (`version_raw`) and normalised for display and later
 * comparison: surrounding blanks and a leading "v" dropped, cut at the first blank, '(' , ';' or ',' — so
 * "v1.6", "2.4.41 (Ubuntu)" and "8.9p1;" become "1.6", "2.4.41" and "8.9p1". Vendor schemes such as "B.02.04"
 * pass through unchanged (comparison rules for them belong to the vulnerability matcher).
 */

/** A software value split into its parts. */
export interface SoftwareParts {
  name: string;
  version: string | null;
  version_raw: string | null;
}

/** Normalised version text, or null when nothing usable remains. */
export function normalizeVersion(raw: string): string | null {
  const v = raw.trim().replace(/^[vV](?=\d)/, '').split(/[\s(;,]/, 1)[0]!;
  return v === '' ? null : v;
}

/** Splits a `name/version` software value. */
export function splitSoftware(value: string): SoftwareParts {
  const slash = value.indexOf('/');
  if (slash < 0) return { name: value.trim(), version: null, version_raw: null };
  const raw = value.slice(slash + 1);
  return { name: value.slice(0, slash).trim(), version: normalizeVersion(raw), version_raw: raw === '' ? null : raw };
}
