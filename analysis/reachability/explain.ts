/**
 * `explain` (docs/dev/design.md §6): the verdict of one probe (from, to, port, protocol, optionally through a
 * Service or an Ingress) with the policies that decide it: for allowed, the allowing rule on each
 * isolated side; for denied, every policy isolating the denying side; `null` only when the spec
 * leaves the verdict open, with the reason.
 */

import type { Span } from '../types.js';
import type { Peer, ReachEngine } from './engine.js';
import { classWords, externalId } from './engine.js';
import { judgeSide } from './explainSides.js';
import type { IpRange } from './ip.js';
import { IPV4_ALL, formatIPv4, parseAddress, parseCidr, parseIPv4 } from './ip.js';
import type { Protocol } from './ports.js';
import { servicePortText } from '../model/servicePorts.js';
import { isProtocol } from './ports.js';
import { backendServicePorts, findService, findServicePort, ingressClassOf, route, serviceEndpoints } from './routing.js';
import { explainViaGateway } from './gatewayRequest.js';
import { connectionText } from './gatewayConnection.js';
import { requestDetailsText } from './gatewayRank.js';

/** What an HTTP request through a Gateway carries beside its host and path (HTTPRoute `method`, `headers` and `queryParams` matches). */
export interface RequestDetails {
  readonly method?: string;
  /** Header names as sent (matched case-insensitively). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
}

export type Via =
  | { readonly service: string; readonly port: number | string }
  | { readonly ingress: string; readonly host: string; readonly path: string }
  /**
   * A request through a Gateway (a GET unless `method` says otherwise, with `headers` and `query` parameters when
   * given); `port`: the HTTP or HTTPS listener's (any when left out).
   */
  | ({ readonly gateway: string; readonly host: string; readonly path: string; readonly port?: number } & RequestDetails)
  | {
      readonly gateway: string;
      readonly host: string;
      readonly grpc: { readonly service: string; readonly method: string };
      readonly port?: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /**
   * A TLS (by SNI), TCP or UDP connection to a listener port, routed by TLSRoutes, TCPRoutes or UDPRoutes; DTLS (TLS
   * over UDP) to a STUNner `TURN-DTLS` listener.
   */
  | {
      readonly gateway: string;
      readonly connection: 'TLS' | 'DTLS' | 'TCP' | 'UDP';
      readonly port: number | undefined;
      readonly sni?: string;
    };

export interface Probe {
  readonly from: string;
  readonly to: string;
  readonly port: number | undefined;
  readonly protocol: string | undefined;
  readonly via: Via | undefined;
}

export interface DecidedBy {
  /** The policy's file uri (the CLI shows it as a path). */
  readonly file: string;
  /** 0-based. */
  readonly line: number;
  readonly policy: string;
  readonly direction: 'ingress' | 'egress';
  readonly rule: string;
  /** The rule in the user's words: `rule 1 of ingress in policy shop/web (from entry 2)`. */
  readonly description: string;
  /** The rule's (or peer's, or podSelector's) offsets in `file`, for editors; not in the CLI's JSON. */
  readonly span: Span;
  /** The tier that decided: `Admin`, `NetworkPolicy` or `Baseline` (docs/dev/cluster-policies.md). */
  readonly tier?: 'Admin' | 'NetworkPolicy' | 'Baseline';
}

export interface ProbeResult {
  readonly allowed: boolean | null;
  readonly reason: string;
  readonly decidedBy: readonly DecidedBy[];
}

/**
 * A resolved endpoint: a pod (class and replica) or addresses outside the cluster (one address, a
 * CIDR or a range as `reach` prints it, `a.b.c.d-e.f.g.h[External]`).
 */
export type Endpoint =
  | { readonly kind: 'pod'; readonly cls: number; readonly replica: number; readonly label: string }
  | { readonly kind: 'host'; readonly address: string; readonly peer: Peer & { readonly kind: 'ip' }; readonly words: string };

export class ProbeError extends Error {}

/** `a.b.c.d-e.f.g.h[External]` (the external nodes of `reach`), or a range without the suffix. */
function parseRange(text: string): IpRange | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})-(\d{1,3}(?:\.\d{1,3}){3})(?:\[External\])?$/.exec(text);
  if (m === null) return undefined;
  const lo = parseIPv4(m[1] ?? '');
  const hi = parseIPv4(m[2] ?? '');
  return lo === undefined || hi === undefined || lo > hi ? undefined : { family: 4, lo, hi };
}

