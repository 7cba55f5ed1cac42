/**
 * Generate test/conformance/tcp-os/p0f-baselines.json: p0f v3's verdicts on the TCP handshakes of a sample of the
 * shared corpus, so medtap's passive OS fingerprinting (src/identify/tcp-os-match.ts) can be compared with p0f
 * without running p0f at test time (test/conformance/tcp-os/tcp-os-vs-p0f.test.ts).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-p0f-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/tcp-os/p0f-baselines.json] [--jobs 2] [--only SUBSTRING]
 *
 * Which captures: every *.pcap / *.pcapng in the corpus directories of P0F_CORPUS_DIRS (those whose traffic is mostly
 * TCP sessions between hosts of known systems). Per capture F it runs, in a fresh temporary directory:
 *   p0f -r F -o LOG          (the installed p0f with its own /etc/p0f/p0f.fp)
 * and keeps, per handshake (client ip/port → server ip/port), the first `mod=syn` and the first `mod=syn+ack` line:
 * its verdict (`os=` or, for a tool such as an NMap scan, `app=`; `???` is stored as null), `dist`, `params` and
 * `raw_sig`. The JSON records p0f's version line and the database's SHA-256.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { corpusLabel, listCaptures, mapConcurrently, parseBaselineArgs, run, runScript, writeJsonFile } from './tshark-runner.js';

/** The corpus directories sampled. */
export const P0F_CORPUS_DIRS = ['auth_dir', 'database', 'http', 'iot', 'lan_mixed', 'medical', 'remote_access', 'smb', 'ssh', 'telnet_ftp', 'tls_quic'] as const;
/** The p0f database used. */
export const P0F_DATABASE = '/etc/p0f/p0f.fp';

/** p0f's view of one SYN or SYN-ACK. */
export interface P0fVerdict {
  /** `os` for an OS signature, `app` for a tool's (nmap), absent in p0f's line when nothing matched. */
  kind: 'os' | 'app';
  /** The label, null when p0f printed `???`. */
  label: string | null;
  dist: string;
  params: string;
  raw_sig: string;
}

/** One handshake: the client's SYN and the server's SYN-ACK as p0f saw them. */
export interface P0fHandshake {
  syn?: P0fVerdict;
  syn_ack?: P0fVerdict;
}

/** One capture's baseline. */
export interface P0fCapture {
  sha256: string;
  size: number;
  p0f_error?: string;
  /** `client_ip/port>server_ip/port` → verdicts (addresses as p0f prints them). */
  handshakes: Record<string, P0fHandshake>;
}

/** The whole document. */
export interface P0fBaselines {
  generator: string;
  p0f_version: string;
  database_sha256: string;
  corpus: string;
  selection: string;
  command: string;
  captures: Record<string, P0fCapture>;
}

const LINE = /\bmod=(syn|syn\+ack)\|cli=([^|]+)\|srv=([^|]+)\|subj=\w+\|(os|app)=([^|]*)\|dist=([^|]*)\|params=([^|]*)\|raw_sig=([^|]*)$/;

/** Reads a p0f log into handshakes (first SYN and first SYN-ACK of each client → server pair). */
export function parseP0fLog(text: string): Record<string, P0fHandshake> {
  const out: Record<string, P0fHandshake> = {};
  for (const line of text.split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const key = `${m[2]}>${m[3]}`;
    const h = (out[key] ??= {});
    const v: P0fVerdict = { kind: m[4] as 'os' | 'app', label: m[5] === '???' || m[5] === '' ? null : m[5]!, dist: m[6]!, params: m[7]!, raw_sig: m[8]! };
    if (m[1] === 'syn') h.syn ??= v;
    else h.syn_ack ??= v;
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/tcp-os/p0f-baselines.json', false);
  const root = resolve(args.corpus);
  const version = await run('p0f', ['-h'], process.env);
  const p0fVersion = /p0f [0-9][^ ]*/.exec(version.stdout + version.stderr)?.[0] ?? 'unknown';
  const captures = listCaptures(root, /\.(pcap|pcapng)$/i)
    .filter((rel) => (P0F_CORPUS_DIRS as readonly string[]).includes(rel.split('/')[0]!))
    .filter((rel) => args.only === null || rel.includes(args.only));
  const doc: P0fBaselines = {
    generator: 'scripts/make-p0f-baselines.ts',
    p0f_version: p0fVersion,
    database_sha256: createHash('sha256').update(readFileSync(P0F_DATABASE)).digest('hex'),
    corpus: corpusLabel(root),
    selection: `every *.pcap / *.pcapng under ${P0F_CORPUS_DIRS.join(', ')}`,
    command: 'p0f -r F -o LOG',
    captures: {},
  };
  const results = await mapConcurrently(captures, args.jobs, async (rel) => {
    const path = join(root, rel);
    const bytes = readFileSync(path);
    const dir = mkdtempSync(join(tmpdir(), 'medtap-p0f-'));
    try {
      const log = join(dir, 'p0f.log');
      const r = await run('p0f', ['-r', path, '-o', log], process.env);
      let text = '';
      try {
        text = readFileSync(log, 'utf8');
      } catch {
        // p0f writes no log when it finds nothing to say
      }
      const cap: P0fCapture = { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, handshakes: parseP0fLog(text) };
      if (r.code !== 0) cap.p0f_error = `exit code ${r.code}: ${r.stderr.split('\n').filter((l) => /\[-\]|error/i.test(l)).join(' ').replaceAll(path, rel)}`;
      return cap;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, (rel, cap, done) => process.stderr.write(`[${done}/${captures.length}] ${rel}: ${Object.keys(cap.handshakes).length} handshakes\n`));
  captures.forEach((rel, i) => { doc.captures[rel] = results[i]!; });
  const size = writeJsonFile(args.out, doc, { lastKeys: ['captures', 'handshakes'], numericKeys: false, inlineArrayMax: Infinity, inlineFlatObjects: true });
  process.stderr.write(`wrote ${args.out} (${size} bytes, ${captures.length} captures)\n`);
}

runScript(main);
