/**
 * Connectivity diff (`kube-reach diff`): what a change opens or closes. Two connection lists
 * (`computeReach` over the manifests before and after) are compared pair by pair and reported as
 * netpol-analyzer's `diff` reports them: changed, added and removed connections, with the
 * workloads that appeared or disappeared (docs/dev/design.md §6).
 *
 * External ranges are cut differently by the two sides (each cuts at its own ipBlocks), so both
 * sides' ranges are first refined to common disjoint pieces, compared piece by piece, and pieces
 * that touch and carry the same change are merged back into one range.
 */

import type { Bits } from './bitset.js';
import { isEmpty } from './bitset.js';
import { formatConns } from './ports.js';
import type { PortSpace } from './ports.js';
import { externalId } from './engine.js';
import type { NodeInfo } from './engine.js';
import type { IpRange } from './ip.js';
import type { ReachResult } from './connectionList.js';

/** One side of a diff: a connection list and the port space its bit sets are written in. */
export interface DiffSide {
  readonly space: PortSpace;
  readonly result: ReachResult;
}

export type DiffType = 'changed' | 'added' | 'removed';

export interface DiffEntry {
  readonly type: DiffType;
  readonly source: string;
  readonly destination: string;
  /** netpol-analyzer's connection string on each side (`No Connections` where there is none). */
  readonly ref1: string;
  readonly ref2: string;
  /** `workload ns/name[Kind] added` (or `removed`) when an end exists on one side only; '' otherwise. */
  readonly workloadsDiffInfo: string;
  /** The source is an ingress controller: these lines come after the policy lines. */
  readonly fromIngressController: boolean;
}

export const NO_CONNECTIONS = 'No Connections';

/**
 * A connection string: the allowed ports, then the ports whose verdict is undefined, marked so.
 * Reasons are left out: a diff compares connectivity, and a reworded reason is not a change.
 */
function connString(space: PortSpace, allowed: Bits, undef: Bits): string {
  const parts: string[] = [];
  if (!isEmpty(allowed)) parts.push(formatConns(space, allowed));
  if (!isEmpty(undef)) parts.push(`${formatConns(space, undef)} (undefined)`);
  return parts.length === 0 ? NO_CONNECTIONS : parts.join(' ');
}

interface SideConns {
  /** `from\u0000to` → connection string, over pod and controller nodes. */
  readonly pairs: Map<string, string>;
  /** External source range → (destination → connection string). */
  readonly fromExternal: Array<{ readonly range: IpRange; readonly conns: Map<string, string> }>;
  /** External destination range → (source → connection string). */
  readonly toExternal: Array<{ readonly range: IpRange; readonly conns: Map<string, string> }>;
  /** Node ids that are workloads or Pods (not external ranges, not ingress controllers). */
  readonly workloads: Set<string>;
}

function isController(n: NodeInfo | undefined, id: string): boolean {
  return n === undefined ? id.startsWith('{') : n.external === undefined && n.classes.length > 0 && id.startsWith('{');
}

function collect(side: DiffSide): SideConns {
  const byId = new Map(side.result.nodes.map((n) => [n.id, n]));
  const pairs = new Map<string, string>();
  const fromExt = new Map<string, { range: IpRange; conns: Map<string, string> }>();
  const toExt = new Map<string, { range: IpRange; conns: Map<string, string> }>();
  for (const c of side.result.connections) {
    const text = connString(side.space, c.allowed, c.undefined);
    const src = byId.get(c.from)?.external;
    const dst = byId.get(c.to)?.external;
    if (src !== undefined) {
      const e = fromExt.get(c.from) ?? { range: src, conns: new Map<string, string>() };
      e.conns.set(c.to, text);
      fromExt.set(c.from, e);
    } else if (dst !== undefined) {
      const e = toExt.get(c.to) ?? { range: dst, conns: new Map<string, string>() };
      e.conns.set(c.from, text);
      toExt.set(c.to, e);
    } else {
      pairs.set(`${c.from}\u0000${c.to}`, text);
    }
  }
  // External nodes without a connection still cut the address space.
  for (const n of side.result.nodes) {
    if (n.external === undefined) continue;
    if (!fromExt.has(n.id)) fromExt.set(n.id, { range: n.external, conns: new Map() });
    if (!toExt.has(n.id)) toExt.set(n.id, { range: n.external, conns: new Map() });
  }
  const workloads = new Set<string>();
  for (const n of side.result.nodes) if (n.external === undefined && !isController(n, n.id)) workloads.add(n.id);
  return { pairs, fromExternal: [...fromExt.values()], toExternal: [...toExt.values()], workloads };
}

function classify(a: string | undefined, b: string | undefined): DiffType | undefined {
  if (a === b) return undefined;
  if (a === undefined || a === NO_CONNECTIONS) return b === undefined || b === NO_CONNECTIONS ? undefined : 'added';
  if (b === undefined || b === NO_CONNECTIONS) return 'removed';
  return 'changed';
}

function info(type: DiffType, source: string, destination: string, ends: { src: boolean; dst: boolean }): string {
  if (type === 'changed' || (!ends.src && !ends.dst)) return '';
  const names = [ends.src ? source : undefined, ends.dst ? destination : undefined].filter((s): s is string => s !== undefined);
  return `workload ${names.join(' and ')} ${type}`;
}

