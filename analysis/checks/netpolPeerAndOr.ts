/**
 * `netpol-peer-and-or`: a lone `namespaceSelector` peer next to a lone `podSelector` peer in one
 * `from`/`to` list are ORed, which admits whole namespaces. When the podSelector item matches no
 * local pod but matches pods in the namespaces the namespaceSelector item selects, the author
 * meant one peer with both selectors (AND): that is the evidence a warning needs.
 */

import { about, tier } from './support/findingFields.js';
import type { KObject, PolicyPeer } from '../model/types.js';
import { selectorIsEmpty } from '../model/values.js';
import { writerFor } from '../edits/writer.js';
import type { Check, CheckContext } from './support/check.js';
import { absenceGate, candidateProducers, describe, evaluateSelector, selectorText } from './support/evidence.js';
import { peerNamespaces } from './support/policies.js';

/**
 * A pod in a namespace that the namespaceSelector peer selects and that the podSelector peer
 * matches (evidence that one peer with both selectors was meant); `unknown` when a match depends
 * on templated labels; undefined when no selected namespace the workspace sees has such pods.
 */
function andEvidence(
  ctx: CheckContext,
  nsPeer: PolicyPeer,
  podPeer: PolicyPeer,
  own: string | undefined,
): { obj: KObject; ns: string } | 'unknown' | undefined {
  const sel = podPeer.podSelector;
  if (sel === undefined) return undefined;
  // The namespaceSelector alone (no podSelector): every pod of the namespaces it selects.
  const peer: PolicyPeer = { ...nsPeer, podSelector: undefined };
  for (const n of peerNamespaces(ctx, peer, own ?? ctx.settings.defaultNamespace)) {
    if (n.name === own) continue;
    const outcome = evaluateSelector(ctx.index.producersIn(n.name), sel);
    const hit = outcome.matched[0];
    if (hit !== undefined) return { obj: hit.obj, ns: n.name };
    if (outcome.maybe) return 'unknown';
  }
  return undefined;
}

function loneNs(p: PolicyPeer): boolean {
  return (
    p.namespaceSelector !== undefined &&
    p.podSelector === undefined &&
    p.ipBlock === undefined &&
    !p.unknown &&
    !p.namespaceSelector.unknown &&
    !selectorIsEmpty(p.namespaceSelector)
  );
}

function lonePod(p: PolicyPeer): boolean {
  return (
    p.podSelector !== undefined &&
    p.namespaceSelector === undefined &&
    p.ipBlock === undefined &&
    !p.unknown &&
    !p.podSelector.unknown &&
    !selectorIsEmpty(p.podSelector)
  );
}

/** Pairs of adjacent OR-ed peers (either order) in a rule: [namespace peer, pod peer, later one]. */
export function andOrPairs(
  peers: readonly PolicyPeer[],
): Array<{ ns: PolicyPeer; pod: PolicyPeer; first: PolicyPeer; second: PolicyPeer }> {
  const out: Array<{ ns: PolicyPeer; pod: PolicyPeer; first: PolicyPeer; second: PolicyPeer }> = [];
  for (let i = 0; i + 1 < peers.length; i++) {
    const a = peers[i];
    const b = peers[i + 1];
    if (a === undefined || b === undefined) continue;
    if (loneNs(a) && lonePod(b)) out.push({ ns: a, pod: b, first: a, second: b });
    else if (lonePod(a) && loneNs(b)) out.push({ ns: b, pod: a, first: a, second: b });
  }
  return out;
}

