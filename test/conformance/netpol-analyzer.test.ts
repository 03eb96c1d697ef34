/**
 * Conformance (docs/dev/design.md §8): every netpol-analyzer case vendored in `netpol-analyzer/` (provenance
 * and format in README.md beside this file) through the public `kube-reach reach --format text`,
 * with the engine options of `netpol-analyzer.kube-reach.yaml`. A case matches exactly, or an
 * override in `overrides/<case>.json` cites the numbered analyzer choice of README.md and records
 * the exact line differences; any other difference fails. Prints "N exact, M by design". Reads
 * only the repository and never skips.
 */

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readSettings } from '../../analysis/index.js';
import { main } from '../../cli/main.js';
import { crossCheck, explainCheck } from './crossCheck.js';

const here = __dirname;
const repo = resolve(here, '../..');
const casesDir = join(here, 'netpol-analyzer');
const readme = join(here, 'README.md');
const config = join(here, 'netpol-analyzer.kube-reach.yaml');
const overridesDir = join(here, 'overrides');

interface Override {
  readonly case: string;
  readonly choice: number;
  readonly reason: string;
  readonly onlyExpected: readonly string[];
  readonly onlyOurs: readonly string[];
}

function readOverride(name: string): Override | undefined {
  const file = join(overridesDir, `${name}.json`);
  if (!existsSync(file)) return undefined;
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(typeof raw === 'object' && raw !== null, `${file}: not an object`);
  const o = raw as Record<string, unknown>;
  const lines = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  assert.equal(o['case'], name, `${file}: "case" must name the case`);
  assert.ok(typeof o['choice'] === 'number' && Number.isInteger(o['choice']), `${file}: "choice" must be the analyzer choice number`);
  assert.ok(typeof o['reason'] === 'string' && o['reason'].length > 40, `${file}: "reason" must explain the difference`);
  return {
    case: name,
    choice: o['choice'] as number,
    reason: o['reason'] as string,
    onlyExpected: lines(o['onlyExpected']),
    onlyOurs: lines(o['onlyOurs']),
  };
}

/** The analyzer choice numbers that README marks "(analyzer choice)". */
function documentedChoices(): Set<number> {
  const text = readFileSync(readme, 'utf8');
  const section = text.split('## Semantics used by netpol-analyzer')[1]?.split('\n## ')[0] ?? '';
  const out = new Set<number>();
  for (const m of section.matchAll(/^(\d+)\. ([\s\S]*?)(?=^\d+\. |$(?![\s\S]))/gm)) {
    if ((m[2] ?? '').includes('(analyzer choice)')) out.add(Number(m[1]));
  }
  return out;
}

function trimLines(s: string): string[] {
  return s
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

function readTree(dir: string, out: Map<string, string>): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) readTree(p, out);
    else if (/\.(ya?ml|json)$/.test(name)) out.set(`file://${p}`, readFileSync(p, 'utf8'));
  }
}

async function reachText(inputs: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['reach', inputs, '--format', 'text', '--config', config], {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    cwd: repo,
  });
  return { code, out, err };
}

test('netpol-analyzer conformance', async (t) => {
  const cases = readdirSync(casesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(casesDir, d.name, 'expected', 'connlist_output.txt')))
    .map((d) => d.name)
    .sort();
  const index = JSON.parse(readFileSync(join(casesDir, 'index.json'), 'utf8')) as { cases?: Array<{ case?: string; expected?: string[] }> };
  const listed = (index.cases ?? [])
    .filter((c) => c.expected?.includes('expected/connlist_output.txt') === true)
    .map((c) => c.case ?? '')
    .sort();
  assert.deepEqual(cases, listed, 'the connlist cases on disk are the ones index.json lists');
  assert.equal(cases.length, 46, 'the vendored suite has its 46 connection-list cases');
  assert.ok(
    existsSync(join(casesDir, 'LICENSE')) && existsSync(join(casesDir, 'SOURCE.md')),
    'the licence and provenance are vendored with the cases',
  );
  const choices = documentedChoices();
  assert.ok(choices.size > 0, 'README.md marks no analyzer choice: its "Semantics used by netpol-analyzer" section is missing');
  let exact = 0;
  let byDesign = 0;
  const used = new Set<string>();
  for (const name of cases) {
    await t.test(name, async () => {
      const expected = trimLines(readFileSync(join(casesDir, name, 'expected', 'connlist_output.txt'), 'utf8'));
      const r = await reachText(join(casesDir, name, 'inputs'));
      assert.equal(r.code, 0, r.err);
      const ours = trimLines(r.out);
      // The listing comes from the all-pairs matrix; it must agree with the per-pair path of explain.
      const files = new Map<string, string>();
      readTree(join(casesDir, name, 'inputs'), files);
      const settings = readSettings(parseYaml(readFileSync(config, 'utf8'))).settings;
      crossCheck(name, files, settings);
      // Every connection listed is confirmed by explain under the same names.
      explainCheck(name, files, settings);
      const override = readOverride(name);
      if (override !== undefined) used.add(name);
      if (ours.join('\n') === expected.join('\n')) {
        assert.equal(override, undefined, `${name} matches exactly: remove its stale override`);
        exact++;
        return;
      }
      const ourSet = new Set(ours);
      const expSet = new Set(expected);
      const onlyExpected = expected.filter((l) => !ourSet.has(l));
      const onlyOurs = ours.filter((l) => !expSet.has(l));
      assert.ok(
        override !== undefined,
        `${name} differs from netpol-analyzer and has no override:\n- ${onlyExpected.join('\n- ')}\n+ ${onlyOurs.join('\n+ ')}`,
      );
      assert.ok(
        choices.has(override.choice),
        `${name}: override cites choice ${override.choice}, which README does not mark "(analyzer choice)" (${[...choices].join(', ')})`,
      );
      assert.deepEqual(
        { onlyExpected, onlyOurs },
        { onlyExpected: override.onlyExpected, onlyOurs: override.onlyOurs },
        `${name}: the difference is not the one the override records`,
      );
      byDesign++;
    });
  }
  for (const f of existsSync(overridesDir) ? readdirSync(overridesDir) : []) {
    assert.ok(used.has(f.replace(/\.json$/, '')), `override ${f} names no case`);
  }
  const summary = `${exact} exact, ${byDesign} by design`;
  t.diagnostic(summary);
  console.log(`netpol-analyzer conformance: ${summary} (of ${cases.length} cases)`);
  assert.equal(exact + byDesign, cases.length);
});
