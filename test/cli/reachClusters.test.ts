/**
 * `kube-reach reach` over Argo CD Applications of different destination clusters (docs/dev/argocd.md
 * "Destination clusters"): one cluster's units are taken, the others' left out with a note, `--unit`
 * names a GitOps root as `file#Application:name`; the same Applications in one cluster meet.
 * The workspace is the must-not-warn fixture of the checks (`31-argocd-clusters.yaml`).
 */

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'checks', 'must-not-warn', '31-argocd-clusters.yaml');

/** Writes the fixture's `#- path` files under `dir`. */
function writeFixture(dir: string, source: string): void {
  let path: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (path === undefined) return;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), lines.join('\n') + '\n');
  };
  for (const line of source.split('\n')) {
    const m = /^#- (\S+)\s*$/.exec(line);
    if (m === null) lines.push(line);
    else {
      flush();
      path = m[1];
      lines = [];
    }
  }
  flush();
}

const run = (cwd: string, args: readonly string[]): Promise<CliRun> => runCli(args, cwd);

test('reach: Applications of different clusters are alternatives (one taken, a note names the other); --unit picks a GitOps root; one cluster joins them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-clusters-'));
  try {
    const source = readFileSync(FIXTURE, 'utf8');
    writeFixture(dir, source);
    const first = await run(dir, ['reach', '.']);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /store-eu/);
    assert.doesNotMatch(first.out, /store-us/);
    assert.match(first.err, /left out: argocd\/shops\.yaml#Application:shop-us \(pick one with --unit\)/);
    // The us cluster alone: eu's default-deny policy is not there, so anything reaches its pods.
    const us = await run(dir, ['reach', '.', '--unit', 'argocd/shops.yaml#Application:shop-us']);
    assert.equal(us.code, 0, us.err);
    assert.match(us.out, /^0\.0\.0\.0-255\.255\.255\.255\[External\] => shop\/store-us\[Deployment\] : All Connections$/m);
    assert.doesNotMatch(us.out, /store-eu/);
    // Both Applications in the eu cluster: one unit set, eu's default-deny isolates us's pods too.
    writeFixture(dir, source.replace("name: '{{cluster}}'", 'name: eu'));
    const together = await run(dir, ['reach', '.']);
    assert.equal(together.code, 0, together.err);
    assert.match(together.out, /store-us/);
    assert.doesNotMatch(together.out, /\[External\] => shop\/store-us/);
    assert.doesNotMatch(together.err, /left out/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
