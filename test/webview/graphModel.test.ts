/**
 * The graph at a glance (issue 16, point 1), decided in Node before any drawing
 * (webview/graphModel.ts, webview/graph.ts): workloads open to everything carry badges instead of
 * an edge to and from every node; many connections between two namespaces are one edge until
 * expanded; clients reaching the same destinations on the same ports are one client group, drawn
 * through a junction the host lays out; a layout wider than the panel is repacked to fit; edge
 * labels overlap no box and no other label; every text of the graph is at least 12 px.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { layoutGraph } from '../../client/panel/layout.js';
import type { LayoutBox, PanelEdge, PanelLayout, PanelNode } from '../../protocol/panel.js';
import { FAN_MIN, forgetGeometry, litLeg, renderGraph, type GraphOptions, type GraphRender } from '../../webview/graph.js';
import { arrowHead, curvePoints, onCurve } from '../../webview/lines.js';
import { crossesAny, curveCrossesAny } from '../../webview/groupLines.js';
import { NODE_HEIGHT, ROUTE_SEP, clientGroups, junctionId } from '../../protocol/graphGroups.js';
import {
  AGGREGATE_MIN,
  BUNDLE_MIN_EDGES,
  BoxIndex,
  crossesBoxes,
  elbowLine,
  aggregate,
  bundleClients,
  bundleName,
  curveLine,
  fitLayout,
  groupOfNode,
  labelBox,
  openness,
  placeJunction,
  placeLabels,
  routedLine,
  forgetZoomFit,
  renderWidth,
  zoomToFit,
  type Line,
} from '../../webview/graphModel.js';
import type { VNode } from '../../webview/vnode.js';
import { modelOfFolder } from './stubHost.js';
import { rng } from '../support/fuzz.js';
import { generateWorkspace, writeWorkspace } from '../../scripts/bench/generate.js';

const ROOT = join(__dirname, '..', '..');

function overlap(a: LayoutBox, b: LayoutBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function elements(node: VNode): Array<Exclude<VNode, string>> {
  return typeof node === 'string' ? [] : [node, ...node.children.flatMap(elements)];
}

/**
 * The placed labels of a graph by what they label (`e` and a connection's `data-edge`, `a` and an
 * aggregate's `data-agg`): drawn apart from their lines, after every line.
 */
function labelsOf(tree: VNode): Map<string, Exclude<VNode, string>> {
  return new Map(elements(tree).flatMap((e) => (e.attrs['data-label-of'] === undefined ? [] : [[e.attrs['data-label-of'], e] as const])));
}

/** The placed label of a drawn connection or aggregate (`g`), from `labelsOf`. */
function labelOf(labels: ReadonlyMap<string, Exclude<VNode, string>>, g: Exclude<VNode, string>): Exclude<VNode, string> | undefined {
  return labels.get(g.attrs['data-edge'] !== undefined ? `e${g.attrs['data-edge']}` : `a${g.attrs['data-agg']}`);
}

/** What a graph draws, by identity (workloads, connections, aggregates, client groups). */
function drawnIds(tree: VNode): string[] {
  return elements(tree)
    .map((e) => {
      const a = e.attrs;
      if (a['data-node'] !== undefined) return `node ${a['data-node']}`;
      if (a['data-edge'] !== undefined) return `edge ${a['data-from']} ${a['data-to']}`;
      if (a['data-agg'] !== undefined) return `agg ${a['data-from-group']} ${a['data-to-group']}`;
      if (a['data-bundle'] !== undefined) return `bundle ${a['data-sources']} ${a['data-targets']}`;
      return '';
    })
    .filter((x) => x !== '')
    .sort();
}

/** The workloads' boxes a graph draws. */
function nodeBoxes(tree: VNode): LayoutBox[] {
  return elements(tree)
    .filter((e) => e.attrs['data-node'] !== undefined)
    .map((e) => ({
      x: Number(e.attrs['data-x']),
      y: Number(e.attrs['data-y']),
      width: Number(e.attrs['data-w']),
      height: Number(e.attrs['data-h']),
    }));
}

/** The junction boxes a graph draws, in `data-bundle` order. */
function junctionBoxes(tree: VNode): LayoutBox[] {
  return elements(tree)
    .filter((e) => e.tag === 'rect' && e.attrs['class'] === 'junction')
    .map((r) => ({ x: Number(r.attrs['x']), y: Number(r.attrs['y']), width: Number(r.attrs['width']), height: Number(r.attrs['height']) }));
}

/** Where each placed label (by its connection or aggregate) and junction (by its text) is drawn. */
function placed(tree: VNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (tree === undefined) return out;
  const labels = labelsOf(tree);
  for (const e of elements(tree)) {
    const cls = e.attrs['class'] ?? '';
    const kids = e.children.filter((c): c is Exclude<VNode, string> => typeof c !== 'string');
    if (cls.includes('labelled')) {
      const t = labelOf(labels, e);
      out.set(
        `label ${e.attrs['data-from'] ?? e.attrs['data-from-group']} ${e.attrs['data-to'] ?? e.attrs['data-to-group']} ${String(t?.children[0])}`,
        `${t?.attrs['x']},${t?.attrs['y']}`,
      );
    }
    // A client group: its junction's box and lines are children of its group.
    const r = kids.find((c) => c.tag === 'rect' && c.attrs['class'] === 'junction');
    if (r !== undefined) {
      const text = kids
        .filter((c) => c.tag === 'text' && c.attrs['class'] === 'junction')
        .map((c) => String(c.children[0]))
        .join(' ');
      out.set(`junction ${text}`, `${r.attrs['x']},${r.attrs['y']}`);
    }
  }
  return out;
}

/**
 * No placed connection label over a node, a junction or another label; no junction over a node
 * (an aggregate's label may lie over a box when its channel has no free place: not checked). The
 * label boxes are read back from coordinates drawn to 0.1 px, so shrunk by 0.2 px.
 */
function assertNothingOverlaps(tree: VNode, what: string): void {
  const nodes = nodeBoxes(tree);
  const placedLabels = labelsOf(tree);
  const labels = elements(tree)
    .filter((e) => (e.attrs['class'] ?? '').includes('labelled') && e.attrs['data-edge'] !== undefined)
    .map((e) => {
      const t = labelOf(placedLabels, e);
      const b = labelBox(String(t?.children[0]), { x: Number(t?.attrs['x']), y: Number(t?.attrs['y']) + 3 });
      return { x: b.x + 0.2, y: b.y + 0.2, width: b.width - 0.4, height: b.height - 0.4 };
    });
  const junctions = junctionBoxes(tree);
  for (const [i, l] of labels.entries()) {
    for (const n of nodes) assert.ok(!overlap(l, n), `${what}: a label over a node`);
    for (const j of junctions) assert.ok(!overlap(l, j), `${what}: a label over a junction`);
    for (const o of labels.slice(i + 1)) assert.ok(!overlap(l, o), `${what}: two labels overlap`);
  }
  for (const j of junctions) for (const n of nodes) assert.ok(!overlap(j, n), `${what}: a junction over a node`);
}

function workload(ns: string, i: number, isolated = false): PanelNode {
  return {
    id: `${ns}/w${i}[Deployment]`,
    namespace: ns,
    kind: 'Deployment',
    name: `w${i}`,
    labels: { app: `w${i}` },
    entry: false,
    isolatedIngress: isolated,
    isolatedEgress: false,
    unreachable: false,
    ports: [],
  };
}

function edge(from: PanelNode, to: PanelNode, port?: number): PanelEdge {
  return {
    from: from.id,
    to: to.id,
    ports: port === undefined ? 'all' : [{ protocol: 'TCP', port }],
    label: port === undefined ? 'all' : `TCP ${port}`,
    verdict: 'allowed',
  };
}

