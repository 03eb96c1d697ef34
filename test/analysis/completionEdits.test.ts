/**
 * Completion writes text too, so it must never damage a file (issue #21): every item offered in
 * every fixture (test/fixtures/checks, test/fixtures/fixes), as written, with CRLF line breaks and
 * with a byte order mark, applied where it was offered, leaves a file that parses as before; a
 * value reads as the text it shows (as kubectl reads YAML: a label value `yes` unquoted would be a
 * boolean, which the API server rejects), a number where the field takes one; a key reads as the
 * key it shows; and the line breaks and the BOM stay as they were.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { parseAllDocuments, visit } from 'yaml';
import type { Scalar } from 'yaml';
import type { CompletionResult } from '../../analysis/index.js';
import { yaml11Value } from '../../analysis/syntax/yaml11.js';
import { analyseFixture, parseFixture } from '../support/fixture.js';
import type { Fixture } from '../support/fixture.js';

type Variant = 'yaml' | 'crlf' | 'bom';

function fixtures(): Array<{ name: string; fx: Fixture }> {
  const root = join(__dirname, '..', 'fixtures');
  const folders = [
    ...readdirSync(join(root, 'checks'))
      .sort()
      .map((c) => `checks/${c}`),
    'fixes',
  ];
  const out: Array<{ name: string; fx: Fixture }> = [];
  for (const folder of folders)
    for (const file of readdirSync(join(root, folder))
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('.fixed.yaml'))
      .sort()) {
      const name = `${folder}/${file.replace(/\.yaml$/, '')}`;
      out.push({ name, fx: parseFixture(name, readFileSync(join(root, folder, file), 'utf8')) });
    }
  return out;
}

function variant(fx: Fixture, v: Variant): Fixture {
  if (v === 'crlf') return { ...fx, files: fx.files.map((f) => ({ ...f, text: f.text.replace(/\r?\n/g, '\r\n') })) };
  if (v === 'bom') return { ...fx, files: fx.files.map((f) => ({ ...f, text: `\uFEFF${f.text}` })) };
  return fx;
}

function errorCount(text: string): number {
  return parseAllDocuments(text).reduce((n, d) => n + ('errors' in d ? d.errors.length : 0), 0);
}

function apply(text: string, item: CompletionResult): string {
  return text.slice(0, item.replace.start) + item.insertText + text.slice(item.replace.end);
}

/** The scalar starting at `offset` (or at its opening quote just before), as kubectl reads it. */
function kubectlValueAt(text: string, offset: number): { value: unknown; found: boolean } {
  let out: { value: unknown; found: boolean } = { value: undefined, found: false };
  for (const doc of parseAllDocuments(text)) {
    if (!('contents' in doc)) continue;
    visit(doc, {
      Scalar(_key, node: Scalar) {
        const start = node.range?.[0];
        if (start !== offset && start !== offset - 1) return;
        const plain = node.type === 'PLAIN';
        const source = plain ? text.slice(node.range?.[0] ?? 0, node.range?.[1] ?? 0) : '';
        const k8s = plain ? yaml11Value(source) : undefined;
        out = { value: k8s ?? node.value, found: true };
      },
    });
  }
  return out;
}

