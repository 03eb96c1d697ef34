/**
 * A connection list with a scope (`computeReach(engine, namespace)`: the panel's namespace; a set
 * of namespaces: the lines a policy edit may change) holds exactly the lines of the whole list
 * between pod nodes and external ranges that have an end in the scope, on every reachability
 * fixture and for every namespace (`scopedPairs.ts` finds those pairs from the scope's side).
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import type { Connection } from '../../analysis/reachability/connectionList.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';
import type { ReachEngine } from '../../analysis/reachability/engine.js';
import { optionsFromSettings } from '../../analysis/reachability/engine.js';
import { ReachEngine as Engine } from '../../analysis/reachability/engine.js';
import { parseFixture } from '../support/fixture.js';

const dir = join(__dirname, '..', 'fixtures', 'reachability');

function engineOf(name: string): ReachEngine {
  const text = readFileSync(join(dir, name), 'utf8');
  const settingsLines = text
    .split('\n')
    .filter((l) => l.startsWith('#! '))
    .map((l) => l.slice(3));
  const { settings } = readSettings(parseYaml(settingsLines.join('\n')) ?? {});
  const host = new AnalysisHost(settings);
  const fx = parseFixture(name.replace(/\.yaml$/, ''), text);
  if (fx.multi) for (const f of fx.files) host.setFile(f.uri, f.text);
  else host.setFile(`file:///fixtures/${name}`, text);
  return new Engine(host.snapshot(), optionsFromSettings(settings));
}

/** The lines between pod nodes and external ranges (entry-point lines follow rules of their own), as text. */
function podLines(engine: ReachEngine, list: readonly Connection[], scope: ReadonlySet<string>): string[] {
  const synthetic = new Set(engine.classes.filter((c) => c.synthetic).map((c) => c.node));
  const inScope = (id: string): boolean => scope.has(engine.node(id)?.namespace ?? '\u0000');
  return list
    .filter((c) => !synthetic.has(c.from) && !synthetic.has(c.to) && (inScope(c.from) || inScope(c.to)))
    .map((c) => `${c.from} -> ${c.to} ${c.allowed.join(',')}/${c.undefined.join(',')} ${c.reasons.join(';')}`);
}

const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

test('every fixture has namespaces to scope to', () => assert.ok(fixtures.length > 50));

for (const name of fixtures) {
  test(`${name}: a scoped list is the whole list's lines with an end in the scope`, () => {
    const engine = engineOf(name);
    const whole = computeReach(engine).connections;
    const namespaces = [...engine.namespaces.keys()].sort();
    for (const ns of namespaces) {
      const scoped = computeReach(engine, ns).connections;
      assert.deepEqual(podLines(engine, scoped, new Set([ns])), podLines(engine, whole, new Set([ns])), `namespace ${ns}`);
    }
    // Two namespaces at once (the namespaces a policy edit changed).
    if (namespaces.length >= 2) {
      const two = new Set(namespaces.slice(0, 2));
      assert.deepEqual(podLines(engine, computeReach(engine, two).connections, two), podLines(engine, whole, two));
    }
  });
}
