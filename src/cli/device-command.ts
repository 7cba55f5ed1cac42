/** `medtap device <id> [--json]`: one device with every attribute, its provenance, its zone and whom it talks to. */
import { type Command } from 'commander';
import { openStore } from './open-store.js';
import { CliError, positiveIntOption } from './cli-error.js';
import { formatBytes, renderTable } from './text-table.js';
import type Database from 'better-sqlite3';
import { type DeviceRecord, type EvidenceRecord } from '../inventory/sqlite-store.js';
import { combineEncryption } from '../map/connection-annotations.js';
import { deviceZone, edgesOfDevice, type MapEdge } from '../map/map-store.js';
import { DERIVED_ATTRIBUTES } from '../knowledge/vocabulary.js';
import { type AssetRecord, listAssets } from '../context/asset-store.js';
import { formatConflicts } from './assets-command.js';
import { formatDeviceRiskSection, latestDeviceRisk } from './device-risk-section.js';
import { formatDeviceFindings } from './findings-command.js';
import { listFindings } from '../findings/findings-db.js';

/** Registers the command. */
export function registerDeviceCommand(program: Command): void {
  program
    .command('device')
    .description('show one device: addresses, every attribute with source, confidence and evidence, and its peers')
    .argument('<id>', 'device id (from `medtap devices`)')
    .option('--json', 'print the device record (schemas/device.schema.json) with its edges')
    .action((idText: string, opts: { json?: boolean }, cmd: Command) => {
      const id = positiveIntOption('device id', idText)!;
      const store = openStore(cmd, false);
      try {
        const d = store.devices(id)[0];
        if (!d) throw new CliError(`no device ${id} (see 'medtap devices')`);
        const edges = edgesOfDevice(store.db, id, 200);
        const peerKeys = peerKeysOf(store.db, edges);
        const peers = edges.map((e) => {
          const out = e.client_device_id === id;
          const peerId = out ? e.server_device_id : e.client_device_id;
          return {
            direction: out ? 'to' : 'from',
            peer_device_id: peerId,
            peer: peerId === null ? (out ? `ip:${e.server_ip}` : '?') : peerKeys.get(peerId) ?? '?',
            proto: e.proto, server_port: e.server_port, app_proto: e.app_proto, encrypted: e.encrypted, phi_kinds: e.phi_kinds,
            cleartext_credentials: e.cleartext_credentials, flows: e.flows, connections: e.connections, packets: e.packets, bytes: e.bytes,
            first_seen: e.first_seen, last_seen: e.last_seen,
          };
        });
        const zone = deviceZone(store.db, id);
        const talksTo = summariseTalks(peers);
        const assets = listAssets(store.db, { deviceId: id });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...d, zone, assets, edges: peers, talks_to: talksTo, findings: listFindings(store.db, { deviceId: id }), risk: latestDeviceRisk(store.db, id) }, null, 2)}\n`);
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
          `zone ${zone === null ? '-' : `${zone.name} (${zone.source}${zone.purpose ? `, ${zone.purpose}` : ''}; by ${zone.basis})`}`,
          '',
          'clinical context (asset register rows matched to this device)',
          formatAssetContext(assets),
          '',
          'risk (latest assessment)',
          formatDeviceRiskSection(store.db, id),
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
          formatDeviceFindings(store.db, id),
          '',
          'talks to (edges summarised per peer and protocol, busiest first)',
          talksTo.length === 0 ? '(none)' : renderTable(talksTo, [
            { header: 'dir', get: (t) => t.direction },
            { header: 'peer', get: (t) => (t.peer_device_id ? `#${t.peer_device_id} ${t.peer}` : t.peer), max: 40 },
            { header: 'protocol', get: (t) => t.protocol },
            { header: 'ports', get: (t) => t.ports.join(','), max: 24 },
            { header: 'encrypted', get: (t) => (t.encrypted === null ? null : t.encrypted ? 'yes' : 'no') },
            { header: 'phi kinds', get: (t) => t.phi_kinds.join(','), max: 40 },
            { header: 'cleartext creds', get: (t) => t.cleartext_credentials.join(','), max: 24 },
            { header: 'connections', get: (t) => t.connections },
            { header: 'bytes', get: (t) => formatBytes(t.bytes) },
            { header: 'last seen', get: (t) => t.last_seen?.replace('T', ' ').slice(0, 19) ?? null },
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

/** One edge of a device as printed: direction and peer, with the edge's fields. */
type PeerEdge = Pick<MapEdge, 'proto' | 'server_port' | 'app_proto' | 'encrypted' | 'phi_kinds' | 'cleartext_credentials' | 'connections' | 'bytes' | 'last_seen'>
  & { direction: string; peer_device_id: number | null; peer: string };

/** Edges summarised per (direction, peer, application protocol or IP protocol). */
export type TalkSummary = Omit<PeerEdge, 'proto' | 'server_port' | 'app_proto'> & { protocol: string; ports: number[] };

/** Groups a device's edges per peer and protocol (ports listed; cleartext wins; kinds united), busiest first. */
export function summariseTalks(edges: readonly PeerEdge[]): TalkSummary[] {
  const by = new Map<string, TalkSummary>();
  for (const e of edges) {
    const protocol = e.app_proto ?? e.proto;
    const k = `${e.direction} ${e.peer} ${protocol}`;
    let t = by.get(k);
    if (t === undefined) {
      t = { direction: e.direction, peer_device_id: e.peer_device_id, peer: e.peer, protocol, ports: [], encrypted: e.encrypted,
        phi_kinds: [], cleartext_credentials: [], connections: 0, bytes: 0, last_seen: e.last_seen };
      by.set(k, t);
    } else {
      const enc = combineEncryption(t.encrypted === null ? null : t.encrypted ? 1 : 0, e.encrypted === null ? null : e.encrypted ? 1 : 0);
      t.encrypted = enc === null ? null : enc === 1;
      if ((e.last_seen ?? '') > (t.last_seen ?? '')) t.last_seen = e.last_seen;
    }
    if (e.server_port !== null && !t.ports.includes(e.server_port)) t.ports.push(e.server_port);
    for (const p of e.phi_kinds) if (!t.phi_kinds.includes(p)) t.phi_kinds.push(p);
    for (const c of e.cleartext_credentials) if (!t.cleartext_credentials.includes(c)) t.cleartext_credentials.push(c);
    t.connections += e.connections;
    t.bytes += e.bytes;
  }
  return [...by.values()].sort((a, b) => b.bytes - a.bytes);
}

/** Keys of the peer devices of some edges (device id -> key). */
function peerKeysOf(db: Database.Database, edges: readonly MapEdge[]): Map<number, string> {
  const ids = new Set<number>();
  for (const e of edges) {
    if (e.client_device_id !== null) ids.add(e.client_device_id);
    if (e.server_device_id !== null) ids.add(e.server_device_id);
  }
  const st = db.prepare('SELECT key FROM devices WHERE id = ?');
  const out = new Map<number, string>();
  for (const i of ids) out.set(i, (st.get(i) as { key: string } | undefined)?.key ?? '?');
  return out;
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
