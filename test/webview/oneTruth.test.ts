/**
 * One truth (issue 16, point 2): the policy code lens, the panel's "Policy" filter and its summary
 * count the same connections (analysis/reachability/policyConnections.ts); "only denied" lists
 * denied pairs only and leaves the matrix's cells true; the Service and Ingress views give the
 * checks' reason; counts have their plural; explanations and labels name nodes in the user's words.
 * Everything here runs in Node on examples/ and on a lens fixture, through the server handlers and
 * the webview's pure functions.
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { AnalysisHost } from '../../analysis/host.js';
import type { Analysis } from '../../analysis/host.js';
import { buildPanelModel } from '../../client/panel/model.js';
import type { PanelFilters, PanelModel } from '../../protocol/panel.js';
import { buildOverview } from '../../server/handlers/overview.js';
import { buildContext, buildReachability } from '../../server/handlers/reachability.js';
import { NO_FILTERS, applyFilters, summaryText } from '../../webview/filters.js';
import { edgeAriaLabel, nodeAriaLabel, renderGraph } from '../../webview/graph.js';
import { renderOverview } from '../../webview/render.js';
import { Links, renderExplanation, renderIngress, renderNodeDetails } from '../../webview/views.js';
import type { VNode } from '../../webview/vnode.js';
import { nodeWords, plural } from '../../webview/words.js';
import { parseFixture } from '../support/fixture.js';

const ROOT = join(__dirname, '..', '..');

function texts(node: VNode): string[] {
  return typeof node === 'string' ? [node] : node.children.flatMap(texts);
}

function attrs(node: VNode): string[] {
  return typeof node === 'string' ? [] : [...Object.values(node.attrs).map((v) => v ?? ''), ...node.children.flatMap(attrs)];
}

function hostOf(files: ReadonlyArray<{ uri: string; text: string }>): Analysis {
  const host = new AnalysisHost();
  for (const f of files) host.setFile(f.uri, f.text);
  return host.snapshot();
}

function folderFiles(folder: string): Array<{ uri: string; text: string }> {
  const out: Array<{ uri: string; text: string }> = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push({ uri: pathToFileURL(p).href, text: readFileSync(p, 'utf8') });
    }
  };
  walk(folder);
  return out;
}

async function modelOf(a: Analysis): Promise<PanelModel> {
  return buildPanelModel({ reach: buildReachability(a), context: buildContext(a), overview: buildOverview(a), scope: {}, revision: 1 });
}

const only = (f: Partial<PanelFilters>): PanelFilters => ({ ...NO_FILTERS, ...f });

/** The lens titles of a snapshot's policies, by `ns/name`. */
function lensCounts(a: Analysis, uris: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const uri of uris)
    for (const l of a.codeLenses(uri)) {
      const m = /allows (\d+) connections?$/.exec(l.title);
      if (l.policy !== undefined && m !== null) out.set(l.policy, Number(m[1]));
    }
  return out;
}

describe('one truth: the policy lens and the panel', () => {
  const workspaces: Array<[string, Array<{ uri: string; text: string }>]> = [
    ['examples/', folderFiles(join(ROOT, 'examples'))],
    [
      'lenses/policy-ingress-controller',
      parseFixture(
        'lenses/policy-ingress-controller',
        readFileSync(join(ROOT, 'test/fixtures/lenses/policy-ingress-controller.yaml'), 'utf8'),
      ).files.map((f) => ({ uri: f.uri, text: f.text })),
    ],
  ];
  for (const [name, files] of workspaces)
    it(`${name}: every policy's lens count is the panel's count with that policy picked`, async () => {
      const a = hostOf(files);
      const model = await modelOf(a);
      const lenses = lensCounts(
        a,
        files.map((f) => f.uri),
      );
      assert.ok(lenses.size >= 3, `lenses: ${[...lenses.keys()].join(', ')}`);
      for (const [key, count] of lenses) {
        const p = model.policies.find((x) => x.key === key);
        assert.ok(p?.allows !== undefined, `${key} has its connections`);
        const f = applyFilters(model, only({ policy: key }));
        assert.equal(f.pairs, count, `${key}: panel ${f.pairs}, lens ${count}`);
        assert.equal(p.allows.length, count);
        assert.match(summaryText(model, f, false), new RegExp(` · ${plural(count, 'connection')} allowed by ${key}$`));
      }
    });

  it('examples/: the lens on frontend-from-ingress counts the ingress controller → frontend connection the panel lists', async () => {
    const a = hostOf(workspaces[0]?.[1] ?? []);
    const model = await modelOf(a);
    const f = applyFilters(model, only({ policy: 'shop/frontend-from-ingress' }));
    assert.deepEqual(
      f.edges.map((e) => `${e.from} -> ${e.to} ${e.label}`),
      ['{ingress-controller} -> shop/frontend[Deployment] TCP 8080'],
    );
    assert.equal(summaryText(model, f, false), '1 workload · 1 connection allowed by shop/frontend-from-ingress');
  });
});

