/**
 * The panel model as the host posts it to the webview (issue #16): every string once in a table,
 * objects as tuples of numbers, connections as one flat array of indices, port lists shared, and
 * the text the webview can work out (an edge's `TCP 8080` label) left out. The model of the
 * 1,068-manifest panel benchmark is a fifth of its JSON size this way (1.20 MB → 255 KB).
 *
 * `packModel` (`postedMessage`, called by the host in client/panel/panel.ts) and `portsLabel` are pure and shared; the webview
 * reads a packed model with webview/unpack.ts, which validates every index (the message is
 * untrusted) and gives back the `WireModel` that `packModel` was given.
 */

import type { WireLocation } from './lsp.js';
import type { ObjectProblem, OverviewNamespace, OverviewPortTarget, WorkspaceOverview } from './overview.js';
import type { LayoutBox, PanelPortRange, PanelScope, PanelView } from './panel.js';
import type { PanelGatewayRoute, PanelIngressEndpoint, PanelIngressRoute, PanelPolicy } from './reachability.js';
import type { HostMessage, WireModel } from './webviewMessages.js';
import { ROUTE_SEP } from './graphGroups.js';
import type { PackedDelta } from './packedDelta.js';

/** Bumped whenever the packed form changes: a webview drops a model of another version. */
export const PACKED_MODEL_VERSION = 1;

/** `[uri, start line, start character, end line, end character]`; `[]` for none. */
export type PackedLocation = readonly number[];

/**
 * A node: `[id, namespace, kind, name, labels, flags, ports, location]` with `labels` the flat
 * list `[key, value, …]` of string indices, `flags` the bits of `NODE_FLAGS` and `ports` an index
 * into `portSets`.
 */
export type PackedNode = readonly [number, number, number, number, readonly number[], number, number, PackedLocation];

/** `[key, namespace, name, flags (1 ingress, 2 egress), selects, allows, location]`; `allows` flat `[from, to, …]` or null. */
export type PackedPolicy = readonly [number, number, number, number, readonly number[], readonly number[] | null, PackedLocation];

/** Flat, 3 per endpoint: `[node, targetPort, allowed (0 no, 1 yes, 2 undefined), …]`. */
export type PackedEndpoints = readonly number[];

/** `[ingress, host, path, pathType, service (-1: null), port, endpoints, controller (-1: null), location, problems]`; problems flat `[code, message, …]`. */
export type PackedIngressRoute = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  PackedEndpoints,
  number,
  PackedLocation,
  readonly number[],
];

/** `[gateway, route, rule, matches, service, port, endpoints, dataPlane (-1: null), location, problems]`. */
export type PackedGatewayRoute = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  PackedEndpoints,
  number,
  PackedLocation,
  readonly number[],
];

/** `[id, kind, name, namespace, labels, ports, location]`; ports flat `[name (-1: none), containerPort, protocol, …]`. */
export type PackedWorkload = readonly [number, number, number, number, readonly number[], readonly number[], PackedLocation];

/**
 * `[id, name, namespace, type, selector (flat, or null), selects, location, problems]`; each
 * selection `[workloadId, match (0 yes, 1 unknown), ports]` with ports flat, 6 per port: port
 * (-1: null), portName (-1: none), protocol, targetPort kind (0 null, 1 number, 2 name),
 * targetPort (the number or the name's string index; 0 for null), containerPort (-1: null).
 */
export type PackedService = readonly [
  number,
  number,
  number,
  number,
  readonly number[] | null,
  ReadonlyArray<readonly [number, number, readonly number[]]>,
  PackedLocation,
  readonly number[],
];

export type PackedNamespace = readonly [number, readonly PackedWorkload[], readonly PackedService[]];

export interface PackedLayout {
  readonly width: number;
  readonly height: number;
  /** Flat, 5 per group: `[name, x, y, width, height, …]`. */
  readonly groups: readonly number[];
  /** Flat, 5 per box: `[key, x, y, width, height, …]` (a node id or a junction's key). */
  readonly boxes: readonly number[];
  /** One per routed connection: `[from, to, x, y, x, y, …]` (`PanelLayout.routes`). */
  readonly routes?: ReadonlyArray<readonly number[]>;
}

export interface PackedModel {
  readonly packed: typeof PACKED_MODEL_VERSION;
  readonly strings: readonly string[];
  readonly scope: PanelScope;
  readonly units: readonly number[];
  readonly notes: readonly number[];
  /** Flat, 2 per file a note names: `[text, uri, …]`. Omitted: none. */
  readonly noteFiles?: readonly number[];
  /** Port lists, each flat `[protocol, port, endPort (-1: none), …]`. */
  readonly portSets: ReadonlyArray<readonly number[]>;
  readonly nodes: readonly PackedNode[];
  /** Flat, 5 per connection: `[from, to, ports (-1: all), verdict (0 allowed, 1 undefined), reason (-1: none), …]`. */
  readonly edges: readonly number[];
  readonly layout: PackedLayout | null;
  readonly policies: readonly PackedPolicy[];
  readonly ingressRoutes: readonly PackedIngressRoute[];
  readonly gatewayRoutes: readonly PackedGatewayRoute[];
  /** Null: the same overview as in the last model posted to this webview. */
  readonly overview: readonly PackedNamespace[] | null;
  readonly initialView: PanelView;
  readonly revision: number;
}

