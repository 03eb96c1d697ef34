/**
 * The index's lookup lists: placed objects by namespace, unit, Service name and pod label, kept in
 * index order and forked per derived index (`index/forkMap.ts`: copy on write), so an edit replaces
 * only the lists its objects are in.
 */

import type { KObject } from '../model/types.js';
import { isCoreService, isNamespace } from '../model/kinds.js';
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
  }

  /** Removes `removed` and adds `added` in every list they belong to, keeping index order. */
  reindex(removed: ReadonlySet<Placed>, added: readonly Placed[]): void {
    const touched = new Map<ListMap, Set<string>>();
    const put = (map: ListMap, key: string, p: Placed, add: boolean): void => {
      let keys = touched.get(map);
      if (keys === undefined) touched.set(map, (keys = new Set()));
      if (!keys.has(key)) {
        keys.add(key);
        map.set(
          key,
          (map.get(key) ?? []).filter((x) => !removed.has(x)),
        );
      }
      if (add) map.get(key)?.push(p);
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
      for (const k of keys) {
        const list = map.get(k);
        if (list === undefined) continue;
        if (list.length === 0) map.delete(k);
        else list.sort(byPlace);
      }
    }
  }
}
