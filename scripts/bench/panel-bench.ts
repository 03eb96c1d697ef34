/**
 * Panel benchmark (issue #7 speed figures): the reachability panel on the generated
 * 1,000-manifest workspace, driven like the extension host drives it.
 *
 * - First render: from the command to the webview's `rendered` message: the three requests
 *   (`kubeReach/reachability`, `kubeReach/reachabilityContext` without what each policy allows, as
 *   the host asks for a first paint, `kubeReach/workspaceOverview`) to
 *   `kube-reach lsp --stdio` (a child process, after its first pass), the model and elkjs layout
 *   (client/panel/model.ts), a fresh webview page in headless Chromium (the real bundle, HTML and
 *   CSP) loading and rendering the model. The first run is cold (elkjs loaded, nothing cached).
 *   Then, timed apart, the context with what each policy allows, rendered (as the host posts it).
 * - Refinement: elkjs's layout after the first paint, in the webview's worker as the host asks for
 *   it (dist/elk-worker.js in a page of its own), with this process's longest event-loop stall
 *   meanwhile (the extension host's part). `scripts/bench/panel-elk-block.ts` compares it with
 *   elkjs in the host.
 * - Update: from an edit to a NetworkPolicy (`didChange`, unsaved) to the open webview showing the
 *   new model: the server's pass, `kubeReach/analysisComplete`, the requests, the model, the render.
 * - Highlight and fit, in the open page (1400x900): hovering a workload (`pointerover`) or focusing
 *   it until its connections are lit and the rest faded, style recalculated (and until the next
 *   frame is painted); Fit after a zoom in, until the graph is drawn again (and painted).
 *
 * Usage: node --import tsx scripts/bench/panel-bench.ts [--manifests N] [--runs N] [--samples N]
 * Prints medians and p95 with counts, each with its ratio to the floor of the same run (a fresh
 * Node reading and parsing the same files, scripts/bench/floor.ts): absolute times on a shared
 * machine are noisy, the ratios less so.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { layoutGraph } from '../../client/panel/layout.js';
import { buildPanelModelWith } from '../../client/panel/model.js';
import { ModelWire } from '../../client/panel/wire.js';
import { postedMessage, type PostedHostMessage } from '../../protocol/packedModel.js';
import type { ReachabilityResult } from '../../protocol/lsp.js';
import { REACHABILITY_METHOD } from '../../protocol/lsp.js';
import type { WorkspaceOverview } from '../../protocol/overview.js';
import { WORKSPACE_OVERVIEW_METHOD } from '../../protocol/overview.js';
import type { PanelModel } from '../../protocol/panel.js';
import type { ReachabilityContext } from '../../protocol/reachability.js';
import { REACHABILITY_CONTEXT_METHOD } from '../../protocol/reachability.js';
import type { Page } from 'playwright-core';
import type { HostMessage } from '../../protocol/webviewMessages.js';
import { StubHost, elkInPage, postedCount, waitPosted } from '../../test/webview/stubHost.js';
import { generateWorkspace, writeWorkspace } from './generate.js';
import { BenchClient } from './lspClient.js';
import { blocking, median, p95 } from './stats.js';
import { DEFAULT_SERVER_MEMORY_MB, serverNodeFlags } from '../../protocol/serverProcess.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** What posting one model costs the product, apart from the bench's own round trips to the page. */
interface Delivery {
  /** The host's JSON of the posted (packed) message, as VS Code serialises a postMessage. */
  readonly stringify: number;
  /** In the page: JSON.parse and postMessage's structured clone until the webview's handler starts. */
  readonly deliver: number;
  /** In the page: from the handler's start to the end of rendering (validation, unpacking, drawing). */
  readonly handle: number;
}

/** The size of the JSON `post` last posted. */
let lastPostedBytes = 0;

/**
 * Posts a host message as the host does (the model packed; with `wire`, as its change from the
 * model posted before, client/panel/wire.ts) and marks when the page got it.
 */
