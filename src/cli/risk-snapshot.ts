/**
 * Shared by `medtap risk`, `medtap remediation` and the device page: the latest stored risk snapshot, assessing
 * first (and storing that run) when none exists yet; the threshold and device-id options parsed once.
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

/** A positive integer option (device id, limit), or undefined when absent; usage error when invalid. */
export function positiveIntOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} must be a positive integer, not '${text}'`, 2);
  return n;
}

/** The records of the latest run (of one device when given), after running an assessment if none is stored. */
export function latestRecords(db: Database.Database, threshold: number, deviceId?: number): { runId: number; assessedNow: boolean; records: DeviceRiskRecord[] } {
  if (deviceId !== undefined && db.prepare('SELECT 1 FROM devices WHERE id = ?').get(deviceId) === undefined) {
    throw new CliError(`no device ${deviceId} (see 'medtap devices')`);
  }
  let runId = latestRunId(db);
  let assessedNow = false;
  if (runId === null) {
    runId = runAssessment(db, threshold).summary.run_id;
    assessedNow = true;
  }
  return { runId, assessedNow, records: runRecords(db, runId, deviceId) };
}
