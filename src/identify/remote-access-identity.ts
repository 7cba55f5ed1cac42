/**
 * Identity facts from the remote-access protocols (SSH, Telnet, FTP, RDP), kept as seen, for the server and the
 * client of each connection (each keyed by the MAC its packets carried and its IP, see MacFact.ip):
 * - SSH: the server's identification → `ssh_server_software` and HASSHServer → `ssh_hassh_server` on the server;
 *   the client's → `ssh_client_software` and HASSH → `ssh_hassh` on the client;
 * - Telnet: the pre-login banner → `telnet_banner` on the server; the terminal type → `telnet_terminal_type` on the
 *   client;
 * - FTP: the greeting → `ftp_banner`, the SYST reply → `ftp_syst` on the server;
 * - Telnet and FTP: a password that crossed in clear → `cleartext_credentials` = "<protocol>:<user>" on the server
 *   (the password itself is never in an observation; the fact says that one crossed, and with which user name); when
 *   the analyzer found the pair in the default-credential list → `default_credential` = "<protocol>:<user>" too;
 * - RDP: requested protocols → `rdp_requested_protocols` and the selected one (or the failure) →
 *   `rdp_selected_protocol` on the server; the `mstshash` cookie → `rdp_cookie_user` on the client.
 * Nothing here decides what a device is: a knowledge base turns these facts into vendor / OS / risk.
 */
import type { FtpObservation, Observation, PacketContext, RdpObservation, SshObservation, TelnetObservation } from '../observe/observation.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** Confidence of the facts: raw values are certain as facts; a Telnet password is seen through heuristics. */
export const REMOTE_ACCESS_CONFIDENCE = {
  raw: 1,
  /** A line typed at a `Password:` prompt (see protocols/telnet/analyzer.ts). */
  telnet_password: 0.8,
} as const;

/** Which end of a connection a fact is about. */
type End = 'server' | 'client';

/** Collects remote-access identity facts during an ingest. */
export class RemoteAccessIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['ssh', 'telnet', 'ftp', 'rdp'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind === 'ssh') this.ssh(o);
    else if (o.kind === 'telnet') this.telnet(o);
    else if (o.kind === 'ftp') this.ftp(o);
    else if (o.kind === 'rdp') this.rdp(o);
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

  /** Records a fact about one end of the connection `ctx` (client → server). */
  private add(ctx: PacketContext, end: End, source: string, name: string, value: string, confidence: number, evidence: string): void {
    const ip = end === 'server' ? ctx.dst_ip : ctx.src_ip;
    const mac = factMac(end === 'server' ? ctx.dst_mac : ctx.src_mac, ip);
    if (mac === null || value === '') return;
    this.facts.add(mac, source, name, value, confidence, evidence, ctx.ts_us, ip);
  }

  private ssh(o: SshObservation): void {
    const { ctx, msg: m } = o;
    const conn = `SSH ${ctx.src_ip}:${ctx.src_port} -> ${ctx.dst_ip}:${ctx.dst_port}`;
    for (const end of ['server', 'client'] as const) {
      const ident = m[end];
      if (ident?.software_version) {
        const software = ident.comments ? `${ident.software_version} ${ident.comments}` : ident.software_version;
        this.add(ctx, end, 'ssh', `ssh_${end}_software`, software, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: ${end} identification "${ident.raw}"`);
      }
    }
    if (m.hassh_server) this.add(ctx, 'server', 'ssh', 'ssh_hassh_server', m.hassh_server, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: HASSHServer of the server's KEXINIT`);
    if (m.hassh) this.add(ctx, 'client', 'ssh', 'ssh_hassh', m.hassh, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: HASSH of the client's KEXINIT`);
  }

  private telnet(o: TelnetObservation): void {
    const { ctx, msg: m } = o;
    const conn = `Telnet ${ctx.src_ip}:${ctx.src_port} -> ${ctx.dst_ip}:${ctx.dst_port}`;
    if (m.banner) this.add(ctx, 'server', 'telnet', 'telnet_banner', m.banner, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: server text before login`);
    if (m.terminal_type) this.add(ctx, 'client', 'telnet', 'telnet_terminal_type', m.terminal_type, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: TERMINAL-TYPE IS`);
    if (m.cleartext_password) {
      const outcome = m.login_rule ? `, login ${m.login_result} (${m.login_rule}, confidence ${m.login_confidence})` : '';
      this.add(ctx, 'server', 'telnet', 'cleartext_credentials', m.user ? `telnet:${m.user}` : 'telnet', REMOTE_ACCESS_CONFIDENCE.telnet_password,
        `${conn}: a line typed at a password prompt crossed in clear (value not kept)${m.user ? `, user typed at "${m.login_prompt ?? ''}"` : ''}${outcome}`);
    }
    if (m.default_credential) {
      this.add(ctx, 'server', 'telnet', 'default_credential', `telnet:${m.user ?? ''}`, REMOTE_ACCESS_CONFIDENCE.telnet_password,
        `${conn}: the user and the line typed at the password prompt are a default pair of the list (value not kept)`);
    }
  }

  private ftp(o: FtpObservation): void {
    const { ctx, msg: m } = o;
    const conn = `FTP ${ctx.src_ip}:${ctx.src_port} -> ${ctx.dst_ip}:${ctx.dst_port}`;
    if (m.banner) this.add(ctx, 'server', 'ftp', 'ftp_banner', m.banner, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: greeting ${m.greeting_code}`);
    if (m.syst) this.add(ctx, 'server', 'ftp', 'ftp_syst', m.syst, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: SYST reply 215`);
    const outcome = m.login_success === null ? 'login outcome not seen' : m.login_success ? 'login accepted (230)' : 'login refused (530)';
    if (m.cleartext_password) {
      this.add(ctx, 'server', 'ftp', 'cleartext_credentials', m.user ? `ftp:${m.user}` : 'ftp', REMOTE_ACCESS_CONFIDENCE.raw,
        `${conn}: PASS sent in clear (value not kept)${m.anonymous ? ', anonymous login (e-mail address as password)' : ''}, ${outcome}`);
    }
    if (m.default_credential) {
      this.add(ctx, 'server', 'ftp', 'default_credential', `ftp:${m.user ?? ''}`, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: USER/PASS are a default pair of the list (value not kept), ${outcome}`);
    }
  }

  private rdp(o: RdpObservation): void {
    const { ctx, msg: m } = o;
    const conn = `RDP ${ctx.src_ip}:${ctx.src_port} -> ${ctx.dst_ip}:${ctx.dst_port}`;
    if (m.requested_protocol_names) {
      this.add(ctx, 'server', 'rdp', 'rdp_requested_protocols', m.requested_protocol_names.join(','), REMOTE_ACCESS_CONFIDENCE.raw,
        `${conn}: X.224 Connection Request RDP_NEG_REQ requestedProtocols 0x${m.requested_protocols!.toString(16)}`);
    }
    const selected = m.selected_protocol_name ?? (m.failure_code !== null ? `failure:${m.failure_name ?? m.failure_code}` : null);
    if (selected) this.add(ctx, 'server', 'rdp', 'rdp_selected_protocol', selected, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: X.224 Connection Confirm ${m.failure_code !== null ? 'RDP_NEG_FAILURE' : 'RDP_NEG_RSP'}`);
    const user = m.cookie?.trim();
    if (user) this.add(ctx, 'client', 'rdp', 'rdp_cookie_user', user, REMOTE_ACCESS_CONFIDENCE.raw, `${conn}: Cookie: mstshash (as sent: "${m.cookie}")`);
  }
}
