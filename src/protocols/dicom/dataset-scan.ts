/**
 * Which patient-level attributes a DICOM data set carries — never their values. A data set travels in P-DATA-TF
 * fragments (PS3.8 §9.3.5) of any size; the scanner is fed each fragment as it arrives, reads only element headers
 * (tag, VR, length: at most 12 bytes held across fragment boundaries) and skips every value without copying it, so
 * a 500 MB image costs a few arithmetic operations per fragment.
 *
 * Encoding (PS3.5 §7.1): implicit VR little endian (tag, 4-byte length), explicit VR little or big endian (tag, VR,
 * 2-byte length, or 2 reserved bytes and a 4-byte length for OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV);
 * item and delimiter tags (FFFE,xxxx) have no VR (PS3.5 §7.5). The encoding is the transfer syntax accepted for the
 * fragment's presentation context. Encapsulated (compressed) transfer syntaxes encode everything before the pixel
 * data in explicit VR little endian (PS3.5 §8.2, A.4), which is all this scanner reads; a deflated data set
 * (PS3.5 A.5) is not scanned.
 *
 * Only top-level elements count (attributes inside sequences are skipped: undefined-length sequences and items are
 * followed by depth, defined-length ones skipped whole). Tags appear in ascending order (PS3.5 §7.1), so the scan
 * stops after the last tag of interest. A value of length 0 is not counted (a C-FIND request asks for an attribute
 * with an empty value).
 */

/** How a data set is encoded, from its transfer syntax. */
export type DatasetEncoding = 'implicit_le' | 'explicit_le' | 'explicit_be' | 'deflated' | 'unknown';

/** Deepest nesting of undefined-length sequences and items followed. */
export const MAX_SCAN_DEPTH = 16;

/**
 * The attributes counted (PS3.6 tags; the patient, study-identification and staff attributes of PS3.15 Annex E's
 * Basic Application Level Confidentiality Profile that a modality or archive sends at the top level), by tag as
 * (group << 16 | element).
 */
export const PHI_TAGS: ReadonlyMap<number, string> = new Map([
  [0x00080020, 'study_date'],
  [0x00080050, 'accession_number'],
  [0x00080080, 'institution_name'],
  [0x00080081, 'institution_address'],
  [0x00080090, 'referring_physician_name'],
  [0x00081048, 'physicians_of_record'],
  [0x00081050, 'performing_physician_name'],
  [0x00081060, 'reading_physician_name'],
  [0x00081070, 'operators_name'],
  [0x00100010, 'patient_name'],
  [0x00100020, 'patient_id'],
  [0x00100021, 'issuer_of_patient_id'],
  [0x00100030, 'patient_birth_date'],
  [0x00100032, 'patient_birth_time'],
  [0x00100040, 'patient_sex'],
  [0x00101000, 'other_patient_ids'],
  [0x00101001, 'other_patient_names'],
  [0x00101005, 'patient_birth_name'],
  [0x00101010, 'patient_age'],
  [0x00101020, 'patient_size'],
  [0x00101030, 'patient_weight'],
  [0x00101040, 'patient_address'],
  [0x00101060, 'patient_mother_birth_name'],
  [0x00102154, 'patient_telephone_numbers'],
  [0x00102160, 'ethnic_group'],
  [0x00102180, 'occupation'],
  [0x001021b0, 'additional_patient_history'],
  [0x00104000, 'patient_comments'],
  [0x00200010, 'study_id'],
]);

/** Any other top-level element of group 0010 (patient module) is counted under this kind. */
export const OTHER_PATIENT_KIND = 'other_patient_attribute';

/** The last tag of interest: the scan stops at the first top-level tag after it. */
const LAST_TAG = Math.max(...PHI_TAGS.keys());
const PIXEL_DATA = 0x7fe00010;

/** The encoding of a data set sent with transfer syntax `uid` (PS3.5 §10 and Annex A). */
export function encodingOf(uid: string | null): DatasetEncoding {
  if (uid === null) return 'unknown';
  if (uid === '1.2.840.10008.1.2') return 'implicit_le';
  if (uid === '1.2.840.10008.1.2.1' || uid === '1.2.840.10008.1.2.1.98') return 'explicit_le';
  if (uid === '1.2.840.10008.1.2.2') return 'explicit_be';
  if (uid === '1.2.840.10008.1.2.1.99' || uid === '1.2.840.10008.1.2.4.95') return 'deflated';
  // JPEG, JPEG-LS, JPEG 2000, JPIP, MPEG, HEVC, RLE, HTJ2K, JPEG XL: encapsulated pixel data, explicit VR LE header
  if (uid.startsWith('1.2.840.10008.1.2.4.') || uid === '1.2.840.10008.1.2.5' || uid.startsWith('1.2.840.10008.1.2.8.')) return 'explicit_le';
  return 'unknown';
}

/** VRs with a 2-byte reserved field and a 4-byte length in explicit VR (PS3.5 §7.1.2 Table 7.1-1). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/** How a scan ended. */
export type ScanOutcome = 'complete' | 'not_scanned' | 'malformed' | 'too_deep' | 'incomplete';

