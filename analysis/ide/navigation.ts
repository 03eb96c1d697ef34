/**
 * Navigation (docs/dev/design.md §4): go to definition and find references between selectors and workloads,
 * Ingress backends and Services, named targetPorts and container ports, policies and the
 * workloads they select, Gateway API routes and their Gateways, listeners and Services
 * (`gatewayNavigation.ts`); document symbols; code lenses on Services, NetworkPolicies and Gateway API
 * routes (`gatewayLens.ts`).
 */

import type { Analysis } from '../host.js';
import { distinctLocations, lookupContext, perBuild } from './context.js';
import { labelsOf } from '../checks/support/evidence.js';
import { selectProducers } from '../checks/support/selection.js';
import { serviceBackends } from '../checks/support/ingressBackends.js';
import { policiesIn, policySelects, scopeOf, selectedProducers } from '../checks/support/policies.js';
import { findPort, selectedBy, serviceSelector, servicesNamed } from '../checks/support/serviceTargets.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import { matchSelector } from '../model/labels.js';
import { backendPort, servicePortText } from '../model/servicePorts.js';
import type { CodeLensInfo, Location, SymbolInfo } from '../types.js';
import { routeLens } from './gatewayLens.js';
import { gatewayDefinition, gatewayReferences, serviceBackendReferences } from './gatewayNavigation.js';
import { treePathAt } from './yamlPath.js';
import { objectAt, objectsOverlapping } from '../workspace/objectsAt.js';

function workloadLocation(p: Placed): Location {
  return { uri: p.obj.uri, span: p.obj.pod?.labelsSpan ?? p.obj.anchor };
}

interface Cursor {
  readonly placed: Placed;
  readonly keys: readonly string[];
  readonly onKey: boolean;
}

function cursorAt(analysis: Analysis, uri: string, text: string, offset: number): Cursor | undefined {
  const doc = analysis.documentAt(uri, text, offset);
  if (doc === undefined) return undefined;
  const path = treePathAt(doc.root, offset);
  const placed = objectAt(analysis.index, uri, offset, doc.index);
  if (path === undefined || placed === undefined) return undefined;
  return { placed, keys: path.keys, onKey: path.onKey };
}

function peerIndexes(keys: readonly string[]): { rule: number; peer: number; direction: 'ingress' | 'egress' } | undefined {
  const dir = keys[1];
  if (keys[0] !== 'spec' || (dir !== 'ingress' && dir !== 'egress')) return undefined;
  const rule = Number(/\[(\d+)\]/.exec(keys[2] ?? '')?.[1] ?? NaN);
  const peer = Number(/\[(\d+)\]/.exec(keys[4] ?? '')?.[1] ?? NaN);
  if (!Number.isInteger(rule) || !Number.isInteger(peer)) return undefined;
  return { rule, peer, direction: dir };
}

/** Where what the cursor names is defined. */
export function definitionAt(analysis: Analysis, uri: string, text: string, offset: number): Location[] {
  const c = cursorAt(analysis, uri, text, offset);
  if (c === undefined) return [];
  // Under the view of the object the cursor is in: not into a copy in an alternative (prod/ beside dev/); in a base, each build's.
  return distinctLocations(perBuild(analysis, c.placed, (placed) => definitionIn(analysis, { ...c, placed }, offset)).map((a) => a.value));
}

