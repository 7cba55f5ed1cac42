/**
 * One SMB message (the payload of one NetBIOS session / direct-TCP frame): SMB1 ([MS-CIFS] §2.2.3.1 header,
 * §2.2.4.52 NEGOTIATE, §2.2.4.53 SESSION_SETUP_ANDX; [MS-SMB] §2.2.4.5/§2.2.4.6 extended security) and SMB2/3
 * ([MS-SMB2] §2.2.1 header, §2.2.3/§2.2.4 NEGOTIATE, §2.2.5/§2.2.6 SESSION_SETUP), with the NTLMSSP message of the
 * security blob (ntlmssp.ts). Other commands yield the header only. Passwords of SMB1 plaintext/LM session setups
 * are never read. Pure; never throws; reads only b[off, off+len).
 */
import { guidText, MAX_NTLM_STRING_CHARS, type NtlmMessage, oemText, parseSecurityBlob, utf16Text } from './ntlmssp.js';

/** SMB1 header bytes. */
export const SMB1_HEADER_BYTES = 32;
/** SMB2 header bytes. */
export const SMB2_HEADER_BYTES = 64;
/** Most dialects kept from a NEGOTIATE request. */
export const MAX_DIALECTS = 32;

/** SMB1 commands decoded. */
export const SMB1_NEGOTIATE = 0x72;
/** SMB_COM_SESSION_SETUP_ANDX. */
export const SMB1_SESSION_SETUP = 0x73;
/** SMB2 NEGOTIATE. */
export const SMB2_NEGOTIATE = 0;
/** SMB2 SESSION_SETUP. */
export const SMB2_SESSION_SETUP = 1;

const SMB1_FLAGS_REPLY = 0x80;
const SMB1_FLAGS2_UNICODE = 0x8000;
const SMB1_CAP_EXTENDED_SECURITY = 0x80000000;
const SMB2_FLAGS_RESPONSE = 0x1;

/** Anomalies of an SMB message (NTLMSSP ones come from ntlmssp.ts). */
export const SMB_ANOMALIES = {
  smb_truncated: 'the message ends inside the command\'s fixed fields',
  smb_bad_word_count: 'an SMB1 word count the command does not define',
  smb_buffer_out_of_bounds: 'an SMB2 security buffer outside the message',
  smb_dialects_cut: 'more dialects than MAX_DIALECTS',
  ntlm_truncated: 'NTLMSSP: the message is shorter than its fixed fields',
  ntlm_field_out_of_bounds: 'NTLMSSP: a string or target-info field points outside the message',
  ntlm_unknown_type: 'NTLMSSP: a message type other than 1, 2, 3',
  ntlm_av_pairs_cut: 'NTLMSSP: target info has no MsvAvEOL or too many pairs',
} as const;

/** One SMB message, decoded fields only (null when the command or direction does not carry them). */
export interface SmbMessage {
  /** 1 (0xFF 'SMB') or 2 (0xFE 'SMB', SMB2/3). */
  version: 1 | 2;
  command: number;
  /** The header's reply/response flag. */
  response: boolean;
  /** NT status (SMB1 with NT status codes, SMB2). */
  status: number;
  /** NEGOTIATE request: SMB1 dialect strings, or SMB2 dialect revisions as 0x0202-style text. */
  dialects: string[] | null;
  /** SMB1 NEGOTIATE response: the index of the chosen dialect (0xFFFF: none). */
  dialect_index: number | null;
  /** SMB2 NEGOTIATE response: the chosen dialect revision, e.g. "0x0311". */
  dialect: string | null;
  /** SMB2 NEGOTIATE: ClientGuid (request) / ServerGuid (response). */
  guid: string | null;
  /** SecurityMode (SMB1: the server's; SMB2: signing enabled 0x1 / required 0x2). */
  security_mode: number | null;
  /** Capabilities (SMB1 server / session setup, SMB2 NEGOTIATE). */
  capabilities: number | null;
  /** SMB1 SESSION_SETUP_ANDX: NativeOS, NativeLanMan, PrimaryDomain, and AccountName of non-extended requests. */
  native_os: string | null;
  native_lanman: string | null;
  primary_domain: string | null;
  account: string | null;
  /** The NTLMSSP message of the security blob. */
  ntlm: NtlmMessage | null;
  anomalies: string[];
}

/** Parse result. */
export type SmbParseResult = { ok: true; value: SmbMessage } | { ok: false; error: string };

const le16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const le32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const hex16 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;

