/**
 * `cluster-policy-invalid`: what the CRD schemas and CEL rules of the Network Policy API reject
 * in an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy
 * (docs/dev/cluster-policies.md, "Validation"): the priority range, the BANP singleton named
 * `default`, the one-of shapes of subjects, peers and ports, actions, tiers, port numbers and
 * ranges, CIDRs, and named ports beside `networks`/`nodes` peers. Messages follow the API server's
 * wording for CRD validation (`field: Invalid value: …`).
 */

import { about } from './support/findingFields.js';
import type { ClusterPolicyKind, ClusterPolicySpec, ClusterRule, ClusterSelection } from '../model/clusterPolicy.js';
import type { KObject } from '../model/types.js';
import { parseCidr } from '../reachability/ip.js';
import type { Span } from '../types.js';
import type { Check, CheckContext } from './support/check.js';

interface Problem {
  readonly span: Span;
  readonly message: string;
  /** A field the types do not have (`path` from `spec`): kubectl's strict decoding error, not a validation error. */
  readonly unknownField?: string;
}

function actionsOf(kind: ClusterPolicySpec['kind']): readonly string[] {
  if (kind === 'ClusterNetworkPolicy') return ['Accept', 'Deny', 'Pass'];
  if (kind === 'BaselineAdminNetworkPolicy') return ['Allow', 'Deny'];
  return ['Allow', 'Deny', 'Pass'];
}

function quoted(list: readonly string[]): string {
  return list.map((a) => `"${a}"`).join(', ');
}

function selectionProblems(s: ClusterSelection, path: string, allowed: readonly string[], out: Problem[], kind: ClusterPolicyKind): void {
  for (const f of s.strayFields) out.push({ span: f.span, message: '', unknownField: `${path}.${f.path}` });
  if (s.unknown) return;
  if (s.fields.length !== 1) {
    out.push({
      span: s.span,
      message: `${path}: Invalid value: ${s.fields.length} properties: ${path} in body should have ${s.fields.length === 0 ? 'at least' : 'at most'} 1 properties (set exactly one of ${allowed.join(', ')})`,
    });
    return;
  }
  const field = s.fields[0] ?? '';
  if (!allowed.includes(field)) {
    out.push({ span: s.span, message: `${path}.${field}: Unsupported field: ${field} is not one of ${allowed.join(', ')}` });
    return;
  }
  // NamespacedPod: in v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy) every field of the
  // package is required unless marked optional, and neither selector is; in v1alpha2
  // (ClusterNetworkPolicy) namespaceSelector is optional and podSelector required.
  if (field === 'pods' && s.pods !== undefined && s.pods.namespaceSelector === undefined && kind !== 'ClusterNetworkPolicy')
    out.push({ span: s.pods.span, message: `${path}.pods.namespaceSelector: Required value` });
  if (field === 'pods' && s.pods !== undefined && s.pods.podSelector === undefined)
    out.push({ span: s.pods.span, message: `${path}.pods.podSelector: Required value` });
  if (field === 'networks') {
    const nets = s.networks ?? [];
    if (nets.length === 0)
      out.push({ span: s.span, message: `${path}.networks: Invalid value: 0: ${path}.networks in body should have at least 1 items` });
    if (nets.length > 25) out.push({ span: s.span, message: `${path}.networks: Too many: ${nets.length}: must have at most 25 items` });
    nets.forEach((n, i) => {
      if (n.known && parseCidr(n.value) === undefined)
        out.push({ span: n.span, message: `${path}.networks[${i}]: Invalid value: "${n.value}": Invalid CIDR format provided` });
    });
  }
}

