// Purpose: streaming writer for classic libpcap files (little-endian, microsecond timestamps) in bounded memory.

import { closeSync, openSync, writeSync } from 'node:fs';

/** LINKTYPE_ETHERNET, the default link type. */
export const LINKTYPE_ETHERNET = 1;
/** LINKTYPE_RAW: each record is an IPv4 or IPv6 packet, no link-layer header (tcpdump.org/linktypes.html). */
export const LINKTYPE_RAW = 101;
/** Default snapshot length written in the global header. */
export const DEFAULT_SNAPLEN = 262144;

/** Options for {@link openPcapWriter}. */
export interface PcapWriterOptions {
  /** Link-layer header type (default 1 = Ethernet). */
  linktype?: number;
  /** Snapshot length; longer frames are truncated to it (default 262144). */
  snaplen?: number;
  /** Size of the in-memory buffer flushed with one write call (default 4 MiB). */
  chunkSize?: number;
}

/** A pcap file open for appending packet records. */
export interface PcapWriter {
  /**
   * Append one packet record.
   * @param tsMicros capture time in microseconds since the Unix epoch
   * @param frame the link-layer frame bytes
   * @param origLen original length on the wire if the frame was already truncated (default frame.length)
   */
  write(tsMicros: number, frame: Uint8Array, origLen?: number): void;
  /** Flush buffered data and close the file. Further writes throw. */
  close(): void;
  /** Packets written so far. */
  readonly packets: number;
  /** Bytes written so far, including the 24-byte global header and the 16-byte record headers. */
  readonly bytes: number;
}

/** Build the 24-byte pcap global header (magic 0xa1b2c3d4 little-endian, version 2.4). */
export function pcapGlobalHeader(linktype = LINKTYPE_ETHERNET, snaplen = DEFAULT_SNAPLEN): Uint8Array {
  const h = new Uint8Array(24);
  const v = new DataView(h.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setInt32(8, 0, true); // thiszone
  v.setUint32(12, 0, true); // sigfigs
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linktype, true);
  return h;
}

/** Open (create or truncate) a pcap file at `path` and return a buffered writer. */
export function openPcapWriter(path: string, opts: PcapWriterOptions = {}): PcapWriter {
  const snaplen = opts.snaplen ?? DEFAULT_SNAPLEN;
  const chunkSize = Math.max(opts.chunkSize ?? 4 * 1024 * 1024, 64);
  const fd = openSync(path, 'w');
  const buf = Buffer.allocUnsafe(chunkSize);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let used = 0;
  let packets = 0;
  let bytes = 0;
  let closed = false;

  const flush = (): void => {
    let done = 0;
    while (done < used) done += writeSync(fd, buf, done, used - done);
    used = 0;
  };
  const put = (data: Uint8Array): void => {
    if (used + data.length > chunkSize) flush();
    if (data.length > chunkSize) {
      let done = 0;
      while (done < data.length) done += writeSync(fd, data, done, data.length - done);
    } else {
      buf.set(data, used);
      used += data.length;
    }
    bytes += data.length;
  };

  put(pcapGlobalHeader(opts.linktype ?? LINKTYPE_ETHERNET, snaplen));

  return {
    write(tsMicros: number, frame: Uint8Array, origLen = frame.length): void {
      if (closed) throw new Error('pcap writer is closed');
      const incl = Math.min(frame.length, snaplen);
      if (used + 16 > chunkSize) flush();
      const t = Math.floor(tsMicros);
      const sec = Math.floor(t / 1e6);
      view.setUint32(used, sec, true);
      view.setUint32(used + 4, t - sec * 1e6, true);
      view.setUint32(used + 8, incl, true);
      view.setUint32(used + 12, Math.max(origLen, incl), true);
      used += 16;
      bytes += 16;
      put(incl === frame.length ? frame : frame.subarray(0, incl));
      packets++;
    },
    close(): void {
      if (closed) return;
      closed = true;
      flush();
      closeSync(fd);
    },
    get packets() {
      return packets;
    },
    get bytes() {
      return bytes;
    },
  };
}