/** The sorted, disjoint pieces that the ranges of both sides cut one family's space into. */
function pieces(ranges: readonly IpRange[]): IpRange[] {
  const cuts = new Set<bigint>();
  let family: IpRange['family'] = 4;
  for (const r of ranges) {
    family = r.family;
    cuts.add(r.lo);
    cuts.add(r.hi + 1n);
  }
  const sorted = [...cuts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: IpRange[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const lo = sorted[i];
    const next = sorted[i + 1];
    if (lo === undefined || next === undefined) continue;
    const piece = { family, lo, hi: next - 1n };
    if (ranges.some((r) => r.family === family && r.lo <= piece.lo && piece.hi <= r.hi)) out.push(piece);
  }
  return out;
}

function lookup(list: SideConns['fromExternal'], piece: IpRange): Map<string, string> | undefined {
  return list.find((e) => e.range.family === piece.family && e.range.lo <= piece.lo && piece.hi <= e.range.hi)?.conns;
}

/** Diff of external ranges on one side of the connections (sources, or destinations). */
function externalDiff(
  a: SideConns['fromExternal'],
  b: SideConns['fromExternal'],
  asSource: boolean,
  ends: (type: DiffType, other: string) => boolean,
): DiffEntry[] {
  const out: DiffEntry[] = [];
  const families = new Set([...a, ...b].map((e) => e.range.family));
  for (const family of families) {
    const all = [...a, ...b].map((e) => e.range).filter((r) => r.family === family);
    // key: other end, type, ref1, ref2 → touching pieces merge into one range.
    const groups = new Map<string, { other: string; type: DiffType; ref1: string; ref2: string; ranges: IpRange[] }>();
    for (const piece of pieces(all)) {
      const ca = lookup(a, piece);
      const cb = lookup(b, piece);
      const others = new Set([...(ca?.keys() ?? []), ...(cb?.keys() ?? [])]);
      for (const other of others) {
        const x = ca?.get(other);
        const y = cb?.get(other);
        const type = classify(x, y);
        if (type === undefined) continue;
        const ref1 = x ?? NO_CONNECTIONS;
        const ref2 = y ?? NO_CONNECTIONS;
        const key = `${other}\u0000${type}\u0000${ref1}\u0000${ref2}`;
        const g = groups.get(key) ?? { other, type, ref1, ref2, ranges: [] };
        const last = g.ranges[g.ranges.length - 1];
        if (last !== undefined && last.hi + 1n === piece.lo) g.ranges[g.ranges.length - 1] = { family, lo: last.lo, hi: piece.hi };
        else g.ranges.push(piece);
        groups.set(key, g);
      }
    }
    for (const g of groups.values()) {
      for (const r of g.ranges) {
        const ext = externalId(r);
        const source = asSource ? ext : g.other;
        const destination = asSource ? g.other : ext;
        const otherIsNew = ends(g.type, g.other);
        out.push({
          type: g.type,
          source,
          destination,
          ref1: g.ref1,
          ref2: g.ref2,
          workloadsDiffInfo: info(g.type, source, destination, { src: !asSource && otherIsNew, dst: asSource && otherIsNew }),
          fromIngressController: false,
        });
      }
    }
  }
  return out;
}

/** The connections that differ between `ref1` (before) and `ref2` (after). */
export function connectivityDiff(ref1: DiffSide, ref2: DiffSide): DiffEntry[] {
  const a = collect(ref1);
  const b = collect(ref2);
  // An end that is a workload on one side only: "added" lines name it when it is missing before,
  // "removed" lines when it is missing after.
  const isNewOrGone = (type: DiffType, id: string): boolean => {
    if (type === 'added') return b.workloads.has(id) && !a.workloads.has(id);
    if (type === 'removed') return a.workloads.has(id) && !b.workloads.has(id);
    return false;
  };
  const out: DiffEntry[] = [];
  const keys = new Set([...a.pairs.keys(), ...b.pairs.keys()]);
  for (const key of keys) {
    const x = a.pairs.get(key);
    const y = b.pairs.get(key);
    const type = classify(x, y);
    if (type === undefined) continue;
    const [source = '', destination = ''] = key.split('\u0000');
    out.push({
      type,
      source,
      destination,
      ref1: x ?? NO_CONNECTIONS,
      ref2: y ?? NO_CONNECTIONS,
      workloadsDiffInfo: info(type, source, destination, { src: isNewOrGone(type, source), dst: isNewOrGone(type, destination) }),
      fromIngressController: source.startsWith('{'),
    });
  }
  for (const d of externalDiff(a.fromExternal, b.fromExternal, true, isNewOrGone)) out.push(d);
  for (const d of externalDiff(a.toExternal, b.toExternal, false, isNewOrGone)) out.push(d);
  return out;
}

const ORDER: readonly DiffType[] = ['changed', 'added', 'removed'];

/**
 * Entries in netpol-analyzer's order: policy lines first (changed, added, removed), then the
 * ingress controllers' (changed, added, removed); inside each group sorted by their formatted line
 * (`line`), as that analyzer sorts each format's lines.
 */
function ordered(entries: readonly DiffEntry[], line: (e: DiffEntry) => string): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const ingress of [false, true]) {
    for (const type of ORDER) {
      const group = entries.filter((e) => e.type === type && e.fromIngressController === ingress).map((e) => ({ e, key: line(e) }));
      group.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      for (const g of group) out.push(g.e);
    }
  }
  return out;
}

