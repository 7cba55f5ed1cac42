/**
 * One findings assessment over the whole inventory: a context pass (weak devices, zones), then each device's view
 * through every rule, then its findings written (new inserted, still found updated, no longer found resolved). The
 * caller holds the transaction, so an assessment is all-or-nothing. Run at the end of every ingest, by
 * `medtap classify` and by `medtap findings`.
 */
import type Database from 'better-sqlite3';
import { type FindingsData, loadFindingsData } from './data-files.js';
import type { FindingKind } from './device-view.js';
import { FindingsReader, FindingsWriter, type WriteCounts } from './findings-db.js';
import { assessDevice } from './rules.js';

/** Options of an assessment. */
export interface RefreshOptions {
  /** The assessment time (default: now); end-of-support dates are compared with it. */
  now?: Date;
  /** Knowledge data (default: the bundled data/findings/). */
  data?: FindingsData;
}

/** What an assessment did. */
export interface RefreshSummary extends WriteCounts {
  assessed_at: string;
  devices: number;
  /** Open findings found by this assessment, per kind. */
  by_kind: Partial<Record<FindingKind, number>>;
}

/** Recomputes every device's findings (inside the caller's transaction). */
export function refreshFindings(db: Database.Database, opts: RefreshOptions = {}): RefreshSummary {
  const now = opts.now ?? new Date();
  const data = opts.data ?? loadFindingsData();
  const assessedAt = now.toISOString();
  const reader = new FindingsReader(db);
  const ctx = reader.context(data, now.getTime() * 1000);
  const writer = new FindingsWriter(db, assessedAt);
  const byKind: Partial<Record<FindingKind, number>> = {};
  let devices = 0;
  for (const d of reader.devices()) {
    const drafts = assessDevice(reader.view(d), ctx);
    for (const f of drafts) byKind[f.kind] = (byKind[f.kind] ?? 0) + 1;
    writer.write(d.id, drafts);
    devices++;
  }
  return { assessed_at: assessedAt, devices, by_kind: byKind, ...writer.counts };
}
