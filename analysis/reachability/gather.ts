/**
 * Gathering (docs/dev/design.md §5): the objects a reachability engine is built from, taken from
 * the workspace index, one per identity: pod producers, NetworkPolicies, Services, Ingresses and
 * the declared Namespaces, in (unit, file, position) order, with the port cut points their ports
 * add. What a file contributes is worked out once per version of the file, and after an edit that
 * changed only NetworkPolicies the last gathering is taken with those policies swapped in.
 *
 * Reads the index only (no snapshot, no text).
 */

import type { KObject, Selector } from '../model/types.js';
import { isCoreService, isIngress, isNamespace, isNetworkPolicy } from '../model/kinds.js';
import { GATEWAY_GROUP, isGatewayKind, isRouteKind } from '../model/gateway.js';
import { isOwnAnyPortRoute, isStaticService } from '../model/anyPortBackends.js';
import { ForkMap } from '../workspace/forkMap.js';
import type { Placed, WorkspaceIndex } from '../workspace/workspaceIndex.js';
import { noteUri } from '../workspace/packed.js';
import { apartClusters, NO_ALTERNATIVES } from '../units/alternatives.js';
import type { EngineOptions } from './options.js';
import type { Protocol } from './ports.js';
import { isProtocol } from './ports.js';
import { afterPolicyEdit, afterScopedEdit, positionsOf } from './gatherEdits.js';
import { exact } from '../model/values.js';

/** The StatefulSet per-pod labels (docs/dev/design.md §5). */
export const PER_POD_KEYS = ['statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index'];

/**
 * How the engine's notes tell the reader to pick a unit (variants, alternatives left out): the CLI's
 * flag. The panel names its own Unit list instead (`reachNotes`'s `pickUnit`).
 */
export const PICK_UNIT = 'pick one with --unit';

const perPodCache = new WeakMap<KObject, boolean>();

/** Does a policy select on StatefulSet per-pod labels (pod-name, pod-index)? */
function usesPerPodLabels(o: KObject): boolean {
  const hit = perPodCache.get(o);
  if (hit !== undefined) return hit;
  const np = o.networkPolicy;
  const sels: Selector[] = [];
  if (np?.podSelector !== undefined) sels.push(np.podSelector);
  for (const r of [...(np?.ingress ?? []), ...(np?.egress ?? [])])
    for (const pe of r.peers ?? []) if (pe.podSelector !== undefined) sels.push(pe.podSelector);
  const out = sels.some(
    (s) =>
      (s.matchLabels?.entries ?? []).some((e) => PER_POD_KEYS.includes(e.key)) ||
      s.matchExpressions.some((e) => PER_POD_KEYS.includes(e.key)),
  );
  perPodCache.set(o, out);
  return out;
}

export function nameOf(o: KObject): string | undefined {
  return o.name?.known === true ? o.name.value : undefined;
}

/**
 * The namespace `p` lands in: in the unit `unit` picks when it is placed there (`--unit`, the
 * panel's unit), else where it is placed first.
 */
export function placementNamespace(p: Placed, unit: string | undefined): string | undefined {
  const picked = unit === undefined ? undefined : p.placements.find((pl) => pl.unit === unit && pl.namespace !== undefined);
  if (picked !== undefined) return picked.namespace;
  for (const pl of p.placements) if (pl.namespace !== undefined) return pl.namespace;
  return undefined;
}

/**
 * The parts with the objects the unit `unit` picks first (its alternatives are then the ones left
 * out), then every other object in (unit, file) order, as without a pick (docs/dev/units.md §4);
 * a plain file picked (`isPickableUnit`, notes.ts) the same way.
 */
function pickedFirst(parts: readonly FilePart[], unit: string): FilePart[] {
  const inUnit = (e: PartEntry): boolean => e.placed.obj.uri === unit || e.placed.placements.some((pl) => pl.unit === unit);
  return [
    ...parts.map((p) => ({ ...p, entries: p.entries.filter(inUnit) })),
    ...parts.map((p) => ({ ...p, entries: p.entries.filter((e) => !inUnit(e)) })),
  ];
}

