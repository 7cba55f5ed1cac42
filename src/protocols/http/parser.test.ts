/**
 * Unit tests of the HTTP head parser (RFC 9112 §2–§5 message syntax, RFC 9110 fields), the request-target and
 * Referer reduction (uri.ts), the credential reduction (auth.ts: RFC 7617 Basic, RFC 7616 Digest, MS-NLMP NTLM),
 * the chunk-size line and the start-line checks, from annotated messages, plus random-mutation robustness.
 * Corpus-wide agreement with tshark is in test/conformance/http/.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { runMutations } from '../mutation-harness.js';
import { ascii, bytes, zeros } from '../test-bytes.js';
import { decodeBase64, parseAuthorization, parseChallenges } from './auth.js';
import {
  findHeadEnd,
  HTTP_ANOMALIES,
  type HttpHead,
  MAX_HEAD_BYTES,
  MAX_HEADER_VALUE,
  MAX_HEADERS,
  parseChunkSize,
  parseHttpHead,
  sniffHttp,
  startVerdict,
} from './parser.js';
import { MAX_PARAM_NAME_BYTES, MAX_QUERY_PARAMS, reduceTarget, urlHost } from './uri.js';

/** The lines joined with CRLF (each line a commented wire line); the head ends with the empty line. */
function crlf(...lines: string[]): Uint8Array {
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}
const raw = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');

function ok(b: Uint8Array, off = 0, len = b.length): HttpHead {
  const r = parseHttpHead(b, off, len);
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.value;
}

const GET = crlf(
  'GET /pacs/studies?patient=12345&modality=CT HTTP/1.1', // request line: the query values must not be kept
  'Host: pacs.example.org:8080', // RFC 9110 §7.2
  'User-Agent: InfusionPump/2.1 (VxWorks 6.9)', // RFC 9110 §10.1.5
  'Accept: */*',
  'Referer: http://portal.example.org/search?mrn=998877', // RFC 9110 §10.1.3: only the host is kept
  'Cookie: SESSION=abcdef; theme=dark', // RFC 6265 §4.2: two pairs, counted only
  '', // end of the head
);

test('request: start line, reduced target, fields of interest, header names in order', () => {
  const h = ok(GET);
  assert.equal(h.kind, 'request');
  assert.equal(h.method, 'GET');
  assert.equal(h.uri, '/pacs/studies?patient=&modality=');
  assert.equal(h.version, 'HTTP/1.1');
  assert.equal(h.status_code, null);
  assert.equal(h.reason, null);
  assert.equal(h.host, 'pacs.example.org:8080');
  assert.equal(h.user_agent, 'InfusionPump/2.1 (VxWorks 6.9)');
  assert.equal(h.referrer_host, 'portal.example.org');
  assert.equal(h.cookie_count, 2);
  assert.deepEqual(h.header_names, ['Host', 'User-Agent', 'Accept', 'Referer', 'Cookie']);
  assert.deepEqual(h.anomalies, []);
  // No query value, cookie or Referer path anywhere in the result.
  const json = JSON.stringify(h);
  for (const secret of ['12345', 'CT', 'abcdef', 'dark', '998877', 'search']) assert.ok(!json.includes(secret), secret);
});

test('response: status line, Server, X-Powered-By, Content-Type/Length, Set-Cookie counted', () => {
  const h = ok(crlf(
    'HTTP/1.1 200 OK', // status line (RFC 9112 §4)
    'Server: Apache/2.4.7 (Ubuntu)', // RFC 9110 §10.2.4
    'X-Powered-By: PHP/5.5.9-1ubuntu4.21',
    'Set-Cookie: PHPSESSID=s3cr3t; path=/', // value never kept
    'Set-Cookie: security=low',
    'Content-Type: text/html;charset=utf-8',
    'Content-Length: 698', // RFC 9110 §8.6
    '',
  ));
  assert.equal(h.kind, 'response');
  assert.equal(h.method, null);
  assert.equal(h.uri, null);
  assert.equal(h.status_code, 200);
  assert.equal(h.reason, 'OK');
  assert.equal(h.server, 'Apache/2.4.7 (Ubuntu)');
  assert.equal(h.x_powered_by, 'PHP/5.5.9-1ubuntu4.21');
  assert.equal(h.content_type, 'text/html;charset=utf-8');
  assert.equal(h.content_length, 698);
  assert.equal(h.set_cookie_count, 2);
  assert.ok(!JSON.stringify(h).includes('s3cr3t'));
  assert.deepEqual(h.anomalies, []);
});

