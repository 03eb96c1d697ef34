/**
 * `npm run screenshots:panel`: README images of the reachability panel on the 30-workload app
 * (test/fixtures/panel-app), rendered by the real webview bundle under the panel's HTML and CSP in
 * headless Chromium (the component tests' stub host, test/webview/stubHost.ts):
 * docs/images/panel-graph-app.png (the graph as it opens) and
 * docs/images/panel-changes.png (the Changes view after an edit: `browse-from-edge` no longer
 * admits the edge tier on 9090, and `orders-callers` admits `cart`), its comparison made as the
 * server makes it (server/headDiff.ts `diffResult`). Quantised with pngquant as
 * scripts/screenshots.mjs does. The images of examples/ come from the real-editor UI test
 * (`npm run screenshots`).
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisHost } from '../analysis/host.js';
import { workspaceChanges } from '../analysis/index.js';
import { diffResult } from '../server/headDiff.js';
import { pathToUri } from '../server/uris.js';
import { ROOT, StubHost, modelOfFolder, posted, send, waitPosted } from '../test/webview/stubHost.js';

const APP = join(ROOT, 'test', 'fixtures', 'panel-app');
const IMAGES = join(ROOT, 'docs', 'images');

/** The edit the Changes image shows, on policies.yaml's text. */
function edited(text: string): string {
  const browse = text.indexOf('name: browse-from-edge');
  const ports = text.indexOf('        - port: 9090\n', browse);
  const orders = text.indexOf('values: [catalog, cart, checkout, orders, admin-ui]');
  if (browse < 0 || ports < 0 || orders < 0) throw new Error('policies.yaml is not as the edit expects');
  const dropped = text.slice(0, ports) + text.slice(ports + '        - port: 9090\n'.length);
  return dropped.replace(
    `        - podSelector:\n            matchLabels:\n              app: checkout\n        - podSelector:\n            matchLabels:\n              app: admin-ui`,
    `        - podSelector:\n            matchLabels:\n              app: checkout\n        - podSelector:\n            matchLabels:\n              app: cart\n        - podSelector:\n            matchLabels:\n              app: admin-ui`,
  );
}

function analyse(files: ReadonlyMap<string, string>): ReturnType<AnalysisHost['snapshot']> {
  const host = new AnalysisHost();
  for (const [uri, text] of files) host.setFile(uri, text);
  return host.snapshot();
}

function quantise(from: string, name: string): void {
  const to = join(IMAGES, name);
  const q = spawnSync('pngquant', ['--quality=85-98', '--speed', '1', '--strip', '--force', '--output', to, from], { stdio: 'inherit' });
  if (q.error !== undefined || q.status !== 0) copyFileSync(from, to);
  console.log(`screenshots: docs/images/${name}`);
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'kube-reach-panel-shots-'));
  const host = await StubHost.start();
  try {
    const model = await modelOfFolder(APP);
    // A panel as it opens in a 1400x900 editor with the side bar hidden.
    const page = await host.open('light', undefined, { width: 1400, height: 860 });
    let before = (await posted(page)).length;
    await send(page, { kind: 'model', model });
    await waitPosted(page, (m) => m.kind === 'rendered' && m.revision === model.revision, 20_000, before);
    await page.screenshot({ path: join(tmp, 'graph.png') });
    quantise(join(tmp, 'graph.png'), 'panel-graph-app.png');

    const files = new Map<string, string>();
    for (const name of readdirSync(APP))
      if (name.endsWith('.yaml')) files.set(pathToUri(join(APP, name)), readFileSync(join(APP, name), 'utf8'));
    const policies = pathToUri(join(APP, 'policies.yaml'));
    const base = analyse(files);
    const current = analyse(new Map([...files, [policies, edited(files.get(policies) ?? '')]]));
    const result = diffResult(current, { available: true, base, changes: workspaceChanges(base, current) });
    await page.mouse.move(5, 850);
    before = (await posted(page)).length;
    await page.click('#tab-changes');
    await waitPosted(page, (m) => m.kind === 'changes', 20_000, before);
    before = (await posted(page)).length;
    await send(page, { kind: 'changes', result });
    await waitPosted(page, (m) => m.kind === 'rendered' && m.view === 'changes', 20_000, before);
    await page.screenshot({ path: join(tmp, 'changes.png'), clip: { x: 0, y: 0, width: 1240, height: 760 } });
    quantise(join(tmp, 'changes.png'), 'panel-changes.png');
    console.log(`screenshots: ${result.changes.length} changed connections in the Changes image`);
  } finally {
    await host.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
