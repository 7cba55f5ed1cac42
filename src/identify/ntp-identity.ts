/**
 * Identity facts from NTP (RFC 5905; ntpd mode 6 control messages, RFC 9327), per sender, kept as seen:
 * - every sender: its NTP version → `ntp_version`, and what it acts as → `ntp_mode` (client, server, broadcast,
 *   symmetric_active/passive; control_request / control_response and private_request / private_response for modes
 *   6 and 7, from their R bit);
 * - a sender serving time (modes 1, 2, 4, 5) with a stratum of 1–15: → `ntp_stratum` and `ntp_reference_id` (its
 *   reference clock code at stratum 1, its upstream server at 2–15); with stratum 0 its kiss code → `ntp_kiss_code`;
 * - a mode 6 read-variables response about the system (association 0): the daemon's `version`, `system` and
 *   `processor` variables → `ntp_daemon_version`, `ntp_system`, `ntp_processor`.
 * NTP is unicast and routed, so each fact carries the sender's IP: it goes to the host behind a router, not to the
 * router's MAC (MacFact.ip).
 */
import type { Observation } from '../observe/observation.js';
import type { NtpMessage } from '../protocols/ntp/parser.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** Modes whose sender serves time (RFC 5905 §3: symmetric active/passive, server, broadcast). */
const SERVING_MODES = new Set([1, 2, 4, 5]);

/** Mode 6 system variables kept, by fact name. */
const SYSTEM_VARIABLES: Readonly<Record<string, string>> = {
  version: 'ntp_daemon_version',
  system: 'ntp_system',
  processor: 'ntp_processor',
};

/** Texts of the version numbers (the 3-bit field), made once. */
const VERSION_TEXT: readonly string[] = Array.from({ length: 8 }, (_, v) => String(v));

/** What the sender acts as: the mode name, with request/response for modes 6 and 7. */
export function ntpRole(m: NtpMessage): string {
  const response = m.control?.response ?? m.private?.response;
  return response === undefined ? m.mode_name : `${m.mode_name}_${response ? 'response' : 'request'}`;
}

/** Collects NTP facts during an ingest. */
export class NtpIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['ntp'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind !== 'ntp') return;
    const ip = o.ctx.src_ip;
    const mac = factMac(o.ctx.src_mac, ip);
    if (mac === null) return;
    const m = o.msg;
    const ts = o.ctx.ts_us;
    const role = ntpRole(m);
    // evidence texts are made only for new facts (FactBook.add): most messages repeat their sender's known facts
    const fact = (name: string, value: string, what: string): void =>
      this.facts.add(mac, 'ntp', name, value, 1, () => `NTPv${m.version} ${role} from ${ip}: ${what}`, ts, ip);
    fact('ntp_version', VERSION_TEXT[m.version] ?? String(m.version), 'version number');
    fact('ntp_mode', role, 'mode');
    if (SERVING_MODES.has(m.mode) && m.stratum !== null && m.ref_id !== null) {
      if (m.stratum >= 1 && m.stratum <= 15) {
        fact('ntp_stratum', String(m.stratum), 'stratum');
        if (m.ref_id !== '') fact('ntp_reference_id', m.ref_id, 'reference ID');
      } else if (m.stratum === 0 && m.ref_id !== '') fact('ntp_kiss_code', m.ref_id, "kiss-o'-death code");
    }
    const c = m.control;
    if (c?.vars && c.association_id === 0) {
      for (const v of c.vars) {
        const name = SYSTEM_VARIABLES[v.name];
        if (name && v.value) fact(name, v.value, `read-variables response, system variable ${v.name}`);
      }
    }
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }
}
