/* global require, suite, suiteSetup, suiteTeardown, test */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// What a change opens or closes, in a real extension host: the throwaway copy of examples/ is made a
// git repository (its .git removed at the end), an unsaved NetworkPolicy edit is compared with HEAD:
// the policy's code lens says what it removed since HEAD, and "Kube Reach: Show Connectivity
// Changes since HEAD" opens the panel's Changes view listing that connection. The edit is reverted.
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { waitFor } = require('./helpers');

const EXTENSION_ID = 'kube-reach.kube-reach';
const WORKER_TO_POSTGRES = 'shop/worker[Deployment] -> shop-data/postgres[StatefulSet]';

suite('Changes since git HEAD (code-server / test-electron)', function () {
  let api;
  let folder;

  suiteSetup(async function () {
    this.timeout(60000);
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await ext.activate();
    folder = vscode.workspace.workspaceFolders[0];
    const git = (...args) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd: folder.uri.fsPath,
        encoding: 'utf8',
      });
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    await waitFor(() => api.serverState() === 'running' && api.analysisCount() >= 1, 'the server to analyse', 30000);
  });

  suiteTeardown(() => {
    fs.rmSync(path.join(folder.uri.fsPath, '.git'), { recursive: true, force: true });
  });

  test('an unsaved policy edit: its lens says what it removed since HEAD, and the Changes view lists it', async function () {
    this.timeout(60000);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'data', 'postgres.yaml'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const original = doc.getText();
    const line = original.split('\n').findIndex((l) => l.includes('values: [api, worker]'));
    assert.ok(line >= 0, 'the rule to edit');
    const start = doc.lineAt(line).text.indexOf('[api, worker]');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(line, start, line, start + '[api, worker]'.length), '[api]');
    const before = api.analysisCount();
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty, 'unsaved');
    await api.waitForAnalysis(before, 20000);
    try {
      // The lens: made after the comparison with HEAD (asked again until it is there).
      const title = await waitFor(
        async () => {
          const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
          return lenses.map((l) => (l.command ? l.command.title : '')).find((t) => /since HEAD$/.test(t));
        },
        'a lens naming what changed since HEAD',
        20000,
      );
      assert.match(title, /^selects \d+ workloads? · allows \d+ connections? · \u22121 since HEAD$/);

      // The Changes view.
      assert.strictEqual(await vscode.commands.executeCommand('kubeReach.showChanges'), true);
      const shown = await waitFor(
        () => {
          const r = api.panel().rendered;
          return r && r.view === 'changes' && r.edgeKeys.includes(WORKER_TO_POSTGRES) ? r : undefined;
        },
        'the Changes view listing worker → postgres',
        20000,
      );
      assert.strictEqual(shown.edges, 1, JSON.stringify(shown));
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), original);
      assert.ok(await vscode.workspace.applyEdit(back));
    }
    // Reverted: nothing differs from HEAD any more.
    await waitFor(
      () => {
        const r = api.panel().rendered;
        return r && r.view === 'changes' && r.edges === 0;
      },
      'the Changes view to empty after the revert',
      20000,
    );
  });
});
