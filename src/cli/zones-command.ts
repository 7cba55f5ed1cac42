/** `medtap zones [--json]`: zones (VLANs and subnets, learned or imported) with device counts and edges between zones. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { renderTable } from './text-table.js';
import { interZoneEdges, listZones, type InterZoneEdges, type ZoneSummary } from '../map/map-store.js';

/** Registers the command. */
export function registerZonesCommand(program: Command): void {
  program
    .command('zones')
    .description('list zones (VLANs and subnets, learned from traffic or imported) with device counts and inter-zone edges')
    .option('--json', 'print {zones, inter_zone_edges} as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const store = openStore(cmd, false);
      try {
        const zones = listZones(store.db);
        const inter = interZoneEdges(store.db);
        if (opts.json) process.stdout.write(`${JSON.stringify({ zones, inter_zone_edges: inter }, null, 2)}\n`);
        else process.stdout.write(`${formatZones(zones, inter)}\n`);
      } finally {
        store.close();
      }
    });
}

/** Zones and inter-zone edges as text tables. */
export function formatZones(zones: readonly ZoneSummary[], inter: readonly InterZoneEdges[]): string {
  if (zones.length === 0) return "no zones yet (ingest traffic, or 'medtap import zones FILE')";
  const out = [renderTable([...zones], [
    { header: 'zone', get: (z) => z.name, max: 32 },
    { header: 'vlan', get: (z) => z.vlan },
    { header: 'cidr', get: (z) => z.cidr },
    { header: 'purpose', get: (z) => z.purpose },
    { header: 'source', get: (z) => z.source },
    { header: 'confidence', get: (z) => z.confidence.toFixed(2) },
    { header: 'devices', get: (z) => z.devices },
    { header: 'medical', get: (z) => z.medical_devices },
    { header: 'it', get: (z) => z.it_devices },
    { header: 'internal edges', get: (z) => z.internal_edges },
    { header: 'to zones', get: (z) => z.edges_out },
    { header: 'from zones', get: (z) => z.edges_in },
    { header: 'to unzoned', get: (z) => z.edges_to_unzoned },
  ])];
  out.push('', 'edges between zones (client zone -> server zone)');
  out.push(inter.length === 0 ? '(none)' : renderTable([...inter], [
    { header: 'from', get: (e) => e.from, max: 32 },
    { header: 'to', get: (e) => e.to, max: 32 },
    { header: 'edges', get: (e) => e.edges },
    { header: 'bytes', get: (e) => e.bytes },
  ]));
  return out.join('\n');
}
