/**
 * The panel's filters and probe box, as pure functions over the model (tested in Node and in
 * Chromium): namespace, label, port/protocol, only-denied, one policy ("what this policy allows").
 */

import type { ExplainProbe } from '../protocol/lsp.js';
import type { PanelEdge, PanelFilters, PanelModel, PanelNode, PanelPortRange } from '../protocol/panel.js';
import type { PanelPolicy } from '../protocol/reachability.js';
import { plural } from './words.js';

export const NO_FILTERS: PanelFilters = { namespace: '', label: '', port: '', onlyDenied: false, policy: '' };

export interface PortQuery {
  readonly protocol: string | undefined;
  readonly port: number | undefined;
}

/** `5432`, `TCP/5432`, `udp 53`, `5432/tcp`, `SCTP`; undefined when not a port query. */
export function parsePortQuery(text: string): PortQuery | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  let m = /^(tcp|udp|sctp)?[\s/:]*(\d{1,5})?$/i.exec(t);
  if (m !== null && (m[1] !== undefined || m[2] !== undefined))
    return { protocol: m[1]?.toUpperCase(), port: m[2] === undefined ? undefined : Number(m[2]) };
  m = /^(\d{1,5})\s*\/\s*(tcp|udp|sctp)$/i.exec(t);
  if (m !== null) return { protocol: m[2]?.toUpperCase(), port: Number(m[1]) };
  return undefined;
}

export function portsMatch(ports: 'all' | readonly PanelPortRange[], q: PortQuery): boolean {
  if (ports === 'all') return true;
  return ports.some(
    (p) =>
      (q.protocol === undefined || p.protocol === q.protocol) &&
      (q.port === undefined || (q.port >= p.port && q.port <= (p.endPort ?? p.port))),
  );
}

export function labelMatches(n: PanelNode, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === '') return true;
  if (n.name.toLowerCase().includes(t)) return true;
  return Object.entries(n.labels).some(([k, v]) => `${k}=${v}`.toLowerCase().includes(t));
}

function pairKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/**
 * "What this policy allows": the connections the server says it allows (`PanelPolicy.allows`, the
 * list its code lens counts); on workspaces too big for that list, the connections into pods it
 * isolates for ingress and out of pods it isolates for egress.
 */
export function policyFilter(p: PanelPolicy): (e: { readonly from: string; readonly to: string }) => boolean {
  if (p.allows !== undefined) {
    const keys = new Set(p.allows.map((a) => pairKey(a.from, a.to)));
    return (e) => keys.has(pairKey(e.from, e.to));
  }
  const selects = new Set(p.selects);
  return (e) => (p.ingress && selects.has(e.to)) || (p.egress && selects.has(e.from));
}

/** A pair of nodes between which policies deny something: everything, or all but `allowed`. */
export interface DeniedPair {
  readonly from: string;
  readonly to: string;
  /** What is still allowed (`TCP 8080`) when only part is denied; undefined when everything is. */
  readonly allowed: string | undefined;
}

export interface Filtered {
  readonly nodes: readonly PanelNode[];
  readonly edges: readonly PanelEdge[];
  /** Nodes the active label or policy filter picks out. */
  readonly highlighted: ReadonlySet<string>;
  readonly policy: PanelPolicy | undefined;
  readonly portQuery: PortQuery | undefined;
  /** With "only denied": the pairs policies deny something between (what the graph draws then). */
  readonly denied: readonly DeniedPair[];
  /** Distinct (from, to) pairs among `edges` (or `denied` with "only denied"): the count the summary gives. */
  readonly pairs: number;
}

