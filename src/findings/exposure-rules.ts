/**
 * Exposure rules (issue 5 item 2): internet communication (and whether only to the device's vendor), services
 * exposed, less secure peers, medical devices in flat IT networks, internet traffic outside a tunnel, PHI flows.
 * Pure functions of a DeviceView and the AssessmentContext; severities are documented in src/findings/README.md.
 */
import { isInternetAddress } from '../map/address-class.js';
import type { AssessmentContext, DeviceView, EdgeView, EvidenceItem, FindingDraft, Severity } from './device-view.js';
import { appendTo } from '../memo/map-lists.js';
import { draft, edgeEvidence, factEvidence, factsNamed, portLabel, serviceOf, withEdgeEvidence } from './finding-draft.js';
import { parsePhiFlowValue } from '../identify/phi-flow-identity.js';

/** Edges of `v` to or from internet addresses. */
function internetEdges(v: DeviceView): { outbound: EdgeView[]; inbound: EdgeView[] } {
  const outbound: EdgeView[] = [];
  const inbound: EdgeView[] = [];
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.role === 'client' && isInternetAddress(e.server_ip)) outbound.push(e);
    else if (e.role === 'server' && e.answered && e.peer_ips.some(isInternetAddress)) inbound.push(e);
  }
  return { outbound, inbound };
}

/** True when `name` is `domain` or a sub-domain of it. */
function inDomain(name: string, domain: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === domain || n.endsWith(`.${domain}`);
}

/** Whether every outbound destination is named and every name is one of the vendor's domains. */
function onlyToVendor(v: DeviceView, ctx: AssessmentContext, outbound: readonly EdgeView[]): { vendor: string | null; only: boolean; unnamed: number } {
  const vd = v.vendor ? ctx.data.vendors.get(v.vendor.toLowerCase()) : undefined;
  const unnamed = outbound.filter((e) => e.peer_names.length === 0).length;
  if (!vd) return { vendor: null, only: false, unnamed };
  const only = unnamed === 0 && outbound.every((e) => e.peer_names.every((n) => vd.domains.some((d) => inDomain(n, d))));
  return { vendor: vd.vendor, only, unnamed };
}

/** Talks to the internet: outbound destinations (names, vendor-only or not) and services reached from internet peers. */
export function internetExposure(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  const { outbound, inbound } = internetEdges(v);
  const out: FindingDraft[] = [];
  if (outbound.length > 0) {
    const o = onlyToVendor(v, ctx, outbound);
    const dests = new Set(outbound.map((e) => e.server_ip)).size;
    const scope = o.vendor === null ? 'no vendor domain list for this device'
      : o.only ? `only to ${o.vendor} domains` : `not only to ${o.vendor} domains${o.unnamed > 0 ? ` (${o.unnamed} edge(s) to unnamed addresses)` : ''}`;
    const severity: Severity = !v.medical ? 'info' : o.only ? 'medium' : 'high';
    const ev = withEdgeEvidence([{ source: 'summary', detail: `${dests} internet destination(s); ${scope}` }], outbound, 'internet');
    out.push(draft('internet_exposure', 'outbound', severity, `talks to ${dests} internet destination(s), ${scope}`, ev));
  }
  const byPort = new Map<string, EdgeView[]>();
  for (const e of inbound) appendTo(byPort, portLabel(e), e);
  for (const [port, edges] of byPort) {
    const s = serviceOf(ctx.data, edges[0]!);
    const severity: Severity = v.medical ? 'critical' : s?.admin ? 'high' : 'medium';
    out.push(draft('internet_exposure', `inbound:${port}`, severity, `serves ${s?.service ?? port} to internet peers`, withEdgeEvidence([], edges, 'reached')));
  }
  return out;
}

/** Server ports that are not services the device offers (the DHCP server answers to the client port). */
const NOT_OFFERED: ReadonlySet<string> = new Set(['dhcp-client']);

/** Services exposed: server ports seen in use on edges where the device is the server. */
export function exposedServices(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  const byPort = new Map<string, EdgeView[]>();
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.role !== 'server' || !e.answered || (e.proto !== 6 && e.proto !== 17)) continue;
    const s = serviceOf(ctx.data, e);
    if (s && NOT_OFFERED.has(s.service)) continue;
    appendTo(byPort, portLabel(e), e);
  }
  const out: FindingDraft[] = [];
  for (const [port, edges] of byPort) {
    const s = serviceOf(ctx.data, edges[0]!);
    const severity: Severity = !s ? 'info' : s.insecure && s.admin ? 'medium' : s.admin ? 'low' : 'info';
    const clients = new Set(edges.map((e) => e.peer_key ?? e.peer_ips.join(','))).size;
    const ev = withEdgeEvidence([{ source: s ? `data:${s.rule}` : 'summary', detail: s ? `${s.service}: ${s.note}` : 'port not in services.tsv' }], edges, 'served');
    out.push(draft('exposed_service', s ? `${port} ${s.service}` : port, severity, `exposes ${s?.service ?? port} (${port}) to ${clients} client(s)`, ev));
  }
  return out;
}

