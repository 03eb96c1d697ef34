/**
 * A chart's values file read once for the index and the renderer (analysis/syntax/valuesFile.ts):
 * the index gets exactly what `parseManifest` gives, and the shared value is exactly what the
 * renderer's own `parse(text, { maxAliasCount: 1000 })` gives, offered only when that parse would
 * neither throw nor warn. Checked on every YAML fixture of the repository read as a values file,
 * and on texts made to differ between the lenient and the strict reading.
 */

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, parseDocument } from 'yaml';
import { parseFile, parseManifest } from '../../analysis/syntax/parse.js';
import { isChartValuesFile, readValuesFile } from '../../analysis/syntax/valuesFile.js';
import { AnalysisHost } from '../../analysis/host.js';

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const full = join(dir, e);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (/\.ya?ml$/.test(e)) out.push(full);
  }
  return out;
}

/** What the renderer's parse gives: the value, or that it throws or warns (then nothing may be shared). */
function renderersRead(text: string): { value: unknown } | undefined {
  if (parseDocument(text).warnings.length > 0) return undefined;
  try {
    return { value: parse(text, { maxAliasCount: 1000 }) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * Deep equality that compares a pair of objects once: the index's trees share the nodes an alias
 * repeats (a node reached twice), which a plain deep comparison walks once per path (the alias
 * bomb fixture: 9^9 paths).
 */
function same(a: unknown, b: unknown, seen = new Map<object, Set<object>>()): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    return [...a].every(([k, v]) => b.has(k) && same(v, b.get(k), seen));
  }
  let pairs = seen.get(a);
  if (pairs?.has(b) === true) return true;
  if (pairs === undefined) seen.set(a, (pairs = new Set()));
  pairs.add(b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && same(ra[k], rb[k], seen));
}

function check(text: string, label: string): boolean {
  const read = readValuesFile(text);
  // `${…}` and `$(…)` placeholders are text in a chart's values (Helm substitutes nothing): a text
  // holding them is read with them as text when it composes cleanly.
  const asText = /\$[{(]/.test(text) && same(read.parsed, parseFile(text, { placeholdersAsText: 'all' }));
  assert.ok(asText || same(read.parsed, parseManifest(text)), `${label}: the index's reading differs`);
  const renderer = renderersRead(text);
  if (read.value !== undefined) {
    assert.ok(renderer !== undefined, `${label}: shared although the renderer's parse throws or warns`);
    assert.deepEqual(read.value.js, renderer.value, `${label}: the shared value`);
  }
  return read.value !== undefined;
}

test('every YAML fixture read as a values file: the same index reading, the renderer value when shared', () => {
  const files = yamlFiles(join(__dirname, '..', 'fixtures'));
  assert.ok(files.length > 300, `${files.length} fixtures`);
  let shared = 0;
  for (const f of files) if (check(readFileSync(f, 'utf8'), f)) shared++;
  // Fixtures of one document without errors take the shared path (most fixtures hold several documents).
  assert.ok(shared >= 50, `${shared} of ${files.length} shared`);
});

test('texts the strict and the lenient reading tell apart are not shared, and the index reads them as before', () => {
  const cases: Array<[string, string, boolean]> = [
    ['plain', 'image:\n  repository: nginx # the image\n  tag: "1.27"\nreplicas: 2\n# trailing: commented out\n', true],
    ['anchors and merge', 'base: &b {a: 1}\nother:\n  <<: *b\n  c: [1, 2]\n', true],
    ['block scalars', 'config: |\n  a = 1\n  b = 2\nfolded: >-\n  one\n  two\n', true],
    ['duplicate key', 'a: 1\nb: 2\na: 3\n', false],
    ['duplicate key with template text', 'a: 1\na: "{{ .Values.x }}"\n', false],
    ['comment without a space (strict only)', 'a: "x"#comment\nb: 1\n', false],
    ['two documents', 'a: 1\n---\nb: 2\n', false],
    ['unknown tag (a warning)', 'a: !custom 1\n', false],
    ['syntax error', 'a: [1, 2\nb: 1\n', false],
    ['CRLF (both read the same text)', 'a: 1\r\nb: 2\r\n', true],
    ['a lone CR (the index normalises it)', 'a: 1\rb: 2\r', false],
    ['placeholders (text in a chart values file, composed once)', 'url: ${HOST}/x\ncmd: $(PORT)\n', true],
    ['comments only', '# nothing\n', false],
    ['empty', '', false],
  ];
  for (const [label, text, shared] of cases) assert.equal(check(text, label), shared, label);
});

test('the host offers a chart values file it parsed to the render, which renders as from the text', () => {
  const files = new Map([
    ['file:///ws/app/Chart.yaml', 'apiVersion: v2\nname: app\nversion: 1.0.0\n'],
    ['file:///ws/app/values.yaml', 'port: 8080\nname: web\nlabels: {tier: front}\n'],
    [
      'file:///ws/app/templates/svc.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.name }}\n  labels: {{ toYaml .Values.labels | nindent 4 }}\nspec:\n  ports:\n  - port: {{ .Values.port }}\n',
    ],
  ]);
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  assert.ok(isChartValuesFile('file:///ws/app/values.yaml', new Set(['file:///ws/app'])));
  assert.ok(!isChartValuesFile('file:///ws/app/templates/values.yaml', new Set(['file:///ws/app'])));
  const rendered = host.snapshot().index.renderedTemplate('file:///ws/app/templates/svc.yaml');
  assert.ok(rendered !== undefined);
  const service = host
    .snapshot()
    .index.objectsOfFile('file:///ws/app/templates/svc.yaml')
    .map((p) => p.obj);
  assert.equal(service.length, 1);
  assert.equal(service[0]?.name?.known === true ? service[0].name.value : undefined, 'web');
});
