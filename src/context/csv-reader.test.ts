/** CSV reader tests (RFC 4180 §2): quoting, embedded separators and line breaks, BOM, line endings, malformed records. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { MAX_CSV_FIELD_CHARS, MAX_CSV_FIELDS, readCsv } from './csv-reader.js';

const fields = (text: string): string[][] => readCsv(text).map((r) => r.fields);

test('plain records with CRLF, LF and CR line ends; a missing final line break; blank lines skipped', () => {
  assert.deepEqual(fields('a,b\r\n1,2\r\n'), [['a', 'b'], ['1', '2']]);
  assert.deepEqual(fields('a,b\n1,2'), [['a', 'b'], ['1', '2']]);
  assert.deepEqual(fields('a,b\r1,2\r'), [['a', 'b'], ['1', '2']]);
  assert.deepEqual(fields('a,b\r\n\r\n1,2\n\n'), [['a', 'b'], ['1', '2']]);
  assert.deepEqual(readCsv('a\r\n\r\nb\nc').map((r) => r.line), [1, 3, 4]);
});

test('empty fields are kept, including trailing ones', () => {
  assert.deepEqual(fields(',a,,\n'), [['', 'a', '', '']]);
});

test('quoted fields: commas, doubled quotes, CRLF and LF inside; line numbers count the embedded breaks', () => {
  const text = 'h1,h2\r\n"x, y","say ""hi"""\r\n"multi\r\nline\nvalue",z\r\nlast,"" \n'.replace(' \n', '\n');
  const recs = readCsv(text);
  assert.deepEqual(recs.map((r) => r.fields), [['h1', 'h2'], ['x, y', 'say "hi"'], ['multi\r\nline\nvalue', 'z'], ['last', '']]);
  assert.deepEqual(recs.map((r) => r.line), [1, 2, 3, 6]);
  assert.ok(recs.every((r) => r.error === undefined));
});

test('a UTF-8 byte order mark before the header is skipped', () => {
  assert.deepEqual(fields('\uFEFFMAC,IP\r\n'), [['MAC', 'IP']]);
  assert.deepEqual(fields('MAC,\uFEFFIP'), [['MAC', '\uFEFFIP']]);
});

test('a quote inside an unquoted field is an error for that record only; the next line is read', () => {
  const recs = readCsv('a,b\r\n1,2"3\r\n4,5\r\n');
  assert.equal(recs.length, 3);
  assert.match(recs[1]!.error!, /field 2: a double quote inside an unquoted field/);
  assert.equal(recs[1]!.line, 2);
  assert.deepEqual(recs[2], { line: 3, fields: ['4', '5'] });
});

test('text after a closing quote is an error; the reader resynchronises at the next line', () => {
  const recs = readCsv('"ab"c,d\nok,1\n');
  assert.match(recs[0]!.error!, /text after the closing quote/);
  assert.deepEqual(recs[1], { line: 2, fields: ['ok', '1'] });
});

test('an unterminated quoted field is an error naming the line it opened on, and ends the file', () => {
  const recs = readCsv('a,b\n1,"open\n2,3\n');
  assert.equal(recs.length, 2);
  assert.equal(recs[1]!.line, 2);
  assert.match(recs[1]!.error!, /opened on line 2 is never closed/);
});

test('field length and field count are bounded', () => {
  const long = 'x'.repeat(MAX_CSV_FIELD_CHARS + 1);
  assert.match(readCsv(`${long}\nok\n`)[0]!.error!, /longer than/);
  assert.match(readCsv(`"${long}"\nok\n`)[0]!.error!, /longer than/);
  assert.deepEqual(readCsv(`"${long}"\nok\n`)[1]!.fields, ['ok']);
  const wide = readCsv(`${new Array(MAX_CSV_FIELDS + 1).fill('a').join(',')}\nb\n`);
  assert.match(wide[0]!.error!, /more than/);
  assert.deepEqual(wide[1], { line: 2, fields: ['b'] });
});

test('never throws on arbitrary text', () => {
  const alphabet = ['"', ',', '\r', '\n', 'a', '\uFEFF', ' '];
  let seed = 7;
  for (let n = 0; n < 2000; n++) {
    let s = '';
    for (let i = 0; i < 24; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      s += alphabet[seed % alphabet.length];
    }
    const recs = readCsv(s);
    for (const r of recs) assert.ok(r.line >= 1 && Array.isArray(r.fields));
  }
});
