/**
 * What kind of observation an HL7 OBX-3 identifier names (vital signs or a laboratory result), as data:
 * data/fingerprints/hl7-observations.tsv (purpose, format, sources and licence in its header). Strict loader: a
 * malformed line, an unknown system or kind, a LOINC code whose Mod 10 check digit is wrong, a duplicate code or
 * default, or a code / range already covered by another line is an error naming `file:line`; nothing is loaded half.
 * Lookups are pure. Parsers never use this: the HL7 identity collector does.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataLines, unique } from '../knowledge/tsv-data.js';
import { STANDARD_CODING_SYSTEMS } from '../protocols/hl7/parser.js';

/** The bundled file (this module compiles to dist/src/identify/). */
export const HL7_OBSERVATIONS_FILE = fileURLToPath(new URL('../../../data/fingerprints/hl7-observations.tsv', import.meta.url));

/** The kinds of observation the file names. */
export const OBSERVATION_KINDS = ['vital_signs', 'laboratory'] as const;
/** One of OBSERVATION_KINDS. */
export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/** A code's kind and the line that gave it. */
export interface KindMatch {
  kind: ObservationKind;
  /** `file:line`. */
  rule: string;
}

const RANGE_RE = /^([0-9]{1,10})\.\.([0-9]{1,10})$/;

/**
 * True when a LOINC code's last digit is the Mod 10 check digit of the digits before the "-" (LOINC Users' Guide
 * §12 C: from the right, the odd-position digits doubled, digit sums added, the distance to the next multiple of 10).
 */
export function loincCheckDigitOk(code: string): boolean {
  const m = /^([0-9]{1,7})-([0-9])$/.exec(code);
  if (m === null) return false;
  let sum = 0;
  const digits = m[1]!;
  for (let i = digits.length - 1, odd = true; i >= 0; i--, odd = !odd) {
    const d = Number(digits[i]) * (odd ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

interface RangeLine { lo: number; hi: number; match: KindMatch }

/** The observation-kind table: exact codes, MDC ranges, per-system defaults. */
export class Hl7ObservationKinds {
  private constructor(
    private readonly codes: ReadonlyMap<string, KindMatch>,
    private readonly ranges: ReadonlyMap<string, readonly RangeLine[]>,
    private readonly defaults: ReadonlyMap<string, KindMatch>,
  ) {}

  /** Parses the file's text. @throws Error `file:line: reason`. */
  static parse(text: string, file = 'hl7-observations.tsv'): Hl7ObservationKinds {
    const codes = new Map<string, KindMatch>();
    const ranges = new Map<string, RangeLine[]>();
    const defaults = new Map<string, KindMatch>();
    const seen = new Map<string, string>();
    for (const [at, [system, code, kind]] of dataLines(file, text, 5)) {
      const form = STANDARD_CODING_SYSTEMS[system!];
      if (form === undefined) throw new Error(`${at}: coding system ${system} is not LN, MDC or SCT`);
      if (!(OBSERVATION_KINDS as readonly string[]).includes(kind!)) throw new Error(`${at}: kind ${kind} is not ${OBSERVATION_KINDS.join(' or ')}`);
      const match: KindMatch = { kind: kind as ObservationKind, rule: at };
      const r = RANGE_RE.exec(code!);
      if (code === '*') {
        unique(seen, `${system} *`, at, 'default for');
        defaults.set(system!, match);
      } else if (r !== null && system === 'MDC') {
        const line = { lo: Number(r[1]), hi: Number(r[2]), match };
        if (!(line.lo <= line.hi && line.hi <= 0xffffffff)) throw new Error(`${at}: range ${code} is empty or beyond 32 bits`);
        const over = (ranges.get(system) ?? []).find((x) => x.lo <= line.hi && line.lo <= x.hi);
        if (over !== undefined) throw new Error(`${at}: range ${code} overlaps line ${over.match.rule.split(':').pop()}`);
        ranges.set(system, [...(ranges.get(system) ?? []), line]);
      } else {
        if (!form.test(code!)) throw new Error(`${at}: ${code} is not a ${system} code`);
        if (system === 'LN' && !loincCheckDigitOk(code!)) throw new Error(`${at}: ${code} has a wrong LOINC check digit`);
        unique(seen, `${system} ${code}`, at, 'code');
        codes.set(`${system} ${code}`, match);
      }
    }
    const kinds = new Hl7ObservationKinds(codes, ranges, new Map());
    for (const [key, m] of codes) {
      const [system, code] = key.split(' ') as [string, string];
      const covered = kinds.rangeOf(system, code);
      if (covered !== null) throw new Error(`${m.rule}: ${key} already covered by line ${covered.rule.split(':').pop()}`);
    }
    return new Hl7ObservationKinds(codes, ranges, defaults);
  }

  /** The range line covering a decimal code, or null. */
  private rangeOf(system: string, code: string): KindMatch | null {
    const list = this.ranges.get(system);
    if (list === undefined || !/^[0-9]{1,10}$/.test(code)) return null;
    const n = Number(code);
    return list.find((x) => x.lo <= n && n <= x.hi)?.match ?? null;
  }

  /** The kind of `code` in coding system `system` (exact code, then range, then the system's default), or null. */
  kindOf(system: string, code: string): KindMatch | null {
    return this.codes.get(`${system} ${code}`) ?? this.rangeOf(system, code) ?? this.defaults.get(system) ?? null;
  }

  private static cached: Hl7ObservationKinds | null = null;

  /** The bundled table (loaded once). @throws Error `file:line: reason`. */
  static bundled(): Hl7ObservationKinds {
    Hl7ObservationKinds.cached ??= Hl7ObservationKinds.parse(readFileSync(HL7_OBSERVATIONS_FILE, 'utf8'));
    return Hl7ObservationKinds.cached;
  }
}
