/**
 * A chart rendered again after an edit in its templates (analysis/render/helm/memo.ts) runs only
 * the templates the edit can change, and gives exactly what a full render gives: our fixture charts
 * (the shop chart and every chart in the check fixtures), each template edited in ways that change
 * its output, that write into the values, and that add a `define`.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { loadChart } from '../../analysis/render/helm/chart.js';
import { renderChart } from '../../analysis/render/helm/render.js';
import type { RenderResult } from '../../analysis/render/helm/render.js';
import { parseFixture } from '../support/fixture.js';

const fixtures = join(__dirname, '..', 'fixtures');

function readTree(dir: string, base = dir, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) readTree(p, base, out);
    else out.set(relative(base, p).split('\\').join('/'), readFileSync(p, 'utf8'));
  }
  return out;
}

/** Our fixture charts: the shop chart and every chart folder of the check fixtures, as chart-relative files. */
function charts(): Array<{ name: string; files: Map<string, string> }> {
  const out = [{ name: 'helm/charts/shop', files: readTree(join(fixtures, 'helm', 'charts', 'shop')) }];
  const checks = join(fixtures, 'checks');
  for (const folder of readdirSync(checks).sort()) {
    for (const f of readdirSync(join(checks, folder)).sort()) {
      const text = readFileSync(join(checks, folder, f), 'utf8');
      if (!text.includes('/Chart.yaml') && !text.startsWith('#- Chart.yaml')) continue;
      const fx = parseFixture(`${folder}/${f}`, text);
      const all = new Map(fx.files.map((v) => [v.path, v.text]));
      for (const path of all.keys()) {
        const m = /^(.*?)\/?Chart\.yaml$/.exec(path);
        if (m === null) continue;
        const dir = m[1] === '' ? '' : `${m[1] ?? ''}/`;
        // A chart folder (its subcharts in charts/ with it), not one inside another's charts/.
        if (dir.includes('/charts/')) continue;
        const files = new Map<string, string>();
        for (const [p, t] of all) if (p.startsWith(dir)) files.set(p.slice(dir.length), t);
        out.push({ name: `checks/${folder}/${f}:${dir}`, files });
      }
    }
  }
  return out;
}

const OPTIONS = { releaseName: 'prod', namespace: 'shop', manifests: false } as const;

function render(files: ReadonlyMap<string, string>, previous?: RenderResult): RenderResult {
  const chart = loadChart(files);
  assert.ok(chart !== undefined);
  return renderChart(chart, { ...OPTIONS, ...(previous !== undefined ? { previous: previous.memo } : {}) });
}

function comparable(r: RenderResult): unknown {
  return {
    templates: r.templates.map((t) => ({ name: t.name, text: t.text, segments: t.segments, error: t.error })),
    parseErrors: r.parseErrors,
    filesRead: [...r.filesRead].sort(),
    missing: r.missing,
  };
}

/** Edits of one template: its output changes; it writes into the values; it defines a template. */
const EDITS: ReadonlyArray<[string, (text: string) => string]> = [
  ['output', (t) => `# edited\n${t}`],
  ['values write', (t) => `{{- $_ := set .Values "edited" true }}\n${t}`],
  ['define', (t) => `${t}\n{{- define "edited.helper" }}x{{ end }}\n`],
];

describe('helm render memo', () => {
  it('a render after an edit in one template equals a full render, and keeps what unaffected templates wrote', () => {
    let kept = 0;
    let edits = 0;
    // Edits in charts with more than one rendered template: only there can a template be kept.
    let keepable = 0;
    for (const c of charts()) {
      const before = render(c.files);
      const several = before.templates.length > 1;
      for (const path of c.files.keys()) {
        if (!/(^|\/)templates\//.test(path)) continue;
        for (const [what, edit] of EDITS) {
          const files = new Map([...c.files, [path, edit(c.files.get(path) ?? '')]]);
          const again = render(files, before);
          assert.deepEqual(comparable(again), comparable(render(files)), `${c.name}: ${path} (${what})`);
          // A chart with one template has no unaffected template to keep: only the others count.
          if (before.templates.length < 2) continue;
          for (const t of again.templates) if (before.memo.runs.get(t.name)?.result === t) kept++;
          edits++;
          if (several) keepable++;
        }
      }
    }
    assert.ok(edits > 100, `${edits} edits`);
    assert.ok(kept > keepable / 2, `only ${kept} templates kept over ${keepable} edits in charts of several templates`);
  });

  it('runs the edited template and the templates that include it; a write into the values or a define runs every one', () => {
    const files = readTree(join(fixtures, 'helm', 'charts', 'shop'));
    const before = render(files);
    const ran = (r: RenderResult): string[] =>
      r.templates.filter((t) => before.memo.runs.get(t.name)?.result !== t).map((t) => t.name.replace(/^shop\//, ''));
    const edited = (path: string, edit: (t: string) => string): RenderResult =>
      render(new Map([...files, [path, edit(files.get(path) ?? '')]]), before);
    // The Service is included by nothing; the ConfigMap by the Deployment's checksum annotation.
    assert.deepEqual(ran(edited('templates/service.yaml', (t) => `${t}# x\n`)), ['templates/service.yaml']);
    assert.deepEqual(ran(edited('templates/configmap.yaml', (t) => `${t}# x\n`)), [
      'templates/configmap.yaml',
      'templates/deployment.yaml',
    ]);
    // Nothing changed: nothing runs again.
    assert.deepEqual(ran(render(files, before)), []);
    const all = before.templates.map((t) => t.name.replace(/^shop\//, ''));
    assert.ok(all.length >= 4, all.join(', '));
    assert.deepEqual(ran(edited('templates/service.yaml', (t) => `{{- $_ := set .Values.service "edited" true }}\n${t}`)), all);
    assert.deepEqual(ran(edited('templates/_helpers.tpl', (t) => `${t}\n`)), all);
    // A render whose templates wrote into the values is never kept from.
    const writes = render(
      new Map([...files, ['templates/service.yaml', `{{- $_ := set .Values "w" 1 }}\n${files.get('templates/service.yaml') ?? ''}`]]),
    );
    assert.equal(writes.memo.sharedWrite, true);
    // So is one whose templates wrote into `.Chart`'s maps (Chart.yaml's annotations).
    const meta = `${files.get('Chart.yaml') ?? ''}annotations:\n  team: shop\n`;
    const annotated = new Map([...files, ['Chart.yaml', meta]]);
    assert.equal(render(annotated).memo.sharedWrite, false);
    const chartWrite = `{{- $_ := set .Chart.Annotations "w" "1" }}\n${files.get('templates/service.yaml') ?? ''}`;
    assert.equal(render(new Map([...annotated, ['templates/service.yaml', chartWrite]])).memo.sharedWrite, true);
    assert.equal(before.memo.sharedWrite, false);
  });
});
