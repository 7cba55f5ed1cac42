/**
 * Writers of the network map as JSON, GraphML or Graphviz DOT, one node or edge at a time (the exporter streams
 * rows from SQLite; nothing is held but the current record).
 *
 * - JSON: `{"format":"medtap-map","version":1,"filter":{…},"nodes":[…],"edges":[…]}`, one record per line.
 * - GraphML (http://graphml.graphdrawing.org/specification.html, GraphML Primer): `<key>` declarations for every
 *   attribute, then `<node>` and `<edge>` elements with `<data>`; text and attribute values XML-escaped, characters
 *   XML 1.0 does not allow (§2.2 Char) replaced by U+FFFD.
 * - DOT (https://graphviz.org/doc/info/lang.html): a `digraph`; every ID a double-quoted string in which `"` and
 *   `\` are escaped and line breaks written `\n`.
 */

import type { MapEdge } from './map-store.js';

/** Receives output text. */
export type TextSink = (s: string) => void;

/** A node of the map: an inventory device, or an address that is no device (multicast group, broadcast). */
export interface MapNode {
  /** `d<device id>` for devices, `ip:<address>` for bare addresses. */
  id: string;
  kind: 'device' | 'address';
  device_id: number | null;
  label: string;
  category: string | null;
  zone: string | null;
  vlan: number | null;
  ips: string[];
  /** Names seen for its addresses (DNS, TLS SNI, HTTP Host). */
  names: string[];
  /** Class of its main address (the key address for IP-keyed devices). */
  address_class: string | null;
  /** Outside the organisation's networks (a public address). */
  external: boolean;
}

/** An edge of the map (a MapEdge, see map-store.ts) with its end node ids: `d<device id>` or `ip:<address>`. */
export type MapGraphEdge = Omit<MapEdge, 'id' | 'client_device_id' | 'server_device_id' | 'server_ip' | 'server_address_class' | 'proto_number'>
  & { id: string; source: string; target: string };

/** Map output formats. */
export const MAP_FORMATS = ['json', 'graphml', 'dot'] as const;
/** One output format. */
export type MapFormat = (typeof MAP_FORMATS)[number];

/** A streaming graph writer. */
export interface GraphWriter {
  begin(filter: Record<string, unknown>): void;
  node(n: MapNode): void;
  /** Called once, after the last node and before the first edge. */
  edgesStart(): void;
  edge(e: MapGraphEdge): void;
  end(): void;
}

/** The writer of a format. */
export function graphWriter(format: MapFormat, out: TextSink): GraphWriter {
  switch (format) {
    case 'json': return new JsonGraphWriter(out);
    case 'graphml': return new GraphmlWriter(out);
    case 'dot': return new DotWriter(out);
  }
}

class JsonGraphWriter implements GraphWriter {
  private first = true;
  constructor(private readonly out: TextSink) {}
  begin(filter: Record<string, unknown>): void {
    this.out(`{"format":"medtap-map","version":1,"filter":${JSON.stringify(filter)},\n"nodes":[`);
  }
  private item(v: unknown): void {
    this.out(`${this.first ? '\n' : ',\n'}${JSON.stringify(v)}`);
    this.first = false;
  }
  node(n: MapNode): void {
    this.item(n);
  }
  edgesStart(): void {
    this.out('\n],\n"edges":[');
    this.first = true;
  }
  edge(e: MapGraphEdge): void {
    this.item(e);
  }
  end(): void {
    this.out('\n]}\n');
  }
}

// XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an XML element or a double- or single-quoted attribute value. */
export function xmlEscape(s: string): string {
  return s.replace(XML_INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** GraphML attribute declarations: [for, id, type]. */
const GRAPHML_KEYS: readonly (readonly ['node' | 'edge', string, 'string' | 'int' | 'long' | 'boolean'])[] = [
  ['node', 'kind', 'string'], ['node', 'device_id', 'long'], ['node', 'label', 'string'], ['node', 'category', 'string'],
  ['node', 'zone', 'string'], ['node', 'vlan', 'int'], ['node', 'ips', 'string'], ['node', 'names', 'string'],
  ['node', 'address_class', 'string'], ['node', 'external', 'boolean'],
  ['edge', 'proto', 'string'], ['edge', 'server_port', 'int'], ['edge', 'app_proto', 'string'], ['edge', 'encrypted', 'boolean'],
  ['edge', 'phi_kinds', 'string'], ['edge', 'cleartext_credentials', 'string'], ['edge', 'flows', 'long'], ['edge', 'connections', 'long'],
  ['edge', 'packets', 'long'], ['edge', 'bytes', 'long'], ['edge', 'first_seen', 'string'], ['edge', 'last_seen', 'string'],
];

/** `<data>` elements of a record's non-null values (lists joined with spaces… or commas where items may hold spaces). */
function graphmlData(prefix: 'n' | 'e', rec: Record<string, unknown>, skip: ReadonlySet<string>): string {
  let s = '';
  for (const [k, v] of Object.entries(rec)) {
    if (skip.has(k) || v === null || (Array.isArray(v) && v.length === 0)) continue;
    const text = Array.isArray(v) ? v.join(',') : String(v);
    s += `<data key="${prefix}_${k}">${xmlEscape(text)}</data>`;
  }
  return s;
}

const NODE_SKIP: ReadonlySet<string> = new Set(['id']);
const EDGE_SKIP: ReadonlySet<string> = new Set(['id', 'source', 'target']);

class GraphmlWriter implements GraphWriter {
  constructor(private readonly out: TextSink) {}
  begin(filter: Record<string, unknown>): void {
    const keys = GRAPHML_KEYS.map(([f, id, t]) => `  <key id="${f[0]}_${id}" for="${f}" attr.name="${id}" attr.type="${t}"/>`).join('\n');
    this.out(`<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ` +
      `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns ` +
      `http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n${keys}\n` +
      `  <graph id="medtap" edgedefault="directed">\n  <desc>${xmlEscape(`medtap network map; filter ${JSON.stringify(filter)}`)}</desc>\n`);
  }
  node(n: MapNode): void {
    this.out(`  <node id="${xmlEscape(n.id)}">${graphmlData('n', n as unknown as Record<string, unknown>, NODE_SKIP)}</node>\n`);
  }
  edgesStart(): void {}
  edge(e: MapGraphEdge): void {
    this.out(`  <edge id="${xmlEscape(e.id)}" source="${xmlEscape(e.source)}" target="${xmlEscape(e.target)}">` +
      `${graphmlData('e', e as unknown as Record<string, unknown>, EDGE_SKIP)}</edge>\n`);
  }
  end(): void {
    this.out('  </graph>\n</graphml>\n');
  }
}

/** A DOT double-quoted string (`"` and `\` escaped, line breaks as `\n`, other control characters dropped). */
export function dotQuote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|\r|\n/g, '\\n').replace(/[\u0000-\u001f\u007f]/g, '')}"`;
}

/** The edge label of the DOT output: application protocol (else IP protocol) and port, then findings. */
function dotEdgeLabel(e: MapGraphEdge): string {
  const what = `${e.app_proto ?? e.proto}${e.server_port === null ? '' : `/${e.server_port}`}`;
  const marks = [e.encrypted === true ? 'enc' : e.encrypted === false ? 'clear' : '', e.phi_kinds.length > 0 ? 'PHI' : '',
    e.cleartext_credentials.length > 0 ? 'creds' : ''].filter(Boolean);
  return marks.length === 0 ? what : `${what} [${marks.join(',')}]`;
}

class DotWriter implements GraphWriter {
  constructor(private readonly out: TextSink) {}
  begin(filter: Record<string, unknown>): void {
    this.out(`// medtap network map; filter ${JSON.stringify(filter).replace(/[\r\n]/g, ' ')}\ndigraph medtap {\n  node [shape=box];\n`);
  }
  node(n: MapNode): void {
    const label = [n.label, n.category ?? '', n.zone === null ? '' : `zone ${n.zone}`].filter(Boolean).join('\n');
    const attrs = [`label=${dotQuote(label)}`];
    if (n.external) attrs.push('shape=ellipse', 'style=dashed');
    else if (n.kind === 'address') attrs.push('shape=ellipse');
    this.out(`  ${dotQuote(n.id)} [${attrs.join(', ')}];\n`);
  }
  edgesStart(): void {}
  edge(e: MapGraphEdge): void {
    const attrs = [`label=${dotQuote(dotEdgeLabel(e))}`];
    if (e.phi_kinds.length > 0 || e.cleartext_credentials.length > 0) attrs.push('color=red');
    this.out(`  ${dotQuote(e.source)} -> ${dotQuote(e.target)} [${attrs.join(', ')}];\n`);
  }
  end(): void {
    this.out('}\n');
  }
}
