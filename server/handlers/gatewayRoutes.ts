/**
 * The panel's Routes view (`kubeReach/reachabilityContext` `gatewayRoutes`): per Gateway, each
 * backend of each route attached to it (analysis/reachability/gatewayRouting.ts), the pods behind
 * its Service port, and whether NetworkPolicies let the Gateway's data plane connect to each
 * (docs/dev/gateway-api.md §7). Pure over a snapshot and its engine.
 */

import type { Analysis } from '../../analysis/index.js';
import { hasBit } from '../../analysis/index.js';
import type { ReachEngine } from '../../analysis/index.js';
import { gatewayTargets } from '../../analysis/index.js';
import { serviceEndpoints } from '../../analysis/index.js';
import { servicePortText } from '../../analysis/index.js';
import type { RouteMatch } from '../../analysis/index.js';
import type { Span } from '../../analysis/index.js';
import type { WireLocation } from '../../protocol/lsp.js';
import type { PanelGatewayRoute, PanelIngressEndpoint } from '../../protocol/reachability.js';
import { problemsIn } from './problems.js';

function location(analysis: Analysis, uri: string, span: Span): WireLocation {
  return { uri, range: { start: analysis.positionAt(uri, span.start), end: analysis.positionAt(uri, span.end) } };
}

function matchWords(m: RouteMatch): string {
  const parts = [`${m.pathType} ${m.path}`];
  if (m.method !== undefined) parts.push(m.method);
  for (const h of m.headers) parts.push(`header ${h.name}${h.type === 'Exact' ? '=' : '~'}${h.value}`);
  for (const q of m.queryParams) parts.push(`?${q.name}${q.type === 'Exact' ? '=' : '~'}${q.value}`);
  return parts.join(' ');
}

export function gatewayRouteRows(analysis: Analysis, engine: ReachEngine): PanelGatewayRoute[] {
  const out: PanelGatewayRoute[] = [];
  const keys = engine.gathering.gathered.gateways
    .map((g) => `${g.namespace}/${g.placed.obj.name?.known === true ? g.placed.obj.name.value : '?'}`)
    .sort();
  for (const key of keys) {
    const dpIndex = engine.model.gatewayDataPlanes.get(key)?.[0];
    const dp = dpIndex === undefined ? undefined : engine.classes[dpIndex];
    for (const t of gatewayTargets(engine, key)) {
      const o = t.placed.obj;
      const rule = o.route?.rules[t.rule];
      const hosts = (o.route?.hostnames ?? []).map((h) => (h.known ? h.value : '(templated)'));
      const matches =
        rule === undefined || rule.matchesUnknown
          ? o.kind === 'HTTPRoute'
            ? '(templated)'
            : ''
          : rule.matches.map(matchWords).join(' | ');
      const words = [hosts.length > 0 ? hosts.join(', ') : '*', matches === '' && o.kind === 'HTTPRoute' ? 'PathPrefix /' : matches]
        .filter((x) => x !== '')
        .join(' · ');
      const endpoints: PanelIngressEndpoint[] = [];
      const seen = new Set<string>();
      for (const ep of serviceEndpoints(engine, t.service, t.port).endpoints) {
        const dst = engine.classes[ep.cls];
        if (dst === undefined || seen.has(`${dst.node}:${ep.port}`)) continue;
        seen.add(`${dst.node}:${ep.port}`);
        let allowed: boolean | null = null;
        if (dp !== undefined && !t.maybe && !ep.maybe) {
          const v = engine.pair({ kind: 'class', index: dp.index }, { kind: 'class', index: ep.cls });
          const atom = engine.space.atomOf(ep.protocol, ep.port);
          allowed = hasBit(v.yes, atom) ? true : hasBit(v.maybe, atom) ? null : false;
        }
        endpoints.push({ node: dst.node, targetPort: ep.port, allowed });
      }
      const problems = problemsIn(analysis, o.uri, t.refSpan);
      out.push({
        gateway: key,
        route: t.route,
        rule: t.rule,
        matches: words,
        service: `${t.service.namespace}/${t.service.placed.obj.name?.known === true ? t.service.placed.obj.name.value : '?'}`,
        port: servicePortText(t.port),
        endpoints,
        dataPlane: dp?.node ?? null,
        location: location(analysis, o.uri, t.refSpan),
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
  }
  return out;
}
