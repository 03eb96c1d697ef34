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
import { crossCheck, incrementalCheck } from '../conformance/crossCheck.js';

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

const EXTRA_POLICY = `
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: added-by-edit, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 7777}]
`;

for (const f of readdirSync(fixtures).filter((x) => x.endsWith('.yaml')).sort()) {
  test(`incremental engine and matrix equal fresh ones after edits: ${f}`, () => {
    const text = readFileSync(join(fixtures, f), 'utf8');
    const settingsText = text
      .split('\n')
      .filter((l) => l.startsWith('#! '))
      .map((l) => l.slice(3))
      .join('\n');
    const { settings } = readSettings(parseYaml(settingsText) ?? {});
    // Policies in a file of their own, so an edit to them leaves the other objects' lowering alone
    // and the engine reuses its class model.
    const docs = text.split(/^---$/m);
    const isPolicy = (d: string): boolean => /^kind: NetworkPolicy$/m.test(d);
    const uri = `file:///fixtures/${f}.policies.yaml`;
    const files = new Map([
      [`file:///fixtures/${f}`, docs.filter((d) => !isPolicy(d)).join('---')],
      [uri, `---${docs.filter(isPolicy).join('---')}`],
    ]);
    // A new policy in a namespace that already has one leaves the class model alone.
    const reuse = docs.filter(isPolicy).some((d) => /namespace: shop\b/.test(d));
    incrementalCheck(`${f} + policy`, files, settings, uri, (t) => t + EXTRA_POLICY, reuse);
    incrementalCheck(`${f} ports`, files, settings, uri, (t) => t.replace(/port: (\d+)/, (_, p: string) => `port: ${Number(p) + 1}`));
    incrementalCheck(`${f} selector`, files, settings, uri, (t) => t.replace('matchLabels: {app: web}', 'matchLabels: {app: api}'));
  });
}
