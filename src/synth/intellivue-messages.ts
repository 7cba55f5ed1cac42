// Purpose: Philips IntelliVue Data Export messages for tests and synthetic captures, built from the "IntelliVue Patient
// Monitor Data Export Interface Programming Guide": the Connect Indication, association request/response (session
// header, presentation data as the guide lists it, MDSEUserInfoStd), release and data export messages (SPpdu, ROapdus,
// RO*apdu, event report / action arguments and results, MDS Create, poll requests and replies). All values big-endian.
// Patient values passed in are made up by the caller.

/** Big-endian 16-bit value. */
const w16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
/** Big-endian 32-bit value. */
const w32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
const flat = (parts: readonly (readonly number[])[]): number[] => parts.flatMap((p) => [...p]);

/** Attribute ids used by the builders (guide: "Attribute IDs"). */
export const IV_ATTR = {
  SYS_TYPE: 0x0986, ID_MODEL: 0x0928, SYS_ID: 0x0984, NOM_VERS: 0x0948, LOCALIZN: 0x0937, SYS_SPECN: 0x0985,
  ID_PROD_SPECN: 0x092d, ID_BED_LABEL: 0x091e, LINE_FREQ: 0x0935, ALTITUDE: 0x090c, MODE_OP: 0x0946, NET_ADDR_INFO: 0xf100,
  PCOL_SUPPORT: 0xf101, NU_VAL_OBS: 0x0950, ID_HANDLE: 0x0921, PT_NAME_FAMILY: 0x095c, PT_NAME_GIVEN: 0x095d, PT_ID: 0x095a,
  PT_DOB: 0x0958, PT_SEX: 0x0961, PT_TYPE: 0x0962, PT_DEMOG_ST: 0x0957,
} as const;

/** One attribute: id and value bytes. */
export type IvAttribute = [id: number, value: readonly number[]];

/** An AttributeList (count, length, AVAType {attribute_id, length, value}*). */
export function attributeList(attrs: readonly IvAttribute[]): number[] {
  const body = flat(attrs.map(([id, v]) => [...w16(id), ...w16(v.length), ...v]));
  return [...w16(attrs.length), ...w16(body.length), ...body];
}

/** A VariableLabel: length then 8-bit ASCII text, padded with a NUL to an even length (guide: "Variable Label"). */
export function variableLabel(text: string): number[] {
  const chars = [...text].map((c) => c.charCodeAt(0) & 0xff);
  if (chars.length % 2 === 1) chars.push(0);
  return [...w16(chars.length), ...chars];
}

/** A String: length in bytes then UTF-16BE code units with a terminating NUL (guide: "String", STRFMT_UNICODE_NT). */
export function unicodeString(text: string): number[] {
  const units = [...text].flatMap((c) => w16(c.charCodeAt(0)));
  units.push(0, 0);
  return [...w16(units.length), ...units];
}

/** A list attribute value (count, length, entries). */
function list(entries: readonly (readonly number[])[]): number[] {
  const body = flat(entries);
  return [...w16(entries.length), ...w16(body.length), ...body];
}

/** Production Specification entries: [spec_type, component_id, text] (guide: ProdSpecEntry). */
export function productionSpec(entries: readonly [number, number, string][]): number[] {
  return list(entries.map(([type, component, text]) => [...w16(type), ...w16(component), ...variableLabel(text)]));
}

/** Protocol Support entries: [appl_proto, trans_proto, port, options] (guide: ProtoSupportEntry). */
export function protocolSupport(entries: readonly [number, number, number, number][]): number[] {
  return list(entries.map((e) => flat(e.map(w16))));
}

/** IP Address Information: MAC, IPv4 address, subnet mask. */
export function ipAddressInfo(mac: readonly number[], ip: readonly number[], mask: readonly number[]): number[] {
  return [...mac, ...ip, ...mask];
}

/** System Model: manufacturer and model number VariableLabels. */
export function systemModel(manufacturer: string, model: string): number[] {
  return [...variableLabel(manufacturer), ...variableLabel(model)];
}

