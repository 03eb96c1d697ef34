/**
 * The index's lookup lists: placed objects by namespace, unit, Service name and pod label, kept in
 * index order and forked per derived index (`workspace/forkMap.ts`: copy on write), so an edit replaces
 * only the lists its objects are in.
 */

import type { KObject } from '../model/types.js';
import { isBuiltinGroup, isCoreService, isNamespace } from '../model/kinds.js';
import { isInertGatewayObject } from '../model/gateway.js';
import { uncertainLabelKeys } from '../model/labels.js';
import { firstSelectorPair } from './keys.js';
import { ForkMap } from './forkMap.js';
import type { Placed } from '../units/placement.js';

/**
 * Index order: by file, then position in the file. It does not depend on the order files were
 * added, so a derived index and a rebuilt one list the same objects the same way.
 */
export function byPlace(a: Placed, b: Placed): number {
  if (a.obj.uri !== b.obj.uri) return a.obj.uri < b.obj.uri ? -1 : 1;
  return a.obj.ordinal - b.obj.ordinal;
}

/** Where `p` goes in `list`, sorted `byPlace`. */
function sortedIndex(list: readonly Placed[], p: Placed): number {
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
  readonly declaredNamespaces: ForkMap<string, KObject[]>;
  /** Custom resources (non-built-in groups) bound to a namespace, by namespace. */
  readonly customByNs: ListMap;
  /** Those of them that may make pods or Services: not Gateway API routes, grants, classes (`isInertGatewayObject`). */
  readonly customMakersByNs: ListMap;
  /** NetworkPolicies bound to a namespace, by namespace. */
  readonly policiesByNs: ListMap;
  /**
   * Pod producers bound to a namespace whose labels leave a key open (`model/labels.ts`
   * `uncertainLabelKeys`), by `ns\u0000key`, and those whose whole label map is open, by `ns`.
   */
  readonly uncertainProducers: ListMap;
  /** Core Services with a selector of known pairs, by namespace and first pair (`ns\u0000key=value`). */
  readonly servicesByFirstPair: ListMap;

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
    this.declaredNamespaces = prev?.declaredNamespaces.fork() ?? new ForkMap();
    this.customByNs = prev?.customByNs.fork() ?? new ForkMap();
    this.customMakersByNs = prev?.customMakersByNs.fork() ?? new ForkMap();
    this.policiesByNs = prev?.policiesByNs.fork() ?? new ForkMap();
    this.uncertainProducers = prev?.uncertainProducers.fork() ?? new ForkMap();
    this.servicesByFirstPair = prev?.servicesByFirstPair.fork() ?? new ForkMap();
  }

  /** Removes `removed` and adds `added` in every list they belong to, keeping index order. */
  reindex(removed: ReadonlySet<Placed>, added: readonly Placed[]): void {
    // Per list touched: the objects added to it.
    const touched = new Map<ListMap, Map<string, Placed[]>>();
    const put = (map: ListMap, key: string, p: Placed, add: boolean): void => {
      let keys = touched.get(map);
      if (keys === undefined) touched.set(map, (keys = new Map()));
      let adds = keys.get(key);
      if (adds === undefined) {
        keys.set(key, (adds = []));
        const list = map.get(key) ?? [];
        map.set(key, removed.size === 0 ? [...list] : list.filter((x) => !removed.has(x)));
      }
      if (add) adds.push(p);
    };
    const visit = (p: Placed, add: boolean): void => {
      const o = p.obj;
      const units = new Set(p.placements.map((pl) => pl.unit));
      for (const unit of units) {
        put(this.objectsByUnit, unit, p, add);
        if (o.pod !== undefined) put(this.producersByUnit, unit, p, add);
        if (o.service !== undefined) {
          put(this.servicesByUnit, unit, p, add);
          if (o.name?.known === true) put(this.servicesByUnitName, `${unit}\u0000${o.name.value}`, p, add);
        }
      }
      if (o.service !== undefined && o.name?.known === true) put(this.servicesByName, o.name.value, p, add);
      if (o.pod !== undefined)
        for (const e of o.pod.labels?.entries ?? []) if (e.value.known) put(this.producersByLabel, `${e.key}=${e.value.value}`, p, add);
      const nsSeen = new Set<string>();
      for (const pl of p.placements) {
        if (pl.namespace !== undefined && pl.floating && !nsSeen.has(`\u0000${pl.namespace}`)) {
          nsSeen.add(`\u0000${pl.namespace}`);
          put(this.floatingByNs, pl.namespace, p, add);
        }
        if (pl.namespace === undefined || pl.floating || nsSeen.has(pl.namespace)) continue;
        nsSeen.add(pl.namespace);
        put(this.objectsByNs, pl.namespace, p, add);
        if (o.pod !== undefined) put(this.producersByNs, pl.namespace, p, add);
        if (isCoreService(o)) put(this.servicesByNs, pl.namespace, p, add);
        if (!isBuiltinGroup(o.group)) put(this.customByNs, pl.namespace, p, add);
        if (!isBuiltinGroup(o.group) && !isInertGatewayObject(o)) put(this.customMakersByNs, pl.namespace, p, add);
        if (o.networkPolicy !== undefined) put(this.policiesByNs, pl.namespace, p, add);
        const pair = isCoreService(o) ? firstSelectorPair(o) : undefined;
        if (pair !== undefined) put(this.servicesByFirstPair, `${pl.namespace}\u0000${pair}`, p, add);
        if (o.pod !== undefined) {
          const uncertain = uncertainLabelKeys(o.pod);
          if (uncertain.open) put(this.uncertainProducers, pl.namespace, p, add);
          for (const k of uncertain.keys) put(this.uncertainProducers, `${pl.namespace}\u0000${k}`, p, add);
        }
      }
      if (isNamespace(o) && o.name?.known === true) {
        const name = o.name.value;
        const list = (this.declaredNamespaces.get(name) ?? []).filter((x) => x !== o);
        if (add) list.push(o);
        if (list.length > 0) this.declaredNamespaces.set(name, list);
        else this.declaredNamespaces.delete(name);
      }
    };
    for (const p of removed) visit(p, false);
    for (const p of added) visit(p, true);
    for (const [map, keys] of touched) {
      for (const [k, adds] of keys) {
        const list = map.get(k);
        if (list === undefined) continue;
        if (adds.length > 8) {
          // A build: one sort.
          for (const p of adds) list.push(p);
          list.sort(byPlace);
        } else {
          // An edit: each added object goes where it belongs (the list is sorted already).
          for (const p of adds) list.splice(sortedIndex(list, p), 0, p);
        }
        if (list.length === 0) map.delete(k);
      }
    }
  }

  /** Pod producers, Services and Namespace objects of `ns` (what makes it owned). */
  ownerCount(ns: string): number {
    return (
      (this.declaredNamespaces.get(ns)?.length ?? 0) + (this.producersByNs.get(ns)?.length ?? 0) + (this.servicesByNs.get(ns)?.length ?? 0)
    );
  }
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
