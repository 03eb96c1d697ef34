/**
 * The panel's Changes view: the connections the changes since git HEAD add, remove or change
 * (`kubeReach/diff`, protocol/changes.ts), unsaved edits included, drawn over the graph's layout
 * (added green, removed red and dashed, changed magenta), as a matrix of the workloads they touch,
 * and as netpol-analyzer's table, with a legend; the changed NetworkPolicies link to their YAML.
 * Everything from the host is validated here and rendered as text.
 */

import { isRecord, listOf } from '../protocol/narrow.js';
import type { DiffChange, DiffNote, DiffPolicyChange, DiffResult, DiffType } from '../protocol/changes.js';
import type { PanelNoteFile } from '../protocol/reachability.js';
import type { WireLocation } from '../protocol/lsp.js';
import type { PanelModel } from '../protocol/panel.js';
import { BoxIndex, bundleClients, fitLayout, placeJunction, placeLabels } from './graphModel.js';
import type { Point } from './lines.js';
import { PAGED_BELOW } from './matrix.js';
import { bundleName, junctionSize } from '../protocol/graphGroups.js';
import { notesView } from './notes.js';
import type { Links } from './views.js';
import { breakable, h, rowsTable, type VElement, type VNode } from './vnode.js';

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const TYPES: readonly DiffType[] = ['changed', 'added', 'removed'];

function position(v: unknown): { line: number; character: number } | undefined {
  return isRecord(v) && isNat(v['line']) && isNat(v['character']) ? { line: v['line'], character: v['character'] } : undefined;
}

function location(v: unknown): WireLocation | undefined {
  if (!isRecord(v) || !isStr(v['uri']) || !isRecord(v['range'])) return undefined;
  const start = position(v['range']['start']);
  const end = position(v['range']['end']);
  return start === undefined || end === undefined ? undefined : { uri: v['uri'], range: { start, end } };
}

function change(v: unknown): DiffChange | undefined {
  if (!isRecord(v)) return undefined;
  const { diffType, source, destination, ref1, ref2, workloadsDiffInfo } = v;
  if (!TYPES.includes(diffType as DiffType) || !isStr(source) || !isStr(destination) || !isStr(ref1) || !isStr(ref2)) return undefined;
  if (workloadsDiffInfo !== undefined && !isStr(workloadsDiffInfo)) return undefined;
  return { diffType: diffType as DiffType, source, destination, ref1, ref2, ...(isStr(workloadsDiffInfo) ? { workloadsDiffInfo } : {}) };
}

function policyChange(v: unknown): DiffPolicyChange | undefined {
  if (!isRecord(v)) return undefined;
  const { policy, added, removed, changed, isNew, title } = v;
  if (!isStr(policy) || !isNat(added) || !isNat(removed) || !isNat(changed) || typeof isNew !== 'boolean' || !isStr(title))
    return undefined;
  const loc = v['location'] === undefined ? undefined : location(v['location']);
  if (v['location'] !== undefined && loc === undefined) return undefined;
  return { policy, added, removed, changed, isNew, title, ...(loc !== undefined ? { location: loc } : {}) };
}

const SIDES: ReadonlySet<unknown> = new Set<DiffNote['sides']>(['both', 'base', 'current']);

function diffNote(v: unknown): DiffNote | undefined {
  if (!isRecord(v) || !SIDES.has(v['sides']) || !isStr(v['note'])) return undefined;
  return { sides: v['sides'] as DiffNote['sides'], note: v['note'] };
}

function noteFile(v: unknown): PanelNoteFile | undefined {
  return isRecord(v) && isStr(v['text']) && isStr(v['uri']) ? { text: v['text'], uri: v['uri'] } : undefined;
}

/** A `kubeReach/diff` result as the host forwards it, or undefined when malformed. */
export function parseDiffResult(v: unknown): DiffResult | undefined {
  if (!isRecord(v) || typeof v['available'] !== 'boolean' || !isStr(v['base'])) return undefined;
  if (v['reason'] !== undefined && !isStr(v['reason'])) return undefined;
  const changes = listOf(v['changes'], change);
  const policies = listOf(v['policies'], policyChange);
  const notes = listOf(v['notes'], diffNote);
  const noteFiles = v['noteFiles'] === undefined ? [] : listOf(v['noteFiles'], noteFile);
  if (changes === undefined || policies === undefined || notes === undefined || noteFiles === undefined) return undefined;
  return {
    available: v['available'],
    base: v['base'],
    changes,
    policies,
    notes,
    ...(noteFiles.length > 0 ? { noteFiles } : {}),
    ...(isStr(v['reason']) ? { reason: v['reason'] } : {}),
  };
}

