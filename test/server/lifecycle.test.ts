/**
 * The LSP lifecycle as the specification states it: ServerNotInitialized (-32002) for a request
 * before `initialize`, InvalidRequest (-32600) after `shutdown`, one `initialize` only; an
 * `initialize` without `capabilities` is a client without capabilities; `rootPath` and `rootUri`
 * are scanned when `workspaceFolders` is absent. A JSON fix that adds a file is offered as a
 * create operation to a client that can apply one, and not at all to one that cannot.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { CodeAction, CreateFile, PublishDiagnosticsParams, TextDocumentEdit } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { Harness, tempWorkspace } from './harness.js';

const SERVICE =
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const NETPOL_JSON = `${JSON.stringify(
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'lock', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } } }], ports: [{ port: 5432 }] }],
    },
  },
  null,
  2,
)}\n`;
const DEPLOY =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: web, ports: [{containerPort: 80}]}]\n';

let ws: { root: string; cleanup: () => void };
before(() => {
  ws = tempWorkspace({ 'svc.yaml': SERVICE, 'deploy.yaml': DEPLOY, 'policy.json': NETPOL_JSON });
});
after(() => ws.cleanup());

async function rejection(p: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ResponseError) return e;
    throw e;
  }
  assert.fail('the request was answered');
}

const HOVER = { textDocument: { uri: 'file:///nowhere.yaml' }, position: { line: 0, character: 0 } };

test('a request before initialize gets ServerNotInitialized; notifications are dropped', async () => {
  const h = new Harness({ capabilities: {} });
  try {
    await h.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///early.yaml', languageId: 'yaml', version: 1, text: SERVICE },
    });
    const e = await rejection(h.client.sendRequest('textDocument/hover', HOVER));
    assert.equal(e.code, -32002);
    assert.equal(h.server.host.hasFile('file:///early.yaml'), false);
    // After initialize the same request is served.
    await h.initialize();
    assert.equal(await h.client.sendRequest('textDocument/hover', HOVER), null);
    const again = await rejection(h.client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} }));
    assert.equal(again.code, -32600);
  } finally {
    h.dispose();
  }
});

test('after shutdown every request gets InvalidRequest', async () => {
  const h = new Harness({ capabilities: {} });
  try {
    await h.initialize();
    assert.equal(await h.client.sendRequest('shutdown'), null);
    const e = await rejection(h.client.sendRequest('textDocument/hover', HOVER));
    assert.equal(e.code, -32600);
    const twice = await rejection(h.client.sendRequest('shutdown'));
    assert.equal(twice.code, -32600);
  } finally {
    h.dispose();
  }
});

for (const shape of ['rootPath', 'rootUri'] as const) {
  test(`initialize without capabilities and with only ${shape}: answered, and the workspace is scanned`, async () => {
    const h = new Harness({ capabilities: {} });
    try {
      const params = shape === 'rootPath' ? { processId: null, rootPath: ws.root } : { processId: null, rootUri: pathToUri(ws.root) };
      const result: { capabilities?: unknown } = await h.client.sendRequest('initialize', params);
      assert.ok(typeof result.capabilities === 'object' && result.capabilities !== null);
      await h.client.sendNotification('initialized', {});
      await h.analysisComplete();
      assert.ok(h.server.host.hasFile(pathToUri(join(ws.root, 'svc.yaml'))), 'the workspace was not scanned');
      assert.ok(h.server.host.hasFile(pathToUri(join(ws.root, 'policy.json'))));
    } finally {
      h.dispose();
    }
  });
}

async function dnsActions(createFiles: boolean): Promise<CodeAction[]> {
  const capabilities = createFiles
    ? { workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create' as const] } } }
    : {};
  const h = new Harness({ capabilities, rootPath: ws.root });
  try {
    await h.initialize();
    await h.analysisComplete();
    const uri = pathToUri(join(ws.root, 'policy.json'));
    const pub = await h.waitFor(
      'diagnostics of policy.json',
      (r) =>
        r.method === 'textDocument/publishDiagnostics' &&
        (r.params as PublishDiagnosticsParams).uri === uri &&
        (r.params as PublishDiagnosticsParams).diagnostics.length > 0,
    );
    const diagnostics = (pub.params as PublishDiagnosticsParams).diagnostics.filter((d) => d.code === 'netpol-egress-blocks-dns');
    const first = diagnostics[0];
    assert.ok(first !== undefined, 'no netpol-egress-blocks-dns on policy.json');
    return await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: first.range, context: { diagnostics } });
  } finally {
    h.dispose();
  }
}

test('a JSON fix that adds an object creates a new JSON file, for a client that can', async () => {
  const actions = await dnsActions(true);
  const add = actions.find((a) => a.title.startsWith('Add an allow-dns NetworkPolicy'));
  assert.ok(add?.edit?.documentChanges !== undefined, 'no create action');
  const [create, edit] = add.edit.documentChanges as [CreateFile, TextDocumentEdit];
  assert.equal(create.kind, 'create');
  assert.equal(create.uri, pathToUri(join(ws.root, 'allow-dns.json')));
  assert.equal(create.options?.overwrite, false);
  assert.equal(edit.textDocument.uri, create.uri);
  const first = edit.edits[0];
  const doc = JSON.parse(first !== undefined && 'newText' in first ? first.newText : '') as { kind?: unknown };
  assert.equal(doc.kind, 'NetworkPolicy');
  const suppress = actions.find((a) => a.title.startsWith('Suppress netpol-egress-blocks-dns'));
  assert.ok(suppress !== undefined && suppress.title.includes('kube-reach.io/ignore'));
});

test('a client that cannot create files is not offered that fix', async () => {
  const actions = await dnsActions(false);
  assert.ok(actions.length > 0);
  assert.ok(!actions.some((a) => a.title.startsWith('Add an allow-dns NetworkPolicy')));
});
