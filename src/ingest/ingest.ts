/**
 * The ingest pipeline: capture → decode → flows → endpoints → devices → store, in one streaming pass.
 *
 * Everything a run writes happens inside one SQLite transaction: an interrupted or failed run (Ctrl-C on a file
 * ingest, kill, crash) leaves the database exactly as it was. A capture whose content (SHA-256) was already
 * ingested is skipped, so re-ingesting never double counts. A live stream from stdin is committed when it ends,
 * including on the first Ctrl-C (the stream is the capture; a second Ctrl-C aborts without storing).
 */
import { parseMac } from '../decode/address.js';
import { Anomaly, AnomalyCounter } from '../decode/anomalies.js';
import { DecodedPacket, Inner } from '../decode/decoded-packet.js';
import { decodeEthernet, decodeFrame, ETHERTYPE_ARP } from '../decode/link.js';
import { decodeIp } from '../decode/ip.js';
import { type FlowEndReason, FlowTable, MAX_FLOWS } from '../flow/flow-table.js';
import { type ByteSource } from '../capture/capture-reader.js';
import { openFileSource, openStdinSource, mergedSource, isDirectory, listCaptureFiles, type PacketSource } from '../capture/packet-source.js';
import { quickKey, sha256File, sha256FilesInBackground } from '../capture/content-hash.js';
import { EndpointAccumulator, type Endpoint } from '../inventory/endpoint-accumulator.js';
import { FLOW_CLIENT_DEVICE_INDEX, type FlowInsert, type SqliteStore } from '../inventory/sqlite-store.js';
import { lookupOuiVendor, ouiRegistryVersion } from '../inventory/oui.js';
import { createHash, type Hash } from 'node:crypto';
import { frameAnalyzerFor, frameAnalyzerIndex, type FrameAnalyzerIndex, type RegisteredAnalyzer, type RegisteredFrameAnalyzer, tcpAnalyzers, udpPortIndex } from '../protocols/registry.js';
import type { FrameContext, Observation, ObservationSink, PacketContext } from '../observe/observation.js';
import { JsonlLogWriter } from '../observe/log-writer.js';
import { DhcpIdentityCollector } from '../identify/dhcp-identity.js';
import { LinkDiscoveryIdentityCollector } from '../identify/link-discovery-identity.js';
import { Dhcpv6IdentityCollector } from '../identify/dhcpv6-identity.js';
import { DicomIdentityCollector } from '../identify/dicom-identity.js';
import { HttpIdentityCollector } from '../identify/http-identity.js';
import { NameIdentityCollector } from '../identify/name-identity.js';
import { NetbiosIdentityCollector } from '../identify/netbios-identity.js';
import { NtpIdentityCollector } from '../identify/ntp-identity.js';
import { SmbIdentityCollector } from '../identify/smb-identity.js';
import { SnmpIdentityCollector } from '../identify/snmp-identity.js';
import { SsdpIdentityCollector } from '../identify/ssdp-identity.js';
import { SdcIdentityCollector } from '../identify/sdc-identity.js';
import { TcpOsCollector } from '../identify/tcp-os-identity.js';
import { loadTcpSignatures } from '../identify/tcp-signatures.js';
import { RemoteAccessIdentityCollector } from '../identify/remote-access-identity.js';
import { CollectorRouter, type IdentityCollector, type MacFact } from '../identify/identity-collector.js';
import { TlsIdentityCollector } from '../identify/tls-identity.js';
import { Hl7IdentityCollector } from '../identify/hl7-identity.js';
import { Poct1aIdentityCollector } from '../identify/poct1a-identity.js';
import { IntellivueIdentityCollector } from '../identify/intellivue-identity.js';
import { PhiFlowCollector } from '../identify/phi-flow-identity.js';
import { refreshFindings, type RefreshSummary } from '../findings/refresh.js';
import { TcpStreams } from './tcp-streams.js';
import { FailureCounts, frameContext, packetContext } from './packet-context.js';
import { ipText } from '../decode/address-text.js';
import { classifyDevices, type ClassifySummary } from '../identify/classify.js';
import { isInternetPeer } from '../map/address-class.js';
import { serviceFacts } from '../identify/service-facts.js';
import { type Fact, type KnowledgeBase, loadKnowledgeBase } from '../knowledge/knowledge-base.js';
import { statSync } from 'node:fs';
import { MapObserver } from '../map/map-observer.js';

/** Most tunnel layers decoded inside one frame. */
export const MAX_ENCAPSULATION_DEPTH = 3;
/** Most IP datagrams whose first fragment's ports are remembered for their later fragments. */
export const MAX_FRAGMENT_KEYS = 65_536;
/** Ended flows held in memory until the run's devices are known (beyond it they are written early and linked later). */
export const FLOW_BUFFER_MAX = 50_000;
/** Observations handed to the identity collectors at once (see `emit` in ingest). */
export const OBSERVATION_BATCH = 256;
/** Confidence given to a vendor taken from the MAC's IEEE registration (it names the NIC maker). */
export const OUI_VENDOR_CONFIDENCE = 0.5;