function definitionIn(analysis: Analysis, c: Cursor, offset: number): Location[] {
  const { placed, keys: k } = c;
  const o = placed.obj;
  const ctx = lookupContext(analysis);
  const pl = placed.placements[0];
  if (pl === undefined) return [];
  if (o.service !== undefined && k[0] === 'spec' && k[1] === 'selector') {
    return (selectedBy(ctx, placed)?.producers ?? []).map(workloadLocation);
  }
  if (o.service !== undefined && k[0] === 'spec' && k[1] === 'ports' && k[3] === 'targetPort') {
    const sp = o.service.ports[Number(/\d+/.exec(k[2] ?? '')?.[0] ?? -1)];
    if (sp === undefined) return [];
    return (selectedBy(ctx, placed)?.producers ?? []).flatMap((p) => {
      const cp = findPort(p.obj.pod?.ports ?? [], sp);
      return cp === undefined ? [] : [{ uri: p.obj.uri, span: cp.nameSpan ?? cp.span }];
    });
  }
  const scope = scopeOf(pl);
  if (o.networkPolicy !== undefined && k[0] === 'spec' && k[1] === 'podSelector' && scope !== undefined) {
    return selectedProducers(ctx, o, scope).producers.map(workloadLocation);
  }
  if (o.networkPolicy !== undefined && k.includes('podSelector')) {
    const idx = peerIndexes(k);
    const rules = idx === undefined ? undefined : idx.direction === 'ingress' ? o.networkPolicy.ingress : o.networkPolicy.egress;
    const peer = idx === undefined ? undefined : rules?.[idx.rule]?.peers?.[idx.peer];
    if (peer?.podSelector !== undefined && peer.namespaceSelector === undefined)
      return selectProducers(ctx, pl, peer.podSelector).matched.map(workloadLocation);
  }
  if (o.ingress !== undefined && (k.includes('backend') || k.includes('defaultBackend'))) {
    const ref = serviceBackends(o).find((b) => b.backend.span.start <= offset && offset <= b.backend.span.end);
    const name = ref?.backend.serviceName;
    if (ref === undefined || name === undefined || !name.known) return [];
    const services = servicesNamed(analysis.index, pl, name.value);
    if (k.includes('port')) {
      return services.flatMap((s) =>
        [backendPort(s.obj.service?.ports ?? [], ref.backend)].flatMap((p) => (p === undefined ? [] : [{ uri: s.obj.uri, span: p.span }])),
      );
    }
    return services.map((s) => ({ uri: s.obj.uri, span: s.obj.anchor }));
  }
  if (o.route !== undefined) {
    const found = gatewayDefinition(ctx, placed, offset);
    if (found !== undefined) return found;
  }
  if (o.pod?.serviceName !== undefined && o.pod.serviceName.known && k[0] === 'spec' && k[1] === 'serviceName') {
    const name = o.pod.serviceName.value;
    return servicesNamed(analysis.index, pl, name).map((s) => ({ uri: s.obj.uri, span: s.obj.anchor }));
  }
  return [];
}

/** Services and policies that select a workload, and Ingresses that route to those Services. */
function referencesToWorkload(analysis: Analysis, placed: Placed): Location[] {
  const out: Location[] = [];
  const ctx = lookupContext(analysis);
  for (const pl of placed.placements) {
    if (pl.namespace === undefined) continue;
    const services = analysis.index.servicesIn(pl.namespace).filter((s) => {
      const sel = serviceSelector(s);
      return sel !== undefined && matchSelector(sel, labelsOf(placed)) === 'yes';
    });
    for (const s of services) out.push({ uri: s.obj.uri, span: s.obj.service?.selector?.span ?? s.obj.anchor });
    for (const p of policiesIn(ctx, scopeOf(pl) ?? pl.namespace))
      if (policySelects(p.obj, placed) === 'yes') out.push({ uri: p.obj.uri, span: p.obj.networkPolicy?.podSelectorSpan ?? p.obj.anchor });
    const names = new Set(services.map((s) => (s.obj.name?.known === true ? s.obj.name.value : '')));
    for (const ing of analysis.index.objectsIn(pl.namespace)) {
      for (const b of serviceBackends(ing.obj))
        if (b.backend.serviceName?.known === true && names.has(b.backend.serviceName.value))
          out.push({ uri: ing.obj.uri, span: b.backend.serviceName.span });
    }
  }
  return out;
}