function blank(version: 1 | 2, command: number, response: boolean, status: number): SmbMessage {
  return {
    version, command, response, status, dialects: null, dialect_index: null, dialect: null, guid: null,
    security_mode: null, capabilities: null, native_os: null, native_lanman: null, primary_domain: null, account: null,
    ntlm: null, anomalies: [],
  };
}

/** Adds the NTLMSSP message of the security blob b[start, start+n) to `m`. */
function securityBlob(m: SmbMessage, b: Uint8Array, start: number, n: number): void {
  const ntlm = parseSecurityBlob(b, start, n);
  if (ntlm === null) return;
  m.ntlm = ntlm;
  m.anomalies.push(...ntlm.anomalies);
}

/** Reads NUL-terminated strings from b[p, end) (UTF-16LE when `unicode`, aligned to `base`), up to `count`. */
function smb1Strings(b: Uint8Array, p: number, end: number, unicode: boolean, base: number, count: number): string[] {
  const out: string[] = [];
  if (unicode && (p - base) % 2 === 1) p++;
  for (let i = 0; i < count && p < end; i++) {
    let e = p;
    if (unicode) {
      while (e + 1 < end && (b[e] !== 0 || b[e + 1] !== 0)) e += 2;
      out.push(utf16Text(b, p, Math.min(e, end)));
      p = e + 2;
    } else {
      while (e < end && b[e] !== 0) e++;
      out.push(oemText(b, p, Math.min(e, p + MAX_NTLM_STRING_CHARS)));
      p = e + 1;
    }
  }
  return out;
}

/** SMB1 NEGOTIATE (§2.2.4.52): request dialect strings; response DialectIndex, SecurityMode, Capabilities, blob. */
function smb1Negotiate(m: SmbMessage, b: Uint8Array, h: number, wc: number, bytes: number, end: number): void {
  if (!m.response) {
    const d: string[] = [];
    let p = bytes;
    while (p < end && b[p] === 0x02) {
      if (d.length === MAX_DIALECTS) { m.anomalies.push('smb_dialects_cut'); break; }
      let e = p + 1;
      while (e < end && b[e] !== 0) e++;
      d.push(oemText(b, p + 1, e));
      p = e + 1;
    }
    m.dialects = d;
    return;
  }
  const w = h + SMB1_HEADER_BYTES + 1;
  if (wc >= 1) m.dialect_index = le16(b, w);
  if (wc !== 17) return;
  m.security_mode = b[w + 2]!;
  m.capabilities = le32(b, w + 19);
  if ((m.capabilities & SMB1_CAP_EXTENDED_SECURITY) !== 0 && end - bytes > 16) securityBlob(m, b, bytes + 16, end - bytes - 16);
}

/** The SESSION_SETUP_ANDX strings, in the order a message carries them. */
type SetupString = 'native_os' | 'native_lanman' | 'primary_domain' | 'account';

/** SMB1 SESSION_SETUP_ANDX (§2.2.4.53, [MS-SMB] §2.2.4.6): blob and strings; passwords are skipped unread. */
function smb1SessionSetup(m: SmbMessage, b: Uint8Array, h: number, wc: number, bytes: number, end: number): void {
  const w = h + SMB1_HEADER_BYTES + 1;
  const unicode = (le16(b, h + 10) & SMB1_FLAGS2_UNICODE) !== 0;
  let p = bytes;
  let names: SetupString[];
  if (!m.response && wc === 12) {
    const blob = le16(b, w + 14);
    m.capabilities = le32(b, w + 20);
    securityBlob(m, b, p, Math.min(blob, end - p));
    p += blob;
    names = ['native_os', 'native_lanman', 'primary_domain'];
  } else if (!m.response && (wc === 13 || wc === 10)) {
    p += wc === 13 ? le16(b, w + 14) + le16(b, w + 16) : le16(b, w + 14);
    if (wc === 13) m.capabilities = le32(b, w + 22);
    names = ['account', 'primary_domain', 'native_os', 'native_lanman'];
  } else if (m.response && wc === 4) {
    const blob = le16(b, w + 6);
    securityBlob(m, b, p, Math.min(blob, end - p));
    p += blob;
    names = ['native_os', 'native_lanman', 'primary_domain'];
  } else if (m.response && wc === 3) {
    names = ['native_os', 'native_lanman', 'primary_domain'];
  } else {
    if (wc !== 0) m.anomalies.push('smb_bad_word_count');
    return;
  }
  const s = smb1Strings(b, p, end, unicode, h, names.length);
  names.forEach((n, i) => {
    if (s[i] !== undefined) m[n] = s[i]!;
  });
}

