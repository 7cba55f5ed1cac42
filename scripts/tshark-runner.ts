/**
 * Running tshark over the shared capture corpus for the scripts/make-*-baselines.ts generators: the common command
 * line, a reproducible tshark environment (LC_ALL=C, an empty WIRESHARK_CONFIG_DIR so no personal preference
 * changes the result), capture discovery (corpus walk, manifest.tsv, tshark probes), a bounded worker pool, reading
 * `-T fields` output into per-frame rows, and deterministic JSON writing so a regenerated baseline diffs cleanly.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

// ---------------------------------------------------------------------------------------------------------------
// Command line of a generator

/** The options every generator takes. */
export interface BaselineArgs {
  /** The corpus directory (default ../shared/corpus). */
  corpus: string;
  /** Where the JSON is written. */
  out: string;
  /** Captures processed at a time (at least 1, default 2). */
  jobs: number;
  /** Only captures whose relative path contains this. */
  only: string | null;
  /** Probe every capture with tshark instead of trusting manifest.tsv (only where `allowProbeAll`). */
  probeAll: boolean;
}

/**
 * Parses `--corpus DIR --out FILE --jobs N --only SUBSTRING` and, if `allowProbeAll`, `--probe-all`.
 * @throws on any other argument.
 */
export function parseBaselineArgs(argv: string[], defaultOut: string, allowProbeAll: boolean): BaselineArgs {
  const a: BaselineArgs = { corpus: '../shared/corpus', out: defaultOut, jobs: 2, only: null, probeAll: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--corpus' && v) { a.corpus = v; i++; } else if (k === '--out' && v) { a.out = v; i++; } else if (k === '--jobs' && v) { a.jobs = Math.max(1, Number(v)); i++; } else if (k === '--only' && v) { a.only = v; i++; } else if (k === '--probe-all' && allowProbeAll) a.probeAll = true; else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

/** Runs a generator's main function; an error is printed with its stack and sets exit code 1. */
export function runScript(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

/** What a finished process printed, and its exit code (null when killed). */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cmd args` to completion with `env`, collecting stdout and stderr as UTF-8. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Relevant stderr lines (drops tshark's "Running as user root" warning). */
export function stderrLines(s: string): string[] {
  return s.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Running as user/.test(l));
}

/**
 * What went wrong in a tshark run, for a baseline's `tshark_error`: its relevant stderr lines joined, or the exit
 * code when it failed silently; undefined when it exited 0 with nothing relevant on stderr. Callers replace the
 * capture's absolute path with its corpus-relative name.
 */
export function tsharkFailure(r: RunResult): string | undefined {
  const errLines = stderrLines(r.stderr);
  if (r.code === 0 && errLines.length === 0) return undefined;
  return errLines.join(' ') || `exit code ${r.code}`;
}

/**
 * Runs `body` with a reproducible tshark environment (LC_ALL=C and an empty WIRESHARK_CONFIG_DIR, removed
 * afterwards) and the first line of `tshark --version`.
 * @throws if tshark does not run.
 */
export async function withTsharkEnvironment(body: (env: NodeJS.ProcessEnv, tsharkVersion: string) => Promise<void>): Promise<void> {
  const cfg = mkdtempSync(join(tmpdir(), 'medtap-tshark-cfg-'));
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', WIRESHARK_CONFIG_DIR: cfg };
  try {
    const tv = await run('tshark', ['--version'], env);
    const tsharkVersion = (tv.stdout.split('\n')[0] ?? '').trim();
    if (!tsharkVersion.startsWith('TShark')) throw new Error(`tshark not usable: ${tv.stderr}`);
    await body(env, tsharkVersion);
  } finally {
    rmSync(cfg, { recursive: true, force: true });
  }
}

/**
 * Applies `work` to every item, at most `jobs` at a time; `onDone` is told of each result as it arrives, with how
 * many are done.
 * @returns the results in the order of `items`.
 */
export async function mapConcurrently<T, R>(
  items: readonly T[], jobs: number, work: (item: T) => Promise<R>, onDone: (item: T, result: R, done: number) => void,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const item = items[i]!;
      const r = await work(item);
      results[i] = r;
      done++;
      onDone(item, r, done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, () => worker()));
  return results;
}

// ---------------------------------------------------------------------------------------------------------------
// Captures of the corpus

/** Every capture below root whose name matches `extensions` (not under baselines/), as sorted '/'-separated relative paths. */
export function listCaptures(root: string, extensions: RegExp): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'baselines') walk(p); } else if (e.isFile() && extensions.test(e.name)) out.push(p);
    }
  };
  walk(root);
  return out.map((p) => relative(root, p).split(sep).join('/')).sort();
}

/** The corpus directory as the JSON records it: relative to the working directory, '/'-separated. */
export function corpusLabel(root: string): string {
  return relative(process.cwd(), root).split(sep).join('/');
}

/** manifest.tsv: relative path -> protocols tokens (null when the manifest is missing). */
function readManifest(root: string): Map<string, string[]> | null {
  let text: string;
  try {
    text = readFileSync(join(root, 'manifest.tsv'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const head = (lines[0] ?? '').split('\t');
  const fileCol = head.indexOf('file');
  const protoCol = head.indexOf('protocols');
  if (fileCol < 0 || protoCol < 0) throw new Error('manifest.tsv: header lacks file/protocols columns');
  const m = new Map<string, string[]>();
  for (const l of lines.slice(1)) {
    const c = l.split('\t');
    m.set(c[fileCol] ?? '', (c[protoCol] ?? '').split(','));
  }
  return m;
}

/** True if tshark shows at least one frame matching `filter` (stops tshark at its first output line). */
function probe(file: string, filter: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((res, rej) => {
    const p = spawn('tshark', ['-n', '-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let found = false;
    p.stdout.on('data', (b: Buffer) => {
      if (!found && b.toString('utf8').trim() !== '') {
        found = true;
        p.kill();
      }
    });
    p.on('error', rej);
    p.on('close', () => res(found));
  });
}

/** A capture chosen for a baseline, and how: "manifest" or "probe". */
export interface SelectedCapture {
  name: string;
  by: string;
}

/** The capture files a baseline considers unless it names others. */
export const CAPTURE_EXTENSIONS = /\.(pcap|pcapng)$/i;

/**
 * The captures of the corpus (files matching `extensions`, default *.pcap / *.pcapng, filtered by `args.only`) that
 * hold a protocol: those whose manifest.tsv `protocols` column has one of `manifestTokens`; a capture missing from
 * the manifest (every capture with `args.probeAll`) is probed with `tshark -Y filter`. Reports the count on stderr,
 * naming `protocol`.
 */
export async function selectCaptures(
  root: string, args: BaselineArgs, manifestTokens: readonly string[], filter: string, protocol: string, env: NodeJS.ProcessEnv,
  extensions: RegExp = CAPTURE_EXTENSIONS,
): Promise<SelectedCapture[]> {
  const manifest = args.probeAll ? null : readManifest(root);
  let names = listCaptures(root, extensions);
  if (args.only) names = names.filter((n) => n.includes(args.only!));
  const selected: SelectedCapture[] = [];
  let probed = 0;
  for (const name of names) {
    const protos = manifest?.get(name);
    if (protos) {
      if (protos.some((t) => manifestTokens.includes(t))) selected.push({ name, by: 'manifest' });
      continue;
    }
    probed++;
    if (await probe(join(root, name), filter, env)) selected.push({ name, by: 'probe' });
  }
  process.stderr.write(`${selected.length} of ${names.length} captures hold ${protocol} (${probed} probed with tshark)\n`);
  return selected;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-frame field output

/**
 * The shell-readable command line `tshark -r F <args>` a baseline records: an argument holding the aggregator U+001F
 * is written with `$(printf '\037')`, one with spaces, commas or bars is quoted.
 */
export function tsharkCommandLine(args: readonly string[], aggregator: string): string {
  const shellArg = (a: string): string => {
    if (a.includes(aggregator)) return `"${a.replace(aggregator, '$(printf \'\\037\')')}"`;
    return /[\s,|]/.test(a) ? `'${a}'` : a;
  };
  return `tshark -r F ${args.map(shellArg).join(' ')}`;
}

/**
 * `-T fields` options printing one tab-separated line per frame, every occurrence of a field joined with
 * `aggregator`, followed by `-e` for each field.
 */
export function tsharkFieldArgs(fields: readonly string[], aggregator: string): string[] {
  return [
    '-T', 'fields', '-E', 'header=n', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', `aggregator=${aggregator}`,
    ...fields.flatMap((f) => ['-e', f]),
  ];
}

/**
 * The first columns of every per-frame baseline: the key, then the transport context its notes are computed from
 * (a tunnelled frame shows two UDP layers; fragments are reassembled by tshark).
 */
export const FRAME_CONTEXT_FIELDS = ['frame.number', 'udp.srcport', 'udp.dstport', 'ip.flags.mf', 'ip.frag_offset', '_ws.expert.message'] as const;

/**
 * The tshark arguments (after `-r F`) of a per-frame baseline: the frames matching display filter `filter`, one line
 * each, with `fields`.
 * @throws unless `fields` starts with FRAME_CONTEXT_FIELDS (readFrameFields reads those columns by position).
 */
export function frameBaselineArgs(filter: string, fields: readonly string[], aggregator: string): string[] {
  if (FRAME_CONTEXT_FIELDS.some((f, i) => fields[i] !== f)) throw new Error(`fields must start with ${FRAME_CONTEXT_FIELDS.join(', ')}`);
  return ['-n', '-Y', filter, ...tsharkFieldArgs(fields, aggregator)];
}

/** How many of a capture's frames have each transport peculiarity worth a note. */
export interface FrameContextCounts {
  /** More than one UDP layer (the protocol inside a tunnel). */
  tunnelled: number;
  /** Completing a reassembled IPv4 datagram. */
  fragmented: number;
  /** Neither UDP port is one of the protocol's. */
  nonStandardPort: number;
  /** Flagged "Malformed Packet" by tshark. */
  malformed: number;
}

/** A frame's transport context fields, every occurrence of each (outermost layer first). */
export interface FrameContextValues {
  udpSrcPorts: readonly string[];
  udpDstPorts: readonly string[];
  ipMoreFragments: readonly string[];
  ipFragOffsets: readonly string[];
  expertMessages: readonly string[];
}

/** Adds one frame to `counts`: tunnelled, fragmented, on none of the protocol's UDP `ports` (innermost layer), malformed. */
export function countFrameContext(counts: FrameContextCounts, v: FrameContextValues, ports: readonly string[]): void {
  const last = (a: readonly string[]): string => a[a.length - 1] ?? '';
  if (v.udpSrcPorts.length > 1) counts.tunnelled++;
  if (!ports.includes(last(v.udpSrcPorts)) && !ports.includes(last(v.udpDstPorts))) counts.nonStandardPort++;
  if (v.ipMoreFragments.includes('1') || v.ipFragOffsets.some((x) => Number(x) > 0)) counts.fragmented++;
  if (v.expertMessages.some((x) => x.includes('Malformed Packet'))) counts.malformed++;
}

/** One capture read by readFrameFields. */
export interface FrameFieldsCapture {
  sha256: string;
  size: number;
  /** frame.number -> the raw values of the other fields, in order, trailing empty values dropped. */
  frames: Record<string, string[]>;
  context: FrameContextCounts;
  /** See tsharkFailure; paths already made corpus-relative. */
  tsharkError: string | undefined;
}

/**
 * Runs `tshark -r F <args>` (from frameBaselineArgs) on one capture of the corpus and reads its output into
 * per-frame rows, counting the transport context against the protocol's UDP `ports`.
 * @param onRow sees every line's values (frame.number first), for protocol-specific counts.
 * @throws on an output line that does not start with a frame number.
 */
export async function readFrameFields(
  root: string, name: string, args: readonly string[], env: NodeJS.ProcessEnv, aggregator: string, ports: readonly string[],
  onRow: (values: string[]) => void = () => {},
): Promise<FrameFieldsCapture> {
  const file = join(root, name);
  const buf = readFileSync(file);
  const ts = await run('tshark', ['-r', file, ...args], env);
  const frames: Record<string, string[]> = {};
  const context: FrameContextCounts = { tunnelled: 0, fragmented: 0, nonStandardPort: 0, malformed: 0 };
  for (const line of ts.stdout.split('\n')) {
    if (line === '') continue;
    const v = line.split('\t');
    const num = v[0] ?? '';
    if (!/^\d+$/.test(num)) throw new Error(`${name}: unexpected tshark line ${JSON.stringify(line.slice(0, 80))}`);
    const rest = v.slice(1);
    while (rest.length > 0 && rest[rest.length - 1] === '') rest.pop();
    frames[num] = rest;
    onRow(v);
    // Columns 1–5 are FRAME_CONTEXT_FIELDS after frame.number.
    const occurrences = (i: number): string[] => (v[i] ?? '').split(aggregator);
    countFrameContext(context, {
      udpSrcPorts: occurrences(1),
      udpDstPorts: occurrences(2),
      ipMoreFragments: occurrences(3),
      ipFragOffsets: occurrences(4),
      expertMessages: occurrences(5),
    }, ports);
  }
  return {
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
    frames,
    context,
    tsharkError: tsharkFailure(ts)?.replaceAll(file, name),
  };
}

/** The `selection` text of a per-frame baseline document: how its captures were chosen. */
export function selectionText(args: BaselineArgs, manifestToken: string, filter: string): string {
  const probe = `tshark -n -r F -Y ${filter} -T fields -e frame.number (first line)`;
  return args.probeAll
    ? `every *.pcap/*.pcapng probed with: ${probe}`
    : `manifest.tsv protocols column holds "${manifestToken}"; captures missing from the manifest probed with: ${probe}`;
}

/** The `environment` text of a baseline document (see withTsharkEnvironment). */
export const TSHARK_ENVIRONMENT_TEXT = 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)';

/**
 * Selects the corpus captures holding a protocol (selectCaptures) and runs `work` on each, `args.jobs` at a time,
 * reporting progress on stderr.
 * @param frames how many protocol frames an entry holds, for the progress line.
 * @returns the entries by capture name.
 */
export async function collectCaptureEntries<E extends { tshark_error?: string }>(
  root: string, args: BaselineArgs, manifestToken: string, filter: string, protocol: string, env: NodeJS.ProcessEnv,
  work: (name: string, selectedBy: string) => Promise<E>, frames: (e: E) => number,
): Promise<Record<string, E>> {
  const selected = await selectCaptures(root, args, [manifestToken], filter, protocol, env);
  const captures: Record<string, E> = {};
  await mapConcurrently(selected, args.jobs, (s) => work(s.name, s.by), (s, e, done) => {
    captures[s.name] = e;
    process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${frames(e)} ${protocol} frames${e.tshark_error ? ' (tshark error)' : ''}\n`);
  });
  return captures;
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic JSON

/** How stringifyJson lays a document out. Keys are always sorted; undefined values are left out. */
export interface JsonLayout {
  /** Keys written after all others in their object (the bulky maps, so the metadata stays at the top). */
  lastKeys: readonly string[];
  /** Order two all-digit keys (frame numbers) by their value rather than as text. */
  numericKeys: boolean;
  /** Longest array of primitives kept on one line (Infinity: every such array). */
  inlineArrayMax: number;
  /** Write an object holding only primitives on one line. */
  inlineFlatObjects: boolean;
  /** Also keep on one line (within inlineArrayMax) an array whose items are primitives or arrays of primitives. */
  inlineNestedArrays?: boolean;
}

/** The per-frame baselines' layout: frame keys in numeric order, `captures`/`frames` last, primitive arrays inline. */
export const FRAME_BASELINE_LAYOUT: JsonLayout = { lastKeys: ['captures', 'frames'], numericKeys: true, inlineArrayMax: Infinity, inlineFlatObjects: false };

/** JSON with sorted keys and two-space indentation, laid out by `layout`, identical for identical input. */
export function stringifyJson(v: unknown, layout: JsonLayout, indent = ''): string {
  const isPrim = (x: unknown): boolean => x === null || typeof x !== 'object';
  const isFlat = (x: unknown): boolean => isPrim(x) || (layout.inlineNestedArrays === true && Array.isArray(x) && x.every(isPrim));
  if (isPrim(v)) return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isFlat) && JSON.stringify(v).length <= layout.inlineArrayMax) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + stringifyJson(x, layout, inner)).join(',\n')}\n${indent}]`;
  }
  const o = v as Record<string, unknown>;
  const numeric = (k: string): boolean => layout.numericKeys && /^\d+$/.test(k);
  const rank = (k: string): number => (layout.lastKeys.includes(k) ? 1 : 0);
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort((x, y) =>
    rank(x) - rank(y) || (numeric(x) && numeric(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0));
  if (keys.length === 0) return '{}';
  if (layout.inlineFlatObjects && keys.every((k) => isPrim(o[k]))) return `{${keys.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(o[k])}`).join(', ')}}`;
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${stringifyJson(o[k], layout, inner)}`).join(',\n')}\n${indent}}`;
}

/**
 * Writes `doc` to `path` as stringifyJson plus a final newline.
 * @returns the file's size in bytes.
 */
export function writeJsonFile(path: string, doc: unknown, layout: JsonLayout): number {
  writeFileSync(path, stringifyJson(doc, layout) + '\n');
  return statSync(path).size;
}

// ---------------------------------------------------------------------------------------------------------------
// A whole per-frame baseline generator

/** What a per-frame baseline generator (scripts/make-*-baselines.ts) specifies; runFrameBaselineGenerator does the rest. */
export interface FrameBaselineGenerator<E extends { tshark_error?: string }> {
  /** The script, as the document's `generator` names it. */
  generator: string;
  /** Where the JSON goes without --out. */
  defaultOut: string;
  /** manifest.tsv `protocols` tokens that select a capture. */
  manifestTokens: readonly string[];
  /** The display filter selecting the frames (also the probe of captures missing from the manifest). */
  filter: string;
  /** The protocol as progress lines name it. */
  protocol: string;
  /** The tshark arguments after `-r F` (from frameBaselineArgs). */
  tsharkArgs: readonly string[];
  aggregator: string;
  fields: readonly string[];
  /** The document's `environment` line. */
  environment: string;
  /** The document's `commands` when there is more than the one `tsharkArgs` command (default: that one). */
  commands?: readonly string[];
  /** Reads one capture into its entry. */
  processCapture(root: string, name: string, selectedBy: string, env: NodeJS.ProcessEnv): Promise<E>;
  /** The counts of an entry, summed into the document's totals and shown on its progress line. */
  counts(entry: E): Record<string, number>;
}

/**
 * Runs a per-frame baseline generator: parses the command line, selects the captures, reads them `--jobs` at a
 * time with progress on stderr, and writes the deterministic JSON document (metadata, `fields`, `totals`,
 * `captures`).
 */
export async function runFrameBaselineGenerator<E extends { tshark_error?: string }>(g: FrameBaselineGenerator<E>): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), g.defaultOut, true);
  const root = resolve(args.corpus);
  const t0 = Date.now();
  const countText = (c: Record<string, number>): string => Object.entries(c).map(([k, n]) => `${n} ${k}`).join(', ');
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = await selectCaptures(root, args, g.manifestTokens, g.filter, g.protocol, env);
    const captures: Record<string, E> = {};
    await mapConcurrently(selected, args.jobs, (s) => g.processCapture(root, s.name, s.by, env), (s, e, done) => {
      captures[s.name] = e;
      process.stderr.write(`[${done}/${selected.length}] ${s.name}: ${countText(g.counts(e))}${e.tshark_error ? ' (tshark error)' : ''}\n`);
    });
    const totals: Record<string, number> = { captures: selected.length };
    for (const e of Object.values(captures)) for (const [k, n] of Object.entries(g.counts(e))) totals[k] = (totals[k] ?? 0) + n;
    const probe = `tshark -n -r F -Y '${g.filter}' -T fields -e frame.number (first line)`;
    const doc = {
      generator: g.generator,
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      selection: args.probeAll
        ? `every *.pcap/*.pcapng probed with: ${probe}`
        : `manifest.tsv protocols column holds ${g.manifestTokens.map((t) => `"${t}"`).join(' or ')}; captures missing from the manifest probed with: ${probe}`,
      environment: g.environment,
      commands: g.commands ?? [tsharkCommandLine(g.tsharkArgs, g.aggregator)],
      format: 'captures[path].frames[frame.number] = raw tshark strings for fields[1..] in order (trailing empty values dropped); multiple occurrences joined with `aggregator`',
      aggregator: g.aggregator,
      fields: g.fields,
      totals,
      captures,
    };
    const bytes = writeJsonFile(args.out, doc, FRAME_BASELINE_LAYOUT);
    process.stderr.write(`wrote ${args.out}: ${countText(totals)}, ${bytes} bytes, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
}


/** What a per-frame baseline generator built with runFrameBaselineGenerator records. */
export interface FrameBaselineSpec {
  /** The generator's path, as the JSON names it (scripts/make-X-baselines.ts). */
  generator: string;
  /** The protocol as messages name it ("NTP"). */
  protocol: string;
  /** The per-capture frame count key (`ntp_frames`) and totals key. */
  countKey: string;
  /** Default output path. */
  defaultOut: string;
  /** manifest.tsv `protocols` tokens that select a capture. */
  manifestTokens: readonly string[];
  /** Display filter selecting the frames recorded (and the probe). */
  filter: string;
  /** The fields recorded, FRAME_CONTEXT_FIELDS first. */
  fields: readonly string[];
  /** Joins the occurrences of a multi-occurrence field. */
  aggregator: string;
  /** The protocol's UDP ports (for the non-standard-port note). */
  ports: readonly string[];
  /**
   * Extra columns appended after `fields` (each named in `extraColumns.names`), filled per capture by `fill`, which
   * may run further tshark commands (described in `extraColumns.commands`).
   */
  extraColumns?: {
    names: readonly string[];
    commands: readonly string[];
    fill(file: string, frames: Record<string, string[]>, env: NodeJS.ProcessEnv): Promise<void>;
  };
}