/** A host message as posted: a model goes packed, every other message as it is. */
export type PostedHostMessage =
  Exclude<HostMessage, { readonly kind: 'model' }> | { readonly kind: 'model'; readonly model: PackedModel | PackedDelta };

/** The message the host posts for a host message: the model packed. */
export function postedMessage(message: HostMessage): PostedHostMessage {
  return message.kind === 'model' ? { kind: 'model', model: packModel(message.model) } : message;
}

/** The bits of a packed node's flags. */
export const NODE_FLAGS = { entry: 1, isolatedIngress: 2, isolatedEgress: 4, unreachable: 8 } as const;

/** `TCP 8080,9090; UDP 53` or `all`: an edge's label, made where it is shown. */
export function portsLabel(ports: 'all' | readonly PanelPortRange[]): string {
  if (ports === 'all') return 'all';
  const byProto = new Map<string, string[]>();
  for (const p of ports) {
    let list = byProto.get(p.protocol);
    if (list === undefined) byProto.set(p.protocol, (list = []));
    list.push(p.endPort !== undefined && p.endPort !== p.port ? `${p.port}-${p.endPort}` : String(p.port));
  }
  return [...byProto].map(([proto, list]) => `${proto} ${list.join(',')}`).join('; ');
}

class Packer {
  readonly strings: string[] = [];
  private readonly index = new Map<string, number>();
  readonly portSets: number[][] = [];
  private readonly portIndex = new Map<string, number>();

  /** Starts from `seed`'s tables: their strings and port lists keep their indices. */
  constructor(seed?: PackedModel) {
    if (seed === undefined) return;
    for (const v of seed.strings) this.s(v);
    for (const set of seed.portSets) {
      this.portIndex.set(set.join(','), this.portSets.length);
      this.portSets.push([...set]);
    }
  }

  s(v: string): number {
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(v);
      this.index.set(v, i);
    }
    return i;
  }

  opt(v: string | null | undefined): number {
    return v === null || v === undefined ? -1 : this.s(v);
  }

  ports(ports: 'all' | readonly PanelPortRange[]): number {
    if (ports === 'all') return -1;
    const flat: number[] = [];
    for (const p of ports) flat.push(this.s(p.protocol), p.port, p.endPort ?? -1);
    const key = flat.join(',');
    let i = this.portIndex.get(key);
    if (i === undefined) {
      i = this.portSets.length;
      this.portSets.push(flat);
      this.portIndex.set(key, i);
    }
    return i;
  }

  map(m: Readonly<Record<string, string>>): number[] {
    const out: number[] = [];
    for (const [k, v] of Object.entries(m)) out.push(this.s(k), this.s(v));
    return out;
  }

  location(l: WireLocation | undefined): PackedLocation {
    if (l === undefined) return [];
    const r = l.range;
    return [this.s(l.uri), r.start.line, r.start.character, r.end.line, r.end.character];
  }

  problems(list: readonly ObjectProblem[] | undefined): number[] {
    const out: number[] = [];
    for (const p of list ?? []) out.push(this.s(p.code), this.s(p.message));
    return out;
  }

  endpoints(list: readonly PanelIngressEndpoint[]): number[] {
    const out: number[] = [];
    for (const e of list) out.push(this.s(e.node), e.targetPort, e.allowed === null ? 2 : e.allowed ? 1 : 0);
    return out;
  }

  boxes(entries: Iterable<[string, LayoutBox]>): number[] {
    const out: number[] = [];
    for (const [k, b] of entries) out.push(this.s(k), b.x, b.y, b.width, b.height);
    return out;
  }

  policy(p: PanelPolicy): PackedPolicy {
    let allows: number[] | null = null;
    if (p.allows !== undefined) {
      allows = [];
      for (const a of p.allows) allows.push(this.s(a.from), this.s(a.to));
    }
    return [
      this.s(p.key),
      this.s(p.namespace),
      this.s(p.name),
      (p.ingress ? 1 : 0) | (p.egress ? 2 : 0),
      p.selects.map((x) => this.s(x)),
      allows,
      this.location(p.location),
    ];
  }

  ingressRoute(r: PanelIngressRoute): PackedIngressRoute {
    return [
      this.s(r.ingress),
      this.s(r.host),
      this.s(r.path),
      this.s(r.pathType),
      this.opt(r.service),
      this.s(r.port),
      this.endpoints(r.endpoints),
      this.opt(r.controller),
      this.location(r.location),
      this.problems(r.problems),
    ];
  }

  gatewayRoute(r: PanelGatewayRoute): PackedGatewayRoute {
    return [
      this.s(r.gateway),
      this.s(r.route),
      r.rule,
      this.s(r.matches),
      this.s(r.service),
      this.s(r.port),
      this.endpoints(r.endpoints),
      this.opt(r.dataPlane),
      this.location(r.location),
      this.problems(r.problems),
    ];
  }

  portTargets(list: readonly OverviewPortTarget[]): number[] {
    const out: number[] = [];
    for (const t of list) {
      const tp = t.targetPort;
      out.push(
        t.port ?? -1,
        this.opt(t.portName),
        this.s(t.protocol),
        tp === null ? 0 : typeof tp === 'number' ? 1 : 2,
        tp === null ? 0 : typeof tp === 'number' ? tp : this.s(tp),
        t.containerPort ?? -1,
      );
    }
    return out;
  }

  namespace(ns: OverviewNamespace): PackedNamespace {
    return [
      this.s(ns.name),
      ns.workloads.map((w): PackedWorkload => {
        const ports: number[] = [];
        for (const p of w.ports) ports.push(this.opt(p.name), p.containerPort, this.s(p.protocol));
        return [this.s(w.id), this.s(w.kind), this.s(w.name), this.s(w.namespace), this.map(w.labels), ports, this.location(w.location)];
      }),
      ns.services.map((v): PackedService => [
        this.s(v.id),
        this.s(v.name),
        this.s(v.namespace),
        this.s(v.type),
        v.selector === null ? null : this.map(v.selector),
        v.selects.map((sel) => [this.s(sel.workloadId), sel.match === 'yes' ? 0 : 1, this.portTargets(sel.ports)] as const),
        this.location(v.location),
        this.problems(v.problems),
      ]),
    ];
  }
}

