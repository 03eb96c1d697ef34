/**
 * `netpol-egress-blocks-dns`: a workload's egress is isolated and no rule of the policies selecting
 * it admits DNS (UDP to the cluster DNS pods), so it cannot resolve names: "could not connect to
 * db" while the db rule is right there. Evaluated per pod class over the union of its policies
 * (a namespace-wide deny plus a separate allow-dns policy is the normal layout) on the
 * reachability engine: the DNS pods of `kubeReach.clusterProfile` / `kubeReach.dns` are a virtual
 * class of the engine, and the verdict is the workload's egress side towards them (docs/dev/checks-spec.md §2).
 */

import { about } from './support/findingFields.js';
import type { TextEdit } from '../types.js';
import type { Peer, ReachEngine } from '../reachability/engine.js';
import type { Protocol } from '../reachability/ports.js';
import { dnsModel } from '../settings.js';
import type { Check, CheckContext } from './support/check.js';
import { describe, unitsComplete } from './support/evidence.js';
import { writerFor } from '../edits/writer.js';
import type { EditWriter } from '../edits/writer.js';
import { freePolicyName, policiesIn, policySelects, scopeLabel, scopeOf, selectedProducers } from './support/policies.js';
import type { Verdict } from './support/checkEngine.js';
import {
  anyOf,
  classesOf,
  classPeer,
  CLUSTER_DNS,
  engineForScope,
  isolatingPolicies,
  namespaceUndecided,
  trackVerdict,
  verdictAt,
  virtualClass,
} from './support/checkEngine.js';

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
    'Kube Reach evaluates each workload on the reachability engine, over the union of all policies that select it,',
    'so a namespace-wide deny plus a separate `allow-dns` policy is fine. The DNS pods are a pod of the engine in',
    'the DNS namespace with the DNS labels and the named ports `dns` (UDP) and `dns-tcp` (TCP): a rule with no `to`,',
    'a namespaceSelector matching the DNS namespace (with no podSelector, `{}` or the DNS labels), or a podSelector',
    'peer when the workload runs in the DNS namespace allows DNS. An ipBlock that overlaps `kubeReach.podCIDRs`',
    'leaves the verdict undefined (semantics rule 15), and one that allows the DNS port to addresses outside the',
    'pod network (NodeLocal DNSCache, custom resolvers) may carry DNS: both stay silent. A warning when the workload may send some traffic but no DNS; information when egress is',
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
      const sc = scopeOf(placed.placements[0]);
      if (np === undefined || np.unknown || sc === undefined || !np.policyTypes.includes('Egress') || !unitsComplete(ctx, placed)) continue;
      const ns = sc.ns;
      const policies = policiesIn(ctx, sc).filter((p) => p.obj.networkPolicy?.policyTypes.includes('Egress') === true);
      const affected = new Map<Level, string[]>();
      let sawTcpOnly53 = false;
      // The workloads the policy selects, looked up by label (`selection.ts`): a workload's edit
      // re-checks the policies whose selectors name its labels, not every egress policy of the namespace.
      for (const w of selectedProducers(ctx, q, sc).producers) {
        const pod = w.obj.pod;
        if (pod === undefined || !pod.longRunning || pod.hostNetwork || pod.dnsPolicy === 'Default' || pod.dnsPolicy === 'None') continue;
        // The same for every policy of the scope that selects w: once per index, scope and workload.
        const selecting = ctx.index.cachedFor(w, `egress-selecting:${sc.ns}\u0000${sc.unit ?? ''}`, () =>
          policies.filter((p) => policySelects(p.obj, w) !== 'no'),
        );
        if (selecting.some((p) => policySelects(p.obj, w) === 'unknown' || p.obj.networkPolicy?.unknown === true)) continue;
        const rules = selecting.flatMap((p) => p.obj.networkPolicy?.egress ?? []);
        // Anchor: the policies that contribute egress rules, else the pure deny policies.
        const anchors = selecting.filter((p) => (p.obj.networkPolicy?.egress ?? []).length > 0);
        const anchoredHere = (anchors.length > 0 ? anchors : selecting).some((p) => p.obj === q);
        if (!anchoredHere) continue;
        // A verdict between two pods reads those two: the workload by identity, and the DNS pods by
        // their labels (a workload of the DNS namespace with them), not every pod of the namespaces.
        trackVerdict(ctx, [ns, ...dns.namespaces], { judged: [{ placed: w, ns }], sources: [dns.podLabels] });
        const unit = placed.placements[0]?.unit ?? '';
        const engine = engineForScope(ctx, sc, dns.namespaces, unit, (e) => classesOf(e, w.obj, ns).length > 0);
        const classes = engine === undefined ? [] : classesOf(engine, w.obj, ns);
        if (engine === undefined || classes.length === 0) continue;
        // Every class of the workload (a StatefulSet may be split per pod) must be in the same state.
        // Once per engine and class: every policy anchoring the workload (a deny and an allow-dns, say) asks.
        const levels = classes.map((c) => ctx.index.cachedFor(engine, `dns-level:${c}`, () => dnsLevel(ctx, engine, c, dns)));
        const level = levels[0];
        if (level === undefined || levels.some((l) => l !== level)) continue;
        if (
          level === 'warning' &&
          rules.some((r) =>
            (r.ports ?? []).some(
              (p) =>
                p.protocol === 'TCP' && p.protocolExplicit !== true && p.port?.known === true && dns.ports.includes(Number(p.port.value)),
            ),
          )
        )
          sawTcpOnly53 = true;
        const list = affected.get(level) ?? [];
        list.push(describe(w.obj));
        affected.set(level, list);
      }
      const label = scopeLabel(sc);
      for (const [level, names] of affected) {
        const who = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
        const target = `${dns.namespaces.join('/')} (${Object.entries(dns.podLabels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')})`;
        const message =
          level === 'information'
            ? `${describe(q, label)} isolates egress for ${who} with no egress rule at all: they cannot resolve names or connect anywhere. If that is not intended, allow DNS (UDP ${dns.ports.join('/')}) to ${target}.`
            : level === 'warning'
              ? `${describe(q, label)}: ${who} may send traffic but cannot resolve names: egress is isolated and no rule allows UDP ${dns.ports.join('/')} to ${target}.${sawTcpOnly53 ? ` A port without protocol means TCP: UDP ${dns.ports[0] ?? 53} stays blocked.` : ''}`
              : `${describe(q, label)}: ${who} may query DNS over UDP but not TCP; answers too large for UDP fall back to TCP and fail.`;
        ctx.report({
          ...about(q, q.anchor, label),
          confidence: level === 'warning' ? 'evidence' : 'no-evidence',
          severity: level,
          message,
          fixes: [allowDnsFix(writerFor(ctx, q.uri), label, dns, freePolicyName(ctx, sc, 'allow-dns'))],
        });
      }
    }
  },
};

