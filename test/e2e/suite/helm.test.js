/* global require, suite, suiteSetup, suiteTeardown, test */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// Helm charts in a real extension host: "Kube Reach: Show Rendered Manifest" opens a template's
// output read-only beside it (rendered with kubeReach.helm.valueFiles and releaseName, refreshed
// after an unsaved edit), names the function when a template cannot be rendered; hover on
// `.Values…` shows values.yaml's default; the language status names the chart. The chart is
// written into the throwaway workspace copy and removed afterwards; settings are restored.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { hoverText, waitFor } = require('./helpers');

const EXTENSION_ID = 'kube-reach.kube-reach';

const CHART = {
  'helm-demo/Chart.yaml': 'apiVersion: v2\nname: helm-demo\nversion: 0.1.0\n',
  'helm-demo/values.yaml': '# The Service.\nservice:\n  # -- Port the Service listens on.\n  port: 8080\n',
  'helm-demo/templates/_helpers.tpl': '{{- define "demo.name" -}}\n{{ .Release.Name }}-demo\n{{- end }}\n',
  'helm-demo/templates/service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "demo.name" . }}\nspec:\n  selector:\n    app: demo\n  ports:\n    - port: {{ .Values.service.port }}\n',
  'helm-demo/templates/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ noSuchFunction . }}\n',
  'helm-demo-prod.yaml': 'service:\n  port: 9090\n',
};

suite('Helm charts in VS Code', function () {
  let api;
  let folder;
  const config = () => vscode.workspace.getConfiguration('kubeReach');
  const uriOf = (rel) => vscode.Uri.joinPath(folder.uri, rel);
  const renderedEditor = () => vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'kube-reach-rendered');

  suiteSetup(async function () {
    this.timeout(60000);
    folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'a workspace is open');
    for (const [rel, text] of Object.entries(CHART)) {
      fs.mkdirSync(path.dirname(uriOf(rel).fsPath), { recursive: true });
      fs.writeFileSync(uriOf(rel).fsPath, text);
    }
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await ext.activate();
    api = ext.exports;
    await waitFor(() => api.serverState() === 'running' && api.analysisCount() >= 1, 'the server analysed the workspace', 30000);
    await config().update('helm.valueFiles', { 'helm-demo': ['helm-demo-prod.yaml'] }, vscode.ConfigurationTarget.Workspace);
    await config().update('helm.releaseName', 'demo', vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    await config().update('helm.valueFiles', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('helm.releaseName', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uriOf('helm-demo').fsPath, { recursive: true, force: true });
    fs.rmSync(uriOf('helm-demo-prod.yaml').fsPath, { force: true });
  });

  test('Show Rendered Manifest opens the template output read-only, with the configured values and release', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('kubeReach.showRenderedManifest'));
    const doc = await vscode.workspace.openTextDocument(uriOf('helm-demo/templates/service.yaml'));
    await vscode.window.showTextDocument(doc, { preview: false });
    // The settings reach the server asynchronously: render until the release name shows.
    const shown = await waitFor(async () => {
      const r = await vscode.commands.executeCommand('kubeReach.showRenderedManifest', doc.uri);
      return r && r.text.includes('name: demo-demo') ? r : undefined;
    }, 'the rendered manifest with release "demo"');
    assert.match(shown.text, /^---\n# Source: helm-demo\/templates\/service\.yaml\napiVersion: v1\nkind: Service\n/m);
    assert.match(shown.text, /- port: 9090/);
    const editor = await waitFor(renderedEditor, 'the rendered document beside the template');
    assert.strictEqual(editor.document.getText(), shown.text);
    assert.strictEqual(editor.document.languageId, 'yaml');
    // A content provider's document: VS Code shows it read-only, and it is never saved to disk.
    assert.strictEqual(editor.document.uri.scheme, 'kube-reach-rendered');
    assert.strictEqual(editor.document.isDirty, false);
  });

  test('the rendered document follows an unsaved edit of the template', async () => {
    const doc = await vscode.workspace.openTextDocument(uriOf('helm-demo/templates/service.yaml'));
    const original = doc.getText();
    const e = new vscode.WorkspaceEdit();
    const at = original.indexOf('app: demo');
    e.replace(doc.uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'app: demo'.length)), 'app: edited');
    assert.ok(await vscode.workspace.applyEdit(e));
    try {
      await waitFor(() => renderedEditor() && renderedEditor().document.getText().includes('app: edited'), 'the re-rendered document');
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      await vscode.workspace.applyEdit(back);
    }
  });

  test('a template that cannot be rendered shows the file and the function instead', async () => {
    const r = await vscode.commands.executeCommand('kubeReach.showRenderedManifest', uriOf('helm-demo/templates/broken.yaml'));
    assert.ok(r);
    assert.match(r.text, /could not render/);
    assert.match(r.text, /helm-demo\/templates\/broken\.yaml cannot be rendered: function "noSuchFunction" is not supported/);
  });

  test('hover on .Values shows the default and its comment; the language status names the chart', async () => {
    const doc = await vscode.workspace.openTextDocument(uriOf('helm-demo/templates/service.yaml'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const pos = doc.positionAt(doc.getText().indexOf('.Values.service.port') + '.Values.service.p'.length);
    const text = await waitFor(async () => {
      const h = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
      return h.includes('.Values.service.port') ? h : undefined;
    }, 'a hover on .Values.service.port');
    assert.match(text, /Port the Service listens on\./);
    assert.match(text, /Default in `helm-demo\/values\.yaml`/);
    assert.match(text, /8080/);
    assert.match(text, /Set in `helm-demo-prod\.yaml`/);
    await waitFor(
      () => /^Kube Reach: chart helm-demo \(values: values\.yaml, helm-demo-prod\.yaml\)$/.test(api.languageStatus()),
      'the language status',
    );
  });
});
