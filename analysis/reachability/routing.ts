/**
 * Through a Service (semantics rules 27–32) and through an Ingress (rules 33–37): which pod
 * classes and which pod ports a Service port or an Ingress host/path lands on.
 */

import { matchSelector } from '../model/labels.js';
import type { IngressBackend, IngressSpec, KObject, ServicePort } from '../model/types.js';
import type { ServicePortLookup } from '../model/servicePorts.js';
import { lookupServicePort } from '../model/servicePorts.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ReachEngine } from './engine.js';
import { forEachBit } from './bitset.js';
import type { Protocol } from './ports.js';
import { isProtocol } from './ports.js';
import { get, isScalar, isSeq } from '../syntax/tree.js';

export interface Endpoint {
  readonly cls: number;
  /** The destination pod port. */
  readonly port: number;
  readonly protocol: Protocol;
  /** The Service's selector may or may not select the class (templated labels). */
  readonly maybe: boolean;
}

export interface ServiceRef {
  readonly placed: Placed;
  readonly namespace: string;
}

function nameOf(o: KObject): string | undefined {
  return o.name?.known === true ? o.name.value : undefined;
}

/**
 * Services by `namespace/name` (the first of each, as a scan in engine order finds), per list of
 * Services: an engine built after a policy edit shares the last one's list, and so this index.
 */
const servicesByName = new WeakMap<ReadonlyArray<ServiceRef>, ReadonlyMap<string, ServiceRef>>();

export function findService(engine: ReachEngine, ns: string, name: string): ServiceRef | undefined {
  let byName = servicesByName.get(engine.services);
  if (byName === undefined) {
    const m = new Map<string, ServiceRef>();
    for (const s of engine.services) {
      const n = nameOf(s.placed.obj);
      if (n === undefined) continue;
      const key = `${s.namespace}/${n}`;
      if (!m.has(key)) m.set(key, s);
    }
    servicesByName.set(engine.services, (byName = m));
  }
  return byName.get(`${ns}/${name}`);
}

/** The Service port a probe reaches: by (number, protocol) or by name (lib: model/servicePorts.ts). */
export function findServicePort(svc: ServiceRef, port: number | string, protocol: string | undefined): ServicePortLookup {
  return lookupServicePort(svc.placed.obj.service?.ports ?? [], `${svc.namespace}/${nameOf(svc.placed.obj) ?? '?'}`, port, protocol);
}

/**
 * The endpoints of one Service port (rules 27–30): pods selected in the Service's namespace by
 * equality, each on its own targetPort (named ports per pod and protocol); headless keeps the port.
 * `reason` says why there are none when the Service has no managed endpoints.
 */
type Endpoints = {
  readonly endpoints: readonly Endpoint[];
  readonly addresses: readonly AddressEndpoint[];
  readonly reason: string | undefined;
};

/** Endpoints per engine and Service port (a port object belongs to one Service of one snapshot). */
const endpointsMemo = new WeakMap<ReachEngine, WeakMap<ServicePort, Map<string, Endpoints>>>();

export function serviceEndpoints(engine: ReachEngine, svc: ServiceRef, sp: ServicePort): Endpoints {
  let perEngine = endpointsMemo.get(engine);
  if (perEngine === undefined) endpointsMemo.set(engine, (perEngine = new WeakMap()));
  let perPort = perEngine.get(sp);
  if (perPort === undefined) perEngine.set(sp, (perPort = new Map()));
  let hit = perPort.get(svc.namespace);
  if (hit === undefined) perPort.set(svc.namespace, (hit = computeServiceEndpoints(engine, svc, sp)));
  return hit;
}

