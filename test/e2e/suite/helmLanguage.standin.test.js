/* global require, suite, suiteSetup, suiteTeardown, test */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// Chart templates in the language `helm`, as the Kubernetes extension names them (its stand-in,
// test/e2e/fixtures/kubernetes-tools-standin, installed by runExthost.mjs --redhat-standin): Kube
// Reach analyses them as they are typed (document selector `helm`, `onLanguage:helm`), with
// findings on the template line, and hover on `.Values` works there.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { hoverText, waitFor } = require('./helpers');

const CHART = {
  'helm-lang/Chart.yaml': 'apiVersion: v2\nname: helm-lang\nversion: 0.1.0\n',
  'helm-lang/values.yaml': 'port: 8080\n',
  'helm-lang/templates/service.yaml':
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: {{ .Values.port }}\n',
};

suite('Helm templates in the language "helm" (a Kubernetes extension stand-in)', function () {
  let folder;
  const uriOf = (rel) => vscode.Uri.joinPath(folder.uri, rel);
  const codesOf = (uri) => vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' ? d.code.value : d.code));

  suiteSetup(async function () {
    this.timeout(60000);
    folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'a workspace is open');
    for (const [rel, text] of Object.entries(CHART)) {
      fs.mkdirSync(path.dirname(uriOf(rel).fsPath), { recursive: true });
      fs.writeFileSync(uriOf(rel).fsPath, text);
    }
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(uriOf('helm-lang').fsPath, { recursive: true, force: true });
  });

  test('a template opens as "helm", Kube Reach is active, and an unsaved edit is analysed on its template line', async () => {
    assert.ok(vscode.extensions.getExtension('ms-kubernetes-tools.vscode-kubernetes-tools'), 'the stand-in is installed');
    const doc = await vscode.workspace.openTextDocument(uriOf('helm-lang/templates/service.yaml'));
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    assert.strictEqual(doc.languageId, 'helm');
    const ext = vscode.extensions.getExtension('kube-reach.kube-reach');
    await waitFor(() => ext.isActive, 'activation');
    await waitFor(() => ext.exports.serverState() === 'running', 'server running');
    // Typed, not saved: a protocol the Service port cannot have.
    const at = doc.getText().indexOf('    - port:');
    assert.ok(await editor.edit((e) => e.insert(doc.positionAt(at + '    - '.length), 'protocol: HTTP\n      ')), 'the edit applies');
    const line = doc.positionAt(doc.getText().indexOf('protocol: HTTP')).line;
    const diag = await waitFor(
      () =>
        vscode.languages.getDiagnostics(doc.uri).find((d) => String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('api-')),
      'an API finding on the typed line of the helm document',
    );
    assert.strictEqual(diag.range.start.line, line, `${diag.message} on line ${diag.range.start.line + 1}`);
    assert.match(diag.message, /HTTP/);
    const pos = doc.positionAt(doc.getText().indexOf('.Values.port') + '.Values.po'.length);
    const text = await waitFor(async () => {
      const h = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos));
      return h.includes('.Values.port') ? h : undefined;
    }, 'a hover on .Values.port in the helm document');
    assert.match(text, /8080/);
    assert.ok(!codesOf(doc.uri).includes('yaml-syntax'), codesOf(doc.uri).join(', '));
  });
});