/** What a scan found. */
export interface ScanResult {
  /** Kinds of attribute with a non-empty value at the top level, each once, in the order met. */
  kinds: string[];
  /** complete: read to the end of the data set or past the last tag of interest; not_scanned: deflated or unknown
   * encoding; malformed: an element header made no sense; too_deep: nesting beyond MAX_SCAN_DEPTH; incomplete: the
   * data set ended inside an element. */
  outcome: ScanOutcome;
}

/** Streams one data set's fragments; see the file comment. */
export class PhiScanner {
  private readonly hdr = new Uint8Array(12);
  private hdrLen = 0;
  /** Value bytes still to skip. */
  private skip = 0;
  /** Undefined-length sequences and items we are inside. */
  private depth = 0;
  private stopped: ScanOutcome | null;
  private readonly found: string[] = [];
  private readonly explicit: boolean;
  private readonly little: boolean;

  constructor(encoding: DatasetEncoding) {
    this.explicit = encoding === 'explicit_le' || encoding === 'explicit_be';
    this.little = encoding !== 'explicit_be';
    this.stopped = encoding === 'deflated' || encoding === 'unknown' ? 'not_scanned' : null;
  }

  /** True once nothing more is read (the rest of the data set can be skipped by the caller). */
  get done(): boolean {
    return this.stopped !== null;
  }

  /** One fragment of the data set, b[off, off+len). */
  feed(b: Uint8Array, off: number, len: number): void {
    let o = off;
    const end = off + len;
    while (o < end && this.stopped === null) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, end - o);
        this.skip -= n;
        o += n;
        continue;
      }
      const need = this.headerBytesNeeded();
      const take = Math.min(need - this.hdrLen, end - o);
      this.hdr.set(b.subarray(o, o + take), this.hdrLen);
      this.hdrLen += take;
      o += take;
      if (this.hdrLen === this.headerBytesNeeded()) this.element();
    }
  }

  /** The data set ended: what was found. */
  finish(): ScanResult {
    const outcome = this.stopped ?? (this.hdrLen > 0 || this.skip > 0 || this.depth > 0 ? 'incomplete' : 'complete');
    return { kinds: [...this.found], outcome };
  }

  private u16(o: number): number {
    const h = this.hdr;
    return this.little ? h[o]! | (h[o + 1]! << 8) : (h[o]! << 8) | h[o + 1]!;
  }

  private u32(o: number): number {
    const h = this.hdr;
    return this.little
      ? (h[o]! | (h[o + 1]! << 8) | (h[o + 2]! << 16)) + ((h[o + 3]! << 24) >>> 0)
      : ((h[o]! << 24) >>> 0) + (h[o + 1]! << 16) + (h[o + 2]! << 8) + h[o + 3]!;
  }

  /** Bytes of the element header being read: 8 until the VR is known, 12 for a long explicit VR. */
  private headerBytesNeeded(): number {
    if (!this.explicit || this.hdrLen < 6) return this.hdrLen < 6 && this.explicit ? 6 : 8;
    if (this.u16(0) === 0xfffe) return 8;
    return LONG_VRS.has(String.fromCharCode(this.hdr[4]!, this.hdr[5]!)) ? 12 : 8;
  }

  /** A complete element header is in `hdr`: count it, then skip its value or enter it. */
  private element(): void {
    const group = this.u16(0);
    const tag = ((group << 16) >>> 0) + this.u16(2);
    let length: number;
    let vr = '';
    if (!this.explicit || group === 0xfffe) length = this.u32(4);
    else {
      vr = String.fromCharCode(this.hdr[4]!, this.hdr[5]!);
      if (!/^[A-Z]{2}$/.test(vr)) {
        this.stopped = 'malformed';
        return;
      }
      length = this.hdrLen === 12 ? this.u32(8) : this.u16(6);
    }
    this.hdrLen = 0;
    const undefinedLength = length === 0xffffffff;
    if (group === 0xfffe) {
      this.delimiterOrItem(tag, length, undefinedLength);
      return;
    }
    if (this.depth === 0) {
      if (tag === PIXEL_DATA || tag > LAST_TAG) {
        this.stopped = 'complete';
        return;
      }
      const kind = PHI_TAGS.get(tag) ?? (group === 0x0010 && (tag & 0xffff) !== 0 ? OTHER_PATIENT_KIND : null);
      if (kind !== null && length > 0 && !undefinedLength && !this.found.includes(kind)) this.found.push(kind);
    }
    if (!undefinedLength) this.skip = length;
    else if (vr === 'UN' || (this.explicit && vr !== 'SQ') || tag === PIXEL_DATA) this.stopped = 'complete';
    else this.enter();
  }

  /** An item (FFFE,E000) or a delimiter (FFFE,E00D item, FFFE,E0DD sequence). */
  private delimiterOrItem(tag: number, length: number, undefinedLength: boolean): void {
    if (tag === 0xfffee000) {
      if (undefinedLength) this.enter();
      else this.skip = length;
    } else if (tag === 0xfffee00d || tag === 0xfffee0dd) {
      if (this.depth === 0) this.stopped = 'malformed';
      else this.depth--;
    } else this.stopped = 'malformed';
  }

  private enter(): void {
    if (this.depth >= MAX_SCAN_DEPTH) this.stopped = 'too_deep';
    else this.depth++;
  }
}
