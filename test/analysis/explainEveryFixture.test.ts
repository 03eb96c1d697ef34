/**
 * Issue 14, point 1: every connection `reach` lists is answered "allowed" by `explain` under the
 * same names, on every fixture of the repository. The reachability fixtures, examples/, the CLI
 * workspace and the conformance cases have it in reachability-matrix.test.ts and
 * netpol-analyzer.test.ts; this runs it on the check and fix fixtures (annotated manifests, Helm
 * charts, Kustomize trees, hostile inputs), each with its `#!` settings.
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readSettings } from '../../analysis/index.js';
import { explainCheck } from '../conformance/crossCheck.js';
import { parseFixture } from '../support/fixture.js';

const root = join(__dirname, '..', 'fixtures');

function fixtureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...fixtureFiles(p));
    else if (/\.ya?ml$/.test(e.name) && !e.name.endsWith('.expected.yaml')) out.push(p);
  }
  return out.sort();
}

for (const [folder, least] of [
  ['checks', 1000],
  ['fixes', 300],
] as const) {
  test(`explain confirms every connection reach lists: every ${folder} fixture`, () => {
    let asked = 0;
    let fixtures = 0;
    for (const path of fixtureFiles(join(root, folder))) {
      const name = path.slice(root.length + 1).replace(/\.ya?ml$/, '');
      const fx = parseFixture(name, readFileSync(path, 'utf8'));
      const raw: unknown = fx.settingsLines.length === 0 ? undefined : parseYaml(fx.settingsLines.map((l) => l.slice(3)).join('\n'));
      const { settings } = readSettings(raw);
      const files = new Map(fx.files.filter((f) => !f.path.endsWith('.gitignore')).map((f) => [f.uri, f.text] as const));
      asked += explainCheck(name, files, settings);
      fixtures++;
    }
    assert.ok(fixtures > 50, `only ${fixtures} fixtures`);
    assert.ok(asked > least, `only ${asked} probes`);
  });
}
