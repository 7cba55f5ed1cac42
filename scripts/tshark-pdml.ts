/**
 * Reading tshark's PDML output (`-T pdml`, "Packet Details Markup Language") into a tree, for baseline generators
 * that need a dissection's structure (which field belongs to which message, certificate or extension) rather than
 * `-T fields`' flat per-frame lists. tshark writes one element per line with the attributes `name`, `show`,
 * `showname`, `value`; only `<packet>`, `<proto>` and `<field>` elements are kept. Not a general XML parser.
 */

/** One `<proto>` or `<field>` element. */
export interface PdmlNode {
  name: string;
  /** The displayed value (`show`), entity-decoded ('' when absent). */
  show: string;
  /** The tree label (`showname`), possibly truncated by tshark. */
  showname: string;
  /** The raw bytes as hex (`value`), '' when absent. */
  value: string;
  children: PdmlNode[];
}

/** XML character references and the five predefined entities. */
function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|quot|amp|lt|gt|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ quot: '"', amp: '&', lt: '<', gt: '>', apos: "'" } as Record<string, string>)[e]!;
  });
}

const TAG = /<(\/?)(packet|proto|field)\b((?:[^>"]|"[^"]*")*?)(\/?)>/g;
const ATTR = /([a-z]+)="([^"]*)"/g;

/** The attributes of one start tag. */
function attributes(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of s.matchAll(ATTR)) out[m[1]!] = decodeEntities(m[2]!);
  return out;
}

/**
 * The packets of a PDML document, each as a node named `packet` whose children are its protocols.
 * @throws on unbalanced tags.
 */
export function parsePdml(text: string): PdmlNode[] {
  const packets: PdmlNode[] = [];
  const stack: PdmlNode[] = [];
  for (const m of text.matchAll(TAG)) {
    const [, close, tag, attrs, selfClose] = m;
    if (close) {
      const done = stack.pop();
      if (done === undefined) throw new Error(`PDML: unbalanced </${tag}>`);
      if (tag === 'packet') packets.push(done);
      continue;
    }
    const a = attributes(attrs!);
    const node: PdmlNode = { name: tag === 'packet' ? 'packet' : a.name ?? '', show: a.show ?? '', showname: a.showname ?? '', value: a.value ?? '', children: [] };
    stack[stack.length - 1]?.children.push(node);
    if (!selfClose) stack.push(node);
  }
  if (stack.length !== 0) throw new Error('PDML: unclosed element');
  return packets;
}

/** Every descendant of `n` (depth first, document order) for which `match` holds; `prune` stops the descent into a node. */
export function descendants(n: PdmlNode, match: (d: PdmlNode) => boolean, prune: (d: PdmlNode) => boolean = () => false): PdmlNode[] {
  const out: PdmlNode[] = [];
  const walk = (x: PdmlNode): void => {
    for (const c of x.children) {
      if (match(c)) out.push(c);
      if (!prune(c)) walk(c);
    }
  };
  walk(n);
  return out;
}

/** The `show` values of the descendants of `n` named `name`, in order. */
export function shows(n: PdmlNode, name: string, prune?: (d: PdmlNode) => boolean): string[] {
  return descendants(n, (d) => d.name === name, prune).map((d) => d.show);
}

/** The first descendant of `n` named `name`, or undefined. */
export function first(n: PdmlNode, name: string): PdmlNode | undefined {
  return descendants(n, (d) => d.name === name)[0];
}
