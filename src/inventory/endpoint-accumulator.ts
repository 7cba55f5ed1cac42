/**
 * Collects, during one ingest, what each link-layer address and each (MAC, IP) endpoint did, then resolves
 * endpoints to devices per DESIGN §2:
 * - a device is keyed by its MAC when the MAC is a unicast address local to the segment;
 * - a MAC that sources traffic for many IP addresses is a router: the hosts behind it are keyed by IP and flagged
 *   `behind_router` (the router keeps the addresses it claims itself in ARP);
 * - with no link-layer address (raw IP, loopback captures) devices are keyed by IP; so with the all-zero MAC, which
 *   names no interface (the frames of Linux's loopback device carry it both ways; its IEEE registrant is Xerox).
 *
 * Router detection is a heuristic (approximate, documented in README "Known limits"): a MAC is a router when it
 * sources at least ROUTER_MIN_IPV4 distinct IPv4 addresses or ROUTER_MIN_IPV6_PREFIXES distinct global IPv6 /64s
 * that it does not claim in ARP, or when it claims a private address in ARP while sourcing a public one.
 */
import { ipv4ToString, isGroupMac, isLocallyAdministeredMac, isNonHostIpv4, isNonHostIpv6, isPrivateIpv4, macToString } from '../decode/address.js';
import { ipText } from '../decode/address-text.js';
import { addKind, combineEncryption, type Encryption } from '../map/connection-annotations.js';
import { TupleIndex } from './tuple-index.js';

/** What the analyzers recognised on a flow's connection, for its edge (see src/map/connection-annotations.ts). */
export interface EdgeAnnotation {
  appProto: string;
  encrypted: Encryption;
  phiKinds: readonly string[];
  credentials: readonly string[];
}

/** `into` with the kinds of `add` not in it yet (at most MAX_KINDS); null while both are empty. */
function mergeKinds(into: string[] | null, add: readonly string[]): string[] | null {
  if (add.length === 0) return into;
  const out = into ?? [];
  for (const k of add) addKind(out, k);
  return out;
}

/** Distinct IPv4 source addresses (not claimed in ARP) that make a MAC a router. */
export const ROUTER_MIN_IPV4 = 3;
/** Distinct global IPv6 /64 prefixes sourced that make a MAC a router. */
export const ROUTER_MIN_IPV6_PREFIXES = 3;
/** Most distinct (client, server, protocol, port) edges held per ingest; beyond it edges are counted, not kept. */
export const MAX_EDGES = 300_000;
/** Most distinct endpoints ((MAC, IP) pairs) held per ingest (a scan of a /8 must not exhaust memory). */
export const MAX_ENDPOINTS = 200_000;
/** Destination-only addresses remembered per MAC for router detection. */
const DST_SAMPLE = 8;

/** IPv4 169.254/16 or IPv6 fe80::/10: addresses a router never forwards. */
function isLinkLocal(ip: string): boolean {
  return ip.startsWith('169.254.') || /^fe[89ab]/i.test(ip);
}

/** True when the address (four words, IPv4 in the last) can belong to one host. */
function isHostAddress(ver: number, w: Uint32Array): boolean {
  return ver === 4 ? !isNonHostIpv4(w[3]!) : !isNonHostIpv6(w);
}

/** The /64 prefix of a global IPv6 address (router detection), null for IPv4 and link-local. */
function prefix64(ver: number, w: Uint32Array): string | null {
  if (ver !== 6 || (w[0]! >>> 22) === 0x3fa) return null; // fe80::/10 link-local
  return `${w[0]!.toString(16)}:${w[1]!.toString(16)}`;
}

/** Time span and counters. */
interface Seen {
  first: number;
  last: number;
}

/** A source IP of a MAC (MacFacts.srcIps): span, version, IPv4 number, global IPv6 /64 (router detection). */
interface SrcIp extends Seen {
  version: number;
  /** The IPv4 address as a signed 32-bit number (`>>> 0` gives it back): always a small integer, one field kind. */
  v4: number;
  prefix64: string | null;
}

