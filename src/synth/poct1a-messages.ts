// Purpose: POCT1-A device messaging layer (DML) messages for tests and synthetic captures, built from CLSI POCT1-A2
// (2006): each message is one XML document whose root is the message name, with the HDR header object first and each
// value in the V attribute of its element. Element names as in the DML schemas (see src/protocols/poct1a/README.md).
// Patient and operator values passed in are made up by the caller.

/** One DML element with a V value (and optional SN/U attributes), or an object holding more elements. */
export type DmlNode = { el: string; v: string; attrs?: Record<string, string> } | { el: string; children: DmlNode[] };

/** XML attribute text: & < > " escaped (XML 1.0 §2.4, §3.1). */
function xmlAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A value element `<el V="v"/>`. */
export const val = (el: string, v: string, attrs: Record<string, string> = {}): DmlNode => ({ el, v, attrs });
/** An object element holding others. */
export const obj = (el: string, ...children: DmlNode[]): DmlNode => ({ el, children });

/** Serialises nodes, one element per line (indent as in the DML examples). */
function render(nodes: readonly DmlNode[], indent: string): string {
  return nodes.map((n) => {
    if ('children' in n) return `${indent}<${n.el}>\n${render(n.children, `${indent}  `)}${indent}</${n.el}>\n`;
    const extra = Object.entries(n.attrs ?? {}).map(([k, v]) => ` ${k}="${xmlAttr(v)}"`).join('');
    return `${indent}<${n.el} V="${xmlAttr(n.v)}"${extra}/>\n`;
  }).join('');
}

/** The HDR object (DML header): control ID, version "POCT1", creation time. */
export function hdr(controlId: string, created: string): DmlNode {
  return obj('HDR', val('HDR.control_id', controlId), val('HDR.version_id', 'POCT1'), val('HDR.creation_dttm', created));
}

/** A whole DML message: XML declaration, root `name`, HDR, then `body`. */
export function dmlMessage(name: string, controlId: string, created: string, body: readonly DmlNode[], declaration = true): string {
  const decl = declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '';
  return `${decl}<${name}>\n${render([hdr(controlId, created), ...body], '  ')}</${name}>\n`;
}

/** The device described in a Hello. */
export interface DmlDevice {
  deviceId: string;
  vendorId: string;
  modelId: string;
  serialId: string;
  manufacturer: string;
  hwVersion: string;
  swVersion: string;
  deviceName: string;
  topics: readonly string[];
  directives: readonly string[];
}

/** HEL.R01 (Hello, device → manager): DEV with DCP (timeouts) and DSC (capabilities). */
export function helloR01(controlId: string, created: string, d: DmlDevice): string {
  return dmlMessage('HEL.R01', controlId, created, [obj('DEV',
    val('DEV.device_id', d.deviceId), val('DEV.vendor_id', d.vendorId), val('DEV.model_id', d.modelId),
    val('DEV.serial_id', d.serialId), val('DEV.manufacturer_name', d.manufacturer), val('DEV.hw_version', d.hwVersion),
    val('DEV.sw_version', d.swVersion), val('DEV.device_name', d.deviceName),
    obj('DCP', val('DCP.application_timeout', '30')),
    obj('DSC', val('DSC.connection_profile_cd', 'SA'), ...d.topics.map((t) => val('DSC.topics_supported_cd', t)),
      ...d.directives.map((t) => val('DSC.directives_supported_cd', t)), val('DSC.max_message_sz', '65536')),
  )]);
}

/** ACK.R01 (Acknowledgment): type AA (accept) or AE (error) of the message `ackOf`. */
export function ackR01(controlId: string, created: string, ackOf: string, type = 'AA'): string {
  return dmlMessage('ACK.R01', controlId, created, [obj('ACK', val('ACK.type_cd', type), val('ACK.ack_control_id', ackOf))]);
}

/** DST.R01 (Device Status): new observations and events waiting. */
export function dstR01(controlId: string, created: string, newObservations: number): string {
  return dmlMessage('DST.R01', controlId, created, [obj('DST', val('DST.status_dttm', created),
    val('DST.new_observations_qty', String(newObservations)), val('DST.new_events_qty', '0'), val('DST.condition_cd', 'R'))]);
}

/** One patient result: analyte, value and unit. */
export interface DmlResult {
  analyte: string;
  value: string;
  unit: string;
}

/** OBS.R01 (patient Observations): SVC with PT (patient ID, name, birth date) holding OBS results, and OPR. */
export function obsR01(controlId: string, created: string, patient: { id: string; name: string; birthDate: string }, operatorId: string, results: readonly DmlResult[]): string {
  return dmlMessage('OBS.R01', controlId, created, [obj('SVC', val('SVC.role_cd', 'OBS'), val('SVC.observation_dttm', created),
    obj('PT', val('PT.patient_id', patient.id), val('PT.name', patient.name), val('PT.birth_date', patient.birthDate),
      ...results.map((r) => obj('OBS', val('OBS.observation_id', r.analyte, { SN: 'LOCAL' }), val('OBS.value', r.value, { U: r.unit })))),
    obj('OPR', val('OPR.operator_id', operatorId)))]);
}

/** EOT.R01 (End of Topic). */
export function eotR01(controlId: string, created: string, topic: string): string {
  return dmlMessage('EOT.R01', controlId, created, [obj('EOT', val('EOT.topic_cd', topic))]);
}

/** END.R01 (Terminate), with TRM.reason_cd. */
export function endR01(controlId: string, created: string, reason = 'NRM'): string {
  return dmlMessage('END.R01', controlId, created, [obj('TRM', val('TRM.reason_cd', reason))]);
}

/** OPL.R01 (Operator List, manager → device): operators with their access; names and IDs made up by the caller. */
export function oplR01(controlId: string, created: string, operators: readonly { id: string; name: string }[]): string {
  return dmlMessage('OPL.R01', controlId, created, operators.map((o) => obj('OPR', val('OPR.operator_id', o.id), val('OPR.name', o.name),
    obj('ACC', val('ACC.method_cd', 'ALL')))));
}

/** DTV.R01 (basic Directive, manager → device). */
export function dtvR01(controlId: string, created: string, command: string): string {
  return dmlMessage('DTV.R01', controlId, created, [obj('DTV', val('DTV.command_cd', command))]);
}
