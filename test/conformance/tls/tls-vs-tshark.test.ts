/**
 * Conformance: the TLS analyzer (src/protocols/tls/) against tshark 4.0's TLS and X.509 dissectors, field by field,
 * over every TLS connection of every capture in ../shared/corpus that holds TLS over TCP (tshark-tls.json, from
 * scripts/make-tls-baselines.ts).
 *
 * Each capture goes through the real ingest (tls-records.ts); its `tls.jsonl` records (one per connection, client →
 * server) are matched with tshark's messages grouped by tcp.stream (tshark-tls.ts tsharkConnections): same client
 * and server address and port, then the n-th record of that 4-tuple with its n-th stream. Compared per connection:
 * the first ClientHello, the ServerHello, the server's and the client's certificates, the cleartext alerts and the
 * handshake message types each side sent in the clear. A field counts as compared when either side has a value; every
 * field must agree on ≥ 99 % and every difference must be explained by KNOWN_DIFFERENCES.
 *
 * Normalisations (the same wire values in two notations, not differences):
 * - tshark shows code points as `0x…` hex or decimal; both are read as numbers.
 * - Distinguished names: tshark lists each attribute as [OID, value]; medtap writes RFC 4514 text. medtap's text is
 *   parsed back (RFC 4514 §3: `,` between RDNs, `+` inside one, `\` escapes, `#`-hex BER values) and both sides are
 *   written as `type=value` lists, last RDN first, with this file's own table of RFC 4514 / RFC 4519 short names.
 *   An attribute tshark shows without a value is compared by its type only (dnPair).
 * - Times: tshark's `2013-02-04 00:00:00 (UTC)` is ISO 8601 `2013-02-04T00:00:00Z`.
 * - Serial numbers: tshark's colon-separated hex without colons. RSA key size: the bit length of tshark's modulus.
 * - A record tshark decrypted (a capture with embedded TLS keys: content type 23) is not cleartext and is left out.
 */
import { after, test } from 'node:test';
import type { X509Certificate } from '../../../src/protocols/tls/x509.js';
import { testEachCapture } from '../corpus-frames.js';
import { FieldAgreement, type FrameSite, type KnownDifference } from '../field-agreement.js';
import { connectionKey, type TlsLogRecord, tlsRecordsOf } from './tls-records.js';
import { loadTsharkTls, type SitedMessage, type TsharkAttribute, type TsharkCert, type TsharkConnection, tsharkConnections } from './tshark-tls.js';

/** What a known difference sees (besides the two values). */
interface DiffContext extends FrameSite {
  ours: TlsLogRecord;
  conn: TsharkConnection;
}

/** Every accepted difference between medtap and tshark. A difference not matched by one of these fails the test. */
export const KNOWN_DIFFERENCES: Record<string, KnownDifference<DiffContext>> = {
  'oversized-handshake': {
    fields: ['client_handshake_types', 'server_handshake_types'],
    reason: 'a handshake message longer than MAX_HANDSHAKE_MESSAGE (a 330 KB Certificate in malcolm__SSL stream 35) is ' +
      'skipped by medtap but listed (anomaly oversized_handshake:<type>); tshark does not show it at all',
    applies: (c) => c.ours.anomalies.some((a) => {
      const m = /^oversized_handshake:(\d+)$/.exec(a);
      return m !== null && c.oursValue.split(',').filter((t) => t !== m[1]).join(',') === c.theirsValue;
    }),
  },
  'message-in-cut-record': {
    fields: ['*'],
    reason: 'the capture ends inside a record holding several handshake messages (malcolm__SSL stream 182: ServerHello, ' +
      'then the rest of the flight never captured): medtap reads each message as soon as it is complete (anomaly ' +
      'truncated:<side>); tshark dissects whole records only and shows nothing',
    applies: (c) => c.theirsValue === '' && c.ours.anomalies.some((a) => a.startsWith('truncated:')),
  },
};

/**
 * Streams whose server flight tshark lost, by capture: it arrives in out-of-order segments (or segments tshark flags
 * as retransmissions after a reused port), tshark shows "Previous segment not captured" / "Continuation Data" and
 * dissects none (or only the last) of those messages, while medtap's reassembly orders the segments and reads them
 * all. Checked one by one: ndpi__android stream 7, sv__tls-subjectaltname stream 3, malcolm__SSL streams 6 (after an
 * SSL 2.0-compatible hello) and 29 (the ServerHello after a HelloRetryRequest). Only their client side is compared.
 */
