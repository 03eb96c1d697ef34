/**
 * The false-positive firewall (docs/dev/design.md §3.1, docs/dev/checks-spec.md §1): the one place that decides whether
 * an absence claim ("selects nothing", "does not exist") may be made, and how loud. No check
 * re-invents these rules.
 *
 * 1. Scope: the namespace is bound and owned by the workspace, the unit parsed completely, and it
 *    is not an external namespace. Otherwise: silent.
 * 2. Operators: a custom resource or controller could have produced the target. Otherwise: silent.
 *    Pods of the operators in model/operators.ts are workloads like any other; a custom resource of
 *    any other operator where the target should be takes the evidence away (information at most).
 * 3. Evidence: a plausible intended target (near-miss, labels on the wrong level, a sibling, a match
 *    in another namespace) makes a warning; without it, information.
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import { CONTROLLER_LABEL_KEYS } from '../../workspace/wellKnown.js';
import { shortPath } from '../../workspace/paths.js';
import { objectPath } from './objectPath.js';
import { isBuiltinGroup } from '../../model/kinds.js';
import { isInertGatewayObject } from '../../model/gateway.js';
import { isPodCreatorRole } from '../../workspace/keys.js';
import { installsElsewhere, makerNames, makesUnseenObjects, operatorServiceNames } from '../../model/operators.js';
import type { PodLabels } from '../../model/labels.js';
import { matchSelector, plainLabels, podLabelsOf } from '../../model/labels.js';
import type { KObject, LabelEntry, Selector } from '../../model/types.js';
import type { RelatedInformation } from '../../types.js';
import { selectsSome } from './selection.js';
import { assertedSelects } from './asserted.js';
import { EvidenceSearch } from './evidenceMemo.js';
import { podsUnderOtherValues } from './otherValues.js';
import { alternativeNote, podsInAlternative } from './alternativeTwin.js';
import { NO_ALTERNATIVES } from '../../units/alternatives.js';
import { nearEnough } from './nearby.js';
import { selectorKey } from '../../reachability/selectors.js';
import { dnsModel } from '../../settings.js';
import type { CheckContext, Finding } from './check.js';
import { isKeyPrefixVariant, isNearMissValue, scoreBound } from './similarity.js';

export type Gate = { readonly silent: true } | { readonly silent: false; readonly owned: boolean; readonly namespace: string | undefined };

/**
 * Whether an absence claim about `obj` placed at `placement` may be made at all. `ownReference`:
 * the claim is about a name `obj` itself gives (a StatefulSet's `serviceName`), so a floating unit
 * whose one workload is `obj` still makes it.
 */
export function absenceGate(ctx: CheckContext, obj: KObject, placement: Placement, ownReference = false): Gate {
  if (!ctx.index.unitComplete(placement.unit)) return { silent: true };
  // Floating objects, and a Helm chart's objects in its (install-time) release namespace, are
  // judged within their unit: they land together wherever the unit is applied. A unit without a
  // workload besides `obj` (a folder of Service or policy snippets) makes no claims.
  if (placement.floating || placement.namespace === undefined) {
    if (ownReference && placement.floating && placement.namespace !== undefined)
      return { silent: false, owned: true, namespace: undefined };
    const owned = ctx.index.producersOfUnit(placement.unit).some((p) => p.obj !== obj);
    return owned ? { silent: false, owned, namespace: undefined } : { silent: true };
  }
  const ns = placement.namespace;
  if (ns === undefined) return { silent: true };
  if (ctx.settings.externalNamespaces.some((e) => e.name === ns)) return { silent: true };
  const owned = ctx.index.owns(ns, obj) || ctx.settings.completeNamespaces.includes(ns);
  return { silent: false, owned, namespace: ns };
}

/** Every unit of the object parsed completely (a broken document may hold what a check looks for). */
export function unitsComplete(ctx: CheckContext, placed: Placed): boolean {
  return placed.placements.every((p) => ctx.index.unitComplete(p.unit));
}

