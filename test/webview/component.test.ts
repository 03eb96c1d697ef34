/**
 * Component tests of the reachability panel's webview bundle (dist/webview.js) in headless
 * Chromium against a stub host (test/webview/stubHost.ts): the graph of examples/ laid out by
 * elkjs (positions from the layout, no overlapping boxes), filters, edge selection and its
 * explanation with links, export, the virtualised 5,000-row matrix, hostile manifest text, saved
 * state, axe-core, and screenshots in light, dark and high-contrast themes (test-results/webview/).
 *
 * Waits are on state (posted messages, DOM conditions) with deadlines; Chromium is killed by PID
 * in `after`.
 */

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { ExplainProbe } from '../../protocol/lsp.js';
import type { PanelModel, PanelNode } from '../../protocol/panel.js';
import type { WireModel } from '../../protocol/webviewMessages.js';
import { ModelWire, OverviewOnce } from '../../client/panel/wire.js';
import { forgetLayouts, layoutGraph, type ElkElsewhere } from '../../client/panel/layout.js';
import {
  CHROMIUM,
  ROOT,
  StubHost,
  elkInPage,
  exposureOfFolder,
  modelOfFolder,
  posted,
  postedCount,
  send,
  sendPosted,
  waitPosted,
  type Posted,
} from './stubHost.js';

const SHOTS = join(ROOT, 'test-results', 'webview');
const haveChromium = existsSync(CHROMIUM);
const haveBundle = existsSync(join(ROOT, 'dist/webview.js'));
const skip = !haveChromium
  ? `Chromium is not installed at ${CHROMIUM} (scripts/provision-e2e.sh installs it)`
  : !haveBundle
    ? 'dist/webview.js is missing: run npm run build'
    : false;

let host: StubHost | undefined;
let examples: PanelModel;

function stub(): StubHost {
  if (host === undefined) throw new Error('Chromium did not start');
  return host;
}

async function rendered(page: Page, pred: (m: Posted) => boolean = () => true, after = 0): Promise<Posted> {
  return waitPosted(page, (m) => m.kind === 'rendered' && pred(m), 20_000, after);
}

