/**
 * `netpol-egress-blocks-dns`: a workload's egress is isolated and no rule of the policies selecting
 * it admits DNS (UDP to the cluster DNS pods), so it cannot resolve names: "could not connect to
 * db" while the db rule is right there. Evaluated per workload over the union of its policies
 * (a namespace-wide deny plus a separate allow-dns policy is the normal layout), with the DNS model
 * of `kubeReach.clusterProfile` / `kubeReach.dns`. Rule-level logic (checks-spec §2).
 */

import type { PolicyRule } from '../model/types.js';
import { dnsModel } from '../settings.js';
import { plainLabels } from '../model/labels.js';
import type { Check } from './check.js';
import { describe, unitsComplete } from './evidence.js';
import { namespaceLabels, policiesIn, policySelects } from './policies.js';
import { anyAdmits } from './policyRules.js';

type Level = 'warning' | 'information' | 'hint';

export const netpolEgressBlocksDns: Check = {
  code: 'netpol-egress-blocks-dns',
  defaultSeverity: 'warning',
  summary: 'Egress is isolated and no rule allows DNS: the pods cannot resolve names.',
  doc: [
    'When NetworkPolicies isolate a pod for egress, DNS must be allowed explicitly: UDP (and TCP) to the cluster',
    'DNS pods on port 53 (5353 on OpenShift, where the Service maps 53 → 5353 and policies see the pod port).',
    'Without it every connection by name fails, including the ones the policy allows.',
    '',
    'Kube Reach evaluates each workload over the union of all policies that select it, so a namespace-wide deny',
    'plus a separate `allow-dns` policy is fine. DNS counts as allowed by a rule with no `to`, a namespaceSelector',
    'matching the DNS namespace (with no podSelector, `{}` or the DNS labels), any ipBlock (NodeLocal DNSCache,',
    'custom resolvers), or a podSelector peer when the workload runs in the DNS namespace; named ports `dns` and',
    '`dns-tcp` count. A warning when the workload may send some traffic but no DNS; information when egress is',
    'fully locked down (often intended); a hint when UDP is allowed but TCP (used for large answers) is not.',
    'A `port: 53` without `protocol` means TCP: UDP 53 stays blocked.',
    '',
    '**Fix:** a rule with **one** peer, `namespaceSelector` `kubernetes.io/metadata.name: kube-system` **and**',
    '`podSelector` `k8s-app: kube-dns`, on UDP and TCP 53 — the quick-fix adds a namespace-wide `allow-dns` policy.',
  ].join('\n'),
  run(ctx) {
    const dns = dnsModel(ctx.settings);
    for (const placed of ctx.objects) {
      const q = placed.obj;
      const np = q.networkPolicy;
      const ns = placed.placements[0]?.namespace;
      if (np === undefined || np.unknown || ns === undefined || !np.policyTypes.includes('Egress') || !unitsComplete(ctx, placed)) continue;
      const policies = policiesIn(ctx, ns).filter((p) => p.obj.networkPolicy?.policyTypes.includes('Egress') === true);
      const affected = new Map<Level, string[]>();
      let sawTcpOnly53 = false;
      for (const w of ctx.index.producersIn(ns)) {
        const pod = w.obj.pod;
        if (pod === undefined || !pod.longRunning || pod.hostNetwork || pod.dnsPolicy === 'Default' || pod.dnsPolicy === 'None') continue;
        if (policySelects(q, w) !== 'yes') continue;
        const selecting = policies.filter((p) => policySelects(p.obj, w) !== 'no');
        if (selecting.some((p) => policySelects(p.obj, w) === 'unknown' || p.obj.networkPolicy?.unknown === true)) continue;
        const rules: Array<{ rule: PolicyRule; namespace: string }> = selecting.flatMap((p) => (p.obj.networkPolicy?.egress ?? []).map((rule) => ({ rule, namespace: ns })));
        // Anchor: the policies that contribute egress rules, else the pure deny policies.
        const anchors = selecting.filter((p) => (p.obj.networkPolicy?.egress ?? []).length > 0);
        const anchoredHere = (anchors.length > 0 ? anchors : selecting).some((p) => p.obj === q);
        if (!anchoredHere) continue;
        const verdict = (protocol: string): 'yes' | 'no' | 'unknown' => {
          let out: 'yes' | 'no' | 'unknown' = 'no';
          for (const dnsNs of dns.namespaces) {
            const target = { namespace: dnsNs, labels: plainLabels(new Map(Object.entries(dns.podLabels))), namespaceLabels: namespaceLabels(ctx, dnsNs) };
            for (const port of dns.ports) {
              const r = anyAdmits(rules, target, { protocol, number: port, name: protocol === 'UDP' ? 'dns' : 'dns-tcp' });
              if (r === 'yes') return 'yes';
              if (r === 'unknown') out = 'unknown';
            }
          }
          return out;
        };
        const udp = verdict('UDP');
        if (udp === 'unknown') continue;
        let level: Level | undefined;
        if (rules.length === 0) level = 'information';
        else if (udp === 'no') level = 'warning';
        else if (verdict('TCP') === 'no') level = 'hint';
        if (level === undefined) continue;
        if (udp === 'no' && rules.some((r) => (r.rule.ports ?? []).some((p) => p.protocol === 'TCP' && p.protocolExplicit !== true && p.port?.known === true && dns.ports.includes(Number(p.port.value))))) sawTcpOnly53 = true;
        const list = affected.get(level) ?? [];
        list.push(describe(w.obj));
        affected.set(level, list);
      }
      for (const [level, names] of affected) {
        const who = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
        const target = `${dns.namespaces.join('/')} (${Object.entries(dns.podLabels).map(([k, v]) => `${k}=${v}`).join(', ')})`;
        const message =
          level === 'information'
            ? `${describe(q, ns)} isolates egress for ${who} with no egress rule at all: they cannot resolve names or connect anywhere. If that is not intended, allow DNS (UDP ${dns.ports.join('/')}) to ${target}.`
            : level === 'warning'
              ? `${describe(q, ns)}: ${who} may send traffic but cannot resolve names: egress is isolated and no rule allows UDP ${dns.ports.join('/')} to ${target}.${sawTcpOnly53 ? ` A port without protocol means TCP: UDP ${dns.ports[0] ?? 53} stays blocked.` : ''}`
              : `${describe(q, ns)}: ${who} may query DNS over UDP but not TCP; answers too large for UDP fall back to TCP and fail.`;
        ctx.report({
          uri: q.uri,
          span: q.anchor,
          object: q,
          namespace: ns,
          confidence: level === 'warning' ? 'evidence' : 'no-evidence',
          severity: level,
          message,
          fixes: [allowDnsFix(ctx.text(q.uri), q.uri, ns, dns)],
        });
      }
    }
  },
};

