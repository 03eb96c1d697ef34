/**
 * The host-side graph layout (client/panel/layout.ts, elkjs): 200 workloads in 10 namespaces lay
 * out with no overlapping node boxes, no overlapping namespace groups, every node inside its
 * group, and an unchanged graph re-uses its layout. Also the probe box and export escaping.
 */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layoutGraph, layoutGraphWith } from '../../client/panel/layout.js';
import type { PanelEdge, PanelModel, PanelNode } from '../../protocol/panel.js';
import { toCsv, toDot, toMermaid, toSvg } from '../../webview/export.js';
import { applyFilters, parsePortQuery, parseProbe } from '../../webview/filters.js';

const nodes: PanelNode[] = Array.from({ length: 200 }, (_, i) => ({
  id: `ns${i % 10}/workload-${i}[Deployment]`,
  namespace: `ns${i % 10}`,
  kind: 'Deployment',
  name: `workload-${i}`,
  labels: { app: `w${i}` },
  entry: false,
  isolatedIngress: false,
  isolatedEgress: false,
  unreachable: false,
  ports: [],
}));
const edges: PanelEdge[] = Array.from({ length: 600 }, (_, i) => ({
  from: nodes[i % 200]?.id ?? '',
  to: nodes[(i * 7 + 3) % 200]?.id ?? '',
  ports: 'all',
  label: 'all',
  verdict: 'allowed',
}));

function overlap(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('graph layout (elkjs, per namespace)', () => {
  it('lays out 200 workloads without overlaps, each inside its namespace group', async () => {
    const l = await layoutGraph(nodes, edges);
    assert.equal(l.groups.length, 10);
    const boxes = nodes.map((n) => ({ n, b: l.nodes[n.id] }));
    for (const { n, b } of boxes) {
      assert.ok(b !== undefined, n.id);
      const g = l.groups.find((x) => x.name === n.namespace);
      assert.ok(
        g !== undefined && b.x >= g.x && b.y >= g.y && b.x + b.width <= g.x + g.width && b.y + b.height <= g.y + g.height,
        `${n.id} in its group`,
      );
    }
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]?.b;
        const b = boxes[j]?.b;
        if (a !== undefined && b !== undefined) assert.ok(!overlap(a, b), `${boxes[i]?.n.id} / ${boxes[j]?.n.id}`);
      }
    for (let i = 0; i < l.groups.length; i++)
      for (let j = i + 1; j < l.groups.length; j++) {
        const a = l.groups[i];
        const b = l.groups[j];
        if (a !== undefined && b !== undefined) assert.ok(!overlap(a, b), `${a.name} / ${b.name}`);
      }
    assert.deepEqual(await layoutGraph(nodes, edges), l, 'same graph, same layout');
  });

  it('a namespace laid out in layers puts its workloads without a connection inside it in rows below, and packs small namespaces into the first row with room', async () => {
    const ns = (name: string, n: number): PanelNode[] =>
      nodes.slice(0, n).map((x, i) => ({ ...x, id: `${name}/w${i}[Deployment]`, namespace: name, name: `w${i}` }));
    const app = ns('app', 8);
    const small = ns('zz-small', 2);
    const wide = ns('wide', 12);
    const link = (a: PanelNode | undefined, b: PanelNode | undefined): PanelEdge => ({
      from: a?.id ?? '',
      to: b?.id ?? '',
      ports: 'all',
      label: 'all',
      verdict: 'allowed',
    });
    // app: a chain w0 → … → w5; w6 and w7 reach nothing inside app. wide: a long chain (a wide group).
    const chain = [...app.slice(0, 5).map((a, i) => link(a, app[i + 1])), ...wide.slice(0, 11).map((a, i) => link(a, wide[i + 1]))];
    const l = await layoutGraph([...app, ...wide, ...small], chain);
    const bottom = Math.max(...app.slice(0, 6).map((n) => (l.nodes[n.id]?.y ?? 0) + (l.nodes[n.id]?.height ?? 0)));
    for (const n of app.slice(6)) assert.ok((l.nodes[n.id]?.y ?? 0) > bottom, `${n.id} below the layers`);
    // The wide namespace fills a row of its own; the small one, after it in order, goes back beside app.
    const g = (name: string) => l.groups.find((x) => x.name === name);
    assert.equal(g('zz-small')?.y, g('app')?.y);
    assert.ok((g('wide')?.y ?? 0) > (g('app')?.y ?? 0));
  });
});

