/**
 * Unit tests of the UDI parser (udi.ts): each issuing agency's layout from its standard, check digits and
 * characters computed by hand from the standards' rules, texts that are not UDIs, and random input.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Prng } from '../synth/prng.js';
import { gs1CheckDigitOk, hibccCheckCharacter, parseUdi, UDI_ANOMALIES } from './udi.js';

// GS1 General Specifications §3.2 / §7.9.1. The FDA's UDI example (GS1 HRI form, as printed under the bar code):
// (01) GTIN 51022222233336, (11) production date 141231, (17) expiration 150707, (10) lot A213B1, (21) serial 1234.
// Check digit by hand: 5102222223333 → from the right 3·3+3·1+3·3+3·1+2·3+2·1+2·3+2·1+2·3+2·1+0·3+1·1+5·3 = 64 → 6.
const FDA_EXAMPLE = '(01)51022222233336(11)141231(17)150707(10)A213B1(21)1234';

test('GS1 with parentheses: DI and every production identifier (FDA example)', () => {
  const u = parseUdi(FDA_EXAMPLE)!;
  assert.equal(u.issuer, 'GS1');
  assert.equal(u.device_identifier, '51022222233336');
  assert.equal(u.check_ok, true);
  assert.equal(u.manufacture_date, '141231');
  assert.equal(u.manufacture_date_format, 'YYMMDD');
  assert.equal(u.expiry_date, '150707');
  assert.equal(u.lot, 'A213B1');
  assert.equal(u.serial, '1234');
  assert.deepEqual(u.anomalies, []);
});

test('GS1 element string: fixed-length AIs run on, variable-length ones end at GS (FNC1, §7.8.5) or the end', () => {
  // 01 GTIN | 11 date | 17 date | 10 lot <GS> | 21 serial (last: no separator)
  const u = parseUdi('0151022222233336' + '11141231' + '17150707' + '10A213B1\x1d' + '211234')!;
  assert.deepEqual([u.device_identifier, u.manufacture_date, u.expiry_date, u.lot, u.serial], ['51022222233336', '141231', '150707', 'A213B1', '1234']);
  // the same with a symbology identifier (]d2: GS1 DataMatrix) and the text "<GS>" for the separator
  const v = parseUdi(']d20151022222233336' + '10A213B1<GS>' + '211234')!;
  assert.deepEqual([v.device_identifier, v.lot, v.serial], ['51022222233336', 'A213B1', '1234']);
  // (8012) software version, (7003) expiration date and time
  const w = parseUdi('(01)51022222233336(8012)4.2.1(7003)2501311200')!;
  assert.deepEqual([w.software_version, w.expiry_date, w.expiry_date_format], ['4.2.1', '2501311200', 'YYMMDDHHMM']);
});

test('GS1 check digit: a wrong one is reported; a bare digit string with a wrong one is not a UDI', () => {
  assert.equal(gs1CheckDigitOk('51022222233336'), true);
  assert.equal(gs1CheckDigitOk('00012345600012'), true); // 0001234560001 from the right: 1·3+6·3+5+4·3+3+2·3+1 = 48 → 2
  assert.equal(gs1CheckDigitOk('51022222233335'), false);
  const u = parseUdi('(01)51022222233335(21)9')!;
  assert.equal(u.check_ok, false);
  assert.deepEqual(u.anomalies, ['gtin_check_digit']);
  assert.equal(parseUdi('0151022222233335211234'), null);
});

test('GS1 anomalies: bad lengths, unknown AI, duplicates', () => {
  assert.deepEqual(parseUdi('(01)51022222233336(17)1507')!.anomalies, ['bad_element:17']);
  assert.deepEqual(parseUdi('(01)51022222233336(99)X(21)1')!.anomalies, ['unknown_element:99']);
  assert.deepEqual(parseUdi('(01)51022222233336(21)1(21)2')!.anomalies, ['duplicate_element:21']);
  assert.deepEqual(parseUdi('015102222223333699ABC')!.anomalies, ['unknown_element:99AB']);
  assert.equal(parseUdi('(17)150707(01)51022222233336'), null, 'the DI must come first');
});

// ANSI/HIBC 2.6 Supplier Labeling Standard: §2.2 primary "+" LIC(4) PCN(1–18) U/M(1) check; §2.4 concatenation
// "/"; §2.3 secondary "$$" + date flag + date + lot, "$" + lot, "$+" serial; §2.5 "/S" serial, "/16D" manufacture,
// "/14D" expiry (YYYYMMDD). Appendix C: check character = sum of the values (0–9, A–Z = 10–35, "-" 36, "." 37,
// " " 38, "$" 39, "/" 40, "+" 41, "%" 42) mod 43.
test('HIBCC primary data structure and its mod-43 check character', () => {
  // "+A123BJC5D6E71": + (41) A (10) 1 2 3 B (11) J (19) C (12) 5 D (13) 6 E (14) 7 1 → 41+10+6+11+19+12+5+13+6+14+7+1 = 145 → 145 mod 43 = 16 → G
  assert.equal(hibccCheckCharacter('+A123BJC5D6E71'), 'G');
  const u = parseUdi('+A123BJC5D6E71G')!;
  assert.equal(u.issuer, 'HIBCC');
  assert.equal(u.device_identifier, 'A123BJC5D6E71');
  assert.equal(u.check_ok, true);
  assert.deepEqual([u.lot, u.serial, u.expiry_date], [null, null, null]);
  const bad = parseUdi('+A123BJC5D6E71H')!;
  assert.equal(bad.check_ok, false);
  assert.deepEqual(bad.anomalies, ['hibcc_check_character']);
});

test('HIBCC concatenated primary/secondary with supplemental data (§2.3–2.5)', () => {
  // +X999 LIC, PCN 123ABC, U/M 0; $$0519 = MMYY expiry then lot 1234AB; /S serial; /16D manufacture date; check A
  const u = parseUdi('+X999123ABC0/$$05191234AB/S5678EDFG/16D20151001A')!;
  assert.deepEqual(
    [u.device_identifier, u.expiry_date, u.expiry_date_format, u.lot, u.serial, u.manufacture_date, u.check_ok],
    ['X999123ABC0', '0519', 'MMYY', '1234AB', '5678EDFG', '20151001', true],
  );
  // "$" lot without a date, then /14D expiry
  const v = parseUdi('+X999123ABC0/$1234AB/S5678EDFG/16D20151001/14D20190515.')!;
  assert.deepEqual([v.lot, v.expiry_date, v.expiry_date_format, v.check_ok], ['1234AB', '20190515', 'YYYYMMDD', true]);
  // $$3 = YYMMDD; $$+ = the field after the date is a serial number, not a lot
  const w = parseUdi(`+X999123ABC0/$$+3190515SN42${hibccCheckCharacter('+X999123ABC0/$$+3190515SN42')}`)!;
  assert.deepEqual([w.expiry_date, w.expiry_date_format, w.serial, w.lot, w.check_ok], ['190515', 'YYMMDD', 'SN42', null, true]);
  // $$5 = YYJJJ (Julian)
  const x = parseUdi(`+X999123ABC0/$$519135LOT7${hibccCheckCharacter('+X999123ABC0/$$519135LOT7')}`)!;
  assert.deepEqual([x.expiry_date, x.expiry_date_format, x.lot], ['19135', 'YYJJJ', 'LOT7']);
});

// ICCBBA ST-011 (ISBT 128 for medical devices): "=/" PPIC (DS 034, 16 characters) is the DI; "=," serial (DS 032,
// 6), "=" DIN (DS 001, 15), "=>" expiration cyyjjj (DS 004), "=}" production date cyyjjj (DS 008), "&,1" lot (DS 035).
test('ICCBBA ISBT 128: PPIC, serial, DIN, dates and lot', () => {
  const u = parseUdi('=/1AB370000007JC89=,000001=A999914123456A0=>030329=}025226&,1LOT000000000000042')!;
  assert.equal(u.issuer, 'ICCBBA');
  assert.equal(u.device_identifier, '1AB370000007JC89');
  assert.deepEqual([u.serial, u.donation_id, u.expiry_date, u.manufacture_date, u.lot], ['000001', 'A999914123456A0', '030329', '025226', 'LOT000000000000042']);
  assert.equal(u.check_ok, null);
  assert.deepEqual(u.anomalies, []);
  // a compound message header (DS 023) before the data structures
  assert.equal(parseUdi('=+03001=/1AB370000007JC89=,000001')!.serial, '000001');
  assert.deepEqual(parseUdi('=/1AB370000007JC89=>03')!.anomalies, ['bad_element:=>']);
});

test('texts that are not UDIs', () => {
  for (const t of ['', 'Hospira Plum A+', 'PUMP-0042', '0123456789ABCDEF', '12345678901234', '+12', '=/SHORT', '(10)LOT', 'x'.repeat(300)]) {
    assert.equal(parseUdi(t), null, JSON.stringify(t));
  }
});

test('random and mutated texts never throw and keep the documented anomaly names', () => {
  const rng = new Prng(0x0d1);
  const alphabet = '0123456789ABCDEFXYZ()+/$=,>}&%.- \x1d]d2';
  const seeds = [FDA_EXAMPLE, '+X999123ABC0/$$05191234AB/S5678EDFG/16D20151001A', '=/1AB370000007JC89=,000001=>030329'];
  for (let i = 0; i < 20000; i++) {
    let s = rng.pick(seeds).split('');
    for (let k = rng.int(1, 6); k > 0; k--) {
      const at = rng.int(0, s.length);
      if (rng.chance(0.5)) s.splice(at, 1, alphabet[rng.int(0, alphabet.length - 1)]!);
      else s = s.slice(0, at);
    }
    const u = parseUdi(s.join(''));
    if (u === null) continue;
    assert.ok(u.device_identifier.length > 0);
    for (const a of u.anomalies) assert.ok(a.split(':')[0]! in UDI_ANOMALIES, a);
  }
});
