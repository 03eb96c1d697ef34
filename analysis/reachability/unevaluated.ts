/**
 * Network policies of CNI plugins that Kube Reach does not evaluate: Calico's (`projectcalico.org`
 * NetworkPolicy, GlobalNetworkPolicy and their staged kinds) and Cilium's (CiliumNetworkPolicy,
 * CiliumClusterwideNetworkPolicy). Reachability reads Kubernetes NetworkPolicies and the cluster
 * network policies only, so a connection these deny shows as allowed and a workload only they
 * isolate as open: `reach` and the panel say so in a note, never silently.
 */

import type { Placed } from '../workspace/workspaceIndex.js';

const PLUGINS: ReadonlyArray<{ readonly plugin: string; readonly groups: readonly string[]; readonly kinds: readonly string[] }> = [
  {
    plugin: 'Calico',
    groups: ['projectcalico.org', 'crd.projectcalico.org'],
    kinds: ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy'],
  },
  { plugin: 'Cilium', groups: ['cilium.io'], kinds: ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] },
];

/** `1 Calico GlobalNetworkPolicy`, `17 Calico NetworkPolicies`. */
function counted(n: number, plugin: string, kind: string): string {
  const plural = n === 1 ? kind : kind.endsWith('y') ? `${kind.slice(0, -1)}ies` : `${kind}s`;
  return `${n} ${kind.startsWith(plugin) ? '' : `${plugin} `}${plural}`;
}

/** The note naming the policies of `objects` that no reachability answer evaluates; undefined when there are none. */
export function unevaluatedPoliciesNote(objects: readonly Placed[]): string | undefined {
  const counts = new Map<string, { readonly plugin: string; readonly kind: string; n: number }>();
  for (const p of objects) {
    const o = p.obj;
    const plugin = PLUGINS.find((x) => x.groups.includes(o.group) && x.kinds.includes(o.kind));
    if (plugin === undefined) continue;
    const key = `${plugin.plugin} ${o.kind}`;
    const c = counts.get(key);
    if (c === undefined) counts.set(key, { plugin: plugin.plugin, kind: o.kind, n: 1 });
    else c.n++;
  }
  if (counts.size === 0) return undefined;
  const list = [...counts.values()].map((c) => counted(c.n, c.plugin, c.kind));
  const total = [...counts.values()].reduce((s, c) => s + c.n, 0);
  return `${list.join(', ')} ${total === 1 ? 'is' : 'are'} not evaluated (only Kubernetes NetworkPolicies and cluster network policies are): a connection ${total === 1 ? 'it denies' : 'they deny'} shows as allowed, and a workload only ${total === 1 ? 'it isolates' : 'they isolate'} as open`;
}
