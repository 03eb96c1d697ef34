/**
 * Plain block YAML is read straight into the tree (syntax/blockFast.ts) and the reading is the `yaml`
 * package's (`parseFile(text, { block: false })`): on every YAML file of the repository's fixtures and
 * examples, on a generated workspace of each bench mix, on texts where YAML has its own readings (null,
 * booleans, numbers, YAML 1.1 values, quotes, flow collections, lists at their key's indentation,
 * blank lines, markers), and on seeded mutations of a manifest. Each is either read by the fast path
 * with the same documents, or read as YAML.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { lowerFile } from '../../analysis/model/lower.js';
import type { FileFacts } from '../../analysis/model/types.js';
import { readBlock } from '../../analysis/syntax/blockFast.js';
import { normalizeBreaks } from '../../analysis/syntax/limits.js';
import { maskTemplates } from '../../analysis/syntax/mask.js';
import { parseFile } from '../../analysis/syntax/parse.js';
import { generateWorkspace } from '../../scripts/bench/generate.js';
import { rng } from '../support/fuzz.js';

const root = join(__dirname, '..', '..');

/** Facts without what differs between two readings of one text by construction (serials, document ids). */
function comparable(f: FileFacts): unknown {
  return JSON.parse(
    JSON.stringify({ ...f, serial: 0, documents: f.documents?.map((d) => ({ ...d, id: 0 })) }, (_k, v: unknown) =>
      v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v,
    ),
  );
}

/** Compares the two readings of `text` when the fast path reads it (else both are the `yaml` package's by construction); true when it did. */
function same(text: string, what: string): boolean {
  const t = normalizeBreaks(text);
  if (readBlock(t, maskTemplates(t, {})) === undefined) return false;
  const fast = parseFile(text);
  const full = parseFile(text, { block: false });
  // The first line that differs (assert's own diff of two large trees takes minutes).
  if (!isDeepStrictEqual(fast, full)) {
    const a = JSON.stringify(fast, null, 1).split('\n');
    const b = JSON.stringify(full, null, 1).split('\n');
    const i = a.findIndex((l, k) => l !== b[k]);
    assert.fail(`${what}: line ${i}: ${a.slice(Math.max(0, i - 6), i + 2).join(' ')} ≠ ${b.slice(Math.max(0, i - 6), i + 2).join(' ')}`);
  }
  return true;
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const full = join(dir, e);
    if (statSync(full).isDirectory()) yamlFiles(full, out);
    else if (e.endsWith('.yaml') || e.endsWith('.yml')) out.push(full);
  }
  return out;
}

it('every YAML file of the fixtures and examples reads as the yaml package reads it', () => {
  const files = [...yamlFiles(join(root, 'test')), ...yamlFiles(join(root, 'examples'))];
  let fast = 0;
  for (const f of files) if (same(readFileSync(f, 'utf8'), f)) fast++;
  assert.ok(files.length >= 500, `${files.length} YAML files`);
  assert.ok(fast >= 50, `${fast} of ${files.length} read by the fast path`);
});

it("the bench's generated workspaces read as the yaml package reads them, nearly all by the fast path", () => {
  for (const mix of ['default', 'netpol'] as const) {
    const ws = generateWorkspace(300, 20261126, mix);
    let fast = 0;
    for (const [path, text] of ws.files) if (same(text, `${mix} ${path}`)) fast++;
    assert.ok(fast >= ws.files.size * 0.9, `${mix}: ${fast} of ${ws.files.size} read by the fast path`);
  }
});