test('status line without a reason phrase, and HTTP/1.0', () => {
  const h = ok(crlf('HTTP/1.0 204', ''));
  assert.equal(h.status_code, 204);
  assert.equal(h.reason, '');
  assert.equal(h.version, 'HTTP/1.0');
  assert.deepEqual(h.anomalies, []);
});

test('Transfer-Encoding: chunked as the final coding; with Content-Length too (te_and_length)', () => {
  let h = ok(crlf('HTTP/1.1 200 OK', 'Transfer-Encoding: gzip, Chunked', ''));
  assert.equal(h.chunked, true);
  assert.equal(h.transfer_encoding, 'gzip, Chunked');
  h = ok(crlf('POST /x HTTP/1.1', 'Content-Length: 5', 'Transfer-Encoding: chunked', ''));
  assert.equal(h.chunked, true);
  assert.ok(h.anomalies.includes('te_and_length'));
  h = ok(crlf('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked, gzip', ''));
  assert.equal(h.chunked, false);
  assert.ok(h.anomalies.includes('te_not_chunked'));
});

test('Content-Length: equal repeats accepted (RFC 9110 §8.6), different values or junk rejected', () => {
  assert.equal(ok(crlf('HTTP/1.1 200 OK', 'Content-Length: 5, 5', 'Content-Length: 5', '')).content_length, 5);
  for (const v of ['5, 6', '-1', '0x10', '', '1234567890123456']) {
    const h = ok(crlf('HTTP/1.1 200 OK', `Content-Length: ${v}`, ''));
    assert.equal(h.content_length, null, v);
    assert.equal(h.bad_length, true, v);
    assert.ok(h.anomalies.includes('bad_content_length'), v);
  }
});

test('LF-only lines, leading empty lines, loose start line, folding, odd header lines', () => {
  const h = ok(raw(
    '\r\n\r\n' + // empty lines before the request (RFC 9112 §2.2)
    'GET  /a   HTTP/1.1\n' + // two spaces, three spaces; LF only
    'Host : h\n' + // space before the colon
    'User-Agent: first\n' +
    '  second part\n' + // obsolete folding: joined with one space
    'no colon here\n' +
    ': empty name\n' +
    'Bad Name: x\n' + // space inside the name: not a token
    '\n',
  ));
  assert.equal(h.uri, '/a');
  assert.equal(h.host, 'h');
  assert.equal(h.user_agent, 'first second part');
  for (const a of ['leading_blank_line', 'lf_line_endings', 'loose_start_line', 'space_before_colon', 'folded_header',
    'header_without_colon', 'empty_header_name', 'bad_header_name']) assert.ok(h.anomalies.includes(a), a);
  assert.deepEqual(h.header_names, ['Host', 'User-Agent', 'Bad Name']);
});

test('duplicate single-valued headers: first kept', () => {
  const h = ok(crlf('GET / HTTP/1.1', 'Host: a', 'HOST: b', ''));
  assert.equal(h.host, 'a');
  assert.ok(h.anomalies.includes('duplicate_header:host'));
  assert.deepEqual(h.header_names, ['Host', 'HOST']);
});

