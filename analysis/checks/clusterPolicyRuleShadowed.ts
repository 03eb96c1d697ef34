/**
 * `cluster-policy-rule-shadowed`: a rule of an AdminNetworkPolicy, BaselineAdminNetworkPolicy or
 * ClusterNetworkPolicy that an earlier rule of the same policy and direction covers (every peer
 * and every port it names), so it can never decide anything: rules are read in order and the
 * first that matches decides (docs/dev/cluster-policies.md rule C4). A claim about the policy's
 * own text, decided without the workspace: no evidence tier.
 */

import { about, tier } from './support/findingFields.js';
import type { ClusterPolicySpec, ClusterPort, ClusterRule, ClusterSelection, NamespacedPods } from '../model/clusterPolicy.js';
import { hasStrayFields } from '../model/clusterPolicy.js';
import type { KObject, Selector } from '../model/types.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { selectorIsEmpty } from '../model/values.js';
import { contains, parseCidr } from '../reachability/ip.js';
import { selectorKey } from '../reachability/selectors.js';
import type { Check, CheckContext } from './support/check.js';
import { absenceGate } from './support/evidence.js';

function selKey(s: Selector | undefined): string {
  return s === undefined || selectorIsEmpty(s) ? '{}' : selectorKey(s);
}

function known(s: ClusterSelection): boolean {
  if (s.unknown || s.fields.length !== 1) return false;
  const sels = [s.namespaces, s.nodes, s.pods?.namespaceSelector, s.pods?.podSelector];
  return sels.every((x) => x === undefined || !x.unknown) && (s.networks ?? []).every((n) => n.known);
}

/** The namespace part and pod part of a namespaces/pods selection (`{}`: all). */
function parts(s: ClusterSelection): { ns: string; pod: string } | undefined {
  if (s.namespaces !== undefined) return { ns: selKey(s.namespaces), pod: '{}' };
  const p: NamespacedPods | undefined = s.pods;
  if (p !== undefined) return { ns: selKey(p.namespaceSelector), pod: selKey(p.podSelector) };
  return undefined;
}

/** Does peer `a` (earlier) match everything peer `b` matches? */
function peerCovers(a: ClusterSelection, b: ClusterSelection): boolean {
  const pa = parts(a);
  const pb = parts(b);
  if (pa !== undefined && pb !== undefined) return (pa.ns === '{}' || pa.ns === pb.ns) && (pa.pod === '{}' || pa.pod === pb.pod);
  if (a.nodes !== undefined && b.nodes !== undefined) return selKey(a.nodes) === '{}' || selKey(a.nodes) === selKey(b.nodes);
  if (a.networks !== undefined && b.networks !== undefined) {
    const ranges = a.networks.flatMap((n) => (n.known ? [parseCidr(n.value)] : [])).filter((r) => r !== undefined);
    return b.networks.every((n) => {
      const r = n.known ? parseCidr(n.value) : undefined;
      return r !== undefined && ranges.some((x) => contains([x], r.family, r.lo) && contains([x], r.family, r.hi));
    });
  }
  return false;
}

function portCovers(a: ClusterPort, b: ClusterPort): boolean {
  if (a.unknown || b.unknown) return false;
  if (a.kind === 'named' || b.kind === 'named')
    return a.kind === b.kind && a.name?.known === true && b.name?.known === true && a.name.value === b.name.value;
  if (a.protocol === undefined || a.protocol !== b.protocol) return false;
  if (a.kind === 'all') return b.kind === 'all' || b.kind === 'number' || b.kind === 'range';
  const lo = a.port?.known === true ? a.port.value : undefined;
  const hi = a.kind === 'range' ? (a.end?.known === true ? a.end.value : undefined) : lo;
  const blo = b.port?.known === true ? b.port.value : undefined;
  const bhi = b.kind === 'range' ? (b.end?.known === true ? b.end.value : undefined) : blo;
  if (lo === undefined || hi === undefined || blo === undefined || bhi === undefined || b.kind === 'all') return false;
  return lo <= blo && bhi <= hi;
}

