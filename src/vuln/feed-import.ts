/**
 * `medtap import vulns PATH…`: offline import of vulnerability feeds into the inventory database. Each file's
 * format is recognised from its first bytes (see detectFeedFormat); directories are walked recursively (`.json`
 * and `.csv` files, in name order; other files are ignored). NVD API responses and the KEV JSON catalog are
 * streamed record by record (json-stream.ts), the KEV CSV row by row; CVE 5 records, per-CVE NVD files and CSAF
 * advisories are single documents (≤ MAX_DOCUMENT_BYTES). Every record is upserted incrementally (vuln-store.ts)
 * with its provenance (file, format, feed date, record number). A malformed record is reported as
 * `file: record N (id): why` and skipped; the rest of the file is imported.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SqliteStore } from '../inventory/sqlite-store.js';
import { parseCsaf } from './csaf-feed.js';
import { cve5RecordId, parseCve5 } from './cve5-feed.js';
import { streamCsvFile } from './csv-stream.js';
import { streamTopLevelArray } from './json-stream.js';
import { isObject } from './json-shape.js';
import { isKevCsvHeader, parseKevCsvRow, parseKevEntry } from './kev-feed.js';
import { nvdElementId, parseNvdCve } from './nvd-feed.js';
import { VulnStore, type FileCounts, type UpsertOutcome } from './vuln-store.js';

/** Feed formats recognised. */
export type FeedFormat = 'nvd-api' | 'nvd-cve' | 'cve5' | 'kev-json' | 'kev-csv' | 'csaf';

/** Largest single-document file (CVE 5 record, per-CVE NVD file, CSAF advisory) read whole. */
export const MAX_DOCUMENT_BYTES = 64 << 20;
/** Bytes of a file's head looked at to recognise its format. */
const SNIFF_BYTES = 64 << 10;
/** Records per transaction while streaming a large file. */
const RECORDS_PER_COMMIT = 2000;
/** Malformed-record messages kept in the summary (all are counted). */
export const MAX_REPORTED_PROBLEMS = 1000;

/** Outcome for one file. */
export interface ImportFileSummary {
  path: string;
  format: FeedFormat | null;
  status: 'imported' | 'skipped' | 'error';
  feed_date: string | null;
  counts: FileCounts;
  message: string | null;
}

/** Outcome of one `import vulns` run. */
export interface VulnImportSummary {
  import_id: number;
  status: 'ok' | 'errors';
  files: ImportFileSummary[];
  totals: FileCounts;
  /** `file: record N (id): why`, at most MAX_REPORTED_PROBLEMS. */
  malformed: string[];
  /** Files that could not be read or recognised, one line each. */
  errors: string[];
  ignored_files: number;
  seconds: number;
  store: Record<string, number>;
}

