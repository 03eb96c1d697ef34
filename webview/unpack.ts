/**
 * Reads the packed model the host posts (protocol/packedModel.ts) back into the `WireModel` it
 * was packed from. The message is untrusted: every index is checked against its table, every
 * number and flag against its range, and anything malformed drops the whole model (undefined).
 * Edge labels are made here from the port lists (`portsLabel`), as the host no longer sends them.
 */

import type { WireLocation } from '../protocol/lsp.js';
import { isRecord } from '../protocol/narrow.js';
import type {
  ObjectProblem,
  OverviewContainerPort,
  OverviewNamespace,
  OverviewPortTarget,
  OverviewSelection,
  OverviewService,
  OverviewWorkload,
} from '../protocol/overview.js';
import { routeKey } from '../protocol/graphGroups.js';
import { NODE_FLAGS, PACKED_MODEL_VERSION, portsLabel } from '../protocol/packedModel.js';
import {
  PANEL_VIEWS,
  type LayoutBox,
  type PanelEdge,
  type PanelLayout,
  type PanelNode,
  type PanelPortRange,
  type PanelScope,
  type PanelView,
} from '../protocol/panel.js';
import type { PanelGatewayRoute, PanelIngressEndpoint, PanelIngressRoute, PanelNoteFile, PanelPolicy } from '../protocol/reachability.js';
import type { WireModel } from '../protocol/webviewMessages.js';

/** Thrown inside the reader on the first malformed part; `unpackModel` turns it into undefined. */
class Malformed extends Error {}

const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function fail(): never {
  throw new Malformed();
}

function arr(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : fail();
}

function nat(v: unknown): number {
  return isNat(v) ? v : fail();
}

function num(v: unknown): number {
  return isNum(v) ? v : fail();
}

/** A flat list whose length is a multiple of `width`, read `width` entries at a time. */
function chunks<T>(v: unknown, width: number, read: (at: (k: number) => unknown) => T): T[] {
  const a = arr(v);
  if (a.length % width !== 0) fail();
  const out: T[] = [];
  for (let i = 0; i < a.length; i += width) out.push(read((k) => a[i + k]));
  return out;
}

class Reader {
  private readonly portLists: ReadonlyArray<readonly PanelPortRange[]>;
  /** Each shared port list's label, made once (thousands of connections share a few dozen lists). */
  private readonly portLabels: Array<string | undefined> = [];

  constructor(
    private readonly strings: readonly string[],
    portSets: unknown,
  ) {
    this.portLists = arr(portSets).map((set) =>
      chunks(set, 3, (at): PanelPortRange => {
        const end = at(2);
        return { protocol: this.s(at(0)), port: nat(at(1)), ...(end === -1 ? {} : { endPort: nat(end) }) };
      }),
    );
  }

  s(v: unknown): string {
    if (!isNat(v) || v >= this.strings.length) fail();
    return this.strings[v] as string;
  }

  /** -1 for absent. */
  opt(v: unknown): string | undefined {
    return v === -1 ? undefined : this.s(v);
  }

  ports(v: unknown): 'all' | readonly PanelPortRange[] {
    if (v === -1) return 'all';
    if (!isNat(v) || v >= this.portLists.length) fail();
    return this.portLists[v] as readonly PanelPortRange[];
  }