/** Per-MAC facts from this ingest. */
export interface MacFacts extends Seen {
  mac: number;
  /** Frames sent / received by this MAC that were not part of an IP flow (ARP, LLDP, STP, …). */
  l2Packets: number;
  l2Bytes: number;
  vlans: Map<number, Seen>;
  /** IPv4 addresses claimed in ARP (sender protocol address). */
  arpIps: Map<string, Seen>;
  /** One of the ARP-claimed addresses is private (RFC 1918, CGNAT, link-local). */
  arpClaimsPrivate: boolean;
  /** Source IPs of IP packets sent with this MAC as Ethernet source. */
  srcIps: Map<string, SrcIp>;
  /** A few distinct IPv4 addresses of hosts that were only ever seen receiving, behind this MAC (router detection). */
  dstOnlyIps: string[];
}

/** One (MAC, IP) endpoint as seen in flows. mac is -1 when unknown. */
export interface Endpoint extends Seen {
  /** Sequential id within this run. */
  id: number;
  mac: number;
  ip: string;
  ipVersion: number;
  /** True when the IP can belong to one host (not multicast/broadcast/unspecified). */
  hostIp: boolean;
  /** True when the MAC was the Ethernet source of this IP's packets (false: only seen as destination MAC). */
  macIsSource: boolean;
  /** True when this IP sent at least one packet (false: only ever a destination). */
  sent: boolean;
  packets: number;
  bytes: number;
  /** First VLAN seen (-1 none) and any others (rare; null when none). */
  vlan: number;
  moreVlans: number[] | null;
}

/** Aggregated client→server relation between two endpoints. */
export interface EndpointEdge extends Seen {
  client: Endpoint;
  server: Endpoint;
  proto: number;
  serverPort: number;
  /** Application protocol the analyzers recognised on its connections ('' none): part of the edge's key. */
  appProto: string;
  flows: number;
  /** Flows that carried a conversation (TCP: answered or picked up mid-stream; other protocols: every flow). */
  connections: number;
  /** Conversations in which the server sent at least one packet (its service answered; role evidence, not stored). */
  answered: number;
  packets: number;
  bytes: number;
  /** 1 encrypted, 0 cleartext (any connection in clear), null unknown. */
  encrypted: Encryption;
  /** PHI kinds and cleartext credential kinds seen on its connections (src/map/connection-annotations.ts); null: none. */
  phiKinds: string[] | null;
  credentials: string[] | null;
}

/** A resolved device for this ingest, before merging into the store. */
export interface DeviceDraft extends Seen {
  key: string;
  keyKind: 'mac' | 'ip';
  isRouter: boolean;
  behindRouter: boolean;
  locallyAdministered: boolean;
  packets: number;
  bytes: number;
  macs: Map<number, Seen>;
  /** ip -> source ('traffic' | 'arp' | 'traffic_destination') -> span */
  ips: Map<string, { version: number; sources: Map<string, Seen> }>;
  vlans: Map<number, Seen>;
}

/** Widens `k`'s span in `m` by first…last (a new entry when absent); returns the entry. */
function touch(m: Map<string | number, Seen>, k: string | number, first: number, last: number): Seen {
  let s = m.get(k);
  if (s === undefined) m.set(k, (s = { first, last }));
  else {
    s.first = Math.min(s.first, first);
    s.last = Math.max(s.last, last);
  }
  return s;
}

/** Accumulates endpoints, MAC facts and edges; `resolve()` turns them into devices. */
export class EndpointAccumulator {
  readonly macs = new Map<number, MacFacts>();
  /** mac (-1 none) -> ip text -> endpoint */
  private readonly byMac = new Map<number, Map<string, Endpoint>>();
  readonly endpoints: Endpoint[] = [];
  /** Index in `edges` by (client id, server id, protocol << 16 | server port); edges differing in appProto share a tuple. */
  private readonly edgeIndex = new TupleIndex(3);
  readonly edges: EndpointEdge[] = [];
  droppedEdges = 0;
  droppedEndpoints = 0;
  /** Per endpoint id: its MAC's facts and its entry in them (srcIps), once looked up (neither is ever removed). */
  private readonly epFacts: (MacFacts | undefined)[] = [];
  private readonly epSrc: (SrcIp | undefined)[] = [];
  /** Per endpoint id: the VLAN it was last credited with (as a source; -1 none) and that VLAN's span in its MAC's facts. */
  private readonly epVlan: (Seen | undefined)[] = [];
  private readonly epVlanId: number[] = [];
  /** addFlowEndpoint's endpoint ids by (MAC, version, address words 0–3). */
  private readonly flowEndpoints = new TupleIndex(6);

