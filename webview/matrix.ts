/**
 * The matrix view: sources × destinations, each cell the allowed ports, coloured by allowed,
 * undefined or denied. Virtualised in both directions: only the rows and columns in view are in
 * the DOM (never more than MAX_CELLS cells), so 5,000 workloads scroll smoothly. An ARIA grid:
 * one focusable cell (roving tabindex), arrow keys, Home/End, PageUp/PageDown, Enter explains.
 * In a narrow panel (under PAGED_BELOW px) the matrix never scrolls sideways: it shows the
 * destination columns that fit beside narrower row headers, and a bar pages through the others
 * (the arrow keys move the columns shown along with the focused cell).
 */

import type { PanelEdge, PanelNode } from '../protocol/panel.js';

export const CELL_W = 104;
export const CELL_H = 26;
export const HEADER_W = 240;
export const HEADER_H = 30;
export const MAX_CELLS = 450;
/** Narrower than this (the scroller's width), the columns are paged instead of scrolled. */
export const PAGED_BELOW = 720;
const MIN_CELL_W = 72;

/** The geometry of a matrix `width` px wide: row header and cell widths, and whether its columns are paged. */
function matrixGeometry(width: number): { headerW: number; cellW: number; paged: boolean; perPage: number } {
  if (width >= PAGED_BELOW) return { headerW: HEADER_W, cellW: CELL_W, paged: false, perPage: 0 };
  const headerW = Math.min(HEADER_W, Math.max(96, Math.floor(width * 0.4)));
  const room = Math.max(MIN_CELL_W, width - headerW);
  // At least two columns when they fit at the minimum width.
  const cellW = Math.floor(room / CELL_W) >= 2 ? CELL_W : Math.max(MIN_CELL_W, Math.min(CELL_W, Math.floor(room / 2)));
  return { headerW, cellW, paged: true, perPage: Math.max(1, Math.floor(room / cellW)) };
}

export interface Cell {
  readonly state: 'allowed' | 'undefined' | 'denied';
  readonly text: string;
  readonly edges: readonly PanelEdge[];
}

export function cellKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export function buildCells(edges: readonly PanelEdge[]): Map<string, PanelEdge[]> {
  const out = new Map<string, PanelEdge[]>();
  for (const e of edges) {
    const k = cellKey(e.from, e.to);
    const list = out.get(k);
    if (list === undefined) out.set(k, [e]);
    else list.push(e);
  }
  return out;
}

export function cellOf(cells: ReadonlyMap<string, readonly PanelEdge[]>, from: string, to: string): Cell {
  if (from === to) return { state: 'allowed', text: 'self', edges: [] };
  const edges = cells.get(cellKey(from, to)) ?? [];
  if (edges.length === 0) return { state: 'denied', text: '—', edges };
  const allowed = edges.filter((e) => e.verdict === 'allowed');
  const undef = edges.some((e) => e.verdict === 'undefined');
  const text = allowed.length > 0 ? allowed.map((e) => e.label).join('; ') : '?';
  return { state: undef ? 'undefined' : 'allowed', text: undef && allowed.length > 0 ? `${text} +?` : text, edges };
}

function shortName(n: PanelNode): string {
  return n.namespace === '' ? n.name : `${n.namespace}/${n.name}`;
}

export class MatrixView {
  private rows: readonly PanelNode[] = [];
  private cols: readonly PanelNode[] = [];
  private cells: ReadonlyMap<string, readonly PanelEdge[]> = new Map();
  private dimAllowed = false;
  private active = { r: 0, c: 0 };
  private readonly scroller: HTMLDivElement;
  private readonly canvas: HTMLDivElement;
  private readonly pager: HTMLDivElement;
  private frame = 0;
  private geometry = matrixGeometry(PAGED_BELOW);
  /** The first column shown while paged. */
  private colStart = 0;

  constructor(
    private readonly doc: Document,
    container: HTMLElement,
    private readonly onSelect: (from: PanelNode, to: PanelNode, cell: Cell) => void,
  ) {
    this.scroller = doc.createElement('div');
    this.scroller.className = 'matrix-scroll';
    this.scroller.setAttribute('role', 'grid');
    this.scroller.setAttribute('aria-label', 'Reachability matrix: sources in rows, destinations in columns');
    this.canvas = doc.createElement('div');
    this.canvas.className = 'matrix-canvas';
    this.scroller.appendChild(this.canvas);
    this.pager = doc.createElement('div');
    this.pager.className = 'matrix-pager';
    this.pager.setAttribute('role', 'group');
    this.pager.setAttribute('aria-label', 'Destination columns');
    this.pager.hidden = true;
    this.pager.addEventListener('click', (e) => {
      const b = e.target instanceof Element ? e.target.closest('button[data-page]') : null;
      if (b === null) return;
      const step = this.geometry.perPage * (b.getAttribute('data-page') === 'next' ? 1 : -1);
      this.colStart = this.clampStart(this.colStart + step);
      this.active = { r: this.active.r, c: Math.min(Math.max(this.active.c, this.colStart), this.colStart + this.geometry.perPage - 1) };
      this.render();
    });
    container.appendChild(this.pager);
    container.appendChild(this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule());
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.scroller.addEventListener('click', (e) => {
      const t = e.target instanceof Element ? e.target.closest('[data-r][data-c]') : null;
      if (t === null) return;
      this.active = { r: Number(t.getAttribute('data-r')), c: Number(t.getAttribute('data-c')) };
      this.render();
      this.focusActive();
      this.select();
    });
  }