const CASES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['a map', 'a: 1\nb: x\n', true],
  ['nested maps and a trailing null', 'a: 1\nb:\n  c: x  \n  d: [p, q]\ne:\n- 1\n- k: v\n  m: {}\nf:\n', true],
  ['blank lines between and after', 'a:\n  x: 1\n\n\nb: 2\n\n', true],
  ['markers', 'a:\n  x: 1\n---\nb: 2\n---\n\nc: 3\n\n\n', true],
  ['markers with spaces, no final line break', '---   \na: 1\n---  \nb: 1', true],
  ['leading blank lines', '\n\na: 1\n', true],
  ['an indented document', '\n  a: 1\n  b: 2\n', true],
  ['a null before trailing spaces', 'f:   \ng: \n  - a\n  -  b  \nh: "q" \n', true],
  ['a list at its key indentation', 'a:\n- x\n- k: 1\n  m: 2\nb: 3\n', true],
  ['items on their own line', 'a:\n  -\n    b: 1\n  -\n    c: 2\n', true],
  ['a value on the next line', 'a:\n  text\nb: 1\n', true],
  [
    'core schema values',
    'v0: ~\nv1: null\nv2: True\nv3: FALSE\nv4: 0o17\nv5: -12\nv6: 0x1F\nv7: .inf\nv8: -.Inf\nv9: .NaN\nv10: 1e3\nv11: 1.50\nv12: .5\nv13: 12345678901234567890\nv14: 1.2.3\nv15: +1\nv16: -.5e-3\nv17: 0o9\n',
    true,
  ],
  ['YAML 1.1 values', 'a: yes\nb: off\nc: 0755\nd: 1_000\ne: 0b101\nf: y\n', true],
  ['quotes', 'a: "x\\ty\\u00e9"\nb: \'it\'\'s\'\nc: [ "p" , q ]\nd: ""\ne: \'\'\n', true],
  ['flow maps', 'r: {cpu: 50m,  memory: "64Mi" }  \ns: { a: 1 }\nt: {}\nu: []\n', true],
  ['placeholders', 'a: <your-domain.com>\nb: $NAMESPACE\nc: "(join(\'-\', [$namespace]))"\n', true],
  ['colons inside values', 'image: nginx:1.2\nurl: http://x/a?b=c\nk: a:b\n', true],
  ['a hash inside a value', 'url: http://x/a#b\n', false],
  ['an empty text', '', false],
  ['a scalar document', 'text\n', false],
  ['a flow document', '[1]\n\n\n  \n\n', false],
  ['only blank lines', '\n  \n\n', false],
  ['comments after values', 'a: 1 # one\nb: "x"  # two\nc: [p] #three\nd: {}  #\ne: x # four\n', true],
  ['a comment line', '# head\na: 1\n', false],
  ['comment lines after a marker', 'a: 1\n---\n# Source: c/templates/a.yaml\n#two\nb:\n  c: 1\n---\n\n# three\n- x\n', true],
  ['a blank line after a comment', '---\n# one\n\na: 1\n', false],
  ['an indented comment after a marker', '---\n  # one\na: 1\n', false],
  [
    'comment lines inside a document',
    '---\na: 1\n# one\n\n# two\nb:\n  # three\n  c: 1\n  # four\n  d:\n  # five\n  - x\n  # six\n  - k: 1\n    # seven\n    m: 2\n',
    true,
  ],
  ['a comment line before a shallower line', 'a:\n  b: 1\n  # one\nc: 2\n', false],
  ['a comment line ending a document', 'a: 1\n# one\n', false],
  ['a comment line ending a document before a marker', 'a: 1\n# one\n---\nb: 1\n', false],
  ['a comment ending its document', 'a: 1\n---\n# one\n', false],
  ['a duplicate key', 'a: 1\na: 2\n', false],
  ['a YAML 1.1 key', 'on: push\n', false],
  ['a boolean key', 'true: 1\n', false],
  ['a merge key', 'a: &x {b: 1}\nc:\n  <<: *x\n', false],
  ['an anchor', 'a: &x 1\nb: *x\n', false],
  ['a tag', 'a: !!str 1\n', false],
  ['a block scalar', 'a: |\n  x\n', false],
  ['a multi-line plain scalar', 'a: x\n  y\n', false],
  ['a multi-line quoted scalar', 'a: "x\n  y"\n', false],
  ['a multi-line flow list', 'a: [x,\n  y]\n', false],
  ['a trailing comma', 'a: [x, ]\n', false],
  ['a nested flow list', 'a: [[x]]\n', false],
  ['a list in a list item', '- - x\n', false],
  ['a null item', '- \n- x\n', false],
  ['an empty document', 'a: 1\n---\n', false],
  ['a document end marker', 'a: 1\n...\n', false],
  ['content after a marker', '--- a: 1\n', false],
  ['a tab', 'a:\t1\n', false],
  ['CRLF', 'a: 1\r\nb: 2\r\n', false],
  ['non-ASCII', 'a: é\n', false],
  ['a bad indentation', 'a:\n    b: 1\n  c: 2\n', false],
  ['a key on a list line', 'a:\n  - x\n  b: 1\n', false],
  ['a compact nested map', 'a: b: c\n', false],
  ['a quoted key', '"a": 1\n', false],
  ['a key with a space', 'a b: 1\n', false],
  ['an escape JSON lacks', 'a: "\\x41"\n', false],
  ['a directive', '%YAML 1.2\n---\na: 1\n', false],
  ['a question mark', '? a\n: 1\n', false],
];

it('texts where YAML has its own readings', () => {
  for (const [what, text, fast] of CASES) {
    const took = same(text, what);
    assert.equal(took, fast, `${what}: fast path ${took}`);
  }
});

it('a manifest read by the fast path has the facts of the yaml reading', () => {
  for (const [what, text] of CASES) {
    const uri = 'file:///ws/x.yaml';
    assert.deepEqual(
      comparable(lowerFile(uri, text, parseFile(text), 1)),
      comparable(lowerFile(uri, text, parseFile(text, { block: false }), 1)),
      what,
    );
  }
});

const MUTATIONS = [
  '\n',
  ' ',
  '  ',
  '- ',
  ': ',
  ':',
  '#',
  '---\n',
  '"',
  "'",
  ',',
  '[',
  ']',
  '{}',
  '{',
  'yes',
  '~',
  '&a ',
  '*a',
  '|',
  '\t',
  '0x1F',
  '1e3',
  'k: ',
  '\nk: v\n',
  '-',
  '\\',
  '...\n',
];

it('seeded mutations read as the yaml package reads them', () => {
  const base = [...generateWorkspace(60, 20261208, 'netpol').files.values()].slice(0, 12);
  const random = rng(20261208);
  let fast = 0;
  for (let n = 0; n < 600; n++) {
    let text = base[n % base.length] ?? '';
    for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
      const at = Math.floor(random() * text.length);
      const token = MUTATIONS[Math.floor(random() * MUTATIONS.length)] ?? ' ';
      text = text.slice(0, at) + token + text.slice(at);
    }
    if (same(text, `mutation ${n}: ${JSON.stringify(text)}`)) fast++;
  }
  assert.ok(fast > 50, `${fast} of 600 mutations read by the fast path`);
});
