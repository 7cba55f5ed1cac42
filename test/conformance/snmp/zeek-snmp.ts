/**
 * Readers of Zeek's SNMP test baselines in ../shared/corpus/baselines/zeek (btest outputs of zeek/zeek's
 * testing/btest/scripts/base/protocols/snmp/*.zeek, run on the same captures as the corpus's snmp/zeek__*.pcap):
 * - the event dumps (`out1` …) printed by testing/scripts/snmp-test.zeek: one block per SNMP event, with the header
 *   (community, or the v3 header record) and the PDU's fields and bindings;
 * - snmp.log (tab-separated, `#fields` header);
 * - the IpAddress values printed by snmp-addr.zeek (`.stdout`).
 *
 * Values stay as Zeek prints them; zeekBytes undoes Zeek's string escaping (`\xNN`, `\\`). A community read here is
 * compared in memory by the test and never written anywhere.
 */
import { readFileSync } from 'node:fs';

/** One variable binding as Zeek prints it. */
export interface ZeekBinding {
  oid: string;
  /** The value's BER tag (`value (tag=0x04)`). */
  tag: number;
  /** The value as printed (`<unspecified>` for NULL-like values). */
  value: string;
}

/** One SNMP event of an event dump. */
export interface ZeekSnmpEvent {
  /** The event name: snmp_get_request, snmp_response, snmp_trap, … */
  name: string;
  isOrig: boolean;
  /** The header line without its brackets: `community=public`, or the v3 record `id=…, max_size=…, …`. */
  header: string;
  /** The PDU's `key: value` lines (request_id, error_stat, error_idx, enterprise, agent, …). */
  fields: Map<string, string>;
  bindings: ZeekBinding[];
}

/** The lines of a btest baseline, without its `### BTest` comment line. */
function baselineLines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').filter((l) => !l.startsWith('### '));
}

/** Parses an event dump of snmp-test.zeek. */
export function readZeekSnmpEvents(path: string): ZeekSnmpEvent[] {
  const events: ZeekSnmpEvent[] = [];
  let cur: ZeekSnmpEvent | null = null;
  let pendingOid: string | null = null;
  for (const line of baselineLines(path)) {
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      cur = { name: line.trim(), isOrig: false, header: '', fields: new Map(), bindings: [] };
      events.push(cur);
      continue;
    }
    if (cur === null) throw new Error(`${path}: indented line before any event`);
    const body = line.trimStart();
    const value = /^value \(tag=0x([0-9a-f]+)\):\s?(.*)$/.exec(body);
    if (value !== null && pendingOid !== null) {
      cur.bindings.push({ oid: pendingOid, tag: parseInt(value[1]!, 16), value: value[2]! });
      pendingOid = null;
    } else if (body.startsWith('oid: ')) pendingOid = body.slice(5);
    else if (body.startsWith('is_orig: ')) cur.isOrig = body.endsWith('T');
    else if (line.startsWith('  [') && !line.startsWith('  [orig_h=')) cur.header = body.slice(1, -1);
    else if (line.startsWith('    ')) {
      const colon = body.indexOf(':');
      cur.fields.set(body.slice(0, colon), body.slice(colon + 1).trim());
    }
  }
  return events;
}

/** The rows of a Zeek TSV log as field → value maps. */
export function readZeekLog(path: string): Map<string, string>[] {
  let fields: string[] = [];
  const rows: Map<string, string>[] = [];
  for (const line of baselineLines(path)) {
    if (line.startsWith('#fields\t')) fields = line.split('\t').slice(1);
    else if (line !== '' && !line.startsWith('#')) {
      const v = line.split('\t');
      rows.push(new Map(fields.map((f, i) => [f, v[i] ?? ''])));
    }
  }
  return rows;
}

/** The non-empty lines of a `.stdout` baseline. */
export function readZeekStdout(path: string): string[] {
  return baselineLines(path).filter((l) => l !== '');
}

/** The octets of a string as Zeek prints it (printable ASCII as is, `\xNN` for the other octets, `\\`). */
export function zeekBytes(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && s[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      out.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (s[i] === '\\' && s[i + 1] === '\\') {
      out.push(0x5c);
      i++;
    } else out.push(s.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

/**
 * A value of the v3 header record (`key=value`): the text after `key=` (the key at the start, or after `[` or `, `) up
 * to `until`, the text that follows it in Zeek's record order (values may hold commas and brackets); '' when absent.
 */
export function zeekRecordValue(header: string, key: string, until: string): string {
  let start = -1;
  for (const lead of ['', '[', ', ']) {
    const at = lead === '' ? (header.startsWith(`${key}=`) ? 0 : -1) : header.indexOf(`${lead}${key}=`);
    if (at >= 0 && (start < 0 || at + lead.length < start)) start = at + lead.length;
  }
  if (start < 0) return '';
  const from = start + key.length + 1;
  const end = header.indexOf(until, from);
  return end < 0 ? '' : header.slice(from, end);
}
