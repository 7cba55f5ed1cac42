/** Rule file parser tests: the accepted syntax, and every rejection with its `file:line: reason`. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { captureGroups, expandTemplate, hasNestedQuantifier, parseRuleFile, templateGroups, unquote } from './rule-file.js';
import { loadKnowledgeBase } from './knowledge-base.js';

const HEAD = '@purpose test rules\n@licence test\n@ref r a reference\n';

/** Parses HEAD + `body` as t.fp; its errors. */
function errorsOf(body: string, head = HEAD): string[] {
  return parseRuleFile('t.fp', head + body).errors;
}

/** Asserts that `body` (one rule or directive, on line 4; a good rule follows) is rejected with a message matching `re`. */
function rejects(body: string, re: RegExp): void {
  const errors = errorsOf(`${body}\nok_fact exact "ok" os=Linux:0.5 ref=r\n`);
  assert.equal(errors.length, 1, `${body}\n${errors.join('\n')}`);
  assert.match(errors[0]!, /^t\.fp:4: /);
  assert.match(errors[0]!, re);
}

test('a file with every match kind, quoting, groups, selector lists and priorities parses', () => {
  const text = `# comment
@purpose what it is for
@licence Apache-2.0
@ref ms Microsoft documentation
@ref obs observed in a capture

dhcp_vendor_class  exact "MSFT 5.0"  os=Windows:0.75 category=workstation:0.3  ref=ms
oui:vendor  prefix "GE Health"  vendor="GE Healthcare":0.7  ref=obs
   # indented comment
snmp_sys_descr,lldp:lldp_system_description  regex /^Linux \\S+ (\\d[^ ]*) .*$/s  os=Linux:0.8 os_version=$1:.7  ref=obs
ssdp_server  regex /^a\\/b (x)$/i  software=$1/2$$:1  ref=obs
@priority dhcp 60
`;
  const { file, errors } = parseRuleFile('x.fp', text);
  assert.deepEqual(errors, []);
  assert.equal(file.purpose, 'what it is for');
  assert.equal(file.licence, 'Apache-2.0');
  assert.deepEqual(file.priorities, [{ source: 'dhcp', priority: 60, at: 'x.fp:12' }]);
  assert.equal(file.rules.length, 5); // the selector list yields two rules
  const [ms, ge, sys1, sys2, ssdp] = file.rules;
  assert.deepEqual([ms!.id, ms!.source, ms!.fact, ms!.kind, ms!.pattern, ms!.ref, ms!.refText], ['x.fp:7', null, 'dhcp_vendor_class', 'exact', 'MSFT 5.0', 'ms', 'Microsoft documentation']);
  assert.deepEqual(ms!.outputs, [{ attribute: 'os', value: 'Windows', confidence: 0.75 }, { attribute: 'category', value: 'workstation', confidence: 0.3 }]);
  assert.deepEqual([ge!.source, ge!.fact, ge!.kind, ge!.pattern, ge!.outputs[0]!.value], ['oui', 'vendor', 'prefix', 'GE Health', 'GE Healthcare']);
  assert.deepEqual([sys1!.id, sys1!.source, sys1!.fact, sys2!.id, sys2!.source, sys2!.fact], ['x.fp:10', null, 'snmp_sys_descr', 'x.fp:10', 'lldp', 'lldp_system_description']);
  assert.equal(sys1!.regex!.flags, 's');
  assert.equal(sys1!.outputs[1]!.confidence, 0.7);
  assert.equal(ssdp!.regex!.source, '^a\\/b (x)$');
  assert.ok(ssdp!.regex!.test('a/b x'));
  assert.deepEqual(ssdp!.outputs, [{ attribute: 'software', value: '$1/2$$', confidence: 1 }]);
});

test('missing @purpose and @licence are reported at line 1', () => {
  assert.deepEqual(parseRuleFile('e.fp', '').errors, ['e.fp:1: missing @purpose (every knowledge file opens with its purpose)', 'e.fp:1: missing @licence']);
});

