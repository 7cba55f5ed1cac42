/**
 * Unit tests of the SSDP parser from annotated messages (UPnP Device Architecture 1.1 §1.2 NOTIFY, §1.3 M-SEARCH and
 * the search response; RFC 7230 §3 message syntax), plus random-mutation robustness. Corpus-wide agreement with
 * tshark is in test/conformance/ssdp/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import {
  MAX_HEADER_VALUE,
  MAX_HEADERS,
  MAX_SSDP_BYTES,
  parseSsdp,
  SSDP_ANOMALIES,
  type SsdpMessage,
} from './parser.js';

/** The lines joined with CRLF (each line a commented wire line); the message ends with the empty line. */
function crlf(...lines: string[]): Uint8Array {
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}
/** Bytes of a Latin-1 string, as is. */
const raw = (s: string): Uint8Array => Buffer.from(s, 'latin1');

/** Parses and asserts success. */
function ok(b: Uint8Array, off = 0, len = b.length): SsdpMessage {
  const r = parseSsdp(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

const M_SEARCH = crlf(
  'M-SEARCH * HTTP/1.1', // request line: method M-SEARCH, target *, HTTP/1.1 (UDA 1.1 §1.3.2)
  'HOST: 239.255.255.250:1900', // the SSDP multicast address and port
  'MAN: "ssdp:discover"', // mandatory extension, quotes included
  'MX: 3', // wait up to 3 s before answering
  'ST: urn:schemas-upnp-org:device:InfusionPump:1', // search target
  'USER-AGENT: Linux/5.10 UPnP/1.1 PumpAgent/2.0', // UDA 1.1: OS/version UPnP/1.1 product/version
  '', // end of headers
);

test('M-SEARCH: request line and search headers', () => {
  const m = ok(M_SEARCH);
  assert.equal(m.kind, 'search');
  assert.equal(m.method, 'M-SEARCH');
  assert.equal(m.request_target, '*');
  assert.equal(m.status_code, null);
  assert.equal(m.reason, null);
  assert.equal(m.http_version, 'HTTP/1.1');
  assert.equal(m.host, '239.255.255.250:1900');
  assert.equal(m.man, '"ssdp:discover"');
  assert.equal(m.mx, 3);
  assert.equal(m.st, 'urn:schemas-upnp-org:device:InfusionPump:1');
  assert.equal(m.user_agent, 'Linux/5.10 UPnP/1.1 PumpAgent/2.0');
  assert.equal(m.nt, null);
  assert.equal(m.usn, null);
  assert.equal(m.uuid, null);
  assert.deepEqual(m.headers.map((h) => h.name), ['HOST', 'MAN', 'MX', 'ST', 'USER-AGENT']);
  assert.deepEqual(m.anomalies, []);
});

test('NOTIFY ssdp:alive: UDA 1.1 headers, max-age, USN uuid, BOOTID/CONFIGID/SEARCHPORT', () => {
  const m = ok(crlf(
    'NOTIFY * HTTP/1.1', // request line (UDA 1.1 §1.2.2)
    'HOST: 239.255.255.250:1900',
    'CACHE-CONTROL: max-age=1800', // advertisement valid for 1800 s
    'LOCATION: http://10.1.2.3:49152/desc.xml', // device description URL
    'NT: upnp:rootdevice', // notification type
    'NTS: ssdp:alive', // notification sub type
    'SERVER: Linux/3.14 UPnP/1.1 MonitorOS/4.2', // OS/version UPnP/1.1 product/version
    'USN: uuid:2fac1234-31f8-11b4-a222-08002b34c003::upnp:rootdevice', // uuid before "::"
    'BOOTID.UPNP.ORG: 7', // boot instance
    'CONFIGID.UPNP.ORG: 123456', // configuration number
    'SEARCHPORT.UPNP.ORG: 49200', // unicast search port
    '',
  ));
  assert.equal(m.kind, 'notify');
  assert.equal(m.method, 'NOTIFY');
  assert.equal(m.cache_control, 'max-age=1800');
  assert.equal(m.max_age, 1800);
  assert.equal(m.location, 'http://10.1.2.3:49152/desc.xml');
  assert.equal(m.nt, 'upnp:rootdevice');
  assert.equal(m.nts, 'ssdp:alive');
  assert.equal(m.server, 'Linux/3.14 UPnP/1.1 MonitorOS/4.2');
  assert.equal(m.usn, 'uuid:2fac1234-31f8-11b4-a222-08002b34c003::upnp:rootdevice');
  assert.equal(m.uuid, '2fac1234-31f8-11b4-a222-08002b34c003');
  assert.equal(m.bootid, 7);
  assert.equal(m.configid, 123456);
  assert.equal(m.searchport, 49200);
  assert.deepEqual(m.anomalies, []);
});

test('NOTIFY ssdp:byebye: no LOCATION or CACHE-CONTROL, USN without "::"', () => {
  const m = ok(crlf(
    'NOTIFY * HTTP/1.1',
    'HOST: 239.255.255.250:1900',
    'NT: uuid:0000-pump', // the device itself
    'NTS: ssdp:byebye', // leaving the network
    'USN: uuid:0000-pump', // uuid is the whole rest
    '',
  ));
  assert.equal(m.nts, 'ssdp:byebye');
  assert.equal(m.uuid, '0000-pump');
  assert.equal(m.location, null);
  assert.equal(m.max_age, null);
  assert.deepEqual(m.anomalies, []);
});

test('NOTIFY ssdp:update (UDA 1.1 §1.2.4) and an IPv6 HOST', () => {
  const m = ok(crlf(
    'NOTIFY * HTTP/1.1',
    'HOST: [FF02::C]:1900', // link-local SSDP multicast address
    'NT: urn:schemas-upnp-org:service:ConnectionManager:1',
    'NTS: ssdp:update',
    'USN: uuid:abc::urn:schemas-upnp-org:service:ConnectionManager:1',
    'BOOTID.UPNP.ORG: 8',
    'NEXTBOOTID.UPNP.ORG: 9', // not a field of interest: listed in headers only
    '',
  ));
  assert.equal(m.host, '[FF02::C]:1900');
  assert.equal(m.nts, 'ssdp:update');
  assert.equal(m.uuid, 'abc');
  assert.deepEqual(m.headers.at(-1), { name: 'NEXTBOOTID.UPNP.ORG', value: '9' });
});

test('200 OK search response: status line, EXT with an empty value, CACHE-CONTROL with other directives', () => {
  const m = ok(crlf(
    'HTTP/1.1 200 OK', // status line (UDA 1.1 §1.3.3)
    'CACHE-CONTROL: no-cache="Ext", max-age = 120', // max-age among other directives, spaces around "="
    'DATE: Mon, 01 Jan 2024 10:00:00 GMT',
    'EXT:', // required, empty
    'LOCATION: http://10.1.2.4:80/upnp.xml',
    'SERVER: RTOS/1.0 UPnP/1.0 Ventilator/3.1',
    'ST: upnp:rootdevice',
    'USN: UUID:ABCD-1::upnp:rootdevice', // "uuid:" matched without regard to case
    '',
  ));
  assert.equal(m.kind, 'response');
  assert.equal(m.method, null);
  assert.equal(m.request_target, null);
  assert.equal(m.status_code, 200);
  assert.equal(m.reason, 'OK');
  assert.equal(m.http_version, 'HTTP/1.1');
  assert.equal(m.max_age, 120);
  assert.equal(m.st, 'upnp:rootdevice');
  assert.equal(m.uuid, 'ABCD-1');
  assert.deepEqual(m.headers[2], { name: 'EXT', value: '' });
  assert.deepEqual(m.anomalies, []);
});

test('lower-case and mixed-case header names, no space after the colon, padded values', () => {
  const m = ok(crlf(
    'M-SEARCH * HTTP/1.1',
    'host:239.255.255.250:1900', // no space after ":"
    'Man:   "ssdp:discover"   ', // spaces around the value are trimmed
    'mx:\t1', // tab as OWS
    'St: ssdp:all',
    'user-agent: x',
    '',
  ));
  assert.equal(m.host, '239.255.255.250:1900');
  assert.equal(m.man, '"ssdp:discover"');
  assert.equal(m.mx, 1);
  assert.equal(m.st, 'ssdp:all');
  assert.equal(m.user_agent, 'x');
  assert.deepEqual(m.headers.map((h) => h.name), ['host', 'Man', 'mx', 'St', 'user-agent']); // as sent
  assert.deepEqual(m.anomalies, []);
});

test('LF-only line endings are accepted and noted once', () => {
  const m = ok(raw('NOTIFY * HTTP/1.1\nHOST: 239.255.255.250:1900\nNTS: ssdp:alive\nNT: upnp:rootdevice\n\n'));
  assert.equal(m.kind, 'notify');
  assert.equal(m.nts, 'ssdp:alive');
  assert.equal(m.nt, 'upnp:rootdevice');
  assert.deepEqual(m.anomalies, ['lf_line_endings']);
});

test('folded and junk lines', () => {
  const m = ok(crlf(
    'NOTIFY * HTTP/1.1',
    'SERVER: Linux/2.6', // continued on the next line …
    '  UPnP/1.0 Pump/1', // … obsolete folding: joined with one space
    'this line has no colon', // skipped
    ': empty name', // skipped
    'NT : upnp:rootdevice', // space before the colon: accepted
    'NTS: ssdp:alive',
    'NTS: ssdp:byebye', // repeated: the first wins
    'MX: soon', // not a number
    'CACHE-CONTROL: max-age=forever', // not a number
    '',
    'trailing body', // SSDP has no body
  ));
  assert.equal(m.server, 'Linux/2.6 UPnP/1.0 Pump/1');
  assert.equal(m.nt, 'upnp:rootdevice');
  assert.equal(m.nts, 'ssdp:alive');
  assert.equal(m.mx, null);
  assert.equal(m.max_age, null);
  assert.deepEqual(m.headers.map((h) => h.name), ['SERVER', 'NT', 'NTS', 'NTS', 'MX', 'CACHE-CONTROL']);
  assert.deepEqual(m.anomalies, [
    'folded_header',
    'header_without_colon',
    'empty_header_name',
    'space_before_colon',
    'body_present',
    'duplicate_header:nts',
    'bad_number:mx',
    'bad_number:max_age',
  ]);
});

test('truncated messages: cut inside a line, no empty line, start line only', () => {
  const full = M_SEARCH;
  const cut = ok(full, 0, full.length - 10); // cut inside the USER-AGENT value
  assert.equal(cut.st, 'urn:schemas-upnp-org:device:InfusionPump:1');
  assert.equal(cut.user_agent, 'Linux/5.10 UPnP/1.1 PumpAge');
  assert.deepEqual(cut.anomalies, ['truncated_header']);
  const noBlank = ok(full, 0, full.length - 2); // the final CRLF missing
  assert.equal(noBlank.user_agent, 'Linux/5.10 UPnP/1.1 PumpAgent/2.0');
  assert.deepEqual(noBlank.anomalies, ['no_blank_line']);
  const startOnly = ok(raw('M-SEARCH * HTTP/1.1'));
  assert.equal(startOnly.kind, 'search');
  assert.deepEqual(startOnly.headers, []);
  assert.deepEqual(startOnly.anomalies, ['truncated_header']);
});

test('start lines: other methods, odd targets and versions, failures', () => {
  const sub = ok(crlf('SUBSCRIBE /evt HTTP/1.1', 'NT: upnp:event', ''));
  assert.equal(sub.kind, 'other');
  assert.equal(sub.method, 'SUBSCRIBE');
  assert.deepEqual(sub.anomalies, []);
  const lower = ok(crlf('m-search * HTTP/1.0', '')); // methods are case-sensitive: not a search
  assert.equal(lower.kind, 'other');
  assert.deepEqual(lower.anomalies, ['not_http_1_1']);
  const target = ok(crlf('M-SEARCH / HTTP/1.1', ''));
  assert.deepEqual(target.anomalies, ['target_not_asterisk']);
  const lead = ok(raw('\r\n\r\nNOTIFY * HTTP/1.1\r\n\r\n'));
  assert.deepEqual(lead.anomalies, ['leading_blank_line']);
  const noReason = ok(crlf('HTTP/1.1 200', '')); // empty reason phrase
  assert.equal(noReason.reason, '');

  const fail = (s: string): string => {
    const r = parseSsdp(raw(s), 0, s.length);
    assert.ok(!r.ok);
    return r.error;
  };
  assert.equal(fail(''), 'empty');
  assert.equal(fail('\r\n\r\n'), 'empty');
  assert.equal(fail('hello world\r\n'), 'bad_request_line');
  assert.equal(fail('M-SEARCH *\r\n'), 'bad_request_line');
  assert.equal(fail('\x00\x01\x02 * HTTP/1.1\r\n'), 'bad_request_line');
  assert.equal(fail('HTTP/1.1 2x0 OK\r\n'), 'bad_status_line');
  assert.equal(fail('HTTP/1.1 2000 OK\r\n'), 'bad_status_line');
  assert.equal(fail('HTTP/1.1\r\n'), 'bad_status_line');
  assert.deepEqual(parseSsdp(M_SEARCH, 5, M_SEARCH.length), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseSsdp(M_SEARCH, -1, 2), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseSsdp(M_SEARCH, 0.5, 2), { ok: false, error: 'bad_bounds' });
});

test('bounds: a message inside a larger buffer reads only its own bytes', () => {
  const framed = new Uint8Array(M_SEARCH.length + 20).fill(0x41);
  framed.set(M_SEARCH, 7);
  assert.deepEqual(ok(framed, 7, M_SEARCH.length), ok(M_SEARCH));
});

test('text escaping: control characters, bare CR, UTF-8 and Latin-1', () => {
  const m = ok(Uint8Array.from([
    ...raw('NOTIFY * HTTP/1.1\r\n'),
    ...raw('SERVER: a\x07b\\c\r\n'), // BEL → \x07, backslash → \\
    ...raw('LOCATION: x\ry\r\n'), // bare CR inside the line → \x0d
    ...raw('NT: '), 0xc3, 0xa9, 0x85, ...raw('t\u00e9\r\n'), // invalid UTF-8 as a whole ("é", then C1 NEL, Latin-1 é): Latin-1 throughout
    ...raw('USN: uuid:'), 0xe2, 0x80, 0xae, ...raw('x\r\n'), // U+202E (bidi override) in UTF-8 → \u202e
    ...raw('\r\n'),
  ]));
  assert.equal(m.server, 'a\\x07b\\\\c');
  assert.equal(m.location, 'x\\x0dy');
  assert.equal(m.nt, '\u00c3\u00a9\\x85t\u00e9');
  assert.equal(m.usn, 'uuid:\\u202ex');
  assert.equal(m.uuid, '\\u202ex');
  assert.deepEqual(m.anomalies, ['bare_cr']);
});

test('limits: oversized payload, too many headers, long values (also across folding), numbers out of range', () => {
  const many = ok(crlf('NOTIFY * HTTP/1.1', ...Array.from({ length: MAX_HEADERS + 5 }, (_, i) => `X-${i}: ${i}`), ''));
  assert.equal(many.headers.length, MAX_HEADERS);
  assert.deepEqual(many.anomalies, ['too_many_headers']);

  const long = 'a'.repeat(MAX_HEADER_VALUE + 10);
  const lv = ok(crlf(`M-SEARCH ${long} HTTP/1.1`, `ST: ${long}`, `SERVER: ${'b'.repeat(MAX_HEADER_VALUE - 2)}`, ' cc dd', ''));
  assert.equal(lv.request_target!.length, MAX_HEADER_VALUE);
  assert.equal(lv.st!.length, MAX_HEADER_VALUE);
  assert.equal(lv.server, `${'b'.repeat(MAX_HEADER_VALUE - 2)} c`); // one space and one byte fit
  assert.deepEqual(lv.anomalies, ['long_value:request_target', 'target_not_asterisk', 'long_value:st', 'folded_header', 'long_value:server']);

  const big = new Uint8Array(MAX_SSDP_BYTES + 100).fill(0x61);
  big.set(raw('NOTIFY * HTTP/1.1\r\nNT: upnp:rootdevice\r\nX-PAD: ')); // X-PAD's value runs to the cut
  const o = ok(big);
  assert.equal(o.headers.at(-1)!.value.length, MAX_HEADER_VALUE);
  assert.deepEqual(o.anomalies, ['oversized_message', 'long_value:x-pad', 'truncated_header']);

  const nums = ok(crlf('NOTIFY * HTTP/1.1', 'BOOTID.UPNP.ORG: 2147483648', 'SEARCHPORT.UPNP.ORG: 70000', 'CONFIGID.UPNP.ORG: -1', 'MX: 12345678901', ''));
  assert.equal(nums.bootid, null);
  assert.equal(nums.searchport, null);
  assert.equal(nums.configid, null);
  assert.equal(nums.mx, null);
  assert.deepEqual(nums.anomalies, ['bad_number:bootid', 'bad_number:searchport', 'bad_number:configid', 'bad_number:mx']);
  assert.equal(ok(crlf('NOTIFY * HTTP/1.1', 'CACHE-CONTROL: max-age="60"', '')).max_age, 60); // quoted form tolerated
  assert.equal(ok(crlf('NOTIFY * HTTP/1.1', 'CACHE-CONTROL: no-cache', '')).max_age, null); // no directive, no anomaly
});

test('random mutations never throw, never read outside the view, and report only documented anomalies', () => {
  const bases = [
    M_SEARCH,
    crlf('NOTIFY * HTTP/1.1', 'HOST: 239.255.255.250:1900', 'CACHE-CONTROL: max-age=1800', 'NT: upnp:rootdevice',
      'NTS: ssdp:alive', 'USN: uuid:1::upnp:rootdevice', 'BOOTID.UPNP.ORG: 1', 'CONFIGID.UPNP.ORG: 2', ''),
    crlf('HTTP/1.1 200 OK', 'CACHE-CONTROL: max-age=60', 'EXT:', 'ST: ssdp:all', 'USN: uuid:2', 'SEARCHPORT.UPNP.ORG: 49152', ''),
  ];
  const okCount = runMutations({
    seed: 0x55d9,
    bases,
    count: 20_000,
    special: [0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x00, 0x22, 0x2c, 0x3d, 0xc3, 0x80, 0xff],
    parse: parseSsdp,
    anomalyNames: SSDP_ANOMALIES,
    onParsed: (m) => {
      assert.ok(m.headers.length <= MAX_HEADERS);
      for (const h of m.headers) assert.ok(h.value.length <= 4 * MAX_HEADER_VALUE + 2); // escapes may lengthen the text
      assert.ok(['search', 'notify', 'response', 'other'].includes(m.kind));
    },
  });
  assert.ok(okCount > 10_000, `most mutations keep a start line (${okCount})`);
});