describe('graph: badges instead of edges to and from everything', () => {
  it('examples/: the open workloads carry badges, and only the connections a policy restricts are drawn', async () => {
    const m = await modelOfFolder(join(ROOT, 'examples'));
    const o = openness(m.nodes);
    assert.deepEqual([...o.openIn].sort(), ['shop-cache/redis[Deployment]', 'shop/catalog[Deployment]', 'shop/worker[Deployment]']);
    assert.ok(o.openOut.has('shop/frontend[Deployment]') && !o.openOut.has('{ingress-controller}'));
    assert.ok(m.layout !== null);
    const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined);
    assert.deepEqual(g.drawn.map((e) => `${e.from} -> ${e.to} ${e.label}`).sort(), [
      'shop/api[Deployment] -> shop-data/postgres[StatefulSet] TCP 5432',
      'shop/frontend[Deployment] -> shop/api[Deployment] TCP 8080',
      'shop/worker[Deployment] -> shop-data/postgres[StatefulSet] TCP 5432',
      '{ingress-controller} -> shop/frontend[Deployment] TCP 8080',
    ]);
    assert.equal(g.byBadges, m.edges.length - 4);
    // A badge is its pill and its text, children of the node's group (no group of its own).
    const badges = elements(g.tree).filter((e) => (e.attrs['class'] ?? '').startsWith('badge'));
    assert.equal(badges.filter((e) => e.tag === 'text').length, o.openIn.size + o.openOut.size);
    assert.equal(badges.filter((e) => e.tag === 'rect').length, o.openIn.size + o.openOut.size);
    assert.equal(badges.length, 2 * (o.openIn.size + o.openOut.size));
    // A Deployment's box says its name in one text element; another kind's, its name and kind in two tspans.
    const texts = (id: string): string[] =>
      elements(g.tree)
        .filter((e) => e.attrs['data-node'] === id)
        .flatMap((e) => elements(e).filter((x) => x.tag === 'text' || x.tag === 'tspan'))
        .filter((x) => !(x.attrs['class'] ?? '').startsWith('badge'))
        .map((x) => `${x.tag}.${x.attrs['class'] ?? ''}`);
    assert.deepEqual(texts('shop/api[Deployment]'), ['text.node-name']);
    assert.deepEqual(texts('shop-data/postgres[StatefulSet]'), ['text.', 'tspan.node-name', 'tspan.node-kind']);
  });

  it('a connection a policy allows on every port is drawn (the badges do not say it)', () => {
    const a = workload('a', 1);
    const b = workload('a', 2, true);
    const g = renderGraph(
      {
        width: 400,
        height: 100,
        groups: [],
        nodes: { [a.id]: { x: 0, y: 0, width: 120, height: 44 }, [b.id]: { x: 200, y: 0, width: 120, height: 44 } },
      },
      [a, b],
      [edge(a, b), edge(b, a)],
      new Set(),
      undefined,
      undefined,
    );
    // a → b: b is isolated for ingress and a policy lets a in: drawn. b → a: both open: a badge.
    assert.deepEqual(
      g.drawn.map((e) => `${e.from} -> ${e.to}`),
      [`${a.id} -> ${b.id}`],
    );
  });
});

describe('graph: many connections between two namespaces are one edge', () => {
  const front = Array.from({ length: 8 }, (_, i) => workload('front', i));
  const back = Array.from({ length: 8 }, (_, i) => workload('back', i, true));
  const edges = front.map((f, i) => edge(f, back[i] ?? f, 8080));
  const groupOf = (id: string): string | undefined => [...front, ...back].find((n) => n.id === id)?.namespace;

  it(`more than ${AGGREGATE_MIN} one way: one aggregate; expanded or through the selected node: one by one`, () => {
    const r = aggregate(edges, groupOf, new Set(), undefined);
    assert.equal(r.single.length, 0);
    assert.equal(r.aggregates.length, 1);
    assert.deepEqual([r.aggregates[0]?.fromGroup, r.aggregates[0]?.toGroup, r.aggregates[0]?.edges.length], ['front', 'back', 8]);
    assert.equal(aggregate(edges, groupOf, new Set(['front\u0000back']), undefined).aggregates.length, 0);
    const sel = aggregate(edges, groupOf, new Set(), front[0]?.id);
    assert.deepEqual(
      sel.single.map((e) => e.from),
      [front[0]?.id],
    );
    assert.equal(sel.aggregates[0]?.edges.length, 7);
    // At the threshold: drawn one by one.
    assert.equal(aggregate(edges.slice(0, AGGREGATE_MIN), groupOf, new Set(), undefined).aggregates.length, 0);
    // Inside one namespace: never aggregated.
    const inside = front.slice(1).map((f) => edge(front[0] ?? f, f, 80));
    assert.equal(aggregate(inside, groupOf, new Set(), undefined).aggregates.length, 0);
  });
});

describe('graph: compact layout for a narrow panel', () => {
  it('repacks the namespace groups into the panel width, nodes moving with their group', async () => {
    const nodes = Array.from({ length: 60 }, (_, i) => workload(`ns${i % 6}`, i));
    const laid = await layoutGraph(nodes, []);
    for (const width of [360, 700]) {
      const fit = fitLayout(laid, nodes, width);
      const widest = Math.max(...laid.groups.map((g) => g.width));
      assert.ok(fit.width <= Math.max(width, widest), `${fit.width} > ${width}`);
      for (let i = 0; i < fit.groups.length; i++)
        for (let j = i + 1; j < fit.groups.length; j++) {
          const a = fit.groups[i];
          const b = fit.groups[j];
          if (a !== undefined && b !== undefined) assert.ok(!overlap(a, b), `${a.name} and ${b.name} overlap`);
        }
      const groups = new Map(fit.groups.map((g) => [g.name, g] as const));
      for (const n of nodes) {
        const b = fit.nodes[n.id];
        const g = groups.get(groupOfNode(n));
        assert.ok(b !== undefined && g !== undefined);
        assert.ok(b.x >= g.x && b.y >= g.y && b.x + b.width <= g.x + g.width && b.y + b.height <= g.y + g.height, `${n.id} in its group`);
      }
    }
    assert.equal(fitLayout(laid, nodes, laid.width + 1), laid, 'a layout that fits is kept');
  });
});

describe('graph: a namespace wider than the panel is folded into it', () => {
  /** Distance from a point to a box (0 inside or on its border). */
  const off = (b: LayoutBox, x: number, y: number): number =>
    Math.hypot(Math.max(b.x - x, 0, x - (b.x + b.width)), Math.max(b.y - y, 0, y - (b.y + b.height)));

  it("the app's outfitters namespace (nine layers, 1,555 px) at 345, 582 and 900 px: chunks stacked, nothing overlapping, every line between two chunks going round from its box to its box", async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null);
    const host = m.layout;
    const hostGroup = host.groups.find((g) => g.name === 'outfitters');
    assert.ok(hostGroup !== undefined);
    for (const width of [345, 582, 900]) {
      // Without folding no packing of the namespaces fits: the namespace alone is wider.
      assert.ok(hostGroup.width > width, `${hostGroup.width} > ${width}`);
      const all = Object.keys(host.nodes);
      const r = renderGraph(host, m.nodes, m.edges, new Set(), undefined, undefined, { width });
      const fit = r.layout;
      assert.ok(fit.width <= width, `${width}: the layout is ${fit.width} wide`);
      assert.deepEqual(Object.keys(fit.nodes).sort(), all.sort(), 'every node and junction kept');
      const group = fit.groups.find((g) => g.name === 'outfitters');
      assert.ok(group !== undefined && group.width <= width && group.height > hostGroup.height, `${width}: folded`);
      const inGroup = Object.entries(fit.nodes).filter(([id]) => host.nodes[id] !== undefined && overlap(host.nodes[id], hostGroup));
      for (const [id, b] of inGroup)
        assert.ok(
          b.x >= group.x && b.y >= group.y && b.x + b.width <= group.x + group.width && b.y + b.height <= group.y + group.height,
          `${width}: ${id} inside its namespace`,
        );
      for (let i = 0; i < inGroup.length; i++)
        for (let j = i + 1; j < inGroup.length; j++) {
          const [ia, a] = inGroup[i] ?? ['', host.nodes['']];
          const [ib, b] = inGroup[j] ?? ['', host.nodes['']];
          assert.ok(a === undefined || b === undefined || !overlap(a, b), `${width}: ${ia} and ${ib} overlap`);
        }
      // Every line inside the namespace that the fold moved apart has a route: from its box's
      // border to the other's, inside the namespace's box, through no other box.
      const chunkRow = (id: string): number => Math.round((fit.nodes[id]?.x ?? 0) - (host.nodes[id]?.x ?? 0));
      const own = new Set(inGroup.map(([id]) => id));
      const pairs: Array<[string, string]> = [
        ...r.drawn.map((e) => [e.from, e.to] as [string, string]),
        ...r.bundles.flatMap((bd) => {
          const j = junctionId(bd.key);
          return [...bd.sources.map((id) => [id, j] as [string, string]), ...bd.targets.map((id) => [j, id] as [string, string])];
        }),
      ].filter(([a, b]) => own.has(a) && own.has(b));
      const apart = pairs.filter(([a, b]) => chunkRow(a) !== chunkRow(b));
      assert.ok(apart.length >= 5, `${width}: ${apart.length} lines between chunks`);
      let crossings = 0;
      for (const [a, b] of pairs) {
        const route = fit.routes?.[`${a}${ROUTE_SEP}${b}`];
        if (route === undefined) {
          assert.ok(chunkRow(a) === chunkRow(b), `${width}: ${a} -> ${b} between two chunks has a route`);
          continue;
        }
        const ba = fit.nodes[a];
        const bb = fit.nodes[b];
        assert.ok(ba !== undefined && bb !== undefined);
        assert.ok(off(ba, route[0] ?? 0, route[1] ?? 0) <= 1, `${width}: ${a} -> ${b} starts at its box`);
        assert.ok(off(bb, route[route.length - 2] ?? 0, route[route.length - 1] ?? 0) <= 1, `${width}: ${a} -> ${b} ends at its box`);
        for (let i = 0; i + 1 < route.length; i += 2)
          assert.ok(off(group, route[i] ?? 0, route[i + 1] ?? 0) <= 1, `${width}: ${a} -> ${b} inside the namespace`);
        const l = routedLine(route);
        for (const [id, box] of inGroup) {
          if (id === a || id === b) continue;
          for (let t = 0; t <= 1; t += 0.01) {
            const pt = l.at(t);
            if (pt.x > box.x + 2 && pt.x < box.x + box.width - 2 && pt.y > box.y + 2 && pt.y < box.y + box.height - 2) {
              crossings++;
              break;
            }
          }
        }
      }
      assert.equal(crossings, 0, `${width}: routed lines through a box`);
    }
  });

  it('rows that cannot be cut between columns (a big namespace laid out as a grid) are laid out again as wide as the panel', async () => {
    const nodes = Array.from({ length: 60 }, (_, i) => workload('big', i));
    const laid = await layoutGraph(nodes, []);
    assert.ok(laid.width > 300);
    const fit = fitLayout(laid, nodes, 300);
    assert.ok(fit.width <= 300, `${fit.width}`);
    const g = fit.groups[0];
    assert.ok(g !== undefined);
    const boxes = nodes.map((n) => fit.nodes[n.id]);
    for (const b of boxes) assert.ok(b !== undefined && b.x >= g.x && b.x + b.width <= g.x + g.width && b.y + b.height <= g.y + g.height);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i];
        const b = boxes[j];
        assert.ok(a !== undefined && b !== undefined && !overlap(a, b), `${i} and ${j} overlap`);
      }
    // In the host's reading order still.
    const order = (l: typeof laid): string[] =>
      nodes.map((n) => n.id).sort((a, b) => (l.nodes[a]?.y ?? 0) - (l.nodes[b]?.y ?? 0) || (l.nodes[a]?.x ?? 0) - (l.nodes[b]?.x ?? 0));
    assert.deepEqual(order(fit), order(laid));
    assert.ok(fit.height > laid.height, 'more rows');
  });
});

