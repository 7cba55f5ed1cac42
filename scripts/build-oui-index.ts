/**
 * Build step: derives dist/data/oui-names.tsv ("PREFIX<TAB>organisation", sorted by prefix) from the oui-data
 * package, so a medtap process can look up MAC vendors without parsing the 5.6 MB registry JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { OUI_INDEX_PATH, organisationName, ouiRegistryVersion } from '../src/inventory/oui.js';

const require = createRequire(import.meta.url);
const registry = require('oui-data') as Record<string, string>;
const lines = Object.keys(registry).sort().map((k) => `${k}\t${organisationName(registry[k]!).replace(/[\t\n]/g, ' ')}`);
mkdirSync(dirname(OUI_INDEX_PATH), { recursive: true });
writeFileSync(OUI_INDEX_PATH, `# IEEE OUI registry (MA-L/MA-M/MA-S) organisation names, derived from npm oui-data ${ouiRegistryVersion()} (MIT) by scripts/build-oui-index.ts\n${lines.join('\n')}\n`);
process.stdout.write(`oui index: ${lines.length} prefixes -> ${OUI_INDEX_PATH}\n`);
