/**
 * Generate test/conformance/tcp-follow/tshark-follow.json: for TCP connections of the shared corpus, the bytes
 * tshark's "Follow TCP Stream" reassembles in each direction (length and SHA-256), so medtap's TCP reassembly can be
 * compared with tshark's without running tshark at test time (test/conformance/tcp-follow/).
 *
 * Usage (from the repository root):
 *   npx tsc -p tsconfig.json && node dist/scripts/make-tcp-follow-baselines.js
 *     [--corpus ../shared/corpus] [--out test/conformance/tcp-follow/tshark-follow.json] [--jobs 2] [--only SUBSTRING]
 *
 * Which captures and streams: every capture of the corpus at most MAX_CAPTURE_BYTES long whose manifest lists
 * `tcp` (probed with `tshark -Y tcp.len>0` when not in the manifest); its first MAX_STREAMS tcp.stream indexes that
 * carry payload. Per capture F, LC_ALL=C and an empty WIRESHARK_CONFIG_DIR (default preferences):
 *   tshark -n -r F -Y tcp.len>0 -T fields -e tcp.stream           (streams with payload)
 *   tshark -n -r F -q -z follow,tcp,raw,S1 -z follow,tcp,raw,S2 …   (in groups of 32)
 * The follow output gives per stream "Node 0: ip:port", "Node 1: ip:port" and the payload chunks in hex, a chunk
 * from node 1 indented by a tab. We store per stream both nodes and, per node, the byte count and SHA-256 of the
 * concatenated bytes it sent. Only hashes are stored: no payload (some captures carry credentials).
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  corpusLabel, FRAME_BASELINE_LAYOUT, mapConcurrently, parseBaselineArgs, run, runScript, selectCaptures, tsharkFailure,
  withTsharkEnvironment, writeJsonFile,
} from './tshark-runner.js';

/** Captures larger than this are left out (the follow output of a big capture is slow to produce and hash). */
export const MAX_CAPTURE_BYTES = 8 * 1024 * 1024;
/** Streams per capture. */
export const MAX_STREAMS = 40;

/** One followed TCP connection: both endpoints and what each sent. */
export interface FollowedStream {
  node0: string;
  node1: string;
  /** [bytes sent by node 0, their SHA-256 (hex)] */
  sent0: [number, string];
  sent1: [number, string];
}

/** The baseline document. */
export interface FollowBaselines {
  generator: string;
  tshark_version: string;
  corpus: string;
  commands: string[];
  captures: Record<string, { sha256: string; streams: Record<string, FollowedStream>; tshark_error?: string }>;
}

/** Parses tshark's `-z follow,tcp,raw` report into streams by index. */
export function parseFollowReport(text: string): Map<number, FollowedStream> {
  const out = new Map<number, FollowedStream>();
  for (const block of text.split(/^=+$/m)) {
    const filter = /^Filter: tcp\.stream eq (\d+)$/m.exec(block);
    const n0 = /^Node 0: (.*)$/m.exec(block);
    const n1 = /^Node 1: (.*)$/m.exec(block);
    if (!filter || !n0 || !n1) continue;
    const h0 = createHash('sha256');
    const h1 = createHash('sha256');
    let b0 = 0;
    let b1 = 0;
    for (const line of block.split('\n')) {
      const m = /^(\t?)([0-9a-f]+)$/.exec(line);
      if (!m) continue;
      const bytes = Buffer.from(m[2]!, 'hex');
      if (m[1]) {
        h1.update(bytes);
        b1 += bytes.length;
      } else {
        h0.update(bytes);
        b0 += bytes.length;
      }
    }
    if (b0 + b1 === 0) continue;
    out.set(Number(filter[1]), { node0: n0[1]!, node1: n1[1]!, sent0: [b0, h0.digest('hex')], sent1: [b1, h1.digest('hex')] });
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseBaselineArgs(process.argv.slice(2), 'test/conformance/tcp-follow/tshark-follow.json', true);
  const root = resolve(args.corpus);
  await withTsharkEnvironment(async (env, tsharkVersion) => {
    const selected = (await selectCaptures(root, args, ['tcp'], 'tcp.len>0', 'TCP payload', env))
      .filter((s) => statSync(join(root, s.name)).size <= MAX_CAPTURE_BYTES);
    const doc: FollowBaselines = {
      generator: 'scripts/make-tcp-follow-baselines.ts',
      tshark_version: tsharkVersion,
      corpus: corpusLabel(root),
      commands: ['tshark -n -r F -Y tcp.len>0 -T fields -e tcp.stream', 'tshark -n -r F -q -z follow,tcp,raw,S …'],
      captures: {},
    };
    await mapConcurrently(selected, args.jobs, async (s) => {
      const file = join(root, s.name);
      const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
      const list = await run('tshark', ['-n', '-r', file, '-Y', 'tcp.len>0', '-T', 'fields', '-e', 'tcp.stream'], env);
      const err = tsharkFailure(list);
      const ids = [...new Set(list.stdout.split('\n').filter((l) => l !== '').map(Number))].sort((a, b) => a - b).slice(0, MAX_STREAMS);
      const streams: Record<string, FollowedStream> = {};
      for (let i = 0; i < ids.length; i += 32) {
        const group = ids.slice(i, i + 32);
        const r = await run('tshark', ['-n', '-r', file, '-q', ...group.flatMap((id) => ['-z', `follow,tcp,raw,${id}`])], env);
        for (const [id, st] of parseFollowReport(r.stdout)) streams[String(id)] = st;
      }
      doc.captures[s.name] = err ? { sha256, streams, tshark_error: err } : { sha256, streams };
    }, (s, _r, done) => process.stderr.write(`${done}/${selected.length} ${s.name}\n`));
    const sorted: FollowBaselines['captures'] = {};
    for (const k of Object.keys(doc.captures).sort()) sorted[k] = doc.captures[k]!;
    doc.captures = sorted;
    const bytes = writeJsonFile(args.out, doc, { ...FRAME_BASELINE_LAYOUT, lastKeys: ['captures', 'streams'] });
    process.stderr.write(`wrote ${args.out} (${bytes} bytes)\n`);
  });
}

runScript(main);
