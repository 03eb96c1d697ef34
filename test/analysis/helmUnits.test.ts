/**
 * Helm units (analysis/units/helm.ts): charts are rendered in the index and the checks run on the
 * rendered objects. A mutation test writes a wrong targetPort into every Service template of our
 * own fixture charts and expects the finding on that template line; an edit renders its chart
 * again and no other, and the incremental pass equals a full one.
 */

import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { parseFixture } from '../support/fixture.js';

const fixtures = join(__dirname, '..', 'fixtures');

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** Our fixture charts: the shop chart (its dependencies that are not vendored left out) and every chart in the check fixtures. */
function charts(): Array<{ name: string; files: Map<string, string> }> {
  const out: Array<{ name: string; files: Map<string, string> }> = [];
  const shop = readTree(join(fixtures, 'helm', 'charts', 'shop'));
  const meta = shop.get('Chart.yaml') ?? '';
  shop.set('Chart.yaml', meta.slice(0, meta.indexOf('  - name: metrics')));
  out.push({ name: 'helm/charts/shop', files: shop });
  const checks = join(fixtures, 'checks');
  for (const folder of readdirSync(checks).sort()) {
    for (const f of readdirSync(join(checks, folder)).sort()) {
      const text = readFileSync(join(checks, folder, f), 'utf8');
      if (!text.includes('/Chart.yaml')) continue;
      const fx = parseFixture(`${folder}/${f}`, text);
      out.push({ name: `checks/${folder}/${f}`, files: new Map(fx.files.map((v) => [v.path, v.text])) });
    }
  }
  return out;
}

function analyse(files: ReadonlyMap<string, string>): { host: AnalysisHost; uri: (p: string) => string } {
  const host = new AnalysisHost();
  const uri = (p: string): string => `file:///ws/${p}`;
  for (const [p, t] of files) {
    if (p.endsWith('.tpl') || !/\.(ya?ml|json)$/.test(p)) host.setSupportFile(uri(p), t);
    else host.setFile(uri(p), t);
  }
  return { host, uri };
}

describe('helm units', () => {
  it('a wrong targetPort written into a Service template is reported on that template line', () => {
    let mutated = 0;
    for (const c of charts()) {
      const { host, uri } = analyse(c.files);
      const before = host.snapshot();
      // Charts with a template that does not render are read in part as templates (unknown values).
      if (before.helmNotes().length > 0) continue;
      for (const [path, text] of c.files) {
        if (!/(^|\/)templates\/.*\.ya?ml$/.test(path)) continue;
        const u = uri(path);
        const rendered = before.index.renderedTemplate(u);
        // A Service that renders and selects pods (else no port of theirs can be wrong).
        if (rendered === undefined || !rendered.objects.some((o) => o.kind === 'Service')) continue;
        if (before.diagnosticsFor(u).some((d) => d.code === 'service-selector-no-match')) continue;
        const lines = text.split('\n');
        const at = lines.findIndex((l) => /^\s*(-\s+)?targetPort:\s*[^\s{]+\s*$/.test(l));
        if (at === -1) continue;
        lines[at] = (lines[at] ?? '').replace(/targetPort:.*$/, 'targetPort: no-such-port');
        const { host: h2 } = analyse(new Map([...c.files, [path, lines.join('\n')]]));
        const after = h2.snapshot();
        const hit = after
          .diagnosticsFor(u)
          .find((d) => d.code.startsWith('service-target-port-') && after.positionAt(u, d.span.start).line === at);
        assert.ok(hit !== undefined, `${c.name}: ${path}:${at + 1}: ${JSON.stringify(after.diagnosticsFor(u).map((d) => d.code))}`);
        mutated++;
      }
    }
    assert.ok(mutated >= 2, `only ${mutated} Service templates mutated`);
  });

  it('an edit to a template renders its chart again and no other; the derived pass equals a full one', () => {
    const shop = charts()[0];
    assert.ok(shop !== undefined);
    const files = new Map<string, string>();
    for (const [p, t] of shop.files) {
      files.set(`a/${p}`, t);
      files.set(`b/${p}`, t);
    }
    const { host, uri } = analyse(files);
    const first = host.snapshot();
    const layout = first.index.helmLayout();
    const svc = 'a/templates/service.yaml';
    host.setFile(uri(svc), (files.get(svc) ?? '').replace(/targetPort: \w+/, 'targetPort: nope'));
    const second = host.snapshot();
    const next = second.index.helmLayout();
    assert.equal(next.renders.get(uri('b')), layout.renders.get(uri('b')), 'chart b is not rendered again');
    assert.notEqual(next.renders.get(uri('a')), layout.renders.get(uri('a')), 'chart a is rendered again');
    assert.ok(second.diagnosticsFor(uri(svc)).some((d) => d.code === 'service-target-port-unknown'));
    const full = analyse(new Map([...files, [svc, (files.get(svc) ?? '').replace(/targetPort: \w+/, 'targetPort: nope')]])).host.snapshot();
    for (const u of full.uris()) assert.deepEqual(second.diagnosticsFor(u), full.diagnosticsFor(u), u);
  });
});
