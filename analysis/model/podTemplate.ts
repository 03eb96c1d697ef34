/**
 * Pod producers (docs/dev/design.md §2): built-in workloads, bare Pods, CronJobs and any duck-typed object with
 * a pod template, with the labels their controllers add and the ports their containers declare.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { ContainerPort, LabelMap, PodTemplate, ProbePort, Value } from './types.js';
import { annotationMap, exact, intOrString, labelMap, numberValue, plainString, selector, stringValue } from './values.js';
import { BUILTIN_WORKLOADS } from './kinds.js';
import { templateControllerLabels } from './operators.js';
import { imageEntry } from './imageRegistry.js';
import { mountedConfigMaps } from './configListens.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

interface PortsResult {
  ports: ContainerPort[];
  unknown: boolean;
  probes: ProbePort[];
  names: string[];
  /** Ports the containers' command, args and env configure them to listen on (`configuredPorts`). */
  configured: number[];
  /** Every container so far runs a well-known image whose listeners are known (`listenersKnown`). */
  listenersKnown: boolean;
  /** A container sets two or more of its listeners through env variables (`listenersByEnv`). */
  listenersByEnv: boolean;
}

/** A flag that sets what the process listens on: `--port`, `--metrics-bind-address`, `--listen`, `--http-addr`. */
const LISTEN_FLAG = /port|bind|listen|addr/i;
/** `--flag=:8443`, `--flag=0.0.0.0:8080`, `--flag 9002` within one string; the flag's name in group 1, the port in 2. */
const FLAG_PORT = /--?([\w.-]+)(?:=|\s+)(?:[\w.[\]:-]*:)?(\d{1,5})(?![\w.:])/g;
/** knative.dev/pkg's default metrics and profiling ports (`sharedmain`; config-observability). */
const KNATIVE_PORTS = [9090, 8008];
/**
 * An env variable naming the process's own port (not an upstream's, such as DB_PORT or
 * BACKEND_SERVICE_PORT): `PORT`, `*LISTEN*`, `*BIND*`, Spring Boot's `SERVER_PORT` and
 * `MANAGEMENT_SERVER_PORT`, `WEBHOOK_SERVER_PORT`, `HTTP_PORT`, `GRPC_PORT`, `METRICS_PORT`.
 */
const LISTEN_ENV =
  /^(PORT|.*(LISTEN|BIND).*|((MANAGEMENT|WEBHOOK|HTTPS?|GRPC|METRICS|ADMIN)_)?SERVER_PORT|(HTTPS?|GRPC|METRICS|HEALTH|WEBHOOK)_PORT)$/i;

/**
 * Ports a container is configured to listen on by its command, args and env: listen flags
 * (`--metrics-bind-address=:8443`, `--port 9002`, `["--port", "9002"]`) and `PORT`-like variables.
 * An upstream's address (`--upstream=db:5432`, `REGISTRY_PORT`) is not its own port. A well-known
 * image (model/imageRegistry.ts) adds the ports its process listens on by default, each unless the
 * container sets the variable or flag that moves it (then the value set counts instead).
 */