describe('one truth: only denied', () => {
  it('lists the pairs policies deny something between, never an all-allowed pair, and keeps the matrix cells', async () => {
    const model = await modelOf(hostOf(folderFiles(join(ROOT, 'examples'))));
    const all = applyFilters(model, NO_FILTERS);
    const f = applyFilters(model, only({ onlyDenied: true }));
    const allowedAll = new Set(model.edges.filter((e) => e.verdict === 'allowed' && e.ports === 'all').map((e) => `${e.from} -> ${e.to}`));
    const denied = f.denied.map((d) => `${d.from} -> ${d.to}`);
    assert.ok(denied.length > 0);
    for (const d of denied) assert.ok(!allowedAll.has(d), `${d} is allowed on every port`);
    // Fully denied: nothing from catalog to api; partly: frontend → api has TCP 8080 only.
    assert.ok(
      f.denied.some((d) => d.from === 'shop/catalog[Deployment]' && d.to === 'shop/api[Deployment]' && d.allowed === undefined),
      denied.join('\n'),
    );
    assert.ok(f.denied.some((d) => d.from === 'shop/frontend[Deployment]' && d.to === 'shop/api[Deployment]' && d.allowed === 'TCP 8080'));
    assert.ok(f.denied.some((d) => d.from === '0.0.0.0-255.255.255.255[External]' && d.to === 'shop/frontend[Deployment]'));
    // The matrix reads `edges`: they are the connections, as without the filter.
    assert.deepEqual(f.edges, all.edges);
    assert.equal(f.pairs, f.denied.length);
    assert.match(summaryText(model, f, true), new RegExp(`· ${plural(f.denied.length, 'denied pair')}$`));
    // The graph draws the denied pairs only.
    assert.ok(model.layout !== null);
    const g = renderGraph(
      model.layout,
      f.nodes,
      f.denied.map((d) => ({ from: d.from, to: d.to, ports: 'all' as const, label: 'denied', verdict: 'denied' as const })),
      f.highlighted,
      undefined,
      undefined,
    );
    assert.ok(g.drawn.length > 0 && g.drawn.every((e) => e.verdict === 'denied'));
  });

  it('a workspace without policies has no denied pair', async () => {
    const files = folderFiles(join(ROOT, 'examples')).filter((x) => !/polic|postgres/.test(x.uri));
    const model = await modelOf(hostOf(files));
    assert.equal(model.policies.length, 0);
    assert.deepEqual(applyFilters(model, only({ onlyDenied: true })).denied, []);
  });
});

describe('one truth: the reason in the Service and Ingress views', () => {
  it("Ingress /api: Service api has no port 8080 (the check's message), not 'no endpoints'", async () => {
    const model = await modelOf(hostOf(folderFiles(join(ROOT, 'examples'))));
    const api = model.ingressRoutes.find((r) => r.path === '/api');
    assert.deepEqual(
      api?.problems?.map((p) => p.code),
      ['ingress-backend-port-missing'],
    );
    const catalog = model.ingressRoutes.find((r) => r.path === '/catalog');
    assert.deepEqual(
      catalog?.problems?.map((p) => p.code),
      ['ingress-backend-missing'],
    );
    assert.equal(model.ingressRoutes.find((r) => r.path === '/')?.problems, undefined, 'a working route has no problem');
    const t = texts(renderIngress(model, new Links(0))).join('');
    assert.match(t, /uses port 8080 of Service "api", which exposes only ports 80/);
    assert.doesNotMatch(t, /no endpoints/);
    assert.doesNotMatch(t, /\{ingress-controller\}|\[Deployment\]/, 'nodes in the user’s words');
  });

  it("Services: the selector typo and the undeclared targetPort are named with the checks' messages", async () => {
    const model = await modelOf(hostOf(folderFiles(join(ROOT, 'examples'))));
    const shop = model.overview.namespaces.find((n) => n.name === 'shop');
    const svc = (name: string) => shop?.services.find((s) => s.name === name);
    assert.deepEqual(
      svc('catalog')?.problems?.map((p) => p.code),
      ['service-selector-no-match'],
    );
    assert.deepEqual(
      svc('worker-metrics')?.problems?.map((p) => p.code),
      ['service-target-port-unknown'],
    );
    assert.equal(svc('frontend')?.problems, undefined);
    // 9100 is not a container port of the worker (it declares 9102).
    assert.equal(svc('worker-metrics')?.selects[0]?.ports[0]?.containerPort, null);
    const t = texts(renderOverview(model.overview).tree).join('');
    assert.match(t, /no pod template has app=catalgo/);
    assert.match(t, /declares only 9102\/TCP/);
  });
});