function computeServiceEndpoints(engine: ReachEngine, svc: ServiceRef, sp: ServicePort): Endpoints {
  const spec = svc.placed.obj.service;
  const id = `${svc.namespace}/${nameOf(svc.placed.obj) ?? '?'}`;
  if (spec === undefined) return { endpoints: [], addresses: [], reason: `${id} is not a Service` };
  if (spec.type === 'ExternalName')
    return {
      endpoints: [],
      addresses: [],
      reason: `Service ${id} is ExternalName: nothing in the cluster is reached through it (semantics rule 30)`,
    };
  if (spec.selector === undefined || (spec.selector.entries.length === 0 && !spec.selector.unknown)) {
    const manual = sliceEndpoints(engine, svc, sp);
    if (manual.endpoints.length > 0 || manual.addresses.length > 0)
      return { endpoints: manual.endpoints, addresses: manual.addresses, reason: undefined };
    return {
      endpoints: [],
      addresses: [],
      reason: `Service ${id} has no selector: its endpoints are managed outside Kubernetes (semantics rule 27), and no EndpointSlice of the manifests gives one for that port`,
    };
  }
  if (!isProtocol(sp.protocol)) return { endpoints: [], addresses: [], reason: `protocol ${sp.protocol} is not TCP, UDP or SCTP` };
  const sel = {
    span: spec.selector.span,
    matchLabels: spec.selector,
    matchExpressions: [],
    unknown: spec.selector.unknown || spec.selector.entries.some((e) => !e.value.known),
  };
  const out: Endpoint[] = [];
  const inNamespace: number[] = [];
  const members = engine.namespaces.get(svc.namespace)?.classes;
  if (members !== undefined) forEachBit(members, (i) => inNamespace.push(i));
  for (const i of inNamespace) {
    const c = engine.classes[i];
    if (c === undefined || c.namespace !== svc.namespace || c.synthetic) continue;
    const m = matchSelector(sel, c.labels);
    if (m === 'no') continue;
    let port: number | undefined;
    if (spec.headless || sp.targetPort === undefined) port = sp.port?.known === true ? sp.port.value : undefined;
    else if (sp.targetPort.known) {
      const tp = sp.targetPort.value;
      if (typeof tp === 'number') port = tp;
      else port = c.ports.find((cp) => cp.name === tp && cp.protocol === sp.protocol)?.containerPort;
    }
    if (port === undefined) continue;
    out.push({ cls: c.index, port, protocol: sp.protocol, maybe: m === 'unknown' });
  }
  return { endpoints: out, addresses: [], reason: out.length === 0 ? `Service ${id} selects no pod for that port` : undefined };
}

