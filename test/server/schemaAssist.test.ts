/**
 * kubeReach.schemaAssist: when the client resolves it to "off" (Red Hat's YAML extension already
 * shows the Kubernetes schema), hover leaves out the API field docs and completion the schema keys,
 * while workspace facts and values stay. Over real JSON-RPC, against the default.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CompletionItem, Hover, MarkupContent } from 'vscode-languageserver';
import { pathToUri } from '../../server/uris.js';
import { FULL_CAPABILITIES, Harness, tempWorkspace } from './harness.js';

const DEPLOY = `apiVersion: apps/v1
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
      containers:
        - name: web
          image: web
          ports: [{name: http, containerPort: 8080}]
`;
const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`;

async function ask(schemaAssist: string | undefined): Promise<{ hover: string; keys: string[]; values: string[] }> {
  const ws = tempWorkspace({ 'deploy.yaml': DEPLOY, 'svc.yaml': SVC });
  const h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: ws.root });
  try {
    await h.initialize(schemaAssist === undefined ? undefined : { schemaAssist });
    await h.analysisComplete();
    const uri = pathToUri(join(ws.root, 'svc.yaml'));
    const lines = SVC.split('\n');
    const tpLine = lines.findIndex((l) => l.includes('targetPort'));
    const hover = (await h.client.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: tpLine, character: 20 },
    })) as Hover | null;
    const specLine = lines.findIndex((l) => l.startsWith('spec:'));
    const keys = (await h.client.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: specLine + 1, character: 2 },
    })) as CompletionItem[];
    const appLine = lines.findIndex((l) => l.includes('app: web'));
    const values = (await h.client.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: appLine, character: 9 },
    })) as CompletionItem[];
    return {
      hover: (hover?.contents as MarkupContent | undefined)?.value ?? '',
      keys: keys.map((k) => k.label),
      values: values.map((v) => v.label),
    };
  } finally {
    h.dispose();
    ws.cleanup();
  }
}

test('schemaAssist "off" leaves the schema to the other extension and keeps workspace facts', async () => {
  const on = await ask(undefined);
  const off = await ask('off');
  assert.match(on.hover, /lands on/);
  assert.match(on.hover, /Kubernetes API reference/);
  assert.match(off.hover, /lands on/);
  assert.doesNotMatch(off.hover, /Kubernetes API reference/);
  assert.ok(on.keys.includes('clusterIP'), on.keys.join(','));
  assert.ok(!off.keys.includes('clusterIP'), off.keys.join(','));
  assert.deepEqual(off.values, on.values);
  assert.ok(on.values.includes('web'));
});