  map(v: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, x] of chunks(v, 2, (at) => [this.s(at(0)), this.s(at(1))] as const)) out[k] = x;
    return out;
  }

  location(v: unknown): WireLocation | undefined {
    const a = arr(v);
    if (a.length === 0) return undefined;
    if (a.length !== 5) fail();
    return {
      uri: this.s(a[0]),
      range: { start: { line: nat(a[1]), character: nat(a[2]) }, end: { line: nat(a[3]), character: nat(a[4]) } },
    };
  }

  required(v: unknown): WireLocation {
    return this.location(v) ?? fail();
  }

  problems(v: unknown): ObjectProblem[] {
    return chunks(v, 2, (at) => ({ code: this.s(at(0)), message: this.s(at(1)) }));
  }

  endpoints(v: unknown): PanelIngressEndpoint[] {
    return chunks(v, 3, (at) => {
      const a = at(2);
      return { node: this.s(at(0)), targetPort: nat(at(1)), allowed: a === 2 ? null : a === 1 ? true : a === 0 ? false : fail() };
    });
  }

  boxes(v: unknown): Array<[string, LayoutBox]> {
    return chunks(v, 5, (at) => [this.s(at(0)), { x: num(at(1)), y: num(at(2)), width: num(at(3)), height: num(at(4)) }]);
  }

  node(v: unknown): PanelNode {
    const a = arr(v);
    if (a.length !== 8) fail();
    const flags = nat(a[5]);
    const location = this.location(a[7]);
    const ports = this.ports(a[6]);
    return {
      id: this.s(a[0]),
      namespace: this.s(a[1]),
      kind: this.s(a[2]),
      name: this.s(a[3]),
      labels: this.map(a[4]),
      ports: ports === 'all' ? fail() : ports,
      entry: (flags & NODE_FLAGS.entry) !== 0,
      isolatedIngress: (flags & NODE_FLAGS.isolatedIngress) !== 0,
      isolatedEgress: (flags & NODE_FLAGS.isolatedEgress) !== 0,
      unreachable: (flags & NODE_FLAGS.unreachable) !== 0,
      ...(location !== undefined ? { location } : {}),
    };
  }

  /** The label of the port list at index `v` (`portsLabel`), made once per list. */
  private label(v: unknown, ports: 'all' | readonly PanelPortRange[]): string {
    if (ports === 'all' || !isNat(v)) return portsLabel(ports);
    return (this.portLabels[v] ??= portsLabel(ports));
  }

  /** Flat `[text, uri, …]`: the files the notes name. */
  noteFiles(v: unknown): PanelNoteFile[] {
    const flat = arr(v);
    if (flat.length % 2 !== 0) fail();
    const out: PanelNoteFile[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ text: this.s(flat[i]), uri: this.s(flat[i + 1]) });
    return out;
  }

  edges(v: unknown): PanelEdge[] {
    return chunks(v, 5, (at): PanelEdge => {
      const ports = this.ports(at(2));
      const verdict = at(3) === 0 ? 'allowed' : at(3) === 1 ? 'undefined' : fail();
      const reason = this.opt(at(4));
      return {
        from: this.s(at(0)),
        to: this.s(at(1)),
        ports,
        label: this.label(at(2), ports),
        verdict,
        ...(reason !== undefined ? { reason } : {}),
      };
    });
  }

  layout(v: unknown): PanelLayout | null {
    if (v === null) return null;
    if (!isRecord(v)) fail();
    const nodes: Record<string, LayoutBox> = {};
    for (const [k, b] of this.boxes(v['boxes'])) nodes[k] = b;
    let routes: Record<string, number[]> | undefined;
    if (v['routes'] !== undefined) {
      routes = {};
      for (const r of arr(v['routes'])) {
        const a = arr(r);
        // Two ends, then at least one point, each two numbers.
        if (a.length < 4 || a.length % 2 !== 0) fail();
        routes[routeKey(this.s(a[0]), this.s(a[1]))] = a.slice(2).map(num);
      }
    }
    return {
      width: num(v['width']),
      height: num(v['height']),
      groups: this.boxes(v['groups']).map(([name, b]) => ({ ...b, name })),
      nodes,
      ...(routes !== undefined ? { routes } : {}),
    };
  }

  policy(v: unknown): PanelPolicy {
    const a = arr(v);
    if (a.length !== 7) fail();
    const flags = nat(a[3]);
    const allows = a[5] === null ? undefined : chunks(a[5], 2, (at) => ({ from: this.s(at(0)), to: this.s(at(1)) }));
    return {
      key: this.s(a[0]),
      namespace: this.s(a[1]),
      name: this.s(a[2]),
      ingress: (flags & 1) !== 0,
      egress: (flags & 2) !== 0,
      selects: arr(a[4]).map((x) => this.s(x)),
      ...(allows !== undefined ? { allows } : {}),
      location: this.required(a[6]),
    };
  }

  ingressRoute(v: unknown): PanelIngressRoute {
    const a = arr(v);
    if (a.length !== 10) fail();
    const problems = this.problems(a[9]);
    return {
      ingress: this.s(a[0]),
      host: this.s(a[1]),
      path: this.s(a[2]),
      pathType: this.s(a[3]),
      service: this.opt(a[4]) ?? null,
      port: this.s(a[5]),
      endpoints: this.endpoints(a[6]),
      controller: this.opt(a[7]) ?? null,
      location: this.required(a[8]),
      ...(problems.length > 0 ? { problems } : {}),
    };
  }

  gatewayRoute(v: unknown): PanelGatewayRoute {
    const a = arr(v);
    if (a.length !== 10) fail();
    const problems = this.problems(a[9]);
    return {
      gateway: this.s(a[0]),
      route: this.s(a[1]),
      rule: nat(a[2]),
      matches: this.s(a[3]),
      service: this.s(a[4]),
      port: this.s(a[5]),
      endpoints: this.endpoints(a[6]),
      dataPlane: this.opt(a[7]) ?? null,
      location: this.required(a[8]),
      ...(problems.length > 0 ? { problems } : {}),
    };
  }

  workload(v: unknown): OverviewWorkload {
    const a = arr(v);
    if (a.length !== 7) fail();
    const ports = chunks(a[5], 3, (at): OverviewContainerPort => {
      const name = this.opt(at(0));
      return { containerPort: nat(at(1)), protocol: this.s(at(2)), ...(name !== undefined ? { name } : {}) };
    });
    return {
      id: this.s(a[0]),
      kind: this.s(a[1]),
      name: this.s(a[2]),
      namespace: this.s(a[3]),
      labels: this.map(a[4]),
      ports,
      location: this.required(a[6]),
    };
  }

  portTargets(v: unknown): OverviewPortTarget[] {
    return chunks(v, 6, (at): OverviewPortTarget => {
      const portName = this.opt(at(1));
      const kind = at(3);
      const targetPort = kind === 0 ? null : kind === 1 ? nat(at(4)) : kind === 2 ? this.s(at(4)) : fail();
      return {
        port: at(0) === -1 ? null : nat(at(0)),
        protocol: this.s(at(2)),
        targetPort,
        containerPort: at(5) === -1 ? null : nat(at(5)),
        ...(portName !== undefined ? { portName } : {}),
      };
    });
  }

  service(v: unknown): OverviewService {
    const a = arr(v);
    if (a.length !== 8) fail();
    const selects = arr(a[5]).map((x): OverviewSelection => {
      const sel = arr(x);
      if (sel.length !== 3) fail();
      const match = sel[1] === 0 ? 'yes' : sel[1] === 1 ? 'unknown' : fail();
      return { workloadId: this.s(sel[0]), match, ports: this.portTargets(sel[2]) };
    });
    const problems = this.problems(a[7]);
    return {
      id: this.s(a[0]),
      name: this.s(a[1]),
      namespace: this.s(a[2]),
      type: this.s(a[3]),
      selector: a[4] === null ? null : this.map(a[4]),
      selects,
      location: this.required(a[6]),
      ...(problems.length > 0 ? { problems } : {}),
    };
  }

  namespace(v: unknown): OverviewNamespace {
    const a = arr(v);
    if (a.length !== 3) fail();
    return { name: this.s(a[0]), workloads: arr(a[1]).map((w) => this.workload(w)), services: arr(a[2]).map((x) => this.service(x)) };
  }
}

