/** `medtap devices [--json] [--medical] [--category C] [--hide-internet]`: the device inventory. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { renderTable, formatBytes } from './text-table.js';
import { type DeviceRecord } from '../inventory/sqlite-store.js';
import { isInternetPeer } from '../map/address-class.js';

/** Which devices to list. */
export interface DeviceFilter {
  /** Only devices filed medical. */
  medical?: boolean;
  /** Only devices of this category. */
  category?: string;
  /** Leave out internet peers: hosts without a MAC whose addresses are all public (they are in the map, not the inventory). */
  hideInternet?: boolean;
}

/** The devices the filter keeps, in their order. */
export function filterDevices(devices: readonly DeviceRecord[], f: DeviceFilter): DeviceRecord[] {
  return devices.filter((d) => (!f.medical || d.is_medical === true) && (f.category === undefined || d.category === f.category) &&
    (!f.hideInternet || !isInternetPeer(d.key_kind === 'ip', d.ips)));
}

/** Registers the command. */
export function registerDevicesCommand(program: Command): void {
  program
    .command('devices')
    .description('list the device inventory')
    .option('--json', 'print records as a JSON array (schemas/device.schema.json)')
    .option('--medical', 'only devices filed medical')
    .option('--category <name>', 'only devices of this category (DESIGN §3 vocabulary, e.g. infusion-pump)')
    .option('--hide-internet', 'leave out internet peers (no MAC, only public addresses; `medtap map --external` lists them)')
    .action((opts: { json?: boolean } & DeviceFilter, cmd: Command) => {
      const store = openStore(cmd, false);
      try {
        const all = store.devices();
        const devices = filterDevices(all, opts);
        if (opts.json) process.stdout.write(`${JSON.stringify(devices, null, 2)}\n`);
        else process.stdout.write(`${formatDevices(devices, all.length - devices.length)}\n`);
      } finally {
        store.close();
      }
    });
}

/** The inventory as a text table (`hidden`: devices the filter left out, named in the last line). */
export function formatDevices(devices: DeviceRecord[], hidden = 0): string {
  const more = hidden > 0 ? ` (${hidden} more not listed by the filter)` : '';
  if (devices.length === 0) return `no devices${hidden > 0 ? more : ' yet'}`;
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
  return `${table}\n${devices.length} devices${more}`;
}
