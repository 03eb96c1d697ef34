/**
 * `netpol-port-is-service-port`: a NetworkPolicy port equals a Service's `port` rather than the pod
 * port it forwards to. Policies see traffic after the Service translation, so the rule admits a pod
 * port nobody listens on and the intended traffic stays blocked.
 */

import { about } from './support/findingFields.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { matchSelector } from '../model/labels.js';
import type { ContainerPort, PolicyPort, PolicyRule } from '../model/types.js';
import { writerFor } from '../edits/writer.js';
import type { Check } from './support/check.js';
import { describe, labelsOf } from './support/evidence.js';
import type { CheckContext } from './support/check.js';
import type { PeerTargets } from './support/policies.js';
import {
  judgeablePolicies,
  peerTargets,
  policiesIn,
  policySelects,
  scopeLabel,
  scopeOf,
  selectedProducers,
  servicesInScope,
} from './support/policies.js';
import { findPort, serviceSelector } from './support/serviceTargets.js';
import { podPorts } from './support/sidecarSets.js';

function portAdmits(ports: readonly PolicyPort[] | undefined, protocol: string, value: number): boolean {
  if (ports === undefined) return true;
  return ports.some(
    (p) =>
      p.protocol === protocol &&
      (p.port === undefined ||
        (p.port.known &&
          (p.port.value === value ||
            (typeof p.port.value === 'number' && p.endPort?.known === true && p.port.value <= value && value <= p.endPort.value)))),
  );
}

/**
 * The Services that can select a destination pod: of its namespace (those whose selector's first
 * pair the pod carries, looked up by label), or of its floating unit. Only a Service whose
 * selector matches the pod yes counts below, so the others need not be read.
 */
function servicesAround(ctx: CheckContext, d: Placed): readonly Placed[] {
  // Once per index and pod producer (with the keys it read): every policy whose rules reach it asks.
  return ctx.index.cachedFor(d, 'services-around', () => computeServicesAround(ctx, d));
}

function computeServicesAround(ctx: CheckContext, d: Placed): Placed[] {
  const out = new Set<Placed>();
  for (const x of d.placements) {
    const sc = scopeOf(x);
    if (sc === undefined) continue;
    if (sc.unit !== undefined) {
      for (const svc of servicesInScope(ctx, sc)) out.add(svc);
      continue;
    }
    for (const [k, v] of labelsOf(d).known) for (const svc of ctx.index.servicesSelectingPair(sc.ns, k, v)) out.add(svc);
  }
  // In index order, as the namespace lists them (the first Service found is the one named).
  return [...out].sort((a, b) => (a.obj.uri !== b.obj.uri ? (a.obj.uri < b.obj.uri ? -1 : 1) : a.obj.ordinal - b.obj.ordinal));
}

/** The Services around a pod (or a rule's destinations): whether there is any, and every numeric `protocol/port` of theirs. */
interface AroundDestinations {
  readonly any: boolean;
  readonly ports: ReadonlySet<string>;
}

/**
 * `protocol/port` of every numeric port of the Services around `d` (`servicesAround`): once per
 * index and pod producer, so a policy rule reaching thousands of pods (a peer in every namespace of
 * a team) asks each whether a Service port is near it with one lookup.
 */
function servicePortsAround(ctx: CheckContext, d: Placed): AroundDestinations {
  return ctx.index.cachedFor(d, 'service-ports-around', () => {
    const around = servicesAround(ctx, d);
    const ports = new Set<string>();
    for (const s of around)
      for (const sp of s.obj.service?.ports ?? [])
        if (sp.port?.known === true && typeof sp.port.value === 'number') ports.add(`${sp.protocol}/${sp.port.value}`);
    return { any: around.length > 0, ports };
  });
}

function computeAround(ctx: CheckContext, dest: readonly Placed[]): AroundDestinations {
  let any = false;
  const ports = new Set<string>();
  for (const d of dest) {
    const around = servicePortsAround(ctx, d);
    if (around.any) any = true;
    for (const k of around.ports) ports.add(k);
  }
  return { any, ports };
}

/**
 * `computeAround` of the pods a rule's peers reach, once per index and `PeerTargets` (shared by
 * every rule with the same peers, `peerTargets`): a peer naming a team's pods in every namespace
 * reaches hundreds, and each rule asked each of them once per port.
 */
