// Purpose: small application-layer payload builders (HTTP, TLS 1.3 hellos, SMB2, HL7/MLLP, DICOM, NTP, syslog,
// RTP, PJL) that are wire-correct enough for dissectors, and carry no real patient data.

import { concat, utf8 } from './frames.js';

const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const be24 = (v: number): number[] => [(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const le16 = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const le64 = (v: number): number[] => [...le32(v % 2 ** 32), ...le32(Math.floor(v / 2 ** 32))];

/** Deterministic filler text of exactly `n` bytes. */
export function filler(n: number, seed = 0): Uint8Array {
  const text = 'synthetic placeholder content for medtap sample captures; no real data. ';
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = text.charCodeAt((i + seed) % text.length);
  return out;
}

// ---------------------------------------------------------------- HTTP

/** HTTP/1.1 GET request. */
export function httpGet(host: string, path: string, userAgent: string): Uint8Array {
  return utf8(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${userAgent}\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n`);
}

/** HTTP/1.1 response with a body of `bodyLen` filler bytes. */
export function httpResponse(status: number, bodyLen: number, server = 'nginx', contentType = 'text/html'): Uint8Array {
  const reason = status === 200 ? 'OK' : status === 404 ? 'Not Found' : 'Status';
  const head = utf8(
    `HTTP/1.1 ${status} ${reason}\r\nServer: ${server}\r\nContent-Type: ${contentType}\r\nContent-Length: ${bodyLen}\r\nConnection: keep-alive\r\n\r\n`,
  );
  return concat([head, filler(bodyLen)]);
}

// ---------------------------------------------------------------- TLS

function tlsRecord(type: number, version: number, body: Uint8Array): Uint8Array {
  return concat([[type, ...be16(version), ...be16(body.length)], body]);
}

function ext(type: number, body: readonly number[] | Uint8Array): number[] {
  return [...be16(type), ...be16(body.length), ...body];
}

/**
 * TLS ClientHello record offering TLS 1.3/1.2 with SNI `serverName`.
 * @param random 32 random bytes (also reused as session id and key share)
 */
export function tlsClientHello(random: Uint8Array, serverName: string): Uint8Array {
  const name = utf8(serverName);
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8];
  const alpn = [2, ...utf8('h2'), 8, ...utf8('http/1.1')];
  const exts = [
    ...ext(0, [...be16(name.length + 3), 0, ...be16(name.length), ...name]),
    ...ext(10, [...be16(6), ...be16(0x001d), ...be16(0x0017), ...be16(0x0018)]),
    ...ext(11, [1, 0]),
    ...ext(13, [...be16(8), ...be16(0x0403), ...be16(0x0804), ...be16(0x0401), ...be16(0x0503)]),
    ...ext(16, [...be16(alpn.length), ...alpn]),
    ...ext(43, [4, ...be16(0x0304), ...be16(0x0303)]),
    ...ext(45, [1, 1]),
    ...ext(51, [...be16(36), ...be16(0x001d), ...be16(32), ...random.subarray(0, 32)]),
  ];
  const body = concat([
    be16(0x0303),
    random.subarray(0, 32),
    [32],
    random.subarray(0, 32),
    be16(suites.length * 2),
    suites.flatMap(be16),
    [1, 0],
    be16(exts.length),
    exts,
  ]);
  return tlsRecord(22, 0x0301, concat([[1, ...be24(body.length)], body]));
}

/** TLS 1.3 ServerHello + ChangeCipherSpec records answering {@link tlsClientHello}. */
export function tlsServerHello(random: Uint8Array, sessionId: Uint8Array): Uint8Array {
  const exts = [...ext(43, be16(0x0304)), ...ext(51, [...be16(0x001d), ...be16(32), ...random.subarray(0, 32)])];
  const body = concat([be16(0x0303), random.subarray(0, 32), [32], sessionId.subarray(0, 32), be16(0x1301), [0], be16(exts.length), exts]);
  return concat([tlsRecord(22, 0x0303, concat([[2, ...be24(body.length)], body])), tlsRecord(20, 0x0303, Uint8Array.of(1))]);
}

/** TLS application-data records totalling `len` bytes of opaque content (split at 16 KiB). */
export function tlsAppData(len: number, opaque: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let left = len; left > 0; ) {
    const n = Math.min(left, 16384);
    const body = new Uint8Array(n);
    for (let i = 0; i < n; i += opaque.length) body.set(opaque.subarray(0, Math.min(opaque.length, n - i)), i);
    parts.push(tlsRecord(23, 0x0303, body));
    left -= n;
  }
  return concat(parts);
}

// ---------------------------------------------------------------- SMB2

function nbss(body: Uint8Array): Uint8Array {
  return concat([[0, ...be24(body.length)], body]);
}

function smb2Header(command: number, messageId: number, response: boolean): number[] {
  return [
    0xfe, 0x53, 0x4d, 0x42, // protocol id
    ...le16(64), // structure size
    ...le16(response ? 0 : 1), // credit charge
    ...le32(0), // status
    ...le16(command),
    ...le16(response ? 1 : 31), // credits
    ...le32(response ? 1 : 0), // flags: server-to-redir
    ...le32(0), // next command
    ...le64(messageId),
    ...le32(0xfeff), // process id
    ...le32(0), // tree id
    ...le64(0), // session id
    ...new Array<number>(16).fill(0), // signature
  ];
}

/** NetBIOS-framed SMB2 NEGOTIATE request offering dialects 2.0.2 to 3.0.2. */
export function smb2NegotiateRequest(clientGuid: Uint8Array): Uint8Array {
  const dialects = [0x0202, 0x0210, 0x0300, 0x0302];
  const body = [
    ...le16(36),
    ...le16(dialects.length),
    ...le16(1), // signing enabled
    ...le16(0),
    ...le32(0x7f), // capabilities
    ...clientGuid.subarray(0, 16),
    ...le64(0), // client start time
    ...dialects.flatMap(le16),
  ];
  return nbss(Uint8Array.from([...smb2Header(0, 0, false), ...body]));
}

/** NetBIOS-framed SMB2 NEGOTIATE response selecting dialect 3.0.2 (empty security buffer). */
export function smb2NegotiateResponse(serverGuid: Uint8Array, unixMillis: number): Uint8Array {
  const filetime = (unixMillis + 11644473600000) * 10000;
  const body = [
    ...le16(65),
    ...le16(1),
    ...le16(0x0302),
    ...le16(0),
    ...serverGuid.subarray(0, 16),
    ...le32(0x2f),
    ...le32(8388608),
    ...le32(8388608),
    ...le32(8388608),
    ...le64(filetime),
    ...le64(0),
    ...le16(128), // security buffer offset
    ...le16(0), // security buffer length
    ...le32(0),
  ];
  return nbss(Uint8Array.from([...smb2Header(0, 0, true), ...body]));
}

/** NetBIOS-framed SMB2 ECHO request or response. */
export function smb2Echo(messageId: number, response: boolean): Uint8Array {
  return nbss(Uint8Array.from([...smb2Header(13, messageId, response), ...le16(4), ...le16(0)]));
}

// ---------------------------------------------------------------- HL7 over MLLP

/** Wrap an HL7 v2 message (segments separated by '\r') in MLLP framing (VT ... FS CR). */
export function mllp(message: string): Uint8Array {
  return concat([[0x0b], utf8(message), [0x1c, 0x0d]]);
}

function hl7Time(unixMillis: number): string {
  return new Date(unixMillis).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** HL7 ADT^A01 with obviously fake placeholder identifiers (no real patient data). */
export function hl7PlaceholderAdt(controlId: string, unixMillis: number, app: string): string {
  const ts = hl7Time(unixMillis);
  return [
    `MSH|^~\\&|${app}|SYNTH_HOSP|HL7ENGINE|SYNTH_HOSP|${ts}||ADT^A01|${controlId}|P|2.5`,
    `EVN|A01|${ts}`,
    'PID|1||TEST000000^^^SYNTH^MR||PLACEHOLDER^TEST||19000101|U',
    'PV1|1|I|SYNTH-WARD^000^0',
    '',
  ].join('\r');
}

/** HL7 ORU^R01 placeholder observation (fake identifiers and a dummy value). */
export function hl7PlaceholderOru(controlId: string, unixMillis: number, app: string): string {
  const ts = hl7Time(unixMillis);
  return [
    `MSH|^~\\&|${app}|SYNTH_LAB|HL7ENGINE|SYNTH_HOSP|${ts}||ORU^R01|${controlId}|P|2.5`,
    'PID|1||TEST000000^^^SYNTH^MR||PLACEHOLDER^TEST||19000101|U',
    `OBR|1||SYNTH0001|TEST^PLACEHOLDER|||${ts}`,
    'OBX|1|NM|TEST^PLACEHOLDER||0|unit|||||F',
    '',
  ].join('\r');
}

/** HL7 ACK (AA) for a message control id. */
export function hl7Ack(controlId: string, unixMillis: number): string {
  return [`MSH|^~\\&|HL7ENGINE|SYNTH_HOSP|SENDER|SYNTH_HOSP|${hl7Time(unixMillis)}||ACK|ACK${controlId}|P|2.5`, `MSA|AA|${controlId}`, ''].join('\r');
}

// DICOM PDUs: src/synth/dicom-pdus.ts (built per PS3.8 / PS3.7 section).

// ---------------------------------------------------------------- NTP, syslog, RTP, PJL

function ntpTime(unixMicros: number): number[] {
  const secs = Math.floor(unixMicros / 1e6);
  const frac = Math.floor(((unixMicros - secs * 1e6) / 1e6) * 2 ** 32);
  return [...be32(secs + 2208988800), ...be32(frac)];
}

/** NTPv4 client request (mode 3) or server reply (mode 4, stratum 2). */
export function ntpPacket(server: boolean, unixMicros: number, originMicros = 0): Uint8Array {
  if (!server) return Uint8Array.from([0x23, 0, 6, 0xe9, ...new Array<number>(36).fill(0), ...ntpTime(unixMicros)]);
  return Uint8Array.from([
    0x24, 2, 6, 0xe9,
    ...be32(0x00000200), // root delay
    ...be32(0x00000400), // root dispersion
    10, 20, 0, 1, // reference id (upstream IPv4)
    ...ntpTime(unixMicros - 30e6),
    ...ntpTime(originMicros),
    ...ntpTime(unixMicros - 50),
    ...ntpTime(unixMicros),
  ]);
}

/** BSD-style syslog line "<PRI>Mmm dd hh:mm:ss host tag: msg". */
export function syslogMessage(facility: number, severity: number, unixMillis: number, host: string, tag: string, msg: string): Uint8Array {
  const d = new Date(unixMillis);
  const mon = d.toUTCString().slice(8, 11);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return utf8(`<${facility * 8 + severity}>${mon} ${day} ${d.toISOString().slice(11, 19)} ${host} ${tag}: ${msg}`);
}

/** RTP v2 packet with `payloadLen` bytes of payload of the given type (0 = PCMU). */
export function rtpPacket(seq: number, timestamp: number, ssrc: number, payloadType: number, payloadLen: number, marker = false): Uint8Array {
  const b = new Uint8Array(12 + payloadLen).fill(0xff, 12);
  b.set([0x80, (marker ? 0x80 : 0) | payloadType, ...be16(seq & 0xffff), ...be32(timestamp >>> 0), ...be32(ssrc >>> 0)]);
  return b;
}

/** Raw print job (PJL wrapper around placeholder text) as sent to TCP 9100. */
export function pjlJob(name: string, bodyLen: number): Uint8Array {
  const uel = '\x1b%-12345X';
  return concat([
    utf8(`${uel}@PJL JOB NAME="${name}"\r\n@PJL ENTER LANGUAGE=PCL\r\n`),
    filler(bodyLen),
    utf8(`${uel}@PJL EOJ NAME="${name}"\r\n${uel}`),
  ]);
}
