/**
 * Dependency keys: the names under which the index's accessors record what a check read, and the
 * keys an object is part of (a check that read any of them re-runs when the object changes; see
 * `WorkspaceIndex.track` and ARCHITECTURE.md).
 */

import type { DocumentEdit, FileFacts, KObject, RemoteChart } from '../model/types.js';
import { fluxSourceId, isFluxSource } from '../model/helmRelease.js';
import { isBuiltinGroup, isCoreService, isNamespace } from '../model/kinds.js';
import { isInertGatewayObject } from '../model/gateway.js';
import type { Contribution, Placed } from '../units/placement.js';
import { patchNamed } from '../units/placement.js';
import { uncertainLabelKeys } from '../model/labels.js';
import type { ObjectLists } from './lists.js';

/**
 * The first pair (by key) of a Service selector whose pairs are all known: a pod the Service
 * selects carries it, so `WorkspaceIndex.servicesSelectingPair` over a pod's label pairs finds
 * every such Service.
 */
export function firstSelectorPair(o: KObject): string | undefined {
  const map = o.service?.selector;
  if (map === undefined || map.unknown || map.entries.length === 0) return undefined;
  let first: string | undefined;
  let pair = '';
  for (const e of map.entries) {
    if (!e.value.known) return undefined;
    if (first === undefined || e.key < first) {
      first = e.key;
      pair = `${e.key}=${e.value.value}`;
    }
  }
  return pair;
}

/**
 * A pod producer's identity within its namespace (`group/kind/name`, as the reachability engine's
 * gathering keys it: one object per identity), or undefined (not a producer, or its name unknown).
 */
export function producerId(o: KObject): string | undefined {
  return o.pod === undefined || o.name?.known !== true ? undefined : `${o.group}/${o.kind}/${o.name.value}`;
}

/** A Role that lets its subjects create pods (model/rbac.ts `grantsPodCreation`): pods may be made at run time where it is bound. */
export function isPodCreatorRole(o: KObject): boolean {
  return o.createsPods === true && o.kind === 'Role';
}

/**
 * The identities (model/helmRelease.ts `fluxSourceId`) of a Flux source object, one per namespace it
 * is bound to: the index lists it under `fluxsrc:<id>` and it is part of that key.
 */
export function fluxSourceIds(p: Placed): string[] {
  const o = p.obj;
  if (!isFluxSource(o) || o.name?.known !== true) return [];
  const name = o.name.value;
  const ids = new Set<string>();
  for (const pl of p.placements) if (pl.namespace !== undefined && !pl.floating) ids.add(fluxSourceId(pl.namespace, o.kind, name));
  return [...ids];
}

/**
 * The identities of the source a Flux HelmRelease's chart names, one per namespace the release is
 * placed in (`sourceRef.namespace`, else the HelmRelease's own: none while it floats). The index
 * lists the release under `fluxuse:<id>` and it is part of that key.
 */
export function chartSourceIds(p: Placed, c: RemoteChart): string[] {
  const ref = c.source;
  if (ref === undefined) return [];
  const ids = new Set<string>();
  for (const pl of p.placements) {
    const ns = ref.namespace ?? (pl.floating ? undefined : pl.namespace);
    if (ns !== undefined) ids.add(fluxSourceId(ns, ref.kind, ref.name));
  }
  return [...ids];
}

/** The identities of the sources every chart of a release names (`chartSourceIds`). */
export function releaseSourceIds(p: Placed): string[] {
  const charts = p.obj.helmRelease?.remoteCharts ?? [];
  return charts.length === 0 ? [] : [...new Set(charts.flatMap((c) => chartSourceIds(p, c)))];
}

/** Objects whose change is felt by every namespace (cluster-scoped kinds, custom resources, CRDs). */
/** A CustomResourceDefinition of a Gateway API kind (`*.gateway.networking.k8s.io`): its channel annotation says which channel a cluster runs. */
export function isGatewayApiCrd(o: KObject): boolean {
  return (
    o.kind === 'CustomResourceDefinition' &&
    o.group === 'apiextensions.k8s.io' &&
    o.name?.known === true &&
    o.name.value.endsWith('.gateway.networking.k8s.io')
  );
}

export function isGlobalObject(o: KObject): boolean {
  return isNamespace(o) || o.kind === 'IngressClass' || o.kind === 'CustomResourceDefinition' || !isBuiltinGroup(o.group);
}

/** TLS material or a producer of TLS Secrets (a Secret, a Certificate, …): what the TLS checks read of a namespace or unit (`WorkspaceIndex.tlsObjects`). */
export function isTlsObject(o: KObject): boolean {
  return o.tlsMaterial === true || (o.tlsSecretNames?.length ?? 0) > 0 || o.certificateDnsNames !== undefined;
}