function parseSmb1(b: Uint8Array, h: number, end: number): SmbMessage {
  const m = blank(1, b[h + 4]!, (b[h + 9]! & SMB1_FLAGS_REPLY) !== 0, le32(b, h + 5));
  const wcAt = h + SMB1_HEADER_BYTES;
  if (wcAt >= end) return m; // a header-only message (none of ours)
  const wc = b[wcAt]!;
  const bcAt = wcAt + 1 + 2 * wc;
  if (bcAt + 2 > end) {
    m.anomalies.push('smb_truncated');
    return m;
  }
  const bytesEnd = Math.min(end, bcAt + 2 + le16(b, bcAt));
  if (m.command === SMB1_NEGOTIATE) smb1Negotiate(m, b, h, wc, bcAt + 2, bytesEnd);
  else if (m.command === SMB1_SESSION_SETUP) smb1SessionSetup(m, b, h, wc, bcAt + 2, bytesEnd);
  return m;
}

/** The SMB2 security buffer (offset from the header at h, length) → NTLMSSP. */
function smb2Buffer(m: SmbMessage, b: Uint8Array, h: number, end: number, offAt: number): void {
  const o = le16(b, offAt);
  const n = le16(b, offAt + 2);
  if (n === 0) return;
  if (h + o + n > end || o < SMB2_HEADER_BYTES) {
    m.anomalies.push('smb_buffer_out_of_bounds');
    return;
  }
  securityBlob(m, b, h + o, n);
}

/** SMB2 NEGOTIATE (§2.2.3 request, §2.2.4 response). */
function smb2Negotiate(m: SmbMessage, b: Uint8Array, h: number, end: number): void {
  const p = h + SMB2_HEADER_BYTES;
  if (!m.response) {
    if (p + 36 > end) { m.anomalies.push('smb_truncated'); return; }
    const count = le16(b, p + 2);
    m.security_mode = le16(b, p + 4);
    m.capabilities = le32(b, p + 8);
    m.guid = guidText(b, p + 12);
    m.dialects = [];
    for (let i = 0; i < count && p + 36 + 2 * i + 2 <= end; i++) {
      if (i === MAX_DIALECTS) { m.anomalies.push('smb_dialects_cut'); break; }
      m.dialects.push(hex16(le16(b, p + 36 + 2 * i)));
    }
    if (m.dialects.length < Math.min(count, MAX_DIALECTS)) m.anomalies.push('smb_truncated');
    return;
  }
  if (p + 64 > end) { m.anomalies.push('smb_truncated'); return; }
  m.security_mode = le16(b, p + 2);
  m.dialect = hex16(le16(b, p + 4));
  m.guid = guidText(b, p + 8);
  m.capabilities = le32(b, p + 24);
  smb2Buffer(m, b, h, end, p + 56);
}

/** SMB2 SESSION_SETUP (§2.2.5 request, §2.2.6 response). */
function smb2SessionSetup(m: SmbMessage, b: Uint8Array, h: number, end: number): void {
  const p = h + SMB2_HEADER_BYTES;
  if (p + (m.response ? 8 : 24) > end) { m.anomalies.push('smb_truncated'); return; }
  if (m.response) {
    smb2Buffer(m, b, h, end, p + 4);
    return;
  }
  m.security_mode = b[p + 3]!;
  m.capabilities = le32(b, p + 4);
  smb2Buffer(m, b, h, end, p + 12);
}

function parseSmb2(b: Uint8Array, h: number, end: number): SmbMessage {
  const m = blank(2, le16(b, h + 12), (le32(b, h + 16) & SMB2_FLAGS_RESPONSE) !== 0, le32(b, h + 8));
  if (m.command === SMB2_NEGOTIATE) smb2Negotiate(m, b, h, end);
  else if (m.command === SMB2_SESSION_SETUP) smb2SessionSetup(m, b, h, end);
  return m;
}

/** Parses the SMB message b[off, off+len) (the first command of an SMB2 compound). */
export function parseSmbMessage(b: Uint8Array, off: number, len: number): SmbParseResult {
  if (off < 0 || len < 4 || off + len > b.length) return { ok: false, error: 'truncated' };
  const magic = b[off]!;
  if (b[off + 1] !== 0x53 || b[off + 2] !== 0x4d || b[off + 3] !== 0x42 || (magic !== 0xff && magic !== 0xfe)) {
    return { ok: false, error: 'not_smb' };
  }
  if (magic === 0xff) return len < SMB1_HEADER_BYTES ? { ok: false, error: 'truncated' } : { ok: true, value: parseSmb1(b, off, off + len) };
  return len < SMB2_HEADER_BYTES ? { ok: false, error: 'truncated' } : { ok: true, value: parseSmb2(b, off, off + len) };
}