function orderedLines(entries: readonly DiffEntry[], line: (e: DiffEntry) => string): string[] {
  return ordered(entries, line).map(line);
}

export interface RefNames {
  readonly ref1: string;
  readonly ref2: string;
}

export const DEFAULT_REF_NAMES: RefNames = { ref1: 'ref1', ref2: 'ref2' };

function textLine(names: RefNames): (e: DiffEntry) => string {
  return (e) => {
    const base = `diff-type: ${e.type}, source: ${e.source}, destination: ${e.destination}, ${names.ref1}: ${e.ref1}, ${names.ref2}: ${e.ref2}`;
    return e.workloadsDiffInfo === '' ? base : `${base}, workloads-diff-info: ${e.workloadsDiffInfo}`;
  };
}

/** Entries in the order every format lists them (the text format's). */
export function orderDiff(entries: readonly DiffEntry[]): DiffEntry[] {
  return ordered(entries, textLine(DEFAULT_REF_NAMES));
}

/** `diff --format text`: exactly netpol-analyzer's txt diff output. */
export function renderDiffText(entries: readonly DiffEntry[], names: RefNames = DEFAULT_REF_NAMES): string {
  return ['Connectivity diff:', ...orderedLines(entries, textLine(names))].join('\n') + '\n';
}

/** `diff --format md`: netpol-analyzer's md table (a pull-request comment). */
export function renderDiffMarkdown(entries: readonly DiffEntry[], names: RefNames = DEFAULT_REF_NAMES): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const header = `| diff-type | source | destination | ${names.ref1} | ${names.ref2} | workloads-diff-info |\n|-----------|--------|-------------|------|------|---------------------|`;
  const lines = orderedLines(
    entries,
    (e) => `| ${e.type} | ${esc(e.source)} | ${esc(e.destination)} | ${esc(e.ref1)} | ${esc(e.ref2)} | ${esc(e.workloadsDiffInfo)} |`,
  );
  return [header, ...lines].join('\n');
}

/** A CSV field as Go's encoding/csv writes it (netpol-analyzer's writer). */
function goCsvField(s: string): string {
  const needs = s !== '' && (s.includes(',') || s.includes('"') || s.includes('\r') || s.includes('\n') || /^\s/.test(s));
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}

/** `diff --format csv`: netpol-analyzer's csv diff output. */
export function renderDiffCsv(entries: readonly DiffEntry[], names: RefNames = DEFAULT_REF_NAMES): string {
  const rows = orderedLines(entries, (e) => [e.type, e.source, e.destination, e.ref1, e.ref2, e.workloadsDiffInfo].join(';'));
  const header = ['diff-type', 'source', 'destination', names.ref1, names.ref2, 'workloads-diff-info'];
  return [header, ...rows.map((r) => r.split(';'))].map((row) => row.map(goCsvField).join(',') + '\n').join('');
}

/** One changed connection as `diff --format json` and `kubeReach/diff` print it (docs/cli.md). */
export function diffEntryJson(e: DiffEntry): {
  diffType: DiffType;
  source: string;
  destination: string;
  ref1: string;
  ref2: string;
  workloadsDiffInfo?: string;
} {
  return {
    diffType: e.type,
    source: e.source,
    destination: e.destination,
    ref1: e.ref1,
    ref2: e.ref2,
    ...(e.workloadsDiffInfo !== '' ? { workloadsDiffInfo: e.workloadsDiffInfo } : {}),
  };
}

/** `diff --format json`. */
export function renderDiffJson(entries: readonly DiffEntry[], names: RefNames = DEFAULT_REF_NAMES): string {
  const changes = ordered(entries, textLine(names));
  return (
    JSON.stringify(
      {
        ref1: names.ref1,
        ref2: names.ref2,
        changes: changes.map(diffEntryJson),
      },
      null,
      2,
    ) + '\n'
  );
}

/** The graph of a diff: the changed edges, styled by type, labelled `ref2 (ref1: …)` as netpol-analyzer labels them. */
export function diffGraph(
  entries: readonly DiffEntry[],
  names: RefNames = DEFAULT_REF_NAMES,
): { nodes: string[]; edges: Array<{ from: string; to: string; type: DiffType; label: string }> } {
  const nodes = new Set<string>();
  const edges = ordered(entries, textLine(names)).map((e) => {
    nodes.add(e.source);
    nodes.add(e.destination);
    const label = e.type === 'changed' ? `${e.ref2} (${names.ref1}: ${e.ref1})` : e.type === 'added' ? e.ref2 : e.ref1;
    return { from: e.source, to: e.destination, type: e.type, label };
  });
  return { nodes: [...nodes].sort(), edges };
}