/** Pod producers that could be selected from `placement`: bound to its namespace, or floating in its unit. */
export function candidateProducers(ctx: CheckContext, placement: Placement): Placed[] {
  if (placement.floating || placement.namespace === undefined) return [...ctx.index.producersOfUnit(placement.unit)];
  const bound = ctx.index.producersIn(placement.namespace);
  // Only the unit's floating producers: an edit of another bound object of the unit changes nothing here.
  const floating = ctx.index.floatingProducersOfUnit(placement.unit);
  return floating.length === 0 ? [...bound] : [...new Set([...bound, ...floating])];
}

const labelCache = new WeakMap<Placed, PodLabels>();

export function labelsOf(p: Placed): PodLabels {
  let l = labelCache.get(p);
  if (l === undefined) {
    l = p.obj.pod === undefined ? plainLabels(new Map()) : podLabelsOf(p.obj.pod);
    labelCache.set(p, l);
  }
  return l;
}

/**
 * A workload's own label `key` (metadata.labels, then spec.selector's matchLabels over them): where
 * labels on the wrong level are. Read from the entries (the last known one wins, as a map built
 * from them in that order has it): no map per workload, which a selector that starts missing in a
 * namespace of thousands would build for each of them.
 */
function metaLabel(p: Placed, key: string): string | undefined {
  return lastKnown(p.obj.pod?.workloadSelector?.matchLabels?.entries, key) ?? lastKnown(p.obj.labels?.entries, key);
}

function lastKnown(entries: readonly LabelEntry[] | undefined, key: string): string | undefined {
  for (let i = (entries?.length ?? 0) - 1; i >= 0; i--) {
    const e = entries?.[i];
    if (e !== undefined && e.key === key && e.value.known) return e.value.value;
  }
  return undefined;
}

export interface SelectorOutcome {
  readonly matched: readonly Placed[];
  /** Some candidate's match depends on unknown values. */
  readonly maybe: boolean;
}

export function evaluateSelector(candidates: readonly Placed[], sel: Selector): SelectorOutcome {
  const matched: Placed[] = [];
  let maybe = false;
  for (const c of candidates) {
    const r = matchSelector(sel, labelsOf(c));
    if (r === 'yes') matched.push(c);
    else if (r === 'unknown') maybe = true;
  }
  return { matched, maybe };
}

/** Something other than a manifest (an operator, a controller) may make the selected pods. */
export function operatorSignal(ctx: CheckContext, namespace: Placement | string | undefined, sel: Selector): boolean {
  const keys = [...(sel.matchLabels?.entries.map((e) => e.key) ?? []), ...sel.matchExpressions.map((r) => r.key)];
  if (keys.some((k) => CONTROLLER_LABEL_KEYS.has(k))) return true;
  for (const k of keys) {
    const slash = k.indexOf('/');
    if (slash === -1) continue;
    const prefix = k.slice(0, slash);
    for (const g of ctx.index.customGroups) if (g === prefix || g.endsWith('.' + prefix) || prefix.endsWith('.' + g)) return true;
  }
  if (namespace !== undefined) {
    // Once per scope, not per selector: a namespace of a thousand Services and routes asked this a thousand times.
    // Only custom resources that may make pods count: an HTTPRoute named `web` makes no pod labelled `app: web`.
    const crNames = ctx.index.cached(
      `cr-names:${scopeKey(namespace)}`,
      () =>
        new Set(
          makersAt(ctx, namespace)
            .filter((o) => o.pod === undefined)
            .flatMap((o) => makerNames(o, namespace)),
        ),
    );
    for (const e of sel.matchLabels?.entries ?? []) if (e.value.known && crNames.has(e.value.value)) return true;
  }
  return false;
}

