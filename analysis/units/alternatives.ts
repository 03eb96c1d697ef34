/**
 * Alternatives: units (Kustomize build roots, folders) and plain files that define the same
 * object are alternatives of one another, never deployed together (install flavours such as
 * `deploy/aws/` and `deploy/gcp/`, `manifests/v1/` and `manifests/v2/`, `quick-start.yaml` and
 * `quick-start-ha.yaml`, docs example folders, two overlays of one base into one namespace).
 * Applying both would make one overwrite the other, so each is judged without the other: the
 * checks' lookups from an object leave out the objects of its alternatives (`View`), and the
 * reachability engine takes, of alternatives, the first in path order (`kube-reach reach`).
 *
 * The rule (docs/dev/units.md):
 * - An object's *identity* is its group, kind, namespace (bound, or "floating" for namespace-less
 *   objects that nothing binds) and name. Only the identities of pod producers, Services,
 *   Ingresses and the Gateway API's Gateways and routes count: what an application *is* and how it
 *   is reached (test folders that each write Gateway `gw` and HTTPRoute `route` into `default` are
 *   applied one at a time). Two app folders that each carry a copy of a
 *   `default-deny` NetworkPolicy, a ConfigMap or a Namespace into one namespace are deployed
 *   together and stay so.
 * - The built-in workload kinds (Deployment, StatefulSet, DaemonSet, ReplicaSet,
 *   ReplicationController) count as one kind in an identity (`identityKind`).
 * - Two units that place an object of the same identity are alternatives (unit level).
 * - Two plain files (not built by Kustomize, not in a Helm chart) of one folder unit that define an
 *   object of the same identity are alternatives (file level); the folder's other files belong to
 *   every alternative.
 * - Objects whose namespace is decided at install time (a Helm release) have no identity here; a
 *   chart's object in a namespace its template writes has one (units/placement.ts).
 * - Units applied to different clusters (Argo CD Applications whose `destination` names them:
 *   `clusters`, keys from units/argocdDestination.ts) never meet: each leaves the other out as an
 *   alternative does. `name:` and `server:` keys are compared only with keys of their kind (a name
 *   is a `server:` key when a cluster Secret of the workspace registers it, `in-cluster` being
 *   `server:https://kubernetes.default.svc`); a unit without a known cluster meets every cluster.
 * - Rendered Helm output (`# Source:` documents) in plain files of one folder: an object whose name holds its
 *   release (`app.kubernetes.io/instance` or `release` label) has the identity of its name with the release
 *   taken out too, so the `helm template` outputs of one chart for several releases (test goldens, one per
 *   values file) are alternatives of one another.
 *
 * Pure: placed objects in, plain data out.
 */

import type { LabelMap } from '../model/types.js';
import type { Placed } from './placement.js';
import { basename, dirname } from '../workspace/paths.js';
import { contentOf } from './moved.js';
import { exact } from '../model/values.js';

/** One identity an object gives its unit (and file): encoded `unit \0 uri \0 plain \0 identity`. */
export type AltEntry = string;

export interface Alternatives {
  /** Unit → the units that are its alternatives (pairwise, from identities of at most `MAX_PAIRED` places). */
  readonly units: ReadonlyMap<string, ReadonlySet<string>>;
  /** Plain file → the files of its folder that are its alternatives (pairwise, as `units`). */
  readonly files: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Unit → the groups it belongs to, of identities placed in more than `MAX_PAIRED` places: every
   * two units of a group are alternatives (kept as one set per group, not pairwise: a docs folder of
   * a hundred snippets defining one Service); absent when there is none. `isUnitAlternative`.
   */
  readonly unitGroups?: ReadonlyMap<string, readonly ReadonlySet<string>[]>;
  /** Plain file → its groups, as `unitGroups` (more than `MAX_PAIRED` files of one folder defining one object). */
  readonly fileGroups?: ReadonlyMap<string, readonly ReadonlySet<string>[]>;
  /** Unit → the cluster it is applied to, when known (`name:…` or `server:…`); absent: no unit has one. */
  readonly clusters?: ReadonlyMap<string, string>;
  /** Equal signatures: equal relations (an edit that keeps it needs no re-check elsewhere). */
  readonly signature: string;
}

export const NO_ALTERNATIVES: Alternatives = { units: new Map(), files: new Map(), signature: '' };

/** Entries per placed object (by content: an object an edit only moved gives the same, units/moved.ts). */
const entriesOf = new WeakMap<Placed, readonly AltEntry[]>();

