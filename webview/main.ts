/**
 * The reachability panel's browser code: validates host messages, renders the graph, matrix,
 * Service and Ingress views with text nodes only, keeps its view and filters with `setState`
 * (restored after a reload), and sends link clicks, explanation probes and exports back as typed
 * messages. No network, no inline handlers.
 */

import type { DiffResult } from '../protocol/changes.js';
import type { ExplainProbe, WireLocation } from '../protocol/lsp.js';
import type {
  ExportFormat,
  PanelEdge,
  PanelFilters,
  PanelLayout,
  PanelModel,
  PanelNode,
  PanelPersistedState,
  PanelView,
} from '../protocol/panel.js';
import type { WebviewMessage } from '../protocol/webviewMessages.js';
import { isRecord } from '../protocol/narrow.js';
import { applyDelta, isDelta } from '../protocol/packedDelta.js';
import { changesSummary, renderChanges } from './changes.js';
import { exportView } from './export.js';
import { NO_FILTERS, applyFilters, parseProbe, probesForPair, summaryText, type DeniedPair, type Filtered } from './filters.js';
import { labelOwner, litLeg, renderGraph, tooltip, type DeniedEdge, type GraphEdge, type GraphRender } from './graph.js';
import { renderExposure, type ExposureState } from './exposure.js';
import { renderWidth, zoomToFit, type Aggregate, type Bundle } from './graphModel.js';
import { layOutInWorker } from './layoutWorker.js';
import { MatrixView, buildCells, type Cell } from './matrix.js';
import { parseHostMessage, parsePersisted } from './messages.js';
import { renderOverview, renderStatus } from './render.js';
import { Links, renderExplanation, renderIngress, renderNodeDetails, type Explanation } from './views.js';
import { renderRoutes } from './routesView.js';
import { notesView } from './notes.js';
import { h, mount, patchChildren, type VElement, type VNode } from './vnode.js';
import './panel.css';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: PanelPersistedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SIDE_OFFSET = 1_000_000;
/** Links in the notes (the files they name) are numbered from here. */
const NOTE_OFFSET = 2_000_000;
/** A file's first line, where a note's link opens it. */
const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const VIEW_NAMES: Record<PanelView, string> = {
  graph: 'Graph',
  matrix: 'Matrix',
  services: 'Services',
  ingress: 'Ingress',
  routes: 'Routes',
  changes: 'Changes',
};

const saved = parsePersisted(vscode.getState());
let view: PanelView | undefined = saved?.view;
let filters: PanelFilters = saved?.filters ?? NO_FILTERS;
let model: PanelModel | undefined;
let filtered: Filtered | undefined;
let drawn: readonly GraphEdge[] = [];
let contentLinks: readonly WireLocation[] = [];
let sideLinks: readonly WireLocation[] = [];
let selectedNode: string | undefined;
let selectedEdge: string | undefined;
let explanation: (Explanation & { requestId: number }) | undefined;
let nextRequest = 1;
let matrix: MatrixView | undefined;
/** The graph's zoom (1 = 100 %) and the namespace pairs whose aggregated edge was expanded. */
let zoom = 1;
/** Until the user zooms, a graph larger than the view opens zoomed out to fit it (down to MIN_FIT). */
let userZoomed = false;
/** The last render lowered the zoom the user chose: at it, the graph would be wider than the view. */
let zoomCapped = false;
/** The last graph drawn: the host's layout, the layout fitted to `width` (renderWidth at its zoom), the view's width then and the zoom. */
let drawnFit: { host: PanelLayout; fitted: PanelLayout; width: number; graphWidth: number; zoom: number } | undefined;
/** Below this the graph's 12 px text is too small to read: a graph this big opens scrolled instead. */
const MIN_FIT = 0.75;
const expanded = new Set<string>();
let aggregatesDrawn: readonly Aggregate[] = [];
let bundlesDrawn: readonly Bundle[] = [];
let graphWidth = 0;
let toolbarKey = '';
/** Whether the person opened the notes' disclosure (kept when the toolbar is drawn again). */
let notesOpen = false;
/** The same for the Changes view's notes (both sides'). */
let changesNotesOpen = false;
/** The files the notes' links open. */
let noteLinks: readonly WireLocation[] = [];
/** The last `kubeReach/diff` answer (the Changes view). */
let changes: DiffResult | undefined;

/** Asks the host for the connections changed since git HEAD (after every model while the Changes view is shown). */
function askChanges(): void {
  vscode.postMessage({ kind: 'changes' });
}
/** The Exposure toggle (docs/dev/exposure.md): on, the content shows the exposure lists. */
let exposureOn = false;
let exposure: ExposureState = { state: 'off' };

function el<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

function persist(): void {
  vscode.setState({ view: view ?? 'graph', filters, scope: model?.scope ?? saved?.scope ?? {} });
}

