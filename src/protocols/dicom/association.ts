/**
 * The `dicom` log record — one per association (one per TCP connection, PS3.8 §9.1) — and the bookkeeping that
 * builds it from the decoded PDUs, DIMSE command sets and data-set scans of both directions. No PDU bytes, patient
 * values, user identity fields or SOP instance UIDs are kept: only protocol facts, counts and names of attribute
 * kinds.
 */
import type { ScanResult } from './dataset-scan.js';
import {
  type AbortPdu, type AssociatePdu, type DimseCommand, PDU_NAMES, type RejectPdu, statusCategory,
} from './parser.js';

/** Most distinct anomaly strings kept per association. */
export const MAX_ANOMALIES = 64;
/** Most distinct (command, SOP class) operation kinds kept per association. */
export const MAX_OPERATION_KINDS = 256;
/** Most distinct statuses kept per operation kind. */
export const MAX_STATUSES = 32;

/** A presentation context as proposed and answered. */
export interface DicomContext {
  id: number;
  /** The abstract syntax (SOP class UID) proposed. */
  abstract_syntax: string | null;
  /** Transfer syntaxes proposed. */
  proposed_transfer_syntaxes: string[];
  /** The acceptor's answer (`acceptance`, `user-rejection`, …), null when no A-ASSOCIATE-AC was seen. */
  result: string | null;
  result_code: number | null;
  /** The transfer syntax accepted. */
  transfer_syntax: string | null;
}

/** An SCP/SCU role selection: what the requestor proposed and what the acceptor answered. */
export interface DicomRoleSelection {
  sop_class: string;
  /** The requestor proposes to act as SCU (1) / SCP (1) for this SOP class (PS3.7 D.3.3.4). */
  requested_scu: number;
  requested_scp: number;
  /** The acceptor's answer, null when it did not answer this SOP class. */
  accepted_scu: number | null;
  accepted_scp: number | null;
}

/** How often one DIMSE status was returned. */
export interface DicomStatusCount {
  /** The status as 0xNNNN. */
  status: string;
  category: 'success' | 'pending' | 'cancel' | 'warning' | 'failure';
  count: number;
}

/** The DIMSE messages of one command and SOP class. */
export interface DicomOperation {
  /** `C-STORE-RQ`, `C-FIND-RSP`, …, or `0xNNNN` for a command field not in PS3.7. */
  command: string;
  /** Affected (or requested) SOP class UID, else the abstract syntax of the message's presentation context. */
  sop_class: string | null;
  /** Sent by the association requestor (client) or acceptor (server). */
  sender: 'client' | 'server';
  count: number;
  /** Statuses of responses. */
  statuses: DicomStatusCount[];
}

/** A patient-level attribute kind and how many data sets carried it. */
export interface DicomPhiKind {
  kind: string;
  datasets: number;
}

/** How an association ended. */
export type DicomEnd = 'release' | 'abort' | 'reject' | 'connection_end' | 'tls' | 'desync';

/** One DICOM association: the `dicom` log record. */
export interface DicomAssociation {
  /** TLS on the connection (DICOM over TLS, PS3.15 Annex B.1): nothing else is visible. */
  encrypted: boolean;
  /** `accepted` (A-ASSOCIATE-AC seen), `rejected` (A-ASSOCIATE-RJ), `requested` (no answer seen), `unknown` (no request seen). */
  state: 'requested' | 'accepted' | 'rejected' | 'unknown';
  ended_by: DicomEnd;
  /** A-RELEASE-RQ seen (`requested`) and answered (`completed`). */
  release: 'none' | 'requested' | 'completed';
  protocol_version: number | null;
  called_ae: string | null;
  calling_ae: string | null;
  application_context: string | null;
  presentation_contexts: DicomContext[];
  requestor_max_pdu_length: number | null;
  requestor_implementation_class_uid: string | null;
  requestor_implementation_version: string | null;
  acceptor_max_pdu_length: number | null;
  acceptor_implementation_class_uid: string | null;
  acceptor_implementation_version: string | null;
  /** Asynchronous operations window proposed (invoked/performed; 0 = unlimited), null when not negotiated. */
  async_ops_invoked: number | null;
  async_ops_performed: number | null;
  role_selections: DicomRoleSelection[];
  /** SOP classes with extended negotiation (56H) in the request. */
  extended_negotiations: string[];
  /** User identity type requested (`username`, `username-passcode`, `kerberos`, `saml`, `jwt`, `type-N`), or null. */
  user_identity_type: string | null;
  user_identity_positive_response_requested: boolean | null;
  /** The acceptor answered the user identity (59H). */
  user_identity_server_response: boolean;
  /** A user name or passcode travelled in clear (identity types 1 and 2); the values are never kept. */
  cleartext_credentials: boolean;
  /** The user name of a user identity (type 2) that was a default user/passcode pair (data/findings/); else null. */
  default_credential_user: string | null;
  reject_result: string | null;
  reject_source: string | null;
  reject_reason: string | null;
  abort_source: string | null;
  abort_reason: string | null;
  aborted_by: 'client' | 'server' | null;
  /** DIMSE messages by command, SOP class and sender. */
  dimse: DicomOperation[];
  dimse_messages: number;
  /** Data sets (P-DATA data fragments up to a last fragment) and their bytes. */
  datasets: number;
  dataset_bytes: number;
  /** Data sets scanned for patient attributes, and those that could not be (deflated, unknown transfer syntax, gap). */
  phi_datasets_scanned: number;
  phi_datasets_unscanned: number;
  /** Patient-level attribute kinds carried, with how many data sets carried each; never their values. */
  phi: DicomPhiKind[];
  pdus_client: number;
  pdus_server: number;
  anomalies: string[];
}

