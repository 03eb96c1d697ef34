/**
 * The workspace overview (docs/protocol.md `kubeReach/workspaceOverview`): per namespace, the
 * workloads and Services, and which workloads each Service selects on which ports. The reachability
 * panel's first view; computed from one snapshot. Plain data with spans; server/ converts them to
 * line ranges.
 * The row types are protocol/overview.ts's but for `Location`: the server's builder is typed
 * `WireOf<these, the wire type>` (server/convert.ts), so the two cannot drift apart.
 */

import type { Analysis } from '../host.js';
import { matchSelector, podLabelsOf } from '../model/labels.js';
import type { KObject, LabelMap, PodTemplate, Selector, ServicePort } from '../model/types.js';
import type { Location } from '../types.js';
import type { ObjectProblem } from './problems.js';
import { problemsIn } from './problems.js';

/** Objects whose namespace is decided at install time (Helm release namespace, templates). */
const INSTALL_TIME_NAMESPACE = '(install-time namespace)';

export interface OverviewWorkloadRow {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: ReadonlyArray<{ readonly name?: string; readonly containerPort: number; readonly protocol: string }>;
  readonly location: Location;
}

export interface OverviewPortTarget {
  readonly port: number | null;
  readonly portName?: string;
  readonly protocol: string;
  readonly targetPort: number | string | null;
  readonly containerPort: number | null;
}

export interface OverviewSelection {
  readonly workloadId: string;
  readonly match: 'yes' | 'unknown';
  readonly ports: readonly OverviewPortTarget[];
}

export interface OverviewServiceRow {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly selector: Readonly<Record<string, string>> | null;
  readonly selects: readonly OverviewSelection[];
  readonly location: Location;
  readonly problems?: readonly ObjectProblem[];
}

export interface OverviewNamespaceRows {
  readonly name: string;
  readonly workloads: readonly OverviewWorkloadRow[];
  readonly services: readonly OverviewServiceRow[];
}

function knownLabels(map: LabelMap | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of map?.entries ?? []) if (e.value.known) out[e.key] = e.value.value;
  return out;
}

function namespacesOf(analysis: Analysis, obj: KObject): string[] {
  const out = new Set<string>();
  for (const p of analysis.index.placements(obj)) out.add(p.namespace ?? INSTALL_TIME_NAMESPACE);
  return [...out];
}

function nameOf(obj: KObject): string {
  return obj.name?.known === true ? obj.name.value : '(templated name)';
}

function asSelector(map: LabelMap): Selector {
  return { span: map.span, matchLabels: map, matchExpressions: [], unknown: map.unknown };
}

function portTarget(sp: ServicePort, pod: PodTemplate): OverviewPortTarget {
  const port = sp.port?.known === true ? sp.port.value : null;
  const portName = sp.name?.known === true ? sp.name.value : undefined;
  let targetPort: number | string | null;
  if (sp.targetPort === undefined) targetPort = port;
  else targetPort = sp.targetPort.known ? sp.targetPort.value : null;
  let containerPort: number | null = null;
  // A number is the pod port as it is; it is a container port only if the workload declares it.
  if (typeof targetPort === 'number')
    containerPort = pod.ports.some((p) => p.containerPort === targetPort && p.protocol === sp.protocol) ? targetPort : null;
  else if (typeof targetPort === 'string') {
    const found = pod.ports.find((p) => p.name === targetPort && p.protocol === sp.protocol);
    containerPort = found === undefined ? null : found.containerPort;
  }
  return { port, ...(portName !== undefined ? { portName } : {}), protocol: sp.protocol, targetPort, containerPort };
}

/** The overview of one snapshot, namespaces sorted by name. */
export function workspaceOverview(analysis: Analysis): OverviewNamespaceRows[] {
  interface Bucket {
    workloads: Array<{ obj: KObject; pod: PodTemplate; view: OverviewWorkloadRow }>;
    services: KObject[];
  }
  const buckets = new Map<string, Bucket>();
  const bucket = (ns: string): Bucket => {
    let b = buckets.get(ns);
    if (b === undefined) {
      b = { workloads: [], services: [] };
      buckets.set(ns, b);
    }
    return b;
  };
  for (const { obj } of analysis.index.objects) {
    const isService = obj.service !== undefined && obj.kind === 'Service';
    if (obj.pod === undefined && !isService) continue;
    for (const ns of namespacesOf(analysis, obj)) {
      if (obj.pod !== undefined) {
        const name = nameOf(obj);
        bucket(ns).workloads.push({
          obj,
          pod: obj.pod,
          view: {
            id: `${ns}/${name}[${obj.kind}]`,
            kind: obj.kind,
            name,
            namespace: ns,
            labels: knownLabels(obj.pod.labels),
            ports: obj.pod.ports.map((p) => ({
              ...(p.name !== undefined ? { name: p.name } : {}),
              containerPort: p.containerPort,
              protocol: p.protocol,
            })),
            location: { uri: obj.uri, span: obj.anchor },
          },
        });
      } else {
        bucket(ns).services.push(obj);
      }
    }
  }
  const namespaces: OverviewNamespaceRows[] = [];
  for (const ns of [...buckets.keys()].sort()) {
    const b = bucket(ns);
    b.workloads.sort((x, y) => x.view.name.localeCompare(y.view.name) || x.view.kind.localeCompare(y.view.kind));
    const services: OverviewServiceRow[] = [];
    for (const obj of b.services) {
      const spec = obj.service;
      if (spec === undefined) continue;
      const name = nameOf(obj);
      const selects: OverviewSelection[] = [];
      // A Service without a selector, with an empty one, or of type ExternalName has no managed endpoints.
      if (spec.selector !== undefined && spec.selector.entries.length > 0 && spec.type !== 'ExternalName') {
        const sel = asSelector(spec.selector);
        for (const w of b.workloads) {
          const m = matchSelector(sel, podLabelsOf(w.pod));
          if (m === 'no') continue;
          selects.push({ workloadId: w.view.id, match: m, ports: spec.ports.map((sp) => portTarget(sp, w.pod)) });
        }
      }
      const problems = problemsIn(analysis, obj.uri, obj.span);
      services.push({
        id: `${ns}/${name}[Service]`,
        name,
        namespace: ns,
        type: spec.type,
        selector: spec.selector === undefined ? null : knownLabels(spec.selector),
        selects,
        location: { uri: obj.uri, span: obj.anchor },
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
    services.sort((x, y) => x.name.localeCompare(y.name));
    namespaces.push({ name: ns, workloads: b.workloads.map((w) => w.view), services });
  }
  return namespaces;
}
