/**
 * A CRD's schemas are skimmed, not parsed (syntax/schemaSkim.ts), and the facts are the full
 * reading's: on a CRD written with every construct the recognizer accepts, on every CRD of the
 * fixtures and the known-good corpus, and on thousands of mutated schemas (lines with an error, a
 * duplicate key, a YAML 1.1 scalar, a tab, a comment, an anchor, flow collections, bad indentation
 * or unterminated quotes put in at random places; one-line flow lists of words and quoted scalars are
 * read by the recognizer): each either reads as the full reading does or
 * is read in full.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import { skimSchemas, skimStats } from '../../analysis/syntax/schemaSkim.js';
import type { SkimLimits } from '../../analysis/syntax/schemaSkim.js';
import { ANY, mutate, sameFacts as same } from '../support/skim.js';

/** The host's reading and a template's rendered output (units/helm.ts) both read as in full; true when skimmed. */
const sameFacts = (text: string, what: string, limits: SkimLimits = ANY): boolean => same('file:///ws/crd.yaml', text, what, limits, true);

/** A property of the schema, with every construct generated CRDs use. */
function property(name: string, i: number): string {
  return [
    `          ${name}:`,
    `            description: |-`,
    `              ${name} is property ${i}. More info:`,
    `              https://example.com/docs#${name}`,
    ``,
    `              Indented text stays:`,
    `                 - as it is`,
    `            properties:`,
    `              mode:`,
    `                default: ReadWrite`,
    `                description: 'Mode of ${name}: one of the modes, the one the`,
    `                  controller picks when empty'`,
    `                enum:`,
    `                - ReadWrite`,
    `                - ReadOnly`,
    `                type: string`,
    `              port:`,
    `                description: port is the port of the`,
    `                  \`Service\` behind it, with $(VAR_NAME) expanded.`,
    `                format: int32`,
    `                maximum: 65535`,
    `                minimum: -1`,
    `                type: integer`,
    `              pattern:`,
    `                pattern: ^[a-z]([-a-z0-9]*[a-z0-9])?(#x)?$`,
    `                type: string`,
    `              quoted:`,
    `                description: "a \\"quoted\\" text\\twith escapes \\u00e9 and a # sign"`,
    `                x-kubernetes-int-or-string: true`,
    `              folded:`,
    `                description: >`,
    `                  folded text`,
    `                  on two lines`,
    `                type: object`,
    `                x-kubernetes-preserve-unknown-fields: true`,
    `              listed:`,
    `                enum: ["a", 'b', c-d, e.f, $x]`,
    `                type: string`,
    `              empty:`,
    `                items: {}`,
    `                type: array`,
    `              items:`,
    `                items:`,
    `                  properties:`,
    `                    name:`,
    `                      type: string`,
    `                  required:`,
    `                  - name`,
    `                  type: object`,
    `                type: array`,
    `                x-kubernetes-list-map-keys:`,
    `                - name`,
    `                x-kubernetes-validations:`,
    `                - message: names must be unique`,
    `                  rule: self.all(x, self.exists_one(y, x.name == y.name))`,
    `                - messageExpression: "'bad: ' + self"`,
    `                  rule: '[has(self.a), has(self.b)].filter(x,`,
    `                    x).size() <= 1'`,
    `            type: object`,
  ].join('\n');
}

function crd(properties: number, tail = ''): string {
  const props = Array.from({ length: properties }, (_, i) => property(`field${i}`, i)).join('\n');
  return [
    '# A generated CustomResourceDefinition',
    '---',
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    '  annotations:',
    '    controller-gen.kubebuilder.io/version: v0.16.0',
    '  name: widgets.example.com',
    'spec:',
    '  group: example.com',
    '  names:',
    '    kind: Widget',
    '    plural: widgets',
    '  scope: Namespaced',
    '  versions:',
    '  - name: v1',
    '    schema:',
    '      openAPIV3Schema:',
    '        description: Widget is a widget.',
    '        properties:',
    '          spec:',
    '            properties:',
    props.replace(/^/gm, '    '),
    '            type: object',
    '        type: object',
    '    served: true',
    '    storage: true',
    '    subresources:',
    '      status: {}',
    tail,
  ].join('\n');
}

