/**
 * The CLI and the language server give the same diagnostics (code, severity, range, message) for
 * the same files: examples/ and every check fixture folder, through `kube-reach check --format json`
 * and a real JSON-RPC session.
 */

import assert from 'node:assert/strict';
import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver';
import { main } from '../../cli/main.js';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const repo = join(__dirname, '..', '..');

type Line = string;

/** `kube-reach check --format json` over a folder, as sorted `uri range severity code message` lines. */
async function cliLines(root: string): Promise<Line[]> {
  let out = '';
  await main(['check', '.', '--format', 'json'], { stdout: (s) => (out += s), stderr: () => undefined, cwd: root });
  return (
    JSON.parse(out) as {
      diagnostics: Array<{
        file: string;
        code: string;
        severity: string;
        message: string;
        range: { start: { line: number; character: number }; end: { line: number; character: number } };
      }>;
    }
  ).diagnostics
    .map(
      (d) =>
        `${pathToUri(join(root, d.file))} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code} ${d.message}`,
    )
    .sort();
}

/**
 * The diagnostics a real JSON-RPC session publishes for a folder, in the same lines; `lowered`
 * counts the files parse workers lowered (server/parsePool.ts).
 */
async function serverLines(root: string, initializationOptions?: unknown, lowered?: { count: number }): Promise<Line[]> {
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: root });
  try {
    await h.initialize(initializationOptions);
    await h.analysisComplete();
    if (lowered !== undefined) lowered.count = h.server.host.stats.lowered;
    const latest = new Map<string, PublishDiagnosticsParams>();
    for (const r of h.received)
      if (r.method === 'textDocument/publishDiagnostics')
        latest.set((r.params as PublishDiagnosticsParams).uri, r.params as PublishDiagnosticsParams);
    const sev = ['', 'error', 'warning', 'information', 'hint'];
    return [...latest.values()]
      .flatMap((p) =>
        p.diagnostics.map(
          (d) =>
            `${p.uri} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${sev[d.severity ?? 1] ?? '?'} ${String(d.code)} ${d.message}`,
        ),
      )
      .sort();
  } finally {
    h.dispose();
  }
}

/** A workspace of examples/ and every check fixture folder (their annotations are comments: analysed as they are). */
function examplesAndFixtures(): { root: string; cleanup: () => void } {
  const ws = tempWorkspace({});
  cpSync(join(repo, 'examples'), join(ws.root, 'examples'), { recursive: true });
  for (const d of readdirSync(join(repo, 'test/fixtures/checks')))
    cpSync(join(repo, 'test/fixtures/checks', d), join(ws.root, 'fixtures', d), { recursive: true });
  return ws;
}

test('CLI and server agree on examples/ and the check fixtures', async () => {
  const ws = examplesAndFixtures();
  try {
    const cli = await cliLines(ws.root);
    assert.ok(cli.length > 50, `expected many diagnostics, got ${cli.length}`);
    assert.deepEqual(await serverLines(ws.root), cli);
  } finally {
    ws.cleanup();
  }
});

test('the server with parse workers publishes what the CLI prints, its files lowered on the workers too', async () => {
  // kubeReach.server.parseWorkers as a number: that many threads, whatever the workspace's size.
  const ws = examplesAndFixtures();
  try {
    const cli = await cliLines(ws.root);
    const lowered = { count: 0 };
    assert.deepEqual(await serverLines(ws.root, { parseWorkers: 2 }, lowered), cli);
    assert.ok(lowered.count > 0, 'no file was lowered on a parse worker');
  } finally {
    ws.cleanup();
  }
});

test('file names with spaces, non-ASCII, % and # are one file to the CLI, the server and the Kustomize resolver', async () => {
  // The service-selector-no-match Kustomize fixture, with names that need percent-encoding in URIs.
  const ws = tempWorkspace({
    'äpp 1/base#x/kustomization.yaml': 'resources: ["dep #1.yaml", "svc ?.yaml"]\n',
    'äpp 1/base#x/dep #1.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers: [{name: web, image: web, ports: [{name: http, containerPort: 8080}]}]',
      '',
    ].join('\n'),
    'äpp 1/base#x/svc ?.yaml':
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n',
    'äpp 1/overlays/staging/kustomization.yaml': 'namespace: staging\nresources: ["../../base#x"]\n',
    'äpp 1/overlays/pröd 100%/kustomization.yaml': 'namespace: prod\nresources: ["../../base#x"]\npatches:\n  - path: "sel ü.yaml"\n',
    'äpp 1/overlays/pröd 100%/sel ü.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector:\n    app: web-prod\n',
  });
  try {
    const cli = await cliLines(ws.root);
    const patch = pathToUri(join(ws.root, 'äpp 1/overlays/pröd 100%/sel ü.yaml'));
    assert.deepEqual(cli, [
      `${patch} 4:2-4:10 warning service-selector-no-match Service "prod/web" selects no pods: no pod template has app=web-prod. ` +
        'Deployment "web" (dep #1.yaml) looks like its target; its pod template has app=web. (in overlays pröd 100%)',
    ]);
    assert.deepEqual(await serverLines(ws.root), cli);
  } finally {
    ws.cleanup();
  }
});
