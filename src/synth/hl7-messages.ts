// Purpose: HL7 v2 messages for tests and synthetic captures, built from the standard: segments of fields joined with
// the message's own delimiters (HL7 v2.5.1 §2.5.4), CR after each segment, MLLP blocks (Appendix C §C.4) and batches
// (§2.10.3). Patient values passed in are made up by the caller.

/** The delimiters of a message (MSH-1 and MSH-2). */
export interface Hl7Encoding {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

/** The usual delimiters |^~\& (§2.5.4 recommends them; a message may declare others). */
export const DEFAULT_ENCODING: Hl7Encoding = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/** A field: text, or components (strings) joined with the component separator, or repetitions of those. */
export type Hl7Field = string | readonly string[] | { reps: readonly (string | readonly string[])[] };

/** The text of one field in encoding `e`. */
function fieldText(f: Hl7Field, e: Hl7Encoding): string {
  if (typeof f === 'string') return f;
  if ('reps' in f) return f.reps.map((r) => (typeof r === 'string' ? r : r.join(e.component))).join(e.repetition);
  return (f as readonly string[]).join(e.component);
}

/** One segment: its ID then fields 1…n (for MSH, fields 3…n: MSH-1 and MSH-2 come from the encoding). */
export function segment(id: string, fields: readonly Hl7Field[], e: Hl7Encoding = DEFAULT_ENCODING): string {
  const head = id === 'MSH' || id === 'FHS' || id === 'BHS' ? `${id}${e.field}${e.component}${e.repetition}${e.escape}${e.subcomponent}` : id;
  return [head, ...fields.map((f) => fieldText(f, e))].join(e.field);
}

/** The MSH header fields 3–12 (§2.14.9): applications and facilities, time, type, control ID, processing ID, version. */
export interface MshSpec {
  sendingApp: Hl7Field;
  sendingFacility: Hl7Field;
  receivingApp: Hl7Field;
  receivingFacility: Hl7Field;
  time: string;
  type: readonly string[];
  controlId: string;
  processingId?: string;
  version: string;
}

/** The MSH segment of `m`. */
export function msh(m: MshSpec, e: Hl7Encoding = DEFAULT_ENCODING): string {
  return segment('MSH', [m.sendingApp, m.sendingFacility, m.receivingApp, m.receivingFacility, m.time, '', m.type, m.controlId, m.processingId ?? 'P', m.version], e);
}

/** A message: segments each followed by CR. */
export function hl7Message(segments: readonly string[]): string {
  return segments.map((s) => `${s}\r`).join('');
}

/** An MLLP block: VT, the data, FS, CR (Appendix C §C.4.2). */
export function mllpBlock(data: string): Uint8Array {
  return Buffer.from(`\x0b${data}\x1c\r`, 'latin1');
}

/** An acknowledgment (§2.9.2 original mode) of `ackOf` with MSA-1 `code` (AA, AE, AR, CA, CE, CR). */
export function hl7Ack(m: Omit<MshSpec, 'type'> & { trigger?: string }, ackOf: string, code = 'AA', e: Hl7Encoding = DEFAULT_ENCODING): string {
  const type = m.trigger ? ['ACK', m.trigger, 'ACK'] : ['ACK'];
  return hl7Message([msh({ ...m, type }, e), segment('MSA', [code, ackOf], e)]);
}

/** A made-up patient: the values go into PID only, to check that none of them is ever stored. */
export interface Hl7Patient {
  mrn: string;
  family: string;
  given: string;
  dob: string;
  sex: string;
  street: string;
  phone: string;
}

/** PID (§3.4.2): PID-3 MRN, PID-5 name, PID-7 DOB, PID-8 sex, PID-11 address, PID-13 phone. */
export function pid(p: Hl7Patient, e: Hl7Encoding = DEFAULT_ENCODING): string {
  return segment('PID', ['1', '', [p.mrn, '', '', 'HOSP', 'MR'], '', [p.family, p.given], '', p.dob, p.sex, '', '', [p.street, '', 'TOWN', 'ST', '00000'], '', p.phone], e);
}
