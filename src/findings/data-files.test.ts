/** The strict loaders of data/findings/: the bundled files load; malformed lines fail with `file:line: reason`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFindingsData, parseEolOs, parseServices, parseVendorDomains } from './data-files.js';

test('the bundled files load, with the expected anchors', () => {
  const d = loadFindingsData();
  assert.ok(d.eol.length >= 40);
  assert.equal(d.eol.find((r) => r.product === 'Windows 7')!.end_of_support, '2020-01-14');
  assert.equal(d.services.get('tcp/23')!.service, 'telnet');
  assert.equal(d.services.get('ip/50')!.tunnel, true);
  assert.deepEqual(d.vendors.get('bd')!.domains, ['bd.com', 'carefusion.com']);
});

test('eol-os.tsv: bad regex, bad date, non-URL source, duplicate product', () => {
  assert.throws(() => parseEolOs('x(\tP\t2020-01-01\thttps://a\n', 'e.tsv'), /^Error: e\.tsv:1: bad pattern/);
  assert.throws(() => parseEolOs('# c\nx\tP\t2020-02-30\thttps://a\n', 'e.tsv'), /^Error: e\.tsv:2: end_of_support 2020-02-30 is not a YYYY-MM-DD date/);
  assert.throws(() => parseEolOs('x\tP\t2020-01-01\tsomewhere\n', 'e.tsv'), /e\.tsv:1: source must be a URL/);
  assert.throws(() => parseEolOs('x\tP\t2020-01-01\thttps://a\ny\tP\t2021-01-01\thttps://b\n', 'e.tsv'), /e\.tsv:2: duplicate product P, already on line 1/);
  assert.throws(() => parseEolOs('x\tP\t2020-01-01\n', 'e.tsv'), /e\.tsv:1: 3 tab-separated fields, expected 4/);
  const [r] = parseEolOs('x\tP\t2020-01-01\thttps://a\n');
  assert.equal(r!.end_us, Date.UTC(2020, 0, 2) * 1000 - 1); // the whole end day is still supported
});

test('services.tsv: bad transport, port out of range, bad yes/no, duplicate transport+port', () => {
  const line = (t: string, p: string, yn = 'yes'): string => `${t}\t${p}\tsvc\t${yn}\tno\tno\tnote\n`;
  assert.throws(() => parseServices(line('sctp', '1'), 's.tsv'), /s\.tsv:1: transport sctp is not tcp, udp or ip/);
  assert.throws(() => parseServices(line('tcp', '70000'), 's.tsv'), /s\.tsv:1: port 70000 is not 0-65535/);
  assert.throws(() => parseServices(line('ip', '256'), 's.tsv'), /s\.tsv:1: port 256 is not 0-255/);
  assert.throws(() => parseServices(line('tcp', '1', 'maybe'), 's.tsv'), /s\.tsv:1: insecure must be yes or no, not maybe/);
  assert.throws(() => parseServices(line('tcp', '1') + line('tcp', '1'), 's.tsv'), /s\.tsv:2: duplicate service tcp\/1, already on line 1/);
  assert.equal(parseServices(line('tcp', '1') + line('udp', '1')).size, 2);
});

test('vendor-domains.tsv: bad domain, duplicate vendor (case-insensitive)', () => {
  assert.throws(() => parseVendorDomains('Acme\tAcme.com\tsrc\n', 'v.tsv'), /v\.tsv:1: "Acme\.com" is not a lower-case domain name/);
  assert.throws(() => parseVendorDomains('Acme\tacme.com\tsrc\nACME\tacme.net\tsrc\n', 'v.tsv'), /v\.tsv:2: duplicate vendor acme, already on line 1/);
});