/** Options of one ingest run. */
export interface IngestOptions {
  /** Called about every 250 ms of wall time with progress. */
  onProgress?: (p: IngestProgress) => void;
  /** Live flows kept at once (default MAX_FLOWS). */
  maxFlows?: number;
  /** Set to request a stop (e.g. from a SIGINT handler); checked between chunks. */
  stopSignal?: { stop: boolean; abort: boolean };
  /** Write protocol logs (dhcp.jsonl, …) into this directory. */
  logDir?: string;
  /** Fingerprint rules for identification (default: the bundled data/fingerprints/, loaded once per process). */
  knowledgeBase?: KnowledgeBase;
  /** The findings assessment time (default: now): end-of-support dates are compared with it. */
  assessmentTime?: Date;
  /** Re-assess the findings of the whole inventory at the end (default true; ~1 ms per device). */
  findings?: boolean;
  /**
   * 'none' runs the discovery core only (decode, flows, endpoints, devices, TCP/IP fingerprints) without any protocol
   * analyzer: for measuring the core's throughput (bench/ingest-cpu.ts). Default 'all'.
   */
  analyzers?: 'all' | 'none';
  /** Called at the end of each phase listed in IngestSummary.phases (benchmarks read CPU time per phase here). */
  onPhase?: (name: string) => void;
}

/** Progress snapshot. */
export interface IngestProgress {
  bytesRead: number;
  totalBytes: number | null;
  packets: number;
  seconds: number;
}

/** Per input outcome. */
export interface InputResult {
  name: string;
  status: 'ingested' | 'skipped_duplicate' | 'error' | 'partial' | 'interrupted';
  packets: number;
  bytes: number;
  sha256: string | null;
  message: string | null;
}

/** The summary of a run (printed by `medtap ingest`). */
export interface IngestSummary {
  run_id: number | null;
  status: 'ok' | 'partial' | 'nothing_new' | 'interrupted' | 'failed';
  inputs: InputResult[];
  packets: number;
  bytes: number;
  flows: number;
  devices: number;
  new_devices: number;
  edges: number;
  non_ip_frames: number;
  anomalies: Record<string, number>;
  seconds: number;
  packets_per_second: number;
  megabytes_per_second: number;
  /** Records written per protocol log (with --log-dir) and observations per protocol. */
  observations?: Record<string, number>;
  /** Seconds per phase of the run: open, read_decode_flows, resolve_devices, store_devices, identify, store_edges, store_map, store_flows, findings, wait_content_hash, commit. */
  phases?: Record<string, number>;
  /** Devices of the run identified from their facts by the fingerprint rules. */
  identification?: ClassifySummary;
  /** The findings assessment run at the end of the ingest (src/findings/). */
  findings?: RefreshSummary;
  errors: string[];
}

/** An input that could not be opened at all (missing file, unreadable directory, …). */
export class IngestInputError extends Error {}

/** Expands inputs: directories to the captures inside them; '-' to stdin. Throws IngestInputError. */
export function expandInputs(inputs: string[]): string[] {
  const out: string[] = [];
  for (const i of inputs) {
    if (i === '-') out.push('-');
    else if (isDirectory(i)) {
      const files = listCaptureFiles(i);
      if (files.length === 0) throw new IngestInputError(`${i}: directory holds no capture files (*.pcap, *.pcapng, *.cap)`);
      out.push(...files);
    } else out.push(i);
  }
  if (out.includes('-') && out.length > 1) throw new IngestInputError("'-' (standard input) cannot be combined with other inputs");
  return out;
}