export function parseScope(v: unknown): PanelScope | undefined {
  if (!isRecord(v)) return undefined;
  const { namespace, unit } = v;
  const isStr = (x: unknown): x is string => typeof x === 'string';
  if ((namespace !== undefined && !isStr(namespace)) || (unit !== undefined && !isStr(unit))) return undefined;
  return { ...(isStr(namespace) ? { namespace } : {}), ...(isStr(unit) ? { unit } : {}) };
}

export const isView = (v: unknown): v is PanelView => typeof v === 'string' && (PANEL_VIEWS as readonly string[]).includes(v);

/** The model a packed message carries, or undefined when anything in it is malformed. */
export function unpackModel(v: unknown): WireModel | undefined {
  if (!isRecord(v) || v['packed'] !== PACKED_MODEL_VERSION) return undefined;
  const scope = parseScope(v['scope']);
  const { initialView, revision } = v;
  if (scope === undefined || !isView(initialView) || !isNat(revision)) return undefined;
  try {
    const strings = arr(v['strings']).map((x) => (typeof x === 'string' ? x : fail()));
    const r = new Reader(strings, v['portSets']);
    return {
      scope,
      units: arr(v['units']).map((u) => r.s(u)),
      notes: arr(v['notes']).map((n) => r.s(n)),
      ...(v['noteFiles'] === undefined || v['noteFiles'] === null ? {} : { noteFiles: r.noteFiles(v['noteFiles']) }),
      nodes: arr(v['nodes']).map((n) => r.node(n)),
      edges: r.edges(v['edges']),
      layout: r.layout(v['layout']),
      policies: arr(v['policies']).map((p) => r.policy(p)),
      ingressRoutes: arr(v['ingressRoutes']).map((x) => r.ingressRoute(x)),
      gatewayRoutes: arr(v['gatewayRoutes']).map((x) => r.gatewayRoute(x)),
      overview: v['overview'] === null ? null : { namespaces: arr(v['overview']).map((ns) => r.namespace(ns)) },
      initialView,
      revision,
    };
  } catch (e) {
    if (e instanceof Malformed) return undefined;
    throw e;
  }
}