it('a CRD written with every construct the recognizer accepts is skimmed, and its facts are the full reading’s', () => {
  const text = crd(12);
  const skim = skimSchemas(text, ANY);
  assert.ok(skim !== undefined, 'skimmed');
  assert.equal(skim.skimmed.length, 1);
  assert.equal(skim.text.length, text.length, 'offsets kept');
  assert.ok(sameFacts(text, 'generated CRD'), 'read with the schema skimmed');
  // A second version, a second document, a Service after it: still one reading.
  const two = crd(3, `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - port: 0755\n`);
  assert.ok(
    sameFacts(
      two.replace(
        '  - name: v1\n',
        '  - name: v1beta1\n    served: false\n    storage: false\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          a:\n            type: string\n  - name: v1\n',
      ),
      'two versions and a Service',
    ),
  );
});

it('every CRD of the fixtures and the known-good corpus reads as in full', () => {
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const f = join(d, e);
      if (statSync(f).isDirectory()) walk(f);
      else if (/\.ya?ml$/.test(e)) files.push(f);
    }
  };
  for (const d of ['fixtures', 'corpus']) walk(join(__dirname, '..', d));
  let crds = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (!text.includes('openAPIV3Schema:')) continue;
    crds++;
    sameFacts(text, f);
  }
  assert.ok(crds >= 5, `${crds} files with a schema`);
});

/** Lines put into a schema: each makes the `yaml` package report something, or changes the facts, or neither. */
const LINES = [
  'on: true',
  'yes',
  'enabled: on',
  'mode: 0755',
  'size: 1_000',
  'flag: 0b101',
  'y: 1',
  'description: dup',
  'type: again',
  '\tkey: tab',
  'key:\tvalue',
  '# a comment',
  'anchored: &a {x: 1}',
  'aliased: *a',
  'tagged: !!str 1',
  'flow: [a, b]',
  'flow: ["a", \'b\', c.d, e-f]',
  'flow: [ ]',
  'flow: [yes, no]',
  'flow: [a, 0755]',
  'flow: [a, b,]',
  'flow: [a,,b]',
  'flow: [a: b]',
  'flow: [a, [b]]',
  'flow: ["a"b]',
  'flow: ["a\\q"]',
  'flow: [a] # comment',
  'flow: [a',
  'flow: {a: 1}',
  'nested: a: b',
  'trailing: a #comment',
  'trailing: a # comment',
  'trailing: # comment',
  '.dotted: key',
  '.inf: 1',
  "quote: 'open",
  'quote: "open',
  'quote: "bad \\q escape"',
  'block: |2',
  'block: |+',
  '- item',
  '- - nested',
  '-',
  '? complex',
  'key: value:',
  '"quoted key": 1',
  "'single': 2",
  'true: 1',
  'null: 2',
  '1: number',
  '<<: {a: 1}',
  'key: ${PLACEHOLDER}',
  'key: {{ .Values.x }}',
  '#@ load("x")',
  '---',
  '...',
  'key: `tick`',
  'key: @at',
  'key: %pct',
  'plain: text',
  'description: ok',
];

it('mutated schemas read as the full reading does, skimmed or not', () => {
  const lines = crd(2).split('\n');
  const { skimmed, full } = mutate(
    {
      lines,
      first: lines.findIndex((l) => l.includes('openAPIV3Schema:')) + 1,
      last: lines.findIndex((l) => l.startsWith('    served:')),
      put: LINES,
      indent: 22,
      count: 600,
      seed: 1207,
    },
    sameFacts,
  );
  assert.ok(skimmed > 50 && full > 150, `${skimmed} skimmed, ${full} read in full`);
});

it('the host reads a large CRD with its schema skimmed', () => {
  const text = crd(40);
  assert.ok(text.length > 8_000);
  const before = skimStats.files;
  const host = new AnalysisHost();
  host.setFile('file:///ws/crds/widgets.yaml', text);
  host.snapshot();
  assert.equal(skimStats.files, before + 1, 'the host took the skimmed reading');
  // A chart's CRD template: its rendered output is read with the schema skimmed too.
  const chart = new AnalysisHost();
  chart.setFile('file:///ws/chart/Chart.yaml', 'apiVersion: v2\nname: widgets\nversion: 1.0.0\n');
  chart.setFile('file:///ws/chart/values.yaml', 'crds:\n  install: true\n');
  chart.setFile('file:///ws/chart/templates/crds/widgets.yaml', `{{- if .Values.crds.install }}\n${text}\n{{- end }}\n`);
  const rendered = skimStats.files;
  chart.snapshot();
  assert.equal(skimStats.files, rendered + 1, 'the rendered template took the skimmed reading');
  assert.deepEqual(
    host
      .factsForCache('file:///ws/crds/widgets.yaml')
      ?.objects.map((o) => [o.kind, o.name?.known === true ? o.name.value : undefined, o.group]),
    [['CustomResourceDefinition', 'widgets.example.com', 'apiextensions.k8s.io']],
  );
});