function shell(): void {
  const root = el('root');
  if (root === null || el('content') !== null) return;
  root.replaceChildren(
    mount(
      document,
      h(
        'div',
        { class: 'app' },
        h('header', { id: 'toolbar', class: 'toolbar' }),
        h(
          'div',
          { class: 'body' },
          h('section', { id: 'content', class: 'content', 'aria-label': 'Reachability view' }),
          // Hidden until something is selected: until then the graph has the whole width.
          h('aside', { id: 'side', class: 'side', 'aria-live': 'polite', 'aria-label': 'Details and explanation', hidden: '' }),
        ),
        h('p', { id: 'announce', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' }),
      ),
    ),
  );
}

function option(value: string, text: string, selected: boolean): VElement {
  return h('option', { value, ...(selected ? { selected: '' } : {}) }, text);
}

function renderToolbar(m: PanelModel): void {
  const namespaces = [...new Set(m.nodes.filter((n) => n.namespace !== '').map((n) => n.namespace))].sort();
  const key = JSON.stringify([namespaces, m.policies.map((p) => p.key), m.units, m.scope, m.notes, m.noteFiles]);
  const bar = el('toolbar');
  if (bar === null) return;
  if (key === toolbarKey && bar.childNodes.length > 0) {
    updateTabs();
    return;
  }
  toolbarKey = key;
  const current = view ?? m.initialView;
  const notes = new Links(NOTE_OFFSET);
  const tree = h(
    'div',
    { class: 'toolbar-inner' },
    h(
      'div',
      { class: 'tabs', role: 'tablist', 'aria-label': 'Views' },
      (Object.keys(VIEW_NAMES) as PanelView[]).map((v) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `tab-${v}`,
            'data-view': v,
            'aria-selected': String(v === current),
            'aria-controls': 'content',
            tabindex: v === current ? '0' : '-1',
          },
          VIEW_NAMES[v],
        ),
      ),
    ),
    h(
      'form',
      { class: 'filters', id: 'filters', 'aria-label': 'Filters' },
      h('label', { for: 'f-namespace' }, 'Namespace '),
      h(
        'select',
        { id: 'f-namespace' },
        option('', 'all', filters.namespace === ''),
        namespaces.map((ns) => option(ns, ns, filters.namespace === ns)),
      ),
      h('label', { for: 'f-label' }, ' Label '),
      h('input', { id: 'f-label', type: 'text', placeholder: 'app=web', value: filters.label, autocomplete: 'off', spellcheck: 'false' }),
      h('label', { for: 'f-port' }, ' Port '),
      h('input', {
        id: 'f-port',
        type: 'text',
        placeholder: 'TCP/5432',
        value: filters.port,
        autocomplete: 'off',
        spellcheck: 'false',
        class: 'short',
      }),
      h(
        'label',
        { for: 'f-denied', class: 'check' },
        h('input', { id: 'f-denied', type: 'checkbox', ...(filters.onlyDenied ? { checked: '' } : {}) }),
        ' only denied',
      ),
      h('label', { for: 'f-policy' }, ' Policy '),
      h(
        'select',
        { id: 'f-policy' },
        option('', 'any', filters.policy === ''),
        m.policies.map((p) => option(p.key, p.key, filters.policy === p.key)),
      ),
      m.units.length > 0 ? h('label', { for: 'f-unit' }, ' Unit ') : undefined,
      m.units.length > 0
        ? h(
            'select',
            { id: 'f-unit' },
            option('', 'first in path order', m.scope.unit === undefined),
            m.units.map((u) => option(u, u.replace(/^.*\/(?=[^/]+\/[^/]+$)/, '…/'), m.scope.unit === u)),
          )
        : undefined,
    ),
    h(
      'form',
      { class: 'probe', id: 'probe-form', 'aria-label': 'Probe' },
      h('label', { for: 'probe' }, 'Probe '),
      h('input', { id: 'probe', type: 'text', placeholder: 'from frontend to db on 5432', autocomplete: 'off', spellcheck: 'false' }),
      h('button', { type: 'submit', id: 'probe-go' }, 'Explain'),
    ),
    h(
      'div',
      { class: 'actions' },
      h('label', { for: 'export-format' }, 'Export '),
      h(
        'select',
        { id: 'export-format' },
        option('mermaid', 'Mermaid', true),
        option('dot', 'DOT', false),
        option('csv', 'CSV', false),
        option('svg', 'SVG', false),
      ),
      h('button', { type: 'button', id: 'export' }, 'Save…'),
      h(
        'button',
        {
          type: 'button',
          id: 'exposure-toggle',
          'aria-pressed': String(exposureOn),
          title: 'What workloads allow to pods the manifests lack',
        },
        'Exposure',
      ),
      h('button', { type: 'button', id: 'refresh', title: 'Ask the server again' }, 'Refresh'),
    ),
    h(
      'p',
      { class: 'summary' },
      h('span', { id: 'summary' }),
      h('span', { class: 'hint' }, ' · select a connection, a cell or a workload to see why'),
    ),
    // What the answers leave out (the notes `reach` prints), above every view; the files they name open.
    notesView(m.notes, notesOpen, m.noteFiles, (text, uri) => notes.link(text, { uri, range: START }, `Open ${text}`)),
  );
  noteLinks = notes.locations;
  bar.replaceChildren(mount(document, tree));
}