/** Does rule `a` (earlier) match every connection rule `b` matches? */
export function ruleCovers(a: ClusterRule, b: ClusterRule): boolean {
  if (a.unknown || b.unknown || a.action === undefined || a.peers.length === 0 || b.peers.length === 0) return false;
  if (!a.peers.every(known) || !b.peers.every(known)) return false;
  if (!b.peers.every((pb) => a.peers.some((pa) => peerCovers(pa, pb)))) return false;
  if (a.ports === undefined) return true;
  if (b.ports === undefined) return false;
  return b.ports.every((pb) => a.ports?.some((pa) => portCovers(pa, pb)) === true);
}

/** Does subject `a` select every pod subject `b` selects (on the policies' text)? */
function subjectCovers(a: ClusterSelection | undefined, b: ClusterSelection | undefined): boolean {
  if (a === undefined || b === undefined || !known(a) || !known(b)) return false;
  const pa = parts(a);
  const pb = parts(b);
  return pa !== undefined && pb !== undefined && (pa.ns === '{}' || pa.ns === pb.ns) && (pa.pod === '{}' || pa.pod === pb.pod);
}

function ruleText(r: ClusterRule): string {
  const i = /\[(\d+)\]$/.exec(r.path)?.[1];
  return `${r.direction} rule ${i === undefined ? '?' : Number(i) + 1}${r.name === undefined ? '' : ` "${r.name}"`}`;
}

/** A rule that can never decide anything, with the rule (of `by`) that decides first in relatedInformation. */
function reportShadowed(
  ctx: CheckContext,
  o: KObject,
  rule: ClusterRule,
  message: string,
  by: KObject,
  first: ClusterRule,
  firstText: string,
): void {
  ctx.report({
    ...about(o, rule.span),
    confidence: 'definite',
    severity: 'warning',
    message,
    related: [
      { uri: by.uri, span: first.span, message: `${firstText} (${first.actionText?.known === true ? first.actionText.value : '?'})` },
    ],
  });
}

/**
 * A `Pass` in the Baseline tier (ClusterNetworkPolicy only): nothing but the default is below it
 * (C6), so the connections it names are allowed, as with Accept. An Admin-tier Pass hands over to
 * NetworkPolicies and the Baseline tier, which the cluster may hold beyond the workspace: it is
 * claimed only with scope (`adminPassBelow`).
 */