/**
 * Custom resources at `at` whose operator may make pods (or Services) the workspace cannot see: not
 * in the operator registry (whose pods are workloads of the index) and not known to make none, or a
 * Flux HelmRelease installing here (model/operators.ts). Where one exists, an absence claim has no evidence: information at most.
 */
export function unseenPodMakers(ctx: CheckContext, at: Placement | string): readonly KObject[] {
  return ctx.index.cached(`unseen-makers:${scopeKey(at)}`, () =>
    makersAt(ctx, at).filter((o) => o.madeBy === undefined && o.pod === undefined && makesUnseenObjects(o)),
  );
}

/**
 * Roles at `at` that let their subjects create pods (model/rbac.ts `grantsPodCreation`): a workload
 * holding one may make pods at run time (JupyterHub's hub spawns the single-user servers), which no
 * manifest defines. Where one exists, a selector that matches nothing has no evidence of a mistake.
 * Bound to a namespace: the Roles bound there; floating (a Helm release's namespace): the unit's
 * floating Roles. ClusterRoles (granted in a namespace only through a binding) are not counted.
 */
export function runTimePodCreators(ctx: CheckContext, at: Placement | string): readonly KObject[] {
  return ctx.index.cached(`pod-creators:${scopeKey(at)}`, () => {
    const ns = typeof at === 'string' ? at : at.namespace !== undefined && !at.floating ? at.namespace : undefined;
    if (ns !== undefined) return ctx.index.podCreatorRolesIn(ns).map((p) => p.obj);
    if (typeof at === 'string') return [];
    const unit = at.unit;
    return ctx.index
      .objectsOfUnit(unit)
      .filter((p) => isPodCreatorRole(p.obj) && p.placements.some((x) => x.unit === unit && (x.floating || x.namespace === undefined)))
      .map((p) => p.obj);
  });
}

/** A cache key for a scope: a bound namespace, or a unit's floating objects. */
function scopeKey(at: Placement | string): string {
  if (typeof at === 'string') return at;
  return at.namespace !== undefined && !at.floating ? at.namespace : `\u0000${at.unit}`;
}

/**
 * The custom resources at `at` (bound to its namespace, or, floating or in a Helm release namespace,
 * in its unit) that may make pods or Services: not the Gateway API's routes, grants and classes, on
 * a key of their own (`crmakers:`), so an edit of one route does not re-check every absence claim
 * of its namespace.
 */
function makersAt(ctx: CheckContext, at: Placement | string): readonly KObject[] {
  const ns = typeof at === 'string' ? at : at.namespace !== undefined && !at.floating ? at.namespace : undefined;
  if (ns !== undefined) return ctx.index.cached(`crmakers:${ns}`, () => ctx.index.customMakersIn(ns).map((p) => p.obj));
  if (typeof at === 'string') return [];
  const unit = at.unit;
  return ctx.index.cached(`unit-crmakers:${unit}`, () =>
    ctx.index
      .objectsOfUnit(unit)
      .filter(
        (p) =>
          !isBuiltinGroup(p.obj.group) &&
          !isInertGatewayObject(p.obj) &&
          !installsElsewhere(p.obj) &&
          p.placements.some((x) => x.unit === unit && (x.floating || x.namespace === undefined)),
      )
      .map((p) => p.obj),
  );
}

/** A name produced by an operator: equal to a custom resource's name, starting with `<name>-`, or a Service name the operator fixes. */
export function operatorProducedName(ctx: CheckContext, at: Placement | string, name: string): boolean {
  // Gateway API routes, grants and classes make nothing (a Gateway's controller may make its Service).
  // The names are gathered once per scope: a thousand missing backends ask a thousand times.
  const names = ctx.index.cached(`operator-names:${scopeKey(at)}`, () => {
    const services = new Set<string>();
    const crs = new Set<string>();
    for (const o of makersAt(ctx, at)) {
      // Governing Services the operator names itself (model/operators.ts): `prometheus-operated`.
      for (const s of operatorServiceNames(o.group, o.kind, o.name?.known === true ? o.name.value : undefined)) services.add(s);
      for (const n of makerNames(o, at)) crs.add(n);
    }
    return { services, crs };
  });
  if (names.services.has(name) || names.crs.has(name)) return true;
  // `<custom resource>-…`: every prefix of the name that ends before a dash.
  for (let i = name.indexOf('-'); i !== -1; i = name.indexOf('-', i + 1)) if (names.crs.has(name.slice(0, i))) return true;
  return false;
}

