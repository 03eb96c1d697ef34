/**
 * A helm-unittest suite's tests are skimmed, not parsed (syntax/schemaSkim.ts `skimSuites`), and
 * the facts are the full reading's: on a suite written with the constructs real suites use
 * (comments between tests and after values, block scalars, quoted values, one-line flow lists,
 * keys that start with a dot, nested `set:` maps, several documents, the tests ending the file), and
 * on mutated suites (lines with an error, a duplicate key, a YAML 1.1
 * scalar, a tab, an anchor, flow collections, bad indentation put in at random places): each either
 * reads as the full reading does or is read in full. A document that names a kind is never a suite.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import { skimStats, skimSuites } from '../../analysis/syntax/schemaSkim.js';
import { ANY, mutate, sameFacts as same } from '../support/skim.js';

/** The facts of the host's reading equal the full reading's; true when the tests were skimmed. */
const sameFacts = (text: string, what: string): boolean => same('file:///ws/chart/tests/a_test.yaml', text, what);

/** One test of a suite, with the constructs real suites use. */
function test(i: number): string {
  return [
    `# a comment at the root, between tests`,
    `  - it: should render service ${i} when enabled`,
    `    # a comment between keys`,
    `    set:`,
    `      service:`,
    `        enabled: true`,
    `        port: ${8000 + i}`,
    `        name: "svc-${i}"`,
    `        command: ["sh", '-c', run.sh, --port=${8000 + i}]`,
    `        extraArgs: [ ]`,
    `        files:`,
    `          .traefik.yml: |`,
    `            displayName: demo`,
    `        maxHeaderBytes: 2097152  # 2 MB`,
    `        endpoint: "https://prism.example.com" # <=== a comment after a quoted value`,
    `        rules: # a comment after a key`,
    `          - apiGroups: [""]`,
    `            verbs: ["get", "list", "watch"]`,
    `        labels:`,
    `          app.kubernetes.io/name: web`,
    `    release:`,
    `      name: rel`,
    `      namespace: 'ns-${i}'`,
    `    asserts:`,
    `      - isKind:`,
    `          of: Service`,
    `      - equal:`,
    `          path: spec.ports[0].port`,
    `          value: ${8000 + i}`,
    `      - matchRegex:`,
    `          path: metadata.name`,
    `          pattern: ^rel-web-[a-z]+$`,
    `      - contains:`,
    `          path: spec.template.spec.containers[0].args`,
    `          content: "--entrypoints.web.address=:8000/tcp"`,
    `      - equal:`,
    `          path: data.config`,
    `          value: |`,
    `            server:`,
    `              port: ${8000 + i}`,
    `            # not a comment: text of the block`,
    `      - hasDocuments:`,
    `          count: 1`,
    ``,
  ].join('\n');
}

function suite(tests: number, tail = ''): string {
  return [
    'suite: Service configuration',
    'templates:',
    '  - service.yaml',
    'tests:',
    Array.from({ length: tests }, (_, i) => test(i)).join('\n'),
    tail,
  ].join('\n');
}

it('a suite written with the constructs real suites use is skimmed, and its facts are the full reading’s', () => {
  const text = suite(6);
  const skim = skimSuites(text, ANY);
  assert.ok(skim !== undefined, 'skimmed');
  assert.equal(skim.skimmed.length, 1);
  assert.equal(skim.text.length, text.length, 'offsets kept');
  assert.ok(sameFacts(text, 'suite'), 'read with the tests skimmed');
  // Several documents, the tests ending each; a last line without a line break.
  const two = `${suite(2)}---\n${suite(3).replace('Service', 'Second')}`;
  assert.ok(sameFacts(two, 'two documents'), 'two documents skimmed');
  assert.ok(sameFacts(suite(3).trimEnd(), 'no final line break'), 'no final line break skimmed');
});

it('a document that names a kind or an apiVersion is no suite, and is read in full', () => {
  for (const head of ['kind: ConfigMap\n', 'apiVersion: v1\n']) {
    const text = head + suite(3);
    assert.equal(sameFacts(text, head), false, `${head.trim()}: read in full`);
  }
  // `tests:` deeper than the root is a value like any other.
  assert.equal(sameFacts(`suite: s\nspec:\n${suite(3).replace(/^/gm, '  ')}`, 'nested'), false);
});

/** Lines put into a suite: each makes the `yaml` package report something, or changes the facts, or neither. */
const LINES = [
  'on: true',
  'yes',
  'enabled: on',
  'mode: 0755',
  'size: 1_000',
  'y: 1',
  'it: dup',
  'asserts: again',
  '\tkey: tab',
  'key:\tvalue',
  '# a comment',
  '#',
  'anchored: &a {x: 1}',
  'aliased: *a',
  'tagged: !!str 1',
  'flow: [a, b]',
  'flow: {a: 1}',
  'nested: a: b',
  'trailing: a #comment',
  'trailing: a # comment',
  'trailing: 0755 # comment',
  'trailing: "a" # comment',
  'trailing: "a"# comment',
  "trailing: 'a' #",
  'trailing: # comment',
  'trailing: | # comment',
  '- a # comment',
  '- # comment',
  'flow: ["a", \'b\', c.d, e-f]',
  'flow: [ ]',
  'flow: [yes, no]',
  'flow: [a, 0755]',
  'flow: [a, b,]',
  'flow: [a,,b]',
  'flow: [,]',
  'flow: [a: b]',
  'flow: [a, [b]]',
  'flow: ["a"b]',
  'flow: ["a\\q"]',
  'flow: [-1, +2]',
  'flow: [a] # comment',
  'flow: [a]#comment',
  'flow: [a',
  '.dotted: key',
  '.inf: 1',
  '.NaN: 2',
  '.5: x',
  "quote: 'open",
  'quote: "open',
  'block: |2',
  '- item',
  '- - nested',
  '-',
  '? complex',
  'key: value:',
  'true: 1',
  '<<: {a: 1}',
  'key: ${PLACEHOLDER}',
  'key: {{ .Values.x }}',
  'kind: Service',
  'apiVersion: v1',
  '---',
  '...',
  'key: `tick`',
  'plain: text',
];

it('mutated suites read as the full reading does, skimmed or not', () => {
  const lines = suite(3).split('\n');
  const { skimmed, full } = mutate(
    { lines, first: lines.indexOf('tests:'), last: lines.length, put: LINES, indent: 14, count: 500, seed: 1217 },
    sameFacts,
  );
  assert.ok(skimmed > 50 && full > 100, `${skimmed} skimmed, ${full} read in full`);
});

it('the host reads a chart’s suite with its tests skimmed; a small one in full', () => {
  const host = new AnalysisHost();
  host.setFile('file:///ws/chart/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n');
  host.setFile('file:///ws/chart/values.yaml', 'service:\n  enabled: false\n');
  host.setFile('file:///ws/chart/templates/service.yaml', '{{- if .Values.service.enabled }}\nkind: Service\n{{- end }}\n');
  host.setFile('file:///ws/chart/tests/service_test.yaml', suite(8));
  host.setFile(
    'file:///ws/chart/tests/small_test.yaml',
    'suite: s\ntemplates: [service.yaml]\ntests:\n  - it: renders\n    asserts:\n      - hasDocuments:\n          count: 0\n',
  );
  const before = skimStats.files;
  host.snapshot();
  assert.equal(skimStats.files, before + 1, 'the large suite took the skimmed reading, the small one the full');
  assert.deepEqual(host.factsForCache('file:///ws/chart/tests/service_test.yaml')?.objects, []);
});