/** Connections from/to devices with an end-of-life OS, cleartext credentials or SMBv1. */
export function lessSecurePeers(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  const byPeer = new Map<number, EdgeView[]>();
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.peer_id === null || e.peer_id === v.id || !ctx.weak.has(e.peer_id)) continue;
    appendTo(byPeer, e.peer_id, e);
  }
  return [...byPeer].map(([id, edges]) => {
    const w = ctx.weak.get(id)!;
    const ev = withEdgeEvidence([{ source: 'peer', detail: `device #${id} ${w.key}: ${w.reasons.join('; ')}` }], edges, 'connection');
    return draft('less_secure_peer', w.key, v.medical ? 'medium' : 'low', `talks with a less secure device (${w.reasons.join('; ')})`, ev);
  });
}

/** Zones of a device: its VLANs, else the /24 of each private IPv4 address. */
export function zoneKeys(vlans: readonly number[], ips: readonly string[]): string[] {
  if (vlans.length > 0) return vlans.map((n) => `vlan:${n}`);
  const out = new Set<string>();
  for (const ip of ips) {
    const m = /^(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
    if (m && !isInternetAddress(ip)) out.add(`subnet:${m[1]}.0/24`);
  }
  return [...out];
}

/** A medical device sharing a VLAN (or, without VLANs, a /24) with IT workstations or servers. */
export function flatNetwork(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  if (!v.medical) return [];
  const out: FindingDraft[] = [];
  for (const zone of zoneKeys(v.vlans, v.ips)) {
    const it = (ctx.zones.get(zone) ?? []).filter((m) => m.id !== v.id);
    if (it.length === 0) continue;
    const ev: EvidenceItem[] = [{ source: 'zone', detail: `${zone}: ${it.length} IT workstation(s)/server(s) share it with this ${v.category} device` },
      ...it.map((m) => ({ source: 'zone', detail: `device #${m.id} ${m.key} (${m.category})` }))];
    out.push(draft('flat_network', zone, v.critical_care ? 'high' : 'medium', `medical device in a flat network with IT devices (${zone})`, ev));
  }
  return out;
}

/** A medical device whose internet traffic is not (all) inside a VPN / tunnel. */
export function noTunnel(v: DeviceView, ctx: AssessmentContext): FindingDraft[] {
  if (!v.medical) return [];
  const { outbound } = internetEdges(v);
  if (outbound.length === 0) return [];
  const tunnels = outbound.filter((e) => serviceOf(ctx.data, e)?.tunnel === true);
  const plain = outbound.filter((e) => !tunnels.includes(e));
  if (plain.length === 0) return [];
  const detail = tunnels.length === 0 ? 'no tunnel (IPsec ESP/IKE, OpenVPN, WireGuard, GRE) seen to any internet peer'
    : `tunnels seen (${[...new Set(tunnels.map((e) => serviceOf(ctx.data, e)!.service))].join(', ')}) but ${plain.length} edge(s) go outside them`;
  return [draft('no_tunnel', 'internet', tunnels.length === 0 ? 'medium' : 'low', `internet traffic not through a VPN/tunnel: ${detail}`,
    withEdgeEvidence([{ source: 'summary', detail }], plain, 'outside a tunnel'))];
}

/** Sends / receives PHI: kinds and peers, from phi_flow facts and the edges' phi_kinds. */
export function phiFlows(v: DeviceView): FindingDraft[] {
  const groups = new Map<string, { kinds: Set<string>; ev: EvidenceItem[]; peer: string }>();
  const add = (subject: string, peer: string, kinds: readonly string[], e: EvidenceItem): void => {
    const g = groups.get(subject) ?? { kinds: new Set<string>(), ev: [], peer };
    for (const k of kinds) g.kinds.add(k);
    g.ev.push(e);
    groups.set(subject, g);
  };
  for (const f of factsNamed(v.facts, 'phi_flow')) {
    const p = parsePhiFlowValue(f.value);
    if (p) add(`${p.protocol}:${p.direction}:${p.peer_ip}`, p.peer_ip, p.kinds, factEvidence(f, `${p.kinds.join(', ')} (${f.evidence ?? ''})`));
  }
  for (let i = 0; i < v.edges.length; i++) {
    const e = v.edges[i]!;
    if (e.phi_kinds.length === 0) continue;
    const peer = e.role === 'client' ? e.server_ip : e.peer_ips[0] ?? '?';
    add(`${e.app_proto ?? portLabel(e)}:exchanged:${peer}`, peer, e.phi_kinds, edgeEvidence(e, `PHI kinds ${e.phi_kinds.join(', ')}`));
  }
  return [...groups].map(([subject, g]) => {
    const [proto, direction] = subject.split(':');
    const pub = isInternetAddress(g.peer);
    return draft('phi_flow', subject, pub ? 'high' : 'info', `${direction} patient data (${[...g.kinds].length} kind(s)) over ${proto!.toUpperCase()} ${direction === 'sent' ? 'to' : direction === 'received' ? 'from' : 'with'} ${g.peer}${pub ? ' (internet)' : ''}`,
      [{ source: 'summary', detail: `kinds: ${[...g.kinds].sort().join(', ')}` }, ...g.ev]);
  });
}
