/**
 * `kube-reach diff` through the CLI entry point, in process: each fixture folder under
 * test/fixtures/diff/ holds `ref1/` (before) and `ref2/` (after) and the expected output per
 * format (`expected.<ext>`, rewritten with UPDATE_EXPECT=1, then reviewed); `--base` against a
 * throwaway git repository; exit codes.
 */

import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';
import { commitFolder } from '../support/git.js';

const root = join(__dirname, '..', 'fixtures', 'diff');

const run = (args: readonly string[], cwd = root): Promise<CliRun> => runCli(args, cwd);

function expect(file: string, actual: string): void {
  if (process.env['UPDATE_EXPECT'] === '1') writeFileSync(file, actual);
  assert.ok(existsSync(file), `${file} is missing (UPDATE_EXPECT=1, then review it)`);
  assert.equal(actual, readFileSync(file, 'utf8'));
}

const FORMATS: ReadonlyArray<[string, string]> = [
  ['text', 'txt'],
  ['csv', 'csv'],
  ['md', 'md'],
  ['json', 'json'],
  ['dot', 'dot'],
  ['mermaid', 'mmd'],
];

/**
 * Goldens written for this project (netpol-analyzer's own diff goldens are measured, not vendored:
 * scripts/conformance-diff.ts): `shop` (ports changed, a workload added, rules removed), `ipblocks`
 * (external ranges cut differently), `ingress` (the ingress controller's lines: a Service's named
 * targetPort moved, a path added that a policy lets the controller's namespace reach) and
 * `policy-removed` (a default-deny removed opens a workload to everything; a container port
 * renamed leaves a policy's named port naming nothing).
 */
const FIXTURES = ['shop', 'ipblocks', 'ingress', 'policy-removed'] as const;

for (const fixture of FIXTURES) {
  for (const [format, ext] of FORMATS) {
    test(`diff ${fixture} --format ${format}`, async () => {
      const r = await run(['diff', `${fixture}/ref1`, `${fixture}/ref2`, '--format', format]);
      assert.equal(r.code, 0, r.err);
      expect(join(root, fixture, `expected.${ext}`), r.out);
    });
  }
}

test('diff: the text format is netpol-analyzer’s: a header, then changed, added, removed lines', async () => {
  const r = await run(['diff', 'shop/ref1', 'shop/ref2']);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines[0], 'Connectivity diff:');
  const types = lines.slice(1).map((l) => /^diff-type: (\w+), source: [^,]+, destination: [^,]+, ref1: .+, ref2: .+/.exec(l)?.[1]);
  assert.deepEqual(types, ['changed', 'added', 'removed', 'removed']);
  assert.match(r.out, /workloads-diff-info: workload shop\/cache\[Deployment\] added\n/);
});

test('diff: external ranges cut differently on the two sides are compared piece by piece and merged back', async () => {
  const r = await run(['diff', 'ipblocks/ref1', 'ipblocks/ref2']);
  // api lost 203.0.113.0/24, which the before side had cut in two for web: one line, not two.
  assert.match(
    r.out,
    /source: 203\.0\.113\.0-203\.0\.113\.255\[External\], destination: edge\/api\[Pod\], ref1: TCP 9090, ref2: No Connections/,
  );
  assert.match(
    r.out,
    /source: 203\.0\.113\.0-203\.0\.113\.127\[External\], destination: edge\/web\[Pod\], ref1: No Connections, ref2: TCP 8080/,
  );
  assert.doesNotMatch(r.out, /203\.0\.113\.128-203\.0\.113\.255/);
});

test('diff: no difference prints nothing (a note on stderr), except an empty JSON list', async () => {
  const same = await run(['diff', 'shop/ref1', 'shop/ref1']);
  assert.equal(same.code, 0);
  assert.equal(same.out, '');
  assert.match(same.err, /no connectivity difference/);
  const json = await run(['diff', 'shop/ref1', 'shop/ref1', '--format', 'json']);
  assert.deepEqual(JSON.parse(json.out), { ref1: 'ref1', ref2: 'ref2', changes: [] });
});

test('diff --fail-on-change exits 1 only when connectivity changed', async () => {
  assert.equal((await run(['diff', 'shop/ref1', 'shop/ref2', '--fail-on-change'])).code, 1);
  assert.equal((await run(['diff', 'shop/ref1', 'shop/ref1', '--fail-on-change'])).code, 0);
});

test('diff: bad usage exits 2', async () => {
  assert.equal((await run(['diff', 'shop/ref1'])).code, 2);
  assert.equal((await run(['diff', 'shop/ref1', 'shop/ref2', '--format', 'svg'])).code, 2);
  assert.equal((await run(['diff', 'shop/ref1', 'no-such-folder'])).code, 2);
});

