/**
 * NetBIOS over TCP/IP parsers: one UDP payload → a flat record. `parseNbns` reads the name service (UDP 137),
 * `parseNetbiosDatagram` the datagram service (UDP 138), including the browser announcements that Windows, Samba
 * and many embedded devices broadcast in SMB mailslot transactions. Pure: no state, no I/O, never throws, never
 * reads outside b[off, off+len).
 *
 * Specs:
 * - RFC 1001 §14.1 and RFC 1002 §4.1 (first-level encoding of a NetBIOS name: 16 bytes → 32 letters 'A'–'P' in one
 *   label, then the scope id as DNS labels; label string pointers as in RFC 883/1035);
 * - RFC 1002 §4.2 (name service packets: header, question, resource records, NB / NBSTAT / A / NS / NULL RDATA,
 *   WACK RDATA, NODE_NAME entries and STATISTICS of a node status response) and §4.2.1.1 (opcodes, NM_FLAGS);
 * - [MS-NBTE] §2.2.1 (Microsoft's extensions: H-node owner type 11, multi-homed registration opcode 0xF, refresh
 *   opcode 9);
 * - RFC 1002 §4.4 (datagram service: DIRECT_UNIQUE/DIRECT_GROUP/BROADCAST, ERROR and QUERY datagrams, FLAGS with
 *   SNT/F/M, DGM_LENGTH counting the bytes after PACKET_OFFSET);
 * - [MS-CIFS] §2.2.3.1 (SMB header) and §2.2.4.33.1 (SMB_COM_TRANSACTION request: words, Name, DataOffset/DataCount
 *   relative to the SMB header), [MS-MAIL] §2.2 (mailslot write: setup words, \MAILSLOT\ names);
 * - [MS-BRWS] §2.2 (browser frames by opcode; §2.2.2 HostAnnouncement, §2.2.7 DomainAnnouncement, §2.2.10
 *   LocalMasterAnnouncement: UpdateCount, Periodicity, ServerName[16], OS version, ServerType, browser version,
 *   Signature 0xAA55, Comment) and [MS-RAP] §2.5.5.2.1 / lmserver.h (SV_TYPE_* server type bits).
 *
 * Malformed content past the fixed header is not an error: it is recorded in `anomalies` (names below) and the
 * affected part is left out. Only bad bounds or a payload shorter than the fixed header fail.
 *
 * Text from the wire (NetBIOS names, scope labels, browser server names and comments) is decoded as UTF-8 when the
 * bytes are valid UTF-8 and as Latin-1 otherwise (names are in an OEM code page, which Latin-1 approximates); C0/C1
 * control characters and DEL are written as `\xNN`, a backslash as `\\`, Unicode line/paragraph separators, bidi
 * controls and the BOM as `\uNNNN`, so the escaping is unambiguous and a value can be logged safely. The mailslot
 * name is the one exception: its backslashes are path separators and are kept as they are. (Shared with the other
 * parsers: src/protocols/wire-text.ts.)
 */
import { decodeUtf16LeText, decodeWireText, HEX_BYTE, ipv4Text, macText } from '../wire-text.js';

/** Bytes of the name service header (RFC 1002 §4.2.1.1). */
export const NBNS_HEADER_BYTES = 12;
/** Bytes of the datagram header common to every datagram type (RFC 1002 §4.4.1: type … SOURCE_PORT). */
export const NBDGM_HEADER_BYTES = 10;
/** Bytes of the header of a DIRECT_UNIQUE / DIRECT_GROUP / BROADCAST datagram (adds DGM_LENGTH, PACKET_OFFSET). */
export const NBDGM_DIRECT_HEADER_BYTES = 14;
/** Largest payload parsed; longer input is cut here (the largest IPv4 UDP payload is 65,507 bytes). */
export const MAX_NETBIOS_MESSAGE_BYTES = 65_535;
/** Most questions decoded from one name service packet; the rest are skipped. */
export const MAX_NBNS_QUESTIONS = 16;
/** Most resource records decoded from one name service packet, over all three sections; the rest are skipped. */
export const MAX_NBNS_RECORDS = 64;
/** Most (flags, address) entries decoded from the RDATA of one NB record. */
export const MAX_NB_ADDRESS_ENTRIES = 64;
/** Most node names decoded from one node status (NBSTAT) response. */
export const MAX_NBSTAT_NAMES = 64;
/** Longest encoded name accepted, scope included (RFC 1002 §4.1 / RFC 1035 §2.3.4 wire length). */
export const MAX_NETBIOS_NAME_BYTES = 255;
/** Most label string pointers followed while reading one name (each must also point strictly backwards). */
export const MAX_NAME_POINTER_HOPS = 16;
/** Most scope labels kept per name (a 255-byte name holds at most 127 labels). */
export const MAX_SCOPE_LABELS = 127;
/** Longest SMB transaction name (mailslot name) read, in bytes. */
export const MAX_MAILSLOT_NAME_BYTES = 256;
/** Longest browser comment read, in bytes ([MS-BRWS] says 43 with the NUL; Samba sends longer ones). */
export const MAX_BROWSER_COMMENT_BYTES = 255;

/** Bytes of the fixed part of a Host/LocalMaster/Domain announcement, up to and including the signature. */
export const BROWSER_ANNOUNCEMENT_FIXED_BYTES = 32;
/** The signature of an announcement ([MS-BRWS] §2.2.2: 0xAA55, little-endian on the wire). */
export const BROWSER_SIGNATURE = 0xaa55;
/** The mailslot that carries browser frames ([MS-BRWS] §2.1), compared case-insensitively. */
export const BROWSE_MAILSLOT = '\\MAILSLOT\\BROWSE';