/** The identities one file's placed objects give their units (see the rule above). */
export function altEntries(uri: string, placed: readonly Placed[]): AltEntry[] {
  const out: AltEntry[] = [];
  for (const p of placed) {
    const key = contentOf(p);
    let entries = entriesOf.get(key);
    if (entries === undefined) entriesOf.set(key, (entries = entriesOfPlaced(uri, p)));
    for (const e of entries) out.push(e);
  }
  return exact(out);
}

const NO_ENTRIES: readonly AltEntry[] = [];

/** The entry that says which cluster a unit is applied to (`key` from units/argocdDestination.ts). */
const CLUSTER_ENTRY = '\u0005cluster:';

/** The clusters of a file's units, for those whose cluster is known (an Argo CD Application's destination). */
export function clusterEntries(uri: string, units: Iterable<string>, clusterOf: (unit: string) => string | undefined): AltEntry[] {
  const out: AltEntry[] = [];
  for (const u of units) {
    const c = clusterOf(u);
    if (c !== undefined) out.push(`${u}\u0000${uri}\u00000\u0000${CLUSTER_ENTRY}${c}`);
  }
  return out;
}

/** Whether two cluster keys name different clusters: keys of one kind that differ (a name's server is not known here). */
export function apartClusters(a: string, b: string): boolean {
  return a !== b && a.slice(0, a.indexOf(':')) === b.slice(0, b.indexOf(':'));
}

/** The built-in workload kinds: one name of one namespace is one application whichever of them runs it. */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/**
 * The kind part of an identity: the built-in workload kinds are one (a docs copy of an app that ran
 * its `unifi-controller` as a Deployment beside the app that now runs it as a StatefulSet: two
 * versions of one application, never deployed together).
 */
export function identityKind(group: string, kind: string): string {
  return WORKLOAD_KINDS.has(kind) && (group === 'apps' || group === '' || group === 'extensions') ? '\u0002workload' : `${group}/${kind}`;
}

function entriesOfPlaced(uri: string, p: Placed): readonly AltEntry[] {
  const o = p.obj;
  if (o.pod === undefined && o.service === undefined && o.ingress === undefined && o.gateway === undefined && o.route === undefined)
    return NO_ENTRIES;
  if (o.name?.known !== true) return NO_ENTRIES;
  const out: AltEntry[] = [];
  const plain = o.build === undefined;
  const release = plain && o.renderedHelm ? releaseOf(o.labels, o.name.value) : undefined;
  for (const pl of p.placements) {
    if (pl.namespace === undefined) continue;
    const ns = pl.floating ? '\u0001floating' : pl.namespace;
    const fileLevel = plain && pl.unit === dirname(uri);
    const kind = identityKind(o.group, o.kind);
    out.push(`${pl.unit}\u0000${uri}\u0000${fileLevel ? '1' : '0'}\u0000${kind}/${ns}/${o.name.value}`);
    // `helm template` outputs of one chart for several releases, committed in one folder (a chart's test goldens, one
    // per values file): the same object with the release name in its name. Each file is one release, never applied with another.
    if (release !== undefined && fileLevel)
      out.push(`${pl.unit}\u0000${uri}\u00001\u0000\u0003release/${kind}/${ns}/${o.name.value.split(release).join('\u0004')}`);
  }
  return exact(out);
}

/** The Helm release a rendered object names (its `app.kubernetes.io/instance` or `release` label), when its name holds it. */
function releaseOf(labels: LabelMap | undefined, name: string): string | undefined {
  for (const key of ['app.kubernetes.io/instance', 'release']) {
    const v = labels?.entries.find((e) => e.key === key)?.value;
    if (v?.known === true && v.value.length >= 3 && name.includes(v.value)) return v.value;
  }
  return undefined;
}

/**
 * Identities of at most this many places are related pairwise; those of more (a generated workspace
 * may repeat a name everywhere, a docs folder a Service in every snippet) form one group each, every
 * two of whose units (files) are alternatives: the relation is exact at any count, in linear space.
 */
export const MAX_PAIRED = 64;

/** Whether units `a` and `b` are alternatives. */
export function isUnitAlternative(alts: Alternatives, a: string, b: string): boolean {
  return a !== b && (alts.units.get(a)?.has(b) === true || shareGroup(alts.unitGroups, a, b));
}

/** Whether plain files `a` and `b` are alternatives. */
export function isFileAlternative(alts: Alternatives, a: string, b: string): boolean {
  return a !== b && (alts.files.get(a)?.has(b) === true || shareGroup(alts.fileGroups, a, b));
}