describe('graph: lines between two namespaces go around the namespaces between them', () => {
  const inside = (b: LayoutBox, x: number, y: number): boolean =>
    x > b.x + 2 && x < b.x + b.width - 2 && y > b.y + 2 && y < b.y + b.height - 2;

  it('the app\'s aggregates ("24 connections") and the ingress controller\'s lines in the one-column layout of a narrow panel: through no namespace box, inside the drawing, labels on no box', async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null);
    let routed = 0;
    // 262 and 326: the side column (300 px) at 100 % and 75 %; 345 and 440: the gutter; 582: two columns.
    for (const width of [262, 326, 345, 440, 582]) {
      const r = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined, { width });
      const groups = new Map(r.layout.groups.map((g) => [g.name, g] as const));
      assert.ok(r.aggregates.length >= 3, `${width}: ${r.aggregates.length} aggregates`);
      let crossings = 0;
      let curveCrossings = 0;
      r.aggregates.forEach((agg, i) => {
        const a = groups.get(agg.fromGroup);
        const b = groups.get(agg.toGroup);
        const l = r.aggregateLines[i];
        assert.ok(a !== undefined && b !== undefined && l !== undefined);
        const others = r.layout.groups.filter((g) => g !== a && g !== b);
        const through = (line: Line): boolean => {
          for (let t = 0; t <= 1; t += 0.005) {
            const p = line.at(t);
            if (others.some((g) => inside(g, p.x, p.y))) return true;
          }
          return false;
        };
        if (through(l)) crossings++;
        // The curve it replaces, for the count below.
        const c = curveLine(a, b);
        if (through(c)) curveCrossings++;
        if (c.d !== l.d) routed++;
        for (let t = 0; t <= 1; t += 0.01) {
          const p = l.at(t);
          assert.ok(p.x >= -8 && p.x <= Math.max(width, r.layout.width) + 8, `${width}: ${agg.fromGroup} -> ${agg.toGroup} at x ${p.x}`);
        }
      });
      assert.equal(crossings, 0, `${width}: aggregates through a namespace box`);
      // One column: the aggregate from monitoring to outfitters would cross outfitters-data as a curve.
      if (width < 500) assert.ok(curveCrossings >= 1, `${width}: a curve would cross (${curveCrossings})`);
      // The aggregates' labels overlap no workload box.
      const placedLabels = labelsOf(r.tree);
      const labels = elements(r.tree)
        .filter((e) => e.tag === 'g' && e.attrs['data-agg'] !== undefined)
        .map((e) => labelOf(placedLabels, e));
      for (const t of labels) {
        assert.ok(t !== undefined);
        const text = typeof t.children[0] === 'string' ? t.children[0] : '';
        const box = labelBox(text, { x: Number(t.attrs['x']), y: Number(t.attrs['y']) + 3 });
        for (const n of m.nodes) {
          const b = r.layout.nodes[n.id];
          assert.ok(b === undefined || !overlap(box, b), `${width}: "${text}" on ${n.id}`);
        }
      }
      // The entry points' box (322 px: the external range's box cannot be folded) and a gutter of at most five lanes.
      assert.ok(r.layout.width <= Math.max(width, 322 + 34), `${width}: ${r.layout.width} wide`);
      // The lines between two namespaces' workloads (the ingress controller's into outfitters) too.
      const groupOfId = new Map(m.nodes.map((n) => [n.id, groupOfNode(n)] as const));
      let between = 0;
      let through = 0;
      r.drawn.forEach((e, i) => {
        const a = groups.get(groupOfId.get(e.from) ?? '');
        const b = groups.get(groupOfId.get(e.to) ?? '');
        const l = r.lines[i];
        if (a === undefined || b === undefined || a === b || l === undefined) return;
        between++;
        const others = r.layout.groups.filter((g) => g !== a && g !== b);
        for (let t = 0; t <= 1; t += 0.005) {
          const p = l.at(t);
          if (others.some((g) => inside(g, p.x, p.y))) {
            through++;
            break;
          }
        }
      });
      assert.ok(between >= 4, `${width}: ${between} lines between namespaces`);
      assert.equal(through, 0, `${width}: lines between namespaces through a namespace box`);
    }
    assert.ok(routed >= 4, `${routed} aggregates routed around`);
  });
});