test('start line failures', () => {
  const fail = (s: string, error: string): void => {
    const r = parseHttpHead(raw(s), 0, s.length);
    assert.ok(!r.ok, s);
    assert.equal(r.error, error, s);
  };
  fail('', 'empty');
  fail('\r\n\r\n', 'empty');
  fail('GET /\r\n\r\n', 'bad_request_line'); // HTTP/0.9 simple request: no version
  fail('GET / FTP/1.0\r\n\r\n', 'bad_request_line');
  fail('G(T / HTTP/1.1\r\n\r\n', 'bad_request_line'); // "(" is not a tchar
  fail(`${'A'.repeat(33)} / HTTP/1.1\r\n\r\n`, 'bad_request_line'); // method longer than MAX_METHOD_BYTES
  fail('HTTP/1.1 20 OK\r\n\r\n', 'bad_status_line');
  fail('HTTP/1.1 2000 OK\r\n\r\n', 'bad_status_line');
  fail('HTTP/1.1\r\n\r\n', 'bad_status_line');
  assert.deepEqual(parseHttpHead(raw('GET'), 2, 5), { ok: false, error: 'bad_bounds' });
  assert.deepEqual(parseHttpHead(raw('GET'), -1, 1), { ok: false, error: 'bad_bounds' });
});

test('truncated head, unusual version, too many headers, long values, oversized head', () => {
  let h = ok(raw('GET /x HTTP/1.1\r\nHost: a\r\nUser-Ag'));
  assert.ok(h.anomalies.includes('truncated_head'));
  assert.equal(h.host, 'a');
  h = ok(crlf('GET / HTTP/2.0', ''));
  assert.ok(h.anomalies.includes('unusual_version'));
  const many = ['GET / HTTP/1.1', ...Array.from({ length: MAX_HEADERS + 5 }, (_, i) => `X-${i}: v`), ''];
  h = ok(crlf(...many));
  assert.equal(h.header_names.length, MAX_HEADERS);
  assert.ok(h.anomalies.includes('too_many_headers'));
  assert.ok(!h.anomalies.includes('truncated_head'));
  h = ok(crlf('GET / HTTP/1.1', `User-Agent: ${'u'.repeat(MAX_HEADER_VALUE + 10)}`, ''));
  assert.equal(h.user_agent!.length, MAX_HEADER_VALUE);
  assert.ok(h.anomalies.includes('long_value:user-agent'));
  h = ok(crlf('GET / HTTP/1.1', `X-Pad: ${'p'.repeat(MAX_HEAD_BYTES)}`, 'Host: late', ''));
  assert.ok(h.anomalies.includes('oversized_head'));
  assert.equal(h.host, null);
});

test('text escaping: control characters and invalid UTF-8 in values', () => {
  const h = ok(bytes(ascii('GET / HTTP/1.1\r\nServer: a\x01b\r\nUser-Agent: caf'), [0xe9], ascii('\r\n\r\n')));
  assert.equal(h.server, 'a\\x01b');
  assert.equal(h.user_agent, 'café'); // not UTF-8: Latin-1
});

// ---------------------------------------------------------------------------------------------------------------
// Request targets (uri.ts)

test('request target reduction: query values, path parameters, fragment, absolute form, userinfo', () => {
  const r = (s: string) => reduceTarget(raw(s), 0, s.length);
  assert.equal(r('/').uri, '/');
  assert.equal(r('/a/b.html').uri, '/a/b.html');
  assert.equal(r('/a?x=1&y=2').uri, '/a?x=&y=');
  assert.equal(r('/a?x=&y').uri, '/a?x=&'); // "y" alone may be a value: dropped
  assert.equal(r('/a?12345').uri, '/a?'); // a bare value
  assert.equal(r('/a?').uri, '/a?');
  assert.equal(r('/a?tok=abc==').uri, '/a?tok='); // base64 padding in a value
  assert.equal(r('/a?dXNlcjpwdw==').uri, '/a?'); // padded base64 without a name: a value, not a name
  assert.equal(r('/a?q=a=b').uri, '/a?q=');
  assert.equal(r('/x;jsessionid=ABC123/y;v=2;flag').uri, '/x;jsessionid=/y;v=;flag');
  assert.equal(r('/a#frag?x=1').uri, '/a');
  assert.equal(r('*').uri, '*');
  assert.equal(r('pacs.example.org:443').uri, 'pacs.example.org:443'); // CONNECT authority form
  assert.equal(r('http://h.example/p?id=7').uri, 'http://h.example/p?id=');
  assert.equal(r('HTTP://h.example').uri, 'HTTP://h.example');
  const u = r('http://admin:secret@h.example:8080/p');
  assert.equal(u.uri, 'http://h.example:8080/p');
  assert.equal(u.userinfo, true);
  assert.equal(u.password, true);
  const v = r('http://admin@h.example/');
  assert.equal(v.uri, 'http://h.example/');
  assert.equal(v.password, false);
  assert.equal(r('/p/a@b:c').userinfo, false); // "@" in an origin-form path is not userinfo
});