function aroundTargets(ctx: CheckContext, t: PeerTargets): AroundDestinations {
  return ctx.index.cachedFor(t, 'services-around-targets', () => computeAround(ctx, t.producers));
}

/** A Service port that reaches a pod: its protocol, its own port (if known) and the pod port it forwards to. */
interface Translation {
  readonly svc: Placed;
  readonly protocol: string;
  readonly port: number | string | undefined;
  readonly target: number | undefined;
  readonly name: string | undefined;
}

/** The destinations' declared ports with those OpenKruise SidecarSets inject; undefined when a SidecarSet leaves them open. */
function sidecarAware(ctx: CheckContext, dest: readonly Placed[]): ContainerPort[] | undefined {
  const out: ContainerPort[] = [];
  for (const d of dest) {
    const p = podPorts(ctx, d);
    if (p.unknown) return undefined;
    for (const c of p.ports) out.push(c);
  }
  return out;
}

/**
 * The ports of the Services around `d` (`servicesAround`) that surely select it and translate
 * (not headless), in the order the Services and their ports are listed: once per index and pod
 * producer, not once per policy whose rules reach it.
 */
function translations(ctx: CheckContext, d: Placed): readonly Translation[] {
  return ctx.index.cachedFor(d, 'service-translations', () => {
    const out: Translation[] = [];
    for (const s of servicesAround(ctx, d)) {
      const svc = s.obj.service;
      const sel = serviceSelector(s);
      if (svc === undefined || svc.headless || sel === undefined || matchSelector(sel, labelsOf(d)) !== 'yes') continue;
      for (const sp of svc.ports) {
        const cp = findPort(d.obj.pod?.ports ?? [], sp);
        const tp = sp.targetPort ?? sp.port;
        const target = cp?.containerPort ?? (tp?.known === true && typeof tp.value === 'number' ? tp.value : undefined);
        out.push({ svc: s, protocol: sp.protocol, port: sp.port?.known === true ? sp.port.value : undefined, target, name: cp?.name });
      }
    }
    return out;
  });
}

