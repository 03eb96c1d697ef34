/**
 * Robustness of the Helm template engine: seeded random mutations of the renderer suite's
 * templates never throw and stay within a step and time budget; deep nesting, runaway loops and
 * huge output end in a `limit` error, never a hang or a stack overflow.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TemplateSet, fromYamlValue } from '../../analysis/render/helm/template/index.js';
import { fixtureFiles, readCases } from '../support/helmTemplateFixture.js';

/** mulberry32: a small seeded PRNG, so a failure is reproducible from its seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '{{',
  '}}',
  '{{- ',
  ' -}}',
  '|',
  '(',
  ')',
  '$x',
  '$x := 1',
  ':=',
  '=',
  '.a',
  '.a.b',
  'range .l',
  'end',
  'if .a',
  'else',
  'else if',
  'with .m',
  'define "x"',
  'template "x" .',
  'include "x" .',
  'tpl "{{ . }}" .',
  '"',
  '`',
  '/*',
  '*/',
  '0x1F',
  '1e9',
  "'a'",
  'break',
  'continue',
  'range 100000',
  'repeat 100000 "x"',
  'toYaml .',
  'nindent 4',
  'printf "%v"',
  'default "d"',
  'index .l 0',
  'dict "a" 1',
  'list 1 2',
  '\n',
];

function mutate(text: string, r: () => number): string {
  let t = text;
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.35) t = t.slice(0, at) + TOKENS[Math.floor(r() * TOKENS.length)] + t.slice(at);
    else if (op < 0.6) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 6));
    else if (op < 0.8) {
      const len = Math.floor(r() * 20);
      t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
    } else {
      const b = Math.floor(r() * (t.length + 1));
      t = t.slice(0, Math.min(at, b)) + t.slice(Math.max(at, b)) + t.slice(Math.min(at, b), Math.max(at, b));
    }
  }
  return t;
}

const LIMITS = { maxSteps: 20_000, maxOutput: 200_000, maxDepth: 40 };

describe('helm template fuzz', () => {
  const seeds = fixtureFiles().flatMap((f) => readCases(f));
  const data = fromYamlValue({
    a: { b: 1 },
    l: [1, 'x', null, { a: 2 }],
    m: { k: 'v' },
    Values: { x: 1 },
    Template: { Name: 'f', BasePath: 'b' },
  });

  it('random mutations never throw and stay within budget', () => {
    const r = rng(20261205);
    const started = Date.now();
    let errors = 0;
    for (let i = 0; i < 600; i++) {
      const c = seeds[Math.floor(r() * seeds.length)];
      if (c === undefined) continue;
      const templates = c.templates.map((t) => ({ name: t.name, text: mutate(t.text, r) }));
      const t0 = Date.now();
      const set = new TemplateSet({ limits: LIMITS });
      const parseErrors = set.parse(templates);
      const res = set.execute(templates[0]?.name ?? 't', data);
      if (parseErrors.length > 0 || res.error !== undefined) errors++;
      assert.ok(res.text.length <= LIMITS.maxOutput, 'output stays within the limit');
      assert.ok(Date.now() - t0 < 2000, `case ${i} (${c.file}: ${c.name}) took too long: ${JSON.stringify(templates)}`);
    }
    assert.ok(errors > 0, 'mutations produce errors (the fuzzer reaches error paths)');
    assert.ok(Date.now() - started < 20_000, 'the whole run stays short');
  });

  it('deep parentheses and nested controls end in a limit error', () => {
    for (const text of [
      '{{ ' + '('.repeat(20_000) + '1' + ')'.repeat(20_000) + ' }}',
      '{{ if 1 }}'.repeat(20_000) + '{{ end }}'.repeat(20_000),
      '{{ with 1 }}'.repeat(5000),
    ]) {
      const set = new TemplateSet();
      const errors = set.parse([{ name: 't', text }]);
      assert.equal(errors[0]?.kind, 'limit', errors[0]?.message);
    }
  });

  it('runaway execution ends in a limit error', () => {
    const cases = [
      ['{{ range $i := 100000000 }}{{ range 1000 }}x{{ end }}{{ end }}', 'step'],
      ['{{ define "a" }}{{ include "a" . }}{{ include "a" . }}{{ end }}{{ include "a" . }}', 'depth'],
      ['{{ range 1000 }}{{ repeat 100000 "y" }}{{ end }}', 'output'],
    ];
    for (const [text] of cases) {
      const set = new TemplateSet({ limits: { maxSteps: 100_000, maxOutput: 1_000_000, maxDepth: 50 } });
      assert.deepEqual(set.parse([{ name: 't', text: text ?? '' }]), []);
      const t0 = Date.now();
      const res = set.execute('t', null);
      assert.equal(res.error?.kind, 'limit', res.error?.message);
      assert.ok(Date.now() - t0 < 5000);
    }
  });
});
