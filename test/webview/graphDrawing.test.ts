/**
 * What the drawn graph must never do, read back from the drawing itself (its paths, labels and
 * namespace boxes, in drawing order), over examples/, the 30-workload app and generated apps of
 * about 50, 150 and 300 workloads, first paint and final layout, at panel widths from 300 to 1,400
 * px: a line drawn over a placed label, a label over an arrowhead, a line through a namespace box
 * it neither starts nor ends in. No coordinate is written by hand: every figure comes from the
 * layouts.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LayoutBox, PanelModel } from '../../protocol/panel.js';
import { forgetGeometry, renderGraph } from '../../webview/graph.js';
import { labelBox, renderWidth, zoomToFit } from '../../webview/graphModel.js';
import type { VNode } from '../../webview/vnode.js';
import { generateWorkspace, writeWorkspace } from '../../scripts/bench/generate.js';
import { ROOT, modelOfFolder } from './stubHost.js';

type El = Exclude<VNode, string>;
interface Point {
  readonly x: number;
  readonly y: number;
}

function elements(node: VNode): El[] {
  return typeof node === 'string' ? [] : [node, ...node.children.flatMap(elements)];
}

/** A path's subpaths as points (its `M`, `L`, `Q` and `Z` commands, each run or curve cut in 16). */
function subpaths(d: string): Point[][] {
  const toks = d.match(/[MLQZ]|-?\d+(?:\.\d+)?/g) ?? [];
  const out: Point[][] = [];
  let cur: Point[] = [];
  let at: Point = { x: 0, y: 0 };
  let start = at;
  let i = 0;
  const num = (): number => Number(toks[i++]);
  const run = (q: Point): void => {
    for (let k = 1; k <= 16; k++) cur.push({ x: at.x + ((q.x - at.x) * k) / 16, y: at.y + ((q.y - at.y) * k) / 16 });
    at = q;
  };
  while (i < toks.length) {
    const c = toks[i++];
    if (c === 'M') {
      if (cur.length > 0) out.push(cur);
      at = start = { x: num(), y: num() };
      cur = [at];
    } else if (c === 'L') run({ x: num(), y: num() });
    else if (c === 'Z') run(start);
    else if (c === 'Q') {
      const cc = { x: num(), y: num() };
      const q = { x: num(), y: num() };
      for (let k = 1; k <= 16; k++) {
        const t = k / 16;
        const u = 1 - t;
        cur.push({ x: u * u * at.x + 2 * u * t * cc.x + t * t * q.x, y: u * u * at.y + 2 * u * t * cc.y + t * t * q.y });
      }
      at = q;
    }
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function inside(b: LayoutBox, p: Point, margin: number): boolean {
  return p.x > b.x + margin && p.x < b.x + b.width - margin && p.y > b.y + margin && p.y < b.y + b.height - margin;
}

/** Every path that draws a line (connections, aggregates, legs, arrowheads), with its place in drawing order. */
function linePaths(els: readonly El[]): Array<{ order: number; el: El; parts: Point[][] }> {
  return els.flatMap((e, order) => {
    const cls = (e.attrs['class'] ?? '').split(' ');
    const d = e.attrs['d'];
    return e.tag === 'path' && d !== undefined && !cls.includes('hit') && (cls.includes('line') || cls.includes('heads'))
      ? [{ order, el: e, parts: subpaths(d) }]
      : [];
  });
}

/** The labels shown without hovering (placed), with their boxes and their place in drawing order. */
function shownLabels(els: readonly El[]): Array<{ order: number; text: string; box: LayoutBox }> {
  return els.flatMap((e, order) => {
    if (e.tag !== 'text' || !(e.attrs['class'] ?? '').split(' ').includes('edge-label')) return [];
    // Shown: in the labels' group, or (as drawn before) in a `labelled` connection's or aggregate's group.
    const owner = els.find((g) => g.children.includes(e));
    const shown = e.attrs['data-label-of'] !== undefined || (owner?.attrs['class'] ?? '').split(' ').includes('labelled');
    if (!shown) return [];
    const text = String(e.children[0]);
    return [{ order, text, box: labelBox(text, { x: Number(e.attrs['x']), y: Number(e.attrs['y']) + 3 }) }];
  });
}

/**
 * The arrowheads drawn: each marker at a line's end (the marker's triangle, 10 long and 10 wide,
 * along the path's last stretch) and each client group's heads path, as points filling them.
 */
function arrowheads(paths: ReturnType<typeof linePaths>): Point[][] {
  const out: Point[][] = [];
  for (const p of paths) {
    if ((p.el.attrs['class'] ?? '').split(' ').includes('heads')) {
      out.push(...p.parts);
      continue;
    }
    if (p.el.attrs['marker-end'] === undefined) continue;
    const last = p.parts[p.parts.length - 1] ?? [];
    const tip = last[last.length - 1];
    const from = last[last.length - 2];
    if (tip === undefined || from === undefined) continue;
    const len = Math.hypot(tip.x - from.x, tip.y - from.y) || 1;
    const ux = (tip.x - from.x) / len;
    const uy = (tip.y - from.y) / len;
    const fill: Point[] = [];
    for (let a = 0; a <= 10; a++)
      for (let w = -5; w <= 5; w++) if (Math.abs(w) <= a / 2) fill.push({ x: tip.x - a * ux - w * uy, y: tip.y - a * uy + w * ux });
    out.push(fill);
  }
  return out;
}

interface Drawn {
  readonly what: string;
  readonly els: readonly El[];
  readonly groups: ReadonlyArray<LayoutBox & { readonly name: string }>;
}

/** The graph drawn as the panel draws it `width` px wide (the zoom that fits, at least 75 %). */
function draw(what: string, m: PanelModel, width: number): Drawn {
  assert.ok(m.layout !== null, what);
  forgetGeometry();
  const graphWidth = Math.max(240, width - 24);
  const zoom = zoomToFit(m.layout, m.nodes, graphWidth, 824, 0.75);
  const g = renderGraph(m.layout, m.nodes, m.edges, new Set(), undefined, undefined, { width: renderWidth(graphWidth, zoom), zoom });
  const used = new Set(elements(g.tree).flatMap((e) => (e.attrs['data-ns'] === undefined ? [] : [e.attrs['data-ns']])));
  return { what: `${what} at ${width} px`, els: elements(g.tree), groups: g.layout.groups.filter((x) => used.has(x.name)) };
}

/** No line is drawn after (over) a placed label and through its box. */
function assertNoLineOverALabel(d: Drawn): number {
  const paths = linePaths(d.els);
  const labels = shownLabels(d.els);
  for (const l of labels) {
    const box = { x: l.box.x + 1, y: l.box.y + 1, width: l.box.width - 2, height: l.box.height - 2 };
    const over = paths.find((p) => p.order > l.order && p.parts.some((part) => part.some((pt) => inside(box, pt, 0))));
    assert.equal(over, undefined, `${d.what}: a line drawn over the label "${l.text}"`);
  }
  return labels.length;
}

/** No placed label lies over an arrowhead (its own or another line's). */
function assertNoLabelOnAnArrowhead(d: Drawn): void {
  const heads = arrowheads(linePaths(d.els));
  for (const l of shownLabels(d.els))
    assert.ok(!heads.some((h) => h.some((pt) => inside(l.box, pt, 0))), `${d.what}: the label "${l.text}" over an arrowhead`);
}

/** No line passes through a namespace box other than those its ends lie in (or on). */
function assertNoLineThroughAnotherNamespace(d: Drawn): number {
  let between = 0;
  for (const p of linePaths(d.els)) {
    if ((p.el.attrs['class'] ?? '').split(' ').includes('heads')) continue;
    for (const part of p.parts) {
      const ends = [part[0], part[part.length - 1]].filter((x): x is Point => x !== undefined);
      const own = d.groups.filter((g) => ends.some((e) => inside(g, e, -1)));
      if (new Set(own).size > 1) between++;
      const through = part.find((pt) => d.groups.some((g) => !own.includes(g) && inside(g, pt, 2)));
      const g = through === undefined ? undefined : d.groups.find((x) => !own.includes(x) && inside(x, through, 2));
      assert.equal(g, undefined, `${d.what}: a line from ${JSON.stringify(ends[0])} to ${JSON.stringify(ends[1])} through ${g?.name}`);
    }
  }
  return between;
}

const PANEL_WIDTHS = Array.from({ length: 37 }, (_, i) => 300 + i * 25);

describe('graph drawing: labels over every line, off every arrowhead; lines through no other namespace', () => {
  const models = new Map<string, PanelModel>();
  const roots: string[] = [];
  before(async () => {
    models.set('examples/', await modelOfFolder(join(ROOT, 'examples')));
    models.set('the app (first paint)', await modelOfFolder(join(ROOT, 'test/fixtures/panel-app'), 1, undefined, 'fast'));
    models.set('the app', await modelOfFolder(join(ROOT, 'test/fixtures/panel-app')));
    // About 50, 150 and 300 workloads (the panel benchmark's generator, seed 1).
    for (const [name, manifests] of [
      ['50 workloads', 176],
      ['150 workloads', 530],
      ['300 workloads', 1060],
    ] as const) {
      const root = mkdtempSync(join(tmpdir(), 'kube-reach-drawing-'));
      roots.push(root);
      writeWorkspace(root, generateWorkspace(manifests, 1));
      models.set(`${name} (first paint)`, await modelOfFolder(root, 1, undefined, 'fast'));
      models.set(name, await modelOfFolder(root));
    }
  });
  after(() => {
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  it('the generated apps have about 50, 150 and 300 workloads', () => {
    for (const [name, want] of [
      ['50 workloads', 50],
      ['150 workloads', 150],
      ['300 workloads', 300],
    ] as const) {
      const n = models.get(name)?.nodes.filter((x) => !x.entry).length ?? 0;
      assert.ok(n >= want * 0.9 && n <= want * 1.1, `${name}: ${n}`);
    }
  });

  it('examples/ and the app at every width from 300 to 1,200 px: no line over a placed label, no label over an arrowhead, and the frontend → api label placed', () => {
    for (const [what, m] of [...models].filter(([k]) => !k.includes('workloads'))) {
      let labels = 0;
      for (const width of PANEL_WIDTHS.filter((w) => w <= 1200)) {
        const d = draw(what, m, width);
        labels += assertNoLineOverALabel(d);
        assertNoLabelOnAnArrowhead(d);
        if (what === 'examples/') {
          // The short line between two boxes whose label touched its arrowhead: placed, beside it if need be.
          const edge = d.els.find(
            (e) => e.attrs['data-from'] === 'shop/frontend[Deployment]' && e.attrs['data-to'] === 'shop/api[Deployment]',
          );
          assert.ok((edge?.attrs['class'] ?? '').split(' ').includes('labelled'), `${d.what}: frontend → api unlabelled`);
        }
      }
      assert.ok(labels > 0, `${what}: no label placed`);
    }
  });

  it('the generated apps, first paint and final layout, from 300 to 1,400 px: no line over a placed label, no label over an arrowhead, no line through a namespace it neither starts nor ends in', () => {
    for (const [what, m] of models) {
      let between = 0;
      for (const width of what.includes('workloads') ? [300, 500, 800, 1200, 1400] : PANEL_WIDTHS) {
        const d = draw(what, m, width);
        assertNoLineOverALabel(d);
        assertNoLabelOnAnArrowhead(d);
        between += assertNoLineThroughAnotherNamespace(d);
      }
      // Lines between two namespaces were drawn and checked.
      assert.ok(between > 0, `${what}: no line between two namespaces`);
    }
  });
});