function portProblems(spec: ClusterPolicySpec, rule: ClusterRule, out: Problem[]): void {
  const key = spec.kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
  const ports = rule.ports;
  if (ports === undefined) return;
  if (ports.length === 0 && rule.portsSpan !== undefined)
    out.push({
      span: rule.portsSpan,
      message: `${rule.path}.${key}: Invalid value: 0: ${rule.path}.${key} in body should have at least 1 items`,
    });
  ports.forEach((p, i) => {
    const path = `${rule.path}.${key}[${i}]`;
    if (p.unknown) return;
    if (p.kind === 'invalid') {
      out.push({
        span: p.span,
        message:
          spec.kind === 'ClusterNetworkPolicy'
            ? `${path}: Invalid value: set exactly one of tcp, udp, sctp, destinationNamedPort, with destinationPort.number or destinationPort.range`
            : `${path}: Invalid value: set exactly one of portNumber, namedPort, portRange`,
      });
      return;
    }
    if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol))
      out.push({ span: p.span, message: `${path}: Unsupported value: "${p.protocol}": supported values: "TCP", "UDP", "SCTP"` });
    for (const v of [p.port, p.end]) {
      if (v?.known === true && (v.value < 1 || v.value > 65535))
        out.push({ span: v.span, message: `${path}: Invalid value: ${v.value}: must be between 1 and 65535, inclusive` });
    }
    if (p.kind === 'range' && p.port?.known === true && p.end?.known === true && !(p.port.value < p.end.value))
      out.push({ span: p.span, message: `${path}: Invalid value: "object": Start port must be less than End port` });
  });
  const named = ports.some((p) => p.kind === 'named');
  if (
    named &&
    rule.direction === 'egress' &&
    rule.peers.some((pe) => pe.fields.some((f) => f === 'networks' || f === 'nodes' || f === 'domainNames'))
  )
    out.push({
      span: rule.span,
      message: `${rule.path}: Invalid value: "object": networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes`,
    });
}

function ruleProblems(spec: ClusterPolicySpec, rule: ClusterRule, out: Problem[]): void {
  if (rule.unknown && rule.path === `spec.${rule.direction}`) return;
  const actions = actionsOf(spec.kind);
  if (rule.actionText === undefined) out.push({ span: rule.span, message: `${rule.path}.action: Required value` });
  else if (rule.actionText.known && !actions.includes(rule.actionText.value))
    out.push({
      span: rule.actionText.span,
      message: `${rule.path}.action: Unsupported value: "${rule.actionText.value}": supported values: ${quoted(actions)}`,
    });
  if (rule.name !== undefined && rule.name.length > 100)
    out.push({ span: rule.span, message: `${rule.path}.name: Too long: may not be longer than 100` });
  const peerKey = rule.direction === 'ingress' ? 'from' : 'to';
  if (rule.peers.length === 0 && !rule.unknown)
    out.push({
      span: rule.peersSpan ?? rule.span,
      message:
        rule.peersSpan === undefined
          ? `${rule.path}.${peerKey}: Required value`
          : `${rule.path}.${peerKey}: Invalid value: 0: ${rule.path}.${peerKey} in body should have at least 1 items`,
    });
  const allowed =
    rule.direction === 'ingress'
      ? ['namespaces', 'pods']
      : spec.kind === 'ClusterNetworkPolicy'
        ? ['namespaces', 'pods', 'nodes', 'networks', 'domainNames']
        : ['namespaces', 'pods', 'nodes', 'networks'];
  rule.peers.forEach((p, i) => selectionProblems(p, `${rule.path}.${peerKey}[${i}]`, allowed, out, spec.kind));
  portProblems(spec, rule, out);
}

