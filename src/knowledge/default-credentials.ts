/**
 * Default credentials (vendor factory user name / password pairs), checked at observation time by the analyzers that
 * see a password cross in clear (Telnet and FTP logins, HTTP Basic, DICOM user identity): they ask
 * `isDefaultCredential(user, password)` and keep only the answer — the password never leaves the analyzer.
 *
 * Data: data/findings/DefaultCreds-Cheat-Sheet.csv (ihebski/DefaultCreds-cheat-sheet, MIT, see the .LICENSE file
 * beside it and data/findings/README.md) and data/findings/default_creds_medical_subset.csv (its medical vendor
 * rows, kept as a separate file so the medical pairs stay when the big list is trimmed). Format: a header
 * `productvendor,username,password`, then one `vendor,user,password` line each; `<blank>` stands for an empty value.
 * The strict loader reports `file:line: reason` for a line without exactly three fields.
 *
 * The set holds SHA-256 digests of `user NUL password`, not the pairs: cheap to test, and no list of passwords sits
 * in memory in clear form (the file is public anyway; the point is that nothing here ever prints one).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundled lists (this module compiles to dist/src/knowledge/). */
export const DEFAULT_CREDENTIAL_FILES: readonly string[] = [
  fileURLToPath(new URL('../../../data/findings/DefaultCreds-Cheat-Sheet.csv', import.meta.url)),
  fileURLToPath(new URL('../../../data/findings/default_creds_medical_subset.csv', import.meta.url)),
];

/** SNMP v1/v2c communities that are factory defaults (RFC 1157 examples and every vendor's shipped read/write pair). */
export const DEFAULT_SNMP_COMMUNITIES: ReadonlySet<string> = new Set(['public', 'private']);

/** The header every list starts with. */
const HEADER = 'productvendor,username,password';
/** The placeholder the list uses for an empty user name or password. */
const BLANK = '<blank>';

/** A loaded default-credential list. */
export interface DefaultCredentialList {
  /** SHA-256 hex digests of `user \0 password`. */
  readonly digests: ReadonlySet<string>;
  /** Lines read (pairs, before de-duplication). */
  readonly lines: number;
}

/** The digest of one pair. */
function pairDigest(user: string, password: string): string {
  return createHash('sha256').update(user).update('\u0000').update(password).digest('hex');
}

/** Adds the pairs of one list's text to `into`. @throws Error `file:line: reason`. @returns lines read. */
export function parseDefaultCredentials(text: string, file: string, into: Set<string>): number {
  const lines = text.split('\n');
  if ((lines[0] ?? '').replace(/\r$/, '').replace(/^\uFEFF/, '') !== HEADER) throw new Error(`${file}:1: header must be ${HEADER}`);
  let n = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const f = line.split(',');
    if (f.length !== 3) throw new Error(`${file}:${i + 1}: ${f.length} comma-separated fields, expected 3 (vendor,user,password)`);
    const user = f[1] === BLANK ? '' : f[1]!;
    const password = f[2] === BLANK ? '' : f[2]!;
    into.add(pairDigest(user, password));
    n++;
  }
  return n;
}

/** Reads lists into one set. @throws Error `file:line: reason`. */
export function loadDefaultCredentials(files: readonly string[] = DEFAULT_CREDENTIAL_FILES): DefaultCredentialList {
  const digests = new Set<string>();
  let lines = 0;
  for (const f of files) lines += parseDefaultCredentials(readFileSync(f, 'utf8'), f, digests);
  return { digests, lines };
}

let bundled: DefaultCredentialList | null = null;

/**
 * True when (user, password) is a pair of the default-credential list (exact, case-sensitive: vendors' defaults are).
 * An empty password counts only with a user name the list pairs with `<blank>`.
 * @param list the list to check (default: the bundled files, loaded once per process).
 */
export function isDefaultCredential(user: string, password: string, list?: DefaultCredentialList): boolean {
  const l = list ?? (bundled ??= loadDefaultCredentials());
  return l.digests.has(pairDigest(user, password));
}
