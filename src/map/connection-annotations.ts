/**
 * What the protocol analyzers learned about each connection, for the network map's edges: the application
 * protocol recognised, whether it was encrypted, the kinds of patient data (PHI) it carried and the kinds of
 * credentials seen in clear. Observations are matched to flows by their connection's addresses and ports (either
 * direction); the ingest takes a connection's annotation when its flow ends (`take`). Kinds only, never values.
 *
 * Bounded: at most MAX_ANNOTATED_CONNECTIONS connections are held (an annotation lives from its first observation
 * to its flow's end); beyond it new connections are counted in `dropped`, not annotated.
 */
import type { Observation, PacketContext } from '../observe/observation.js';

/** Connections annotated at once. */
export const MAX_ANNOTATED_CONNECTIONS = 262_144;
/** Distinct PHI kinds, and credential kinds, kept per connection and per edge. */
export const MAX_KINDS = 64;

/** Encryption of a connection: 1 encrypted, 0 cleartext, null unknown. */
export type Encryption = 0 | 1 | null;

/** One connection's annotation. */
export interface ConnectionAnnotation {
  /** The first application protocol an analyzer recognised (observation kind; `mdns`/`llmnr` for those DNS services). */
  appProto: string;
  encrypted: Encryption;
  /** `<protocol>:<kind>` PHI kinds, e.g. `hl7:PID:name`, `dicom:patient_birth_date`, `poct1a:PT.name`. */
  phiKinds: string[];
  /** Cleartext credential kinds: `telnet`, `ftp`, `ftp-anonymous`, `http-basic`, `snmp-community:<default or <other>>`, `dicom-user-identity`. */
  credentials: string[];
}

/** Encryption by observation kind when the observation itself does not tell (null: unknown). */
function kindEncryption(kind: string): Encryption {
  switch (kind) {
    case 'tls': case 'ssh': return 1;
    case 'dns': case 'http': case 'ntp': case 'telnet': case 'hl7': case 'poct1a': case 'dhcp': case 'dhcpv6': case 'ssdp': case 'nbns': case 'nbdgm':
      return 0;
    default: return null;
  }
}

/** Adds `v` to a bounded list of distinct kinds (at most MAX_KINDS). */
export function addKind(list: string[], v: string): void {
  if (list.length < MAX_KINDS && !list.includes(v)) list.push(v);
}

/** Combines two encryption verdicts: cleartext wins over encrypted, known over unknown. */
export function combineEncryption(a: Encryption, b: Encryption): Encryption {
  if (a === null) return b;
  if (b === null) return a;
  return a === 0 || b === 0 ? 0 : 1;
}

/** The application protocol name of an observation. */
function appProtoOf(o: Observation): string {
  return o.kind === 'dns' ? (o.msg.service === 'dns' ? 'dns' : o.msg.service) : o.kind;
}

/** Encryption an observation shows for its connection. */
function encryptionOf(o: Observation): Encryption {
  switch (o.kind) {
    case 'dicom': return o.msg.encrypted ? 1 : 0;
    case 'ftp': return o.msg.tls ? 1 : 0;
    case 'snmp': return o.msg.version === 3 && o.msg.priv === true ? 1 : 0;
    case 'rdp': {
      // RDP_NEG_RSP selectedProtocol 0 is standard RDP security (RC4, no server authentication): counted as clear.
      if (o.msg.selected_protocol === null) return null;
      return o.msg.selected_protocol === 0 ? 0 : 1;
    }
    default: return kindEncryption(o.kind);
  }
}

/**
 * The kind list of an annotation nothing was added to: shared by them (most connections carry neither PHI nor
 * credentials), never added to (addPhi / addCredential give an annotation its own list first).
 */
const NO_KINDS = Object.freeze([]) as unknown as string[];

/** Adds a PHI kind to `a`. */
function addPhi(a: ConnectionAnnotation, v: string): void {
  if (a.phiKinds === NO_KINDS) a.phiKinds = [];
  addKind(a.phiKinds, v);
}

/** Adds a cleartext credential kind to `a`. */
function addCredential(a: ConnectionAnnotation, v: string): void {
  if (a.credentials === NO_KINDS) a.credentials = [];
  addKind(a.credentials, v);
}

/** Adds the PHI kinds and cleartext credential kinds an observation shows to `a`. */
function addFindings(o: Observation, a: ConnectionAnnotation): void {
  switch (o.kind) {
    case 'hl7': for (const k of o.msg.phi_kinds) addPhi(a, `hl7:${k}`); break;
    case 'poct1a': for (const k of o.msg.phi_kinds) addPhi(a, `poct1a:${k}`); break;
    case 'dicom':
      for (const p of o.msg.phi) addPhi(a, `dicom:${p.kind}`);
      if (o.msg.cleartext_credentials) addCredential(a, 'dicom-user-identity');
      break;
    case 'telnet': if (o.msg.cleartext_password) addCredential(a, 'telnet'); break;
    case 'ftp': if (o.msg.cleartext_password) addCredential(a, o.msg.anonymous ? 'ftp-anonymous' : 'ftp'); break;
    case 'http': if (o.msg.auth_scheme !== null && o.msg.auth_scheme.toLowerCase() === 'basic') addCredential(a, 'http-basic'); break;
    case 'snmp':
      // The record holds a community only when it is a well-known default, else "<other>" (never the secret).
      if (o.msg.community !== null) addCredential(a, `snmp-community:${o.msg.community === '' ? '(empty)' : o.msg.community}`);
      break;
    default: break;
  }
}

