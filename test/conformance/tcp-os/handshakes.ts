/**
 * medtap's side of the p0f comparison: reads a capture with medtap's own reader, decoders and flow table (following
 * tunnels as the ingest does) and returns, per TCP flow, the client's SYN and the server's SYN-ACK the flow table
 * kept, keyed as p0f's log names a connection (`client_ip/port>server_ip/port`).
 */
import { openFileSource, singleSource } from '../../../src/capture/packet-source.js';
import { ipToString } from '../../../src/decode/address.js';
import { DecodedPacket, Inner } from '../../../src/decode/decoded-packet.js';
import { decodeIp } from '../../../src/decode/ip.js';
import { decodeEthernet, decodeFrame } from '../../../src/decode/link.js';
import { FlowTable, type SynInfo } from '../../../src/flow/flow-table.js';
import { MAX_TUNNEL_DEPTH } from '../corpus-frames.js';

/** One flow's handshake. */
export interface FlowHandshake {
  syn: SynInfo | null;
  synAck: SynInfo | null;
}

/** Handshakes of every TCP flow that kept a SYN or a SYN-ACK, by `client_ip/port>server_ip/port`. */
export function readHandshakes(path: string): Map<string, FlowHandshake> {
  const out = new Map<string, FlowHandshake>();
  const table = new FlowTable((t, f) => {
    const v = t.view(f);
    if (v.proto !== 6) return;
    const c = v.clientSide;
    const syn = t.syn(f, c);
    const synAck = t.syn(f, 1 - c);
    if (!syn && !synAck) return;
    const a = `${ipToString(v.ipVersion, v.addrA)}/${v.portA}`;
    const b = `${ipToString(v.ipVersion, v.addrB)}/${v.portB}`;
    const key = c === 0 ? `${a}>${b}` : `${b}>${a}`;
    if (!out.has(key)) out.set(key, { syn, synAck });
  });
  const src = singleSource(openFileSource(path));
  const outer = new DecodedPacket();
  const inner = new DecodedPacket();
  try {
    while (src.next()) {
      const r = src.pkt;
      decodeFrame(r.buf, r.off, r.caplen, r.linktype, outer);
      if (outer.ipVersion !== 0) table.update(outer, r.wirelen, r.tsUs, 0);
      let p = outer;
      for (let depth = 1; depth <= MAX_TUNNEL_DEPTH && p.inner !== Inner.None; depth++) {
        const next = p === outer ? inner : outer;
        const buf = p.pktBuf, off = p.innerOff, end = p.innerEnd, kind = p.inner;
        next.reset();
        next.pktBuf = buf;
        if (kind === Inner.Ethernet) decodeEthernet(buf, off, end, next);
        else decodeIp(buf, off, end, next);
        if (next.ipVersion === 0) break;
        table.update(next, r.wirelen, r.tsUs, depth);
        p = next;
      }
    }
  } finally {
    src.close();
  }
  table.flushAll();
  return out;
}
