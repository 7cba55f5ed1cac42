/**
 * Namespace names of the SOAP / WS-* stack used by WS-Discovery, DPWS and IEEE 11073 SDC (MDPWS), in both the
 * OASIS standard versions and the 2004–2006 member-submission drafts still used by Windows' WSD stack and DPWS 1.0
 * devices.
 *
 * Specs: SOAP 1.2 Part 1 §5 and SOAP 1.1 §4; WS-Addressing 1.0 Core (W3C 2006) and the 2004/08 submission;
 * WS-Discovery 1.1 (OASIS 2009) §2.4 and the April 2005 draft; DPWS 1.1 (OASIS 2009) §1.3 and DPWS 2006/02;
 * WS-MetadataExchange (2004/09) and WS-Transfer (2004/09) as profiled by DPWS 1.1 §5; IEEE 11073-20702-2016 (MDPWS)
 * §4 namespace.
 */

/** SOAP envelope namespaces (1.2, 1.1). */
export const SOAP_NS = ['http://www.w3.org/2003/05/soap-envelope', 'http://schemas.xmlsoap.org/soap/envelope/'] as const;
/** WS-Addressing namespaces (1.0, 2004/08 submission). */
export const WSA_NS = ['http://www.w3.org/2005/08/addressing', 'http://schemas.xmlsoap.org/ws/2004/08/addressing'] as const;
/** WS-Discovery 1.1. */
export const WSD_11_NS = 'http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01';
/** WS-Discovery April 2005 draft (Windows WSD, DPWS 1.0). */
export const WSD_2005_NS = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';
/** Both WS-Discovery namespaces. */
export const WSD_NS = [WSD_11_NS, WSD_2005_NS] as const;
/** DPWS namespaces (1.1, 2006/02). */
export const DPWS_NS = ['http://docs.oasis-open.org/ws-dd/ns/dpws/2009/01', 'http://schemas.xmlsoap.org/ws/2006/02/devprof'] as const;
/** WS-MetadataExchange (2004/09). */
export const MEX_NS = ['http://schemas.xmlsoap.org/ws/2004/09/mex'] as const;
/** IEEE 11073-20702 MDPWS. */
export const MDPWS_NS = 'http://standards.ieee.org/downloads/11073/11073-20702-2016';
/** The MDPWS MedicalDevice type, resolved (`{namespace}local`). */
export const MDPWS_MEDICAL_DEVICE = `{${MDPWS_NS}}MedicalDevice`;
