/**
 * Helm templates in the editor (analysis/ide/helmValues.ts): hover, go to definition and completion
 * on `.Values…` and on `include "name"`. Each fixture in test/fixtures/helm-ide/ is a small
 * workspace (`#- path` files, `#! helm: …` settings) with `$0` at the cursor in a template; the
 * expected hover, definitions and completion items are in the `.expected.txt` beside it
 * (UPDATE_EXPECT=1 rewrites them). Sources are gathered as the server gathers them: the chart
 * folder of the template, its values.yaml, the values files the settings give it, the
 * templates of its chart tree, and the values of the charts above it and of its subcharts.
 */

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  chartRootOf,
  chartTreeRootOf,
  chartValueLayers,
  helmCompletion,
  helmDefinition,
  helmHover,
  helmTargetAt,
  helmValueFilesFor,
  readSettings,
} from '../../analysis/index.js';
import type { HelmChartSources, HelmSource } from '../../analysis/index.js';
import { parseFixture, UPDATE } from '../support/fixture.js';
import type { VirtualFile } from '../support/fixture.js';

const dir = join(__dirname, '..', 'fixtures', 'helm-ide');

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${(before[before.length - 1] ?? '').length + 1}`;
}

function run(name: string, fixtureText: string): string {
  const fx = parseFixture(`helm-ide/${name}`, fixtureText);
  const raw: unknown = fx.settingsLines.length === 0 ? undefined : parseYaml(fx.settingsLines.map((l) => l.slice(3)).join('\n'));
  const { settings, problems } = readSettings(raw);
  assert.deepEqual(problems, []);
  const cursorFile = fx.files.find((f) => f.text.includes('$0'));
  assert.ok(cursorFile !== undefined, 'fixture has a $0 cursor');
  const offset = cursorFile.text.indexOf('$0');
  const files: VirtualFile[] = fx.files.map((f) => (f === cursorFile ? { ...f, text: f.text.replace('$0', '') } : f));
  const text = cursorFile.text.replace('$0', '');
  const root = `file:///fixtures/helm-ide/${name}`;
  const byUri = new Map(files.map((f) => [f.uri, f]));
  const hasChart = (d: string): boolean => byUri.has(`${d}/Chart.yaml`);
  const source = (f: VirtualFile): HelmSource => ({ uri: f.uri, text: f.text, label: f.path });
  const chart = chartRootOf(cursorFile.uri, hasChart);
  const out: string[] = [];
  if (chart === undefined) out.push('chart: (none)');
  const values = chart === undefined ? undefined : byUri.get(`${chart}/values.yaml`);
  const tree = chart === undefined ? undefined : chartTreeRootOf(chart, hasChart);
  const valueFilesOf = (dir: string): HelmSource[] =>
    helmValueFilesFor(settings.helm, dir)
      .map((p) => byUri.get(`${root}/${p}`))
      .filter((f): f is VirtualFile => f !== undefined)
      .map(source);
  const layers =
    chart === undefined
      ? { parents: [], subcharts: [] }
      : chartValueLayers(chart, new Map(files.map((f) => [f.uri, source(f)])), valueFilesOf);
  const sources: HelmChartSources = {
    ...(values !== undefined ? { values: source(values) } : {}),
    valueFiles: chart === undefined ? [] : valueFilesOf(chart),
    templates: files.filter((f) => tree !== undefined && f.uri.startsWith(`${tree}/`) && f.uri.includes('/templates/')).map(source),
    ...(layers.parents.length > 0 ? { parents: layers.parents } : {}),
    ...(layers.subcharts.length > 0 ? { subcharts: layers.subcharts } : {}),
  };
  const target = helmTargetAt(text, offset);
  out.push(
    `target: ${target === undefined ? '(none)' : target.kind === 'values' ? `values ${JSON.stringify(target.path)}` : `template ${target.name}`}`,
  );
  if (target !== undefined) {
    out.push('--- hover', helmHover(target, sources)?.contents ?? '(none)', '--- definition');
    for (const l of helmDefinition(target, sources)) {
      const f = files.find((g) => g.uri === l.uri);
      out.push(`${f?.path ?? l.uri}:${position(f?.text ?? '', l.span.start)} ${(f?.text ?? '').slice(l.span.start, l.span.end)}`);
    }
  }
  const items = helmCompletion(text, offset, sources);
  out.push('--- completion');
  if (items === undefined) out.push('(not a values completion)');
  else
    for (const i of [...items].sort((a, b) => a.label.localeCompare(b.label))) {
      assert.equal(text.slice(i.replace.start, i.replace.end), text.slice(i.replace.start, offset), 'replaces the typed name');
      out.push(`${i.label} | ${i.detail ?? ''} | replaces ${JSON.stringify(text.slice(i.replace.start, i.replace.end))}`);
    }
  return out.join('\n') + '\n';
}

