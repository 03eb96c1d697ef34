/**
 * Junction placement benchmark (issue #16): the panel graph of the generated workspace (the
 * panel bench's, 1,000 manifests by default) drawn as the webview draws it, at several panel
 * widths, for the first paint (the host's instant layout, `layout: 'fast'`) and the final graph
 * (elkjs). For each: the client groups' junctions drawn over a workload or over another junction,
 * those drawn outside the namespaces of their ends (in another namespace's box or between them),
 * the drawing's height, and the CPU of the render (renderGraph in Node, geometry forgotten before
 * each one, median of `--runs`).
 *
 * Usage: node --import tsx scripts/bench/panel-junctions.ts [--manifests N] [--runs N] [--widths 500,1400]
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupOfNode } from '../../protocol/graphGroups.js';
import type { LayoutBox, PanelLayout, PanelModel } from '../../protocol/panel.js';
import { modelOfFolder } from '../../test/webview/stubHost.js';
import { forgetGeometry, renderGraph } from '../../webview/graph.js';
import { renderWidth, zoomToFit } from '../../webview/graphModel.js';
import type { VNode } from '../../webview/vnode.js';
import { generateWorkspace, writeWorkspace } from './generate.js';
import { median } from './stats.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const manifests = Number(flag('--manifests', '1000'));
const runs = Number(flag('--runs', '5'));
const widths = flag('--widths', '500,1400')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);

function elements(node: VNode): Array<Exclude<VNode, string>> {
  return typeof node === 'string' ? [] : [node, ...node.children.flatMap(elements)];
}

function overlap(a: LayoutBox, b: LayoutBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function boxesOf(tree: VNode): { workloads: LayoutBox[]; junctions: LayoutBox[] } {
  const all = elements(tree);
  const box = (e: Exclude<VNode, string>, p: string): LayoutBox => ({
    x: Number(e.attrs[`${p}x`]),
    y: Number(e.attrs[`${p}y`]),
    width: Number(e.attrs[p === '' ? 'width' : `${p}w`]),
    height: Number(e.attrs[p === '' ? 'height' : `${p}h`]),
  });
  return {
    workloads: all.filter((e) => e.attrs['data-node'] !== undefined).map((e) => box(e, 'data-')),
    junctions: all.filter((e) => e.tag === 'rect' && e.attrs['class'] === 'junction').map((e) => box(e, '')),
  };
}

/** The client groups whose junction's centre lies in none of the namespaces of its clients and destinations. */
function outsideTheirNamespaces(tree: VNode, m: PanelModel, layout: PanelLayout): number {
  const byId = new Map(m.nodes.map((n) => [n.id, n] as const));
  let outside = 0;
  for (const b of elements(tree).filter((e) => e.attrs['data-bundle'] !== undefined)) {
    const r = b.children.find((c): c is Exclude<VNode, string> => typeof c !== 'string' && c.tag === 'rect');
    if (r === undefined) continue;
    const ends = [...(b.attrs['data-sources'] ?? '').split('\n'), ...(b.attrs['data-targets'] ?? '').split('\n')];
    const names = new Set(
      ends.flatMap((id) => {
        const n = byId.get(id);
        return n === undefined ? [] : [groupOfNode(n)];
      }),
    );
    const cx = Number(r.attrs['x']) + Number(r.attrs['width']) / 2;
    const cy = Number(r.attrs['y']) + Number(r.attrs['height']) / 2;
    if (!layout.groups.some((g) => names.has(g.name) && cx >= g.x && cx <= g.x + g.width && cy >= g.y && cy <= g.y + g.height)) outside++;
  }
  return outside;
}

/** The first paint's model (the host's instant grids) and the final one (elkjs), built as the host builds them. */
async function models(folder: string): Promise<{ fast: PanelModel; full: PanelModel }> {
  const fast = await modelOfFolder(folder, 1, undefined, 'fast');
  return { fast, full: await modelOfFolder(folder, 2) };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-junctions-'));
  try {
    writeWorkspace(root, generateWorkspace(manifests, 1));
    const { fast, full } = await models(root);
    console.log(`${manifests} manifests: ${full.nodes.length} nodes, ${full.edges.length} connections`);
    for (const [name, m] of [
      ['first paint', fast],
      ['final graph', full],
    ] as const) {
      const layout = m.layout;
      if (layout === null) continue;
      for (const width of widths) {
        const zoom = zoomToFit(layout, m.nodes, width, 824, 0.75);
        const times: number[] = [];
        let tree: VNode = '';
        let height = 0;
        let drawnLayout: PanelLayout = layout;
        for (let r = 0; r < runs; r++) {
          forgetGeometry();
          const t0 = process.cpuUsage();
          const g = renderGraph(layout, m.nodes, m.edges, new Set(), undefined, undefined, { width: renderWidth(width, zoom), zoom });
          const t = process.cpuUsage(t0);
          times.push((t.user + t.system) / 1000);
          tree = g.tree;
          height = g.layout.height;
          drawnLayout = g.layout;
        }
        const { workloads, junctions } = boxesOf(tree);
        const overWorkload = junctions.filter((j) => workloads.some((w) => overlap(j, w))).length;
        const overJunction = junctions.filter((j, i) => junctions.some((o, k) => k !== i && overlap(j, o))).length;
        const outside = outsideTheirNamespaces(tree, m, drawnLayout);
        const knots = elements(tree).filter((e) => e.tag === 'rect' && e.attrs['data-knot'] !== undefined).length;
        console.log(
          `${name} at ${width} px (zoom ${zoom}): ${junctions.length} junctions (${knots} drawn as knots), ${overWorkload} over a workload, ${overJunction} over another junction, ${outside} outside the namespaces of their ends; drawing ${Math.round(height)} px tall; render CPU median ${median(times).toFixed(1)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`,
        );
      }
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
