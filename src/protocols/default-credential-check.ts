/**
 * The default-credential check the analyzers run at the moment a password crosses in clear (FTP PASS, a line typed
 * at a Telnet password prompt, HTTP Basic, DICOM user identity with passcode): the password bytes are decoded into a
 * local string, tested against the default-credential list (data/findings/, src/knowledge/default-credentials.ts)
 * and dropped; only the boolean answer reaches the record. Nothing here decides anything about a device.
 */
import { isDefaultCredential } from '../knowledge/default-credentials.js';
import { decodeWireText } from './wire-text.js';

/** Longest password tested (longer ones are not in the list anyway; bounds the decoding). */
export const MAX_CHECKED_PASSWORD_BYTES = 128;

/** True when `user` with the password b[start, end) is a pair of the default-credential list. */
export function isDefaultPasswordBytes(user: string | null, b: Uint8Array, start: number, end: number): boolean {
  if (user === null || end - start > MAX_CHECKED_PASSWORD_BYTES || end < start) return false;
  return isDefaultCredential(user, decodeWireText(b, start, end, true));
}