function shareGroup(groups: ReadonlyMap<string, readonly ReadonlySet<string>[]> | undefined, a: string, b: string): boolean {
  return groups?.get(a)?.some((g) => g.has(b)) === true;
}

/**
 * Every unit and plain file that has an alternative (paired, in a group of many, or applied to
 * another cluster than some other unit): what a reachability answer may leave out, and so what a
 * pick of one (`--unit`, the panel's Unit list) must offer.
 */
export function alternativeMembers(alts: Alternatives): Set<string> {
  const out = new Set<string>();
  if (alts === NO_ALTERNATIVES) return out;
  for (const map of [alts.units, alts.files, alts.unitGroups, alts.fileGroups]) for (const k of map?.keys() ?? []) out.add(k);
  if (alts.clusters !== undefined) {
    const keys = [...new Set(alts.clusters.values())];
    for (const [u, c] of alts.clusters) if (keys.some((k) => apartClusters(k, c))) out.add(u);
  }
  return out;
}

/** The plain files that are alternatives of `uri`. */
function fileAlternatives(alts: Alternatives, uri: string): Set<string> {
  return alternativesIn(alts.files, alts.fileGroups, uri);
}

function alternativesIn(
  pairs: ReadonlyMap<string, ReadonlySet<string>>,
  groups: ReadonlyMap<string, readonly ReadonlySet<string>[]> | undefined,
  key: string,
): Set<string> {
  const out = new Set(pairs.get(key));
  for (const g of groups?.get(key) ?? []) for (const x of g) if (x !== key) out.add(x);
  return out;
}

/** The alternatives relation from every file's entries (the same for the same entries in any order). */
export function computeAlternatives(entries: Iterable<readonly AltEntry[]>): Alternatives {
  const byId = new Map<string, Map<string, { unit: string; uri: string; plain: boolean }>>();
  const clusters = new Map<string, string>();
  for (const list of entries) {
    for (const e of list) {
      const [unit = '', uri = '', plain = '0', id = ''] = e.split('\u0000');
      if (id.startsWith(CLUSTER_ENTRY)) {
        clusters.set(unit, id.slice(CLUSTER_ENTRY.length));
        continue;
      }
      let places = byId.get(id);
      if (places === undefined) byId.set(id, (places = new Map()));
      const key = `${unit}\u0000${uri}`;
      if (!places.has(key)) places.set(key, { unit, uri, plain: plain === '1' });
    }
  }
  const units = new Map<string, Set<string>>();
  const files = new Map<string, Set<string>>();
  const relate = (map: Map<string, Set<string>>, a: string, b: string): void => {
    let s = map.get(a);
    if (s === undefined) map.set(a, (s = new Set()));
    s.add(b);
  };
  // Groups of more than MAX_PAIRED places, one set per distinct membership (the Deployment, Service and Ingress of one
  // app copied a hundred times are one group), whatever order the files come in.
  const unitGroups = new Map<string, Set<string>>();
  const fileGroups = new Map<string, Set<string>>();
  const group = (groups: Map<string, Set<string>>, members: Set<string>): void => {
    if (members.size < 2) return;
    const key = [...members].sort().join('\u0000');
    if (!groups.has(key)) groups.set(key, members);
  };
  for (const byPlace of byId.values()) {
    if (byPlace.size < 2) continue;
    const places = [...byPlace.values()];
    if (places.length > MAX_PAIRED) {
      group(unitGroups, new Set(places.map((p) => p.unit)));
      const plainByUnit = new Map<string, Set<string>>();
      for (const p of places) {
        if (!p.plain) continue;
        let set = plainByUnit.get(p.unit);
        if (set === undefined) plainByUnit.set(p.unit, (set = new Set()));
        set.add(p.uri);
      }
      for (const set of plainByUnit.values()) group(fileGroups, set);
      continue;
    }
    for (let i = 0; i < places.length; i++) {
      for (let j = i + 1; j < places.length; j++) {
        const a = places[i];
        const b = places[j];
        if (a === undefined || b === undefined) continue;
        if (a.unit !== b.unit) {
          relate(units, a.unit, b.unit);
          relate(units, b.unit, a.unit);
        } else if (a.uri !== b.uri && a.plain && b.plain) {
          relate(files, a.uri, b.uri);
          relate(files, b.uri, a.uri);
        }
      }
    }
  }
  const keys = [...new Set(clusters.values())];
  const apart = keys.some((a) => keys.some((b) => apartClusters(a, b)));
  if (units.size === 0 && files.size === 0 && unitGroups.size === 0 && fileGroups.size === 0 && !apart) return NO_ALTERNATIVES;
  const sig = (m: Map<string, Set<string>>): string =>
    [...m]
      .map(([k, v]) => `${k}>${[...v].sort().join(',')}`)
      .sort()
      .join(';');
  const groups = {
    ...(unitGroups.size > 0 ? { unitGroups: byMember(unitGroups.values()) } : {}),
    ...(fileGroups.size > 0 ? { fileGroups: byMember(fileGroups.values()) } : {}),
  };
  const groupSig =
    unitGroups.size + fileGroups.size > 0 ? `|${[...unitGroups.keys()].sort().join(';')}|${[...fileGroups.keys()].sort().join(';')}` : '';
  if (!apart) return { units, files, ...groups, signature: `${sig(units)}|${sig(files)}${groupSig}` };
  const clusterSig = [...clusters].map(([u, c]) => `${u}>${c}`).sort();
  return { units, files, ...groups, clusters, signature: `${sig(units)}|${sig(files)}${groupSig}|${clusterSig.join(';')}` };
}

