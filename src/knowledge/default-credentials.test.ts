/** The default-credential list: strict loading, the exact pair check, `<blank>` as the empty value. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDefaultCredential, loadDefaultCredentials, parseDefaultCredentials } from './default-credentials.js';

test('the bundled lists load (DefaultCreds cheat sheet + medical subset)', () => {
  const l = loadDefaultCredentials();
  assert.ok(l.lines > 3700);
  assert.ok(l.digests.size > 2000 && l.digests.size < l.lines); // many vendors share admin/admin
});

test('pairs of the list are defaults, exactly (case-sensitive); others are not', () => {
  assert.equal(isDefaultCredential('museadmin', 'Muse!Admin'), true); // GE MUSE, medical subset
  assert.equal(isDefaultCredential('KeyOperator', 'DV5800'), true); // CareStream, medical subset
  assert.equal(isDefaultCredential('admin', 'admin'), true);
  assert.equal(isDefaultCredential('museadmin', 'muse!admin'), false);
  assert.equal(isDefaultCredential('admin', 'correct horse battery staple'), false);
});

test('<blank> stands for an empty value', () => {
  const into = new Set<string>();
  parseDefaultCredentials('productvendor,username,password\nAcme,operator,<blank>\n', 'x.csv', into);
  const list = { digests: into, lines: 1 };
  assert.equal(isDefaultCredential('operator', '', list), true);
  assert.equal(isDefaultCredential('operator', '<blank>', list), false);
});

test('malformed lists fail with file:line', () => {
  assert.throws(() => parseDefaultCredentials('vendor,user,pass\n', 'x.csv', new Set()), /^Error: x\.csv:1: header must be productvendor,username,password/);
  assert.throws(() => parseDefaultCredentials('productvendor,username,password\nA,b\n', 'x.csv', new Set()), /^Error: x\.csv:2: 2 comma-separated fields, expected 3/);
});
