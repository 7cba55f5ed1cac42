/**
 * Unit tests of the IntelliVue identity collector: which messages give which facts, on which MAC (the sender's), and
 * that the client of a poll or MDS Create result gets its role but none of the monitor's identity.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Observation, PacketContext } from '../observe/observation.js';
import { parseIntellivue } from '../protocols/intellivue/parser.js';
import * as IV from '../synth/intellivue-messages.js';
import { IntellivueIdentityCollector } from './intellivue-identity.js';

const MONITOR = '00:09:fb:12:34:56';
const CLIENT = '00:50:56:aa:bb:cc';

function obs(b: Uint8Array, from: string, to: string): Observation {
  const r = parseIntellivue(b, 0, b.length);
  assert.ok(r.ok);
  const ctx: PacketContext = { ts_us: 5_000_000, src_mac: from, dst_mac: to, src_ip: from === MONITOR ? '10.0.0.5' : '10.0.0.9', dst_ip: '10.0.0.255', src_port: 24105, dst_port: 24105, vlan: null };
  return { kind: 'intellivue', ctx, msg: r.value };
}

/** The facts as "mac name=value" lines. */
function facts(observations: Observation[]): string[] {
  const c = new IntellivueIdentityCollector();
  for (const o of observations) c.observe(o);
  return c.allFacts().map((f) => `${f.mac} ${f.name}=${f.value}`).sort();
}

const USER: IV.IvUserInfo = { systemType: 'client', startup: 'cold', minPollPeriod: 8000, mtuRx: 1000, mtuTx: 1000, extOptions: null };

test('monitor facts from the Connect Indication and MDS Create; client gets its role and protocol version only', () => {
  const got = facts([
    obs(IV.connectIndication([[0x092d, IV.productionSpec([[1, 8, 'SN77'], [4, 0x58, 'M.00.01'], [2, 8, ''], [4, 0x18, 'BOOT1']])],
      [0xf101, IV.protocolSupport([[5, 1, 24105, 0]])]]), MONITOR, 'ff:ff:ff:ff:ff:ff'),
    obs(IV.associationRequest(USER), CLIENT, MONITOR),
    obs(IV.associationResponse({ ...USER, systemType: 'server' }), MONITOR, CLIENT),
    obs(IV.mdsCreateEvent(1, 0, [[0x0928, IV.systemModel('Philips', 'MP50')], [0x091e, IV.unicodeString('W2-B4')]]), MONITOR, CLIENT),
    obs(IV.mdsCreateResult(1, 0), CLIENT, MONITOR),
    obs(IV.pollRequest(2, 1, 6, 0), CLIENT, MONITOR),
    obs(IV.pollResult(2, 1, 6, 0, 0, []), MONITOR, CLIENT),
  ]);
  assert.deepEqual(got, [
    `${MONITOR} intellivue_bed_label=W2-B4`,
    `${MONITOR} intellivue_data_export_port=24105`,
    `${MONITOR} intellivue_manufacturer=Philips`,
    `${MONITOR} intellivue_model=MP50`,
    `${MONITOR} intellivue_protocol_version=80000000`,
    `${MONITOR} intellivue_role=monitor`,
    `${MONITOR} intellivue_serial=SN77`,
    `${MONITOR} intellivue_sw_revision=M.00.01`, // the first SW_REVISION (no ID_COMP_PRODUCT entry); the empty part number is skipped
    `${CLIENT} intellivue_protocol_version=80000000`,
    `${CLIENT} intellivue_role=data-export client`,
  ]);
});

test('no facts for a group or missing source MAC; release messages give none', () => {
  assert.deepEqual(facts([obs(IV.connectIndication([[0x092d, IV.productionSpec([[1, 8, 'SN1']])]]), 'ff:ff:ff:ff:ff:ff', MONITOR)]), []);
  assert.deepEqual(facts([obs(IV.releaseRequest(), CLIENT, MONITOR), obs(IV.releaseResponse(), MONITOR, CLIENT)]), []);
});
