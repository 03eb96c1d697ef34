/**
 * Custom resources whose operator creates pods (docs/operators.md; the data is in
 * operatorRegistry.ts: the labels and ports those pods get, cited per entry). Lowering
 * turns such a resource into pod producers (`lowerOperatorPods`), so its pods are workloads for the
 * checks and for the reachability engine, like a Deployment's.
 *
 * Values an operator decides at run time (a version, a config hash, which instance is primary) are
 * labels with an unknown value: a selector on them matches "maybe", which keeps checks silent.
 * `NON_POD_GROUPS` lists custom resources known to create no pods; any *other* custom resource in a
 * namespace may make pods nobody can see, so absence claims there carry no evidence
 * (`checks/support/evidence.ts`, `unknownPodMakers`).
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isScalar, isSeq } from '../syntax/tree.js';
import type { ContainerPort, KObject, LabelEntry, LabelMap, PodTemplate, Value } from './types.js';
import { exact, labelMap, numberValue, plainString } from './values.js';
import type { Span } from '../types.js';
import { OPERATOR_KINDS, SPAWNER_IMAGES, TEMPLATE_CONTROLLERS, NON_POD_GROUPS } from './operatorRegistry.js';
import type { Path, OperatorKind, OperatorPodGroup } from './operatorRegistry.js';
import { imageRepository } from './imageRegistry.js';

/** The registry entry of a kind, if its operator makes pods we know. */
export function operatorKind(group: string, kind: string): OperatorKind | undefined {
  return OPERATOR_KINDS.find((k) => k.group === group && k.kind === kind);
}

/**
 * Services that the operator of `group/kind` creates for a resource named `name` (`prometheus-operated`,
 * ToolHive's `vmcp-<name>`); a name template is left out when the resource's name is not known.
 */
export function operatorServiceNames(group: string, kind: string, name: string | undefined): readonly string[] {
  return (operatorKind(group, kind)?.services ?? []).flatMap((s) =>
    !s.includes('{name}') ? [s] : name === undefined ? [] : [s.replaceAll('{name}', name)],
  );
}

/** Known to create no pods (`NON_POD_GROUPS`). */
export function makesNoPods(group: string, kind: string): boolean {
  return NON_POD_GROUPS.has(group) || NON_POD_GROUPS.has(`${group}/${kind}`);
}

/** Every node at `path` (`*` fans out over list items). */
function nodesAt(root: YNode | undefined, path: Path): YNode[] {
  let current: YNode[] = root === undefined ? [] : [root];
  for (const step of path) {
    const next: YNode[] = [];
    for (const n of current) {
      if (step === '*') {
        if (isSeq(n)) for (const item of n.items) next.push(item);
      } else {
        const v = get(n, step);
        if (v !== undefined) next.push(v);
      }
    }
    current = next;
  }
  return current;
}

function isSet(root: YMap, path: Path): boolean {
  return nodesAt(root, path).some((n) => !(isScalar(n) && (n.value === null || n.value === false)));
}

/**
 * A label value with `{name}`, `{label:k}`, `{path:a.b}` filled in (`{path:a.b|name}`: the resource's
 * name when the path holds no string, as operators default a field to it); undefined when one is unknown.
 */
function fill(template: string, name: string | undefined, root: YMap, labels: LabelMap | undefined): string | undefined {
  let unknown = false;
  const out = template.replace(/\{(name|label:[^}]+|path:[^}]+)\}/g, (_, ref: string) => {
    let v: string | undefined;
    if (ref === 'name') v = name;
    else if (ref.startsWith('label:')) {
      const e = labels?.entries.find((x) => x.key === ref.slice(6));
      v = e?.value.known === true ? e.value.value : undefined;
    } else {
      const [path = '', fallback] = ref.slice(5).split('|');
      v = plainString(getPath(get(root, 'spec'), ...path.split('.'))) ?? (fallback === 'name' ? name : undefined);
    }
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown ? undefined : out;
}

/** A pod producer an operator makes from a resource. */
export interface OperatorPods {
  /** undefined: the resource's own pods; else the name of a workload of its own. */
  readonly workload: string | undefined;
  readonly role: string;
  readonly pod: PodTemplate;
}

/** The resource (or spawning workload) pods are made from: its name, tree, labels, annotations, and where findings point. */
export interface PodSource {
  readonly name: string | undefined;
  readonly root: YMap;
  readonly labels: LabelMap | undefined;
  readonly annotations: ReadonlyMap<string, string>;
  readonly anchor: Span;
}

/**
 * The pods the operator of `group/kind` makes from the resource `root` (named `name`), per the
 * registry; empty for other kinds. `labels` are the resource's own metadata.labels; `anchor` is
 * where findings about these pods point (the resource's name).
 */
export function lowerOperatorPods(group: string, kind: string, src: PodSource): OperatorPods[] {
  const entry = operatorKind(group, kind);
  return entry === undefined ? [] : podGroups(entry.operator, entry.pods, src);
}

/** The last path segment of any `SPAWNER_IMAGES` repository, anywhere in an image reference (any case). */
const SPAWNER_NAME = new RegExp(
  [...new Set(SPAWNER_IMAGES.flatMap((s) => s.images.map((i) => i.slice(i.lastIndexOf('/') + 1))))]
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'i',
);

/**
 * The pods a workload spawns at run time from its own code (`SPAWNER_IMAGES`: JupyterHub's hub),
 * known by a container image of its pod template; each a workload of its own.
 */