/** ROapdus + ROIVapdu (ro_type 1) around a command argument. */
export function roiv(invokeId: number, command: number, arg: readonly number[]): number[] {
  return [...w16(1), ...w16(arg.length + 6), ...w16(invokeId), ...w16(command), ...w16(arg.length), ...arg];
}

/** ROapdus + RORSapdu (ro_type 2) around a command result. */
export function rors(invokeId: number, command: number, result: readonly number[]): number[] {
  return [...w16(2), ...w16(result.length + 6), ...w16(invokeId), ...w16(command), ...w16(result.length), ...result];
}

/** ROapdus + ROLRSapdu (ro_type 5, RorlsId state/count) around a command result. */
export function rolrs(state: number, count: number, invokeId: number, command: number, result: readonly number[]): number[] {
  return [...w16(5), ...w16(result.length + 8), state, count, ...w16(invokeId), ...w16(command), ...w16(result.length), ...result];
}

/** A data export message: SPpdu (session_id 0xE100, p_context_id) then an ROapdus. */
export function dataExport(contextId: number, ro: readonly number[]): Uint8Array {
  return Uint8Array.from([0xe1, 0x00, ...w16(contextId), ...ro]);
}

/** A ManagedObjectId {m_obj_class, context_id, handle}. */
export const managedObject = (cls: number, context = 0, handle = 0): number[] => [...w16(cls), ...w16(context), ...w16(handle)];

/** EventReportArgument (managed_object, event_time, event_type, length) + event data. */
export function eventReportArgument(object: readonly number[], time: number, type: number, data: readonly number[]): number[] {
  return [...object, ...w32(time), ...w16(type), ...w16(data.length), ...data];
}

/** The Connect Indication (guide: "Connect Indication"): Nomenclature, ROIV CMD_EVENT_REPORT NOM_NOTI_CONN_INDIC, ConnectIndInfo. */
export function connectIndication(attrs: readonly IvAttribute[], nomenclature = 0x00010000): Uint8Array {
  // managed object NOM_MOC_MDS_COMPOS_SINGLE_BED (35), event NOM_NOTI_CONN_INDIC (0x0D17)
  return Uint8Array.from([...w32(nomenclature), ...roiv(0, 0, eventReportArgument(managedObject(35), 0, 0x0d17, attributeList(attrs)))]);
}

/** MDS Create Event (guide: "MDS Create Event"): ROIV CMD_CONFIRMED_EVENT_REPORT, NOM_NOTI_MDS_CREAT, MdsCreateInfo. */
export function mdsCreateEvent(invokeId: number, time: number, attrs: readonly IvAttribute[]): Uint8Array {
  const info = [...managedObject(33), ...attributeList(attrs)];
  return dataExport(2, roiv(invokeId, 1, eventReportArgument(managedObject(33), time, 0x0d06, info)));
}

/** MDS Create Event Result: RORS CMD_CONFIRMED_EVENT_REPORT, EventReportResult (managed_object, current_time, event_type, length 0). */
export function mdsCreateResult(invokeId: number, time: number): Uint8Array {
  return dataExport(2, rors(invokeId, 1, [...managedObject(33), ...w32(time), ...w16(0x0d06), ...w16(0)]));
}

/** Single Poll Data Request (guide: PollMdibDataReq): ROIV CMD_CONFIRMED_ACTION, NOM_ACT_POLL_MDIB_DATA on the MDS. */
export function pollRequest(invokeId: number, pollNumber: number, objCode: number, attrGroup: number): Uint8Array {
  const req = [...w16(pollNumber), ...w16(1), ...w16(objCode), ...w16(attrGroup)];
  return dataExport(2, roiv(invokeId, 7, [...managedObject(33), ...w32(0), ...w16(0x0c16), ...w16(req.length), ...req]));
}

/** One polled object: handle and attributes (guide: ObservationPoll). */
export type IvPolledObject = [handle: number, attrs: readonly IvAttribute[]];

