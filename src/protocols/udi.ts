/**
 * Unique Device Identifier (UDI) parser: the text of a UDI carrier (as printed under a bar code, or carried in an
 * HL7 PRT-10 / OBX-18 / DICOM field) → issuing agency, device identifier (DI) and production identifiers (PI).
 * Pure: no state, no I/O, never throws; input longer than MAX_UDI_CHARS is not a UDI.
 *
 * What a UDI is: 21 CFR 830.3 (UDI = a device identifier, the fixed part naming the labeler and the model, plus
 * production identifiers: lot, serial number, expiration date, manufacturing date, HCT/P distinct identification
 * code) and 21 CFR 830.20 (issued under a system of an FDA-accredited issuing agency: GS1, HIBCC, ICCBBA — the FDA's
 * "UDI Issuing Agencies" list and the GUDID Data Elements Reference Table, which says how each agency's DI looks).
 *
 * The three formats:
 * - GS1 (GS1 General Specifications §3 "GS1 Application Identifier definitions", §7.9 check digit, §7.8.5 FNC1 /
 *   GS as the separator after a variable-length element): AI (01) GTIN-14 is the DI, its mod-10 check digit is
 *   verified; PIs (10) batch/lot, (11) production date YYMMDD, (17) expiration date YYMMDD, (21) serial number, and
 *   (8012) software version; also read: (240) additional product id, (30) count, (7003) expiration date and time.
 *   Accepted with parentheses (the human-readable interpretation, "(01)…(17)…") and without (the element string, with
 *   ASCII GS 0x1D or the text "<GS>" after a variable-length element; a leading symbology identifier "]d2", "]C1",
 *   "]Q3", "]e0" is skipped).
 * - HIBCC (ANSI/HIBC 2.6-2016 Supplier Labeling Standard §2.2 primary data structure, §2.3 secondary data structure,
 *   §2.4 concatenation with "/", §2.5 supplemental data "/S" serial, "/14D" expiry, "/16D" manufacture date;
 *   Appendix C: the modulo-43 check character): "+" LIC (4, first alphabetic) PCN (1–18) U/M (1 digit); the DI is
 *   LIC + PCN + U/M (without the "+" flag). The check character is verified.
 * - ICCBBA ISBT 128 (ST-011 "Coding and Labeling of Medical Devices Using ISBT 128" §3 device identifier, §4
 *   production identifiers, §5 parsing; data structures of ST-001): "=/" Processor Product Identification Code
 *   (Data Structure 034, 16 characters) is the DI; "=," Product Divisions / serial (DS 032, 6), "=" Donation
 *   Identification Number (DS 001, 15 with its flags), "=>" expiration date cyyjjj (DS 004), "=}" production date
 *   cyyjjj (DS 008), "&,1" MPHO lot number (DS 035, 18); an optional leading "=+" compound message header (DS 023).
 *
 * Dates are kept as written (YYMMDD, YYYYMMDD, cyyjjj…, with the format in `*_format`): interpreting a two-digit year
 * depends on today's date (GS1 §7.12), which a pure parser does not know.
 */

/** Longest text considered (a GS1 element string is at most 48 data characters per symbol; HIBCC and ICCBBA are shorter). */
export const MAX_UDI_CHARS = 256;

/** Anomaly names a parsed UDI may carry (the part before any ":"). */
export const UDI_ANOMALIES = {
  /** The GTIN's mod-10 check digit (GS1 §7.9.1) does not match. */
  gtin_check_digit: 'GTIN check digit wrong',
  /** The HIBCC mod-43 check character does not match (ANSI/HIBC 2.6 Appendix C). */
  hibcc_check_character: 'HIBCC check character wrong',
  /** An element the parser does not know (":AI" or the data identifier); parsing stopped there. */
  unknown_element: 'unknown application / data identifier, rest not read',
  /** An element with the wrong length or characters (":AI"); its value was not kept. */
  bad_element: 'element of the wrong length or characters',
  /** An element given twice (":AI"); the first is kept. */
  duplicate_element: 'element repeated, first kept',
} as const;

/** A UDI issuing agency accredited by the FDA (21 CFR 830.100). */
export type UdiIssuer = 'GS1' | 'HIBCC' | 'ICCBBA';