/** A file's first line, where a note's link opens it. */
const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Each side's notes, as `kube-reach diff` prints them (`note (HEAD and worktree): …`), the side
 * first: `HEAD and now`, `HEAD`, `now`; each file a note names that exists now a link that opens it.
 * `open`: the disclosure (more than two notes) as the person left it.
 */
function sideNotes(r: DiffResult, links: Links, open: boolean): VElement | undefined {
  const side: Record<DiffNote['sides'], string> = { both: `${r.base} and now`, base: r.base, current: 'now' };
  return notesView(
    r.notes.map((n) => ({ side: side[n.sides], note: n.note })),
    open,
    r.noteFiles ?? [],
    (text, uri) => links.link(text, { uri, range: START }, `Open ${text}`),
    'changes-notes',
  );
}

const MARK: Record<DiffType, string> = { added: '+', removed: '\u2212', changed: '~' };
const WORD: Record<DiffType, string> = { added: 'added', removed: 'removed', changed: 'changed' };

/** `+3 added · −1 removed · ~2 changed`. */
export function changesSummary(r: DiffResult): string {
  if (!r.available) return `No comparison with ${r.base}: ${r.reason ?? 'unavailable'}`;
  if (r.changes.length === 0) return `No connection changed since ${r.base}`;
  const parts = (['added', 'removed', 'changed'] as const)
    .map((t) => [t, r.changes.filter((c) => c.diffType === t).length] as const)
    .filter(([, n]) => n > 0)
    .map(([t, n]) => `${MARK[t]}${n} ${WORD[t]}`);
  return `${parts.join(' · ')} since ${r.base}`;
}

function legend(base: string): VElement {
  return h(
    'p',
    { class: 'legend', 'aria-label': 'Legend' },
    h('span', { class: 'lg chg-added' }, `— added since ${base}`),
    h('span', { class: 'lg chg-removed' }, '- - removed'),
    h('span', { class: 'lg chg-changed' }, '— ports changed'),
  );
}

function edgeLabel(c: DiffChange, base: string): string {
  if (c.diffType === 'added') return `+ ${c.ref2}`;
  if (c.diffType === 'removed') return `\u2212 ${c.ref1}`;
  return `~ ${c.ref2} (${base}: ${c.ref1})`;
}

