/**
 * The full connection list (`kube-reach reach`, the panel): every ordered pair of distinct nodes
 * with something allowed or undefined, plus ingress-controller → backend lines. Computed over
 * behaviour groups, so equivalent pods are evaluated once.
 */

import type { Bits } from './bitset.js';
import { and, andNot, equal, isEmpty, or, setBit } from './bitset.js';
import type { NodeInfo, Peer, PortVerdict, ReachEngine } from './engine.js';
import type { IpRange } from './ip.js';
import { contains } from './ip.js';
import { externalId } from './engine.js';
import { backendServicePorts, classBackends, serviceEndpoints } from './routing.js';
import { gatewayStaticTargets, gatewayTargets } from './gatewayRouting.js';
import { refusedRoutes } from './gatewayRequest.js';
import { losingRoutes } from './gatewayConnection.js';
import { losingRules } from './gatewayRuleLoss.js';
import type { Cell } from './matrix.js';
import { ReachMatrix } from './matrix.js';
import { isProtocol } from './ports.js';
import { scopedOpenPairs } from './scopedPairs.js';
import { backendAtoms } from './stunnerRoutes.js';
import { staticPrefixes } from './staticServices.js';

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
  /** How many lines were the previous list's, carried over after a policy edit (`listAfterPolicyEdit`). */
  readonly carried?: number;
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
 * `filter`: a namespace: the connections with an end in it (the panel's namespace); a set of
 * namespaces: the connections with an end in one of them plus every ingress-controller and
 * Gateway data-plane line (the part of the list a change confined to those namespaces can
 * change: `ide/changes.ts` `changeScope`; a stand-in controller's own side is decided by the
 * policies of its namespace, which may be one of them).
 * `previous`: the matrix of the last snapshot's result; with an engine built from the last
 * snapshot's engine (`new ReachEngine(analysis, options, previousEngine)`), unchanged entries are
 * reused instead of recomputed. A matrix of this very engine is used as it is.
 */
export function computeReach(engine: ReachEngine, filter?: string | ReadonlySet<string>, previous?: ReachMatrix): ReachResult {
  const matrix = previous?.engine === engine ? previous : new ReachMatrix(engine, previous);
  if (typeof filter === 'string') {
    const last = previous === undefined || previous === matrix ? undefined : namespaceLists.get(previous)?.get(filter);
    const out =
      (last === undefined ? undefined : namespaceAfterEdit(engine, filter, matrix, last)) ?? listConnections(engine, filter, matrix);
    let lists = namespaceLists.get(matrix);
    if (lists === undefined) namespaceLists.set(matrix, (lists = new Map()));
    lists.set(filter, out);
    return out;
  }
  if (filter !== undefined) return listConnections(engine, filter, matrix);
  const last = previous === undefined ? undefined : wholeLists.get(previous);
  const result =
    previous === undefined || last === undefined || previous.engine === engine
      ? undefined
      : listAfterPolicyEdit(engine, previous.engine, last, matrix);
  const out = result ?? listConnections(engine, undefined, matrix);
  wholeLists.set(matrix, out.connections);
  return out;
}

/**
 * The whole connection lists computed, by the matrix they were read from: the list of the next
 * engine keeps the lines an edit cannot change (`listAfterPolicyEdit`).
 */
const wholeLists = new WeakMap<ReachMatrix, readonly Connection[]>();

/** The connection lists of one namespace computed, by the matrix they were read from (`namespaceAfterEdit`). */
const namespaceLists = new WeakMap<ReachMatrix, Map<string, ReachResult>>();

/**
 * The list of namespace `ns` of `engine`, from `last`, the list of `ns` read from the matrix `matrix` was built from
 * (a policy edit, the panel's namespace asked again): a line between two pod nodes of one class each is a function of
 * the source's egress side and the destination's ingress side (`ReachMatrix.sameSides`), so a line neither of whose
 * ends has a side the matrix computed anew is `last`'s, unless it has undefined ports (its reasons are the engine's
 * words, asked again); the lines with an end whose sides changed, with an end of several classes, from or to an
 * external range, an ingress controller or a Gateway data plane are computed (`listConnections` with `changed`).
 * Undefined when the class model, port atoms or external ranges differ, or when most classes' sides changed.
 */
function namespaceAfterEdit(engine: ReachEngine, ns: string, matrix: ReachMatrix, last: ReachResult): ReachResult | undefined {
  const before = last.matrix;
  if (before === undefined || before === matrix) return undefined;
  const was = before.engine;
  if (engine.model !== was.model || engine.space !== was.space) return undefined;
  const sameRanges = (a: readonly IpRange[], b: readonly IpRange[]): boolean =>
    a.length === b.length && a.every((r, i) => r.family === b[i]?.family && r.lo === b[i]?.lo && r.hi === b[i]?.hi);
  if (!sameRanges(engine.srcRanges, was.srcRanges) || !sameRanges(engine.dstRanges, was.dstRanges)) return undefined;
  const changedClasses = new Set<number>();
  for (let c = 0; c < engine.classes.length; c++) if (!matrix.sameSides(before, c)) changedClasses.add(c);
  if (changedClasses.size * 4 > engine.classes.length) return undefined;
  // Pod nodes of one class whose sides are the last matrix's: their lines with each other are carried.
  const kept = new Set<string>();
  for (const n of engine.nodes) {
    const c = n.classes.length === 1 ? n.classes[0] : undefined;
    if (c !== undefined && !changedClasses.has(c) && engine.classes[c]?.synthetic !== true) kept.add(n.id);
  }
  const fresh = listConnections(engine, ns, matrix, (node) => !kept.has(node.id));
  const connections = [...fresh.connections];
  const scratch: Cell = { yes: engine.space.empty(), maybe: engine.space.empty() };
  for (const line of last.connections) {
    if (!kept.has(line.from) || !kept.has(line.to)) continue;
    if (isEmpty(line.undefined)) {
      connections.push(line);
      continue;
    }
    // Undefined ports: the cell is the same, the reasons are asked again.
    const a = engine.node(line.from)?.classes[0] ?? -1;
    const b = engine.node(line.to)?.classes[0] ?? -1;
    matrix.cellInto(a, b, scratch);
    const reasons = engine.pair({ kind: 'class', index: a }, { kind: 'class', index: b }).reasons;
    connections.push({ from: line.from, to: line.to, allowed: scratch.yes.slice(), undefined: scratch.maybe.slice(), reasons });
  }
  connections.sort(byEnds);
  return { nodes: fresh.nodes, connections, matrix, carried: connections.length - fresh.connections.length };
}

/**
 * The whole list of `engine`, built from an engine `before` whose class model, port atoms, external
 * ranges and cluster tiers it kept (an edit of NetworkPolicies only): a line between two pods is
 * decided by the source's egress side and the destination's ingress side, each by the policies of
 * its pod's namespace, so a line with neither end in a namespace whose policies changed
 * (`policyNamespacesChanged`) is `before`'s; the lines with an end there, and the ingress-controller
 * and Gateway data-plane lines, are computed (`computeReach` with that set of namespaces).
 * Undefined when `engine` was not built so from `before`, or when the edit changed most namespaces.
 */
function listAfterPolicyEdit(
  engine: ReachEngine,
  before: ReachEngine,
  last: readonly Connection[],
  matrix: ReachMatrix,
): ReachResult | undefined {
  const changed = engine.policyNamespacesChanged;
  if (changed === undefined || engine.builtFromKey !== before.reuseKey) return undefined;
  if (engine.model !== before.model || engine.space !== before.space || engine.cluster !== before.cluster) return undefined;
  const sameRanges = (a: readonly IpRange[], b: readonly IpRange[]): boolean =>
    a.length === b.length && a.every((r, i) => r.family === b[i]?.family && r.lo === b[i]?.lo && r.hi === b[i]?.hi);
  if (!sameRanges(engine.srcRanges, before.srcRanges) || !sameRanges(engine.dstRanges, before.dstRanges)) return undefined;
  if (changed.size * 2 > engine.namespaces.size) return undefined;
  const fresh = listConnections(engine, changed, matrix);
  // The lines of `last` with no end in a changed namespace and no ingress-controller or data-plane source.
  const entry = new Set<string>();
  for (const c of engine.classes) if (c.synthetic) entry.add(c.node);
  const keep = (id: string): boolean => {
    const ns = engine.node(id)?.namespace;
    return ns === undefined || !changed.has(ns);
  };
  const connections = last.filter((c) => !entry.has(c.from) && keep(c.from) && keep(c.to));
  const carried = connections.length;
  for (const c of fresh.connections) connections.push(c);
  connections.sort(byEnds);
  return { nodes: fresh.nodes, connections, matrix, carried };
}

function byEnds(a: Connection, b: Connection): number {
  return a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0;
}

/**
 * `changed` (with a filter): only the pairs of pod nodes of one class each with an end it holds are listed (the others
 * are `namespaceAfterEdit`'s); every other line as without it.
 */
function listConnections(
  engine: ReachEngine,
  filter: string | ReadonlySet<string> | undefined,
  matrix: ReachMatrix,
  changed?: (node: NodeInfo) => boolean,
): ReachResult {
  const scope = typeof filter === 'string' ? new Set([filter]) : filter;
  /** Entry-point lines are filtered by a single namespace only. */
  const filterNamespace = typeof filter === 'string' ? filter : undefined;
  const inScope = (ns: string | undefined): boolean => scope === undefined || (ns !== undefined && scope.has(ns));
  // Cells are written into one scratch pair of atom sets; only a cell with something allowed or
  // undefined is copied out. Reasons are needed only for cells with undefined atoms: the
  // explaining path is asked then.
  const none: PortVerdict = { yes: engine.space.empty(), maybe: engine.space.empty(), reasons: [] };
  const scratch: Cell = { yes: engine.space.empty(), maybe: engine.space.empty() };
  const peer = (p: Peer | number): Peer => (typeof p === 'number' ? { kind: 'class', index: p } : p);
  const take = (src: Peer | number, dst: Peer | number): PortVerdict => {
    if (isEmpty(scratch.yes) && isEmpty(scratch.maybe)) return none;
    const maybe = scratch.maybe.slice();
    return { yes: scratch.yes.slice(), maybe, reasons: isEmpty(maybe) ? [] : engine.pair(peer(src), peer(dst)).reasons };
  };
  const podNodes = engine.nodes.filter((n) => n.classes.length > 0 && !(engine.classes[n.classes[0] ?? -1]?.synthetic ?? false));
  const connections: Connection[] = [];
  const push = (from: string, to: string, v: PortVerdict): void => {
    if (isEmpty(v.yes) && isEmpty(v.maybe)) return;
    connections.push({ from, to, allowed: v.yes, undefined: v.maybe, reasons: v.reasons });
  };
  const keep = (a: NodeInfo, b: NodeInfo): boolean => inScope(a.namespace) || inScope(b.namespace);

  // A node of several classes: its cells combined (`combine`).
  const severalClasses = (a: NodeInfo, b: NodeInfo): void => {
    const cells: PortVerdict[] = [];
    for (const ca of a.classes) {
      for (const cb of b.classes) {
        matrix.cellInto(ca, cb, scratch);
        cells.push(take(ca, cb));
      }
    }
    push(a.id, b.id, combine(cells, engine, a.classes.length > 1 ? a.id : b.id));
  };
  const oneClass = (a: NodeInfo, b: NodeInfo, ca: number, cb: number): void => {
    matrix.cellInto(ca, cb, scratch);
    if (isEmpty(scratch.yes) && isEmpty(scratch.maybe)) return;
    push(a.id, b.id, take(ca, cb));
  };
  // With a namespace filter only pairs with an end in it: its nodes against all, not all against all.
  const inFilter = scope === undefined ? podNodes : podNodes.filter((n) => inScope(n.namespace));
  if (scope !== undefined) {
    // The pairs of one-class nodes that may connect, found from the scope's side (`scopedPairs.ts`).
    const nodeIn = podNodes.map((n) => inScope(n.namespace));
    // With `changed`: the pairs with an end it holds, of those with an end in the scope.
    const from = changed === undefined ? nodeIn : podNodes.map((n) => changed(n));
    scopedOpenPairs(
      matrix,
      podNodes,
      (i) => from[i] === true,
      (ai, bi) => {
        const a = podNodes[ai];
        const b = podNodes[bi];
        if (a !== undefined && b !== undefined && (changed === undefined || nodeIn[ai] === true || nodeIn[bi] === true))
          oneClass(a, b, a.classes[0] ?? -1, b.classes[0] ?? -1);
      },
    );
    const several = podNodes.filter((n) => n.classes.length !== 1);
    for (const a of several) for (const b of inScope(a.namespace) ? podNodes : inFilter) if (a !== b) severalClasses(a, b);
    for (const a of podNodes)
      if (a.classes.length === 1) for (const b of several) if (inScope(a.namespace) || inScope(b.namespace)) severalClasses(a, b);
  }
  // Indexed loops: this pair loop runs (nodes × nodes) times, without iterators.
  for (let ai = 0; scope === undefined && ai < podNodes.length; ai++) {
    const a = podNodes[ai];
    if (a === undefined) continue;
    const ca0 = a.classes.length === 1 ? a.classes[0] : undefined;
    for (let bi = 0; bi < podNodes.length; bi++) {
      const b = podNodes[bi];
      if (b === undefined || a === b) continue;
      const cb0 = b.classes.length === 1 ? b.classes[0] : undefined;
      if (ca0 !== undefined && cb0 !== undefined) {
        if (matrix.mayConnect(ca0, cb0)) oneClass(a, b, ca0, cb0);
      } else severalClasses(a, b);
    }
  }
  engine.srcRanges.forEach((r, i) => {
    const from = externalId(r);
    const node = engine.node(from);
    const src: Peer = { kind: 'ip', range: r };
    for (const b of podNodes) {
      if (node === undefined || !keep(node, b)) continue;
      const cells = b.classes.map((cb) => {
        matrix.fromRangeInto(i, cb, scratch);
        return take(src, cb);
      });
      push(from, b.id, combine(cells, engine, b.id));
    }
  });
  engine.dstRanges.forEach((r, i) => {
    const to = externalId(r);
    const node = engine.node(to);
    const dst: Peer = { kind: 'ip', range: r };
    for (const a of podNodes) {
      if (node === undefined || !keep(a, node)) continue;
      const cells = a.classes.map((ca) => {
        matrix.toRangeInto(ca, i, scratch);
        return take(ca, dst);
      });
      push(a.id, to, combine(cells, engine, a.id));
    }
  });

  // Ingress controller → backends (docs/dev/design.md §5): TCP to each endpoint's targetPort, both sides allowing.
  for (const ctrl of engine.classes.filter((c) => c.synthetic)) {
    const perNode = new Map<string, { yes: Bits; maybe: Bits; reasons: Set<string> }>();
    for (const cls of ctrl.controllerOf) {
      for (const t of classBackends(engine, cls)) {
        // A backend Service is in its Ingress's namespace, and so are its endpoints: with a
        // filter, only that namespace's Ingresses matter.
        if (filterNamespace !== undefined && t.ingress.namespace !== filterNamespace) continue;
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
            if (ep.maybe && !isEmpty(yes))
              entry.reasons.add(
                `whether Service ${service.namespace}/${service.placed.obj.name?.known === true ? service.placed.obj.name.value : '?'} selects the pods depends on a templated value`,
              );
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
  // Gateway data planes → backends (docs/dev/gateway-api.md §7): to each endpoint's targetPort over
  // the route's transport, both sides allowing. Data planes that are workloads of the manifests are
  // already pod nodes above. A route the Gateway accepts on none of the listeners it attaches to
  // (an HTTPRoute and a GRPCRoute sharing a hostname, §9) forwards nothing, nor does a TLS, TCP or
  // UDP route that an older route of the same rank takes every connection from (§10), nor a TCPRoute
  // on TLS listeners that pass TLS through only, nor an HTTPRoute or GRPCRoute rule whose every
  // match an older route or an earlier rule matches exactly as well (§9, gatewayRuleLoss.ts).
  for (const [key, classes] of engine.model.gatewayDataPlanes) {
    const refused = refusedRoutes(engine, key);
    const losing = losingRoutes(engine, key);
    const lostRules = losingRules(engine, key);
    for (const src of classes) {
      const dp = engine.classes[src];
      if (dp === undefined || !dp.synthetic) continue;
      const perNode = new Map<string, { yes: Bits; maybe: Bits; reasons: Set<string> }>();
      for (const t of gatewayTargets(engine, key)) {
        if (filterNamespace !== undefined && t.service.namespace !== filterNamespace) continue;
        const lostRoute = losing.get(t.route);
        if (
          refused.has(t.route) ||
          (lostRoute !== undefined && lostRoute.open !== true) ||
          !t.carries ||
          lostRules.lost.get(t.route)?.has(t.rule) === true
        )
          continue;
        // Which of two routes answering one name takes its requests is the implementation's (§9): undefined.
        const open = lostRules.open.get(t.route)?.has(t.rule) === true || lostRoute?.open === true;
        const proto = t.port.protocol;
        for (const ep of serviceEndpoints(engine, t.service, t.port).endpoints) {
          const dst = engine.classes[ep.cls];
          if (dst === undefined) continue;
          // A Gateway that reaches the Service's pods on any port (anyPortController): every port of the transport,
          // or of the ports STUNner's own UDPRoute names (`partly`: atoms it reaches in part, or templated ports).
          const any = t.anyPort && isProtocol(ep.protocol) ? backendAtoms(engine.space, ep.protocol, t.ports) : undefined;
          const atom = any?.atoms ?? engine.space.empty();
          if (!t.anyPort) setBit(atom, engine.space.atomOf(ep.protocol, ep.port));
          const v = engine.pair({ kind: 'class', index: src }, { kind: 'class', index: ep.cls });
          const entry = perNode.get(dst.node) ?? { yes: engine.space.empty(), maybe: engine.space.empty(), reasons: new Set<string>() };
          const yes = and(v.yes, atom);
          let maybe = and(v.maybe, atom);
          const partly = any === undefined ? engine.space.empty() : and(or(v.yes, v.maybe), any.partly);
          if (!isEmpty(partly)) {
            maybe = or(maybe, partly);
            if (any?.why !== undefined) entry.reasons.add(any.why);
          }
          if (ep.maybe || t.maybe || open) maybe = or(maybe, yes);
          else entry.yes = or(entry.yes, yes);
          entry.maybe = or(entry.maybe, maybe);
          if (!isEmpty(maybe)) for (const r of v.reasons) entry.reasons.add(r);
          if (t.maybe && !isEmpty(yes))
            entry.reasons.add(`whether ${t.route} attaches to Gateway ${key} depends on namespace labels the workspace does not show`);
          if (ep.maybe && !isEmpty(yes)) entry.reasons.add(`whether the Service selects the pods depends on a templated value (${proto})`);
          if (open && !isEmpty(yes))
            entry.reasons.add(
              lostRoute?.open === true
                ? lostRoute.why
                : `whether rules[${t.rule}] of ${t.route} gets requests depends on the implementation: another route answers its hostname on the listener, one of the two naming it more specifically (kubernetes-sigs/gateway-api#5120)`,
            );
          perNode.set(dst.node, entry);
        }
      }
      staticLines(engine, key, src, filterNamespace, refused, losing, perNode);
      for (const [to, e] of [...perNode].sort()) push(dp.node, to, { yes: e.yes, maybe: andNot(e.maybe, e.yes), reasons: [...e.reasons] });
    }
  }
  connections.sort(byEnds);
  return { nodes: engine.nodes, connections, matrix };
}

/**
 * The data plane `src` of the STUNner Gateway `key` to the StaticServices its routes name (`staticServices.ts`): to
 * each external range within a prefix, over UDP (any port, or the ports STUNner's own UDPRoute names), both sides
 * allowing (a prefix that is templated or not an IPv4 CIDR reaches nothing here: `StaticPrefixes.unknown`).
 */
function staticLines(
  engine: ReachEngine,
  key: string,
  src: number,
  filterNamespace: string | undefined,
  refused: ReadonlyMap<string, string>,
  losing: ReadonlyMap<string, { readonly open?: boolean }>,
  perNode: Map<string, { yes: Bits; maybe: Bits; reasons: Set<string> }>,
): void {
  for (const t of gatewayStaticTargets(engine, key)) {
    if (filterNamespace !== undefined && t.staticService.namespace !== filterNamespace) continue;
    const lostRoute = losing.get(t.route);
    if (refused.has(t.route) || (lostRoute !== undefined && lostRoute.open !== true) || !t.carries) continue;
    const prefixes = staticPrefixes(engine, t.staticService.placed.obj).ranges;
    const any = backendAtoms(engine.space, 'UDP', t.ports);
    for (const range of engine.dstRanges) {
      if (!contains(prefixes, range.family, range.lo) || !contains(prefixes, range.family, range.hi)) continue;
      const v = engine.pair({ kind: 'class', index: src }, { kind: 'ip', range });
      const to = externalId(range);
      const entry = perNode.get(to) ?? { yes: engine.space.empty(), maybe: engine.space.empty(), reasons: new Set<string>() };
      const yes = and(v.yes, any.atoms);
      let maybe = or(and(v.maybe, any.atoms), and(or(v.yes, v.maybe), any.partly));
      if (!isEmpty(and(or(v.yes, v.maybe), any.partly)) && any.why !== undefined) entry.reasons.add(any.why);
      if (t.maybe) {
        maybe = or(maybe, yes);
        if (!isEmpty(yes))
          entry.reasons.add(`whether ${t.route} attaches to Gateway ${key} depends on namespace labels the workspace does not show`);
      } else entry.yes = or(entry.yes, yes);
      entry.maybe = or(entry.maybe, maybe);
      if (!isEmpty(and(v.maybe, any.atoms))) for (const r of v.reasons) entry.reasons.add(r);
      perNode.set(to, entry);
    }
  }
}