const LOST_BY_TSHARK: Readonly<Record<string, readonly string[]>> = {
  'iot/ndpi__android.pcap': ['7'],
  'bulk/sv__tls-subjectaltname.pcap': ['3'],
  'bulk/malcolm__SSL.pcap': ['6', '29'],
};

/**
 * Streams where TLS starts after a cleartext exchange on a port that is not a TLS port (STARTTLS and the like), by
 * capture: medtap recognises TLS at the start of a connection only. Each checked: its first payload is SOCKS 5,
 * XMPP (client and server-to-server), SMTP, IMAP, or a Gnutella CONNECT handshake.
 */
const TLS_AFTER_CLEARTEXT: Readonly<Record<string, readonly string[]>> = {
  'bulk/malcolm__SSL.pcap': ['9', '11', '18', '19', '34', '204'],
  'lan_mixed/ndpi__gnutella.pcap': ['110', '126', '128', '129'],
};

/** tshark connections medtap has no record for (or whose server side tshark lost), with the reason. */
const MISSING_REASONS: Record<string, string> = {
  'tshark-lost-server-flight': 'server side not compared: tshark lost its messages in reordered segments (LOST_BY_TSHARK)',
  'tls-after-cleartext': 'TLS begins after a cleartext protocol exchange (STARTTLS, SOCKS, Gnutella) on a port that is not a TLS port',
};

const agreement = new FieldAgreement(KNOWN_DIFFERENCES, MISSING_REASONS);

// ---------------------------------------------------------------------------------------------------------------
// Notations

/** tshark's numbers (`0x…` hex or decimal) as a comma-separated decimal list. */
const nums = (l: readonly string[] | undefined): string => (l ?? []).map((v) => String(Number(v))).join(',');
const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** RFC 4514 §3 / RFC 4519 / RFC 5280 short names of attribute types, by OID (this test's own table). */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID', '2.5.4.4': 'SN', '2.5.4.5': 'serialNumber',
  '2.5.4.12': 'title', '2.5.4.13': 'description', '2.5.4.15': 'businessCategory', '2.5.4.17': 'postalCode',
  '2.5.4.42': 'givenName', '2.5.4.43': 'initials', '2.5.4.44': 'generationQualifier', '2.5.4.46': 'dnQualifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** tshark's RDNs as `type=value` items (last RDN first, attributes of an RDN joined with `+`), joined with U+001F. */
function tsharkDn(rdns: readonly TsharkAttribute[][]): string {
  return [...rdns].reverse().map((rdn) => rdn.map(([oid, v]) => `${SHORT_NAMES[oid] ?? oid}=${v}`).join('+')).join('\u001f');
}

/** The content of a BER TLV given as hex (`#…` values of RFC 4514 §2.4), as Latin-1 text; '' when malformed. */
function berContent(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  if (b.length < 2) return '';
  let p = 2;
  let len = b[1]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p++]!;
  }
  return b.subarray(p, p + len).toString('latin1');
}

/**
 * medtap's RFC 4514 text as the same `type=value` items: split at unescaped `,` and `+`, `\X` and `\hh` escapes
 * undone (hexpairs as UTF-8 bytes), `#hex` values replaced by their BER content.
 */
function ourDn(text: string): string {
  const rdns: string[][] = [[]];
  let cur = '';
  const bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length > 0) cur += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  const endAttr = (): void => {
    flushBytes();
    const eq = cur.indexOf('=');
    const [type, value] = eq < 0 ? [cur, ''] : [cur.slice(0, eq), cur.slice(eq + 1)];
    rdns[rdns.length - 1]!.push(`${type}=${value.startsWith('#') && /^#[0-9a-f]+$/.test(value) ? berContent(value.slice(1)) : value}`);
    cur = '';
  };
  if (text === '') return '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      const hh = text.slice(i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hh)) { bytes.push(parseInt(hh, 16)); i += 2; } else { flushBytes(); cur += text[i + 1] ?? ''; i++; }
      continue;
    }
    flushBytes();
    if (ch === ',') { endAttr(); rdns.push([]); } else if (ch === '+') endAttr(); else cur += ch;
  }
  endAttr();
  return rdns.map((r) => r.join('+')).join('\u001f');
}

/**
 * medtap's and tshark's name as comparable item lists. Where tshark shows an attribute with no value (it decodes the
 * value with another syntax, e.g. an attribute typed with the subjectAltName extension OID 2.5.29.17 in
 * sv__tls-subjectaltname.pcap, whose UTF8String it reads as GeneralNames) only the type is compared.
 */