function passBelow(ctx: CheckContext, placed: Placed, spec: ClusterPolicySpec, name: string, rule: ClusterRule): void {
  const o = placed.obj;
  if (rule.action !== 'pass' || rule.unknown) return;
  if (spec.tier === 'Admin') return adminPassBelow(ctx, placed, spec, name, rule);
  if (spec.tier !== 'Baseline') return;
  ctx.report({
    ...about(o, rule.actionText?.span ?? rule.span),
    confidence: 'definite',
    severity: 'information',
    message: `${ruleText(rule)} of ${spec.kind} "${name}" passes to the tier below, but nothing is below the Baseline tier but the default: the connections it names are allowed, as with Accept.`,
  });
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** The namespaces a selector names by `kubernetes.io/metadata.name` alone (one matchLabels entry or one `In`), if it does. */
function namedNamespaces(sel: Selector | undefined): string[] | undefined {
  if (sel === undefined || sel.unknown) return undefined;
  const labels = sel.matchLabels?.entries ?? [];
  if (labels.length === 1 && sel.matchExpressions.length === 0) {
    const only = labels[0];
    return only?.key === NAME_LABEL && only.value.known ? [only.value.value] : undefined;
  }
  const expr = sel.matchExpressions.length === 1 && labels.length === 0 ? sel.matchExpressions[0] : undefined;
  return expr?.key === NAME_LABEL && expr.operator === 'In' && !expr.unknown && expr.values.length > 0 ? [...expr.values] : undefined;
}

/**
 * An Admin-tier `Pass` (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) where nothing below
 * decides (C1, C5, C6): the connections it passes go to NetworkPolicies, then the Baseline tier,
 * then the default, which allows them. NetworkPolicies are the namespace owners' and may live
 * outside the workspace, and cluster policies may too, so the claim needs scope: the subject names
 * its namespaces (`kubernetes.io/metadata.name`), the workspace owns every one of them and holds
 * them completely (firewall rule 1), none holds a NetworkPolicy of that direction, and no
 * Baseline-tier policy of the workspace has rules that way. Information: a Pass there is often
 * meant for NetworkPolicies still to come.
 */
function adminPassBelow(ctx: CheckContext, placed: Placed, spec: ClusterPolicySpec, name: string, rule: ClusterRule): void {
  const o = placed.obj;
  const subject = spec.subject;
  if (subject === undefined || subject.unknown || subject.fields.length !== 1) return;
  const namespaces = namedNamespaces(subject.namespaces ?? subject.pods?.namespaceSelector);
  if (namespaces === undefined || subject.pods?.podSelector?.unknown === true) return;
  if (placed.placements.length === 0) return;
  for (const pl of placed.placements)
    for (const ns of namespaces) {
      const gate = absenceGate(ctx, o, { unit: pl.unit, namespace: ns, floating: false });
      if (gate.silent || !gate.owned) return;
    }
  const type = rule.direction === 'ingress' ? 'Ingress' : 'Egress';
  for (const ns of namespaces)
    if (ctx.index.networkPoliciesIn(ns).some((p) => p.obj.networkPolicy === undefined || p.obj.networkPolicy.policyTypes.includes(type)))
      return;
  for (const p of ctx.index.clusterPolicies()) {
    const c = p.obj.clusterPolicy;
    if (c === undefined) continue;
    // A templated or unreadable tier may be Baseline.
    if (c.unknown || c.tier === undefined || c.tier === 'Baseline')
      if ((rule.direction === 'ingress' ? c.ingress : c.egress).length > 0) return;
  }
  const where = namespaces.length === 1 ? `namespace ${namespaces[0] ?? ''}` : `namespaces ${namespaces.join(', ')}`;
  ctx.report({
    ...about(o, rule.actionText?.span ?? rule.span),
    ...tier(false),
    namespace: namespaces.length === 1 ? namespaces[0] : undefined,
    message: `${ruleText(rule)} of ${spec.kind} "${name}" passes ${rule.direction} connections to NetworkPolicies and the Baseline tier, but no NetworkPolicy in ${where} has policyType ${type} and no Baseline-tier policy has ${rule.direction} rules: the default allows them, as with ${spec.kind === 'ClusterNetworkPolicy' ? 'Accept' : 'Allow'}.`,
  });
}

export const clusterPolicyRuleShadowed: Check = {
  code: 'cluster-policy-rule-shadowed',
  defaultSeverity: 'warning',
  summary:
    'A rule of a cluster network policy can never decide anything: an earlier rule of the policy, or a rule of a higher-priority policy over the same pods, matches everything it names; or a Pass that only reaches the default.',
  doc: [
    'AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy rules are read **in order**: the first rule',
    'whose peers and ports match a connection decides it (Allow/Accept, Deny or Pass), and later rules never see it. A rule',
    'whose every peer and every port an earlier rule of the same policy and direction already matches can never decide',
    'anything; its action, whatever it is, has no effect.',
    '',
    '```yaml',
    'kind: AdminNetworkPolicy',
    'spec:',
    '  ingress:',
    '    - action: Deny',
    '      from: [{namespaces: {}}]          # every pod',
    '    - action: Allow                      # never reached',
    '      from: [{namespaces: {matchLabels: {team: monitoring}}}]',
    '```',
    '',
    '',
    'Across policies of the Admin tier (AdminNetworkPolicy, ClusterNetworkPolicy `tier: Admin`) the lower `priority`',
    'decides first: a rule is also shadowed when a policy of lower priority whose subject selects every pod this policy',
    "selects has a rule that matches every peer and port it names (whatever that rule's action: a Pass skips the rest",
    'of the tier). Policies of equal priority are not ordered (the verdict is undefined), so they never shadow each other.',
    '',
    'A `Pass` of a ClusterNetworkPolicy in the Baseline tier hands connections to the tier below, and nothing is below',
    'the Baseline tier but the default: they are allowed, exactly as with `Accept` (information).',
    '',
    'An Admin-tier `Pass` hands connections to the NetworkPolicies of the pods, then to the Baseline tier, then to the',
    "default, which allows them. The NetworkPolicies are usually the namespace owners' and may live outside the",
    'workspace, so this is reported (information) only when the subject names its namespaces by',
    '`kubernetes.io/metadata.name`, the workspace owns every one of them and holds no NetworkPolicy of that direction',
    'there, and no Baseline-tier policy of the workspace has rules in that direction: then the Pass allows what it names,',
    'as `Allow` would. Subjects that select namespaces by other labels are never reported.',
    '',
    '**Fix:** move the narrower rule above the broader one (or give its policy a lower priority), remove it, or write',
    '`Accept` for a Baseline-tier `Pass`. For an Admin-tier `Pass`, add the NetworkPolicies (or Baseline rules) meant to',
    'decide, or write `Allow`/`Accept` if allowing was meant.',
  ].join('\n'),
  run(ctx: CheckContext) {
    let admin: Array<{ obj: KObject; spec: ClusterPolicySpec; priority: number }> | undefined;
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const spec = o.clusterPolicy;
      // A policy kubectl rejects for an unknown field (`cluster-policy-invalid`) is not judged, nor judges others.
      if (spec === undefined || spec.unknown || hasStrayFields(spec)) continue;
      const name = o.name?.known === true ? o.name.value : '';
      for (const rules of [spec.ingress, spec.egress]) {
        rules.forEach((rule, j) => {
          const earlier = rules.slice(0, j).find((r) => ruleCovers(r, rule));
          if (earlier === undefined) {
            // Across policies (C2): an Admin-tier policy of lower priority whose subject covers this
            // one's decides first, whatever its action (a Pass skips the rest of the tier too).
            if (spec.tier !== 'Admin' || spec.priority?.known !== true) return passBelow(ctx, placed, spec, name, rule);
            const priority = spec.priority.value;
            admin ??= ctx.index.clusterPolicies().flatMap((p) => {
              const c = p.obj.clusterPolicy;
              return c !== undefined && !c.unknown && !hasStrayFields(c) && c.tier === 'Admin' && c.priority?.known === true
                ? [{ obj: p.obj, spec: c, priority: c.priority.value }]
                : [];
            });
            let shadowed = false;
            for (const other of admin) {
              if (other.obj === o || other.priority >= priority || !subjectCovers(other.spec.subject, spec.subject)) continue;
              const first = (rule.direction === 'ingress' ? other.spec.ingress : other.spec.egress).find((r) => ruleCovers(r, rule));
              if (first === undefined) continue;
              const otherName = other.obj.name?.known === true ? other.obj.name.value : '';
              reportShadowed(
                ctx,
                o,
                rule,
                `${ruleText(rule)} of ${spec.kind} "${name}" can never decide anything: ${ruleText(first)} of ${other.spec.kind} "${otherName}" (priority ${other.priority}, before ${priority}) selects every pod this policy selects and matches every peer and port it names.`,
                other.obj,
                first,
                `${ruleText(first)} of ${other.spec.kind} "${otherName}"`,
              );
              shadowed = true;
              break;
            }
            if (!shadowed) passBelow(ctx, placed, spec, name, rule);
            return;
          }
          reportShadowed(
            ctx,
            o,
            rule,
            `${ruleText(rule)} of ${spec.kind} "${name}" can never decide anything: ${ruleText(earlier)} before it matches every peer and port it names.`,
            o,
            earlier,
            ruleText(earlier),
          );
        });
      }
    }
  },
};
