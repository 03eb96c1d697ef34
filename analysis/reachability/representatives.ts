/**
 * Representative peers of exposure analysis (docs/dev/exposure.md): for each selector pair a
 * policy rule admits (a NetworkPolicy peer's namespaceSelector/podSelector, a cluster policy
 * peer's `namespaces` or `pods`), one pod that stands for every pod the selectors admit — a pod
 * the manifests may not have. Each becomes a virtual pod of the engine (`VirtualPod`) whose labels
 * and namespace labels know only what the selectors require (`selectorLabels`), so the engine's
 * verdicts toward it hold for every such pod. `entire-cluster` stands for any pod of any namespace.
 */

import type { PodLabels } from '../model/labels.js';
import { matchSelector, plainLabels, selectorLabels } from '../model/labels.js';
import type { Selector } from '../model/types.js';
import type { VirtualPod } from './options.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where a representative pod runs. */
export type RepNamespace =
  | { readonly kind: 'all' }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'selector'; readonly selector: Selector; readonly labels: PodLabels };

/** Which pods of that namespace it stands for. */
export type RepPods = { readonly kind: 'all' } | { readonly kind: 'selector'; readonly selector: Selector; readonly labels: PodLabels };

export interface Representative {
  /** How the panel and the JSON name it: `entire-cluster`, `backend/[all pods]`, `[namespace with {env=prod}]/[pod with {app=x}]`. */
  readonly id: string;
  /**
   * How `reach --exposure --format text` prints it: netpol-analyzer's words, where a
   * `matchExpressions` entry is its Go struct (`[pod with {{Key:app,Operator:In,Values:[a b],}}]`).
   */
  readonly text: string;
  readonly namespace: RepNamespace;
  readonly pods: RepPods;
  /** The engine class name of its virtual pod. */
  readonly classId: string;
}

export const ENTIRE_CLUSTER = 'entire-cluster';

function requirementText(key: string, operator: string, values: readonly string[]): string {
  const v = [...values].sort();
  if (operator === 'In' && v.length === 1) return `${key}=${v[0] ?? ''}`;
  if (operator === 'Exists' || operator === 'DoesNotExist') return `${key} ${operator}`;
  return `${key} ${operator} (${v.join(',')})`;
}

/**
 * A selector as netpol-analyzer prints it: `matchLabels` as `k=v` sorted by key, then each
 * `matchExpressions` entry as Go prints the struct (`{Key:env,Operator:In,Values:[a b],}`, values
 * in the order written), the entries sorted as strings.
 */
