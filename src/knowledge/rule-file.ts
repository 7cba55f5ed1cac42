/**
 * Parser of one fingerprint rule file (`data/fingerprints/*.fp`; the format is specified in
 * data/fingerprints/README.md). Pure: text in, rules and `file:line: reason` errors out. Cross-file checks
 * (duplicates, priorities declared twice) are the loader's (knowledge-base.ts).
 *
 * A rule line:   <[source:]fact[,…]>  <exact|prefix|regex>  <pattern>  <attribute=value:confidence>…  ref=<id>
 * Directives:    @purpose <text> | @licence <text> | @ref <id> <text> | @priority <source> <0..100>
 */
import { type DerivedAttribute, isDerivedAttribute, isDeviceCategory } from './vocabulary.js';

/** How a rule compares the fact value with its pattern. */
export type MatchKind = 'exact' | 'prefix' | 'regex';

/** One attribute a rule produces; `value` may hold `$1`…`$9` (regex groups) and `$$` (a literal '$'). */
export interface RuleOutput {
  attribute: DerivedAttribute;
  value: string;
  confidence: number;
}

/** One parsed rule. */
export interface FingerprintRule {
  /** `file:line`, the rule's name in evidence. */
  id: string;
  file: string;
  line: number;
  /** Fact source the rule is limited to (null: any source). */
  source: string | null;
  /** Fact (attribute) name matched, e.g. `dhcp_vendor_class`. */
  fact: string;
  kind: MatchKind;
  /** The literal (exact, prefix) or the regular expression's source. */
  pattern: string;
  /** The compiled expression of a regex rule. */
  regex: RegExp | null;
  outputs: RuleOutput[];
  /** Reference id and its text (where the knowledge comes from). */
  ref: string;
  refText: string;
}

/** A `@priority` directive: the rank of a fact source when candidate values tie. */
export interface SourcePriority {
  source: string;
  priority: number;
  /** `file:line` of the directive. */
  at: string;
}

/** A parsed file. */
export interface RuleFile {
  name: string;
  purpose: string | null;
  licence: string | null;
  rules: FingerprintRule[];
  priorities: SourcePriority[];
}

/** Longest accepted line; longer ones are an error (rules are meant to be read). */
export const MAX_RULE_LINE_CHARS = 2000;
/** Longest literal or derived value. */
export const MAX_RULE_VALUE_CHARS = 256;

const NAME_RE = /^[a-z][a-z0-9_]*$/;
const REF_ID_RE = /^[a-z0-9][a-z0-9._-]*$/;
const CONFIDENCE_RE = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;

/** Reads the tokens of one line. Errors are thrown as strings and caught per line. */
class LineCursor {
  i = 0;
  constructor(readonly s: string) {}

  skipSpace(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.i >= this.s.length;
  }

  /** A run of non-blank characters; double-quoted parts may contain blanks. */
  token(what: string): string {
    this.skipSpace();
    const start = this.i;
    while (this.i < this.s.length && this.s[this.i] !== ' ' && this.s[this.i] !== '\t') {
      if (this.s[this.i] === '"') this.skipQuoted();
      else this.i++;
    }
    if (this.i === start) throw `missing ${what}`;
    return this.s.slice(start, this.i);
  }

  private skipQuoted(): void {
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    if (this.i >= this.s.length) throw 'unterminated quoted string';
    this.i++;
  }

  /** A `/source/flags` regular expression literal. */
  regex(): { source: string; flags: string } {
    this.skipSpace();
    if (this.s[this.i] !== '/') throw 'a regex pattern is written /^…$/ (optionally followed by the flags i, s)';
    let j = this.i + 1;
    let inClass = false;
    for (; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === '\\') j++;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
    }
    if (j >= this.s.length) throw 'unterminated regex (no closing /)';
    const source = this.s.slice(this.i + 1, j);
    let k = j + 1;
    while (k < this.s.length && /[a-z]/.test(this.s[k]!)) k++;
    const flags = this.s.slice(j + 1, k);
    if (k < this.s.length && this.s[k] !== ' ' && this.s[k] !== '\t') throw 'unexpected text after the regex';
    this.i = k;
    return { source: source.replace(/\\\//g, '/'), flags };
  }

  rest(): string {
    this.skipSpace();
    const r = this.s.slice(this.i).trim();
    this.i = this.s.length;
    return r;
  }
}

/** Decodes a double-quoted literal (only \" and \\ escapes). */
export function unquote(q: string): string {
  if (q.length < 2 || q[0] !== '"' || q[q.length - 1] !== '"') throw `expected a double-quoted string, got ${q}`;
  let out = '';
  for (let i = 1; i < q.length - 1; i++) {
    const c = q[i]!;
    if (c === '\\') {
      const n = q[++i];
      if (n !== '"' && n !== '\\') throw `unknown escape \\${n ?? ''} in ${q} (only \\" and \\\\)`;
      out += n;
    } else if (c === '"') throw `stray quote inside ${q}`;
    else out += c;
  }
  return out;
}

/** Highest `$n` group a value template refers to (0 when none); throws on a malformed `$`. */
export function templateGroups(value: string): number {
  let max = 0;
  for (let i = 0; i < value.length; i++) {
    if (value[i] !== '$') continue;
    const n = value[i + 1];
    if (n === '$') i++;
    else if (n !== undefined && n >= '1' && n <= '9') {
      max = Math.max(max, Number(n));
      i++;
    } else throw `'$' in a value must be followed by a group number 1-9 or another '$'`;
  }
  return max;
}

/** Fills a value template from regex groups; null when a referenced group did not take part in the match. */
export function expandTemplate(value: string, groups: readonly (string | undefined)[]): string | null {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const n = value[++i]!;
    if (n === '$') out += '$';
    else {
      const g = groups[Number(n)];
      if (g === undefined) return null;
      out += g;
    }
  }
  return out;
}

