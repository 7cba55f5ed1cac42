/**
 * UPnP device description reader: the XML document a UPnP device serves at the LOCATION URL of its SSDP
 * announcements → a flat `UpnpDescription` record of its root device. Pure; works on the bounded element tree
 * (../xml/tree.ts).
 *
 * Specs: UPnP Device Architecture 1.1 §2.3 (and 2.0 §2.3, same elements) "Device description": root element `root`
 * in namespace urn:schemas-upnp-org:device-1-0 with specVersion (major, minor), URLBase (UDA 1.0 only), device:
 * deviceType, friendlyName, manufacturer, manufacturerURL, modelDescription, modelName, modelNumber, modelURL,
 * serialNumber, UDN, UPC, presentationURL, serviceList/service/serviceType, deviceList/device (embedded devices).
 */
import { childElement, childElements, cutText, type XmlElement, trimmedText } from '../xml/tree.js';

/** The UPnP device description namespace (UDA 1.1 §2.3). */
export const UPNP_DEVICE_NS = 'urn:schemas-upnp-org:device-1-0';
/** Longest value kept, in characters. */
export const MAX_DESCRIPTION_VALUE = 256;
/** Service and embedded device types kept. */
export const MAX_DESCRIPTION_LIST = 32;

/** The root device of a UPnP device description. Absent elements are null. */
export interface UpnpDescription {
  format: 'upnp';
  /** specVersion major.minor. */
  spec_version: string | null;
  /** URLBase (UDA 1.0). */
  url_base: string | null;
  device_type: string | null;
  friendly_name: string | null;
  manufacturer: string | null;
  manufacturer_url: string | null;
  model_description: string | null;
  model_name: string | null;
  model_number: string | null;
  model_url: string | null;
  serial_number: string | null;
  /** UDN: `uuid:…`. */
  udn: string | null;
  upc: string | null;
  presentation_url: string | null;
  /** serviceType of each service of the root device. */
  service_types: string[];
  /** deviceType of each embedded device (deviceList, any depth). */
  embedded_device_types: string[];
  /** Anomaly names (of the XML, and of the reader). */
  anomalies: string[];
}

/** True if `root` is a UPnP device description. */
export function isUpnpDescription(root: XmlElement): boolean {
  return root.local === 'root' && root.ns === UPNP_DEVICE_NS;
}

/** Embedded device types under `device`, breadth first, bounded. */
function embeddedTypes(device: XmlElement | undefined): string[] {
  const out: string[] = [];
  const todo = childElements(childElement(device, UPNP_DEVICE_NS, 'deviceList'), UPNP_DEVICE_NS, 'device');
  for (let i = 0; i < todo.length && out.length < MAX_DESCRIPTION_LIST; i++) {
    const d = todo[i]!;
    const t = trimmedText(childElement(d, UPNP_DEVICE_NS, 'deviceType'));
    if (t) out.push(t.slice(0, MAX_DESCRIPTION_VALUE));
    todo.push(...childElements(childElement(d, UPNP_DEVICE_NS, 'deviceList'), UPNP_DEVICE_NS, 'device'));
  }
  return out;
}

/** Reads the root device of a UPnP description `root` (see isUpnpDescription). */
export function readUpnpDescription(root: XmlElement, anomalies: string[]): UpnpDescription {
  const device = childElement(root, UPNP_DEVICE_NS, 'device');
  if (device === undefined) anomalies.push('missing_device');
  const v = (parent: XmlElement | undefined, local: string): string | null => {
    return cutText(trimmedText(childElement(parent, UPNP_DEVICE_NS, local)), MAX_DESCRIPTION_VALUE, anomalies);
  };
  const spec = childElement(root, UPNP_DEVICE_NS, 'specVersion');
  const major = v(spec, 'major');
  const minor = v(spec, 'minor');
  const services = childElements(childElement(device, UPNP_DEVICE_NS, 'serviceList'), UPNP_DEVICE_NS, 'service');
  return {
    format: 'upnp',
    spec_version: major === null ? null : `${major}.${minor ?? ''}`,
    url_base: v(root, 'URLBase'),
    device_type: v(device, 'deviceType'),
    friendly_name: v(device, 'friendlyName'),
    manufacturer: v(device, 'manufacturer'),
    manufacturer_url: v(device, 'manufacturerURL'),
    model_description: v(device, 'modelDescription'),
    model_name: v(device, 'modelName'),
    model_number: v(device, 'modelNumber'),
    model_url: v(device, 'modelURL'),
    serial_number: v(device, 'serialNumber'),
    udn: v(device, 'UDN'),
    upc: v(device, 'UPC'),
    presentation_url: v(device, 'presentationURL'),
    service_types: services.slice(0, MAX_DESCRIPTION_LIST).map((s) => v(s, 'serviceType')).filter((t): t is string => t !== null && t !== ''),
    embedded_device_types: embeddedTypes(device),
    anomalies,
  };
}
