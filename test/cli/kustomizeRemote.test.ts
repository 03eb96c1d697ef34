/**
 * A Kustomize build with parts kustomize fetches from the network, through the CLI: `check` reports
 * each as `kustomize-remote-source` information on the kustomization line (every format prints
 * information), and `reach` and `explain` say on stderr that the build's objects are left out.
 */

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../cli/main.js';

const KUSTOMIZATION = `resources:
  - https://github.com/example/frr/config/default/?ref=v0.0.25
  - web.yaml
helmCharts:
  - name: cilium
    repo: https://helm.cilium.io/
    version: 1.15.0
    releaseName: cilium
`;

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]
`;

async function run(args: readonly string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd });
  return { code, out, err };
}

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
    ).diagnostics.filter((d) => d.code === 'kustomize-remote-source');
    assert.deepEqual(
      found.map((d) => [d.file, d.range.start.line, d.severity]),
      [
        ['overlay/kustomization.yaml', 1, 'information'],
        ['overlay/kustomization.yaml', 4, 'information'],
      ],
    );
    assert.match(
      found[1]?.message ?? '',
      /^Chart "cilium" 1\.15\.0 is not in charts\/cilium-1\.15\.0: kustomize build --enable-helm pulls it from https:\/\/helm\.cilium\.io\//,
    );
    const text = await run(['check', '.'], dir);
    assert.match(
      text.out,
      /^overlay\/kustomization\.yaml:2:5: information kustomize-remote-source: Resource "https:\/\/github\.com\/example\/frr\/config\/default\/\?ref=v0\.0\.25" is remote/m,
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