const NUMERIC_KEYS = new Set(['port', 'targetPort', 'number', 'endPort', 'containerPort']);
const VALUE_LINE = /^(\s*)((?:-\s+)*)([A-Za-z0-9_./-]+):[ \t]+(["']?)([A-Za-z0-9_./-]+)\4[ \t]*\r?$/;
const KEY_LINE = /^(\s*)((?:-\s+)*)([A-Za-z0-9_./-]+):[ \t]*\r?$/;

it('every completion item, in YAML, CRLF and BOM fixtures, leaves a file that parses and reads as the item says', () => {
  let values = 0;
  let keys = 0;
  let quoted = 0;
  for (const { name, fx: base } of fixtures()) {
    for (const v of ['yaml', 'crlf', 'bom'] as const) {
      const fx = variant(base, v);
      const { host, analysis } = analyseFixture(fx);
      for (const f of fx.files) {
        if (!/\.ya?ml$/.test(f.path) || f.text.includes('{{')) continue;
        const before = errorCount(f.text);
        const lines = f.text.split('\n');
        let at = 0;
        // Values: the cursor at the end of each plain or quoted word value.
        const keyLines: Array<{ end: number; indent: number }> = [];
        for (const line of lines) {
          const m = VALUE_LINE.exec(line);
          if (m !== null) {
            const key = m[3] ?? '';
            const quote = m[4] ?? '';
            const word = m[5] ?? '';
            const offset =
              at + line.indexOf(`${quote}${word}`, (m[1] ?? '').length + (m[2] ?? '').length + key.length + 1) + quote.length + word.length;
            for (const item of analysis.completion(f.uri, offset)) {
              const label = `${name} (${v}) ${f.path}: "${item.label}" for ${key}`;
              const after = apply(f.text, item);
              assert.ok(errorCount(after) <= before, `${label}: the file no longer parses:\n${after}`);
              if (item.kind !== 'value') continue;
              values++;
              if (item.insertText !== item.label) quoted++;
              const read = kubectlValueAt(after, item.replace.start);
              assert.ok(read.found, `${label}: no value at the cursor`);
              const numeric = quote === '' && /^[0-9]+$/.test(item.label) && NUMERIC_KEYS.has(key);
              assert.deepEqual(read.value, numeric ? Number(item.label) : item.label, `${label}: kubectl reads another value`);
            }
          }
          const k = KEY_LINE.exec(line);
          if (k !== null) keyLines.push({ end: at + line.length, indent: (k[1] ?? '').length + (k[2] ?? '').length + 2 });
          at += line.length + 1;
        }
        // Keys: a new line under each map key, at its children's indentation, where a map key may go (a few per file).
        for (const { end, indent } of v === 'bom' ? [] : keyLines.slice(0, 3)) {
          const nl = v === 'crlf' ? '\r\n' : '\n';
          const lineEnd = f.text[end - 1] === '\r' ? end - 1 : end;
          const typed = `${f.text.slice(0, lineEnd)}${nl}${' '.repeat(indent)}`;
          const edited = `${typed}${f.text.slice(lineEnd)}`;
          // Only where a key may go: typing one there by hand keeps the file parsing.
          if (errorCount(`${typed}zz: 1${f.text.slice(lineEnd)}`) > before) continue;
          host.setFile(f.uri, edited);
          const snap = host.snapshot({ deferChecks: true });
          const editedErrors = errorCount(edited);
          // One item of each form (`k: `, `k:` and a list item, `k:` and a map, a quoted key): they differ only in the name.
          const forms = new Map<string, CompletionResult>();
          for (const item of snap.completion(f.uri, typed.length))
            forms.set(item.insertText.startsWith('"') ? item.insertText : item.insertText.replace(/^[A-Za-z0-9_./-]+/, 'K'), item);
          for (const item of forms.values()) {
            const after = apply(edited, item);
            const label = `${name} (${v}) ${f.path}: key "${item.label}"`;
            assert.ok(errorCount(after) <= editedErrors, `${label}: the file no longer parses:\n${after}`);
            if (v === 'crlf') assert.ok(!/[^\r]\n/.test(after), `${label}: a bare LF in a CRLF file`);
            if (v === 'bom') assert.ok(after.startsWith('\uFEFF') && after.indexOf('\uFEFF', 1) === -1, `${label}: the BOM moved`);
            const read = kubectlValueAt(after, item.replace.start);
            assert.ok(read.found, `${label}: no key at the cursor`);
            assert.equal(read.value, item.label, `${label}: kubectl reads another key`);
            keys++;
          }
        }
        host.setFile(f.uri, f.text);
      }
    }
  }
  process.stdout.write(`# completion items applied: ${values} values (${quoted} quoted), ${keys} keys\n`);
  assert.ok(values > 100 && keys > 300, `only ${values} values and ${keys} keys`);
});

it('label values and keys that YAML 1.1 reads as booleans or numbers are completed quoted; port numbers stay numbers', () => {
  const labels = { enabled: 'yes', mode: 'on', ver: '1.0', perm: '0755', flag: 'true', off: 'plain' };
  const deployment = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: a',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    ...Object.entries(labels).map(([k, x]) => `        ${JSON.stringify(k)}: ${JSON.stringify(x)}`),
    '    spec:',
    '      containers:',
    '        - name: c',
    '          image: x',
    '          ports: [{containerPort: 8080, name: "on"}]',
    '',
  ].join('\n');
  for (const nl of ['\n', '\r\n']) {
    const service = (selector: string, targetPort: string): string =>
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        '  namespace: a',
        'spec:',
        '  selector:',
        '    app: web',
        selector,
        '  ports:',
        '    - port: 80',
        `      targetPort: ${targetPort}`,
        '',
      ].join(nl);
    for (const [key, want] of Object.entries(labels)) {
      const { analysis } = analyseFixture({
        settingsLines: [],
        multi: true,
        files: [
          { path: 'dep.yaml', uri: 'file:///w/dep.yaml', text: deployment.replace(/\n/g, nl) },
          { path: 'svc.yaml', uri: 'file:///w/svc.yaml', text: service(`    ${key}: `, '8080') },
        ],
      });
      const text = analysis.text('file:///w/svc.yaml') ?? '';
      const offset = text.indexOf(`    ${key}: `) + key.length + 6;
      const item = analysis.completion('file:///w/svc.yaml', offset).find((i) => i.label === want);
      assert.ok(item !== undefined, `no item "${want}" for ${key}`);
      const read = kubectlValueAt(apply(text, item), offset);
      assert.equal(read.value, want, `${key}: "${item.insertText}" reads as ${String(read.value)}`);
      assert.equal(item.insertText !== want, want !== 'plain', `${key}: "${item.insertText}"`);
    }
    // The label key `off` needs quotes too (kubectl reads it as the key "false").
    const keyed = analyseFixture({
      settingsLines: [],
      multi: true,
      files: [
        { path: 'dep.yaml', uri: 'file:///w/dep.yaml', text: deployment.replace(/\n/g, nl) },
        { path: 'svc.yaml', uri: 'file:///w/svc.yaml', text: service('    o', 'h') },
      ],
    }).analysis;
    const svc = keyed.text('file:///w/svc.yaml') ?? '';
    const offKey = keyed.completion('file:///w/svc.yaml', svc.indexOf('    o') + 5).find((i) => i.label === 'off');
    assert.equal(offKey?.insertText, '"off": ');
    // targetPort: the container port's number stays a number, its name "on" is quoted.
    const ported = analyseFixture({
      settingsLines: [],
      multi: true,
      files: [
        { path: 'dep.yaml', uri: 'file:///w/dep.yaml', text: deployment.replace(/\n/g, nl) },
        { path: 'svc.yaml', uri: 'file:///w/svc.yaml', text: service('    enabled: "yes"', 'h') },
      ],
    }).analysis;
    const svcText = ported.text('file:///w/svc.yaml') ?? '';
    const tp = ported.completion('file:///w/svc.yaml', svcText.indexOf('targetPort: h') + 12);
    assert.deepEqual(tp.map((i) => i.insertText).sort(), ['"on"', '8080']);
  }
});
