/**
 * PHI flow facts: which patient-data kinds a device sent to or received from which peer, from the HL7 v2, POCT1-A
 * and DICOM analyzers (their records hold the kinds present — "PID:name", "patient_birth_date", … — never a value).
 * One fact `phi_flow` per device, direction, peer and set of kinds, valued
 * `<protocol>|<sent|received|exchanged>|<peer ip>|<kind,kind,…>` (kinds sorted): HL7 and POCT1-A messages have a
 * sender and a receiver; a DICOM association carries data sets both ways (C-STORE from the requestor, C-FIND
 * responses from the acceptor), so both ends get `exchanged`. Each analyzer reads PHI only from cleartext traffic,
 * so a `phi_flow` fact is also PHI seen in clear. The findings engine (src/findings/) turns them into `phi_flow` and
 * `phi_in_clear` findings.
 */
import type { Observation, PacketContext } from '../observe/observation.js';
import { factMac, FactBook, type IdentityCollector, type MacFact } from './identity-collector.js';

/** How a device took part in a PHI exchange. */
export type PhiDirection = 'sent' | 'received' | 'exchanged';

/** One parsed `phi_flow` fact value. */
export interface PhiFlowValue {
  protocol: string;
  direction: PhiDirection;
  peer_ip: string;
  kinds: string[];
}

/** Builds a `phi_flow` fact value. */
export function phiFlowValue(v: PhiFlowValue): string {
  return `${v.protocol}|${v.direction}|${v.peer_ip}|${[...v.kinds].sort().join(',')}`;
}

/** Parses a `phi_flow` fact value; null when malformed. */
export function parsePhiFlowValue(s: string): PhiFlowValue | null {
  const f = s.split('|');
  if (f.length !== 4 || (f[1] !== 'sent' && f[1] !== 'received' && f[1] !== 'exchanged') || f[3] === '') return null;
  return { protocol: f[0]!, direction: f[1], peer_ip: f[2]!, kinds: f[3]!.split(',') };
}

/** Collects PHI flow facts during an ingest. */
export class PhiFlowCollector implements IdentityCollector {
  /** Observation kinds read (IdentityCollector.kinds). */
  readonly kinds = ['hl7', 'poct1a', 'dicom'] as const;
  private readonly facts = new FactBook();

  observe(o: Observation): void {
    if (o.kind === 'hl7' || o.kind === 'poct1a') this.flow(o.kind, o.ctx, o.msg.phi_kinds, 'sent', 'received');
    else if (o.kind === 'dicom' && !o.msg.encrypted) this.flow('dicom', o.ctx, o.msg.phi.map((p) => p.kind), 'exchanged', 'exchanged');
  }

  allFacts(): MacFact[] {
    return this.facts.all();
  }

  /** Records the flow `ctx` (src → dst) carrying `kinds` on both ends. */
  private flow(protocol: string, ctx: PacketContext, kinds: readonly string[], src: PhiDirection, dst: PhiDirection): void {
    if (kinds.length === 0) return;
    const conn = `${protocol.toUpperCase()} ${ctx.src_ip}:${ctx.src_port} → ${ctx.dst_ip}:${ctx.dst_port}`;
    const evidence = `${conn}: ${kinds.length} patient data kind(s) in clear (values never read)`;
    const srcMac = factMac(ctx.src_mac, ctx.src_ip);
    if (srcMac !== null) {
      this.facts.add(srcMac, protocol, 'phi_flow', phiFlowValue({ protocol, direction: src, peer_ip: ctx.dst_ip, kinds: [...kinds] }), 1, evidence, ctx.ts_us, ctx.src_ip);
    }
    const dstMac = factMac(ctx.dst_mac, ctx.dst_ip);
    if (dstMac !== null) {
      this.facts.add(dstMac, protocol, 'phi_flow', phiFlowValue({ protocol, direction: dst, peer_ip: ctx.src_ip, kinds: [...kinds] }), 1, evidence, ctx.ts_us, ctx.dst_ip);
    }
  }
}
