/** The CPE alias rules: the shipped file loads; the loader is strict (file:line errors, duplicates refused). */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { findPhrase, foldText, loadCpeAliases, matchAliases, parseAliasRules } from './cpe-aliases.js';

test('the shipped rules load and cover the medical vendors named in the issue', () => {
  const t = loadCpeAliases();
  assert.ok(t.rules.length > 50);
  const vendorsOf = (name: string): string[] => [...new Set(matchAliases(t, 'vendor', name).flatMap((r) => r.vendors))];
  assert.deepEqual(vendorsOf('GE Healthcare'), ['gehealthcare', 'ge']);
  assert.deepEqual(vendorsOf('Becton, Dickinson and Company'), ['bd']);
  assert.deepEqual(vendorsOf('B.Braun Melsungen AG'), ['bbraun']);
  assert.deepEqual(vendorsOf('Drägerwerk AG & Co. KG aA'), ['draeger']);
  assert.deepEqual(vendorsOf('Draeger Medical Systems, Inc.'), ['draeger']);
  assert.deepEqual(vendorsOf('Philips Patient Monitoring'), ['philips']);
  assert.deepEqual(vendorsOf('Siemens Healthineers'), ['siemens']);
  assert.deepEqual(vendorsOf('Smiths Medical'), ['smiths-medical']);
  assert.deepEqual(vendorsOf('Baxter International Inc'), ['baxter']);
  assert.deepEqual(vendorsOf('Medtronic Diabetes'), ['medtronic']);
  assert.deepEqual(vendorsOf('Microsoft Corporation'), ['microsoft']);
  const os = matchAliases(t, 'os', 'Windows 7 Professional 7601 Service Pack 1');
  assert.equal(os[0]!.target, 'cpe:2.3:o:microsoft:windows_7:-:sp1');
  assert.equal(os.length, 1, 'the shorter "windows 7" rule is covered by the longer one');
});

test('text folding and whole-word phrases with small gaps', () => {
  assert.equal(foldText('Drägerwerk AG & Co. KG aA'), 'dragerwerk ag co kg aa');
  assert.equal(foldText('NT LM 0.12'), 'nt lm 0 12');
  assert.equal(findPhrase('windows 7 professional 7601 service pack 1', 'windows 7 service pack 1'), 0);
  assert.equal(findPhrase('windows 70', 'windows 7'), -1);
  assert.equal(findPhrase('a b c d e f service', 'a service'), -1);
});

test('the loader reports every bad line as file:line and refuses duplicates', () => {
  const text = [
    '# comment',
    'vendor\tacme corp\tacme\t0.9',
    'vendor\tacme corp\tacme2\t0.8',
    'vendor\tAcme\tacme\t0.9',
    'os\twindows\tcpe:2.3:o:microsoft:*\t0.9',
    'os\tlinux\tnot-a-cpe\t0.9',
    'software\tx\tcpe:2.3:a:v:p\t1.5',
    'gadget\tx\ty\t0.5',
    'vendor\tx',
    'vendor\tbad\tBad Vendor\t0.5',
    'product\tok thing\tcpe:2.3:h:acme:thing\t1',
  ].join('\n');
  assert.throws(() => parseAliasRules(text, 't.tsv'), (err: Error) => {
    const lines = err.message.split('\n');
    assert.deepEqual(lines.map((l) => l.split(':').slice(0, 2).join(':')), ['t.tsv:3', 't.tsv:4', 't.tsv:5', 't.tsv:6', 't.tsv:7', 't.tsv:8', 't.tsv:9', 't.tsv:10']);
    assert.match(lines[0]!, /already covered by line 2/);
    assert.match(lines[1]!, /not folded/);
    assert.match(lines[2]!, /must name a vendor and a product/);
    assert.match(lines[4]!, /confidence/);
    assert.match(lines[5]!, /unknown kind/);
    return true;
  });
  const ok = parseAliasRules('product\tok thing\tcpe:2.3:h:acme:thing\t1\tnote', 'ok.tsv');
  assert.equal(ok.rules[0]!.where, 'ok.tsv:1');
});
