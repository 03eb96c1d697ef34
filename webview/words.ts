/**
 * The panel's words for what it shows: nodes as a person names them ("the nginx ingress
 * controller's pods", "shop/frontend", "any address outside the cluster"), never internal ids
 * such as `{ingress-controller}`, and counts with their plural ("1 workload · 2 connections").
 * Pure; the same wording as the engine's explanations (analysis/reachability/engine.ts classWords).
 */

import type { PanelNode } from '../protocol/panel.js';

/** `1 workload`, `2 workloads`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const WHOLE_V4 = '0.0.0.0-255.255.255.255';
const WHOLE_V6 = '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';

/** A node in the user's words. */
export function nodeWords(n: PanelNode): string {
  switch (n.kind) {
    case 'IngressController':
      return `the ${n.name} ingress controller's pods`;
    case 'GatewayDataPlane':
      return `the data-plane pods of Gateway ${n.name}`;
    case 'External':
      return n.name === WHOLE_V4 || n.name === WHOLE_V6 ? 'any address outside the cluster' : `addresses ${n.name}`;
    default:
      return n.namespace === '' ? n.name : `${n.namespace}/${n.name}`;
  }
}

/** A node id in the user's words when the node is known, else the id as it is. */
export function idWords(byId: ReadonlyMap<string, PanelNode>, id: string): string {
  const n = byId.get(id);
  return n === undefined ? id : nodeWords(n);
}

/**
 * An explanation from the engine (`kube-reach explain`'s reason, which names workloads by id:
 * `ingress of shop-data/postgres[StatefulSet] allows TCP/5432 from shop/api[Deployment]`) with the
 * workloads the panel knows in the user's words (`… from shop/api`); other text as it is.
 */
export function reasonWords(reason: string, byId: ReadonlyMap<string, PanelNode>): string {
  return reason.replace(/[^\s;,()]+\[[A-Za-z]+\]/g, (id) => idWords(byId, id));
}
