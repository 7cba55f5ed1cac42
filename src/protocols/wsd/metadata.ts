/**
 * DPWS device metadata reader: a SOAP envelope carrying WS-MetadataExchange metadata (the WS-Transfer GetResponse a
 * DPWS device — an IEEE 11073 SDC provider, a Windows WSD printer or scanner — returns for its description) →
 * a flat `DpwsMetadata` record. Pure; works on the bounded element tree (../xml/tree.ts).
 *
 * Specs: DPWS 1.1 (OASIS 2009) §5.1 (WS-Transfer Get/GetResponse for device metadata; the response body is a
 * mex:Metadata), §5.2 (metadata sections with dialects ThisModel, ThisDevice, Relationship): ThisModel
 * Manufacturer, ManufacturerUrl, ModelName, ModelNumber, ModelUrl, PresentationUrl; ThisDevice FriendlyName,
 * FirmwareVersion, SerialNumber; Relationship Type=…/host with Host (EndpointReference, Types) and Hosted
 * (EndpointReference, Types, ServiceId); DPWS 2006/02 (same elements); WS-MetadataExchange 2004/09 §4 (Metadata,
 * MetadataSection); IEEE 11073-20702-2016 §5 (mdpws:MedicalDevice among the host types of an SDC provider).
 */
import { childElement, childElements, cutText, findElement, type XmlElement, resolveQName, trimmedText } from '../xml/tree.js';
import { DPWS_NS, MDPWS_MEDICAL_DEVICE, MEX_NS, SOAP_NS, WSA_NS } from './namespaces.js';

/** Longest value kept, in characters. */
export const MAX_METADATA_VALUE = 256;
/** Hosted services and types kept. */
export const MAX_METADATA_LIST = 32;

/** One hosted service of a DPWS device (DPWS 1.1 §5.2.3). */
export interface DpwsHostedService {
  /** Its first EndpointReference/Address. */
  address: string | null;
  /** Its port types, resolved to `{namespace}local`. */
  types: string[];
  /** ServiceId. */
  service_id: string | null;
}

/** The device description of a DPWS metadata response. Absent elements are null. */
export interface DpwsMetadata {
  format: 'dpws';
  /** The WS-Addressing Action of the envelope (…/transfer/GetResponse, …/mex/GetMetadata/Response). */
  action: string | null;
  /** ThisModel. */
  manufacturer: string | null;
  manufacturer_url: string | null;
  model_name: string | null;
  model_number: string | null;
  model_url: string | null;
  presentation_url: string | null;
  /** ThisDevice. */
  friendly_name: string | null;
  firmware_version: string | null;
  serial_number: string | null;
  /** Relationship/Host: the device's endpoint address and types. */
  host_address: string | null;
  host_types: string[];
  /** Relationship/Hosted services. */
  hosted: DpwsHostedService[];
  /** The host types include mdpws:MedicalDevice. */
  medical_device: boolean;
  /** Anomaly names (of the XML, and of the body reader). */
  anomalies: string[];
}

/** A value cut to MAX_METADATA_VALUE (noting `long_value`). */
function bounded(v: string | null, anomalies: string[]): string | null {
  return cutText(v, MAX_METADATA_VALUE, anomalies);
}

/** Resolved types of a Types element (undeclared prefixes skipped). */
function typesOf(el: XmlElement | undefined): string[] {
  const t = trimmedText(el);
  if (t === null || t === '') return [];
  const out: string[] = [];
  for (const q of t.split(/[ \t\r\n]+/).slice(0, MAX_METADATA_LIST)) {
    const r = resolveQName(el!, q);
    if (r !== null) out.push(r.slice(0, MAX_METADATA_VALUE));
  }
  return out;
}

/** First EndpointReference/Address under `el`. */
function addressOf(el: XmlElement | undefined): string | null {
  return trimmedText(childElement(childElement(el, WSA_NS, 'EndpointReference'), WSA_NS, 'Address'));
}

/** True if the envelope's body carries DPWS device metadata (a mex:Metadata, or ThisModel/ThisDevice). */
export function isDpwsMetadataEnvelope(root: XmlElement): boolean {
  if (root.local !== 'Envelope' || !(SOAP_NS as readonly string[]).includes(root.ns)) return false;
  const body = childElement(root, root.ns, 'Body');
  return findElement(body, MEX_NS, 'Metadata') !== undefined || findElement(body, DPWS_NS, 'ThisModel') !== undefined;
}

/** Reads the device description of a SOAP envelope `root` (see isDpwsMetadataEnvelope). */
export function readDpwsMetadata(root: XmlElement, anomalies: string[]): DpwsMetadata {
  const header = childElement(root, root.ns, 'Header');
  const body = childElement(root, root.ns, 'Body');
  const model = findElement(body, DPWS_NS, 'ThisModel');
  const device = findElement(body, DPWS_NS, 'ThisDevice');
  const rel = findElement(body, DPWS_NS, 'Relationship');
  const host = childElement(rel, DPWS_NS, 'Host');
  const v = (parent: XmlElement | undefined, local: string): string | null => bounded(trimmedText(childElement(parent, DPWS_NS, local)), anomalies);
  const hostedEls = childElements(rel, DPWS_NS, 'Hosted');
  if (hostedEls.length > MAX_METADATA_LIST) anomalies.push('long_list');
  const hostTypes = typesOf(childElement(host, DPWS_NS, 'Types'));
  return {
    format: 'dpws',
    action: bounded(trimmedText(childElement(header, WSA_NS, 'Action')), anomalies),
    manufacturer: v(model, 'Manufacturer'),
    manufacturer_url: v(model, 'ManufacturerUrl'),
    model_name: v(model, 'ModelName'),
    model_number: v(model, 'ModelNumber'),
    model_url: v(model, 'ModelUrl'),
    presentation_url: v(model, 'PresentationUrl'),
    friendly_name: v(device, 'FriendlyName'),
    firmware_version: v(device, 'FirmwareVersion'),
    serial_number: v(device, 'SerialNumber'),
    host_address: bounded(addressOf(host), anomalies),
    host_types: hostTypes,
    hosted: hostedEls.slice(0, MAX_METADATA_LIST).map((h) => ({
      address: bounded(addressOf(h), anomalies),
      types: typesOf(childElement(h, DPWS_NS, 'Types')),
      service_id: v(h, 'ServiceId'),
    })),
    medical_device: hostTypes.includes(MDPWS_MEDICAL_DEVICE),
    anomalies,
  };
}
