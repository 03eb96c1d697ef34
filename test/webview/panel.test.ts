/**
 * The reachability panel: the overview computed from real manifests, the webview's rendering
 * (every manifest string stays text: HTML and script payloads in names and labels), message
 * validation in both directions, and the host page's Content Security Policy.
 */

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import { parseWebviewMessage } from '../../client/panel/messages.js';
import { contentSecurityPolicy, panelHtml } from '../../client/panel/html.js';
import type { WorkspaceOverview } from '../../protocol/overview.js';
import { buildOverview } from '../../server/handlers/overview.js';
import { buildContext, buildExplain, buildReachability } from '../../server/handlers/reachability.js';
import { buildPanelModel } from '../../client/panel/model.js';
import { postedMessage } from '../../protocol/packedModel.js';
import { parseHostMessage } from '../../webview/messages.js';
import { renderOverview } from '../../webview/render.js';
import { renderExposure } from '../../webview/exposure.js';
import { Links, renderExplanation } from '../../webview/views.js';
import { buildExposure } from '../../server/handlers/exposure.js';
import type { ExposureMemory } from '../../server/handlers/exposure.js';
import type { PanelModel } from '../../protocol/panel.js';
import { ALLOWED_TAGS, type VNode } from '../../webview/vnode.js';

const SHOP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, tier: front}
    spec:
      containers:
        - name: app
          image: web:1
          ports:
            - {name: http, containerPort: 8080}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: api:1
          ports:
            - {containerPort: 9000}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: Service
metadata:
  name: ghost
  namespace: shop
spec:
  selector: {app: nothing-has-this}
  ports:
    - {port: 80}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: prom
  namespace: monitoring
spec:
  selector: {matchLabels: {app: prom}}
  template:
    metadata:
      labels: {app: prom}
    spec:
      containers: [{name: prom, image: prom:1}]
`;

function overviewOf(text: string): WorkspaceOverview {
  const host = new AnalysisHost();
  host.setFile('file:///ws/shop.yaml', text);
  return buildOverview(host.snapshot());
}

/** Serializes a virtual tree as HTML, escaping like the DOM does for text and attributes. */
function toHtml(node: VNode): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  if (typeof node === 'string') return esc(node);
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${esc(v ?? '')}"`)
    .join('');
  return `<${node.tag}${attrs}>${node.children.map(toHtml).join('')}</${node.tag}>`;
}

function texts(node: VNode): string[] {
  return typeof node === 'string' ? [node] : node.children.flatMap(texts);
}

function elements(node: VNode): Array<Exclude<VNode, string>> {
  return typeof node === 'string' ? [] : [node, ...node.children.flatMap(elements)];
}

describe('workspace overview (server handler)', () => {
  it('lists namespaces, workloads and Services, and which workloads each Service selects on which ports', () => {
    const o = overviewOf(SHOP);
    assert.deepEqual(
      o.namespaces.map((n) => n.name),
      ['monitoring', 'shop'],
    );
    const shop = o.namespaces.find((n) => n.name === 'shop');
    assert.ok(shop);
    assert.deepEqual(
      shop.workloads.map((w) => w.id),
      ['shop/api[Deployment]', 'shop/web[Deployment]'],
    );
    const web = shop.services.find((s) => s.name === 'web');
    assert.ok(web);
    assert.deepEqual(web.selects, [
      {
        workloadId: 'shop/web[Deployment]',
        match: 'yes',
        ports: [{ port: 80, portName: 'http', protocol: 'TCP', targetPort: 'http', containerPort: 8080 }],
      },
    ]);
    assert.equal(web.location.uri, 'file:///ws/shop.yaml');
    const lines = SHOP.split('\n');
    const serviceLine = lines.findIndex((l, i) => l === '  name: web' && lines[i - 2] === 'kind: Service');
    assert.equal(web.location.range.start.line, serviceLine);
    const ghost = shop.services.find((s) => s.name === 'ghost');
    assert.deepEqual(ghost?.selects, []);
  });
});