/**
 * Whether an engine over the namespaces `scope` takes `p` (cluster-scoped objects: every scope does).
 * An engine for one unit (checks/support/checkEngine.ts `engineForScope`) leaves out the other units'
 * namespace-less objects: they land where their own unit is applied (one chart's policy does not
 * isolate another chart's pods).
 */
export function inScope(p: Placed, scope: ReadonlySet<string>, unit: string | undefined): boolean {
  if (p.obj.clusterPolicy !== undefined || p.obj.gatewayClass !== undefined || p.obj.sidecarSet !== undefined) return true;
  if (isNamespace(p.obj)) return scope.has(nameOf(p.obj) ?? '');
  if (!scope.has(placementNamespace(p, unit) ?? '')) return false;
  return unit === undefined || p.placements.some((pl) => pl.unit === unit || !pl.floating);
}

/** An object of a file as the engine sorts it: its role and identity (`group/kind/namespace/name`; a Namespace's name). */
export interface PartEntry {
  readonly placed: Placed;
  readonly role:
    | 'namespace'
    | 'install-time'
    | 'producer'
    | 'policy'
    | 'cluster-policy'
    | 'service'
    | 'ingress'
    | 'gateway'
    | 'route'
    | 'grant'
    | 'static-service'
    | 'gatewayclass'
    | 'sidecarset'
    | 'other';
  readonly id: string;
  readonly ns: string;
  /** A policy whose selectors use per-pod labels. */
  readonly perPodLabels: boolean;
  /** The cut points its ports add (policies and Services). */
  readonly cuts: readonly PortCut[];
}

/** A port range whose ends are cut points of the port space. */
export type PortCut = readonly [Protocol, number, number];

/** The cut points a NetworkPolicy's or Service's ports add to the port space. */
function portCutsOf(o: KObject, role: PartEntry['role']): PortCut[] {
  const out: PortCut[] = [];
  if (role === 'policy') {
    const np = o.networkPolicy;
    for (const r of [...(np?.ingress ?? []), ...(np?.egress ?? [])]) {
      for (const pp of r.ports ?? []) {
        if (!isProtocol(pp.protocol) || pp.port === undefined || !pp.port.known || typeof pp.port.value !== 'number') continue;
        const end = pp.endPort?.known === true ? pp.endPort.value : pp.port.value;
        out.push([pp.protocol, pp.port.value, end]);
        if (pp.endPort !== undefined && !pp.endPort.known) out.push([pp.protocol, pp.port.value, 65535]);
      }
    }
  } else if (role === 'cluster-policy') {
    const cp = o.clusterPolicy;
    for (const r of [...(cp?.ingress ?? []), ...(cp?.egress ?? [])]) {
      for (const pp of r.ports ?? []) {
        if (pp.protocol === undefined || !isProtocol(pp.protocol) || pp.port?.known !== true) continue;
        if (pp.kind === 'number') out.push([pp.protocol, pp.port.value, pp.port.value]);
        else if (pp.kind === 'range' && pp.end?.known === true) out.push([pp.protocol, pp.port.value, pp.end.value]);
      }
    }
  } else if (role === 'service') {
    for (const sp of o.service?.ports ?? []) {
      if (!isProtocol(sp.protocol)) continue;
      if (sp.port?.known === true) out.push([sp.protocol, sp.port.value, sp.port.value]);
      if (sp.targetPort?.known === true && typeof sp.targetPort.value === 'number')
        out.push([sp.protocol, sp.targetPort.value, sp.targetPort.value]);
    }
  }
  return exact(out);
}

/** What one file contributes to the engine for a unit choice: its unit and objects in file order. */
export interface FilePart {
  readonly uri: string;
  readonly unit: string;
  readonly entries: readonly PartEntry[];
  /** The index's array of the file's objects it was worked out from (the same while the file is unchanged). */
  readonly placed: readonly Placed[];
}

/**
 * The objects an engine is built from, one per identity, in (unit, file, position) order, and
 * what the class model's reuse is decided on.
 */