export function applyFilters(model: PanelModel, f: PanelFilters): Filtered {
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  const policy = f.policy === '' ? undefined : model.policies.find((p) => p.key === f.policy);
  const governs = policy === undefined ? undefined : policyFilter(policy);
  const portQuery = parsePortQuery(f.port);
  const highlighted = new Set<string>();
  const labelText = f.label.trim();
  if (labelText !== '') for (const n of model.nodes) if (!n.entry && labelMatches(n, labelText)) highlighted.add(n.id);
  if (policy !== undefined) for (const id of policy.selects) highlighted.add(id);
  const inNs = (id: string): boolean => f.namespace === '' || byId.get(id)?.namespace === f.namespace;
  const ends = (from: string, to: string): boolean => {
    if (f.namespace !== '' && !inNs(from) && !inNs(to)) return false;
    if (labelText !== '' && !highlighted.has(from) && !highlighted.has(to)) return false;
    return true;
  };
  // "Only denied" keeps every edge for the matrix (its cells must stay true) and lists the denied pairs.
  const edges = model.edges.filter((e) => {
    if (!ends(e.from, e.to)) return false;
    if (portQuery !== undefined && !portsMatch(e.ports, portQuery)) return false;
    if (governs !== undefined && !governs(e)) return false;
    return true;
  });
  let denied: readonly DeniedPair[] = [];
  const keep = new Set<string>();
  if (f.onlyDenied) {
    denied = deniedPairs(model).filter((d) => {
      if (!ends(d.from, d.to)) return false;
      if (portQuery !== undefined && !deniesPort(model, d, portQuery)) return false;
      if (
        policy !== undefined &&
        !((policy.ingress && policy.selects.includes(d.to)) || (policy.egress && policy.selects.includes(d.from)))
      )
        return false;
      return true;
    });
    for (const d of denied) {
      keep.add(d.from);
      keep.add(d.to);
    }
  } else
    for (const e of edges) {
      keep.add(e.from);
      keep.add(e.to);
    }
  const anyFilter = labelText !== '' || portQuery !== undefined || f.onlyDenied || policy !== undefined;
  const nodes = model.nodes.filter((n) => {
    if (keep.has(n.id)) return true;
    if (highlighted.has(n.id)) return f.namespace === '' || n.namespace === f.namespace;
    if (anyFilter) return false;
    return f.namespace === '' ? true : n.namespace === f.namespace;
  });
  const pairs = f.onlyDenied ? denied.length : new Set(edges.map((e) => pairKey(e.from, e.to))).size;
  return { nodes, edges, highlighted, policy, portQuery, denied, pairs };
}

/** Whether a denied pair denies (some of) the port the query names. */
function deniesPort(model: PanelModel, d: DeniedPair, q: PortQuery): boolean {
  if (d.allowed === undefined) return true;
  return !model.edges.some((e) => e.from === d.from && e.to === d.to && e.verdict === 'allowed' && portsMatch(e.ports, q));
}

/**
 * The pairs between which policies deny something: a workload or external range to a workload
 * isolated for ingress, a workload isolated for egress to anything, and an ingress controller to a
 * backend of its routes that policies block. A pair with every port allowed is not denied;
 * one with some ports allowed is denied "all but" those.
 */
export function deniedPairs(model: PanelModel): readonly DeniedPair[] {
  const known = deniedMemo.get(model);
  if (known !== undefined) return known;
  const out = computeDeniedPairs(model);
  deniedMemo.set(model, out);
  return out;
}

/** One list per model: the filters ask again on every keystroke. */
const deniedMemo = new WeakMap<PanelModel, readonly DeniedPair[]>();

function computeDeniedPairs(model: PanelModel): DeniedPair[] {
  const allowedAll = new Set<string>();
  const allowedPart = new Map<string, PanelEdge[]>();
  for (const e of model.edges) {
    const k = pairKey(e.from, e.to);
    if (e.verdict !== 'allowed') continue;
    if (e.ports === 'all') allowedAll.add(k);
    else {
      const list = allowedPart.get(k);
      if (list === undefined) allowedPart.set(k, [e]);
      else list.push(e);
    }
  }
  const undefinedPairs = new Set(model.edges.filter((e) => e.verdict === 'undefined').map((e) => pairKey(e.from, e.to)));
  const out: DeniedPair[] = [];
  const push = (from: string, to: string): void => {
    const k = pairKey(from, to);
    if (allowedAll.has(k) || undefinedPairs.has(k)) return;
    const part = allowedPart.get(k);
    out.push({ from, to, allowed: part === undefined ? undefined : part.map((e) => e.label).join('; ') });
  };
  const sources = model.nodes.filter((n) => !n.entry || n.kind === 'External');
  const targets = sources;
  for (const a of sources)
    for (const b of targets) {
      if (a.id === b.id || (a.entry && b.entry)) continue;
      if ((!b.entry && b.isolatedIngress) || (!a.entry && a.isolatedEgress)) push(a.id, b.id);
    }
  const seen = new Set<string>();
  for (const r of model.ingressRoutes)
    for (const ep of r.endpoints) {
      if (r.controller === null || ep.allowed !== false) continue;
      const k = pairKey(r.controller, ep.node);
      if (seen.has(k)) continue;
      seen.add(k);
      push(r.controller, ep.node);
    }
  return out;
}