/**
 * Every name `reach`, the panel and the checks print resolves here: workloads (`ns/name[Kind]`,
 * `#k` for a replica), a Pod by its own name, the ingress controller stand-ins (`{ingress-controller}`,
 * `{ingress-controller:CLASS}`), the virtual pods of the checks (`{cluster-dns:NS}`, `{cluster-dns}`
 * when it runs in one namespace), external ranges (`a.b.c.d-e.f.g.h[External]`), CIDRs and addresses.
 */
export function resolveEndpoint(engine: ReachEngine, text: string): Endpoint | undefined {
  const addr = parseAddress(text);
  if (addr !== undefined)
    return {
      kind: 'host',
      address: text,
      peer: { kind: 'ip', range: { family: addr.family, lo: addr.value, hi: addr.value } },
      words: `address ${text}`,
    };
  const range = parseRange(text);
  if (range !== undefined) {
    const bare = `${formatIPv4(range.lo)}-${formatIPv4(range.hi)}`;
    const all = range.lo === IPV4_ALL.lo && range.hi === IPV4_ALL.hi;
    return {
      kind: 'host',
      address: text,
      peer: { kind: 'ip', range },
      words: all ? 'any address outside the cluster' : `addresses ${bare} (outside the cluster)`,
    };
  }
  if (text.includes('/') && /^[\d.:a-fA-F]+\/\d+$/.test(text)) {
    const cidr = parseCidr(text);
    return cidr === undefined
      ? undefined
      : { kind: 'host', address: text, peer: { kind: 'ip', range: cidr }, words: `addresses ${text} (outside the cluster)` };
  }
  const m = /^(.*?)(?:#(\d+))?$/.exec(text);
  const base = m?.[1] ?? text;
  const replica = m?.[2] === undefined ? 0 : Number(m[2]);
  if (base.startsWith('{')) {
    // A stand-in: by its node id, or a virtual pod by its id alone when it runs in one namespace.
    const exact = engine.classes.find((x) => x.synthetic && x.node === base);
    if (exact !== undefined) return { kind: 'pod', cls: exact.index, replica, label: base };
    const id = /^\{([^:{}]+)\}$/.exec(base)?.[1];
    const candidates = id === undefined ? [] : engine.classes.filter((x) => x.synthetic && x.name === id);
    const only = candidates.length === 1 ? candidates[0] : undefined;
    return only === undefined ? undefined : { kind: 'pod', cls: only.index, replica, label: base };
  }
  const bracket = /^([^/]+)\/([^[\]]+)(?:\[([^\]]+)\])?$/.exec(base);
  if (bracket === null) return undefined;
  const [, ns, name, kind] = bracket;
  if (kind === undefined || kind === 'Pod') {
    // A Pod object by its own name (even when an owner names its node).
    const pod = engine.classes.find(
      (c) => c.namespace === ns && c.obj?.kind === 'Pod' && c.obj.group === '' && c.obj.name?.known === true && c.obj.name.value === name,
    );
    if (pod !== undefined) return { kind: 'pod', cls: pod.index, replica, label: text };
    if (kind === undefined) return undefined;
  }
  const node = engine.node(`${ns ?? ''}/${name ?? ''}[${kind}]`);
  if (node === undefined || node.classes.length === 0) return undefined;
  if (node.classes.length > 1) {
    // Split StatefulSet ordinals or the Pods of one owner: replica k is the k-th.
    const cls = node.classes[replica];
    return cls === undefined ? undefined : { kind: 'pod', cls, replica: 0, label: text };
  }
  const cls = node.classes[0] ?? 0;
  return { kind: 'pod', cls, replica, label: text };
}

/**
 * Addresses on one side must lie inside one of the external ranges `reach` cuts for that side
 * (sources from the ingress ipBlocks, destinations from the egress ones), where every address
 * gets the same verdict. A single address always does; a wider range or CIDR that straddles
 * ipBlock bounds is refused with the ranges to pick from.
 */