/** The addresses a Service object is reached at: cluster IPs, external IPs, the load-balancer IP. */
function serviceAddresses(o: KObject): string[] {
  const s = o.service;
  if (s === undefined) return [];
  return [s.clusterIP, ...s.clusterIPs, ...s.externalIPs, s.loadBalancerIP].filter(
    (ip): ip is string => ip !== undefined && ip !== 'None' && ip !== '',
  );
}

/** The addresses of the Services of `files`, in order, and the Services that have any (`WorkspaceIndex.serviceIps`). */
export interface ServiceIps {
  readonly all: ReadonlyArray<{ readonly ip: string; readonly svc: Placed }>;
  readonly owners: readonly Placed[];
}

export function serviceIpsIn(files: ReadonlyArray<{ readonly placed: readonly Placed[] }>): ServiceIps {
  const all: Array<{ ip: string; svc: Placed }> = [];
  const owners: Placed[] = [];
  for (const f of files)
    for (const svc of f.placed) {
      const ips = serviceAddresses(svc.obj);
      if (ips.length > 0) owners.push(svc);
      for (const ip of ips) all.push({ ip, svc });
    }
  return { all, owners };
}

/** `a.b.c` → `b.c`, `c`: the proper suffixes of a hostname, by label. */
function suffixes(name: string): string[] {
  const out: string[] = [];
  for (let i = name.indexOf('.'); i !== -1; i = name.indexOf('.', i + 1)) out.push(name.slice(i + 1));
  return out;
}

/**
 * The keys a route of `kind` answering `hostname` is part of, for the route tables of
 * `checks/gateway/routeTable.ts` (`gwroute:<unit>\u0000<kind>\u0000…`): a name `h:<name>` and `sub:<suffix>`
 * for each of its proper suffixes; a wildcard `*.T` `w:<T>` and the `sub:` keys of T's proper
 * suffixes; `*` (a route without hostnames: every hostname) the broad key ''.
 */
function hostnameKeys(unit: string, kind: string, hostname: string): string[] {
  const h = hostname.toLowerCase();
  const at = (k: string): string => `gwroute:${unit}\u0000${kind}\u0000${k}`;
  if (h === '*') return [at('')];
  const name = h.startsWith('*.') ? h.slice(2) : h;
  return [at(h.startsWith('*.') ? `w:${name}` : `h:${name}`), ...suffixes(name).map((x) => at(`sub:${x}`))];
}

/**
 * The keys a reader comparing routes of `kind` with `hostnames` reads: the routes of that kind whose
 * hostnames may intersect them (`hostnamesIntersect`) are part of one of these, and of the broad key
 * always. An exact reader compares equal hostnames only; a reader of every hostname (undefined),
 * every route of the kind (`gwroutes:`).
 */
export function routeReadKeys(unit: string, kind: string, hostnames: readonly string[] | undefined, exact: boolean): string[] {
  if (hostnames === undefined) return [`gwroutes:${unit}\u0000${kind}`];
  const at = (k: string): string => `gwroute:${unit}\u0000${kind}\u0000${k}`;
  const out = [at('')];
  for (const raw of hostnames) {
    const h = raw.toLowerCase();
    if (h === '*') continue;
    const wild = h.startsWith('*.');
    const name = wild ? h.slice(2) : h;
    out.push(at(wild ? `w:${name}` : `h:${name}`));
    if (exact) continue;
    // A name meets the wildcards over its suffixes; a wildcard meets those, and every name and wildcard under it.
    for (const x of suffixes(name)) out.push(at(`w:${x}`));
    if (wild) out.push(at(`sub:${name}`));
  }
  return out;
}

function routeHostKeys(o: KObject, unit: string, out: Set<string>): void {
  const hosts = o.route?.hostnames;
  out.add(`gwroutes:${unit}\u0000${o.kind}`);
  if (hosts === undefined) for (const k of hostnameKeys(unit, o.kind, '*')) out.add(k);
  else for (const h of hosts) if (h.known) for (const k of hostnameKeys(unit, o.kind, h.value)) out.add(k);
}

/**
 * The dependency keys an object is part of: a check that read any of them must re-run when the
 * object changes (see `WorkspaceIndex.track`).
 */