/** Ingress backends and StatefulSets that name a Service. */
function referencesToService(analysis: Analysis, placed: Placed): Location[] {
  const name = placed.obj.name?.known === true ? placed.obj.name.value : undefined;
  const out: Location[] = [];
  if (name === undefined) return out;
  for (const pl of placed.placements) {
    if (pl.namespace === undefined) continue;
    for (const other of analysis.index.objectsIn(pl.namespace)) {
      for (const b of serviceBackends(other.obj))
        if (b.backend.serviceName?.known === true && b.backend.serviceName.value === name)
          out.push({ uri: other.obj.uri, span: b.backend.serviceName.span });
      const sn = other.obj.pod?.serviceName;
      if (sn?.known === true && sn.value === name) out.push({ uri: other.obj.uri, span: sn.span });
    }
  }
  return out;
}

/** Everything that refers to what the cursor is on. */
export function referencesAt(analysis: Analysis, uri: string, text: string, offset: number): Location[] {
  const c = cursorAt(analysis, uri, text, offset);
  if (c === undefined) return [];
  // Under the view of the object the cursor is in: not from a copy in an alternative (prod/ beside dev/); in a base, each build's.
  return distinctLocations(perBuild(analysis, c.placed, (placed) => referencesIn(analysis, { ...c, placed }, offset)).map((a) => a.value));
}

function referencesIn(analysis: Analysis, c: Cursor, offset: number): Location[] {
  const { placed, keys: k } = c;
  const o = placed.obj;
  const ctx = lookupContext(analysis);
  const onName = k[0] === 'metadata' && k[1] === 'name';
  if (o.pod !== undefined) {
    const portIdx = k.indexOf('ports');
    if (portIdx !== -1 && k[portIdx + 2] === 'name') {
      const name = o.pod.ports.find((p) => p.nameSpan !== undefined && p.nameSpan.start <= offset && offset <= p.nameSpan.end)?.name;
      if (name !== undefined) return referencesToPortName(analysis, placed, name);
    }
    return referencesToWorkload(analysis, placed);
  }
  if (o.service !== undefined && onName) return [...referencesToService(analysis, placed), ...serviceBackendReferences(ctx, placed)];
  if (o.gateway !== undefined) {
    const found = gatewayReferences(ctx, placed, offset, onName);
    if (found !== undefined) return found;
  }
  if (o.networkPolicy !== undefined && (onName || k[1] === 'podSelector')) {
    const ns = scopeOf(placed.placements[0]);
    return ns === undefined ? [] : selectedProducers(ctx, o, ns).producers.map(workloadLocation);
  }
  return [];
}

/** Service targetPorts and policy ports that use a container port name of `placed`. */
function referencesToPortName(analysis: Analysis, placed: Placed, name: string): Location[] {
  const out: Location[] = [];
  for (const ref of referencesToWorkload(analysis, placed)) {
    const target = objectsOverlapping(analysis.index, ref.uri, ref.span.start, ref.span.end).find(
      (p) => p.obj.span.start <= ref.span.start && ref.span.end <= p.obj.span.end,
    );
    for (const sp of target?.obj.service?.ports ?? [])
      if (sp.targetPort?.known === true && sp.targetPort.value === name) out.push({ uri: ref.uri, span: sp.targetPort.span });
    for (const r of [...(target?.obj.networkPolicy?.ingress ?? []), ...(target?.obj.networkPolicy?.egress ?? [])]) {
      for (const p of r.ports ?? []) if (p.port?.known === true && p.port.value === name) out.push({ uri: ref.uri, span: p.port.span });
    }
  }
  return out;
}

