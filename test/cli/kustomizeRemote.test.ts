/**
 * A Kustomize build with parts kustomize fetches from the network, through the CLI: `check` reports
 * each as `remote-source-not-fetched` information on the kustomization line (every format prints
 * information), and `reach` and `explain` say on stderr that the build's objects are left out.
 */

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli as run } from '../support/cli.js';
import { deploymentYaml } from '../support/gitops.js';

const KUSTOMIZATION = `resources:
  - https://github.com/example/frr/config/default/?ref=v0.0.25
  - web.yaml
helmCharts:
  - name: cilium
    repo: https://helm.cilium.io/
    version: 1.15.0
    releaseName: cilium
`;

const WEB = `${deploymentYaml('web', '{containerPort: 8080}', 'shop')}\n`;

test('remote parts of a Kustomize build: information in check, a note in reach and explain', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-remote-'));
  try {
    mkdirSync(join(dir, 'overlay'));
    writeFileSync(join(dir, 'overlay', 'kustomization.yaml'), KUSTOMIZATION);
    writeFileSync(join(dir, 'overlay', 'web.yaml'), WEB);
    const check = await run(['check', '.', '--format', 'json'], dir);
    assert.equal(check.code, 0, check.err);
    const found = (
      JSON.parse(check.out) as {
        diagnostics: Array<{ file: string; range: { start: { line: number } }; severity: string; code: string; message: string }>;
      }
    ).diagnostics.filter((d) => d.code === 'remote-source-not-fetched');
    assert.deepEqual(
      found.map((d) => [d.file, d.range.start.line, d.severity]),
      [
        ['overlay/kustomization.yaml', 1, 'information'],
        ['overlay/kustomization.yaml', 4, 'information'],
      ],
    );
    assert.match(
      found[1]?.message ?? '',
      /^Kustomize build --enable-helm pulls chart "cilium" 1\.15\.0 from https:\/\/helm\.cilium\.io\/ into charts\/cilium-1\.15\.0 and renders it; Kube Reach works offline/,
    );
    const text = await run(['check', '.'], dir);
    assert.match(
      text.out,
      /^overlay\/kustomization\.yaml:2:5: information remote-source-not-fetched: Kustomize build fetches resource "https:\/\/github\.com\/example\/frr\/config\/default\/\?ref=v0\.0\.25"; Kube Reach works offline/m,
    );
    const note =
      /^kube-reach: note: the Kustomize build of overlay fetches https:\/\/github\.com\/example\/frr\/config\/default\/\?ref=v0\.0\.25, which Kube Reach does not \(it reads no network\): its objects are left out$/m;
    const reach = await run(['reach', '.'], dir);
    assert.equal(reach.code, 0, reach.err);
    assert.match(reach.err, note);
    assert.match(reach.err, /^kube-reach: note: the Kustomize build of overlay fetches https:\/\/helm\.cilium\.io\/, /m);
    const explain = await run(['explain', '.', '--from', 'shop/web', '--to', 'shop/web', '--port', '8080'], dir);
    assert.match(explain.err, note);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a chart Fleet pulls: the same code in check, a note naming Fleet in reach', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-remote-'));
  try {
    mkdirSync(join(dir, 'cert-manager'));
    writeFileSync(
      join(dir, 'cert-manager', 'fleet.yaml'),
      'defaultNamespace: cert-manager\nhelm:\n  repo: https://charts.jetstack.io\n  chart: cert-manager\n  version: v1.14.4\n',
    );
    writeFileSync(join(dir, 'web.yaml'), WEB);
    const check = await run(['check', '.'], dir);
    assert.match(
      check.out,
      /^cert-manager\/fleet\.yaml:4:10: information remote-source-not-fetched: Fleet pulls chart "cert-manager" v1\.14\.4 from https:\/\/charts\.jetstack\.io and renders it; Kube Reach works offline and does not/m,
    );
    const reach = await run(['reach', '.'], dir);
    assert.equal(reach.code, 0, reach.err);
    assert.match(
      reach.err,
      /^kube-reach: note: the Fleet build of cert-manager\/fleet\.yaml\S* needs https:\/\/charts\.jetstack\.io, which Kube Reach does not fetch or run: its objects are left out$/m,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
