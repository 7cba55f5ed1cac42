/**
 * Streaming pcap / pcapng record reader.
 *
 * One reader walks one byte stream (a file or stdin) in large chunks and yields packet records without copying
 * the packet bytes: `next()` fills `reader.pkt` with a view (`buf`, `off`, `caplen`) into the current chunk, valid
 * until the following `next()` call.
 *
 * Formats:
 * - pcap (libpcap "tcpdump" format): magic 0xa1b2c3d4 (µs) and 0xa1b23c4d (ns), either byte order; the
 *   Kuznetzov "modified pcap" magic 0xa1b2cd34 (24-byte record headers). Link type in the low 16 bits of the
 *   header's network field (https://www.tcpdump.org/manpages/pcap-savefile.5.html).
 * - pcapng (draft-ietf-opsawg-pcapng): SHB (several sections, each with its own byte order), IDB with
 *   `if_tsresol` (option 9) and `if_tsoffset` (option 14), EPB, SPB, the obsolete PB; every other block type is
 *   skipped. Interfaces keep their own link type.
 *
 * Errors are not thrown: a bad magic, a corrupt block length or a truncated record ends the stream and sets
 * `reader.error` to a message naming the source and the byte offset. Everything before it has been yielded.
 *
 * Background reading (opt-in, for sources with `readAhead`: regular files): the reader keeps two buffers and has the
 * next chunk read into the spare one on libuv's threadpool while the current one is parsed, so the kernel's copy of
 * the file's bytes costs the parsing thread nothing. `next()` then also returns false when that read has not
 * completed yet (`stalled()` gives the promise to await before calling `next()` again); records, errors and offsets
 * are the same as with synchronous reads.
 */

/** Largest packet record accepted (libpcap/Wireshark use 262144 for all but a few link types). */
export const MAX_RECORD_BYTES = 262_144;
/** Largest pcapng block accepted (a record plus generous room for options). */
export const MAX_PCAPNG_BLOCK_BYTES = MAX_RECORD_BYTES + 65_536;
/** Bytes read from the source at a time. */
export const READ_CHUNK_BYTES = 4 << 20;

/** Where bytes come from: returns the number of bytes read into `buf` at `off` (0 at end of stream). */
export interface ByteSource {
  readonly name: string;
  read(buf: Buffer, off: number, len: number): number;
  /** Total size in bytes when known (regular files), for progress. */
  readonly size: number | null;
  close(): void;
  /**
   * Optional (regular files): reads the next bytes of the stream (those `read` would return next) into `buf` at
   * `off` in the background, then calls `done` (with the count, 0 at the end of the stream). At most one at a time;
   * never mixed with `read` while one is in flight.
   */
  readAhead?(buf: Buffer, off: number, len: number, done: (err: Error | null, n: number) => void): void;
}

/** The record most recently returned by `next()`. Reused: copy what you keep. */
export interface PacketRecord {
  buf: Buffer;
  off: number;
  caplen: number;
  /** Original length on the wire. */
  wirelen: number;
  /** Timestamp in microseconds since the Unix epoch (fractional for sub-µs resolutions). */
  tsUs: number;
  /** LINKTYPE_* value (https://www.tcpdump.org/linktypes.html). */
  linktype: number;
  /** pcapng interface index within its section (0 for pcap). */
  iface: number;
}

const enum Fmt { Unknown, Pcap, Pcapng }

interface PcapngIface { linktype: number; snaplen: number; unitsPerUs: number; offsetUs: number }

const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BOM = 0x1a2b3c4d;

/**
 * Background reading: room kept in front of each read so the unparsed tail of the previous buffer (less than one
 * largest block) can be put before the new bytes; the reader refills once fewer than this many bytes are left, so a
 * record or block never needs bytes that are still being read.
 */
const HEADROOM = MAX_PCAPNG_BLOCK_BYTES;
const enum Ahead { Idle, Busy, Done }

/** Reads pcap or pcapng from a ByteSource; see the file comment. */
export class CaptureReader {
  readonly pkt: PacketRecord;
  /** Set when the stream ended abnormally: "<name>: <reason> at byte offset N". */
  error: string | null = null;
  /** Format once known: "pcap" or "pcapng". */
  format: 'pcap' | 'pcapng' | null = null;
  /** Packets returned so far. */
  packets = 0;

