/**
 * Identity facts from passive TCP OS fingerprinting (tcp-os-match.ts): when a TCP flow ends, the client's SYN and the
 * server's SYN-ACK the flow table kept are fingerprinted and matched; each (endpoint, direction, fingerprint) is kept
 * once, logged once as a `tcp_fp` observation, and becomes device facts once the run's devices are known:
 * - `tcp_os` (the matched signature's label, e.g. "Linux 4.20+"), `tcp_os_class` (win, unix, embedded, other) and
 *   `tcp_hop_distance` (hops from the capture point), with the fingerprint, the signature line and the match quality
 *   as evidence;
 * - only where the segment describes the device's own stack: a device keyed by its MAC gets facts only from segments
 *   that crossed no router (distance 0: a fingerprint with a distance came through a gateway whose MAC it carries); a
 *   device keyed by IP (behind a router, or on a capture without link layer) gets them at any distance.
 */
import { basename } from 'node:path';
import type { SynInfo } from '../flow/flow-table.js';
import type { DeviceDraft, Endpoint } from '../inventory/endpoint-accumulator.js';
import { macToString } from '../decode/address.js';
import { macText } from '../decode/address-text.js';
import type { ObservationSink, TcpFingerprintRecord } from '../observe/observation.js';
import type { MacFact } from './identity-collector.js';
import { HOP_DISTANCE_CONFIDENCE, matchTcpOs, tcpFingerprint, type TcpFingerprint, type TcpOsMatch } from './tcp-os-match.js';
import type { TcpDirection, TcpSignatureDb } from './tcp-signatures.js';

/** The `source` of the facts. */
export const TCP_OS_SOURCE = 'tcp_fp';
/** Most distinct (endpoint, direction, fingerprint) kept per run; beyond it fingerprints are counted, not kept. */
export const MAX_TCP_FINGERPRINTS = 100_000;

/** One side of an ended TCP flow. */
export interface HandshakeSide {
  endpoint: Endpoint | null;
  /** MAC as a number, -1 when unknown. */
  mac: number;
  ip: string;
  port: number;
}

/** An ended TCP flow's handshake: the client's SYN and the server's SYN-ACK, as the flow table kept them. */
export interface Handshake {
  firstUs: number;
  lastUs: number;
  vlan: number | null;
  client: HandshakeSide;
  server: HandshakeSide;
  syn: SynInfo | null;
  synAck: SynInfo | null;
}

/** A fact for a resolved device (its key in the run's device drafts). */
export interface DeviceFact {
  deviceKey: string;
  fact: MacFact;
}

/** Most fingerprints memoised by SynInfo object (the memo is emptied when full). */
const MAX_FINGERPRINT_MEMO = 4096;

/** A fingerprint, its match and where the matched signature is (`file:line (quality)` and `file:line`; null: none). */
interface Judged {
  fp: TcpFingerprint;
  match: TcpOsMatch;
  where: string | null;
  signature: string | null;
}

/** One kept fingerprint of one endpoint. */
interface Seen {
  endpoint: Endpoint | null;
  match: TcpOsMatch;
  evidence: string;
  first: number;
  last: number;
}

/** Collects TCP handshake fingerprints during an ingest. */
export class TcpOsCollector {
  /** Kept fingerprints in the order first seen. */
  private readonly seen: Seen[] = [];
  /**
   * The kept fingerprints by sender MAC, sender IP and direction, then raw signature (nested lookups instead of one
   * long key string built per handshake).
   */
  private readonly byMac = new Map<number, Map<string, Record<TcpDirection, Map<string, Seen>>>>();
  /** The same by endpoint id, for sides whose MAC is their endpoint's (an endpoint's key is its MAC and IP). */
  private readonly byEndpoint: (Record<TcpDirection, Map<string, Seen>> | undefined)[] = [];
  /**
   * Fingerprints by SynInfo object (SYNs) and by SynInfo object and peer MSS (SYN-ACKs): the flow table hands the same
   * object for every segment of one shape (FlowTable.synShape), and a fingerprint is a function of the object's fields.
   */
  private readonly synMemo = new Map<SynInfo, Judged>();
  private readonly synAckMemo = new Map<SynInfo, Map<number | null, Judged>>();
  private memoSize = 0;
  /** Fingerprints not kept because MAX_TCP_FINGERPRINTS was reached. */
  dropped = 0;
  private readonly fileName: string;

  constructor(private readonly db: TcpSignatureDb, private readonly emit: ObservationSink) {
    this.fileName = basename(db.file);
  }

  /** Fingerprints the handshake of an ended flow. */
  addHandshake(h: Handshake): void {
    if (h.syn) this.addSegment(h, 'syn', h.syn, h.client, h.server, null);
    if (h.synAck) this.addSegment(h, 'syn-ack', h.synAck, h.server, h.client, h.syn?.mss ?? null);
  }

