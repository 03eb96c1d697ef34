/**
 * `netpol-named-port-unknown`: a NetworkPolicy port given by name that the destination pods do not
 * define with that protocol, so the rule allows nothing on it. Ingress rules resolve names on the
 * policy's selected pods, egress rules on the pods their peers reach (semantics rule 22).
 */

import { about, tier } from './support/findingFields.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { PolicyRule } from '../model/types.js';
import type { Check, CheckContext } from './support/check.js';
import { describe } from './support/evidence.js';
import { judgeablePolicies, ownsScope, peerTargets, scopeLabel, selectedProducers } from './support/policies.js';
import type { PeerTargets, Scope } from './support/policies.js';
import { SIDECAR_PORT_NAMES } from './support/serviceTargets.js';
import { podPorts } from './support/sidecarSets.js';

function destinations(ctx: CheckContext, policy: Placed, rule: PolicyRule, ns: Scope): PeerTargets {
  if (rule.path.startsWith('spec.ingress')) {
    const s = selectedProducers(ctx, policy.obj, ns);
    return { producers: s.producers, open: s.maybe || !ownsScope(ctx, ns), ipBlockOnly: false };
  }
  return peerTargets(ctx, rule, ns);
}

/**
 * The producer is a rendered Helm template that defines the port under other values: a workload of
 * its kind in the template's masked reading (every branch kept) names it. A policy written for
 * every configuration of the chart lists it on purpose (JupyterHub's proxy names `https` only with
 * HTTPS on); it allows nothing only while the port does not exist.
 */
function definedUnderOtherValues(ctx: CheckContext, p: Placed, name: string, protocol: string): boolean {
  const uri = p.obj.uri;
  if (ctx.index.renderedTemplate(uri) === undefined) return false;
  // Records the dependency on the template (`file:` key): an edit in a branch not rendered changes no rendered object.
  ctx.index.objectsOfFile(uri);
  // The template's own masked reading (deferred, model/deferredFacts.ts: one tolerant parse on first read).
  return (ctx.index.files.get(uri)?.objects ?? []).some(
    (o) => o.kind === p.obj.kind && o.group === p.obj.group && (o.pod?.ports ?? []).some((c) => c.name === name && c.protocol === protocol),
  );
}

export const netpolNamedPortUnknown: Check = {
  code: 'netpol-named-port-unknown',
  defaultSeverity: 'warning',
  summary: 'A NetworkPolicy names a port that the destination pods do not define.',
  doc: [
    'A NetworkPolicy port may be a name (`port: http`). It matches a container port of the **destination** pod',
    "with that name and the same protocol: for ingress rules the policy's own pods, for egress rules the pods the",
    "rule's peers reach. When no destination pod defines it, the rule allows nothing on that port; when only some",
    'do, the others are not reachable (information). A named port can never match an ipBlock destination.',
    "Named ports of containers an OpenKruise `SidecarSet` injects into the destination pods (docs/operators.md) count as the pods' own;",
    'a SidecarSet that leaves open whether or what it injects there keeps the check silent.',
    '',
    'Silent for destinations the workspace does not own, templated ports, injected sidecar port names, and a name',
    "a Helm chart's template defines on those pods under other values (a port that exists only with HTTPS on).",
    '',
    '```yaml',
    'ports:',
    '  - port: metrics      # the api pods name their ports "http" and "grpc"',
    '```',
    '',
    '**Fix:** use a port name the pods define, or the port number.',
  ].join('\n'),
  run(ctx) {
    for (const { placed, np, ns } of judgeablePolicies(ctx)) {
      const o = placed.obj;
      for (const rule of [...(np.ingress ?? []), ...(np.egress ?? [])]) {
        const named = (rule.ports ?? []).filter((p) => p.port?.known === true && typeof p.port.value === 'string');
        if (named.length === 0 || rule.unknown) continue;
        const dest = destinations(ctx, placed, rule, ns);
        const who = describe(o, scopeLabel(ns));
        for (const port of named) {
          if (port.port === undefined || !port.port.known) continue;
          const name = String(port.port.value);
          if (dest.ipBlockOnly) {
            ctx.report({
              ...about(o, port.port.span),
              confidence: 'definite',
              severity: 'warning',
              message: `${who}: named port "${name}" can never match in ${rule.path}: its peers are ipBlocks only, and names resolve on pods, not on addresses. Use the port number.`,
            });
            continue;
          }
          if (dest.open || dest.producers.length === 0) continue;
          if (dest.producers.some((p) => p.obj.pod?.portsUnknown === true)) continue;
          if (
            SIDECAR_PORT_NAMES.has(name) &&
            dest.producers.some(
              (p) =>
                p.obj.pod?.injectedSidecar === true ||
                p.placements.some((x) => x.floating || (x.namespace !== undefined && ctx.index.injectsSidecars(x.namespace))),
            )
          )
            continue;
          // With the ports OpenKruise SidecarSets inject (support/sidecarSets.ts): unknown ones, silent.
          const ports = new Map(dest.producers.map((p) => [p, podPorts(ctx, p)]));
          if ([...ports.values()].some((x) => x.unknown)) continue;
          const defining = dest.producers.filter((p) =>
            (ports.get(p)?.ports ?? []).some((c) => c.name === name && c.protocol === port.protocol),
          );
          if (defining.length === dest.producers.length) continue;
          if (dest.producers.every((p) => defining.includes(p) || definedUnderOtherValues(ctx, p, name, port.protocol))) continue;
          const otherProto = dest.producers.flatMap((p) => ports.get(p)?.ports ?? []).find((c) => c.name === name);
          const first = dest.producers[0];
          const names = [...new Set((first?.obj.pod?.ports ?? []).map((c) => c.name).filter((n): n is string => n !== undefined))];
          if (defining.length === 0) {
            ctx.report({
              ...about(o, port.port.span),
              ...tier(true),
              message:
                otherProto !== undefined
                  ? `${who}: named port "${name}" is ${otherProto.protocol} on the pods this rule reaches; this entry is ${port.protocol}${port.protocol === 'TCP' ? ' (the default)' : ''}, so ${rule.path} allows nothing on it.`
                  : `${who}: named port "${name}" matches no port of the pods ${rule.path} reaches (${first === undefined ? '' : `${describe(first.obj)} ${names.length > 0 ? `names ${names.map((n) => `"${n}"`).join(', ')}` : 'names no ports'}`}); the rule allows nothing on it.`,
            });
          } else {
            const missing = dest.producers.filter((p) => !defining.includes(p));
            ctx.report({
              ...about(o, port.port.span),
              confidence: 'evidence',
              severity: 'information',
              message: `${who}: named port "${name}" is defined by ${defining.map((p) => describe(p.obj)).join(', ')} but not by ${missing.map((p) => describe(p.obj)).join(', ')}, which ${rule.path} therefore does not reach on it.`,
            });
          }
        }
      }
    }
  },
};