/** A connection between two of `app`'s workloads by index, on every port or on TCP `port`. */
function linkOf(app: readonly PanelNode[], port?: number): (a: number, b: number) => PanelEdge {
  return (a, b) => ({
    from: app[a]?.id ?? '',
    to: app[b]?.id ?? '',
    ports: port === undefined ? 'all' : [{ protocol: 'TCP', port }],
    label: port === undefined ? 'all' : `TCP ${port}`,
    verdict: 'allowed',
  });
}

describe('graph layout after an edit', () => {
  it('a laid-out namespace whose workloads or client groups changed keeps its places in the first paint, not a grid, until elkjs refines it', async () => {
    const app: PanelNode[] = nodes.slice(0, 9).map((x, i) => ({ ...x, id: `edit/w${i}[Deployment]`, namespace: 'edit', name: `w${i}` }));
    const link = linkOf(app);
    // A chain w0 → w1 → w2 → w3 and three clients w4, w5, w6 of w7 and w8: a client group with a junction.
    const before = [link(0, 1), link(1, 2), link(2, 3), ...[4, 5, 6].flatMap((c) => [link(c, 7), link(c, 8)])];
    const first = await layoutGraph(app, before);
    // The edit: w6 no longer a client (the group's junction changes), and w0 is now cut off (its box grows).
    const after = before.filter((e) => e.from !== app[6]?.id);
    const edited = app.map((n, i) => (i === 0 ? { ...n, unreachable: true, isolatedIngress: true } : n));
    const { layout: paint, pending } = await layoutGraphWith(edited, after, 'fast');
    assert.ok(pending, 'the namespace is laid out again');
    for (const n of edited.slice(1)) {
      const a = first.nodes[n.id];
      const b = paint.nodes[n.id];
      assert.ok(a !== undefined && b !== undefined);
      if (a.y !== (first.nodes[edited[0]?.id ?? '']?.y ?? NaN)) assert.deepEqual([b.x, b.y], [a.x, a.y], `${n.id} kept its place`);
    }
    const boxes = Object.values(paint.nodes);
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) assert.ok(!overlap(a, b), 'boxes overlap in the first paint');
    });
  });
});

describe('graph layout: the first paint', () => {
  it("a namespace elkjs lays out next is a grid at first, with its client groups' junctions in a row under its workloads (a grid has no free place between its boxes)", async () => {
    const app: PanelNode[] = nodes.slice(0, 9).map((x, i) => ({ ...x, id: `first/w${i}[Deployment]`, namespace: 'first', name: `w${i}` }));
    // On one port (connections on every port between open workloads are shown by badges, not drawn).
    const link = linkOf(app, 8080);
    // w0 → w1 → w2, and three clients w3, w4, w5 of w6, w7 and w8: a client group with a junction.
    const edges = [link(0, 1), link(1, 2), ...[3, 4, 5].flatMap((c) => [link(c, 6), link(c, 7), link(c, 8)])];
    const { layout: paint, pending } = await layoutGraphWith(app, edges, 'fast');
    assert.ok(pending, 'elkjs refines it');
    const ids = new Set(app.map((n) => n.id));
    const junctions = Object.entries(paint.nodes).filter(([id]) => !ids.has(id));
    assert.equal(junctions.length, 1, 'the junction is laid out with the namespace');
    const workloads = app.map((n) => paint.nodes[n.id]).filter((b) => b !== undefined);
    assert.equal(workloads.length, app.length);
    const [, j] = junctions[0] ?? [];
    assert.ok(j !== undefined);
    for (const w of workloads) {
      assert.ok(!overlap(j, w), 'the junction lies over a workload');
      assert.ok(j.y >= w.y + w.height, 'the junction is under the workloads');
    }
    const group = paint.groups.find((g) => g.name === 'first');
    assert.ok(group !== undefined && j.y + j.height <= group.y + group.height, 'inside its namespace');
    // The final layout places it between its clients and destinations (elkjs), not under them.
    const final = await layoutGraph(app, edges);
    assert.ok(Object.keys(final.nodes).some((id) => !ids.has(id)));
  });
});