/** Single Poll Data Result (guide: PollMdibDataReply) for one naming context, as an RORS (or ROLRS with `linked`). */
export function pollResult(invokeId: number, pollNumber: number, objCode: number, attrGroup: number, time: number, objects: readonly IvPolledObject[], linked?: [number, number]): Uint8Array {
  const polls = flat(objects.map(([h, attrs]) => [...w16(h), ...attributeList(attrs)]));
  const context = [...w16(0), ...w16(objects.length), ...w16(polls.length), ...polls];
  const infoList = [...w16(1), ...w16(context.length), ...context];
  // abs_time_stamp: BCD century, year, month, day, hour, minute, second, fraction (2026-03-02 09:00:00)
  const reply = [...w16(pollNumber), ...w32(time), 0x20, 0x26, 0x03, 0x02, 0x09, 0x00, 0x00, 0x00, ...w16(1), ...w16(objCode), ...w16(attrGroup), ...infoList];
  const result = [...managedObject(33), ...w16(0x0c16), ...w16(reply.length), ...reply];
  return dataExport(2, linked ? rolrs(linked[0], linked[1], invokeId, 7, result) : rors(invokeId, 7, result));
}

/** A Numeric Observed Value (physio_id, state, unit_code, FLOAT value: 8-bit exponent, 24-bit mantissa). */
export function numericValue(physio: number, unit: number, mantissa: number, exponent = 0): number[] {
  return [...w16(physio), ...w16(0), ...w16(unit), exponent & 0xff, (mantissa >> 16) & 0xff, (mantissa >> 8) & 0xff, mantissa & 0xff];
}

/** The session data of association request and response, as listed in the guide. */
const SESSION_DATA: readonly number[] = [0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02];

/** The presentation header of the association request after its 0xC1 tag and LI, as listed in the guide. */
const AARQ_PRESENTATION: readonly number[] = [
  0x31, 0x80, 0xa0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xa2, 0x80, 0xa0, 0x03, 0x00, 0x00, 0x01, 0xa4, 0x80,
  0x30, 0x80, 0x02, 0x01, 0x01, 0x06, 0x04, 0x52, 0x01, 0x00, 0x01, 0x30, 0x80, 0x06, 0x02, 0x51, 0x01, 0x00, 0x00, 0x00,
  0x00, 0x30, 0x80, 0x02, 0x01, 0x02, 0x06, 0x0c, 0x2a, 0x86, 0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01,
  0x30, 0x80, 0x06, 0x0c, 0x2a, 0x86, 0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xa0, 0x80, 0x60, 0x80, 0xa1, 0x80, 0x06, 0x0c, 0x2a, 0x86, 0x48,
  0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03, 0x01, 0x00, 0x00, 0xbe, 0x80, 0x28, 0x80, 0x06, 0x0c, 0x2a, 0x86, 0x48,
  0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x01, 0x01, 0x02, 0x01, 0x02, 0x81,
];

/**
 * The association response's presentation data around the user data: the same layout with a CPA/AARE
 * ([APPLICATION 1] 0x61, result 0 accepted) and the user-information EXTERNAL holding the indirect reference and the
 * octet-aligned user data. The bytes before the user information are not decoded by medtap.
 */
const AARE_PRESENTATION: readonly number[] = [
  0x31, 0x80, 0xa0, 0x80, 0x80, 0x01, 0x01, 0x00, 0x00, 0xa2, 0x80, 0xa0, 0x03, 0x00, 0x00, 0x01, 0xa5, 0x80,
  0x30, 0x80, 0x80, 0x01, 0x00, 0x81, 0x02, 0x51, 0x01, 0x00, 0x00, 0x30, 0x80, 0x80, 0x01, 0x00, 0x81, 0x0c, 0x2a, 0x86,
  0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01,
  0x01, 0xa0, 0x80, 0x61, 0x80, 0xa1, 0x80, 0x06, 0x0c, 0x2a, 0x86, 0x48, 0xce, 0x14, 0x02, 0x01, 0x00, 0x00, 0x00, 0x03,
  0x01, 0x00, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x00, 0xbe, 0x80, 0x28, 0x80, 0x02, 0x01, 0x02, 0x81,
];