describe('webview rendering', () => {
  const PAYLOADS = ['<script>alert(1)</script>', '<img src=x onerror="alert(2)">', '"><svg onload=alert(3)>', "'; --&amp;"];

  it('renders every manifest string as text, never as markup', () => {
    const [p0, p1, p2, p3] = PAYLOADS;
    const o = overviewOf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${JSON.stringify(p0)}
  namespace: ${JSON.stringify(p2)}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata:
      labels: {app: x, ${JSON.stringify(p1)}: ${JSON.stringify(p3)}}
    spec:
      containers: [{name: c, image: i, ports: [{name: ${JSON.stringify('<b>')}, containerPort: 1}]}]
---
apiVersion: v1
kind: Service
metadata:
  name: ${JSON.stringify(p1)}
  namespace: ${JSON.stringify(p2)}
spec:
  selector: {app: x}
  ports: [{port: 80, targetPort: ${JSON.stringify('<b>')}}]
`);
    const r = renderOverview(o);
    const html = toHtml(r.tree);
    for (const p of PAYLOADS) {
      // The payload reaches the page as text (so a reader sees it) …
      assert.ok(
        texts(r.tree).some((t) => t.includes(p)),
        `payload shown as text: ${p}`,
      );
    }
    // … and nothing in the serialized page is markup that a payload could have produced.
    assert.doesNotMatch(html, /<script|<img|<svg|<b>/i);
    for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g))
      assert.ok((ALLOWED_TAGS as readonly string[]).includes(m[1] ?? ''), `tag ${m[1]}`);
    for (const el of elements(r.tree)) {
      assert.ok((ALLOWED_TAGS as readonly string[]).includes(el.tag), el.tag);
      for (const [k, v] of Object.entries(el.attrs)) {
        assert.doesNotMatch(k, /^on/i);
        if (k === 'href') assert.equal(v, '#');
        if (k === 'data-loc') assert.match(v ?? '', /^\d+$/);
      }
    }
    assert.deepEqual(r.counts, { namespaces: 1, workloads: 1, services: 1 });
  });

  it('links carry indices into the location table, one per object link', () => {
    const r = renderOverview(overviewOf(SHOP));
    const links = elements(r.tree).filter((e) => e.tag === 'a');
    assert.ok(links.length >= 5);
    for (const a of links) {
      const loc = r.locations[Number(a.attrs['data-loc'])];
      assert.ok(loc && loc.uri === 'file:///ws/shop.yaml');
    }
    assert.ok(texts(r.tree).some((t) => t.includes('selects no workload')));
    assert.ok(texts(r.tree).some((t) => t.includes('80 (http) → http (8080)/TCP')));
  });
});

describe('panel messages', () => {
  it('the webview accepts well-formed host messages and drops anything else', async () => {
    const host = new AnalysisHost();
    host.setFile('file:///ws/shop.yaml', SHOP);
    const a = host.snapshot();
    const model = await buildPanelModel({
      reach: buildReachability(a),
      context: buildContext(a),
      overview: buildOverview(a),
      scope: {},
      revision: 3,
    });
    // A model arrives packed (protocol/packedModel.ts), as the host posts it.
    const packed = JSON.parse(JSON.stringify(postedMessage({ kind: 'model', model })));
    assert.deepEqual(parseHostMessage(packed), {
      kind: 'model',
      model: JSON.parse(JSON.stringify(model)),
    });
    assert.deepEqual(parseHostMessage({ kind: 'status', state: 'loading', message: 'x' }), {
      kind: 'status',
      state: 'loading',
      message: 'x',
    });
    assert.deepEqual(parseHostMessage({ kind: 'focus', policy: 'shop/p', extra: 1 }), { kind: 'focus', policy: 'shop/p' });
    // A namespace to lay out in the webview's worker (elkjs's input: boxes and connections).
    const graph = {
      id: 'root',
      layoutOptions: { 'elk.algorithm': 'layered' },
      children: [
        { id: 'a', width: 120, height: 40 },
        { id: 'b', width: 90, height: 40 },
      ],
      edges: [{ id: 'e0', sources: ['a'], targets: ['b'] }],
    };
    assert.deepEqual(parseHostMessage({ kind: 'layout', requestId: 2, graph: { ...graph, extra: 1 } }), {
      kind: 'layout',
      requestId: 2,
      graph,
    });
    const broken = { ...packed.model, nodes: [[1]] };
    for (const bad of [
      null,
      1,
      'model',
      {},
      { kind: 'overview', overview: buildOverview(a) },
      { kind: 'model' },
      { kind: 'model', model: broken },
      // The model as an object graph: the host never posts it unpacked.
      { kind: 'model', model: JSON.parse(JSON.stringify(model)) },
      { kind: 'status', state: 'weird', message: '' },
      { kind: 'eval', code: 'x' },
      { kind: 'explanation', requestId: -1, probes: [], results: [] },
      { kind: 'layout', requestId: 1 },
      { kind: 'layout', requestId: -1, graph: { id: 'root', layoutOptions: {}, children: [], edges: [] } },
      { kind: 'layout', requestId: 1, graph: { id: 'root', layoutOptions: { a: 1 }, children: [], edges: [] } },
      { kind: 'layout', requestId: 1, graph: { id: 'root', layoutOptions: {}, children: [{ id: 'a', width: -1, height: 4 }], edges: [] } },
      {
        kind: 'layout',
        requestId: 1,
        graph: { id: 'root', layoutOptions: {}, children: [], edges: [{ id: 'e', sources: 'a', targets: [] }] },
      },
    ]) {
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad).slice(0, 200));
    }
  });

  it('the host accepts well-formed webview messages and drops anything else', () => {
    const location = { uri: 'file:///ws/a.yaml', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } } };
    const rendered = {
      kind: 'rendered',
      view: 'graph',
      revision: 1,
      namespaces: 1,
      workloads: 2,
      services: 3,
      nodes: 4,
      edges: 5,
      edgeKeys: ['a -> b'],
      summary: '2 workloads · 5 connections',
      badges: 1,
      aggregates: 0,
      bundles: 0,
    } as const;
    assert.deepEqual(parseWebviewMessage({ kind: 'ready' }), { kind: 'ready' });
    assert.deepEqual(parseWebviewMessage({ kind: 'open', location, extra: 1 }), { kind: 'open', location });
    assert.deepEqual(parseWebviewMessage(rendered), rendered);
    assert.deepEqual(parseWebviewMessage({ kind: 'scope', scope: { unit: 'file:///ws/prod', evil: 1 } }), {
      kind: 'scope',
      scope: { unit: 'file:///ws/prod' },
    });
    assert.deepEqual(parseWebviewMessage({ kind: 'explain', requestId: 4, probes: [{ from: 'a', to: 'b', port: 80, protocol: 'TCP' }] }), {
      kind: 'explain',
      requestId: 4,
      probes: [{ from: 'a', to: 'b', port: 80, protocol: 'TCP' }],
    });
    assert.deepEqual(parseWebviewMessage({ kind: 'export', format: 'csv', content: 'x' }), { kind: 'export', format: 'csv', content: 'x' });
    // elkjs's answer from the worker: its graph is read against what was asked (client/panel/elkGraph.ts).
    assert.deepEqual(parseWebviewMessage({ kind: 'laid', requestId: 3, graph: { children: [] } }), {
      kind: 'laid',
      requestId: 3,
      graph: { children: [] },
    });
    assert.deepEqual(parseWebviewMessage({ kind: 'laid', requestId: 3, error: 'no worker' }), {
      kind: 'laid',
      requestId: 3,
      error: 'no worker',
    });
    for (const bad of [
      undefined,
      [],
      { kind: 'open' },
      { kind: 'open', location: { uri: 1, range: location.range } },
      { kind: 'open', location: { uri: 'x', range: { start: { line: -1, character: 0 }, end: location.range.end } } },
      { ...rendered, namespaces: '1' },
      { ...rendered, view: 'evil' },
      { kind: 'run', command: 'rm' },
      { kind: 'explain', requestId: 1, probes: [] },
      { kind: 'explain', requestId: 1, probes: [{ from: 'a', to: 'b', port: 70000 }] },
      { kind: 'explain', requestId: 1, probes: Array.from({ length: 17 }, () => ({ from: 'a', to: 'b', port: 1 })) },
      { kind: 'export', format: 'exe', content: '' },
      { kind: 'laid', requestId: 'x', graph: {} },
      { kind: 'laid', requestId: 1, error: 7 },
      { kind: 'export', format: 'svg', content: 1 },
      { kind: 'scope', scope: { namespace: 5 } },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('exposure (the Exposure toggle)', () => {
  const HOSTILE = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector: {matchLabels: {"<script>alert(1)</script>": "<img src=x onerror=alert(2)>"}}
`;

  it('the host answers kubeReach/exposure, the webview validates it and renders every string as text', () => {
    const host = new AnalysisHost();
    host.setFile('file:///ws/shop.yaml', SHOP);
    host.setFile('file:///ws/p.yaml', HOSTILE);
    const a = host.snapshot();
    const memory: ExposureMemory = new WeakMap();
    const exposure = buildExposure(a, {}, memory);
    const rep = exposure.ingress.find((e) => e.peerKind === 'representative');
    assert.equal(rep?.peer, '[namespace with {<script>alert(1)</script>=<img src=x onerror=alert(2)>}]/[all pods]');
    assert.equal(rep?.workload, 'shop/web[Deployment]');
    assert.equal(rep?.label, 'All Connections');
    const web = exposure.unprotected.filter((u) => u.workload === 'shop/web[Deployment]');
    assert.deepEqual(web, [{ workload: 'shop/web[Deployment]', direction: 'Egress' }]);
    assert.equal(buildExposure(a, {}, memory), exposure, 'kept per snapshot by the server');
    const msg = { kind: 'exposure', requestId: 7, exposure: JSON.parse(JSON.stringify(exposure)) as unknown };
    assert.deepEqual(parseHostMessage(msg), msg);
    assert.deepEqual(parseHostMessage({ kind: 'exposure', requestId: 8, exposure: null, error: 'boom' }), {
      kind: 'exposure',
      requestId: 8,
      exposure: null,
      error: 'boom',
    });
    for (const bad of [
      { kind: 'exposure', requestId: -1, exposure: null },
      { kind: 'exposure', requestId: 1, exposure: { egress: [], ingress: [{ workload: 1 }], unprotected: [] } },
      { kind: 'exposure', requestId: 1, exposure: { egress: [], ingress: [], unprotected: [{ workload: 'a', direction: 'Up' }] } },
      { kind: 'exposure', requestId: 1 },
    ])
      assert.equal(parseHostMessage(bad), undefined, JSON.stringify(bad));
    assert.deepEqual(parseWebviewMessage({ kind: 'exposure', requestId: 3, extra: 1 }), { kind: 'exposure', requestId: 3 });
    assert.equal(parseWebviewMessage({ kind: 'exposure', requestId: 'x' }), undefined);

    const model = {
      nodes: [
        {
          id: 'shop/web[Deployment]',
          location: { uri: 'file:///ws/shop.yaml', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } },
        },
      ],
    } as unknown as PanelModel;
    const links = new Links(0);
    const tree = renderExposure(model, { state: 'ready', requestId: 7, exposure }, new Set(['shop/web[Deployment]']), links);
    assert.ok(texts(tree).some((t) => t.includes('<script>alert(1)</script>')));
    assert.doesNotMatch(toHtml(tree), /<script|<img/i);
    for (const el of elements(tree)) assert.ok((ALLOWED_TAGS as readonly string[]).includes(el.tag), el.tag);
    assert.ok(links.locations.length > 0);
    const hidden = renderExposure(model, { state: 'ready', requestId: 7, exposure }, new Set(), new Links(0));
    assert.ok(!texts(hidden).some((t) => t.includes('<script>')), 'filtered out with its workload');
  });
});

describe('explanation: the tier that decided', () => {
  it('kubeReach/explain carries the tier, the webview keeps it and shows it beside the rule', () => {
    const host = new AnalysisHost();
    const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'reachability', 'cluster01-anp-tiers.yaml'), 'utf8');
    host.setFile('file:///ws/cluster01.yaml', fixture);
    const a = host.snapshot();
    const probe = { from: 'tenant-b/client[Deployment]', to: 'tenant-a/web[Deployment]', port: 8080 };
    const r = buildExplain(a, { probes: [probe] });
    const tiers = r.results[0]?.decidedBy.map((d) => d.tier);
    assert.ok(tiers !== undefined && tiers.includes('Admin'), JSON.stringify(r));
    const msg = { kind: 'explanation', requestId: 1, probes: [probe], results: JSON.parse(JSON.stringify(r.results)) as unknown };
    const parsed = parseHostMessage(msg);
    assert.deepEqual(parsed, msg);
    assert.equal(
      parseHostMessage({ ...msg, results: [{ ...r.results[0], decidedBy: [{ ...r.results[0]?.decidedBy[0], tier: 'Top' }] }] }),
      undefined,
    );
    const model = { nodes: [] } as unknown as PanelModel;
    const tree = renderExplanation(model, { from: probe.from, to: probe.to, edges: [], probes: [probe], results: r.results }, new Links(0));
    assert.ok(texts(tree).some((t) => t === 'Admin tier'));
  });
});