/** A fresh record. */
export function emptyAssociation(): DicomAssociation {
  return {
    encrypted: false, state: 'unknown', ended_by: 'connection_end', release: 'none', protocol_version: null,
    called_ae: null, calling_ae: null, application_context: null, presentation_contexts: [],
    requestor_max_pdu_length: null, requestor_implementation_class_uid: null, requestor_implementation_version: null,
    acceptor_max_pdu_length: null, acceptor_implementation_class_uid: null, acceptor_implementation_version: null,
    async_ops_invoked: null, async_ops_performed: null, role_selections: [], extended_negotiations: [],
    user_identity_type: null, user_identity_positive_response_requested: null, user_identity_server_response: false,
    cleartext_credentials: false, default_credential_user: null, reject_result: null, reject_source: null, reject_reason: null, abort_source: null,
    abort_reason: null, aborted_by: null, dimse: [], dimse_messages: 0, datasets: 0, dataset_bytes: 0,
    phi_datasets_scanned: 0, phi_datasets_unscanned: 0, phi: [], pdus_client: 0, pdus_server: 0, anomalies: [],
  };
}

/** Builds one association's record from the messages of both directions. */
export class AssociationBuilder {
  readonly rec: DicomAssociation = emptyAssociation();
  private readonly contexts = new Map<number, DicomContext>();

  /** Adds anomalies (each once, at most MAX_ANOMALIES in all). */
  anomaly(...names: string[]): void {
    for (const n of names) {
      if (this.rec.anomalies.length >= MAX_ANOMALIES) return;
      if (!this.rec.anomalies.includes(n)) this.rec.anomalies.push(n);
    }
  }

  /** Counts a PDU of a side. */
  pdu(fromClient: boolean): void {
    if (fromClient) this.rec.pdus_client++;
    else this.rec.pdus_server++;
  }

  /** An A-ASSOCIATE-RQ (from the client) or -AC (from the server). */
  associate(a: AssociatePdu, fromClient: boolean): void {
    const r = this.rec;
    this.anomaly(...a.anomalies);
    const expected = a.pdu_type === 1 ? fromClient : !fromClient;
    if (!expected) this.anomaly(`unexpected_direction:${PDU_NAMES[a.pdu_type]}`);
    if (a.pdu_type === 1) this.request(a);
    else this.accept(a);
    r.protocol_version ??= a.protocol_version;
    r.application_context ??= a.application_context;
  }

  private request(a: AssociatePdu): void {
    const r = this.rec;
    if (r.state !== 'unknown') this.anomaly('repeated_associate_rq');
    r.state = r.state === 'unknown' ? 'requested' : r.state;
    r.called_ae = a.called_ae;
    r.calling_ae = a.calling_ae;
    r.requestor_max_pdu_length = a.max_pdu_length;
    r.requestor_implementation_class_uid = a.implementation_class_uid;
    r.requestor_implementation_version = a.implementation_version;
    r.async_ops_invoked = a.async_ops_invoked;
    r.async_ops_performed = a.async_ops_performed;
    r.extended_negotiations = a.extended_negotiations;
    for (const pc of a.presentation_contexts) {
      if (this.contexts.has(pc.id)) {
        this.anomaly(`duplicate_context_id:${pc.id}`);
        continue;
      }
      const c: DicomContext = { id: pc.id, abstract_syntax: pc.abstract_syntax, proposed_transfer_syntaxes: pc.transfer_syntaxes, result: null, result_code: null, transfer_syntax: null };
      this.contexts.set(pc.id, c);
      r.presentation_contexts.push(c);
    }
    for (const rs of a.role_selections) {
      r.role_selections.push({ sop_class: rs.sop_class, requested_scu: rs.scu_role, requested_scp: rs.scp_role, accepted_scu: null, accepted_scp: null });
    }
    const ui = a.user_identity;
    if (ui !== null) {
      r.user_identity_type = ui.type_name ?? `type-${ui.type}`;
      r.user_identity_positive_response_requested = ui.positive_response_requested;
      r.cleartext_credentials = ui.cleartext;
      r.default_credential_user = ui.default_credential_user;
    }
  }

