/**
 * Tests of the bounded XML tokenizer (xml.ts): XML 1.0 constructs (§2.5 comments, §2.6 PIs, §2.7 CDATA, §2.8
 * declaration, §3.1 tags and attributes, §4.1/§4.6 references), any chunking, malformed input, the token bound.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Prng } from '../../synth/prng.js';
import { MAX_TOKEN_BYTES, XML_ANOMALIES, type XmlHandler, XmlTokenizer } from './tokenizer.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** Tokenizes `chunks` and returns the events as strings. */
function events(...chunks: string[]): string[] {
  const out: string[] = [];
  const h: XmlHandler = {
    start: (n, a, sc) => out.push(`<${n}${[...a].map(([k, v]) => ` ${k}=${v}`).join('')}${sc ? '/' : ''}>`),
    end: (n) => out.push(`</${n}>`),
    declaration: (a) => out.push(`?xml${[...a].map(([k, v]) => ` ${k}=${v}`).join('')}`),
    text: (_b, nb) => { if (nb > 0) out.push(`text:${nb}`); },
    anomaly: (n, fatal) => out.push(`!${n}${fatal ? ' fatal' : ''}`),
  };
  const t = new XmlTokenizer(h);
  for (const c of chunks) { const b = enc(c); t.feed(b, 0, b.length); }
  return out;
}

const DOC = `<?xml version="1.0" encoding='UTF-8'?>\n<!-- a comment with <tags> -->\n<HEL.R01 a="1">\n  <HDR.control_id V="7"/>\n  <X V='a&gt;b&amp;c&#65;&#x42;' W="x'y"/>\n  <![CDATA[<not a tag>]]>\n</HEL.R01 >`;

test('tags, attributes, references, declaration, comments and CDATA', () => {
  assert.deepEqual(events(DOC), [
    '?xml version=1.0 encoding=UTF-8',
    '<HEL.R01 a=1>',
    '<HDR.control_id V=7/>',
    "<X V=a>b&cAB W=x'y/>",
    'text:11', // the CDATA section's characters
    '</HEL.R01>',
  ]);
});

test('the same events whatever the chunking (every split point, and byte by byte)', () => {
  const whole = events(DOC);
  for (let k = 1; k < DOC.length; k++) {
    const got = events(DOC.slice(0, k), DOC.slice(k)).filter((e) => !e.startsWith('text:'));
    assert.deepEqual(got, whole.filter((e) => !e.startsWith('text:')), `split at ${k}`);
  }
  assert.deepEqual(events(...DOC).filter((e) => !e.startsWith('text:')), whole.filter((e) => !e.startsWith('text:')));
});

test('a ">" inside a quoted attribute value does not end the tag', () => {
  assert.deepEqual(events('<A V="1>2" W=\'<\'/>'), ['<A V=1>2 W=</>']);
});

test('malformed constructs are reported and skipped', () => {
  assert.deepEqual(events('<1bad/>'), ['!bad_tag']);
  assert.deepEqual(events('<A V=1/>'), ['!bad_attribute', '<A/>']);
  assert.deepEqual(events('<A V="1" V="2"/>'), ['!duplicate_attribute', '<A V=1/>']);
  assert.deepEqual(events('<A V="&bogus;&#0;&#xD800;"/>'), ['!bad_entity', '!bad_entity', '!bad_entity', '<A V=&bogus;&#0;&#xD800;/>']);
  assert.deepEqual(events('<!DOCTYPE x [ <!ENTITY e "v"> ]><A/>'), ['!doctype', '<A/>']);
  assert.deepEqual(events('<?php echo 1 ?><A/>'), ['!processing_instruction', '<A/>']);
  assert.deepEqual(events('</A x>'), ['!bad_tag']);
  assert.deepEqual(events(`<A${Array.from({ length: 40 }, (_, i) => ` B${i}="1"`).join('')}/>`).slice(0, 1), ['!too_many_attributes']);
});

test(`a tag longer than MAX_TOKEN_BYTES stops the tokenizer`, () => {
  const ev = events(`<A V="${'x'.repeat(MAX_TOKEN_BYTES)}"/><B/>`);
  assert.deepEqual(ev, ['!token_too_long fatal']);
});

test('random input: never throws, only documented anomalies', () => {
  const rng = new Prng(11);
  const alphabet = '<>/?!-[]"\'= &;#xAV.HEL\n\x00\x1b\xff';
  const names = new Set(Object.keys(XML_ANOMALIES));
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let k = rng.int(0, 80); k > 0; k--) s += alphabet[rng.int(0, alphabet.length - 1)]!;
    for (const e of events(s)) if (e.startsWith('!')) assert.ok(names.has(e.slice(1).split(' ')[0]!), e);
  }
});