test('request target limits', () => {
  const many = `/q?${Array.from({ length: MAX_QUERY_PARAMS + 3 }, (_, i) => `p${i}=v`).join('&')}`;
  const t = reduceTarget(raw(many), 0, many.length);
  assert.equal(t.cut, true);
  assert.equal(t.uri.split('&').length, MAX_QUERY_PARAMS);
  const long = `/q?${'n'.repeat(MAX_PARAM_NAME_BYTES + 5)}=1`;
  assert.equal(reduceTarget(raw(long), 0, long.length).uri, `/q?${'n'.repeat(MAX_PARAM_NAME_BYTES)}=`);
  const path = `/${'p'.repeat(5000)}`;
  assert.equal(reduceTarget(raw(path), 0, path.length).uri.length, 2048);
});

test('password in the target: userinfo or a password-named parameter', () => {
  assert.equal(ok(crlf('GET /login?user=a&password=b HTTP/1.1', '')).password_in_uri, true);
  assert.equal(ok(crlf('GET /login?user[pwd]=b HTTP/1.1', '')).password_in_uri, true);
  assert.equal(ok(crlf('GET /login?login_passwd=b HTTP/1.1', '')).password_in_uri, true);
  assert.equal(ok(crlf('GET /login?passenger=b&bypass=1 HTTP/1.1', '')).password_in_uri, false);
  const h = ok(crlf('GET http://u:p@h/ HTTP/1.1', ''));
  assert.equal(h.password_in_uri, true);
  assert.ok(h.anomalies.includes('uri_userinfo'));
  assert.equal(h.uri, 'http://h/');
});

test('Referer host', () => {
  const host = (s: string) => urlHost(raw(s), 0, s.length);
  assert.equal(host('https://a.example:8443/x?y=1'), 'a.example:8443');
  assert.equal(host('http://user:pw@b.example/'), 'b.example');
  assert.equal(host('http://c.example'), 'c.example');
  assert.equal(host('/relative/path'), null);
  assert.equal(host('http:///nohost'), null);
});

// ---------------------------------------------------------------------------------------------------------------
// Credentials (auth.ts)

function auth(value: string): { a: ReturnType<typeof parseAuthorization>; anomalies: string[] } {
  const anomalies: string[] = [];
  return { a: parseAuthorization(raw(value), 0, value.length, anomalies), anomalies };
}

test('Basic: the user name only, cleartext_password flagged (RFC 7617)', () => {
  const { a, anomalies } = auth(`Basic ${b64('clinician:Secr3t:with:colons')}`);
  assert.deepEqual(a, { scheme: 'Basic', user: 'clinician', realm: null, domain: null, host: null, cleartext_password: true, default_credential: false });
  assert.deepEqual(anomalies, []);
  assert.equal(auth(`basic ${b64('u:')}`).a!.user, 'u'); // scheme names are case-insensitive (RFC 9110 §11.1)
  assert.equal(auth(`Basic ${b64(':pw')}`).a!.user, '');
  const bad = auth(`Basic ${b64('no-colon')}`);
  assert.equal(bad.a!.user, null);
  assert.equal(bad.a!.cleartext_password, true);
  assert.deepEqual(bad.anomalies, ['bad_basic_credentials']);
  assert.deepEqual(auth('Basic !!!').anomalies, ['bad_basic_credentials']);
  assert.deepEqual(auth('Basic').anomalies, ['bad_basic_credentials']);
  assert.ok(!JSON.stringify(auth(`Basic ${b64('u:Secr3t')}`)).includes('Secr3t'));
});