  private mac(m: number, ts: number): MacFacts {
    let f = this.macs.get(m);
    if (f === undefined) {
      f = { mac: m, first: ts, last: ts, l2Packets: 0, l2Bytes: 0, vlans: new Map(), arpIps: new Map(), arpClaimsPrivate: false, srcIps: new Map(), dstOnlyIps: [] };
      this.macs.set(m, f);
    } else {
      f.first = Math.min(f.first, ts);
      f.last = Math.max(f.last, ts);
    }
    return f;
  }

  /** A non-IP frame (ARP, LLDP, …) from `src` to `dst` (dst may be a group address). */
  addL2Frame(src: number, dst: number, hasDst: boolean, vlan: number, bytes: number, ts: number): void {
    if (src !== 0 && !isGroupMac(src)) {
      const f = this.mac(src, ts);
      f.l2Packets++;
      f.l2Bytes += bytes;
      if (vlan >= 0) touch(f.vlans, vlan, ts, ts);
    }
    if (hasDst && dst !== 0 && !isGroupMac(dst)) {
      const f = this.mac(dst, ts);
      f.l2Packets++;
      f.l2Bytes += bytes;
    }
  }

  /** ARP sender binding: `mac` claims IPv4 `ip` (0.0.0.0 probes are ignored). */
  addArpClaim(mac: number, ip: number, ts: number): void {
    if (ip === 0 || mac === 0 || isGroupMac(mac)) return;
    const f = this.mac(mac, ts);
    touch(f.arpIps, ipv4ToString(ip), ts, ts);
    if (isPrivateIpv4(ip)) f.arpClaimsPrivate = true;
  }

  /** The endpoint of `mac` (a 48-bit number, -1 none) and IP text, if one was added. */
  endpointOf(mac: number, ip: string): Endpoint | undefined {
    return this.byMac.get(mac)?.get(ip);
  }

  /**
   * One side of an ended flow. `mac` is the Ethernet source used by that side (-1 if none; the all-zero MAC counts
   * as none), or, when the side never sent, the destination MAC of packets sent to it (`macIsSource` false).
   */
  addEndpoint(mac: number, macIsSource: boolean, ip: string, ipVersion: number, v4: number, prefix64: string | null,
    hostIp: boolean, vlan: number, packets: number, bytes: number, first: number, last: number, sent = true): Endpoint | null {
    if (mac === 0) mac = -1;
    if (mac >= 0 && isGroupMac(mac)) {
      // Sent to a broadcast/multicast MAC: the IP is a (directed) broadcast or group address, not a host.
      mac = -1;
      hostIp = false;
    }
    let m = this.byMac.get(mac);
    if (m === undefined) {
      m = new Map();
      this.byMac.set(mac, m);
    }
    let e = m.get(ip);
    if (e === undefined) {
      if (this.endpoints.length >= MAX_ENDPOINTS) {
        this.droppedEndpoints++;
        return null;
      }
      e = { id: this.endpoints.length, mac, ip, ipVersion, hostIp, macIsSource, sent, first, last, packets: 0, bytes: 0, vlan, moreVlans: null };
      this.endpoints.push(e);
      // the per-endpoint memos get their slot now: written in bounds later, they keep one elements kind (no deopts)
      this.epFacts.push(undefined);
      this.epSrc.push(undefined);
      this.epVlan.push(undefined);
      this.epVlanId.push(-1);
      m.set(ip, e);
    }
    this.creditSide(e, macIsSource, v4, prefix64, vlan, packets, bytes, first, last, sent);
    return e;
  }

