/**
 * FDA premarket cybersecurity tier (FDA, "Content of Premarket Submissions for Management of Cybersecurity in
 * Medical Devices", draft guidance, October 2018, §IV): Tier 1 "Higher Cybersecurity Risk" = the device can connect
 * (wired or wirelessly) to another product, a network or the internet, AND a cybersecurity incident affecting it
 * could directly result in patient harm to multiple patients; Tier 2 "Standard Cybersecurity Risk" = any device
 * that does not meet Tier 1. Every device medtap sees is connected, so the second condition decides; it is read
 * as: a medical device whose patient-safety impact is at least MEDIUM and that reaches several patients — it
 * sustains life or delivers therapy (a fleet of one model is attacked as one), serves many patients (its PHI role),
 * or is one of several networked units of the same model in the inventory.
 */
import { categoryDefaults } from '../knowledge/categories.js';
import type { Impacts } from './impacts.js';

/** The tier and why. */
export interface FdaTier {
  tier: 1 | 2;
  reasons: string[];
}

/** What the tier is decided from. */
export interface TierInput {
  category: string | null;
  impacts: Impacts;
  /** Devices in the inventory with the same vendor and model (this one included; 1 when unknown). */
  fleet: number;
}

/** The FDA 2018 draft premarket tier of a connected device. */
export function fdaTier(input: TierInput): FdaTier {
  const reasons = ['connected: seen on the network'];
  const { impacts } = input;
  if (!impacts.medical) return { tier: 2, reasons: [...reasons, 'not a medical device'] };
  if (impacts.patient_safety.level === 'low') return { tier: 2, reasons: [...reasons, 'patient-safety impact LOW: no direct patient harm expected'] };
  const d = categoryDefaults(input.category);
  const multiple: string[] = [];
  if (d.life_supporting || d.therapy) multiple.push(`${d.category} ${d.life_supporting ? 'sustains life' : 'delivers therapy'}: one exploit reaches every unit`);
  if (impacts.privacy.level === 'high') multiple.push('serves many patients (privacy HIGH: many-patient role)');
  if (input.fleet >= 2) multiple.push(`${input.fleet} networked units of the same model`);
  if (multiple.length === 0) return { tier: 2, reasons: [...reasons, `patient-safety impact ${impacts.patient_safety.level.toUpperCase()}, but harm limited to one patient`] };
  return { tier: 1, reasons: [...reasons, `patient-safety impact ${impacts.patient_safety.level.toUpperCase()}`, ...multiple] };
}
