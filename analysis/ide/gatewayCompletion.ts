/**
 * Completion of workspace values in Gateway API routes (docs/dev/design.md §4,
 * docs/dev/gateway-api.md): Gateway names, listener sectionNames and ports in `parentRefs`, Service
 * names and ports in `backendRefs`, as the route sees them (its namespace, or the `namespace`
 * written in the same reference).
 */

import type { Analysis } from '../host.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { GATEWAY_GROUP, ROUTE_KINDS } from '../model/gateway.js';
import type { CompletionResult, Span } from '../types.js';
import { servicesNamed } from '../checks/support/serviceTargets.js';
import { gatewaysAt, listenerText, nameOf } from '../checks/gateway/resolve.js';
import type { LineContext } from './lineContext.js';

function value(label: string, detail: string, replace: Span): CompletionResult {
  return { label, insertText: label, kind: 'value', detail, replace, sortText: label };
}

/** The text of the list item around `offset` (from its `-` to the next item or 600 characters). */
function itemText(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset));
  // A flow item on one line: `- {name: web, namespace: infra, sectionName: |}`.
  const open = line.lastIndexOf('{', offset - lineStart);
  if (open !== -1) return line.slice(open);
  let start = lineStart;
  while (start > 0 && !/^\s*-\s/.test(text.slice(start, text.indexOf('\n', start)))) start = text.lastIndexOf('\n', start - 2) + 1;
  const rest = text.slice(start, offset + 600);
  const next = rest.slice(1).search(/\n\s*-\s/);
  return next === -1 ? rest : rest.slice(0, next + 1);
}

/** A sibling field's literal value in the reference being typed. */
function sibling(text: string, offset: number, key: string): string | undefined {
  return new RegExp(`(?:^|[\\s{,])${key}:\\s*["']?([A-Za-z0-9.*-]+)`).exec(itemText(text, offset))?.[1];
}

function routeNamespace(here: Placed): string | undefined {
  const pl = here.placements[0];
  return pl === undefined || pl.floating ? undefined : pl.namespace;
}

export function gatewayRouteValues(
  analysis: Analysis,
  here: Placed | undefined,
  text: string,
  offset: number,
  lc: LineContext,
  replace: Span,
): CompletionResult[] | undefined {
  if (here === undefined || lc.key === undefined || lc.apiVersion?.startsWith(`${GATEWAY_GROUP}/`) !== true) return undefined;
  if (lc.kind === undefined || !ROUTE_KINDS.includes(lc.kind)) return undefined;
  const pl = here.placements[0];
  if (pl === undefined) return undefined;
  const path = [...lc.parents, lc.key].join('.');
  const written = sibling(text, offset, 'namespace');
  const ns = written ?? routeNamespace(here);
  if (/^spec\.parentRefs\.\[\]\.(name|sectionName|port)$/.test(path)) {
    const kind = sibling(text, offset, 'kind');
    if (kind !== undefined && kind !== 'Gateway') return [];
    const gateways = gatewaysAt(analysis.index, pl, ns, written !== undefined);
    if (lc.key === 'name') {
      return gateways.map((g) => {
        const listeners = (g.obj.gateway?.listeners ?? []).map(listenerText).join(', ');
        return value(nameOf(g.obj), `Gateway${ns !== undefined ? ` in "${ns}"` : ''} · listeners ${listeners || 'none'}`, replace);
      });
    }
    const gwName = sibling(text, offset, 'name');
    const gw = gateways.find((g) => nameOf(g.obj) === gwName);
    const out: CompletionResult[] = [];
    for (const l of gw?.obj.gateway?.listeners ?? []) {
      const v =
        lc.key === 'sectionName'
          ? l.name?.known === true
            ? l.name.value
            : undefined
          : l.port?.known === true
            ? String(l.port.value)
            : undefined;
      if (v === undefined || out.some((o) => o.label === v)) continue;
      const host = l.hostname?.known === true ? ` · ${l.hostname.value}` : '';
      out.push(value(v, `listener ${listenerText(l)} · ${l.protocol ?? '?'}${host}`, replace));
    }
    return out;
  }
  if (/^spec\.rules\.\[\]\.backendRefs\.\[\]\.(name|port)$/.test(path)) {
    const kind = sibling(text, offset, 'kind');
    if (kind !== undefined && kind !== 'Service') return [];
    const services =
      written !== undefined
        ? analysis.index.servicesIn(written)
        : ns !== undefined
          ? analysis.index.servicesIn(ns)
          : analysis.index.servicesOfUnit(pl.unit);
    if (lc.key === 'name') {
      return services
        .map((s) => {
          const ports = (s.obj.service?.ports ?? [])
            .map((p) => (p.port?.known === true ? `${p.port.value}${p.name?.known === true ? ` "${p.name.value}"` : ''}` : '?'))
            .join(', ');
          return value(nameOf(s.obj), `Service · ports ${ports}`, replace);
        })
        .filter((i) => i.label !== '');
    }
    const name = sibling(text, offset, 'name');
    const svc =
      name === undefined
        ? undefined
        : written !== undefined
          ? services.find((s) => nameOf(s.obj) === name)
          : servicesNamed(analysis.index, pl, name)[0];
    return (svc?.obj.service?.ports ?? []).flatMap((p) => {
      if (p.port?.known !== true) return [];
      const tp = p.targetPort ?? p.port;
      return [
        value(
          String(p.port.value),
          `Service "${name ?? ''}" port${p.name?.known === true ? ` "${p.name.value}"` : ''} → targetPort ${tp.known ? tp.value : '?'} (${p.protocol})`,
          replace,
        ),
      ];
    });
  }
  return undefined;
}
