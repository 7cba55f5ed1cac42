/**
 * Map writers: hostile text (quotes, angle brackets, ampersands, backslashes, newlines, control characters) in
 * labels and names must keep GraphML well-formed XML and DOT valid. GraphML output is read back by a small XML
 * reader (elements, attributes, entities) and checked node for node; DOT is checked statement by statement.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { dotQuote, graphWriter, type MapFormat, type MapGraphEdge, type MapNode, xmlEscape } from './map-formats.js';

const HOSTILE = 'a"b\'c<d>&e\\f\ng\u0001h';
const node = (id: string, label: string): MapNode => ({ id, kind: 'device', device_id: 1, label, category: 'infusion-pump', zone: 'ICU "A"',
  vlan: 10, ips: ['10.0.0.1'], names: ['x&y.example'], address_class: 'private', external: false });
const edge: MapGraphEdge = { id: 'e1', source: 'd1', target: 'ip:8.8.8.8', proto: 'tcp', server_port: 2575, app_proto: 'hl7', encrypted: false,
  phi_kinds: ['hl7:PID:name'], cleartext_credentials: ['telnet'], flows: 2, connections: 2, packets: 10, bytes: 1000, first_seen: null, last_seen: null };

function render(format: MapFormat): string {
  let s = '';
  const w = graphWriter(format, (t) => { s += t; });
  w.begin({ zone: HOSTILE });
  w.node(node('d1', HOSTILE));
  w.node(node('ip:8.8.8.8', 'plain'));
  w.edgesStart();
  w.edge(edge);
  w.end();
  return s;
}

/** An element read back: name, attributes, text, children. */
interface XmlElement { name: string; attrs: Record<string, string>; text: string; children: XmlElement[] }

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Decodes the five predefined entities; throws on any other `&`. */
function decode(s: string): string {
  return s.replace(/&([a-z]+);|&/g, (m, name: string | undefined) => {
    if (name === undefined || ENTITIES[name] === undefined) throw new Error(`bare or unknown entity in ${JSON.stringify(s)}`);
    return ENTITIES[name]!;
  });
}

/** Reads a well-formed XML document (no DTD, comments or CDATA): throws on any well-formedness error. */
function readXml(doc: string): XmlElement {
  let i = doc.startsWith('<?xml') ? doc.indexOf('?>') + 2 : 0;
  const root: XmlElement = { name: '#doc', attrs: {}, text: '', children: [] };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  while (i < doc.length) {
    const lt = doc.indexOf('<', i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    if (/[<>]/.test(text.replace(/&[a-z]+;/g, ''))) throw new Error('stray angle bracket');
    stack[stack.length - 1]!.text += decode(text);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(doc);
    if (m === null) throw new Error(`malformed tag at ${lt}: ${doc.slice(lt, lt + 60)}`);
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop()!;
      if (open.name !== name) throw new Error(`</${name}> closes <${open.name}>`);
    } else {
      const attrs: Record<string, string> = {};
      for (const a of attrText!.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1]! in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]!] = decode(a[2] ?? a[3]!);
      }
      const el: XmlElement = { name: name!, attrs, text: '', children: [] };
      stack[stack.length - 1]!.children.push(el);
      if (!selfClose) stack.push(el);
    }
    i = tag.lastIndex;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1) throw new Error('not exactly one root element');
  return root.children[0]!;
}

test('xmlEscape: the five special characters, and characters XML 1.0 forbids', () => {
  assert.equal(xmlEscape('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  assert.equal(xmlEscape('a\u0001b\u0000c\td'), 'a\uFFFDb\uFFFDc\td');
});

test('GraphML is well-formed and reads back: keys declared, nodes, edge ends and data values intact', () => {
  const g = readXml(render('graphml'));
  assert.equal(g.name, 'graphml');
  const keys = new Set(g.children.filter((c) => c.name === 'key').map((k) => k.attrs['id']));
  const graph = g.children.find((c) => c.name === 'graph')!;
  assert.equal(graph.attrs['edgedefault'], 'directed');
  const nodes = graph.children.filter((c) => c.name === 'node');
  assert.deepEqual(nodes.map((n) => n.attrs['id']), ['d1', 'ip:8.8.8.8']);
  const data = (el: XmlElement, k: string): string | undefined => el.children.find((d) => d.attrs['key'] === k)?.text;
  for (const el of [...nodes, ...graph.children.filter((c) => c.name === 'edge')]) {
    for (const d of el.children) assert.ok(keys.has(d.attrs['key']), `undeclared key ${d.attrs['key']}`);
  }
  assert.equal(data(nodes[0]!, 'n_label'), 'a"b\'c<d>&e\\f\ng\uFFFDh');
  assert.equal(data(nodes[0]!, 'n_zone'), 'ICU "A"');
  assert.equal(data(nodes[0]!, 'n_names'), 'x&y.example');
  const e = graph.children.find((c) => c.name === 'edge')!;
  assert.deepEqual([e.attrs['source'], e.attrs['target']], ['d1', 'ip:8.8.8.8']);
  assert.equal(data(e, 'e_app_proto'), 'hl7');
  assert.equal(data(e, 'e_encrypted'), 'false');
  assert.equal(data(e, 'e_phi_kinds'), 'hl7:PID:name');
  assert.equal(data(e, 'e_first_seen'), undefined, 'null values are omitted');
});

test('the XML reader used above rejects broken documents (the check can fail)', () => {
  assert.throws(() => readXml('<a><b></a></b>'));
  assert.throws(() => readXml('<a x="1"&></a>'));
  assert.throws(() => readXml('<a>x & y</a>'));
  assert.throws(() => readXml('<a>'));
});

test('DOT: one digraph, every id and label a quoted string with quotes, backslashes and newlines escaped', () => {
  assert.equal(dotQuote('a"b\\c\nd\u0001'), '"a\\"b\\\\c\\nd"');
  const dot = render('dot');
  const lines = dot.trimEnd().split('\n');
  assert.match(lines[0]!, /^\/\/ /);
  assert.equal(lines[1], 'digraph medtap {');
  assert.equal(lines[lines.length - 1], '}');
  const quoted = '"(?:[^"\\\\\\n]|\\\\.)*"';
  const stmt = new RegExp(`^  (?:node \\[shape=box\\]|${quoted}(?: -> ${quoted})? \\[(?:[a-z]+=(?:${quoted}|[a-z]+))(?:, [a-z]+=(?:${quoted}|[a-z]+))*\\]);$`);
  for (const l of lines.slice(2, -1)) assert.match(l, stmt);
  assert.ok(lines.some((l) => l.startsWith('  "d1" -> "ip:8.8.8.8" [label="hl7/2575 [clear,PHI,creds]"')));
});

test('JSON: one document with the filter, nodes and edges', () => {
  const j = JSON.parse(render('json')) as { filter: { zone: string }; nodes: MapNode[]; edges: MapGraphEdge[] };
  assert.equal(j.filter.zone, HOSTILE);
  assert.equal(j.nodes.length, 2);
  assert.equal(j.nodes[0]!.label, HOSTILE);
  assert.deepEqual(j.edges[0], edge);
});