/** The changed connections over the graph's layout (nodes that exist now; the others are in the table). */
function graph(model: PanelModel, r: DiffResult, panelWidth: number | undefined): { tree: VNode | undefined; offGraph: number } {
  if (model.layout === null) return { tree: undefined, offGraph: r.changes.length };
  // Fitted to the panel as the graph is (cropped below, with 40 px of room on each side).
  const layout = panelWidth === undefined ? model.layout : fitLayout(model.layout, model.nodes, panelWidth - 82);
  const drawn = r.changes.filter((c) => layout.nodes[c.source] !== undefined && layout.nodes[c.destination] !== undefined);
  const ends = new Set(drawn.flatMap((c) => [c.source, c.destination]));
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  const nodes = [...ends].flatMap((id) => {
    const b = layout.nodes[id];
    if (b === undefined) return [];
    const n = byId.get(id);
    return h(
      'g',
      { class: 'chg-node' },
      h('rect', { x: String(b.x), y: String(b.y), width: String(b.width), height: String(b.height), rx: '4' }),
      h('text', { x: String(b.x + b.width / 2), y: String(b.y + b.height / 2 + 4), 'text-anchor': 'middle' }, n?.name ?? id),
      h('title', {}, id),
    );
  });
  // Where the line from a box's centre towards (tx, ty) leaves the box: edges end at borders, so arrows show.
  const border = (b: { x: number; y: number; width: number; height: number }, tx: number, ty: number): [number, number] => {
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const dx = tx - cx;
    const dy = ty - cy;
    const k = Math.min(dx === 0 ? Infinity : b.width / 2 / Math.abs(dx), dy === 0 ? Infinity : b.height / 2 / Math.abs(dy), 1);
    return [cx + dx * k, cy + dy * k];
  };
  // Each single edge's label, placed where it overlaps no box, junction or other label (as in the
  // graph): one with no free place along its line is left to the line's tooltip.
  const toLabel: Array<{ readonly text: string; readonly cls: string; readonly p: Point; readonly c: Point; readonly q: Point }> = [];
  // Clients whose connections to the same workloads changed alike meet in one junction (as in the graph).
  const asEdge = new Map(
    drawn.map((c) => [
      { from: c.source, to: c.destination, ports: 'all' as const, label: edgeLabel(c, r.base), verdict: 'allowed' as const },
      c,
    ]),
  );
  const { single, bundles } = bundleClients([...asEdge.keys()], () => false, new Set(), undefined);
  const singles = new Set(single.map((e) => asEdge.get(e)));
  const index = new BoxIndex([...ends].flatMap((id) => (layout.nodes[id] === undefined ? [] : [layout.nodes[id]])));
  const junctions = bundles.flatMap((bd) => {
    const first = bd.edges[0];
    const type = first === undefined ? undefined : asEdge.get(first)?.diffType;
    if (type === undefined) return [];
    const lines = [bundleName(bd.sources, byId), bd.label];
    const boxesOf = (ids: readonly string[]): Array<{ x: number; y: number; width: number; height: number }> =>
      ids.flatMap((id) => (layout.nodes[id] === undefined ? [] : [layout.nodes[id]]));
    const box = placeJunction(boxesOf(bd.sources), boxesOf(bd.targets), junctionSize(lines), index);
    index.add(box);
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const leg = (from: { x: number; y: number; width: number; height: number }, tx: number, ty: number): [number, number] =>
      border(from, tx, ty);
    const into = bd.sources.flatMap((id) => {
      const a = layout.nodes[id];
      if (a === undefined) return [];
      const [x1, y1] = leg(a, cx, cy);
      const [x2, y2] = leg(box, a.x + a.width / 2, a.y + a.height / 2);
      return h('path', { d: `M ${x1} ${y1} L ${x2} ${y2}` });
    });
    const out = bd.targets.flatMap((id) => {
      const b = layout.nodes[id];
      if (b === undefined) return [];
      const [x1, y1] = leg(box, b.x + b.width / 2, b.y + b.height / 2);
      const [x2, y2] = leg(b, cx, cy);
      return h('path', { d: `M ${x1} ${y1} L ${x2} ${y2}`, 'marker-end': `url(#chg-arrow-${type})` });
    });
    return h(
      'g',
      { class: `chg-edge chg-junction chg-${type}` },
      into,
      out,
      h('rect', { x: String(box.x), y: String(box.y), width: String(box.width), height: String(box.height), rx: '10' }),
      lines.map((t, k) => h('text', { x: String(cx), y: String(box.y + 15 + k * 15), 'text-anchor': 'middle' }, t)),
      h('title', {}, `${bd.sources.join(', ')} → ${bd.targets.join(', ')}: ${bd.label}`),
    );
  });
  const edges = drawn.flatMap((c, i) => {
    if (!singles.has(c)) return [];
    const a = layout.nodes[c.source];
    const b = layout.nodes[c.destination];
    if (a === undefined || b === undefined) return [];
    const ax = a.x + a.width / 2;
    const ay = a.y + a.height / 2;
    const bx = b.x + b.width / 2;
    const by = b.y + b.height / 2;
    // A gentle curve, so a pair's two directions do not overlap.
    const mx = (ax + bx) / 2 + (by - ay) * 0.15;
    const my = (ay + by) / 2 - (bx - ax) * 0.15;
    const [x1, y1] = border(a, mx, my);
    const [x2, y2] = border(b, mx, my);
    toLabel.push({
      text: edgeLabel(c, r.base),
      cls: `chg-label chg-${c.diffType}`,
      p: { x: x1, y: y1 },
      c: { x: mx, y: my },
      q: { x: x2, y: y2 },
    });
    return h(
      'g',
      { class: `chg-edge chg-${c.diffType}`, 'data-change': String(i) },
      h('path', { d: `M ${x1} ${y1} Q ${mx} ${my} ${x2} ${y2}`, 'marker-end': `url(#chg-arrow-${c.diffType})` }),
      h('title', {}, `${c.source} → ${c.destination}: ${edgeLabel(c, r.base)}`),
    );
  });
  const labels = placeLabels(toLabel, index).flatMap((at, i) => {
    const l = toLabel[i];
    return at === undefined || l === undefined ? [] : [{ x: at.x, y: at.y - 3, cls: l.cls, text: l.text }];
  });
  const marker = (t: DiffType): VElement =>
    h(
      'marker',
      {
        id: `chg-arrow-${t}`,
        viewBox: '0 0 10 10',
        refX: '10',
        refY: '5',
        markerWidth: '8',
        markerHeight: '8',
        orient: 'auto-start-reverse',
      },
      h('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `chg-arrow chg-${t}` }),
    );
  // Cropped to the boxes drawn (plus room for labels), not the whole workspace's layout.
  const boxes = [...ends].flatMap((id) => {
    const b = layout.nodes[id];
    return b === undefined ? [] : [b];
  });
  const pad = 40;
  let [x1, y1, x2, y2] = [Infinity, Infinity, 0, 0];
  for (const b of boxes) {
    x1 = Math.min(x1, b.x);
    y1 = Math.min(y1, b.y);
    x2 = Math.max(x2, b.x + b.width);
    y2 = Math.max(y2, b.y + b.height);
  }
  const x0 = Math.max(0, x1 - pad);
  const y0 = Math.max(0, y1 - pad);
  const width = Math.ceil(x2 + pad - x0);
  const height = Math.ceil(y2 + pad - y0);
  const tree = h(
    'svg',
    {
      class: 'chg-graph',
      width: String(width),
      height: String(height),
      viewBox: `${x0} ${y0} ${width} ${height}`,
      role: 'img',
      'aria-label': `${drawn.length} changed connections`,
    },
    h('defs', {}, TYPES.map(marker)),
    edges,
    junctions,
    nodes,
    // Labels over everything, each on a halo of the background.
    h(
      'g',
      { class: 'chg-labels' },
      // Inside the drawing (about 7 px a character at 12 px): a label near its edge is not cut.
      labels.map((l) => {
        const half = Math.min(width / 2, (l.text.length * 7) / 2 + 2);
        const x = Math.min(Math.max(l.x, x0 + half), x0 + width - half);
        return h('text', { class: l.cls, x: String(x), y: String(l.y), 'text-anchor': 'middle' }, l.text);
      }),
    ),
  );
  return { tree: drawn.length > 0 ? tree : undefined, offGraph: r.changes.length - drawn.length };
}

/** Wider than this many px per destination column (and the sources' column), the matrix does not fit a narrow panel. */
const MATRIX_COL_W = 96;
const MATRIX_HEAD_W = 160;

/**
 * Sources × destinations of the changed connections; a cell holds its mark. In a narrow panel
 * (under PAGED_BELOW px) where its columns do not fit, a line says so instead: the list below
 * holds every change, and the panel never scrolls sideways.
 */
function matrix(r: DiffResult, width: number | undefined): VElement {
  const sources = [...new Set(r.changes.map((c) => c.source))].sort();
  const dests = [...new Set(r.changes.map((c) => c.destination))].sort();
  if (width !== undefined && width < PAGED_BELOW && MATRIX_HEAD_W + dests.length * MATRIX_COL_W > width)
    return h(
      'p',
      { class: 'muted chg-matrix-narrow' },
      `${sources.length} sources × ${dests.length} destinations: too wide for this panel (widen it to see the matrix); every change is in the list below.`,
    );
  const cell = new Map(r.changes.map((c) => [`${c.source}\u0000${c.destination}`, c] as const));
  return h(
    'table',
    { class: 'chg-matrix', 'aria-label': 'Changed connections, source by destination' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'from \\ to'),
        dests.map((d) => h('th', {}, d)),
      ),
    ),
    h(
      'tbody',
      {},
      sources.map((s) =>
        h(
          'tr',
          {},
          h('th', {}, s),
          dests.map((d) => {
            const c = cell.get(`${s}\u0000${d}`);
            if (c === undefined) return h('td', {}, '');
            return h(
              'td',
              { class: `chg-${c.diffType}`, title: `${r.base}: ${c.ref1} → now: ${c.ref2}` },
              `${MARK[c.diffType]} ${WORD[c.diffType]}`,
            );
          }),
        ),
      ),
    ),
  );
}