/** The 0x00 end-of-contents octets closing the presentation data's indefinite lengths. */
const PRESENTATION_TRAILER = (n: number): number[] => new Array<number>(n).fill(0);

/** MDSEUserInfoStd options (guide: "MDSEUserInfoStd", "PollProfileSupport", "Poll Profile Extensions"). */
export interface IvUserInfo {
  systemType: 'client' | 'server';
  startup: 'hot' | 'warm' | 'cold';
  /** min_poll_period in RelativeTime ticks (1/8 ms). */
  minPollPeriod: number;
  mtuRx: number;
  mtuTx: number;
  /** Poll Profile Extensions options, or null without the package. */
  extOptions: number | null;
}

/** MDSEUserInfoStd bytes. */
export function userInfo(u: IvUserInfo): number[] {
  const packages: IvAttribute[] = u.extOptions === null ? [] : [[0xf001, [...w32(u.extOptions), ...attributeList([])]]];
  const poll = [...w32(0x80000000), ...w32(u.minPollPeriod), ...w32(u.mtuRx), ...w32(u.mtuTx), ...w32(0xffffffff), ...w32(0x60000000), ...attributeList(packages)];
  return [
    ...w32(0x80000000), // protocol_version MDDL_VERSION1
    ...w32(0x40000000), // nomenclature_version NOMEN_VERSION
    ...w32(0), // functional_units
    ...w32(u.systemType === 'client' ? 0x80000000 : 0x00800000),
    ...w32({ hot: 0x80000000, warm: 0x40000000, cold: 0x20000000 }[u.startup]),
    ...attributeList([]), // option_list
    ...attributeList([[0x0001, poll]]), // supported_aprofiles: NOM_POLL_PROFILE_SUPPORT
  ];
}

/** A BER length (short form, or 0x81 / 0x82 long form). */
function berLength(n: number): number[] {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, ...w16(n)];
}

/** An LI (guide: "Session Headers"): one byte up to 254, else 0xFF and two bytes. */
function li(n: number): number[] {
  return n <= 254 ? [n] : [0xff, ...w16(n)];
}

/** A Session Header (type, LI) and its body. */
function session(type: number, body: readonly number[]): Uint8Array {
  return Uint8Array.from([type, ...li(body.length), ...body]);
}

/** Session data, then the presentation data (0xC1, LI) holding `header`, the user data and the closing trailer. */
function associationBody(header: readonly number[], ud: readonly number[]): number[] {
  const presentation = [...header, ...berLength(ud.length), ...ud, ...PRESENTATION_TRAILER(16)];
  return [...SESSION_DATA, 0xc1, ...li(presentation.length), ...presentation];
}

/** Association Request (CN_SPDU_SI) with the client's user data. */
export function associationRequest(u: IvUserInfo): Uint8Array {
  return session(0x0d, associationBody(AARQ_PRESENTATION, userInfo(u)));
}

/** Association Response (AC_SPDU_SI) with the monitor's user data. */
export function associationResponse(u: IvUserInfo): Uint8Array {
  return session(0x0e, associationBody(AARE_PRESENTATION, userInfo(u)));
}

/** Release Request (FN_SPDU_SI) and Release Response (DN_SPDU_SI): presentation data with an RLRQ / RLRE. */
export function releaseRequest(): Uint8Array {
  return session(0x09, [0xc1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xa0, 0x80, 0x62, 0x80, 0x80, 0x01, 0x00, ...PRESENTATION_TRAILER(8)]);
}

/** Release Response (DN_SPDU_SI). */
export function releaseResponse(): Uint8Array {
  return session(0x0a, [0xc1, 0x16, 0x61, 0x80, 0x30, 0x80, 0x02, 0x01, 0x01, 0xa0, 0x80, 0x63, 0x80, 0x80, 0x01, 0x00, ...PRESENTATION_TRAILER(8)]);
}

/** Big-endian helpers for callers building attribute values. */
export const ivWords = { w16, w32 };