type DnsModel = ReturnType<typeof dnsModel>;

/** The finding for one egress-isolated pod class, if any (severity by evidence: docs/dev/checks-spec.md §1.3). */
function dnsLevel(ctx: CheckContext, engine: ReachEngine, c: number, dns: DnsModel): Level | undefined {
  if (engine.implementationDefined(c) !== undefined) return undefined;
  const isolating = isolatingPolicies(engine, c, 'egress');
  if (isolating.length === 0) return undefined;
  const udp = dnsVerdict(ctx, engine, c, dns, 'UDP');
  if (udp === 'unknown') return undefined;
  const anyRule = [...isolating, ...engine.selectingOf(c).egressMaybe].some((p) => (p.egress ?? []).length > 0);
  if (udp === 'no') return anyRule ? 'warning' : 'information';
  return dnsVerdict(ctx, engine, c, dns, 'TCP') === 'no' ? 'hint' : undefined;
}

/**
 * The class's egress side towards the DNS pods on a DNS port: allowed, refused, or undefined. An
 * egress rule that lets the port out to addresses (NodeLocal DNSCache, a custom resolver) makes a
 * refusal towards the DNS pods undecided: the pod may resolve through it.
 */
function dnsVerdict(ctx: CheckContext, engine: ReachEngine, c: number, dns: DnsModel, protocol: Protocol): Verdict {
  const out: Verdict[] = [];
  for (const n of dns.namespaces) {
    const d = virtualClass(engine, CLUSTER_DNS, n);
    if (d === undefined) continue;
    const peer = classPeer(d);
    const side = engine.side('egress', c, peer, peer);
    const v = anyOf(dns.ports.map((p) => verdictAt(engine, side, protocol, p)));
    out.push(v === 'no' && namespaceUndecided(ctx, engine, isolatingPolicies(engine, c, 'egress'), 'egress', d) ? 'unknown' : v);
  }
  for (const range of engine.dstRanges) {
    const peer: Peer = { kind: 'ip', range };
    const side = engine.side('egress', c, peer, peer);
    if (dns.ports.some((p) => verdictAt(engine, side, protocol, p) !== 'no')) out.push('unknown');
  }
  return anyOf(out);
}

/** `ns` undefined: a floating unit's policy, which lands wherever the unit is applied (no namespace). */
function allowDnsFix(
  w: EditWriter,
  ns: string | undefined,
  dns: DnsModel,
  name: string,
): { title: string; isPreferred: boolean; edits: TextEdit[] } {
  const doc = w.addObject(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, ...(ns !== undefined ? { namespace: ns } : {}) },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.namespaces[0] ?? 'kube-system' } },
                podSelector: { matchLabels: { ...dns.podLabels } },
              },
            ],
            ports: dns.ports.flatMap((p) => [
              { port: p, protocol: 'UDP' },
              { port: p, protocol: 'TCP' },
            ]),
          },
        ],
      },
    },
    name,
  );
  return {
    title: `Add an ${name} NetworkPolicy for every pod of ${ns !== undefined ? `"${ns}"` : 'its namespace'} (UDP and TCP ${dns.ports.join('/')} to the DNS pods, one merged peer)`,
    isPreferred: true,
    edits: doc,
  };
}