export interface Gathered {
  readonly producers: ReadonlyArray<{ readonly placed: Placed; readonly ns: string }>;
  readonly policies: ReadonlyArray<{ readonly placed: Placed; readonly ns: string }>;
  /** AdminNetworkPolicies, BaselineAdminNetworkPolicies and ClusterNetworkPolicies (cluster-scoped). */
  readonly clusterPolicies: readonly Placed[];
  readonly services: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly ingresses: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  /** Gateway API Gateways and routes (docs/dev/gateway-api.md §7), and GatewayClass controllers by class name. */
  readonly gateways: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  readonly routes: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  /** ReferenceGrants (docs/dev/gateway-api.md §4): which cross-namespace backendRefs a Gateway follows. */
  readonly grants: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  /** STUNner's StaticServices (`staticServices.ts`): address prefixes a STUNner route's backendRef may name. */
  readonly staticServices: ReadonlyArray<{ readonly placed: Placed; readonly namespace: string }>;
  /** OpenKruise SidecarSets (cluster-scoped, model/sidecarSet.ts): their containers' ports are the ports of the pods they inject into. */
  readonly sidecarSets: readonly Placed[];
  readonly gatewayClasses: ReadonlyMap<string, string | undefined>;
  readonly declared: ReadonlyMap<string, KObject>;
  /** The notes gathering wrote (objects left out, variants). */
  readonly notes: readonly string[];
  /** The port cut points of the accepted policies and Services. */
  readonly cuts: ReadonlyArray<readonly PortCut[]>;
  readonly perPodUsed: boolean;
  /** Compared entry by entry with the last engine's to decide whether its class model is reused. */
  readonly fingerprint: readonly unknown[];
}

export function sameCutList(a: readonly PortCut[], b: readonly PortCut[]): boolean {
  return a.length === b.length && a.every((c, i) => c[0] === b[i]?.[0] && c[1] === b[i]?.[1] && c[2] === b[i]?.[2]);
}

/** The options part of a `Gathered.fingerprint` (its first entries). */
export function optionsPrint(options: EngineOptions): unknown[] {
  return [
    options.podCIDRs.join(','),
    options.hostNetwork,
    options.namespaceNameLabel,
    JSON.stringify(options.ingressControllers),
    JSON.stringify(options.gatewayControllers ?? []),
    JSON.stringify(options.externalNamespaces),
    options.unit,
    JSON.stringify(options.virtualPods ?? []),
    options.namespaces?.join(','),
  ];
}

/**
 * The order in which `kubectl apply -f DIR` (and `-R`) applies files: Go's `filepath.Walk`, names
 * of one directory in lexical byte order, a directory's files where its name sorts. So paths
 * compare segment by segment (`a/b/x.yaml` before `a/b-c.yaml`, which a plain string compare
 * reverses: '-' sorts before '/'). UTF-16 order equals byte order on the ASCII names of manifests.
 */
export function kubectlFileOrder(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i] ?? '';
    const y = sb[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return sa.length - sb.length;
}

/** `now` is in another file of `was`'s unit that `kubectl apply -f` of the folder applies after it: it stays. */
function laterInUnit(was: Placed, now: Placed): boolean {
  return (
    was.obj.uri !== now.obj.uri && was.placements[0]?.unit === now.placements[0]?.unit && kubectlFileOrder(now.obj.uri, was.obj.uri) > 0
  );
}

function byUnitThenUri(a: FilePart | undefined, b: FilePart | undefined): number {
  const ua = a?.unit ?? '';
  const ub = b?.unit ?? '';
  const fa = a?.uri ?? '';
  const fb = b?.uri ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : fa < fb ? -1 : fa > fb ? 1 : 0;
}