/** Recognises a feed from the head of the file (null when it is none of the formats). */
export function detectFeedFormat(head: string): FeedFormat | null {
  const t = head.replace(/^\ufeff/, '').trimStart();
  if (t.startsWith('{')) {
    if (/"csaf_version"\s*:/.test(t)) return 'csaf';
    if (/"dataType"\s*:\s*"CVE_RECORD"/.test(t)) return 'cve5';
    if (/"catalogVersion"\s*:\s*"/.test(t) && /"vulnerabilities"\s*:\s*\[/.test(t)) return 'kev-json';
    if (/"format"\s*:\s*"NVD_CVE"/.test(t) || /"vulnerabilities"\s*:\s*\[\s*\{\s*"cve"\s*:/.test(t)) return 'nvd-api';
    if (/^\{\s*"cve"\s*:\s*\{/.test(t) || (/"id"\s*:\s*"CVE-\d+-\d+"/.test(t) && /"(sourceIdentifier|vulnStatus|lastModified)"\s*:/.test(t))) return 'nvd-cve';
    return null;
  }
  const firstLine = t.slice(0, t.search(/\r?\n|$/));
  return isKevCsvHeader(firstLine.split(',').map((s) => s.replace(/^"|"$/g, ''))) ? 'kev-csv' : null;
}

function readHead(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Expands inputs into files: files as given, directories walked recursively for .json/.csv (sorted). */
function expandInputs(inputs: string[]): { files: string[]; ignored: number; errors: string[] } {
  const files: string[] = [];
  const errors: string[] = [];
  let ignored = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(json|csv)$/i.test(e.name)) files.push(p);
      else ignored++;
    }
  };
  for (const input of inputs) {
    try {
      if (statSync(input).isDirectory()) walk(input);
      else files.push(input);
    } catch (err) {
      errors.push(`${input}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
  }
  return { files, ignored, errors };
}

function zero(): FileCounts {
  return { records: 0, inserted: 0, updated: 0, unchanged: 0, stale: 0, malformed: 0 };
}

/** Per-file import state: counters, problems, and the batching of transactions. */
class FileImport {
  readonly counts = zero();
  feedDate: string | null = null;

  constructor(readonly path: string, readonly fileId: number, private readonly db: SqliteStore, private readonly problems: string[]) {}

  /** Counts one upsert outcome and commits every RECORDS_PER_COMMIT records. */
  done(outcome: UpsertOutcome): void {
    this.counts.records++;
    this.counts[outcome]++;
    if (this.counts.records % RECORDS_PER_COMMIT === 0) {
      this.db.commit();
      this.db.begin();
    }
  }

  /** Reports a malformed record (1-based number) and counts it. */
  malformed(record: number, id: string | null, why: string): void {
    this.counts.records++;
    this.counts.malformed++;
    if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push(`${this.path}: record ${record} (${id ?? 'no id'}): ${why}`);
  }
}

function importNvdApi(f: FileImport, vs: VulnStore): string | null {
  const r = streamTopLevelArray(f.path, 'vulnerabilities', {
    scalar: (k, v) => {
      if (k === 'timestamp' && typeof v === 'string') f.feedDate = v;
    },
    element: (e) => {
      if (!e.ok) return f.malformed(e.index + 1, null, e.error);
      const p = parseNvdCve(e.value);
      if (!p.ok) return f.malformed(e.index + 1, nvdElementId(e.value), p.error);
      f.done(vs.upsertVulnerability(p.value, f.fileId, e.index + 1));
    },
  });
  if (!r.ok) return r.error;
  return r.foundArray ? null : "no 'vulnerabilities' array";
}

function importKevJson(f: FileImport, vs: VulnStore): string | null {
  const r = streamTopLevelArray(f.path, 'vulnerabilities', {
    scalar: (k, v) => {
      if ((k === 'dateReleased' || (k === 'catalogVersion' && f.feedDate === null)) && typeof v === 'string') f.feedDate = v;
    },
    element: (e) => {
      if (!e.ok) return f.malformed(e.index + 1, null, e.error);
      const p = parseKevEntry(e.value);
      const id = isObject(e.value) && typeof e.value['cveID'] === 'string' ? e.value['cveID'].slice(0, 64) : null;
      if (!p.ok) return f.malformed(e.index + 1, id, p.error);
      f.done(vs.upsertKev(p.value, f.feedDate, f.fileId, e.index + 1));
    },
  });
  if (!r.ok) return r.error;
  return r.foundArray ? null : "no 'vulnerabilities' array";
}

function importKevCsv(f: FileImport, vs: VulnStore): string | null {
  let header: string[] | null = null;
  let n = 0;
  const r = streamCsvFile(f.path, (rec) => {
    if (header === null) {
      if (rec.ok) header = rec.fields;
      return;
    }
    n++;
    if (!rec.ok) return f.malformed(n, null, `line ${rec.line}: ${rec.error}`);
    const p = parseKevCsvRow(header, rec.fields);
    if (!p.ok) return f.malformed(n, /^CVE-/.test(rec.fields[0] ?? '') ? rec.fields[0]!.slice(0, 64) : null, `line ${rec.line}: ${p.error}`);
    f.done(vs.upsertKev(p.value, null, f.fileId, n));
  });
  return r.ok ? null : r.error;
}

function importDocument(f: FileImport, vs: VulnStore, format: 'nvd-cve' | 'cve5' | 'csaf'): string | null {
  const size = statSync(f.path).size;
  if (size > MAX_DOCUMENT_BYTES) return `${size} bytes: larger than ${MAX_DOCUMENT_BYTES} for a single ${format} document`;
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(f.path, 'utf8').replace(/^\ufeff/, ''));
  } catch (err) {
    f.malformed(1, null, `invalid JSON: ${(err as Error).message}`);
    return null;
  }
  if (format === 'nvd-cve') {
    const p = parseNvdCve(doc);
    if (!p.ok) f.malformed(1, nvdElementId(doc), p.error);
    else f.done(vs.upsertVulnerability(p.value, f.fileId, 1));
  } else if (format === 'cve5') {
    const p = parseCve5(doc);
    if (!p.ok) f.malformed(1, cve5RecordId(doc), p.error);
    else f.done(vs.upsertVulnerability(p.value, f.fileId, 1));
  } else {
    const p = parseCsaf(doc);
    if (!p.ok) {
      f.malformed(1, null, p.error);
      return null;
    }
    f.feedDate = p.value.advisory.current_release_date;
    // the advisory is the record; its vulnerabilities are numbered within it
    for (const s of p.value.skipped) f.malformed(s.index + 1, s.id, `${p.value.advisory.id} ${s.error}`);
    f.done(vs.upsertAdvisory(p.value.advisory, f.fileId));
  }
  return null;
}

const IMPORTERS: Record<FeedFormat, (f: FileImport, vs: VulnStore) => string | null> = {
  'nvd-api': importNvdApi,
  'kev-json': importKevJson,
  'kev-csv': importKevCsv,
  'nvd-cve': (f, vs) => importDocument(f, vs, 'nvd-cve'),
  cve5: (f, vs) => importDocument(f, vs, 'cve5'),
  csaf: (f, vs) => importDocument(f, vs, 'csaf'),
};

function importOneFile(path: string, db: SqliteStore, vs: VulnStore, importId: number, problems: string[]): ImportFileSummary {
  let format: FeedFormat | null;
  try {
    format = detectFeedFormat(readHead(path));
  } catch (err) {
    return { path, format: null, status: 'error', feed_date: null, counts: zero(), message: `cannot read: ${(err as Error).message}` };
  }
  if (format === null) return { path, format, status: 'skipped', feed_date: null, counts: zero(), message: 'not a recognised vulnerability feed' };
  const f = new FileImport(path, vs.addFile(importId, path, format, null), db, problems);
  db.begin();
  let error: string | null;
  try {
    error = IMPORTERS[format](f, vs);
    vs.finishFile(f.fileId, f.counts, f.feedDate, error);
    db.commit();
  } catch (err) {
    db.rollback();
    error = `failed: ${(err as Error).message}`;
  }
  return { path, format, status: error === null ? 'imported' : 'error', feed_date: f.feedDate, counts: f.counts, message: error };
}

/** Imports the feeds found in `inputs` (files or directories) into the store. */
export function importVulnFeeds(db: SqliteStore, inputs: string[], opts: { onFile?: (s: ImportFileSummary) => void } = {}): VulnImportSummary {
  const t0 = performance.now();
  const vs = new VulnStore(db.db);
  const { files, ignored, errors } = expandInputs(inputs);
  const importId = vs.startImport(inputs);
  const problems: string[] = [];
  const summaries: ImportFileSummary[] = [];
  const totals = zero();
  for (const path of files) {
    const s = importOneFile(path, db, vs, importId, problems);
    summaries.push(s);
    opts.onFile?.(s);
    for (const k of Object.keys(totals) as (keyof FileCounts)[]) totals[k] += s.counts[k];
    if (s.status === 'error') errors.push(`${path}: ${s.message}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const status = errors.length > 0 ? 'errors' : 'ok';
  vs.finishImport(importId, status, seconds, { totals, files: summaries.length, ignored_files: ignored });
  return { import_id: importId, status, files: summaries, totals, malformed: problems, errors, ignored_files: ignored, seconds, store: vs.counts() };
}
