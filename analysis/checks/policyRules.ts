/**
 * Rule-level NetworkPolicy evaluation for one connection, without the reachability engine: does a
 * rule admit a given peer pod on a given port? Three-valued: templated parts and ipBlocks (whose
 * match against pod IPs the spec leaves to the plugin) answer `unknown` (semantics rule 15).
 */

import type { PodLabels, Tri } from '../model/labels.js';
import { matchSelector } from '../model/labels.js';
import type { PolicyPeer, PolicyPort, PolicyRule } from '../model/types.js';

/** The pod at the other end of the rule: the source of an ingress rule, the destination of an egress rule. */
export interface PeerPod {
  readonly namespace: string;
  readonly labels: PodLabels;
  readonly namespaceLabels: PodLabels;
}

export interface PortProbe {
  readonly protocol: string;
  readonly number: number;
  /** The destination container port's name, when it has one (named policy ports match it). */
  readonly name?: string | undefined;
}

function or(a: Tri, b: Tri): Tri {
  return a === 'yes' || b === 'yes' ? 'yes' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no';
}

function and(a: Tri, b: Tri): Tri {
  return a === 'no' || b === 'no' ? 'no' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
}

export function peerMatches(peer: PolicyPeer, policyNamespace: string, pod: PeerPod): Tri {
  if (peer.unknown) return 'unknown';
  if (peer.ipBlock !== undefined) return 'unknown';
  if (peer.namespaceSelector === undefined && peer.podSelector === undefined) return 'unknown';
  const ns: Tri = peer.namespaceSelector === undefined ? (pod.namespace === policyNamespace ? 'yes' : 'no') : matchSelector(peer.namespaceSelector, pod.namespaceLabels);
  const pods: Tri = peer.podSelector === undefined ? 'yes' : matchSelector(peer.podSelector, pod.labels);
  return and(ns, pods);
}

export function portMatches(ports: readonly PolicyPort[] | undefined, probe: PortProbe): Tri {
  if (ports === undefined) return 'yes';
  let out: Tri = 'no';
  for (const p of ports) {
    if (p.protocol !== probe.protocol) continue;
    if (p.port === undefined) return 'yes';
    if (!p.port.known) {
      out = or(out, 'unknown');
      continue;
    }
    const v = p.port.value;
    if (typeof v === 'string') {
      if (probe.name !== undefined && v === probe.name) return 'yes';
      continue;
    }
    const end = p.endPort?.known === true ? p.endPort.value : v;
    if (v <= probe.number && probe.number <= end) return 'yes';
  }
  return out;
}

/** Does `rule` (of a policy in `policyNamespace`) admit `pod` on `probe`? */
export function ruleAdmits(rule: PolicyRule, policyNamespace: string, pod: PeerPod, probe: PortProbe): Tri {
  if (rule.unknown) return 'unknown';
  const ports = portMatches(rule.ports, probe);
  if (ports === 'no') return 'no';
  if (rule.peers === undefined) return ports;
  let peers: Tri = 'no';
  for (const p of rule.peers) peers = or(peers, peerMatches(p, policyNamespace, pod));
  return and(peers, ports);
}

/** The union of rules: yes if any admits for sure, unknown if any might. */
export function anyAdmits(rules: ReadonlyArray<{ rule: PolicyRule; namespace: string }>, pod: PeerPod, probe: PortProbe): Tri {
  let out: Tri = 'no';
  for (const r of rules) {
    out = or(out, ruleAdmits(r.rule, r.namespace, pod, probe));
    if (out === 'yes') return out;
  }
  return out;
}