function dnPair(ours: string | undefined, theirs: readonly TsharkAttribute[][]): [string, string] {
  const t = tsharkDn(theirs);
  if (ours === undefined) return ['', t];
  const o = ourDn(ours).split('\u001f');
  const ti = t.split('\u001f');
  return [o.map((item, i) => (ti[i]?.endsWith('=') && item.startsWith(ti[i]!) ? ti[i]! : item)).join('\u001f'), t];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A fraction of seconds without trailing zeros ('' when zero). */
const fraction = (f: string | undefined): string => (f === undefined ? '' : f.replace(/0+$/, '').replace(/^\.$/, ''));

/**
 * tshark's times as ISO 8601: a UTCTime is shown `2013-02-04 00:00:00 (UTC)`, a GeneralizedTime
 * `Sep  1, 2025 13:33:37.000000000 UTC`; a zero fraction is dropped (on both sides).
 */
function isoTime(t: string): string {
  const u = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) \(UTC\)$/.exec(t);
  if (u) return `${u[1]}T${u[2]}Z`;
  const g = /^([A-Z][a-z]{2}) +(\d{1,2}), (\d{4}) (\d\d:\d\d:\d\d)(\.\d+)? UTC$/.exec(t);
  if (!g) return t;
  const mo = String(MONTHS.indexOf(g[1]!) + 1).padStart(2, '0');
  return `${g[3]}-${mo}-${g[2]!.padStart(2, '0')}T${g[4]}${fraction(g[5])}Z`;
}

/** medtap's ISO time with a zero fraction dropped. */
const ourTime = (t: string | null | undefined): string => (t ? t.replace(/(\.\d+)Z$/, (_, f: string) => `${fraction(f)}Z`) : '');

/** Bit length of a hex modulus. */
function modulusBits(hex: string): string {
  const h = hex.replace(/^(00)+/, '');
  return h === '' ? '0' : String((h.length / 2 - 1) * 8 + (32 - Math.clz32(parseInt(h.slice(0, 2), 16))));
}

// ---------------------------------------------------------------------------------------------------------------
// Comparisons

type Compare = (name: string, ours: string, theirs: string, frame: number) => void;

/** The cleartext handshake messages of `l` (records tshark decrypted and alerts left out). */
const cleartext = (l: readonly SitedMessage[]): SitedMessage[] => l.filter((x) => x.m.record_type !== '23' && x.m.type !== undefined && x.m.type !== '');

function compareCert(c: Compare, prefix: string, ours: X509Certificate | undefined, t: TsharkCert, frame: number): void {
  const o = ours ?? null;
  c(`${prefix}.version`, str(o?.version), t.version === undefined ? '1' : String(Number(t.version) + 1), frame);
  c(`${prefix}.serial`, str(o?.serial), t.serial.replaceAll(':', '').toLowerCase(), frame);
  c(`${prefix}.signature_algorithm_oid`, str(o?.signature_algorithm_oid), t.sig_alg, frame);
  c(`${prefix}.issuer`, ...dnPair(o?.issuer, t.issuer), frame);
  c(`${prefix}.subject`, ...dnPair(o?.subject, t.subject), frame);
  c(`${prefix}.not_before`, ourTime(o?.not_before), isoTime(t.not_before), frame);
  c(`${prefix}.not_after`, ourTime(o?.not_after), isoTime(t.not_after), frame);
  c(`${prefix}.public_key_algorithm_oid`, str(o?.public_key_algorithm_oid), t.spki_alg, frame);
  if (t.modulus !== undefined) c(`${prefix}.public_key_bits (RSA)`, str(o?.public_key_bits), modulusBits(t.modulus), frame);
  if (t.curve !== undefined) c(`${prefix}.public_key_curve`, str(o?.public_key_curve), /\(([^)]+)\)$/.exec(t.curve)?.[1] ?? t.curve, frame);
  c(`${prefix}.san_dns`, (o?.san_dns ?? []).join(','), t.san_dns.join(','), frame);
  c(`${prefix}.san_ip`, (o?.san_ip ?? []).join(','), t.san_ip.join(','), frame);
  c(`${prefix}.ca`, o?.ca === null || o?.ca === undefined ? '' : o.ca ? '1' : '0', t.ca ?? '', frame);
}

