/** `medtap devices [--json]`: the device inventory. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { renderTable, formatBytes } from './text-table.js';
import { type DeviceRecord } from '../inventory/sqlite-store.js';

/** Registers the command. */
export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .description('list the device inventory')
    .option('--json', 'print records as a JSON array (schemas/device.schema.json)')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const store = openStore(cmd, false);
      try {
        const devices = store.devices();
        if (opts.json) process.stdout.write(`${JSON.stringify(devices, null, 2)}\n`);
        else process.stdout.write(`${formatDevices(devices)}\n`);
      } finally {
        store.close();
      }
    });
}

/** The inventory as a text table. */
export function formatDevices(devices: DeviceRecord[]): string {
  if (devices.length === 0) return 'no devices yet';
  const table = renderTable(devices, [
    { header: 'id', get: (d) => d.id },
    { header: 'mac', get: (d) => d.macs[0] ?? null },
    { header: 'ip', get: (d) => (d.ips.length > 2 ? `${d.ips.slice(0, 2).join(', ')} +${d.ips.length - 2}` : d.ips.join(', ')), max: 40 },
    { header: 'vlan', get: (d) => d.vlans.join(',') },
    { header: 'hostname', get: (d) => d.hostname, max: 24 },
    { header: 'vendor', get: (d) => d.vendor, max: 32 },
    { header: 'model', get: (d) => d.model, max: 24 },
    { header: 'category', get: (d) => d.category },
    { header: 'os', get: (d) => [d.os, d.os_version].filter(Boolean).join(' '), max: 24 },
    { header: 'notes', get: (d) => [d.is_router ? 'router' : '', d.behind_router ? 'behind-router' : '', d.locally_administered ? 'random-mac' : ''].filter(Boolean).join(' ') },
    { header: 'packets', get: (d) => d.packets },
    { header: 'bytes', get: (d) => formatBytes(d.bytes) },
    { header: 'last seen', get: (d) => d.last_seen?.replace('T', ' ').slice(0, 19) ?? null },
  ]);
  return `${table}\n${devices.length} devices`;
}
