/** The streaming JSON array reader and the CSV reader: every chunking, truncation, oversize elements, scalars. */
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { streamTopLevelArray, TopLevelArrayScanner, type StreamElement } from './json-stream.js';
import { CsvParser, streamCsvFile, type CsvRecord } from './csv-stream.js';

const DOC = '\ufeff{"resultsPerPage": 3, "format":"NVD_CVE", "nested": {"vulnerabilities": [1]}, "timestamp" : "2025-01-01T00:00:00.000",\n' +
  ' "vulnerabilities": [ {"cve": {"id": "CVE-1", "d": "a \\"quoted\\" ] } string"}}, {"cve":{"id":"CVE-2","x":[1,[2,{"y":"é ü"}]]}} ,{"bad": tru} , 42, "s" ],\n' +
  ' "after": true }';

function scan(text: string, chunk: number): { elements: StreamElement[]; scalars: Record<string, unknown>; end: string | null } {
  const elements: StreamElement[] = [];
  const scalars: Record<string, unknown> = {};
  const s = new TopLevelArrayScanner('vulnerabilities', { element: (e) => void elements.push(e), scalar: (k, v) => void (scalars[k] = v) }, 1 << 20);
  const b = Buffer.from(text, 'utf8');
  for (let i = 0; i < b.length; i += chunk) if (!s.push(Buffer.from(b.subarray(i, i + chunk)))) break;
  return { elements, scalars, end: s.finish() };
}

test('elements and scalars come out the same for every chunk size (1 byte … whole)', () => {
  const whole = scan(DOC, 1 << 20);
  assert.equal(whole.end, null);
  assert.equal(whole.elements.length, 5);
  assert.deepEqual(whole.elements[0], { index: 0, ok: true, value: { cve: { id: 'CVE-1', d: 'a "quoted" ] } string' } } });
  assert.deepEqual(whole.elements[1], { index: 1, ok: true, value: { cve: { id: 'CVE-2', x: [1, [2, { y: 'é ü' }]] } } });
  assert.equal(whole.elements[2]!.ok, false);
  assert.match((whole.elements[2] as { error: string }).error, /invalid JSON/);
  assert.deepEqual(whole.elements[3], { index: 3, ok: true, value: 42 });
  assert.deepEqual(whole.elements[4], { index: 4, ok: true, value: 's' });
  assert.deepEqual(whole.scalars, { resultsPerPage: 3, format: 'NVD_CVE', timestamp: '2025-01-01T00:00:00.000', after: true });
  for (const chunk of [1, 2, 3, 5, 7, 13, 64]) assert.deepEqual(scan(DOC, chunk), whole, `chunk ${chunk}`);
});

test('truncation, syntax errors and a missing array are reported, elements before them kept', () => {
  const cut = scan(DOC.slice(0, DOC.indexOf('{"bad"')), 16);
  assert.equal(cut.elements.length, 2);
  assert.match(cut.end ?? '', /truncated inside the 'vulnerabilities' array after 2 elements/);
  assert.match(scan('[1,2]', 4).end ?? '', /expected '\{'/);
  assert.match(scan('{"a" 1}', 4).end ?? '', /expected ':'/);
  assert.equal(scan('', 4).end, 'empty file');
  const none = scan('{"a": [1, 2], "b": {"vulnerabilities": []}}', 3);
  assert.equal(none.end, null);
  assert.equal(none.elements.length, 0);
});

test('an element over the size bound is reported and skipped, the next one still read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'medtap-json-'));
  const f = join(dir, 'big.json');
  writeFileSync(f, `{"vulnerabilities": [{"pad": "${'x'.repeat(5000)}"}, {"id": 2}]}`);
  const got: StreamElement[] = [];
  const r = streamTopLevelArray(f, 'vulnerabilities', { element: (e) => void got.push(e) }, { chunkBytes: 333, maxElementBytes: 1000 });
  assert.ok(r.ok && r.foundArray && r.elements === 2);
  assert.equal(got[0]!.ok, false);
  assert.match((got[0] as { error: string }).error, /larger than 1000 bytes/);
  assert.deepEqual(got[1], { index: 1, ok: true, value: { id: 2 } });
  const stop = streamTopLevelArray(f, 'vulnerabilities', { element: () => false });
  assert.ok(stop.ok && stop.elements === 1);
  assert.ok(!streamTopLevelArray(join(dir, 'missing.json'), 'v', { element: () => undefined }).ok);
});

test('CSV: quotes, doubled quotes, commas and line breaks inside fields, CRLF, any chunking', () => {
  const text = 'a,b,c\r\n"x, y","say ""hi""","multi\nline"\n1,,3\n\n"last",2,3';
  const parse = (chunk: number): CsvRecord[] => {
    const out: CsvRecord[] = [];
    const p = new CsvParser((r) => void out.push(r));
    for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk));
    p.end();
    return out;
  };
  const whole = parse(1000);
  assert.deepEqual(whole.map((r) => (r.ok ? r.fields : r.error)), [['a', 'b', 'c'], ['x, y', 'say "hi"', 'multi\nline'], ['1', '', '3'], ['last', '2', '3']]);
  assert.deepEqual(whole.map((r) => r.line), [1, 2, 4, 6]);
  for (const c of [1, 2, 3, 7]) assert.deepEqual(parse(c), whole, `chunk ${c}`);
  const open: CsvRecord[] = [];
  const p = new CsvParser((r) => void open.push(r));
  p.push('a,"unterminated');
  p.end();
  assert.equal(open[0]!.ok, false);
  const dir = mkdtempSync(join(tmpdir(), 'medtap-csv-'));
  writeFileSync(join(dir, 'k.csv'), `\ufeff${text}`);
  const fromFile: CsvRecord[] = [];
  assert.ok(streamCsvFile(join(dir, 'k.csv'), (r) => void fromFile.push(r), 5).ok);
  assert.deepEqual(fromFile, whole);
});