describe('one truth: words', () => {
  it('plurals', () => {
    assert.equal(plural(1, 'workload'), '1 workload');
    assert.equal(plural(0, 'connection'), '0 connections');
    assert.equal(plural(2, 'denied pair'), '2 denied pairs');
  });

  it('nodes in the user’s words in labels, details and explanations: no internal ids', async () => {
    const model = await modelOf(hostOf(folderFiles(join(ROOT, 'examples'))));
    const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
    const ctrl = byId.get('{ingress-controller}');
    const ext = byId.get('0.0.0.0-255.255.255.255[External]');
    const fe = byId.get('shop/frontend[Deployment]');
    assert.ok(ctrl !== undefined && ext !== undefined && fe !== undefined);
    assert.equal(nodeWords(ctrl), "the nginx ingress controller's pods");
    assert.equal(nodeWords(ext), 'any address outside the cluster');
    assert.equal(nodeWords(fe), 'shop/frontend');
    const e = model.edges.find((x) => x.from === ctrl.id && x.to === fe.id);
    assert.ok(e !== undefined);
    assert.equal(
      edgeAriaLabel(e, (id) => (byId.has(id) ? nodeWords(byId.get(id) ?? fe) : id)),
      "the nginx ingress controller's pods to shop/frontend: TCP 8080",
    );
    assert.match(nodeAriaLabel(fe), /^frontend: shop\/frontend; labels app=frontend/);
    const explanation = renderExplanation(
      model,
      {
        from: ctrl.id,
        to: fe.id,
        edges: [e],
        probes: [{ from: ctrl.id, to: fe.id, port: 8080, protocol: 'TCP' }],
        results: [
          {
            allowed: true,
            reason: 'allowed',
            decidedBy: [
              {
                file: 'file:///p.yaml',
                line: 3,
                policy: 'shop/frontend-from-ingress',
                direction: 'ingress',
                rule: 'spec.ingress[0].from[0]',
                description: 'rule 1 of ingress in policy shop/frontend-from-ingress',
                location: { uri: 'file:///p.yaml', range: { start: { line: 3, character: 0 }, end: { line: 3, character: 1 } } },
              },
            ],
          },
        ],
      },
      new Links(0),
    );
    const shown = [...texts(explanation), ...attrs(explanation), ...texts(renderNodeDetails(model, ctrl, new Links(0)))].join('\n');
    assert.match(shown, /the nginx ingress controller's pods/);
    assert.match(shown, /rule 1 of ingress in policy shop\/frontend-from-ingress/);
    assert.doesNotMatch(shown, /\{ingress-controller\}|spec\.ingress\[0\]|\[Deployment\]/);
  });

  it('isolation in words: the policies that isolate a side, or that nothing does and what that means (never "isolated by: not isolated")', async () => {
    const model = await modelOf(hostOf(folderFiles(join(ROOT, 'examples'))));
    const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
    const api = byId.get('shop/api[Deployment]');
    const pg = byId.get('shop-data/postgres[StatefulSet]');
    assert.ok(api !== undefined && pg !== undefined);
    const e = model.edges.find((x) => x.from === api.id && x.to === pg.id);
    assert.ok(e !== undefined);
    // The engine's reason names workloads by id (as `kube-reach explain` prints it); the panel in words.
    const reason =
      'egress of shop/api[Deployment] is not isolated; ingress of shop-data/postgres[StatefulSet] allows TCP/5432 from shop/api[Deployment] (rule 1 of ingress in policy shop-data/postgres-from-shop); other/x[Deployment] unknown';
    const lines = texts(
      renderExplanation(
        model,
        {
          from: api.id,
          to: pg.id,
          edges: [e],
          probes: [{ from: api.id, to: pg.id, port: 5432, protocol: 'TCP' }],
          results: [{ allowed: true, reason, decidedBy: [] }],
        },
        new Links(0),
      ),
    ).join('');
    assert.match(
      lines,
      /egress of shop\/api is not isolated; ingress of shop-data\/postgres allows TCP\/5432 from shop\/api \(rule 1 of ingress in policy shop-data\/postgres-from-shop\); other\/x\[Deployment\] unknown/,
    );
    assert.match(lines, /Egress of the source: not isolated \(no NetworkPolicy selects it for egress: it may reach anything\)/);
    assert.match(lines, /Ingress of the destination isolated by: shop-data\/default-deny-ingress, shop-data\/postgres-from-shop/);
    assert.doesNotMatch(lines, /isolated by: not isolated/);
    const details = texts(renderNodeDetails(model, api, new Links(0))).join('');
    assert.match(details, /Egress: not isolated \(no NetworkPolicy selects it for egress: it may reach anything\)/);
  });
});