  setData(
    rows: readonly PanelNode[],
    cols: readonly PanelNode[],
    cells: ReadonlyMap<string, readonly PanelEdge[]>,
    dimAllowed: boolean,
  ): void {
    this.rows = rows;
    this.cols = cols;
    this.cells = cells;
    this.dimAllowed = dimAllowed;
    this.active = { r: Math.min(this.active.r, Math.max(0, rows.length - 1)), c: Math.min(this.active.c, Math.max(0, cols.length - 1)) };
    this.scroller.setAttribute('aria-rowcount', String(rows.length + 1));
    this.scroller.setAttribute('aria-colcount', String(cols.length + 1));
    this.render();
  }

  private clampStart(c: number): number {
    return Math.max(0, Math.min(c, this.cols.length - this.geometry.perPage));
  }

  /** The geometry for the scroller's width now, the canvas sized to it, and the pager bar. */
  private measure(): void {
    const g = matrixGeometry(this.scroller.clientWidth || PAGED_BELOW);
    this.geometry = g;
    this.scroller.classList.toggle('paged', g.paged);
    this.pager.hidden = !g.paged;
    const shown = g.paged ? Math.min(g.perPage, this.cols.length) : this.cols.length;
    this.canvas.style.width = `${g.headerW + shown * g.cellW}px`;
    this.canvas.style.height = `${HEADER_H + this.rows.length * CELL_H}px`;
    if (!g.paged) return;
    this.colStart = this.clampStart(this.colStart);
    const last = Math.min(this.cols.length, this.colStart + g.perPage);
    const d = this.doc;
    const button = (dir: string, text: string, label: string, disabled: boolean): HTMLButtonElement => {
      const b = d.createElement('button');
      b.type = 'button';
      b.setAttribute('data-page', dir);
      b.setAttribute('aria-label', label);
      b.textContent = text;
      b.disabled = disabled;
      return b;
    };
    const text = d.createElement('span');
    text.className = 'muted';
    text.textContent = this.cols.length === 0 ? 'no destinations' : `to: ${this.colStart + 1}–${last} of ${this.cols.length}`;
    this.pager.replaceChildren(
      button('prev', '‹', 'Previous destinations', this.colStart === 0),
      text,
      button('next', '›', 'Next destinations', last >= this.cols.length),
    );
  }

