/**
 * Field-by-field agreement bookkeeping for the protocol conformance suites (medtap's parser against a tshark
 * baseline, e.g. dhcp/dhcp-vs-tshark.test.ts): per-field compared / equal tallies, differences explained by a table
 * of known differences, frames one side has and the other lacks, the final assertions and the summary printed after
 * the run.
 */
import { strict as assert } from 'node:assert';

/** Minimum share of equal comparisons required of every field that was compared at least once. */
export const MIN_FIELD_AGREEMENT = 0.99;

/** Where a comparison happens: the capture (path relative to the corpus) and its 1-based frame number. */
export interface FrameSite {
  capture: string;
  frame: number;
}

/** The two rendered values of a field that differ. */
export interface DiffValues {
  oursValue: string;
  theirsValue: string;
}

/**
 * The two usual reasons a UDP protocol's baseline frame is not reached by medtap, worded for `protocol` ("SNMP"):
 * a tunnel medtap does not decapsulate, and an IP fragment (medtap parses none; tshark reassembles).
 */
export function udpMissingReasons(protocol: string): Record<string, string> {
  return {
    'undecoded-tunnel': `${protocol} inside a tunnel medtap does not decapsulate: tshark shows two UDP layers`,
    'ip-fragment': `${protocol} in a fragmented IPv4 datagram: medtap parses no fragment (tshark reassembles)`,
  };
}

/** A documented reason why medtap and tshark differ on a field, with the rule that recognises it. */
export interface KnownDifference<C extends FrameSite> {
  /** The fields it may explain; `'*'` for any field (a difference of the whole message, e.g. one tshark did not see). */
  fields: string[];
  reason: string;
  applies(c: C & DiffValues): boolean;
}

/** Compared / equal counts of one field, and how many differences each known difference explained. */
export interface FieldTally {
  compared: number;
  equal: number;
  known: Map<string, number>;
}

/** The per-frame accessor part the missing-frame classification needs. */
interface UdpLayers {
  /** The occurrences of a field ([] when empty). */
  list(field: string): string[];
}

/**
 * The tallies of one conformance suite. Fields are listed in the summary in the order they were first met;
 * `context` is what a known difference sees besides the two values (capture, frame, parsed message, tshark row).
 */
export class FieldAgreement<C extends FrameSite> {
  /** Per field, in first-met order. */
  readonly fields = new Map<string, FieldTally>();
  /** Differences no known difference explains, as "capture frame N field: medtap … tshark …". */
  readonly unexplained: string[] = [];
  /** Captures compared. */
  captures = 0;
  /** Frames in the baseline. */
  tsharkFrames = 0;
  /** Frames both sides have and medtap parsed. */
  matched = 0;
  /** Frames medtap does not reach for a documented reason, by reason. */
  readonly missing = new Map<string, number>();
  /** Frames medtap does not reach (or reads as another message kind) with no documented reason. */
  readonly missingUnexplained: string[] = [];
  /** Datagrams medtap parsed that the baseline does not list. */
  extra = 0;
  readonly extraDetail: string[] = [];
  /** Baseline frames medtap failed to parse. */
  readonly parseErrors: string[] = [];
  private readonly started = Date.now();

  /**
   * @param knownDifferences every accepted difference, by id; a difference none of them matches is unexplained.
   * @param missingReasons the documented reasons ('undecoded-tunnel', 'ip-fragment') why medtap may not reach a frame.
   * @param reference the peer tool compared with, as the messages name it (e.g. "zeek"; default "tshark").
   */
  constructor(
    private readonly knownDifferences: Readonly<Record<string, KnownDifference<C>>>,
    private readonly missingReasons: Readonly<Record<string, string>>,
    private readonly reference = 'tshark',
  ) {}

  /** The tally of a field, registered (so the summary lists it) even when nothing is compared. */
  field(name: string): FieldTally {
    let t = this.fields.get(name);
    if (!t) {
      t = { compared: 0, equal: 0, known: new Map() };
      this.fields.set(name, t);
    }
    return t;
  }

  /**
   * Compares one field. A comparison counts when either side has a value; `always` counts it even when both are
   * empty (fixed header fields).
   */
  compare(name: string, oursValue: string, theirsValue: string, context: C, always = false): void {
    const t = this.field(name);
    if (!always && oursValue === '' && theirsValue === '') return;
    t.compared++;
    if (oursValue === theirsValue) {
      t.equal++;
      return;
    }
    for (const [id, k] of Object.entries(this.knownDifferences)) {
      if ((k.fields.includes(name) || k.fields.includes('*')) && k.applies({ ...context, oursValue, theirsValue })) {
        t.known.set(id, (t.known.get(id) ?? 0) + 1);
        return;
      }
    }
    this.unexplained.push(`${context.capture} frame ${context.frame} ${name}: medtap ${JSON.stringify(oursValue)} ${this.reference} ${JSON.stringify(theirsValue)}`);
  }

