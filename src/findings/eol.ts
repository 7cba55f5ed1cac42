/**
 * End-of-life OS matching (the `eol_os` finding and the "less secure peer" weakness): a device's OS texts are tried
 * against data/findings/eol-os.tsv. A text is end-of-life when it matches at least one line and the latest end
 * date among ALL lines it matches has passed — an ambiguous version (NT 6.1: Windows 7 or Server 2008 R2; build
 * 14393: Windows 10 1607, LTSB 2016 or Server 2016) is end-of-life only when every product it may be is.
 */
import type { EolRule } from './data-files.js';
import type { FactView } from './device-view.js';

/** Facts whose value is tried as an OS text, and how the value becomes the text. */
const OS_TEXT_FACTS: Readonly<Record<string, (v: string) => string>> = {
  ntlm_os_version: (v) => `Windows ${v}`,
  netbios_os_version: (v) => `Windows ${v}`,
  smb_native_os: (v) => v,
  server_native_os: (v) => v,
  client_native_os: (v) => v,
  snmp_sys_descr: (v) => v,
  http_server: (v) => v,
};

/** Names of the facts read as OS texts (the loader fetches these for every device). */
export const OS_TEXT_FACT_NAMES: readonly string[] = Object.keys(OS_TEXT_FACTS);

/** One OS text and where it comes from. */
export interface OsText {
  text: string;
  source: string;
}

/** The OS texts of a device: its identified os + os_version, then its OS-bearing facts. */
export function osTexts(os: string | null, osVersion: string | null, facts: readonly FactView[]): OsText[] {
  const out: OsText[] = [];
  if (os) out.push({ text: osVersion ? `${os} ${osVersion}` : os, source: `identified os ${JSON.stringify(osVersion ? `${os} ${osVersion}` : os)}` });
  for (const f of facts) {
    const make = OS_TEXT_FACTS[f.name];
    if (make) out.push({ text: make(f.value), source: `fact ${f.name} ${JSON.stringify(f.value)}` });
  }
  return out;
}

/** An end-of-life match. */
export interface EolMatch {
  /** The products the text may be, all past their end of support. */
  products: string[];
  /** The latest end date among them. */
  end_of_support: string;
  text: OsText;
  rules: EolRule[];
}

/** The most specific end-of-life match among `texts` at `nowUs` (fewest candidate products), or null. */
export function eolMatch(texts: readonly OsText[], eol: readonly EolRule[], nowUs: number): EolMatch | null {
  let best: EolMatch | null = null;
  for (const t of texts) {
    const rules = eol.filter((r) => r.pattern.test(t.text));
    if (rules.length === 0) continue;
    const latest = rules.reduce((a, r) => (r.end_us > a.end_us ? r : a));
    if (latest.end_us >= nowUs) continue;
    if (best === null || rules.length < best.rules.length) {
      best = { products: rules.map((r) => r.product), end_of_support: latest.end_of_support, text: t, rules };
    }
  }
  return best;
}