function requireUniform(engine: ReachEngine, e: Endpoint, side: 'from' | 'to'): void {
  if (e.kind !== 'host' || e.peer.range.family !== 4) return;
  const r = e.peer.range;
  const cuts = side === 'from' ? engine.srcRanges : engine.dstRanges;
  if (cuts.some((c) => c.lo <= r.lo && r.hi <= c.hi)) return;
  const overlapping = cuts.filter((c) => c.lo <= r.hi && r.lo <= c.hi).map(externalId);
  const shown = overlapping.slice(0, 6).join(', ') + (overlapping.length > 6 ? `, and ${overlapping.length - 6} more` : '');
  throw new ProbeError(
    `${side} "${e.address}" spans several of the external ranges that reach lists (the ipBlocks of the policies bound them); ask about one of ${shown}`,
  );
}

function peerOf(e: Endpoint): Peer {
  return e.kind === 'pod' ? { kind: 'class', index: e.cls } : e.peer;
}

/** An endpoint in the user's words: a workload's name, "the nginx ingress controller's pods", "any address outside the cluster". */
function nameOf(e: Endpoint, engine: ReachEngine): string {
  if (e.kind === 'host') return e.words;
  const c = engine.classes[e.cls];
  if (c === undefined) return e.label;
  return c.synthetic ? classWords(engine, c.index) : c.node;
}

/** The policy verdict between two endpoints on one destination port. */
export function verdict(engine: ReachEngine, src: Endpoint, dst: Endpoint, protocol: string, port: number, prefix = ''): ProbeResult {
  const portText = `${protocol}/${port}`;
  if (!isProtocol(protocol))
    return {
      allowed: null,
      reason: `${prefix}protocol ${protocol} is not TCP, UDP or SCTP: NetworkPolicy leaves it undefined (semantics rule 7)`,
      decidedBy: [],
    };
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return { allowed: false, reason: `${prefix}port ${port} is not a port number`, decidedBy: [] };
  if (src.kind === 'pod' && dst.kind === 'pod' && src.cls === dst.cls && src.replica === dst.replica) {
    return { allowed: true, reason: `${prefix}the same pod: a pod always reaches itself (semantics rule 6)`, decidedBy: [] };
  }
  if (src.kind === 'host' && dst.kind === 'host')
    return { allowed: null, reason: `${prefix}both ends are outside the cluster: no NetworkPolicy applies`, decidedBy: [] };
  const srcName = nameOf(src, engine);
  const dstName = nameOf(dst, engine);
  for (const e of [src, dst]) {
    const why = e.kind === 'pod' ? engine.implementationDefined(e.cls) : undefined;
    if (why !== undefined) return { allowed: null, reason: prefix + why, decidedBy: [] };
  }
  const proto: Protocol = protocol;
  const atom = engine.space.atomOf(proto, port);
  const srcPeer = peerOf(src);
  const dstPeer = peerOf(dst);
  const eg = src.kind === 'pod' ? engine.side('egress', src.cls, dstPeer, dstPeer, true) : undefined;
  const ing = dst.kind === 'pod' ? engine.side('ingress', dst.cls, srcPeer, dstPeer, true) : undefined;
  const e = judgeSide(engine, eg, atom, dstPeer, srcName, dstName, portText);
  const i = judgeSide(engine, ing, atom, dstPeer, dstName, srcName, portText);
  const texts = [e.text, i.text].filter((t) => t !== '');
  if (e.state === 'denied' || i.state === 'denied') {
    const denying = [e, i].filter((s) => s.state === 'denied');
    return { allowed: false, reason: prefix + denying.map((s) => s.text).join('; '), decidedBy: denying.flatMap((s) => s.decidedBy) };
  }
  if (e.state === 'undefined' || i.state === 'undefined') {
    const open = [e, i].filter((s) => s.state === 'undefined');
    return { allowed: null, reason: prefix + open.map((s) => s.text).join('; '), decidedBy: open.flatMap((s) => s.decidedBy) };
  }
  return { allowed: true, reason: prefix + texts.join('; '), decidedBy: [...e.decidedBy, ...i.decidedBy] };
}

function requireEndpoint(engine: ReachEngine, text: string, what: string): Endpoint {
  const e = resolveEndpoint(engine, text);
  if (e === undefined) throw new ProbeError(`${what} "${text}" names nothing in the manifests`);
  return e;
}

function splitRef(ref: string): { ns: string; name: string } | undefined {
  const m = /^([^/]+)\/([^/]+)$/.exec(ref);
  return m === null ? undefined : { ns: m[1] ?? '', name: m[2] ?? '' };
}