describe('graph: labels', () => {
  it('placed labels overlap no node box and no other label; what cannot be placed is left to hover', () => {
    const boxes: LayoutBox[] = Array.from({ length: 30 }, (_, i) => ({
      x: (i % 6) * 160,
      y: Math.floor(i / 6) * 100,
      width: 120,
      height: 44,
    }));
    const items = Array.from({ length: 80 }, (_, i) => {
      const a = boxes[i % 30] ?? boxes[0];
      const b = boxes[(i * 7 + 3) % 30] ?? boxes[0];
      const p = { x: (a?.x ?? 0) + 60, y: (a?.y ?? 0) + 44 };
      const q = { x: (b?.x ?? 0) + 60, y: b?.y ?? 0 };
      return { text: `TCP ${8000 + i}`, p, c: { x: (p.x + q.x) / 2 + 10, y: (p.y + q.y) / 2 }, q };
    });
    const at = placeLabels(items, boxes);
    const placed = at.flatMap((pt, i) => (pt === undefined ? [] : [labelBox(items[i]?.text ?? '', pt)]));
    assert.ok(placed.length > 10, `${placed.length} placed`);
    assert.ok(placed.length < items.length, 'a crowded graph leaves some labels to hover');
    for (let i = 0; i < placed.length; i++) {
      for (const b of boxes) assert.ok(!overlap(placed[i] as LayoutBox, b), 'label over a node');
      for (let j = i + 1; j < placed.length; j++) assert.ok(!overlap(placed[i] as LayoutBox, placed[j] as LayoutBox), 'labels overlap');
    }
  });

  it('a label is never placed where the drawing would cut it (left of x = -8 or above y = -18)', () => {
    const p = { x: -20, y: 100 };
    const q = { x: -20, y: 300 };
    const inside = { x: 200, y: 100 };
    const at = placeLabels(
      [
        { text: 'TCP 8080', p, q, c: { x: -20, y: 200 } },
        { text: 'TCP 8080', p: inside, q: { x: 200, y: 300 }, c: { x: 200, y: 200 } },
      ],
      [],
    );
    assert.equal(at[0], undefined, 'a line along the left edge leaves its label to hover');
    assert.ok(at[1] !== undefined);
  });

  it("a fan (one source, the same ports, three or more destinations) is labelled once: the app's ingress controller", async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null);
    const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined);
    const controller = m.nodes.find((n) => n.kind !== 'External' && n.entry);
    const fan = elements(g.tree).filter(
      (e) => e.tag === 'g' && e.attrs['data-from'] === controller?.id && e.attrs['data-to'] !== undefined,
    );
    assert.ok(fan.length >= FAN_MIN, `${fan.length} edges from the controller`);
    assert.equal(fan.filter((e) => (e.attrs['class'] ?? '').split(' ').includes('labelled')).length, 1);
    // Below a fan each edge keeps its own label (examples/: the controller reaches one backend).
    const ex = await modelOfFolder(join(ROOT, 'examples'));
    assert.ok(ex.layout !== null);
    const gx = renderGraph(ex.layout, ex.nodes, ex.edges, new Set(), undefined, undefined);
    const edges = elements(gx.tree).filter((e) => e.tag === 'g' && (e.attrs['class'] ?? '').split(' ').includes('edge'));
    assert.ok(edges.length > 0);
    assert.ok(edges.every((e) => (e.attrs['class'] ?? '').split(' ').includes('labelled')));
  });

  it("no text over a badge or a box: a namespace's name above its first row's badges (examples/), an aggregate's label off the boxes when its channel is cramped (the app at 85 %)", async () => {
    const ex = await modelOfFolder(join(ROOT, 'examples'));
    const app = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    for (const [what, m, width] of [
      ['examples/', ex, 1356],
      ['the app at 85 %', app, renderWidth(1376, 0.85)],
      ['the app at 500 px', app, renderWidth(500, 0.75)],
    ] as const) {
      assert.ok(m.layout !== null);
      forgetGeometry();
      const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined, { width });
      const els = elements(g.tree);
      // A namespace's name: 12 px bold, about 11 px above its baseline and 3 px below, 8 px a glyph at most.
      const names = els
        .filter((e) => e.attrs['class'] === 'group-label')
        .map((e) => ({ x: Number(e.attrs['x']), y: Number(e.attrs['y']) - 11, width: String(e.children[0]).length * 8, height: 14 }));
      const badges = els
        .filter((e) => e.tag === 'rect' && (e.attrs['class'] ?? '').startsWith('badge'))
        .map((r) => ({
          x: Number(r?.attrs['x']),
          y: Number(r?.attrs['y']),
          width: Number(r?.attrs['width']),
          height: Number(r?.attrs['height']),
        }));
      assert.ok(badges.length > 0);
      for (const n of names) for (const b of badges) assert.ok(!overlap(n, b), `${what}: a namespace's name over a badge`);
      const boxes = nodeBoxes(g.tree);
      const placedLabels = labelsOf(g.tree);
      const aggregateLabels = els
        .filter((e) => e.attrs['data-agg'] !== undefined)
        .map((e) => labelOf(placedLabels, e))
        .map((t) => labelBox(String(t?.children[0]), { x: Number(t?.attrs['x']), y: Number(t?.attrs['y']) + 3 }));
      assert.ok(aggregateLabels.length > 0 || what === 'examples/');
      for (const l of aggregateLabels) for (const b of boxes) assert.ok(!overlap(l, b), `${what}: an aggregate's label over a workload`);
    }
  });

  it('every text of the graph is at least 12 px at 100 %', () => {
    const css = readFileSync(join(ROOT, 'webview/panel.css'), 'utf8');
    const sizes = [...css.matchAll(/svg\.graph[^{]*\{[^}]*font-size:\s*(\d+(?:\.\d+)?)px/g)].map((m) => Number(m[1]));
    assert.ok(sizes.length >= 4, `${sizes.length} font sizes`);
    for (const s of sizes) assert.ok(s >= 12, `${s}px`);
  });
});