export const netpolPeerAndOr: Check = {
  code: 'netpol-peer-and-or',
  defaultSeverity: 'warning',
  summary: 'A namespaceSelector peer and a podSelector peer are ORed where AND was meant.',
  doc: [
    'In a `from`/`to` list every item is a separate peer, and peers are ORed. Writing',
    '',
    '```yaml',
    'from:',
    '  - namespaceSelector: {matchLabels: {purpose: observability}}',
    '  - podSelector: {matchLabels: {app: collector}}',
    '```',
    '',
    "admits **all pods** of the observability namespaces, or `app=collector` pods of the policy's own namespace.",
    "A warning needs evidence that AND was meant: the podSelector item matches no pod of the policy's namespace, but",
    'matches pods in a namespace the namespaceSelector item selects (the `app=collector` pods run in `monitoring`).',
    'Without that evidence, a plain pair of peers in an owned namespace whose podSelector matches nothing there is',
    "information; a longer list (the Kubernetes documentation's example: an ipBlock, a namespaceSelector and a",
    'podSelector, meant as three alternatives) and unowned namespaces are left alone. Never when either selector is',
    '`{}` or an item combines selectors or has an ipBlock.',
    '',
    '**Fix:** make them one peer (delete the "-" before the second selector; quick-fix).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const np = o.networkPolicy;
      if (np === undefined) continue;
      const pl = placed.placements[0];
      if (pl === undefined) continue;
      const text = ctx.text(o.uri);
      const who = describe(o, pl.namespace);
      for (const rule of [...(np.ingress ?? []), ...(np.egress ?? [])]) {
        if (rule.peers === undefined) continue;
        const key = rule.path.startsWith('spec.ingress') ? 'from' : 'to';
        for (const { ns, pod, first, second } of andOrPairs(rule.peers)) {
          if (ns.namespaceSelector === undefined || pod.podSelector === undefined) continue;
          const gate = absenceGate(ctx, o, pl);
          if (gate.silent) continue;
          const local = evaluateSelector(candidateProducers(ctx, pl), pod.podSelector);
          if (local.matched.length > 0 || local.maybe) continue;
          // Evidence that AND was meant: the pods the podSelector peer names exist, but in the
          // namespaces the namespaceSelector peer selects, not in the policy's own.
          const meant = andEvidence(ctx, ns, pod, gate.namespace);
          if (meant === 'unknown') continue;
          // Without that evidence only a plain pair (two peers, no ipBlock) in an owned namespace is
          // worth a note; a longer list (the Kubernetes documentation's ipBlock, namespaceSelector,
          // podSelector example) is read as the OR it says.
          if (meant === undefined && (!gate.owned || rule.peers.length !== 2)) continue;
          const w = writerFor(ctx, o.uri);
          const dash = text?.slice(second.span.start - 2, second.span.start);
          const join =
            w.language === 'json' ||
            (dash === '- ' &&
              text !== undefined &&
              /^\s*$/.test(text.slice(text.lastIndexOf('\n', second.span.start - 1) + 1, second.span.start - 2)))
              ? w.joinItems(first.span, second.span)
              : undefined;
          const fix =
            join !== undefined
              ? [{ title: 'Make them one peer (namespaceSelector AND podSelector)', isPreferred: true, edits: [join] }]
              : [];
          const nsText = selectorText(ns.namespaceSelector);
          const podText = selectorText(pod.podSelector);
          ctx.report({
            ...about(o, second.span),
            ...tier(meant !== undefined),
            message: `${who}: this "${key}" has two peers, ORed: all pods in namespaces with ${nsText}, or pods ${podText} in ${gate.namespace === undefined ? 'its own namespace' : `"${gate.namespace}"`} (there are none${meant !== undefined ? `; ${describe(meant.obj)} in "${meant.ns}" has them` : ''}). To admit only ${podText} pods in those namespaces, make them one peer (delete the "-" before the second selector).`,
            ...(meant !== undefined
              ? {
                  related: [
                    {
                      uri: meant.obj.uri,
                      span: meant.obj.pod?.labelsSpan ?? meant.obj.anchor,
                      message: `${describe(meant.obj, meant.ns)} matches ${podText}`,
                    },
                  ],
                }
              : {}),
            fixes: fix,
          });
        }
      }
    }
  },
};
