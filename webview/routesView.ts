/**
 * The Routes view (pure): the Gateway API routes attached to each Gateway, beside the Ingress
 * view — per backend of each rule, the Service port and the pods behind it, marked where
 * NetworkPolicies block the Gateway's data plane (docs/dev/gateway-api.md §7). Manifest-derived
 * text goes through `h` (escaped when mounted); links go through `Links`.
 */

import type { PanelModel } from '../protocol/panel.js';
import type { PanelGatewayRoute } from '../protocol/reachability.js';
import { endpointList, Links, problemList } from './views.js';
import { h, rowsTable, type VElement, type VNode } from './vnode.js';

function endpointsCell(model: PanelModel, links: Links, r: PanelGatewayRoute): VNode {
  const byId = new Map(model.nodes.map((n) => [n.id, n] as const));
  if (r.endpoints.length === 0)
    return r.problems !== undefined && r.problems.length > 0
      ? problemList(r.problems)
      : h('span', { class: 'warn' }, `Service ${r.service} has no pod behind port ${r.port}`);
  return endpointList(byId, links, r.endpoints);
}

export function renderRoutes(model: PanelModel, links: Links): VElement {
  if (model.gatewayRoutes.length === 0)
    return h(
      'div',
      { class: 'ingress-view routes-view' },
      h('h2', {}, 'Gateway API routes'),
      h('p', { class: 'muted' }, 'No route attached to a Gateway of the manifests.'),
    );
  const row = (r: PanelGatewayRoute): VElement =>
    h(
      'tr',
      { class: r.endpoints.some((e) => e.allowed === false) ? 'blocked' : '' },
      h('td', {}, h('code', {}, r.gateway)),
      h('td', {}, links.link(`${r.route} rules[${r.rule}]`, r.location, `Open ${r.route} at this backendRef`)),
      h('td', {}, h('code', {}, r.matches)),
      h('td', {}, h('code', {}, `${r.service}:${r.port}`)),
      h(
        'td',
        {},
        endpointsCell(model, links, r),
        r.endpoints.length > 0 && r.problems !== undefined && r.problems.length > 0 ? problemList(r.problems) : undefined,
      ),
    );
  return h(
    'div',
    { class: 'ingress-view routes-view' },
    h('h2', {}, 'Gateway API routes'),
    h(
      'p',
      { class: 'muted' },
      "Gateway → route rule (hostnames · matches) → Service:port → pods and the targetPort the Gateway's data plane connects to; a backend that policies block is marked.",
    ),
    rowsTable('ingress', ['Gateway', 'Route', 'Hostnames · matches', 'Service:port', 'Pods (targetPort)'], model.gatewayRoutes.map(row)),
  );
}