describe('Helm values and template names in the editor (fixtures)', () => {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  assert.ok(names.length > 0);
  for (const f of names) {
    it(f, () => {
      const actual = run(f.slice(0, -5), readFileSync(join(dir, f), 'utf8'));
      const expected = join(dir, f.replace(/\.yaml$/, '.expected.txt'));
      if (UPDATE) writeFileSync(expected, actual);
      else {
        assert.ok(existsSync(expected), `missing ${expected}; run with UPDATE_EXPECT=1`);
        assert.equal(actual, readFileSync(expected, 'utf8'));
      }
    });
  }
});

describe('helmValueFilesFor', () => {
  it('takes the files of every glob matching the chart folder, in order, each once', () => {
    const helm = {
      valueFiles: { 'charts/*': ['common.yaml'], shop: ['shop.yaml', 'common.yaml'], other: ['x.yaml'] },
      releaseName: 'r',
      namespace: '',
    };
    assert.deepEqual(helmValueFilesFor(helm, 'file:///ws/charts/shop'), ['common.yaml', 'shop.yaml']);
    assert.deepEqual(helmValueFilesFor(helm, '/ws/deploy/other/'), ['x.yaml']);
    assert.deepEqual(helmValueFilesFor(helm, '/ws/charts/a/b'), []);
  });
});

describe("values.yaml read a top-level key's section at a time", () => {
  const VALUES = [
    '# The chart values.',
    'image:',
    '  # -- the repository',
    '  repository: nginx # trailing',
    '  tag: "1.25"',
    'base: &base',
    '  port: 80',
    '  name: web',
    'service:',
    '  <<: *base',
    '  type: ClusterIP',
    'config: |',
    '  a: 1',
    '  b: 2',
    'ports:',
    '  - name: http',
    '    port: 80',
    '1024: numeric key',
    'two words: spaced key',
    'empty:',
    '',
  ].join('\n');

  /** Every key path written in the values, with the hover and definition for each. */
  function answers(text: string, paths: readonly string[][]): string[] {
    const values: HelmSource = { uri: 'file:///ws/values.yaml', text, label: 'values.yaml' };
    const sources: HelmChartSources = { values, valueFiles: [], templates: [] };
    return paths.map((path) => {
      const template = `{{ .Values.${path.join('.')} }}`;
      const target = helmTargetAt(template, template.length - 4);
      assert.ok(target !== undefined, path.join('.'));
      return JSON.stringify([helmHover(target, sources)?.contents, helmDefinition(target, sources)]);
    });
  }

  it('gives what the whole file gives, for every key, with CRLF line breaks too', () => {
    const paths = [['image'], ['image', 'repository'], ['image', 'tag'], ['base', 'port'], ['service'], ['service', 'type']];
    paths.push(['config'], ['ports'], ['empty'], ['missing'], ['image', 'missing']);
    for (const text of [VALUES, VALUES.replace(/\n/g, '\r\n')]) {
      // Texts that differ at the end only (each is parsed anew): one read a section at a time, the
      // other read whole first (a hover on `.Values` itself reads the whole file).
      const bySection = answers(`${text}\n# a\n`, paths);
      const wholeText = `${text}\n# b\n`;
      answers(wholeText, [[]]);
      assert.deepEqual(bySection, answers(wholeText, paths));
      assert.ok(bySection[1]?.includes('the repository') === true, bySection[1]);
    }
  });

  it('reads a key while another section does not parse (being typed), and a file that is not plain block YAML whole', () => {
    const broken = `${VALUES}typing: [unclosed\n`;
    const [image, typing] = answers(broken, [['image', 'tag'], ['typing']]);
    assert.ok(image?.includes('1.25') === true, image);
    assert.ok(typing?.includes('"1.25"') === false, typing);
    // A document marker at column 0: the file is read whole, as before (the same answers).
    const marked = `---\n${VALUES}`;
    assert.deepEqual(answers(marked, [['image', 'tag']]), answers(`---\n${VALUES}\n`, [['image', 'tag']]));
  });
});