  private buf: Buffer;
  private pos = 0; // parse position within buf
  private end = 0; // valid bytes in buf
  private base = 0; // stream offset of buf[0]
  private eof = false;
  private fmt = Fmt.Unknown;
  private le = true;
  // pcap
  private recHdrLen = 16;
  private fracPerUs = 1; // µs-per-fraction divisor: 1 for µs, 1000 for ns
  private pcapLinktype = 1;
  // pcapng
  private ifaces: PcapngIface[] = [];
  private lastTsUs = 0;
  // background reading (null spare: synchronous reads)
  private spare: Buffer | null = null;
  private ahead = Ahead.Idle;
  private aheadGot = 0;
  /**
   * Bytes asked of the next background read: the first reads are short (doubling up to the buffer), so the refill
   * path of `nextPcap` runs within the first packets, before the optimiser compiles it (a path first taken after that
   * costs a deoptimisation).
   */
  private aheadLen = 2 * HEADROOM;
  private aheadErr: Error | null = null;
  private waiter: (() => void) | null = null;
  private isStalled = false;

  /** `background`: read ahead on libuv's threadpool when the source can (see the file comment). */
  constructor(private readonly src: ByteSource, chunkBytes = READ_CHUNK_BYTES, background = false) {
    if (background && src.readAhead !== undefined) {
      const size = HEADROOM + Math.max(chunkBytes, MAX_PCAPNG_BLOCK_BYTES);
      this.buf = Buffer.allocUnsafe(size);
      this.spare = Buffer.allocUnsafe(size);
    } else this.buf = Buffer.allocUnsafe(Math.max(chunkBytes, MAX_PCAPNG_BLOCK_BYTES * 2));
    this.pkt = { buf: this.buf, off: 0, caplen: 0, wirelen: 0, tsUs: 0, linktype: 1, iface: 0 };
  }

  /**
   * After `next()` returned false: null at the end of the stream (check `error`), else a promise to await (the
   * background read is still in flight) before calling `next()` again.
   */
  stalled(): Promise<void> | null {
    if (!this.isStalled) return null;
    this.isStalled = false;
    if (this.ahead !== Ahead.Busy) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /**
   * Background reading: false (and stalled) when fewer than HEADROOM bytes are left before the end of the stream is
   * known and the next chunk is still being read; takes in the completed chunk otherwise.
   */
  private starved(): boolean {
    if (this.spare === null || this.eof || this.end - this.pos >= HEADROOM) return false;
    for (;;) {
      if (this.ahead === Ahead.Idle) this.startAhead();
      if (this.ahead === Ahead.Busy) {
        this.isStalled = true;
        return true;
      }
      this.ahead = Ahead.Idle;
      const err = this.aheadErr;
      if (err !== null) throw err; // as a failing synchronous read would
      const got = this.aheadGot;
      // the unparsed tail goes in front of the new bytes; the old buffer becomes the spare
      const s = this.spare;
      const tail = this.end - this.pos;
      this.buf.copy(s, HEADROOM - tail, this.pos, this.end);
      this.base += this.pos - (HEADROOM - tail);
      this.spare = this.buf;
      this.buf = s;
      this.pkt.buf = s;
      this.pos = HEADROOM - tail;
      this.end = HEADROOM + got;
      if (got <= 0) this.eof = true;
      if (this.eof || this.end - this.pos >= HEADROOM) {
        if (!this.eof) this.startAhead();
        return false;
      }
    }
  }

  private startAhead(): void {
    const s = this.spare!;
    this.ahead = Ahead.Busy;
    const len = Math.min(this.aheadLen, s.length - HEADROOM);
    this.aheadLen = Math.min(2 * len, s.length - HEADROOM); // (bounded: a small integer field stays one)
    this.src.readAhead!(s, HEADROOM, len, (err, n) => {
      this.aheadErr = err;
      this.aheadGot = n;
      this.ahead = Ahead.Done;
      const w = this.waiter;
      this.waiter = null;
      w?.();
    });
  }

  /** Bytes of the stream consumed so far (for progress). */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Ensures at least `n` bytes are available from `pos`; false at end of stream. */
  private need(n: number): boolean {
    if (this.end - this.pos >= n) return true;
    if (this.eof) return false;
    // Move the unparsed tail to the front, then fill.
    if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
    }
    if (n > this.buf.length) return false;
    while (this.end < n && !this.eof) {
      const got = this.src.read(this.buf, this.end, this.buf.length - this.end);
      if (got <= 0) this.eof = true;
      else this.end += got;
    }
    this.pkt.buf = this.buf;
    return this.end - this.pos >= n;
  }

  private fail(reason: string, at: number): false {
    this.error = `${this.src.name}: ${reason} at byte offset ${at}`;
    this.eof = true;
    this.pos = this.end;
    return false;
  }

