/**
 * Parse workers (server/parsePool.ts; docs/cli.md `--parse-workers`): `check` reports exactly the
 * same with the files lowered on a worker thread and the main thread as on the main thread alone,
 * on every folder below, and every plain manifest and chart values file was lowered there (a worker
 * lowered some; the host parses only what a worker may not: templates), a values file's value going
 * to the render. The host takes a worker's facts only for the text they were lowered from, and
 * narrows them like the warm-start cache's. The setting's values as the server and the CLI read them.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { AnalysisHost, DEFAULT_SETTINGS, lowerApart } from '../../analysis/index.js';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';
import { parseArgs } from '../../cli/args.js';
import { CHECK_FLAGS } from '../../cli/check.js';
import { loadWorkspace } from '../../cli/workspace.js';
import { AUTO_MIN_CHARS, lowerOnWorkers, parseWorkers } from '../../server/parsePool.js';
import type { LoweredCount } from '../../server/parsePool.js';

const root = join(__dirname, '..', '..');
const FOLDERS = ['examples', 'test/corpus/known-good', 'test/fixtures/checks', 'test/fixtures/helm', 'test/fixtures/reachability'];

function check(folder: string, workers: string): Promise<CliRun> {
  return runCli(['check', folder, '--format', 'json', '--fail-on', 'none', '--parse-workers', workers], root);
}

/** The folder's plain manifests lowered on `threads` threads: how many, and how many by a worker. */
async function lowered(folder: string, threads: number): Promise<LoweredCount & { readonly plain: number; readonly parses: number }> {
  const args = parseArgs([folder, '--parse-workers', '1'], CHECK_FLAGS);
  const loaded = await loadWorkspace(args.positionals, args, { stdout: () => undefined, stderr: () => undefined, cwd: root });
  const plain = loaded.host.plainPending();
  const count = await lowerOnWorkers(plain, parseWorkers(threads), (uri, text, facts, value) =>
    loaded.host.offerLowered(uri, text, facts, value),
  );
  loaded.host.snapshot();
  assert.equal(loaded.host.stats.lowered, count.handed);
  return { ...count, plain: plain.length, parses: loaded.host.stats.parses };
}

for (const folder of FOLDERS) {
  it(`${folder}: the same report with files lowered on a worker and the main thread as on the main thread alone`, async () => {
    const alone = await check(folder, '1');
    const pooled = await check(folder, '2');
    assert.equal(pooled.code, alone.code);
    assert.equal(pooled.err, alone.err);
    assert.equal(pooled.out, alone.out);
    const pooled2 = await lowered(folder, 2);
    assert.equal(pooled2.handed, pooled2.plain, 'every plain manifest lowered on a thread');
    assert.ok(pooled2.byWorkers > 0, 'a worker lowered some');
    assert.equal((await lowered(folder, 1)).handed, 0);
  });
}

it('a chart’s values file is lowered on a worker too, and the render takes the value that reading gave', async () => {
  const files: ReadonlyArray<readonly [string, string]> = [
    ['file:///ws/web/Chart.yaml', 'apiVersion: v2\nname: web\nversion: 1.0.0\n'],
    ['file:///ws/web/values.yaml', '# the Service\nservice:\n  port: 8080\n  targetPort: http\n'],
    [
      'file:///ws/web/templates/service.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: {{ .Values.service.port }}\n      targetPort: {{ .Values.service.targetPort }}\n',
    ],
    [
      'file:///ws/web/templates/deployment.yaml',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n        - name: web\n          image: web:1\n          ports:\n            - name: web\n              containerPort: 8080\n',
    ],
  ];
  const load = (): AnalysisHost => {
    const host = new AnalysisHost(DEFAULT_SETTINGS);
    for (const [uri, text] of files) host.setFile(uri, text);
    return host;
  };
  const fresh = load();
  const expected = JSON.stringify([...fresh.snapshot().diagnosticsFound()]);
  assert.match(expected, /service-target-port-unknown/, 'the render read the values: targetPort http names no container port');
  const host = load();
  const pending = host.plainPending();
  assert.deepEqual(
    pending.find((f) => f.uri.endsWith('/values.yaml')),
    { uri: 'file:///ws/web/values.yaml', text: files[1]?.[1], values: true },
    'the values file is a worker’s',
  );
  const count = await lowerOnWorkers(pending, parseWorkers(2), (uri, text, facts, value) => host.offerLowered(uri, text, facts, value));
  assert.equal(count.handed, pending.length);
  assert.equal(JSON.stringify([...host.snapshot().diagnosticsFound()]), expected);
  assert.equal(host.stats.lowered, pending.length);
  assert.equal(host.stats.parses, fresh.stats.parses - pending.length, 'the host parsed only the templates');
});

it('a worker lowering is taken only for its own text, and narrowed like a cache entry', () => {
  const uri = 'file:///ws/svc.yaml';
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n';
  const other = text.replace('web', 'api');
  const cases: ReadonlyArray<{ readonly name: string; readonly offered: unknown; readonly forText: string; readonly lowered: number }> = [
    { name: 'its own lowering', offered: lowerApart(uri, text), forText: text, lowered: 1 },
    { name: 'the lowering of another length of text', offered: lowerApart(uri, `${text}---\n`), forText: text, lowered: 0 },
    { name: 'offered for a text the file does not hold', offered: lowerApart(uri, other), forText: other, lowered: 0 },
    { name: 'the lowering of a text the file no longer holds', offered: lowerApart(uri, text), forText: other, lowered: 0 },
    { name: 'not facts', offered: { objects: 'nope' }, forText: text, lowered: 0 },
    { name: 'nothing', offered: null, forText: text, lowered: 0 },
  ];
  const fresh = new AnalysisHost(DEFAULT_SETTINGS);
  fresh.setFile(uri, text);
  const expected = JSON.stringify(fresh.snapshot().diagnosticsFound().get(uri) ?? []);
  for (const c of cases) {
    const host = new AnalysisHost(DEFAULT_SETTINGS);
    host.setFile(uri, text);
    assert.deepEqual(host.plainPending(), [{ uri, text }], c.name);
    host.offerLowered(uri, c.forText, c.offered);
    const found = JSON.stringify(host.snapshot().diagnosticsFound().get(uri) ?? []);
    assert.equal(host.stats.lowered, c.lowered, c.name);
    assert.equal(host.stats.parses, 1 - c.lowered, c.name);
    assert.equal(found, expected, c.name);
  }
});

it('the setting: auto, or a whole number of threads', () => {
  const cases: ReadonlyArray<readonly [unknown, number, number]> = [
    ['auto', 2, AUTO_MIN_CHARS],
    [undefined, 2, AUTO_MIN_CHARS],
    [1, 1, 0],
    ['1', 1, 0],
    [3, 3, 0],
    ['3', 3, 0],
    [500, 16, 0],
    [0, 2, AUTO_MIN_CHARS],
    [-2, 2, AUTO_MIN_CHARS],
    [1.5, 2, AUTO_MIN_CHARS],
    ['two', 2, AUTO_MIN_CHARS],
    ['03', 2, AUTO_MIN_CHARS],
    [{}, 2, AUTO_MIN_CHARS],
  ];
  for (const [setting, size, minChars] of cases)
    assert.deepEqual(parseWorkers(setting, 2), { size, minChars }, JSON.stringify(setting) ?? 'undefined');
});
