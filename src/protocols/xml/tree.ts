/**
 * A bounded element tree of one small XML document (a SOAP-over-UDP datagram, an HTTP body of at most a few tens of
 * KiB), built on the shared tokenizer (tokenizer.ts), with XML namespaces resolved: every element carries its
 * namespace name and local part, and the prefix declarations in scope (to resolve QNames written in content, such
 * as WS-Discovery Types). Pure: no state, no I/O, never throws; element count, depth and kept text are bounded.
 *
 * Specs: XML 1.0 (Fifth Edition) §2.1 (one root element), §2.4 (character data), §3.1 (start and end tags must
 * match); Namespaces in XML 1.0 (Third Edition) §3 (xmlns / xmlns:prefix declarations), §5.1 (scope), §5.2 (default
 * namespace, not applied to unprefixed attributes), the reserved prefix `xml` (§3).
 */
import { decodeAttribute, type XmlHandler, XmlTokenizer, XML_ANOMALIES } from './tokenizer.js';

/** Elements kept per document; the rest are not read (`too_many_elements`). */
export const MAX_ELEMENTS = 4096;
/** Nesting depth kept; deeper elements are skipped (`too_deep`). */
export const MAX_DEPTH = 48;
/** Character data kept per element, in bytes before decoding; more is cut (`long_text`). */
export const MAX_TEXT_BYTES = 4096;