test('Digest: username and realm, no password (RFC 7616 §3.4)', () => {
  const { a } = auth('Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", ' +
    'algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", ' +
    'qop=auth, response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"');
  assert.deepEqual(a, { scheme: 'Digest', user: 'Mufasa', realm: 'http-auth@example.org', domain: null, host: null, cleartext_password: false, default_credential: false });
  assert.equal(auth('Digest username="a\\"b"').a!.user, 'a"b'); // quoted-pair undone
  assert.equal(auth("Digest username*=UTF-8''J%C3%A4s, realm=r").a!.user, "UTF-8''J%C3%A4s");
  assert.equal(auth('Digest realm=plain').a!.realm, 'plain');
});

/** An NTLM AUTHENTICATE_MESSAGE ([MS-NLMP] §2.2.1.3) with Unicode domain, user and workstation. */
function ntlmAuthenticate(unicode: boolean, domain: string, user: string, host: string): Uint8Array {
  const enc = (s: string): number[] => (unicode ? [...Buffer.from(s, 'utf16le')] : ascii(s));
  const d = enc(domain);
  const u = enc(user);
  const w = enc(host);
  const field = (len: number, off: number): number[] => [len & 0xff, len >> 8, len & 0xff, len >> 8, off & 0xff, off >> 8, 0, 0];
  return bytes(
    ascii('NTLMSSP\0'), // Signature
    [3, 0, 0, 0], // MessageType: AUTHENTICATE
    field(0, 64), // LmChallengeResponseFields
    field(0, 64), // NtChallengeResponseFields
    field(d.length, 64), // DomainNameFields
    field(u.length, 64 + d.length), // UserNameFields
    field(w.length, 64 + d.length + u.length), // WorkstationFields
    field(0, 64), // EncryptedRandomSessionKeyFields
    [unicode ? 0x01 : 0x02, 0x82, 0x08, 0xa2], // NegotiateFlags (bit 0: NTLMSSP_NEGOTIATE_UNICODE)
    d, u, w, // payload
  );
}

test('NTLM and Negotiate: user, domain and workstation from AUTHENTICATE; other messages give the scheme', () => {
  const t3 = Buffer.from(ntlmAuthenticate(true, 'EXAMPLE', 'administrator', 'WS-ICU-01')).toString('base64');
  assert.deepEqual(auth(`NTLM ${t3}`).a, { scheme: 'NTLM', user: 'administrator', realm: null, domain: 'EXAMPLE', host: 'WS-ICU-01', cleartext_password: false, default_credential: false });
  const oem = Buffer.from(ntlmAuthenticate(false, 'DOM', 'bob', 'PC')).toString('base64');
  assert.equal(auth(`NTLM ${oem}`).a!.user, 'bob');
  // SPNEGO-wrapped (Negotiate): the NTLMSSP message is found inside the token.
  const wrapped = Buffer.from(bytes([0xa1, 0x81, 0x90, 0x30, 0x81, 0x8d], ntlmAuthenticate(true, 'D', 'eve', 'H'))).toString('base64');
  assert.equal(auth(`Negotiate ${wrapped}`).a!.user, 'eve');
  const t1 = Buffer.from(bytes(ascii('NTLMSSP\0'), [1, 0, 0, 0], zeros(24))).toString('base64'); // NEGOTIATE
  assert.deepEqual(auth(`NTLM ${t1}`).a, { scheme: 'NTLM', user: null, realm: null, domain: null, host: null, cleartext_password: false, default_credential: false });
  assert.equal(auth('Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag').a!.user, null); // Kerberos: scheme only
  // A field pointing outside the message.
  const broken = ntlmAuthenticate(true, 'D', 'u', 'h');
  broken[36 + 4] = 0xf0;
  const r = auth(`NTLM ${Buffer.from(broken).toString('base64')}`);
  assert.equal(r.a!.user, null);
  assert.ok(r.anomalies.includes('bad_ntlm_message'));
});

