/**
 * Quoted scalars continued at or left of their key's indentation, read as go-yaml reads them
 * (analysis/syntax/quoteContinuation.ts). The checks' side is the fixture
 * yaml-syntax/quote-continuation.yaml. Each case's value is the one `kubectl kustomize` v5.5.0
 * (go-yaml v3) writes for it, and the reading of the same text with its continuation lines indented.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifest } from '../../analysis/syntax/parse.js';
import { get, isScalar } from '../../analysis/syntax/tree.js';

interface Case {
  readonly name: string;
  /** The scalar's text after `v: `, its continuation lines as written. */
  readonly scalar: string;
  /** The value `kubectl kustomize` v5.5.0 writes. */
  readonly kubectl: string;
}

const CASES: readonly Case[] = [
  { name: 'closing quote at column 0 after a blank line', scalar: "'localhost\n\n'", kubectl: 'localhost\n' },
  { name: 'two blank lines, then text at the key', scalar: '"a\n\n\nb\n  c"', kubectl: 'a\n\nb c' },
  { name: 'continuation at column 0 without blank lines', scalar: "'events {\n}\n'", kubectl: 'events { } ' },
  { name: 'blank lines with spaces, CRLF', scalar: "'x\r\n  \r\n'", kubectl: 'x\n' },
  { name: 'continuation lines led by tabs', scalar: '"x y\n\t\t -c z\n  --set"', kubectl: 'x y -c z --set' },
];

describe('quoted scalars continued at their key', () => {
  for (const c of CASES) {
    it(`${c.name}: no error, kubectl's value, every offset kept`, () => {
      const text = `data:\n  v: ${c.scalar}\n  after: 1\n`;
      const parsed = parseManifest(text);
      assert.deepEqual(parsed.errors, []);
      const data = get(parsed.documents[0]?.root, 'data');
      const v = get(data, 'v');
      assert.ok(isScalar(v));
      assert.equal(v.value, c.kubectl);
      assert.equal(text.slice(v.span.start, v.span.end), c.scalar);
      const after = get(data, 'after');
      assert.ok(isScalar(after) && after.value === 1);
      // The same value as the text with its continuation lines indented past the key.
      const indented = parseManifest(`data:\n  v: ${c.scalar.replace(/\n/g, '\n    ')}\n`);
      const w = get(get(indented.documents[0]?.root, 'data'), 'v');
      assert.ok(isScalar(w));
      assert.equal(v.value, w.value);
    });
  }
});

describe('a flow list whose last quoted item is closed at its key', () => {
  it('reads the list as kubectl kustomize v5.5.0 writes it, every offset kept', () => {
    const script = "'set -x;\n    until [ 1 -eq 1 ]; do\n      sleep 2;\n    done;\n  '";
    const text = `spec:\n  command: ['sh', '-c', ${script}]\n  after: 1\n`;
    const parsed = parseManifest(text);
    assert.deepEqual(parsed.errors, []);
    const command = get(get(parsed.documents[0]?.root, 'spec'), 'command');
    assert.ok(command !== undefined && command.kind === 'seq');
    const values = command.items.map((i) => (isScalar(i) ? i.value : undefined));
    assert.deepEqual(values, ['sh', '-c', 'set -x; until [ 1 -eq 1 ]; do sleep 2; done; ']);
    const last = command.items[2];
    assert.ok(last !== undefined && text.slice(last.span.start, last.span.end) === script);
  });
});
