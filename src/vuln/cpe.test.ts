/**
 * CPE 2.3 formatted-string parsing (NISTIR 7695 §6.2 and its examples) and name matching (NISTIR 7696 §6.1
 * Table 6-2 attribute relations, §6.1.2 wildcards, §6.2 name relations).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ANY, NA, compareCpeNames, compareCpeValues, cpeLiteral, cpeText, formatCpe23, parseCpe23, parseCpeValue, type CpeValue } from './cpe.js';

function value(raw: string): CpeValue {
  const r = parseCpeValue(raw);
  assert.ok(r.ok, `${raw}: ${r.ok ? '' : r.error}`);
  return r.value;
}

function name(fs: string): ReturnType<typeof parseCpe23> & { ok: true } {
  const r = parseCpe23(fs);
  assert.ok(r.ok, `${fs}: ${r.ok ? '' : r.error}`);
  return r;
}

test('NISTIR 7695 §6.2.3 examples unbind as specified', () => {
  // Example 1: cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*
  const e1 = name('cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*').value;
  assert.equal(cpeText(e1.vendor), 'microsoft');
  assert.equal(cpeText(e1.version), '8.0.6001');
  assert.equal(cpeText(e1.update), 'beta');
  assert.deepEqual(e1.edition, ANY);
  // Example 2: quoted '*' is a literal, unquoted '?' a wildcard: version "8.\*", update "sp?"
  const e2 = name('cpe:2.3:a:microsoft:internet_explorer:8.\\*:sp?:*:*:*:*:*:*').value;
  assert.equal(cpeText(e2.version), '8.*');
  assert.equal(e2.update.kind === 'value' && e2.update.trail.q, 1);
  assert.equal(cpeText(e2.update), null);
  // Example 3: NA and escapes in several components
  const e3 = name('cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:-:*:*:online:win2003:x64:*').value;
  assert.deepEqual(e3.update, NA);
  assert.equal(cpeText(e3.target_sw), 'win2003');
  // Example 5: quoted backslash and dollar sign
  const e5 = name('cpe:2.3:a:foo\\\\bar:big\\$money_manager_2010:*:*:*:*:special:ipod_touch:80gb:*').value;
  assert.equal(cpeText(e5.vendor), 'foo\\bar');
  assert.equal(cpeText(e5.product), 'big$money_manager_2010');
});

test('escaped separators and slashes compare on their unescaped value (treck tcp\\/ip, Philips fetal\\/maternal)', () => {
  const t = name('cpe:2.3:a:treck:tcp\\/ip:*:*:*:*:*:*:*:*').value;
  assert.equal(cpeText(t.product), 'tcp/ip');
  const c = name('cpe:2.3:a:acme:a\\:b:1.0').value; // quoted ':' does not split; missing trailing components are ANY
  assert.equal(cpeText(c.product), 'a:b');
  assert.deepEqual(c.other, ANY);
  assert.equal(formatCpe23(t), 'cpe:2.3:a:treck:tcp\\/ip:*:*:*:*:*:*:*:*');
  assert.equal(cpeText(name('cpe:2.3:O:Microsoft:Windows_7:-').value.vendor), 'microsoft'); // case-insensitive
});

test('malformed formatted strings are rejected with a reason', () => {
  for (const [fs, why] of [
    ['cpe:/a:microsoft:windows', "not a 'cpe:2.3:'"],
    ['cpe:2.3:a:microsoft', "not a 'cpe:2.3:'"],
    ['cpe:2.3:x:microsoft:windows:1', "part 'x'"],
    ['cpe:2.3:a:microsoft:win*dows:1', 'wildcard inside'],
    ['cpe:2.3:a:microsoft:windows:1:2:3:4:5:6:7:8:9', 'components'],
    ['cpe:2.3:a:micro soft:windows', 'space'],
    ['cpe:2.3:a:microsoft:windows\\', 'backslash at end'],
    ['cpe:2.3:a::windows', 'empty component'],
    ['cpe:2.3:a:microsoft:**:1', "'*' must stand alone"],
  ]) {
    const r = parseCpe23(fs!);
    assert.ok(!r.ok, fs);
    assert.match(r.error, new RegExp(why!.replace(/[*]/g, '\\*')), fs);
  }
  assert.ok(!parseCpe23('x'.repeat(2000)).ok);
});

test('NISTIR 7696 Table 6-2: attribute relations for every pairing of ANY, NA and values', () => {
  const i = cpeLiteral('i');
  const k = cpeLiteral('k');
  const rows: [CpeValue, CpeValue, string][] = [
    [ANY, ANY, 'EQUAL'], [ANY, NA, 'SUPERSET'], [ANY, i, 'SUPERSET'], [ANY, value('m*'), 'UNDEFINED'],
    [NA, ANY, 'SUBSET'], [NA, NA, 'EQUAL'], [NA, i, 'DISJOINT'],
    [i, i, 'EQUAL'], [i, k, 'DISJOINT'], [i, ANY, 'SUBSET'], [i, NA, 'DISJOINT'], [value('i*'), value('k'), 'DISJOINT'],
  ];
  for (const [s, t, rel] of rows) assert.equal(compareCpeValues(s, t), rel, `${JSON.stringify(s)} vs ${JSON.stringify(t)}`);
});

test('NISTIR 7696 §6.1.2 wildcards: * any run, ? at most one character each, only at the ends', () => {
  const cases: [string, string, boolean][] = [
    ['8.0*', '8.0.6001', true], ['8.0*', '8.1', false], ['*6001', '8.0.6001', true], ['sp?', 'sp1', true], ['sp?', 'sp', true],
    ['sp?', 'sp12', false], ['sp??', 'sp12', true], ['?.0', '8.0', true], ['?.0', '10.0', false], ['*', 'x', true], ['?', 'ab', false],
  ];
  for (const [pattern, target, holds] of cases) {
    assert.equal(compareCpeValues(value(pattern), cpeLiteral(target)), holds ? 'SUPERSET' : 'DISJOINT', `${pattern} vs ${target}`);
  }
});

test('NISTIR 7696 §6.2 name relations', () => {
  const src = name('cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*').value;
  assert.equal(compareCpeNames(src, name('cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:*:*').value), 'EQUAL');
  assert.equal(compareCpeNames(src, name('cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:x64:*').value), 'SUPERSET');
  assert.equal(compareCpeNames(src, name('cpe:2.3:o:microsoft:windows_7:-:*:*:*:*:*:*:*').value), 'SUBSET');
  assert.equal(compareCpeNames(src, name('cpe:2.3:o:microsoft:windows_7:-:sp2').value), 'DISJOINT');
  assert.equal(compareCpeNames(src, name('cpe:2.3:o:microsoft:windows_8.1:-:sp1').value), 'DISJOINT');
  assert.equal(compareCpeNames(src, name('cpe:2.3:o:microsoft:windows_7:-:sp?').value), 'UNDEFINED');
});