test('Bearer and unknown schemes: the scheme only; no scheme: bad_authorization', () => {
  assert.deepEqual(auth('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x').a, { scheme: 'Bearer', user: null, realm: null, domain: null, host: null, cleartext_password: false, default_credential: false });
  assert.equal(auth('AWS4-HMAC-SHA256 Credential=x').a!.scheme, 'AWS4-HMAC-SHA256');
  assert.deepEqual(auth('').anomalies, ['bad_authorization']);
  assert.deepEqual(auth('"quoted"').anomalies, ['bad_authorization']);
});

test('Authorization in a head; Proxy-Authorization used when Authorization is absent', () => {
  let h = ok(crlf('GET / HTTP/1.1', `Authorization: Basic ${b64('nurse:pw')}`, ''));
  assert.equal(h.auth!.user, 'nurse');
  h = ok(crlf('CONNECT h:443 HTTP/1.1', `Proxy-Authorization: Basic ${b64('proxyuser:pw')}`, ''));
  assert.equal(h.auth!.user, 'proxyuser');
  assert.ok(!JSON.stringify(h).includes('pw'));
});

test('challenges: schemes and realms of WWW-Authenticate / Proxy-Authenticate', () => {
  const ch = (s: string) => parseChallenges(raw(s), 0, s.length);
  assert.deepEqual(ch('Basic realm="IntelliVue MX800"'), [{ scheme: 'Basic', realm: 'IntelliVue MX800' }]);
  assert.deepEqual(ch('Digest realm="r1", qop="auth", nonce="abc", Basic realm="r2"'),
    [{ scheme: 'Digest', realm: 'r1' }, { scheme: 'Basic', realm: 'r2' }]);
  assert.deepEqual(ch('Negotiate, NTLM'), [{ scheme: 'Negotiate', realm: null }, { scheme: 'NTLM', realm: null }]);
  assert.deepEqual(ch('NTLM TlRMTVNTUAACAAAADAAMADgAAAA='), [{ scheme: 'NTLM', realm: null }]);
  const h = ok(crlf('HTTP/1.1 401 Unauthorized', 'WWW-Authenticate: Negotiate', 'WWW-Authenticate: Basic realm="pump"', ''));
  assert.deepEqual(h.challenges, [{ scheme: 'Negotiate', realm: null }, { scheme: 'Basic', realm: 'pump' }]);
});

