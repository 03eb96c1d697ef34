/**
 * `netpol-peer-and-or`: a lone `namespaceSelector` peer next to a lone `podSelector` peer in one
 * `from`/`to` list are ORed, which admits whole namespaces. When the podSelector item matches no
 * local pod, the author almost certainly meant one peer with both selectors (AND).
 */

import type { PolicyPeer } from '../model/types.js';
import { selectorIsEmpty } from '../model/values.js';
import type { Check } from './check.js';
import { absenceGate, candidateProducers, describe, evaluateSelector, selectorText } from './evidence.js';

function loneNs(p: PolicyPeer): boolean {
  return p.namespaceSelector !== undefined && p.podSelector === undefined && p.ipBlock === undefined && !p.unknown && !p.namespaceSelector.unknown && !selectorIsEmpty(p.namespaceSelector);
}

function lonePod(p: PolicyPeer): boolean {
  return p.podSelector !== undefined && p.namespaceSelector === undefined && p.ipBlock === undefined && !p.unknown && !p.podSelector.unknown && !selectorIsEmpty(p.podSelector);
}

/** Pairs of adjacent OR-ed peers (either order) in a rule: [namespace peer, pod peer, later one]. */
export function andOrPairs(peers: readonly PolicyPeer[]): Array<{ ns: PolicyPeer; pod: PolicyPeer; second: PolicyPeer }> {
  const out: Array<{ ns: PolicyPeer; pod: PolicyPeer; second: PolicyPeer }> = [];
  for (let i = 0; i + 1 < peers.length; i++) {
    const a = peers[i];
    const b = peers[i + 1];
    if (a === undefined || b === undefined) continue;
    if (loneNs(a) && lonePod(b)) out.push({ ns: a, pod: b, second: b });
    else if (lonePod(a) && loneNs(b)) out.push({ ns: b, pod: a, second: b });
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
    'admits **all pods** of the observability namespaces, or `app=collector` pods of the policy\'s own namespace.',
    'Reported when the podSelector item matches no pod in the policy\'s (owned) namespace — then the author meant',
    'one peer with both selectors. A hint when the namespace is not owned. Never when either selector is `{}` or an',
    'item has an ipBlock.',
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
        for (const { ns, pod, second } of andOrPairs(rule.peers)) {
          if (ns.namespaceSelector === undefined || pod.podSelector === undefined) continue;
          const gate = absenceGate(ctx, o, pl);
          if (gate.silent) continue;
          const local = evaluateSelector(candidateProducers(ctx, pl), pod.podSelector);
          if (local.matched.length > 0 || local.maybe) continue;
          const dash = text?.slice(second.span.start - 2, second.span.start);
          const fix =
            dash === '- ' && text !== undefined && /^\s*$/.test(text.slice(text.lastIndexOf('\n', second.span.start - 1) + 1, second.span.start - 2))
              ? [{ title: 'Make them one peer (namespaceSelector AND podSelector)', isPreferred: true, edits: [{ uri: o.uri, span: { start: second.span.start - 2, end: second.span.start }, newText: '  ' }] }]
              : [];
          const nsText = selectorText(ns.namespaceSelector);
          const podText = selectorText(pod.podSelector);
          ctx.report({
            uri: o.uri,
            span: second.span,
            object: o,
            confidence: gate.owned ? 'evidence' : 'no-evidence',
            severity: gate.owned ? 'warning' : 'hint',
            message: `${who}: this "${key}" has two peers, ORed: all pods in namespaces with ${nsText}, or pods ${podText} in ${gate.namespace === undefined ? 'its own namespace' : `"${gate.namespace}"`} (there are none). To admit only ${podText} pods in those namespaces, make them one peer (delete the "-" before the second selector).`,
            fixes: fix,
          });
        }
      }
    }
  },
};