async function post(page: Page, message: HostMessage, wire?: ModelWire): Promise<number> {
  const t0 = performance.now();
  const posted: PostedHostMessage = wire !== undefined && message.kind === 'model' ? wire.message(message.model) : postedMessage(message);
  const json = JSON.stringify(posted);
  lastPostedBytes = json.length;
  const stringify = performance.now() - t0;
  await page.evaluate((j: string) => {
    performance.mark('bench:delivered');
    (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(JSON.parse(j), '*');
  }, json);
  return stringify;
}

/** The page's side of the last `post`, read after its `rendered` message. */
async function delivery(page: Page, stringify: number): Promise<Delivery> {
  const t = (await page.evaluate(
    `(() => { const at = (n) => performance.getEntriesByName(n).at(-1); const d = at('bench:delivered'), m = at('kube-reach:message'), r = at('kube-reach:render'); return [m.startTime - d.startTime, r.startTime + r.duration - m.startTime]; })()`,
  )) as [number, number];
  return { stringify, deliver: t[0], handle: t[1] };
}

/**
 * Where a page's load went (bench clock, ms): until its navigation started (the harness's new
 * browser context, routes and init script, and the renderer Chromium starts for it), the panel's
 * files served through Playwright's routes (each a round trip to this process), and the panel's
 * script (its parse and run up to DOMContentLoaded: the script is the body's last element, so
 * `ready` is posted then). What VS Code's webview costs instead is not measured here.
 */
interface PagePhases {
  readonly beforeNavigation: number;
  readonly files: number;
  readonly script: number;
}

async function pagePhases(page: Page, t0: number): Promise<PagePhases> {
  const [origin, fetchStart, filesEnd, interactive] = (await page.evaluate(
    `(() => { const n = performance.getEntriesByType('navigation')[0]; const files = performance.getEntriesByType('resource').filter((r) => !r.name.endsWith('favicon.ico')); return [performance.timeOrigin, n.fetchStart, Math.max(n.responseEnd, ...files.map((r) => r.responseEnd)), n.domInteractive]; })()`,
  )) as [number, number, number, number];
  const navigation = origin - performance.timeOrigin - t0 + fetchStart;
  return { beforeNavigation: navigation, files: filesEnd - fetchStart, script: interactive - filesEnd };
}

const manifests = flag('--manifests', 1000);
const runs = flag('--runs', 5);
const samples = flag('--samples', 20);
const repo = join(__dirname, '..', '..');

/** The floor (scripts/bench/floor.ts): a fresh Node process reading and parsing every file of `root`. */
function floorMs(root: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'floor.ts'), root], { cwd: repo, encoding: 'utf8' });
  const out: unknown = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
  const ms = typeof out === 'object' && out !== null && 'ms' in out && typeof out.ms === 'number' ? out.ms : NaN;
  if (!Number.isFinite(ms)) throw new Error(`floor run failed: ${r.stderr}`);
  return ms;
}

