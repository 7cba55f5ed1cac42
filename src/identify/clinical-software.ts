/**
 * Software claims from the clinical protocols' identity facts (pure): a DICOM Implementation Version Name matched by
 * data/dicom/implementation-versions.tsv (`OFFIS_DCMTK_368` → DCMTK/3.6.8), and a POCT1-A Hello's DEV.model_id with
 * DEV.sw_version (`GLU-9/3.4.5`). Each claim names the data line (or the POCT1-A element) it rests on, so the
 * evidence trail stays reviewable; the values feed vulnerability matching like any other `software` value.
 */
import type { Claim, Fact } from '../knowledge/knowledge-base.js';
import type { FingerprintRule } from '../knowledge/rule-file.js';
import { DicomKnowledge } from './dicom-knowledge.js';

/** Confidence of a toolkit version read from an Implementation Version Name (the name is the software's own). */
export const DICOM_SOFTWARE_CONFIDENCE = 0.9;
/** Confidence of a POCT1-A device's firmware version (self-described in its Hello). */
export const POCT1A_SOFTWARE_CONFIDENCE = 0.85;

/** A pseudo rule for the evidence trail. */
function ruleOf(id: string, fact: string, pattern: string, ref: string, refText: string, value: string, confidence: number): FingerprintRule {
  const [file, line] = id.split(':');
  return { id, file: file ?? id, line: Number(line ?? 0), source: null, fact, kind: 'exact', pattern, regex: null, outputs: [{ attribute: 'software', value, confidence }], ref, refText };
}

/** The fact names clinicalSoftwareClaims reads. */
export const CLINICAL_SOFTWARE_FACT_NAMES: readonly string[] = ['dicom_implementation_version', 'poct1a_model_id', 'poct1a_sw_version'];

/** Software claims of one device's facts. */
export function clinicalSoftwareClaims(facts: readonly Fact[], dicom: DicomKnowledge): Claim[] {
  const out: Claim[] = [];
  for (const f of facts) {
    if (f.name !== 'dicom_implementation_version') continue;
    const v = dicom.version(f.value);
    if (v === null) continue;
    const value = v.version === null ? v.product : `${v.product}/${v.version}`;
    const rule = ruleOf(v.rule, f.name, f.value, 'dicom-implementation-versions', 'DICOM Implementation Version Name patterns (data/dicom/implementation-versions.tsv, PS3.7 D.3.3.2)', value, DICOM_SOFTWARE_CONFIDENCE);
    out.push({ attribute: 'software', value, confidence: DICOM_SOFTWARE_CONFIDENCE, rule, fact: f, together: { software: value } });
  }
  const model = facts.filter((f) => f.name === 'poct1a_model_id').sort((a, b) => b.last - a.last)[0];
  for (const f of facts) {
    if (f.name !== 'poct1a_sw_version') continue;
    const value = `${model?.value ?? 'POCT1-A device'}/${f.value}`;
    const rule = ruleOf('poct1a:DEV.sw_version', f.name, f.value, 'poct1a-hello', 'CLSI POCT1-A2 DML HEL.R01: DEV.model_id and DEV.sw_version, the device describing itself', value, POCT1A_SOFTWARE_CONFIDENCE);
    out.push({ attribute: 'software', value, confidence: POCT1A_SOFTWARE_CONFIDENCE, rule, fact: f, together: { software: value } });
  }
  return out;
}