/** Explains one probe; throws ProbeError when an endpoint or object names nothing. */
export function explainProbe(engine: ReachEngine, probe: Probe): ProbeResult {
  const via = probe.via;
  if (via === undefined) {
    const src = requireEndpoint(engine, probe.from, 'from');
    const dst = requireEndpoint(engine, probe.to, 'to');
    requireUniform(engine, src, 'from');
    requireUniform(engine, dst, 'to');
    if (probe.port === undefined) throw new ProbeError('port is required');
    return verdict(engine, src, dst, probe.protocol ?? 'TCP', probe.port);
  }
  if ('service' in via) {
    const src = requireEndpoint(engine, probe.from, 'from');
    const dst = requireEndpoint(engine, probe.to, 'to');
    requireUniform(engine, src, 'from');
    const ref = splitRef(via.service);
    const svc = ref === undefined ? undefined : findService(engine, ref.ns, ref.name);
    if (svc === undefined) throw new ProbeError(`via.service "${via.service}" names no Service in the manifests`);
    // A Service port is (port, protocol): the probe's protocol picks it (TCP when not given).
    const found = findServicePort(svc, via.port, probe.protocol);
    if ('missing' in found) return { allowed: false, reason: found.missing, decidedBy: [] };
    const sp = found.found;
    const spText = `${servicePortText(sp)}${typeof via.port === 'string' ? ` ("${via.port}")` : ''}`;
    const { endpoints, addresses, reason } = serviceEndpoints(engine, svc, sp);
    const ep = dst.kind === 'pod' ? endpoints.find((x) => x.cls === dst.cls) : addresses.find((a) => a.address === dst.address);
    if (ep === undefined)
      return { allowed: false, reason: reason ?? `${probe.to} is not an endpoint of Service ${via.service} port ${spText}`, decidedBy: [] };
    const prefix = `Service ${via.service} port ${spText} lands on ${ep.protocol}/${ep.port} of ${probe.to}${svc.placed.obj.service?.headless === true ? ' (headless: the Service port is the pod port)' : ''}; `;
    const v = verdict(engine, src, dst, ep.protocol, ep.port, prefix);
    const type = svc.placed.obj.service?.type;
    if (src.kind === 'host' && (type === 'NodePort' || type === 'LoadBalancer') && v.allowed !== null) {
      // Rule 31: the backend may see the client, a node or the load balancer as the source.
      const anySource = v.allowed === true && v.decidedBy.every((d) => d.direction !== 'ingress' || !d.rule.includes('.from['));
      if (!anySource) {
        return {
          allowed: null,
          reason: `${v.reason}; through a ${type} Service the source IP the policy sees (client, node or load balancer) depends on externalTrafficPolicy and the plugin (semantics rule 31)`,
          decidedBy: v.decidedBy,
        };
      }
    }
    if ('maybe' in ep && ep.maybe && v.allowed !== false)
      return { ...v, allowed: null, reason: `${v.reason}; whether the Service selects ${probe.to} depends on a templated value` };
    return v;
  }
  if ('gateway' in via) {
    const dst = requireEndpoint(engine, probe.to, 'to');
    const ref = splitRef(via.gateway);
    const known = engine.gathering.gathered.gateways.some(
      (g) => g.namespace === ref?.ns && g.placed.obj.name?.known === true && g.placed.obj.name.value === ref.name,
    );
    if (ref === undefined || !known) throw new ProbeError(`via.gateway "${via.gateway}" names no Gateway in the manifests`);
    return explainViaGateway(engine, probe.to, { ...via, gateway: `${ref.ns}/${ref.name}` }, dst, (src, d, protocol, port, prefix) =>
      verdict(engine, src, d, protocol, port, prefix),
    );
  }
  const dst = requireEndpoint(engine, probe.to, 'to');
  const ref = splitRef(via.ingress);
  const ing =
    ref === undefined
      ? undefined
      : engine.ingresses.find((i) => i.namespace === ref.ns && i.placed.obj.name?.known === true && i.placed.obj.name.value === ref.name);
  const spec = ing?.placed.obj.ingress;
  if (ing === undefined || spec === undefined) throw new ProbeError(`via.ingress "${via.ingress}" names no Ingress in the manifests`);
  const cls = ingressClassOf(engine, spec);
  if (cls === undefined)
    return { allowed: null, reason: `Ingress ${via.ingress} has no class and no default IngressClass is known`, decidedBy: [] };
  const ctrl = engine.classes.find((c) => c.controllerOf.includes(cls));
  if (ctrl === undefined)
    return { allowed: null, reason: `no ingress controller is configured for class ${cls} (kubeReach.ingressControllers)`, decidedBy: [] };
  const r = route(engine, cls, via.host, via.path);
  if (r.kind !== 'backend') return { allowed: r.kind === 'none' ? false : null, reason: r.reason, decidedBy: [] };
  const { service, ports } = backendServicePorts(engine, r.target);
  const svcName = r.target.backend.serviceName?.known === true ? r.target.backend.serviceName.value : '?';
  if (service === undefined)
    return {
      allowed: false,
      reason: `${via.host}${via.path} routes (${r.via}) to Service ${svcName}, which is not in the manifests`,
      decidedBy: [],
    };
  for (const sp of ports) {
    if (sp.protocol !== 'TCP') continue;
    const ep = dst.kind === 'pod' ? serviceEndpoints(engine, service, sp).endpoints.find((x) => x.cls === dst.cls) : undefined;
    if (ep === undefined) continue;
    const prefix = `${via.host}${via.path} routes (${r.via}) to Service ${service.namespace}/${svcName} port ${sp.port?.known === true ? sp.port.value : '?'}, TCP/${ep.port} of ${probe.to}; `;
    const src: Endpoint = { kind: 'pod', cls: ctrl.index, replica: 0, label: ctrl.node };
    const v = verdict(engine, src, dst, 'TCP', ep.port, prefix);
    if (ep.maybe && v.allowed !== false)
      return { ...v, allowed: null, reason: `${v.reason}; whether the Service selects ${probe.to} depends on a templated value` };
    return v;
  }
  if (ports.length > 0 && ports.every((sp) => sp.protocol !== 'TCP')) {
    return {
      allowed: false,
      reason: `${via.host}${via.path} routes (${r.via}) to Service ${service.namespace}/${svcName} port ${ports.map(servicePortText).join(', ')}, which has no TCP port: an ingress controller connects over TCP`,
      decidedBy: [],
    };
  }
  return {
    allowed: false,
    reason: `${via.host}${via.path} routes (${r.via}) to Service ${service.namespace}/${svcName}, which does not select ${probe.to} on that port`,
    decidedBy: [],
  };
}