/** Runs one ingest of `inputs` into `store`. */
export async function ingest(store: SqliteStore, rawInputs: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  const t0 = performance.now();
  const kb = opts.knowledgeBase ?? loadKnowledgeBase(); // a broken rule file stops the run before anything is read
  const inputs = expandInputs(rawInputs);
  const results: InputResult[] = [];

  // 1. Skip captures already ingested (quick key first, full hash only on a quick-key match). Streams (stdin, a
  //    named pipe, a device) can be read only once: they are hashed as they are read.
  const todo: { name: string; stream: boolean; quick: string | null; result: InputResult }[] = [];
  for (const name of inputs) {
    const result: InputResult = { name, status: 'ingested', packets: 0, bytes: 0, sha256: null, message: null };
    results.push(result);
    let regular: boolean;
    try {
      regular = name !== '-' && statSync(name).isFile();
    } catch (err) {
      throw new IngestInputError(`${name}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    if (!regular) {
      todo.push({ name, stream: true, quick: null, result });
      continue;
    }
    let quick: string;
    try {
      quick = quickKey(name);
    } catch (err) {
      throw new IngestInputError(`${name}: ${(err as Error).message}`);
    }
    if (store.hasQuickKey(quick)) {
      const sha = sha256File(name);
      const prev = store.findCaptureBySha(sha);
      if (prev) {
        result.status = 'skipped_duplicate';
        result.sha256 = sha;
        result.message = `already ingested as capture #${prev.id} (${prev.name}, ${prev.ingested_at}); nothing counted twice`;
        continue;
      }
    }
    todo.push({ name, stream: false, quick, result });
  }
  const anyStream = todo.some((t) => t.stream);
  const emptySummary = (status: IngestSummary['status']): IngestSummary => ({
    run_id: null, status, inputs: results, packets: 0, bytes: 0, flows: 0, devices: 0, new_devices: 0, edges: 0, non_ip_frames: 0,
    anomalies: {}, seconds: (performance.now() - t0) / 1000, packets_per_second: 0, megabytes_per_second: 0, errors: [],
  });
  if (todo.length === 0) return emptySummary('nothing_new');

  // 2. Open sources; hash regular files on a worker thread meanwhile, streams inline.
  const streamHashes = new Map<number, Hash>();
  const byteSources: ByteSource[] = [];
  for (const [i, t] of todo.entries()) {
    let src: ByteSource;
    try {
      src = t.name === '-' ? openStdinSource() : openFileSource(t.name);
    } catch (err) {
      for (const b of byteSources) b.close();
      throw new IngestInputError(`${t.name}: ${(err as Error).message}`);
    }
    if (t.stream) {
      const h = createHash('sha256');
      streamHashes.set(i, h);
      const read = src.read.bind(src);
      src = { ...src, read: (buf, off, len) => {
        const n = read(buf, off, len);
        if (n > 0) h.update(buf.subarray(off, off + n));
        return n;
      } };
    }
    byteSources.push(src);
  }
  const hashes = sha256FilesInBackground(todo.filter((t) => !t.stream).map((t) => t.name));
  const source = mergedSource(byteSources, true);
  let logs: JsonlLogWriter | null = null;

  store.begin();
  let committed = false;
  try {
    if (opts.logDir) logs = new JsonlLogWriter(opts.logDir);
    const runId = store.startRun(todo.map((t) => t.name));
    const anomalies = new AnomalyCounter();
    const acc = new EndpointAccumulator();
    const perInput = todo.map(() => ({ packets: 0, bytes: 0, first: Infinity, last: -Infinity }));
    let flowsEnded = 0;
    let spilled = false;
    const pending: PendingFlow[] = [];
    const collectors: IdentityCollector[] = [
      new DhcpIdentityCollector(), new Dhcpv6IdentityCollector(), new NameIdentityCollector(), new NetbiosIdentityCollector(),
      new NtpIdentityCollector(), new SnmpIdentityCollector(), new SsdpIdentityCollector(), new SdcIdentityCollector(), new LinkDiscoveryIdentityCollector(),
      new RemoteAccessIdentityCollector(), new DicomIdentityCollector(),
      new TlsIdentityCollector(),
      new HttpIdentityCollector(),
      new SmbIdentityCollector(),
      new Hl7IdentityCollector(), new Poct1aIdentityCollector(), new IntellivueIdentityCollector(), new PhiFlowCollector(),
    ];
    const identities = new CollectorRouter(collectors);
    const observed: Record<string, number> = {};
    const failures = new FailureCounts();
    const map = new MapObserver();
    // The identity collectors and the map's names and subnets read observations in batches (their tables stay in the
    // CPU caches through a batch); the connection annotations, which a flow's end needs, are kept current.
    const later: Observation[] = [];
    const collect = (): void => {
      for (const o of later) {
        identities.observe(o);
        map.collect(o);
      }
      later.length = 0;
    };
    const emit = (o: Observation): void => {
      observed[o.kind] = (observed[o.kind] ?? 0) + 1;
      map.connections.observe(o);
      later.push(o);
      if (later.length >= OBSERVATION_BATCH) collect();
      logs?.write(o);
    };
    const maxFlows = opts.maxFlows ?? MAX_FLOWS;
    const core = opts.analyzers === 'none';
    const none = (): undefined[] => new Array<undefined>(65536); // same shape as the real indexes: no out-of-bounds reads
    const analysis: Analysis = {
      udp: core ? none() : udpPortIndex(),
      frames: core ? { byEthertype: none(), bySnap: new Map() } : frameAnalyzerIndex(),
      failures,
      emit,
      tcp: new TcpStreams(maxFlows, core ? { byPort: none(), sniffers: [] } : tcpAnalyzers(), emit, failures),
      at: new PacketAt(),
    };
    const tcpOs = new TcpOsCollector(loadTcpSignatures(), emit);
    const flowTable = new FlowTable((t, f, reason) => {
      analysis.tcp.flowEnded(t, f);
      pending.push(endFlow(acc, t, f, reason, tcpOs, map));
      flowsEnded++;
      if (pending.length >= FLOW_BUFFER_MAX) {
        store.insertFlows(runId, pending.map((pf) => pf.row));
        pending.length = 0;
        spilled = true;
      }
    }, maxFlows);
    const phases: Record<string, number> = {};
    let phaseStart = performance.now();
    /** Records the seconds spent since the previous mark under `name` (reported in the summary). */
    const T = (name: string): void => {
      const now = performance.now();
      phases[name] = (phases[name] ?? 0) + (now - phaseStart) / 1000;
      phaseStart = now;
      opts.onPhase?.(name);
    };
    T("open");
    const loop = await runPacketLoop(source, flowTable, acc, anomalies, perInput, opts, t0, analysis);
    T("read_decode_flows");
    flowTable.flushAll();
    collect();
    T("read_decode_flows");
    if (flowTable.evictedFull > 0) anomalies.add(Anomaly.FlowTableFullEvicted, flowTable.evictedFull);
    if (acc.droppedEdges > 0) anomalies.add(Anomaly.EdgeTableFull, acc.droppedEdges);
    if (acc.droppedEndpoints > 0) anomalies.add(Anomaly.EndpointTableFull, acc.droppedEndpoints);
    const rb = analysis.tcp.budget;
    if (rb.gaps > 0) anomalies.add(Anomaly.TcpReassemblyGap, rb.gaps);
    if (rb.limitHits > 0) anomalies.add(Anomaly.TcpReassemblyLimit, rb.limitHits);
    if (rb.overlapMismatches > 0) anomalies.add(Anomaly.TcpOverlapMismatch, rb.overlapMismatches);

    const interrupted = loop.stopped;
    if (loop.aborted || (interrupted && !anyStream)) {
      // Aborted (second Ctrl-C), or a file ingest stopped before its end: nothing of the run is kept.
      store.rollback();
      const s = emptySummary('interrupted');
      for (const r of results) if (r.status === 'ingested') r.status = 'interrupted';
      s.errors.push(loop.aborted ? 'interrupted: nothing was stored' : 'interrupted before the end of the capture: nothing was stored (run it again to ingest)');
      return s;
    }

    // 3. Devices: resolve endpoints, merge into the inventory, attributes, edges, flow → device links.
    const before = Number((store.db.prepare('SELECT COUNT(*) AS n FROM devices').get() as { n: number }).n);
    const { devices, endpointDevice, routers } = acc.resolve();
    T("resolve_devices");
    const ids = store.mergeDevices(devices.values());
    const ouiVersion = ouiRegistryVersion();
    for (const d of devices.values()) {
      const id = ids.get(d.key)!;
      for (const [mac, s] of d.macs) {
        if (d.locallyAdministered) continue; // (no device has the all-zero MAC: endpoint-accumulator.ts keys its hosts by IP)
        const vendor = lookupOuiVendor(mac);
        if (vendor) {
          store.upsertAttribute(id, 'vendor', vendor, 'oui', OUI_VENDOR_CONFIDENCE,
            `IEEE registry (oui-data ${ouiVersion}) entry for the MAC's prefix; names the network interface maker`, s.first, s.last);
        }
      }
      if (d.isRouter) {
        const mac = [...d.macs.keys()][0]!;
        store.upsertAttribute(id, 'role', 'router', 'traffic', 0.7, routers.get(mac) ?? null, d.first, d.last);
      }
    }
    // Identity facts from protocol observations, for the device of the MAC they name or, routed, of their endpoint.
    /**
     * The device key of a routed fact (MacFact.ip): the one its (MAC, IP) endpoint resolves to (null: none). A router
     * MAC's fact without that endpoint (asymmetric routing: the host answered through another router; or the endpoint
     * table was full) goes to the host's IP-keyed device when there is one, else to the router.
     */
    const routedKey = (mac: number, macText: string, ip: string): string | null => {
      const e = acc.endpointOf(mac, ip);
      if (e !== undefined) return endpointDevice.get(e) ?? null;
      return routers.has(mac) && ids.has(`ip:${ip}`) ? `ip:${ip}` : `mac:${macText}`;
    };
    /**
     * The device a fact describes: its MAC's, or for a routed fact its endpoint's (routedKey); none for a fact of a
     * shared MAC that is no detected router (MacFact.sharedMac), nor for an internet peer when `internetPeers` is false.
     */
    const factDevice = (f: MacFact, internetPeers: boolean): number | undefined => {
      if (f.ip === undefined) return ids.get(`mac:${f.mac}`);
      const mac = parseMac(f.mac) ?? -1;
      if (f.sharedMac === true && !routers.has(mac)) return undefined;
      const key = routedKey(mac, f.mac, f.ip);
      if (key === null || (!internetPeers && isInternetPeer(key.startsWith('ip:'), [f.ip]))) return undefined;
      return ids.get(key);
    };
    for (const c of collectors) {
      const internetPeers = c.factsForInternetPeers !== false;
      for (const f of c.allFacts()) {
        const id = factDevice(f, internetPeers);
        if (id !== undefined) store.upsertAttribute(id, f.name, f.value, f.source, f.confidence, f.evidence, f.first, f.last);
      }
      for (const b of c.allBindings?.() ?? []) {
        const id = ids.get(`mac:${b.mac}`);
        if (id !== undefined) store.upsertIpBinding(id, b.ip, b.version, b.source, b.first, b.last);
      }
    }
    // TCP OS fingerprints, for the device each fingerprinted endpoint resolved to (MAC- or IP-keyed).
    const tcpFacts: [number, Fact][] = []; // (a fingerprint repeats per flow: combined before they are written)
    for (const { deviceKey, fact: f } of tcpOs.facts(endpointDevice, devices)) {
      const id = ids.get(deviceKey);
      if (id !== undefined) tcpFacts.push([id, f]);
    }
    store.upsertAttributeFacts(tcpFacts);
    // Service facts: the ports each device served and used (map edges; role evidence for IT categories). Hosts on the
    // internet (IP-keyed, public address) are peers, not the hospital's devices: they get none (half the rows on a
    // busy capture, for no inventory value).
    const served: (string | null | undefined)[] = new Array(acc.endpoints.length); // per endpoint id: edges share their ends
    const keyOf = (e: Endpoint): string | null => {
      let k = served[e.id];
      if (k === undefined) {
        k = endpointDevice.get(e) ?? null;
        if (k !== null && isInternetPeer(!k.startsWith('mac:'), [e.ip])) k = null;
        served[e.id] = k;
      }
      return k;
    };
    const serviceEdges = acc.edges.map((e) => ({ clientKey: keyOf(e.client), serverKey: keyOf(e.server), clientIp: e.client.ip, serverIp: e.server.ip,
      proto: e.proto, serverPort: e.serverPort, answered: e.answered, first: e.first, last: e.last }));
    for (const { deviceKey, fact: f } of serviceFacts(serviceEdges)) {
      const id = ids.get(deviceKey);
      if (id !== undefined) store.upsertAttribute(id, f.name, f.value, f.source, f.confidence, f.evidence, f.first, f.last);
    }
    T("store_devices");
    // Identification over every device of this run, from all its facts (this run's and earlier ones).
    const identification = classifyDevices(store, kb, ids.values());
    T("identify");
    // per endpoint id (-1: not looked up yet): edges and flows ask for the same ends many times
    const deviceIdOf = new Int32Array(acc.endpoints.length).fill(-1);
    const epDevice = (e: Endpoint): number => {
      let id = deviceIdOf[e.id]!;
      if (id < 0) {
        const k = endpointDevice.get(e);
        id = k ? ids.get(k) ?? 0 : 0;
        deviceIdOf[e.id] = id;
      }
      return id;
    };
    store.withIndexesAfter('edges', () => {
      for (const e of acc.edges) store.upsertEdge(epDevice(e.client), epDevice(e.server), e.server.ip, e);
    });
    T("store_edges");
    map.store(store.db);
    T("store_map");
    for (const pf of pending) {
      pf.row[FLOW_CLIENT_DEVICE_INDEX] = pf.client ? epDevice(pf.client) || null : null;
      pf.row[FLOW_CLIENT_DEVICE_INDEX + 1] = pf.server ? epDevice(pf.server) || null : null;
    }
    store.withIndexesAfter('flows', () => store.insertFlows(runId, pending.map((pf) => pf.row)));
    pending.length = 0;
    if (spilled) store.linkFlowDevices(runId, acc.endpoints.map((e) => ({ mac: e.mac, ip: e.ip, deviceId: epDevice(e) })));
    T("store_flows");
    // Findings over the whole inventory, now that devices are identified and edges stored (same transaction).
    const findings = opts.findings === false ? undefined : refreshFindings(store.db, { now: opts.assessmentTime });
    T("findings");

    // 4. Capture rows (content hashes), run row, commit.
    const digests = await hashes;
    T("wait_content_hash");
    let di = 0;
    const errors = source.errors.slice();
    const formats = source.formats();
    for (let i = 0; i < todo.length; i++) {
      const t = todo[i]!;
      const st = perInput[i]!;
      const sha = t.stream ? streamHashes.get(i)!.digest('hex') : digests[di++]!;
      const err = errors.find((e) => e.startsWith(`${byteSources[i]!.name}:`)) ?? null;
      if (sha.startsWith('error:')) throw new IngestInputError(`${t.name}: cannot hash: ${sha.slice(6)}`);
      const prev = store.findCaptureBySha(sha);
      if (prev) {
        // Known only now: a stream (no quick key to check before reading), a copy under another name in the
        // same run, or a concurrent run. Nothing of this run is kept.
        store.rollback();
        if (todo.length === 1) {
          t.result.status = 'skipped_duplicate';
          t.result.sha256 = sha;
          t.result.message = `already ingested as capture #${prev.id} (${prev.name}, ${prev.ingested_at}); nothing counted twice`;
          return emptySummary('nothing_new');
        }
        throw new IngestInputError(`${t.name}: same content as capture #${prev.id} (${prev.name}); run again without it`);
      }
      const status = interrupted ? 'interrupted' : err ? 'partial' : 'ingested';
      if (err && st.packets === 0) {
        // Nothing readable (not a capture, or broken before the first packet): not recorded as ingested.
        t.result.status = 'error';
        t.result.message = err;
        continue;
      }
      t.result.status = status;
      t.result.packets = st.packets;
      t.result.bytes = st.bytes;
      t.result.sha256 = sha;
      t.result.message = err;
      store.addCapture({ name: t.name, sha256: sha, quickKey: t.quick, format: formats[i] ?? null, bytes: byteSources[i]!.size ?? st.bytes,
        packets: st.packets, firstUs: st.packets ? st.first : null, lastUs: st.packets ? st.last : null, runId, status, error: err });
    }
    if (todo.every((t) => t.result.status === 'error')) {
      store.rollback();
      const s = emptySummary('failed');
      s.errors.push(...errors);
      return s;
    }
    const seconds = (performance.now() - t0) / 1000;
    const anomalyRecord: Record<string, number> = anomalies.toRecord();
    for (const [k, v] of analysis.failures.counts) anomalyRecord[k] = v;
    if (tcpOs.dropped > 0) anomalyRecord['tcp_fingerprints_dropped'] = tcpOs.dropped;
    Object.assign(anomalyRecord, map.anomalies());
    const stats = { tunnelled_packets: loop.tunnelled, fragments: loop.fragments, non_ip_frames: loop.nonIp, mac_changes: flowTable.macChanges,
      flows_created: flowTable.created, routers: routers.size };
    store.finishRun(runId, { packets: loop.packets, bytes: loop.bytes, flows: flowsEnded, seconds, status: interrupted ? 'interrupted' : errors.length ? 'partial' : 'ok',
      anomalies: anomalyRecord, stats });
    store.commit();
    T("commit");
    committed = true;
    const after = Number((store.db.prepare('SELECT COUNT(*) AS n FROM devices').get() as { n: number }).n);
    return {
      run_id: runId,
      status: interrupted ? 'interrupted' : errors.length ? 'partial' : 'ok',
      inputs: results,
      packets: loop.packets,
      bytes: loop.bytes,
      flows: flowsEnded,
      devices: devices.size,
      new_devices: after - before,
      edges: acc.edges.length,
      non_ip_frames: loop.nonIp,
      anomalies: anomalyRecord,
      seconds,
      packets_per_second: loop.packets / Math.max(seconds, 1e-9),
      megabytes_per_second: source.bytesRead / 1e6 / Math.max(seconds, 1e-9),
      observations: observed,
      phases,
      identification,
      findings,
      errors,
    };
  } finally {
    if (!committed) store.rollback();
    source.close();
    logs?.close();
  }
}

