/**
 * The all-pairs matrix (behaviour groups, per-atom entries) must give exactly the verdict of the
 * per-pair engine path (`ReachEngine.pair`, which `explain` uses) for every ordered pair of pod
 * classes and external ranges, on every reachability fixture (the conformance run does the same
 * on every peer case).
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { readSettings } from '../../analysis/index.js';
import { crossCheck, explainCheck, incrementalCheck } from '../conformance/crossCheck.js';

const fixtures = join(__dirname, '..', 'fixtures', 'reachability');
for (const f of readdirSync(fixtures)
  .filter((x) => x.endsWith('.yaml'))
  .sort()) {
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
  test(`explain confirms every connection reach lists: ${f}`, () => {
    const text = readFileSync(join(fixtures, f), 'utf8');
    const settingsText = text
      .split('\n')
      .filter((l) => l.startsWith('#! '))
      .map((l) => l.slice(3))
      .join('\n');
    const { settings } = readSettings(parseYaml(settingsText) ?? {});
    explainCheck(f, new Map([[`file:///fixtures/${f}`, text]]), settings);
  });
}

/** The files of a folder, read recursively (manifests only). */
function folder(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) folder(p, out);
    else if (/\.ya?ml$/.test(e.name)) out.set(`file://${p}`, readFileSync(p, 'utf8'));
  }
  return out;
}

for (const [name, dir] of [
  ['examples/', join(__dirname, '..', '..', 'examples')],
  ['the CLI fixture workspace', join(fixtures, 'cli', 'workspace')],
] as const) {
  test(`explain confirms every connection reach lists: ${name}`, () => {
    const asked = explainCheck(name, folder(dir), readSettings({}).settings);
    assert.ok(asked > 10, `${name}: only ${asked} probes`);
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

for (const f of readdirSync(fixtures)
  .filter((x) => x.endsWith('.yaml'))
  .sort()) {
  test(`incremental engine and matrix equal fresh ones after edits: ${f}`, () => {
    const text = readFileSync(join(fixtures, f), 'utf8');
    const settingsText = text
      .split('\n')
      .filter((l) => l.startsWith('#! '))
      .map((l) => l.slice(3))
      .join('\n');
    const { settings } = readSettings(parseYaml(settingsText) ?? {});
    // Each policy in a file of its own, so an edit to one leaves the other objects' lowering alone:
    // the engine reuses its class model and the policies it compiled before.
    const docs = text.split(/^---$/m);
    const isPolicy = (d: string): boolean => /^kind: NetworkPolicy$/m.test(d);
    const policyDocs = docs.filter(isPolicy);
    const files = new Map([[`file:///fixtures/${f}`, docs.filter((d) => !isPolicy(d)).join('---')]]);
    policyDocs.forEach((d, i) => files.set(`file:///fixtures/${f}.policy-${i}.yaml`, `---${d}`));
    const added = `file:///fixtures/${f}.policy-added.yaml`;
    // A new policy in a namespace that already has one leaves the class model alone.
    const reuse = policyDocs.some((d) => /namespace: shop\b/.test(d));
    incrementalCheck(`${f} + policy`, files, settings, added, () => EXTRA_POLICY, reuse);
    const withPort = [...files.keys()].find((u) => /port: \d+/.test(files.get(u) ?? '') && u.includes('.policy-'));
    if (withPort !== undefined)
      incrementalCheck(`${f} ports`, files, settings, withPort, (t) =>
        t.replace(/port: (\d+)/, (_, p: string) => `port: ${Number(p) + 1}`),
      );
    const withWeb = [...files.keys()].find((u) => (files.get(u) ?? '').includes('matchLabels: {app: web}') && u.includes('.policy-'));
    // A peer selector edit changes nothing but the policy: the engine swaps it into the last one's objects.
    if (withWeb !== undefined)
      incrementalCheck(
        `${f} selector`,
        files,
        settings,
        withWeb,
        (t) => t.replace('matchLabels: {app: web}', 'matchLabels: {app: api}'),
        true,
        true,
      );
    const first = [...files.keys()].find((u) => u.includes('.policy-'));
    if (first !== undefined) incrementalCheck(`${f} policy removed`, files, settings, first, () => '');
  });
}