async function showModel(page: Page, model: PanelModel | WireModel): Promise<Posted> {
  const before = await postedCount(page);
  await send(page, { kind: 'model', model });
  return rendered(page, (m) => m.revision === model.revision, before);
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The selector of the placed label of the drawn connection or aggregate `edge` matches (drawn apart, after every line). */
async function placedLabel(page: Page, edge: string): Promise<string> {
  const i = await page.getAttribute(edge, 'data-edge');
  const a = i === null ? await page.getAttribute(edge, 'data-agg') : null;
  assert.ok(i !== null || a !== null, `${edge}: not drawn`);
  return `svg.graph text[data-label-of="${i !== null ? `e${i}` : `a${a ?? ''}`}"]`;
}

describe('reachability panel webview (Chromium)', { skip, timeout: 240_000 }, () => {
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    examples = await modelOfFolder(join(ROOT, 'examples'));
    host = await StubHost.start();
  });
  after(async () => {
    await host?.close();
  });

  it('draws the graph of examples/ at the layout positions, without overlapping boxes', async () => {
    const page = await stub().open('light');
    try {
      const r = await showModel(page, examples);
      assert.equal(r['view'], 'graph');
      const keys = r['edgeKeys'] as string[];
      assert.ok(keys.includes('shop/frontend[Deployment] -> shop/api[Deployment]'), keys.join('\n'));
      assert.ok(keys.includes('shop/api[Deployment] -> shop-data/postgres[StatefulSet]'));
      assert.ok(keys.includes('{ingress-controller} -> shop/frontend[Deployment]'));
      const layout = examples.layout;
      assert.ok(layout !== null);
      const boxes = await page.$$eval('g.node', (els) =>
        els.map((e) => ({
          id: e.getAttribute('data-node') ?? '',
          x: Number(e.getAttribute('data-x')),
          y: Number(e.getAttribute('data-y')),
          w: Number(e.getAttribute('data-w')),
          h: Number(e.getAttribute('data-h')),
          rect: (() => {
            const b = (e.querySelector('rect') as SVGGraphicsElement).getBBox();
            return { x: b.x, y: b.y, w: b.width, h: b.height };
          })(),
        })),
      );
      assert.equal(boxes.length, examples.nodes.length);
      for (const b of boxes) {
        const l: { x: number; y: number; width: number; height: number } | undefined = layout.nodes[b.id];
        assert.ok(l !== undefined, `layout has ${b.id}`);
        assert.deepEqual(b.rect, { x: l.x, y: l.y, w: l.width, h: l.height }, `${b.id} drawn where the layout put it`);
      }
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const a = boxes[i];
          const b = boxes[j];
          if (a !== undefined && b !== undefined) assert.ok(!overlaps(a.rect, b.rect), `${a.id} and ${b.id} overlap`);
        }
      // Namespaces are groups; every workload sits inside its namespace's box.
      const groups = new Map(layout.groups.map((g) => [g.name, g] as const));
      for (const n of examples.nodes.filter((x) => !x.entry)) {
        const g = groups.get(n.namespace);
        const b = layout.nodes[n.id];
        assert.ok(
          g !== undefined &&
            b !== undefined &&
            b.x >= g.x &&
            b.y >= g.y &&
            b.x + b.width <= g.x + g.width &&
            b.y + b.height <= g.y + g.height,
          `${n.id} inside ${n.namespace}`,
        );
      }
      const label = await page.getAttribute('g.node[data-node="shop/api[Deployment]"]', 'aria-label');
      assert.match(label ?? '', /^api out: any: shop\/api; labels app=api/);
      await page.screenshot({ path: join(SHOTS, 'graph-light.png') });
    } finally {
      await page.close();
    }
  });

  it("lays namespaces out with elkjs in a web worker (the extension's worker script, started from a blob URL under the panel's CSP): the host's graph equals elkjs's in Node; a layout elkjs refuses is answered with its error", async () => {
    const page = await stub().open('light');
    try {
      const app = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
      const why: string[] = [];
      let asked = 0;
      const inPage = elkInPage(page, (w) => why.push(w));
      const elsewhere: ElkElsewhere = {
        run: (graph) => {
          asked++;
          return inPage.run(graph);
        },
        fellBack: inPage.fellBack,
      };
      forgetLayouts();
      const there = await layoutGraph(app.nodes, app.edges, elsewhere);
      assert.deepEqual(why, []);
      assert.ok(asked >= 1, 'no namespace was laid out in the worker');
      forgetLayouts();
      assert.deepEqual(there, await layoutGraph(app.nodes, app.edges));
      const before = await postedCount(page);
      await send(page, {
        kind: 'layout',
        requestId: 99,
        graph: {
          id: 'root',
          layoutOptions: { 'elk.algorithm': 'no-such-algorithm' },
          children: [{ id: 'a', width: 10, height: 10 }],
          edges: [],
        },
      });
      const refused = await waitPosted(page, (m) => m.kind === 'laid' && m['requestId'] === 99, 60_000, before);
      assert.equal(refused['graph'], undefined);
      assert.match(String(refused['error']), /^elkjs: /);
    } finally {
      await page.close();
    }
  });

  it('filters by namespace, label, port, only-denied and one policy', async () => {
    const page = await stub().open('light');
    try {
      await showModel(page, examples);
      const edgeKeys = async (): Promise<string[]> => page.$$eval('g.edge', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      const all = (await edgeKeys()).length;
      await page.selectOption('#f-namespace', 'shop-data');
      const ns = await edgeKeys();
      assert.ok(ns.length > 0 && ns.length < all);
      assert.ok(
        ns.every((k) => k.includes('shop-data/')),
        ns.join('\n'),
      );
      await page.selectOption('#f-namespace', '');
      await page.fill('#f-port', '5432');
      const port = await edgeKeys();
      assert.ok(port.length > 0 && port.every((k) => /5432|all ports/.test(k)), port.join('\n'));
      await page.fill('#f-port', '');
      await page.fill('#f-label', 'app=frontend');
      const lab = await edgeKeys();
      assert.ok(lab.length > 0 && lab.every((k) => k.includes('shop/frontend')), lab.join('\n'));
      await page.fill('#f-label', '');
      await page.check('#f-denied');
      // Only the pairs policies deny something between: nothing from catalog to api, frontend → api on TCP 8080 only.
      const denied = await edgeKeys();
      assert.ok(denied.length > 0 && denied.every((k) => /: (denied|only .+)$/.test(k)), denied.join('\n'));
      assert.ok(denied.includes('shop/catalog to shop/api: denied'), denied.join('\n'));
      assert.ok(denied.includes('shop/frontend to shop/api: only TCP 8080'), denied.join('\n'));
      assert.match((await page.textContent('#summary')) ?? '', / denied pairs?$/);
      await page.uncheck('#f-denied');
      // A policy that allows something (shop-data/default-deny-ingress allows nothing).
      const policy = examples.policies.find((p) => p.selects.includes('shop-data/postgres[StatefulSet]') && (p.allows?.length ?? 0) > 0);
      assert.ok(policy !== undefined);
      await page.selectOption('#f-policy', policy.key);
      const pol = await edgeKeys();
      assert.ok(pol.length > 0 && pol.every((k) => k.includes(' to shop-data/postgres: ')), pol.join('\n'));
      assert.match((await page.textContent('#summary')) ?? '', new RegExp(`connections? allowed by ${policy.key}$`));
      // The filters are saved state.
      const state = await page.evaluate(() => (window as unknown as { __state: { filters: { policy: string } } }).__state);
      assert.equal(state.filters.policy, policy.key);
    } finally {
      await page.close();
    }
  });

  it('selecting an edge explains it; its policy links open the YAML at the rule', async () => {
    const page = await stub().open('dark');
    try {
      await showModel(page, examples);
      const before = await postedCount(page);
      // Its label, drawn apart after every line: clicking it selects the connection.
      await page.click(await placedLabel(page, 'g.edge[data-from="shop/api[Deployment]"][data-to="shop-data/postgres[StatefulSet]"]'));
      const req = await waitPosted(page, (m) => m.kind === 'explain', 20_000, before);
      const probes = req['probes'] as ExplainProbe[];
      assert.deepEqual(probes[0], { from: 'shop/api[Deployment]', to: 'shop-data/postgres[StatefulSet]', port: 5432, protocol: 'TCP' });
      const policy = examples.policies.find((p) => p.selects.includes('shop-data/postgres[StatefulSet]'));
      assert.ok(policy !== undefined);
      const location = { uri: policy.location.uri, range: { start: { line: 12, character: 0 }, end: { line: 12, character: 0 } } };
      await send(page, {
        kind: 'explanation',
        requestId: req['requestId'] as number,
        probes,
        results: probes.map(() => ({
          allowed: true,
          reason: 'ingress of shop-data/postgres allows TCP/5432 from shop/api',
          decidedBy: [
            {
              file: policy.location.uri,
              line: 12,
              policy: policy.key,
              direction: 'ingress' as const,
              rule: 'spec.ingress[0].from[0]',
              description: `rule 1 of ingress in policy ${policy.key}`,
              location,
            },
          ],
        })),
      });
      const link = page.locator('.explanation ul.decided-by a', { hasText: `rule 1 of ingress in policy ${policy.key}` });
      await link.waitFor();
      assert.match((await page.textContent('.explanation')) ?? '', /TCP\/5432: allowed/);
      assert.ok((await page.locator('.explanation a', { hasText: policy.key }).count()) >= 1, 'the isolating policy is a link');
      const n = (await posted(page)).length;
      await link.click();
      const open = await waitPosted(page, (m) => m.kind === 'open', 20_000, n);
      assert.deepEqual(open['location'], location);
      await page.screenshot({ path: join(SHOTS, 'explanation-dark.png') });
      // Keyboard: Enter on a focused edge explains it too.
      const k = (await posted(page)).length;
      await page.focus('g.edge[data-from="shop/frontend[Deployment]"][data-to="shop/api[Deployment]"]');
      await page.keyboard.press('Enter');
      const req2 = await waitPosted(page, (m) => m.kind === 'explain', 20_000, k);
      assert.equal((req2['probes'] as ExplainProbe[])[0]?.port, 8080);
      // The probe box.
      const p = (await posted(page)).length;
      await page.fill('#probe', 'from frontend to postgres on 5432');
      await page.click('#probe-go');
      const req3 = await waitPosted(page, (m) => m.kind === 'explain', 20_000, p);
      assert.deepEqual((req3['probes'] as ExplainProbe[])[0], {
        from: 'shop/frontend[Deployment]',
        to: 'shop-data/postgres[StatefulSet]',
        port: 5432,
        protocol: 'TCP',
      });
    } finally {
      await page.close();
    }
  });

  it('the Exposure toggle asks the host, shows its lists (filtered, with links), ignores stale answers, shows errors and turns off', async () => {
    const page = await stub().open('light');
    try {
      await showModel(page, examples);
      const toggle = page.locator('#exposure-toggle');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      const n = (await posted(page)).length;
      await toggle.click();
      const req = await waitPosted(page, (m) => m.kind === 'exposure', 20_000, n);
      const requestId = req['requestId'] as number;
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      await page.locator('.exposure-view .status', { hasText: 'Computing exposure' }).waitFor();
      // An answer to an older request changes nothing.
      await send(page, { kind: 'exposure', requestId: requestId - 1, exposure: { egress: [], ingress: [], unprotected: [] } });
      // The real lists of examples/, as the server computes them.
      const exposure = await exposureOfFolder(join(ROOT, 'examples'));
      const ingress = exposure.ingress.filter((e) => e.workload.startsWith('shop-data/'));
      assert.ok(exposure.ingress.length > 0 && exposure.egress.length > 0, 'examples/ have exposure lines both ways');
      assert.ok((await page.locator('.exposure-view .status').count()) === 1, 'the stale answer was ignored');
      const before = await postedCount(page);
      await send(page, { kind: 'exposure', requestId, exposure });
      await rendered(page, () => true, before);
      await page.locator('section.exposure-section[aria-label="Ingress exposure"] tbody tr').first().waitFor();
      const rows = async (title: string): Promise<string[]> =>
        page.$$eval(`section.exposure-section[aria-label="${title}"] tbody tr`, (els) => els.map((e) => e.textContent ?? ''));
      const ing = await rows('Ingress exposure');
      const eg = await rows('Egress exposure');
      assert.equal(ing.length, exposure.ingress.length);
      assert.equal(eg.length, exposure.egress.length);
      for (const e of exposure.ingress)
        assert.ok(
          ing.some((t) => t.includes(e.workload) && t.includes(e.peer) && t.includes(e.label)),
          e.peer,
        );
      // The namespace filter keeps the workloads the filtered graph shows (the namespace's and their peers').
      await page.selectOption('#f-namespace', 'shop-data');
      const filtered = await rows('Ingress exposure');
      assert.ok(filtered.length < ing.length, `${filtered.length} of ${ing.length} rows`);
      for (const e of ingress)
        assert.ok(
          filtered.some((t) => t.includes(e.workload) && t.includes(e.peer)),
          e.peer,
        );
      assert.equal(await page.locator('g.node').count(), 0, 'the graph is not drawn while the exposure is shown');
      await page.selectOption('#f-namespace', '');
      // A workload is a link to its manifest.
      const first = exposure.ingress[0];
      assert.ok(first !== undefined);
      const k = (await posted(page)).length;
      await page.locator('section.exposure-section[aria-label="Ingress exposure"] tbody tr a', { hasText: first.workload }).first().click();
      const open = await waitPosted(page, (m) => m.kind === 'open', 20_000, k);
      const node = examples.nodes.find((x) => x.id === first.workload);
      assert.deepEqual(open['location'], node?.location);
      await page.screenshot({ path: join(SHOTS, 'exposure-light.png') });
      // Off: the graph comes back; on again: a new request, and an error answer is shown as an alert.
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await page.locator('g.edge').first().waitFor();
      assert.equal(await page.locator('.exposure-view').count(), 0);
      const m = (await posted(page)).length;
      await toggle.click();
      const req2 = await waitPosted(page, (x) => x.kind === 'exposure', 20_000, m);
      assert.ok((req2['requestId'] as number) > requestId);
      await send(page, {
        kind: 'exposure',
        requestId: req2['requestId'] as number,
        exposure: null,
        error: 'the server could not compute it',
      });
      await page.locator('.exposure-view [role="alert"]', { hasText: 'the server could not compute it' }).waitFor();
    } finally {
      await page.close();
    }
  });

  it('exports the current view as Mermaid, DOT, CSV and SVG', async () => {
    const page = await stub().open('light');
    try {
      await showModel(page, examples);
      await page.selectOption('#f-namespace', 'shop-data');
      const out: Record<string, string> = {};
      for (const format of ['mermaid', 'dot', 'csv', 'svg']) {
        const n = (await posted(page)).length;
        await page.selectOption('#export-format', format);
        await page.click('#export');
        const m = await waitPosted(page, (x) => x.kind === 'export', 20_000, n);
        assert.equal(m['format'], format);
        out[format] = String(m['content']);
      }
      assert.match(out['mermaid'] ?? '', /^flowchart LR\n/);
      assert.match(out['dot'] ?? '', /^digraph reach \{/);
      assert.match(out['csv'] ?? '', /^from,to,protocol,port,endPort,verdict,reason\n/);
      assert.ok(
        (out['csv'] ?? '')
          .split('\n')
          .slice(1)
          .filter((l) => l !== '')
          .every((l) => l.includes('shop-data/')),
        'CSV holds the filtered view',
      );
      const svgOk = await page.evaluate((s) => {
        const d = new DOMParser().parseFromString(s, 'image/svg+xml');
        return (
          d.querySelector('parsererror') === null &&
          d.documentElement.tagName === 'svg' &&
          d.querySelector('script') === null &&
          d.querySelectorAll('rect').length > 2
        );
      }, out['svg'] ?? '');
      assert.ok(svgOk, 'the SVG parses and holds the drawing');
    } finally {
      await page.close();
    }
  });

  it('graph at a glance: badges, hover lights a node’s connections, zoom and fit, a narrow panel repacks, aggregates expand', async () => {
    const page = await stub().open('light', undefined, { width: 1400, height: 900 });
    try {
      await showModel(page, examples);
      // Badges instead of edges to and from everything.
      assert.equal(await page.locator('g[data-node="shop-cache/redis[Deployment]"] > text.badge').count(), 2);
      assert.equal(await page.locator('g.edge').count(), 4);
      // Hover: api's connections lit, the rest faded.
      await page.hover('g.node[data-node="shop/api[Deployment]"] rect');
      await page.waitForSelector('svg.graph.focusing');
      const lit = await page.$$eval('g.edge.lit', (els) =>
        els.map((e) => `${e.getAttribute('data-from')} -> ${e.getAttribute('data-to')}`).sort(),
      );
      assert.deepEqual(lit, [
        'shop/api[Deployment] -> shop-data/postgres[StatefulSet]',
        'shop/frontend[Deployment] -> shop/api[Deployment]',
      ]);
      // Their labels (drawn apart, after every line) lit with them; the others' faded.
      const labelOpacity = async (edge: string): Promise<string> =>
        page.$eval(await placedLabel(page, edge), (e) => getComputedStyle(e).opacity);
      assert.equal(await labelOpacity('g.edge[data-from="shop/api[Deployment]"][data-to="shop-data/postgres[StatefulSet]"]'), '1');
      assert.equal(await labelOpacity('g.edge[data-from="shop/worker[Deployment]"]'), '0.15');
      const faded = await page.$eval('g.node[data-node="shop-cache/redis[Deployment]"]', (e) => getComputedStyle(e).opacity);
      assert.equal(faded, '0.15');
      assert.equal(await page.$eval('g.node[data-node="shop-data/postgres[StatefulSet]"]', (e) => getComputedStyle(e).opacity), '1');
      await page.mouse.move(5, 880);
      await page.waitForSelector('svg.graph:not(.focusing)');
      // Labels are 12 px.
      const sizes = await page.$$eval('svg.graph text', (els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      assert.ok(sizes.length > 0 && sizes.every((x) => x >= 12), sizes.join(','));
      // Zoom and fit.
      const width = async (): Promise<number> => Number(await page.getAttribute('svg.graph', 'width'));
      const w100 = await width();
      // On this wide panel the layout fits at every zoom: zooming and Fit rescale the drawing, they
      // do not draw it again (the same element, no new 'rendered').
      await page.$eval('svg.graph', (svg) => svg.setAttribute('data-mark', 'kept'));
      const renders = (await posted(page)).filter((m) => m.kind === 'rendered').length;
      await page.click('#zoom-in');
      assert.ok((await width()) > w100);
      assert.equal(await page.getAttribute('svg.graph', 'data-mark'), 'kept', 'zoom in rescales the drawing');
      assert.equal(
        await page.textContent('#zoom-reset'),
        `${Math.round(Number(await page.getAttribute('svg.graph', 'data-zoom')) * 100)} %`,
      );
      await page.click('#zoom-fit');
      await page.click('#zoom-reset');
      assert.equal(await width(), w100);
      assert.equal(await page.getAttribute('svg.graph', 'data-mark'), 'kept', 'Fit and 100 % rescale the drawing');
      assert.equal((await posted(page)).filter((m) => m.kind === 'rendered').length, renders);
      await page.setViewportSize({ width: 560, height: 700 });
      await page.click('#zoom-fit');
      const fitted = await page.$eval('svg.graph', (svg) => {
        const scroll = svg.parentElement as HTMLElement;
        return [svg.getBoundingClientRect().width, scroll.clientWidth];
      });
      assert.ok((fitted[0] ?? 0) <= (fitted[1] ?? 0) + 1, `fit: the graph is as wide as the view (${fitted.join(' > ')})`);
      await page.click('#zoom-reset');
      // Narrow: the namespaces stack (compact layout), so nothing lies right of the view but the widest group.
      const groups = await page.$$eval('g.group rect', (els) =>
        els.map((e) => Number(e.getAttribute('x')) + Number(e.getAttribute('width'))),
      );
      const viewW = await page.$eval('#content', (e) => e.clientWidth);
      const widest = Math.max(...(examples.layout?.groups ?? []).map((g) => g.width));
      assert.ok(Math.max(...groups) <= Math.max(viewW, widest + 10), `${Math.max(...groups)} > ${viewW}`);
      await page.screenshot({ path: join(SHOTS, 'graph-narrow-light.png') });
      // Thirty workloads in two namespaces: the connections between them are one edge until expanded.
      const front = Array.from({ length: 15 }, (_, i) => ({
        ...(examples.nodes.find((n) => n.id === 'shop/api[Deployment]') as PanelNode),
        id: `front/w${i}[Deployment]`,
        namespace: 'front',
        name: `w${i}`,
        isolatedIngress: false,
      }));
      const back = front.map((n, i) => ({ ...n, id: `back/b${i}[Deployment]`, namespace: 'back', name: `b${i}`, isolatedIngress: true }));
      const edges = front.map((f, i) => ({
        from: f.id,
        to: back[i]?.id ?? '',
        ports: [{ protocol: 'TCP', port: 8080 }],
        label: 'TCP 8080',
        verdict: 'allowed' as const,
      }));
      const { layoutGraph } = await import('../../client/panel/layout.js');
      const layout = await layoutGraph([...front, ...back], edges);
      await page.setViewportSize({ width: 1400, height: 900 });
      await showModel(page, { ...examples, nodes: [...front, ...back], edges, layout, policies: [], ingressRoutes: [], revision: 50 });
      assert.equal(await page.locator('g.edge.aggregate').count(), 1);
      assert.match((await page.getAttribute('g.edge.aggregate', 'aria-label')) ?? '', /^15 connections from front to back/);
      await page.click(await placedLabel(page, 'g.edge.aggregate'));
      await page.waitForFunction(() => document.querySelectorAll('g.edge[data-edge]').length === 15);
      assert.equal(await page.locator('g.edge.aggregate').count(), 0);
    } finally {
      await page.close();
    }
  });

  it('the 30-workload app: client groups through junctions, hover lights a client’s own leg and its destinations, a junction expands', async () => {
    const app = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const page = await stub().open('light', undefined, { width: 1400, height: 900 });
    try {
      const r = await showModel(page, app);
      assert.ok(Number(r['bundles']) >= 5, `bundles ${String(r['bundles'])}`);
      const web = 'outfitters/web[Deployment]';
      const group = page.locator('g.edge.bundle', { hasText: 'tier=edge (4)' }).filter({ hasText: 'TCP 8080,9090' });
      assert.equal(await group.count(), 1);
      assert.match((await group.getAttribute('aria-label')) ?? '', /^tier=edge \(4\) \(.*\) to .*: TCP 8080,9090/);
      // Junction text is 12 px like every label.
      const sizes = await page.$$eval('text.junction', (els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
      assert.ok(sizes.length >= 10 && sizes.every((x) => x >= 12), sizes.join(','));
      // No tooltip is drawn with the graph: a workload's is made when it is hovered.
      assert.equal(await page.locator('svg.graph title').count(), 0);
      // Hover web: its leg into the junction (drawn over the clients' legs) and the legs out are
      // lit, the other clients' legs fade.
      await page.hover(`g.node[data-node="${web}"] rect`);
      await page.waitForSelector('svg.graph.focusing');
      assert.match((await page.textContent(`g.node[data-node="${web}"] > title`)) ?? '', /^Deployment outfitters\/web\n(.+=.+\n)*app=web/);
      assert.ok(await group.evaluate((e) => e.classList.contains('lit')));
      /** Each leg path of the group: its side (or the workload whose leg it is), lit or its opacity, and its number of legs. */
      const legGroup = page.locator(`g.bundle-legs[data-legs-of="${(await group.getAttribute('data-bundle')) ?? ''}"]`);
      const legs = (): Promise<string[]> =>
        legGroup.evaluate((e) =>
          [...e.querySelectorAll('path.legs, path.leg')].map(
            (l) =>
              `${l.getAttribute('data-leg') ?? `${l.getAttribute('data-side') ?? ''}${l.classList.contains('heads') ? ' heads' : ''}`}:${
                getComputedStyle(l).opacity === '1' && l.classList.contains('lit') ? 'lit' : getComputedStyle(l).opacity
              }:${(l.getAttribute('d') ?? '').split('M').length - 1}`,
          ),
        );
      assert.deepEqual((await legs()).sort(), [`${web}:lit:1`, 'in:0.15:4', 'out heads:lit:7', 'out:lit:7'].sort());
      assert.equal(await page.$eval('g.node[data-node="outfitters/reviews[Deployment]"]', (e) => getComputedStyle(e).opacity), '1');
      assert.equal(await page.$eval('g.node[data-node="outfitters/admin-ui[Deployment]"]', (e) => getComputedStyle(e).opacity), '0.15');
      // Hover a destination: every client's leg lit, only its own leg out (with its arrow).
      await page.hover('g.node[data-node="outfitters/reviews[Deployment]"] rect');
      await page.waitForFunction(() => document.querySelector('g.node.lit[data-node="outfitters/admin-ui[Deployment]"]') !== null);
      assert.deepEqual(
        (await legs()).sort(),
        ['outfitters/reviews[Deployment]:lit:1', 'in:lit:4', 'out heads:0.15:7', 'out:0.15:7'].sort(),
      );
      assert.match((await legGroup.locator('path.leg').getAttribute('marker-end')) ?? '', /^url\(#arrow/);
      // A client group's tooltip is its label.
      await group.locator('rect.junction').hover();
      assert.equal(await group.locator(':scope > title').textContent(), await group.getAttribute('aria-label'));
      await page.mouse.move(5, 880);
      await page.waitForSelector('svg.graph:not(.focusing)');
      assert.equal(await page.locator('svg.graph path.leg').count(), 0, 'the hovered leg goes with the hover');
      await page.screenshot({ path: join(SHOTS, 'graph-app30-light.png'), fullPage: true });
      // Selecting the junction draws its 28 connections one by one.
      const before = await postedCount(page);
      await group.locator('rect.junction').click();
      const after = await rendered(page, () => true, before);
      assert.equal(Number(after['bundles']), Number(r['bundles']) - 1);
      assert.equal(Number(after['edges']), Number(r['edges']) + 28);
    } finally {
      await page.close();
    }
  });

  it('a narrow panel (500 px beside an editor, 300 px in the side column) never scrolls sideways: graph, matrix, lists, Changes, Exposure and toolbars fit its width', async () => {
    const app = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const exposure = await exposureOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const ids = app.nodes.filter((n) => !n.entry).map((n) => n.id);
    const types = ['added', 'removed', 'changed'] as const;
    const changes = ids.slice(0, 12).map((source, i) => ({
      diffType: types[i % 3] ?? 'added',
      source,
      destination: ids[(i * 7 + 3) % ids.length] ?? source,
      ref1: 'TCP 8080',
      ref2: 'TCP 8080,9090,9443',
    }));
    // What scrolls sideways: the page itself, or any element that scrolls (overflow auto or scroll) wider than it is.
    const sideways = async (page: Page): Promise<string[]> =>
      page.evaluate(() => {
        const out: string[] = [];
        const d = document.documentElement;
        if (d.scrollWidth > d.clientWidth) out.push(`the page: scrollWidth ${d.scrollWidth} > clientWidth ${d.clientWidth}`);
        for (const e of document.querySelectorAll<HTMLElement>('body *')) {
          const x = getComputedStyle(e).overflowX;
          if ((x === 'auto' || x === 'scroll') && e.scrollWidth > e.clientWidth)
            out.push(`${e.tagName.toLowerCase()}.${e.className}: scrollWidth ${e.scrollWidth} > clientWidth ${e.clientWidth}`);
        }
        return out;
      });
    // Words a table broke inside although they fit its width (at 300 px its rows are stacked, so
    // a cell has the table's width: "All Conn-ections" in a column 45 px wide no more). A word
    // ends at a space, a hyphen or a slash, where lines may break.
    const brokenWords = async (page: Page): Promise<string[]> =>
      page.evaluate(() => {
        const out: string[] = [];
        for (const table of document.querySelectorAll<HTMLTableElement>('.content table')) {
          if (table.classList.contains('chg-matrix')) continue;
          const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
          for (let t = walker.nextNode(); t !== null; t = walker.nextNode()) {
            const text = t.textContent ?? '';
            for (const m of text.matchAll(/[^\s/-]+[/-]?/g)) {
              const range = document.createRange();
              range.setStart(t, m.index);
              range.setEnd(t, m.index + m[0].length);
              const rects = [...range.getClientRects()].filter((r) => r.width > 0);
              const lines = new Set(rects.map((r) => Math.round(r.top)));
              const width = rects.reduce((w, r) => w + r.width, 0);
              if (lines.size > 1 && width < table.clientWidth - 40) out.push(`${m[0]} (${lines.size} lines, ${Math.round(width)} px)`);
            }
          }
        }
        return out;
      });
    for (const width of [500, 300]) {
      const page = await stub().open('light', undefined, { width, height: 800 });
      try {
        await showModel(page, app);
        for (const v of ['graph', 'matrix', 'services', 'ingress', 'routes', 'changes'] as const) {
          const n = (await posted(page)).length;
          await page.click(`#tab-${v}`);
          if (v === 'changes') {
            await waitPosted(page, (m) => m.kind === 'changes', 20_000, n);
            const before = await postedCount(page);
            await send(page, { kind: 'changes', result: { available: true, base: 'HEAD', changes, policies: [], notes: [] } });
            await rendered(page, (m) => m.view === 'changes' && m.edges === changes.length, before);
          } else await rendered(page, (m) => m.view === v, n);
          assert.deepEqual(await sideways(page), [], `${v} at ${width} px`);
          if (width === 300) assert.deepEqual(await brokenWords(page), [], `${v} at ${width} px: words broken inside`);
          await page.screenshot({ path: join(SHOTS, `narrow-${width}-${v}.png`) });
        }
        // The graph is fitted to the width, not cut: its drawing is no wider than its view.
        await page.click('#tab-graph');
        const [svgW, viewW] = await page.$eval('svg.graph', (svg) => [
          svg.getBoundingClientRect().width,
          (svg.parentElement as HTMLElement).clientWidth,
        ]);
        assert.ok((svgW ?? 0) <= (viewW ?? 0), `graph ${svgW} in ${viewW}`);
        // Zoomed in, it is fitted again (folded narrower), still without sideways scrolling. At
        // 300 px a zoom of 94 % would make the external range's box alone wider than the view: the
        // zoom stops at the largest at which it fits (never below the one before), and says so;
        // zooming in again changes nothing.
        await page.click('#zoom-in');
        const zoomed = Number(await page.getAttribute('svg.graph', 'data-zoom'));
        if (width === 500) assert.equal(zoomed, 0.94);
        else {
          assert.ok(zoomed >= 0.75 && zoomed < 0.94, `zoomed in at 300 px: ${zoomed}`);
          assert.match((await page.textContent('#announce')) ?? '', /the largest at which the graph fits/);
          await page.click('#zoom-in');
          assert.equal(Number(await page.getAttribute('svg.graph', 'data-zoom')), zoomed);
        }
        assert.deepEqual(await sideways(page), [], `graph zoomed in at ${width} px`);
        const [zoomedW, zoomedView] = await page.$eval('svg.graph', (svg) => [
          svg.getBoundingClientRect().width,
          (svg.parentElement as HTMLElement).clientWidth,
        ]);
        assert.ok((zoomedW ?? 0) <= (zoomedView ?? 0), `zoomed graph ${zoomedW} in ${zoomedView}`);
        await page.screenshot({ path: join(SHOTS, `narrow-${width}-graph-zoomed.png`) });
        const n = (await posted(page)).length;
        await page.click('#exposure-toggle');
        const req = await waitPosted(page, (m) => m.kind === 'exposure', 20_000, n);
        const before = await postedCount(page);
        await send(page, { kind: 'exposure', requestId: req['requestId'] as number, exposure });
        await rendered(page, () => true, before);
        await page.locator('.exposure-view table').first().waitFor();
        assert.deepEqual(await sideways(page), [], `Exposure at ${width} px`);
        if (width === 300) assert.deepEqual(await brokenWords(page), [], `Exposure at ${width} px: words broken inside`);
        await page.screenshot({ path: join(SHOTS, `narrow-${width}-exposure.png`) });
      } finally {
        await page.close();
      }
    }
  });

  it('in a narrow panel the matrix pages its destination columns: the bar and the arrow keys move them', async () => {
    const app = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const page = await stub().open('light', undefined, { width: 300, height: 700 });
    try {
      await showModel(page, app);
      const n = (await posted(page)).length;
      await page.click('#tab-matrix');
      await rendered(page, (m) => m.view === 'matrix', n);
      const heads = async (): Promise<string[]> => page.$$eval('.m-colhead', (els) => els.map((e) => e.getAttribute('title') ?? ''));
      const first = await heads();
      const cols = app.nodes.filter((x) => !x.entry || x.kind === 'External').length;
      assert.ok(first.length >= 1 && first.length < cols, `${first.length} of ${cols} columns shown`);
      const bar = page.locator('.matrix-pager');
      assert.equal(await bar.locator('span').textContent(), `to: 1–${first.length} of ${cols}`);
      assert.equal(await bar.locator('button[data-page="prev"]').isDisabled(), true);
      await bar.locator('button[data-page="next"]').click();
      const second = await heads();
      assert.equal(second.length, first.length);
      assert.ok(
        second.every((h) => !first.includes(h)),
        'the next destinations',
      );
      assert.equal(await bar.locator('span').textContent(), `to: ${first.length + 1}–${2 * first.length} of ${cols}`);
      await bar.locator('button[data-page="prev"]').click();
      assert.deepEqual(await heads(), first);
      // The arrow keys move the focused cell, and the columns shown follow it.
      await page.locator('.m-cell[data-r="1"][data-c="0"]').click();
      for (let i = 0; i < first.length; i++) await page.keyboard.press('ArrowRight');
      const moved = await heads();
      assert.notDeepEqual(moved, first);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-c')), String(first.length));
      assert.ok(
        moved.includes(
          await page.evaluate(() => (document.activeElement?.getAttribute('aria-label') ?? '').split(' to ')[1]?.split(':')[0] ?? ''),
        ),
      );
      await page.screenshot({ path: join(SHOTS, 'narrow-matrix-paged.png') });
    } finally {
      await page.close();
    }
  });

  it('virtualises the matrix: 5,000 workloads, under 500 cells in the DOM, row 4,000 on scroll', async () => {
    const nodes: PanelNode[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `ns${i % 50}/w${String(i).padStart(4, '0')}[Deployment]`,
      namespace: `ns${i % 50}`,
      kind: 'Deployment',
      name: `w${String(i).padStart(4, '0')}`,
      labels: { app: `w${i}` },
      entry: false,
      isolatedIngress: i % 3 === 0,
      isolatedEgress: false,
      unreachable: false,
      ports: [{ protocol: 'TCP', port: 8080 }],
    }));
    const edges = nodes.slice(0, 4999).map((n, i) => ({
      from: n.id,
      to: nodes[i + 1]?.id ?? '',
      ports: [{ protocol: 'TCP', port: 8080 }],
      label: 'TCP 8080',
      verdict: 'allowed' as const,
    }));
    const big: PanelModel = {
      ...examples,
      nodes,
      edges,
      layout: null,
      policies: [],
      ingressRoutes: [],
      initialView: 'matrix',
      revision: 7,
    };
    const page = await stub().open('light');
    try {
      const r = await showModel(page, big);
      assert.equal(r['view'], 'matrix');
      const cells = await page.locator('.m-cell').count();
      assert.ok(cells > 20 && cells < 500, `${cells} cells in the DOM`);
      await page.evaluate(() => {
        const s = document.querySelector('.matrix-scroll');
        if (s !== null) s.scrollTop = 3999 * 26;
      });
      await page.locator('.m-rowhead', { hasText: 'ns49/w3999' }).first().waitFor();
      const after = await page.locator('.m-cell').count();
      assert.ok(after < 500, `${after} cells after scrolling`);
      const cell = page.locator('.m-cell[data-r="3999"][data-c="0"]');
      assert.equal(await cell.getAttribute('aria-label'), 'ns49/w3999[Deployment] to ns0/w0000[Deployment]: denied');
      await page.screenshot({ path: join(SHOTS, 'matrix-light.png') });
      // Keyboard: arrows move the focused cell; Enter explains it.
      await cell.click();
      const n = (await posted(page)).length;
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      const req = await waitPosted(page, (m) => m.kind === 'explain', 20_000, n);
      assert.equal((req['probes'] as ExplainProbe[])[0]?.from, 'ns0/w4000[Deployment]');
    } finally {
      await page.close();
    }
  });

  it('shows hostile manifest text literally and runs none of it', async () => {
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '</script><script>window.__pwned=2</script>';
    const js = 'javascript:window.__pwned=3';
    const evil: PanelModel = {
      ...examples,
      revision: 9,
      nodes: examples.nodes.map((n, i) =>
        i === 1 ? { ...n, name: img, labels: { [script]: js, app: img } } : i === 2 ? { ...n, name: script, kind: js } : n,
      ),
      edges: examples.edges.map((e, i) => (i === 0 ? { ...e, verdict: 'undefined' as const, reason: img, label: script } : e)),
      policies: examples.policies.map((p, i) => (i === 0 ? { ...p, key: img, name: js } : p)),
      notes: [`1 Calico NetworkPolicy ${img} is not evaluated`],
      ingressRoutes: examples.ingressRoutes.map((r) => ({ ...r, host: img, path: script, location: { ...r.location, uri: js } })),
      overview: {
        namespaces: examples.overview.namespaces.map((ns, i) =>
          i === 0 ? { ...ns, name: script, workloads: ns.workloads.map((w) => ({ ...w, name: img })) } : ns,
        ),
      },
    };
    const page = await stub().open('light');
    try {
      await showModel(page, evil);
      const node = examples.nodes[1];
      assert.ok(node !== undefined);
      const text = await page.$$eval('g.node .node-name', (els) => els.map((e) => (e.textContent ?? '').trim()));
      assert.ok(
        text.some((t) => t.startsWith('<img src=x')),
        text.join('\n'),
      );
      assert.ok(text.includes(script.length > 34 ? `${script.slice(0, 33)}…` : script));
      // A note on what the panel does not evaluate: shown above the views, as text.
      assert.deepEqual(await page.$$eval('p.panel-note', (els) => els.map((e) => e.textContent)), [
        `1 Calico NetworkPolicy ${img} is not evaluated`,
      ]);
      assert.equal(await page.locator('p.panel-note img').count(), 0);
      for (const v of ['matrix', 'services', 'ingress', 'graph'] as const) {
        const n = (await posted(page)).length;
        await page.click(`#tab-${v}`);
        await rendered(page, (m) => m.view === v, n);
      }
      await page.click('#tab-ingress');
      assert.ok(((await page.textContent('.ingress-view')) ?? '').includes(img), 'the host shows literally');
      const before = await postedCount(page);
      await page.locator('.ingress-view a.obj-link').first().click();
      const open = await waitPosted(page, (m) => m.kind === 'open', 20_000, before);
      assert.equal((open['location'] as { uri: string }).uri, js, 'the uri goes to the host, which opens workspace files only');
      await page.selectOption('#f-policy', img);
      await page.click('#tab-graph');
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator('img').count(), 0);
      assert.equal(await page.locator('script').count(), 1, 'only the bundle script');
      assert.ok(await page.$$eval('a', (as) => as.every((a) => a.getAttribute('href') === '#')), 'no link leaves the panel');
    } finally {
      await page.close();
    }
  });

  it('restores its view and filters from saved state (as after a reload)', async () => {
    const page = await stub().open('light', {
      view: 'matrix',
      filters: { namespace: 'shop', label: 'app=api', port: '', onlyDenied: false, policy: '' },
      scope: {},
    });
    try {
      const r = await showModel(page, examples);
      assert.equal(r['view'], 'matrix');
      assert.equal(await page.inputValue('#f-label'), 'app=api');
      assert.equal(await page.inputValue('#f-namespace'), 'shop');
    } finally {
      await page.close();
    }
  });

  it('a model without its overview keeps the last one; without a last one it asks for everything again', async () => {
    const page = await stub().open('light');
    try {
      const once = new OverviewOnce();
      const first = await showModel(page, once.wire(examples));
      assert.ok(Number(first['services']) > 0);
      const wired = once.wire({ ...examples, revision: examples.revision + 1 });
      assert.equal(wired.overview, null, 'an unchanged overview is not sent again');
      const second = await showModel(page, wired);
      assert.equal(second['services'], first['services']);
      assert.equal(second['workloads'], first['workloads']);
    } finally {
      await page.close();
    }
    const fresh = await stub().open('light');
    try {
      await send(fresh, { kind: 'model', model: { ...examples, overview: null } });
      await waitPosted(fresh, (m) => m.kind === 'refresh');
    } finally {
      await fresh.close();
    }
  });

  it('a model posted as its change from the last one is drawn as the whole model is, changing only what differs; a change from another model asks for everything', async () => {
    const page = await stub().open('light');
    const fresh = await stub().open('light');
    try {
      const wire = new ModelWire();
      const first = { ...examples, revision: 21 };
      let n = await postedCount(page);
      await sendPosted(page, wire.message(first));
      await rendered(page, (m) => m.revision === 21, n);
      // An edit: two connections gone, one undefined now, a policy selecting one workload less.
      const [p0, ...ps] = examples.policies;
      assert.ok(p0 !== undefined && examples.edges.length > 4);
      const edited: PanelModel = {
        ...examples,
        edges: [
          ...examples.edges.slice(3),
          { ...(examples.edges[2] as PanelModel['edges'][number]), verdict: 'undefined', reason: 'a changed reason' },
        ],
        policies: [{ ...p0, selects: p0.selects.slice(1) }, ...ps],
        revision: 22,
      };
      const message = wire.message(edited);
      assert.ok('base' in message.model, 'posted as a change');
      // A workload hovered (its connections lit) and one element marked, to see it kept.
      await page.evaluate(`(() => {
        const nodes = document.querySelectorAll('svg.graph g.node');
        nodes[0].querySelector('rect').dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
        window.__marked = nodes[1];
        nodes[2].focus();
        window.__focused = nodes[2].getAttribute('data-node');
      })()`);
      assert.ok(Number(await page.evaluate(`document.querySelectorAll('svg.graph .lit').length`)) > 0);
      n = await postedCount(page);
      await sendPosted(page, message);
      const viaDelta = await rendered(page, (m) => m.revision === 22, n);
      const whole = await showModel(fresh, edited);
      for (const k of ['edges', 'edgeKeys', 'summary', 'nodes', 'services', 'badges', 'aggregates'])
        assert.deepEqual(viaDelta[k], whole[k], k);
      // Drawn again by changing what differs (webview/vnode.ts patchChildren): the same drawing as
      // a fresh page's (the highlight gone), the marked element the same element.
      assert.equal(await page.evaluate(`document.body.contains(window.__marked)`), true, 'the element kept');
      // The keyboard's place kept: the workload focused before the update is focused after it,
      // its connections lit; leaving it, the drawing is a fresh page's.
      assert.equal(
        await page.evaluate(`document.activeElement?.getAttribute('data-node') === window.__focused && window.__focused !== null`),
        true,
        'focus kept',
      );
      assert.equal(await page.evaluate(`document.activeElement.classList.contains('lit')`), true, 'the focused workload lit');
      await page.evaluate(`document.activeElement.blur()`);
      const svg = (p: Page): Promise<string> => p.evaluate(() => document.querySelector('svg.graph')?.outerHTML ?? '');
      assert.equal(await svg(page), await svg(fresh), 'the same drawing');
      // A change from a model this webview does not have.
      const other = new ModelWire();
      other.message({ ...examples, revision: 30 });
      n = await postedCount(page);
      await sendPosted(page, other.message({ ...edited, revision: 31 }));
      await waitPosted(page, (m) => m.kind === 'refresh', 20_000, n);
    } finally {
      await page.close();
      await fresh.close();
    }
  });

  it('offers a unit picker when variants exist; picking one asks the host for that scope', async () => {
    const page = await stub().open('light');
    try {
      await showModel(page, { ...examples, units: ['file:///ws/overlays/dev', 'file:///ws/overlays/prod'], revision: 11 });
      const n = (await posted(page)).length;
      await page.selectOption('#f-unit', 'file:///ws/overlays/prod');
      const m = await waitPosted(page, (x) => x.kind === 'scope', 20_000, n);
      assert.deepEqual(m['scope'], { unit: 'file:///ws/overlays/prod' });
    } finally {
      await page.close();
    }
  });

  it('the Changes tab asks the host for the comparison with HEAD and draws it by type, with a legend and both sides’ notes', async () => {
    const page = await stub().open('light');
    try {
      // The toolbar's notes are now's; the Changes view says each side's in their place.
      await showModel(page, { ...examples, notes: ['a note of now only'], revision: examples.revision + 1 });
      const n = (await posted(page)).length;
      await page.click('#tab-changes');
      await waitPosted(page, (m) => m.kind === 'changes', 20_000, n);
      const before = await postedCount(page);
      await send(page, {
        kind: 'changes',
        result: {
          available: true,
          base: 'HEAD',
          changes: [
            {
              diffType: 'changed',
              source: 'shop/frontend[Deployment]',
              destination: 'shop/api[Deployment]',
              ref1: 'TCP 8080',
              ref2: 'TCP 8080,9090',
            },
            {
              diffType: 'added',
              source: 'shop/frontend[Deployment]',
              destination: 'shop-data/postgres[StatefulSet]',
              ref1: 'No Connections',
              ref2: 'TCP 5432',
            },
            {
              diffType: 'removed',
              source: 'shop/worker[Deployment]',
              destination: 'shop-data/postgres[StatefulSet]',
              ref1: 'TCP 5432',
              ref2: 'No Connections',
            },
          ],
          policies: [{ policy: 'shop-data/postgres', added: 1, removed: 1, changed: 0, isNew: false, title: '+1 / \u22121 since HEAD' }],
          notes: [
            { sides: 'base', note: 'a note of HEAD (shop/old.yaml)' },
            { sides: 'current', note: 'a note of now only' },
          ],
          noteFiles: [{ text: 'shop/old.yaml', uri: 'file:///ws/shop/old.yaml' }],
        },
      });
      const r = await rendered(page, (m) => m.view === 'changes' && m.edges === 3, before);
      assert.deepEqual(await page.$$eval('.changes-view .panel-note', (els) => els.map((e) => e.textContent)), [
        'HEAD: a note of HEAD (shop/old.yaml)',
        'now: a note of now only',
      ]);
      assert.equal(await page.locator('#toolbar .panel-notes').isHidden(), true, 'the toolbar’s notes are hidden in the Changes view');
      const clicks = await postedCount(page);
      await page.locator('.changes-view .panel-note a.obj-link').click();
      const opened = await waitPosted(page, (m) => m.kind === 'open', 20_000, clicks);
      assert.equal((opened['location'] as { uri: string }).uri, 'file:///ws/shop/old.yaml');
      assert.ok((r['edgeKeys'] as string[]).includes('shop/worker[Deployment] -> shop-data/postgres[StatefulSet]'));
      for (const t of ['added', 'removed', 'changed']) assert.equal(await page.locator(`svg.chg-graph g.chg-edge.chg-${t}`).count(), 1, t);
      assert.equal(await page.locator('table.chg-table tbody tr').count(), 3);
      assert.match((await page.locator('.changes-view h2').textContent()) ?? '', /^\+1 added · −1 removed · ~1 changed since HEAD$/);
      await page.screenshot({ path: join(SHOTS, 'changes-view-light.png') });
      // Back in the graph, the toolbar's notes show again.
      const n2 = (await posted(page)).length;
      await page.click('#tab-graph');
      await rendered(page, (m) => m.view === 'graph', n2);
      assert.equal(await page.locator('#toolbar .panel-notes').isVisible(), true);
    } finally {
      await page.close();
    }
  });

  it('shows the notes reach prints above every view: more than two folded into a disclosure the keyboard opens, axe-clean, never wider than a 300 px panel', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    const withNotes = await modelOfFolder(join(ROOT, 'test/fixtures/panel-notes'));
    assert.equal(withNotes.notes.length, 4, withNotes.notes.join('\n'));
    for (const width of [1400, 300]) {
      const page = await stub().open('dark', undefined, { width, height: 800 });
      try {
        await showModel(page, withNotes);
        await page.evaluate(axe);
        const summary = page.locator('details.panel-notes > summary');
        assert.equal(await summary.textContent(), '4 notes on what these answers leave out');
        assert.equal(await page.locator('details.panel-notes').getAttribute('open'), null, 'closed until opened');
        await summary.focus();
        await page.keyboard.press('Enter');
        await page.waitForSelector('details.panel-notes[open] li.panel-note');
        assert.deepEqual(await page.$$eval('li.panel-note', (els) => els.map((e) => e.textContent)), withNotes.notes);
        // The files a note names are links that open them (the policy defined twice: its two files).
        const named = withNotes.noteFiles ?? [];
        assert.deepEqual(
          await page.$$eval('li.panel-note a.obj-link', (els) => els.map((e) => e.textContent)),
          named.map((f) => f.text),
        );
        const clicks = await postedCount(page);
        await page.locator('li.panel-note a.obj-link').first().click();
        const open = await waitPosted(page, (m) => m.kind === 'open', 20_000, clicks);
        assert.equal((open['location'] as { uri: string }).uri, named[0]?.uri);
        // Opened, it stays open when the toolbar is drawn again (another unit's model, other notes).
        await showModel(page, { ...withNotes, revision: withNotes.revision + 1, notes: [...withNotes.notes, 'a fifth note'] });
        assert.equal(await page.locator('li.panel-note').count(), 5);
        assert.notEqual(await page.locator('details.panel-notes').getAttribute('open'), null);
        for (const v of ['graph', 'matrix', 'services'] as const) {
          const n = (await posted(page)).length;
          await page.click(`#tab-${v}`);
          await rendered(page, (m) => m.view === v, n);
          assert.equal(await page.locator('details.panel-notes').count(), 1, v);
          const violations = await page.evaluate(async () => {
            const w = window as unknown as {
              axe: { run: (ctx: Element, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null }> }> };
            };
            const r = await w.axe.run(document.querySelector('#toolbar') ?? document.body, { resultTypes: ['violations'] });
            return r.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => x.id);
          });
          assert.deepEqual(violations, [], `${width} px ${v}`);
        }
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(wide <= 0, `${width} px: the page scrolls sideways by ${wide} px`);
        if (width === 300) await page.screenshot({ path: join(SHOTS, 'notes-300-dark.png') });
      } finally {
        await page.close();
      }
    }
  });

  it('axe-core finds no serious or critical violations; screenshots in three themes', async () => {
    const axe = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      const page = await stub().open(theme);
      try {
        await showModel(page, examples);
        await page.evaluate(axe);
        for (const v of ['graph', 'matrix', 'services', 'ingress', 'changes'] as const) {
          const n = (await posted(page)).length;
          await page.click(`#tab-${v}`);
          await rendered(page, (m) => m.view === v, n);
          if (v === 'graph') {
            await page.click(
              await placedLabel(page, 'g.edge[data-from="shop/api[Deployment]"][data-to="shop-data/postgres[StatefulSet]"]'),
            );
          }
          const violations = await page.evaluate(async () => {
            const w = window as unknown as {
              axe: {
                run: (
                  ctx: Document,
                  opts: unknown,
                ) => Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }>;
              };
            };
            const r = await w.axe.run(document, { resultTypes: ['violations'] });
            return r.violations
              .filter((x) => x.impact === 'serious' || x.impact === 'critical')
              .map(
                (x) =>
                  `${x.id} (${x.impact}): ${JSON.stringify(x.nodes.slice(0, 3).map((n) => [n.target, (n as unknown as { html: string }).html]))}`,
              );
          });
          assert.deepEqual(violations, [], `${theme} ${v}`);
          await page.screenshot({ path: join(SHOTS, `${v}-${theme}.png`) });
        }
      } finally {
        await page.close();
      }
    }
  });
});