/** `6 workloads · 28 connections`, `1 workload · 1 connection allowed by shop/frontend-from-ingress`, `… · 3 denied pairs`. */
export function summaryText(m: PanelModel, f: Filtered, onlyDenied: boolean): string {
  const workloads = plural(f.nodes.filter((n) => !n.entry).length, 'workload');
  const what = onlyDenied ? plural(f.pairs, 'denied pair') : plural(f.pairs, 'connection');
  let policy = '';
  if (f.policy !== undefined)
    policy = onlyDenied ? ` isolated by ${f.policy.key}` : ` ${f.policy.allows !== undefined ? 'allowed' : 'governed'} by ${f.policy.key}`;
  return `${workloads} · ${what}${policy}${m.scope.unit !== undefined ? ` · unit ${m.scope.unit}` : ''}`;
}

/** Resolves what a person types to a node id: the id itself, `ns/name`, or a unique name. */
export function resolveNode(model: PanelModel, text: string): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return t;
  const exact = model.nodes.find((n) => n.id === t);
  if (exact !== undefined) return exact.id;
  const lower = t.toLowerCase();
  const byNsName = model.nodes.find((n) => `${n.namespace}/${n.name}`.toLowerCase() === lower);
  if (byNsName !== undefined) return byNsName.id;
  const byName = model.nodes.filter((n) => n.name.toLowerCase() === lower);
  if (byName.length >= 1) return byName[0]?.id;
  const partial = model.nodes.filter((n) => n.id.toLowerCase().includes(lower));
  return partial.length === 1 ? partial[0]?.id : undefined;
}

export type ProbeParse = { readonly ok: true; readonly probe: ExplainProbe } | { readonly ok: false; readonly error: string };

/** "from frontend to db on 5432", "frontend -> db 5432/udp", "shop/api to 10.0.0.1 port tcp 443". */
export function parseProbe(model: PanelModel, text: string): ProbeParse {
  const m =
    /^\s*(?:from\s+)?(\S+)\s+(?:to|->|→)\s+(\S+)\s+(?:on\s+|port\s+|:\s*)?(?:(tcp|udp|sctp)[\s/]*)?(\d{1,5})(?:\s*\/\s*(tcp|udp|sctp))?\s*$/i.exec(
      text,
    );
  if (m === null) return { ok: false, error: 'Write it as: from frontend to db on 5432 (optionally udp 53).' };
  const from = resolveNode(model, m[1] ?? '');
  const to = resolveNode(model, m[2] ?? '');
  if (from === undefined) return { ok: false, error: `No workload matches "${m[1] ?? ''}".` };
  if (to === undefined) return { ok: false, error: `No workload matches "${m[2] ?? ''}".` };
  const port = Number(m[4]);
  if (port < 1 || port > 65535) return { ok: false, error: `${port} is not a port number.` };
  const protocol = (m[3] ?? m[5] ?? 'TCP').toUpperCase();
  return { ok: true, probe: { from, to, port, protocol } };
}

/** Probes that explain one pair: its port ranges' first ports, else the destination's container ports, else TCP 80. */
export function probesForPair(model: PanelModel, from: string, to: string, edges: readonly PanelEdge[]): ExplainProbe[] {
  const out: ExplainProbe[] = [];
  const seen = new Set<string>();
  const add = (protocol: string, port: number): void => {
    const k = `${protocol}/${port}`;
    if (seen.has(k) || out.length >= 4) return;
    seen.add(k);
    out.push({ from, to, port, protocol });
  };
  for (const e of edges) if (e.ports !== 'all') for (const p of e.ports) add(p.protocol, p.port);
  const dst = model.nodes.find((n) => n.id === to);
  for (const p of dst?.ports ?? []) add(p.protocol, p.port);
  if (out.length === 0) add('TCP', 80);
  return out;
}