/**
 * Anomaly names. An entry of `anomalies` is one of these, optionally followed by `:` and a detail (the record type
 * for RDATA problems, e.g. `bad_rdata_length:nb`; the place for name problems, e.g. `bad_name_encoding:source`).
 */
export const NETBIOS_ANOMALIES = {
  /** The payload was longer than MAX_NETBIOS_MESSAGE_BYTES and was cut. */
  oversized_message: 'payload longer than MAX_NETBIOS_MESSAGE_BYTES, cut',
  /** A name runs past the end of the message (or of the datagram data). */
  name_truncated: 'a name runs past the end of its area (":where")',
  /** The first label is not 32 letters 'A'–'P': `name` holds the label as text and `suffix` is null. */
  bad_name_encoding: 'first label is not a first-level encoded NetBIOS name (":where")',
  /** A label length byte with the top bits 01 or 10 (reserved). */
  bad_label_type: 'label length byte with reserved top bits (":where")',
  /** A label string pointer that does not point strictly backwards, too many hops, or a pointer where none may be. */
  bad_name_pointer: 'label string pointer not strictly backwards, too many hops, or not allowed here (":where")',
  /** The encoded name is longer than MAX_NETBIOS_NAME_BYTES, or has more than MAX_SCOPE_LABELS scope labels. */
  name_too_long: 'encoded name longer than MAX_NETBIOS_NAME_BYTES (":where")',
  /** More than MAX_NBNS_QUESTIONS questions announced; the rest were skipped. */
  too_many_questions: 'QDCOUNT above MAX_NBNS_QUESTIONS',
  /** More than MAX_NBNS_RECORDS records announced; the rest were skipped. */
  too_many_records: 'ANCOUNT + NSCOUNT + ARCOUNT above MAX_NBNS_RECORDS',
  /** A question's type/class do not fit in the packet; decoding stops there. */
  question_truncated: 'question type/class missing',
  /** A record's type … RDLENGTH do not fit in the packet; decoding stops there. */
  record_truncated: 'record fixed fields missing',
  /** RDLENGTH runs past the end of the packet; decoding stops there. */
  rdata_overrun: 'RDLENGTH runs past the end of the packet (":type")',
  /** RDATA of a length its type does not allow (":nb", ":nbstat", ":a", ":ns", ":wack"). */
  bad_rdata_length: 'RDATA length invalid for the record type (":type")',
  /** An NB record holds more than MAX_NB_ADDRESS_ENTRIES entries; the rest were skipped. */
  too_many_addresses: 'more than MAX_NB_ADDRESS_ENTRIES NB entries in one record',
  /** NUM_NAMES of a node status response announces more names than the RDATA holds. */
  nbstat_names_overrun: 'NBSTAT NUM_NAMES larger than the RDATA holds',
  /** A node status response lists more than MAX_NBSTAT_NAMES names; the rest were skipped. */
  too_many_nbstat_names: 'more than MAX_NBSTAT_NAMES names in a node status response',
  /** Non-zero bytes after the last announced question/record (Windows XP pads node status responses with zeros,
   *  which is not flagged). */
  trailing_data: 'non-zero bytes after the last question or record',
  /** The datagram is shorter than the header its type needs. */
  datagram_truncated: 'datagram shorter than the header of its type',
  /** MSG_TYPE is not one of 0x10–0x16. */
  unknown_msg_type: 'datagram MSG_TYPE not defined by RFC 1002',
  /** DGM_LENGTH claims more bytes than the datagram holds (data cut at the end of the payload). */
  datagram_length_overrun: 'DGM_LENGTH larger than the bytes present',
  /** DGM_LENGTH claims fewer bytes than the datagram holds (the bytes past DGM_LENGTH are ignored). */
  datagram_length_short: 'DGM_LENGTH smaller than the bytes present',
  /** The user data starts with the SMB signature but is too short for its header or transaction words. */
  smb_truncated: 'SMB header or transaction words cut short',
  /** An SMB_COM_TRANSACTION request whose WordCount is below 14 or differs from 14 + SetupCount. */
  smb_bad_word_count: 'SMB transaction WordCount invalid',
  /** The SMB ByteCount runs past the end of the data (the name is read from what is present). */
  smb_byte_count_overrun: 'SMB ByteCount runs past the end of the data',
  /** The transaction name has no terminator within the SMB data or MAX_MAILSLOT_NAME_BYTES. */
  smb_unterminated_name: 'SMB transaction name without terminator',
  /** DataOffset/DataCount of the transaction point outside the SMB message (data cut to what is present). */
  smb_data_overrun: 'SMB transaction data outside the message',
  /** A browser frame with no byte at all (no opcode). */
  browser_empty: 'browser mailslot data is empty',
  /** An announcement shorter than its 32-byte fixed part; only the opcode is kept. */
  browser_truncated: 'browser announcement shorter than its fixed part',
  /** A Host/LocalMaster announcement whose signature is not 0xAA55. */
  bad_browser_signature: 'announcement signature is not 0xAA55',
  /** The 16-byte ServerName field holds no NUL (all 16 bytes are kept as the name). */
  server_name_unterminated: 'announcement ServerName without NUL',
  /** The comment has no NUL before the end of the data or MAX_BROWSER_COMMENT_BYTES. */
  comment_unterminated: 'announcement comment without NUL (or longer than MAX_BROWSER_COMMENT_BYTES)',
} as const;

/** An anomaly name. */
export type NetbiosAnomaly = keyof typeof NETBIOS_ANOMALIES;

/** Name service opcodes (RFC 1002 §4.2.1.1; 9 and 15 from [MS-NBTE] §2.2.1). */
export const NBNS_OPCODES: Readonly<Record<number, string>> = {
  0: 'query',
  5: 'registration',
  6: 'release',
  7: 'wack',
  8: 'refresh',
  9: 'refresh_alt',
  15: 'multihomed_registration',
};