export function describe(o: KObject, namespace?: string): string {
  if (o.name?.known !== true) return `${o.kind} (templated name)`;
  const name = o.name.value;
  return namespace === undefined ? `${o.kind} "${name}"` : `${o.kind} "${namespace}/${name}"`;
}

export interface Nearest {
  readonly placed: Placed;
  readonly shared: number;
  /** Selector pairs the candidate lacks or has with another value. */
  readonly differing: ReadonlyArray<{ readonly entry: LabelEntry; readonly have: string | undefined }>;
}

const KIND_ORDER = ['Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'ReplicaSet', 'Job', 'CronJob'];

/** The pod template sharing the most selector pairs (ties: kind, then name) — docs/dev/design.md §3.3. */
export function nearestProducer(candidates: readonly Placed[], sel: Selector): Nearest | undefined {
  const pairs = (sel.matchLabels?.entries ?? []).filter((e) => e.value.known);
  if (pairs.length === 0) return undefined;
  let best: Nearest | undefined;
  let bestScore = -1;
  const rank = (p: Placed): number => (KIND_ORDER.includes(p.obj.kind) ? KIND_ORDER.indexOf(p.obj.kind) : KIND_ORDER.length);
  const nameOf = (p: Placed): string => (p.obj.name?.known === true ? p.obj.name.value : '');
  for (const c of candidates) {
    const labels = labelsOf(c);
    // Not scored (no near-miss distances) when it cannot reach the best score: one hover walks a namespace's pods.
    if (best !== undefined && scoreBound(pairs, labels.known) < bestScore) continue;
    let shared = 0;
    const differing: Array<{ entry: LabelEntry; have: string | undefined }> = [];
    for (const e of pairs) {
      const have = labels.known.get(e.key);
      if (e.value.known && have === e.value.value) shared++;
      else differing.push({ entry: e, have });
    }
    // A differing value that is a near-miss counts half a shared pair, so "catalgo" finds "catalog".
    const score =
      shared +
      0.5 * differing.filter((d) => d.have !== undefined && d.entry.value.known && isNearMissValue(d.entry.value.value, d.have)).length;
    const better =
      best === undefined ||
      score > bestScore ||
      (score === bestScore && (rank(c) < rank(best.placed) || (rank(c) === rank(best.placed) && nameOf(c) < nameOf(best.placed))));
    if (better) {
      best = { placed: c, shared, differing };
      bestScore = score;
    }
  }
  return best;
}

export type EvidenceKind = 'near-miss' | 'key-prefix' | 'wrong-level' | 'wrong-namespace' | 'sibling';

export interface Evidence {
  readonly kind: EvidenceKind;
  readonly candidate: Placed;
  /** The sentence after the first line, naming the candidate. */
  readonly detail: string;
  readonly related: RelatedInformation;
  /** For a one-pair near-miss: the selector entry and the candidate's value. */
  readonly fix?: { readonly entry: LabelEntry; readonly key: string; readonly value: string };
}

function related(p: Placed, message: string): RelatedInformation {
  const span = p.obj.pod?.labelsSpan ?? p.obj.anchor;
  return { uri: p.obj.uri, span, message };
}

/**
 * What qualifying as evidence depends on besides the candidate: the selector (every value known),
 * where the object is placed, whether it is a peer, and `own` (the object's file, name and app
 * identity). Undefined when nothing may be carried: a view leaves some objects out (alternatives).
 */
function evidenceKey(ctx: CheckContext, placement: Placement, sel: Selector, peer: boolean, own: readonly string[]): string | undefined {
  if (sel.unknown || ctx.index.alternatives !== NO_ALTERNATIVES) return undefined;
  if ((sel.matchLabels?.entries ?? []).some((e) => !e.value.known)) return undefined;
  return [placement.namespace ?? '', placement.unit, String(placement.floating), String(peer), selectorKey(sel), ...own].join('\u0000');
}

/**
 * Looks for a plausible intended target of a selector that matched nothing (docs/dev/checks-spec.md §1.3).
 * `obj` is the Service or policy; `candidates` the producers in its scope. Evidence must be about
 * the pods the selector names: with `peer` (a policy peer's podSelector, which names other pods
 * than the policy's own), a producer that merely shares the policy's name or app identity is a
 * neighbour of the policy, not the missing peer, and is not evidence.
 */
export function selectorEvidence(
  ctx: CheckContext,
  obj: KObject,
  placement: Placement,
  sel: Selector,
  candidates: readonly Placed[],
  peer = false,
): Evidence | undefined {
  const from = obj.uri;
  const entries = sel.matchLabels?.entries ?? [];
  const ownName = obj.name?.known === true ? obj.name.value : undefined;
  const identity = (obj.labels?.entries ?? []).filter(
    (e) => ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance'].includes(e.key) && e.value.known,
  );
  // Each kind of evidence names the candidate that sorts first by its description (then by its
  // place among the candidates), describing only those that qualify; whether a candidate
  // qualifies is carried from the last index for the files an edit did not change (issue #21).
  const search = new EvidenceSearch(
    ctx.index,
    evidenceKey(ctx, placement, sel, peer, [
      obj.uri,
      ownName ?? '',
      ...identity.map((e) => `${e.key}=${e.value.known ? e.value.value : ''}`),
    ]),
    candidates,
    (c) => describe(c.obj),
  );
  const first = (kind: EvidenceKind, qualifies: (c: Placed) => boolean): Placed | undefined => search.first(kind, qualifies);
  // Labels on the wrong level: on the workload's metadata.labels or spec.selector, not the pod template.
  const wrongLevel =
    entries.length === 0
      ? undefined
      : first('wrong-level', (c) => entries.every((e) => e.value.known && metaLabel(c, e.key) === e.value.value));
  if (wrongLevel !== undefined) {
    const c = wrongLevel;
    const missing = entries
      .filter((e) => e.value.known && labelsOf(c).known.get(e.key) !== e.value.value)
      .map((e) => `${e.key}=${e.value.known ? e.value.value : ''}`);
    // An operator's resource (model/operators.ts): its pods get the labels the operator gives them, not its own.
    const where =
      c.obj.pod?.workloadSelector === undefined && !isBuiltinGroup(c.obj.group)
        ? `the labels of the pods its operator makes (docs/operators.md)`
        : 'pod template labels (spec.template.metadata.labels)';
    return {
      kind: 'wrong-level',
      candidate: c,
      detail: `${describe(c.obj)} (${objectPath(ctx.index, c.obj.uri, from)}) has ${missing.join(', ')} in metadata.labels, but selectors match ${where}, which lack it.`,
      related: related(c, `${describe(c.obj)}: pod template labels`),
    };
  }
  // One pair differs by a near-miss value, or the same value under a prefixed key.
  if (sel.matchExpressions.length === 0) {
    const pairs = entries.filter((e) => e.value.known);
    /** The one pair the candidate does not carry, with the value it has under that key. */
    const oneDiffering = (c: Placed): { entry: LabelEntry; key: string; want: string; have: string | undefined } | undefined => {
      const labels = labelsOf(c);
      let d: LabelEntry | undefined;
      for (const e of pairs) {
        if (e.value.known && labels.known.get(e.key) === e.value.value) continue;
        if (d !== undefined) return undefined;
        d = e;
      }
      if (d === undefined || !d.value.known) return undefined;
      return { entry: d, key: d.key, want: d.value.value, have: labels.known.get(d.key) };
    };
    const nearMiss = first('near-miss', (c) => {
      const d = oneDiffering(c);
      return d?.have !== undefined && isNearMissValue(d.want, d.have);
    });
    const nd = nearMiss === undefined ? undefined : oneDiffering(nearMiss);
    if (nearMiss !== undefined && nd?.have !== undefined) {
      const c = nearMiss;
      return {
        kind: 'near-miss',
        candidate: c,
        detail: `${describe(c.obj)} (${objectPath(ctx.index, c.obj.uri, from)}) has ${nd.key}=${nd.have}.`,
        related: related(c, `${describe(c.obj)} has ${nd.key}=${nd.have}`),
        fix: { entry: nd.entry, key: nd.key, value: nd.have },
      };
    }
    const prefixPair = (c: Placed): [string, string] | undefined => {
      const d = oneDiffering(c);
      if (d === undefined) return undefined;
      for (const [k, v] of labelsOf(c).known) if (v === d.want && isKeyPrefixVariant(d.key, k)) return [k, v];
      return undefined;
    };
    const prefix = first('key-prefix', (c) => prefixPair(c) !== undefined);
    const pp = prefix === undefined ? undefined : prefixPair(prefix);
    if (prefix !== undefined && pp !== undefined) {
      const c = prefix;
      const [k, v] = pp;
      return {
        kind: 'key-prefix',
        candidate: c,
        detail: `${describe(c.obj)} (${objectPath(ctx.index, c.obj.uri, from)}) has ${k}=${v}: the same value under another key.`,
        related: related(c, `${describe(c.obj)} has ${k}=${v}`),
      };
    }
  }
  // Wrong namespace: the selector matches in another namespace.
  if (!placement.floating && placement.namespace !== undefined) {
    // Candidates come from the label index (one pair of the selector), not from every namespace.
    const first = sel.matchLabels?.entries.find((e) => e.value.known);
    const pool = first !== undefined && first.value.known ? ctx.index.producersWithLabel(first.key, first.value.value) : [];
    for (const other of evaluateSelector(pool, sel).matched) {
      const ns = other.placements.find((x) => x.namespace !== undefined && !x.floating && x.namespace !== placement.namespace)?.namespace;
      // Pods whose own file puts them in this namespace and that a Kustomize build moved elsewhere
      // (kubebuilder's `system`): the object is a piece of that Kustomize tree no build composes
      // with them (a scaffold such as config/network-policy), not evidence of a wrong namespace.
      if (ns !== undefined && sourceNamespace(ctx, other.obj) === placement.namespace) continue;
      // A workload of an unrelated folder (independent demos of one repository) is no evidence (support/nearby.ts).
      if (ns !== undefined && nearEnough(obj.uri, placement, other)) {
        return {
          kind: 'wrong-namespace',
          candidate: other,
          detail: `pods with ${selectorText(sel)} exist only in namespace "${ns}" (${describe(other.obj)}); a ${obj.kind} selects pods in its own namespace ("${placement.namespace}").`,
          related: related(other, `${describe(other.obj, ns)} matches`),
        };
      }
    }
  }
  // Sibling: a producer of the same name, or carrying this object's own app identity.
  if (peer) return undefined;
  const sibling = first('sibling', (c) => {
    const sameFileOrUnit = c.obj.uri === obj.uri || c.placements.some((p) => p.unit === placement.unit);
    if (!sameFileOrUnit) return false;
    const cname = c.obj.name?.known === true ? c.obj.name.value : undefined;
    const labels = labelsOf(c);
    const carriesIdentity = identity.length > 0 && identity.every((e) => e.value.known && labels.known.get(e.key) === e.value.value);
    return (ownName !== undefined && cname === ownName) || carriesIdentity;
  });
  if (sibling !== undefined) {
    const c = sibling;
    const labels = labelsOf(c);
    // The pods match but for role labels their template lacks (`operator: leader`, `role: primary`):
    // labels a controller puts on the running leader or primary pod, so this is no mistake.
    if (onlyRuntimeRoles(sel, labels.known)) return undefined;
    const tpl = [...labels.known]
      .filter(([k]) => !k.includes('pod-template-hash'))
      .map(([k, v]) => `${k}=${v}`)
      .slice(0, 4)
      .join(', ');
    return {
      kind: 'sibling',
      candidate: c,
      detail: `${describe(c.obj)} (${objectPath(ctx.index, c.obj.uri, from)}) looks like its target; its pod template has ${tpl === '' ? 'no labels' : tpl}.`,
      related: related(c, `${describe(c.obj)}: pod template labels`),
    };
  }
  return undefined;
}

/** Values a controller gives one of a workload's pods at run time (leader election, replication role). */
const RUNTIME_ROLE = /^(leader|master|primary|replica|standby|active|passive|secondary|follower)$/i;

/**
 * Every selector pair the template does not carry has a key the template lacks and a role value
 * (`operator: leader` on minio's operator, `spilo-role: master`): the controller labels the pod
 * that holds the role while it runs.
 */
function onlyRuntimeRoles(sel: Selector, template: ReadonlyMap<string, string>): boolean {
  if (sel.matchExpressions.length > 0) return false;
  const unmatched = (sel.matchLabels?.entries ?? []).filter((e) => !e.value.known || template.get(e.key) !== e.value.value);
  return unmatched.length > 0 && unmatched.every((e) => e.value.known && !template.has(e.key) && RUNTIME_ROLE.test(e.value.value));
}

export function selectorText(sel: Selector): string {
  const parts = (sel.matchLabels?.entries ?? []).map((e) => `${e.key}=${e.value.known ? e.value.value : '?'}`);
  for (const r of sel.matchExpressions)
    parts.push(
      r.operator === 'Exists' || r.operator === 'DoesNotExist'
        ? `${r.operator === 'DoesNotExist' ? '!' : ''}${r.key}`
        : `${r.key} ${r.operator} (${r.values.join(', ')})`,
    );
  return parts.join(', ');
}

export interface SelectorMiss {
  /** The namespace the claim is about (undefined for floating and release-namespace objects). */
  readonly namespace: string | undefined;
  /** The plausible intended target; undefined means the no-evidence tier. */
  readonly evidence: Evidence | undefined;
  /** The no-evidence tier's last sentence: `NO_EVIDENCE_HINT`, or the chart template that makes the pods under other values. */
  readonly hint: string;
  /** That template's object (related information), when there is one. */
  readonly related?: RelatedInformation;
}

/** A chart template's object (support/otherValues.ts) that makes the missing target under other values, as a finding names it. */
export function otherValuesNote(
  found: KObject,
  fromUri: string,
  what = 'it',
): { readonly hint: string; readonly related: RelatedInformation } {
  const where = shortPath(found.uri, fromUri);
  return {
    hint: `Under other values the chart writes ${what}: ${describe(found)} in ${where} (the chart is written for every configuration).`,
    related: { uri: found.uri, span: found.anchor, message: `${describe(found)} (${where}), written under other values` },
  };
}

/**
 * The whole firewall for "this selector of `obj` matches no pod" at one placement: undefined when
 * it matches, may match, or the claim must not be made; otherwise the evidence tier to report.
 */
export function selectorMiss(ctx: CheckContext, obj: KObject, placement: Placement, sel: Selector, peer = false): SelectorMiss | undefined {
  const gate = absenceGate(ctx, obj, placement);
  if (gate.silent || operatorSignal(ctx, gate.namespace ?? placement, sel)) return undefined;
  if (gate.namespace !== undefined && selectsClusterDns(ctx, gate.namespace, sel)) return undefined;
  if (selectsSome(ctx, placement, sel) || assertedSelects(ctx, obj, sel)) return undefined;
  // Evidence looks at every producer that could have been meant (rare: only selectors that miss).
  const candidates = candidateProducers(ctx, placement);
  // A custom resource of an unknown operator where the pods should be may have made them.
  const found = selectorEvidence(ctx, obj, placement, sel, candidates, peer);
  // Pods an operator or a run-time spawner makes may be the ones meant: no evidence then.
  const scope = gate.namespace ?? placement;
  const evidence =
    found !== undefined && unseenPodMakers(ctx, scope).length === 0 && runTimePodCreators(ctx, scope).length === 0 ? found : undefined;
  if (evidence === undefined && !gate.owned) return undefined;
  // A chart template the render left out makes such pods under other values: information naming it
  // (silent where information is: a namespace the workspace does not own).
  // So does an alternative that defines `obj` too and holds pods this one lacks (support/alternativeTwin.ts).
  const other = podsUnderOtherValues(ctx, obj, sel);
  const alt = other === undefined ? podsInAlternative(ctx, obj, placement, sel) : undefined;
  if ((other !== undefined || alt !== undefined) && !gate.owned) return undefined;
  if (other !== undefined) return { namespace: gate.namespace, evidence: undefined, ...otherValuesNote(other, obj.uri, 'such pods') };
  if (alt !== undefined) return { namespace: gate.namespace, evidence: undefined, ...alternativeNote(alt, obj.uri, true) };
  return { namespace: gate.namespace, evidence, hint: NO_EVIDENCE_HINT };
}

/**
 * The selector picks the cluster's DNS pods (`kubeReach.dns` over the cluster profile: e.g.
 * `k8s-app: kube-dns` in kube-system), which every cluster runs though no manifest here defines
 * them: a NodeLocal DNSCache chart's upstream Service selects them on purpose.
 */
function selectsClusterDns(ctx: CheckContext, namespace: string, sel: Selector): boolean {
  const dns = dnsModel(ctx.settings);
  if (!dns.namespaces.includes(namespace) || sel.unknown || sel.matchExpressions.length > 0) return false;
  const entries = sel.matchLabels?.entries ?? [];
  return entries.length > 0 && entries.every((e) => e.value.known && dns.podLabels[e.key] === e.value.value);
}

/** The namespace a Kustomize-built object's own document names (before a build moved it). */
function sourceNamespace(ctx: CheckContext, o: KObject): string | undefined {
  if (o.build === undefined) return undefined;
  const own = ctx.index.factsForChecks(o.uri)?.objects.find((x) => x.span.start === o.span.start)?.namespace;
  return own?.known === true ? own.value : undefined;
}

/** The no-evidence sentence (docs/dev/checks-spec.md §1.6). */
export const NO_EVIDENCE_HINT =
  'If they are created elsewhere (another repository, an operator), add the namespace to kubeReach.externalNamespaces or suppress.';

/**
 * The tier fields of an absence finding (docs/dev/checks-spec.md §1): a warning with evidence
 * about the missing object, information without; and the near-miss object it names, if any, as
 * related information seen from `fromUri`.
 */
export function absenceTier(
  ctx: CheckContext,
  evidence: boolean,
  nearMiss: KObject | undefined,
  fromUri: string,
): Pick<Finding, 'confidence' | 'severity'> & { readonly related?: Finding['related'] } {
  return {
    confidence: evidence ? 'evidence' : 'no-evidence',
    severity: evidence ? 'warning' : 'information',
    ...(nearMiss !== undefined
      ? {
          related: [
            {
              uri: nearMiss.uri,
              span: nearMiss.anchor,
              message: `${describe(nearMiss)} (${objectPath(ctx.index, nearMiss.uri, fromUri)})`,
            },
          ],
        }
      : {}),
  };
}
