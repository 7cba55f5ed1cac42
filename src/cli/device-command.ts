/** `medtap device <id> [--json]`: one device with every attribute, its provenance and its busiest peers. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { CliError } from './cli-error.js';
import { formatBytes, renderTable } from './text-table.js';
import { type DeviceRecord, type EvidenceRecord, isoFromUs, protoName } from '../inventory/sqlite-store.js';
import { DERIVED_ATTRIBUTES } from '../knowledge/vocabulary.js';
import { type AssetRecord, listAssets } from '../context/asset-store.js';
import { formatConflicts } from './assets-command.js';

/** Registers the command. */
export function registerDeviceCommand(program: Command): void {
  program
    .command('device')
    .description('show one device: addresses, every attribute with source, confidence and evidence, and its peers')
    .argument('<id>', 'device id (from `medtap devices`)')
    .option('--json', 'print the device record (schemas/device.schema.json) with its edges')
    .action((idText: string, opts: { json?: boolean }, cmd: Command) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id <= 0) throw new CliError(`device id must be a positive integer, not '${idText}'`, 2);
      const store = openStore(cmd, false);
      try {
        const d = store.devices(id)[0];
        if (!d) throw new CliError(`no device ${id} (see 'medtap devices')`);
        const edges = store.db.prepare(`SELECT e.*, c.key AS client_key, s.key AS server_key FROM edges e
          LEFT JOIN devices c ON c.id = e.client_device_id LEFT JOIN devices s ON s.id = e.server_device_id
          WHERE e.client_device_id = ? OR e.server_device_id = ? ORDER BY e.bytes DESC LIMIT 50`).all(id, id) as {
          client_device_id: number; server_device_id: number; server_ip: string; proto: number; server_port: number; flows: number;
          packets: number; bytes: number; first_us: number; last_us: number; client_key: string | null; server_key: string | null;
        }[];
        const peers = edges.map((e) => ({
          direction: e.client_device_id === id ? 'to' : 'from',
          peer_device_id: e.client_device_id === id ? (e.server_device_id || null) : e.client_device_id,
          peer: e.client_device_id === id ? (e.server_key ?? `ip:${e.server_ip}`) : (e.client_key ?? '?'),
          proto: protoName(e.proto),
          server_port: e.proto === 6 || e.proto === 17 ? e.server_port : null,
          flows: e.flows, packets: e.packets, bytes: e.bytes,
          first_seen: isoFromUs(e.first_us), last_seen: isoFromUs(e.last_us),
        }));
        const assets = listAssets(store.db, { deviceId: id });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...d, assets, edges: peers }, null, 2)}\n`);
          return;
        }
        const flags = [d.is_router ? 'router' : '', d.behind_router ? 'behind a router (keyed by IP)' : '', d.locally_administered ? 'locally administered MAC' : '']
          .filter(Boolean).join(', ');
        const out: string[] = [
          `device ${d.id}  ${d.key}${flags ? `  (${flags})` : ''}`,
          `vendor ${d.vendor ?? '-'}   model ${d.model ?? '-'}   hostname ${d.hostname ?? '-'}   category ${d.category ?? '-'}   os ${d.os ?? '-'}${d.os_version ? ` ${d.os_version}` : ''}`,
          `software ${d.software.map((s) => (s.version_raw ? `${s.name} ${s.version_raw}` : s.name)).join(', ') || '-'}`,
          formatClinical(d),
          `seen ${d.first_seen ?? '-'} .. ${d.last_seen ?? '-'}   ${d.packets.toLocaleString('en-US')} packets, ${formatBytes(d.bytes)}`,
          `macs ${d.macs.join(', ') || '-'}   vlans ${d.vlans.join(', ') || '-'}`,
          '',
          'clinical context (asset register rows matched to this device)',
          formatAssetContext(assets),
          '',
          'addresses',
          renderTable(d.ip_bindings, [
            { header: 'ip', get: (b) => b.ip },
            { header: 'source', get: (b) => b.source },
            { header: 'confidence', get: (b) => b.confidence.toFixed(2) },
            { header: 'first seen', get: (b) => b.first_seen },
            { header: 'last seen', get: (b) => b.last_seen },
          ]),
          '',
          'attributes (every value kept; the first of each name wins)',
          d.attributes.length === 0 ? '(none)' : renderTable(d.attributes, [
            { header: 'name', get: (a) => a.name },
            { header: 'value', get: (a) => a.value, max: 48 },
            { header: 'source', get: (a) => a.source },
            { header: 'confidence', get: (a) => a.confidence.toFixed(2) },
            { header: 'last seen', get: (a) => a.last_seen },
            { header: 'evidence', get: (a) => a.evidence, max: 80 },
          ]),
          '',
          'identification: every claim behind vendor, model, category, os, os_version and software (* = the value chosen)',
          formatEvidence(d.evidence),
          '',
          'peers (busiest 50 edges)',
          peers.length === 0 ? '(none)' : renderTable(peers, [
            { header: 'dir', get: (p) => p.direction },
            { header: 'peer', get: (p) => (p.peer_device_id ? `#${p.peer_device_id} ${p.peer}` : p.peer), max: 40 },
            { header: 'proto', get: (p) => p.proto },
            { header: 'port', get: (p) => p.server_port },
            { header: 'flows', get: (p) => p.flows },
            { header: 'packets', get: (p) => p.packets },
            { header: 'bytes', get: (p) => formatBytes(p.bytes) },
          ]),
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      } finally {
        store.close();
      }
    });
}

