/**
 * Findings about objects of packed subcharts (`charts/*.tgz`, handed to the host unpacked, as
 * support files) name them in words a user finds (`charts/queue-1.0.0.tgz: queue/templates/x.yaml`),
 * and every place a finding or its related information points to is a file the workspace has: the
 * archive's dependency entry in Chart.yaml or a values entry, never the unpacked path (units/helmPacked.ts).
 * Run over every check fixture that holds a packed subchart.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyseFixture, parseFixture } from '../support/fixture.js';

const root = join(__dirname, '..', 'fixtures', 'checks');
const PACKED = /\/charts\/[^/]+\.tgz\//;

describe('findings about packed subcharts point at files of the workspace', () => {
  const fixtures: string[] = [];
  for (const folder of readdirSync(root).sort())
    for (const f of readdirSync(join(root, folder)).sort())
      if (f.endsWith('.yaml') && PACKED.test(readFileSync(join(root, folder, f), 'utf8').replace(/^#- /gm, '/')))
        fixtures.push(`${folder}/${f}`);
  assert.ok(fixtures.length >= 5, fixtures.join(', '));
  for (const name of fixtures) {
    it(name, () => {
      const fx = parseFixture(`checks/${name.replace(/\.yaml$/, '')}`, readFileSync(join(root, name), 'utf8'));
      const { analysis } = analyseFixture(fx);
      const analysed = new Set(fx.files.filter((f) => !PACKED.test(`/${f.path}`)).map((f) => f.uri));
      const unpacked = fx.files.filter((f) => PACKED.test(`/${f.path}`));
      for (const [uri, diags] of analysis.diagnostics()) {
        for (const d of diags) {
          assert.ok(analysed.has(uri), `${d.code} on ${uri}`);
          for (const r of d.related ?? []) {
            assert.ok(analysed.has(r.uri), `${d.code}: related information on ${r.uri} (${r.message})`);
          }
          // A packed file is named by its archive: never by the unpacked path alone (Helm's own
          // `execution error at (shop/charts/queue/templates/x.yaml:…)` is followed by the archive).
          for (const text of [d.message, ...(d.related ?? []).map((r) => r.message)])
            for (const f of unpacked) {
              const inner = f.path.slice(f.path.search(PACKED) + 1).replace(/^charts\/[^/]+\.tgz\//, '');
              const unpackedPath = `charts/${inner}`;
              if (text.includes(unpackedPath) && !text.includes(`${inner} in charts/`))
                assert.fail(`${d.code}: "${text}" names ${unpackedPath}, not its archive`);
            }
        }
      }
    });
  }
});

describe('a packed object named in related information lands on its dependency entry', () => {
  it('netpol-selects-nothing: the packed Deployment that nearly matches', () => {
    const name = 'netpol-selects-nothing/helm-packed-subchart.yaml';
    const fx = parseFixture(`checks/${name.replace(/\.yaml$/, '')}`, readFileSync(join(root, name), 'utf8'));
    const { analysis } = analyseFixture(fx);
    const chart = fx.files.find((f) => f.path === 'shop/Chart.yaml');
    assert.ok(chart !== undefined);
    const found = [...analysis.diagnostics().values()].flat().filter((d) => d.code === 'netpol-selects-nothing');
    const rel = found.flatMap((d) => d.related ?? []);
    assert.ok(rel.length > 0, JSON.stringify(found));
    for (const r of rel) {
      assert.equal(r.uri, chart.uri);
      // The `name:` of the dependency `queue`.
      assert.equal(chart.text.slice(r.span.start, r.span.end), 'queue');
      assert.match(r.message, /charts\/queue-1\.0\.0\.tgz: queue\/templates\/deployment\.yaml/);
    }
  });
});

describe('navigation to a packed object opens its dependency entry', () => {
  it("definition from the parent's Ingress backend to the packed Service, and its hover's path", () => {
    const name = 'ingress-backend-missing/helm-packed-subchart.yaml';
    const fx = parseFixture(`checks/${name.replace(/\.yaml$/, '')}`, readFileSync(join(root, name), 'utf8'));
    const { analysis } = analyseFixture(fx);
    const ingress = fx.files.find((f) => f.path === 'shop/templates/ingress.yaml');
    const chart = fx.files.find((f) => f.path === 'shop/Chart.yaml');
    assert.ok(ingress !== undefined && chart !== undefined);
    const at = ingress.text.indexOf('name: queue') + 'name: q'.length;
    const defs = analysis.definition(ingress.uri, at);
    assert.deepEqual(
      defs.map((d) => `${d.uri === chart.uri ? 'shop/Chart.yaml' : d.uri} ${chart.text.slice(d.span.start, d.span.end)}`),
      ['shop/Chart.yaml queue'],
    );
    const hover = analysis.hover(ingress.uri, at)?.contents ?? '';
    assert.match(hover, /charts\/queue-1\.0\.0\.tgz: queue\/templates\/service\.yaml/);
  });
});
