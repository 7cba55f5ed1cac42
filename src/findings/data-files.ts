/**
 * The knowledge files of the findings engine (data/findings/), read by strict loaders that report `file:line: reason`
 * and refuse duplicates (src/knowledge/tsv-data.ts):
 * - eol-os.tsv: OS text pattern → product and end-of-support date (the `eol_os` finding);
 * - services.tsv: transport + server port → service name, insecure?, admin?, tunnel? (`exposed_service`,
 *   `insecure_protocol`, `no_tunnel`);
 * - vendor-domains.tsv: medical vendor → its internet domains (`internet_exposure`: only to its vendor or not).
 * Each file's header says where its facts come from.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dataLines, unique } from '../knowledge/tsv-data.js';

/** The data directory (this module compiles to dist/src/findings/). */
export const FINDINGS_DATA_DIR = fileURLToPath(new URL('../../../data/findings/', import.meta.url));

/** One end-of-support line. */
export interface EolRule {
  pattern: RegExp;
  product: string;
  /** YYYY-MM-DD: the last day of security updates. */
  end_of_support: string;
  /** The end of that day, UTC, in µs since the epoch: a date has passed when the assessment time is after it. */
  end_us: number;
  source: string;
  /** Where it was defined (file:line). */
  rule: string;
}

/** Transports of services.tsv. */
export type ServiceTransport = 'tcp' | 'udp' | 'ip';

/** One service line. */
export interface ServiceInfo {
  transport: ServiceTransport;
  port: number;
  service: string;
  insecure: boolean;
  admin: boolean;
  tunnel: boolean;
  note: string;
  rule: string;
}

/** One vendor's domains. */
export interface VendorDomains {
  vendor: string;
  domains: string[];
  source: string;
  rule: string;
}

/** Everything the rules read from data/findings/. */
export interface FindingsData {
  eol: EolRule[];
  /** Keyed by `${transport}/${port}`. */
  services: Map<string, ServiceInfo>;
  /** Keyed by the vendor in lower case. */
  vendors: Map<string, VendorDomains>;
}

/** Parses a yes/no field. */
function yesNo(v: string, at: string, what: string): boolean {
  if (v === 'yes') return true;
  if (v === 'no') return false;
  throw new Error(`${at}: ${what} must be yes or no, not ${v}`);
}

/** Parses eol-os.tsv. @throws Error `file:line: reason` (bad pattern or date, duplicate product). */
export function parseEolOs(text: string, file = 'eol-os.tsv'): EolRule[] {
  const out: EolRule[] = [];
  const seen = new Map<string, string>();
  for (const [at, [pattern, product, date, source]] of dataLines(file, text, 4)) {
    unique(seen, product!, at, 'product');
    let re: RegExp;
    try {
      re = new RegExp(pattern!, 'i');
    } catch (e) {
      throw new Error(`${at}: bad pattern: ${(e as Error).message}`);
    }
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date!);
    const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== date) throw new Error(`${at}: end_of_support ${date} is not a YYYY-MM-DD date`);
    if (!/^https?:\/\//.test(source!)) throw new Error(`${at}: source must be a URL`);
    out.push({ pattern: re, product: product!, end_of_support: date!, end_us: (t + 86_400_000) * 1000 - 1, source: source!, rule: at });
  }
  return out;
}

/** Parses services.tsv. @throws Error `file:line: reason` (bad transport or port, duplicate transport+port). */
export function parseServices(text: string, file = 'services.tsv'): Map<string, ServiceInfo> {
  const out = new Map<string, ServiceInfo>();
  const seen = new Map<string, string>();
  for (const [at, [transport, portText, service, insecure, admin, tunnel, note]] of dataLines(file, text, 7)) {
    if (transport !== 'tcp' && transport !== 'udp' && transport !== 'ip') throw new Error(`${at}: transport ${transport} is not tcp, udp or ip`);
    const port = Number(portText);
    const max = transport === 'ip' ? 255 : 65535;
    if (!/^\d+$/.test(portText!) || port > max) throw new Error(`${at}: port ${portText} is not 0-${max}`);
    const key = `${transport}/${port}`;
    unique(seen, key, at, 'service');
    out.set(key, { transport, port, service: service!, insecure: yesNo(insecure!, at, 'insecure'), admin: yesNo(admin!, at, 'admin'),
      tunnel: yesNo(tunnel!, at, 'tunnel'), note: note!, rule: at });
  }
  return out;
}

/** Parses vendor-domains.tsv. @throws Error `file:line: reason` (bad domain, duplicate vendor). */
export function parseVendorDomains(text: string, file = 'vendor-domains.tsv'): Map<string, VendorDomains> {
  const out = new Map<string, VendorDomains>();
  const seen = new Map<string, string>();
  for (const [at, [vendor, domainList, source]] of dataLines(file, text, 3)) {
    unique(seen, vendor!.toLowerCase(), at, 'vendor');
    const domains = domainList!.split(',');
    for (const d of domains) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) throw new Error(`${at}: ${JSON.stringify(d)} is not a lower-case domain name`);
    }
    out.set(vendor!.toLowerCase(), { vendor: vendor!, domains, source: source!, rule: at });
  }
  return out;
}

let cached: FindingsData | null = null;

/** Loads (once) the bundled data/findings/ files, or those of `dir`. @throws Error `file:line: reason`. */
export function loadFindingsData(dir?: string): FindingsData {
  if (dir === undefined && cached) return cached;
  const base = dir ?? FINDINGS_DATA_DIR;
  const read = (name: string): [string, string] => [readFileSync(`${base}/${name}`, 'utf8'), dir === undefined ? `data/findings/${name}` : `${base}/${name}`];
  const data: FindingsData = {
    eol: parseEolOs(...read('eol-os.tsv')),
    services: parseServices(...read('services.tsv')),
    vendors: parseVendorDomains(...read('vendor-domains.tsv')),
  };
  if (dir === undefined) cached = data;
  return data;
}
