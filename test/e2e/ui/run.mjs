#!/usr/bin/env node
// The UI test (docs/dev/design.md §8): installs the packaged VSIX into code-server and drives the workbench
// with Debian's Chromium like a person would: open an examples/ file, see the squiggle and the
// Problems entry, hover a selector, apply the quick-fix with the keyboard, complete a label value,
// insert a snippet, see the injection grammar's scopes, open the reachability panel and follow one
// of its links. Waits are on visible
// state with deadlines; a gesture that can race with focus is retried a bounded number of times.
// Screenshots go to test-results/ui/ (and the named ones become README images via
// `npm run screenshots`).
//
//   node test/e2e/ui/run.mjs --vsix out/kube-reach-0.1.0.vsix [--json result.json] [--shots dir] [--timeout 240]
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  InfraError,
  ROOT,
  cleanup,
  hardTimeout,
  installVsix,
  launchChromium,
  makeTmp,
  parseArgs,
  startCodeServer,
  writeResult,
} from '../lib/harness.mjs';

const args = parseArgs(process.argv.slice(2));
const timeoutS = Number(args.timeout ?? 240);
const shots = resolve(args.shots ?? join(ROOT, 'test-results', 'ui'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const vsix = resolve(args.vsix ?? join(ROOT, 'out', `${pkg.name}-${pkg.version}.vsix`));
const t0 = Date.now();
const tmp = makeTmp('kube-reach-ui-');
const result = { name: 'vscode-ui', passed: [], failed: [], infra: false };
let cs;
let browser;
let page;
const cleanupAll = async () => {
  if (browser) await browser.close();
  if (cs) await cs.stop();
};
const disarm = hardTimeout(timeoutS * 1000, cleanupAll);
mkdirSync(shots, { recursive: true });

let stopSteps = false;
async function step(name, fn) {
  if (stopSteps) {
    result.failed.push({ title: name, error: 'skipped: an earlier step failed' });
    return;
  }
  const t = Date.now();
  try {
    await fn();
    result.passed.push(`${name} (${Date.now() - t} ms)`);
  } catch (e) {
    result.failed.push({ title: name, error: e instanceof Error ? e.message.split('\n')[0] : String(e) });
    if (page) await page.screenshot({ path: join(shots, `failed-${result.failed.length}.png`) }).catch(() => {});
    if (page) await page.keyboard.press('Escape').catch(() => {});
    if (e instanceof InfraError) {
      result.infra = true;
      stopSteps = true;
    }
  }
}

const lineOf = (lines, text, after) => {
  let seen = after === undefined;
  for (let i = 0; i < lines.length; i++) {
    if (!seen && lines[i] === after) seen = true;
    else if (seen && lines[i] === text) return i;
  }
  throw new Error(`no line "${text}"`);
};

try {
  if (!existsSync(vsix)) throw new Error(`no VSIX at ${vsix}: run npm run package`);
  const extensionsDir = join(tmp, 'extensions');
  mkdirSync(extensionsDir, { recursive: true });
  installVsix(vsix, extensionsDir, tmp);
  cs = await startCodeServer({ tmp, extensionsDir });
  const workspace = join(tmp, 'workspace');
  cpSync(join(ROOT, 'examples'), workspace, { recursive: true });
  const catalogLines = readFileSync(join(workspace, 'shop', 'catalog.yaml'), 'utf8').split('\n');
  const typo = lineOf(catalogLines, '    app: catalgo') + 1; // 1-based for Go to Line
  const typoCol = catalogLines[typo - 1].indexOf('catalgo') + 1;
  const frontendSelector =
    lineOf(readFileSync(join(workspace, 'shop', 'frontend.yaml'), 'utf8').split('\n'), '    app: frontend', 'kind: Service') + 1;
  browser = await launchChromium(tmp);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.setDefaultTimeout(20000);
  page.on('crash', () => {
    result.infra = true;
  });

  const quickInput = page.locator('.quick-input-widget input');
  const editorLine = (text) => page.locator('.monaco-editor .view-line', { hasText: text }).first();
  const activeTab = (name) => page.locator('.tabs-container .tab.active', { hasText: name });
  const gotoLine = async (line, col) => {
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ state: 'visible' });
    await quickInput.fill(`:${line}:${col}`);
    await page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' });
  };
  /** Presses `key` until `locator` is visible: the first press can race with focus changes. */
  const pressUntil = async (key, locator, tries = 3) => {
    for (let i = 1; ; i++) {
      await page.keyboard.press(key);
      try {
        await locator.waitFor({ state: 'visible', timeout: 5000 });
        return;
      } catch (e) {
        if (i >= tries) throw e;
      }
    }
  };
  /**
   * Runs a command from the palette. The palette lists the commands known when it opens: in a
   * window just opened on another folder the extension's may come later (its extension host still
   * starting on a loaded machine), so the palette is opened again until the command is listed.
   */
  const runCommand = async (title, ms = 60000) => {
    const end = Date.now() + ms;
    for (;;) {
      await pressUntil('F1', quickInput);
      await quickInput.fill(`>${title}`);
      try {
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: title })
          .first()
          .waitFor({ timeout: Math.max(1000, Math.min(10000, end - Date.now())) });
        break;
      } catch (e) {
        if (Date.now() >= end) throw e;
        await page.keyboard.press('Escape');
        await quickInput.waitFor({ state: 'hidden' });
        await page.waitForTimeout(1000);
      }
    }
    await page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' });
  };
  const webviewFrame = async (selector, ms = 20000) => {
    const end = Date.now() + ms;
    for (;;) {
      for (const f of page.frames()) {
        const el = await f.$(selector).catch(() => null);
        if (el) return f;
      }
      if (Date.now() > end) throw new Error(`no webview frame with ${selector}`);
      await page.waitForTimeout(100);
    }
  };

  await step('the workbench loads the examples folder with the extension installed', async () => {
    try {
      await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}`, { timeout: 60000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'shop' }).waitFor({ timeout: 60000 });
    } catch (e) {
      throw new InfraError(`workbench not loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  await step('opens shop/catalog.yaml with Quick Open', async () => {
    await pressUntil('Control+P', quickInput);
    await quickInput.fill('catalog.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'catalog.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    await activeTab('catalog.yaml').waitFor();
  });

  await step('sees the warning squiggle under the selector typo', async () => {
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 30000 });
  });

  await step('sees the entry in the Problems panel', async () => {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'selects no pods' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'diagnostic.png') });
    await page.keyboard.press('Control+1'); // back to the editor
  });

  await step('hovers the Service selector and reads what it selects', async () => {
    await gotoLine(typo, typoCol + 2);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await page.locator('.monaco-hover', { hasText: 'Service selector' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'hover.png') });
    await page.keyboard.press('Escape');
  });

  await step('applies the quick-fix with Ctrl+. and Enter', async () => {
    await gotoLine(typo, typoCol + 2);
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'catalog' }).first();
    await pressUntil('Control+.', fix);
    await page.screenshot({ path: join(shots, 'quick-fix.png') });
    // Enter on the focused row (mouse clicks on this menu time out); move focus to the fix first.
    for (let i = 0; i < 5; i++) {
      const focused = await page
        .locator('.action-widget .monaco-list-row.focused')
        .first()
        .textContent()
        .catch(() => '');
      if (focused && focused.includes('catalog')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await editorLine('app: catalog').waitFor();
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'detached', timeout: 30000 });
  });

  await step('completes a label value from the workspace', async () => {
    await gotoLine(typo, typoCol);
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Delete');
    await page.keyboard.type('fron');
    const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'frontend' }).first();
    await pressUntil('Control+Space', item);
    await page.screenshot({ path: join(shots, 'completion.png') });
    await page.keyboard.press('Enter');
    await editorLine('app: frontend').waitFor();
  });

  await step('inserts the k8s-service-headless snippet', async () => {
    await page.keyboard.press('Control+End');
    await page.keyboard.type('---');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    await page.keyboard.type('k8s-service-headless');
    const item = page.locator('.suggest-widget .monaco-list-row', { hasText: 'k8s-service-headless' }).first();
    await pressUntil('Control+Space', item);
    // On a loaded machine the list may still be filling when the row shows: Enter on another focused
    // row inserted something else (CI at load ~20). Move focus to the snippet's row first.
    for (let i = 0; i < 10; i++) {
      const focused = await page
        .locator('.suggest-widget .monaco-list-row.focused')
        .first()
        .textContent({ timeout: 2000 })
        .catch(() => '');
      if (focused && focused.includes('k8s-service-headless')) break;
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Enter');
    await editorLine('clusterIP: None').waitFor({ timeout: 30000 });
    await page.keyboard.press('Escape');
  });

  await step('the injection grammar scopes a # kube-reach-disable comment (Inspect Editor Tokens)', async () => {
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('# kube-reach-disable-next-line service-selector-no-match');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await editorLine('kube-reach-disable-next-line').waitFor();
    await gotoLine(1, 5);
    await runCommand('Developer: Inspect Editor Tokens and Scopes');
    await page.locator('.token-inspect-widget', { hasText: 'keyword.other.directive.kube-reach' }).waitFor();
    await page.screenshot({ path: join(shots, 'grammar.png') });
    await page.keyboard.press('Escape');
  });

  await step('opens "Kube Reach: Preview Reachability" from the command palette: the graph', async () => {
    await runCommand('Kube Reach: Preview Reachability');
    await page.locator('.tabs-container .tab', { hasText: 'Kube Reach: Reachability' }).waitFor();
    const frame = await webviewFrame('g.node[data-node="shop/api[Deployment]"]');
    await frame.locator('g.edge[data-from="shop/api[Deployment]"][data-to="shop-data/postgres[StatefulSet]"]').waitFor();
    await page.screenshot({ path: join(shots, 'panel.png') });
  });

  await step('the graph alone reads at a glance: badges, and a hovered workload lights its connections', async () => {
    await runCommand('View: Hide Panel');
    // Maximize the panel's editor group (the active one).
    await page.locator('.tabs-container .tab', { hasText: 'Kube Reach: Reachability' }).first().click();
    // The webview takes the focus once its frame is shown: wait for it, so it does not close the palette.
    const focused = await webviewFrame('#tab-graph');
    await focused.waitForFunction(() => globalThis.document.hasFocus(), undefined, { timeout: 10000 }).catch(() => {});
    await runCommand('View: Toggle Maximize Editor Group');
    const frame = await webviewFrame('g.node[data-node="shop/api[Deployment]"]');
    await frame.locator('g.node[data-node="shop-cache/redis[Deployment]"] > text.badge').first().waitFor();
    await frame.locator('g.node[data-node="shop/api[Deployment]"] > rect:not(.badge)').hover();
    await frame.locator('svg.graph.focusing').waitFor();
    await page.screenshot({ path: join(shots, 'panel-graph.png') });
    await page.mouse.move(5, 5);
    await runCommand('View: Toggle Maximize Editor Group');
  });

  await step('an explanation link opens the YAML at the deciding rule', async () => {
    const frame = await webviewFrame('g.node[data-node="shop/api[Deployment]"]');
    // Keyboard, as a screen-reader user would (a curved edge's box centre may miss the line).
    await frame.locator('g.edge[data-from="shop/api[Deployment]"][data-to="shop-data/postgres[StatefulSet]"]').focus();
    await frame.locator('g.edge[data-from="shop/api[Deployment]"][data-to="shop-data/postgres[StatefulSet]"]').press('Enter');
    const link = frame
      .locator('.explanation ul.decided-by a', { hasText: 'rule 1 of ingress in policy shop-data/postgres-from-shop' })
      .first();
    await link.waitFor();
    await page.screenshot({ path: join(shots, 'panel-explanation.png') });
    await link.click();
    await activeTab('postgres.yaml').waitFor();
    // The cursor sits on the rule (the status bar shows "Ln N, Col M").
    await page
      .locator('.statusbar-item', { hasText: /Ln (5[89]|6\d|70), Col \d+/ })
      .first()
      .waitFor({ timeout: 10000 });
  });

  await step('the Services view links to the YAML of a workload', async () => {
    const frame = await webviewFrame('#tab-services');
    await frame.locator('#tab-services').click();
    await frame.locator('section.ns[data-ns="shop"] table.services a', { hasText: 'catalog' }).first().waitFor();
    await frame.locator('section.ns[data-ns="shop"] table.workloads a', { hasText: 'frontend' }).first().click();
    await activeTab('frontend.yaml').waitFor();
  });

  await step('frontend.yaml shows the Service code lens', async () => {
    await page.locator('.tabs-container .tab', { hasText: 'frontend.yaml' }).first().click();
    await activeTab('frontend.yaml').waitFor();
    // Reveal the Service (the editor renders only the lines in view).
    await gotoLine(frontendSelector, 7);
    await page
      .locator('.monaco-editor .codelens-decoration', { hasText: 'selects 1 workload · 80→http(8080)' })
      .first()
      .waitFor({ timeout: 30000 });
    await page.screenshot({ path: join(shots, 'code-lens.png') });
  });

  await step('Peek Definition on the Service selector shows the Deployment pod template labels', async () => {
    await gotoLine(frontendSelector, 7);
    await runCommand('Peek Definition');
    const peek = page.locator('.peekview-widget', { hasText: 'frontend.yaml' }).first();
    await peek.waitFor();
    await peek.locator('.view-line', { hasText: 'app: frontend' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'definition.png') });
    await page.keyboard.press('Escape');
    await peek.waitFor({ state: 'detached' });
  });

  await step('a reload restores the panel (WebviewPanelSerializer) with its view', async () => {
    // An orderly reload (the workbench saves its editors and the webview's state first).
    await runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.tabs-container .tab', { hasText: 'Kube Reach: Reachability' }).first().waitFor({ timeout: 60000 });
    await page.locator('.tabs-container .tab', { hasText: 'Kube Reach: Reachability' }).first().click();
    const frame = await webviewFrame('section.ns[data-ns="shop"]', 40000);
    await frame.locator('#tab-services[aria-selected="true"]').waitFor();
  });

  await step('a 31-workload app (test/fixtures/panel-app): the graph in groups, the side bar hidden (panel-graph-app.png)', async () => {
    const app = join(tmp, 'panel-app');
    cpSync(join(ROOT, 'test', 'fixtures', 'panel-app'), app, { recursive: true });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(app)}`, { timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'edge.yaml' }).waitFor({ timeout: 60000 });
    // The restored panel of the other folder may come back too: close every editor first.
    await runCommand('View: Close All Editors');
    await runCommand('Kube Reach: Preview Reachability');
    await page.locator('.tabs-container .tab', { hasText: 'Kube Reach: Reachability' }).first().click();
    const focused = await webviewFrame('#tab-graph', 40000);
    await focused.waitForFunction(() => globalThis.document.hasFocus(), undefined, { timeout: 10000 }).catch(() => {});
    // One editor group here: the whole window is the panel's once the side bar is hidden.
    await runCommand('View: Toggle Primary Side Bar Visibility');
    const frame = await webviewFrame('g.node[data-node="outfitters/checkout[Deployment]"]', 40000);
    // The edge tier's four clients meet in one junction; the namespaces' many connections are one edge each.
    // The app's layout is laid out after the nodes are drawn: on a loaded machine (CI at load ~20) it took over 20 s.
    await frame.locator('g.edge.bundle', { hasText: 'tier=edge (4)' }).first().waitFor({ timeout: 60000 });
    await frame.locator('g.edge.aggregate').first().waitFor({ timeout: 60000 });
    const bundles = await frame.locator('g.edge.bundle').count();
    if (bundles < 5) throw new Error(`expected the app's client groups as junctions, got ${bundles}`);
    await page.mouse.move(5, 5);
    await page.screenshot({ path: join(shots, 'panel-graph-app.png') });
    await frame.locator('g.node[data-node="outfitters/checkout[Deployment]"] > rect:not(.badge)').hover({ timeout: 60000 });
    await frame.locator('svg.graph.focusing').waitFor({ timeout: 60000 });
    await page.screenshot({ path: join(shots, 'panel-graph-app-hover.png') });
  });

  await step('the app in a narrow panel (about 500 and 300 px): the graph and the matrix fit it, nothing scrolls sideways', async () => {
    const size = page.viewportSize();
    try {
      for (const [window, name] of [
        [560, 'panel-narrow-500'],
        [350, 'panel-narrow-300'],
      ]) {
        await page.setViewportSize({ width: window, height: 900 });
        const frame = await webviewFrame('g.node[data-node="outfitters/checkout[Deployment]"]', 40000);
        for (const view of ['graph', 'matrix']) {
          await frame.locator(`#tab-${view}`).click();
          await frame.locator(view === 'graph' ? 'svg.graph' : '.matrix-pager:not([hidden])').waitFor();
          // The panel refits on resize: wait for the frame's width to settle, then measure.
          await frame.waitForFunction(() => globalThis.document.documentElement.clientWidth < 540, undefined, { timeout: 20000 });
          await page.waitForTimeout(500);
          const wide = await frame.evaluate(() => {
            const d = globalThis.document;
            const out = [];
            if (d.documentElement.scrollWidth > d.documentElement.clientWidth)
              out.push(`the page ${d.documentElement.scrollWidth} > ${d.documentElement.clientWidth}`);
            for (const e of d.querySelectorAll('body *')) {
              const x = globalThis.getComputedStyle(e).overflowX;
              if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth)
                out.push(`${e.tagName}.${e.className} ${e.scrollWidth} > ${e.clientWidth}`);
            }
            return { out, width: d.documentElement.clientWidth };
          });
          if (wide.out.length > 0) throw new Error(`${view} at ${wide.width} px scrolls sideways: ${wide.out.join('; ')}`);
          await page.screenshot({ path: join(shots, `${name}-${view}.png`) });
        }
        await frame.locator('#tab-graph').click();
      }
    } finally {
      if (size) await page.setViewportSize(size);
    }
  });
} catch (e) {
  const infra = e instanceof InfraError;
  result.infra = result.infra || infra;
  result.failed.push({ title: infra ? 'editor infrastructure' : 'ui runner', error: e instanceof Error ? e.message : String(e) });
} finally {
  await cleanupAll();
  disarm();
  cleanup(tmp);
}
for (const t of result.passed) console.log(`ok - ${t}`);
for (const f of result.failed) console.log(`not ok - ${f.title}\n    ${String(f.error).slice(0, 1500)}`);
result.ms = Date.now() - t0;
writeResult(args.json, result);
console.log(
  `vscode-ui: ${result.passed.length} passed, ${result.failed.length} failed (${(result.ms / 1000).toFixed(1)} s); screenshots in ${shots}`,
);
process.exit(result.failed.length === 0 && result.passed.length > 0 ? 0 : 1);