export interface AddressEndpoint {
  readonly address: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/**
 * Endpoints of a selector-less Service from the EndpointSlices (and Endpoints) of the manifests
 * (docs/dev/checks-spec.md G3): `targetRef` Pods become pod endpoints, other addresses stay addresses.
 */
function sliceEndpoints(engine: ReachEngine, svc: ServiceRef, sp: ServicePort): { endpoints: Endpoint[]; addresses: AddressEndpoint[] } {
  const name = nameOf(svc.placed.obj);
  const endpoints: Endpoint[] = [];
  const addresses: AddressEndpoint[] = [];
  if (name === undefined || !isProtocol(sp.protocol)) return { endpoints, addresses };
  const wantName = sp.name?.known === true ? sp.name.value : undefined;
  for (const p of engine.analysis.index.objects) {
    const o = p.obj;
    if (o.endpointSliceFor !== name || o.kind !== 'EndpointSlice') continue;
    if (!p.placements.some((pl) => pl.namespace === svc.namespace)) continue;
    const root = engine.objectNode(o);
    let port: number | undefined;
    const ports = get(root, 'ports');
    for (const it of isSeq(ports) ? ports.items : []) {
      const pn = get(it, 'name');
      const pname = isScalar(pn) && typeof pn.value === 'string' ? pn.value : undefined;
      const proto = get(it, 'protocol');
      const pproto = isScalar(proto) && typeof proto.value === 'string' ? proto.value : 'TCP';
      const num = get(it, 'port');
      if ((pname ?? '') === (wantName ?? '') && pproto === sp.protocol && isScalar(num) && typeof num.value === 'number') port = num.value;
    }
    if (port === undefined) continue;
    const eps = get(root, 'endpoints');
    for (const ep of isSeq(eps) ? eps.items : []) {
      const ref = get(ep, 'targetRef');
      const kind = get(ref, 'kind');
      const refName = get(ref, 'name');
      const refNs = get(ref, 'namespace');
      if (isScalar(kind) && kind.value === 'Pod' && isScalar(refName) && typeof refName.value === 'string') {
        const ns = isScalar(refNs) && typeof refNs.value === 'string' ? refNs.value : svc.namespace;
        const podName = refName.value;
        const cls = engine.classes.find(
          (c) => c.namespace === ns && c.obj?.kind === 'Pod' && c.obj.group === '' && nameOf(c.obj) === podName,
        );
        if (cls !== undefined) {
          endpoints.push({ cls: cls.index, port, protocol: sp.protocol, maybe: false });
          continue;
        }
      }
      const addrs = get(ep, 'addresses');
      for (const a of isSeq(addrs) ? addrs.items : [])
        if (isScalar(a) && typeof a.value === 'string') addresses.push({ address: a.value, port, protocol: sp.protocol });
    }
  }
  return { endpoints, addresses };
}

/** The IngressClass an Ingress belongs to (its className, the legacy annotation, or the default class). */
export function ingressClassOf(engine: ReachEngine, spec: IngressSpec): string | undefined {
  if (spec.className?.known === true) return spec.className.value;
  if (spec.classAnnotation !== undefined) return spec.classAnnotation;
  for (const o of engine.analysis.index.ingressClasses()) {
    if (o.ingressClass?.isDefault === true) return nameOf(o);
  }
  // No class and no default IngressClass in the manifests: the cluster's default class, taken to be
  // the only configured controller when there is exactly one.
  const classes = engine.options.ingressControllers;
  return classes.length === 1 ? classes[0]?.class : undefined;
}

export interface BackendTarget {
  readonly ingress: ServiceRef;
  readonly backend: IngressBackend;
}

/** The Service port a backend names (rule 33: `port.number` is the Service port, `port.name` its name). */
export function backendServicePorts(engine: ReachEngine, t: BackendTarget): { service: ServiceRef | undefined; ports: ServicePort[] } {
  const b = t.backend;
  if (b.serviceName?.known !== true) return { service: undefined, ports: [] };
  const svc = findService(engine, t.ingress.namespace, b.serviceName.value);
  if (svc === undefined) return { service: undefined, ports: [] };
  const all = svc.placed.obj.service?.ports ?? [];
  if (b.portNumber?.known === true) {
    const n = b.portNumber.value;
    return { service: svc, ports: all.filter((p) => p.port?.known === true && p.port.value === n) };
  }
  if (b.portName?.known === true) {
    const n = b.portName.value;
    return { service: svc, ports: all.filter((p) => p.name?.known === true && p.name.value === n) };
  }
  return { service: svc, ports: [...all] };
}

/** Every backend of every Ingress of a class (what its controller connects to). */
/**
 * Backends by class, per list of Ingresses: an engine built after a policy edit shares the last
 * one's list (and with it the IngressClasses and options the classes were decided by).
 */
const backendsByClass = new WeakMap<ReadonlyArray<ServiceRef>, Map<string, readonly BackendTarget[]>>();

export function classBackends(engine: ReachEngine, cls: string): readonly BackendTarget[] {
  let byClass = backendsByClass.get(engine.ingresses);
  if (byClass === undefined) backendsByClass.set(engine.ingresses, (byClass = new Map()));
  let list = byClass.get(cls);
  if (list === undefined) byClass.set(cls, (list = computeClassBackends(engine, cls)));
  return list;
}

function computeClassBackends(engine: ReachEngine, cls: string): BackendTarget[] {
  const out: BackendTarget[] = [];
  for (const ing of engine.ingresses) {
    const spec = ing.placed.obj.ingress;
    if (spec === undefined || ingressClassOf(engine, spec) !== cls) continue;
    const ref = { placed: ing.placed, namespace: ing.namespace };
    if (spec.defaultBackend !== undefined) out.push({ ingress: ref, backend: spec.defaultBackend });
    for (const r of spec.rules) for (const p of r.paths) if (p.backend !== undefined) out.push({ ingress: ref, backend: p.backend });
  }
  return out;
}

// ── Host and path routing (rules 34–36) ──

function hostMatch(ruleHost: string, host: string): 'exact' | 'wildcard' | 'any' | undefined {
  if (ruleHost === '') return 'any';
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1);
    if (!host.endsWith(suffix)) return undefined;
    const first = host.slice(0, host.length - suffix.length);
    return first !== '' && !first.includes('.') ? 'wildcard' : undefined;
  }
  return ruleHost === host ? 'exact' : undefined;
}

function elements(p: string): string[] {
  return p.split('/').filter((e) => e !== '');
}

/** Kubernetes Prefix: element-wise, trailing slash ignored. */
export function prefixMatch(rulePath: string, path: string): boolean {
  const a = elements(rulePath);
  const b = elements(path);
  if (a.length > b.length) return false;
  return a.every((e, i) => b[i] === e);
}

function globMatch(rulePath: string, path: string): boolean {
  if (rulePath.endsWith('/*')) {
    const base = rulePath.slice(0, -2);
    return path === base || path.startsWith(base + '/');
  }
  return rulePath === path;
}

