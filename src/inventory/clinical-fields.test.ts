/** Clinical fields of a device record: category defaults, the register's FDA class override, serials, UDIs, PHI kinds. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { clinicalFields } from './clinical-fields.js';
import type { AttributeRow } from './sqlite-store.js';

const attr = (name: string, value: string, source: string, confidence = 0.6): AttributeRow => ({ name, value, source, confidence, evidence: null, first_seen: null, last_seen: null });

test('defaults come from the category (21 CFR section and class); non-medical and unclassified devices have none', () => {
  const ct = clinicalFields('imaging-ct', [attr('category', 'imaging-ct', 'kb', 0.85)]);
  assert.deepEqual([ct.is_medical, ct.category_confidence, ct.fda_class, ct.fda_class_source, ct.fda_regulation], [true, 0.85, 'II', 'category_default', '892.1750']);
  const aed = clinicalFields('defibrillator', []);
  assert.deepEqual([aed.fda_class, aed.fda_regulation], ['III', '870.5310']);
  const engine = clinicalFields('hl7-interface-engine', []);
  assert.deepEqual([engine.is_medical, engine.fda_class, engine.fda_class_source, engine.fda_regulation], [true, null, null, null]);
  const ws = clinicalFields('workstation', []);
  assert.deepEqual([ws.is_medical, ws.fda_class, ws.fda_regulation], [false, null, null]);
  const none = clinicalFields(null, []);
  assert.deepEqual([none.is_medical, none.category_confidence, none.fda_class], [false, null, null]);
});

test('the asset register\'s FDA class overrides the category default; an invalid one is ignored', () => {
  const f = clinicalFields('patient-monitor', [attr('fda_class', 'III', 'asset_register', 0.7)]);
  assert.deepEqual([f.fda_class, f.fda_class_source, f.fda_regulation], ['III', 'asset_register', '870.1025']);
  const g = clinicalFields('patient-monitor', [attr('fda_class', 'IV', 'asset_register', 0.7), attr('fda_class', 'I', 'hl7')]);
  assert.deepEqual([g.fda_class, g.fda_class_source], ['II', 'category_default']);
});

test('serials, UDIs and PHI kinds: stated values with provenance, strongest first, derived rows left out', () => {
  const f = clinicalFields('infusion-pump', [
    attr('device_serial', 'SN1', 'hl7', 0.3), attr('serial_number', 'SN1', 'asset_register', 0.7), attr('device_serial', 'SN1', 'hl7', 0.3),
    attr('udi', '(01)51022222233336(21)SN1', 'hl7'), attr('udi_device_identifier', '51022222233336', 'hl7'), attr('udi', 'x', 'kb'),
    attr('phi_kind', 'PID:name', 'hl7', 1), attr('phi_kind', 'patient_id', 'dicom', 1), attr('phi_kind', 'PID:name', 'hl7', 1),
  ]);
  assert.deepEqual(f.serials, [{ value: 'SN1', source: 'asset_register', confidence: 0.7 }, { value: 'SN1', source: 'hl7', confidence: 0.3 }]);
  assert.deepEqual(f.udi.map((u) => `${u.kind} ${u.value} ${u.source}`), ['carrier (01)51022222233336(21)SN1 hl7', 'device_identifier 51022222233336 hl7']);
  assert.deepEqual(f.phi_kinds, ['dicom:patient_id', 'hl7:PID:name']);
});