describe('graph: client groups (clients reaching the same destinations on the same ports)', () => {
  it('the index answers a place given as numbers (a junction search tries hundreds) as it answers a box: against every box, by brute force', () => {
    const random = rng(16);
    const at = (span: number): number => Math.round((random() * 2 - 0.5) * span * 10) / 10;
    const boxes = Array.from({ length: 300 }, () => ({ x: at(900), y: at(700), width: 5 + random() * 140, height: 5 + random() * 60 }));
    const index = new BoxIndex(boxes);
    let hits = 0;
    for (let i = 0; i < 3000; i++) {
      const b = { x: at(1000), y: at(800), width: random() * 160, height: random() * 60 };
      const margin = [0, 6, 8][i % 3] ?? 0;
      const g = { x: b.x - margin, y: b.y - margin, width: b.width + 2 * margin, height: b.height + 2 * margin };
      const brute = boxes.some((o) => overlap(o, g));
      assert.equal(index.hitsAt(b.x, b.y, b.width, b.height, margin), brute, JSON.stringify({ b, margin }));
      assert.equal(index.hits(b, margin), brute);
      if (brute) hits++;
    }
    assert.ok(hits > 300 && hits < 2700, `${hits} of 3,000 places hit a box`);
  });

  it('a junction with no free place along or beside the line between its ends goes to the nearest free place inside the drawing, not over a box', () => {
    // A grid namespace of 12 × 20 workloads 16 px apart around both ends: nothing free within four
    // steps of the line; free room to the right of the columns (x ≥ 1,632).
    const boxes: LayoutBox[] = [];
    for (let row = 0; row < 20; row++) for (let col = 0; col < 12; col++) boxes.push({ x: col * 136, y: row * 46, width: 120, height: 30 });
    const index = new BoxIndex(boxes);
    const size = { width: 150, height: 36 };
    const from = boxes[8 * 12 + 4] as LayoutBox;
    const to = boxes[11 * 12 + 7] as LayoutBox;
    const box = placeJunction([from], [to], size, index, { width: 2400, height: 920 });
    for (const b of boxes) assert.ok(!overlap(box, b), `the junction at ${box.x},${box.y} lies over a workload`);
    assert.ok(box.x >= 1632 - 6, `at ${box.x},${box.y}: the nearest free room is right of the columns`);
    // Never outside the drawing: with the drawing ending at the columns, under the rows instead.
    const under = placeJunction([from], [to], size, index, { width: 1632, height: 2000 });
    assert.ok(under.x + under.width <= 1632 + 8 && under.y >= 920 - 16, `at ${under.x},${under.y}`);
    for (const b of boxes) assert.ok(!overlap(under, b), `the junction at ${under.x},${under.y} lies over a workload`);
  });

  it("a junction with no free place within 12 steps of its middle goes to a free place further away inside the drawing (a narrow panel's tall column), not over a box, and the drawing does not grow", () => {
    // A column of 4 × 60 workloads 16 px apart; the drawing ends at the columns' right edge, and is
    // free only under the rows (y ≥ 2,760): 40 rows, 1,840 px, below the ends' middle.
    const boxes: LayoutBox[] = [];
    for (let row = 0; row < 60; row++) for (let col = 0; col < 4; col++) boxes.push({ x: col * 136, y: row * 46, width: 120, height: 30 });
    const index = new BoxIndex(boxes);
    const size = { width: 150, height: 36 };
    const bounds = { width: 4 * 136 - 16, height: 2900 };
    const box = placeJunction([boxes[18 * 4] as LayoutBox], [boxes[22 * 4 + 3] as LayoutBox], size, index, bounds);
    for (const b of boxes) assert.ok(!overlap(box, b), `the junction at ${box.x},${box.y} lies over a workload`);
    assert.ok(
      box.x >= -8 && box.y >= -18 && box.x + box.width <= bounds.width + 8 && box.y + box.height <= bounds.height + 8,
      `at ${box.x},${box.y}: outside the drawing`,
    );
    // The nearest free place: right under the rows.
    assert.ok(box.y >= 2760 - 16 && box.y < 2760 + 36, `at ${box.x},${box.y}`);
    // A drawing with no free place anywhere: the middle (no endless search), and the next junction
    // of that size is not looked for again.
    const full = new BoxIndex([{ x: -20, y: -30, width: 1000, height: 1000 }]);
    const middle = placeJunction([{ x: 0, y: 0, width: 10, height: 10 }], [{ x: 400, y: 400, width: 10, height: 10 }], size, full, {
      width: 900,
      height: 900,
    });
    assert.deepEqual(middle, { x: 205 - 75, y: 205 - 18, width: 150, height: 36 });
    assert.ok(full.hasNoRoomFor(150, 36, 900) && full.hasNoRoomFor(160, 40, 900) && !full.hasNoRoomFor(140, 36, 900));
    assert.ok(full.hasNoRoomFor(150, 36, 800) && !full.hasNoRoomFor(150, 36, 1000));
    // A panel wider than the drawing: beside it (the drawing grows wider, not taller).
    const beside = placeJunction(
      [{ x: 0, y: 0, width: 10, height: 10 }],
      [{ x: 400, y: 400, width: 10, height: 10 }],
      size,
      full,
      { width: 900, height: 900 },
      { width: 1400, height: 900 },
    );
    assert.ok(
      // Right of the box that fills the drawing (it ends at 980), the junction's 6 px margin apart.
      beside.x >= 980 + 6 && beside.x + beside.width <= 1400 + 8 && beside.y + beside.height <= 900 + 8,
      `at ${beside.x},${beside.y}`,
    );
  });

  it("the host's layout of the generated apps, first paint and final graph, in a narrow and a wide panel: every client group's junction laid out by the host inside its namespace (none a knot, none over a workload or another junction) and drawn over every group's legs, the drawing no taller than its layout", async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-reach-narrow-'));
    try {
      writeWorkspace(root, generateWorkspace(200, 1));
      // The first paint first: elkjs's layouts are kept, and a namespace laid out once keeps its places.
      const fast = await modelOfFolder(root, 1, undefined, 'fast');
      const full = await modelOfFolder(root);
      for (const [what, m] of [
        ['first paint', fast],
        ['final graph', full],
      ] as const) {
        assert.ok(m.layout !== null);
        const byId = new Map(m.nodes.map((n) => [n.id, n] as const));
        const groups = clientGroups(m.nodes, m.edges);
        assert.ok(groups.length > 40, `${groups.length} client groups`);
        for (const b of groups) {
          const j = m.layout.nodes[junctionId(b.key)];
          assert.ok(j !== undefined, `${what}: a client group's junction the host did not lay out`);
          const names = new Set([...b.sources, ...b.targets].map((id) => groupOfNode(byId.get(id) ?? m.nodes[0] ?? workload('x', 0))));
          const inside = m.layout.groups.some(
            (g) => names.has(g.name) && j.x >= g.x && j.y >= g.y && j.x + j.width <= g.x + g.width && j.y + j.height <= g.y + g.height,
          );
          assert.ok(inside, `${what}: a junction at ${j.x},${j.y} outside the namespaces of its ends`);
        }
        for (const width of [400, 500, 1400]) {
          forgetGeometry();
          const zoom = zoomToFit(m.layout, m.nodes, width, 824, 0.75);
          const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined, { width: renderWidth(width, zoom), zoom });
          const junctions = junctionBoxes(g.tree);
          assert.equal(junctions.length, groups.length);
          assert.equal(elements(g.tree).filter((e) => e.attrs['data-knot'] !== undefined).length, 0, `${what} at ${width} px: knots`);
          const workloads = nodeBoxes(g.tree);
          for (const [i, j] of junctions.entries()) {
            for (const w of workloads) assert.ok(!overlap(j, w), `${what} at ${width} px: a junction at ${j.x},${j.y} over a workload`);
            for (const o of junctions.slice(i + 1))
              assert.ok(!overlap(j, o), `${what} at ${width} px: two junctions at ${j.x},${j.y} and ${o.x},${o.y}`);
          }
          assert.equal(g.layout.height, g.refit(renderWidth(width, zoom)).height, `${what} at ${width} px: taller than its layout`);
          // Every junction is drawn over every client group's legs: no leg crosses another group's name and ports.
          const order = elements(g.tree);
          const lastLeg = order.reduce(
            (last, e, k) => (e.tag === 'path' && (e.attrs['class'] ?? '').split(' ').includes('legs') ? k : last),
            -1,
          );
          const firstJunction = order.findIndex((e) => e.tag === 'rect' && e.attrs['class'] === 'junction');
          assert.ok(lastLeg >= 0 && firstJunction > lastLeg, `${what} at ${width} px: a junction drawn under another group's legs`);
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  /**
   * A namespace drawn as a grid with no room for a junction's box anywhere (rows 40 px apart, the
   * badges taking 10 of them; columns 30 px apart), whose client group the host did not lay out (as
   * one the webview's filters make): 3 clients of 4 destinations on TCP 8080 among 24 workloads.
   */
  function tightGrid(): { nodes: PanelNode[]; edges: PanelEdge[]; layout: PanelLayout } {
    const nodes = Array.from({ length: 24 }, (_, i) => workload('tight', i, true));
    const clients = nodes.slice(0, 3).map((n) => ({ ...n, labels: { app: n.name, tier: 'edge' } }));
    const all = [...clients, ...nodes.slice(3)];
    const edges = clients.flatMap((c) => all.slice(20, 24).map((b) => edge(c, b, 8080)));
    const boxes: Record<string, LayoutBox> = {};
    all.forEach((n, i) => {
      boxes[n.id] = { x: 12 + (i % 6) * 150, y: 30 + Math.floor(i / 6) * 70, width: 120, height: NODE_HEIGHT };
    });
    const width = 12 + 6 * 150 - 30 + 12;
    const height = 30 + 4 * 70 - 40 + 12;
    return { nodes: all, edges, layout: { width, height, groups: [{ name: 'tight', x: 0, y: 0, width, height }], nodes: boxes } };
  }

  it('a client group with no room for its junction box anywhere in the drawing: drawn as a knot where one fits, its name and ports in its label; in a panel wider than the drawing, its box beside the drawing (wider, never taller)', () => {
    const { nodes, edges, layout } = tightGrid();
    forgetGeometry();
    const g = renderGraph(layout, nodes, edges, new Set(), undefined, undefined, { width: layout.width, zoom: 1 });
    const bundles = elements(g.tree).filter((e) => e.attrs['data-bundle'] !== undefined);
    assert.equal(bundles.length, 1);
    const kids = (bundles[0]?.children ?? []).filter((c): c is Exclude<VNode, string> => typeof c !== 'string');
    const knot = kids.find((c) => c.tag === 'rect' && c.attrs['data-knot'] !== undefined);
    assert.ok(knot !== undefined, 'not drawn as a knot');
    assert.ok(!kids.some((c) => c.tag === 'text'), 'a knot has no text');
    assert.match(bundles[0]?.attrs['aria-label'] ?? '', /\) to .+: /);
    const k = {
      x: Number(knot.attrs['x']),
      y: Number(knot.attrs['y']),
      width: Number(knot.attrs['width']),
      height: Number(knot.attrs['height']),
    };
    for (const w of nodeBoxes(g.tree)) assert.ok(!overlap(k, w), `the knot at ${k.x},${k.y} over a workload`);
    assert.equal(g.layout.height, layout.height);
    // 1,400 and 1,100 px: the room beside the graph ends at the panel's edge (a junction there once made it 1 px too wide).
    for (const width of [1400, 1100]) {
      forgetGeometry();
      const wide = renderGraph(layout, nodes, edges, new Set(), undefined, undefined, { width: renderWidth(width, 1), zoom: 1 });
      const [j] = junctionBoxes(wide.tree);
      assert.ok(j !== undefined && elements(wide.tree).every((e) => e.attrs['data-knot'] === undefined), `${width} px: a knot`);
      for (const w of nodeBoxes(wide.tree)) assert.ok(!overlap(j, w), `${width} px: the junction at ${j.x},${j.y} over a workload`);
      assert.equal(wide.layout.height, layout.height);
      // As wide as the junction's right edge less the 8 px of the drawing's margin a box may take, within the panel.
      assert.equal(wide.layout.width, Math.ceil(j.x + j.width - 8));
      assert.ok(
        wide.layout.width > layout.width && Math.ceil(wide.layout.width + 20) <= width - 2,
        `${width} px: ${wide.layout.width} wide`,
      );
    }
  });

  const edgeTier = ['web', 'bff', 'admin'].map((name, i) => ({ ...workload('app', i, true), name, labels: { app: name, tier: 'edge' } }));
  const backends = Array.from({ length: 4 }, (_, i) => workload('app', 10 + i, true));
  const lone = workload('app', 20, true);
  const nodes = [...edgeTier, ...backends, lone];
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const fanIn = edgeTier.flatMap((c) => backends.map((b) => edge(c, b, 8080)));

  it('three clients × four destinations on TCP 8080: one group of 12 connections, named by the label only they carry', () => {
    const r = bundleClients(fanIn, () => false, new Set(), undefined);
    assert.equal(r.single.length, 0);
    assert.equal(r.bundles.length, 1);
    const b = r.bundles[0];
    assert.ok(b !== undefined);
    assert.deepEqual([b.sources.length, b.targets.length, b.edges.length, b.label], [3, 4, 12, 'TCP 8080']);
    assert.equal(bundleName(b.sources, byId), 'tier=edge (3)');
    // Named by their names when no label is theirs alone, by their count when those are long.
    assert.equal(bundleName([edgeTier[0]?.id ?? '', lone.id], byId), 'web, w20');
    assert.equal(bundleName([...backends.map((n) => n.id)], byId), '4 clients');
  });

  it('another port, another client, an entry point, the selected node and an expanded group stay apart', () => {
    const mixed = [...fanIn, edge(lone, backends[0] ?? lone, 8080), edge(edgeTier[0] ?? lone, lone, 9090)];
    const r = bundleClients(mixed, () => false, new Set(), undefined);
    // backends[0] has four clients now: its three edges leave the group, which keeps 9 connections.
    assert.deepEqual(
      r.bundles.map((b) => [b.sources.length, b.targets.length]),
      [
        [3, 3],
        [4, 1],
      ],
    );
    assert.deepEqual(
      r.single.map((e) => e.label),
      ['TCP 9090'],
    );
    const denied = fanIn.map((e) => ({ ...e, ports: 'all' as const, label: 'denied', verdict: 'denied' as const }));
    assert.equal(bundleClients(denied, () => false, new Set(), undefined).bundles.length, 0, '"only denied" shows each pair');
    const entry = bundleClients(fanIn, (id) => id === edgeTier[0]?.id, new Set(), undefined);
    assert.equal(entry.bundles[0]?.sources.length, 2, 'an entry point is drawn on its own');
    const sel = bundleClients(fanIn, () => false, new Set(), backends[0]?.id);
    assert.deepEqual([sel.single.length, sel.bundles[0]?.edges.length], [3, 9]);
    const key = bundleClients(fanIn, () => false, new Set(), undefined).bundles[0]?.key ?? '';
    assert.equal(bundleClients(fanIn, () => false, new Set([key]), undefined).bundles.length, 0);
    // Below BUNDLE_MIN_EDGES connections: drawn one by one.
    const few = fanIn.filter((e) => e.to === backends[0]?.id);
    assert.ok(few.length < BUNDLE_MIN_EDGES);
    assert.equal(bundleClients(few, () => false, new Set(), undefined).bundles.length, 0);
  });

  it('the host lays the junction out inside the namespace, between the clients and their destinations', async () => {
    const laid = await layoutGraph(nodes, fanIn);
    const groups = clientGroups(nodes, fanIn);
    assert.equal(groups.length, 1);
    const j = laid.nodes[junctionId(groups[0]?.key ?? '')];
    assert.ok(j !== undefined, 'the junction has a box');
    const g = laid.groups.find((x) => x.name === 'app');
    assert.ok(g !== undefined && j.x >= g.x && j.x + j.width <= g.x + g.width && j.y >= g.y && j.y + j.height <= g.y + g.height);
    for (const n of nodes) {
      const b = laid.nodes[n.id];
      assert.ok(b !== undefined && !overlap(b, j), `${n.id} clear of the junction`);
    }
    const left = Math.max(...edgeTier.map((n) => (laid.nodes[n.id]?.x ?? 0) + (laid.nodes[n.id]?.width ?? 0)));
    const right = Math.min(...backends.map((n) => laid.nodes[n.id]?.x ?? 0));
    assert.ok(j.x >= left && j.x + j.width <= right, `junction ${j.x}–${j.x + j.width} between ${left} and ${right}`);
    // Repacked for a narrow panel, the junction moves with its namespace.
    const other = Array.from({ length: 6 }, (_, i) => workload('other', 30 + i));
    const wide = await layoutGraph([...nodes, ...other], fanIn);
    const fit = fitLayout(wide, [...nodes, ...other], 300);
    const jb = fit.nodes[junctionId(groups[0]?.key ?? '')];
    const gb = fit.groups.find((x) => x.name === 'app');
    assert.ok(jb !== undefined && gb !== undefined && jb.x >= gb.x && jb.y >= gb.y && jb.y + jb.height <= gb.y + gb.height);
  });

  it("the app's connections inside a namespace go the way the layout routed them: around every box between their ends", async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null && m.layout.routes !== undefined);
    const layout = m.layout;
    const routes = Object.entries(layout.routes ?? {});
    assert.ok(routes.length >= 10, `${routes.length} routes`);
    const boxes = Object.entries(layout.nodes);
    // The boxes (a 2 px margin inside) a line passes through, its own two ends aside.
    const through = (l: Line, from: string, to: string): string[] =>
      boxes
        .filter(([id, b]) => {
          if (id === from || id === to) return false;
          for (let t = 0; t <= 1; t += 0.01) {
            const pt = l.at(t);
            if (pt.x > b.x + 2 && pt.x < b.x + b.width - 2 && pt.y > b.y + 2 && pt.y < b.y + b.height - 2) return true;
          }
          return false;
        })
        .map(([id]) => id);
    let straightThrough = 0;
    for (const [key, bends] of routes) {
      const [from = '', to = ''] = key.split(ROUTE_SEP);
      const a = layout.nodes[from];
      const b = layout.nodes[to];
      assert.ok(a !== undefined && b !== undefined, key);
      assert.deepEqual(through(routedLine(bends), from, to), [], key);
      if (through(curveLine(a, b), from, to).length > 0) straightThrough++;
    }
    // Drawn box to box, some of them would cross other boxes: the routes are what keeps them clear.
    assert.ok(straightThrough > 0, 'some lines would cross a box without their route');
    // Repacked for a narrow panel, each route moves with its namespace.
    const fit = fitLayout(layout, m.nodes, 500);
    const moved = routes.filter(([key]) => {
      const from = key.split(ROUTE_SEP)[0] ?? '';
      return fit.nodes[from]?.y !== layout.nodes[from]?.y;
    });
    assert.ok(moved.length > 0, 'the namespace with routes moved');
    for (const [key, bends] of routes) {
      const from = key.split(ROUTE_SEP)[0] ?? '';
      const [b0 = 0, b1 = 0] = fit.routes?.[key] ?? [];
      const was = layout.nodes[from];
      const now = fit.nodes[from];
      assert.ok(was !== undefined && now !== undefined);
      assert.deepEqual([b0 - now.x, b1 - now.y], [(bends[0] ?? 0) - was.x, (bends[1] ?? 0) - was.y], key);
    }
  });

  it("a line between namespaces that a curve would draw across a box is an elbow around them: the app's ingress controller into its column of four", async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null);
    const layout = m.layout;
    const index = new BoxIndex(Object.values(layout.nodes));
    const g = renderGraph(layout, m.nodes, m.edges, new Set(), undefined, undefined);
    const controller = m.nodes.find((n) => n.kind !== 'External' && n.entry);
    const a = layout.nodes[controller?.id ?? ''];
    assert.ok(a !== undefined);
    const drawnPaths = new Map(
      elements(g.tree)
        .filter((e) => e.tag === 'g' && e.attrs['data-from'] === controller?.id)
        .map((e) => [e.attrs['data-to'], elements(e).find((c) => c.tag === 'path' && c.attrs['class'] === 'line')?.attrs['d']] as const),
    );
    let elbows = 0;
    for (const [to, d] of drawnPaths) {
      const b = layout.nodes[to ?? ''];
      assert.ok(b !== undefined && d !== undefined);
      const curve = curveLine(a, b);
      if (!crossesBoxes(curve, a, b, index)) {
        assert.equal(d, curve.d, `${to}: a curve where it crosses nothing`);
        continue;
      }
      const elbow = elbowLine(a, b, index);
      assert.ok(elbow !== undefined && !crossesBoxes(elbow, a, b, index), `${to}: an elbow clear of the boxes`);
      assert.equal(d, elbow.d, `${to} drawn as the elbow`);
      elbows++;
    }
    assert.ok(elbows >= 2, `${elbows} of the controller's lines needed an elbow`);
  });

  it('the 30-workload app (test/fixtures/panel-app): 117 connections drawn as at most 20 lines, groups and aggregates', async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null);
    const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined);
    const standing =
      g.drawn.length + g.aggregates.reduce((s, a) => s + a.edges.length, 0) + g.bundles.reduce((s, b) => s + b.edges.length, 0);
    assert.equal(standing, 117, 'every connection not shown by a badge is drawn, in an aggregate or in a group');
    assert.ok(
      g.drawn.length + g.aggregates.length + g.bundles.length <= 20,
      `${g.drawn.length} + ${g.aggregates.length} + ${g.bundles.length}`,
    );
    const edgeGroup = g.bundles.find((b) => b.label === 'TCP 8080,9090');
    assert.deepEqual(edgeGroup?.targets.length, 7);
    // Every junction the host laid out is drawn there, clear of every workload box.
    const junctions = elements(g.tree).filter((e) => e.tag === 'rect' && e.attrs['class'] === 'junction');
    assert.equal(junctions.length, g.bundles.length);
    // A junction is its box and its lines in its client group's group: no group of its own.
    assert.equal(elements(g.tree).filter((e) => e.tag === 'g' && e.attrs['class'] === 'junction').length, 0);
    for (const b of g.bundles) {
      const box = m.layout.nodes[junctionId(b.key)];
      if (box === undefined) continue;
      for (const n of m.nodes) {
        const nb = m.layout.nodes[n.id];
        assert.ok(nb === undefined || !overlap(nb, box), `${n.id} under a junction`);
      }
    }
  });
});