function updateTabs(): void {
  const current = view ?? model?.initialView ?? 'graph';
  for (const b of document.querySelectorAll<HTMLElement>('[data-view]')) {
    const on = b.getAttribute('data-view') === current;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
}

function announce(text: string): void {
  const a = el('announce');
  if (a !== null) a.textContent = text;
}

function renderContent(): void {
  const m = model;
  const content = el('content');
  if (m === undefined || content === null) return;
  const current = view ?? m.initialView;
  updateTabs();
  // The Changes view says each side's notes itself (HEAD's and now's): the toolbar's, now's only, are hidden there.
  const ownNotes = current === 'changes' && !exposureOn && changes?.available === true;
  document.querySelector('#toolbar .panel-notes')?.toggleAttribute('hidden', ownNotes);
  const f = applyFilters(m, filters);
  filtered = f;
  const links = new Links(0);
  drawn = [];
  const summary = el('summary');
  if (summary !== null) summary.textContent = summaryText(m, f, filters.onlyDenied);
  let note: string | undefined;
  el('exposure-toggle')?.setAttribute('aria-pressed', String(exposureOn));
  if (exposureOn) {
    matrix = undefined;
    content.replaceChildren(mount(document, renderExposure(m, exposure, new Set(f.nodes.map((n) => n.id)), links)));
    contentLinks = links.locations;
    postRendered(current, m, f);
    return;
  }
  if (current === 'matrix') {
    if (matrix === undefined || !content.contains(content.querySelector('.matrix-scroll'))) {
      content.replaceChildren();
      matrix = new MatrixView(document, content, (src, dst, cell) => selectPair(src, dst, cell));
    }
    const rows = f.nodes;
    matrix.setData(
      rows,
      rows.filter((n) => !n.entry || n.kind === 'External'),
      buildCells(f.edges),
      filters.onlyDenied,
    );
  } else {
    matrix = undefined;
    let tree: VNode;
    if (current === 'graph') {
      if (m.layout === null) {
        tree = h(
          'p',
          { class: 'status' },
          `${m.nodes.length} nodes are too many for a readable graph: use the matrix, or pick a namespace (the layout is computed per namespace).`,
        );
      } else {
        const shown: readonly GraphEdge[] = filters.onlyDenied ? f.denied.map(deniedEdge) : f.edges;
        graphWidth = Math.max(240, content.clientWidth - 24);
        // The zoom at which the layout, fitted (folded and repacked) for this width, fits the
        // view, known before drawing (one render, not two). Whatever the zoom, the layout is
        // fitted to the width the view has at it: the graph never scrolls sideways.
        if (!userZoomed) {
          // The height left under the graph's bar (about 60 px) in the content area.
          const availH = Math.max(200, content.getBoundingClientRect().bottom - content.getBoundingClientRect().top - 76);
          zoom = zoomToFit(m.layout, f.nodes, graphWidth, availH, MIN_FIT);
        }
        const layout = m.layout;
        const draw = (): ReturnType<typeof renderGraph> =>
          renderGraph(layout, f.nodes, shown, f.highlighted, selectedNode, selectedEdge, {
            width: renderWidth(graphWidth, zoom),
            expanded,
            zoom,
          });
        let g = draw();
        // A zoom the user chose at which a box that cannot be folded (the external range's, in
        // the side column) is wider than the view: the largest zoom at which it fits instead.
        zoomCapped = false;
        const tooWide = (r: ReturnType<typeof renderGraph>): boolean => Math.ceil(r.layout.width + 20) * zoom > graphWidth - 2;
        if (userZoomed && tooWide(g)) {
          const wanted = zoom;
          // Zooming in: not below the zoom drawn before (it fitted), when it is below the one asked for.
          const before = drawnFit?.zoom;
          const lowest = before !== undefined && before < wanted && drawnFit?.graphWidth === graphWidth ? before : 0.25;
          zoom = zoomToFit(layout, f.nodes, graphWidth, Infinity, lowest, zoom, g.refit);
          g = draw();
          if (tooWide(g) && lowest > 0.25) {
            zoom = zoomToFit(layout, f.nodes, graphWidth, Infinity, 0.25, zoom, g.refit);
            g = draw();
          }
          zoomCapped = zoom < wanted;
        }
        drawnFit = { host: layout, fitted: g.layout, width: renderWidth(graphWidth, zoom), graphWidth, zoom };
        drawn = g.drawn;
        graphTips = g;
        aggregatesDrawn = g.aggregates;
        bundlesDrawn = g.bundles;
        note = g.note;
        tree = h(
          'div',
          { class: 'graph-wrap' },
          note !== undefined ? h('p', { class: 'note' }, note) : undefined,
          h('div', { class: 'graph-bar' }, legend(g.byBadges), zoomBar()),
          h('div', { class: 'graph-scroll', id: 'graph-scroll' }, g.tree),
        );
      }
    } else if (current === 'changes') {
      tree = renderChanges(m, changes, links, Math.max(240, content.clientWidth - 24), changesNotesOpen);
    } else if (current === 'services') {
      const r = renderOverview(m.overview);
      tree = r.tree;
      contentLinks = r.locations;
      content.replaceChildren(mount(document, tree));
      postRendered(current, m, f);
      return;
    } else if (current === 'routes') {
      tree = renderRoutes(m, links);
    } else {
      tree = renderIngress(m, links);
    }
    // The graph drawn again changes only what differs from the one drawn (an edit changes a few of its elements).
    if (current === 'graph') {
      patchChildren(document, content, [tree]);
      // The workload that kept focus through the update keeps its connections lit too.
      const active = document.activeElement;
      if (active instanceof Element && active.matches('svg.graph g.node[data-node]')) light(active.getAttribute('data-node') ?? undefined);
    } else content.replaceChildren(mount(document, tree));
  }
  contentLinks = links.locations;
  postRendered(current, m, f);
}

function deniedEdge(d: DeniedPair): DeniedEdge {
  return { from: d.from, to: d.to, ports: 'all', label: d.allowed === undefined ? 'denied' : `only ${d.allowed}`, verdict: 'denied' };
}

function zoomBar(): VElement {
  return h(
    'div',
    { class: 'zoom', role: 'group', 'aria-label': 'Zoom' },
    h('button', { type: 'button', id: 'zoom-out', title: 'Zoom out (Ctrl+wheel)', 'aria-label': 'Zoom out' }, '−'),
    h('button', { type: 'button', id: 'zoom-reset', title: 'Actual size', 'aria-label': 'Zoom to 100 %' }, `${Math.round(zoom * 100)} %`),
    h('button', { type: 'button', id: 'zoom-in', title: 'Zoom in (Ctrl+wheel)', 'aria-label': 'Zoom in' }, '+'),
    h('button', { type: 'button', id: 'zoom-fit', title: 'Fit the graph to the view' }, 'Fit'),
  );
}

function setZoom(z: number): void {
  userZoomed = true;
  zoom = Math.min(2, Math.max(0.25, Math.round(z * 100) / 100));
  if (!rescaled()) renderContent();
  announce(`Zoom ${Math.round(zoom * 100)} %${zoomCapped ? ', the largest at which the graph fits the panel’s width' : ''}`);
}

/**
 * A new zoom at which the drawn graph's fitted layout stays the same (the host's layout fits the
 * width at both zooms, or the width it is fitted to is the same): only the drawing's size changes,
 * not a line of it (Fit and the zoom buttons on a wide panel, no full redraw). False when it must
 * be drawn again.
 */
function rescaled(): boolean {
  const m = model;
  const content = el('content');
  const svg = document.querySelector<SVGSVGElement>('svg.graph');
  if (m === undefined || m.layout === null || content === null || svg === null || drawnFit === undefined || exposureOn) return false;
  if ((view ?? m.initialView) !== 'graph' || drawnFit.host !== m.layout) return false;
  if (Math.max(240, content.clientWidth - 24) !== drawnFit.graphWidth) return false;
  const width = renderWidth(drawnFit.graphWidth, zoom);
  const same = width === drawnFit.width || (drawnFit.fitted === drawnFit.host && drawnFit.host.width <= width);
  if (!same) return false;
  const box = svg.viewBox.baseVal;
  svg.setAttribute('width', String(Math.ceil(box.width * zoom)));
  svg.setAttribute('height', String(Math.ceil(box.height * zoom)));
  svg.setAttribute('data-zoom', String(zoom));
  drawnFit = { ...drawnFit, zoom };
  const reset = el('zoom-reset');
  if (reset !== null) reset.textContent = `${Math.round(zoom * 100)} %`;
  zoomCapped = false;
  return true;
}

/** The zoom at which the whole graph (fitted to the panel's width at that zoom) fits the visible area. */
function fitZoom(): number {
  const scroll = el('graph-scroll');
  const m = model;
  if (scroll === null || m === undefined || m.layout === null) return 1;
  const availH = Math.max(200, window.innerHeight - scroll.getBoundingClientRect().top - 16);
  return zoomToFit(m.layout, filtered?.nodes ?? m.nodes, graphWidth, availH, 0.25);
}

/** The graph drawn last, for the tooltips made on hover (`tooltip`). */
let graphTips: Pick<GraphRender, 'nodeTip'> | undefined;

/** Hovering or focusing a node lights its connections and fades the rest. */
function light(id: string | undefined): void {
  const svg = document.querySelector('svg.graph');
  if (svg === null) return;
  for (const x of svg.querySelectorAll('.lit')) x.classList.remove('lit');
  for (const x of svg.querySelectorAll('path[data-leg]')) x.remove();
  if (id === undefined) {
    svg.classList.remove('focusing');
    return;
  }
  const node = svg.querySelector<SVGGElement>(`g.node[data-node="${CSS.escape(id)}"]`);
  if (node === null) return;
  svg.classList.add('focusing');
  node.classList.add('lit');
  const group = node.getAttribute('data-group') ?? '';
  const litNode = (other: string): void => svg.querySelector(`g.node[data-node="${CSS.escape(other)}"]`)?.classList.add('lit');
  for (const b of svg.querySelectorAll('g.edge.bundle')) {
    // A client group: a client lights its own leg and the destinations; a destination its own leg and the clients.
    const sources = (b.getAttribute('data-sources') ?? '').split('\n');
    const targets = (b.getAttribute('data-targets') ?? '').split('\n');
    const asSource = sources.includes(id);
    if (!asSource && !targets.includes(id)) continue;
    b.classList.add('lit');
    // Its legs, drawn apart under every junction (`renderGraph`).
    const legs = svg.querySelector(`g.bundle-legs[data-legs-of="${CSS.escape(b.getAttribute('data-bundle') ?? '')}"]`);
    if (legs === null) continue;
    legs.classList.add('lit');
    // Its side's legs fade but its own leg, drawn over them; the other side's legs are all lit.
    const own = asSource ? 'in' : 'out';
    const paths: { in?: { d: string; ends: string | null }; out?: { d: string; ends: string | null } } = {};
    for (const p of legs.querySelectorAll('path.legs')) {
      const side = p.getAttribute('data-side');
      if (side !== own) p.classList.add('lit');
      else if (!p.classList.contains('heads') && (side === 'in' || side === 'out'))
        paths[side] = { d: p.getAttribute('d') ?? '', ends: p.getAttribute('data-ends') };
    }
    const verdict = ['allowed', 'undefined', 'denied'].find((v) => b.classList.contains(v)) ?? 'allowed';
    const leg = litLeg({ sources, targets, verdict }, paths, id);
    if (leg !== undefined) legs.appendChild(mount(document, leg, true));
    for (const other of asSource ? targets : sources) litNode(other);
  }
  for (const e of svg.querySelectorAll('g.edge:not(.bundle):not(.bundle-legs)')) {
    const from = e.getAttribute('data-from');
    const to = e.getAttribute('data-to');
    const touches = from === id || to === id || e.getAttribute('data-from-group') === group || e.getAttribute('data-to-group') === group;
    if (!touches) continue;
    e.classList.add('lit');
    // Its placed label, drawn apart after every line.
    const i = e.getAttribute('data-edge');
    const a = e.getAttribute('data-agg');
    const of = i !== null ? `e${i}` : a !== null ? `a${a}` : undefined;
    if (of !== undefined) svg.querySelector(`text[data-label-of="${of}"]`)?.classList.add('lit');
    const other = from === id ? to : to === id ? from : null;
    if (other !== null) litNode(other);
  }
}

function legend(byBadges = 0): VElement {
  return h(
    'p',
    { class: 'legend', 'aria-label': 'Legend' },
    h(
      'span',
      { class: 'lg badge-key', title: `${byBadges} connections on every port between open workloads are shown by these badges` },
      'in: any · out: any — no policy isolates it (its connections on every port are not drawn)',
    ),
    h('span', { class: 'lg allowed' }, '— allowed'),
    h('span', { class: 'lg undefined' }, '- - undefined'),
    filters.onlyDenied ? h('span', { class: 'lg denied' }, '··· denied') : undefined,
    h('span', { class: 'lg entry' }, '▭ entry point'),
    h('span', { class: 'lg cut-off' }, '▭ isolated, nothing reaches it'),
  );
}

function postRendered(current: PanelView, m: PanelModel, f: Filtered): void {
  const namespaces = new Set(m.nodes.filter((n) => n.namespace !== '').map((n) => n.namespace)).size;
  const services = m.overview.namespaces.reduce((s, ns) => s + ns.services.length, 0);
  vscode.postMessage({
    kind: 'rendered',
    view: current,
    revision: m.revision,
    namespaces,
    workloads: m.nodes.filter((n) => !n.entry).length,
    services,
    nodes: f.nodes.length,
    // The Changes view reports the changed connections it shows.
    edges: current === 'graph' ? drawn.length : current === 'changes' ? (changes?.changes.length ?? 0) : f.edges.length,
    edgeKeys:
      current === 'changes'
        ? (changes?.changes ?? []).slice(0, 500).map((c) => `${c.source} -> ${c.destination}`)
        : drawn.slice(0, 500).map((e) => `${e.from} -> ${e.to}`),
    summary: el('summary')?.textContent ?? '',
    badges: current === 'graph' ? document.querySelectorAll('svg.graph text.badge').length : 0,
    aggregates: current === 'graph' ? aggregatesDrawn.length : 0,
    bundles: current === 'graph' ? bundlesDrawn.length : 0,
  });
}

function renderSide(tree: VNode, rerender = true): void {
  const side = el('side');
  if (side === null) return;
  const opening = side.hidden;
  side.hidden = false;
  side.replaceChildren(
    mount(
      document,
      h('button', { type: 'button', id: 'side-close', class: 'side-close', title: 'Close', 'aria-label': 'Close the details' }, '×'),
    ),
    mount(document, tree),
  );
  // The graph refits to the narrower content (the node or edge selected stays selected).
  if (opening && rerender && (view ?? model?.initialView) === 'graph') renderContent();
}

function closeSide(): void {
  const side = el('side');
  if (side === null || side.hidden) return;
  side.hidden = true;
  side.replaceChildren();
  if ((view ?? model?.initialView) === 'graph') renderContent();
}

function explain(from: string, to: string, edges: readonly PanelEdge[], probes: readonly ExplainProbe[]): void {
  const m = model;
  if (m === undefined) return;
  const requestId = nextRequest++;
  explanation = { requestId, from, to, edges, probes, results: undefined };
  showExplanation();
  vscode.postMessage({ kind: 'explain', requestId, probes });
}

function showExplanation(): void {
  const m = model;
  if (m === undefined || explanation === undefined) return;
  const links = new Links(SIDE_OFFSET);
  renderSide(renderExplanation(m, explanation, links));
  sideLinks = links.locations;
}

function selectPair(src: PanelNode, dst: PanelNode, cell: Cell): void {
  const m = model;
  if (m === undefined) return;
  if (src.id === dst.id) {
    renderSide(h('p', {}, 'A pod always reaches itself.'));
    return;
  }
  explain(src.id, dst.id, cell.edges, probesForPair(m, src.id, dst.id, cell.edges));
}

function selectEdge(i: number): void {
  const e = drawn[i];
  const m = model;
  if (e === undefined || m === undefined) return;
  selectedEdge = `${e.from} -> ${e.to}|${e.verdict}`;
  const pair = (filtered?.edges ?? m.edges).filter((x) => x.from === e.from && x.to === e.to);
  for (const g of document.querySelectorAll('g.edge.selected')) g.classList.remove('selected');
  document.querySelector(`g.edge[data-edge="${i}"]`)?.classList.add('selected');
  explain(e.from, e.to, pair, probesForPair(m, e.from, e.to, pair));
}

function selectNode(id: string): void {
  const m = model;
  const n = m?.nodes.find((x) => x.id === id);
  if (m === undefined || n === undefined) return;
  selectedNode = selectedNode === id ? undefined : id;
  const links = new Links(SIDE_OFFSET);
  renderSide(renderNodeDetails(m, n, links), false);
  sideLinks = links.locations;
  renderContent();
  document.querySelector<SVGGElement>(`g.node[data-node="${CSS.escape(id)}"]`)?.focus();
}

function requestExposure(): void {
  const requestId = nextRequest++;
  exposure = { state: 'loading', requestId };
  vscode.postMessage({ kind: 'exposure', requestId });
}

function toggleExposure(): void {
  exposureOn = !exposureOn;
  if (exposureOn) requestExposure();
  renderContent();
  announce(exposureOn ? 'Exposure shown' : 'Exposure hidden');
}

function setFilters(next: Partial<PanelFilters>): void {
  filters = { ...filters, ...next };
  persist();
  renderContent();
}

function setView(v: PanelView): void {
  view = v;
  if (v === 'changes') askChanges();
  persist();
  renderContent();
  announce(`${VIEW_NAMES[v]} view`);
}

function exportCurrent(format: ExportFormat): void {
  const m = model;
  const f = filtered;
  if (m === undefined || f === undefined) return;
  const current = view ?? m.initialView;
  // Exports are connection lists (as `kube-reach reach` writes them): denied pairs are not connections.
  const connections = drawn.filter((e): e is PanelEdge => e.verdict !== 'denied');
  const edges = current === 'graph' && connections.length > 0 ? connections : f.edges;
  vscode.postMessage({ kind: 'export', format, content: exportView(format, f.nodes, edges, m.layout) });
}

/** The packed model last read (protocol/packedModel.ts): the base the host's next delta changes. */
let lastPacked: unknown;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  performance.mark('kube-reach:message');
  let data = event.data;
  const isModel = isRecord(data) && data['kind'] === 'model';
  if (isRecord(data) && isModel) {
    // A model posted as its change from the last one (protocol/packedDelta.ts): rebuilt, then read as any model.
    let packed = data['model'];
    if (isDelta(packed)) {
      packed = applyDelta(lastPacked, packed);
      if (packed === undefined) {
        lastPacked = undefined;
        vscode.postMessage({ kind: 'refresh' });
        return;
      }
      data = { kind: 'model', model: packed };
    }
    lastPacked = packed;
  }
  const msg = parseHostMessage(data);
  if (msg === undefined) {
    if (isModel) lastPacked = undefined;
    return;
  }
  switch (msg.kind) {
    case 'status':
      if (model === undefined) {
        const root = el('root');
        root?.replaceChildren(mount(document, renderStatus(msg.state, msg.message)));
      } else announce(msg.message);
      return;
    case 'model': {
      if (model !== undefined && msg.model.revision < model.revision) return;
      // A null overview is the one of the last model; without one, ask for everything again.
      const overview = msg.model.overview ?? model?.overview;
      if (overview === undefined) {
        vscode.postMessage({ kind: 'refresh' });
        return;
      }
      performance.measure('kube-reach:validate', 'kube-reach:message');
      performance.mark('kube-reach:model');
      shell();
      model = { ...msg.model, overview };
      if (filters.namespace !== '' && !model.nodes.some((n) => n.namespace === filters.namespace)) filters = { ...filters, namespace: '' };
      renderToolbar(model);
      if (exposureOn) requestExposure();
      renderContent();
      persist();
      if ((view ?? model.initialView) === 'changes') askChanges();
      // Validation and rendering time of this model (the panel benchmark reads it).
      performance.measure('kube-reach:render', 'kube-reach:model');
      return;
    }
    case 'explanation':
      if (explanation === undefined || explanation.requestId !== msg.requestId) return;
      explanation = { ...explanation, probes: msg.probes, results: msg.results };
      showExplanation();
      announce(`Explanation ready for ${explanation.from} to ${explanation.to}`);
      return;
    case 'changes':
      changes = msg.result;
      if ((view ?? model?.initialView) === 'changes') {
        renderContent();
        announce(changesSummary(msg.result));
      }
      return;
    case 'exposure':
      if (exposure.state !== 'loading' || exposure.requestId !== msg.requestId) return;
      exposure =
        msg.exposure === null
          ? { state: 'error', requestId: msg.requestId, message: msg.error ?? 'The server could not compute exposure.' }
          : { state: 'ready', requestId: msg.requestId, exposure: msg.exposure };
      renderContent();
      announce('Exposure ready');
      return;
    case 'exported':
      announce(msg.path === null ? 'Export cancelled' : `Saved ${msg.format.toUpperCase()} to ${msg.path}`);
      return;
    case 'focus':
      filters = {
        ...filters,
        ...(msg.namespace !== undefined ? { namespace: msg.namespace } : {}),
        ...(msg.policy !== undefined ? { policy: msg.policy } : {}),
      };
      if (msg.view !== undefined) {
        view = msg.view;
        if (msg.view === 'changes') askChanges();
      }
      toolbarKey = '';
      if (model !== undefined) {
        renderToolbar(model);
        renderContent();
      }
      persist();
      return;
    case 'layout': {
      // elkjs in the webview's worker, off the extension host's thread; the host lays out itself on an error.
      const requestId = msg.requestId;
      layOutInWorker(msg.graph).then(
        (graph) => vscode.postMessage({ kind: 'laid', requestId, graph }),
        (e: unknown) => vscode.postMessage({ kind: 'laid', requestId, error: e instanceof Error ? e.message : String(e) }),
      );
      return;
    }
  }
});

