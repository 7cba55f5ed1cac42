import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categoryDefaults, loadCategories, parseCategories } from './categories.js';
import { DEVICE_CATEGORIES } from './vocabulary.js';

test('every vocabulary category has defaults; the DESIGN §3 examples hold', () => {
  const all = loadCategories();
  assert.equal(all.size, DEVICE_CATEGORIES.length);
  // DESIGN §3: infusion pump 880.5725 (II), monitor 870.x (II), ventilator 868.5895 (II), CT 892.1750 (II),
  // MR 892.1000 (II), ultrasound 892.1550 (II), image management 892.2050 (II), AED 870.5310 (III).
  const expect: [string, string, string][] = [
    ['infusion-pump', '880.5725', 'II'], ['ventilator', '868.5895', 'II'], ['imaging-ct', '892.1750', 'II'],
    ['imaging-mr', '892.1000', 'II'], ['imaging-us', '892.1550', 'II'], ['pacs', '892.2050', 'II'], ['defibrillator', '870.5310', 'III'],
  ];
  for (const [c, reg, cls] of expect) {
    const d = categoryDefaults(c);
    assert.equal(d.regulation, reg, c);
    assert.equal(d.fda_class, cls, c);
    assert.equal(d.medical, true, c);
  }
  assert.match(categoryDefaults('patient-monitor').regulation!, /^870\.(1025|2300)$/);
  for (const c of ['ventilator', 'infusion-pump', 'anesthesia', 'dialysis', 'defibrillator']) assert.equal(categoryDefaults(c).life_supporting || categoryDefaults(c).therapy, true, c);
  assert.equal(categoryDefaults('workstation').medical, false);
  assert.equal(categoryDefaults(null).category, 'unknown');
  assert.equal(categoryDefaults('no-such').category, 'unknown');
});

test('the loader rejects malformed lines with file:line', () => {
  const good = DEVICE_CATEGORIES.map((c) => `${c}\tno\t-\t-\tno\tno\tnone\tlow\tx`).join('\n');
  assert.equal(parseCategories(good).size, DEVICE_CATEGORIES.length);
  const bad = (text: string, re: RegExp): void => assert.throws(() => parseCategories(text, 'f.tsv'), re);
  bad(good.replace('unknown\tno', 'unknown\tmaybe'), /f\.tsv:\d+: medical must be yes or no/);
  bad(good.replace('printer\tno\t-\t-', 'printer\tno\t-\tIV'), /FDA class IV/);
  bad(good.replace('printer\tno\t-', 'printer\tno\t123'), /not a 21 CFR/);
  bad(`${good}\nprinter\tno\t-\t-\tno\tno\tnone\tlow\tx`, /duplicate category printer, already on line/);
  bad(good.replace(/^mobile.*$/m, ''), /no line for mobile/);
  bad(good.replace('iot-other', 'toaster'), /toaster is not a device category/);
  bad(good.replace('\tlow\tx', '\tlow'), /8 tab-separated fields, expected 9/);
});