describe('panel page', () => {
  it('has a strict CSP: nothing by default, the one script by nonce, styles from the extension only', () => {
    const nonce = 'abcdefABCDEF0123456789';
    const html = panelHtml({
      cspSource: 'https://csp.example',
      scriptUri: 'https://csp.example/dist/webview.js',
      styleUri: 'https://csp.example/dist/webview.css',
      nonce,
    });
    const csp = contentSecurityPolicy('https://csp.example', nonce);
    assert.match(csp, /^default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`));
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0]?.includes(`nonce="${nonce}"`));
    assert.doesNotMatch(html, /\son[a-z]+=/i);
    assert.doesNotMatch(html, /https?:\/\/(?!csp\.example)/);
    assert.throws(() => panelHtml({ cspSource: 'x', scriptUri: 'x', styleUri: 'x', nonce: 'short' }));
  });

  it("with the layout worker: its script read from the extension's files only and started from a blob URL, nothing remote", () => {
    const nonce = 'abcdefABCDEF0123456789';
    const workerUri = 'https://csp.example/dist/elk-worker.js?"<x>';
    const html = panelHtml({
      cspSource: 'https://csp.example',
      scriptUri: 'https://csp.example/dist/webview.js',
      styleUri: 'https://csp.example/dist/webview.css',
      workerUri,
      nonce,
    });
    const csp = contentSecurityPolicy('https://csp.example', nonce, true);
    assert.ok(html.includes(`content="${csp.replace(/'/g, '&#39;')}"`));
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));
    assert.deepEqual(directives.get('connect-src'), ['https://csp.example']);
    assert.deepEqual(directives.get('worker-src'), ['blob:']);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    assert.equal(directives.get('default-src')?.[0], "'none'");
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    // The worker's address, escaped, in a meta element the script reads.
    assert.ok(html.includes('<meta name="kube-reach-layout-worker" content="https://csp.example/dist/elk-worker.js?&quot;&lt;x&gt;">'));
    assert.equal((html.match(/<script\b[^>]*>/g) ?? []).length, 1);
    // Without it, no worker directives.
    assert.doesNotMatch(contentSecurityPolicy('https://csp.example', nonce), /worker-src|connect-src/);
  });
});
