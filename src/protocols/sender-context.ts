/**
 * The packet context of a message carried in a TCP connection, seen from its sender: a stream analyzer's context
 * is client → server (protocols/stream.ts); a message the server sent has the addresses swapped, so that `src_*` is
 * always who sent it (used by analyzers that emit one observation per message in either direction, e.g. HL7 and
 * POCT1-A).
 */
import type { PacketContext } from '../observe/observation.js';
import type { StreamContext } from './stream.js';

/** The context at time `ts` of a message sent by the client (`fromClient`) or by the server. */
export function senderContext(ctx: StreamContext, fromClient: boolean, ts: number): PacketContext {
  const c = ctx.at(ts);
  if (fromClient) return c;
  return { ts_us: c.ts_us, src_mac: c.dst_mac, dst_mac: c.src_mac, src_ip: c.dst_ip, dst_ip: c.src_ip, src_port: c.dst_port, dst_port: c.src_port, vlan: c.vlan };
}
