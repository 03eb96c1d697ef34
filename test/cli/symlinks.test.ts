/**
 * Files reached through symbolic links inside the workspace are read, by the CLI and the server
 * alike (both list files with server/files.ts `listManifests`); links out of the workspace,
 * dangling links and link loops are skipped with a note, and no file is read twice.
 */

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import { listManifests } from '../../server/files.js';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: Web_1\nspec:\n  ports:\n  - port: 80\n';

test('symbolic links inside the workspace are followed; loops and links out are skipped with a note', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'kube-reach-outside-'));
  const ws = mkdtempSync(join(tmpdir(), 'kube-reach-links-'));
  try {
    writeFileSync(join(outside, 'secret.yaml'), SERVICE);
    mkdirSync(join(ws, 'real'));
    mkdirSync(join(ws, 'shared'));
    writeFileSync(join(ws, 'shared', 'svc.yaml'), SERVICE);
    writeFileSync(join(ws, 'real', 'plain.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    symlinkSync(join(ws, 'shared', 'svc.yaml'), join(ws, 'real', 'linked.yaml'));
    symlinkSync(join(ws, 'shared'), join(ws, 'real', 'again'));
    symlinkSync(ws, join(ws, 'real', 'loop'));
    symlinkSync(join(outside, 'secret.yaml'), join(ws, 'out.yaml'));
    symlinkSync(join(ws, 'missing.yaml'), join(ws, 'dangling.yaml'));
    // A linked file whose target is not read any other way.
    mkdirSync(join(ws, 'hidden-source'));
    writeFileSync(join(ws, 'hidden-source', 'only.txt'), SERVICE.replace('Web_1', 'Only_1'));
    symlinkSync(join(ws, 'hidden-source', 'only.txt'), join(ws, 'only.yaml'));

    const notes: string[] = [];
    const files = listManifests(ws, [], (m) => notes.push(m)).map((f) => f.slice(ws.length + 1));
    assert.deepEqual(files.sort(), ['only.yaml', 'real/plain.yaml', 'shared/svc.yaml']);
    assert.ok(
      notes.some((n) => n.includes('out.yaml') && n.includes('outside the workspace')),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((n) => n.includes('dangling.yaml') && n.includes('does not exist')),
      notes.join('\n'),
    );
    assert.ok(
      notes.some((n) => n.includes('loop')),
      notes.join('\n'),
    );
    // The root named through a link: the same files, under the link's path (real paths follow the link once).
    const viaLink = join(outside, 'ws-link');
    symlinkSync(ws, viaLink);
    const linkedNotes: string[] = [];
    const throughLink = listManifests(viaLink, [], (m) => linkedNotes.push(m)).map((f) => f.slice(viaLink.length + 1));
    assert.deepEqual(throughLink.sort(), files.sort());
    assert.ok(
      linkedNotes.some((n) => n.includes('loop')),
      linkedNotes.join('\n'),
    );

    const { code, out, err } = await runCli(['check', '.', '--format', 'json'], ws);
    assert.equal(code, 1);
    const diags = (JSON.parse(out) as { diagnostics: Array<{ file: string; code: string }> }).diagnostics;
    assert.deepEqual(
      diags
        .filter((d) => d.code === 'api-invalid-name')
        .map((d) => d.file)
        .sort(),
      ['only.yaml', 'shared/svc.yaml'],
    );
    assert.match(err, /out\.yaml: a symbolic link to .*outside the workspace/);
  } finally {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});

test('a linked file beside a kustomization is listed under the link too, so the build that names it finds it', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'kube-reach-klinks-'));
  try {
    mkdirSync(join(ws, 'cmd'));
    mkdirSync(join(ws, 'config', 'openshift'), { recursive: true });
    mkdirSync(join(ws, 'other'));
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n';
    writeFileSync(join(ws, 'cmd', 'shared.yaml'), cm);
    writeFileSync(join(ws, 'config', 'openshift', 'kustomization.yaml'), 'resources:\n- shared.yaml\n');
    symlinkSync(join(ws, 'cmd', 'shared.yaml'), join(ws, 'config', 'openshift', 'shared.yaml'));
    // Without a kustomization beside it, a link to a listed file is still read once.
    symlinkSync(join(ws, 'cmd', 'shared.yaml'), join(ws, 'other', 'again.yaml'));
    const files = listManifests(ws, []).map((f) => f.slice(ws.length + 1));
    assert.deepEqual(files.sort(), ['cmd/shared.yaml', 'config/openshift/kustomization.yaml', 'config/openshift/shared.yaml']);
    const { code, out } = await runCli(['check', '.', '--format', 'json'], ws);
    const diags = (JSON.parse(out) as { diagnostics: Array<{ code: string; message: string }> }).diagnostics;
    assert.deepEqual(
      diags.filter((d) => d.code === 'kustomize-build-problem').map((d) => d.message),
      [],
    );
    assert.equal(code, 0);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('a file kuttl tests read only through links named as assertions is read under those links, not at its own path', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'kube-reach-alinks-'));
  try {
    // openstack-k8s-operators' kuttl tests: `03-errors.yaml` in each test links `../../common/errors_cleanup.yaml`,
    // whose objects have no names (a Pod by its labels); `00-deploy.yaml` links a complete manifest.
    const common = join(ws, 'test', 'kuttl', 'common');
    mkdirSync(common, { recursive: true });
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    service: keystone\n';
    writeFileSync(join(common, 'errors_cleanup.yaml'), pod);
    writeFileSync(join(common, 'deploy.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keystone\n');
    for (const t of ['scale', 'tls']) {
      mkdirSync(join(ws, 'test', 'kuttl', 'tests', t), { recursive: true });
      symlinkSync(join(common, 'errors_cleanup.yaml'), join(ws, 'test', 'kuttl', 'tests', t, '03-errors.yaml'));
      symlinkSync(join(common, 'deploy.yaml'), join(ws, 'test', 'kuttl', 'tests', t, '00-deploy.yaml'));
    }
    const files = listManifests(ws, []).map((f) =>
      f
        .slice(ws.length + 1)
        .split('\\')
        .join('/'),
    );
    assert.deepEqual(files.sort(), [
      'test/kuttl/common/deploy.yaml',
      'test/kuttl/tests/scale/03-errors.yaml',
      'test/kuttl/tests/tls/03-errors.yaml',
    ]);
    const { code, out } = await runCli(['check', '.', '--format', 'json'], ws);
    const diags = (JSON.parse(out) as { diagnostics: Array<{ code: string }> }).diagnostics;
    assert.deepEqual(
      diags.filter((d) => d.code === 'api-required-value'),
      [],
    );
    assert.equal(code, 0);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