/** A parsed UDI. Absent production identifiers are null; dates are as written. */
export interface Udi {
  issuer: UdiIssuer;
  /** The device identifier: GTIN-14 (GS1), LIC + PCN + unit of measure (HIBCC), PPIC (ICCBBA). */
  device_identifier: string;
  lot: string | null;
  serial: string | null;
  /** Manufacturing / production date as written. */
  manufacture_date: string | null;
  /** Its layout: YYMMDD (GS1 11), YYYYMMDD (HIBCC 16D), cyyjjj (ICCBBA). */
  manufacture_date_format: string | null;
  /** Expiration date as written. */
  expiry_date: string | null;
  /** Its layout: YYMMDD, YYMMDDHHMM (GS1 7003), MMYY, MMDDYY, YYMMDD, YYMMDDHH, YYJJJ, YYJJJHH, YYYYMMDD, cyyjjj. */
  expiry_date_format: string | null;
  /** ICCBBA Donation Identification Number (the HCT/P distinct identification code, 21 CFR 830.3). */
  donation_id: string | null;
  /** GS1 AI (8012) software version. */
  software_version: string | null;
  /** The GTIN check digit or HIBCC check character matched (null: ICCBBA, which has none here). */
  check_ok: boolean | null;
  /** See UDI_ANOMALIES. */
  anomalies: string[];
}

// ---------------------------------------------------------------------------------------------------------------

/** A fresh result for `issuer` and `di`. */
function newUdi(issuer: UdiIssuer, di: string): Udi {
  return {
    issuer, device_identifier: di, lot: null, serial: null, manufacture_date: null, manufacture_date_format: null,
    expiry_date: null, expiry_date_format: null, donation_id: null, software_version: null, check_ok: null, anomalies: [],
  };
}

/** Sets a production identifier unless already set (then `duplicate_element:<what>`). */
function setOnce(u: Udi, key: 'lot' | 'serial' | 'donation_id' | 'software_version', value: string, what: string): void {
  if (u[key] !== null) u.anomalies.push(`duplicate_element:${what}`);
  else u[key] = value;
}

/** Sets a date and its format unless already set. */
function setDate(u: Udi, which: 'manufacture' | 'expiry', value: string, format: string, what: string): void {
  if (which === 'manufacture') {
    if (u.manufacture_date !== null) u.anomalies.push(`duplicate_element:${what}`);
    else { u.manufacture_date = value; u.manufacture_date_format = format; }
  } else if (u.expiry_date !== null) u.anomalies.push(`duplicate_element:${what}`);
  else { u.expiry_date = value; u.expiry_date_format = format; }
}

const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);