function activate(clicked: Element): boolean {
  // A placed label is drawn apart from its connection or aggregate: clicking it is clicking that.
  const target = labelOwner(clicked) ?? clicked;
  const link = target.closest('a[data-loc]');
  if (link !== null) {
    const i = Number(link.getAttribute('data-loc'));
    const loc = i >= NOTE_OFFSET ? noteLinks[i - NOTE_OFFSET] : i >= SIDE_OFFSET ? sideLinks[i - SIDE_OFFSET] : contentLinks[i];
    if (loc !== undefined) vscode.postMessage({ kind: 'open', location: loc });
    return true;
  }
  const tab = target.closest('[data-view]');
  if (tab !== null) {
    const v = tab.getAttribute('data-view');
    if (v === 'graph' || v === 'matrix' || v === 'services' || v === 'ingress' || v === 'routes' || v === 'changes') setView(v);
    return true;
  }
  const agg = target.closest('g.edge[data-agg]');
  if (agg !== null) {
    const a = aggregatesDrawn[Number(agg.getAttribute('data-agg'))];
    if (a !== undefined) {
      expanded.add(`${a.fromGroup}\u0000${a.toGroup}`);
      renderContent();
      announce(`${a.edges.length} connections from ${a.fromGroup} to ${a.toGroup} drawn one by one`);
    }
    return true;
  }
  // A client group: its junction, or its legs (drawn apart, under every junction).
  const bundle = target.closest('g.edge[data-bundle], g.bundle-legs[data-legs-of]');
  if (bundle !== null) {
    const b = bundlesDrawn[Number(bundle.getAttribute('data-bundle') ?? bundle.getAttribute('data-legs-of'))];
    if (b !== undefined) {
      expanded.add(b.key);
      renderContent();
      announce(`${b.edges.length} connections of a client group drawn one by one`);
    }
    return true;
  }
  const zoomButton = target.closest('#zoom-in, #zoom-out, #zoom-reset, #zoom-fit');
  if (zoomButton !== null) {
    const id = zoomButton.id;
    setZoom(id === 'zoom-in' ? zoom * 1.25 : id === 'zoom-out' ? zoom / 1.25 : id === 'zoom-fit' ? fitZoom() : 1);
    el(id)?.focus();
    return true;
  }
  const edge = target.closest('g.edge[data-edge]');
  if (edge !== null) {
    selectEdge(Number(edge.getAttribute('data-edge')));
    return true;
  }
  const node = target.closest('g.node[data-node]');
  if (node !== null) {
    selectNode(node.getAttribute('data-node') ?? '');
    return true;
  }
  if (target.closest('#side-close') !== null) {
    closeSide();
    return true;
  }
  if (target.closest('#exposure-toggle') !== null) {
    toggleExposure();
    return true;
  }
  if (target.closest('#refresh') !== null) {
    vscode.postMessage({ kind: 'refresh' });
    return true;
  }
  if (target.closest('#export') !== null) {
    const v = el<HTMLSelectElement>('export-format')?.value;
    if (v === 'mermaid' || v === 'dot' || v === 'csv' || v === 'svg') exportCurrent(v);
    return true;
  }
  return false;
}