/** The namespace name of the reserved prefix `xml`. */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Anomaly names of a tree (the tokenizer's too). */
export const XML_TREE_ANOMALIES = {
  ...XML_ANOMALIES,
  /** An end tag that does not close the open element. */
  mismatched_end_tag: 'end tag not matching the open element',
  /** Elements nested deeper than MAX_DEPTH (skipped). */
  too_deep: 'nesting deeper than MAX_DEPTH',
  /** More than MAX_ELEMENTS elements (the rest not read). */
  too_many_elements: 'more elements than MAX_ELEMENTS',
  /** An element's text longer than MAX_TEXT_BYTES (cut). */
  long_text: 'element text longer than MAX_TEXT_BYTES, cut',
  /** The input ended before the root element was closed (a truncated document). */
  unclosed_element: 'document ended inside an element',
  /** Non-blank text, or a second element, outside the root element. */
  content_outside_root: 'text or element outside the root element',
  /** An element or attribute prefix with no namespace declaration in scope. */
  undeclared_prefix: 'prefix not declared',
  /** No element at all. */
  no_root: 'no root element',
} as const;

/** One element. */
export interface XmlElement {
  /** Namespace name ('' for none). */
  ns: string;
  /** Local part of the name. */
  local: string;
  /** The name as written (with its prefix). */
  qname: string;
  /** Attributes as written (names with prefixes), values decoded; namespace declarations included. */
  attrs: ReadonlyMap<string, string>;
  /** Child elements in document order. */
  children: XmlElement[];
  /** Its own character data (not its children's), references decoded, as wire text; at most MAX_TEXT_BYTES. */
  text: string;
  /** Namespace prefixes in scope ('' is the default namespace). */
  scope: ReadonlyMap<string, string>;
}

/** A parsed document. */
export interface XmlDocument {
  /** The root element, null if none was seen. */
  root: XmlElement | null;
  /** The root element was closed (the document is complete). */
  complete: boolean;
  /** Anomaly names (XML_TREE_ANOMALIES), without repeats. */
  anomalies: string[];
}

/** Splits `prefix:local` (no prefix: ''). */
function splitQName(q: string): [string, string] {
  const i = q.indexOf(':');
  return i < 0 ? ['', q] : [q.slice(0, i), q.slice(i + 1)];
}

/** The namespace scope of an element given its attributes, sharing the parent's map when it declares nothing. */
function scopeOf(parent: ReadonlyMap<string, string>, attrs: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let scope: Map<string, string> | null = null;
  for (const [k, v] of attrs) {
    if (k !== 'xmlns' && !k.startsWith('xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(k === 'xmlns' ? '' : k.slice(6), v);
  }
  return scope ?? parent;
}

const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', XML_NAMESPACE]]);

/** Builds the tree from tokenizer events. */
class TreeBuilder implements XmlHandler {
  readonly anomalies = new Set<string>();
  root: XmlElement | null = null;
  complete = false;
  private readonly stack: XmlElement[] = [];
  private readonly textParts: { bytes: number[]; cut: boolean }[] = [];
  private count = 0;
  /** Depth of skipped elements below the kept ones (too deep, or over the element budget). */
  private skipped = 0;

  start(qname: string, attrs: ReadonlyMap<string, string>, selfClosing: boolean): void {
    if (this.skipped > 0 || this.stack.length >= MAX_DEPTH || this.count >= MAX_ELEMENTS || (this.root !== null && this.stack.length === 0)) {
      if (this.stack.length >= MAX_DEPTH) this.anomalies.add('too_deep');
      else if (this.count >= MAX_ELEMENTS) this.anomalies.add('too_many_elements');
      else if (this.skipped === 0) this.anomalies.add('content_outside_root');
      if (!selfClosing) this.skipped++;
      return;
    }
    this.count++;
    const parent = this.stack[this.stack.length - 1];
    const scope = scopeOf(parent?.scope ?? ROOT_SCOPE, attrs);
    const [prefix, local] = splitQName(qname);
    const ns = scope.get(prefix);
    if (ns === undefined && prefix !== '') this.anomalies.add('undeclared_prefix');
    const el: XmlElement = { ns: ns ?? '', local, qname, attrs, children: [], text: '', scope };
    if (parent === undefined) this.root = el;
    else parent.children.push(el);
    if (selfClosing) {
      if (parent === undefined) this.complete = true;
      return;
    }
    this.stack.push(el);
    this.textParts.push({ bytes: [], cut: false });
  }

  end(qname: string): void {
    if (this.skipped > 0) { this.skipped--; return; }
    const el = this.stack[this.stack.length - 1];
    if (el === undefined) { this.anomalies.add('content_outside_root'); return; }
    if (el.qname !== qname) this.anomalies.add('mismatched_end_tag');
    this.close();
  }

  /** Closes the innermost open element, decoding its text. */
  private close(): void {
    const el = this.stack.pop()!;
    const t = this.textParts.pop()!;
    if (t.bytes.length > 0) {
      const b = Uint8Array.from(t.bytes);
      el.text = decodeAttribute(b, 0, b.length, (n) => this.anomalies.add(n));
    }
    if (this.stack.length === 0) this.complete = true;
  }

  declaration(): void {
    // The declaration's encoding is not acted upon: text is decoded as UTF-8 when valid, else Latin-1 (wire text).
  }

  text(_bytes: number, nonBlank: number): void {
    if (nonBlank > 0 && this.stack.length === 0 && this.skipped === 0) this.anomalies.add('content_outside_root');
  }

  chars(b: Uint8Array, start: number, end: number): void {
    const t = this.textParts[this.textParts.length - 1];
    if (t === undefined || this.skipped > 0) return;
    const room = MAX_TEXT_BYTES - t.bytes.length;
    if (end - start > room) {
      if (!t.cut) this.anomalies.add('long_text');
      t.cut = true;
      end = start + room;
    }
    for (let i = start; i < end; i++) t.bytes.push(b[i]!);
  }

  anomaly(name: string): void {
    this.anomalies.add(name);
  }

  /** The input is over: closes what is still open (a truncated document). */
  finish(): void {
    if (this.root === null) this.anomalies.add('no_root');
    else if (this.stack.length > 0) this.anomalies.add('unclosed_element');
    while (this.stack.length > 0) this.close();
  }
}

/** Parses the XML document b[off, off+len) into a bounded element tree. Never throws. */
export function parseXmlTree(b: Uint8Array, off: number, len: number): XmlDocument {
  off = Math.max(0, Math.min(off, b.length));
  len = Math.max(0, Math.min(len, b.length - off));
  const t = new TreeBuilder();
  new XmlTokenizer(t).feed(b, off, len);
  const wasComplete = t.complete;
  t.finish();
  return { root: t.root, complete: wasComplete && t.root !== null, anomalies: [...t.anomalies] };
}

/** The first child of `el` with namespace `ns` (one of `ns` when an array) and local name `local`, or undefined. */
export function childElement(el: XmlElement | undefined, ns: string | readonly string[], local: string): XmlElement | undefined {
  if (el === undefined) return undefined;
  for (const c of el.children) if (c.local === local && (typeof ns === 'string' ? c.ns === ns : ns.includes(c.ns))) return c;
  return undefined;
}

/** Every child of `el` with namespace `ns` (one of `ns` when an array) and local name `local`. */
export function childElements(el: XmlElement | undefined, ns: string | readonly string[], local: string): XmlElement[] {
  if (el === undefined) return [];
  return el.children.filter((c) => c.local === local && (typeof ns === 'string' ? c.ns === ns : ns.includes(c.ns)));
}

/** The first element of `el`'s subtree (itself included, breadth first) with one of the namespaces and the local name. */
export function findElement(el: XmlElement | undefined, ns: readonly string[], local: string): XmlElement | undefined {
  if (el === undefined) return undefined;
  const todo: XmlElement[] = [el];
  for (let i = 0; i < todo.length; i++) {
    const e = todo[i]!;
    if (e.local === local && ns.includes(e.ns)) return e;
    todo.push(...e.children);
  }
  return undefined;
}

/** A QName written in content (`prefix:local` or `local`), resolved in `el`'s scope: `{namespace}local` (Clark notation), or null if its prefix is undeclared. */
export function resolveQName(el: XmlElement, q: string): string | null {
  const [prefix, local] = splitQName(q);
  const ns = el.scope.get(prefix);
  if (ns === undefined) return prefix === '' ? local : null;
  return ns === '' ? local : `{${ns}}${local}`;
}

/** An element's text with leading and trailing XML white space removed (null for a missing element). */
export function trimmedText(el: XmlElement | undefined): string | null {
  return el === undefined ? null : el.text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** `v` cut to `max` characters; a cut notes the anomaly `long_value` in `anomalies` (once). */
export function cutText(v: string | null, max: number, anomalies: string[]): string | null {
  if (v === null || v.length <= max) return v;
  if (!anomalies.includes('long_value')) anomalies.push('long_value');
  return v.slice(0, max);
}