  /**
   * addEndpoint for an address given as the flow table's four words (IPv4 in the last): the same endpoint and
   * effects, but a known endpoint is found by number (no address text is made, no map of texts is read).
   */
  addFlowEndpoint(mac: number, macIsSource: boolean, ipVersion: number, w: Uint32Array, vlan: number, packets: number, bytes: number,
    first: number, last: number, sent: boolean): Endpoint | null {
    if (mac === 0) mac = -1; // (addEndpoint)
    const group = mac >= 0 && isGroupMac(mac); // not indexed: several group MACs lead to one endpoint
    let slot = -1;
    if (!group) {
      const k = this.flowEndpoints.key;
      k[0] = mac;
      k[1] = ipVersion;
      k[2] = w[0]!;
      k[3] = w[1]!;
      k[4] = w[2]!;
      k[5] = w[3]!;
      slot = this.flowEndpoints.find();
    }
    const id = slot < 0 ? -1 : this.flowEndpoints.idAt(slot);
    if (id >= 0) {
      const e = this.endpoints[id]!;
      // the /64 text is read only when the endpoint's source entry is made (once)
      const pre = macIsSource && this.epSrc[e.id] === undefined ? prefix64(ipVersion, w) : null;
      this.creditSide(e, macIsSource, w[3]!, pre, vlan, packets, bytes, first, last, sent);
      return e;
    }
    const e = this.addEndpoint(mac, macIsSource, ipText(ipVersion, w), ipVersion, w[3]!, prefix64(ipVersion, w), isHostAddress(ipVersion, w),
      vlan, packets, bytes, first, last, sent);
    if (e !== null && slot >= 0) this.flowEndpoints.add(slot, e.id);
    return e;
  }

  /**
   * Adds one flow side's counts and span to endpoint `e`, and to its MAC's facts. The side's MAC (after the group
   * address rule of addEndpoint), IP, version and host-ness are the endpoint's own: they are its key or follow from it.
   */
  private creditSide(e: Endpoint, macIsSource: boolean, v4: number, prefix64: string | null, vlan: number, packets: number, bytes: number,
    first: number, last: number, sent: boolean): void {
    e.first = Math.min(e.first, first);
    e.last = Math.max(e.last, last);
    if (macIsSource) e.macIsSource = true;
    if (sent) e.sent = true;
    e.packets += packets;
    e.bytes += bytes;
    if (vlan !== e.vlan && vlan >= 0) {
      if (e.vlan < 0) e.vlan = vlan;
      else if (!e.moreVlans) e.moreVlans = [vlan];
      else if (!e.moreVlans.includes(vlan)) e.moreVlans.push(vlan);
    }
    if (e.mac < 0) return;
    const ip = e.ip;
    // (the version compared first: a comparison first made late, for a rare receive-only side, costs a deoptimisation)
    if (e.ipVersion === 4 && !macIsSource && !sent && e.hostIp) {
      const f = this.factsOf(e, first);
      if (f.dstOnlyIps.length < DST_SAMPLE && !f.dstOnlyIps.includes(ip)) f.dstOnlyIps.push(ip);
    }
    if (macIsSource) {
      const f = this.factsOf(e, first);
      f.last = Math.max(f.last, last);
      if (vlan >= 0) {
        // the span of the VLAN in its MAC's facts, remembered per endpoint for its last VLAN (entries are never removed)
        const v = this.epVlanId[e.id] === vlan ? this.epVlan[e.id] : undefined;
        if (v === undefined) {
          this.epVlan[e.id] = touch(f.vlans, vlan, first, last);
          this.epVlanId[e.id] = vlan;
        } else {
          v.first = Math.min(v.first, first);
          v.last = Math.max(v.last, last);
        }
      }
      if (e.hostIp) {
        let s = this.epSrc[e.id];
        if (s === undefined) s = f.srcIps.get(ip);
        if (s === undefined) {
          s = { first, last, version: e.ipVersion, v4: v4 | 0, prefix64 };
          f.srcIps.set(ip, s);
        } else {
          s.first = Math.min(s.first, first);
          s.last = Math.max(s.last, last);
        }
        this.epSrc[e.id] = s;
      }
    }
  }

