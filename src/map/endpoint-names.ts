/**
 * Names seen for IP addresses, so the map can show `pacs.vendor.example` instead of a bare address: DNS, mDNS and
 * LLMNR A/AAAA answers (the owner name and the question asked), the TLS SNI a client sent to the address, and the
 * HTTP Host header of requests sent to it. Collected during an ingest (bounded) and merged into `endpoint_names`.
 */
import type Database from 'better-sqlite3';
import type { Observation } from '../observe/observation.js';
import { parseIp } from './ip-text.js';
import { prepared } from '../inventory/prepared.js';
import { remembered } from '../memo/bounded-memo.js';

/** Distinct (name, source) pairs kept per address. */
export const MAX_NAMES_PER_IP = 16;
/** Addresses named per ingest (beyond it new addresses are counted in `dropped`). */
export const MAX_NAMED_IPS = 100_000;
/** Longest name kept (RFC 1035 §2.3.4: 255 octets on the wire, 253 characters as text). */
export const MAX_NAME_LENGTH = 253;

/** Where a name comes from. */
export type NameSource = 'dns' | 'mdns' | 'llmnr' | 'tls_sni' | 'http_host';

/** A name seen for an address, with its span. */
export interface EndpointName {
  ip: string;
  name: string;
  source: NameSource;
  first: number;
  last: number;
}

/** A name normalised for storage (lower case, no trailing dot), or null when empty, too long or an address. */
export function normaliseName(raw: string): string | null {
  const n = raw.trim().replace(/\.$/, '').toLowerCase();
  if (n.length === 0 || n.length > MAX_NAME_LENGTH || parseIp(n) !== null) return null;
  if (/[\u0000-\u001f\u007f\s]/.test(n)) return null;
  return n;
}

/** Most raw names whose normaliseName result is remembered (the same names recur in every lookup); emptied when full. */
const MAX_REMEMBERED_NAMES = 65_536;
const normalised = new Map<string, string | null>();

/** normaliseName(raw), remembered. */
const normalisedName = (raw: string): string | null => remembered(normalised, MAX_REMEMBERED_NAMES, raw, normaliseName);

/** The host of an HTTP Host header value (port and IPv6 brackets removed). */
function hostOfHeader(h: string): string {
  if (h.startsWith('[')) return h.slice(1, Math.max(1, h.indexOf(']')));
  const colon = h.lastIndexOf(':');
  return colon > 0 && /^\d+$/.test(h.slice(colon + 1)) ? h.slice(0, colon) : h;
}

/** Collects endpoint names from observations during one ingest. */
export class EndpointNameCollector {
  /** ip -> its names, in the order first seen (at most MAX_NAMES_PER_IP: a short list scanned by source and name) */
  private readonly byIp = new Map<string, EndpointName[]>();
  /** Names not kept (address limit or per-address limit reached). */
  dropped = 0;

  /** Feeds one observation. */
  observe(o: Observation): void {
    switch (o.kind) {
      case 'dns': {
        if (!o.msg.qr) return;
        const question = o.msg.questions[0]?.name ?? null;
        for (const r of o.msg.answers) {
          if ((r.type !== 1 && r.type !== 28) || typeof r.rdata !== 'string') continue;
          const source: NameSource = o.msg.service;
          if (r.name !== null) this.add(r.rdata, r.name, source, o.ctx.ts_us);
          if (question !== null && question !== r.name) this.add(r.rdata, question, source, o.ctx.ts_us);
        }
        return;
      }
      case 'tls':
        if (o.msg.server_name !== null) this.add(o.ctx.dst_ip, o.msg.server_name, 'tls_sni', o.ctx.ts_us);
        return;
      case 'http':
        if (o.msg.host !== null) this.add(o.ctx.dst_ip, hostOfHeader(o.msg.host), 'http_host', o.ctx.ts_us);
        return;
      default:
        return;
    }
  }

  /** Records that `rawName` names `ip` (from `source`, at `ts` µs). */
  add(ip: string, rawName: string, source: NameSource, ts: number): void {
    const name = normalisedName(rawName);
    if (name === null) return;
    let list = this.byIp.get(ip);
    if (list === undefined) {
      if (parseIp(ip) === null) return; // (an address already in byIp was checked when it was added)
      if (this.byIp.size >= MAX_NAMED_IPS) {
        this.dropped++;
        return;
      }
      list = [];
      this.byIp.set(ip, list);
    }
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.name !== name || e.source !== source) continue;
      if (ts < e.first) e.first = ts;
      if (ts > e.last) e.last = ts;
      return;
    }
    if (list.length >= MAX_NAMES_PER_IP) this.dropped++;
    else list.push({ ip, name, source, first: ts, last: ts });
  }

  /** Every name collected. */
  *names(): IterableIterator<EndpointName> {
    for (const list of this.byIp.values()) yield* list;
  }
}

/**
 * Merges names into `endpoint_names`: a known (ip, name, source) widens its span; a new one is added only while
 * the address has fewer than MAX_NAMES_PER_IP rows. Returns the rows added. Set-based: the stored names of the
 * addresses are read in one query; rows are written in the order given.
 */
export function storeEndpointNames(db: Database.Database, names: Iterable<EndpointName>): number {
  const list = [...names];
  if (list.length === 0) return 0;
  const stored = new Set<string>();
  const count = new Map<string, number>();
  for (const [ip, name, source] of db.prepare('SELECT ip, name, source FROM endpoint_names WHERE ip IN (SELECT value FROM json_each(?))').raw()
    .all(JSON.stringify([...new Set(list.map((n) => n.ip))])) as [string, string, string][]) {
    stored.add(`${ip} ${source} ${name}`);
    count.set(ip, (count.get(ip) ?? 0) + 1);
  }
  const update = db.prepare('UPDATE endpoint_names SET first_us = MIN(first_us, ?), last_us = MAX(last_us, ?) WHERE ip = ? AND name = ? AND source = ?');
  const insert = prepared(db, 'INSERT INTO endpoint_names (ip, name, source, first_us, last_us) VALUES (?, ?, ?, ?, ?)');
  let added = 0;
  for (const n of list) {
    const f = Math.round(n.first);
    const l = Math.round(n.last);
    const k = `${n.ip} ${n.source} ${n.name}`;
    if (stored.has(k)) {
      update.run(f, l, n.ip, n.name, n.source);
      continue;
    }
    const c = count.get(n.ip) ?? 0;
    if (c >= MAX_NAMES_PER_IP) continue;
    insert.run(n.ip, n.name, n.source, f, l);
    stored.add(k);
    count.set(n.ip, c + 1);
    added++;
  }
  return added;
}
