/** MAC vendor lookup through the built index agrees with the oui-data package itself, for every registered prefix. */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { lookupOuiVendor, OUI_INDEX_PATH, organisationName } from './oui.js';

const registry = createRequire(import.meta.url)('oui-data') as Record<string, string>;

/** The expected vendor straight from the package: longest registered prefix (MA-S, MA-M, MA-L). */
function fromPackage(mac: number): string | null {
  const hex = mac.toString(16).padStart(12, '0').toUpperCase();
  const e = registry[hex.slice(0, 9)] ?? registry[hex.slice(0, 7)] ?? registry[hex.slice(0, 6)];
  const name = e === undefined ? null : organisationName(e);
  return name === null || name === '' || name === 'IEEE Registration Authority' ? null : name;
}

test('the index is built (npm run build) and answers like the package for every prefix, its neighbours and unknowns', () => {
  assert.ok(existsSync(OUI_INDEX_PATH), `${OUI_INDEX_PATH} missing: run npm run build`);
  const macs: number[] = [0x000000000001, 0xffffffffffff, 0xfeffffffffff, 0x020000000000];
  for (const key of Object.keys(registry)) {
    const base = parseInt(key.padEnd(12, '0'), 16);
    macs.push(base, parseInt(key.padEnd(12, 'F'), 16), Math.max(0, base - 1));
  }
  let named = 0;
  for (const mac of macs) {
    const want = fromPackage(mac);
    assert.equal(lookupOuiVendor(mac), want, mac.toString(16).padStart(12, '0'));
    if (want !== null) named++;
  }
  assert.ok(named > 40_000, `only ${named} MACs named`);
});
