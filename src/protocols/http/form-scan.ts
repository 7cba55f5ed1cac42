/**
 * Streaming scan of an HTML form body (`application/x-www-form-urlencoded`, WHATWG URL standard §5: `name=value`
 * pairs joined with "&") for a field named like a password: a login form posted over cleartext HTTP. Only field
 * NAMES are looked at, byte by byte as the body passes; no value is kept or buffered.
 */
import { isPasswordName } from './parser.js';

/** Body bytes scanned at most; the rest of a larger body is not looked at. */
export const MAX_FORM_SCAN_BYTES = 65536;
/** Longest field name compared (a longer one is not a password field name). */
const MAX_FIELD_NAME = 64;

const AMPERSAND = 0x26;
const EQUALS = 0x3d;

/** True for a Content-Type naming a URL-encoded form (RFC 9110 §8.3: media type case-insensitive, parameters ignored). */
export function isUrlEncodedForm(contentType: string | null): boolean {
  return contentType !== null && /^\s*application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType);
}

/** The scan of one body, fed in pieces. */
export class FormPasswordScan {
  /** A password-named field was seen. */
  found = false;
  private inName = true;
  private name = '';
  private nameTooLong = false;
  private scanned = 0;

  /** Scans the body bytes b[start, end) that follow the previous ones. */
  feed(b: Uint8Array, start: number, end: number): void {
    end = Math.min(end, start + (MAX_FORM_SCAN_BYTES - this.scanned));
    if (this.found || end <= start) return;
    this.scanned += end - start;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c === AMPERSAND) {
        this.inName = true;
        this.name = '';
        this.nameTooLong = false;
      } else if (!this.inName) {
        continue;
      } else if (c === EQUALS) {
        this.inName = false;
        if (!this.nameTooLong && isPasswordName(this.name)) {
          this.found = true;
          return;
        }
      } else if (this.name.length < MAX_FIELD_NAME) this.name += String.fromCharCode(c);
      else this.nameTooLong = true;
    }
  }
}