/** One connection's value in a ConnectionMap chain: its two ends' addresses (ordered as in ConnectionMap). */
interface ConnectionEntry<T> {
  lo: string;
  hi: string;
  value: T;
  next: ConnectionEntry<T> | null;
}

/**
 * Values by connection, either direction: the two ports (lower end's · 65536 + higher end's) → a chain of the
 * connections on those ports, each with the lower and the higher end's address, the ends ordered by address text
 * then port. One lookup by a number per access (ephemeral ports make most chains one entry long); no key text is built.
 */
class ConnectionMap<T> {
  private readonly byPorts = new Map<number, ConnectionEntry<T>>();
  size = 0;

  /**
   * The value of a connection; when absent, `make(arg)` is stored as its value (nothing when make returns undefined)
   * and returned.
   */
  getOrAdd<A>(ipA: string, portA: number, ipB: string, portB: number, make: (arg: A) => T | undefined, arg: A): T | undefined {
    const aLow = ipA < ipB || (ipA === ipB && portA <= portB);
    const lo = aLow ? ipA : ipB;
    const hi = aLow ? ipB : ipA;
    const k = aLow ? portA * 65536 + portB : portB * 65536 + portA;
    const first = this.byPorts.get(k) ?? null;
    for (let e = first; e !== null; e = e.next) if (e.lo === lo && e.hi === hi) return e.value;
    const made = make(arg);
    if (made === undefined) return undefined;
    // put at the chain's head: entries are told apart by their addresses, their order in a chain is not read
    this.byPorts.set(k, { lo, hi, value: made, next: first });
    this.size++;
    return made;
  }

  /** Removes and returns a connection's value. */
  take(ipA: string, portA: number, ipB: string, portB: number): T | undefined {
    const aLow = ipA < ipB || (ipA === ipB && portA <= portB);
    const k = aLow ? portA * 65536 + portB : portB * 65536 + portA;
    const first = this.byPorts.get(k);
    if (first === undefined) return undefined;
    const lo = aLow ? ipA : ipB;
    const hi = aLow ? ipB : ipA;
    let prev: ConnectionEntry<T> | null = null;
    for (let e: ConnectionEntry<T> | null = first; e !== null; prev = e, e = e.next) {
      if (e.lo !== lo || e.hi !== hi) continue;
      if (prev !== null) prev.next = e.next;
      else if (e.next !== null) this.byPorts.set(k, e.next);
      else this.byPorts.delete(k);
      this.size--;
      return e.value;
    }
    return undefined;
  }
}

/** Collects per-connection annotations from observations during one ingest. */
export class ConnectionAnnotator {
  private readonly byConn = new ConnectionMap<ConnectionAnnotation>();
  /** Connections not annotated because MAX_ANNOTATED_CONNECTIONS were held. */
  dropped = 0;

  /** Feeds one observation (those without IP context, and derived ones, are ignored). */
  observe(o: Observation): void {
    if (o.kind === 'tcp_fp' || !('src_ip' in o.ctx)) return; // (TCP fingerprints are no application protocol)
    const c = o.ctx as PacketContext;
    const a = this.byConn.getOrAdd(c.src_ip, c.src_port, c.dst_ip, c.dst_port, this.annotation, o);
    if (a === undefined) return;
    // (for an annotation just made from `o` this changes nothing: combineEncryption(x, x) is x)
    if (a.appProto === appProtoOf(o)) a.encrypted = combineEncryption(a.encrypted, encryptionOf(o));
    addFindings(o, a);
  }

  /** A new connection's annotation from its first observation, or undefined (counted) when MAX_ANNOTATED_CONNECTIONS are held. */
  private readonly annotation = (o: Observation): ConnectionAnnotation | undefined => {
    if (this.byConn.size >= MAX_ANNOTATED_CONNECTIONS) {
      this.dropped++;
      return undefined;
    }
    return { appProto: appProtoOf(o), encrypted: encryptionOf(o), phiKinds: NO_KINDS, credentials: NO_KINDS };
  };

  /** The annotation of the connection between two ends, removed (its flow ended); undefined when none. */
  take(ipA: string, portA: number, ipB: string, portB: number): ConnectionAnnotation | undefined {
    if (this.byConn.size === 0) return undefined;
    return this.byConn.take(ipA, portA, ipB, portB);
  }

  /** Connections currently annotated. */
  get size(): number {
    return this.byConn.size;
  }
}

/**
 * Encryption and protocol name of traffic no analyzer decodes but whose transport tells: IPsec ESP (IP protocol
 * 50) and AH (51, authentication only), and by their registered ports IKE (UDP 500), IPsec NAT traversal (UDP
 * 4500, RFC 3948) and WireGuard (UDP 51820, its default port). Undefined when nothing is known.
 */
export function transportAnnotation(proto: number, serverPort: number): ConnectionAnnotation | undefined {
  if (proto === 50) return TRANSPORT.esp;
  if (proto === 51) return TRANSPORT.ah;
  if (proto !== 17) return undefined;
  if (serverPort === 500) return TRANSPORT.ike;
  if (serverPort === 4500) return TRANSPORT.natT;
  if (serverPort === 51820) return TRANSPORT.wireguard;
  return undefined;
}

/** The annotations of transportAnnotation (shared, never modified). */
const TRANSPORT = {
  esp: transport('ipsec-esp', 1),
  ah: transport('ipsec-ah', 0),
  ike: transport('ike', 1),
  natT: transport('ipsec-nat-t', 1),
  wireguard: transport('wireguard', 1),
};

function transport(appProto: string, encrypted: Encryption): ConnectionAnnotation {
  return Object.freeze({ appProto, encrypted, phiKinds: [], credentials: [] });
}