describe('graph: a client group draws few elements', () => {
  /** The numbers of a path's subpaths (each starts with M) as [x, y] pairs. */
  const subpaths = (d: string): Array<Array<[number, number]>> =>
    d.split(/(?=M)/).map((p) => [...p.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m): [number, number] => [Number(m[1]), Number(m[2])]));

  it("the 30-workload app: each junction's legs are three paths (clients' legs, destinations' legs, their arrowheads), a leg per end in order; a hovered workload's own leg is drawn over them", async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    assert.ok(m.layout !== null);
    const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined);
    const groups = elements(g.tree).filter((e) => e.attrs['data-bundle'] !== undefined);
    assert.ok(groups.length >= 5, `${groups.length} groups`);
    let legs = 0;
    const legGroups = elements(g.tree).filter((e) => e.attrs['data-legs-of'] !== undefined);
    for (const grp of groups) {
      const bd = g.bundles[Number(grp.attrs['data-bundle'])];
      assert.ok(bd !== undefined);
      // Its legs are drawn apart (under every junction), in a group naming it.
      const legGroup = legGroups.find((e) => e.attrs['data-legs-of'] === grp.attrs['data-bundle']);
      assert.ok(legGroup !== undefined);
      const paths = legGroup.children.filter((c): c is Exclude<VNode, string> => typeof c !== 'string' && c.tag === 'path');
      assert.equal(paths.length, 3, 'clients, destinations, arrowheads');
      const side = (s: string, heads = false): string =>
        paths.find((p) => p.attrs['data-side'] === s && (p.attrs['class'] ?? '').includes('heads') === heads)?.attrs['d'] ?? '';
      const into = subpaths(side('in'));
      const out = subpaths(side('out'));
      const heads = subpaths(side('out', true));
      assert.equal(into.length, bd.sources.length);
      assert.equal(out.length, bd.targets.length);
      assert.equal(heads.length, bd.targets.length);
      legs += into.length + out.length;
      // Each arrowhead's tip (its second point) is the end of its destination's leg.
      out.forEach((leg, k) => assert.deepEqual(heads[k]?.[1], leg.at(-1)));
      const dom = { in: { d: side('in'), ends: null }, out: { d: side('out'), ends: null } };
      const verdict = bd.verdict;
      bd.sources.forEach((id, k) => {
        const lit = litLeg({ sources: bd.sources, targets: bd.targets, verdict }, dom, id);
        assert.deepEqual(subpaths(lit?.attrs['d'] ?? ''), [into[k]], id);
        assert.equal(lit?.attrs['marker-end'], undefined);
      });
      bd.targets.forEach((id, k) => {
        const lit = litLeg({ sources: bd.sources, targets: bd.targets, verdict }, dom, id);
        assert.deepEqual(subpaths(lit?.attrs['d'] ?? ''), [out[k]], id);
        assert.match(lit?.attrs['marker-end'] ?? '', /^url\(#arrow/);
      });
      assert.equal(litLeg({ sources: bd.sources, targets: bd.targets, verdict }, dom, 'nowhere/x[Deployment]'), undefined);
    }
    assert.ok(legs > 3 * groups.length, `${legs} legs in ${groups.length * 3} paths`);
    // No tooltips drawn: a workload's is made on hover from `nodeTip`, the others' are their aria-labels.
    assert.equal(elements(g.tree).filter((e) => e.tag === 'title').length, 0);
    const api = m.nodes.find((n) => n.name === 'api-gateway');
    assert.ok(api !== undefined);
    assert.equal(
      g.nodeTip(api.id),
      [`${api.kind} ${api.namespace}/${api.name}`, ...Object.entries(api.labels).map(([k, v]) => `${k}=${v}`)].join('\n') +
        '\nout: any: no NetworkPolicy isolates its egress (its outgoing connections on every port are not drawn)',
    );
    assert.equal(g.nodeTip('nowhere/x[Deployment]'), undefined);
  });

  it('an arrowhead is the arrow marker drawn in place: its tip on the end, 10 long and 10 wide along the last stretch', () => {
    const l = routedLine([0, 0, 100, 0, 100, 50]);
    assert.equal(arrowHead(l), 'M95.0,40.0 L100.0,50.0 L105.0,40.0Z');
    const c = curveLine({ x: 0, y: 0, width: 10, height: 10 }, { x: 200, y: 0, width: 10, height: 10 });
    const [base1, tip, base2] = subpaths(arrowHead(c))[0] ?? [];
    assert.deepEqual(tip, [c.q.x, c.q.y]);
    assert.ok(base1 !== undefined && base2 !== undefined);
    assert.ok(Math.abs(Math.hypot(base1[0] - base2[0], base1[1] - base2[1]) - 10) < 0.2);
    const mid = [(base1[0] + base2[0]) / 2, (base1[1] + base2[1]) / 2] as const;
    assert.ok(Math.abs(Math.hypot(mid[0] - c.q.x, mid[1] - c.q.y) - 10) < 0.2);
  });
});

