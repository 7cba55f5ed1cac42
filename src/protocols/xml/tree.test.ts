/**
 * Tests of the bounded element tree (tree.ts): Namespaces in XML 1.0 §3 (declarations), §5.1 (scope), §5.2 (default
 * namespace), the reserved `xml` prefix; QNames in content; text with references; the bounds; truncated documents;
 * random mutations.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Prng } from '../../synth/prng.js';
import { mutate } from '../mutation-harness.js';
import {
  childElement, findElement, MAX_DEPTH, MAX_ELEMENTS, MAX_TEXT_BYTES, parseXmlTree, resolveQName, trimmedText, XML_NAMESPACE, XML_TREE_ANOMALIES,
} from './tree.js';

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const tree = (s: string): ReturnType<typeof parseXmlTree> => parseXmlTree(enc(s), 0, enc(s).length);

test('prefixes resolve in scope (§5.1), the default namespace applies to unprefixed elements (§5.2), xml is reserved', () => {
  const d = tree('<?xml version="1.0"?><a:root xmlns:a="urn:a" xmlns="urn:d"><child xml:lang="en"><a:x xmlns:a="urn:other">v</a:x></child><a:y/></a:root>');
  assert.equal(d.complete, true);
  assert.deepEqual(d.anomalies, []);
  const root = d.root!;
  assert.deepEqual([root.ns, root.local, root.qname], ['urn:a', 'root', 'a:root']);
  const child = root.children[0]!;
  assert.deepEqual([child.ns, child.local], ['urn:d', 'child']);
  assert.equal(child.attrs.get('xml:lang'), 'en');
  assert.equal(child.scope.get('xml'), XML_NAMESPACE);
  assert.deepEqual([child.children[0]!.ns, child.children[0]!.text], ['urn:other', 'v']); // redeclared inside
  assert.equal(root.children[1]!.ns, 'urn:a'); // back in the outer scope
  assert.equal(childElement(root, ['urn:a'], 'y')?.local, 'y');
  assert.equal(findElement(root, ['urn:other'], 'x')?.text, 'v');
});

test('QNames in content resolve with the declarations in scope (Clark notation); an undeclared prefix gives null', () => {
  const d = tree('<r xmlns:p="urn:p" xmlns="urn:d"><t>p:Thing</t></r>');
  const t = d.root!.children[0]!;
  assert.equal(resolveQName(t, 'p:Thing'), '{urn:p}Thing');
  assert.equal(resolveQName(t, 'Plain'), '{urn:d}Plain');
  assert.equal(resolveQName(t, 'q:Other'), null);
  assert.ok(tree('<q:r/>').anomalies.includes('undeclared_prefix'));
});

test('text: references decoded (XML 1.0 §4.1, §4.6), split runs joined, children\'s text kept apart', () => {
  const d = tree('<r>a &amp; b &#x41;<c>inner</c> tail </r>');
  assert.equal(d.root!.text, 'a & b A tail ');
  assert.equal(trimmedText(d.root!), 'a & b A tail');
  assert.equal(d.root!.children[0]!.text, 'inner');
});

test('a document cut short is closed as far as it goes and flagged unclosed_element; no element gives no_root', () => {
  const d = tree('<r><a>text</a><b>par');
  assert.equal(d.complete, false);
  assert.deepEqual(d.anomalies, ['unclosed_element']);
  assert.equal(d.root!.children[1]!.text, 'par');
  assert.deepEqual(tree('just text').anomalies.sort(), ['content_outside_root', 'no_root']);
});

test('malformed structure: mismatched end tag, content after the root', () => {
  assert.ok(tree('<r><a></b></r>').anomalies.includes('mismatched_end_tag'));
  assert.ok(tree('<r/><s/>').anomalies.includes('content_outside_root'));
  assert.ok(tree('<r/>trailing').anomalies.includes('content_outside_root'));
});

test('bounds: depth, element count and text size', () => {
  const deep = '<e>'.repeat(MAX_DEPTH + 5) + '</e>'.repeat(MAX_DEPTH + 5);
  const d = tree(deep);
  assert.ok(d.anomalies.includes('too_deep'));
  assert.equal(d.complete, true);
  let depth = 0;
  for (let e = d.root ?? undefined; e !== undefined; e = e.children[0]) depth++;
  assert.equal(depth, MAX_DEPTH);
  const many = tree(`<r>${'<i/>'.repeat(MAX_ELEMENTS + 3)}</r>`);
  assert.ok(many.anomalies.includes('too_many_elements'));
  assert.equal(many.root!.children.length, MAX_ELEMENTS - 1);
  const long = tree(`<r>${'x'.repeat(MAX_TEXT_BYTES + 10)}</r>`);
  assert.ok(long.anomalies.includes('long_text'));
  assert.equal(long.root!.text.length, MAX_TEXT_BYTES);
});

test('never reads outside [off, off+len): the same result inside a larger buffer', () => {
  const s = enc('<r xmlns="urn:x"><a>1</a></r>');
  const framed = new Uint8Array(s.length + 20).fill(0x3c);
  framed.set(s, 7);
  assert.deepEqual(JSON.stringify(parseXmlTree(framed, 7, s.length)), JSON.stringify(parseXmlTree(s, 0, s.length)));
});

test('random mutations never throw and report only documented anomalies', () => {
  const base = enc('<?xml version="1.0"?><s:E xmlns:s="urn:s"><s:H><a x="1">t &amp; u</a></s:H><s:B><b><![CDATA[c]]></b><!-- c --></s:B></s:E>');
  const rng = new Prng(3702);
  for (let i = 0; i < 5000; i++) {
    const m = mutate(rng, base, [0x3c, 0x3e, 0x2f, 0x3a, 0x26, 0x3b, 0x22, 0x21, 0x3f]);
    const d = parseXmlTree(m, 0, m.length);
    for (const a of d.anomalies) assert.ok(a in XML_TREE_ANOMALIES, a);
  }
});