export function clusterPolicyProblems(o: KObject): Problem[] {
  const spec = o.clusterPolicy;
  if (spec === undefined || spec.unknown) return [];
  const out: Problem[] = [];
  if (spec.kind === 'BaselineAdminNetworkPolicy') {
    if (o.name?.known === true && o.name.value !== 'default')
      out.push({
        span: o.name.span,
        message: `metadata.name: Invalid value: "${o.name.value}": Only one baseline admin network policy with metadata.name="default" can be created in the cluster`,
      });
  } else if (spec.priority === undefined) {
    out.push({ span: spec.priorityNode ?? o.anchor, message: 'spec.priority: Required value' });
  } else if (spec.priority.known && (spec.priority.value < 0 || spec.priority.value > 1000)) {
    out.push({
      span: spec.priority.span,
      message: `spec.priority: Invalid value: ${spec.priority.value}: spec.priority in body should be ${spec.priority.value < 0 ? 'greater than or equal to 0' : 'less than or equal to 1000'}`,
    });
  }
  if (spec.kind === 'ClusterNetworkPolicy') {
    if (spec.tierText === undefined) out.push({ span: o.anchor, message: 'spec.tier: Required value' });
    else if (spec.tierText.known && spec.tier === undefined)
      out.push({
        span: spec.tierText.span,
        message: `spec.tier: Unsupported value: "${spec.tierText.value}": supported values: "Admin", "Baseline"`,
      });
  }
  if (spec.subject === undefined) out.push({ span: o.anchor, message: 'spec.subject: Required value' });
  else selectionProblems(spec.subject, 'spec.subject', ['namespaces', 'pods'], out, spec.kind);
  const max = spec.kind === 'ClusterNetworkPolicy' ? 25 : 100;
  for (const [dir, rules, span] of [
    ['ingress', spec.ingress, spec.ingressSpan],
    ['egress', spec.egress, spec.egressSpan],
  ] as const) {
    if (rules.length > max)
      out.push({ span: span ?? o.anchor, message: `spec.${dir}: Too many: ${rules.length}: must have at most ${max} items` });
    for (const r of rules) ruleProblems(spec, r, out);
  }
  return out;
}

export const clusterPolicyInvalid: Check = {
  code: 'cluster-policy-invalid',
  defaultSeverity: 'error',
  summary:
    'An AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy breaks a rule of its CRD schema, so the API server rejects it.',
  doc: [
    "The Network Policy API's CRDs validate these objects when they are applied; an object that breaks a rule is",
    'rejected and enforces nothing. Kube Reach checks the same rules: `spec.priority` between 0 and 1000 (AdminNetworkPolicy,',
    'ClusterNetworkPolicy), the single BaselineAdminNetworkPolicy named `default`, `spec.tier` `Admin` or `Baseline`',
    '(ClusterNetworkPolicy), exactly one of `namespaces`/`pods` in a subject and exactly one field in a peer (ingress:',
    '`namespaces`, `pods`; egress also `nodes`, `networks`), both `namespaceSelector` and `podSelector` in `pods`',
    '(AdminNetworkPolicy, BaselineAdminNetworkPolicy; ClusterNetworkPolicy requires `podSelector` only), at least one',
    'peer per rule, the actions each kind accepts',
    '(`Allow`/`Deny`/`Pass`; BaselineAdminNetworkPolicy `Allow`/`Deny`; ClusterNetworkPolicy `Accept`/`Deny`/`Pass`), one',
    'field per port entry, port numbers 1–65535, a range whose start is below its end, valid CIDRs in `networks`, and no',
    "named port in a rule with `networks` or `nodes` peers. A field the types do not have inside a subject or peer's",
    'selectors (a LabelSelector has only `matchLabels` and `matchExpressions`; `pods` only `namespaceSelector` and',
    "`podSelector`) is reported as kubectl's strict decoding error: `namespaces: {namespaceSelector: …}`, the shape of",
    'the API before 2023 that older examples still show, is rejected by `kubectl apply`, and with `--validate=false` the',
    'field is dropped, leaving `namespaces: {}` (every namespace).',
    '',
    '```yaml',
    'kind: AdminNetworkPolicy',
    'spec:',
    '  priority: 1200        # must be 0–1000',
    '```',
    '',
    '**Fix:** correct the field as the message says.',
  ].join('\n'),
  run(ctx: CheckContext) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      if (o.clusterPolicy === undefined) continue;
      const kind = `${o.kind}.policy.networking.k8s.io`;
      const name = o.name?.known === true ? o.name.value : '';
      const version = o.apiVersion.slice(o.apiVersion.indexOf('/') + 1);
      for (const p of clusterPolicyProblems(o)) {
        ctx.report({
          ...about(o, p.span),
          confidence: 'definite',
          severity: 'error',
          message:
            p.unknownField === undefined
              ? `${kind} "${name}" is invalid: ${p.message}`
              : `${o.kind} in version "${version}" cannot be handled as a ${o.kind}: strict decoding error: unknown field "${p.unknownField}" (kubectl apply rejects the object; with --validate=false the field is dropped)`,
        });
      }
    }
  },
};
