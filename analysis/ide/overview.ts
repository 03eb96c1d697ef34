/**
 * The workspace overview (docs/protocol.md `kubeReach/workspaceOverview`): per namespace, the
 * workloads and Services, and which workloads each Service selects on which ports. The reachability
 * panel's first view; computed from one snapshot. Plain data with spans; server/ converts them to
 * line ranges.
 * The row types are protocol/overview.ts's but for `Location`: the server's builder is typed
 * `WireOf<these, the wire type>` (server/convert.ts), so the two cannot drift apart.
 * With an `OverviewMemory` (the server keeps one), a namespace whose workloads and Services are
 * the same objects as in the last overview, and whose Services have the same problems, keeps its
 * last rows: an edit recomputes the namespaces it touched, not all of them.
 */

import type { Analysis } from '../host.js';
import { matchSelector, podLabelsOf, type PodLabels } from '../model/labels.js';
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

/** A namespace's rows and what they were computed from (the objects, in index order, and the Services' problems). */
interface NamespaceMemo {
  readonly workloads: readonly KObject[];
  readonly services: readonly KObject[];
  readonly problems: ReadonlyArray<readonly ObjectProblem[]>;
  readonly rows: OverviewNamespaceRows;
}

/**
 * The last overview's rows per namespace (one per server): a namespace is computed again only
 * when one of its objects changed (a new object: the index keeps unchanged documents' objects) or
 * a Service's problems did.
 */
export class OverviewMemory {
  private last = new Map<string, NamespaceMemo>();
  /** Namespaces whose rows the last `workspaceOverview` took from the one before (tests read it). */
  reused = 0;

  /** The last rows of `ns` when they were computed from the same objects and problems. */
  lookup(
    ns: string,
    workloads: readonly KObject[],
    services: readonly KObject[],
    problems: ReadonlyArray<readonly ObjectProblem[]>,
  ): OverviewNamespaceRows | undefined {
    const m = this.last.get(ns);
    if (m === undefined || !sameObjects(m.workloads, workloads) || !sameObjects(m.services, services)) return undefined;
    for (let i = 0; i < problems.length; i++) if (!sameProblems(m.problems[i] ?? [], problems[i] ?? [])) return undefined;
    return m.rows;
  }

  /** Keeps this overview's rows (namespaces it no longer has are forgotten). */
  keep(memos: ReadonlyMap<string, NamespaceMemo>, reused: number): void {
    this.last = new Map(memos);
    this.reused = reused;
  }
}

function sameObjects(a: readonly KObject[], b: readonly KObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameProblems(a: readonly ObjectProblem[], b: readonly ObjectProblem[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]?.code !== b[i]?.code || a[i]?.message !== b[i]?.message) return false;
  return true;
}

/**
 * The overview of one snapshot, namespaces sorted by name. With `memory`, a namespace whose
 * objects and Services' problems are those of the last call keeps its last rows.
 */
export function workspaceOverview(analysis: Analysis, memory?: OverviewMemory): OverviewNamespaceRows[] {
  interface Bucket {
    workloads: KObject[];
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
      if (obj.pod !== undefined) bucket(ns).workloads.push(obj);
      else bucket(ns).services.push(obj);
    }
  }
  const namespaces: OverviewNamespaceRows[] = [];
  const memos = new Map<string, NamespaceMemo>();
  let reused = 0;
  for (const ns of [...buckets.keys()].sort()) {
    const b = bucket(ns);
    const problems = b.services.map((obj) => problemsIn(analysis, obj.uri, obj.span));
    let rows = memory?.lookup(ns, b.workloads, b.services, problems);
    if (rows === undefined) rows = namespaceRows(ns, b.workloads, b.services, problems);
    else reused++;
    memos.set(ns, { workloads: b.workloads, services: b.services, problems, rows });
    namespaces.push(rows);
  }
  memory?.keep(memos, reused);
  return namespaces;
}

/** The rows of one namespace: its workloads (sorted by name, then kind) and Services (by name). */
function namespaceRows(
  ns: string,
  objects: readonly KObject[],
  serviceObjects: readonly KObject[],
  problemsOf: ReadonlyArray<readonly ObjectProblem[]>,
): OverviewNamespaceRows {
  const workloads: Array<{ pod: PodTemplate; labels: PodLabels; view: OverviewWorkloadRow }> = [];
  for (const obj of objects) {
    const pod = obj.pod;
    if (pod === undefined) continue;
    const name = nameOf(obj);
    workloads.push({
      pod,
      // Read once per workload, not once per Service that may select it.
      labels: podLabelsOf(pod),
      view: {
        id: `${ns}/${name}[${obj.kind}]`,
        kind: obj.kind,
        name,
        namespace: ns,
        labels: knownLabels(pod.labels),
        ports: pod.ports.map((p) => ({
          ...(p.name !== undefined ? { name: p.name } : {}),
          containerPort: p.containerPort,
          protocol: p.protocol,
        })),
        location: { uri: obj.uri, span: obj.anchor },
      },
    });
  }
  workloads.sort((x, y) => x.view.name.localeCompare(y.view.name) || x.view.kind.localeCompare(y.view.kind));
  const services: OverviewServiceRow[] = [];
  serviceObjects.forEach((obj, i) => {
    const spec = obj.service;
    if (spec === undefined) return;
    const name = nameOf(obj);
    const selects: OverviewSelection[] = [];
    // A Service without a selector, with an empty one, or of type ExternalName has no managed endpoints.
    if (spec.selector !== undefined && spec.selector.entries.length > 0 && spec.type !== 'ExternalName') {
      const sel = asSelector(spec.selector);
      for (const w of workloads) {
        const m = matchSelector(sel, w.labels);
        if (m === 'no') continue;
        selects.push({ workloadId: w.view.id, match: m, ports: spec.ports.map((sp) => portTarget(sp, w.pod)) });
      }
    }
    const problems = problemsOf[i] ?? [];
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
  });
  services.sort((x, y) => x.name.localeCompare(y.name));
  return { name: ns, workloads: workloads.map((w) => w.view), services };
}
