// Purpose: the attribute sets and association sequence of a Philips IntelliVue monitor's Data Export session, shared
// by the synthetic captures (scripts/make-intellivue-captures.ts, scripts/make-sample.ts): Connect Indication and MDS
// Create attributes from a monitor identity, numeric poll objects, and the client/monitor datagrams of an association
// (request/response, MDS Create event and result, numeric polls). Messages are built by ./intellivue-messages.ts.

import * as IV from './intellivue-messages.js';

const { w16, w32 } = IV.ivWords;
const A = IV.IV_ATTR;

/** A monitor's identity, as its MDS reports it (made-up serials; no patient value). */
export interface IvMonitorIdentity {
  manufacturer: string;
  model: string;
  serial: string;
  part: string;
  hwRevision: string;
  swRevision: string;
  fwRevision: string;
  protocolRevision: string;
  bedLabel: string;
}

/** A monitor's network identity: MAC and IPv4 address bytes. */
export interface IvMonitorAddress {
  mac: readonly number[];
  ip: readonly number[];
}

/** Production Specification: spec types 1–6 on the product, main board, application software and boot components. */
function prodSpec(m: IvMonitorIdentity): number[] {
  return IV.productionSpec([
    [1, 0x0008, m.serial], // SERIAL_NUMBER, ID_COMP_PRODUCT
    [2, 0x0008, m.part], // PART_NUMBER, ID_COMP_PRODUCT
    [3, 0x0050, m.hwRevision], // HW_REVISION, ID_COMP_MAIN_BD
    [4, 0x0058, m.swRevision], // SW_REVISION, ID_COMP_APPL_SW
    [5, 0x0018, m.fwRevision], // FW_REVISION, ID_COMP_BOOT
    [6, 0x0008, m.protocolRevision], // PROTOCOL_REVISION, ID_COMP_PRODUCT
  ]);
}
const SYS_TYPE: IV.IvAttribute = [A.SYS_TYPE, [...w16(1), ...w16(4301)]]; // NOM_PART_OBJ, MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS (69837 = 1·65536 + 4301)
const LOCALIZATION: IV.IvAttribute = [A.LOCALIZN, [...w32(0x01020301), ...w16(1), ...w16(11)]]; // catalog 1.2, language 3.1, English, STRFMT_UNICODE_NT

/** Connect Indication attributes (guide: "Connect Indication"): the data export and ACSE protocols on UDP 24105. */
export function ivConnectAttributes(m: IvMonitorIdentity, addr: IvMonitorAddress): IV.IvAttribute[] {
  return [
    SYS_TYPE,
    [A.ID_PROD_SPECN, prodSpec(m)],
    LOCALIZATION,
    [A.PCOL_SUPPORT, IV.protocolSupport([[1, 1, 24105, 0], [5, 1, 24105, 0]])], // AP_ID_ACSE and AP_ID_DATA_OUT over TP_ID_UDP
    [A.NET_ADDR_INFO, IV.ipAddressInfo(addr.mac, addr.ip, [255, 255, 255, 0])],
  ];
}

/** MDS Create Event attributes (guide: "MDS Create Event", System Identification / Production / Application groups). */
export function ivMdsAttributes(m: IvMonitorIdentity, addr: IvMonitorAddress): IV.IvAttribute[] {
  return [
    SYS_TYPE,
    [A.ID_MODEL, IV.systemModel(m.manufacturer, m.model)],
    [A.SYS_ID, [...w16(6), ...addr.mac]],
    [A.NOM_VERS, w32(0x40000000)],
    LOCALIZATION,
    [A.SYS_SPECN, [...w16(1), ...w16(8), ...w16(0x0001), ...w16(4), ...w16(6), ...w16(9)]], // one entry: component 1, two object codes
    [A.ID_PROD_SPECN, prodSpec(m)],
    [A.ID_BED_LABEL, IV.unicodeString(m.bedLabel)],
    [A.LINE_FREQ, w16(1)], // LINE_F_50HZ
    [A.ALTITUDE, w16(120)],
    [A.MODE_OP, w16(0x4000)], // MONITORING
  ];
}

/** Numeric objects: heart rate `hr` /min and SpO2 97 % (Numeric Observed Value; codes from the SCADA and DIM partitions). */
export function ivNumerics(hr: number): IV.IvPolledObject[] {
  return [
    [0x0101, [[A.NU_VAL_OBS, IV.numericValue(0x4182, 0x0aa0, hr)]]], // NOM_ECG_CARD_BEAT_RATE, bpm
    [0x0102, [[A.NU_VAL_OBS, IV.numericValue(0x4bb8, 0x0220, 97)]]], // NOM_PULS_OXIM_SAT_O2, %
  ];
}

/** Who sends a datagram of the association: the data export client (`c`) or the monitor (`m`). */
export type IvSide = 'c' | 'm';

/**
 * The opening of an association on UDP 24105, in order: request, response, the monitor's MDS Create event and the
 * client's result, then one numeric poll (request and result) per heart rate of `polls`. No demographics poll.
 */
export function ivAssociationOpening(m: IvMonitorIdentity, addr: IvMonitorAddress, polls: readonly number[]): [IvSide, Uint8Array][] {
  const clientInfo: IV.IvUserInfo = { systemType: 'client', startup: 'cold', minPollPeriod: 0x2710, mtuRx: 1000, mtuTx: 1000, extOptions: 0x88000000 };
  const monitorInfo: IV.IvUserInfo = { systemType: 'server', startup: 'warm', minPollPeriod: 0x2710, mtuRx: 1000, mtuTx: 1000, extOptions: 0x88000000 };
  const out: [IvSide, Uint8Array][] = [
    ['c', IV.associationRequest(clientInfo)],
    ['m', IV.associationResponse(monitorInfo)],
    ['m', IV.mdsCreateEvent(1, 0x00100000, ivMdsAttributes(m, addr))],
    ['c', IV.mdsCreateResult(1, 0x00100100)],
  ];
  polls.forEach((hr, k) => {
    out.push(['c', IV.pollRequest(2 + k, 1 + k, 6, 0x0803)]); // numerics, Metric Observed Value group
    out.push(['m', IV.pollResult(2 + k, 1 + k, 6, 0x0803, 0x00101000 + k * 0x1000, ivNumerics(hr))]);
  });
  return out;
}
