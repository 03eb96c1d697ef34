/**
 * The index's lookup lists: placed objects by namespace, unit, Service name and pod label, kept in
 * index order and forked per derived index (`workspace/forkMap.ts`: copy on write), so an edit replaces
 * only the lists its objects are in.
 */

import type { KObject } from '../model/types.js';
import { isBuiltinGroup, isCoreService, isNamespace } from '../model/kinds.js';
import { isInertGatewayObject } from '../model/gateway.js';
import { installsElsewhere } from '../model/operators.js';
import { uncertainLabelKeys } from '../model/labels.js';
import {
  firstSelectorPair,
  fluxSourceIds,
  isGatewayApiCrd,
  isGlobalObject,
  isPodCreatorRole,
  isTlsObject,
  releaseSourceIds,
} from './keys.js';
import { ForkMap } from './forkMap.js';
import type { Placed } from '../units/placement.js';
import { contentOf } from '../units/moved.js';

/**
 * Index order: by file, then position in the file. It does not depend on the order files were
 * added, so a derived index and a rebuilt one list the same objects the same way.
 */
export function byPlace(a: Placed, b: Placed): number {
  if (a.obj.uri !== b.obj.uri) return a.obj.uri < b.obj.uri ? -1 : 1;
  return a.obj.ordinal - b.obj.ordinal;
}