function configuredPorts(c: YMap, out: number[]): boolean {
  const add = (n: number): void => {
    if (n >= 1 && n <= 65535 && !out.includes(n)) out.push(n);
  };
  const image = plainString(get(c, 'image'));
  const entry = image === undefined ? undefined : imageEntry(image);
  const flags = new Set<string>();
  let unknownArg = false;
  for (const key of ['command', 'args']) {
    const list = get(c, key);
    if (!isSeq(list)) continue;
    let prevFlag = false;
    for (const item of list.items) {
      const text = isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') ? String(item.value) : undefined;
      if (text === undefined) {
        prevFlag = false;
        continue;
      }
      const flag = /^--?([\w.-]+)/.exec(text);
      if (flag?.[1] !== undefined) flags.add(flag[1]);
      if (entry?.unknownArg?.test(text) === true) unknownArg = true;
      const bare = /^(?:[\w.[\]:-]*:)?(\d{1,5})$/.exec(text);
      if (prevFlag && bare !== null) add(Number(bare[1]));
      for (const m of text.matchAll(FLAG_PORT)) if (LISTEN_FLAG.test(m[1] ?? '')) add(Number(m[2]));
      prevFlag = /^--?[\w.-]+$/.test(text) && LISTEN_FLAG.test(text);
    }
  }
  const envs = new Set<string>();
  const env = get(c, 'env');
  if (isSeq(env)) {
    for (const e of env.items) {
      const name = plainString(get(e, 'name'));
      if (name !== undefined) envs.add(name);
      const v = plainString(get(e, 'value'));
      const m = v === undefined ? null : /^(?:[\w.[\]:-]*:)?(\d{1,5})$/.exec(v);
      const own = name !== undefined && (LISTEN_ENV.test(name) || entry?.ports.some((p) => p.env === name) === true);
      if (own && m !== null) add(Number(m[1]));
    }
  }
  // A knative.dev/pkg controller (its shared main reads METRICS_DOMAIN) serves metrics on 9090 and
  // profiling on 8008 by default, declared or not (Tekton's and Knative's own controller configs
  // declare both; test controllers often declare only their probes).
  if (envs.has('METRICS_DOMAIN')) for (const port of KNATIVE_PORTS) add(port);
  // `envFrom` may set the variable that moves a listener: the defaults are then not known.
  if (entry === undefined || get(c, 'envFrom') !== undefined) return false;
  if (unknownArg || entry.unknownFlags?.some((f) => flags.has(f)) === true) return false;
  for (const p of entry.ports) {
    const moved = p.flag === undefined ? false : typeof p.flag === 'string' ? flags.has(p.flag) : p.flag.some((f) => flags.has(f));
    if ((p.env !== undefined && envs.has(p.env)) || moved) continue;
    add(p.port);
  }
  return true;
}

/**
 * Whether a container sets two or more of its listeners through env variables (`KONG_PROXY_LISTEN`,
 * `KONG_ADMIN_LISTEN`, `METRICS_BIND_ADDRESS`): a server with several listeners, each moved by its
 * own variable; the listeners no variable sets keep the image's defaults (Kong's admin GUI on
 * 8002/8445), which are known only for the images of model/imageRegistry.ts.
 */
function setsListenersByEnv(c: YMap): boolean {
  const env = get(c, 'env');
  if (!isSeq(env)) return false;
  const names = new Set<string>();
  for (const e of env.items) {
    const name = plainString(get(e, 'name'));
    if (name !== undefined && LISTEN_ENV.test(name)) names.add(name);
  }
  return names.size >= 2;
}

function readContainers(list: YNode | undefined, onlyRestartable: boolean, out: PortsResult): void {
  if (list === undefined) return;
  if (!isSeq(list)) {
    if (list.unknown) out.unknown = true;
    return;
  }
  if (list.unknown) out.unknown = true;
  for (const c of list.items) {
    if (!isMap(c)) {
      out.unknown = true;
      continue;
    }
    if (c.unknown) out.unknown = true;
    const cname = plainString(get(c, 'name')) ?? '';
    if (onlyRestartable && plainString(get(c, 'restartPolicy')) !== 'Always') continue;
    out.names.push(cname);
    if (!configuredPorts(c, out.configured)) out.listenersKnown = false;
    if (setsListenersByEnv(c)) out.listenersByEnv = true;
    const ports = get(c, 'ports');
    if (ports !== undefined && !isSeq(ports)) {
      if (ports.unknown) out.unknown = true;
    } else if (ports !== undefined) {
      if (ports.unknown) out.unknown = true;
      for (const p of ports.items) {
        const cp = numberValue(get(p, 'containerPort'));
        const nameV = stringValue(get(p, 'name'));
        // An entry without containerPort is not a port (the API server rejects it): skip it; only
        // templated entries make the ports unknown.
        if (cp === undefined && !p.unknown && get(p, 'containerPort') === undefined) continue;
        if (p.unknown || cp === undefined || !cp.known || (nameV !== undefined && !nameV.known)) {
          out.unknown = true;
          continue;
        }
        out.ports.push({
          name: nameV?.known === true ? nameV.value : undefined,
          nameSpan: nameV?.span,
          containerPort: cp.value,
          protocol: plainString(get(p, 'protocol')) ?? 'TCP',
          ...(get(p, 'protocol') === undefined ? { protocolOmitted: true as const } : {}),
          span: p.span,
          container: cname,
        });
      }
    }
    for (const probe of PROBES) {
      const pr = get(c, probe);
      for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
        const port = intOrString(getPath(pr, handler, 'port'));
        if (port !== undefined) out.probes.push({ container: cname, probe, port });
      }
    }
  }
}