  /** Scrolls so that row `r` is in view (tests and keyboard). */
  scrollToRow(r: number): void {
    this.scroller.scrollTop = Math.max(0, r * CELL_H - CELL_H * 2);
    this.render();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private windowOf(): { r0: number; r1: number; c0: number; c1: number } {
    const { headerW, cellW, paged, perPage } = this.geometry;
    const top = this.scroller.scrollTop;
    const left = this.scroller.scrollLeft;
    const height = Math.max(CELL_H, this.scroller.clientHeight - HEADER_H);
    const width = Math.max(cellW, this.scroller.clientWidth - headerW);
    let nr = Math.ceil(height / CELL_H) + 1;
    let nc = paged ? perPage : Math.ceil(width / cellW) + 1;
    // Never more than MAX_CELLS cells, whatever the viewport.
    while (nr * nc > MAX_CELLS) {
      if (nc > nr && nc > 4) nc--;
      else nr--;
    }
    const r0 = Math.min(Math.floor(top / CELL_H), Math.max(0, this.rows.length - 1));
    const c0 = paged ? this.colStart : Math.min(Math.floor(left / cellW), Math.max(0, this.cols.length - 1));
    return { r0, r1: Math.min(this.rows.length, r0 + nr), c0, c1: Math.min(this.cols.length, c0 + nc) };
  }

  render(): void {
    const d = this.doc;
    this.measure();
    const { headerW, cellW, paged } = this.geometry;
    const { r0, r1, c0, c1 } = this.windowOf();
    const top = this.scroller.scrollTop;
    const left = paged ? 0 : this.scroller.scrollLeft;
    // Paged, the columns shown start right of the row headers.
    const colX = (c: number): string => `${headerW + (paged ? c - c0 : c) * cellW}px`;
    const frag = d.createDocumentFragment();
    const head = d.createElement('div');
    head.className = 'm-row m-head';
    head.setAttribute('role', 'row');
    head.setAttribute('aria-rowindex', '1');
    head.style.top = `${top}px`;
    const corner = d.createElement('div');
    corner.className = 'm-corner';
    corner.setAttribute('role', 'columnheader');
    corner.setAttribute('aria-colindex', '1');
    corner.style.left = `${left}px`;
    corner.style.width = `${headerW}px`;
    corner.textContent = 'from ↓ / to →';
    head.appendChild(corner);
    for (let c = c0; c < c1; c++) {
      const n = this.cols[c];
      if (n === undefined) continue;
      const el = d.createElement('div');
      el.className = 'm-colhead';
      el.setAttribute('role', 'columnheader');
      el.setAttribute('aria-colindex', String(c + 2));
      el.style.left = colX(c);
      el.style.width = `${cellW}px`;
      el.title = n.id;
      el.textContent = shortName(n);
      head.appendChild(el);
    }
    for (let r = r0; r < r1; r++) {
      const src = this.rows[r];
      if (src === undefined) continue;
      const row = d.createElement('div');
      row.className = 'm-row';
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(r + 2));
      row.style.top = `${HEADER_H + r * CELL_H}px`;
      const rh = d.createElement('div');
      rh.className = 'm-rowhead';
      rh.setAttribute('role', 'rowheader');
      rh.setAttribute('aria-colindex', '1');
      rh.style.left = `${left}px`;
      rh.style.width = `${headerW}px`;
      rh.title = src.id;
      rh.textContent = shortName(src);
      row.appendChild(rh);
      for (let c = c0; c < c1; c++) {
        const dst = this.cols[c];
        if (dst === undefined) continue;
        const cell = cellOf(this.cells, src.id, dst.id);
        const el = d.createElement('div');
        el.className = `m-cell ${cell.state}${this.dimAllowed && cell.state === 'allowed' && cell.text === 'all' ? ' dim' : ''}`;
        el.setAttribute('role', 'gridcell');
        el.setAttribute('aria-colindex', String(c + 2));
        el.setAttribute('data-r', String(r));
        el.setAttribute('data-c', String(c));
        el.tabIndex = r === this.active.r && c === this.active.c ? 0 : -1;
        const verdict = cell.state === 'denied' ? 'denied' : cell.state === 'undefined' ? 'undefined' : `allowed ${cell.text}`;
        el.setAttribute('aria-label', `${src.id} to ${dst.id}: ${verdict}`);
        el.style.left = colX(c);
        el.style.width = `${cellW}px`;
        el.title = cell.text;
        el.textContent = cell.text;
        row.appendChild(el);
      }
      frag.appendChild(row);
    }
    frag.appendChild(head);
    // A focusable cell must exist even when the active one scrolled away.
    const hadFocus = this.scroller.contains(d.activeElement);
    this.canvas.replaceChildren(frag);
    if (this.canvas.querySelector('.m-cell[tabindex="0"]') === null) this.canvas.querySelector('.m-cell')?.setAttribute('tabindex', '0');
    if (hadFocus) this.focusActive(false);
  }

  private focusActive(scroll = true): void {
    const el = this.canvas.querySelector<HTMLElement>(`.m-cell[data-r="${this.active.r}"][data-c="${this.active.c}"]`);
    el?.focus({ preventScroll: !scroll });
  }

  private ensureVisible(): void {
    const { r, c } = this.active;
    const s = this.scroller;
    const { headerW, cellW, paged, perPage } = this.geometry;
    const viewH = s.clientHeight - HEADER_H;
    const viewW = s.clientWidth - headerW;
    if (r * CELL_H < s.scrollTop) s.scrollTop = r * CELL_H;
    else if ((r + 1) * CELL_H > s.scrollTop + viewH) s.scrollTop = (r + 1) * CELL_H - viewH;
    if (paged) {
      if (c < this.colStart) this.colStart = c;
      else if (c >= this.colStart + perPage) this.colStart = this.clampStart(c - perPage + 1);
      return;
    }
    if (c * cellW < s.scrollLeft) s.scrollLeft = c * cellW;
    else if ((c + 1) * cellW > s.scrollLeft + viewW) s.scrollLeft = (c + 1) * cellW - viewW;
  }

  private select(): void {
    const src = this.rows[this.active.r];
    const dst = this.cols[this.active.c];
    if (src !== undefined && dst !== undefined) this.onSelect(src, dst, cellOf(this.cells, src.id, dst.id));
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor((this.scroller.clientHeight - HEADER_H) / CELL_H) - 1);
    const { r, c } = this.active;
    let next: { r: number; c: number };
    switch (e.key) {
      case 'ArrowDown':
        next = { r: r + 1, c };
        break;
      case 'ArrowUp':
        next = { r: r - 1, c };
        break;
      case 'ArrowRight':
        next = { r, c: c + 1 };
        break;
      case 'ArrowLeft':
        next = { r, c: c - 1 };
        break;
      case 'PageDown':
        next = { r: r + page, c };
        break;
      case 'PageUp':
        next = { r: r - page, c };
        break;
      case 'Home':
        next = e.ctrlKey ? { r: 0, c: 0 } : { r, c: 0 };
        break;
      case 'End':
        next = e.ctrlKey ? { r: this.rows.length - 1, c: this.cols.length - 1 } : { r, c: this.cols.length - 1 };
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.select();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.active = { r: Math.max(0, Math.min(this.rows.length - 1, next.r)), c: Math.max(0, Math.min(this.cols.length - 1, next.c)) };
    this.ensureVisible();
    this.render();
    this.focusActive(false);
  }
}