/**
 * True for a repeated group whose whole body is one repeated atom — `(\d+)*`, `(?:.*)+`, `([a-z]+){2,}` — the
 * classic exponential-backtracking shape on hostile text. (A separator inside the group, as in `(?:\.\d+)*`,
 * keeps the match unambiguous and is allowed.)
 */
export function hasNestedQuantifier(source: string): boolean {
  return /\((?:\?:)?(?:\\.|\[(?:\\.|[^\]\\])*\]|[^()\\|[])[+*]\??\)(?:[+*]|\{\d+,\d*\})/.test(source);
}

function parseOutput(tok: string, groups: number, kind: MatchKind): RuleOutput {
  const eq = tok.indexOf('=');
  if (eq <= 0) throw `expected attribute=value:confidence, got '${tok}'`;
  const attribute = tok.slice(0, eq);
  if (!isDerivedAttribute(attribute)) throw `unknown attribute '${attribute}' (allowed: vendor, model, category, os, os_version, software)`;
  const body = tok.slice(eq + 1);
  const colon = body.lastIndexOf(':');
  if (colon < 0) throw `${attribute}: missing ':confidence' after the value`;
  const rawValue = body.slice(0, colon);
  const conf = body.slice(colon + 1);
  const value = rawValue.startsWith('"') ? unquote(rawValue) : rawValue;
  if (value === '' || value.length > MAX_RULE_VALUE_CHARS) throw `${attribute}: value must be 1-${MAX_RULE_VALUE_CHARS} characters`;
  if (rawValue.includes('"') && !rawValue.startsWith('"')) throw `${attribute}: quote the whole value or none of it`;
  if (!CONFIDENCE_RE.test(conf) || Number(conf) <= 0 || Number(conf) > 1) throw `${attribute}: confidence '${conf}' must be a number in (0, 1]`;
  const used = templateGroups(value);
  if (used > groups) {
    throw kind === 'regex' ? `${attribute}: $${used} but the regex has ${groups} capture group(s)` : `${attribute}: $${used} needs a regex rule (${kind} has no groups)`;
  }
  if (attribute === 'category' && used > 0) throw 'category values cannot come from a capture group (they must be in the vocabulary)';
  if (attribute === 'category' && !isDeviceCategory(value)) throw `unknown category '${value}' (see DESIGN §3 / src/knowledge/vocabulary.ts)`;
  if (attribute === 'software' && (value.startsWith('/') || value === '$$')) throw 'software value is name or name/version, with a non-empty name';
  return { attribute, value, confidence: Number(conf) };
}

function parsePattern(cur: LineCursor, kind: MatchKind): { pattern: string; regex: RegExp | null; groups: number } {
  if (kind !== 'regex') {
    const lit = unquote(cur.token('pattern'));
    if (lit === '' || lit.length > MAX_RULE_VALUE_CHARS) throw `pattern must be 1-${MAX_RULE_VALUE_CHARS} characters`;
    return { pattern: lit, regex: null, groups: 0 };
  }
  const { source, flags } = cur.regex();
  if (!/^(?:i?s?|si)$/.test(flags)) throw `regex flags '${flags}' not allowed (only i: ignore case, s: '.' matches newlines)`;
  if (!source.startsWith('^') || !source.endsWith('$') || source.endsWith('\\$')) throw 'regex must be anchored: start with ^ and end with $';
  if (hasNestedQuantifier(source)) throw 'regex has a repeated group containing + or * (catastrophic backtracking on hostile values)';
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (err) {
    throw `invalid regex: ${(err as Error).message}`;
  }
  return { pattern: `/${source}/${flags}`, regex, groups: captureGroups(source) };
}

/**
 * The capture groups of a valid regex source (flags without u or v): the '(' not escaped, outside character
 * classes, opening a plain group or a named one `(?<name>` (not `(?:`, a lookahead or a lookbehind). Counted from the
 * text: matching anything to count them would compile the expression, and most rules of a run never match anything
 * (bench: ~20 ms of a cold start for ~230 regex rules).
 */