/** The evidence trail as a table: by attribute (vocabulary order), chosen value first, then by confidence. */
export function formatEvidence(evidence: readonly EvidenceRecord[]): string {
  if (evidence.length === 0) return '(none)';
  const order = (a: string): number => (DERIVED_ATTRIBUTES as readonly string[]).indexOf(a);
  const rows = [...evidence].sort((a, b) => order(a.attribute) - order(b.attribute) || Number(b.selected) - Number(a.selected)
    || a.value.localeCompare(b.value) || b.confidence - a.confidence);
  return renderTable(rows, [
    { header: 'attribute', get: (e) => e.attribute },
    { header: '', get: (e) => (e.selected ? '*' : '') },
    { header: 'value', get: (e) => e.value, max: 32 },
    { header: 'confidence', get: (e) => e.confidence.toFixed(2) },
    { header: 'source', get: (e) => e.source },
    { header: 'fact', get: (e) => `${e.fact} ${JSON.stringify(e.fact_value)}`, max: 60 },
    { header: 'rule', get: (e) => e.rule ?? '(the fact itself)' },
    { header: 'why', get: (e) => e.ref ?? e.evidence, max: 90 },
  ]);
}

/** The register rows matched to a device: every field, the match basis and the values that disagree with traffic. */
export function formatAssetContext(assets: readonly AssetRecord[]): string {
  if (assets.length === 0) return '(not in any imported asset register)';
  return assets.map((a) => {
    const m = a.match!;
    const fields = Object.entries(a.fields).map(([k, v]) => `${k} ${v}`).join('   ');
    const conflicts = m.conflicts.length > 0 ? `\n  disagrees with traffic: ${formatConflicts(m.conflicts)}` : '';
    return `asset ${a.key} (${a.file}:${a.line}), matched by ${m.basis} (${m.confidence.toFixed(2)}): ${m.evidence}\n  ${fields}${conflicts}`;
  }).join('\n');
}

/** The clinical line of a device: medical or not, category confidence, FDA class and regulation, UDIs, serials, PHI kinds. */
export function formatClinical(d: DeviceRecord): string {
  const fda = d.fda_class === null ? 'FDA class -' : `FDA class ${d.fda_class} (${d.fda_class_source === 'asset_register' ? 'asset register' : 'category default'})`;
  const parts = [
    d.is_medical ? 'medical device' : 'not a medical device',
    `category confidence ${d.category_confidence === null ? '-' : d.category_confidence.toFixed(2)}`,
    fda,
    `21 CFR ${d.fda_regulation ?? '-'}`,
    `udi ${d.udi.map((u) => u.value).join(', ') || '-'}`,
    `serials ${d.serials.map((x) => x.value).join(', ') || '-'}`,
    `phi kinds ${d.phi_kinds.join(', ') || '-'}`,
  ];
  return parts.join('   ');
}