function compareClientHello(c: Compare, r: TlsLogRecord, x: SitedMessage): void {
  const f = x.m.f;
  const n = x.frame;
  if (x.m.record_version === '0x0002') {
    c('client_version', str(r.client_version), nums(f['tls.handshake.version']), n);
    c('ssl2_cipher_specs', r.ssl2_cipher_specs.join(','), nums(f['tls.handshake.cipherspec']), n);
    c('client_session_id_length', str(r.client_session_id_length), nums(f['tls.handshake.session_id_length']), n);
    return;
  }
  c('client_version', str(r.client_version), nums(f['tls.handshake.version']), n);
  c('client_session_id_length', str(r.client_session_id_length), nums(f['tls.handshake.session_id_length']), n);
  c('cipher_suites', r.cipher_suites.join(','), nums(f['tls.handshake.ciphersuite']), n);
  c('compression_methods', r.compression_methods.join(','), nums(f['tls.handshake.comp_method']), n);
  c('client_extensions', r.client_extensions.join(','), nums(f['tls.handshake.extension.type']), n);
  c('server_name', str(r.server_name), f['tls.handshake.extensions_server_name']?.[0] ?? '', n);
  c('client_alpn', r.client_alpn.join('\u001f'), (f['tls.handshake.extensions_alpn_str'] ?? []).join('\u001f'), n);
  c('supported_groups', r.supported_groups.join(','), nums(f['tls.handshake.extensions_supported_group']), n);
  c('ec_point_formats', r.ec_point_formats.join(','), nums(f['tls.handshake.extensions_ec_point_format']), n);
  c('signature_algorithms', r.signature_algorithms.join(','), nums(f['tls.handshake.sig_hash_alg']), n);
  c('supported_versions', r.supported_versions.join(','), nums(f['tls.handshake.extensions.supported_version']), n);
  c('key_share_groups', r.key_share_groups.join(','), nums(f['tls.handshake.extensions_key_share_group']), n);
  c('psk_key_exchange_modes', r.psk_key_exchange_modes.join(','), nums(f['tls.extension.psk_ke_mode']), n);
  c('ja3', str(r.ja3), f['tls.handshake.ja3']?.[0] ?? '', n);
  c('ja3_string', str(r.ja3_string), f['tls.handshake.ja3_full']?.[0] ?? '', n);
}

function compareServerHello(c: Compare, r: TlsLogRecord, x: SitedMessage): void {
  const f = x.m.f;
  const n = x.frame;
  c('server_version', str(r.server_version), nums(f['tls.handshake.version']), n);
  if (x.m.record_version === '0x0002') return;
  c('server_session_id_length', str(r.server_session_id_length), nums(f['tls.handshake.session_id_length']), n);
  c('cipher_suite', str(r.cipher_suite), nums(f['tls.handshake.ciphersuite']), n);
  c('compression_method', str(r.compression_method), nums(f['tls.handshake.comp_method']), n);
  c('server_extensions', r.server_extensions.join(','), nums(f['tls.handshake.extension.type']), n);
  c('selected_version', str(r.selected_version), nums(f['tls.handshake.extensions.supported_version']), n);
  c('alpn', str(r.alpn), f['tls.handshake.extensions_alpn_str']?.[0] ?? '', n);
  c('server_key_share_group', str(r.server_key_share_group), nums(f['tls.handshake.extensions_key_share_group']), n);
  c('ja3s', str(r.ja3s), f['tls.handshake.ja3s']?.[0] ?? '', n);
  c('ja3s_string', str(r.ja3s_string), f['tls.handshake.ja3s_full']?.[0] ?? '', n);
}

function compareCertificates(c: Compare, prefix: string, ours: readonly X509Certificate[], count: number | null, msg: SitedMessage | undefined): void {
  const theirs = msg?.m.certs ?? [];
  const frame = msg?.frame ?? 0;
  if (count !== null) c(`${prefix}_count`, count === 0 && msg === undefined ? '' : String(count), msg === undefined ? '' : String(theirs.length), frame);
  theirs.forEach((t, i) => compareCert(c, prefix, ours[i], t, frame));
}

/** The alerts of a connection in frame order, as `from:level:description`. */
function tsharkAlerts(conn: TsharkConnection): string {
  const all = [...conn.fromClient.map((x) => ({ ...x, from: 'client' })), ...conn.fromServer.map((x) => ({ ...x, from: 'server' }))]
    .filter((x) => x.m.alert_level !== undefined && x.m.alert_level !== '' && x.m.record_type === '21')
    .sort((a, b) => a.frame - b.frame);
  return all.map((x) => `${x.from}:${x.m.alert_level}:${x.m.alert_desc}`).join(',');
}