document.addEventListener('click', (event) => {
  const t = event.target instanceof Element ? event.target : null;
  if (t !== null && activate(t)) event.preventDefault();
});

document.addEventListener('keydown', (event) => {
  const t = event.target instanceof Element ? event.target : null;
  if (t === null) return;
  if ((event.key === 'Enter' || event.key === ' ') && t.closest('g.edge, g.node') !== null) {
    event.preventDefault();
    activate(t);
    return;
  }
  if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && t.closest('[role="tab"]') !== null) {
    const tabs = [...document.querySelectorAll<HTMLElement>('[role="tab"]')];
    const i = tabs.indexOf(t as HTMLElement);
    const next = tabs[(i + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
    if (next !== undefined) {
      event.preventDefault();
      next.focus();
      activate(next);
      next.focus();
    }
  }
});

// `toggle` does not bubble: caught on its way down.
document.addEventListener(
  'toggle',
  (event) => {
    if (event.target instanceof HTMLDetailsElement && event.target.id === 'panel-notes') notesOpen = event.target.open;
    if (event.target instanceof HTMLDetailsElement && event.target.id === 'changes-notes') changesNotesOpen = event.target.open;
  },
  true,
);

document.addEventListener('input', (event) => {
  const t = event.target;
  if (!(t instanceof HTMLInputElement)) return;
  if (t.id === 'f-label') setFilters({ label: t.value });
  else if (t.id === 'f-port') setFilters({ port: t.value });
});

document.addEventListener('change', (event) => {
  const t = event.target;
  if (t instanceof HTMLInputElement && t.id === 'f-denied') setFilters({ onlyDenied: t.checked });
  if (!(t instanceof HTMLSelectElement)) return;
  if (t.id === 'f-namespace') setFilters({ namespace: t.value });
  else if (t.id === 'f-policy') setFilters({ policy: t.value });
  else if (t.id === 'f-unit') {
    vscode.postMessage({ kind: 'scope', scope: t.value === '' ? {} : { unit: t.value } });
  }
});

document.addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== 'probe-form' || model === undefined) return;
  const text = el<HTMLInputElement>('probe')?.value ?? '';
  const r = parseProbe(model, text);
  if (!r.ok) {
    renderSide(h('p', { class: 'status error', role: 'alert' }, r.error));
    return;
  }
  const pair = model.edges.filter((e) => e.from === r.probe.from && e.to === r.probe.to);
  explain(r.probe.from, r.probe.to, pair, [r.probe]);
});

