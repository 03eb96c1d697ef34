/**
 * The all-pairs matrix (behaviour groups, per-atom entries) must give exactly the verdict of the
 * per-pair engine path (`ReachEngine.pair`, which `explain` uses) for every ordered pair of pod
 * classes and external ranges, on every reachability fixture (the conformance run does the same
 * on every peer case).
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readSettings } from '../../analysis/index.js';
import { crossCheck } from '../conformance/crossCheck.js';

const fixtures = join(__dirname, '..', 'fixtures', 'reachability');
for (const f of readdirSync(fixtures).filter((x) => x.endsWith('.yaml')).sort()) {
  test(`matrix agrees with the per-pair engine: ${f}`, () => {
    const text = readFileSync(join(fixtures, f), 'utf8');
    const settingsText = text
      .split('\n')
      .filter((l) => l.startsWith('#! '))
      .map((l) => l.slice(3))
      .join('\n');
    const { settings } = readSettings(parseYaml(settingsText) ?? {});
    crossCheck(f, new Map([[`file:///fixtures/${f}`, text]]), settings);
  });
}
