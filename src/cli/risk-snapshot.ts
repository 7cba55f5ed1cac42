/**
 * Shared by `medtap risk`, `medtap remediation` and the device page: the latest stored risk snapshot, assessing
 * first (and storing that run) when none exists yet; the threshold option parsed once.
 */
import type Database from 'better-sqlite3';
import { latestRunId, runAssessment, runRecords, type DeviceRiskRecord } from '../risk/assess.js';
import { resolveThreshold } from '../risk/threshold.js';
import { CliError } from './cli-error.js';

/** The threshold from `--threshold` / MEDTAP_RISK_THRESHOLD / the default; usage error (exit 2) when invalid. */
export function thresholdOption(option: string | undefined): number {
  const t = resolveThreshold(option);
  if (!t.ok) throw new CliError(t.error, 2);
  return t.value;
}


/**
 * True when the inventory, the asset register or the vulnerability feeds changed after assessment run `runId`
 * (an ingest, asset import or feed import started after it): its records would describe an older state.
 */
export function assessmentIsStale(db: Database.Database, runId: number): boolean {
  const at = (db.prepare('SELECT at FROM assessment_runs WHERE id = ?').get(runId) as { at: string } | undefined)?.at;
  if (at === undefined) return true;
  const newer = (sql: string): boolean => ((db.prepare(sql).get() as { t: string | null }).t ?? '') > at;
  return newer('SELECT MAX(started_at) AS t FROM ingest_runs') || newer('SELECT MAX(started_at) AS t FROM vuln_imports')
    || newer('SELECT MAX(imported_at) AS t FROM asset_imports');
}

/**
 * The records of the latest run (of one device when given), after running an assessment first if none is stored or
 * the latest is stale (assessmentIsStale).
 */
export function latestRecords(db: Database.Database, threshold: number, deviceId?: number): { runId: number; assessedNow: boolean; records: DeviceRiskRecord[] } {
  if (deviceId !== undefined && db.prepare('SELECT 1 FROM devices WHERE id = ?').get(deviceId) === undefined) {
    throw new CliError(`no device ${deviceId} (see 'medtap devices')`);
  }
  let runId = latestRunId(db);
  let assessedNow = false;
  if (runId === null || assessmentIsStale(db, runId)) {
    runId = runAssessment(db, threshold).summary.run_id;
    assessedNow = true;
  }
  return { runId, assessedNow, records: runRecords(db, runId, deviceId) };
}
