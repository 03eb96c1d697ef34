/**
 * The panel's filters and probe box, as pure functions over the model (tested in Node and in
 * Chromium): namespace, label, port/protocol, only-denied, one policy ("what this policy allows").
 */

import type { ExplainProbe } from '../protocol/lsp.js';
import type { PanelEdge, PanelFilters, PanelModel, PanelNode, PanelPortRange } from '../protocol/panel.js';
import type { PanelPolicy } from '../protocol/reachability.js';

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

/** The edges "this policy allows": connections into pods it isolates for ingress, out of pods it isolates for egress. */
export function policyGoverns(p: PanelPolicy, e: PanelEdge): boolean {
  return (p.ingress && p.selects.includes(e.to)) || (p.egress && p.selects.includes(e.from));
}

export interface Filtered {
  readonly nodes: readonly PanelNode[];
  readonly edges: readonly PanelEdge[];
  /** Nodes the active label or policy filter picks out. */
  readonly highlighted: ReadonlySet<string>;
  readonly policy: PanelPolicy | undefined;
  readonly portQuery: PortQuery | undefined;
}

/** A pair is "denied" somewhere when not every port is allowed. */
export function isRestricted(e: PanelEdge): boolean {
  return e.verdict === 'undefined' || e.ports !== 'all';
}

export function applyFilters(model: PanelModel, f: PanelFilters): Filtered {
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  const policy = f.policy === '' ? undefined : model.policies.find((p) => p.key === f.policy);
  const portQuery = parsePortQuery(f.port);
  const highlighted = new Set<string>();
  const labelText = f.label.trim();
  if (labelText !== '') for (const n of model.nodes) if (!n.entry && labelMatches(n, labelText)) highlighted.add(n.id);
  if (policy !== undefined) for (const id of policy.selects) highlighted.add(id);
  const inNs = (id: string): boolean => f.namespace === '' || byId.get(id)?.namespace === f.namespace;
  const edges = model.edges.filter((e) => {
    if (f.namespace !== '' && !inNs(e.from) && !inNs(e.to)) return false;
    if (labelText !== '' && !highlighted.has(e.from) && !highlighted.has(e.to)) return false;
    if (portQuery !== undefined && !portsMatch(e.ports, portQuery)) return false;
    if (f.onlyDenied && !isRestricted(e)) return false;
    if (policy !== undefined && !policyGoverns(policy, e)) return false;
    return true;
  });
  const keep = new Set<string>();
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
  return { nodes, edges, highlighted, policy, portQuery };
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