  private accept(a: AssociatePdu): void {
    const r = this.rec;
    if (r.state === 'accepted' || r.state === 'rejected') this.anomaly('repeated_associate_answer');
    r.state = 'accepted';
    r.called_ae ??= a.called_ae;
    r.calling_ae ??= a.calling_ae;
    r.acceptor_max_pdu_length = a.max_pdu_length;
    r.acceptor_implementation_class_uid = a.implementation_class_uid;
    r.acceptor_implementation_version = a.implementation_version;
    r.user_identity_server_response = a.user_identity_response_length !== null;
    for (const pc of a.presentation_contexts) {
      let c = this.contexts.get(pc.id);
      if (c === undefined) {
        this.anomaly(`unproposed_context_id:${pc.id}`);
        c = { id: pc.id, abstract_syntax: null, proposed_transfer_syntaxes: [], result: null, result_code: null, transfer_syntax: null };
        this.contexts.set(pc.id, c);
        r.presentation_contexts.push(c);
      }
      c.result = pc.result_name ?? `code-${pc.result}`;
      c.result_code = pc.result;
      c.transfer_syntax = pc.result === 0 ? (pc.transfer_syntaxes[0] ?? null) : null;
    }
    for (const rs of a.role_selections) {
      const sel = r.role_selections.find((x) => x.sop_class === rs.sop_class && x.accepted_scu === null);
      if (sel === undefined) this.anomaly('unproposed_role_selection');
      else {
        sel.accepted_scu = rs.scu_role;
        sel.accepted_scp = rs.scp_role;
      }
    }
  }

  /** An A-ASSOCIATE-RJ. */
  reject(j: RejectPdu): void {
    const r = this.rec;
    this.anomaly(...j.anomalies);
    r.state = 'rejected';
    r.ended_by = 'reject';
    r.reject_result = j.result_name ?? `code-${j.result}`;
    r.reject_source = j.source_name ?? `code-${j.source}`;
    r.reject_reason = j.reason_name ?? `code-${j.reason}`;
  }

  /** An A-ABORT sent by the client or the server. */
  abort(x: AbortPdu, fromClient: boolean): void {
    const r = this.rec;
    this.anomaly(...x.anomalies);
    r.ended_by = 'abort';
    r.abort_source = x.source_name ?? `code-${x.source}`;
    r.abort_reason = x.source === 2 ? (x.reason_name ?? `code-${x.reason}`) : null;
    r.aborted_by = fromClient ? 'client' : 'server';
  }

  /** An A-RELEASE-RQ (`rp` false) or -RP. */
  release(rp: boolean): void {
    const r = this.rec;
    if (rp) {
      if (r.release === 'none') this.anomaly('release_rp_without_rq');
      r.release = 'completed';
      r.ended_by = 'release';
    } else if (r.release === 'none') r.release = 'requested';
  }

  /** The transfer syntax accepted for presentation context `id`, or null. */
  transferSyntax(id: number): string | null {
    return this.contexts.get(id)?.transfer_syntax ?? null;
  }

  /** A complete DIMSE command set received on presentation context `contextId`. */
  command(c: DimseCommand, contextId: number, fromClient: boolean): void {
    const r = this.rec;
    this.anomaly(...c.anomalies);
    r.dimse_messages++;
    if (!this.contexts.has(contextId)) this.anomaly(`unknown_context_id:${contextId}`);
    const command = c.command ?? (c.command_field === null ? 'none' : `0x${c.command_field.toString(16).padStart(4, '0')}`);
    const sopClass = c.affected_sop_class ?? c.requested_sop_class ?? this.contexts.get(contextId)?.abstract_syntax ?? null;
    const sender = fromClient ? 'client' : 'server';
    let op = r.dimse.find((x) => x.command === command && x.sop_class === sopClass && x.sender === sender);
    if (op === undefined) {
      if (r.dimse.length >= MAX_OPERATION_KINDS) {
        this.anomaly('too_many_operation_kinds');
        return;
      }
      op = { command, sop_class: sopClass, sender, count: 0, statuses: [] };
      r.dimse.push(op);
    }
    op.count++;
    if (c.status !== null) {
      const status = `0x${c.status.toString(16).padStart(4, '0')}`;
      const s = op.statuses.find((x) => x.status === status);
      if (s) s.count++;
      else if (op.statuses.length < MAX_STATUSES) op.statuses.push({ status, category: statusCategory(c.status), count: 1 });
    }
  }

  /** A data set ended: its size and what the scan found. */
  dataset(bytes: number, scan: ScanResult): void {
    const r = this.rec;
    r.datasets++;
    r.dataset_bytes += bytes;
    if (scan.outcome === 'not_scanned' || scan.outcome === 'incomplete') r.phi_datasets_unscanned++;
    else r.phi_datasets_scanned++;
    if (scan.outcome === 'malformed' || scan.outcome === 'too_deep') this.anomaly(`dataset_scan_${scan.outcome}`);
    for (const kind of scan.kinds) {
      const k = r.phi.find((x) => x.kind === kind);
      if (k) k.datasets++;
      else r.phi.push({ kind, datasets: 1 });
    }
  }
}