function hasTemplate(spec: YNode | undefined): YMap | undefined {
  const tpl = get(spec, 'template');
  if (!isMap(tpl)) return undefined;
  const ps = get(tpl, 'spec');
  if (get(ps, 'containers') !== undefined || get(ps, 'domain') !== undefined) return tpl;
  return undefined;
}

interface ProducerInfo {
  readonly template: YMap | undefined;
  readonly podSpec: YNode | undefined;
  readonly labelsNode: YNode | undefined;
}

function locate(group: string, kind: string, root: YMap): ProducerInfo | undefined {
  const spec = get(root, 'spec');
  if (group === '' && kind === 'Pod') {
    return { template: undefined, podSpec: spec, labelsNode: getPath(root, 'metadata', 'labels') };
  }
  if (kind === 'CronJob' && group === 'batch') {
    const tpl = getPath(spec, 'jobTemplate', 'spec', 'template');
    return { template: isMap(tpl) ? tpl : undefined, podSpec: get(tpl, 'spec'), labelsNode: getPath(tpl, 'metadata', 'labels') };
  }
  if (BUILTIN_WORKLOADS.get(kind) === group) {
    const tpl = get(spec, 'template');
    return { template: isMap(tpl) ? tpl : undefined, podSpec: get(tpl, 'spec'), labelsNode: getPath(tpl, 'metadata', 'labels') };
  }
  const tpl = hasTemplate(spec);
  if (tpl !== undefined) return { template: tpl, podSpec: get(tpl, 'spec'), labelsNode: getPath(tpl, 'metadata', 'labels') };
  const jobTpl = getPath(spec, 'jobTemplate', 'spec', 'template');
  if (isMap(jobTpl)) return { template: jobTpl, podSpec: get(jobTpl, 'spec'), labelsNode: getPath(jobTpl, 'metadata', 'labels') };
  return undefined;
}

function controllerLabels(
  group: string,
  kind: string,
  name: string | undefined,
  spec: YNode | undefined,
  replicas: Value<number> | undefined,
) {
  const fixed = new Map<string, string | undefined>();
  const perPod = new Map<string, readonly string[] | undefined>();
  if (group === 'apps' && kind === 'StatefulSet') {
    fixed.set('controller-revision-hash', undefined);
    const n = replicas === undefined ? 1 : replicas.known ? replicas.value : undefined;
    const indexes = n === undefined || n > 1000 ? undefined : Array.from({ length: n }, (_, i) => String(i));
    perPod.set('apps.kubernetes.io/pod-index', indexes);
    perPod.set(
      'statefulset.kubernetes.io/pod-name',
      indexes === undefined || name === undefined ? undefined : indexes.map((i) => `${name}-${i}`),
    );
  } else if ((group === 'apps' && (kind === 'Deployment' || kind === 'ReplicaSet')) || (group === '' && kind === 'ReplicationController')) {
    fixed.set('pod-template-hash', undefined);
  } else if (group === 'apps' && kind === 'DaemonSet') {
    fixed.set('controller-revision-hash', undefined);
    fixed.set('pod-template-generation', undefined);
  } else if (group === 'batch' && kind === 'Job') {
    fixed.set('job-name', name);
    fixed.set('batch.kubernetes.io/job-name', name);
    fixed.set('controller-uid', undefined);
    fixed.set('batch.kubernetes.io/controller-uid', undefined);
    if (plainString(get(spec, 'completionMode')) === 'Indexed') perPod.set('batch.kubernetes.io/job-completion-index', undefined);
  } else if (group === 'batch' && kind === 'CronJob') {
    fixed.set('job-name', undefined);
    fixed.set('batch.kubernetes.io/job-name', undefined);
    fixed.set('controller-uid', undefined);
    fixed.set('batch.kubernetes.io/controller-uid', undefined);
  }
  return { fixed, perPod };
}

const INJECT_MARKERS: ReadonlyArray<[string, string]> = [
  ['sidecar.istio.io/inject', 'true'],
  ['linkerd.io/inject', 'enabled'],
];

/** What reading a pod's containers starts from: no ports, probes or names, listeners known. */
function freshPorts(): PortsResult {
  return { ports: [], unknown: false, probes: [], names: [], configured: [], listenersKnown: true, listenersByEnv: false };
}

/**
 * The ports of a container list and its init containers (only restartable ones, native sidecars, serve), as a pod
 * template reads them; for objects that add containers to other pods (model/sidecarSet.ts).
 */
