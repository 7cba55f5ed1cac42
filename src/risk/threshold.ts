/**
 * The acceptable-risk threshold (DESIGN §4: "an organisation sets its acceptable risk level"): devices whose index
 * is above it are the work list. From `--threshold N`, else the environment variable MEDTAP_RISK_THRESHOLD, else
 * DEFAULT_THRESHOLD (src/risk/README.md says why 40).
 */
import { DEFAULT_THRESHOLD } from './risk-index.js';

/** Environment variable holding the organisation's threshold. */
export const THRESHOLD_ENV = 'MEDTAP_RISK_THRESHOLD';

/** The threshold to use, or an error text when a given value is not an integer 0–100. */
export function resolveThreshold(option: string | undefined, env: string | undefined = process.env[THRESHOLD_ENV]): { ok: true; value: number; from: string } | { ok: false; error: string } {
  const [text, from] = option !== undefined ? [option, '--threshold'] : env !== undefined && env.trim() !== '' ? [env, THRESHOLD_ENV] : [null, 'default'];
  if (text === null) return { ok: true, value: DEFAULT_THRESHOLD, from };
  const n = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || n > 100) return { ok: false, error: `${from}: the risk threshold must be an integer from 0 to 100, not '${text}'` };
  return { ok: true, value: n, from };
}
