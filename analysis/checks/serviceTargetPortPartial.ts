/**
 * `service-target-port-partial`: a Service selects several long-running workloads and some of them
 * do not declare the port it forwards to. kube-proxy still balances connections onto those pods, so
 * failures are intermittent (numeric port); a named port silently drops them as endpoints.
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { Span } from '../types.js';
import { describe } from './support/evidence.js';
import { configListensOn, declaresIncompletely, formatPorts, portComparableServices, probesPort } from './support/serviceTargets.js';
import { podPorts } from './support/sidecarSets.js';
import { identityKind } from '../units/alternatives.js';

export const serviceTargetPortPartial: Check = {
  code: 'service-target-port-partial',
  defaultSeverity: 'warning',
  summary: 'Only some of the workloads a Service selects declare the port it forwards to.',
  doc: [
    'When a Service selects several workloads, every pod becomes an endpoint. If a **numeric** targetPort is',
    'declared by some workloads and not by others (which declare other ports), connections balanced onto the',
    'latter fail: an intermittent outage. For a **named** targetPort, pods without the name are silently not',
    'endpoints (information: sometimes intended). Workloads without any declared ports, Jobs, Helm hooks and test',
    'pods are not counted, nor is a workload whose probe connects to the port (it listens there). When a workload',
    'lacking the port probes another port it does not declare, its declared ports are incomplete: information.',
    'Numeric ports that the same workloads declare and lack are one mistake (the selector) and give one finding, on the',
    "first of them, naming them all (a chart's range of RTP ports renders from one template line).",
    "Ports of containers an OpenKruise `SidecarSet` injects into a workload's pods (docs/operators.md) count as declared by it;",
    'a SidecarSet that leaves open whether or what it injects keeps the check silent.',
    '',
    '```yaml',
    'selector: {app: api}   # selects Deployment "api" (8080) and Deployment "api-worker" (9090)',
    'ports: [{port: 80, targetPort: 8080}]',
    '```',
    '',
    '**Fix:** narrow the selector to the workload that serves the port.',
  ].join('\n'),
  run(ctx) {
    for (const { placed, svc, sel } of portComparableServices(ctx)) {
      const o = placed.obj;
      const producers = sel.producers.filter((p) => p.obj.pod?.longRunning === true);
      if (producers.length < 2 || producers.some((p) => p.obj.pod?.portsUnknown === true)) continue;
      // With the ports OpenKruise SidecarSets inject (support/sidecarSets.ts): unknown ones, silent.
      const ports = new Map(producers.map((p) => [p, podPorts(ctx, p, sel.placement)]));
      if ([...ports.values()].some((x) => x.unknown)) continue;
      const who = describe(o, sel.placement.floating ? undefined : sel.placement.namespace);
      const numericGroups = new Map<string, NumericMiss>();
      for (const sp of svc.ports) {
        const tp = sp.targetPort ?? sp.port;
        if (tp === undefined || !tp.known) continue;
        const value = tp.value;
        const declaring = producers.filter((p) =>
          (ports.get(p)?.ports ?? []).some(
            (c) => (typeof value === 'number' ? c.containerPort === value : c.name === value) && c.protocol === sp.protocol,
          ),
        );
        if (declaring.length === 0 || declaring.length === producers.length) continue;
        const missing = producers.filter(
          (p) =>
            !declaring.includes(p) &&
            (typeof value === 'string' ||
              ((ports.get(p)?.ports.length ?? 0) > 0 && !probesPort(p, value) && !configListensOn(ctx, p, sel.placement, value))) &&
            // A workload defined again elsewhere (same kind and name: an alternative, such as the same
            // Deployment in two docs examples) whose other definition declares the port is no evidence:
            // which of them is applied with this Service is not known.
            !declaring.some((d) => sameWorkload(d, p)),
        );
        const first = missing[0];
        if (first === undefined) continue;
        if (typeof value === 'number') {
          // Ports that the same workloads declare and lack are one mistake (a selector too broad): one
          // finding, on the first of them (a chart's range of 49 RTP ports renders from one line).
          const noEvidence = missing.some(declaresIncompletely);
          const key = `${noEvidence ? 1 : 0}|${declaring.map(at).join(',')}|${missing.map(at).join(',')}`;
          const group = numericGroups.get(key);
          if (group === undefined) numericGroups.set(key, { span: tp.span, values: [value], declaring, first, missing, noEvidence });
          else group.values.push(value);
          continue;
        }
        ctx.report({
          ...about(o, tp.span),
          confidence: 'evidence',
          severity: 'information',
          message: `${who} selects ${producers.length} workloads; port "${value}" is named by ${declaring.map((p) => describe(p.obj)).join(', ')} but not by ${missing.map((p) => describe(p.obj)).join(', ')}, whose pods are not endpoints for this port.`,
          related: missing.map((p) => ({ uri: p.obj.uri, span: p.obj.anchor, message: `${describe(p.obj)} lacks it` })),
        });
      }
      for (const g of numericGroups.values()) {
        ctx.report({
          ...about(o, g.span),
          // A probe on a port it does not declare shows its declared ports are incomplete: no evidence.
          ...(g.noEvidence
            ? { confidence: 'no-evidence' as const, severity: 'information' as const }
            : { confidence: 'evidence' as const, severity: 'warning' as const }),
          message: `${who} selects ${producers.length} workloads; ${portList(g.values)} declared by ${g.declaring.map((p) => describe(p.obj)).join(', ')} but not by ${describe(g.first.obj)} (declares ${formatPorts(g.first.obj.pod?.ports ?? [])}). Connections balanced to its pods will fail. Is the selector too broad?`,
          related: g.missing.map((p) => ({ uri: p.obj.uri, span: p.obj.anchor, message: `${describe(p.obj)} lacks it` })),
        });
      }
    }
  },
};

/** Numeric target ports that the same workloads declare and lack (one finding). */
interface NumericMiss {
  readonly span: Span;
  readonly values: number[];
  readonly declaring: readonly Placed[];
  readonly first: Placed;
  readonly missing: readonly Placed[];
  readonly noEvidence: boolean;
}

/** A workload's place, to tell groups of workloads apart. */
const at = (p: Placed): string => `${p.obj.uri}#${p.obj.ordinal}`;

/** "port 80 is", "ports 80, 81 and 82 are" (up to four), "ports 20000, 20001, 20002 and 46 more (49 ports) are". */
function portList(values: readonly number[]): string {
  if (values.length === 1) return `port ${values[0]} is`;
  if (values.length <= 4) return `ports ${values.slice(0, -1).join(', ')} and ${values[values.length - 1]} are`;
  return `ports ${values.slice(0, 3).join(', ')} and ${values.length - 3} more (${values.length} ports) are`;
}

/**
 * Two definitions of one workload (alternatives: the same name, in different places, of one kind or
 * two built-in workload kinds, as alternatives' identities count them: a controller's install
 * flavours `deployment/`, `daemon-set/` and `stateful-set/` each run `nginx-ingress`).
 */
function sameWorkload(a: Placed, b: Placed): boolean {
  return (
    a.obj !== b.obj &&
    identityKind(a.obj.group, a.obj.kind) === identityKind(b.obj.group, b.obj.kind) &&
    a.obj.name?.known === true &&
    b.obj.name?.known === true &&
    a.obj.name.value === b.obj.name.value
  );
}
