/**
 * The "Risk" section of `medtap device <id>`: the device's record in the latest stored assessment (no assessment is
 * run from here) with every component, and its index over every run (the timeline).
 */
import type Database from 'better-sqlite3';
import { latestRunId, riskTimeline, runRecords, type DeviceRiskRecord } from '../risk/assess.js';
import { formatRiskExplanation } from './risk-command.js';

/** The device's latest risk record, or null when no run assessed it. */
export function latestDeviceRisk(db: Database.Database, deviceId: number): DeviceRiskRecord | null {
  const run = latestRunId(db);
  return run === null ? null : runRecords(db, run, deviceId)[0] ?? null;
}

/** The Risk section as text. */
export function formatDeviceRiskSection(db: Database.Database, deviceId: number): string {
  const r = latestDeviceRisk(db, deviceId);
  if (r === null) return "(no assessment yet: run 'medtap assess')";
  const timeline = riskTimeline(db, deviceId).map((t) => `${t.at.slice(0, 19)}Z ${t.risk_index}`).join(', ');
  return `${formatRiskExplanation(r)}\ntimeline (run time, index): ${timeline}\nassessment run ${r.run_id} at ${r.assessed_at}`;
}
