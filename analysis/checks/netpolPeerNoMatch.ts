/**
 * `netpol-peer-no-match`: a peer of a NetworkPolicy rule matches nothing, so the rule allows
 * nothing (or less than meant). The highest-value case is a namespaceSelector on a label that
 * namespaces do not have (`name: kube-system` instead of `kubernetes.io/metadata.name`).
 */

import { about, tier } from './support/findingFields.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { PolicyPeer, Selector } from '../model/types.js';
import { selectorKey } from '../reachability/selectors.js';
import { selectorIsEmpty } from '../model/values.js';
import type { Check, CheckContext } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import { describe, NO_EVIDENCE_HINT, operatorSignal, selectorMiss, selectorText } from './support/evidence.js';
import { andOrPairs } from './netpolPeerAndOr.js';
import { knownNamespaces, namespaceLabels, peerNamespaces } from './support/policies.js';
import { isNearMissName, nearestNames } from './support/similarity.js';
import { selectsSomeIn } from './support/selection.js';

const NAME_LIKE_KEYS = ['name', 'ns', 'namespace', 'kubernetes.io/namespace', 'k8s-namespace', 'project'];
const METADATA_NAME = 'kubernetes.io/metadata.name';
/**
 * Namespaces platforms and common add-ons install into: a near miss of one is a typo, and one of
 * them is no typo of another, though the workspace declares none of them (OpenShift's router lives
 * in openshift-ingress, its DNS in openshift-dns: both within edit distance of each other).
 */
const COMMON_NAMESPACES = [
  'ingress-nginx',
  'cert-manager',
  'monitoring',
  'istio-system',
  'linkerd',
  'argocd',
  'kube-system',
  'openshift-dns',
  'openshift-ingress',
  'openshift-monitoring',
  'openshift-user-workload-monitoring',
  'openshift-operators',
  'openshift-console',
  'calico-system',
  'tigera-operator',
  'gatekeeper-system',
  'kyverno',
  'logging',
  'observability',
];

function reportNamespacePeer(ctx: CheckContext, placed: Placed, peer: PolicyPeer): void {
  const o = placed.obj;
  const sel = peer.namespaceSelector;
  if (sel === undefined || sel.unknown || selectorIsEmpty(sel) || sel.matchExpressions.length > 0) return;
  const entries = sel.matchLabels?.entries ?? [];
  if (entries.length !== 1) return;
  const e = entries[0];
  if (e === undefined || !e.value.known) return;
  const value = e.value.value;
  const known = knownNamespaces(ctx);
  const who = describe(o, placed.placements[0]?.namespace);
  if (NAME_LIKE_KEYS.includes(e.key) && known.includes(value)) {
    const labels = namespaceLabels(ctx, value);
    if (labels.open || labels.known.has(e.key)) return;
    ctx.report({
      ...about(o, e.keySpan),
      ...tier(true),
      message: `${who}: peer namespaceSelector ${e.key}=${value} matches no namespace: namespaces get ${METADATA_NAME}=<name> automatically, but "${e.key}" exists only if someone added it. Use ${METADATA_NAME}: ${value}.`,
      fixes: [{ title: `Use ${METADATA_NAME}: ${value}`, isPreferred: true, edits: [writerFor(ctx, o.uri).key(e.keySpan, METADATA_NAME)] }],
    });
    return;
  }
  if (e.key === METADATA_NAME && !known.includes(value) && !COMMON_NAMESPACES.includes(value)) {
    // The closest of the near misses (openshift-ingres is openshift-ingress, not openshift-dns).
    const near = nearestNames(
      value,
      [...known, ...COMMON_NAMESPACES].filter((n) => isNearMissName(value, n)),
      1,
    )[0];
    if (near === undefined) return;
    ctx.report({
      ...about(o, e.value.span),
      ...tier(true),
      message: `${who}: peer namespaceSelector ${METADATA_NAME}=${value} names a namespace that is not known, while "${near}" is. Did you mean "${near}"?`,
      fixes: [{ title: `Use namespace "${near}"`, isPreferred: true, edits: [writerFor(ctx, o.uri).value(e.value.span, near)] }],
    });
  }
}

/**
 * Whether `sel` may match a pod producer bound to `ns`: once per index, namespace and selector
 * text (every policy of a team names the same peer), looked up by label (`selection.ts`): an edit
 * of a workload whose labels the selector does not name re-checks none of those policies.
 */
function mayMatchIn(ctx: CheckContext, ns: string, sel: Selector): boolean {
  const evaluate = (): boolean => selectsSomeIn(ctx, ns, sel);
  return sel.unknown ? evaluate() : ctx.index.cached(`peer-may-match:${ns}\u0000${selectorKey(sel)}`, evaluate);
}