describe('probe box, filters and export', () => {
  const model = {
    nodes,
    edges,
    policies: [],
    scope: {},
    units: [],
    notes: [],
    layout: null,
    ingressRoutes: [],
    gatewayRoutes: [],
    overview: { namespaces: [] },
    initialView: 'graph',
    revision: 1,
  } as PanelModel;

  it('parses what a person types', () => {
    assert.deepEqual(parseProbe(model, 'from workload-3 to workload-7 on 5432'), {
      ok: true,
      probe: { from: 'ns3/workload-3[Deployment]', to: 'ns7/workload-7[Deployment]', port: 5432, protocol: 'TCP' },
    });
    assert.deepEqual(parseProbe(model, 'ns3/workload-3 -> workload-7 udp 53'), {
      ok: true,
      probe: { from: 'ns3/workload-3[Deployment]', to: 'ns7/workload-7[Deployment]', port: 53, protocol: 'UDP' },
    });
    assert.equal(parseProbe(model, 'from nothing to workload-7 on 1').ok, false);
    assert.equal(parseProbe(model, 'hello').ok, false);
    assert.deepEqual(parsePortQuery('5432/tcp'), { protocol: 'TCP', port: 5432 });
    assert.deepEqual(parsePortQuery('udp'), { protocol: 'UDP', port: undefined });
    assert.equal(parsePortQuery('abc'), undefined);
  });

  it('filters by namespace keep connections with either end in it', () => {
    const f = applyFilters(model, { namespace: 'ns1', label: '', port: '', onlyDenied: false, policy: '' });
    assert.ok(f.edges.length > 0 && f.edges.every((e) => e.from.startsWith('ns1/') || e.to.startsWith('ns1/')));
  });

  it('escapes manifest text in every export format', () => {
    const evil: PanelNode = {
      ...(nodes[0] as PanelNode),
      id: 'a/<img src=x onerror=alert(1)>"[Pod]',
      name: '</text><script>alert(1)</script>',
    };
    const e: PanelEdge = {
      from: evil.id,
      to: evil.id,
      ports: [{ protocol: 'TCP', port: 1 }],
      label: '=cmd|"/c calc"!A1',
      verdict: 'allowed',
    };
    const svg = toSvg([evil], [e], {
      width: 100,
      height: 100,
      groups: [{ name: '<b>', x: 0, y: 0, width: 10, height: 10 }],
      nodes: { [evil.id]: { x: 0, y: 0, width: 10, height: 10 } },
    });
    assert.doesNotMatch(svg, /<script|<img|<b>/);
    assert.doesNotMatch(toMermaid([evil], [e]), /<img/);
    assert.match(toDot([evil], [e]), /label="a\/<img src=x onerror=alert\(1\)>\\"\[Pod\]"/);
    assert.match(toCsv([e]), /^"a\/<img src=x onerror=alert\(1\)>""\[Pod\]",/m);
    assert.match(toCsv([{ ...e, from: '=HYPERLINK("x")' }]), /^"'=HYPERLINK\(""x""\)",/m, 'no spreadsheet formula');
  });
});