  /** this.mac(e.mac, ts), remembered per endpoint (MAC facts are never removed). */
  private factsOf(e: Endpoint, ts: number): MacFacts {
    let f = this.epFacts[e.id];
    if (f === undefined) {
      f = this.mac(e.mac, ts);
      this.epFacts[e.id] = f;
    } else {
      f.first = Math.min(f.first, ts);
      f.last = Math.max(f.last, ts);
    }
    return f;
  }

  /**
   * Adds one ended flow to the client→server edge of its endpoints for its application protocol (`ann`, from the
   * connection's observations; undefined when none); `conversation`: the flow carried one (see EndpointEdge.connections);
   * `serverSent`: the server sent at least one packet in it.
   */
  addEdge(client: Endpoint, server: Endpoint, proto: number, serverPort: number, packets: number, bytes: number,
    first: number, last: number, ann?: EdgeAnnotation, conversation = true, serverSent = true): void {
    const appProto = ann?.appProto ?? '';
    const index = this.edgeIndex;
    const k = index.key;
    k[0] = client.id;
    k[1] = server.id;
    k[2] = (proto << 16) | serverPort;
    let slot = index.find();
    let e: EndpointEdge | undefined;
    for (let x = index.idAt(slot); x >= 0; x = index.idAt((slot = index.find(slot)))) {
      if (this.edges[x]!.appProto === appProto) {
        e = this.edges[x]!;
        break;
      }
    }
    if (e === undefined) {
      if (this.edges.length >= MAX_EDGES) {
        this.droppedEdges++;
        return;
      }
      e = { client, server, proto, serverPort, appProto, flows: 0, connections: 0, answered: 0, packets: 0, bytes: 0, first, last,
        encrypted: ann?.encrypted ?? null, phiKinds: null, credentials: null };
      index.add(slot, this.edges.length);
      this.edges.push(e);
    } else {
      e.first = Math.min(e.first, first);
      e.last = Math.max(e.last, last);
      if (ann !== undefined) e.encrypted = combineEncryption(e.encrypted, ann.encrypted);
    }
    e.flows++;
    if (conversation) e.connections++;
    if (conversation && serverSent) e.answered++;
    e.packets += packets;
    e.bytes += bytes;
    if (ann !== undefined) {
      e.phiKinds = mergeKinds(e.phiKinds, ann.phiKinds);
      e.credentials = mergeKinds(e.credentials, ann.credentials);
    }
  }

  /** MACs judged to be routers, with the reason. */
  detectRouters(): Map<number, string> {
    const out = new Map<number, string>();
    for (const f of this.macs.values()) {
      let v4 = 0;
      let publicV4 = 0;
      const prefixes = new Set<string>();
      for (const [ip, s] of f.srcIps) {
        if (s.version === 4) {
          if (f.arpIps.has(ip)) continue;
          v4++;
          if (!isPrivateIpv4(s.v4 >>> 0)) publicV4++;
        } else if (s.prefix64 !== null) prefixes.add(s.prefix64);
      }
      const dstOnly = f.dstOnlyIps.filter((ip) => !f.arpIps.has(ip) && !f.srcIps.has(ip)).length;
      if (v4 >= ROUTER_MIN_IPV4) out.set(f.mac, `sources ${v4} IPv4 addresses it does not claim in ARP`);
      else if (dstOnly >= ROUTER_MIN_IPV4) out.set(f.mac, `is the next hop for ${dstOnly >= DST_SAMPLE ? `${DST_SAMPLE} or more` : dstOnly} IPv4 addresses it does not claim`);
      else if (prefixes.size >= ROUTER_MIN_IPV6_PREFIXES) out.set(f.mac, `sources ${prefixes.size} global IPv6 /64 prefixes`);
      else if (f.arpClaimsPrivate && publicV4 > 0) out.set(f.mac, 'claims a private address in ARP and forwards public addresses');
    }
    return out;
  }