/** A shell-readable rendering of one tshark argument (the unit separator as `$(printf '\037')`). */
export function shellArg(a: string): string {
  if (a.includes('\u001f')) return `"${a.replaceAll('\u001f', '$(printf \'\\037\')')}"`;
  return /[\s,|&=()!]/.test(a) ? `'${a}'` : a;
}

/**
 * The main function of a per-frame baseline generator: parses the command line (parseBaselineArgs, `--probe-all`
 * allowed), selects the captures, runs tshark on each (at most `--jobs` at a time), and writes the JSON document
 * (generator, tshark version, corpus, selection rule, environment, commands, format, aggregator, fields, totals,
 * captures) with FRAME_BASELINE_LAYOUT.
 */
export async function runSpecBaselineGenerator(spec: FrameBaselineSpec): Promise<void> {
  const tsharkArgs = frameBaselineArgs(spec.filter, spec.fields, spec.aggregator);
  const extra = spec.extraColumns;
  const width = spec.fields.length - 1;
  await runFrameBaselineGenerator<{ tshark_error?: string } & Record<string, unknown>>({
    generator: spec.generator,
    defaultOut: spec.defaultOut,
    manifestTokens: spec.manifestTokens,
    filter: spec.filter,
    protocol: spec.protocol,
    tsharkArgs,
    aggregator: spec.aggregator,
    fields: [...spec.fields, ...(extra?.names ?? [])],
    environment: 'LC_ALL=C, WIRESHARK_CONFIG_DIR=<empty directory> (default preferences, IP reassembly on)',
    commands: [`tshark -r F ${tsharkArgs.map(shellArg).join(' ')}`, ...(extra?.commands ?? [])],
    async processCapture(root, name, selectedBy, env) {
      const c = await readFrameFields(root, name, tsharkArgs, env, spec.aggregator, spec.ports);
      if (extra) {
        for (const row of Object.values(c.frames)) while (row.length < width) row.push('');
        await extra.fill(join(root, name), c.frames, env);
        for (const row of Object.values(c.frames)) while (row.length > 0 && row[row.length - 1] === '') row.pop();
      }
      const entry: { tshark_error?: string } & Record<string, unknown> = {
        sha256: c.sha256, size: c.size, selected_by: selectedBy, [spec.countKey]: Object.keys(c.frames).length,
        notes: frameContextNotes(c.context, spec.protocol, spec.ports), frames: c.frames,
      };
      if (c.tsharkError !== undefined) entry.tshark_error = c.tsharkError;
      return entry;
    },
    counts: (e) => ({ [spec.countKey]: e[spec.countKey] as number }),
  });
}

/** The `notes` of a capture: tunnelled, fragmented, non-standard-port and malformed frame counts, when non-zero. */
export function frameContextNotes(c: FrameContextCounts, protocol: string, ports: readonly string[]): string[] {
  const notes: string[] = [];
  if (c.tunnelled) notes.push(`tunnelled: ${c.tunnelled} ${protocol} frames carry more than one UDP layer (${protocol} inside a tunnel)`);
  if (c.fragmented) notes.push(`ip-fragments: ${c.fragmented} ${protocol} frames complete a reassembled IP datagram`);
  if (c.nonStandardPort) notes.push(`non-standard-port: ${c.nonStandardPort} ${protocol} frames use none of UDP ports ${ports.join(', ')}`);
  if (c.malformed) notes.push(`malformed: ${c.malformed} ${protocol} frames flagged "Malformed Packet" by tshark`);
  return notes;
}
