/**
 * Builders of IEEE 11073 SDC discovery and metadata messages for synthetic captures (scripts/make-sdc-captures.ts):
 * WS-Discovery 1.1 messages as an SDC provider and consumer exchange them over SOAP-over-UDP, and the DPWS 1.1
 * WS-Transfer Get / GetResponse carrying the provider's ThisModel, ThisDevice and Relationship metadata.
 *
 * Specs: WS-Discovery 1.1 (OASIS 2009) §4.1 Hello, §4.2 Bye, §5.2 Probe, §5.3 ProbeMatches, §6.1 Resolve, §6.2
 * ResolveMatches, §7 AppSequence, §2.4 (the To of multicast messages: urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01);
 * SOAP 1.2 Part 1 §5; WS-Addressing 1.0 Core §2–3; DPWS 1.1 §5.1 (Get / GetResponse), §5.2 (ThisModel,
 * ThisDevice, Relationship/host); IEEE 11073-20702-2016 §5 (mdpws:MedicalDevice); IEEE 11073-20701-2018 §9.3
 * (sdc.ctxt.loc, sdc.ctxt.pat, sdc.mds.pkp, sdc.cdc.type scopes) and §8 (the SDC service port types, namespace
 * http://standards.ieee.org/downloads/11073/11073-20701-2018).
 */

const NS = {
  s12: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsd: 'http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01',
  dpws: 'http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01',
  mdpws: 'http://standards.ieee.org/downloads/11073/11073-20702-2016',
  mex: 'http://schemas.xmlsoap.org/ws/2004/09/mex',
  sdc: 'http://standards.ieee.org/downloads/11073/11073-20701-2018',
} as const;

/** The To of a multicast discovery message (WS-Discovery 1.1 §2.4). */
const DISCOVERY_URN = 'urn:docs-oasis-open-org:ws-dd:ns:discovery:2009:01';
/** The WS-Addressing anonymous address (replies to the sender). */
const ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';
const TRANSFER = 'http://schemas.xmlsoap.org/ws/2004/09/transfer';

/** Escapes text for XML content (&, <, >). */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What the provider says of itself in discovery. */
export interface SdcProvider {
  /** Endpoint reference address (urn:uuid:…). */
  epr: string;
  types: string;
  scopes: string[];
  xaddrs: string;
  metadataVersion: number;
  instanceId: number;
}

