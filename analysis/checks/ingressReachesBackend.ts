/**
 * Can the ingress controller reach an Ingress backend's pods? Shared by `ingress-backend-blocked`
 * and `ingress-acme-solver-blocked`: the controller of the Ingress's class (kubeReach.ingressControllers)
 * as a peer pod, the backend pods' isolating policies, and their ingress rules on a TCP port.
 */

import type { Placed } from '../index/workspaceIndex.js';
import { plainLabels } from '../model/labels.js';
import type { Tri } from '../model/labels.js';
import type { KObject, PolicyRule } from '../model/types.js';
import type { IngressControllerSetting } from '../settings.js';
import type { CheckContext } from './check.js';
import { effectiveClass, ingressClasses } from './ingressClasses.js';
import { namespaceLabels, policiesIn } from './policies.js';
import type { PeerPod } from './policyRules.js';
import { anyAdmits } from './policyRules.js';

/** Classes whose "controller" is a cloud load balancer: its source addresses are not pods. */
export const LOAD_BALANCER_CLASSES: ReadonlySet<string> = new Set(['alb', 'gce', 'gce-internal', 'azure-application-gateway', 'azure/application-gateway']);

/** The configured controller of the Ingress's class, if known. */
export function controllerOf(ctx: CheckContext, ingress: KObject): IngressControllerSetting | undefined {
  const cls = effectiveClass(ingress);
  let name: string | undefined;
  if (cls.kind === 'named') name = cls.name;
  else if (cls.kind === 'default') {
    const def = ingressClasses(ctx.index).find((c) => c.ingressClass?.isDefault === true);
    name = def?.name?.known === true ? def.name.value : ctx.settings.ingressControllers.length === 1 ? ctx.settings.ingressControllers[0]?.class : undefined;
  }
  return name === undefined ? undefined : ctx.settings.ingressControllers.find((c) => c.class === name);
}

export function controllerPod(ctx: CheckContext, c: IngressControllerSetting): PeerPod {
  return { namespace: c.namespace, labels: plainLabels(new Map(Object.entries(c.podLabels))), namespaceLabels: namespaceLabels(ctx, c.namespace) };
}

export interface Isolation {
  /** Policies isolating the pods for ingress (yes). */
  readonly policies: readonly Placed[];
  /** Their ingress rules. */
  readonly rules: ReadonlyArray<{ rule: PolicyRule; namespace: string }>;
  /** Some policy's selection of these pods depends on templated values. */
  readonly uncertain: boolean;
}

/** The policies of `ns` that isolate pods with `labels` for ingress (for an existing workload, pass its labels). */
export function ingressIsolation(ctx: CheckContext, ns: string, matches: (policy: KObject) => Tri): Isolation {
  const policies: Placed[] = [];
  let uncertain = false;
  for (const p of policiesIn(ctx, ns)) {
    const np = p.obj.networkPolicy;
    if (np === undefined || !np.policyTypes.includes('Ingress')) continue;
    const m = matches(p.obj);
    if (m === 'yes') policies.push(p);
    else if (m === 'unknown' || np.unknown) uncertain = true;
  }
  return { policies, rules: policies.flatMap((p) => (p.obj.networkPolicy?.ingress ?? []).map((rule) => ({ rule, namespace: ns }))), uncertain };
}

/** Whether any of the rules admits the controller on TCP `port` (named `name` on the pod). */
export function admitsController(ctx: CheckContext, iso: Isolation, c: IngressControllerSetting, port: number, name: string | undefined): Tri {
  return anyAdmits(iso.rules, controllerPod(ctx, c), { protocol: 'TCP', number: port, name });
}

/**
 * With no known controller: does some rule admit any source outside `ns` on the port (a
 * namespaceSelector or ipBlock peer, or no `from`)? Then a controller elsewhere may be admitted.
 */
export function admitsOutsideSources(iso: Isolation, port: number, name: string | undefined): boolean {
  return iso.rules.some(({ rule }) => {
    if (rule.unknown) return true;
    const portOk = rule.ports === undefined || rule.ports.some((p) => p.protocol === 'TCP' && (p.port === undefined || !p.port.known || p.port.value === port || p.port.value === name || (typeof p.port.value === 'number' && p.endPort?.known === true && p.port.value <= port && port <= p.endPort.value)));
    if (!portOk) return false;
    return rule.peers === undefined || rule.peers.some((peer) => peer.unknown || peer.ipBlock !== undefined || peer.namespaceSelector !== undefined);
  });
}

/** A NetworkPolicy document admitting the controller to pods `podLabels` on TCP `port`, appended to `text`. */
export function allowControllerDocument(text: string | undefined, name: string, ns: string, podLabels: ReadonlyArray<[string, string]>, c: IngressControllerSetting, port: number): { newText: string; at: number } {
  const t = text ?? '';
  const nl = t.includes('\r\n') ? '\r\n' : '\n';
  const sep = t === '' || t.endsWith('\n') ? '' : nl;
  const doc = [
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    'spec:',
    '  podSelector:',
    '    matchLabels:',
    ...podLabels.map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
    '  policyTypes: [Ingress]',
    '  ingress:',
    '    - from:',
    '        - namespaceSelector:',
    '            matchLabels:',
    `              kubernetes.io/metadata.name: ${c.namespace}`,
    '          podSelector:',
    '            matchLabels:',
    ...Object.entries(c.podLabels).map(([k, v]) => `              ${k}: ${JSON.stringify(v)}`),
    '      ports:',
    `        - port: ${port}`,
    '          protocol: TCP',
    '',
  ].join(nl);
  return { newText: sep + doc, at: t.length };
}
