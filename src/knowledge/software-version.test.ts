/** Software value splitting and version normalisation. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { normalizeVersion, splitSoftware } from './software-version.js';

test('name/version split at the first slash; the raw version is kept', () => {
  assert.deepEqual(splitSoftware('MiniUPnPd/1.6'), { name: 'MiniUPnPd', version: '1.6', version_raw: '1.6' });
  assert.deepEqual(splitSoftware('Apache httpd/2.4.41 (Ubuntu)'), { name: 'Apache httpd', version: '2.4.41', version_raw: '2.4.41 (Ubuntu)' });
  assert.deepEqual(splitSoftware('Samba'), { name: 'Samba', version: null, version_raw: null });
  assert.deepEqual(splitSoftware('Tomato firmware/1.28.7500/x'), { name: 'Tomato firmware', version: '1.28.7500/x', version_raw: '1.28.7500/x' });
  assert.deepEqual(splitSoftware('thing/'), { name: 'thing', version: null, version_raw: null });
});

test('versions: leading v dropped, cut at blank ( ; , — vendor schemes pass through', () => {
  assert.equal(normalizeVersion('v1.6'), '1.6');
  assert.equal(normalizeVersion(' 8.9p1; '), '8.9p1');
  assert.equal(normalizeVersion('10.0.19041,x'), '10.0.19041');
  assert.equal(normalizeVersion('B.02.04'), 'B.02.04');
  assert.equal(normalizeVersion('012u000062'), '012u000062');
  assert.equal(normalizeVersion('version'), 'version');
  assert.equal(normalizeVersion('   '), null);
  assert.equal(normalizeVersion('(beta)'), null);
});
