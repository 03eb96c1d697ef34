/**
 * Shared scaffolding of the skim tests (schemaSkim.test.ts, suiteSkim.test.ts): a skimmed reading's
 * facts must be the full reading's, on texts written by hand and on mutated ones.
 */

import assert from 'node:assert/strict';
import { lowerFile } from '../../analysis/model/lower.js';
import type { FileFacts } from '../../analysis/model/types.js';
import { parseManifest, parseRendered } from '../../analysis/syntax/parse.js';
import { readManifest, readRendered, skimStats } from '../../analysis/syntax/schemaSkim.js';
import type { SkimLimits } from '../../analysis/syntax/schemaSkim.js';
import { rng } from './fuzz.js';

/** Skim texts of any size. */
export const ANY: SkimLimits = { minLength: 0, minLines: 0 };

/** Facts without what differs between two readings of one text by construction (serials, document ids). */
function comparable(f: FileFacts): unknown {
  return JSON.parse(
    JSON.stringify({ ...f, serial: 0, documents: f.documents?.map((d) => ({ ...d, id: 0 })) }, (_k, v: unknown) =>
      v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v,
    ),
  );
}

/**
 * Asserts that the host's reading of `text` at `uri` (`readManifest`) has the full reading's facts,
 * and with `rendered` that a template's rendered output (`readRendered`) has `parseRendered`'s; true
 * when `readManifest` took the skimmed reading.
 */
export function sameFacts(uri: string, text: string, what: string, limits: SkimLimits = ANY, rendered = false): boolean {
  const full = lowerFile(uri, text, parseManifest(text), 1);
  const before = skimStats.files;
  const read = lowerFile(uri, text, readManifest(text, {}, limits), 1);
  assert.deepEqual(comparable(read), comparable(full), what);
  const took = skimStats.files > before;
  if (rendered)
    assert.deepEqual(
      comparable(lowerFile(uri, text, readRendered(text, limits), 1)),
      comparable(lowerFile(uri, text, parseRendered(text), 1)),
      `${what} (rendered)`,
    );
  return took;
}

export interface Mutations {
  /** The text's lines; mutations go at lines `first` … `last - 1`. */
  readonly lines: readonly string[];
  readonly first: number;
  readonly last: number;
  /** Lines put in, appended to or half-appended to a line. */
  readonly put: readonly string[];
  /** Indentation of a line put in: 0 … `indent - 1` spaces. */
  readonly indent: number;
  readonly count: number;
  readonly seed: number;
}

/**
 * `count` seeded mutations of a text (one or two lines each: a line put in, appended, or an existing
 * line's indentation shifted), each checked with `check`; how many it said were skimmed.
 */
export function mutate(m: Mutations, check: (text: string, what: string) => boolean): { skimmed: number; full: number } {
  const random = rng(m.seed);
  let skimmed = 0;
  let full = 0;
  for (let n = 0; n < m.count; n++) {
    const out = [...m.lines];
    for (let k = 1 + Math.floor(random() * 2); k > 0; k--) {
      const at = m.first + Math.floor(random() * (m.last - m.first));
      const indent = ' '.repeat(Math.floor(random() * m.indent));
      const line = m.put[Math.floor(random() * m.put.length)] ?? '';
      const r = random();
      if (r < 0.6) out.splice(at, 0, indent + line);
      else if (r < 0.8) out[at] = (out[at] ?? '') + (random() < 0.5 ? ' ' + line : line.slice(0, 3));
      else out[at] = ' '.repeat(Math.floor(random() * 3)) + (out[at] ?? '').trimStart().padStart((out[at] ?? '').length - 1);
    }
    const text = out.join('\n');
    if (check(text, `mutation ${n}:\n${text}`)) skimmed++;
    else full++;
  }
  return { skimmed, full };
}