  private addSegment(h: Handshake, direction: TcpDirection, s: SynInfo, from: HandshakeSide, to: HandshakeSide, peerMss: number | null): void {
    const j = this.judged(s, direction, peerMss);
    const fp = j.fp;
    const mine = this.fingerprintsOf(from)[direction];
    const key = fp.raw;
    const old = mine.get(key);
    if (old) {
      // (Math.min/max: a branch taken only now and then deoptimises this rarely-run code each time it first is)
      old.first = Math.min(old.first, h.firstUs);
      old.last = Math.max(old.last, h.lastUs);
      return;
    }
    if (this.seen.length >= MAX_TCP_FINGERPRINTS) {
      this.dropped++;
      return;
    }
    const match = j.match;
    const what = direction === 'syn' ? 'SYN' : 'SYN-ACK';
    const evidence = `${what} from ${from.ip}:${from.port} to ${to.ip}:${to.port}, fingerprint ${fp.raw}` +
      (j.where ? ` matched ${j.where}` : ' matched no signature');
    const kept: Seen = { endpoint: from.endpoint, match, evidence, first: h.firstUs, last: h.lastUs };
    mine.set(key, kept);
    this.seen.push(kept);
    this.emit({
      kind: 'tcp_fp',
      ctx: {
        ts_us: h.firstUs, src_mac: from.mac >= 0 ? macText(from.mac) : null, dst_mac: to.mac >= 0 ? macText(to.mac) : null,
        src_ip: from.ip, dst_ip: to.ip, src_port: from.port, dst_port: to.port, vlan: h.vlan,
      },
      msg: fingerprintRecord(s, direction, fp, match, j.signature),
    });
  }

  /**
   * tcpFingerprint(s, direction, peerMss) and its match, memoised by SynInfo object (SynInfo objects are never
   * modified; fingerprinting and matching are pure).
   */
  private judged(s: SynInfo, direction: TcpDirection, peerMss: number | null): Judged {
    let byPeer: Map<number | null, Judged> | undefined;
    let j = direction === 'syn' ? this.synMemo.get(s) : (byPeer = this.synAckMemo.get(s))?.get(peerMss);
    if (j !== undefined) return j;
    if (this.memoSize >= MAX_FINGERPRINT_MEMO) {
      this.synMemo.clear();
      this.synAckMemo.clear();
      this.memoSize = 0;
      byPeer = undefined;
    }
    const fp = tcpFingerprint(s, direction, peerMss);
    const match = matchTcpOs(fp, this.db);
    const sig = match.signature;
    j = {
      fp, match,
      where: sig ? `${this.fileName}:${sig.line} (${match.quality}${sig.generic ? ', generic' : ''})` : null,
      signature: sig ? `${this.fileName}:${sig.line}` : null,
    };
    if (direction === 'syn') this.synMemo.set(s, j);
    else {
      if (byPeer === undefined) {
        byPeer = new Map();
        this.synAckMemo.set(s, byPeer);
      }
      byPeer.set(peerMss, j);
    }
    this.memoSize++;
    return j;
  }

  /** The kept fingerprints of a handshake side's MAC and IP, by direction. */
  private fingerprintsOf(side: HandshakeSide): Record<TcpDirection, Map<string, Seen>> {
    const e = side.endpoint;
    if (e === null || e.mac !== side.mac) return this.fingerprintsByKey(side);
    let m = this.byEndpoint[e.id];
    if (m === undefined) {
      m = this.fingerprintsByKey(side);
      this.byEndpoint[e.id] = m;
    }
    return m;
  }

  /** fingerprintsOf by the side's MAC and IP. */
  private fingerprintsByKey(side: HandshakeSide): Record<TcpDirection, Map<string, Seen>> {
    let ips = this.byMac.get(side.mac);
    if (ips === undefined) {
      ips = new Map();
      this.byMac.set(side.mac, ips);
    }
    let m = ips.get(side.ip);
    if (m === undefined) {
      m = { syn: new Map(), 'syn-ack': new Map() };
      ips.set(side.ip, m);
    }
    return m;
  }

  /**
   * Facts for the devices the kept segments describe (see the module comment), from the run's endpoint → device key
   * resolution and device drafts.
   */
  facts(endpointDevice: ReadonlyMap<Endpoint, string | null>, devices: ReadonlyMap<string, DeviceDraft>): DeviceFact[] {
    const out: DeviceFact[] = [];
    for (const s of this.seen) {
      const key = s.endpoint ? endpointDevice.get(s.endpoint) ?? null : null;
      const d = key === null ? undefined : devices.get(key);
      const dist = s.match.distance;
      if (d === undefined || (d.keyKind === 'mac' && dist !== 0)) continue;
      const mac = s.endpoint!.mac >= 0 ? macToString(s.endpoint!.mac) : '';
      const fact = (name: string, value: string, confidence: number): void => {
        out.push({ deviceKey: d.key, fact: { mac, source: TCP_OS_SOURCE, name, value, confidence, evidence: s.evidence, first: s.first, last: s.last } });
      };
      const sig = s.match.signature;
      if (sig) {
        fact('tcp_os', sig.label, s.match.confidence);
        fact('tcp_os_class', sig.osClass, s.match.confidence);
      }
      if (dist !== null) {
        fact('tcp_hop_distance', String(dist), s.match.distanceFromSignature ? HOP_DISTANCE_CONFIDENCE.matched : HOP_DISTANCE_CONFIDENCE.guessed);
      }
    }
    return out;
  }
}

/** The tcp_fp log record of a fingerprint and its match. */
function fingerprintRecord(s: SynInfo, direction: TcpDirection, fp: TcpFingerprint, m: TcpOsMatch, signature: string | null): TcpFingerprintRecord {
  const sig = m.signature;
  return {
    direction, raw_sig: fp.raw, ip_version: s.ip_version, ttl: s.ttl,
    initial_ttl: m.distance === null ? sig!.ittl : s.ttl + m.distance, hop_distance: m.distance,
    ip_olen: s.ip_olen, mss: s.mss, window: s.window, wscale: s.wscale, layout: s.layout, quirks: s.quirks, payload: s.payload,
    os: sig ? sig.label : null, os_class: sig ? sig.osClass : null, signature, match: m.quality, generic: sig ? sig.generic : false,
    confidence: m.confidence,
  };
}