export function keysOfPlaced(p: Placed, out: Set<string>): void {
  const o = p.obj;
  for (const b of o.anyPortBackends ?? []) out.add(`gwapi:anyport:${b.name}`);
  for (const pl of p.placements) {
    out.add(`unit:${pl.unit}`);
    if (isTlsObject(o)) out.add(`tls-unit:${pl.unit}`);
    if (o.gateway !== undefined) out.add(`gwapi:gwunit:${pl.unit}`);
    if (o.route !== undefined) out.add(`gwapi:route:${pl.unit}`);
    if (o.route !== undefined) routeHostKeys(o, pl.unit, out);
    if (o.service !== undefined) out.add(`unit-svcs:${pl.unit}`);
    if (o.service !== undefined && o.name?.known === true) out.add(`unit-svc:${pl.unit}\u0000${o.name.value}`);
    if (pl.floating && o.pod !== undefined) out.add(`floating-pods:${pl.unit}`);
    if (pl.namespace !== undefined && pl.floating) out.add(`floating:${pl.namespace}`);
    if (pl.namespace === undefined || pl.floating) continue;
    out.add(`ns:${pl.namespace}`);
    if (isTlsObject(o)) out.add(`tls:${pl.namespace}`);
    // Pod producers and Services of a namespace have keys of their own: editing a NetworkPolicy
    // must not re-check every policy whose peers read the namespace's pods.
    if (o.pod !== undefined) out.add(`pods:${pl.namespace}`);
    const id = producerId(o);
    if (id !== undefined) out.add(`podid:${pl.namespace}\u0000${id}`);
    if (o.pod !== undefined) {
      for (const e of o.pod.labels?.entries ?? []) if (e.value.known) out.add(`nslabel:${pl.namespace}\u0000${e.key}=${e.value.value}`);
      const uncertain = uncertainLabelKeys(o.pod);
      if (uncertain.open) out.add(`pods-open:${pl.namespace}`);
      for (const k of uncertain.keys) out.add(`pods-uncertain:${pl.namespace}\u0000${k}`);
    }
    if (isCoreService(o)) out.add(`svcs:${pl.namespace}`);
    if (o.gateway !== undefined) out.add(`gwapi:gw:${pl.namespace}`);
    if (o.gateway !== undefined && o.name?.known === true) out.add(`gwapi:gwname:${o.name.value}`);
    if (o.referenceGrant !== undefined) out.add(`gwapi:grant:${pl.namespace}`);
    if (!isBuiltinGroup(o.group) && !isInertGatewayObject(o)) out.add(`crmakers:${pl.namespace}`);
    if (o.networkPolicy !== undefined) out.add(`netpols:${pl.namespace}`);
    const pair = isCoreService(o) ? firstSelectorPair(o) : undefined;
    if (pair !== undefined) out.add(`svcsel:${pl.namespace}\u0000${pair}`);
    if (isPodCreatorRole(o)) out.add(`podcreators:${pl.namespace}`);
  }
  // A release installs where its HelmRelease or Application says, an ApplicationSet's in its Applications' namespaces (lists.ts customMakersByNs).
  if (o.helmRelease?.targetNamespace !== undefined) out.add(`crmakers:${o.helmRelease.targetNamespace}`);
  for (const g of o.helmRelease?.generated ?? []) if (g.namespace !== undefined) out.add(`crmakers:${g.namespace}`);
  // A Flux source and the releases whose charts it holds find one another (checks/remoteSourceNotFetched.ts).
  for (const id of fluxSourceIds(p)) out.add(`fluxsrc:${id}`);
  for (const id of releaseSourceIds(p)) out.add(`fluxuse:${id}`);
  // Cluster-wide facts each have their own key, so editing a Namespace does not re-check everything.
  if (isNamespace(o) && o.name?.known === true) out.add(`nsdecl:${o.name.value}`);
  if (o.ingressClass !== undefined) out.add('ingressclasses');
  if (o.gatewayClass !== undefined) out.add('gatewayclasses');
  if (isGatewayApiCrd(o)) out.add('gatewaycrds');
  if (o.sidecarSet !== undefined) out.add('sidecarsets');
  if (o.clusterPolicy !== undefined) out.add('clusterpolicies');
  if (o.kind === 'CustomResourceDefinition' || !isBuiltinGroup(o.group)) out.add('crds');
  if (o.service !== undefined && o.name?.known === true) out.add(`svc:${o.name.value}`);
  if (o.service !== undefined && serviceAddresses(o).length > 0) out.add('svcips');
  for (const e of o.pod?.labels?.entries ?? []) if (e.value.known) out.add(`label:${e.key}=${e.value.value}`);
}

/**
 * The unit keys a file's change touches, from its contribution before and after: `unit:` for each
 * of its units (unless it was lowered document by document: its objects' keys say enough), and
 * `unitok:` when whether a unit is complete may have changed (only with the file's brokenness or
 * its units).
 */
export function unitKeys(
  before: Contribution | undefined,
  after: Contribution | undefined,
  documentEdit: boolean,
  keys: Set<string>,
): void {
  const units = after?.units ?? before?.units ?? [];
  const same =
    before !== undefined &&
    after !== undefined &&
    before.broken === after.broken &&
    before.units.length === after.units.length &&
    before.units.every((u, i) => after.units[i] === u);
  for (const u of units) {
    if (!documentEdit) keys.add(`unit:${u}`);
    if (!same) keys.add(`unitok:${u}`);
  }
  if (!same) for (const u of before?.units ?? []) keys.add(`unitok:${u}`);
}