  /**
   * Records a baseline frame medtap did not reach: inside a tunnel medtap does not decapsulate (tshark shows two UDP
   * layers), an IP fragment medtap skips, or unexplained.
   */
  frameMissing(capture: string, frame: number, t: UdpLayers, fragments: ReadonlySet<number>): void {
    const reason = t.list('udp.srcport').length > 1 ? 'undecoded-tunnel' : fragments.has(frame) ? 'ip-fragment' : null;
    if (reason !== null && reason in this.missingReasons) this.missing.set(reason, (this.missing.get(reason) ?? 0) + 1);
    else this.missingUnexplained.push(`${capture} frame ${frame}${reason ? ` (${reason})` : ''}`);
  }

  /** Records the datagrams medtap parsed in a capture that the baseline does not list. */
  extraFrames<T>(capture: string, parsed: ReadonlyMap<number, T>, baselineFrames: Readonly<Record<string, unknown>>, describe: (p: T) => string): void {
    for (const [frame, p] of parsed) {
      if (baselineFrames[String(frame)] === undefined) {
        this.extra++;
        this.extraDetail.push(`${capture} frame ${frame}: ${describe(p)}`);
      }
    }
  }

  /**
   * Compares one capture frame by frame: every baseline frame (`rows`, read with `accessor`) is looked up in medtap's
   * `parsed` results and counted as missing (frameMissing), a parse error, or matched and handed to `compare`;
   * medtap's datagrams the baseline lacks are counted as extra (described by `describe`).
   */
  compareCapture<V, F extends UdpLayers>(
    capture: string, rows: Readonly<Record<string, string[]>>, accessor: (row: string[]) => F,
    read: { parsed: ReadonlyMap<number, { ok: true; value: V } | { ok: false; error: string }>; fragments: ReadonlySet<number> },
    compare: (frame: number, value: V, t: F) => void, describe: (v: V) => string,
  ): void {
    this.captures++;
    for (const [num, row] of Object.entries(rows)) {
      const frame = Number(num);
      const t = accessor(row);
      this.tsharkFrames++;
      const r = read.parsed.get(frame);
      if (r === undefined) this.frameMissing(capture, frame, t, read.fragments);
      else if (!r.ok) this.parseErrors.push(`${capture} frame ${frame}: ${r.error}`);
      else {
        this.matched++;
        compare(frame, r.value, t);
      }
    }
    this.extraFrames(capture, read.parsed, rows, (r) => (r.ok ? `parsed (${describe(r.value)})` : r.error));
  }

  /**
   * The suite's final assertions: something was compared, every baseline frame was found and parsed, every
   * difference is known, and every compared field agrees on at least MIN_FIELD_AGREEMENT.
   * @param protocol as the messages name it ("DHCP", "NetBIOS").
   */
  assertAgreement(protocol: string): void {
    assert.ok(this.captures > 0, 'no capture compared');
    assert.deepEqual(this.parseErrors, [], `${this.reference} ${protocol} frames medtap failed to parse`);
    assert.deepEqual(this.missingUnexplained, [], `${this.reference} ${protocol} frames medtap did not find`);
    assert.deepEqual(this.unexplained, [], 'differences not in KNOWN_DIFFERENCES');
    for (const [name, t] of this.fields) {
      if (t.compared === 0) continue; // no frame of the corpus carries it (covered by the unit tests only)
      assert.ok(t.equal / t.compared >= MIN_FIELD_AGREEMENT, `${name}: ${t.equal}/${t.compared} equal, below ${MIN_FIELD_AGREEMENT * 100} %`);
    }
  }

  /** "N not reached (reason), …", or "0 not reached". */
  notReached(): string {
    return [...this.missing].map(([k, n]) => `${n} not reached (${k})`).join(', ') || '0 not reached';
  }

  /** Seconds since the tallies were created, one decimal. */
  elapsed(): string {
    return ((Date.now() - this.started) / 1000).toFixed(1);
  }

  /**
   * Writes the summary to stdout: the headline, one line per field (equal/compared, percentage, known differences),
   * `extraLines`, then up to 20 of each kind of problem.
   */
  printSummary(headline: string, extraLines: readonly string[] = []): void {
    const lines: string[] = [headline];
    const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(2)} %`);
    const width = Math.max(...[...this.fields.keys()].map((k) => k.length));
    for (const [name, t] of this.fields) {
      const known = [...t.known].map(([k, n]) => `, ${n} known (${k})`).join('');
      lines.push(`  ${name.padEnd(width)}  ${t.equal}/${t.compared} equal (${pct(t.equal, t.compared)})${known}`);
    }
    lines.push(...extraLines);
    for (const u of this.unexplained.slice(0, 20)) lines.push(`  UNEXPLAINED ${u}`);
    for (const u of this.missingUnexplained.slice(0, 20)) lines.push(`  MISSING ${u}`);
    for (const u of this.parseErrors.slice(0, 20)) lines.push(`  PARSE ERROR ${u}`);
    for (const u of this.extraDetail.slice(0, 20)) lines.push(`  EXTRA ${u}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
