/* global require, suite, suiteSetup, test, setInterval, clearInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// The extension in a real VS Code extension host (design §8): features are asserted through the
// deterministic `vscode.execute*Provider` commands, waiting on state (kubeReach/analysisComplete,
// diagnostics) with deadlines, never on sleeps. The workspace is a throwaway copy of examples/.
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'kube-reach.kube-reach';

function waitFor(fn, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const timer = setInterval(async () => {
      try {
        const v = await fn();
        if (v) {
          clearInterval(timer);
          resolve(v);
        } else if (Date.now() > end) {
          clearInterval(timer);
          reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
        }
      } catch (e) {
        clearInterval(timer);
        reject(e);
      }
    }, 50);
  });
}

function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kube-reach');
}

/** Line of the first line equal to `text` after the line equal to `after`. */
function lineOf(doc, text, after) {
  let seen = after === undefined;
  for (let i = 0; i < doc.lineCount; i++) {
    const l = doc.lineAt(i).text;
    if (!seen && l === after) seen = true;
    else if (seen && l === text) return i;
  }
  throw new Error(`no line "${text}" in ${doc.uri.fsPath}`);
}

/** Every `# MISTAKE (code)` comment in the file, with the first line it can annotate (the next non-comment line). */
function mistakes(doc) {
  const out = [];
  for (let i = 0; i < doc.lineCount; i++) {
    const m = /#\s*MISTAKE \(([a-z0-9-]+)\)/.exec(doc.lineAt(i).text);
    if (!m) continue;
    let j = i + 1;
    while (j < doc.lineCount && /^\s*#/.test(doc.lineAt(j).text)) j++;
    out.push({ code: m[1], line: doc.lineAt(i).text.trim().startsWith('#') ? j : i });
  }
  return out;
}

suite('Kube Reach in VS Code (code-server / test-electron)', function () {
  let api;
  let folder;
  let catalog;

  const open = async (rel) => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, rel));
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  };

  suiteSetup(async function () {
    this.timeout(60000);
    folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
    assert.ok(folder, 'the examples workspace is open');
    catalog = await open('shop/catalog.yaml');
    assert.strictEqual(catalog.languageId, 'yaml');
  });

  test('activates on a YAML file and exposes its API', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded`);
    await waitFor(() => ext.isActive, 'activation', 20000);
    api = ext.exports;
    assert.strictEqual(typeof api.analysisCount, 'function');
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['kubeReach.showReachability', 'kubeReach.restartServer', 'kubeReach.showOutput']) assert.ok(commands.includes(c), c);
  });

  test('contributed settings read back with their defaults', () => {
    const c = vscode.workspace.getConfiguration('kubeReach');
    assert.strictEqual(c.get('defaultNamespace'), 'default');
    assert.strictEqual(c.get('maxFileSizeMB'), 5);
    assert.deepStrictEqual(c.get('exclude'), []);
    assert.strictEqual(c.get('trace.server'), 'off');
  });

  test('the server starts and analyses the workspace (kubeReach/analysisComplete)', async () => {
    await waitFor(() => api.serverState() === 'running', 'server running', 20000);
    await waitFor(() => api.analysisCount() >= 1, 'kubeReach/analysisComplete', 20000);
    assert.ok(api.logLines().some((l) => /server ready/.test(l)), 'the output channel says the server is ready');
  });

  test('diagnostics for shop/catalog.yaml: code, severity and exact range', async () => {
    const diags = await waitFor(() => {
      const d = ours(catalog.uri).filter((x) => codeOf(x) === 'service-selector-no-match');
      return d.length > 0 ? d : undefined;
    }, 'service-selector-no-match on catalog.yaml');
    assert.strictEqual(diags.length, 1);
    const line = lineOf(catalog, '    app: catalgo');
    const start = catalog.lineAt(line).text.indexOf('catalgo');
    assert.deepStrictEqual([diags[0].range.start.line, diags[0].range.start.character, diags[0].range.end.line, diags[0].range.end.character], [line, start, line, start + 'catalgo'.length]);
    assert.strictEqual(diags[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diags[0].message, /selects no pods/);
  });

  test('every commented mistake in examples/shop has its diagnostic right below the comment', async () => {
    for (const rel of ['shop/catalog.yaml', 'shop/ingress.yaml', 'shop/policies.yaml', 'shop/worker.yaml']) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, rel));
      const want = mistakes(doc);
      assert.ok(want.length > 0, `${rel} has commented mistakes`);
      await waitFor(() => want.every((m) => ours(doc.uri).some((d) => codeOf(d) === m.code && d.range.start.line >= m.line && d.range.start.line <= m.line + 2)), `${rel}: ${JSON.stringify(want)} (got ${JSON.stringify(ours(doc.uri).map((d) => [codeOf(d), d.range.start.line]))})`);
    }
  });

  test('hover on a Service selector names the workload it selects', async () => {
    const doc = await open('shop/frontend.yaml');
    const line = lineOf(doc, '    app: frontend', 'kind: Service');
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 6));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Deployment "frontend"/);
  });

  test('completion inside a selector offers label values from the workspace', async () => {
    await vscode.window.showTextDocument(catalog);
    const line = lineOf(catalog, '    app: catalgo');
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', catalog.uri, new vscode.Position(line, catalog.lineAt(line).text.indexOf('catalgo')));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['catalog', 'frontend', 'api']) assert.ok(labels.includes(v), `completion offers ${v}: ${labels.join(', ')}`);
  });

  test('snippets with the k8s- prefix are offered in YAML', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'k8s-' });
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 4));
    const labels = list.items.filter((i) => i.kind === vscode.CompletionItemKind.Snippet).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const p of ['k8s-service-clusterip', 'k8s-ingress-tls', 'k8s-netpol-default-deny-egress']) assert.ok(labels.includes(p), `${p} in ${labels.join(', ')}`);
  });

  test('the quick-fix for the selector typo applies and the diagnostic goes away', async () => {
    await vscode.window.showTextDocument(catalog);
    const diag = ours(catalog.uri).find((d) => codeOf(d) === 'service-selector-no-match');
    assert.ok(diag);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', catalog.uri, diag.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.edit && /catalog/.test(a.title));
    assert.ok(fix, `a quick-fix is offered: ${actions.map((a) => a.title).join(' | ')}`);
    const before = api.analysisCount();
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(catalog.lineAt(diag.range.start.line).text, '    app: catalog');
    await api.waitForAnalysis(before, 20000);
    await waitFor(() => !ours(catalog.uri).some((d) => codeOf(d) === 'service-selector-no-match'), 'the diagnostic to clear');
  });

  test('"Kube Reach: Preview Reachability" opens one panel beside the editor with the expected edges', async () => {
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.filter((t) => t.label === 'Kube Reach: Reachability').map((t) => ({ t, g })));
    assert.strictEqual(await vscode.commands.executeCommand('kubeReach.showReachability'), true);
    await waitFor(() => tabs().length === 1, 'the panel tab');
    const rendered = await waitFor(() => api.panel().rendered, 'the webview to render the graph');
    assert.strictEqual(rendered.view, 'graph', JSON.stringify(rendered));
    assert.ok(rendered.namespaces >= 2, JSON.stringify(rendered));
    assert.ok(rendered.workloads >= 4, JSON.stringify(rendered));
    assert.ok(rendered.services >= 4, JSON.stringify(rendered));
    for (const edge of ['shop/frontend[Deployment] -> shop/api[Deployment]', 'shop/api[Deployment] -> shop-data/postgres[StatefulSet]', 'shop/worker[Deployment] -> shop-data/postgres[StatefulSet]', '{ingress-controller} -> shop/frontend[Deployment]']) {
      assert.ok(rendered.edgeKeys.includes(edge), `${edge} in ${JSON.stringify(rendered.edgeKeys)}`);
    }
    assert.ok(!rendered.edgeKeys.includes('shop/frontend[Deployment] -> shop-data/postgres[StatefulSet]'), 'the policy denies frontend → postgres');
    assert.ok(typeof api.panel().firstRenderMs === 'number', 'the first render is timed');
    assert.ok(tabs()[0].g.viewColumn !== vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === 'catalog.yaml')).viewColumn, 'beside the editor');
    await vscode.commands.executeCommand('kubeReach.showReachability');
    assert.strictEqual(tabs().length, 1, 'still one panel');
  });

  test('an unsaved edit to a NetworkPolicy changes the graph within 5 s', async () => {
    const folder = vscode.workspace.workspaceFolders[0].uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'data', 'postgres.yaml'));
    const line = doc.getText().split('\n').findIndex((l) => l.includes('values: [api, worker]'));
    assert.ok(line >= 0, 'the rule to edit');
    const start = doc.lineAt(line).text.indexOf('[api, worker]');
    const range = new vscode.Range(line, start, line, start + '[api, worker]'.length);
    const revision = api.panel().rendered.revision;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, range, '[api]');
    const t0 = Date.now();
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty, 'unsaved');
    const worker = 'shop/worker[Deployment] -> shop-data/postgres[StatefulSet]';
    const r = await waitFor(() => {
      const x = api.panel().rendered;
      return x && x.revision > revision && !x.edgeKeys.includes(worker) ? x : undefined;
    }, 'the graph without worker → postgres', 5000);
    assert.ok(r.edgeKeys.includes('shop/api[Deployment] -> shop-data/postgres[StatefulSet]'));
    console.log(`    panel update after an unsaved edit: ${Date.now() - t0} ms (lastUpdateMs ${api.panel().lastUpdateMs})`);
    const back = new vscode.WorkspaceEdit();
    back.replace(doc.uri, new vscode.Range(line, start, line, start + '[api]'.length), '[api, worker]');
    assert.ok(await vscode.workspace.applyEdit(back));
    await waitFor(() => (api.panel().rendered?.edgeKeys ?? []).includes(worker), 'worker → postgres back', 5000);
  });

  test('a crashed server is restarted, said in the output channel, and analyses again', async function () {
    this.timeout(60000);
    const pid = api.serverPid();
    assert.ok(pid, 'the server pid is known');
    const before = api.analysisCount();
    process.kill(pid, 'SIGKILL');
    await waitFor(() => api.restarts() >= 1 && api.serverState() === 'running' && api.serverPid() !== undefined && api.serverPid() !== pid, 'the restarted server', 30000);
    await api.waitForAnalysis(before, 30000);
    assert.ok(api.logLines().some((l) => /stopped unexpectedly; restarting/.test(l)), 'the output channel says so');
  });
});
