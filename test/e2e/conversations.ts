/**
 * Conversations built from the specifications for end-to-end identity tests (routed-facts, no-mac-facts): a DICOM CT
 * store, an SNMP sysDescr get, an HTTP exchange and an SSH identification exchange between given endpoints, laid out
 * by src/synth/frames.ts as Ethernet frames in timestamp order; and the ingest of such frames through the real CLI.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli, tempDir } from './cli-harness.js';
import { LINKTYPE_ETHERNET, openPcapWriter } from '../../src/synth/pcap-writer.js';
import { concat, tcpSession, udpExchange, type Endpoint, type TcpEndpoint, type TimedFrame } from '../../src/synth/frames.js';
import { httpGet, httpResponse } from '../../src/synth/payloads.js';
import * as D from '../../src/synth/dicom-pdus.js';
import { int, nul, octets, oid, seq, tlv } from '../../src/protocols/tls/test-der.js';

/** Latin-1 bytes of `s`. */
export const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];

/**
 * A CT store from `client` (AE CT_AE, implementation 1.2.3.4.1 "CT_1") to `server` (AE PACS_AE, implementation
 * 1.2.3.4.2 "PACS_2"): PS3.8 association, PS3.7 C-STORE, release.
 */
export function dicomStore(client: TcpEndpoint, server: TcpEndpoint, start: number): TimedFrame[] {
  const contexts = [{ id: 1, abstractSyntax: D.SOP.CT_IMAGE_STORAGE, transferSyntaxes: [D.TS.IMPLICIT_LE] }];
  const cmd = (spec: D.CommandSpec): Uint8Array => D.pData([{ context: 1, command: true, last: true, bytes: D.commandSet(spec) }]);
  const data = D.pData([{ context: 1, command: false, last: true, bytes: D.dataSet([{ tag: 0x00080016, vr: 'UI', value: D.SOP.CT_IMAGE_STORAGE }], 'implicit_le') }]);
  return tcpSession({ client, server, start, exchanges: [
    { request: D.associateRq('PACS_AE', 'CT_AE', contexts, { implementationClassUid: '1.2.3.4.1', implementationVersion: 'CT_1' }),
      response: D.associateAc('PACS_AE', 'CT_AE', [{ id: 1, result: 0, transferSyntax: D.TS.IMPLICIT_LE }], { implementationClassUid: '1.2.3.4.2', implementationVersion: 'PACS_2' }) },
    { request: concat([cmd({ commandField: 0x0001, affectedSopClass: D.SOP.CT_IMAGE_STORAGE, messageId: 1, priority: 0, dataSet: true }), data]),
      response: cmd({ commandField: 0x8001, affectedSopClass: D.SOP.CT_IMAGE_STORAGE, respondedTo: 1, dataSet: false, status: 0 }) },
    { request: D.release(false), response: D.release(true) },
  ] });
}

/** An SNMPv2c get of sysDescr.0 (RFC 3416, community "public") from `manager` to `agent`, answered with `descr`. */
export function snmpSysDescr(manager: Endpoint, agent: Endpoint, descr: string, start: number): TimedFrame[] {
  const pdu = (tag: number, value: number[]): number[] => tlv(tag, int('2a'), int('00'), int('00'), seq(seq(oid('1.3.6.1.2.1.1.1.0'), value)));
  const message = (p: number[]): Uint8Array => Uint8Array.from(seq(int('01'), octets(ascii('public')), p));
  return udpExchange({ client: manager, server: agent, start, exchanges: [
    { request: message(pdu(0xa0, nul())), response: message(pdu(0xa2, octets(ascii(descr)))) },
  ] });
}

/** A GET from `client` to `server` named `host` (User-Agent "Mozilla/5.0 (Workstation)"), answered with Server `software`. */
export function webExchange(client: TcpEndpoint, server: TcpEndpoint, host: string, software: string, start: number): TimedFrame[] {
  return tcpSession({ client, server, start, exchanges: [{ request: httpGet(host, '/', 'Mozilla/5.0 (Workstation)'), response: httpResponse(200, 16, software) }] });
}

/** An SSH connection's protocol version exchange (RFC 4253 §4.2): the server's identification string first, then the client's. */
export function sshIdentification(client: TcpEndpoint, server: TcpEndpoint, clientId: string, serverId: string, start: number): TimedFrame[] {
  return tcpSession({ client, server, start, exchanges: [
    { request: new Uint8Array(0), response: Uint8Array.from(ascii(`${serverId}\r\n`)) },
    { request: Uint8Array.from(ascii(`${clientId}\r\n`)) },
  ] });
}

/**
 * Writes `frames` (each passed through `record`, e.g. to drop its link header) as a pcap of `linktype`, ingests it with
 * the real CLI into a fresh SQLite database and opens that database read-only.
 */
export function ingestFrames(frames: readonly TimedFrame[], linktype = LINKTYPE_ETHERNET, record = (f: Uint8Array): Uint8Array => f): Database.Database {
  const dir = tempDir();
  const pcap = join(dir, 'capture.pcap');
  const w = openPcapWriter(pcap, { linktype });
  for (const f of frames) w.write(f.ts, record(f.frame));
  w.close();
  const db = join(dir, 'inventory.db');
  const r = runCli(['ingest', pcap, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return new Database(db, { readonly: true });
}

/** "device key | name | value" of each attribute whose row matches the SQL condition `where` (on `attributes a`). */
export function attributeRows(sql: Database.Database, where: string): string[] {
  const rows = sql.prepare(`SELECT d.key, a.name, a.value FROM attributes a JOIN devices d ON d.id = a.device_id WHERE ${where}`)
    .all() as { key: string; name: string; value: string }[];
  return rows.map((x) => `${x.key} | ${x.name} | ${x.value}`);
}