for (const [type, on] of [
  ['pointerover', true],
  ['focusin', true],
  ['pointerout', false],
  ['focusout', false],
] as const)
  document.addEventListener(type, (event) => {
    // Its tooltip, made when it is first hovered (the graph draws none).
    const tipped =
      on && event.target instanceof Element
        ? event.target.closest('svg.graph g.node[data-node], svg.graph g.edge, svg.graph text[data-label-of]')
        : null;
    const tip = tipped === null ? undefined : tooltip(tipped, graphTips);
    if (tipped !== null && tip !== undefined) tipped.prepend(mount(document, tip, true));
    const node = event.target instanceof Element ? event.target.closest('g.node[data-node]') : null;
    if (node === null) return;
    light(on ? (node.getAttribute('data-node') ?? undefined) : undefined);
  });

document.addEventListener(
  'wheel',
  (event) => {
    if (!(event.ctrlKey || event.metaKey) || !(event.target instanceof Element) || event.target.closest('#graph-scroll') === null) return;
    event.preventDefault();
    setZoom(zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
  },
  { passive: false },
);

// A panel made narrower or wider fits the graph (and the Changes view's) to it again, and the
// matrix to its columns (compact layout).
let resizeFrame = 0;
let lastWidth = 0;
new ResizeObserver(() => {
  const content = el('content');
  if (content === null || model === undefined) return;
  const current = view ?? model.initialView;
  if (current === 'matrix' && !exposureOn) {
    matrix?.render();
    return;
  }
  if (current !== 'graph' && current !== 'changes') return;
  const w = Math.max(240, content.clientWidth - 24);
  if (Math.abs(w - (current === 'graph' ? graphWidth : lastWidth)) < 8) return;
  lastWidth = w;
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => renderContent());
}).observe(document.body);

vscode.postMessage({ kind: 'ready' });