/** Member → the groups that hold it. */
function byMember(groups: Iterable<ReadonlySet<string>>): Map<string, ReadonlySet<string>[]> {
  const out = new Map<string, ReadonlySet<string>[]>();
  for (const g of groups) {
    for (const m of g) {
      const list = out.get(m);
      if (list === undefined) out.set(m, [g]);
      else list.push(g);
    }
  }
  return out;
}

/**
 * What the checks see from an object that has alternatives: every object but those of its
 * alternatives. `key` identifies the view (lookups computed under it are cached under it);
 * `label` names the alternative in findings that depend on what it left out.
 */
export interface View {
  readonly key: string;
  readonly label: string;
  excludes(p: Placed): boolean;
}

/** The view of `p` (undefined: it has no alternatives, and sees everything). */
export function viewOf(alts: Alternatives, p: Placed): View | undefined {
  if (alts === NO_ALTERNATIVES) return undefined;
  const units = new Set<string>();
  const own = new Set<string>();
  for (const pl of p.placements) {
    own.add(pl.unit);
    for (const u of alts.units.get(pl.unit) ?? []) units.add(u);
  }
  for (const u of own) units.delete(u);
  // The groups of the own units (identities of many places): a unit of one, not an own unit, is an alternative too.
  const groups = alts.unitGroups === undefined ? [] : [...own].flatMap((u) => alts.unitGroups?.get(u) ?? []);
  const inGroup = (u: string): boolean => !own.has(u) && groups.some((g) => g.has(u));
  const pairedFiles = alts.files.get(p.obj.uri);
  const fileGroups = alts.fileGroups?.get(p.obj.uri) ?? [];
  const hasFiles = (pairedFiles?.size ?? 0) > 0 || fileGroups.length > 0;
  const otherCluster = clusterFilter(alts.clusters, own);
  if (units.size === 0 && groups.length === 0 && !hasFiles && otherCluster === undefined) return undefined;
  const ownUnits = [...own].sort();
  const key = `${ownUnits.join(',')}|${hasFiles ? p.obj.uri : ''}`;
  let label: string | undefined;
  const name = (): string =>
    hasFiles
      ? alternativeName(p.obj.uri, [...fileAlternatives(alts, p.obj.uri)])
      : p.obj.build === undefined
        ? alternativeName(ownUnits[0] ?? '', [...units, ...groups.flatMap((g) => [...g].filter((u) => !own.has(u)))])
        : '';
  const uri = p.obj.uri;
  return {
    key,
    // Named when a finding needs it (a group's members are many).
    get label(): string {
      return (label ??= name());
    },
    excludes: (q) =>
      (hasFiles && (pairedFiles?.has(q.obj.uri) === true || (q.obj.uri !== uri && fileGroups.some((g) => g.has(q.obj.uri))))) ||
      (q.placements.length > 0 && q.placements.every((pl) => units.has(pl.unit) || inGroup(pl.unit) || otherCluster?.(pl.unit) === true)),
  };
}

const distinct = new WeakMap<ReadonlyMap<string, string>, readonly string[]>();

function distinctClusters(clusters: ReadonlyMap<string, string>): readonly string[] {
  let keys = distinct.get(clusters);
  if (keys === undefined) distinct.set(clusters, (keys = [...new Set(clusters.values())]));
  return keys;
}

/**
 * Whether a unit is applied to a cluster none of `own`'s units is (each leaves the other out), or
 * undefined when that never holds: some unit of `own` has no known cluster, or no unit is apart.
 */