describe('graph: a render of the same shape reuses the last geometry', () => {
  it('the zoom that fits: the last answer for the same layout, nodes and sizes, a fresh one otherwise', async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const layout = m.layout;
    assert.ok(layout !== null);
    const fewer = m.nodes.filter((n) => n.namespace !== m.nodes.find((x) => !x.entry)?.namespace);
    const steps: ReadonlyArray<readonly [string, readonly PanelNode[], number, number]> = [
      ['wide', m.nodes, 1356, 860],
      ['the same again', m.nodes, 1356, 860],
      ['narrower', m.nodes, 440, 860],
      ['lower', m.nodes, 440, 300],
      ['a namespace fewer', fewer, 440, 300],
      ['wide again', m.nodes, 1356, 860],
    ];
    forgetZoomFit();
    const answers = new Set<number>();
    for (const [what, nodes, width, height] of steps) {
      const got = zoomToFit(layout, nodes, width, height, 0.5);
      forgetZoomFit();
      const want = zoomToFit(layout, nodes, width, height, 0.5);
      assert.equal(got, want, `${what}: the zoom differs from a fresh answer`);
      answers.add(got);
    }
    assert.ok(answers.size >= 3, `the steps fit at ${[...answers].join(', ')} only`);
  });

  it('after a change of verdicts, a hover, a narrower panel, a connection removed or an aggregate expanded: what a fresh render draws, or its elements kept where they were', async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const layout = m.layout;
    assert.ok(layout !== null);
    const render = (edges: readonly PanelEdge[], hl: ReadonlySet<string>, options: GraphOptions): GraphRender =>
      renderGraph(layout, m.nodes, edges, hl, undefined, undefined, options);
    // A connection inside an aggregate whose verdict and reason change: the aggregate's style
    // changes, not the shape.
    const probe = render(m.edges, new Set(), { width: 1356 });
    const target = probe.drawn[0];
    const agg = probe.aggregates[0];
    const inner = agg?.edges[0];
    assert.ok(target !== undefined && agg !== undefined && inner !== undefined, 'nothing drawn, or no aggregate');
    const reverdicted = m.edges.map((e) =>
      e.from === inner.from && e.to === inner.to ? { ...e, verdict: 'undefined' as const, reason: 'a changed reason' } : e,
    );
    const removed = m.edges.filter((e) => !(e.from === target.from && e.to === target.to));
    const expanded = new Set([`${agg.fromGroup}\u0000${agg.toGroup}`]);
    // [what, edges, highlighted, options, the last geometry reused, the last render's places kept (same width, another shape)]
    const steps: ReadonlyArray<readonly [string, readonly PanelEdge[], ReadonlySet<string>, GraphOptions, boolean, boolean]> = [
      ['the model', m.edges, new Set(), { width: 1356 }, false, false],
      ['a verdict and a reason changed', reverdicted, new Set(), { width: 1356 }, true, false],
      ['a hover', reverdicted, new Set([target.from]), { width: 1356 }, true, false],
      ['a narrower panel', reverdicted, new Set(), { width: 440 }, false, false],
      ['a connection removed', removed, new Set(), { width: 440 }, false, true],
      ['an aggregate expanded', removed, new Set(), { width: 440, expanded }, false, true],
      ['the model again', m.edges, new Set(), { width: 1356 }, false, false],
    ];
    forgetGeometry();
    // The render each step starts from (the last geometry): the fresh one of the step before.
    let last: GraphRender | undefined;
    for (const [what, edges, hl, options, reuse, kept] of steps) {
      const got = render(edges, hl, options);
      assert.equal(got.reusedGeometry, reuse, `${what}: the geometry was ${got.reusedGeometry ? '' : 'not '}the last render's`);
      forgetGeometry();
      const want = render(edges, hl, options);
      assert.ok(!want.reusedGeometry);
      assert.deepEqual(got.layout, want.layout, `${what}: the layout differs from a fresh render's`);
      if (!kept) assert.equal(JSON.stringify(got.tree), JSON.stringify(want.tree), `${what}: the drawing differs from a fresh render's`);
      else {
        // The same elements as a fresh render, nothing overlapping, and what the last render placed where it was.
        assert.deepEqual(drawnIds(got.tree), drawnIds(want.tree), `${what}: other elements than a fresh render's`);
        assertNothingOverlaps(got.tree, what);
        const before = placed(last?.tree);
        const now = placed(got.tree);
        const stayed = [...now].filter(([k, at]) => before.get(k) === at).length;
        const couldStay = [...now.keys()].filter((k) => before.has(k)).length;
        assert.ok(couldStay > 0 && stayed === couldStay, `${what}: ${stayed} of ${couldStay} labels and junctions stayed`);
      }
      last = want;
    }
  });

  it('an edit that changes a client group: its junction stays where it was, and so does every other junction and label', async () => {
    const m = await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'));
    const layout = m.layout;
    assert.ok(layout !== null);
    const render = (edges: readonly PanelEdge[]): GraphRender =>
      renderGraph(layout, m.nodes, edges, new Set(), undefined, undefined, { width: 1356 });
    forgetGeometry();
    const before = render(m.edges);
    // The biggest client group (tier=edge (4) → TCP 8080,9090) loses a client.
    const group = before.bundles[0];
    const client = group?.sources[0];
    assert.ok(group !== undefined && client !== undefined && group.sources.length > 2);
    const edited = m.edges.filter((e) => !(e.from === client && group.targets.includes(e.to) && e.label === group.label));
    const after = render(edited);
    assert.ok(!after.reusedGeometry);
    forgetGeometry();
    const fresh = render(edited);
    const junction = (r: GraphRender, targets: readonly string[]): LayoutBox | undefined => {
      const i = r.bundles.findIndex((b) => b.label === group.label && b.targets.join() === targets.join());
      return junctionBoxes(r.tree)[i];
    };
    const was = junction(before, group.targets);
    const kept = junction(after, group.targets);
    const moved = junction(fresh, group.targets);
    assert.ok(was !== undefined && kept !== undefined && moved !== undefined);
    const centre = (b: LayoutBox): string => `${b.x + b.width / 2},${b.y + b.height / 2}`;
    assert.equal(centre(kept), centre(was), 'the changed group’s junction is centred where it was');
    assert.notEqual(centre(moved), centre(was), 'a fresh render places it elsewhere (the test would pass without keeping)');
    // Every other label and junction where it was.
    const a = placed(before.tree);
    for (const [k, at] of placed(after.tree))
      if (a.has(k) && !k.startsWith('junction') && k.includes(group.label) === false) assert.equal(at, a.get(k), k);
    assertNothingOverlaps(before.tree, 'before the edit');
    assertNothingOverlaps(fresh.tree, 'a fresh render');
    assertNothingOverlaps(after.tree, 'after the edit');
    assert.deepEqual(drawnIds(after.tree), drawnIds(fresh.tree));
  });
});