/** GS1 mod-10 check digit over all digits but the last (GS1 General Specifications §7.9.1): weights 3,1,3,… from the right. */
export function gs1CheckDigitOk(digits: string): boolean {
  if (!isDigits(digits) || digits.length < 2) return false;
  let sum = 0;
  for (let i = digits.length - 2, w = 3; i >= 0; i--, w = 4 - w) sum += (digits.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10 === digits.charCodeAt(digits.length - 1) - 48;
}

// ---------------------------------------------------------------------------------------------------------------
// GS1

/** The GS1 AIs read: value length (fixed `n`, or up to `max`), characters, and where the value goes. */
interface Gs1Ai {
  fixed?: number;
  max?: number;
  numeric: boolean;
  apply?: (u: Udi, v: string, ai: string) => void;
}

const GS1_AIS: Readonly<Record<string, Gs1Ai>> = {
  '01': { fixed: 14, numeric: true },
  '10': { max: 20, numeric: false, apply: (u, v, ai) => setOnce(u, 'lot', v, ai) },
  '11': { fixed: 6, numeric: true, apply: (u, v, ai) => setDate(u, 'manufacture', v, 'YYMMDD', ai) },
  '17': { fixed: 6, numeric: true, apply: (u, v, ai) => setDate(u, 'expiry', v, 'YYMMDD', ai) },
  '21': { max: 20, numeric: false, apply: (u, v, ai) => setOnce(u, 'serial', v, ai) },
  '240': { max: 30, numeric: false },
  '30': { max: 8, numeric: true },
  '7003': { fixed: 10, numeric: true, apply: (u, v, ai) => setDate(u, 'expiry', v, 'YYMMDDHHMM', ai) },
  '8012': { max: 20, numeric: false, apply: (u, v, ai) => setOnce(u, 'software_version', v, ai) },
};

/** GS1 element-string characters (GS1 General Specifications §7.11, character set 82). */
const GS1_CHARS = /^[!"%-?A-Z_a-z]+$/;

/** The AI at the start of `s` (element-string form): the known AI that prefixes it, or null. */
function gs1AiAt(s: string, i: number): string | null {
  for (const n of [2, 3, 4]) {
    const ai = s.slice(i, i + n);
    if (GS1_AIS[ai] !== undefined) return ai;
  }
  return null;
}

/** Checks one AI's value and applies it (a `bad_element:<AI>` anomaly when it has the wrong length or characters). */
function applyGs1(u: Udi, ai: string, v: string): void {
  const d = GS1_AIS[ai]!;
  const lengthOk = d.fixed !== undefined ? v.length === d.fixed : v.length >= 1 && v.length <= d.max!;
  if (!lengthOk || (d.numeric ? !isDigits(v) : !GS1_CHARS.test(v))) {
    u.anomalies.push(`bad_element:${ai}`);
    return;
  }
  d.apply?.(u, v, ai);
}

/** (AI, value) pairs of the parenthesised form "(01)…(17)…", or null when `s` is not in that form. */
function gs1Parenthesised(s: string): [string, string][] | null {
  const pairs: [string, string][] = [];
  const re = /\((\d{2,4})\)([^()]*)/y;
  let i = 0;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (m === null) return null;
    pairs.push([m[1]!, m[2]!.replace(/\x1d/g, '').trim()]);
    i = re.lastIndex;
  }
  return pairs;
}

/** (AI, value) pairs of the element-string form, or null at an unknown AI (the pairs so far are in `out`). */
function gs1ElementString(s: string, out: [string, string][]): string | null {
  let i = 0;
  while (i < s.length) {
    const ai = gs1AiAt(s, i);
    if (ai === null) return s.slice(i, i + 4);
    const d = GS1_AIS[ai]!;
    i += ai.length;
    let end: number;
    if (d.fixed !== undefined) end = Math.min(s.length, i + d.fixed);
    else {
      end = s.indexOf('\x1d', i);
      if (end < 0) end = s.length;
    }
    out.push([ai, s.slice(i, end)]);
    i = end < s.length && s[end] === '\x1d' ? end + 1 : end;
  }
  return null;
}

/** A GS1 UDI, or null when `s` is not one (no AI (01) first, or not AI syntax). */
function parseGs1(s: string): Udi | null {
  const paren = s.startsWith('(');
  let pairs: [string, string][] | null;
  let unknown: string | null = null;
  if (paren) pairs = gs1Parenthesised(s);
  else {
    // The element-string form is only taken for a valid GTIN: a bare digit string is too often something else.
    if (!/^01\d{14}/.test(s) || !gs1CheckDigitOk(s.slice(2, 16))) return null;
    pairs = [];
    unknown = gs1ElementString(s, pairs);
  }
  if (pairs === null || pairs.length === 0 || pairs[0]![0] !== '01') return null;
  const gtin = pairs[0]![1];
  if (!/^\d{14}$/.test(gtin)) return null;
  const u = newUdi('GS1', gtin);
  u.check_ok = gs1CheckDigitOk(gtin);
  if (!u.check_ok) u.anomalies.push('gtin_check_digit');
  for (let k = 1; k < pairs.length; k++) {
    const [ai, v] = pairs[k]!;
    if (ai === '01') u.anomalies.push('duplicate_element:01');
    else if (GS1_AIS[ai] === undefined) {
      u.anomalies.push(`unknown_element:${ai}`);
      break;
    } else applyGs1(u, ai, v);
  }
  if (unknown !== null) u.anomalies.push(`unknown_element:${unknown}`);
  return u;
}

// ---------------------------------------------------------------------------------------------------------------
// HIBCC

/** The HIBCC modulo-43 character set, in value order (ANSI/HIBC 2.6 Appendix C). */
const HIBCC_SET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

/** The modulo-43 check character of `data` (every character, the leading "+" included), or null for a character outside the set. */
export function hibccCheckCharacter(data: string): string | null {
  let sum = 0;
  for (const c of data) {
    const v = HIBCC_SET.indexOf(c);
    if (v < 0) return null;
    sum += v;
  }
  return HIBCC_SET[sum % 43]!;
}

/** Secondary date layouts after "$$" by their flag digit (ANSI/HIBC 2.6 §2.3, Table 2); 0 and 1 are the first digit of MMYY. */
const HIBCC_DATE_FLAGS: Readonly<Record<string, { format: string; len: number; flagged: boolean }>> = {
  '0': { format: 'MMYY', len: 4, flagged: false },
  '1': { format: 'MMYY', len: 4, flagged: false },
  '2': { format: 'MMDDYY', len: 6, flagged: true },
  '3': { format: 'YYMMDD', len: 6, flagged: true },
  '4': { format: 'YYMMDDHH', len: 8, flagged: true },
  '5': { format: 'YYJJJ', len: 5, flagged: true },
  '6': { format: 'YYJJJHH', len: 7, flagged: true },
  '7': { format: '', len: 0, flagged: true },
};

/** Reads the secondary data (after the primary's "/"): date and lot or serial (ANSI/HIBC 2.6 §2.3). */
function hibccSecondary(u: Udi, sec: string): void {
  let p = 0;
  let serial = false;
  if (sec.startsWith('$$')) {
    p = 2;
    if (sec[p] === '+') { serial = true; p++; }
    if (sec[p] === '8' || sec[p] === '9') p += sec[p] === '8' ? 3 : 6; // quantity: flag + 2 or 5 digits
    const f = HIBCC_DATE_FLAGS[sec[p] ?? ''];
    if (f === undefined) { u.anomalies.push('bad_element:secondary'); return; }
    if (f.flagged) p++;
    const date = sec.slice(p, p + f.len);
    if (f.len > 0) {
      if (date.length !== f.len || !isDigits(date)) { u.anomalies.push('bad_element:secondary'); return; }
      setDate(u, 'expiry', date, f.format, 'secondary');
    }
    p += f.len;
  } else if (sec.startsWith('$')) {
    p = 1;
    if (sec[p] === '+') { serial = true; p++; }
  } else if (/^\d{5}/.test(sec)) {
    setDate(u, 'expiry', sec.slice(0, 5), 'YYJJJ', 'secondary'); // the older layout: a Julian date, then the lot
    p = 5;
  } else {
    u.anomalies.push('bad_element:secondary');
    return;
  }
  const rest = sec.slice(p);
  if (rest === '') return;
  if (!/^[0-9A-Z\-. $%]{1,18}$/.test(rest)) u.anomalies.push('bad_element:secondary');
  else setOnce(u, serial ? 'serial' : 'lot', rest, 'secondary');
}

/** Reads one supplemental data field (ANSI/HIBC 2.6 §2.5): "S" serial, "16D" manufacture and "14D" expiry dates. */
function hibccSupplemental(u: Udi, f: string): void {
  if (f.startsWith('16D') || f.startsWith('14D')) {
    const d = f.slice(3);
    if (!/^\d{8}$/.test(d)) u.anomalies.push(`bad_element:${f.slice(0, 3)}`);
    else setDate(u, f.startsWith('16D') ? 'manufacture' : 'expiry', d, 'YYYYMMDD', f.slice(0, 3));
  } else if (f.startsWith('S')) {
    if (f.length < 2 || f.length > 19) u.anomalies.push('bad_element:S');
    else setOnce(u, 'serial', f.slice(1), 'S');
  } else u.anomalies.push(`unknown_element:${f.slice(0, 3)}`);
}

/** A HIBCC UDI ("+" LIC PCN U/M ["/" secondary] ["/" supplemental]… check), or null when `s` is not one. */
function parseHibcc(s: string): Udi | null {
  if (!/^\+[A-Z][0-9A-Z]{3}/.test(s) || s.length < 8) return null;
  const body = s.slice(0, -1);
  const check = hibccCheckCharacter(body);
  if (check === null) return null;
  const parts = body.slice(1).split('/');
  const primary = parts[0]!;
  const pcn = primary.slice(4, -1);
  const um = primary.slice(-1);
  if (pcn.length < 1 || pcn.length > 18 || !/^[0-9A-Z]+$/.test(pcn) || !/^\d$/.test(um)) return null;
  const u = newUdi('HIBCC', primary);
  u.check_ok = check === s[s.length - 1];
  if (!u.check_ok) u.anomalies.push('hibcc_check_character');
  for (let k = 1; k < parts.length; k++) {
    const f = parts[k]!;
    if (k === 1 && (f.startsWith('$') || /^\d{5}/.test(f))) hibccSecondary(u, f);
    else hibccSupplemental(u, f);
  }
  return u;
}

// ---------------------------------------------------------------------------------------------------------------
// ICCBBA ISBT 128

/** The ISBT 128 production-identifier data structures read: data identifier, data length, and where the value goes. */
const ICCBBA_STRUCTURES: readonly { id: string; len: number; chars: RegExp; apply: (u: Udi, v: string, id: string) => void }[] = [
  { id: '=,', len: 6, chars: /^[0-9A-Z]+$/, apply: (u, v, id) => setOnce(u, 'serial', v, id) }, // DS 032
  { id: '=>', len: 6, chars: /^\d+$/, apply: (u, v, id) => setDate(u, 'expiry', v, 'cyyjjj', id) }, // DS 004
  { id: '=}', len: 6, chars: /^\d+$/, apply: (u, v, id) => setDate(u, 'manufacture', v, 'cyyjjj', id) }, // DS 008
  { id: '&,1', len: 18, chars: /^[0-9A-Z]+$/, apply: (u, v, id) => setOnce(u, 'lot', v, id) }, // DS 035
];

/** The Donation Identification Number (DS 001): "=" then α (A–N, P–Z, 1–9) and 14 more characters. */
const DIN = /^=([A-NP-Z1-9][0-9A-Z]{14})/;

/** An ICCBBA UDI (data structures starting with the "=/" PPIC), or null when `s` is not one. */
function parseIccbba(s: string): Udi | null {
  let p = 0;
  const compound = /^=\+\d{5}/.exec(s); // DS 023 compound message header
  if (compound) p = compound[0].length;
  const di = /^=\/([0-9A-Z]{16})/.exec(s.slice(p));
  if (di === null) return null;
  const u = newUdi('ICCBBA', di[1]!);
  p += di[0].length;
  while (p < s.length) {
    const rest = s.slice(p);
    const st = ICCBBA_STRUCTURES.find((x) => rest.startsWith(x.id));
    if (st !== undefined) {
      const v = rest.slice(st.id.length, st.id.length + st.len);
      if (v.length !== st.len || !st.chars.test(v)) { u.anomalies.push(`bad_element:${st.id}`); break; }
      st.apply(u, v, st.id);
      p += st.id.length + st.len;
      continue;
    }
    const din = DIN.exec(rest);
    if (din === null) { u.anomalies.push(`unknown_element:${rest.slice(0, 2)}`); break; }
    setOnce(u, 'donation_id', din[1]!, '=');
    p += din[0].length;
  }
  return u;
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Parses a UDI carrier's text: GS1 (with or without parentheses), HIBCC ("+…") or ICCBBA ("=/…"). Returns null when
 * the text is none of these (e.g. a model name or a local asset tag); a recognised UDI with problems carries them in
 * `anomalies`. Leading and trailing spaces, a symbology identifier ("]d2", "]C1", "]Q3", "]e0") and the text "<GS>"
 * standing for the GS separator are tolerated. Never throws.
 */
export function parseUdi(text: string): Udi | null {
  if (typeof text !== 'string' || text.length > MAX_UDI_CHARS) return null;
  let s = text.trim().replace(/<GS>/gi, '\x1d');
  if (/^\][A-Za-z]\d/.test(s)) s = s.slice(3);
  if (s.length < 4) return null;
  if (s[0] === '+') return parseHibcc(s);
  if (s[0] === '=') return parseIccbba(s);
  return parseGs1(s);
}