/** Does an ImplementationSpecific path match? `undefined` when the readings disagree (C2). */
function implSpecificMatch(rulePath: string, path: string, nginx: boolean): boolean | undefined {
  const str = path.startsWith(rulePath);
  if (nginx) return str;
  const readings = [prefixMatch(rulePath, path), str, globMatch(rulePath, path)];
  return readings.every((r) => r === readings[0]) ? readings[0] : undefined;
}

export type Route =
  | { readonly kind: 'backend'; readonly target: BackendTarget; readonly via: string }
  | { readonly kind: 'undefined'; readonly reason: string }
  | { readonly kind: 'none'; readonly reason: string };

function isNginxClass(engine: ReachEngine, cls: string): boolean {
  if (cls === 'nginx') return true;
  for (const p of engine.analysis.index.objects) {
    if (p.obj.ingressClass !== undefined && nameOf(p.obj) === cls) return p.obj.ingressClass.controller === 'k8s.io/ingress-nginx';
  }
  return false;
}

/** Routes a request (host, path) among the Ingresses of one class (G5). */
export function route(engine: ReachEngine, cls: string, host: string, path: string): Route {
  const nginx = isNginxClass(engine, cls);
  const ings = engine.ingresses.filter((i) => i.placed.obj.ingress !== undefined && ingressClassOf(engine, i.placed.obj.ingress) === cls);
  const tiers: Array<'exact' | 'wildcard' | 'any'> = ['exact', 'wildcard', 'any'];
  for (const tier of tiers) {
    const candidates: Array<{ target: BackendTarget; len: number; exact: boolean; via: string }> = [];
    let hostSeen = false;
    let undecided: string | undefined;
    for (const ing of ings) {
      const spec = ing.placed.obj.ingress;
      if (spec === undefined) continue;
      spec.rules.forEach((r, ri) => {
        const h = r.host === undefined ? '' : r.host.known ? r.host.value : undefined;
        if (h === undefined || hostMatch(h, host) !== tier) return;
        hostSeen = true;
        r.paths.forEach((p, pi) => {
          if (p.backend === undefined) return;
          const rp = p.path === undefined ? '/' : p.path.known ? p.path.value : undefined;
          if (rp === undefined) {
            undecided = 'a templated path';
            return;
          }
          let ok: boolean | undefined;
          if (p.pathType === 'Exact') ok = rp === path;
          else if (p.pathType === 'Prefix') ok = prefixMatch(rp, path);
          else {
            ok = implSpecificMatch(rp, path, nginx);
            if (ok === undefined) undecided = `ImplementationSpecific path "${rp}": the readings of class ${cls} disagree on "${path}"`;
          }
          if (ok === true) {
            candidates.push({
              target: { ingress: { placed: ing.placed, namespace: ing.namespace }, backend: p.backend },
              len: rp.length,
              exact: p.pathType === 'Exact',
              via: `path ${pi + 1} of rule ${ri + 1} of Ingress ${ing.namespace}/${nameOf(ing.placed.obj) ?? '?'}`,
            });
          }
        });
      });
    }
    if (!hostSeen) continue;
    candidates.sort((a, b) => b.len - a.len || Number(b.exact) - Number(a.exact));
    const best = candidates[0];
    if (undecided !== undefined) {
      // A disagreeing ImplementationSpecific (or templated) path could outrank any candidate.
      return { kind: 'undefined', reason: `${undecided} (semantics rule 34)` };
    }
    if (best !== undefined) return { kind: 'backend', target: best.target, via: best.via };
    break;
  }
  const defaults = ings.filter((i) => i.placed.obj.ingress?.defaultBackend !== undefined);
  const first = defaults[0];
  const db = first?.placed.obj.ingress?.defaultBackend;
  if (defaults.length === 1 && first !== undefined && db !== undefined) {
    return {
      kind: 'backend',
      target: { ingress: { placed: first.placed, namespace: first.namespace }, backend: db },
      via: `the defaultBackend of Ingress ${first.namespace}/${nameOf(first.placed.obj) ?? '?'}`,
    };
  }
  if (defaults.length > 1) return { kind: 'undefined', reason: `several Ingresses of class ${cls} set a defaultBackend` };
  return {
    kind: 'undefined',
    reason: `no rule of class ${cls} matches and no defaultBackend is set: the controller's own default answers (semantics rule 34)`,
  };
}
