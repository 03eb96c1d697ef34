/**
 * A NetworkPolicy in plain language (docs/dev/design.md §4): what it selects and what it allows, per direction.
 */

import { selectorText } from '../checks/support/evidence.js';
import type { NetworkPolicySpec, PolicyPeer, PolicyPort, PolicyRule } from '../model/types.js';
import { selectorIsEmpty } from '../model/values.js';

function portsText(ports: readonly PolicyPort[] | undefined): string {
  if (ports === undefined) return 'all ports';
  return ports
    .map((p) => {
      if (p.port === undefined) return `${p.protocol} (all ports)`;
      if (!p.port.known) return `${p.protocol} (templated port)`;
      const end = p.endPort?.known === true ? `-${p.endPort.value}` : '';
      return `${p.protocol} ${p.port.value}${end}`;
    })
    .join(', ');
}

function peerText(p: PolicyPeer, ns: string): string {
  if (p.unknown) return 'a templated peer';
  if (p.ipBlock !== undefined) {
    const cidr = p.ipBlock.cidr.known ? p.ipBlock.cidr.value : '(templated)';
    const except = p.ipBlock.except.filter((e) => e.known).map((e) => (e.known ? e.value : ''));
    return `addresses ${cidr}${except.length > 0 ? ` except ${except.join(', ')}` : ''}`;
  }
  const pods = p.podSelector === undefined || selectorIsEmpty(p.podSelector) ? 'all pods' : `pods ${selectorText(p.podSelector)}`;
  if (p.namespaceSelector === undefined) return `${pods} in ${ns}`;
  if (selectorIsEmpty(p.namespaceSelector)) return `${pods} in every namespace`;
  return `${pods} in namespaces ${selectorText(p.namespaceSelector)}`;
}

function rulesText(rules: readonly PolicyRule[] | undefined, dir: 'from' | 'to', ns: string): string[] {
  if (rules === undefined || rules.length === 0) return [];
  return rules.map((r) => {
    if (r.unknown) return `${r.path} is templated`;
    const peers = r.peers === undefined ? (dir === 'from' ? 'anywhere' : 'anywhere') : r.peers.map((p) => peerText(p, ns)).join(' or ');
    return `allows ${portsText(r.ports)} ${dir} ${peers}`;
  });
}

function onlyDns(rules: readonly PolicyRule[]): boolean {
  return (
    rules.length > 0 &&
    rules.every(
      (r) =>
        r.ports !== undefined &&
        r.ports.every(
          (p) =>
            p.port?.known === true &&
            (p.port.value === 53 || p.port.value === 5353 || p.port.value === 'dns' || p.port.value === 'dns-tcp'),
        ),
    )
  );
}

/** Lines of a plain-language summary of a policy placed in `ns`. */
export function summarizePolicy(np: NetworkPolicySpec, ns: string, selected: readonly string[]): string[] {
  const sel = np.podSelector === undefined || selectorIsEmpty(np.podSelector) ? 'every pod' : selectorText(np.podSelector);
  const lines = [`selects ${sel} in ${ns}${selected.length > 0 ? ` (${selected.join(', ')})` : ' (no workload in this workspace)'}`];
  if (np.policyTypes.includes('Ingress')) {
    const r = rulesText(np.ingress, 'from', ns);
    if (r.length === 0) lines.push('isolates ingress: denies all inbound traffic (unless another policy allows it)');
    else for (const l of r) lines.push(l);
  }
  if (np.policyTypes.includes('Egress')) {
    const egress = np.egress ?? [];
    if (egress.length === 0) lines.push('isolates egress: denies all outbound traffic, DNS included (unless another policy allows it)');
    else if (onlyDns(egress)) lines.push(`isolates egress: only DNS allowed (${rulesText(egress, 'to', ns).join('; ')})`);
    else for (const l of rulesText(egress, 'to', ns)) lines.push(l);
  }
  return lines;
}