interface LoopResult {
  packets: number;
  bytes: number;
  nonIp: number;
  tunnelled: number;
  fragments: number;
  stopped: boolean;
  aborted: boolean;
}

/** The per-packet loop. Yields to the event loop between batches so signals and progress get through. */
async function runPacketLoop(source: PacketSource, flows: FlowTable, acc: EndpointAccumulator, anomalies: AnomalyCounter,
  perInput: { packets: number; bytes: number; first: number; last: number }[], opts: IngestOptions, t0: number, analysis: Analysis): Promise<LoopResult> {
  const udpIndex = analysis.udp;
  const frameIndex = analysis.frames;
  const p = new DecodedPacket();
  const inner = new DecodedPacket();
  const frag = new Map<string, number>(); // "src|dst|id|proto" -> (srcPort << 16 | dstPort)
  /**
   * Counts one decoded IP packet (outer or tunnelled) in its flow and hands a registered UDP payload to its
   * analyzer. False for a later fragment whose first fragment (with the ports) was not seen: no flow to count it in.
   */
  // (the packet's time travels in q.tsUs: a double argument would be boxed on the heap for every packet)
  const countIpPacket = (q: DecodedPacket, wirelen: number, depth: number): boolean => {
    if (q.isFragment) {
      trackFragment(q, frag);
      if (!q.hasL4 && (q.l4Proto === 6 || q.l4Proto === 17)) {
        anomalies.add(Anomaly.FragmentWithoutFirst);
        return false;
      }
    }
    const f = flows.count(q, wirelen, depth);
    if (q.l4Proto === 6 && q.hasL4) analysis.tcp.packet(flows, f, q, q.tsUs);
    else if (q.l4Proto === 17 && q.hasL4 && q.payloadLen > 0) {
      const an = udpIndex[q.dstPort] ?? udpIndex[q.srcPort];
      if (an !== undefined) analyzeDatagram(an, q, q.tsUs, analysis);
    }
    return true;
  };
  // The rare cases, out of the per-packet loop (which stays small enough for the optimiser to inline its calls):
  /** A frame without IP (ARP, LLDP, …) in `p`: its MACs, an ARP claim, a link-layer analyzer. */
  const nonIpFrame = (wirelen: number): void => {
    const ts = p.tsUs;
    if (p.hasSrcMac) {
      acc.addL2Frame(p.srcMac, p.dstMac, p.hasDstMac, p.vlan, wirelen, ts);
      if (p.ethertype === ETHERTYPE_ARP && p.arpOp !== 0) acc.addArpClaim(p.arpSha, p.arpSpa, ts);
    }
    const fa = frameAnalyzerFor(frameIndex, p.ethertype, p.snapOui, p.snapPid);
    if (fa !== undefined) analyzeFrame(fa, p, ts, analysis);
  };
  /** The tunnelled packets inside `p` (counted): decoded and counted one level deeper at a time. */
  const tunnelled = (wirelen: number): void => {
    let outer = p;
    let cur = inner;
    for (let depth = 1; outer.inner !== Inner.None; depth++) {
      if (depth > MAX_ENCAPSULATION_DEPTH) {
        anomalies.add(Anomaly.TooManyEncapsulations);
        break;
      }
      cur.reset();
      cur.pktBuf = outer.pktBuf;
      if (outer.inner === Inner.Ethernet) decodeEthernet(outer.pktBuf, outer.innerOff, outer.innerEnd, cur);
      else decodeIp(outer.pktBuf, outer.innerOff, outer.innerEnd, cur);
      if (cur.anomaly !== 0) anomalies.add(cur.anomaly);
      cur.tsUs = p.tsUs;
      if (cur.ipVersion === 0 || !countIpPacket(cur, wirelen, depth)) break;
      if (cur.inner === Inner.None) break;
      // go one level deeper, alternating the two records
      outer = cur;
      cur = cur === inner ? p : inner;
    }
  };
  const res: LoopResult = { packets: 0, bytes: 0, nonIp: 0, tunnelled: 0, fragments: 0, stopped: false, aborted: false };
  const BATCH = 32_768;
  // The first batches are short: the code after a batch then runs (and is known to the optimiser) before the loop is
  // compiled; code first run after that would cost a deoptimisation of the whole loop.
  let batch = 16;
  let nextProgress = performance.now() + 250;
  const single = perInput.length === 1;
  const pkt0 = source.pkt; // a single reader keeps one record object
  // per input: packets, bytes, first, last (a typed array: no boxed numbers in the per-packet path)
  const inStats = new Float64Array(perInput.length * 4);
  for (let i = 0; i < perInput.length; i++) {
    inStats[i * 4 + 2] = Infinity;
    inStats[i * 4 + 3] = -Infinity;
  }
  for (;;) {
    if (opts.stopSignal?.abort) {
      res.aborted = true;
      break;
    }
    if (opts.stopSignal?.stop) {
      res.stopped = true;
      break;
    }
    let n = 0;
    let more = true;
    while (n < batch && (more = source.next())) {
      n++;
      const r = single ? pkt0 : source.pkt;
      const k = single ? 0 : source.currentIndex << 2;
      const ts = r.tsUs;
      inStats[k]!++;
      inStats[k + 1]! += r.wirelen;
      inStats[k + 2] = Math.min(inStats[k + 2]!, ts);
      inStats[k + 3] = Math.max(inStats[k + 3]!, ts);
      decodeFrame(r.buf, r.off, r.caplen, r.linktype, p);
      if (p.anomaly !== 0) anomalies.add(p.anomaly);
      p.tsUs = ts;
      if (p.ipVersion === 0) {
        res.nonIp++;
        nonIpFrame(r.wirelen);
        continue;
      }
      if (p.isFragment) res.fragments++;
      if (!countIpPacket(p, r.wirelen, 0)) continue;
      if (p.inner !== Inner.None) {
        res.tunnelled++;
        tunnelled(r.wirelen);
      }
    }
    res.packets += n;
    if (batch < BATCH) batch = Math.min(BATCH, batch * 4);
    if (!more) {
      const wait = source.stalled(); // the next bytes are still being read in the background
      if (wait === null) break;
      await wait;
    }
    const now = performance.now();
    if (opts.onProgress && now >= nextProgress) {
      nextProgress = now + 250;
      opts.onProgress({ bytesRead: source.bytesRead, totalBytes: source.totalBytes, packets: res.packets, seconds: (now - t0) / 1000 });
    }
    if (opts.stopSignal) await new Promise((r) => setImmediate(r));
  }
  for (let i = 0; i < perInput.length; i++) {
    const st = perInput[i]!;
    st.packets = inStats[i * 4]!;
    st.bytes = inStats[i * 4 + 1]!;
    st.first = inStats[i * 4 + 2]!;
    st.last = inStats[i * 4 + 3]!;
    res.bytes += st.bytes;
  }
  return res;
}

