/* global require, suite, suiteSetup, test */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// kubeReach.schemaAssist "auto" with Red Hat's YAML extension present (docs/dev/design.md §4). The real
// redhat.vscode-yaml cannot be installed offline, so runExthost.mjs --redhat-standin installs a
// stand-in with that id and no code (test/e2e/fixtures/redhat-yaml-standin); this file runs only
// in that second, small run. With it, hover leaves the Kubernetes field docs to Red Hat's extension
// and keeps the workspace facts.
const assert = require('assert');
const vscode = require('vscode');
const { hoverText, lineOf, waitFor } = require('./helpers');

suite('Kube Reach with a redhat.vscode-yaml stand-in (kubeReach.schemaAssist "auto")', function () {
  let api;
  let doc;

  suiteSetup(async function () {
    this.timeout(60000);
    const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'the examples workspace is open');
    doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'shop/frontend.yaml'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const ext = vscode.extensions.getExtension('kube-reach.kube-reach');
    assert.ok(ext, 'kube-reach.kube-reach is loaded');
    await waitFor(() => ext.isActive, 'activation');
    api = ext.exports;
    await waitFor(() => api.serverState() === 'running', 'server running');
    await waitFor(() => api.analysisCount() >= 1, 'kubeReach/analysisComplete');
  });

  test('the stand-in is installed and the setting is "auto"', () => {
    assert.ok(vscode.extensions.getExtension('redhat.vscode-yaml'), 'redhat.vscode-yaml (stand-in) is installed');
    assert.strictEqual(vscode.workspace.getConfiguration('kubeReach').get('schemaAssist'), 'auto');
  });

  test('hover leaves the API field docs to Red Hat YAML and keeps the workspace facts', async () => {
    const tp = lineOf(doc, '      targetPort: http', 'kind: Service');
    const text = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(tp, 8)));
    assert.match(text, /Deployment "frontend"/, text);
    assert.doesNotMatch(text, /Kubernetes API reference/, text);
    assert.doesNotMatch(text, /Number or name of the port to access/, text);
    const sel = lineOf(doc, '    app: frontend', 'kind: Service');
    assert.match(
      hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(sel, 6))),
      /Deployment "frontend"/,
    );
  });

  test('completion still offers workspace label values', async () => {
    const sel = lineOf(doc, '    app: frontend', 'kind: Service');
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(sel, 9));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['frontend', 'api', 'worker']) assert.ok(labels.includes(v), `completion offers ${v}: ${labels.join(', ')}`);
  });
});
