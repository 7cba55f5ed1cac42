/** Asset register reading tests: default header names, mapping files, value checks, per-row errors with line and column, JSON input. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { assetKey, checkValue, defaultFieldOf, parseMapping } from './asset-fields.js';
import { elementLines, readAssetFile } from './asset-file.js';

const NO_MAPPING = new Map();

test('common register headers are recognised whatever their case and punctuation', () => {
  assert.equal(defaultFieldOf('MAC Address'), 'mac');
  assert.equal(defaultFieldOf('mac_address'), 'mac');
  assert.equal(defaultFieldOf('Equipment ID'), 'asset_tag');
  assert.equal(defaultFieldOf('Serial No.'), 'serial');
  assert.equal(defaultFieldOf('Manufacturer'), 'vendor');
  assert.equal(defaultFieldOf('Point of Contact'), 'owner');
  assert.equal(defaultFieldOf('FDA Class Override'), 'fda_class');
  assert.equal(defaultFieldOf('Backup or Redundancy'), 'backup');
  assert.equal(defaultFieldOf('Last PM Date'), null);
});

test('a mapping file names register columns; null ignores one; unknown fields are refused', () => {
  const m = parseMapping({ 'Equip #': 'asset_tag', 'Net Addr': 'ip', Location: null });
  assert.ok(m instanceof Map);
  const r = readAssetFile('Equip #,Net Addr,Location,MAC\r\nE1,10.0.0.9,Ward 1,00-09-FB-00-00-01\r\n', false, m);
  assert.ok(!('error' in r));
  assert.deepEqual(r.rows, [{ line: 2, key: 'asset_tag:E1', values: { asset_tag: 'E1', ip: '10.0.0.9', mac: '00:09:fb:00:00:01' } }]);
  assert.deepEqual(r.ignored_columns, ['Location']);
  assert.match(String(parseMapping({ X: 'colour' })), /column 'X': 'colour' is not a medtap field/);
  assert.match(String(parseMapping(['asset_tag'])), /must be a JSON object/);
});

test('values are checked and normalised', () => {
  assert.deepEqual(checkValue('mac', 'F8C6.780E.5292'), { ok: true, value: 'f8:c6:78:0e:52:92' });
  assert.deepEqual(checkValue('mac', 'f8c6780e5292'), { ok: true, value: 'f8:c6:78:0e:52:92' });
  assert.equal(checkValue('mac', 'f8:c6:78:0e:52').ok, false);
  assert.equal(checkValue('mac', 'f8:c6-78:0e:52:9g').ok, false);
  assert.deepEqual(checkValue('ip', ' 10.1.2.3 '), { ok: true, value: '10.1.2.3' });
  assert.equal(checkValue('ip', '10.1.2.300').ok, false);
  assert.deepEqual(checkValue('fda_class', 'Class 2'), { ok: true, value: 'II' });
  assert.deepEqual(checkValue('fda_class', 'iii'), { ok: true, value: 'III' });
  assert.equal(checkValue('fda_class', 'IV').ok, false);
  assert.deepEqual(checkValue('managed_by', 'Biomed'), { ok: true, value: 'clinical-engineering' });
  assert.deepEqual(checkValue('managed_by', 'Third-party'), { ok: true, value: 'contractor' });
  assert.equal(checkValue('managed_by', 'nobody').ok, false);
  assert.deepEqual(checkValue('backup', 'Y'), { ok: true, value: 'yes' });
  assert.equal(checkValue('security_access', 'maybe').ok, false);
  assert.deepEqual(checkValue('room', 'Rack 4\r\n U12'), { ok: true, value: 'Rack 4 U12' });
  assert.equal(checkValue('room', 'a\u0007b').ok, false);
  assert.deepEqual(checkValue('hostname', 'PUMP-03.Example.LOCAL'), { ok: true, value: 'pump-03.example.local' });
});

test('the asset key is the tag, else serial, UDI, MAC, host name, IP', () => {
  assert.equal(assetKey({ asset_tag: 'bme-1', mac: '00:00:00:00:00:01' }), 'asset_tag:BME-1');
  assert.equal(assetKey({ mac: '00:00:00:00:00:01', ip: '10.0.0.1' }), 'mac:00:00:00:00:00:01');
  assert.equal(assetKey({ ip: '10.0.0.1' }), 'ip:10.0.0.1');
  assert.equal(assetKey({ department: 'ICU' }), null);
});

test('bad rows are reported with line, column and why; good rows around them are kept', () => {
  const csv = [
    'Asset Tag,MAC Address,IP Address,Location,FDA Class', // 1
    'A1,00:09:fb:00:00:01,10.0.0.1,"ICU, bed 1",II', // 2
    'A2,00:09:fb:00:00:0z,10.0.0.2,ICU,II', // 3: bad MAC
    'A3,00:09:fb:00:00:03,10.0.0.3,"Rack 4', // 4-5: a quoted cell over two lines
    'U12",III',
    ',,,Storage,I', // 6: nothing identifies it
    'A4,00:09:fb:00:00:04', // 7: too few fields
    'A1,00:09:fb:00:00:05,10.0.0.5,ICU,II', // 8: same tag as line 2
    'A5,00:09:fb:00:00:06,10.0.0.6,ICU,4', // 9: no such FDA class
    'A6,00:09:fb:00:00:07,10.0.0.7,IC"U,II', // 10: stray quote
    'A7,00:09:fb:00:00:08,10.0.0.8,ICU,I', // 11
  ].join('\r\n');
  const r = readAssetFile(csv, false, NO_MAPPING);
  assert.ok(!('error' in r));
  assert.equal(r.records, 9);
  assert.deepEqual(r.rows.map((x) => [x.line, x.key]), [[2, 'asset_tag:A1'], [4, 'asset_tag:A3'], [11, 'asset_tag:A7']]);
  assert.equal(r.rows[0]!.values.room, 'ICU, bed 1');
  assert.equal(r.rows[1]!.values.room, 'Rack 4 U12');
  assert.deepEqual(r.errors.map((e) => [e.line, e.column]), [[3, 'MAC Address'], [6, '-'], [7, '-'], [8, '-'], [9, 'FDA Class'], [10, '-']]);
  assert.match(r.errors[0]!.why, /'00:09:fb:00:00:0z' is not a MAC address/);
  assert.match(r.errors[1]!.why, /no identifying value/);
  assert.match(r.errors[2]!.why, /2 fields, the header has 5/);
  assert.match(r.errors[3]!.why, /same asset \(asset_tag:A1\) as line 2/);
  assert.match(r.errors[4]!.why, /not an FDA device class/);
  assert.match(r.errors[5]!.why, /double quote inside an unquoted field/);
});

test('a file without a usable header is refused as a whole', () => {
  assert.deepEqual(readAssetFile('', false, NO_MAPPING), { error: 'empty file: no header line' });
  assert.match((readAssetFile('"open\n', false, NO_MAPPING) as { error: string }).error, /header/);
});

test('JSON: an array of flat objects, each error on the line where its element starts', () => {
  const json = `[
  { "Asset Tag": "J1", "MAC": "00:09:fb:00:00:01", "Security Access": true },
  {
    "Asset Tag": "J2",
    "IP": "10.0.0.300"
  },
  { "Asset Tag": "J3", "Location": { "room": 4 } },
  "not an object",
  { "Asset Tag": "J4", "Serial": 12345, "Notes": "a [bracket], a {brace} and a \\"quote\\"" }
]`;
  assert.deepEqual(elementLines(json), [2, 3, 7, 8, 9]);
  const r = readAssetFile(json, true, NO_MAPPING);
  assert.ok(!('error' in r));
  assert.deepEqual(r.rows.map((x) => [x.line, x.key]), [[2, 'asset_tag:J1'], [9, 'asset_tag:J4']]);
  assert.equal(r.rows[0]!.values.security_access, 'yes');
  assert.equal(r.rows[1]!.values.serial, '12345');
  assert.deepEqual(r.errors.map((e) => [e.line, e.column]), [[3, 'IP'], [7, 'Location'], [8, '-']]);
  assert.deepEqual(r.ignored_columns, ['Notes']);
  assert.match((readAssetFile('{"a":1}', true, NO_MAPPING) as { error: string }).error, /array of objects/);
  assert.match((readAssetFile('[{', true, NO_MAPPING) as { error: string }).error, /not valid JSON/);
});