/** The SOAP envelope with WS-Addressing headers `headers` (name → text, in order) and `extra` header XML, around `body`. */
function envelope(headers: [string, string][], extra: string, body: string, prefixes: readonly (keyof typeof NS)[]): string {
  const decl = prefixes.map((p) => ` xmlns:${p}="${NS[p]}"`).join('');
  const h = headers.map(([n, v]) => `<wsa:${n}>${esc(v)}</wsa:${n}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<s12:Envelope${decl}><s12:Header>${h}${extra}</s12:Header><s12:Body>${body}</s12:Body></s12:Envelope>`;
}

const DISCOVERY_PREFIXES = ['s12', 'wsa', 'wsd', 'dpws', 'mdpws'] as const;

/** The endpoint description shared by Hello, ProbeMatch and ResolveMatch. */
function endpointXml(p: SdcProvider): string {
  return `<wsa:EndpointReference><wsa:Address>${p.epr}</wsa:Address></wsa:EndpointReference>` +
    `<wsd:Types>${p.types}</wsd:Types><wsd:Scopes>${esc(p.scopes.join(' '))}</wsd:Scopes>` +
    `<wsd:XAddrs>${p.xaddrs}</wsd:XAddrs><wsd:MetadataVersion>${p.metadataVersion}</wsd:MetadataVersion>`;
}

const appSequence = (p: SdcProvider, n: number): string => `<wsd:AppSequence InstanceId="${p.instanceId}" MessageNumber="${n}"/>`;

/** Hello (§4.1), multicast. */
export function wsdHello(p: SdcProvider, messageId: string, n: number): string {
  return envelope([['Action', `${NS.wsd}/Hello`], ['MessageID', messageId], ['To', DISCOVERY_URN]], appSequence(p, n),
    `<wsd:Hello>${endpointXml(p)}</wsd:Hello>`, DISCOVERY_PREFIXES);
}

/** Bye (§4.2), multicast. */
export function wsdBye(p: SdcProvider, messageId: string, n: number): string {
  return envelope([['Action', `${NS.wsd}/Bye`], ['MessageID', messageId], ['To', DISCOVERY_URN]], appSequence(p, n),
    `<wsd:Bye><wsa:EndpointReference><wsa:Address>${p.epr}</wsa:Address></wsa:EndpointReference></wsd:Bye>`, DISCOVERY_PREFIXES);
}

/** Probe (§5.2) for `types`, multicast. */
export function wsdProbe(messageId: string, types: string): string {
  return envelope([['Action', `${NS.wsd}/Probe`], ['MessageID', messageId], ['To', DISCOVERY_URN]], '',
    `<wsd:Probe><wsd:Types>${types}</wsd:Types></wsd:Probe>`, DISCOVERY_PREFIXES);
}

/** ProbeMatches (§5.3), unicast to the prober. */
export function wsdProbeMatches(p: SdcProvider, messageId: string, relatesTo: string, n: number): string {
  return envelope([['Action', `${NS.wsd}/ProbeMatches`], ['MessageID', messageId], ['RelatesTo', relatesTo], ['To', ANONYMOUS]], appSequence(p, n),
    `<wsd:ProbeMatches><wsd:ProbeMatch>${endpointXml(p)}</wsd:ProbeMatch></wsd:ProbeMatches>`, DISCOVERY_PREFIXES);
}

/** Resolve (§6.1) of `epr`, multicast. */
export function wsdResolve(messageId: string, epr: string): string {
  return envelope([['Action', `${NS.wsd}/Resolve`], ['MessageID', messageId], ['To', DISCOVERY_URN]], '',
    `<wsd:Resolve><wsa:EndpointReference><wsa:Address>${epr}</wsa:Address></wsa:EndpointReference></wsd:Resolve>`, DISCOVERY_PREFIXES);
}

/** ResolveMatches (§6.2), unicast to the resolver. */
export function wsdResolveMatches(p: SdcProvider, messageId: string, relatesTo: string, n: number): string {
  return envelope([['Action', `${NS.wsd}/ResolveMatches`], ['MessageID', messageId], ['RelatesTo', relatesTo], ['To', ANONYMOUS]], appSequence(p, n),
    `<wsd:ResolveMatches><wsd:ResolveMatch>${endpointXml(p)}</wsd:ResolveMatch></wsd:ResolveMatches>`, DISCOVERY_PREFIXES);
}

/** WS-Transfer Get of the device's metadata (DPWS 1.1 §5.1): an empty body, addressed to the device's endpoint. */
export function dpwsGet(messageId: string, epr: string): string {
  return envelope([['Action', `${TRANSFER}/Get`], ['MessageID', messageId], ['To', epr]],
    `<wsa:ReplyTo><wsa:Address>${ANONYMOUS}</wsa:Address></wsa:ReplyTo>`, '', ['s12', 'wsa']);
}

/** The device metadata DPWS 1.1 §5.2 describes. */
export interface DpwsDeviceMetadata {
  manufacturer: string;
  manufacturerUrl: string;
  modelName: string;
  modelNumber: string;
  modelUrl: string;
  presentationUrl: string;
  friendlyName: string;
  firmwareVersion: string;
  serialNumber: string;
  hosted: { address: string; types: string; serviceId: string }[];
}

/** WS-Transfer GetResponse (DPWS 1.1 §5.1): a mex:Metadata with ThisModel, ThisDevice and Relationship sections. */
export function dpwsGetResponse(messageId: string, relatesTo: string, p: SdcProvider, d: DpwsDeviceMetadata): string {
  const el = (name: string, v: string, lang = false): string => `<dpws:${name}${lang ? ' xml:lang="en"' : ''}>${esc(v)}</dpws:${name}>`;
  const section = (dialect: string, inner: string): string => `<mex:MetadataSection Dialect="${NS.dpws}/${dialect}">${inner}</mex:MetadataSection>`;
  const hosted = d.hosted.map((h) => `<dpws:Hosted><wsa:EndpointReference><wsa:Address>${h.address}</wsa:Address></wsa:EndpointReference>` +
    `<dpws:Types>${h.types}</dpws:Types><dpws:ServiceId>${h.serviceId}</dpws:ServiceId></dpws:Hosted>`).join('');
  const body = '<mex:Metadata>' +
    section('ThisModel', `<dpws:ThisModel>${el('Manufacturer', d.manufacturer, true)}${el('ManufacturerUrl', d.manufacturerUrl)}` +
      `${el('ModelName', d.modelName, true)}${el('ModelNumber', d.modelNumber)}${el('ModelUrl', d.modelUrl)}${el('PresentationUrl', d.presentationUrl)}</dpws:ThisModel>`) +
    section('ThisDevice', `<dpws:ThisDevice>${el('FriendlyName', d.friendlyName, true)}${el('FirmwareVersion', d.firmwareVersion)}${el('SerialNumber', d.serialNumber)}</dpws:ThisDevice>`) +
    section('Relationship', `<dpws:Relationship Type="${NS.dpws}/host"><dpws:Host><wsa:EndpointReference><wsa:Address>${p.epr}</wsa:Address></wsa:EndpointReference>` +
      `<dpws:Types>${p.types}</dpws:Types></dpws:Host>${hosted}</dpws:Relationship>`) +
    '</mex:Metadata>';
  return envelope([['Action', `${TRANSFER}/GetResponse`], ['MessageID', messageId], ['RelatesTo', relatesTo]], '', body,
    ['s12', 'wsa', 'dpws', 'mdpws', 'mex', 'sdc']);
}