export function filePart(uri: string, placed: readonly Placed[], unit: string | undefined): FilePart {
  const list = [...placed].sort((a, b) => a.obj.ordinal - b.obj.ordinal);
  const entries: PartEntry[] = [];
  for (const p of list) {
    const o = p.obj;
    const name = nameOf(o);
    if (isNamespace(o)) {
      if (name !== undefined) entries.push({ placed: p, role: 'namespace', id: name, ns: '', perPodLabels: false, cuts: [] });
      continue;
    }
    if (o.clusterPolicy !== undefined) {
      // Cluster-scoped: no namespace (docs/dev/cluster-policies.md).
      if (name === undefined) entries.push({ placed: p, role: 'install-time', id: 'cluster', ns: '', perPodLabels: false, cuts: [] });
      else
        entries.push({
          placed: p,
          role: 'cluster-policy',
          id: `${o.group}/${o.kind}//${name}`,
          ns: '',
          perPodLabels: false,
          cuts: portCutsOf(o, 'cluster-policy'),
        });
      continue;
    }
    if (o.gatewayClass !== undefined) {
      if (name !== undefined) entries.push({ placed: p, role: 'gatewayclass', id: name, ns: '', perPodLabels: false, cuts: [] });
      continue;
    }
    if (o.sidecarSet !== undefined) {
      // Cluster-scoped; one whose name is templated still injects: it is its own identity.
      const id = name === undefined ? `${o.uri}#${o.ordinal}` : name;
      entries.push({ placed: p, role: 'sidecarset', id: `${o.group}/${o.kind}//${id}`, ns: '', perPodLabels: false, cuts: [] });
      continue;
    }
    const ns = placementNamespace(p, unit);
    if (name === undefined || ns === undefined) {
      if (o.pod !== undefined || isNetworkPolicy(o))
        entries.push({ placed: p, role: 'install-time', id: '', ns: '', perPodLabels: false, cuts: [] });
      continue;
    }
    const role: PartEntry['role'] =
      o.pod !== undefined
        ? 'producer'
        : isNetworkPolicy(o) && o.networkPolicy !== undefined
          ? 'policy'
          : isCoreService(o) && o.service !== undefined
            ? 'service'
            : isIngress(o) && o.ingress !== undefined
              ? 'ingress'
              : isGatewayKind(o) && o.gateway !== undefined
                ? 'gateway'
                : (isRouteKind(o) && o.route !== undefined) || isOwnAnyPortRoute(o.group, o.kind)
                  ? 'route'
                  : o.referenceGrant !== undefined && o.group === GATEWAY_GROUP
                    ? 'grant'
                    : isStaticService(o.group, o.kind)
                      ? 'static-service'
                      : 'other';
    entries.push({
      placed: p,
      role,
      id: `${o.group}/${o.kind}/${ns}/${name}`,
      ns,
      perPodLabels: role === 'policy' && usesPerPodLabels(o),
      cuts: portCutsOf(o, role),
    });
  }
  return { uri, unit: list[0]?.placements[0]?.unit ?? '', entries: exact(entries), placed };
}

/** A gathering: the objects an engine is built from, and what the next engine's gathering starts from. */
export interface Gathering {
  /** The index it was taken from (the next gathering asks it what changed since). */
  readonly index: WorkspaceIndex;
  readonly options: EngineOptions;
  readonly gathered: Gathered;
  /** What each file contributes (reused while the file's `placed` array is the same). */
  readonly partByUri: ForkMap<string, FilePart>;
  /** Every file's part in the index's file order, and the (unit, file) order over them. */
  readonly partOrder: { readonly parts: readonly FilePart[]; readonly order: Int32Array } | undefined;
  /** The last gathering's objects with edited policies swapped in (`afterPolicyEdit`). */
  readonly fromPolicyEdit: boolean;
  /**
   * Taken from the last gathering with edited objects swapped in, identities kept (`afterScopedEdit`):
   * its pod producers that are new objects (the last one's object → the new one), so the class
   * model can be patched class by class (`ClassModel.patch`).
   */
  readonly swappedProducers?: ReadonlyMap<KObject, Placed>;
}

/**
 * The objects to build from. Sorted by (unit, file, position): files are sorted, objects keep
 * their order within a file. What a file contributes is worked out once per version of the file
 * (`partByUri`); after an edit that changed only NetworkPolicies the last gathering's objects are
 * taken with those policies swapped in (`afterPolicyEdit`). A gathering of given objects or
 * namespaces (the checks' scoped engines) groups them afresh.
 */