  /**
   * Resolves endpoints to devices. Returns the drafts by key and the device key of each endpoint (null when the
   * endpoint is a group address with no link-layer identity).
   */
  resolve(): { devices: Map<string, DeviceDraft>; endpointDevice: Map<Endpoint, string | null>; routers: Map<number, string> } {
    const routers = this.detectRouters();
    const devices = new Map<string, DeviceDraft>();
    const draft = (key: string, kind: 'mac' | 'ip', first: number, last: number): DeviceDraft => {
      let d = devices.get(key);
      if (d === undefined) {
        d = {
          key, keyKind: kind, isRouter: false, behindRouter: false, locallyAdministered: false, first, last,
          packets: 0, bytes: 0, macs: new Map(), ips: new Map(), vlans: new Map(),
        };
        devices.set(key, d);
      } else {
        if (first < d.first) d.first = first;
        if (last > d.last) d.last = last;
      }
      return d;
    };
    const addIp = (d: DeviceDraft, ip: string, version: number, source: string, first: number, last: number): void => {
      let e = d.ips.get(ip);
      if (e === undefined) {
        e = { version, sources: new Map() };
        d.ips.set(ip, e);
      }
      touch(e.sources, source, first, last);
    };
    // Every unicast MAC seen is a device (routers included).
    for (const f of this.macs.values()) {
      const d = draft(`mac:${macToString(f.mac)}`, 'mac', f.first, f.last);
      d.isRouter = routers.has(f.mac);
      d.locallyAdministered = isLocallyAdministeredMac(f.mac);
      touch(d.macs, f.mac, f.first, f.last);
      d.packets += f.l2Packets;
      d.bytes += f.l2Bytes;
      for (const [v, s] of f.vlans) touch(d.vlans, v, s.first, s.last);
      for (const [ip, s] of f.arpIps) addIp(d, ip, 4, 'arp', s.first, s.last);
    }
    const endpointDevice = new Map<Endpoint, string | null>();
    for (const e of this.endpoints) {
      let key: string | null = null;
      if (e.mac >= 0 && !routers.has(e.mac)) {
        key = `mac:${macToString(e.mac)}`;
        const d = draft(key, 'mac', e.first, e.last);
        if (e.hostIp) addIp(d, e.ip, e.ipVersion, e.macIsSource ? 'traffic' : 'traffic_destination', e.first, e.last);
        this.credit(d, e);
      } else if (e.mac >= 0 && routers.has(e.mac) && (this.macs.get(e.mac)?.arpIps.has(e.ip) || isLinkLocal(e.ip))) {
        key = `mac:${macToString(e.mac)}`; // the router's own address (claimed in ARP, or link-local: never forwarded)
        const d = draft(key, 'mac', e.first, e.last);
        addIp(d, e.ip, e.ipVersion, 'traffic', e.first, e.last);
        this.credit(d, e);
      } else if (e.hostIp && e.sent) {
        // Seen sending (through a router, or on a link without MACs). A host only ever addressed behind a router
        // (a scan target that never answered, say) is a peer of the edge, not evidence of a device.
        key = `ip:${e.ip}`;
        const d = draft(key, 'ip', e.first, e.last);
        d.behindRouter = e.mac >= 0;
        addIp(d, e.ip, e.ipVersion, e.macIsSource ? 'traffic' : 'traffic_destination', e.first, e.last);
        this.credit(d, e);
        if (e.mac >= 0) {
          // The router forwarded this host's packets; credit the router's traffic too.
          const r = draft(`mac:${macToString(e.mac)}`, 'mac', e.first, e.last);
          r.packets += e.packets;
          r.bytes += e.bytes;
        }
      }
      endpointDevice.set(e, key);
    }
    return { devices, endpointDevice, routers };
  }

  private credit(d: DeviceDraft, e: Endpoint): void {
    d.packets += e.packets;
    d.bytes += e.bytes;
    if (e.vlan >= 0) touch(d.vlans, e.vlan, e.first, e.last);
    if (e.moreVlans) for (const v of e.moreVlans) touch(d.vlans, v, e.first, e.last);
  }
}