export function captureGroups(source: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++; // the escaped character is no syntax
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && (source[i + 1] !== '?' || (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!'))) n++;
  }
  return n;
}

/** Parses `[source:]fact[,[source:]fact…]`. */
function parseSelector(selector: string): { source: string | null; fact: string }[] {
  return selector.split(',').map((one) => {
    const parts = one.split(':');
    if (parts.length > 2 || !parts.every((p) => NAME_RE.test(p))) {
      throw `bad fact selector '${selector}' (fact or source:fact, lower-case snake_case, several separated by commas)`;
    }
    return parts.length === 2 ? { source: parts[0]!, fact: parts[1]! } : { source: null, fact: parts[0]! };
  });
}

/** Parses a rule line into one rule per selected fact (all sharing the line's id). */
function parseRule(cur: LineCursor, file: string, line: number): FingerprintRule[] {
  const selectors = parseSelector(cur.token('fact selector'));
  const kind = cur.token('match kind');
  if (kind !== 'exact' && kind !== 'prefix' && kind !== 'regex') throw `unknown match kind '${kind}' (exact, prefix or regex)`;
  const { pattern, regex, groups } = parsePattern(cur, kind);
  const outputs: RuleOutput[] = [];
  let ref: string | null = null;
  while (!cur.atEnd()) {
    const tok = cur.token('output');
    if (tok.startsWith('ref=')) {
      ref = tok.slice(4);
      if (!cur.atEnd()) throw 'ref=<id> must be the last item of a rule';
      break;
    }
    const o = parseOutput(tok, groups, kind);
    if (outputs.some((x) => x.attribute === o.attribute)) throw `attribute '${o.attribute}' given twice`;
    outputs.push(o);
  }
  if (outputs.length === 0) throw 'a rule needs at least one attribute=value:confidence';
  if (ref === null) throw 'missing ref=<id> (every rule cites where its knowledge comes from)';
  if (!REF_ID_RE.test(ref)) throw `bad ref id '${ref}'`;
  return selectors.map(({ source, fact }) => ({ id: `${file}:${line}`, file, line, source, fact, kind, pattern, regex, outputs, ref, refText: '' }));
}

interface ParseState {
  file: RuleFile;
  refs: Map<string, { text: string; line: number }>;
  usedRefs: Set<string>;
  pending: FingerprintRule[];
}

function parseDirective(cur: LineCursor, st: ParseState, line: number): void {
  const word = cur.token('directive');
  const f = st.file;
  if (word === '@purpose' || word === '@licence') {
    const key = word === '@purpose' ? 'purpose' : 'licence';
    if (f[key] !== null) throw `${word} given twice`;
    const text = cur.rest();
    if (text === '') throw `${word} needs a text`;
    f[key] = text;
  } else if (word === '@ref') {
    const id = cur.token('ref id');
    if (!REF_ID_RE.test(id)) throw `bad ref id '${id}' (lower-case letters, digits, . _ -)`;
    const text = cur.rest();
    if (text === '') throw `@ref ${id} needs a text saying where the knowledge comes from`;
    const prev = st.refs.get(id);
    if (prev) throw `@ref ${id} already declared at line ${prev.line}`;
    st.refs.set(id, { text, line });
  } else if (word === '@priority') {
    const source = cur.token('source');
    const n = cur.token('priority');
    if (!NAME_RE.test(source)) throw `bad source name '${source}'`;
    if (!/^\d{1,3}$/.test(n) || Number(n) > 100) throw `priority '${n}' must be an integer 0-100`;
    if (!cur.atEnd()) throw 'unexpected text after @priority <source> <n>';
    f.priorities.push({ source, priority: Number(n), at: `${f.name}:${line}` });
  } else throw `unknown directive '${word}' (@purpose, @licence, @ref, @priority)`;
}

/** Parses one rule file; `name` labels errors and rule ids (e.g. `dhcp.fp`). */
export function parseRuleFile(name: string, text: string): { file: RuleFile; errors: string[] } {
  const st: ParseState = { file: { name, purpose: null, licence: null, rules: [], priorities: [] }, refs: new Map(), usedRefs: new Set(), pending: [] };
  const errors: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    try {
      if (raw.length > MAX_RULE_LINE_CHARS) throw `line longer than ${MAX_RULE_LINE_CHARS} characters`;
      const cur = new LineCursor(raw);
      if (trimmed.startsWith('@')) parseDirective(cur, st, n + 1);
      else st.pending.push(...parseRule(cur, name, n + 1));
    } catch (err) {
      if (typeof err !== 'string') throw err;
      errors.push(`${name}:${n + 1}: ${err}`);
    }
  }
  for (const p of st.pending) {
    const r = st.refs.get(p.ref);
    if (!r) {
      errors.push(`${name}:${p.line}: unknown ref '${p.ref}' (declare it with @ref ${p.ref} <text>)`);
      continue;
    }
    st.usedRefs.add(p.ref);
    st.file.rules.push({ ...p, refText: r.text });
  }
  for (const [id, r] of st.refs) if (!st.usedRefs.has(id)) errors.push(`${name}:${r.line}: @ref ${id} is not used by any rule`);
  if (st.file.purpose === null) errors.push(`${name}:1: missing @purpose (every knowledge file opens with its purpose)`);
  if (st.file.licence === null) errors.push(`${name}:1: missing @licence`);
  return { file: st.file, errors };
}
