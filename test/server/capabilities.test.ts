/**
 * Clients differ: a Neovim 0.7-like client without `workspace/configuration`, progress or file
 * watcher registration still gets diagnostics for the whole workspace, with `.kube-reach.yaml`
 * honoured and pushed settings applied; a VS Code-like client's settings are pulled and merged.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n';

let ws: { root: string; cleanup: () => void };
before(() => {
  ws = tempWorkspace({
    '.kube-reach.yaml': 'maxFileSizeMB: 1\nexclude:\n  - ignored/**\n',
    'app/broken.yaml': BROKEN,
    'ignored/broken.yaml': BROKEN,
    'other/broken.yml': BROKEN,
    'node_modules/pkg/broken.yaml': BROKEN,
    // Go's vendored modules (vendor/modules.txt): other modules' test manifests, skipped with a note;
    // a `vendor/` folder without modules.txt holds manifests like any other.
    'vendor/modules.txt': '# k8s.io/kubernetes v1.33.0\n',
    'vendor/k8s.io/kubernetes/test/broken.yaml': BROKEN,
    'deploy/vendor/broken.yaml': BROKEN,
    'big/huge.yaml': `# ${'x'.repeat(1024)}\n`.repeat(1100),
    'app/binary.yaml': 'apiVersion: v1\u0000\u0001',
  });
});
after(() => ws.cleanup());

function publishedUris(h: Harness): string[] {
  return h.received.filter((r) => r.method === 'textDocument/publishDiagnostics').map((r) => (r.params as PublishDiagnosticsParams).uri);
}

test('a client without configuration, progress or watchers still gets diagnostics', async () => {
  const h = new Harness({ capabilities: {}, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const uris = publishedUris(h);
    assert.ok(uris.includes(pathToUri(join(ws.root, 'app/broken.yaml'))));
    assert.ok(uris.includes(pathToUri(join(ws.root, 'other/broken.yml'))));
    assert.ok(!uris.some((u) => u.includes('/ignored/')), '.kube-reach.yaml exclude honoured');
    assert.ok(!uris.some((u) => u.includes('/node_modules/')));
    assert.ok(!uris.some((u) => u.includes('/vendor/k8s.io/')), 'Go vendor/ skipped');
    assert.ok(uris.includes(pathToUri(join(ws.root, 'deploy/vendor/broken.yaml'))), 'a vendor/ folder without modules.txt is read');
    // The server asked the client nothing it did not declare.
    const serverRequests = h.received.filter((r) =>
      ['workspace/configuration', 'client/registerCapability', 'window/workDoneProgress/create'].includes(r.method),
    );
    assert.deepEqual(serverRequests, []);
    assert.ok(!h.received.some((r) => r.method === '$/progress'));
    // Skipped files are noted on the console.
    const logs = h.received.filter((r) => r.method === 'window/logMessage').map((r) => (r.params as { message: string }).message);
    assert.ok(
      logs.some((m) => m.includes('huge.yaml') && m.includes('maxFileSizeMB')),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => m.includes('binary.yaml') && m.includes('binary')),
      logs.join('\n'),
    );
    assert.ok(
      logs.some((m) => m.includes('vendor') && m.includes('modules.txt')),
      logs.join('\n'),
    );
    // Pushed settings (Neovim sends them with didChangeConfiguration) apply.
    const mark = h.received.length;
    await h.client.sendNotification('workspace/didChangeConfiguration', {
      settings: { kubeReach: { diagnostics: { severity: { 'yaml-syntax': 'warning' } } } },
    });
    await h.analysisComplete(mark);
    const again = h.received
      .slice(mark)
      .filter((r) => r.method === 'textDocument/publishDiagnostics')
      .map((r) => r.params as PublishDiagnosticsParams);
    const app = again.find((p) => p.uri === pathToUri(join(ws.root, 'app/broken.yaml')));
    assert.ok(app !== undefined, 'republished with the new severity');
    assert.ok(app.diagnostics.length > 0 && app.diagnostics.every((d) => d.severity === 2));
  } finally {
    h.dispose();
  }
});

test('a VS Code-like client: pulled settings merge with .kube-reach.yaml', async () => {
  const h = new Harness({
    capabilities: FULL_CAPABILITIES,
    rootPath: ws.root,
    configuration: { kubeReach: { exclude: ['other/**'] }, 'files.exclude': { '**/big': true, '**/app': false } },
  });
  try {
    await h.initialize();
    await h.analysisComplete();
    const uris = publishedUris(h);
    assert.ok(uris.includes(pathToUri(join(ws.root, 'app/broken.yaml'))));
    assert.ok(!uris.some((u) => u.includes('/ignored/') || u.includes('/other/')), uris.join('\n'));
    const logs = h.received.filter((r) => r.method === 'window/logMessage').map((r) => (r.params as { message: string }).message);
    assert.ok(!logs.some((m) => m.includes('huge.yaml')), 'files.exclude honoured');
    const registrations = h.received.filter((r) => r.method === 'client/registerCapability').map((r) => JSON.stringify(r.params));
    assert.ok(registrations.some((r) => r.includes('workspace/didChangeWatchedFiles') && r.includes('**/*.{yaml,yml,json}')));
    // A watched-file event for a new file brings it in.
    const mark = h.received.length;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(ws.root, 'app/new.yaml'), BROKEN);
    await h.client.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToUri(join(ws.root, 'app/new.yaml')), type: 1 }],
    });
    await h.analysisComplete(mark);
    assert.ok(publishedUris(h).includes(pathToUri(join(ws.root, 'app/new.yaml'))));
    assert.ok(h.server.host.hasFile(pathToUri(join(ws.root, 'app/new.yaml'))));
    // Editing .kube-reach.yaml (a watched file) reloads settings and rescans: ignored/ comes in.
    const mark3 = h.received.length;
    writeFileSync(join(ws.root, '.kube-reach.yaml'), 'maxFileSizeMB: 1\n');
    await h.client.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToUri(join(ws.root, '.kube-reach.yaml')), type: 2 }],
    });
    await h.waitFor(
      'ignored/broken.yaml published',
      (r) =>
        r.method === 'textDocument/publishDiagnostics' &&
        (r.params as PublishDiagnosticsParams).uri === pathToUri(join(ws.root, 'ignored/broken.yaml')),
      mark3,
    );
    await h.analysisComplete(mark3);
    assert.ok(h.server.host.hasFile(pathToUri(join(ws.root, 'ignored/broken.yaml'))));
    assert.ok(!h.server.host.hasFile(pathToUri(join(ws.root, 'other/broken.yml'))), 'the editor exclude still applies');
    // A deleted folder reported as one event: its files leave and their diagnostics are cleared.
    const { rmSync } = await import('node:fs');
    const mark2 = h.received.length;
    rmSync(join(ws.root, 'app'), { recursive: true, force: true });
    await h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(join(ws.root, 'app')), type: 3 }] });
    await h.analysisComplete(mark2);
    assert.equal(h.server.host.hasFile(pathToUri(join(ws.root, 'app/new.yaml'))), false);
    assert.equal(h.server.host.hasFile(pathToUri(join(ws.root, 'app/broken.yaml'))), false);
    assert.deepEqual(h.publications(pathToUri(join(ws.root, 'app/broken.yaml'))).at(-1)?.diagnostics, []);
  } finally {
    h.dispose();
  }
});
