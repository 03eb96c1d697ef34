/**
 * Ports that OpenKruise SidecarSets (model/sidecarSet.ts) inject into the pods they select. A SidecarSet that
 * may select the pods but whose selector, namespace or ports are not known makes the pods' ports unknown: the
 * port checks stay silent then (the false-positive firewall).
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { ContainerPort, SidecarSetSpec } from '../../model/types.js';
import { matchSelector, podLabelsOf } from '../../model/labels.js';
import type { Tri } from '../../model/labels.js';
import type { CheckContext } from './check.js';
import { namespaceLabels } from './policies.js';

export interface InjectedPorts {
  readonly ports: readonly ContainerPort[];
  /** A SidecarSet may inject into these pods, but what it injects (or whether) is not known. */
  readonly unknown: boolean;
  /** The SidecarSets whose ports were added. */
  readonly from: readonly Placed[];
  /** The SidecarSet each added port comes from (its span lies in that SidecarSet's file). */
  readonly origin: ReadonlyMap<ContainerPort, Placed>;
}

/**
 * Whether the SidecarSet injects in `placement`'s namespace: `spec.namespace` names it, and
 * `spec.namespaceSelector` matches its labels as far as the workspace knows them (a declared
 * Namespace's, `kubernetes.io/metadata.name`, the settings' external namespaces; support/policies.ts
 * `namespaceLabels`). A floating or templated namespace: unknown.
 */
function namespaceMatch(ctx: CheckContext, s: SidecarSetSpec, placement: Placement): Tri {
  let out: Tri = 'yes';
  const where = placement.floating ? undefined : placement.namespace;
  if (s.namespace !== undefined) {
    if (!s.namespace.known || where === undefined) out = 'unknown';
    else if (s.namespace.value !== where) return 'no';
  }
  const sel = s.namespaceSelector;
  if (sel === undefined) return out;
  if (sel.unknown || where === undefined) return 'unknown';
  const labels = matchSelector(sel, namespaceLabels(ctx, where));
  return labels === 'no' ? 'no' : labels === 'yes' ? out : 'unknown';
}

function injects(ctx: CheckContext, s: SidecarSetSpec, producer: Placed, placement: Placement): Tri {
  const pod = producer.obj.pod;
  if (pod === undefined) return 'no';
  const ns = namespaceMatch(ctx, s, placement);
  if (ns === 'no') return 'no';
  const labels = s.selector === undefined || s.selector.unknown ? 'unknown' : matchSelector(s.selector, podLabelsOf(pod));
  if (labels === 'no') return 'no';
  return labels === 'yes' && ns === 'yes' ? 'yes' : 'unknown';
}

/** What SidecarSets add to the ports of `producers` (the pods a Service selects in `placement`). */
export function injectedPorts(ctx: CheckContext, producers: readonly Placed[], placement: Placement): InjectedPorts {
  const ports: ContainerPort[] = [];
  const from: Placed[] = [];
  const origin = new Map<ContainerPort, Placed>();
  let unknown = false;
  for (const set of ctx.index.sidecarSets()) {
    const s = set.obj.sidecarSet;
    if (s === undefined) continue;
    const verdicts = producers.map((p) => injects(ctx, s, p, placement));
    if (verdicts.every((v) => v === 'no')) continue;
    if (verdicts.includes('unknown') || s.portsUnknown) unknown = true;
    if (verdicts.includes('yes') && !s.portsUnknown) {
      for (const p of s.ports) {
        ports.push(p);
        origin.set(p, set);
      }
      from.push(set);
    }
  }
  return { ports, unknown, from, origin };
}

/** A pod producer's ports with the injected ones: `origin` says which SidecarSet added a port. */
export interface PodPorts {
  readonly ports: readonly ContainerPort[];
  readonly unknown: boolean;
  readonly origin?: ReadonlyMap<ContainerPort, Placed>;
}

const NO_SIDECARS: PodPorts = { ports: [], unknown: false };

/**
 * A pod producer's declared container ports with those the SidecarSets that select it inject (in
 * the namespace of `placement`, else of its own first placement); `unknown` when a SidecarSet may
 * inject into it but which ports (or whether) is not known: the port checks stay silent then.
 */
export function podPorts(ctx: CheckContext, producer: Placed, placement?: Placement): PodPorts {
  const own = producer.obj.pod?.ports ?? [];
  if (ctx.index.sidecarSets().length === 0) return own.length === 0 ? NO_SIDECARS : { ports: own, unknown: false };
  const where = placement ?? producer.placements[0];
  if (where === undefined) return { ports: own, unknown: false };
  const added = injectedPorts(ctx, [producer], where);
  if (added.ports.length === 0) return { ports: own, unknown: added.unknown };
  return { ports: [...own, ...added.ports], unknown: added.unknown, origin: added.origin };
}

/**
 * Where a port of `producer` is written and how to name its container: an injected one in its
 * SidecarSet's file ("container "exporter" that SidecarSet "x" injects into Deployment "y"").
 */
export function portSite(producer: Placed, c: ContainerPort, pp: PodPorts): { readonly uri: string; readonly injectedBy?: Placed } {
  const set = pp.origin?.get(c);
  return set === undefined ? { uri: producer.obj.uri } : { uri: set.obj.uri, injectedBy: set };
}