/** Protocol analysis state of a run. */
interface Analysis {
  udp: (RegisteredAnalyzer | undefined)[];
  frames: FrameAnalyzerIndex;
  /** "<protocol>_malformed" counts. */
  failures: FailureCounts;
  emit: ObservationSink;
  /** TCP connections given to stream analyzers. */
  tcp: TcpStreams;
  /** The contexts of the packet a datagram or frame analyzer is running on. */
  at: PacketAt;
}

/**
 * The packet (and its capture time) a datagram or frame analyzer is being run on, with the two context makers the
 * analyzers call: made once per run instead of two closures per packet (the analyzers call them synchronously).
 */
class PacketAt {
  p: DecodedPacket | null = null;
  ts = 0;
  readonly packet = (): PacketContext => packetContext(this.p!, this.ts);
  readonly frame = (): FrameContext => frameContext(this.p!, this.ts);

  /** Points the context makers at packet `p` seen at `ts`. */
  set(p: DecodedPacket, ts: number): this {
    this.p = p;
    this.ts = ts;
    return this;
  }
}

/** Runs a registered datagram analyzer on the packet's UDP payload; counts `<protocol>_malformed` failures. */
function analyzeDatagram(an: RegisteredAnalyzer, p: DecodedPacket, ts: number, a: Analysis): void {
  if (an.analyze(p.pktBuf, p.payloadOff, p.payloadLen, a.at.set(p, ts).packet, a.emit) !== null) a.failures.add(an.name);
}