/**
 * The packed form of a model (what the host posts); webview/unpack.ts gives the model back. With
 * `seed` (the model posted before) its strings and port lists keep their indices and new ones are
 * added after them, so a model posted as a change from it (protocol/packedDelta.ts) differs from
 * it only where the model does.
 */
export function packModel(model: WireModel, seed?: PackedModel): PackedModel {
  const p = new Packer(seed);
  const nodes = model.nodes.map((n): PackedNode => [
    p.s(n.id),
    p.s(n.namespace),
    p.s(n.kind),
    p.s(n.name),
    p.map(n.labels),
    (n.entry ? NODE_FLAGS.entry : 0) |
      (n.isolatedIngress ? NODE_FLAGS.isolatedIngress : 0) |
      (n.isolatedEgress ? NODE_FLAGS.isolatedEgress : 0) |
      (n.unreachable ? NODE_FLAGS.unreachable : 0),
    p.ports(n.ports),
    p.location(n.location),
  ]);
  const edges: number[] = [];
  for (const e of model.edges) edges.push(p.s(e.from), p.s(e.to), p.ports(e.ports), e.verdict === 'allowed' ? 0 : 1, p.opt(e.reason));
  const l = model.layout;
  const layout: PackedLayout | null =
    l === null
      ? null
      : {
          width: l.width,
          height: l.height,
          groups: p.boxes(l.groups.map((g) => [g.name, g] as [string, LayoutBox])),
          boxes: p.boxes(Object.entries(l.nodes)),
          ...(l.routes !== undefined
            ? {
                routes: Object.entries(l.routes).map(([key, pts]) => {
                  const [from = '', to = ''] = key.split(ROUTE_SEP);
                  return [p.s(from), p.s(to), ...pts];
                }),
              }
            : {}),
        };
  const policies = model.policies.map((x) => p.policy(x));
  const ingressRoutes = model.ingressRoutes.map((r) => p.ingressRoute(r));
  const gatewayRoutes = model.gatewayRoutes.map((r) => p.gatewayRoute(r));
  const overview = model.overview === null ? null : packOverview(p, model.overview);
  return {
    packed: PACKED_MODEL_VERSION,
    strings: p.strings,
    scope: model.scope,
    units: model.units.map((u) => p.s(u)),
    notes: model.notes.map((n) => p.s(n)),
    ...(model.noteFiles !== undefined ? { noteFiles: model.noteFiles.flatMap((f) => [p.s(f.text), p.s(f.uri)]) } : {}),
    portSets: p.portSets,
    nodes,
    edges,
    layout,
    policies,
    ingressRoutes,
    gatewayRoutes,
    overview,
    initialView: model.initialView,
    revision: model.revision,
  };
}

function packOverview(p: Packer, o: WorkspaceOverview): PackedNamespace[] {
  return o.namespaces.map((ns) => p.namespace(ns));
}