/** Name service RCODE names (RFC 1002 §4.2). */
export const NBNS_RCODES: Readonly<Record<number, string>> = {
  0: 'no_error',
  1: 'format_error',
  2: 'server_failure',
  3: 'name_error',
  4: 'unsupported_request',
  5: 'refused',
  6: 'active_error',
  7: 'conflict_error',
};

/** Question / resource record types (RFC 1002 §4.2.1.2–3). */
export const NBNS_RR_TYPES: Readonly<Record<number, string>> = {
  0x0001: 'A',
  0x0002: 'NS',
  0x000a: 'NULL',
  0x0020: 'NB',
  0x0021: 'NBSTAT',
};

/** Datagram MSG_TYPE names (RFC 1002 §4.4.1). */
export const NBDGM_MSG_TYPES: Readonly<Record<number, string>> = {
  0x10: 'direct_unique',
  0x11: 'direct_group',
  0x12: 'broadcast',
  0x13: 'error',
  0x14: 'query_request',
  0x15: 'positive_query_response',
  0x16: 'negative_query_response',
};

/** Browser frame opcodes ([MS-BRWS] §2.2). */
export const BROWSER_OPCODES: Readonly<Record<number, string>> = {
  0x01: 'host_announcement',
  0x02: 'announcement_request',
  0x08: 'request_election',
  0x09: 'get_backup_list_request',
  0x0a: 'get_backup_list_response',
  0x0b: 'become_backup',
  0x0c: 'domain_announcement',
  0x0d: 'master_announcement',
  0x0e: 'reset_state_request',
  0x0f: 'local_master_announcement',
};

/**
 * Names of the well-known server type bits ([MS-RAP] §2.5.5.2.1, lmserver.h SV_TYPE_*), in bit order. Bits not
 * listed (0x4000 MFPN, 0x01000000–0x20000000 cluster/terminal-server/DCE/alternate transport) are only in
 * `server_type`.
 */
export const BROWSER_SERVER_TYPE_BITS: readonly (readonly [number, string])[] = [
  [0x00000001, 'workstation'],
  [0x00000002, 'server'],
  [0x00000004, 'sql_server'],
  [0x00000008, 'domain_controller'],
  [0x00000010, 'backup_controller'],
  [0x00000020, 'time_source'],
  [0x00000040, 'apple'],
  [0x00000080, 'novell'],
  [0x00000100, 'domain_member'],
  [0x00000200, 'print_queue'],
  [0x00000400, 'dialin'],
  [0x00000800, 'xenix'],
  [0x00001000, 'nt_workstation'],
  [0x00002000, 'wfw'],
  [0x00008000, 'nt_server'],
  [0x00010000, 'potential_browser'],
  [0x00020000, 'backup_browser'],
  [0x00040000, 'master_browser'],
  [0x00080000, 'domain_master'],
  [0x00100000, 'osf'],
  [0x00200000, 'vms'],
  [0x00400000, 'windows_95_plus'],
  [0x00800000, 'dfs'],
  [0x40000000, 'local_list_only'],
  [0x80000000, 'domain_enum'],
];

/**
 * Owner node types (the ONT bits of NB_FLAGS / NAME_FLAGS and the SNT bits of a datagram's FLAGS): RFC 1002 defines
 * 00 B, 01 P, 10 M; 11 is an H-node in [MS-NBTE] §2.2.1 (RFC 1002 calls it NBDD in datagram flags).
 */
export type NetbiosNodeType = 'B' | 'P' | 'M' | 'H';
const NODE_TYPES: readonly NetbiosNodeType[] = ['B', 'P', 'M', 'H'];

/** A NetBIOS name as carried in a name service or datagram packet (RFC 1001 §14.1). */
export interface NetbiosName {
  /** The first 15 bytes of the decoded name, trailing spaces removed, text-escaped (raw label text if not encoded). */
  name: string;
  /** The 16th byte (0x00 workstation, 0x20 server, 0x1b domain master, 0x1c domain controllers, 0x1d local master
   *  browser, 0x1e browser election, …); null when the first label is not a first-level encoded name. */
  suffix: number | null;
  /** The scope id (labels after the first, joined with "."; a "." inside a label is written `\.`), or null. */
  scope: string | null;
}

/** One question of a name service packet (RFC 1002 §4.2.1.2). */
export interface NbnsQuestion {
  name: NetbiosName;
  /** QUESTION_TYPE: 0x20 NB, 0x21 NBSTAT. */
  type: number;
  /** Name of `type` (see NBNS_RR_TYPES), null if unknown. */
  type_name: string | null;
  /** QUESTION_CLASS: 1 IN. */
  class: number;
}

/** One (NB_FLAGS, NB_ADDRESS) entry of an NB record's RDATA (RFC 1002 §4.2.2). */
export interface NbAddressEntry {
  /** NB_FLAGS as on the wire. */
  flags: number;
  /** G bit: a group name. */
  group: boolean;
  /** Owner node type (ONT bits). */
  node_type: NetbiosNodeType;
  /** Dotted quad. */
  address: string;
}

/** One NODE_NAME entry of a node status response (RFC 1002 §4.2.18). */
export interface NbstatNodeName {
  /** The first 15 bytes, trailing spaces removed, text-escaped (not first-level encoded on the wire). */
  name: string;
  /** The 16th byte. */
  suffix: number;
  /** G bit of NAME_FLAGS. */
  group: boolean;
  /** NAME_FLAGS as on the wire (G 0x8000, ONT 0x6000, DRG 0x1000, CNF 0x0800, ACT 0x0400, PRM 0x0200). */
  flags: number;
}

