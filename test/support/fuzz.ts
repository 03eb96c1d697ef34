/**
 * A seeded mutation fuzzer over the check fixtures (test/fixtures/checks): each case takes a
 * fixture's text and applies a few random mutations (cut, duplicate, swap lines, re-indent, and
 * insertions of YAML and template syntax: anchors, aliases, merge keys, brackets, `{{`, `---`,
 * tabs, CRs, quotes). The same seed gives the same cases, so a failure reproduces from its
 * printed seed and index. Used by test/analysis/fuzz.test.ts (short) and scripts/fuzz.ts (long).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnalysisHost } from '../../analysis/index.js';

const TOKENS = [
  '&a ',
  '*a',
  '*nope',
  '<<: *a\n',
  '{{',
  '}}',
  '{{ .Values.x }}',
  '${X}',
  '$(Y)',
  '[',
  ']',
  '{',
  '}',
  '- ',
  ': ',
  '? ',
  '\n---\n',
  '\n...\n',
  '\t',
  '\r',
  '\r\n',
  '#',
  '"',
  "'",
  '|\n',
  '>-\n',
  '!!str ',
  '!custom ',
  '%YAML 1.2\n',
  '\ufeff',
  '\u0000',
  'kind: List\nitems:\n- ',
  'apiVersion: v1\nkind: Service\n',
];

/** A small deterministic generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The fixture texts the fuzzer mutates. */
export function fixtureTexts(root: string): string[] {
  const dir = join(root, 'test', 'fixtures', 'checks');
  const out: string[] = [];
  for (const folder of readdirSync(dir).sort()) {
    for (const f of readdirSync(join(dir, folder)).sort()) if (f.endsWith('.yaml')) out.push(readFileSync(join(dir, folder, f), 'utf8'));
  }
  return out;
}

/** One mutated text. */
export function mutate(text: string, random: () => number): string {
  let t = text;
  const n = 1 + Math.floor(random() * 4);
  const at = (): number => Math.floor(random() * (t.length + 1));
  for (let i = 0; i < n; i++) {
    const kind = Math.floor(random() * 7);
    const p = at();
    if (kind === 0) {
      t = t.slice(0, p) + t.slice(Math.min(t.length, p + 1 + Math.floor(random() * 40)));
    } else if (kind === 1) {
      const q = Math.min(t.length, p + Math.floor(random() * 200));
      t = t.slice(0, q) + t.slice(p, q) + t.slice(q);
    } else if (kind === 2) {
      const lines = t.split('\n');
      const a = Math.floor(random() * lines.length);
      const b = Math.floor(random() * lines.length);
      const la = lines[a] ?? '';
      lines[a] = lines[b] ?? '';
      lines[b] = la;
      t = lines.join('\n');
    } else if (kind === 3) {
      const lines = t.split('\n');
      const a = Math.floor(random() * lines.length);
      lines[a] = ' '.repeat(Math.floor(random() * 6)) + (lines[a] ?? '').trimStart();
      t = lines.join('\n');
    } else {
      const token = TOKENS[Math.floor(random() * TOKENS.length)] ?? '';
      const times = random() < 0.1 ? 1 + Math.floor(random() * 300) : 1;
      t = t.slice(0, p) + token.repeat(times) + t.slice(p);
    }
  }
  return t;
}

export interface FuzzResult {
  readonly cases: number;
  /** The slowest case, in milliseconds, and its index. */
  readonly slowestMs: number;
  readonly slowest: number;
}

/**
 * Runs `count` mutated cases through one analysis host (a workspace of the mutated file next to
 * its unmutated original), reading diagnostics, hover, completion and definitions at a random
 * offset. Throws (with the seed and index) on the first case that throws or runs past `budgetMs`.
 */
export function fuzzHost(texts: readonly string[], seed: number, count: number, budgetMs: number, now: () => number): FuzzResult {
  const random = rng(seed);
  const host = new AnalysisHost();
  let slowestMs = 0;
  let slowest = -1;
  for (let i = 0; i < count; i++) {
    const base = texts[Math.floor(random() * texts.length)] ?? '';
    const text = mutate(base, random);
    const offset = Math.floor(random() * (text.length + 1));
    const t0 = now();
    try {
      host.setFile('file:///fuzz/original.yaml', base);
      host.setFile('file:///fuzz/mutated.yaml', text);
      const a = host.snapshot();
      a.diagnostics();
      a.hover('file:///fuzz/mutated.yaml', offset);
      a.completion('file:///fuzz/mutated.yaml', offset);
      a.definition('file:///fuzz/mutated.yaml', offset);
      a.codeLenses('file:///fuzz/mutated.yaml');
    } catch (e) {
      throw new Error(
        `fuzz seed ${seed} case ${i} threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n--- text ---\n${JSON.stringify(text)}`,
        { cause: e },
      );
    }
    const ms = now() - t0;
    if (ms > slowestMs) {
      slowestMs = ms;
      slowest = i;
    }
    if (ms > budgetMs)
      throw new Error(
        `fuzz seed ${seed} case ${i} took ${ms.toFixed(0)} ms (budget ${budgetMs} ms)\n--- text ---\n${JSON.stringify(text)}`,
      );
  }
  return { cases: count, slowestMs, slowest };
}