export function containerListPorts(
  containers: YNode | undefined,
  initContainers: YNode | undefined,
): { ports: ContainerPort[]; unknown: boolean } {
  const res = freshPorts();
  readContainers(containers, false, res);
  readContainers(initContainers, true, res);
  return { ports: res.ports, unknown: res.unknown };
}

/** Lowers the pod template of a pod producer, or returns undefined for other kinds. */
export function lowerPodTemplate(
  group: string,
  kind: string,
  name: string | undefined,
  root: YMap,
  annotations: ReadonlyMap<string, string>,
): PodTemplate | undefined {
  const info = locate(group, kind, root);
  if (info === undefined) return undefined;
  const spec = get(root, 'spec');
  const podSpec = info.podSpec;
  const res = freshPorts();
  const containers = get(podSpec, 'containers');
  if (containers === undefined && podSpec !== undefined && isMap(podSpec) && podSpec.unknown) res.unknown = true;
  if (podSpec !== undefined && !isMap(podSpec)) res.unknown = true;
  readContainers(containers, false, res);
  readContainers(get(podSpec, 'initContainers'), true, res);
  const replicas = group === '' && kind === 'Pod' ? undefined : numberValue(get(spec, 'replicas'));
  const { fixed, perPod } = controllerLabels(group, kind, name, spec, replicas);
  // Controllers of custom resources with a pod template (Argo Rollouts, Knative): model/operators.ts.
  templateControllerLabels(group, kind, name, root, fixed);
  const tplMeta = info.template !== undefined ? get(info.template, 'metadata') : get(root, 'metadata');
  const tplAnnotations = annotationMap(get(tplMeta, 'annotations'));
  const tplLabels: LabelMap | undefined = labelMap(info.labelsNode);
  const restartPolicy = plainString(get(podSpec, 'restartPolicy'));
  const runToCompletion =
    (group === 'batch' && (kind === 'Job' || kind === 'CronJob')) ||
    (group === '' && kind === 'Pod' && (restartPolicy === 'Never' || restartPolicy === 'OnFailure'));
  const hook = annotations.has('helm.sh/hook');
  const injected = INJECT_MARKERS.some(([k, v]) => {
    const fromAnn = tplAnnotations.get(k);
    const fromLabel = tplLabels?.entries.find((e) => e.key === k);
    return fromAnn === v || (fromLabel?.value.known === true && fromLabel.value.value === v);
  });
  const owner = readOwner(get(root, 'metadata'));
  const hostNetworkNode = get(podSpec, 'hostNetwork');
  const configMaps = mountedConfigMaps(podSpec);
  return {
    labels: tplLabels,
    controllerLabels: fixed,
    perPodLabels: perPod,
    ports: exact(res.ports),
    portsUnknown: res.unknown,
    probePorts: exact(res.probes),
    ...(res.configured.length > 0 ? { configuredPorts: exact(res.configured) } : {}),
    ...(res.listenersKnown && res.names.length > 0 && !res.unknown ? { listenersKnown: true } : {}),
    ...(res.listenersByEnv ? { listenersByEnv: true } : {}),
    ...(configMaps !== undefined ? { configMaps } : {}),
    containerNames: exact(res.names),
    span: info.template?.span ?? root.span,
    labelsSpan: info.labelsNode?.span,
    hostNetwork: isScalar(hostNetworkNode) && hostNetworkNode.value === true,
    longRunning: !runToCompletion && !hook,
    replicas,
    injectedSidecar: injected,
    dnsPolicy: plainString(get(podSpec, 'dnsPolicy')),
    templateAnnotations: tplAnnotations,
    workloadSelector:
      group === '' && kind === 'Pod' ? undefined : selector(get(spec, 'selector'), group === '' && kind === 'ReplicationController'),
    owner,
    serviceName: group === 'apps' && kind === 'StatefulSet' ? stringValue(get(spec, 'serviceName')) : undefined,
  };
}

/**
 * The owner an object's `metadata.ownerReferences` names as its controller: the reference with
 * `controller: true`, or, unless `strict`, one that leaves `controller` out.
 */
export function readOwner(meta: YNode | undefined, strict = false): { kind: string; name: string } | undefined {
  const refs = get(meta, 'ownerReferences');
  if (!isSeq(refs)) return undefined;
  for (const r of refs.items) {
    const ctrl = get(r, 'controller');
    const kind = plainString(get(r, 'kind'));
    const name = plainString(get(r, 'name'));
    if (kind !== undefined && name !== undefined && (isScalar(ctrl) ? ctrl.value === true : !strict)) return { kind, name };
  }
  return undefined;
}