test('diff --base reads the committed manifests with git and compares the work tree with them', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-diff-'));
  try {
    commitFolder(repo, join(root, 'shop', 'ref1'), 'deploy');
    rmSync(join(repo, 'deploy'), { recursive: true });
    cpSync(join(root, 'shop', 'ref2'), join(repo, 'deploy'), { recursive: true });
    const r = await run(['diff', '--base', 'HEAD', 'deploy'], repo);
    assert.equal(r.code, 0, r.err);
    const expected = readFileSync(join(root, 'shop', 'expected.txt'), 'utf8')
      .replace(/, ref1: /g, ', HEAD: ')
      .replace(/, ref2: /g, ', worktree: ');
    assert.equal(r.out, expected);
    // A removed policy: the connections it closed come back.
    rmSync(join(repo, 'deploy', 'policies.yaml'));
    cpSync(join(root, 'shop', 'ref1', 'workloads.yaml'), join(repo, 'deploy', 'workloads.yaml'));
    const opened = await run(['diff', '--base', 'HEAD', 'deploy', '--format', 'json'], repo);
    const changes = (JSON.parse(opened.out) as { changes: Array<{ diffType: string; source: string; destination: string }> }).changes;
    assert.ok(changes.length > 0 && changes.every((c) => c.diffType !== 'removed'), opened.out);
    assert.ok(changes.some((c) => c.source === 'shop/worker[Deployment]' && c.destination === 'shop/db[Deployment]'));
    const bad = await run(['diff', '--base', 'no-such-ref', 'deploy'], repo);
    assert.equal(bad.code, 2);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

for (const fixture of ['ingress', 'policy-removed'] as const) {
  test(`diff --base HEAD of ${fixture}: the committed before side read with git gives the golden text`, async () => {
    const repo = mkdtempSync(join(tmpdir(), 'kube-reach-diff-'));
    try {
      commitFolder(repo, join(root, fixture, 'ref1'), 'deploy');
      rmSync(join(repo, 'deploy'), { recursive: true });
      cpSync(join(root, fixture, 'ref2'), join(repo, 'deploy'), { recursive: true });
      const r = await run(['diff', '--base', 'HEAD', 'deploy', '--fail-on-change'], repo);
      assert.equal(r.code, 1, r.err);
      const expected = readFileSync(join(root, fixture, 'expected.txt'), 'utf8')
        .replace(/, ref1: /g, ', HEAD: ')
        .replace(/, ref2: /g, ', worktree: ');
      assert.equal(r.out, expected);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
}

test('diff --base renders a committed Helm chart with its partials and subcharts: an unchanged chart is no difference', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-diff-chart-'));
  try {
    commitFolder(repo, join(__dirname, '..', 'fixtures', 'helm', 'charts', 'shop'), 'shop');
    const same = await run(['diff', '--base', 'HEAD', 'shop', '--format', 'json'], repo);
    assert.equal(same.code, 0, same.err);
    assert.deepEqual((JSON.parse(same.out) as { changes: unknown[] }).changes, []);
    // Without a path, the current folder is compared (here the repository's top).
    const all = await run(['diff', '--base', 'HEAD', '--fail-on-change'], repo);
    assert.equal(all.code, 0, all.err);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

/**
 * `variants`: dev/ and prod/ hold the same objects (variants); the change under review is prod's
 * policy (web reached on 9090 instead of 8080). Without `--unit` the first unit in path order (dev)
 * is compared, which did not change: the note says which folder was left out, once for both
 * sides, as a path a person can find, and points at `--unit`, which picks prod on each side (dev
 * is then the alternative left out, and the note says so).
 */
test('diff --unit picks one variant on each side; the notes say which side and name folders by their paths', async () => {
  const plain = await run(['diff', 'variants/ref1', 'variants/ref2', '--ref1-name', 'main', '--ref2-name', 'pr']);
  assert.equal(plain.code, 0, plain.err);
  assert.equal(plain.out, '');
  assert.equal(
    plain.err,
    'kube-reach: note (main and pr): alternatives of units taken earlier in path order were left out: prod (pick one with --unit)\n' +
      'kube-reach: note: no connectivity difference\n',
  );
  const prod = await run(['diff', 'variants/ref1', 'variants/ref2', '--unit', 'prod', '--fail-on-change']);
  assert.equal(prod.code, 1, prod.err);
  assert.equal(
    prod.err,
    'kube-reach: note (ref1 and ref2): alternatives of the unit picked, or of units taken earlier in path order, were left out: dev\n',
  );
  expect(join(root, 'variants', 'expected-unit-prod.txt'), prod.out);
  const nowhere = await run(['diff', 'variants/ref1', 'variants/ref2', '--unit', 'staging']);
  assert.equal(nowhere.code, 2);
  assert.match(nowhere.err, /--unit: staging is not a unit of the manifests on either side/);
  // With --base: the work tree's path, the same unit at the base.
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-diff-unit-'));
  try {
    commitFolder(repo, join(root, 'variants', 'ref1'), 'deploy');
    rmSync(join(repo, 'deploy'), { recursive: true });
    cpSync(join(root, 'variants', 'ref2'), join(repo, 'deploy'), { recursive: true });
    const base = await run(['diff', '--base', 'HEAD', 'deploy', '--unit', 'deploy/prod'], repo);
    assert.equal(base.code, 0, base.err);
    assert.equal(
      base.out,
      readFileSync(join(root, 'variants', 'expected-unit-prod.txt'), 'utf8')
        .replace(', ref1: ', ', HEAD: ')
        .replace(', ref2: ', ', worktree: '),
    );
    const noted = await run(['diff', '--base', 'HEAD', 'deploy'], repo);
    assert.match(
      noted.err,
      /^kube-reach: note \(HEAD and worktree\): alternatives of units taken earlier in path order were left out: deploy\/prod \(pick one with --unit\)\n/,
    );
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

/**
 * `overlays`, in a git history: a Kustomize base built by two overlays into one namespace (dev and
 * prod: alternatives) and a `monitoring/` folder deployed with either. The change under review is
 * prod's policy (prometheus scrapes db on 9188, was 9187). `--unit overlays/prod` takes prod's
 * build, its base's objects included, and every unit that is no alternative of it (monitoring's
 * prometheus, in another folder), leaving dev out with a note: the change shows. Before, only the
 * unit's own objects were taken: prometheus was on neither side, so no difference.
 */
test('diff --base --unit takes the unit picked (a Kustomize overlay with its base) and every unit that is no alternative of it', async () => {
  const repo = mkdtempSync(join(tmpdir(), 'kube-reach-diff-overlays-'));
  try {
    commitFolder(repo, join(root, 'overlays', 'ref1'), 'deploy');
    rmSync(join(repo, 'deploy'), { recursive: true });
    cpSync(join(root, 'overlays', 'ref2'), join(repo, 'deploy'), { recursive: true });
    const prod = await run(['diff', '--base', 'HEAD', '--unit', 'deploy/overlays/prod', '--fail-on-change'], repo);
    assert.equal(prod.code, 1, prod.err);
    expect(join(root, 'overlays', 'expected-unit-prod.txt'), prod.out);
    assert.equal(
      prod.err,
      'kube-reach: note (HEAD and worktree): alternatives of the unit picked, or of units taken earlier in path order, were left out: deploy/overlays/dev\n',
    );
    // The same in two folders, and in reach: prometheus and the base's workloads are there.
    const folders = await run(['diff', 'overlays/ref1', 'overlays/ref2', '--unit', 'overlays/prod']);
    assert.equal(folders.out, prod.out.replace(', HEAD: ', ', ref1: ').replace(', worktree: ', ', ref2: '));
    const reach = await run(['reach', '--unit', 'deploy/overlays/prod'], repo);
    assert.equal(reach.code, 0, reach.err);
    assert.match(reach.out, /^monitoring\/prometheus\[Deployment\] => shop\/db\[Deployment\] : TCP 9188$/m);
    assert.match(reach.out, /^shop\/web\[Deployment\] => shop\/db\[Deployment\] : TCP 5432$/m);
    // Only the overlay's folder as the path: its base is not read, and a note says so (no silent "no difference").
    const narrow = await run(['diff', '--base', 'HEAD', 'deploy/overlays/prod', '--unit', 'deploy/overlays/prod'], repo);
    assert.match(
      narrow.err,
      /note \(HEAD and worktree\): the Kustomize build of deploy\/overlays\/prod names deploy\/base, which is outside the paths read/,
    );
    // reach and explain say the same (they printed nothing about it: an empty list, no word why).
    const outside =
      /^kube-reach: note: the Kustomize build of deploy\/overlays\/prod names deploy\/base, which is outside the paths read: its objects are left out \(name a folder that holds both\)$/m;
    const narrowReach = await run(['reach', 'deploy/overlays/prod'], repo);
    assert.equal(narrowReach.code, 0, narrowReach.err);
    assert.equal(narrowReach.out, '');
    assert.match(narrowReach.err, outside);
    const narrowExplain = await run(['explain', 'deploy/overlays/prod', '--from', 'shop/web', '--to', 'shop/db', '--port', '5432'], repo);
    assert.match(narrowExplain.err, outside);
    // With the base among the paths read, no such note.
    assert.doesNotMatch(reach.err, /outside the paths read/);
    // Without --unit, dev (first in path order) is compared: it did not change.
    const plain = await run(['diff', '--base', 'HEAD'], repo);
    assert.equal(plain.out, '');
    assert.match(plain.err, /left out: deploy\/overlays\/prod \(pick one with --unit\)\n/);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