function table(r: DiffResult): VElement {
  return rowsTable(
    'chg-table',
    ['diff-type', 'source', 'destination', r.base, 'now', 'workloads'],
    r.changes.map((c) =>
      h(
        'tr',
        { class: `chg-${c.diffType}` },
        h('td', {}, `${MARK[c.diffType]} ${WORD[c.diffType]}`),
        h('td', {}, h('code', {}, breakable(c.source))),
        h('td', {}, h('code', {}, breakable(c.destination))),
        h('td', {}, c.ref1),
        h('td', {}, c.ref2),
        h('td', {}, c.workloadsDiffInfo ?? ''),
      ),
    ),
  );
}

function policies(r: DiffResult, links: Links): VElement | undefined {
  if (r.policies.length === 0) return undefined;
  return h(
    'div',
    { class: 'chg-policies' },
    h('h3', {}, `NetworkPolicies edited since ${r.base}`),
    h(
      'ul',
      {},
      r.policies.map((p) =>
        h(
          'li',
          {},
          p.location !== undefined
            ? links.link(p.policy, p.location, `Open NetworkPolicy ${p.policy}`)
            : h('span', {}, `${p.policy} (deleted)`),
          ` · ${p.title}`,
        ),
      ),
    ),
  );
}

/**
 * The workloads that exist on one side only (`workloadsDiffInfo`, `workload ns/name[Kind] added`):
 * a reviewer reads "monty is a Deployment now, not a VirtualMachine" before the 24 connections
 * that say it one by one.
 */