function compareConnection(capture: string, r: TlsLogRecord, conn: TsharkConnection): void {
  const first = [...conn.fromClient, ...conn.fromServer].reduce((m, x) => Math.min(m, x.frame), Infinity);
  const c: Compare = (name, ours, theirs, frame) => agreement.compare(name, ours, theirs, { capture, frame: frame || first, ours: r, conn });
  const client = cleartext(conn.fromClient);
  const server = cleartext(conn.fromServer);
  const ch = client.find((x) => x.m.type === '1');
  if (ch !== undefined) compareClientHello(c, r, ch);
  c('client_handshake_types', r.client_handshake_types.join(','), client.map((x) => x.m.type).join(','), ch?.frame ?? first);
  compareCertificates(c, 'client_certificate', r.client_certificates, null, client.find((x) => x.m.type === '11'));
  c('alerts', r.alerts.map((a) => `${a.from}:${a.level}:${a.description}`).join(','), tsharkAlerts(conn), first);
  if ((LOST_BY_TSHARK[capture] ?? []).includes(conn.stream)) {
    agreement.missing.set('tshark-lost-server-flight', (agreement.missing.get('tshark-lost-server-flight') ?? 0) + 1);
    return;
  }
  // After a HelloRetryRequest medtap records the ServerHello that follows it.
  const shs = server.filter((x) => x.m.type === '2' || (x.m.type === '4' && x.m.record_version === '0x0002'));
  const sh = r.hello_retry_request && shs.length > 1 ? shs[1] : shs[0];
  if (sh !== undefined) compareServerHello(c, r, sh);
  compareCertificates(c, 'certificate', r.certificates, r.certificate_count, server.find((x) => x.m.certs !== undefined));
  c('server_handshake_types', r.server_handshake_types.join(','), server.map((x) => x.m.type).join(','), sh?.frame ?? first);
}

// ---------------------------------------------------------------------------------------------------------------

const doc = loadTsharkTls();
let connections = 0;
let records = 0;

testEachCapture('tls vs tshark', doc.captures, 'tshark-tls.json', 'test/conformance/tls/README.md', async (rel, cap, path) => {
  agreement.captures++;
  const ours = await tlsRecordsOf(path);
  records += ours.length;
  const byKey = new Map<string, TlsLogRecord[]>();
  for (const r of ours) {
    const k = connectionKey(r.src_ip, r.src_port, r.dst_ip, r.dst_port);
    let l = byKey.get(k);
    if (l === undefined) byKey.set(k, (l = []));
    l.push(r);
  }
  for (const conn of tsharkConnections(cap)) {
    // A connection whose only TLS content is encrypted (an "Encrypted Alert" of a capture that starts mid-connection)
    // has nothing to compare.
    if (![...conn.fromClient, ...conn.fromServer].some((x) => (x.m.type ?? '') !== '' || (x.m.alert_level ?? '') !== '')) continue;
    connections++;
    agreement.tsharkFrames++;
    const l = byKey.get(connectionKey(conn.client, conn.clientPort, conn.server, conn.serverPort));
    const r = l?.shift();
    const firstFrame = [...conn.fromClient, ...conn.fromServer].reduce((m, x) => Math.min(m, x.frame), Infinity);
    if (r === undefined && (TLS_AFTER_CLEARTEXT[rel] ?? []).includes(conn.stream)) {
      agreement.missing.set('tls-after-cleartext', (agreement.missing.get('tls-after-cleartext') ?? 0) + 1);
      continue;
    }
    if (r === undefined) {
      agreement.missingUnexplained.push(`${rel} stream ${conn.stream} (frame ${firstFrame}) ${conn.client}:${conn.clientPort} > ${conn.server}:${conn.serverPort}`);
      continue;
    }
    agreement.matched++;
    compareConnection(rel, r, conn);
  }
  for (const [k, l] of byKey) {
    for (const r of l) {
      agreement.extra++;
      agreement.extraDetail.push(`${rel} ${k} (${r.ts}): ${r.client_hellos} ClientHello, ${r.version ?? 'no ServerHello'}`);
    }
  }
});

test('tls vs tshark: every field agrees on >= 99 % and every difference is known', () => {
  agreement.assertAgreement('TLS');
});

after(() => {
  agreement.printSummary(
    `tls vs tshark: ${agreement.captures} captures, ${connections} tshark TLS connections, ${records} medtap records, ${agreement.matched} compared, ` +
      `${agreement.notReached()}, ${agreement.missingUnexplained.length} not found, ${agreement.extra} medtap records tshark has no handshake message for, ${agreement.elapsed()} s`,
  );
});