/** Runs a registered frame analyzer on the frame's link-layer payload; counts `<protocol>_malformed` failures. */
function analyzeFrame(an: RegisteredFrameAnalyzer, p: DecodedPacket, ts: number, a: Analysis): void {
  if (an.analyze(p.pktBuf, p.l3Off, p.linkEnd - p.l3Off, a.at.set(p, ts).frame, a.emit) !== null) a.failures.add(an.name);
}

/** Gives later IP fragments the ports of their first fragment (so the datagram stays in one flow). */
function trackFragment(p: DecodedPacket, frag: Map<string, number>): void {
  const key = `${p.src6.join('.')}|${p.dst6.join('.')}|${p.ipId}|${p.l4Proto}`;
  if (p.fragOffset === 0) {
    if (p.hasL4) {
      if (frag.size >= MAX_FRAGMENT_KEYS) frag.clear();
      frag.set(key, (p.srcPort << 16) | p.dstPort);
    }
    return;
  }
  const ports = frag.get(key);
  if (ports === undefined) return;
  p.srcPort = ports >>> 16;
  p.dstPort = ports & 0xffff;
  p.hasL4 = true;
  p.tcpFlags = 0;
  p.payloadLen = 0;
  if (!p.moreFragments) frag.delete(key);
}

/** An ended flow waiting for its devices. */
interface PendingFlow {
  row: FlowInsert;
  client: Endpoint | null;
  server: Endpoint | null;
}