test('base64 decoding (RFC 4648 §4): padding optional, other characters rejected', () => {
  const d = (s: string) => decodeBase64(raw(s), 0, s.length);
  assert.deepEqual(d('aGk='), Uint8Array.from([0x68, 0x69]));
  assert.deepEqual(d('aGk'), Uint8Array.from([0x68, 0x69]));
  assert.deepEqual(d('YQ=='), Uint8Array.from([0x61]));
  assert.equal(d('a'), null);
  assert.equal(d('a-b_'), null);
  assert.equal(d(''), null);
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers of the stream analyzer

test('findHeadEnd: CRLF CRLF, bare LFs, resumable', () => {
  const s = raw('GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY');
  assert.equal(findHeadEnd(s, 0, s.length), s.length - 4);
  const l = raw('GET / HTTP/1.1\nHost: a\n\nBODY');
  assert.equal(findHeadEnd(l, 0, l.length), l.length - 4);
  assert.equal(findHeadEnd(s, 0, 20), -1);
  assert.equal(findHeadEnd(s, 0, s.length, 20), s.length - 4);
  assert.equal(findHeadEnd(raw('X\r\n\nY'), 0, 5), 4); // CRLF then a bare LF
});

test('chunk-size lines (RFC 9112 §7.1)', () => {
  const c = (s: string) => parseChunkSize(raw(s), 0, s.length);
  assert.deepEqual(c('1a'), { ok: true, size: 26 });
  assert.deepEqual(c('0'), { ok: true, size: 0 });
  assert.deepEqual(c('FF;name=value;x'), { ok: true, size: 255 });
  assert.deepEqual(c('10 ; ext'), { ok: true, size: 16 });
  assert.deepEqual(c(''), { ok: false, error: 'bad_chunk_size' });
  assert.deepEqual(c('xyz'), { ok: false, error: 'bad_chunk_size' });
  assert.deepEqual(c('12 34'), { ok: false, error: 'bad_chunk_size' });
  assert.deepEqual(c('1'.repeat(14)), { ok: false, error: 'bad_chunk_size' });
  assert.deepEqual(parseChunkSize(raw('1'), 1, 1), { ok: false, error: 'bad_chunk_size' });
});

test('startVerdict and sniffHttp', () => {
  const v = (c: boolean, s: string) => startVerdict(c, raw(s), 0, s.length);
  assert.equal(v(true, 'GET /'), 'yes');
  assert.equal(v(true, 'GE'), 'maybe');
  assert.equal(v(true, 'M-SEARCH '), 'yes');
  assert.equal(v(true, ' GET'), 'no');
  assert.equal(v(true, '\x16\x03\x01\x02\x00'), 'no'); // a TLS record
  assert.equal(v(true, 'A'.repeat(40)), 'no');
  assert.equal(v(false, 'HTTP/1.1 200'), 'yes');
  assert.equal(v(false, 'HTT'), 'maybe');
  assert.equal(v(false, 'SSH-2.0'), 'no');
  const s = (c: boolean, x: string) => sniffHttp(c, raw(x), 0, x.length);
  assert.equal(s(true, 'GET /index.html HTTP/1.1\r\nHost: a\r\n'), true);
  assert.equal(s(true, 'OPTIONS * HTTP/1.0\r\n'), true);
  assert.equal(s(true, `POST /${'x'.repeat(100)}`), true); // the line goes on past the bytes
  assert.equal(s(true, 'GET /a SIP/2.0\r\n'), false);
  assert.equal(s(true, 'FOO /a HTTP/1.1\r\n'), false); // not a known method
  assert.equal(s(true, 'GET  HTTP/1.1\r\n'), false);
  assert.equal(s(false, 'HTTP/1.1 200 OK\r\n'), true);
  assert.equal(s(false, 'HTTP/1.1 999 X'), false);
  assert.equal(s(false, 'HTTP/2 200'), false);
  assert.equal(sniffHttp(true, raw('GET / HTTP/1.1'), 5, 100), false);
});

// ---------------------------------------------------------------------------------------------------------------

test('random mutations: never throws, never reads outside the bounds, documented anomalies only', () => {
  const bases = [
    GET,
    crlf('HTTP/1.1 401 Unauthorized', 'WWW-Authenticate: Digest realm="r", nonce="n"', 'Content-Length: 0', ''),
    crlf('POST /a;s=1?x=1&y HTTP/1.1', `Authorization: Basic ${b64('u:p')}`, 'Transfer-Encoding: chunked', ''),
    crlf('GET / HTTP/1.1', `Authorization: NTLM ${Buffer.from(ntlmAuthenticate(true, 'D', 'u', 'h')).toString('base64')}`, ''),
    crlf('GET / HTTP/1.1', 'Authorization: Digest username="u", realm="r"', 'Referer: http://a@b/c', ''),
  ];
  const parsed = runMutations({
    seed: 0x4854_5450,
    bases,
    count: 20_000,
    special: [0x0d, 0x0a, 0x20, 0x3a, 0x3f, 0x26, 0x3d, 0x3b, 0x22, 0x2c, 0x40, 0x2f],
    parse: parseHttpHead,
    anomalyNames: HTTP_ANOMALIES,
    onParsed: (h) => {
      assert.ok(h.header_names.length <= MAX_HEADERS);
      if (h.auth?.scheme === 'Basic') assert.equal(h.auth.cleartext_password, true);
    },
  });
  assert.ok(parsed > 10_000, `${parsed} parsed`);
});
