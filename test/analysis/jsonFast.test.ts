/**
 * A JSON text is read straight into the tree (syntax/jsonFast.ts) and the reading is the `yaml`
 * package's (`parseFile(text, { json: false })`): on every JSON file of the repository's fixtures
 * and schemas, on texts with what JSON allows and YAML reads its own way (keys at column 0, a key
 * on one line and its colon on the next, `-0`, `1e400`, escapes, `{{ }}` and placeholders inside
 * strings, duplicate and `<<` keys, deep nesting, tabs, CRs), and on seeded mutations of a
 * dashboard-like text. Each is either read by the fast path with the same documents, or read as YAML.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { lowerFile } from '../../analysis/model/lower.js';
import type { FileFacts } from '../../analysis/model/types.js';
import { readJsonDocument } from '../../analysis/syntax/jsonFast.js';
import { normalizeBreaks } from '../../analysis/syntax/limits.js';
import { parseFile } from '../../analysis/syntax/parse.js';
import { rng } from '../support/fuzz.js';

const root = join(__dirname, '..', '..');
const NO_HOOKS = { masked: () => false, placeholder: () => false };

/** Facts without what differs between two readings of one text by construction (serials, document ids). */
function comparable(f: FileFacts): unknown {
  return JSON.parse(
    JSON.stringify({ ...f, serial: 0, documents: f.documents?.map((d) => ({ ...d, id: 0 })) }, (_k, v: unknown) =>
      v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v,
    ),
  );
}

/** Compares the two readings of `text`; true when the fast path read it. */
function same(text: string, what: string): boolean {
  assert.deepStrictEqual(parseFile(text), parseFile(text, { json: false }), what);
  return readJsonDocument(normalizeBreaks(text), NO_HOOKS) !== undefined;
}

function jsonFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const full = join(dir, e);
    if (statSync(full).isDirectory()) jsonFiles(full, out);
    else if (e.endsWith('.json')) out.push(full);
  }
  return out;
}

it('every JSON file of the fixtures and schemas reads as the yaml package reads it', () => {
  const files = [...jsonFiles(join(root, 'test')), ...jsonFiles(join(root, 'schemas')), ...jsonFiles(join(root, 'examples'))];
  let fast = 0;
  for (const f of files) if (same(readFileSync(f, 'utf8'), f)) fast++;
  assert.ok(files.length >= 20, `${files.length} JSON files`);
  assert.ok(fast >= files.length / 2, `${fast} of ${files.length} read by the fast path`);
});

const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['an empty map', '{}', true],
  ['an empty list', '[]\n', true],
  ['leading blank lines and spaces', '\n \n  {"a": 1}\n', true],
  ['trailing blank lines', '{"a": 1}\n\n \n', true],
  ['more trailing blank lines', '[1]\n\n\n  \n\n', true],
  ['keys at column 0', '{\n"a": 1,\n"b": [\n1,\n2\n]\n}\n', true],
  ['a colon on the next line', '{"a"\n : 1, "b" :2}', true],
  ['numbers', '{"a": -0, "b": 1e400, "c": 12345678901234567890, "d": 1.0, "e": -2.5E-3, "f": 0}', true],
  ['literals', '[true, false, null, "true", "null", ""]', true],
  ['escapes', '{"a": "\\u00e9\\/\\n\\"\\\\\\ud83d\\ude00", "\\u0041": "x"}', true],
  ['a template in a string', '{"legendFormat": "{{ instance }}", "expr": "rate(x[5m])"}', true],
  ['placeholders in strings', '{"name": "<your-name>", "ns": "${NAMESPACE}", "c": "$(NAME)"}', true],
  ['a duplicate key', '{"a": 1, "a": 2}', false],
  ['a merge key', '{"<<": {"a": 1}, "b": 2}', false],
  ['a long key', `{"${'k'.repeat(1100)}": 1}`, false],
  ['a tab', '{\t"a": 1}', false],
  ['CRLF', '{"a": 1,\r\n"b": 2}\r\n\r\n\r\n', true],
  ['a lone CR', '{"a": 1,\r"b": 2}', true],
  ['two values', '{"a": 1}\n{"a": 2}\n', false],
  ['a scalar', '"just text"', false],
  ['not JSON', '{a: 1}', false],
  ['deep nesting', `${'['.repeat(300)}${']'.repeat(300)}`, false],
  ['a manifest', '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80}]}}', true],
];

it('texts JSON allows and YAML reads its own way', () => {
  for (const [what, text, fast] of CASES) {
    const took = same(text, what);
    assert.equal(took, fast, `${what}: fast path ${took}`);
  }
});

it('a JSON manifest has the facts of the yaml reading', () => {
  for (const [what, text] of CASES) {
    const uri = 'file:///ws/x.json';
    assert.deepEqual(
      comparable(lowerFile(uri, text, parseFile(text), 1)),
      comparable(lowerFile(uri, text, parseFile(text, { json: false }), 1)),
      what,
    );
  }
});

/** A dashboard-like JSON text. */
function sample(): string {
  const panel = (i: number): unknown => ({
    id: i,
    title: `Panel ${i}`,
    targets: [{ expr: `sum(rate(x{job="a"}[5m])) by (${'pod'})`, legendFormat: '{{pod}}', refId: 'A' }],
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: i * 8 },
    options: { legend: { show: true, values: [] }, thresholds: null, ratio: -0.5 },
  });
  return JSON.stringify({ uid: 'abc', panels: [0, 1, 2, 3].map(panel), templating: { list: [] } }, null, 2) + '\n';
}

const MUTATIONS = ['\n', ' ', '\n\n', '\t', '"<<": 1, ', '"uid": 2, ', '{{', '${X}', '#', '---\n', '"', ',', ':', '\\u0041', '\r'];

it('seeded mutations read as the yaml package reads them', () => {
  const base = sample();
  const random = rng(20261207);
  let fast = 0;
  for (let n = 0; n < 400; n++) {
    let text = base;
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const at = Math.floor(random() * text.length);
      const token = MUTATIONS[Math.floor(random() * MUTATIONS.length)] ?? ' ';
      text = text.slice(0, at) + token + text.slice(at);
    }
    if (same(text, `mutation ${n}: ${JSON.stringify(text)}`)) fast++;
  }
  assert.ok(fast > 50, `${fast} of 400 mutations read by the fast path`);
});
