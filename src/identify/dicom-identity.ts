/**
 * Identity facts from DICOM associations (`dicom` observations), keyed by Ethernet MAC: the association requestor
 * (client, SCU by default) and acceptor (server, SCP by default) each announce their own identity.
 * - `dicom_ae_title`: the calling AE title (client), the called AE title (server, once it accepted);
 * - `dicom_implementation_class_uid`, `dicom_implementation_version`: from the A-ASSOCIATE-RQ (client) and -AC
 *   (server), PS3.7 D.3.3.2;
 * - `dicom_role`: `scu` (client) or `scp` (server);
 * - `dicom_sop_class`: `<role>:<SOP class UID>` — the sender of a DIMSE request is the SCU of its SOP class and the
 *   receiver its SCP (confidence 1: the service was used); an accepted presentation context without requests gives
 *   `scu:` to the client and `scp:` to the server with confidence 0.5 (the service was agreed, not seen used).
 *   CT Image Storage sent as SCU is what a CT scanner does; that reading belongs to data/dicom/sop-classes.tsv;
 * - `dicom_user_identity`: the user identity type (PS3.7 D.3.3.7); `cleartext_credential`: `dicom_username` or
 *   `dicom_username_passcode` when a user name (and passcode) travelled in clear — the fact only, never the values;
 * - `dicom_tls`: `true` on the server of a DICOM-port connection that began with TLS;
 * - `dicom_peer`: `<scu|scp> <service> <peer IP>` per DIMSE request, the service from sop-classes.tsv (storage,
 *   worklist, query_retrieve, …): how many modalities a host receives images from is role evidence (device-roles.ts);
 *   at most MAX_PEER_FACTS peers per (MAC, IP, role, service) per run;
 * - `phi_kind`: each patient-level attribute kind a data set of the association carried (both ends handle it).
 * DICOM crosses routers (a modality and its PACS are often on different subnets): every fact carries its side's IP
 * (MacFact.ip: the requestor's source, the acceptor's destination address of the association), so a PACS behind a
 * router gets its facts on its own (IP-keyed) device rather than the router's.
 * Evidence names SOP classes and toolkits from data/dicom/ (dicom-knowledge.ts); it never holds patient data.
 */
import type { Observation } from '../observe/observation.js';
import type { DicomAssociation } from '../protocols/dicom/association.js';
import { DicomKnowledge } from './dicom-knowledge.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';
import { MAX_PEER_FACTS } from './message-roles.js';

/** Confidence of a role agreed in an accepted presentation context but not seen used. */
export const AGREED_CONFIDENCE = 0.5;

