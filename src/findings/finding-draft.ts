/** Small builders shared by the finding rules: a draft with its time span from its evidence, and service lookups. */
import type { FindingsData, ServiceInfo } from './data-files.js';
import { remembered } from '../memo/bounded-memo.js';
import type { EdgeView, EvidenceItem, FactView, FindingDraft, FindingKind, Severity } from './device-view.js';

/** Most evidence items kept per finding (the rest are counted in a last item). */
export const MAX_EVIDENCE_ITEMS = 20;

/** A draft whose first/last seen span its evidence (0 when none carries a time); evidence capped at MAX_EVIDENCE_ITEMS. */
export function draft(kind: FindingKind, subject: string, severity: Severity, title: string, evidence: EvidenceItem[]): FindingDraft {
  let first = Infinity;
  let last = 0;
  for (let i = 0; i < evidence.length; i++) {
    const e = evidence[i]!;
    if (e.first_us !== undefined && e.first_us < first) first = e.first_us;
    if (e.last_us !== undefined && e.last_us > last) last = e.last_us;
  }
  const kept = evidence.length > MAX_EVIDENCE_ITEMS
    ? [...evidence.slice(0, MAX_EVIDENCE_ITEMS), { source: 'summary', detail: `${evidence.length - MAX_EVIDENCE_ITEMS} more not listed` }]
    : evidence;
  return { kind, subject, severity, title, evidence: kept, first_us: first === Infinity ? last : first, last_us: last };
}

/** Evidence from a fact. */
export function factEvidence(f: FactView, detail?: string): EvidenceItem {
  return { source: `fact:${f.name}`, detail: detail ?? `${f.name} = ${f.value} (${f.source})${f.evidence ? `: ${f.evidence}` : ''}`, first_us: f.first_us, last_us: f.last_us };
}

/** The transport name of an IP protocol number as services.tsv keys it. */
export function transportOf(proto: number): 'tcp' | 'udp' | 'ip' {
  return proto === 6 ? 'tcp' : proto === 17 ? 'udp' : 'ip';
}

/** Labels made so far by (proto, port): the rules ask for the same few many times per device (grouping, services.tsv). */
const labels = new Map<number, string>();
/** Most labels remembered (emptied when full). */
const MAX_LABELS = 4096;

/** The label of `proto * 65536 + port`. */
function labelOf(key: number): string {
  const proto = Math.floor(key / 65_536);
  const t = transportOf(proto);
  return t === 'ip' ? `ip/${proto}` : `${t}/${key % 65_536}`;
}

/** `tcp/443`, `udp/161`, `ip/50`. */
export function portLabel(e: Pick<EdgeView, 'proto' | 'server_port'>): string {
  return remembered(labels, MAX_LABELS, e.proto * 65_536 + e.server_port, labelOf);
}

/** The service of an edge's server port (or IP protocol), if services.tsv knows it. */
export function serviceOf(data: FindingsData, e: Pick<EdgeView, 'proto' | 'server_port'>): ServiceInfo | undefined {
  return data.services.get(portLabel(e));
}

/** Evidence from an edge. */
export function edgeEvidence(e: EdgeView, what: string): EvidenceItem {
  const peer = e.peer_key ?? (e.peer_ips.length > 0 ? e.peer_ips.join(',') : 'an unresolved peer');
  const names = e.peer_names.length > 0 ? ` (${e.peer_names.join(', ')})` : '';
  const dir = e.role === 'client' ? `to ${peer}${names} ${e.server_ip}` : `from ${peer}${names}`;
  return { source: 'edge', detail: `${what} ${dir} ${portLabel(e)}: ${e.flows} flows, ${e.packets} packets, ${e.bytes} bytes`, first_us: e.first_us, last_us: e.last_us };
}

/**
 * A finding's evidence: the items `head`, then evidence from `edges` — the items draft() keeps (the first
 * MAX_EVIDENCE_ITEMS of the list) in full, the others only with the time span it reads (their text is dropped).
 * Appended one by one (a spread would step an iterator per edge in code that runs cold); returns `head`.
 */
export function withEdgeEvidence(head: EvidenceItem[], edges: readonly EdgeView[], what: string): EvidenceItem[] {
  for (let i = 0; i < edges.length; i++) {
    const e = edges[i]!;
    head.push(head.length < MAX_EVIDENCE_ITEMS ? edgeEvidence(e, what) : { source: 'edge', detail: '', first_us: e.first_us, last_us: e.last_us });
  }
  return head;
}

/** Facts of `view` named `name`. */
export function factsNamed(facts: readonly FactView[], ...names: string[]): FactView[] {
  return facts.filter((f) => names.includes(f.name));
}