/**
 * Which objects of the changed files an edit may have changed. A file lowered document by document
 * (`FileFacts.lastEdit`, from the facts the index held, with the workspace's structure unchanged)
 * changed only the objects of the documents it lowered again: the others moved at most, and touch no
 * key. `edits` holds such files.
 */
export function editedObjects(
  before: ReadonlyMap<string, FileFacts>,
  files: ReadonlyMap<string, FileFacts>,
  changed: ReadonlySet<string>,
  sameStructure: boolean,
): { edits: ReadonlySet<string>; touches: (uri: string, p: Placed, removed: boolean) => boolean } {
  const edits = new Map<string, DocumentEdit>();
  for (const uri of changed) {
    const edit = files.get(uri)?.lastEdit;
    // A patch-named file may stop or start placing objects with any edit (units/placement.ts `unclaimedPatch`): all touched.
    if (edit !== undefined && edit.baseSerial === before.get(uri)?.serial && sameStructure && !patchNamed(uri)) edits.set(uri, edit);
  }
  const touches = (uri: string, p: Placed, removed: boolean): boolean => {
    const e = edits.get(uri);
    if (e === undefined) return true;
    const from = e.firstObject;
    return p.obj.ordinal >= from && p.obj.ordinal < from + (removed ? e.removedObjects : e.addedObjects);
  };
  return { edits: new Set(edits.keys()), touches };
}

/**
 * Whether a namespace is owned (`owns`) changes only while it has few owners: with three or more
 * before and after, every object's answer is yes. Adds `owners:<ns>` for the namespaces `keys`
 * touched that had fewer before or after.
 */
function ownerKeys(keys: Set<string>, before: (ns: string) => number, after: (ns: string) => number): void {
  for (const k of [...keys]) {
    const ns = k.startsWith('pods:') || k.startsWith('svcs:') ? k.slice(5) : k.startsWith('nsdecl:') ? k.slice(7) : undefined;
    if (ns !== undefined && Math.min(before(ns), after(ns)) < 3) keys.add(`owners:${ns}`);
  }
}

/**
 * Adds `unit-anysvc:<unit>` (`WorkspaceIndex.hasServicesInUnit`) for the units whose `unit-svcs:` key
 * `keys` holds (a Service of theirs was edited, added or removed) that had none before or have none now.
 */
function anyServiceKeys(keys: Set<string>, before: (unit: string) => boolean, after: (unit: string) => boolean): void {
  const prefix = 'unit-svcs:';
  for (const k of [...keys]) {
    if (!k.startsWith(prefix)) continue;
    const unit = k.slice(prefix.length);
    if (before(unit) !== after(unit)) keys.add(`unit-anysvc:${unit}`);
  }
}

/**
 * The key of "any namespace's declaration or ownership" (`nsdecl:`, `owners:`): what a value computed
 * from every known namespace records instead of two keys per namespace (checks/support/policies.ts
 * `peerNamespaces`).
 */
export const ANY_NAMESPACE_KEY = 'nsany';

/**
 * The keys whose answer depends on how many objects a list holds (`ownerKeys`, `anyServiceKeys`), from the lists before and after a change;
 * then `ANY_NAMESPACE_KEY` when a namespace's declaration or ownership key is touched.
 */
export function countKeys(keys: Set<string>, before: ObjectLists, after: ObjectLists): void {
  ownerKeys(
    keys,
    (ns) => before.ownerCount(ns),
    (ns) => after.ownerCount(ns),
  );
  anyServiceKeys(
    keys,
    (unit) => (before.servicesByUnit.get(unit)?.length ?? 0) > 0,
    (unit) => (after.servicesByUnit.get(unit)?.length ?? 0) > 0,
  );
  for (const k of keys) {
    if (k.startsWith('nsdecl:') || k.startsWith('owners:')) {
      keys.add(ANY_NAMESPACE_KEY);
      break;
    }
  }
}

/** API groups of custom resources and CRDs among `objects` (`WorkspaceIndex.customGroups`). */
export function customGroupsOf(objects: readonly Placed[]): Set<string> {
  const set = new Set<string>();
  for (const p of objects) {
    const o = p.obj;
    if (!isBuiltinGroup(o.group)) set.add(o.group);
    if (o.kind === 'CustomResourceDefinition' && o.name?.known === true) {
      const g = o.name.value.split('.').slice(1).join('.');
      if (g !== '') set.add(g);
    }
  }
  return set;
}