export function clusterFilter(
  clusters: ReadonlyMap<string, string> | undefined,
  own: Iterable<string>,
): ((unit: string) => boolean) | undefined {
  if (clusters === undefined) return undefined;
  const mine: string[] = [];
  for (const u of own) {
    const c = clusters.get(u);
    if (c === undefined) return undefined;
    mine.push(c);
  }
  if (mine.length === 0) return undefined;
  const apart = (c: string | undefined): boolean => c !== undefined && mine.every((m) => apartClusters(m, c));
  if (!distinctClusters(clusters).some(apart)) return undefined;
  return (unit) => apart(clusters.get(unit));
}

/**
 * How a finding names the alternative it was judged in: its path below the folder it shares with
 * its alternatives (`aws` for `deploy/aws` beside `deploy/gcp`, `quick-start-ha.yaml`).
 */
export function alternativeName(own: string, others: readonly string[]): string {
  let common = dirname(own);
  for (const o of others) while (common.length > 1 && !o.startsWith(common.endsWith('/') ? common : `${common}/`)) common = dirname(common);
  const rel = own.startsWith(`${common}/`) ? own.slice(common.length + 1) : own;
  return rel === '' || rel.includes('://') ? basename(own) : rel;
}

/**
 * What a change of the relation from `a` to `b` concerns: a predicate true for the objects whose
 * view changed (those of units and files whose alternatives differ) and, the relation being
 * symmetric, for every object some view now sees or leaves out where it did not (docs/dev/units.md
 * §2). Undefined when the change is not scoped: to or from no alternatives (lookups record other
 * keys then), or when the units applied to known clusters differ (a unit's cluster filter depends
 * on every unit's cluster).
 */
export function relationChange(a: Alternatives, b: Alternatives): ((p: Placed) => boolean) | undefined {
  if (a === NO_ALTERNATIVES || b === NO_ALTERNATIVES || !sameClusters(a.clusters, b.clusters)) return undefined;
  const units = differing(a.units, b.units);
  const files = differing(a.files, b.files);
  // A group that came or went (its membership changed: one of each): every member's alternatives changed.
  for (const m of changedGroupMembers(a.unitGroups, b.unitGroups)) units.add(m);
  for (const m of changedGroupMembers(a.fileGroups, b.fileGroups)) files.add(m);
  return (p) => files.has(p.obj.uri) || p.placements.some((pl) => units.has(pl.unit));
}

/** The members of the groups one relation has and the other has not (groups compared by membership). */
function changedGroupMembers(
  a: ReadonlyMap<string, readonly ReadonlySet<string>[]> | undefined,
  b: ReadonlyMap<string, readonly ReadonlySet<string>[]> | undefined,
): Set<string> {
  const out = new Set<string>();
  const keysOf = (m: ReadonlyMap<string, readonly ReadonlySet<string>[]> | undefined): Map<string, ReadonlySet<string>> => {
    const keys = new Map<string, ReadonlySet<string>>();
    for (const list of m?.values() ?? []) for (const g of list) if (!keys.has(groupKey(g))) keys.set(groupKey(g), g);
    return keys;
  };
  const ka = keysOf(a);
  const kb = keysOf(b);
  for (const [k, g] of ka) if (!kb.has(k)) for (const m of g) out.add(m);
  for (const [k, g] of kb) if (!ka.has(k)) for (const m of g) out.add(m);
  return out;
}

const groupKeys = new WeakMap<ReadonlySet<string>, string>();

function groupKey(g: ReadonlySet<string>): string {
  let k = groupKeys.get(g);
  if (k === undefined) groupKeys.set(g, (k = [...g].sort().join('\u0000')));
  return k;
}

function sameClusters(a: ReadonlyMap<string, string> | undefined, b: ReadonlyMap<string, string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.size === b.size && [...a].every(([u, c]) => b.get(u) === c);
}

/** The keys whose sets differ between two maps (a key absent from one counts as an empty set). */
function differing(a: ReadonlyMap<string, ReadonlySet<string>>, b: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const out = new Set<string>();
  const same = (x: ReadonlySet<string> | undefined, y: ReadonlySet<string> | undefined): boolean =>
    (x?.size ?? 0) === (y?.size ?? 0) && [...(x ?? [])].every((v) => y?.has(v) === true);
  for (const [k, v] of a) if (!same(v, b.get(k))) out.add(k);
  for (const [k, v] of b) if (!a.has(k) && !same(undefined, v)) out.add(k);
  return out;
}
