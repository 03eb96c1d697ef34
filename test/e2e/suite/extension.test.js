/* global require, suite, suiteSetup, test */
/* eslint-disable @typescript-eslint/no-require-imports -- the extension host loads this suite as CommonJS */
// The extension in a real VS Code extension host (docs/dev/design.md §8): features are asserted through the
// deterministic `vscode.execute*Provider` commands, waiting on state (kubeReach/analysisComplete,
// diagnostics) with deadlines, never on sleeps. The workspace is a throwaway copy of examples/.
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const { hoverText, lineOf, waitFor } = require('./helpers');

const EXTENSION_ID = 'kube-reach.kube-reach';

function codeOf(d) {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

function ours(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'kube-reach');
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

function labelOf(item) {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** A definition result as [uri, range] (Location or LocationLink). */
function targetOf(loc) {
  return loc.targetUri ? [loc.targetUri, loc.targetSelectionRange ?? loc.targetRange] : [loc.uri, loc.range];
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

  /** Replace the whole text of an open document (unsaved) and wait for the analysis it triggers. */
  const setText = async (doc, text) => {
    const before = api.analysisCount();
    const e = new vscode.WorkspaceEdit();
    e.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(e));
    assert.strictEqual(doc.getText(), text);
    await api.waitForAnalysis(before, 20000);
  };

  /** Run `fn` on a document, then put its original text back without saving (the workspace is a copy; examples/ is never touched). */
  const withRevert = async (doc, fn) => {
    const original = doc.getText();
    try {
      return await fn();
    } finally {
      if (doc.getText() !== original) await setText(doc, original);
    }
  };

  const diagAt = (doc, code) => ours(doc.uri).find((d) => codeOf(d) === code);

  /** Apply the quick-fix titled like `title` for the `code` diagnostic; the diagnostic goes away; then revert. */
  const applyFix = async (rel, code, title) => {
    const doc = await open(rel);
    const diag = await waitFor(() => diagAt(doc, code), `${code} on ${rel}`);
    await withRevert(doc, async () => {
      const actions = await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        doc.uri,
        diag.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.edit && title.test(a.title));
      assert.ok(fix, `a quick-fix ${title} for ${code}: ${actions.map((a) => a.title).join(' | ')}`);
      const before = api.analysisCount();
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.ok(doc.isDirty, 'applied in the unsaved document');
      await api.waitForAnalysis(before, 20000);
      await waitFor(
        () => !diagAt(doc, code),
        `${code} to clear after "${fix.title}" (got ${JSON.stringify(ours(doc.uri).map((d) => [codeOf(d), d.range.start.line]))})`,
      );
    });
    await waitFor(() => diagAt(doc, code), `${code} back after the revert`);
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
    assert.strictEqual(c.get('server.maxMemoryMB'), 1024);
  });

  test('the server starts and analyses the workspace (kubeReach/analysisComplete)', async () => {
    await waitFor(() => api.serverState() === 'running', 'server running', 20000);
    await waitFor(() => api.analysisCount() >= 1, 'kubeReach/analysisComplete', 20000);
    assert.ok(
      api.logLines().some((l) => /server ready/.test(l)),
      'the output channel says the server is ready',
    );
    // Started with the heap settings of kubeReach.server.maxMemoryMB (protocol/serverProcess.ts).
    assert.ok(
      api.logLines().some((l) => /server started \(pid \d+, heap limit 1024 MB\)/.test(l)),
      'the output channel gives the heap limit',
    );
    const pid = api.serverPid();
    if (pid !== undefined && fs.existsSync(`/proc/${pid}/cmdline`)) {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      assert.ok(argv.includes('--max-old-space-size=1024'), `server argv: ${argv.join(' ')}`);
    }
  });

  test('diagnostics for shop/catalog.yaml: code, severity and exact range', async () => {
    const diags = await waitFor(() => {
      const d = ours(catalog.uri).filter((x) => codeOf(x) === 'service-selector-no-match');
      return d.length > 0 ? d : undefined;
    }, 'service-selector-no-match on catalog.yaml');
    assert.strictEqual(diags.length, 1);
    const line = lineOf(catalog, '    app: catalgo');
    const start = catalog.lineAt(line).text.indexOf('catalgo');
    assert.deepStrictEqual(
      [diags[0].range.start.line, diags[0].range.start.character, diags[0].range.end.line, diags[0].range.end.character],
      [line, start, line, start + 'catalgo'.length],
    );
    assert.strictEqual(diags[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diags[0].message, /selects no pods/);
  });

  test('every commented mistake in examples/shop has its diagnostic right below the comment', async () => {
    for (const rel of ['shop/catalog.yaml', 'shop/ingress.yaml', 'shop/policies.yaml', 'shop/worker.yaml']) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, rel));
      const want = mistakes(doc);
      assert.ok(want.length > 0, `${rel} has commented mistakes`);
      await waitFor(
        () =>
          want.every((m) =>
            ours(doc.uri).some((d) => codeOf(d) === m.code && d.range.start.line >= m.line && d.range.start.line <= m.line + 2),
          ),
        `${rel}: ${JSON.stringify(want)} (got ${JSON.stringify(ours(doc.uri).map((d) => [codeOf(d), d.range.start.line]))})`,
      );
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
    const list = await vscode.commands.executeCommand(
      'vscode.executeCompletionItemProvider',
      catalog.uri,
      new vscode.Position(line, catalog.lineAt(line).text.indexOf('catalgo')),
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['catalog', 'frontend', 'api']) assert.ok(labels.includes(v), `completion offers ${v}: ${labels.join(', ')}`);
  });

  test('snippets with the k8s- prefix are offered in YAML', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'k8s-' });
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 4));
    const labels = list.items
      .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
      .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const p of ['k8s-service-clusterip', 'k8s-ingress-tls', 'k8s-netpol-default-deny-egress'])
      assert.ok(labels.includes(p), `${p} in ${labels.join(', ')}`);
  });

  test('the quick-fix for the selector typo applies and the diagnostic goes away', async () => {
    await vscode.window.showTextDocument(catalog);
    const diag = ours(catalog.uri).find((d) => codeOf(d) === 'service-selector-no-match');
    assert.ok(diag);
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      catalog.uri,
      diag.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.edit && /catalog/.test(a.title));
    assert.ok(fix, `a quick-fix is offered: ${actions.map((a) => a.title).join(' | ')}`);
    const before = api.analysisCount();
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(catalog.lineAt(diag.range.start.line).text, '    app: catalog');
    await api.waitForAnalysis(before, 20000);
    await waitFor(() => !ours(catalog.uri).some((d) => codeOf(d) === 'service-selector-no-match'), 'the diagnostic to clear');
  });

  // Issue #4: a quick-fix of each family through the code-action API, reverted afterwards.
  test('quick-fix (Service): service-target-port-unknown on worker.yaml applies and clears', async () => {
    await applyFix('shop/worker.yaml', 'service-target-port-unknown', /^Set targetPort to 9102$/);
  });

  test('quick-fix (Ingress): ingress-backend-missing on ingress.yaml applies and clears', async () => {
    await applyFix('shop/ingress.yaml', 'ingress-backend-missing', /^Change the backend to Service "catalog"$/);
  });

  test('quick-fix (Ingress): ingress-backend-port-missing on ingress.yaml applies and clears', async () => {
    await applyFix('shop/ingress.yaml', 'ingress-backend-port-missing', /^Use Service port 80$/);
  });

  test('quick-fix (NetworkPolicy): netpol-selects-nothing on policies.yaml applies and clears', async () => {
    await applyFix('shop/policies.yaml', 'netpol-selects-nothing', /^Set podSelector app to "worker"$/);
  });

  test('kubeReach.diagnostics.severity makes netpol-selects-nothing an Error, and restoring it puts it back', async function () {
    this.timeout(60000);
    const doc = await open('shop/policies.yaml');
    const d0 = await waitFor(() => diagAt(doc, 'netpol-selects-nothing'), 'netpol-selects-nothing');
    assert.notStrictEqual(d0.severity, vscode.DiagnosticSeverity.Error, 'not an error by default');
    const config = () => vscode.workspace.getConfiguration('kubeReach');
    try {
      await config().update('diagnostics.severity', { 'netpol-selects-nothing': 'error' }, vscode.ConfigurationTarget.Workspace);
      await waitFor(
        () => diagAt(doc, 'netpol-selects-nothing')?.severity === vscode.DiagnosticSeverity.Error,
        'the diagnostic to become an Error',
      );
    } finally {
      await config().update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => diagAt(doc, 'netpol-selects-nothing')?.severity === d0.severity, 'the default severity back');
  });

  test('a suppression comment above the flagged line silences that diagnostic (unsaved edit, reverted)', async () => {
    const doc = await open('shop/policies.yaml');
    const diag = await waitFor(() => diagAt(doc, 'netpol-selects-nothing'), 'netpol-selects-nothing');
    const line = diag.range.start.line;
    const text = doc.lineAt(line).text;
    const indent = text.slice(0, text.length - text.trimStart().length);
    await withRevert(doc, async () => {
      const e = new vscode.WorkspaceEdit();
      e.insert(doc.uri, new vscode.Position(line, 0), `${indent}# kube-reach-disable-next-line netpol-selects-nothing\n`);
      const before = api.analysisCount();
      assert.ok(await vscode.workspace.applyEdit(e));
      await api.waitForAnalysis(before, 20000);
      await waitFor(() => !diagAt(doc, 'netpol-selects-nothing'), 'the suppressed diagnostic to disappear');
    });
    await waitFor(() => diagAt(doc, 'netpol-selects-nothing'), 'the diagnostic back after the revert');
  });

  // Issue #5: hover, completion, navigation, code lens.
  test('hover on targetPort shows the Kubernetes API description', async () => {
    const doc = await open('shop/frontend.yaml');
    const line = lineOf(doc, '      targetPort: http', 'kind: Service');
    const text = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, 8)));
    assert.match(text, /Number or name of the port to access on the pods targeted by the service/, text);
    assert.match(text, /Kubernetes API reference/, text);
  });

  test('completion offers a workspace label value in a Service selector (unsaved edit, reverted)', async () => {
    const doc = await open('shop/worker.yaml');
    const line = lineOf(doc, '    app: worker', 'kind: Service');
    await withRevert(doc, async () => {
      const e = new vscode.WorkspaceEdit();
      e.replace(doc.uri, new vscode.Range(line, '    app: '.length, line, doc.lineAt(line).text.length), 'w');
      assert.ok(await vscode.workspace.applyEdit(e));
      const list = await vscode.commands.executeCommand(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(line, '    app: w'.length),
      );
      const labels = list.items.map(labelOf);
      assert.ok(labels.includes('worker'), `completion offers worker: ${labels.join(', ')}`);
    });
  });

  test("completion offers the named Service's port names under an Ingress backend port (unsaved edit, reverted)", async () => {
    const doc = await open('shop/ingress.yaml');
    const line = lineOf(doc, '                  name: http', '                name: frontend');
    await withRevert(doc, async () => {
      const e = new vscode.WorkspaceEdit();
      e.replace(doc.uri, new vscode.Range(line, '                  name: '.length, line, doc.lineAt(line).text.length), 'h');
      assert.ok(await vscode.workspace.applyEdit(e));
      const list = await vscode.commands.executeCommand(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(line, '                  name: h'.length),
      );
      const labels = list.items.map(labelOf);
      assert.ok(labels.includes('http'), `completion offers http: ${labels.join(', ')}`);
    });
  });

  test("go to definition from a Service selector jumps to the Deployment's pod template labels", async () => {
    const doc = await open('shop/frontend.yaml');
    const line = lineOf(doc, '    app: frontend', 'kind: Service');
    const locs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, new vscode.Position(line, 6));
    assert.ok(locs && locs.length > 0, 'a definition');
    const labels = lineOf(doc, '      labels:', '  template:');
    const hits = locs
      .map(targetOf)
      .filter(([uri, r]) => uri.toString() === doc.uri.toString() && r.start.line >= labels && r.start.line <= labels + 2);
    assert.ok(
      hits.length > 0,
      `a location at the pod template labels (line ${labels}): ${JSON.stringify(locs.map(targetOf).map(([u, r]) => [u.path, r.start.line, r.start.character]))}`,
    );
  });

  test('code lenses on a Service and a NetworkPolicy', async () => {
    const titles = async (rel) => {
      const doc = await open(rel);
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
      return lenses.map((l) => (l.command ? l.command.title : ''));
    };
    const frontend = await titles('shop/frontend.yaml');
    assert.ok(frontend.includes('selects 1 workload · 80→http(8080)'), JSON.stringify(frontend));
    const policies = await titles('shop/policies.yaml');
    assert.ok(
      policies.some((t) => /^selects \d+ workloads? · allows \d+ connections?$/.test(t)),
      JSON.stringify(policies),
    );
  });

  test('"Kube Reach: Preview Reachability" opens one panel beside the editor with the expected edges', async () => {
    const tabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs.filter((t) => t.label === 'Kube Reach: Reachability').map((t) => ({ t, g })));
    assert.strictEqual(await vscode.commands.executeCommand('kubeReach.showReachability'), true);
    await waitFor(() => tabs().length === 1, 'the panel tab');
    const rendered = await waitFor(() => api.panel().rendered, 'the webview to render the graph');
    assert.strictEqual(rendered.view, 'graph', JSON.stringify(rendered));
    assert.ok(rendered.namespaces >= 2, JSON.stringify(rendered));
    assert.ok(rendered.workloads >= 4, JSON.stringify(rendered));
    assert.ok(rendered.services >= 4, JSON.stringify(rendered));
    for (const edge of [
      'shop/frontend[Deployment] -> shop/api[Deployment]',
      'shop/api[Deployment] -> shop-data/postgres[StatefulSet]',
      'shop/worker[Deployment] -> shop-data/postgres[StatefulSet]',
      '{ingress-controller} -> shop/frontend[Deployment]',
    ]) {
      assert.ok(rendered.edgeKeys.includes(edge), `${edge} in ${JSON.stringify(rendered.edgeKeys)}`);
    }
    assert.ok(
      !rendered.edgeKeys.includes('shop/frontend[Deployment] -> shop-data/postgres[StatefulSet]'),
      'the policy denies frontend → postgres',
    );
    // At a glance: the workloads no policy isolates carry badges instead of an edge to and from
    // every node, so only the connections policies restrict are drawn.
    assert.ok(rendered.badges >= 6, JSON.stringify(rendered));
    assert.ok(!rendered.edgeKeys.includes('shop/catalog[Deployment] -> shop-cache/redis[Deployment]'), JSON.stringify(rendered.edgeKeys));
    assert.strictEqual(rendered.edgeKeys.length, 4, JSON.stringify(rendered.edgeKeys));
    assert.match(rendered.summary, /^\d+ workloads? · \d+ connections?$/);
    assert.ok(typeof api.panel().firstRenderMs === 'number', 'the first render is timed');
    // elkjs lays the graph out in the webview's worker (started from the extension's own files
    // under the panel's CSP), not in the extension host.
    await waitFor(() => (api.panel().layouts?.worker ?? 0) > 0, "a namespace laid out in the webview's worker");
    assert.strictEqual(api.panel().layouts.host, 0, JSON.stringify(api.panel().layouts));
    assert.ok(
      tabs()[0].g.viewColumn !== vscode.window.tabGroups.all.find((g) => g.tabs.some((t) => t.label === 'catalog.yaml')).viewColumn,
      'beside the editor',
    );
    await vscode.commands.executeCommand('kubeReach.showReachability');
    assert.strictEqual(tabs().length, 1, 'still one panel');
  });

  test('an unsaved edit to a NetworkPolicy changes the graph within 5 s', async () => {
    const folder = vscode.workspace.workspaceFolders[0].uri;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'data', 'postgres.yaml'));
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('values: [api, worker]'));
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
    const r = await waitFor(
      () => {
        const x = api.panel().rendered;
        return x && x.revision > revision && !x.edgeKeys.includes(worker) ? x : undefined;
      },
      'the graph without worker → postgres',
      5000,
    );
    assert.ok(r.edgeKeys.includes('shop/api[Deployment] -> shop-data/postgres[StatefulSet]'));
    console.log(`    panel update after an unsaved edit: ${Date.now() - t0} ms (lastUpdateMs ${api.panel().lastUpdateMs})`);
    const back = new vscode.WorkspaceEdit();
    back.replace(doc.uri, new vscode.Range(line, start, line, start + '[api]'.length), '[api, worker]');
    assert.ok(await vscode.workspace.applyEdit(back));
    await waitFor(() => (api.panel().rendered?.edgeKeys ?? []).includes(worker), 'worker → postgres back', 5000);
  });

  test('the lens on frontend-from-ingress and the panel it opens count the same connection', async () => {
    const doc = await open('shop/policies.yaml');
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri, 10);
    const lens = lenses.find(
      (l) => l.command && l.command.arguments && JSON.stringify(l.command.arguments).includes('frontend-from-ingress'),
    );
    assert.ok(lens, JSON.stringify(lenses.map((l) => l.command && l.command.title)));
    assert.strictEqual(lens.command.title, 'selects 1 workload · allows 1 connection');
    const revision = api.panel().rendered.revision;
    const before = api.panel().rendered;
    await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments);
    const r = await waitFor(
      () => {
        const x = api.panel().rendered;
        return x && x !== before && x.summary.includes('frontend-from-ingress') ? x : undefined;
      },
      'the panel filtered to the policy',
      10000,
    );
    assert.ok(r.revision >= revision);
    assert.strictEqual(r.summary, '1 workload · 1 connection allowed by shop/frontend-from-ingress');
    assert.deepStrictEqual(r.edgeKeys, ['{ingress-controller} -> shop/frontend[Deployment]']);
    await vscode.commands.executeCommand('kubeReach.showReachability', { policy: '' });
    await waitFor(() => !(api.panel().rendered?.summary ?? 'x').includes('allowed by'), 'the policy filter cleared', 10000);
  });

  test('a crashed server is restarted, said in the output channel, and analyses again', async function () {
    this.timeout(60000);
    const pid = api.serverPid();
    assert.ok(pid, 'the server pid is known');
    const before = api.analysisCount();
    process.kill(pid, 'SIGKILL');
    await waitFor(
      () => api.restarts() >= 1 && api.serverState() === 'running' && api.serverPid() !== undefined && api.serverPid() !== pid,
      'the restarted server',
      30000,
    );
    await api.waitForAnalysis(before, 30000);
    assert.ok(
      api.logLines().some((l) => /stopped unexpectedly; restarting/.test(l)),
      'the output channel says so',
    );
  });

  // kubeReach.schemaAssist is tested in schemaAssist.standin.test.js, in a second, small run with a
  // stand-in redhat.vscode-yaml installed (runExthost.mjs --redhat-standin): the real Red Hat YAML
  // extension cannot be installed offline. Setting "off" and running kubeReach.restartServer here
  // does not work: the client resolves initializationOptions.schemaAssist once, at activation.
});