/**
 * Builds the row of an ended flow, feeds its two endpoints and its edge to the accumulator, and its handshake (when
 * the flow table kept one) to the TCP OS collector.
 */
function endFlow(acc: EndpointAccumulator, t: FlowTable, f: number, reason: FlowEndReason, tcpOs: TcpOsCollector, map: MapObserver): PendingFlow {
  const v = t.view(f);
  const ver = v.ipVersion;
  const wa = v.addrA;
  const wb = v.addrB;
  const c = v.clientSide; // 0: A is client
  const pk = v.pktsAB + v.pktsBA;
  const by = v.bytesAB + v.bytesBA;
  const first = v.firstUs;
  const last = v.lastUs;
  // Each side's MAC: the Ethernet source of its packets, else the destination MAC of packets sent to it.
  const rxA = v.rxMacA; // (read for every flow: a read first made late costs a deoptimisation)
  const rxB = v.rxMacB;
  const macA = v.macA >= 0 ? v.macA : rxA;
  const macB = v.macB >= 0 ? v.macB : rxB;
  const ea = acc.addFlowEndpoint(macA, v.macA >= 0, ver, wa, v.vlan, pk, by, first, last, v.pktsAB > 0);
  const eb = acc.addFlowEndpoint(macB, v.macB >= 0, ver, wb, v.vlan, pk, by, first, last, v.pktsBA > 0);
  // an endpoint's text is its address's (made once per endpoint)
  const ipA = ea !== null ? ea.ip : ipText(ver, wa);
  const ipB = eb !== null ? eb.ip : ipText(ver, wb);
  const client = c === 0 ? ea : eb;
  const server = c === 0 ? eb : ea;
  const serverPort = c === 0 ? v.portB : v.portA;
  const tcpState = t.tcpState(f);
  if (client && server) {
    // the edge's application protocol and findings: from the connection's observations (src/map/)
    const ann = map.flowEnded(ipA, v.portA, ipB, v.portB, v.proto, serverPort);
    acc.addEdge(client, server, v.proto, serverPort, pk, by, first, last, ann, tcpState !== 'attempt' && tcpState !== 'rejected',
      (c === 0 ? v.pktsBA : v.pktsAB) > 0);
  }
  // the shared shapes: the fingerprints do not read ts_val (the row's text has it)
  const synC = t.synShape(f, c);
  const synS = t.synShape(f, 1 - c);
  if (synC || synS) {
    const sideA = { endpoint: ea, mac: macA, ip: ipA, port: v.portA };
    const sideB = { endpoint: eb, mac: macB, ip: ipB, port: v.portB };
    tcpOs.addHandshake({ firstUs: first, lastUs: last, vlan: v.vlan >= 0 ? v.vlan : null, client: c === 0 ? sideA : sideB,
      server: c === 0 ? sideB : sideA, syn: synC, synAck: synS });
  }
  // FLOW_INSERT_COLUMNS order
  const row: FlowInsert = [
    v.proto, ver, v.vlan >= 0 ? v.vlan : null, v.innerVlan >= 0 ? v.innerVlan : null,
    c === 0 ? ipA : ipB, c === 0 ? v.portA : v.portB, c === 0 ? ipB : ipA, serverPort,
    client && client.mac >= 0 ? client.mac : null, server && server.mac >= 0 ? server.mac : null,
    c === 0 ? v.pktsAB : v.pktsBA, c === 0 ? v.bytesAB : v.bytesBA, c === 0 ? v.pktsBA : v.pktsAB, c === 0 ? v.bytesBA : v.bytesAB,
    Math.round(first), Math.round(last), t.basis(f), tcpState, reason, v.depth,
    t.synText(f, c), t.synText(f, 1 - c), null, null,
  ];
  return { row, client, server };
}
