/**
 * The engine over a few namespaces (`Analysis.scopedEngine`, what the reachability checks read)
 * gives the workspace engine's verdict (`kube-reach reach/explain`) for every pair of pods of those
 * namespaces, virtual pods included, at every port: policies are namespaced, so nothing else can
 * matter. Checked on every reachability fixture and every fixture of the checks that use it.
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import type { Analysis } from '../../analysis/index.js';
import { bits, setBit } from '../../analysis/reachability/bitset.js';
import type { PodClass, ReachEngine } from '../../analysis/reachability/engine.js';
import { PROTOCOLS } from '../../analysis/reachability/ports.js';
import { verdictAt } from '../../analysis/checks/support/checkEngine.js';
import { analyseFixture, parseFixture } from '../support/fixture.js';

const fixtures = join(__dirname, '..', 'fixtures');

function reachabilityFixture(name: string): Analysis {
  const text = readFileSync(join(fixtures, 'reachability', name), 'utf8');
  const settingsLines = text
    .split('\n')
    .filter((l) => l.startsWith('#! '))
    .map((l) => l.slice(3));
  const { settings, problems } = readSettings(parseYaml(settingsLines.join('\n')) ?? {});
  assert.deepEqual(problems, []);
  const host = new AnalysisHost(settings);
  host.setFile(`file:///fixtures/${name}`, text);
  return host.snapshot();
}

/** The first port of every atom of the workspace engine, per protocol (its cuts refine the scoped engine's). */
function probePorts(engine: ReachEngine): Array<{ protocol: (typeof PROTOCOLS)[number]; port: number }> {
  const out: Array<{ protocol: (typeof PROTOCOLS)[number]; port: number }> = [];
  for (let a = 0; a < engine.space.size; a++) {
    const one = bits(engine.space.size);
    setBit(one, a);
    for (const r of engine.space.ranges(one)) out.push({ protocol: r.protocol, port: r.port });
  }
  return out;
}

function sameClass(engine: ReachEngine, c: PodClass): number | undefined {
  return engine.classes.find(
    (x) =>
      x.namespace === c.namespace &&
      x.ordinal === c.ordinal &&
      (c.obj !== undefined ? x.obj === c.obj : x.kind === c.kind && x.name === c.name),
  )?.index;
}

function compare(label: string, analysis: Analysis, unit?: string): number {
  const full = analysis.reachEngine(unit);
  const ports = probePorts(full);
  let compared = 0;
  for (const a of full.classes) {
    for (const b of full.classes) {
      if (a === b) continue;
      const scoped = analysis.scopedEngine([a.namespace, b.namespace], unit);
      const sa = sameClass(scoped, a);
      const sb = sameClass(scoped, b);
      if (sa === undefined || sb === undefined) {
        // Only an ingress-controller stand-in may be missing: the scope has no Ingress to need it.
        assert.ok(
          [a, b].some((c) => c.kind === 'IngressController'),
          `${label}: ${a.node} or ${b.node} missing from the scoped engine`,
        );
        continue;
      }
      const vf = full.pair({ kind: 'class', index: a.index }, { kind: 'class', index: b.index });
      const vs = scoped.pair({ kind: 'class', index: sa }, { kind: 'class', index: sb });
      for (const { protocol, port } of ports) {
        assert.equal(
          verdictAt(scoped, vs, protocol, port),
          verdictAt(full, vf, protocol, port),
          `${label}: ${a.node} → ${b.node} on ${protocol} ${port}`,
        );
        compared++;
      }
    }
  }
  return compared;
}

test('scoped engines agree with the workspace engine on every reachability fixture', () => {
  let n = 0;
  for (const name of readdirSync(join(fixtures, 'reachability'))
    .filter((f) => f.endsWith('.yaml'))
    .sort())
    n += compare(name, reachabilityFixture(name));
  assert.ok(n > 1000, `only ${n} verdicts compared`);
});

test('scoped engines agree with the workspace engine on the fixtures of the checks that read them', () => {
  let n = 0;
  for (const code of ['ingress-backend-blocked', 'netpol-egress-blocks-dns', 'ingress-acme-solver-blocked']) {
    const dir = join(fixtures, 'checks', code);
    for (const name of readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()) {
      const fx = parseFixture(`checks/${code}/${name}`, readFileSync(join(dir, name), 'utf8'));
      n += compare(`${code}/${name}`, analyseFixture(fx).analysis);
    }
  }
  assert.ok(n > 100, `only ${n} verdicts compared`);
});

test("a floating unit's scoped engine (what the checks judge namespace-less manifests on) agrees with the engine of that unit", () => {
  let n = 0;
  let units = 0;
  for (const code of ['ingress-backend-blocked', 'netpol-egress-blocks-dns', 'ingress-acme-solver-blocked']) {
    const dir = join(fixtures, 'checks', code);
    for (const name of readdirSync(dir)
      .filter((f) => f.startsWith('namespace-less'))
      .sort()) {
      const fx = parseFixture(`checks/${code}/${name}`, readFileSync(join(dir, name), 'utf8'));
      const analysis = analyseFixture(fx).analysis;
      const floating = new Set(analysis.index.objects.flatMap((p) => p.placements.filter((pl) => pl.floating).map((pl) => pl.unit)));
      for (const unit of floating) {
        units++;
        n += compare(`${code}/${name} (${unit})`, analysis, unit);
      }
    }
  }
  assert.ok(units >= 5 && n > 100, `only ${units} units, ${n} verdicts compared`);
});