/** One resource record of a name service packet (RFC 1002 §4.2.1.3). RDATA fields are null unless decoded. */
export interface NbnsResourceRecord {
  name: NetbiosName;
  /** RR_TYPE: 0x20 NB, 0x21 NBSTAT, 0x01 A, 0x02 NS, 0x0a NULL. */
  type: number;
  /** Name of `type` (see NBNS_RR_TYPES), null if unknown. */
  type_name: string | null;
  class: number;
  /** TTL in seconds (unsigned). */
  ttl: number;
  /** RDLENGTH. */
  rdlength: number;
  /** NB records (not in a WACK): the entries, in wire order. */
  addresses: NbAddressEntry[] | null;
  /** NBSTAT records: the node names, in wire order. */
  node_names: NbstatNodeName[] | null;
  /** NBSTAT records: UNIT_ID (usually the MAC address), aa:bb:cc:dd:ee:ff, when the statistics hold it. */
  unit_id: string | null;
  /** A records: NSD_IP_ADDR (dotted quad). */
  ns_address: string | null;
  /** NS records: NSD_NAME, DNS labels joined with ".", text-escaped. */
  ns_name: string | null;
  /** WACK (opcode 7) NB records: the flags word of the request being acknowledged. */
  wack_flags: number | null;
}

/** One decoded name service packet (UDP 137). */
export interface NbnsMessage {
  /** NAME_TRN_ID. */
  transaction_id: number;
  /** The 16 bits after the transaction id as on the wire (R, OPCODE, NM_FLAGS, RCODE). */
  flags: number;
  /** R bit: a response. */
  response: boolean;
  opcode: number;
  /** Name of `opcode` (see NBNS_OPCODES), null if unknown. */
  opcode_name: string | null;
  /** AA bit. */
  authoritative: boolean;
  /** TC bit. */
  truncated: boolean;
  /** RD bit. */
  recursion_desired: boolean;
  /** RA bit. */
  recursion_available: boolean;
  /** B bit: sent as a broadcast. */
  broadcast: boolean;
  rcode: number;
  /** Name of `rcode` (see NBNS_RCODES), null if unknown. */
  rcode_name: string | null;
  /** QDCOUNT as on the wire (questions may hold fewer, see anomalies). */
  qd_count: number;
  /** ANCOUNT as on the wire. */
  an_count: number;
  /** NSCOUNT as on the wire. */
  ns_count: number;
  /** ARCOUNT as on the wire. */
  ar_count: number;
  questions: NbnsQuestion[];
  answers: NbnsResourceRecord[];
  authority: NbnsResourceRecord[];
  additional: NbnsResourceRecord[];
  /** Malformed things met (see NETBIOS_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** A browser frame found in a \MAILSLOT\BROWSE transaction ([MS-BRWS] §2.2). */
export interface BrowserMessage {
  opcode: number;
  /** Name of `opcode` (see BROWSER_OPCODES), null if unknown. */
  opcode_name: string | null;
  // The fields below are decoded for Host (0x01), LocalMaster (0x0f) and Domain (0x0c) announcements only.
  update_count: number | null;
  /** Announcement interval, milliseconds. */
  periodicity_ms: number | null;
  /** ServerName (for a domain announcement: the machine group) up to its NUL, text-escaped. */
  server_name: string | null;
  /** OSVersionMajor (for a domain announcement [MS-BRWS] calls this byte BrowserConfigVersionMajor). */
  os_major: number | null;
  /** OSVersionMinor (BrowserConfigVersionMinor in a domain announcement). */
  os_minor: number | null;
  /** ServerType bits as on the wire (unsigned). */
  server_type: number | null;
  /** Names of the well-known bits set in `server_type` (see BROWSER_SERVER_TYPE_BITS), in bit order. */
  server_type_flags: string[] | null;
  /** Browser protocol version as "major.minor" (usually "15.1"; Windows fills it with other values in 0x0c). */
  browser_version: string | null;
  /** Signature (0xAA55 expected in host and local master announcements). */
  signature: number | null;
  /** Comment up to its NUL, text-escaped (for a domain announcement: LocalMasterBrowserName). */
  comment: string | null;
}

/** One decoded datagram service packet (UDP 138). */
export interface NetbiosDatagram {
  /** MSG_TYPE (0x10–0x16). */
  msg_type: number;
  /** Name of `msg_type` (see NBDGM_MSG_TYPES), null if unknown. */
  msg_type_name: string | null;
  /** FLAGS as on the wire. */
  flags: number;
  /** M bit: more fragments follow. */
  more: boolean;
  /** F bit: the first fragment. */
  first: boolean;
  /** SNT bits: the sender's node type. */
  node_type: NetbiosNodeType;
  /** DGM_ID. */
  datagram_id: number;
  /** SOURCE_IP (dotted quad). */
  source_ip: string;
  source_port: number;
  /** DGM_LENGTH (direct/broadcast datagrams), else null. */
  datagram_length: number | null;
  /** PACKET_OFFSET (direct/broadcast datagrams), else null. */
  packet_offset: number | null;
  /** ERROR_CODE (error datagrams: 0x82 name not present, 0x83/0x84 bad source/destination name), else null. */
  error_code: number | null;
  /** SOURCE_NAME (direct/broadcast datagrams), else null. */
  source_name: NetbiosName | null;
  /** DESTINATION_NAME (direct/broadcast and query datagrams), else null. */
  destination_name: NetbiosName | null;
  /** Bytes of user data present (direct/broadcast datagrams), else 0. */
  user_data_length: number;
  /** SMB command of the user data when it starts with 0xFF "SMB" (0x25 = transaction), else null. */
  smb_command: number | null;
  /** The transaction name of an SMB_COM_TRANSACTION (e.g. \MAILSLOT\BROWSE), control characters escaped. */
  mailslot: string | null;
  /** The browser frame, when the transaction is to \MAILSLOT\BROWSE. */
  browser: BrowserMessage | null;
  /** Malformed things met (see NETBIOS_ANOMALIES), in the order found. */
  anomalies: string[];
}

/** Result of parseNbns. */
export type NbnsParseResult = { ok: true; value: NbnsMessage } | { ok: false; error: string };
/** Result of parseNetbiosDatagram. */
export type NetbiosDatagramParseResult = { ok: true; value: NetbiosDatagram } | { ok: false; error: string };

// ---------------------------------------------------------------------------------------------------------------
// Bytes, addresses and text

/** Big-endian unsigned 16-bit at `o`. */
function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Big-endian unsigned 32-bit at `o`. */
function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Little-endian unsigned 16-bit at `o` (SMB and browser fields). */
function le16(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

/** Little-endian unsigned 32-bit at `o`. */
function le32(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Text of b[start, end): UTF-8 when valid, else Latin-1; escaped as described in the file comment. */
export function decodeNetbiosText(b: Uint8Array, start: number, end: number, keepBackslash = false): string {
  return decodeWireText(b, start, end, keepBackslash);
}

/** End of b[start, end) with trailing spaces (0x20) removed: NetBIOS names are space-padded to 15 bytes. */
function trimSpaces(b: Uint8Array, start: number, end: number): number {
  while (end > start && b[end - 1] === 0x20) end--;
  return end;
}

/** Names of the well-known bits of a browser server type. */
function serverTypeFlags(t: number): string[] {
  const out: string[] = [];
  for (const [bit, name] of BROWSER_SERVER_TYPE_BITS) if ((t & bit) >>> 0 !== 0) out.push(name);
  return out;
}

/**
 * A NetBIOS name as one line of text: `NAME<xx>` plus `.scope` when there is one (the form Wireshark and nbtstat
 * show), or the raw label text when the name was not first-level encoded.
 */
export function formatNetbiosName(n: NetbiosName): string {
  const base = n.suffix === null ? n.name : `${n.name}<${HEX_BYTE[n.suffix]}>`;
  return n.scope === null ? base : `${base}.${n.scope}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Names (RFC 1001 §14.1, RFC 1002 §4.1). Scratch state reused across calls (the parsers are synchronous).

/** Where the name just read by readName ends in the message (the byte after it, or after its first pointer). */
let nameEnd = 0;
/** Start and length of each label of the name just walked. */
const labelStart = new Int32Array(MAX_SCOPE_LABELS + 1);
const labelLen = new Uint8Array(MAX_SCOPE_LABELS + 1);
/** The 16 decoded bytes of a first-level encoded label. */
const decoded = new Uint8Array(16);

/**
 * Walks the labels of a name at m[at] within m[0, end): fills labelStart/labelLen, sets nameEnd and returns the
 * label count, or -1 (anomaly recorded) when the name is malformed.
 */
function walkLabels(m: Uint8Array, at: number, end: number, allowPointers: boolean, anomalies: string[], where: string): number {
  let p = at;
  let after = -1;
  let wire = 1; // the root label
  let hops = 0;
  let n = 0;
  for (;;) {
    if (p >= end) { anomalies.push(`name_truncated:${where}`); return -1; }
    const l = m[p]!;
    if ((l & 0xc0) === 0xc0) {
      if (!allowPointers || p + 1 >= end) {
        anomalies.push(allowPointers ? `name_truncated:${where}` : `bad_name_pointer:${where}`);
        return -1;
      }
      const target = ((l & 0x3f) << 8) | m[p + 1]!;
      if (target >= p || ++hops > MAX_NAME_POINTER_HOPS) { anomalies.push(`bad_name_pointer:${where}`); return -1; }
      if (after < 0) after = p + 2;
      p = target;
      continue;
    }
    if ((l & 0xc0) !== 0) { anomalies.push(`bad_label_type:${where}`); return -1; }
    if (l === 0) break;
    if (p + 1 + l > end) { anomalies.push(`name_truncated:${where}`); return -1; }
    wire += l + 1;
    if (wire > MAX_NETBIOS_NAME_BYTES || n > MAX_SCOPE_LABELS) { anomalies.push(`name_too_long:${where}`); return -1; }
    labelStart[n] = p + 1;
    labelLen[n] = l;
    n++;
    p += 1 + l;
  }
  nameEnd = after < 0 ? p + 1 : after;
  return n;
}

/** Scope labels 1..n-1 joined with "." ("." inside a label written `\.`), or null when there are none. */
function joinLabels(m: Uint8Array, from: number, n: number): string | null {
  if (n <= from) return null;
  let s = '';
  for (let i = from; i < n; i++) {
    const t = decodeNetbiosText(m, labelStart[i]!, labelStart[i]! + labelLen[i]!);
    s += (i === from ? '' : '.') + (t.includes('.') ? t.replaceAll('.', '\\.') : t);
  }
  return s;
}

/**
 * Reads an encoded NetBIOS name at m[at] within m[0, end); sets nameEnd. Null (anomaly recorded) when the labels are
 * malformed; a name whose first label is not first-level encoded is returned with `suffix` null.
 */
function readName(m: Uint8Array, at: number, end: number, allowPointers: boolean, anomalies: string[], where: string): NetbiosName | null {
  const n = walkLabels(m, at, end, allowPointers, anomalies, where);
  if (n < 0) return null;
  if (n === 0) {
    anomalies.push(`bad_name_encoding:${where}`);
    return { name: '', suffix: null, scope: null };
  }
  const s = labelStart[0]!;
  let encoded = labelLen[0] === 32;
  for (let i = 0; encoded && i < 16; i++) {
    const hi = m[s + 2 * i]! - 0x41; // 'A'
    const lo = m[s + 2 * i + 1]! - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) encoded = false;
    else decoded[i] = (hi << 4) | lo;
  }
  const scope = joinLabels(m, 1, n);
  if (!encoded) {
    anomalies.push(`bad_name_encoding:${where}`);
    return { name: decodeNetbiosText(m, s, s + labelLen[0]!), suffix: null, scope };
  }
  return { name: decodeNetbiosText(decoded, 0, trimSpaces(decoded, 0, 15)), suffix: decoded[15]!, scope };
}

/** Reads a plain DNS name (NSD_NAME of an NS record) as text; sets nameEnd; null (anomaly recorded) if malformed. */
function readDnsName(m: Uint8Array, at: number, end: number, anomalies: string[]): string | null {
  const n = walkLabels(m, at, end, true, anomalies, 'ns');
  if (n < 0) return null;
  return joinLabels(m, 0, n) ?? '';
}

// ---------------------------------------------------------------------------------------------------------------
// Name service (UDP 137)

const TYPE_A = 0x0001;
const TYPE_NS = 0x0002;
const TYPE_NB = 0x0020;
const TYPE_NBSTAT = 0x0021;
const OPCODE_WACK = 7;

/** Decodes the RDATA m[s, s+len) of a record of type `type` into `rr`. */
function decodeRdata(m: Uint8Array, s: number, len: number, opcode: number, rr: NbnsResourceRecord, anomalies: string[]): void {
  const e = s + len;
  switch (rr.type) {
    case TYPE_NB: {
      if (opcode === OPCODE_WACK) {
        // RFC 1002 §4.2.16: a WACK's RDATA is the 2-byte header flags of the request it acknowledges.
        if (len !== 2) anomalies.push('bad_rdata_length:wack');
        else rr.wack_flags = u16(m, s);
        return;
      }
      if (len % 6 !== 0) anomalies.push('bad_rdata_length:nb');
      const list: NbAddressEntry[] = [];
      for (let p = s; p + 6 <= e; p += 6) {
        if (list.length >= MAX_NB_ADDRESS_ENTRIES) { anomalies.push('too_many_addresses'); break; }
        const f = u16(m, p);
        list.push({ flags: f, group: (f & 0x8000) !== 0, node_type: NODE_TYPES[(f >> 13) & 3]!, address: ipv4Text(m, p + 2) });
      }
      rr.addresses = list;
      return;
    }
    case TYPE_NBSTAT: {
      if (len < 1) { anomalies.push('bad_rdata_length:nbstat'); return; }
      const count = m[s]!;
      const names: NbstatNodeName[] = [];
      let p = s + 1;
      for (let i = 0; i < count; i++) {
        if (p + 18 > e) { anomalies.push('nbstat_names_overrun'); break; }
        if (names.length >= MAX_NBSTAT_NAMES) { anomalies.push('too_many_nbstat_names'); break; }
        const f = u16(m, p + 16);
        names.push({ name: decodeNetbiosText(m, p, trimSpaces(m, p, p + 15)), suffix: m[p + 15]!, group: (f & 0x8000) !== 0, flags: f });
        p += 18;
      }
      // Names skipped by the limit still occupy their 18 bytes: the statistics start after all NUM_NAMES entries.
      p = s + 1 + 18 * count;
      rr.node_names = names;
      if (p + 6 <= e) rr.unit_id = macText(m, p);
      return;
    }
    case TYPE_A:
      if (len !== 4) anomalies.push('bad_rdata_length:a');
      else rr.ns_address = ipv4Text(m, s);
      return;
    case TYPE_NS: {
      const name = readDnsName(m, s, e, anomalies);
      if (name !== null) {
        rr.ns_name = name;
        if (nameEnd !== e) anomalies.push('bad_rdata_length:ns');
      }
      return;
    }
    default:
      return; // NULL (0x000a, RDLENGTH 0 in negative responses) and unknown types: nothing to decode
  }
}

/**
 * Parses one NetBIOS name service packet from b[off, off+len) (a UDP payload, port 137).
 *
 * Fails (`ok: false`) only for bad bounds or a payload shorter than the 12-byte header; everything else malformed
 * is reported in `value.anomalies` and decoding stops at the first question or record that cannot be read. Never
 * throws and never reads outside b[off, off+len).
 */
export function parseNbns(b: Uint8Array, off: number, len: number): NbnsParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < NBNS_HEADER_BYTES) return { ok: false, error: `truncated_header: ${len} of ${NBNS_HEADER_BYTES} bytes` };
  const anomalies: string[] = [];
  if (len > MAX_NETBIOS_MESSAGE_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_NETBIOS_MESSAGE_BYTES;
  }
  // A view of the message: every offset below is message-relative (as label string pointers are) and bounded.
  const m = b.subarray(off, off + len);
  const flags = u16(m, 2);
  const opcode = (flags >> 11) & 0x0f;
  const rcode = flags & 0x0f;
  const msg: NbnsMessage = {
    transaction_id: u16(m, 0),
    flags,
    response: (flags & 0x8000) !== 0,
    opcode,
    opcode_name: NBNS_OPCODES[opcode] ?? null,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursion_desired: (flags & 0x0100) !== 0,
    recursion_available: (flags & 0x0080) !== 0,
    broadcast: (flags & 0x0010) !== 0,
    rcode,
    rcode_name: NBNS_RCODES[rcode] ?? null,
    qd_count: u16(m, 4),
    an_count: u16(m, 6),
    ns_count: u16(m, 8),
    ar_count: u16(m, 10),
    questions: [],
    answers: [],
    authority: [],
    additional: [],
    anomalies,
  };

  let p = NBNS_HEADER_BYTES;
  let stopped = false;
  let qd = msg.qd_count;
  if (qd > MAX_NBNS_QUESTIONS) { anomalies.push('too_many_questions'); qd = MAX_NBNS_QUESTIONS; }
  for (let i = 0; i < qd; i++) {
    const name = readName(m, p, m.length, true, anomalies, 'question');
    if (name === null) { stopped = true; break; }
    p = nameEnd;
    if (p + 4 > m.length) { anomalies.push('question_truncated'); stopped = true; break; }
    const type = u16(m, p);
    msg.questions.push({ name, type, type_name: NBNS_RR_TYPES[type] ?? null, class: u16(m, p + 2) });
    p += 4;
  }
  if (msg.qd_count > MAX_NBNS_QUESTIONS) stopped = true; // the skipped questions' bytes were not walked

  let budget = MAX_NBNS_RECORDS;
  if (!stopped && msg.an_count + msg.ns_count + msg.ar_count > MAX_NBNS_RECORDS) anomalies.push('too_many_records');
  const sections: [NbnsResourceRecord[], number, string][] = [
    [msg.answers, msg.an_count, 'answer'],
    [msg.authority, msg.ns_count, 'authority'],
    [msg.additional, msg.ar_count, 'additional'],
  ];
  for (const [list, count, where] of sections) {
    for (let i = 0; i < count && !stopped; i++) {
      if (budget === 0) { stopped = true; break; }
      budget--;
      const name = readName(m, p, m.length, true, anomalies, where);
      if (name === null) { stopped = true; break; }
      p = nameEnd;
      if (p + 10 > m.length) { anomalies.push('record_truncated'); stopped = true; break; }
      const type = u16(m, p);
      const rdlength = u16(m, p + 8);
      const typeName = NBNS_RR_TYPES[type] ?? null;
      if (p + 10 + rdlength > m.length) {
        anomalies.push(`rdata_overrun:${typeName === null ? type : typeName.toLowerCase()}`);
        stopped = true;
        break;
      }
      const rr: NbnsResourceRecord = {
        name,
        type,
        type_name: typeName,
        class: u16(m, p + 2),
        ttl: u32(m, p + 4),
        rdlength,
        addresses: null,
        node_names: null,
        unit_id: null,
        ns_address: null,
        ns_name: null,
        wack_flags: null,
      };
      decodeRdata(m, p + 10, rdlength, opcode, rr, anomalies);
      list.push(rr);
      p += 10 + rdlength;
    }
  }
  if (!stopped) {
    for (let i = p; i < m.length; i++) {
      if (m[i] !== 0) { anomalies.push('trailing_data'); break; }
    }
  }
  return { ok: true, value: msg };
}

// ---------------------------------------------------------------------------------------------------------------
// Datagram service (UDP 138), SMB mailslot transaction, browser frames

const SMB_HEADER_BYTES = 32;
const SMB_COM_TRANSACTION = 0x25;
const SMB_FLAGS2_UNICODE = 0x8000;
/** Transaction request words before the setup words ([MS-CIFS] §2.2.4.33.1). */
const TRANS_FIXED_WORDS = 14;

/** Decodes a browser frame from m[s, e) ([MS-BRWS] §2.2). */
function parseBrowser(m: Uint8Array, s: number, e: number, anomalies: string[]): BrowserMessage | null {
  if (s >= e) { anomalies.push('browser_empty'); return null; }
  const opcode = m[s]!;
  const br: BrowserMessage = {
    opcode,
    opcode_name: BROWSER_OPCODES[opcode] ?? null,
    update_count: null,
    periodicity_ms: null,
    server_name: null,
    os_major: null,
    os_minor: null,
    server_type: null,
    server_type_flags: null,
    browser_version: null,
    signature: null,
    comment: null,
  };
  if (opcode !== 0x01 && opcode !== 0x0f && opcode !== 0x0c) return br;
  if (e - s < BROWSER_ANNOUNCEMENT_FIXED_BYTES) { anomalies.push('browser_truncated'); return br; }
  br.update_count = m[s + 1]!;
  br.periodicity_ms = le32(m, s + 2);
  let ne = s + 6;
  while (ne < s + 22 && m[ne] !== 0) ne++;
  if (ne === s + 22) anomalies.push('server_name_unterminated');
  br.server_name = decodeNetbiosText(m, s + 6, ne);
  br.os_major = m[s + 22]!;
  br.os_minor = m[s + 23]!;
  br.server_type = le32(m, s + 24);
  br.server_type_flags = serverTypeFlags(br.server_type);
  br.browser_version = `${m[s + 28]!}.${m[s + 29]!}`;
  br.signature = le16(m, s + 30);
  // Windows fills version and signature of a domain announcement with other values ([MS-BRWS] §2.2.7 calls them
  // informational), so only host and local master announcements are held to 0xAA55.
  if (opcode !== 0x0c && br.signature !== BROWSER_SIGNATURE) anomalies.push('bad_browser_signature');
  const cs = s + BROWSER_ANNOUNCEMENT_FIXED_BYTES;
  const limit = Math.min(e, cs + MAX_BROWSER_COMMENT_BYTES);
  let ce = cs;
  while (ce < limit && m[ce] !== 0) ce++;
  if (ce === limit) anomalies.push('comment_unterminated');
  br.comment = decodeNetbiosText(m, cs, ce);
  return br;
}

/** Decodes the user data m[s, e) when it is an SMB transaction; fills smb_command, mailslot and browser. */
function parseSmbUserData(m: Uint8Array, s: number, e: number, dg: NetbiosDatagram, anomalies: string[]): void {
  if (e - s < 4 || m[s] !== 0xff || m[s + 1] !== 0x53 || m[s + 2] !== 0x4d || m[s + 3] !== 0x42) return; // not SMB
  if (e - s < SMB_HEADER_BYTES + 1) { anomalies.push('smb_truncated'); return; }
  dg.smb_command = m[s + 4]!;
  if (dg.smb_command !== SMB_COM_TRANSACTION) return;
  const flags2 = le16(m, s + 10);
  const wc = m[s + SMB_HEADER_BYTES]!;
  const words = s + SMB_HEADER_BYTES + 1;
  if (wc < TRANS_FIXED_WORDS) { anomalies.push('smb_bad_word_count'); return; }
  const bccAt = words + 2 * wc;
  if (bccAt + 2 > e) { anomalies.push('smb_truncated'); return; }
  if (wc !== TRANS_FIXED_WORDS + m[words + 26]!) anomalies.push('smb_bad_word_count'); // word 13: SetupCount
  const dataCount = le16(m, words + 22);
  const dataOffset = le16(m, words + 24);
  let bytesEnd = bccAt + 2 + le16(m, bccAt);
  if (bytesEnd > e) { anomalies.push('smb_byte_count_overrun'); bytesEnd = e; }

  // Name: NUL-terminated OEM string, or (FLAGS2 Unicode) UTF-16LE aligned to 2 bytes from the SMB header.
  let p = bccAt + 2;
  const unicode = (flags2 & SMB_FLAGS2_UNICODE) !== 0;
  if (unicode && (p - s) % 2 === 1) p++;
  const nameLimit = Math.min(bytesEnd, p + MAX_MAILSLOT_NAME_BYTES);
  let q = p;
  if (unicode) {
    while (q + 1 < nameLimit && (m[q] !== 0 || m[q + 1] !== 0)) q += 2;
    if (q + 1 >= nameLimit) anomalies.push('smb_unterminated_name');
    dg.mailslot = decodeUtf16LeText(m, p, Math.min(q, nameLimit), true);
  } else {
    while (q < nameLimit && m[q] !== 0) q++;
    if (q >= nameLimit) anomalies.push('smb_unterminated_name');
    dg.mailslot = decodeNetbiosText(m, p, q, true);
  }

  // DataOffset/DataCount are relative to the start of the SMB header.
  const ds = s + dataOffset;
  let de = ds + dataCount;
  if (ds > e || de > e) { anomalies.push('smb_data_overrun'); de = e; }
  if (dg.mailslot.toUpperCase() === BROWSE_MAILSLOT && ds <= e) dg.browser = parseBrowser(m, ds, de, anomalies);
}

/**
 * Parses one NetBIOS datagram service packet from b[off, off+len) (a UDP payload, port 138), and the browser frame
 * inside it when the user data is an SMB transaction to \MAILSLOT\BROWSE.
 *
 * Fails (`ok: false`) only for bad bounds or a payload shorter than the 10-byte common header; everything else
 * malformed is reported in `value.anomalies`. Never throws and never reads outside b[off, off+len).
 */
export function parseNetbiosDatagram(b: Uint8Array, off: number, len: number): NetbiosDatagramParseResult {
  if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > b.length) {
    return { ok: false, error: 'bad_bounds' };
  }
  if (len < NBDGM_HEADER_BYTES) return { ok: false, error: `truncated_header: ${len} of ${NBDGM_HEADER_BYTES} bytes` };
  const anomalies: string[] = [];
  if (len > MAX_NETBIOS_MESSAGE_BYTES) {
    anomalies.push('oversized_message');
    len = MAX_NETBIOS_MESSAGE_BYTES;
  }
  const m = b.subarray(off, off + len);
  const type = m[0]!;
  const flags = m[1]!;
  const dg: NetbiosDatagram = {
    msg_type: type,
    msg_type_name: NBDGM_MSG_TYPES[type] ?? null,
    flags,
    more: (flags & 0x01) !== 0,
    first: (flags & 0x02) !== 0,
    node_type: NODE_TYPES[(flags >> 2) & 3]!,
    datagram_id: u16(m, 2),
    source_ip: ipv4Text(m, 4),
    source_port: u16(m, 8),
    datagram_length: null,
    packet_offset: null,
    error_code: null,
    source_name: null,
    destination_name: null,
    user_data_length: 0,
    smb_command: null,
    mailslot: null,
    browser: null,
    anomalies,
  };

  if (type >= 0x10 && type <= 0x12) {
    if (m.length < NBDGM_DIRECT_HEADER_BYTES) { anomalies.push('datagram_truncated'); return { ok: true, value: dg }; }
    dg.datagram_length = u16(m, 10);
    dg.packet_offset = u16(m, 12);
    // DGM_LENGTH counts the bytes after PACKET_OFFSET: source name, destination name and user data.
    let end = NBDGM_DIRECT_HEADER_BYTES + dg.datagram_length;
    if (end > m.length) { anomalies.push('datagram_length_overrun'); end = m.length; } else if (end < m.length) anomalies.push('datagram_length_short');
    // Datagram names are never compressed (RFC 1002 §4.4.2: no label string pointers).
    dg.source_name = readName(m, NBDGM_DIRECT_HEADER_BYTES, end, false, anomalies, 'source');
    if (dg.source_name === null) return { ok: true, value: dg };
    dg.destination_name = readName(m, nameEnd, end, false, anomalies, 'destination');
    if (dg.destination_name === null) return { ok: true, value: dg };
    const ud = nameEnd;
    dg.user_data_length = end - ud;
    // Only the first fragment (PACKET_OFFSET 0) starts with the SMB header; later fragments continue its data.
    if (dg.packet_offset === 0) parseSmbUserData(m, ud, end, dg, anomalies);
  } else if (type === 0x13) {
    if (m.length < NBDGM_HEADER_BYTES + 1) anomalies.push('datagram_truncated');
    else dg.error_code = m[NBDGM_HEADER_BYTES]!;
  } else if (type >= 0x14 && type <= 0x16) {
    dg.destination_name = readName(m, NBDGM_HEADER_BYTES, m.length, false, anomalies, 'destination');
  } else {
    anomalies.push('unknown_msg_type');
  }
  return { ok: true, value: dg };
}