/** One symbol per object of the file (multi-document files get an outline). */
export function documentSymbols(analysis: Analysis, uri: string): SymbolInfo[] {
  return (
    analysis.index
      .objectsOfFile(uri)
      // Pods an operator makes from a resource are not objects of the file's outline.
      .filter((p) => p.obj.madeBy === undefined)
      .map((p) => {
        const ns = p.placements[0]?.namespace;
        return {
          name: `${p.obj.kind} ${p.obj.name?.known === true ? p.obj.name.value : '(templated)'}`,
          detail: `${p.obj.apiVersion}${ns !== undefined && !(p.placements[0]?.floating ?? false) ? ` · ${ns}` : ''}`,
          kind: p.obj.kind,
          span: p.obj.span,
          selection: p.obj.anchor,
        };
      })
  );
}

function portMapping(p: Placed, producers: readonly Placed[]): string {
  return (p.obj.service?.ports ?? [])
    .map((sp) => {
      // 53/UDP→5353: a Service port is a port and a protocol (TCP is not written).
      const port = servicePortText(sp);
      const tp = sp.targetPort ?? sp.port;
      const cp = producers.map((w) => findPort(w.obj.pod?.ports ?? [], sp)).find((x) => x !== undefined);
      if (tp === undefined || !tp.known) return `${port}→?`;
      // A named targetPort shows the number it resolves to: 80→http(8080).
      return typeof tp.value === 'string' && cp !== undefined ? `${port}→${tp.value}(${cp.containerPort})` : `${port}→${tp.value}`;
    })
    .join(', ');
}

/**
 * Code lenses: on a Service "selects 2 workloads · 80→http(8080)" (shows them); on a NetworkPolicy
 * "selects 3 workloads · allows 5 connections" (opens the reachability panel on that policy).
 * `allows` counts the (peer workload, selected workload) pairs its rules admit, per direction.
 */
export function codeLenses(
  analysis: Analysis,
  uri: string,
  allowedConnections?: (policy: Placed) => number | undefined,
  /** The unit a policy is counted in when the workspace's engine leaves it out (`policyUnit`). */
  unitOf?: (policy: Placed) => string | undefined,
): CodeLensInfo[] {
  const ctx = lookupContext(analysis);
  const out: CodeLensInfo[] = [];
  for (const p of analysis.index.objectsOfFile(uri)) {
    // What the object sees: not the workloads of its alternatives (a dev/ copy beside prod/), never deployed with it.
    const view = analysis.index.viewFor(p);
    const seen = (w: Placed): boolean => view?.excludes(w) !== true;
    if (p.obj.service !== undefined && p.obj.service.type !== 'ExternalName') {
      const sel = selectedBy(ctx, p);
      const producers = (sel?.producers ?? []).filter(seen);
      const mapping = portMapping(p, producers);
      const title =
        serviceSelector(p) === undefined
          ? 'no selector'
          : `selects ${producers.length} workload${producers.length === 1 ? '' : 's'}${mapping !== '' ? ` · ${mapping}` : ''}`;
      out.push({ span: p.obj.anchor, title, action: 'references', locations: producers.map(workloadLocation) });
    }
    const lens = routeLens(ctx, p);
    if (lens !== undefined) out.push(lens);
    const np = p.obj.networkPolicy;
    const ns = scopeOf(p.placements[0]);
    if (np !== undefined && ns !== undefined) {
      const selected = selectedProducers(ctx, p.obj, ns).producers.filter(seen);
      const allows = allowedConnections?.(p);
      const parts = [`selects ${selected.length} workload${selected.length === 1 ? '' : 's'}`];
      if (allows !== undefined) parts.push(`allows ${allows} connection${allows === 1 ? '' : 's'}`);
      else parts.push(`isolates ${np.policyTypes.join(' and ').toLowerCase()}`);
      out.push({
        span: p.obj.anchor,
        title: parts.join(' · '),
        action: 'reachability',
        locations: selected.map(workloadLocation),
        policy: `${ns.ns}/${p.obj.name?.known === true ? p.obj.name.value : ''}`,
        ...((u) => (u === undefined ? {} : { unit: u }))(unitOf?.(p)),
      });
    }
  }
  return out;
}