export const netpolPortIsServicePort: Check = {
  code: 'netpol-port-is-service-port',
  defaultSeverity: 'warning',
  summary: 'A NetworkPolicy port is a Service port, not the pod port that policies see.',
  doc: [
    'NetworkPolicies match the **pod** port, after a Service has translated its `port` to the `targetPort`.',
    'A rule on the Service port (80) when the pods listen on 8080 admits pod port 80, where nothing listens, and',
    "the traffic through the Service stays blocked. The destination pods are the policy's pods for ingress rules,",
    "and the pods the rule's peers reach for egress rules. A warning when the pod port is not admitted anywhere",
    'else, a hint when it is (dead config only). Headless Services (no translation) and named ports are skipped.',
    "A port a container declares is the pods' own, also one an OpenKruise `SidecarSet` injects (docs/operators.md);",
    'a SidecarSet that leaves open whether or what it injects keeps the check silent.',
    '',
    '```yaml',
    'ports:',
    '  - port: 80    # Service "api" forwards 80 → 8080; the policy must say 8080 (or "http")',
    '```',
    '',
    '**Fix:** use the pod port or its name (quick-fix).',
  ].join('\n'),
  run(ctx) {
    for (const { placed, np, ns } of judgeablePolicies(ctx)) {
      const o = placed.obj;
      const rules: Array<{ rule: PolicyRule; ingress: boolean }> = [
        ...(np.ingress ?? []).map((rule) => ({ rule, ingress: true })),
        ...(np.egress ?? []).map((rule) => ({ rule, ingress: false })),
      ];
      // The policy's own pods and the Services around them: the same for each of its ingress rules.
      let selected: { dest: readonly Placed[]; around: AroundDestinations } | null | undefined;
      const ownPods = (): { dest: readonly Placed[]; around: AroundDestinations } | null => {
        const s = selectedProducers(ctx, o, ns);
        if (s.maybe || s.producers.length === 0 || s.producers.some((d) => d.obj.pod?.portsUnknown === true)) return null;
        return { dest: s.producers, around: computeAround(ctx, s.producers) };
      };
      for (const { rule, ingress } of rules) {
        if (rule.unknown || rule.ports === undefined) continue;
        let dest: readonly Placed[];
        let around: AroundDestinations;
        if (ingress) {
          if (selected === undefined) selected = ownPods();
          if (selected === null) continue;
          ({ dest, around } = selected);
        } else {
          const t = peerTargets(ctx, rule, ns);
          if (t.ipBlockOnly || t.producers.length === 0 || t.producers.some((d) => d.obj.pod?.portsUnknown === true)) continue;
          dest = t.producers;
          around = aroundTargets(ctx, t);
        }
        // The Services of the destinations' namespaces (or floating units): none, nothing to say.
        if (!around.any) continue;
        let declaredPorts: ContainerPort[] | undefined;
        for (const port of rule.ports) {
          if (port.port === undefined || !port.port.known || typeof port.port.value !== 'number') continue;
          const p = port.port.value;
          // Only a Service whose own port is p can make p a Service port here.
          const key = `${port.protocol}/${p}`;
          if (!around.ports.has(key)) continue;
          // With the ports OpenKruise SidecarSets inject (support/sidecarSets.ts): unknown ones, silent.
          const declared = (declaredPorts ??= sidecarAware(ctx, dest));
          if (declared === undefined) break;
          if (declared.some((c) => c.containerPort === p && c.protocol === port.protocol)) continue;
          // Services in the destinations' namespaces that select some destination and translate p.
          let hit: { svc: Placed; target: number; name: string | undefined } | undefined;
          let isTarget = false;
          for (const d of dest) {
            for (const tr of translations(ctx, d)) {
              if (tr.protocol !== port.protocol) continue;
              const target = tr.target;
              if (target === p) isTarget = true;
              if (tr.port === p && target !== undefined && target !== p) hit ??= { svc: tr.svc, target, name: tr.name };
            }
          }
          if (hit === undefined || isTarget) continue;
          if (port.endPort?.known === true && port.endPort.value >= hit.target && p <= hit.target) continue;
          const t = hit.target;
          // Is the real pod port admitted elsewhere in the union (same direction, same pods)?
          const admittedElsewhere = ingress
            ? policiesIn(ctx, ns).some(
                (q) =>
                  q.obj.networkPolicy?.policyTypes.includes('Ingress') === true &&
                  dest.some((d) => policySelects(q.obj, d) === 'yes') &&
                  (q.obj.networkPolicy.ingress ?? []).some((r) => portAdmits(r.ports, port.protocol, t)),
              )
            : (np.egress ?? []).some((r) => portAdmits(r.ports, port.protocol, t));
          const noDeclared = declared.length === 0;
          const severity = admittedElsewhere ? 'hint' : noDeclared ? 'information' : 'warning';
          const w = writerFor(ctx, o.uri);
          const fixes = [{ title: `Use pod port ${t}`, isPreferred: true, edits: [w.value(port.port.span, t)] }];
          if (hit.name !== undefined)
            fixes.push({ title: `Use the port name "${hit.name}"`, isPreferred: false, edits: [w.value(port.port.span, hit.name)] });
          ctx.report({
            ...about(o, port.port.span),
            confidence: severity === 'warning' ? 'evidence' : 'no-evidence',
            severity,
            message: `${describe(o, scopeLabel(ns))}: ${p} is the port of ${describe(hit.svc.obj)}, which forwards to pod port ${t}. NetworkPolicies match the pod port (after that translation), so this rule admits pod port ${p}${
              noDeclared
                ? ''
                : `, where ${dest
                    .map((d) => describe(d.obj))
                    .slice(0, 2)
                    .join(', ')} declare${dest.length === 1 ? 's' : ''} nothing`
            }. ${admittedElsewhere ? `Pod port ${t} is admitted by another rule, so this entry is dead config.` : `Traffic through the Service stays blocked. Use ${t}${hit.name !== undefined ? ` (or "${hit.name}")` : ''}.`}`,
            related: [
              {
                uri: hit.svc.obj.uri,
                span: hit.svc.obj.service?.portsSpan ?? hit.svc.obj.anchor,
                message: `${describe(hit.svc.obj)} ports`,
              },
            ],
            fixes,
          });
        }
      }
    }
  },
};