describe('graph: fitting without allocating what is not read gives the same layouts', () => {
  it("zoomToFit's bisection, sized only, finds the zoom whole fitted layouts find; curveCrossesAny answers as crossesAny of the curve; a curve line reads as the points it was made of", async () => {
    const root = mkdtempSync(join(tmpdir(), 'kube-reach-fit-'));
    try {
      writeWorkspace(root, generateWorkspace(200, 1));
      const m = await modelOfFolder(root);
      const layout = m.layout;
      assert.ok(layout !== null);
      // The layouts bisection compared before: every fit a whole fitLayout (boxes and routes placed).
      const whole = (w: number): PanelLayout => fitLayout(layout, m.nodes, w);
      let folded = 0;
      for (const width of [260, 300, 400, 500, 700, 900, 1200, 1400]) {
        for (const height of [300, 824, Infinity]) {
          forgetZoomFit();
          assert.equal(
            zoomToFit(layout, m.nodes, width, height, 0.25),
            zoomToFit(layout, m.nodes, width, height, 0.25, 1, whole),
            `${width}x${height}`,
          );
        }
        const fit = whole(renderWidth(width, 1));
        if (fit.groups.some((g) => g.height > (layout.groups.find((x) => x.name === g.name)?.height ?? Infinity))) folded++;
      }
      assert.ok(folded > 0, 'some widths fold a namespace');
      // Every pair of namespaces' workloads, at the widths the panel fits to: the curve's crossings.
      const byId = new Map(m.nodes.map((n) => [n.id, n] as const));
      for (const width of [300, 500, 1400]) {
        const fitted = fitLayout(layout, m.nodes, width);
        const boxes = new Map(fitted.groups.map((g) => [g.name, g] as const));
        let crossing = 0;
        for (const e of m.edges) {
          const a = fitted.nodes[e.from];
          const b = fitted.nodes[e.to];
          const ga = boxes.get(groupOfNode(byId.get(e.from) ?? workload('x', 0)));
          const gb = boxes.get(groupOfNode(byId.get(e.to) ?? workload('x', 0)));
          if (a === undefined || b === undefined || ga === undefined || gb === undefined) continue;
          const want = crossesAny(curveLine(a, b), fitted.groups, ga, gb);
          assert.equal(curveCrossesAny(a, b, fitted.groups, ga, gb), want, `${e.from} -> ${e.to} at ${width} px`);
          if (want) crossing++;
        }
        assert.ok(crossing > 0, `no curve crosses a namespace at ${width} px`);
      }
      // A curve as a line: its ends, its control point as the arrowhead's direction, its points and path.
      const random = rng(7);
      for (let i = 0; i < 200; i++) {
        const box = (): LayoutBox => ({ x: random() * 900, y: random() * 900, width: 40 + random() * 200, height: 30 + random() * 40 });
        const a = box();
        const b = box();
        const { p, c, q } = curvePoints(a, b);
        const l = curveLine(a, b);
        assert.deepEqual([l.p, l.toward, l.q], [p, c, q]);
        for (const t of [0, 0.22, 0.5, 0.78, 1]) assert.deepEqual(l.at(t), onCurve(p, c, q, t));
        const f1 = (v: number): string => v.toFixed(1);
        assert.equal(l.d, `M${f1(p.x)},${f1(p.y)} Q${f1(c.x)},${f1(c.y)} ${f1(q.x)},${f1(q.y)}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