function allowDnsFix(text: string | undefined, uri: string, ns: string, dns: ReturnType<typeof dnsModel>): { title: string; isPreferred: boolean; edits: Array<{ uri: string; span: { start: number; end: number }; newText: string }> } {
  const t = text ?? '';
  const nl = t.includes('\r\n') ? '\r\n' : '\n';
  const sep = t === '' || t.endsWith('\n') ? '' : nl;
  const labels = Object.entries(dns.podLabels).map(([k, v]) => `              ${k}: ${v}`);
  const ports = dns.ports.flatMap((p) => [`        - port: ${p}`, '          protocol: UDP', `        - port: ${p}`, '          protocol: TCP']);
  const doc = [
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: allow-dns',
    `  namespace: ${ns}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes: [Egress]',
    '  egress:',
    '    - to:',
    '        - namespaceSelector:',
    '            matchLabels:',
    `              kubernetes.io/metadata.name: ${dns.namespaces[0] ?? 'kube-system'}`,
    '          podSelector:',
    '            matchLabels:',
    ...labels,
    '      ports:',
    ...ports,
    '',
  ].join(nl);
  return { title: `Add an allow-dns NetworkPolicy for every pod of "${ns}" (UDP and TCP ${dns.ports.join('/')} to the DNS pods, one merged peer)`, isPreferred: true, edits: [{ uri, span: { start: t.length, end: t.length }, newText: sep + doc }] };
}