/** Text rendering of explain results (CLI `--format text`, fixtures). */
export function renderExplainText(probes: readonly Probe[], results: readonly ProbeResult[], file: (uri: string) => string): string {
  const out: string[] = [];
  results.forEach((r, i) => {
    const p = probes[i];
    if (p === undefined) return;
    const via =
      p.via === undefined
        ? ''
        : 'service' in p.via
          ? ` via Service ${p.via.service}:${p.via.port}${p.protocol !== undefined ? `/${p.protocol}` : ''}`
          : 'gateway' in p.via
            ? ` via Gateway ${p.via.gateway} ${'connection' in p.via ? connectionText(p.via) : `${'grpc' in p.via ? `${p.via.host} gRPC ${p.via.grpc.service}/${p.via.grpc.method}` : `${p.via.host}${p.via.path}`}${requestDetailsText(p.via)}${p.via.port === undefined ? '' : ` port ${p.via.port}`}`}`
            : ` via Ingress ${p.via.ingress} ${p.via.host}${p.via.path}`;
    const port = p.via === undefined ? ` ${p.protocol ?? 'TCP'}/${p.port ?? '?'}` : '';
    const verdictText = r.allowed === true ? 'allowed' : r.allowed === false ? 'denied' : 'undefined';
    out.push(`${p.from} -> ${p.to}${port}${via}: ${verdictText}`);
    out.push(`  ${r.reason}`);
    for (const d of r.decidedBy) out.push(`  ${file(d.file)}:${d.line + 1} ${d.description} (${d.rule})`);
  });
  return out.map((l) => l + '\n').join('');
}

export function explainJson(results: readonly ProbeResult[], file: (uri: string) => string): unknown {
  return {
    results: results.map((r) => ({
      allowed: r.allowed,
      reason: r.reason,
      decidedBy: r.decidedBy.map((d) => ({
        file: file(d.file),
        line: d.line,
        policy: d.policy,
        direction: d.direction,
        rule: d.rule,
        description: d.description,
        ...(d.tier === undefined ? {} : { tier: d.tier }),
      })),
    })),
  };
}