export function workloadsChanged(r: DiffResult): string | undefined {
  const added = new Set<string>();
  const removed = new Set<string>();
  for (const c of r.changes) {
    const m = /^workload (.+) (added|removed)$/.exec(c.workloadsDiffInfo ?? '');
    if (m?.[1] !== undefined) (m[2] === 'added' ? added : removed).add(m[1]);
  }
  if (added.size === 0 && removed.size === 0) return undefined;
  // The same namespace and name on both sides, another kind: one workload whose kind changed.
  const base = (id: string): string => id.replace(/\[[^\]]*\]$/, '');
  const kind = (id: string): string => /\[([^\]]*)\]$/.exec(id)?.[1] ?? '';
  const parts: string[] = [];
  for (const a of [...added].sort()) {
    const was = [...removed].find((x) => base(x) === base(a));
    if (was === undefined) continue;
    parts.push(`${base(a)} is a ${kind(a)} now, not a ${kind(was)}`);
    added.delete(a);
    removed.delete(was);
  }
  // "Workloads" opens the line, "workloads" continues it (a namespace's name keeps its case).
  const word = (n: number): string => `${parts.length === 0 ? 'W' : 'w'}orkload${n === 1 ? '' : 's'}`;
  if (added.size > 0) parts.push(`${word(added.size)} added: ${[...added].sort().join(', ')}`);
  if (removed.size > 0) parts.push(`${word(removed.size)} gone: ${[...removed].sort().join(', ')}`);
  return parts.join(' · ');
}

/**
 * The Changes view; `result` undefined while the comparison is being made. `notesOpen`: the notes'
 * disclosure as the person left it (the view's notes are both sides', in place of the toolbar's).
 */
export function renderChanges(
  model: PanelModel,
  result: DiffResult | undefined,
  links: Links,
  width?: number,
  notesOpen = false,
): VElement {
  if (result === undefined) return h('div', { class: 'changes-view' }, h('p', { class: 'status' }, 'Comparing with git HEAD…'));
  const head = h('h2', {}, changesSummary(result));
  const notes = sideNotes(result, links, notesOpen);
  if (!result.available || result.changes.length === 0)
    return h('div', { class: 'changes-view' }, head, notes, result.policies.length > 0 ? policies(result, links) : undefined);
  const g = graph(model, result, width);
  return h(
    'div',
    { class: 'changes-view' },
    head,
    notes,
    ((w) => (w === undefined ? undefined : h('p', { class: 'chg-workloads' }, w)))(workloadsChanged(result)),
    legend(result.base),
    policies(result, links),
    g.tree !== undefined ? h('div', { class: 'graph-scroll' }, g.tree) : undefined,
    g.offGraph > 0
      ? h(
          'p',
          { class: 'note' },
          `${g.offGraph} of the changed connections have an end not in the graph (a workload that is gone, an external range or another namespace): see the table.`,
        )
      : undefined,
    h('h3', {}, 'Matrix'),
    h('div', { class: 'chg-matrix-wrap' }, matrix(result, width)),
    h('h3', {}, 'Connections'),
    table(result),
  );
}