export function selectorGoText(sel: Selector): string {
  const labels = (sel.matchLabels?.entries ?? [])
    .map((e) => [e.key, `${e.key}=${e.value.known ? e.value.value : '?'}`] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map((e) => e[1]);
  const exprs = sel.matchExpressions.map((r) => `{Key:${r.key},Operator:${r.operator},Values:[${r.values.join(' ')}],}`).sort();
  return `{${[...labels, ...exprs].join(',')}}`;
}

/** A selector in the operators' words (the panel and the JSON): `{app=x,env In (a,b),tier Exists}`, sorted by key. */
export function selectorText(sel: Selector): string {
  const parts: Array<[string, string]> = [];
  for (const e of sel.matchLabels?.entries ?? []) parts.push([e.key, `${e.key}=${e.value.known ? e.value.value : '?'}`]);
  for (const r of sel.matchExpressions) parts.push([r.key, requirementText(r.key, r.operator, r.values)]);
  parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return `{${parts.map((p) => p[1]).join(',')}}`;
}

function isEmptySelector(sel: Selector): boolean {
  return (sel.matchLabels?.entries.length ?? 0) === 0 && sel.matchExpressions.length === 0 && sel.matchLabels?.unknown !== true;
}

/** The one namespace a selector names by `kubernetes.io/metadata.name` alone, if it does. */
function namedNamespace(sel: Selector): string | undefined {
  const ml = sel.matchLabels?.entries ?? [];
  const me = sel.matchExpressions;
  if (ml.length === 1 && me.length === 0 && ml[0]?.key === NAME_LABEL && ml[0].value.known) return ml[0].value.value;
  if (ml.length === 0 && me.length === 1 && me[0]?.key === NAME_LABEL && me[0].operator === 'In' && me[0].values.length === 1)
    return me[0].values[0];
  return undefined;
}

/**
 * The representative of one peer: `nsSel` undefined means the policy's own namespace (`own`),
 * `null` every namespace. Undefined for a templated selector or one no pod can match.
 */
export function representativeOf(
  own: string | undefined,
  nsSel: Selector | undefined | null,
  podSel: Selector | undefined,
): { namespace: RepNamespace; pods: RepPods; id: string; text: string } | undefined {
  let namespace: RepNamespace;
  if (nsSel === undefined) {
    if (own === undefined) return undefined;
    namespace = { kind: 'name', name: own };
  } else if (nsSel === null || isEmptySelector(nsSel)) {
    namespace = { kind: 'all' };
  } else {
    const named = namedNamespace(nsSel);
    if (named !== undefined) namespace = { kind: 'name', name: named };
    else {
      const labels = selectorLabels(nsSel);
      if (labels === undefined) return undefined;
      namespace = { kind: 'selector', selector: nsSel, labels };
    }
  }
  let pods: RepPods;
  if (podSel === undefined || isEmptySelector(podSel)) pods = { kind: 'all' };
  else {
    const labels = selectorLabels(podSel);
    if (labels === undefined) return undefined;
    pods = { kind: 'selector', selector: podSel, labels };
  }
  const nsText =
    namespace.kind === 'all'
      ? '[all namespaces]'
      : namespace.kind === 'name'
        ? namespace.name
        : `[namespace with ${selectorText(namespace.selector)}]`;
  const podText = pods.kind === 'all' ? '[all pods]' : `[pod with ${selectorText(pods.selector)}]`;
  const id = namespace.kind === 'all' && pods.kind === 'all' ? ENTIRE_CLUSTER : `${nsText}/${podText}`;
  // netpol-analyzer names a namespace only when `matchLabels` holds just its name label.
  const nsGo =
    namespace.kind === 'name' && nsSel !== undefined && nsSel !== null && (nsSel.matchLabels?.entries.length ?? 0) === 0
      ? `[namespace with ${selectorGoText(nsSel)}]`
      : namespace.kind === 'selector'
        ? `[namespace with ${selectorGoText(namespace.selector)}]`
        : nsText;
  const podGo = pods.kind === 'all' ? '[all pods]' : `[pod with ${selectorGoText(pods.selector)}]`;
  const text = id === ENTIRE_CLUSTER ? id : `${nsGo}/${podGo}`;
  return { namespace, pods, id, text };
}

/** The engine's virtual pod of a representative (`{exposure:N}` namespaces are representative ones). */
export function representativePod(r: Representative, index: number): VirtualPod {
  const pseudo = `{exposure:${index}}`;
  // Its pods and namespace are those no other selector singles out (`generic`, E3): a rule for
  // some of them only does not match it, and those pods have a representative of their own.
  const nsLabels: PodLabels = { ...(r.namespace.kind === 'selector' ? r.namespace.labels : plainLabels(new Map(), true)), generic: true };
  return {
    id: r.classId,
    namespaces: [r.namespace.kind === 'name' ? r.namespace.name : pseudo],
    labels: {},
    openLabels: true,
    podLabels: { ...(r.pods.kind === 'selector' ? r.pods.labels : plainLabels(new Map(), true)), generic: true },
    ...(r.namespace.kind === 'name' ? {} : { namespaceLabels: nsLabels }),
    ports: [],
    description: r.id,
  };
}

/** Whether every pod `a` stands for is one `b` stands for (`b` is broader or equal). */
export function implies(a: Representative, b: Representative, namespaceLabels: (ns: string) => PodLabels | undefined): boolean {
  const nsOk = ((): boolean => {
    if (b.namespace.kind === 'all') return true;
    if (a.namespace.kind === 'all') return false;
    if (b.namespace.kind === 'name') return a.namespace.kind === 'name' && a.namespace.name === b.namespace.name;
    const labels = a.namespace.kind === 'name' ? namespaceLabels(a.namespace.name) : a.namespace.labels;
    return labels !== undefined && matchSelector(b.namespace.selector, labels) === 'yes';
  })();
  if (!nsOk) return false;
  if (b.pods.kind === 'all') return true;
  if (a.pods.kind === 'all') return false;
  return matchSelector(b.pods.selector, a.pods.labels) === 'yes';
}

function mergeSelectors(a: Selector, b: Selector): Selector {
  const seen = new Set<string>();
  const entries = [...(a.matchLabels?.entries ?? []), ...(b.matchLabels?.entries ?? [])].filter((e) => {
    const k = `${e.key}=${e.value.known ? e.value.value : '?'}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const exprs = [...a.matchExpressions, ...b.matchExpressions].filter((r) => {
    const k = `${r.key} ${r.operator} ${[...r.values].sort().join('|')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    span: a.span,
    matchLabels: entries.length === 0 ? undefined : { span: a.matchLabels?.span ?? a.span, entries, unknown: false },
    matchExpressions: exprs,
    unknown: false,
  };
}

/** `kubernetes.io/metadata.name: n` as a selector (how a representative of namespace `n` is written). */
function nameSelector(n: string, span: Selector['span']): Selector {
  return {
    span,
    matchLabels: { span, entries: [{ key: NAME_LABEL, keySpan: span, value: { known: true, value: n, span } }], unknown: false },
    matchExpressions: [],
    unknown: false,
  };
}

/**
 * The pods two representatives both stand for (docs/dev/exposure.md E8): a namespace both admit
 * (a named namespace whose labels match the other's selector surely, or both selectors at once)
 * and pods both pod selectors admit. Undefined when no pod can be both, when the manifests do not
 * say whether the named namespace carries the other's labels, or when one already implies the other.
 */
export function intersectionOf(
  a: Representative,
  b: Representative,
  namespaceLabels: (ns: string) => PodLabels | undefined,
): { namespace: RepNamespace; pods: RepPods; id: string; text: string } | undefined {
  if (implies(a, b, namespaceLabels) || implies(b, a, namespaceLabels)) return undefined;
  const span = { start: 0, end: 0 };
  let nsSel: Selector | null;
  const an = a.namespace;
  const bn = b.namespace;
  if (an.kind === 'all' && bn.kind === 'all') nsSel = null;
  else if (an.kind === 'name' || bn.kind === 'name') {
    const named = an.kind === 'name' ? an : bn.kind === 'name' ? bn : undefined;
    const other = an.kind === 'name' ? bn : an;
    if (named === undefined) return undefined;
    if (other.kind === 'name' && other.name !== named.name) return undefined;
    if (other.kind === 'selector') {
      const labels = namespaceLabels(named.name);
      if (labels === undefined || matchSelector(other.selector, labels) !== 'yes') return undefined;
    }
    nsSel = nameSelector(named.name, span);
  } else {
    const sels = [an, bn].flatMap((n) => (n.kind === 'selector' ? [n.selector] : []));
    nsSel = sels.reduce((x, y) => mergeSelectors(x, y));
  }
  const podSels = [a.pods, b.pods].flatMap((p) => (p.kind === 'selector' ? [p.selector] : []));
  const podSel = podSels.length === 0 ? undefined : podSels.reduce((x, y) => mergeSelectors(x, y));
  return representativeOf(undefined, nsSel, podSel);
}
