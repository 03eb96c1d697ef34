/**
 * Ports that OpenKruise SidecarSets (model/sidecarSet.ts) inject into a Service's selected pods. A SidecarSet that
 * may select the pods but whose selector, namespace or ports are not known makes the pods' ports unknown: the
 * port checks stay silent then (the false-positive firewall).
 */

import type { Placed, Placement } from '../../workspace/workspaceIndex.js';
import type { ContainerPort, SidecarSetSpec } from '../../model/types.js';
import { matchSelector, podLabelsOf } from '../../model/labels.js';
import type { Tri } from '../../model/labels.js';
import type { CheckContext } from './check.js';

export interface InjectedPorts {
  readonly ports: readonly ContainerPort[];
  /** A SidecarSet may inject into these pods, but what it injects (or whether) is not known. */
  readonly unknown: boolean;
  /** The SidecarSets whose ports were added. */
  readonly from: readonly Placed[];
}

function namespaceMatch(s: SidecarSetSpec, placement: Placement): Tri {
  let out: Tri = 'yes';
  if (s.namespace !== undefined) {
    if (!s.namespace.known || placement.floating || placement.namespace === undefined) out = 'unknown';
    else if (s.namespace.value !== placement.namespace) return 'no';
  }
  // Which namespaces a namespaceSelector matches is not judged here.
  return s.namespaceSelector ? 'unknown' : out;
}

function injects(s: SidecarSetSpec, producer: Placed, placement: Placement): Tri {
  const pod = producer.obj.pod;
  if (pod === undefined) return 'no';
  const ns = namespaceMatch(s, placement);
  if (ns === 'no') return 'no';
  const labels = s.selector === undefined || s.selector.unknown ? 'unknown' : matchSelector(s.selector, podLabelsOf(pod));
  if (labels === 'no') return 'no';
  return labels === 'yes' && ns === 'yes' ? 'yes' : 'unknown';
}

/** What SidecarSets add to the ports of `producers` (the pods a Service selects in `placement`). */
export function injectedPorts(ctx: Pick<CheckContext, 'index'>, producers: readonly Placed[], placement: Placement): InjectedPorts {
  const ports: ContainerPort[] = [];
  const from: Placed[] = [];
  let unknown = false;
  for (const set of ctx.index.sidecarSets()) {
    const s = set.obj.sidecarSet;
    if (s === undefined) continue;
    const verdicts = producers.map((p) => injects(s, p, placement));
    if (verdicts.every((v) => v === 'no')) continue;
    if (verdicts.includes('unknown') || s.portsUnknown) unknown = true;
    if (verdicts.includes('yes') && !s.portsUnknown) {
      for (const p of s.ports) ports.push(p);
      from.push(set);
    }
  }
  return { ports, unknown, from };
}
