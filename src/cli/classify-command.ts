/**
 * `medtap classify [--json]`: re-identifies every device of the inventory from its stored facts with the current
 * fingerprint rules (data/fingerprints/) — after a rule change, without re-reading captures. Ingest already does
 * this for the devices of each run; running it again changes nothing unless the rules changed. The findings
 * (src/findings/) are re-assessed afterwards, as identification feeds them.
 */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { classifyDevices } from '../identify/classify.js';
import { loadKnowledgeBase } from '../knowledge/knowledge-base.js';
import { refreshFindings } from '../findings/refresh.js';
import { formatRefreshSummary } from './findings-command.js';

/** Registers the command. */
export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description('re-identify every device from its stored facts with the current fingerprint rules')
    .option('--json', 'print the counts as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const kb = loadKnowledgeBase();
      const store = openStore(cmd, false);
      try {
        store.begin();
        const s = classifyDevices(store, kb, store.deviceIds());
        const findings = refreshFindings(store.db);
        store.commit();
        const out = { ...s, rules: kb.rules.length, rules_version: kb.version, findings };
        if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        else process.stdout.write(`${s.devices} devices, ${s.identified} identified, ${s.derived_values} derived values (${out.rules} rules, version ${kb.version})\nfindings: ${formatRefreshSummary(findings)}\n`);
      } finally {
        store.rollback();
        store.close();
      }
    });
}
