/**
 * POCT1-A stream analyzer (XML device messaging layer over TCP, any port, found by content): each direction is read
 * as consecutive XML messages (parser.ts, on the tokenizer of xml.ts) and each message is emitted as one `poct1a`
 * observation whose context is its sender → receiver.
 *
 * Framing: POCT1-A2 puts one XML document per message on the connection with no length prefix or delimiter, so a
 * message ends when its root element closes; blank bytes, NUL and ESC (which some devices send to abort, before
 * END.R01) between messages are skipped.
 *
 * Ports: POCT1-A has no IANA-registered or de-facto port — the data manager's listening port is configured per site
 * (e.g. the Quidel Sofia and Roche cobas Liat interface manuals have the installer enter it) — so POCT1A_PORTS is
 * empty and connections are recognised by their first bytes (sniffPoct1a).
 */
import type { ObservationSink } from '../../observe/observation.js';
import { senderContext } from '../sender-context.js';
import { TwoWayMessageStream } from '../message-stream.js';
import type { StreamContext, StreamParser } from '../stream.js';
import { type Poct1aMessage, Poct1aReader } from './parser.js';

/** No default port (see the file comment); detection is by content. */
export const POCT1A_PORTS: readonly number[] = [];

/** Non-blank bytes outside any message a connection may show before its first message before it is judged not POCT1-A. */
export const MAX_NON_XML_BYTES = 4096;

/** The POCT1-A message topics recognised by the sniffer (the three letters before ".R01"). */
export const POCT1A_TOPICS: ReadonlySet<string> = new Set(['HEL', 'ACK', 'DST', 'OBS', 'EOT', 'END', 'DTV', 'REQ', 'OPL', 'EVS', 'KPA']);

/** Bytes of the start of a connection examined by the sniffer. */
const SNIFF_WINDOW = 512;

/** One `poct1a` log record: the message plus who sent it. */
export interface Poct1aRecord extends Poct1aMessage {
  /** The connection's client (usually the device) or server (the data manager); src_* is the sender either way. */
  sender: 'client' | 'server';
}

/** Index of the first byte of b[i, end) that is not XML white space, NUL or ESC. */
function skipBlank(b: Uint8Array, i: number, end: number): number {
  while (i < end && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0 || b[i] === 0x1b)) i++;
  return i;
}

/** True when b[i, end) starts with the ASCII text `s`. */
function startsWith(b: Uint8Array, i: number, end: number, s: string): boolean {
  if (end - i < s.length) return false;
  for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) return false;
  return true;
}

/** Index just past the first `close` in b[i, end), or -1. */
function skipPast(b: Uint8Array, i: number, end: number, close: string): number {
  for (; i + close.length <= end; i++) if (startsWith(b, i, end, close)) return i + close.length;
  return -1;
}

/**
 * Content detection: optional UTF-8 BOM and blanks, an optional XML declaration `<?xml … ?>` and comments, then a root element
 * `<TOPIC.` whose topic is a POCT1-A one (HEL.R01, ACK.R01, …), within the first SNIFF_WINDOW bytes.
 */
export function sniffPoct1a(b: Uint8Array, off: number, len: number): boolean {
  if (off < 0 || len < 0 || off + len > b.length) return false;
  const end = off + Math.min(len, SNIFF_WINDOW);
  let i = off;
  if (startsWith(b, i, end, '\xef\xbb\xbf')) i += 3;
  i = skipBlank(b, i, end);
  if (startsWith(b, i, end, '<?xml')) {
    i = skipPast(b, i, end, '?>');
    if (i < 0) return false;
    i = skipBlank(b, i, end);
  }
  while (startsWith(b, i, end, '<!--')) {
    i = skipPast(b, i + 4, end, '-->');
    if (i < 0) return false;
    i = skipBlank(b, i, end);
  }
  if (end - i < 6 || b[i] !== 0x3c || b[i + 4] !== 0x2e) return false;
  return POCT1A_TOPICS.has(String.fromCharCode(b[i + 1]!, b[i + 2]!, b[i + 3]!));
}

/** Stream-analyzer form of sniffPoct1a (either side may speak first). */
export function sniffPoct1aStream(_fromClient: boolean, b: Uint8Array, off: number, len: number): boolean {
  return sniffPoct1a(b, off, len);
}

/** One direction's DML reader as a message-stream reader. */
interface Poct1aDirection {
  reader: Poct1aReader;
  push(b: Uint8Array, off: number, len: number): void;
  gap(): void;
  end(): void;
}

/** Why a connection is given up: a tag beyond the tokenizer's bound, or only non-XML text before any message. */
function poct1aGiveUp(s: TwoWayMessageStream<Poct1aDirection>): string | null {
  const c = s.client.reader;
  const v = s.server.reader;
  if (c.failed || v.failed) return 'token_too_long';
  if (c.messages + v.messages === 0 && c.outsideBytes + v.outsideBytes > MAX_NON_XML_BYTES) return 'not_poct1a';
  return null;
}

/** A parser for one POCT1-A connection: a DML reader per direction, each message emitted with its sender's context. */
export function openPoct1a(ctx: StreamContext, emit: ObservationSink): StreamParser {
  const conn: TwoWayMessageStream<Poct1aDirection> = new TwoWayMessageStream(ctx.base.ts_us, (fromClient) => {
    const reader = new Poct1aReader((m) => {
      const msg: Poct1aRecord = { ...m, sender: fromClient ? 'client' : 'server' };
      emit({ kind: 'poct1a', ctx: senderContext(ctx, fromClient, conn.ts), msg });
    });
    return { reader, push: (b, off, len) => reader.feed(b, off, len), gap: () => reader.gap(), end: () => reader.close() };
  }, poct1aGiveUp);
  return conn;
}
