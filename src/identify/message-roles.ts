/**
 * Per-device message roles for the message-oriented protocols (HL7 v2, POCT1-A): which message types a MAC sent or
 * received, to and from which peers, how many. Each (MAC, role, message type) becomes one fact, e.g. `hl7_role` =
 * "sender ORU^R01", whose evidence carries the counts per peer ("12 HL7 ORU^R01 messages to 10.1.2.3 (12)").
 * Given a peer fact name, each (MAC, role, peer IP) of a message that is not an acknowledgment (type ACK…) also
 * becomes one fact, e.g. `hl7_peer` = "receiver 10.1.2.3": how many systems a host serves or feeds is role evidence
 * (an interface engine receives from many and sends to others; device-roles.ts), and counting distinct facts keeps
 * working across ingests. At most MAX_PEER_FACTS peers per (MAC, IP, role) per run: "many" is reached long before.
 * Rows are kept per (MAC, IP): these protocols cross routers, so each fact carries its side's IP (MacFact.ip) and goes
 * to the device that (MAC, IP) endpoint resolves to, the host behind a router rather than the router.
 */
import type { MacFact } from './identity-collector.js';

/** Peers listed per fact (the others are summed as "+N more"). */
const MAX_PEERS = 8;
/** Peer facts per (MAC, IP, role) per run. */
export const MAX_PEER_FACTS = 16;

/** Counts of one (MAC, IP, role, message type). */
interface RoleRow {
  mac: string;
  /** The IP address the MAC's side used (MacFact.ip). */
  ip: string;
  role: 'sender' | 'receiver';
  type: string;
  count: number;
  peers: Map<string, number>;
  first: number;
  last: number;
}

/** Tallies message roles during an ingest and turns them into facts. */
export class MessageRoleTally {
  private readonly rows = new Map<string, RoleRow>();

  /**
   * @param source the facts' source (hl7, poct1a)
   * @param name the fact name (hl7_role, poct1a_role)
   * @param protocol how the evidence names the protocol ("HL7", "POCT1-A")
   * @param confidence the facts' confidence
   * @param peerName the name of the per-peer facts (hl7_peer, …), or null for none
   */
  constructor(private readonly source: string, private readonly name: string, private readonly protocol: string, private readonly confidence: number,
    private readonly peerName: string | null = null) {}

  /**
   * One message of `type` seen at `ts`, sent (role sender) or received by the side with `mac` and address `ip`,
   * exchanged with `peer` (an IP).
   */
  add(mac: string, ip: string, role: 'sender' | 'receiver', type: string, peer: string, ts: number): void {
    const key = `${mac}\u0000${ip}\u0000${role}\u0000${type}`;
    let r = this.rows.get(key);
    if (r === undefined) {
      r = { mac, ip, role, type, count: 0, peers: new Map(), first: ts, last: ts };
      this.rows.set(key, r);
    }
    r.count++;
    r.peers.set(peer, (r.peers.get(peer) ?? 0) + 1);
    if (ts < r.first) r.first = ts;
    if (ts > r.last) r.last = ts;
  }

  /** One fact per (MAC, IP, role, message type), with the counts per peer in its evidence; then the peer facts. */
  facts(): MacFact[] {
    return [...this.roleFacts(), ...this.peerFacts()];
  }

  private roleFacts(): MacFact[] {
    return [...this.rows.values()].map((r) => {
      const peers = [...r.peers].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const listed = peers.slice(0, MAX_PEERS).map(([ip, n]) => `${ip} (${n})`);
      if (peers.length > MAX_PEERS) listed.push(`+${peers.length - MAX_PEERS} more`);
      const evidence = `${r.count} ${this.protocol} ${r.type} message${r.count === 1 ? '' : 's'} ${r.role === 'sender' ? 'to' : 'from'} ${listed.join(', ')}`;
      return { mac: r.mac, ip: r.ip, source: this.source, name: this.name, value: `${r.role} ${r.type}`, confidence: this.confidence, evidence, first: r.first, last: r.last };
    });
  }

  /** One fact per (MAC, IP, role, peer) over the non-acknowledgment message types, at most MAX_PEER_FACTS per (MAC, IP, role). */
  private peerFacts(): MacFact[] {
    if (this.peerName === null) return [];
    const byKey = new Map<string, MacFact>();
    const perRole = new Map<string, number>();
    for (const r of this.rows.values()) {
      if (r.type.startsWith('ACK')) continue;
      for (const [ip, n] of r.peers) {
        const side = `${r.mac}\u0000${r.ip}\u0000${r.role}`;
        const key = `${side}\u0000${ip}`;
        const seen = byKey.get(key);
        if (seen !== undefined) {
          seen.first = Math.min(seen.first, r.first);
          seen.last = Math.max(seen.last, r.last);
          continue;
        }
        const count = perRole.get(side) ?? 0;
        if (count >= MAX_PEER_FACTS) continue;
        perRole.set(side, count + 1);
        const evidence = `${this.protocol} ${r.role} of ${r.type} ${r.role === 'sender' ? 'to' : 'from'} ${ip} (${n})`;
        byKey.set(key, { mac: r.mac, ip: r.ip, source: this.source, name: this.peerName, value: `${r.role} ${ip}`, confidence: this.confidence, evidence, first: r.first, last: r.last });
      }
    }
    return [...byKey.values()];
  }
}
