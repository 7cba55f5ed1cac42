/**
 * Service facts (issue 4 item 5, IT roles): what a device serves and uses at the transport layer, from the map's
 * client→server edges of an ingest, as raw per-device facts the role rules (data/fingerprints/roles.tsv,
 * device-roles.ts) turn into IT categories — so a host that names nothing still gets one from what it does.
 * - `service_port` `server tcp/9100`: the device accepted a TCP connection (or answered a UDP exchange) on that port;
 *   `client tcp/445`: it opened one to that port and was answered. Only answered conversations count (a refused or
 *   unanswered attempt says nothing about the server), only TCP and UDP, only ports 1–49151 (IANA system and user
 *   ports; the dynamic range 49152–65535 names no service, RFC 6335 §6).
 * - `service_peer` `server tcp/9100 10.20.0.31`: one distinct client of a served port (at most MAX_PEERS_PER_PORT per
 *   port and ingest: the rules ask for a few peers, never many).
 * Which side is the server is the flow table's decision (TCP: the SYN; UDP: the first sender, unless only the other
 * side uses a port below 1024). Facts are certain as facts (confidence 1); what a port means is the rules' business,
 * with modest confidences. Pure: no I/O.
 */
import type { Fact } from '../knowledge/knowledge-base.js';

/** Source of the service facts (behaviour seen in the traffic itself). */
export const SERVICE_SOURCE = 'traffic';
/** Distinct clients recorded per served port and ingest. */
export const MAX_PEERS_PER_PORT = 4;
/** Ports recorded per device, role and ingest (most peers first): a scanner's thousand ports are no role. */
export const MAX_PORTS_PER_ROLE = 24;
/** Highest port recorded (IANA user ports end here; above is the dynamic range). */
export const MAX_SERVICE_PORT = 49151;

/** One client→server edge, reduced to what the service facts need. */
export interface ServiceEdge {
  /** Device keys of the two sides (null: no device). */
  clientKey: string | null;
  serverKey: string | null;
  clientIp: string;
  serverIp: string;
  /** IP protocol number (6 TCP, 17 UDP; others are ignored). */
  proto: number;
  serverPort: number;
  /** Conversations in which the server answered. */
  answered: number;
  first: number;
  last: number;
}

/** A fact for one device. */
export interface ServiceFact {
  deviceKey: string;
  fact: Fact;
}

type Role = 'server' | 'client';

/** One (device, role, transport/port) aggregate. */
interface PortUse {
  deviceKey: string;
  role: Role;
  port: string;
  conversations: number;
  peers: Set<string>;
  first: number;
  last: number;
}

const TRANSPORT: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp' };

/** The port uses of one device in one role, in the order they were first seen. */
interface UseGroup {
  uses: PortUse[];
  /** By IP protocol number × 65536 + port. */
  byPort: Map<number, PortUse>;
}

/**
 * The port uses of one ingest, grouped per device and role; groups in the order they were first seen (numbers, not
 * key texts, per edge).
 */
class PortUses {
  readonly groups: UseGroup[] = [];
  private readonly server = new Map<string, UseGroup>();
  private readonly client = new Map<string, UseGroup>();

  add(deviceKey: string, role: Role, transport: string, peer: string, e: ServiceEdge): void {
    const byDevice = role === 'server' ? this.server : this.client;
    let g = byDevice.get(deviceKey);
    if (g === undefined) {
      byDevice.set(deviceKey, (g = { uses: [], byPort: new Map() }));
      this.groups.push(g);
    }
    const k = e.proto * 65_536 + e.serverPort;
    let u = g.byPort.get(k);
    if (u === undefined) {
      u = { deviceKey, role, port: `${transport}/${e.serverPort}`, conversations: 0, peers: new Set(), first: e.first, last: e.last };
      g.byPort.set(k, u);
      g.uses.push(u);
    }
    u.conversations += e.answered;
    u.peers.add(peer);
    u.first = Math.min(u.first, e.first);
    u.last = Math.max(u.last, e.last);
  }
}

function evidenceOf(u: PortUse): string {
  const [transport, port] = u.port.split('/') as [string, string];
  const what = transport === 'tcp' ? 'TCP connection' : 'UDP exchange';
  const n = u.peers.size;
  const conv = `${u.conversations} answered ${what}${u.conversations === 1 ? '' : 's'}`;
  return u.role === 'server'
    ? `map edges: ${conv} on port ${port} from ${n} peer${n === 1 ? '' : 's'}`
    : `map edges: ${conv} to port ${port} of ${n} peer${n === 1 ? '' : 's'}`;
}

/** Keeps the MAX_PORTS_PER_ROLE ports with the most peers (then conversations, then port text) per device and role. */
function capped(groups: readonly UseGroup[]): PortUse[] {
  const out: PortUse[] = [];
  for (const { uses: list } of groups) {
    list.sort((a, b) => b.peers.size - a.peers.size || b.conversations - a.conversations || (a.port < b.port ? -1 : a.port > b.port ? 1 : 0));
    for (let i = 0; i < list.length && i < MAX_PORTS_PER_ROLE; i++) out.push(list[i]!);
  }
  return out;
}

/** The service facts of one ingest's edges (see the module comment). */
export function serviceFacts(edges: Iterable<ServiceEdge>): ServiceFact[] {
  const uses = new PortUses();
  for (const e of edges) {
    const transport = TRANSPORT[e.proto];
    if (transport === undefined || e.answered <= 0 || e.serverPort < 1 || e.serverPort > MAX_SERVICE_PORT) continue;
    if (e.clientKey !== null && e.clientKey === e.serverKey) continue; // a host talking to itself
    if (e.serverKey !== null) uses.add(e.serverKey, 'server', transport, e.clientIp, e);
    if (e.clientKey !== null) uses.add(e.clientKey, 'client', transport, e.serverIp, e);
  }
  const out: ServiceFact[] = [];
  for (const u of capped(uses.groups)) {
    const fact = (name: string, value: string, evidence: string): void => {
      out.push({ deviceKey: u.deviceKey, fact: { source: SERVICE_SOURCE, name, value, confidence: 1, evidence, first: u.first, last: u.last } });
    };
    fact('service_port', `${u.role} ${u.port}`, evidenceOf(u));
    if (u.role !== 'server') continue;
    for (const ip of [...u.peers].sort().slice(0, MAX_PEERS_PER_PORT)) fact('service_peer', `server ${u.port} ${ip}`, `map edges: a client of ${u.port}`);
  }
  return out;
}
