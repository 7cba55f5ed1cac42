/**
 * The HTTP analyzer's one look inside bodies: a response body that is XML (by its Content-Type, or — without one —
 * by its first byte) is kept up to MAX_XML_BODY bytes and, when the exchange is logged, read for a device
 * self-description: a UPnP device description (the document at an SSDP LOCATION URL) or DPWS device metadata (the
 * SOAP GetResponse of a WSD device or an IEEE 11073 SDC provider). Anything else gives nothing. Other bodies are
 * never buffered: the content-type check happens once per response.
 *
 * Specs: RFC 9110 §8.3 (media types, case-insensitive, parameters after ";"), RFC 7303 §4.1/§4.2 (text/xml,
 * application/xml) and §9.2 (the +xml structured syntax suffix: application/soap+xml of SOAP 1.2 over HTTP, RFC 3902);
 * the documents: ../ssdp/description.ts, ../wsd/metadata.ts.
 */
import { isUpnpDescription, readUpnpDescription, type UpnpDescription } from '../ssdp/description.js';
import { isDpwsMetadataEnvelope, readDpwsMetadata, type DpwsMetadata } from '../wsd/metadata.js';
import { StreamBuffer } from '../stream-buffer.js';
import { parseXmlTree } from '../xml/tree.js';

/** Body bytes kept; the rest of a larger body is not read (`body_over_limit`). */
export const MAX_XML_BODY = 65536;

/** A device self-description found in an XML body. */
export type XmlMetadata = DpwsMetadata | UpnpDescription;

/** Anomalies the capture adds to those of the document. */
export const XML_BODY_ANOMALIES = {
  /** The body was longer than MAX_XML_BODY; only its start was read. */
  body_over_limit: 'XML body longer than MAX_XML_BODY',
  /** The body was not seen whole (a capture gap, or the connection ended first). */
  truncated_body: 'XML body not seen whole',
  /** A UPnP description without a device element. */
  missing_device: 'UPnP description without a device element',
  /** A value longer than the reader's bound, cut. */
  long_value: 'value longer than the bound, cut',
  /** More hosted services than the bound. */
  long_list: 'more hosted services than the bound',
} as const;

const XML_MEDIA_TYPE = /^\s*(?:text|application)\/(?:[\w.-]+\+)?xml\s*(?:;|$)/i;

/** The device self-description in the XML document b[off, off+len), or null if it is neither kind (or not XML). */
export function xmlBodyMetadata(b: Uint8Array, off: number, len: number): XmlMetadata | null {
  const doc = parseXmlTree(b, off, len);
  const root = doc.root;
  if (root === null) return null;
  if (isUpnpDescription(root)) return readUpnpDescription(root, doc.anomalies);
  if (isDpwsMetadataEnvelope(root)) return readDpwsMetadata(root, doc.anomalies);
  return null;
}

/** Keeps the start of one XML response body. */
export class XmlBodyCapture {
  private readonly body = new StreamBuffer(MAX_XML_BODY);
  private over = false;
  private abandoned = false;
  private whole = false;
  private lost = false;

  private constructor(private readonly sniff: boolean) {}

  /**
   * A capture for a body of Content-Type `contentType`: one for an XML media type, one that checks the first byte
   * for a body without Content-Type, else null (nothing to do for this body).
   */
  static forContentType(contentType: string | null): XmlBodyCapture | null {
    if (contentType === null) return new XmlBodyCapture(true);
    return XML_MEDIA_TYPE.test(contentType) ? new XmlBodyCapture(false) : null;
  }

  /** Body bytes b[start, end), following the previous ones. */
  feed(b: Uint8Array, start: number, end: number): void {
    if (this.abandoned || this.lost || end <= start) return;
    if (this.body.length === 0 && this.sniff && !startsLikeXml(b, start, end)) { this.abandoned = true; return; }
    if (this.body.append(b, start, end - start) < end - start) this.over = true;
  }

  /** Bytes of the body were lost: what follows is not kept (the start is still read). */
  stop(): void {
    this.lost = true;
  }

  /** The body's last byte has been seen. */
  complete(): void {
    this.whole = true;
  }

  /** The self-description the body holds, or null. */
  result(): XmlMetadata | null {
    if (this.body.length === 0 || this.abandoned) return null;
    const m = xmlBodyMetadata(this.body.view(), 0, this.body.length);
    if (m === null) return null;
    if (this.over) m.anomalies.push('body_over_limit');
    else if (!this.whole || this.lost) m.anomalies.push('truncated_body');
    return m;
  }
}

/** True if the first byte of b[start, end) that is not white space (or a UTF-8 byte order mark) is "<". */
function startsLikeXml(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (end - i >= 3 && b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) i += 3;
  while (i < end && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0d || b[i] === 0x0a)) i++;
  return i < end && b[i] === 0x3c;
}