/** Where `p` goes in `list`, sorted `byPlace`. */
export function sortedIndex(list: readonly Placed[], p: Placed): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const x = list[mid];
    if (x !== undefined && byPlace(x, p) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where `p` is in `list` (sorted `byPlace`), or -1. Objects an edit moved (`replace`) may share a
 * place with a removed one, or sit out of order until it is removed: the run of equal places is
 * searched, then the whole list.
 */
function placeOf(list: readonly Placed[], p: Placed): number {
  for (let i = sortedIndex(list, p); i < list.length; i++) {
    const x = list[i];
    if (x === p) return i;
    if (x === undefined || byPlace(x, p) !== 0) break;
  }
  return list.indexOf(p);
}

type ListMap = ForkMap<string, Placed[]>;

export class ObjectLists {
  readonly producersByNs: ListMap;
  readonly servicesByNs: ListMap;
  readonly objectsByNs: ListMap;
  /** Floating objects (no namespace of their own) by the namespace they land in when applied. */
  readonly floatingByNs: ListMap;
  readonly producersByUnit: ListMap;
  readonly objectsByUnit: ListMap;
  readonly servicesByUnit: ListMap;
  /** Services by unit and name (`unit\u0000name`). */
  readonly servicesByUnitName: ListMap;
  readonly servicesByName: ListMap;
  /** Long-running and other producers by pod label pair `key=value`. */
  readonly producersByLabel: ListMap;
  /** Producers bound to a namespace by namespace and pod label pair (`ns\u0000key=value`): what a selector evaluated in a namespace reads. */
  readonly boundByLabel: ListMap;
  readonly declaredNamespaces: ForkMap<string, KObject[]>;
  /** Custom resources bound to a namespace that may make pods or Services: not Gateway API routes, grants, classes (`isInertGatewayObject`). */
  readonly customMakersByNs: ListMap;
  /**
   * Gateway API objects by role: `gw:<ns>` Gateways bound to a namespace, `gwname:<name>` bound
   * Gateways by name, `gwunit:<unit>` Gateways placed in a unit, `grant:<ns>` ReferenceGrants,
   * `route:<unit>` routes of a unit, `anyport:<name>` routes that reach Service `<name>`'s pods on any
   * port (`KObject.anyPortBackends`, STUNner's UDPRoute) (`WorkspaceIndex.gatewayApiObjects`).
   */
  readonly gatewayApi: ListMap;
  /** NetworkPolicies bound to a namespace, by namespace. */
  readonly policiesByNs: ListMap;
  /**
   * Pod producers bound to a namespace whose labels leave a key open (`model/labels.ts`
   * `uncertainLabelKeys`), by `ns\u0000key`, and those whose whole label map is open, by `ns`.
   */
  readonly uncertainProducers: ListMap;
  /** Core Services with a selector of known pairs, by namespace and first pair (`ns\u0000key=value`). */
  readonly servicesByFirstPair: ListMap;
  /** Roles bound to a namespace that let their subjects create pods (`KObject.createsPods`), by namespace. */
  readonly podCreatorRolesByNs: ListMap;
  /**
   * IngressClasses (`ingress`), GatewayClasses (`gateway`), Gateway API CRDs (`gatewaycrd`), SidecarSets
   * (`sidecarset`), Flux sources (`fluxsrc:<id>`) and the HelmReleases whose charts name one (`fluxuse:<id>`,
   * workspace/keys.ts `fluxSourceIds`, `releaseSourceIds`). Every route and custom resource is a global object too, so not filtered from those per index. */
  readonly classes: ListMap;
  /** TLS material and Secret producers (keys.ts `isTlsObject`) by `ns:<namespace>` (bound) and `unit:<unit>` (every placement). */
  readonly tls: ListMap;

  /** Empty lists, or forks of `prev`'s. */
  constructor(prev?: ObjectLists) {
    this.producersByNs = prev?.producersByNs.fork() ?? new ForkMap();
    this.servicesByNs = prev?.servicesByNs.fork() ?? new ForkMap();
    this.objectsByNs = prev?.objectsByNs.fork() ?? new ForkMap();
    this.floatingByNs = prev?.floatingByNs.fork() ?? new ForkMap();
    this.producersByUnit = prev?.producersByUnit.fork() ?? new ForkMap();
    this.objectsByUnit = prev?.objectsByUnit.fork() ?? new ForkMap();
    this.servicesByUnit = prev?.servicesByUnit.fork() ?? new ForkMap();
    this.servicesByUnitName = prev?.servicesByUnitName.fork() ?? new ForkMap();
    this.servicesByName = prev?.servicesByName.fork() ?? new ForkMap();
    this.producersByLabel = prev?.producersByLabel.fork() ?? new ForkMap();
    this.boundByLabel = prev?.boundByLabel.fork() ?? new ForkMap();
    this.declaredNamespaces = prev?.declaredNamespaces.fork() ?? new ForkMap();
    this.customMakersByNs = prev?.customMakersByNs.fork() ?? new ForkMap();
    this.policiesByNs = prev?.policiesByNs.fork() ?? new ForkMap();
    this.gatewayApi = prev?.gatewayApi.fork() ?? new ForkMap();
    this.uncertainProducers = prev?.uncertainProducers.fork() ?? new ForkMap();
    this.servicesByFirstPair = prev?.servicesByFirstPair.fork() ?? new ForkMap();
    this.podCreatorRolesByNs = prev?.podCreatorRolesByNs.fork() ?? new ForkMap();
    this.classes = prev?.classes.fork() ?? new ForkMap();
    this.tls = prev?.tls.fork() ?? new ForkMap();
  }

  /**
   * Removes `removed` and adds `added` in every list they belong to, keeping index order. A list an
   * edit touches is copied (the previous index keeps the old one) and changed at the edited objects'
   * places, found by binary search: no pass over its entries, however many the namespace holds.
   */
  reindex(removed: ReadonlySet<Placed>, added: readonly Placed[]): void {
    // Per list touched: the objects removed from it and added to it.
    const touched = new Map<ListMap, Map<string, { readonly removes: Placed[]; readonly adds: Placed[] }>>();
    const put = (map: ListMap, key: string, p: Placed, add: boolean): void => {
      let keys = touched.get(map);
      if (keys === undefined) touched.set(map, (keys = new Map()));
      let change = keys.get(key);
      if (change === undefined) keys.set(key, (change = { removes: [], adds: [] }));
      (add ? change.adds : change.removes).push(p);
    };
    const visit = (p: Placed, add: boolean): void => {
      for (const m of membershipsOf(p)) {
        const name = listOf(m);
        const key = m.slice(1);
        if (name !== 'declaredNamespaces') {
          put(this[name], key, p, add);
          continue;
        }
        const o = p.obj;
        const list = (this.declaredNamespaces.get(key) ?? []).filter((x) => x !== o);
        if (add) list.push(o);
        if (list.length > 0) this.declaredNamespaces.set(key, list);
        else this.declaredNamespaces.delete(key);
      }
    };
    for (const p of removed) visit(p, false);
    for (const p of added) visit(p, true);
    for (const [map, keys] of touched) {
      for (const [k, { removes, adds }] of keys) {
        const before = map.get(k) ?? [];
        let list: Placed[];
        if (removes.length > 8) {
          // A rebuild of many files: one pass.
          const gone = new Set(removes);
          list = before.filter((x) => !gone.has(x));
        } else {
          list = before.slice();
          for (const p of removes) {
            const i = placeOf(list, p);
            if (i >= 0) list.splice(i, 1);
          }
        }
        if (adds.length > 8) {
          // A build: one sort.
          for (const p of adds) list.push(p);
          list.sort(byPlace);
        } else {
          // An edit: each added object goes where it belongs (the list is sorted already).
          for (const p of adds) list.splice(sortedIndex(list, p), 0, p);
        }
        if (list.length === 0) map.delete(k);
        else map.set(k, list);
      }
    }
  }

  /**
   * Puts each moved object (`moved`: maps old → new, the same content, units/moved.ts; one per
   * edited file) where the old one was, in every list: the order stays (an edit moves the objects
   * after it together).
   */
  replace(moved: ReadonlyArray<ReadonlyMap<Placed, Placed>>): void {
    const lists = new Set<string>();
    for (const pairs of moved) for (const p of pairs.keys()) for (const m of membershipsOf(p)) lists.add(m);
    if (lists.size === 0) return;
    const one = moved.length === 1 ? moved[0] : undefined;
    const to = (p: Placed): Placed => (one !== undefined ? one.get(p) : movedTo(moved, p)) ?? p;
    // Namespace objects are listed as objects, not placed: their map is made only when one moved.
    let objects: Map<KObject, KObject> | undefined;
    for (const m of lists) {
      const name = listOf(m);
      const key = m.slice(1);
      if (name === 'declaredNamespaces') {
        const list = this.declaredNamespaces.get(key);
        if (list === undefined) continue;
        if (objects === undefined) {
          objects = new Map<KObject, KObject>();
          for (const pairs of moved) for (const [a, b] of pairs) objects.set(a.obj, b.obj);
        }
        const byObject = objects;
        this.declaredNamespaces.set(
          key,
          list.map((o) => byObject.get(o) ?? o),
        );
        continue;
      }
      const map = this[name];
      const list = map.get(key);
      if (list !== undefined) map.set(key, list.map(to));
    }
  }

  /** Pod producers, Services and Namespace objects of `ns` (what makes it owned). */
  ownerCount(ns: string): number {
    return (
      (this.declaredNamespaces.get(ns)?.length ?? 0) + (this.producersByNs.get(ns)?.length ?? 0) + (this.servicesByNs.get(ns)?.length ?? 0)
    );
  }
}

/** What an edit moved `p` to (`ObjectLists.replace`), if it did. */
export function movedTo(moved: ReadonlyArray<ReadonlyMap<Placed, Placed>>, p: Placed): Placed | undefined {
  for (const pairs of moved) {
    const next = pairs.get(p);
    if (next !== undefined) return next;
  }
  return undefined;
}

/** Records whether `uri` leaves `unit` broken (a file of it failed to parse, or a source is missing). */
export function markBroken(brokenFiles: ForkMap<string, Set<string>>, unit: string, uri: string, broken: boolean): void {
  const prev = brokenFiles.get(unit);
  const next = new Set(prev ?? []);
  if (broken) next.add(uri);
  else next.delete(uri);
  if (next.size === 0) brokenFiles.delete(unit);
  else brokenFiles.set(unit, next);
}

const LIST_NAMES = [
  'producersByNs',
  'servicesByNs',
  'objectsByNs',
  'floatingByNs',
  'producersByUnit',
  'objectsByUnit',
  'servicesByUnit',
  'servicesByUnitName',
  'servicesByName',
  'producersByLabel',
  'customMakersByNs',
  'policiesByNs',
  'gatewayApi',
  'uncertainProducers',
  'servicesByFirstPair',
  'podCreatorRolesByNs',
  'declaredNamespaces',
  'classes',
  'tls',
  'boundByLabel',
] as const;
type ListName = (typeof LIST_NAMES)[number];

/**
 * The lists a placed object is in, each as one string (the list's place in LIST_NAMES as a
 * character, then the key), by content: an object an edit only moved is in the same (units/moved.ts).
 */
const membershipCache = new WeakMap<Placed, readonly string[]>();

function membershipsOf(p: Placed): readonly string[] {
  const key = contentOf(p);
  let list = membershipCache.get(key);
  if (list === undefined) membershipCache.set(key, (list = memberships(p)));
  return list;
}

/** A membership's list and key. */
function listOf(m: string): ListName {
  return LIST_NAMES[m.charCodeAt(0)] ?? 'objectsByNs';
}

function memberships(p: Placed): string[] {
  const out: string[] = [];
  const put = (name: ListName, key: string): void => {
    out.push(String.fromCharCode(LIST_NAMES.indexOf(name)) + key);
  };
  const o = p.obj;
  const units = new Set(p.placements.map((pl) => pl.unit));
  const tls = isTlsObject(o);
  for (const unit of units) {
    put('objectsByUnit', unit);
    if (tls) put('tls', `unit:${unit}`);
    if (o.pod !== undefined) put('producersByUnit', unit);
    if (o.gateway !== undefined) put('gatewayApi', `gwunit:${unit}`);
    if (o.route !== undefined) put('gatewayApi', `route:${unit}`);
    if (o.service !== undefined) {
      put('servicesByUnit', unit);
      if (o.name?.known === true) put('servicesByUnitName', `${unit}\u0000${o.name.value}`);
    }
  }
  if (o.service !== undefined && o.name?.known === true) put('servicesByName', o.name.value);
  for (const b of new Set((o.anyPortBackends ?? []).map((x) => x.name))) put('gatewayApi', `anyport:${b}`);
  if (o.pod !== undefined)
    for (const e of o.pod.labels?.entries ?? []) if (e.value.known) put('producersByLabel', `${e.key}=${e.value.value}`);
  // A Flux HelmRelease makes its release's objects in its targetNamespace, wherever it is itself.
  const target = o.helmRelease?.targetNamespace;
  if (target !== undefined) put('customMakersByNs', target);
  // An ApplicationSet's Applications, each a release in its destination namespace (units/argocdSetCharts.ts).
  for (const ns of new Set((o.helmRelease?.generated ?? []).map((g) => g.namespace)))
    if (ns !== undefined && ns !== target) put('customMakersByNs', ns);
  const nsSeen = new Set<string>();
  for (const pl of p.placements) {
    if (pl.namespace !== undefined && pl.floating && !nsSeen.has(`\u0000${pl.namespace}`)) {
      nsSeen.add(`\u0000${pl.namespace}`);
      put('floatingByNs', pl.namespace);
    }
    if (pl.namespace === undefined || pl.floating || nsSeen.has(pl.namespace)) continue;
    nsSeen.add(pl.namespace);
    put('objectsByNs', pl.namespace);
    if (tls) put('tls', `ns:${pl.namespace}`);
    if (o.pod !== undefined) put('producersByNs', pl.namespace);
    if (isCoreService(o)) put('servicesByNs', pl.namespace);
    if (o.gateway !== undefined) put('gatewayApi', `gw:${pl.namespace}`);
    if (o.gateway !== undefined && o.name?.known === true) put('gatewayApi', `gwname:${o.name.value}`);
    if (o.referenceGrant !== undefined) put('gatewayApi', `grant:${pl.namespace}`);
    if (!isBuiltinGroup(o.group) && !isInertGatewayObject(o) && !installsElsewhere(o)) put('customMakersByNs', pl.namespace);
    if (o.networkPolicy !== undefined) put('policiesByNs', pl.namespace);
    const pair = isCoreService(o) ? firstSelectorPair(o) : undefined;
    if (pair !== undefined) put('servicesByFirstPair', `${pl.namespace}\u0000${pair}`);
    if (isPodCreatorRole(o)) put('podCreatorRolesByNs', pl.namespace);
    if (o.pod !== undefined) {
      for (const e of o.pod.labels?.entries ?? []) if (e.value.known) put('boundByLabel', `${pl.namespace}\u0000${e.key}=${e.value.value}`);
      const uncertain = uncertainLabelKeys(o.pod);
      if (uncertain.open) put('uncertainProducers', pl.namespace);
      for (const k of uncertain.keys) put('uncertainProducers', `${pl.namespace}\u0000${k}`);
    }
  }
  if (isNamespace(o) && o.name?.known === true) put('declaredNamespaces', o.name.value);
  if (o.ingressClass !== undefined && isGlobalObject(o)) put('classes', 'ingress');
  if (o.gatewayClass !== undefined && isGlobalObject(o)) put('classes', 'gateway');
  if (isGatewayApiCrd(o)) put('classes', 'gatewaycrd');
  if (o.sidecarSet !== undefined) put('classes', 'sidecarset');
  for (const id of fluxSourceIds(p)) put('classes', `fluxsrc:${id}`);
  for (const id of releaseSourceIds(p)) put('classes', `fluxuse:${id}`);
  return out;
}