export const netpolPeerNoMatch: Check = {
  code: 'netpol-peer-no-match',
  defaultSeverity: 'warning',
  summary: 'A NetworkPolicy peer selects no pods or no namespace, so its rule allows nothing.',
  doc: [
    "A peer (an item of `from` or `to`) selects pods with `podSelector` (in the policy's namespace), namespaces with",
    '`namespaceSelector`, or both (pods in those namespaces). When it matches nothing, the traffic the rule was meant',
    'to allow stays blocked. Reported cases:',
    '',
    "- a `podSelector`-only peer that matches no pod of the policy's (owned) namespace (warning with evidence, else",
    '  information);',
    '- a `namespaceSelector` on a non-standard key (`name`, `ns`, `namespace`, …) whose value names a namespace whose',
    '  labels are known and lack that key: namespaces carry `kubernetes.io/metadata.name` automatically, other labels',
    '  only if someone adds them (the k3s hardening-guide DNS outage);',
    '- `kubernetes.io/metadata.name` with a near-miss of a known namespace;',
    '- a `namespaceSelector` + `podSelector` peer whose namespaces are all owned and hold no matching pod.',
    '',
    'Never for `{}`, custom labels on unknown namespaces, or peers whose namespaces the workspace does not own',
    '(DNS, ingress controllers and monitoring usually live elsewhere).',
    '',
    '**Fix:** use `kubernetes.io/metadata.name` (quick-fix), or correct the label.',
  ].join('\n'),
  compatibleSuppressions: { kubeLinter: ['dangling-networkpolicypeer-podselector'] },
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const np = o.networkPolicy;
      const pl = placed.placements[0];
      if (np === undefined || pl === undefined) continue;
      for (const rule of [...(np.ingress ?? []), ...(np.egress ?? [])]) {
        if (rule.peers === undefined) continue;
        const orPods = new Set(andOrPairs(rule.peers).map((p) => p.pod));
        for (const peer of rule.peers) {
          if (peer.unknown || peer.ipBlock !== undefined) continue;
          if (peer.namespaceSelector !== undefined && peer.podSelector === undefined) {
            reportNamespacePeer(ctx, placed, peer);
            continue;
          }
          const sel = peer.podSelector;
          if (sel === undefined || sel.unknown || selectorIsEmpty(sel) || orPods.has(peer)) continue;
          if (peer.namespaceSelector === undefined) {
            const gate = selectorMiss(ctx, o, pl, sel, true);
            if (gate === undefined) continue;
            const ev = gate.evidence;
            const who = describe(o, gate.namespace);
            ctx.report({
              ...about(o, ev?.fix?.entry.value.span ?? peer.span, gate.namespace),
              ...tier(ev !== undefined),
              message: `${who}: peer podSelector ${selectorText(sel)} matches no pod in ${gate.namespace === undefined ? 'its namespace' : `"${gate.namespace}"`}, so ${rule.path} allows nothing from it. ${ev?.detail ?? gate.hint}`,
              ...(ev !== undefined ? { related: [ev.related] } : gate.related !== undefined ? { related: [gate.related] } : {}),
              ...(ev?.fix !== undefined
                ? {
                    fixes: [
                      {
                        title: `Set ${ev.fix.key} to "${ev.fix.value}"`,
                        isPreferred: true,
                        edits: [writerFor(ctx, o.uri).value(ev.fix.entry.value.span, ev.fix.value)],
                      },
                    ],
                  }
                : {}),
            });
            continue;
          }
          // namespaceSelector AND podSelector: only when every matched namespace is owned.
          if (peer.namespaceSelector.unknown || selectorIsEmpty(peer.namespaceSelector) || pl.namespace === undefined) continue;
          const namespaces = peerNamespaces(ctx, peer, pl.namespace);
          if (namespaces.length === 0 || namespaces.some((n) => n.unowned)) continue;
          // A controller may make the pods (a Gateway's data plane: gateway.networking.k8s.io/…): the firewall's operator rule.
          if (namespaces.some((n) => operatorSignal(ctx, n.name, sel))) continue;
          // The first namespace that may hold a match decides: the others' pods (and their keys) are not read.
          if (namespaces.some((n) => mayMatchIn(ctx, n.name, sel))) continue;
          ctx.report({
            ...about(o, sel.span, pl.namespace),
            ...tier(false),
            message: `${describe(o, pl.namespace)}: peer podSelector ${selectorText(sel)} matches no pod in ${namespaces.map((n) => `"${n.name}"`).join(', ')}, the namespaces its namespaceSelector selects, so ${rule.path} allows nothing from it. ${NO_EVIDENCE_HINT}`,
          });
        }
      }
    }
  },
};
