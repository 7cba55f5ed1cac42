/**
 * The observation contexts of a decoded packet (where it was seen), built only when an analyzer emits something,
 * and the run's `<protocol>_malformed` counts: shared by the datagram, frame and stream dispatch of the ingest.
 */
import { ipText, macText } from '../decode/address-text.js';
import type { DecodedPacket } from '../decode/decoded-packet.js';
import type { FrameContext, PacketContext } from '../observe/observation.js';

/** The MAC-only context of frame `p` seen at `ts` (µs). */
export function frameContext(p: DecodedPacket, ts: number): FrameContext {
  return {
    ts_us: ts,
    src_mac: p.hasSrcMac ? macText(p.srcMac) : null,
    dst_mac: p.hasDstMac ? macText(p.dstMac) : null,
    vlan: p.vlan >= 0 ? p.vlan : null,
  };
}

/** The context of IP packet `p` seen at `ts` (µs), source → destination, or reversed when `reverse`. */
export function packetContext(p: DecodedPacket, ts: number, reverse = false): PacketContext {
  const srcMac = p.hasSrcMac ? macText(p.srcMac) : null;
  const dstMac = p.hasDstMac ? macText(p.dstMac) : null;
  const srcIp = ipText(p.ipVersion, p.src6);
  const dstIp = ipText(p.ipVersion, p.dst6);
  const vlan = p.vlan >= 0 ? p.vlan : null;
  return reverse
    ? { ts_us: ts, src_mac: dstMac, dst_mac: srcMac, src_ip: dstIp, dst_ip: srcIp, src_port: p.dstPort, dst_port: p.srcPort, vlan }
    : { ts_us: ts, src_mac: srcMac, dst_mac: dstMac, src_ip: srcIp, dst_ip: dstIp, src_port: p.srcPort, dst_port: p.dstPort, vlan };
}

/** `<protocol>_malformed` counts of a run (reported among the anomalies). */
export class FailureCounts {
  readonly counts = new Map<string, number>();

  /** `<protocol>_malformed` by protocol, made once each. */
  private readonly names = new Map<string, string>();

  /** Counts one message or connection of `protocol` its analyzer could not decode. */
  add(protocol: string): void {
    let name = this.names.get(protocol);
    if (name === undefined) {
      name = `${protocol}_malformed`;
      this.names.set(protocol, name);
    }
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }
}