export function lowerSpawnedPods(src: PodSource): OperatorPods[] {
  const out: OperatorPods[] = [];
  for (const c of nodesAt(src.root, ['spec', 'template', 'spec', 'containers', '*'])) {
    const image = plainString(get(c, 'image'));
    // Every built-in workload's every container passes here while lowering: an image whose text
    // does not hold a spawner image's last name cannot be one (imageRepository only cuts and lowercases).
    if (image === undefined || !SPAWNER_NAME.test(image)) continue;
    const repo = imageRepository(image);
    for (const s of SPAWNER_IMAGES) {
      if (!s.images.includes(repo)) continue;
      for (const g of podGroups(s.operator, s.pods, src)) out.push(g);
    }
  }
  return out;
}

function podGroups(operator: string, groups: readonly OperatorPodGroup[], src: PodSource): OperatorPods[] {
  const { name, root, labels, annotations, anchor } = src;
  const out: OperatorPods[] = [];
  for (const g of groups) {
    if (g.when !== undefined && !isSet(root, g.when)) continue;
    if (g.unlessAnnotation !== undefined && annotations.get(g.unlessAnnotation[0]) === g.unlessAnnotation[1]) continue;
    const workload = g.workload === undefined ? undefined : fill(g.workload, name, root, labels);
    if (g.workload !== undefined && workload === undefined) continue;
    const controller = new Map<string, string | undefined>();
    for (const [k, v] of Object.entries(g.labels)) controller.set(k, fill(v, name, root, labels));
    for (const k of g.unknownLabels) controller.set(k, undefined);
    const userNode = g.podLabels === undefined ? undefined : nodesAt(root, g.podLabels)[0];
    const user = labelMap(userNode);
    const open = g.labelsOpen === true || (g.labelsOpenWhen ?? []).some((p) => isSet(root, p));
    const podLabels: LabelMap = {
      span: user?.span ?? anchor,
      entries: exact<LabelEntry>([...(user?.entries ?? [])]),
      unknown: (user?.unknown ?? false) || open,
    };
    const ports: ContainerPort[] = [];
    for (const p of g.ports) {
      if (p.when !== undefined && !isSet(root, p.when)) continue;
      const alt = p.nameWhenTrue;
      const portName = alt !== undefined && nodesAt(root, alt.path).some((n) => isScalar(n) && n.value === true) ? alt.name : p.name;
      ports.push({
        name: portName,
        nameSpan: undefined,
        containerPort: p.port,
        protocol: p.protocol ?? 'TCP',
        span: anchor,
        container: operator,
      });
    }
    const portsOpen = g.portsOpen === true || (g.portsOpenWhen ?? []).some((p) => isSet(root, p));
    const replicas: Value<number> | undefined = g.replicas === undefined ? undefined : numberValue(nodesAt(root, g.replicas)[0]);
    out.push({
      workload,
      role: g.role,
      pod: {
        labels: podLabels,
        controllerLabels: controller,
        perPodLabels: new Map(),
        ports: exact(ports),
        portsUnknown: portsOpen,
        probePorts: [],
        containerNames: [],
        span: root.span,
        labelsSpan: userNode?.span,
        hostNetwork: false,
        longRunning: true,
        replicas,
        injectedSidecar: false,
        dnsPolicy: undefined,
        templateAnnotations: new Map(),
        workloadSelector: undefined,
        owner: undefined,
        serviceName: undefined,
      },
    });
  }
  return out;
}

/** Controller labels a known template controller adds (`TEMPLATE_CONTROLLERS`), into `fixed`. */
export function templateControllerLabels(
  group: string,
  kind: string,
  name: string | undefined,
  root: YMap,
  fixed: Map<string, string | undefined>,
): void {
  const entry = TEMPLATE_CONTROLLERS.find((t) => t.group === group && t.kind === kind);
  if (entry === undefined) return;
  for (const [k, v] of Object.entries(entry.labels)) fixed.set(k, fill(v, name, root, undefined));
  for (const k of entry.unknownLabels) fixed.set(k, undefined);
}

/** A custom resource (of the index) that may make objects the workspace cannot see: `mayMakeUnseenPods`, or a Flux HelmRelease (model/helmRelease.ts). */
export function makesUnseenObjects(o: Pick<KObject, 'group' | 'kind' | 'helmRelease'>): boolean {
  return o.helmRelease !== undefined || mayMakeUnseenPods(o.group, o.kind, false);
}

/** A resource whose operator's pods cannot be seen: a custom resource neither in the registry nor known to make no pods. */
export function mayMakeUnseenPods(group: string, kind: string, builtin: boolean): boolean {
  return !builtin && operatorKind(group, kind) === undefined && !makesNoPods(group, kind) && kind !== 'CustomResourceDefinition';
}

/** A HelmRelease whose release goes to a `targetNamespace` (known or not), not to its own namespace. */
export function installsElsewhere(o: Pick<KObject, 'helmRelease'>): boolean {
  return o.helmRelease !== undefined && (o.helmRelease.targetNamespace !== undefined || o.helmRelease.unknownTarget === true);
}

/**
 * The known names a custom resource's objects are named after (`<name>-…`): its own, and a HelmRelease's
 * release name (`<release>-<chart>`); for an ApplicationSet, its Applications' release names in the
 * namespace of `at` (each installs in its own; every one when the namespace is not known).
 */
export function makerNames(
  o: Pick<KObject, 'name' | 'helmRelease'>,
  at?: string | { readonly namespace?: string | undefined; readonly floating?: boolean },
): string[] {
  const ns = typeof at === 'string' ? at : at?.floating === true ? undefined : at?.namespace;
  const out = o.name?.known === true ? [o.name.value] : [];
  if (o.helmRelease?.releaseName !== undefined) out.push(o.helmRelease.releaseName);
  for (const g of o.helmRelease?.generated ?? [])
    if (g.releaseName !== undefined && (ns === undefined || g.namespace === ns)) out.push(g.releaseName);
  return out;
}