test('directive errors', () => {
  rejects('@purpose again', /@purpose given twice/);
  rejects('@licence again', /@licence given twice/);
  rejects('@source x', /unknown directive '@source'/);
  rejects('@ref r other text', /@ref r already declared at line 3/);
  rejects('@ref Bad! text', /bad ref id 'Bad!'/);
  assert.match(errorsOf('@ref lonely\n', '@purpose p\n@licence l\n')[0]!, /^t\.fp:3: @ref lonely needs a text/);
  rejects('@priority dhcp 101', /priority '101' must be an integer 0-100/);
  rejects('@priority dhcp high', /priority 'high'/);
  rejects('@priority Dhcp 5', /bad source name 'Dhcp'/);
  rejects('@priority dhcp 5 extra', /unexpected text after @priority/);
  assert.match(errorsOf('', '@purpose\n@licence l\n')[0]!, /^t\.fp:1: @purpose needs a text/);
});

test('references: unknown, unused, missing, misplaced', () => {
  rejects('os exact "x" os=Linux:0.5 ref=nope', /unknown ref 'nope' \(declare it with @ref nope <text>\)/);
  rejects('os exact "x" os=Linux:0.5', /missing ref=<id>/);
  rejects('os exact "x" ref=r os=Linux:0.5', /ref=<id> must be the last item/);
  rejects('os exact "x" os=Linux:0.5 ref=R!', /bad ref id 'R!'/);
  const unused = parseRuleFile('u.fp', '@purpose p\n@licence l\n@ref a text\n@ref b text\nx exact "1" os=Linux:0.5 ref=a\n').errors;
  assert.deepEqual(unused, ['u.fp:4: @ref b is not used by any rule']);
});

test('selector, match kind and pattern errors', () => {
  rejects('Bad-Name exact "x" os=Linux:0.5 ref=r', /bad fact selector 'Bad-Name'/);
  rejects('a:b:c exact "x" os=Linux:0.5 ref=r', /bad fact selector/);
  rejects('a, exact "x" os=Linux:0.5 ref=r', /bad fact selector/);
  rejects('fact contains "x" os=Linux:0.5 ref=r', /unknown match kind 'contains'/);
  rejects('fact exact', /missing pattern/);
  rejects('fact exact x os=Linux:0.5 ref=r', /expected a double-quoted string, got x/);
  rejects('fact exact "unterminated os=Linux:0.5 ref=r', /unterminated quoted string/);
  rejects('fact exact "a\\n" os=Linux:0.5 ref=r', /unknown escape \\n/);
  rejects('fact exact "" os=Linux:0.5 ref=r', /pattern must be 1-256 characters/);
  rejects('fact regex ^x$ os=Linux:0.5 ref=r', /a regex pattern is written/);
  rejects('fact regex /^x$ os=Linux:0.5 ref=r', /unterminated regex/);
  rejects('fact regex /^x$/g os=Linux:0.5 ref=r', /regex flags 'g' not allowed/);
  rejects('fact regex /^x$/ix os=Linux:0.5 ref=r', /regex flags 'ix' not allowed/);
  rejects('fact regex /^x$/iextra os=Linux:0.5 ref=r', /regex flags 'iextra' not allowed/);
  rejects('fact regex /^x$/"y" os=Linux:0.5 ref=r', /unexpected text after the regex/);
  rejects('fact regex /x$/ os=Linux:0.5 ref=r', /regex must be anchored/);
  rejects('fact regex /^x/ os=Linux:0.5 ref=r', /regex must be anchored/);
  rejects('fact regex /^x\\$/ os=Linux:0.5 ref=r', /regex must be anchored/);
  rejects('fact regex /^(x$/ os=Linux:0.5 ref=r', /invalid regex: /);
  rejects('fact regex /^(\\d+)*$/ os=Linux:0.5 ref=r', /repeated group containing \+ or \*/);
  rejects(`fact exact "${'x'.repeat(2000)}" os=Linux:0.5 ref=r`, /line longer than 2000 characters/);
});