/** Collects DICOM identities during an ingest. */
export class DicomIdentityCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['dicom'] as const;
  private readonly facts = new FactBook();
  /** Peers recorded per (MAC, IP, role, service), to bound dicom_peer facts. */
  private readonly peers = new Map<string, Set<string>>();

  constructor(private readonly knowledge: DicomKnowledge = DicomKnowledge.bundled()) {}

  observe(o: Observation): void {
    if (o.kind !== 'dicom') return;
    const m = o.msg;
    const client = side(o.ctx.src_mac, o.ctx.src_ip);
    const server = side(o.ctx.dst_mac, o.ctx.dst_ip);
    const ts = o.ctx.ts_us;
    const where = `${o.ctx.src_ip}:${o.ctx.src_port} → ${o.ctx.dst_ip}:${o.ctx.dst_port}`;
    const add = (at: Side | null, name: string, value: string | null, confidence: number, evidence: string): void => {
      if (at !== null && value !== null && value !== '') this.facts.add(at.mac, 'dicom', name, value, confidence, `${evidence} (${where})`, ts, at.ip);
    };
    if (m.encrypted) {
      add(server, 'dicom_tls', 'true', 1, 'TLS on a DICOM port');
      return;
    }
    const accepted = m.state === 'accepted';
    add(client, 'dicom_ae_title', m.calling_ae, 1, 'calling AE title of an A-ASSOCIATE-RQ');
    if (accepted) add(server, 'dicom_ae_title', m.called_ae, 1, 'called AE title of an accepted association');
    this.implementation(add, client, m.requestor_implementation_class_uid, m.requestor_implementation_version, 'A-ASSOCIATE-RQ');
    this.implementation(add, server, m.acceptor_implementation_class_uid, m.acceptor_implementation_version, 'A-ASSOCIATE-AC');
    if (m.state !== 'unknown') add(client, 'dicom_role', 'scu', 1, 'association requestor');
    if (accepted) add(server, 'dicom_role', 'scp', 1, 'association acceptor');
    this.sopClasses(add, client, server, m);
    this.servicePeers(add, client, server, m, o.ctx.src_ip, o.ctx.dst_ip);
    for (const p of m.phi) {
      const ev = `patient attribute kind in ${p.datasets} data set${p.datasets === 1 ? '' : 's'} (kind only)`;
      add(client, 'phi_kind', p.kind, 1, ev);
      add(server, 'phi_kind', p.kind, 1, ev);
    }
    if (m.user_identity_type !== null) add(client, 'dicom_user_identity', m.user_identity_type, 1, 'user identity negotiation (58H)');
    if (m.cleartext_credentials) {
      const v = m.user_identity_type === 'username' ? 'dicom_username' : 'dicom_username_passcode';
      add(client, 'cleartext_credential', v, 1, `DICOM user identity ${m.user_identity_type} sent in clear`);
    }
    if (m.default_credential_user !== null) {
      add(server, 'default_credential', `dicom:${m.default_credential_user}`, 1, 'DICOM user identity (58H) with a default user/passcode pair of the list (passcode not stored)');
    }
  }

  private implementation(add: AddFact, at: Side | null, uid: string | null, version: string | null, pdu: string): void {
    if (uid !== null) {
      const r = this.knowledge.implementation(uid);
      add(at, 'dicom_implementation_class_uid', uid, 1, `implementation class UID in ${pdu}${r ? `: ${r.kind} ${r.name}` : ''}`);
    }
    if (version !== null) {
      const v = this.knowledge.version(version);
      add(at, 'dicom_implementation_version', version, 1, `implementation version name in ${pdu}${v ? `: ${v.product}${v.version ? ` ${v.version}` : ''}` : ''}`);
    }
  }

  private sopClasses(add: AddFact, client: Side | null, server: Side | null, m: DicomAssociation): void {
    const used = new Set<string>();
    const name = (uid: string): string => this.knowledge.sopClass(uid)?.name ?? uid;
    for (const op of m.dimse) {
      if (op.sop_class === null || !op.command.endsWith('-RQ')) continue;
      const [scu, scp] = op.sender === 'client' ? [client, server] : [server, client];
      const ev = `${op.command} ×${op.count} (${name(op.sop_class)})`;
      add(scu, 'dicom_sop_class', `scu:${op.sop_class}`, 1, `sent ${ev}`);
      add(scp, 'dicom_sop_class', `scp:${op.sop_class}`, 1, `received ${ev}`);
      used.add(op.sop_class);
    }
    for (const c of m.presentation_contexts) {
      if (c.result_code !== 0 || c.abstract_syntax === null || used.has(c.abstract_syntax)) continue;
      const ev = `accepted presentation context ${c.id} (${name(c.abstract_syntax)})`;
      add(client, 'dicom_sop_class', `scu:${c.abstract_syntax}`, AGREED_CONFIDENCE, ev);
      add(server, 'dicom_sop_class', `scp:${c.abstract_syntax}`, AGREED_CONFIDENCE, ev);
    }
  }

  private servicePeers(add: AddFact, client: Side | null, server: Side | null, m: DicomAssociation, clientIp: string, serverIp: string): void {
    for (const op of m.dimse) {
      if (op.sop_class === null || !op.command.endsWith('-RQ')) continue;
      const service = this.knowledge.sopClass(op.sop_class)?.service ?? 'other';
      const [scu, scp, scuIp, scpIp] = op.sender === 'client' ? [client, server, clientIp, serverIp] : [server, client, serverIp, clientIp];
      const ev = `${op.command} ×${op.count}`;
      if (this.newPeer(scu, `scu ${service}`, scpIp)) add(scu, 'dicom_peer', `scu ${service} ${scpIp}`, 1, `sent ${ev} to ${scpIp}`);
      if (this.newPeer(scp, `scp ${service}`, scuIp)) add(scp, 'dicom_peer', `scp ${service} ${scuIp}`, 1, `received ${ev} from ${scuIp}`);
    }
  }

  /** True when `peer` is (already) one of the MAX_PEER_FACTS peers kept for (side, role-service). */
  private newPeer(at: Side | null, roleService: string, peer: string): boolean {
    if (at === null) return false;
    const key = `${at.mac} ${at.ip} ${roleService}`;
    let set = this.peers.get(key);
    if (set === undefined) this.peers.set(key, (set = new Set()));
    if (set.has(peer)) return true;
    if (set.size >= MAX_PEER_FACTS) return false;
    set.add(peer);
    return true;
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }
}

/** One end of an association: the MAC its packets carried and its IP address (MacFact.ip). */
interface Side {
  mac: string;
  ip: string;
}

/** The side with `mac` and `ip` (its fact key: factMac), or null when it has none. */
function side(mac: string | null, ip: string): Side | null {
  const key = factMac(mac, ip);
  return key === null ? null : { mac: key, ip };
}

/** Adds one fact for a side (ignored when the side or the value is missing). */
type AddFact = (at: Side | null, name: string, value: string | null, confidence: number, evidence: string) => void;
