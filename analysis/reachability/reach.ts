/**
 * The full connection list (`kube-reach reach`, the panel): every ordered pair of distinct nodes
 * with something allowed or undefined, plus ingress-controller → backend lines. Computed over
 * behaviour groups, so equivalent pods are evaluated once.
 */

import type { Bits } from './bitset.js';
import { and, andNot, equal, isEmpty, or, setBit } from './bitset.js';
import type { NodeInfo, Peer, PortVerdict, ReachEngine } from './engine.js';
import { externalId } from './engine.js';
import { backendServicePorts, classBackends, serviceEndpoints } from './routing.js';
import type { Cell } from './matrix.js';
import { ReachMatrix } from './matrix.js';

export interface Connection {
  readonly from: string;
  readonly to: string;
  readonly allowed: Bits;
  readonly undefined: Bits;
  readonly reasons: readonly string[];
}

export interface ReachResult {
  readonly nodes: readonly NodeInfo[];
  readonly connections: readonly Connection[];
  /** The all-pairs matrix the listing was read from (pass it back as `previous` after an edit). */
  readonly matrix?: ReachMatrix;
}

function combine(cells: readonly PortVerdict[], engine: ReachEngine, label: string): PortVerdict {
  const first = cells[0];
  if (first === undefined) return { yes: engine.space.empty(), maybe: engine.space.empty(), reasons: [] };
  if (cells.every((c) => equal(c.yes, first.yes) && equal(c.maybe, first.maybe))) return first;
  let yes = first.yes;
  let any = engine.space.empty();
  const reasons = new Set<string>();
  for (const c of cells) {
    yes = and(yes, c.yes);
    any = or(any, or(c.yes, c.maybe));
    for (const r of c.reasons) reasons.add(r);
  }
  const maybe = andNot(any, yes);
  if (!isEmpty(maybe)) reasons.add(`the pods of ${label} differ`);
  return { yes, maybe, reasons: [...reasons] };
}

/**
 * `previous`: the matrix of the last snapshot's result; with an engine built from the last
 * snapshot's engine (`new ReachEngine(analysis, options, previousEngine)`), unchanged entries are
 * reused instead of recomputed.
 */
export function computeReach(engine: ReachEngine, filterNamespace?: string, previous?: ReachMatrix): ReachResult {
  const matrix = new ReachMatrix(engine, previous);
  // Reasons are needed only for cells with undefined atoms: ask the explaining path then.
  const withReasons = (c: Cell, src: Peer, dst: Peer): PortVerdict => (isEmpty(c.maybe) ? { yes: c.yes, maybe: c.maybe, reasons: [] } : { yes: c.yes, maybe: c.maybe, reasons: engine.pair(src, dst).reasons });
  const podNodes = engine.nodes.filter((n) => n.classes.length > 0 && !(engine.classes[n.classes[0] ?? -1]?.synthetic ?? false));
  const connections: Connection[] = [];
  const push = (from: string, to: string, v: PortVerdict): void => {
    if (isEmpty(v.yes) && isEmpty(v.maybe)) return;
    connections.push({ from, to, allowed: v.yes, undefined: v.maybe, reasons: v.reasons });
  };
  const keep = (a: NodeInfo, b: NodeInfo): boolean => filterNamespace === undefined || a.namespace === filterNamespace || b.namespace === filterNamespace;
  const cls = (c: number): Peer => ({ kind: 'class', index: c });

  for (const a of podNodes) {
    for (const b of podNodes) {
      if (a === b || !keep(a, b)) continue;
      const cells: PortVerdict[] = [];
      for (const ca of a.classes) for (const cb of b.classes) cells.push(withReasons(matrix.cell(ca, cb), cls(ca), cls(cb)));
      push(a.id, b.id, combine(cells, engine, a.classes.length > 1 ? a.id : b.id));
    }
  }
  engine.srcRanges.forEach((r, i) => {
    const from = externalId(r);
    const node = engine.node(from);
    for (const b of podNodes) {
      if (node === undefined || !keep(node, b)) continue;
      const cells = b.classes.map((cb) => withReasons(matrix.fromRange(i, cb), { kind: 'ip', range: r }, cls(cb)));
      push(from, b.id, combine(cells, engine, b.id));
    }
  });
  engine.dstRanges.forEach((r, i) => {
    const to = externalId(r);
    const node = engine.node(to);
    for (const a of podNodes) {
      if (node === undefined || !keep(a, node)) continue;
      const cells = a.classes.map((ca) => withReasons(matrix.toRange(ca, i), cls(ca), { kind: 'ip', range: r }));
      push(a.id, to, combine(cells, engine, a.id));
    }
  });

  // Ingress controller → backends (design §5): TCP to each endpoint's targetPort, both sides allowing.
  for (const ctrl of engine.classes.filter((c) => c.synthetic)) {
    const perNode = new Map<string, { yes: Bits; maybe: Bits; reasons: Set<string> }>();
    for (const cls of ctrl.controllerOf) {
      for (const t of classBackends(engine, cls)) {
        const { service, ports } = backendServicePorts(engine, t);
        if (service === undefined) continue;
        for (const sp of ports) {
          if (sp.protocol !== 'TCP') continue;
          for (const ep of serviceEndpoints(engine, service, sp).endpoints) {
            const dst = engine.classes[ep.cls];
            if (dst === undefined) continue;
            const atom = engine.space.empty();
            setBit(atom, engine.space.atomOf('TCP', ep.port));
            const v = engine.pair({ kind: 'class', index: ctrl.index }, { kind: 'class', index: ep.cls });
            const entry = perNode.get(dst.node) ?? { yes: engine.space.empty(), maybe: engine.space.empty(), reasons: new Set<string>() };
            const yes = and(v.yes, atom);
            let maybe = and(v.maybe, atom);
            if (ep.maybe) {
              maybe = or(maybe, yes);
            } else {
              entry.yes = or(entry.yes, yes);
            }
            entry.maybe = or(entry.maybe, maybe);
            if (!isEmpty(maybe)) for (const r of v.reasons) entry.reasons.add(r);
            if (ep.maybe && !isEmpty(yes)) entry.reasons.add(`whether Service ${service.namespace}/${service.placed.obj.name?.known === true ? service.placed.obj.name.value : '?'} selects the pods depends on a templated value`);
            perNode.set(dst.node, entry);
          }
        }
      }
    }
    for (const [to, e] of [...perNode].sort()) {
      const node = engine.node(to);
      if (filterNamespace !== undefined && node?.namespace !== filterNamespace) continue;
      push(ctrl.node, to, { yes: e.yes, maybe: andNot(e.maybe, e.yes), reasons: [...e.reasons] });
    }
  }
  connections.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { nodes: engine.nodes, connections, matrix };
}