test('output errors', () => {
  rejects('f exact "x" ref=r', /at least one attribute=value:confidence/);
  rejects('f exact "x" colour=red:0.5 ref=r', /unknown attribute 'colour'/);
  rejects('f exact "x" os:0.5 ref=r', /expected attribute=value:confidence, got 'os:0.5'/);
  rejects('f exact "x" os=Linux ref=r', /os: missing ':confidence'/);
  rejects('f exact "x" os=Linux:0 ref=r', /confidence '0' must be a number in \(0, 1\]/);
  rejects('f exact "x" os=Linux:1.5 ref=r', /confidence '1.5'/);
  rejects('f exact "x" os=Linux:high ref=r', /confidence 'high'/);
  rejects('f exact "x" os=:0.5 ref=r', /os: value must be 1-256 characters/);
  rejects('f exact "x" os=a"b":0.5 ref=r', /quote the whole value or none of it/);
  rejects('f exact "x" category=pump:0.5 ref=r', /unknown category 'pump'/);
  rejects('f regex /^(.)$/ category=$1:0.5 ref=r', /category values cannot come from a capture group/);
  rejects('f regex /^(a)(b)$/ os=$3:0.5 ref=r', /os: \$3 but the regex has 2 capture group\(s\)/);
  rejects('f prefix "a" os=$1:0.5 ref=r', /os: \$1 needs a regex rule \(prefix has no groups\)/);
  rejects('f exact "a" os=5$:0.5 ref=r', /'\$' in a value must be followed by a group number/);
  rejects('f exact "a" os=Linux:0.5 os=BSD:0.5 ref=r', /attribute 'os' given twice/);
  rejects('f exact "a" software=/1.0:0.5 ref=r', /software value is name or name\/version/);
});

test('errors are collected per line; good lines still parse', () => {
  const { file, errors } = parseRuleFile('m.fp', `${HEAD}a exact "1" os=Linux:0.5 ref=r\nb exact "2" nope=1:0.5 ref=r\nc exact "3" os=BSD:0.5 ref=r\nd bogus\n`);
  assert.deepEqual(errors.map((e) => e.slice(0, 7)), ['m.fp:5:', 'm.fp:7:']);
  assert.deepEqual(file.rules.map((r) => r.fact), ['a', 'c']);
});

test('unquote, templates and the backtracking check', () => {
  assert.equal(unquote('"a \\"b\\" \\\\ c"'), 'a "b" \\ c');
  assert.throws(() => unquote('"a" b"'), /stray quote/);
  assert.equal(templateGroups('x$2y$$z$1'), 2);
  assert.equal(templateGroups('plain'), 0);
  assert.equal(expandTemplate('$1/$2 $$', ['all', 'OpenSSH', '8.9']), 'OpenSSH/8.9 $');
  assert.equal(expandTemplate('$2', ['all', 'a', undefined]), null);
  for (const bad of ['^(\\d+)*$', '^(?:.*)+$', '^([a-z]+){2,}$', '^(.*?)+$', '^([^,]+)*$']) assert.ok(hasNestedQuantifier(bad), bad);
  for (const ok of ['^(?:\\.\\d+)*$', '^(\\d+(?:\\.\\d+)*)$', '^(\\w)+$', '^(?: .*)?$', '^.*(?:-\\d+)?$']) assert.ok(!hasNestedQuantifier(ok), ok);
});

test('captureGroups counts the groups V8 counts, for every bundled regex rule and tricky sources', () => {
  /** The groups V8 sees: an empty alternative added, so that matching '' reports every group. */
  const v8Groups = (source: string, flags: string): number => new RegExp(`${source}|`, flags).exec('')!.length - 1;
  const tricky = ['^a$', '^(a)(b)$', '^(?:a)(b)$', '^\\(a\\)$', '^[(](a)$', '^[\\]](a)$', '^[]](a)$', '^[^](a)$', '^(?=a)(a)$',
    '^(?!b)(a)$', '^(?<=x)(a)$', '^(?<!x)(a)$', '^(?<n>a)(?<m>b)$', '^((a)(b(c)))$', '^[(a)]\\[(b)$', '^a\\\\(b)$', '^(a|(b))?$'];
  let regexRules = 0;
  for (const r of loadKnowledgeBase().rules) {
    if (r.regex === null) continue;
    regexRules++;
    assert.equal(captureGroups(r.regex.source), v8Groups(r.regex.source, r.regex.flags), r.id);
  }
  assert.ok(regexRules > 100, `${regexRules} regex rules`);
  for (const s of tricky) assert.equal(captureGroups(s), v8Groups(s, ''), s);
});