  private u32(o: number): number {
    return this.le ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o);
  }

  private u16(o: number): number {
    return this.le ? this.buf.readUInt16LE(o) : this.buf.readUInt16BE(o);
  }

  /** Advances to the next packet; false at end of stream (check `error`). */
  next(): boolean {
    if (this.fmt === Fmt.Pcap) return this.nextPcap();
    if (this.fmt === Fmt.Pcapng) return this.nextPcapng();
    if (this.error || this.starved()) return false;
    if (!this.need(4)) {
      if (this.end - this.pos === 0) return this.fail('empty capture (no file header)', this.offset);
      return this.fail('truncated file header', this.offset);
    }
    const m = this.buf.readUInt32LE(this.pos);
    if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1 || m === 0xa1b2cd34 || m === 0x34cdb2a1) {
      return this.startPcap(m) && this.nextPcap();
    }
    if (m === PCAPNG_SHB) {
      this.fmt = Fmt.Pcapng;
      this.format = 'pcapng';
      return this.nextPcapng();
    }
    return this.fail(`not a pcap or pcapng capture (bad magic 0x${m.toString(16).padStart(8, '0')})`, this.offset);
  }

  private startPcap(m: number): boolean {
    if (!this.need(24)) return this.fail('truncated pcap file header', this.offset);
    this.le = m === 0xa1b2c3d4 || m === 0xa1b23c4d || m === 0xa1b2cd34;
    const magic = this.u32(this.pos);
    this.fracPerUs = magic === 0xa1b23c4d ? 1000 : 1;
    this.recHdrLen = magic === 0xa1b2cd34 ? 24 : 16;
    this.pcapLinktype = this.u32(this.pos + 20) & 0xffff;
    this.pos += 24;
    this.fmt = Fmt.Pcap;
    this.format = 'pcap';
    return true;
  }

  private nextPcap(): boolean {
    const h = this.recHdrLen;
    if (this.end - this.pos < HEADROOM && this.starved()) return false;
    if (this.end - this.pos < h && !this.need(h)) {
      if (this.end - this.pos === 0) return false; // clean end
      return this.fail(`truncated record header (${this.end - this.pos} of ${h} bytes)`, this.offset);
    }
    // Byte arithmetic instead of readUInt32*: this is the hottest loop of an ingest.
    let b = this.buf;
    let q = this.pos;
    const le = this.le;
    const caplen = le
      ? (b[q + 8]! | (b[q + 9]! << 8) | (b[q + 10]! << 16)) + b[q + 11]! * 16777216
      : (b[q + 11]! | (b[q + 10]! << 8) | (b[q + 9]! << 16)) + b[q + 8]! * 16777216;
    if (caplen > MAX_RECORD_BYTES) {
      return this.fail(`corrupt record length ${caplen} (limit ${MAX_RECORD_BYTES})`, this.offset);
    }
    if (this.end - q < h + caplen) {
      if (!this.need(h + caplen)) return this.fail(`truncated record (${this.end - this.pos - h} of ${caplen} bytes)`, this.offset);
      b = this.buf;
      q = this.pos; // need() moved the data
    }
    const pkt = this.pkt;
    let sec: number;
    let frac: number;
    let wl: number;
    if (le) {
      sec = (b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16)) + b[q + 3]! * 16777216;
      frac = (b[q + 4]! | (b[q + 5]! << 8) | (b[q + 6]! << 16)) + b[q + 7]! * 16777216;
      wl = (b[q + 12]! | (b[q + 13]! << 8) | (b[q + 14]! << 16)) + b[q + 15]! * 16777216;
    } else {
      sec = (b[q + 3]! | (b[q + 2]! << 8) | (b[q + 1]! << 16)) + b[q]! * 16777216;
      frac = (b[q + 7]! | (b[q + 6]! << 8) | (b[q + 5]! << 16)) + b[q + 4]! * 16777216;
      wl = (b[q + 15]! | (b[q + 14]! << 8) | (b[q + 13]! << 16)) + b[q + 12]! * 16777216;
    }
    pkt.tsUs = sec * 1e6 + (this.fracPerUs === 1 ? frac : frac / this.fracPerUs);
    pkt.caplen = caplen;
    pkt.wirelen = wl < caplen ? caplen : wl;
    pkt.off = q + h;
    pkt.linktype = this.pcapLinktype;
    pkt.iface = 0;
    this.pos = q + h + caplen;
    this.packets++;
    return true;
  }

  private nextPcapng(): boolean {
    for (;;) {
      if (this.starved()) return false; // at a block boundary: the next call starts here again
      if (!this.need(8)) {
        if (this.end - this.pos === 0) return false;
        return this.fail(`truncated block header (${this.end - this.pos} of 8 bytes)`, this.offset);
      }
      let type = this.u32(this.pos);
      if (this.buf.readUInt32LE(this.pos) === PCAPNG_SHB) {
        if (!this.need(12)) return this.fail('truncated section header block', this.offset);
        const bom = this.buf.readUInt32LE(this.pos + 8);
        if (bom === PCAPNG_BOM) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else return this.fail(`bad pcapng byte-order magic 0x${bom.toString(16)}`, this.offset);
        type = PCAPNG_SHB;
      }
      const len = this.u32(this.pos + 4);
      if (len < 12 || len % 4 !== 0 || len > MAX_PCAPNG_BLOCK_BYTES) {
        return this.fail(`corrupt block length ${len} (block type 0x${type.toString(16)})`, this.offset);
      }
      if (!this.need(len)) {
        return this.fail(`truncated block (${this.end - this.pos} of ${len} bytes, block type 0x${type.toString(16)})`, this.offset);
      }
      const b = this.pos;
      if (this.u32(b + len - 4) !== len) {
        return this.fail(`corrupt block: trailing length ${this.u32(b + len - 4)} differs from ${len}`, this.offset);
      }
      this.pos = b + len;
      switch (type) {
        case PCAPNG_SHB:
          this.ifaces = [];
          break;
        case 1: // IDB
          if (len < 20) return this.fail('interface description block too short', this.base + b);
          this.ifaces.push(this.readIdb(b, len));
          break;
        case 6: // EPB
        case 2: { // obsolete Packet Block (same layout but 16-bit interface id + drops count)
          if (len < 32) return this.fail('packet block too short', this.base + b);
          const ifIdx = type === 6 ? this.u32(b + 8) : this.u16(b + 8);
          const iface = this.ifaces[ifIdx];
          if (!iface) return this.fail(`packet block names undefined interface ${ifIdx}`, this.base + b);
          const caplen = this.u32(b + 20);
          if (caplen > len - 32) return this.fail(`corrupt captured length ${caplen} in a block of ${len} bytes`, this.base + b);
          const ts = this.u32(b + 12) * 4294967296 + this.u32(b + 16);
          const pkt = this.pkt;
          pkt.tsUs = ts / iface.unitsPerUs + iface.offsetUs;
          this.lastTsUs = pkt.tsUs;
          pkt.caplen = caplen;
          const wl = this.u32(b + 24);
          pkt.wirelen = wl < caplen ? caplen : wl;
          pkt.off = b + 28;
          pkt.linktype = iface.linktype;
          pkt.iface = ifIdx;
          this.packets++;
          return true;
        }
        case 3: { // SPB: no timestamp, interface 0, captured length implied by the block
          const iface = this.ifaces[0];
          if (!iface) return this.fail('simple packet block before any interface description', this.base + b);
          const wl = this.u32(b + 8);
          let caplen = Math.min(wl, len - 16);
          if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
          const pkt = this.pkt;
          pkt.tsUs = this.lastTsUs;
          pkt.caplen = caplen;
          pkt.wirelen = wl < caplen ? caplen : wl;
          pkt.off = b + 12;
          pkt.linktype = iface.linktype;
          pkt.iface = 0;
          this.packets++;
          return true;
        }
        default:
          break; // NRB, ISB, DSB, custom and unknown blocks: skipped
      }
    }
  }

  private readIdb(b: number, len: number): PcapngIface {
    const linktype = this.u16(b + 8);
    const snaplen = this.u32(b + 12);
    let unitsPerUs = 1;
    let offsetUs = 0;
    let o = b + 16;
    const optEnd = b + len - 4;
    while (o + 4 <= optEnd) {
      const code = this.u16(o);
      const olen = this.u16(o + 2);
      if (code === 0 || o + 4 + olen > optEnd) break;
      if (code === 9 && olen >= 1) {
        const v = this.buf[o + 4]!;
        const unitsPerSec = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** (v & 0x7f);
        unitsPerUs = unitsPerSec / 1e6;
      } else if (code === 14 && olen >= 8) {
        const hi = this.u32(o + 4);
        const lo = this.u32(o + 8);
        offsetUs = (this.le ? lo * 4294967296 + hi : hi * 4294967296 + lo) * 1e6;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    return { linktype, snaplen, unitsPerUs, offsetUs };
  }
}
