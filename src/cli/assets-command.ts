/**
 * `medtap assets [--unmatched] [--json]`: the imported assets with the device each was reconciled with (basis,
 * confidence, conflicting values); with --unmatched, the assets never seen on the network and the discovered
 * devices missing from the register. Reconciliation (and identification of the devices it touches) is refreshed
 * first, so it follows the latest ingest.
 */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { renderTable } from './text-table.js';
import { type AssetRecord, listAssets, reconcileAll, unregisteredDevices, type UnregisteredDevice } from '../context/asset-store.js';
import type { Conflict } from '../context/reconcile.js';
import { loadKnowledgeBase } from '../knowledge/knowledge-base.js';

/** Registers the command. */
export function registerAssetsCommand(program: Command): void {
  program
    .command('assets')
    .description('list imported assets and their matched devices; --unmatched: assets never seen and devices missing from the register')
    .option('--unmatched', 'only assets never seen on the network, and discovered devices no asset matched')
    .option('--json', 'print JSON')
    .action((opts: { unmatched?: boolean; json?: boolean }, cmd: Command) => {
      const kb = loadKnowledgeBase();
      const store = openStore(cmd, false);
      try {
        store.db.transaction(() => reconcileAll(store, kb))();
        const assets = listAssets(store.db, { unmatchedOnly: opts.unmatched === true });
        if (opts.unmatched) {
          const devices = unregisteredDevices(store.db);
          if (opts.json) process.stdout.write(`${JSON.stringify({ assets_never_seen: assets, devices_missing_from_register: devices }, null, 2)}\n`);
          else process.stdout.write(`${formatUnmatched(assets, devices)}\n`);
        } else if (opts.json) {
          process.stdout.write(`${JSON.stringify(assets, null, 2)}\n`);
        } else {
          process.stdout.write(`${formatAssets(assets)}\n`);
        }
      } finally {
        store.close();
      }
    });
}

/** Conflicts as `field: register ≠ discovered` text. */
export function formatConflicts(c: readonly Conflict[]): string {
  return c.map((x) => `${x.field} ${x.register} (seen ${x.discovered.join('/')})`).join('; ');
}

/** Every asset and its match. */
export function formatAssets(assets: readonly AssetRecord[]): string {
  if (assets.length === 0) return "no assets (import a register with 'medtap import assets FILE')";
  const table = renderTable([...assets], [
    { header: 'id', get: (a) => a.id },
    { header: 'asset', get: (a) => a.key, max: 28 },
    { header: 'type', get: (a) => a.fields.device_type, max: 20 },
    { header: 'department', get: (a) => a.fields.department, max: 16 },
    { header: 'room', get: (a) => a.fields.room, max: 12 },
    { header: 'device', get: (a) => (a.match ? `#${a.match.device_id} ${a.match.device_key}` : 'never seen'), max: 28 },
    { header: 'basis', get: (a) => a.match?.basis },
    { header: 'conf', get: (a) => a.match?.confidence.toFixed(2) },
    { header: 'conflicts (register vs seen)', get: (a) => formatConflicts(a.match?.conflicts ?? []), max: 60 },
    { header: 'from', get: (a) => `${a.file}:${a.line}`, max: 40 },
  ]);
  return `${table}\n${assets.length} assets, ${assets.filter((a) => a.match === null).length} never seen on the network`;
}

/** The two unmatched lists. */
export function formatUnmatched(assets: readonly AssetRecord[], devices: readonly UnregisteredDevice[]): string {
  const a = assets.length === 0 ? '(none)' : renderTable([...assets], [
    { header: 'id', get: (x) => x.id },
    { header: 'asset', get: (x) => x.key, max: 28 },
    { header: 'mac', get: (x) => x.fields.mac },
    { header: 'ip', get: (x) => x.fields.ip },
    { header: 'hostname', get: (x) => x.fields.hostname, max: 24 },
    { header: 'type', get: (x) => x.fields.device_type, max: 20 },
    { header: 'from', get: (x) => `${x.file}:${x.line}`, max: 40 },
  ]);
  const d = devices.length === 0 ? '(none)' : renderTable([...devices], [
    { header: 'id', get: (x) => x.id },
    { header: 'mac', get: (x) => x.macs[0] },
    { header: 'ip', get: (x) => x.ips.join(', '), max: 32 },
    { header: 'hostname', get: (x) => x.hostname, max: 24 },
    { header: 'vendor', get: (x) => x.vendor, max: 28 },
    { header: 'category', get: (x) => x.category },
  ]);
  return [`assets never seen on the network (${assets.length})`, a, '', `discovered devices missing from the register (${devices.length})`, d].join('\n');
}