export function gather(index: WorkspaceIndex, options: EngineOptions, previous: Gathering | undefined): Gathering {
  const unit = options.unit;
  const scope = options.namespaces === undefined ? undefined : new Set(options.namespaces);
  const parts: FilePart[] = [];
  let partByUri = new ForkMap<string, FilePart>();
  let partOrder: Gathering['partOrder'];
  // `scope` first: a scoped engine's `options.objects` may be a getter that collects the
  // namespaces' objects, which an edit that keeps every identity never needs (afterScopedEdit).
  if (scope === undefined && options.objects === undefined) {
    const quick = previous === undefined ? undefined : afterPolicyEdit(index, options, previous);
    if (quick !== undefined) return quick;
    const reuseParts =
      previous !== undefined &&
      previous.options.unit === unit &&
      previous.options.objects === undefined &&
      previous.options.namespaces === undefined;
    const known = reuseParts ? previous.partByUri : undefined;
    const files = index.objectsByFile();
    const byUri = known !== undefined && known.size === files.length ? known.fork() : new ForkMap<string, FilePart>();
    const all: FilePart[] = [];
    for (const f of files) {
      const old = known?.get(f.uri);
      const part = old !== undefined && old.placed === f.placed ? old : filePart(f.uri, f.placed, unit);
      if (byUri.get(f.uri) !== part) byUri.set(f.uri, part);
      all.push(part);
    }
    // A file added and another removed leave the removed one's part behind: start afresh then.
    partByUri = byUri.size === all.length ? byUri : new ForkMap(all.map((p) => [p.uri, p] as const));
    // The (unit, file) order of the last gathering holds while every file keeps its place and unit.
    const before = reuseParts ? previous.partOrder : undefined;
    const sameOrder =
      before !== undefined &&
      before.parts.length === all.length &&
      all.every((p, i) => p.uri === before.parts[i]?.uri && p.unit === before.parts[i]?.unit);
    const order = sameOrder ? before.order : Int32Array.from(all.keys()).sort((x, y) => byUnitThenUri(all[x], all[y]));
    partOrder = { parts: all, order };
    for (const i of order) {
      const part = all[i];
      if (part !== undefined && part.entries.length > 0) parts.push(part);
    }
  } else {
    const quick = previous === undefined || scope === undefined ? undefined : afterScopedEdit(index, options, scope, previous);
    if (quick !== undefined) return quick;
    const byFile = new Map<string, Placed[]>();
    for (const p of options.objects ?? index.objects) {
      if (scope !== undefined && !inScope(p, scope, unit)) continue;
      const list = byFile.get(p.obj.uri);
      if (list === undefined) byFile.set(p.obj.uri, [p]);
      else list.push(p);
    }
    // A file whose objects are the last gathering's (an engine over the same namespaces) keeps its part.
    const known = previous !== undefined && previous.options.unit === unit ? previous.partByUri : undefined;
    for (const [uri, list] of byFile) {
      const old = known?.get(uri);
      const part =
        old !== undefined && old.placed.length === list.length && old.placed.every((p, i) => p === list[i])
          ? old
          : filePart(uri, list, unit);
      partByUri.set(uri, part);
      if (part.entries.length > 0) parts.push(part);
    }
    parts.sort(byUnitThenUri);
  }
  // The definition of each id taken (its place in `taken`): the first in (unit, file) order, except
  // that of one id defined in several files of one unit the last in kubectl's file order wins;
  // those ids are named in a note.
  const seen = new Map<string, number>();
  const taken: PartEntry[] = [];
  // The Namespace and GatewayClass declarations taken, by role and name.
  const clusterWide = new Map<string, Placed>();
  const twice: string[] = [];
  let twiceInFile = false;
  const producers: Array<{ placed: Placed; ns: string }> = [];
  const policies: Array<{ placed: Placed; ns: string }> = [];
  const clusterPolicies: Placed[] = [];
  let clusterInstallTime = 0;
  const services: Array<{ placed: Placed; namespace: string }> = [];
  const ingresses: Array<{ placed: Placed; namespace: string }> = [];
  const gateways: Array<{ placed: Placed; namespace: string }> = [];
  const routes: Array<{ placed: Placed; namespace: string }> = [];
  const grants: Array<{ placed: Placed; namespace: string }> = [];
  const staticServices: Array<{ placed: Placed; namespace: string }> = [];
  const sidecarSets: Placed[] = [];
  const gatewayClasses = new Map<string, string | undefined>();
  const declared = new Map<string, KObject>();
  let variantsSeen = false;
  let installTime = 0;
  let perPodUsed = false;
  const cuts: Array<readonly PortCut[]> = [];
  // Alternatives (analysis/units/alternatives.ts, docs/dev/units.md): the first in (unit, file)
  // order is taken, and nothing of the units and files that are its alternatives.
  const alts = index.alternatives;
  const takenUnits = new Set<string>();
  const takenFiles = new Set<string>();
  const leftOut = new Set<string>();
  // Units applied to another cluster than a unit taken earlier (Argo CD destinations) are left out as alternatives are.
  const takenClusters = new Set<string>();
  // Of each group of alternatives, the members taken (at most the first one and itself: `excluded` leaves the others out).
  const takenInGroup = new Map<ReadonlySet<string>, Set<string>>();
  const takeIn = (g: ReadonlySet<string>, m: string): void => {
    const set = takenInGroup.get(g);
    if (set === undefined) takenInGroup.set(g, new Set([m]));
    else set.add(m);
  };
  const excluded = (e: PartEntry): boolean => {
    if (alts === NO_ALTERNATIVES) return false;
    const u =
      (unit === undefined ? undefined : e.placed.placements.find((pl) => pl.unit === unit))?.unit ?? e.placed.placements[0]?.unit ?? '';
    const f = e.placed.obj.uri;
    const cluster = alts.clusters?.get(u);
    for (const x of alts.units.get(u) ?? []) {
      if (takenUnits.has(x)) {
        leftOut.add(u);
        return true;
      }
    }
    // An identity of many places (a group, units/alternatives.ts): a unit of one of u's groups taken earlier.
    if (alts.unitGroups?.get(u)?.some((g) => [...(takenInGroup.get(g) ?? [])].some((x) => x !== u)) === true) {
      leftOut.add(u);
      return true;
    }
    if (cluster !== undefined && [...takenClusters].some((c) => apartClusters(c, cluster))) {
      leftOut.add(u);
      return true;
    }
    if (cluster !== undefined) takenClusters.add(cluster);
    for (const x of alts.files.get(f) ?? []) {
      if (takenFiles.has(x)) {
        leftOut.add(f);
        return true;
      }
    }
    if (alts.fileGroups?.get(f)?.some((g) => [...(takenInGroup.get(g) ?? [])].some((x) => x !== f)) === true) {
      leftOut.add(f);
      return true;
    }
    takenUnits.add(u);
    takenFiles.add(f);
    for (const g of alts.unitGroups?.get(u) ?? []) takeIn(g, u);
    for (const g of alts.fileGroups?.get(f) ?? []) takeIn(g, f);
    return false;
  };
  for (const part of unit === undefined ? parts : pickedFirst(parts, unit)) {
    for (const e of part.entries) {
      // Namespaces and GatewayClasses: the first declaration, or the last of one unit's files (`laterInUnit`).
      if (e.role === 'namespace' || e.role === 'gatewayclass') {
        const key = `${e.role}/${e.id}`;
        const was = clusterWide.get(key);
        if (was !== undefined && !laterInUnit(was, e.placed)) continue;
        clusterWide.set(key, e.placed);
        if (e.role === 'namespace') declared.set(e.id, e.placed.obj);
        else gatewayClasses.set(e.id, e.placed.obj.gatewayClass?.controllerName);
        continue;
      }
      if (e.role === 'install-time') {
        if (e.id === 'cluster') clusterInstallTime++;
        else installTime++;
        continue;
      }
      if (excluded(e)) continue;
      const at = seen.get(e.id);
      const first = at === undefined ? undefined : taken[at];
      if (at !== undefined && first !== undefined) {
        // Two files of one unit (a tutorial's steps in one folder), or two documents of one file: --unit cannot pick
        // one of them. `kubectl apply -f` of the folder applies its files in lexical order and a file's documents in
        // order: the last one stays.
        const was = first.placed;
        if (was.placements[0]?.unit === e.placed.placements[0]?.unit) {
          const oneFile = was.obj.uri === e.placed.obj.uri;
          // Parts come in file order and a file's entries in document order: a later document of one file is `e`.
          const later = oneFile || laterInUnit(was, e.placed);
          const [kept, over] = later ? [e.placed, was] : [was, e.placed];
          if (later) taken[at] = e;
          twiceInFile ||= oneFile;
          const name = `${kept.obj.kind} ${kept.obj.name?.known === true ? kept.obj.name.value : ''}`;
          const [k, o] = [noteUri(index, kept.obj.uri), noteUri(index, over.obj.uri)]; // a packed subchart's file: its archive
          if (twice.length < 3) twice.push(oneFile ? `${name} (the last of its documents in ${k})` : `${name} (${k} over ${o})`);
          else if (twice.length === 3) twice.push('…');
        } else variantsSeen = true;
        continue;
      }
      seen.set(e.id, taken.length);
      taken.push(e);
    }
  }
  for (const e of taken) {
    if (e.cuts.length > 0) cuts.push(e.cuts);
    if (e.role === 'producer') producers.push({ placed: e.placed, ns: e.ns });
    else if (e.role === 'policy') {
      policies.push({ placed: e.placed, ns: e.ns });
      // Do selectors tell StatefulSet pods apart (docs/dev/design.md §5 per-pod labels)?
      perPodUsed ||= e.perPodLabels;
    } else if (e.role === 'cluster-policy') clusterPolicies.push(e.placed);
    else if (e.role === 'service') services.push({ placed: e.placed, namespace: e.ns });
    else if (e.role === 'ingress') ingresses.push({ placed: e.placed, namespace: e.ns });
    else if (e.role === 'gateway') gateways.push({ placed: e.placed, namespace: e.ns });
    else if (e.role === 'route') routes.push({ placed: e.placed, namespace: e.ns });
    else if (e.role === 'grant') grants.push({ placed: e.placed, namespace: e.ns });
    else if (e.role === 'static-service') staticServices.push({ placed: e.placed, namespace: e.ns });
    else if (e.role === 'sidecarset') sidecarSets.push(e.placed);
  }
  const notes: string[] = [];
  if (installTime > 0)
    notes.push(
      `${installTime} pod producer(s) or NetworkPolicies have a name or namespace decided at install time (templates, Helm release namespace); they are left out`,
    );
  if (clusterInstallTime > 0)
    notes.push(`${clusterInstallTime} cluster network policies have a name decided at install time (templates); they are left out`);
  if (variantsSeen && unit === undefined)
    notes.push(`several variants of some objects exist; the first unit in path order was used (${PICK_UNIT})`);
  if (twice.length > 0)
    notes.push(
      `some objects are defined twice in one folder or build; as kubectl apply of the whole folder, the last file in lexical order${twiceInFile ? ' (of one file, its last document)' : ''} was used: ${twice.join(', ')}`,
    );
  if (leftOut.size > 0)
    notes.push(
      unit === undefined
        ? `alternatives of units taken earlier in path order were left out: ${[...leftOut].sort().join(', ')} (${PICK_UNIT})`
        : `alternatives of the unit picked, or of units taken earlier in path order, were left out: ${[...leftOut].sort().join(', ')}`,
    );
  const fingerprint: unknown[] = [
    ...optionsPrint(options),
    perPodUsed,
    ingresses.length > 0,
    [...new Set(policies.map((p) => p.ns))].sort().join(','),
  ];
  // Gateway data planes are classes of the model (classModel.ts): it depends on the Gateways and classes.
  for (const g of gateways) fingerprint.push(g.placed.obj, g.namespace);
  for (const [name, controller] of gatewayClasses) fingerprint.push(name, controller);
  for (const d of declared.values()) fingerprint.push(d);
  // SidecarSets add ports to the classes (before the producers: `swapFingerprint` finds those last).
  for (const s of sidecarSets) fingerprint.push(s.obj);
  for (const p of producers) fingerprint.push(p.placed.obj, p.ns);
  const gathered: Gathered = {
    producers,
    policies,
    clusterPolicies,
    services,
    ingresses,
    gateways,
    routes,
    grants,
    staticServices,
    sidecarSets,
    gatewayClasses,
    declared,
    notes,
    cuts,
    perPodUsed,
    fingerprint,
  };
  // A scoped engine is patched after later edits (`afterScopedEdit`): its lists' positions are taken now.
  if (scope !== undefined) positionsOf(gathered);
  return { index, options, gathered, partByUri, partOrder, fromPolicyEdit: false };
}
