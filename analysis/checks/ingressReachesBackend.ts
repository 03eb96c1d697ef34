/**
 * Can the ingress controller reach an Ingress backend's pods? Shared by `ingress-backend-blocked`
 * and `ingress-acme-solver-blocked`: the controller of the Ingress's class (kubeReach.ingressControllers),
 * and the reachability engine's verdict from its pod class(es) to the backend's on a TCP port.
 */

import type { KObject, ServicePort, ServiceSpec } from '../model/types.js';
import type { CPolicy, Peer, PodClass, ReachEngine } from '../reachability/engine.js';
import type { IngressControllerSetting } from '../settings.js';
import type { TextEdit } from '../types.js';
import type { CheckContext } from './support/check.js';
import type { EditWriter } from '../edits/writer.js';
import { effectiveClass, ingressClasses } from './support/ingressClasses.js';
import { policiesIn } from './support/policies.js';
import type { Where } from './support/policies.js';
import type { Verdict } from './support/checkEngine.js';
import { anyOf, classPeer, isolatingPolicies, namespaceUndecided, policyName, verdictAt } from './support/checkEngine.js';

/** Classes whose "controller" is a cloud load balancer: its source addresses are not pods. */
export const LOAD_BALANCER_CLASSES: ReadonlySet<string> = new Set([
  'alb',
  'gce',
  'gce-internal',
  'azure-application-gateway',
  'azure/application-gateway',
]);

/** The configured controller of the Ingress's class, if known. */
export function controllerOf(ctx: CheckContext, ingress: KObject): IngressControllerSetting | undefined {
  const cls = effectiveClass(ingress);
  let name: string | undefined;
  if (cls.kind === 'named') name = cls.name;
  else if (cls.kind === 'default') {
    const def = ingressClasses(ctx.index).find((c) => c.ingressClass?.isDefault === true);
    name =
      def?.name?.known === true
        ? def.name.value
        : ctx.settings.ingressControllers.length === 1
          ? ctx.settings.ingressControllers[0]?.class
          : undefined;
  }
  return name === undefined ? undefined : ctx.settings.ingressControllers.find((c) => c.class === name);
}

/** Whether some policy of `ns` (a namespace or floating unit) isolates pods in `direction` (a cheap gate before asking the engine). */
export function mayIsolate(ctx: CheckContext, ns: Where, direction: 'Ingress' | 'Egress'): boolean {
  return policiesIn(ctx, ns).some((p) => p.obj.networkPolicy?.policyTypes.includes(direction) === true);
}

/** The engine's answer for "may one of these sources connect to that pod?", with who refuses when none may. */
export interface Connectivity {
  readonly verdict: Verdict;
  /** When refused: the side that refuses (the destination's ingress or the source's egress)… */
  readonly side: 'ingress' | 'egress';
  /** …and the policies isolating that side. */
  readonly policies: readonly CPolicy[];
}

/**
 * Whether any of `sources` may connect to class `dst` on TCP `port`: the engine's pair verdict
 * (both sides, named ports resolved on the destination, rule 15 for ipBlocks, hostNetwork and
 * ambient left undefined), then a firewall: a refusal that rests on the engine's reading of an
 * undeclared namespace (only its name label, semantics rule 14) stays undecided for a diagnostic,
 * whose view is that such a namespace may carry other labels (docs/dev/checks-spec.md §1.5).
 */
export function connectivity(ctx: CheckContext, engine: ReachEngine, sources: readonly Peer[], dst: number, port: number): Connectivity {
  const dstPeer = classPeer(dst);
  const verdicts = sources.map((s) => verdictAt(engine, engine.pair(s, dstPeer), 'TCP', port));
  const verdict = anyOf(verdicts);
  const first = sources[0];
  if (verdict !== 'no' || first === undefined) return { verdict, side: 'ingress', policies: [] };
  const ingress = verdictAt(engine, engine.side('ingress', dst, first, dstPeer), 'TCP', port);
  if (ingress === 'no') {
    const policies = isolatingPolicies(engine, dst, 'ingress');
    const undecided = sources.some((s) => s.kind === 'class' && namespaceUndecided(ctx, engine, policies, 'ingress', s.index));
    return { verdict: undecided ? 'unknown' : 'no', side: 'ingress', policies };
  }
  if (first.kind !== 'class') return { verdict: 'unknown', side: 'ingress', policies: [] };
  const policies = isolatingPolicies(engine, first.index, 'egress');
  return { verdict: namespaceUndecided(ctx, engine, policies, 'egress', dst) ? 'unknown' : 'no', side: 'egress', policies };
}

/** Names of policies for a message: `"a", "b"`. */
export function policyNames(policies: readonly CPolicy[]): string {
  return policies.map((p) => `"${policyName(p)}"`).join(', ');
}

/**
 * A NetworkPolicy admitting the controller to pods `podLabels` on TCP `port`, added next to the
 * Ingress (`EditWriter.addObject`); without `ns` (a floating unit's) it has no namespace and lands with the unit.
 */
export function allowControllerDocument(
  w: EditWriter,
  name: string,
  ns: string | undefined,
  podLabels: ReadonlyArray<[string, string]>,
  c: IngressControllerSetting,
  port: number,
): TextEdit[] {
  return w.addObject(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, ...(ns !== undefined ? { namespace: ns } : {}) },
      spec: {
        podSelector: { matchLabels: Object.fromEntries(podLabels) },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.namespace } },
                podSelector: { matchLabels: { ...c.podLabels } },
              },
            ],
            ports: [{ port, protocol: 'TCP' }],
          },
        ],
      },
    },
    name,
  );
}

/** The pod port a Service port lands on for one class (semantics rules 28–29, as `routing.ts`). */
export function podPort(spec: ServiceSpec, sp: ServicePort, cls: PodClass): number | undefined {
  if (spec.headless || sp.targetPort === undefined) return sp.port?.known === true ? sp.port.value : undefined;
  if (!sp.targetPort.known) return undefined;
  const tp = sp.targetPort.value;
  return typeof tp === 'number' ? tp : cls.ports.find((cp) => cp.name === tp && cp.protocol === sp.protocol)?.containerPort;
}