async function main(): Promise<void> {
  const ws = generateWorkspace(manifests, 1);
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-panel-bench-'));
  writeWorkspace(root, ws);
  const floors = [floorMs(root), floorMs(root), floorMs(root)];
  const floor = median(floors);
  // The server as the VS Code client starts it (protocol/serverProcess.ts).
  const client = new BenchClient(
    process.execPath,
    [...serverNodeFlags(DEFAULT_SERVER_MEMORY_MB), join(repo, 'dist/server.js'), '--stdio'],
    root,
  );
  const host = await StubHost.start();
  let revision = 0;
  try {
    const rootUri = pathToFileURL(root).href;
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'bench' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
    });
    const first = client.next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', 600_000);
    await client.connection.sendNotification('initialized', {});
    await first;

    const refine: PanelModel[] = [];
    const timings: Array<{ reach: number; context: number; overview: number; model: number }> = [];
    // `firstPaint`: as the host asks for a webview's first paint, the policies without what each
    // allows (asked for right after it: `allowsAfter`).
    const model = async (firstPaint = false): Promise<PanelModel> => {
      const t0 = performance.now();
      const timed = async <T>(p: Promise<T>): Promise<[T, number]> => [await p, performance.now() - t0];
      const [[reach, tr], [context, tc], [overview, to]] = await Promise.all([
        timed(client.connection.sendRequest(REACHABILITY_METHOD, {}) as Promise<ReachabilityResult>),
        timed(
          client.connection.sendRequest(REACHABILITY_CONTEXT_METHOD, firstPaint ? { allows: false } : {}) as Promise<ReachabilityContext>,
        ),
        timed(client.connection.sendRequest(WORKSPACE_OVERVIEW_METHOD, {}) as Promise<WorkspaceOverview>),
      ]);
      const t1 = performance.now();
      // As the panel host does: the first paint at once; elkjs refines it afterwards (timed apart).
      const { model: out, layoutPending } = await buildPanelModelWith({
        reach,
        context,
        overview,
        scope: {},
        revision: ++revision,
        layout: 'fast',
      });
      timings.push({ reach: tr, context: tc, overview: to, model: performance.now() - t1 });
      if (layoutPending) refine.push(out);
      return out;
    };

    // First render, `runs` times, each in a fresh webview page.
    const firsts: number[] = [];
    const inPage: Array<{ validate: number; render: number }> = [];
    const parts: Array<{ requests: number; page: number; render: number }> = [];
    const pageParts: PagePhases[] = [];
    const firstDeliveries: Delivery[] = [];
    /** After each first paint: the context with what each policy allows, until the page has rendered it. */
    const allowsAfter: number[] = [];
    let m: PanelModel | undefined;
    for (let i = 0; i < runs; i++) {
      // As the host does: the requests start with the panel, in parallel with the webview loading.
      const t0 = performance.now();
      const since = async <T>(p: Promise<T>): Promise<[T, number]> => [await p, performance.now() - t0];
      const [[mm, tm], [page, tp]] = await Promise.all([since(model(true)), since(host.open('light'))]);
      const t1 = performance.now();
      pageParts.push(await pagePhases(page, t0));
      m = mm;
      const before = await postedCount(page);
      const stringify = await post(page, { kind: 'model', model: mm });
      await waitPosted(page, (x) => x.kind === 'rendered' && x['revision'] === mm.revision, 30_000, before);
      const t2 = performance.now();
      firsts.push(t2 - t0);
      firstDeliveries.push(await delivery(page, stringify));
      // A string: tsx would wrap a function with helpers the page does not have.
      inPage.push(
        (await page.evaluate(
          `({ validate: performance.getEntriesByName('kube-reach:validate').at(-1)?.duration ?? NaN, render: performance.getEntriesByName('kube-reach:render').at(-1)?.duration ?? NaN })`,
        )) as { validate: number; render: number },
      );
      parts.push({ requests: tm, page: tp, render: t2 - t1 });
      // As the host does right after the first paint: the policies with what each allows.
      const full = (await client.connection.sendRequest(REACHABILITY_CONTEXT_METHOD, {})) as ReachabilityContext;
      const withAllows: PanelModel = { ...mm, policies: full.policies, revision: ++revision };
      const shown = await postedCount(page);
      await post(page, { kind: 'model', model: withAllows });
      await waitPosted(page, (x) => x.kind === 'rendered' && x['revision'] === withAllows.revision, 30_000, shown);
      allowsAfter.push(performance.now() - t2);
      await page.close();
    }
    // The refinement (elkjs, cold) that follows the first paint, as the host asks for it: in the
    // webview's worker (a page of its own here); how long this process (the extension host's
    // part) stalls meanwhile.
    const refineTimes: number[] = [];
    const refineStalls: number[] = [];
    const refinePage = await host.open('light');
    const fellBack: string[] = [];
    for (const r of refine.splice(0)) {
      const b = await blocking(() =>
        layoutGraph(
          r.nodes,
          r.edges,
          elkInPage(refinePage, (why) => fellBack.push(why)),
        ),
      );
      refineTimes.push(b.wall);
      refineStalls.push(b.longest);
    }
    await refinePage.close();
    if (fellBack.length > 0) throw new Error(`elkjs fell back to the host: ${fellBack.join('; ')}`);
    const nodes = m?.nodes.length ?? 0;
    const edges = m?.edges.length ?? 0;
    // What the host posts for this model (packed, protocol/packedModel.ts) against the model's own JSON.
    const postedBytes = m === undefined ? 0 : JSON.stringify(postedMessage({ kind: 'model', model: m })).length;
    const modelBytes = m === undefined ? 0 : JSON.stringify(m).length;

    // Updates after an unsaved edit to a NetworkPolicy, in one open page.
    const rel = [...ws.files.keys()].find(
      (k) => (ws.files.get(k) ?? '').includes('name: allow-') && (ws.files.get(k) ?? '').includes('tier: frontend'),
    );
    if (rel === undefined) throw new Error('no NetworkPolicy with a tier: frontend peer in the generated workspace');
    const uri = pathToFileURL(join(root, rel)).href;
    let text = ws.files.get(rel) ?? '';
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    await client.next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', 60_000);
    const page = await host.open('light');
    // The next painted frame after each model (the browser's style, layout and paint of what changed).
    await page.evaluate(
      `window.addEventListener('message', () => requestAnimationFrame(() => setTimeout(() => performance.mark('bench:painted'), 0)))`,
    );
    // As the host does: a model carries the overview only when it changed, and goes as its change
    // from the model posted before (client/panel/wire.ts).
    const wire = new ModelWire();
    const shown = await model();
    await post(page, { kind: 'model', model: shown }, wire);
    await waitPosted(page, (x) => x.kind === 'rendered' && x['revision'] === shown.revision);
    const updates: number[] = [];
    const updateDeliveries: Delivery[] = [];
    const updateParts: Array<{ pass: number; requests: number; webview: number }> = [];
    const postedSizes: number[] = [];
    const updatesPainted: number[] = [];
    let version = 1;
    for (let i = 0; i < samples; i++) {
      const [from, to] = i % 2 === 0 ? ['tier: frontend\n', 'tier: frontendx\n'] : ['tier: frontendx\n', 'tier: frontend\n'];
      // The policy's peer selector, not the Deployment's pod label of the same text above it.
      const offset = text.indexOf(from, text.indexOf('kind: NetworkPolicy'));
      const lines = text.slice(0, offset).split('\n');
      const start = { line: lines.length - 1, character: (lines.at(-1) ?? '').length };
      const endLines = text.slice(0, offset + from.length).split('\n');
      const end = { line: endLines.length - 1, character: (endLines.at(-1) ?? '').length };
      text = text.slice(0, offset) + to + text.slice(offset + from.length);
      const done = client.next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', 60_000);
      const t0 = performance.now();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range: { start, end }, text: to }],
      });
      await done;
      const tPass = performance.now();
      const mm = await model();
      const tModel = performance.now();
      const before = await postedCount(page);
      const stringify = await post(page, { kind: 'model', model: mm }, wire);
      postedSizes.push(lastPostedBytes);
      await waitPosted(page, (x) => x.kind === 'rendered' && x['revision'] === mm.revision, 30_000, before);
      updates.push(performance.now() - t0);
      updateDeliveries.push(await delivery(page, stringify));
      // From the end of rendering to the next painted frame (in the page).
      await page.waitForFunction(
        `(() => { const p = performance.getEntriesByName('bench:painted').at(-1), m = performance.getEntriesByName('kube-reach:message').at(-1); return p !== undefined && m !== undefined && p.startTime > m.startTime; })()`,
      );
      const frame = (await page.evaluate(
        `(() => { const p = performance.getEntriesByName('bench:painted').at(-1), r = performance.getEntriesByName('kube-reach:render').at(-1); return p.startTime - (r.startTime + r.duration); })()`,
      )) as number;
      updatesPainted.push((updates.at(-1) ?? NaN) + frame);
      const own = (await page.evaluate(
        `(performance.getEntriesByName('kube-reach:validate').at(-1)?.duration ?? NaN) + (performance.getEntriesByName('kube-reach:render').at(-1)?.duration ?? NaN)`,
      )) as number;
      updateParts.push({ pass: tPass - t0, requests: tModel - tPass, webview: own });
    }
    // Highlight on hover and focus, and Fit, in the page showing the last model (measured in the page).
    const interaction = (await page.evaluate(`(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const nodes = [...document.querySelectorAll('svg.graph g.node')];
      const step = Math.max(1, Math.floor(nodes.length / ${samples}));
      const picked = nodes.filter((_, i) => i % step === 0).slice(0, ${samples});
      const faded = () => getComputedStyle(document.querySelector('svg.graph g.node:not(.lit)') ?? document.body).opacity;
      let lit = 0;
      const hover = [], hoverPaint = [], focus = [], focusPaint = [], fit = [], fitPaint = [];
      for (const n of picked) {
        const rect = n.querySelector('rect');
        let t0 = performance.now();
        rect.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
        faded();
        hover.push(performance.now() - t0);
        if (hover.length === 1) lit = document.querySelectorAll('svg.graph .lit').length;
        await frame();
        hoverPaint.push(performance.now() - t0);
        rect.dispatchEvent(new PointerEvent('pointerout', { bubbles: true }));
        await frame();
        t0 = performance.now();
        n.focus();
        faded();
        focus.push(performance.now() - t0);
        await frame();
        focusPaint.push(performance.now() - t0);
        n.blur();
        await frame();
      }
      for (let i = 0; i < Math.min(${samples}, 8); i++) {
        document.getElementById('zoom-in').click();
        await frame();
        const t0 = performance.now();
        document.getElementById('zoom-fit').click();
        document.querySelector('svg.graph').getBoundingClientRect();
        fit.push(performance.now() - t0);
        await frame();
        fitPaint.push(performance.now() - t0);
      }
      return { hover, hoverPaint, focus, focusPaint, fit, fitPaint, nodes: nodes.length, lit };
    })()`)) as Record<'hover' | 'hoverPaint' | 'focus' | 'focusPaint' | 'fit' | 'fitPaint', number[]> & { nodes: number; lit: number };
    await page.close();

    const f = (n: number): string => `${n.toFixed(0)} ms (${(n / floor).toFixed(n / floor < 0.1 ? 3 : 2)}× floor)`;
    console.log(`panel bench: ${ws.manifests} manifests (seed 1), ${nodes} nodes, ${edges} connections, Node ${process.version}`);
    console.log(
      `floor (a fresh node: read + yaml parseAllDocuments, the same files, this run): ${floor.toFixed(0)} ms, median of [${floors.map((x) => x.toFixed(0)).join(', ')}]`,
    );
    console.log(`model posted: ${(postedBytes / 1000).toFixed(0)} KB packed (the model's JSON: ${(modelBytes / 1000).toFixed(0)} KB)`);
    console.log(
      `first render (command → rendered): cold ${f(firsts[0] ?? NaN)}, median ${f(median(firsts))} of ${firsts.length} (in parallel: requests + model + first-paint layout ${f(median(parts.map((p) => p.requests)))}, webview page load ${f(median(parts.map((p) => p.page)))}; then model → rendered ${f(median(parts.map((p) => p.render)))})   target ≤ 1000 ms`,
    );
    const coldParts = parts[0];
    if (coldParts !== undefined)
      console.log(
        `  the cold run: requests + model + first-paint layout ${f(coldParts.requests)}, webview page load ${f(coldParts.page)}; then model → rendered ${f(coldParts.render)}; inside the webview: validation ${f(inPage[0]?.validate ?? NaN)}, rendering ${f(inPage[0]?.render ?? NaN)}`,
      );
    console.log(
      `  then the policies with what each allows (the Policy filter's), asked for after the first paint, until rendered: cold ${f(allowsAfter[0] ?? NaN)}, median ${f(median(allowsAfter))}`,
    );
    const pp = (x: PagePhases | undefined): string =>
      x === undefined
        ? 'none'
        : `before the navigation (Playwright's new context, its routes and init script, Chromium's renderer) ${f(x.beforeNavigation)}, the files through Playwright's routes ${f(x.files)}, the panel's script (parse and run until ready) ${f(x.script)}`;
    console.log(`  webview page load, the cold run: ${pp(pageParts[0])}`);
    console.log(
      `  webview page load, medians: ${pp({ beforeNavigation: median(pageParts.map((x) => x.beforeNavigation)), files: median(pageParts.map((x) => x.files)), script: median(pageParts.map((x) => x.script)) })}`,
    );
    console.log(
      `  inside the webview: validation ${f(median(inPage.map((x) => x.validate)))}, rendering ${f(median(inPage.map((x) => x.render)))} (medians)`,
    );
    if (refineTimes.length > 0)
      console.log(
        `layout refinement after the first paint (elkjs in the webview's worker): ${refineTimes.map((t) => f(t)).join(', ')}; the host's longest stall meanwhile ${refineStalls.map((t) => f(t)).join(', ')}`,
      );
    for (const t of timings)
      console.error(
        `  requests: reachability ${t.reach.toFixed(0)} ms, context ${t.context.toFixed(0)} ms, overview ${t.overview.toFixed(0)} ms; model + layout ${t.model.toFixed(0)} ms`,
      );
    const dl = (ds: readonly Delivery[]): string =>
      `host JSON ${f(median(ds.map((d) => d.stringify)))} + page parse and clone ${f(median(ds.map((d) => d.deliver)))} + webview handling ${f(median(ds.map((d) => d.handle)))} = ${f(median(ds.map((d) => d.stringify + d.deliver + d.handle)))} (medians; the rest of "model → rendered" is the bench's round trips to the page)`;
    console.log(`  posting the model: ${dl(firstDeliveries)}`);
    console.log(
      `update after an unsaved NetworkPolicy edit (didChange → rendered): median ${f(median(updates))}, p95 ${f(p95(updates))} of ${updates.length}   target ≤ 300 ms`,
    );
    console.log(
      `  to the next painted frame (the update, then the page's style, layout and paint of it): median ${f(median(updatesPainted))}, p95 ${f(p95(updatesPainted))}`,
    );
    console.log(
      `  medians: server pass to analysisComplete ${f(median(updateParts.map((x) => x.pass)))}; requests (engine on the new snapshot) + model ${f(median(updateParts.map((x) => x.requests)))}; inside the webview ${f(median(updateParts.map((x) => x.webview)))}; the rest is the stub host's message transfer`,
    );
    console.log(
      `  posting the model: ${dl(updateDeliveries)}; posted as its change from the last one (client/panel/wire.ts), median ${(median(postedSizes) / 1000).toFixed(1)} KB`,
    );
    const mp = (xs: readonly number[]): string => `median ${f(median(xs))}, p95 ${f(p95(xs))}`;
    console.log(
      `hover a workload → its connections lit, the rest faded (${interaction.nodes} nodes drawn, ${interaction.hover.length} workloads, ${interaction.lit} elements lit by the first): ${mp(interaction.hover)}; to the next frame ${mp(interaction.hoverPaint)}`,
    );
    console.log(`focus a workload (keyboard) → the same: ${mp(interaction.focus)}; to the next frame ${mp(interaction.focusPaint)}`);
    console.log(
      `Fit after a zoom in → the graph fitted and drawn again: ${mp(interaction.fit)}; to the next frame ${mp(interaction.fitPaint)} (${interaction.fit.length} samples)`,
    );
  } finally {
    await host.close();
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
