/**
 * Unit tests of the HTTP identity collector: which side of an exchange each fact describes, cleartext credentials
 * reported without their secret, each fact carrying its side's IP, and the facts of a MAC that carries several hosts'
 * traffic marked as such (kept only if the ingest finds it is a router).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { PacketContext } from '../observe/observation.js';
import { newExchange, transactionRecord } from '../protocols/http/transaction.js';
import type { HttpTransaction } from '../protocols/http/transaction.js';
import { HttpIdentityCollector } from './http-identity.js';

const CLIENT = '02:00:00:00:00:0c';
const SERVER = '02:00:00:00:00:05';

function ctx(serverIp = '10.0.0.5', serverMac = SERVER): PacketContext {
  return { ts_us: 1_000_000, src_mac: CLIENT, dst_mac: serverMac, src_ip: '10.0.0.12', dst_ip: serverIp, src_port: 50000, dst_port: 80, vlan: null };
}

/** An exchange record with the given fields set. */
function exchange(fields: Partial<HttpTransaction>): HttpTransaction {
  return { ...transactionRecord(newExchange(1, 0)), method: 'GET', uri: '/', status_code: 200, ...fields };
}

const facts = (c: HttpIdentityCollector): string[] => c.allFacts().map((f) => `${f.mac} ${f.name}=${f.value}`).sort();

test('client and server facts, cleartext credentials without the password', () => {
  const c = new HttpIdentityCollector();
  c.observe({ kind: 'http', ctx: ctx(), msg: exchange({
    host: 'pump-17.icu.example', user_agent: 'PumpAgent/2.0', server: 'GoAhead-Webs', x_powered_by: 'PHP/7.4',
    auth_scheme: 'Basic', auth_user: 'biomed', cleartext_password: true, challenge_schemes: ['Basic', 'Basic'], challenge_realm: 'Infusion Pump',
  }) });
  c.observe({ kind: 'http', ctx: ctx(), msg: exchange({ auth_scheme: 'NTLM', auth_user: 'jdoe', auth_domain: 'HOSP', auth_host: 'WS-ICU-01', password_in_uri: true }) });
  c.observe({ kind: 'http', ctx: ctx(), msg: exchange({ method: 'POST', password_in_form: true }) });
  assert.deepEqual(facts(c), [
    `${SERVER} http_auth_offered=Basic`,
    `${SERVER} http_auth_realm=Infusion Pump`,
    `${SERVER} http_cleartext_auth=Basic user=biomed`,
    `${SERVER} http_cleartext_auth=URL password`,
    `${SERVER} http_cleartext_auth=form password`,
    `${SERVER} http_host=pump-17.icu.example`,
    `${SERVER} http_server=GoAhead-Webs`,
    `${SERVER} http_x_powered_by=PHP/7.4`,
    `${CLIENT} http_user_agent=PumpAgent/2.0`,
    `${CLIENT} ntlm_domain=HOSP`,
    `${CLIENT} ntlm_workstation=WS-ICU-01`,
  ]);
});

test('no Host fact without an answer or for an absolute-form (proxy) target; group MACs ignored', () => {
  const c = new HttpIdentityCollector();
  c.observe({ kind: 'http', ctx: ctx(), msg: exchange({ host: 'a.example', status_code: null }) });
  c.observe({ kind: 'http', ctx: ctx(), msg: exchange({ host: 'b.example', uri: 'http://b.example/' }) });
  c.observe({ kind: 'http', ctx: ctx('10.0.0.5', 'ff:ff:ff:ff:ff:ff'), msg: exchange({ server: 'x' }) });
  assert.deepEqual(facts(c), []);
});

test('each fact carries its side\'s IP; a MAC seen with several IPv4 servers marks its facts sharedMac', () => {
  const c = new HttpIdentityCollector();
  c.observe({ kind: 'http', ctx: ctx('93.184.216.34'), msg: exchange({ server: 'ECS' }) });
  c.observe({ kind: 'http', ctx: ctx('142.250.1.1'), msg: exchange({ server: 'gws', user_agent: 'curl/8' }) });
  assert.deepEqual(c.allFacts().map((f) => `${f.mac} ${f.ip} ${f.name}=${f.value}${f.sharedMac ? ' shared' : ''}`).sort(), [
    `${SERVER} 142.250.1.1 http_server=gws shared`,
    `${SERVER} 93.184.216.34 http_server=ECS shared`,
    `${CLIENT} 10.0.0.12 http_user_agent=curl/8`,
  ]);
  assert.equal(c.factsForInternetPeers, false);
});
