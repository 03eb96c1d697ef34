/**
 * Hover (docs/dev/design.md §4): the Kubernetes API description of the field under the cursor, and facts from
 * the workspace: on a selector, the workloads it selects (or the nearest miss); on a targetPort, the
 * container port it lands on in each workload; on an Ingress backend, the Service, port, targetPort
 * and pods; on a NetworkPolicy's name, what it allows in plain language.
 */

import type { Analysis } from '../host.js';
import { lookupContext, perBuild } from './context.js';
import { rootNames } from '../units/rootNames.js';
import { selectProducers } from '../checks/support/selection.js';
import { candidateProducers, describe, labelsOf, nearestProducer, selectorText } from '../checks/support/evidence.js';
import { objectPath } from '../checks/support/objectPath.js';
import { findPort, selectedBy, serviceSelector, servicesNamed } from '../checks/support/serviceTargets.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { Selector } from '../model/types.js';
import { backendPort, servicePortText } from '../model/servicePorts.js';
import { str, getPath } from '../syntax/tree.js';
import type { HoverResult, IdeOptions, Span } from '../types.js';
import { fieldAtAnyVersion, fieldMarkdown } from './schema.js';
import { routeRefHover } from './gatewayHover.js';
import { summarizePolicy } from './policySummary.js';
import { scopeOf, selectedProducers } from '../checks/support/policies.js';
import { treePathAt } from './yamlPath.js';
import { objectAt } from '../workspace/objectsAt.js';

function workloadLine(analysis: Analysis, p: Placed, from: string): string {
  const ports = (p.obj.pod?.ports ?? []).map((c) => `${c.containerPort}/${c.protocol}${c.name !== undefined ? ` "${c.name}"` : ''}`);
  return `- ${describe(p.obj)} — \`${objectPath(analysis.index, p.obj.uri, from)}\`${ports.length > 0 ? ` (ports ${ports.join(', ')})` : ''}`;
}

function selectorHover(analysis: Analysis, placed: Placed, sel: Selector, what: string): string {
  const o = placed.obj;
  const pl = placed.placements[0];
  if (pl === undefined) return '';
  const ns = pl.floating
    ? `no namespace (lands in the namespace it is applied to)`
    : pl.namespace === undefined
      ? 'the release namespace'
      : `namespace \`${pl.namespace}\``;
  if (sel.unknown) return `**${what}** \`${selectorText(sel)}\` depends on template values, so the selected workloads are not known.`;
  const ctx = lookupContext(analysis);
  // Looked up by label (checks/support/selection.ts); every candidate only when nothing matches (the nearest one).
  const outcome = selectProducers(ctx, pl, sel);
  const lines = [`**${what}** \`${selectorText(sel) || '{}'}\` in ${ns}`, ''];
  if (outcome.matched.length > 0) {
    lines.push(`Selects ${outcome.matched.length} workload${outcome.matched.length === 1 ? '' : 's'}:`, '');
    for (const m of outcome.matched.slice(0, 20)) lines.push(workloadLine(analysis, m, o.uri));
    if (outcome.matched.length > 20) lines.push(`- … and ${outcome.matched.length - 20} more`);
  } else {
    lines.push(
      outcome.maybe ? 'Selects no workload for certain; some depend on template values.' : 'Selects no workload defined in this workspace.',
    );
    const near = nearestProducer(candidateProducers(ctx, pl), sel);
    if (near !== undefined) {
      lines.push('', `Nearest: ${describe(near.placed.obj)} — \`${objectPath(analysis.index, near.placed.obj.uri, o.uri)}\``);
      for (const d of near.differing) {
        const want = d.entry.value.known ? d.entry.value.value : '?';
        lines.push(
          `- \`${d.entry.key}\`: selector wants \`${want}\`, pod template has ${d.have === undefined ? 'no such label' : `\`${d.have}\``}`,
        );
      }
      const labels = [...labelsOf(near.placed).known].map(([k, v]) => `${k}=${v}`);
      if (labels.length > 0) lines.push('', `Its pod template labels: \`${labels.join(', ')}\``);
    }
  }
  return lines.join('\n');
}

function targetPortHover(analysis: Analysis, placed: Placed, portIndex: number): string | undefined {
  const sp = placed.obj.service?.ports[portIndex];
  if (sp === undefined) return undefined;
  const sel = selectedBy(lookupContext(analysis), placed);
  if (sel === undefined) return undefined;
  const tp = sp.targetPort ?? sp.port;
  const shown = tp?.known === true ? String(tp.value) : '?';
  const lines = [`**targetPort ${shown}** (${sp.protocol}) lands on:`, ''];
  if (placed.obj.service?.headless === true)
    return `**targetPort** is ignored: this Service is headless (clusterIP: None), so clients connect to the pod port they name.`;
  if (sel.producers.length === 0) lines.push('- no workload: the selector matches none in this workspace');
  for (const p of sel.producers) {
    const cp = findPort(p.obj.pod?.ports ?? [], sp);
    lines.push(
      cp !== undefined
        ? `- ${describe(p.obj)}: container "${cp.container}" port ${cp.containerPort}/${cp.protocol}${cp.name !== undefined ? ` "${cp.name}"` : ''}`
        : `- ${describe(p.obj)}: no declared port matches${p.obj.pod?.portsUnknown === true ? ' (its ports are templated)' : ''}`,
    );
  }
  return lines.join('\n');
}

function backendHover(analysis: Analysis, placed: Placed, offset: number): string | undefined {
  const ing = placed.obj.ingress;
  if (ing === undefined) return undefined;
  const backends = [...ing.rules.flatMap((r) => r.paths.map((p) => p.backend)), ing.defaultBackend].filter((b) => b !== undefined);
  const b = backends.find((x) => x.span.start <= offset && offset <= x.span.end);
  const pl = placed.placements[0];
  if (b === undefined || pl === undefined || b.serviceName === undefined || !b.serviceName.known) return undefined;
  const name = b.serviceName.value;
  const svc = servicesNamed(analysis.index, pl, name)[0];
  if (svc === undefined) return `**Backend** Service \`${name}\`: no such Service in this namespace in the workspace.`;
  const ports = svc.obj.service?.ports ?? [];
  const sp = backendPort(ports, b);
  const lines = [`**Backend** → ${describe(svc.obj, pl.namespace)} — \`${objectPath(analysis.index, svc.obj.uri, placed.obj.uri)}\``, ''];
  if (sp === undefined) {
    lines.push(
      `Port ${b.portNumber?.known === true ? b.portNumber.value : b.portName?.known === true ? `"${b.portName.value}"` : '?'} is not one of its ports.`,
    );
    return lines.join('\n');
  }
  const tp = sp.targetPort ?? sp.port;
  lines.push(
    `Service port ${servicePortText(sp)}${sp.name?.known === true ? ` ("${sp.name.value}")` : ''} → targetPort ${tp?.known === true ? tp.value : '?'}`,
    '',
  );
  const sel = selectedBy(lookupContext(analysis), svc);
  for (const p of sel?.producers ?? []) {
    const cp = findPort(p.obj.pod?.ports ?? [], sp);
    lines.push(`- ${describe(p.obj)}${cp !== undefined ? `: pod port ${cp.containerPort}/${cp.protocol}` : ''}`);
  }
  if ((sel?.producers.length ?? 0) === 0) lines.push('- no pods: the Service selects no workload in this workspace');
  return lines.join('\n');
}

function policyHover(analysis: Analysis, placed: Placed): string | undefined {
  const np = placed.obj.networkPolicy;
  const ns = placed.placements[0]?.namespace;
  const scope = scopeOf(placed.placements[0]);
  if (np === undefined || ns === undefined || scope === undefined) return undefined;
  const selected = selectedProducers(lookupContext(analysis), placed.obj, scope).producers.map((p) => describe(p.obj));
  return [`**${describe(placed.obj, ns)}**`, '', ...summarizePolicy(np, ns, selected).map((l) => `- ${l}`)].join('\n');
}

/** What the workspace says about the field at `k` of `placed` (the lookups under the view the caller set). */
function workspaceFacts(analysis: Analysis, placed: Placed, k: readonly string[], offset: number): string[] {
  const facts: string[] = [];
  const o = placed.obj;
  if (o.service !== undefined && k[0] === 'spec' && k[1] === 'selector') {
    const sel = serviceSelector(placed);
    if (sel !== undefined) facts.push(selectorHover(analysis, placed, sel, 'Service selector'));
  } else if (o.service !== undefined && k[0] === 'spec' && k[1] === 'ports' && k[3] === 'targetPort') {
    const h = targetPortHover(analysis, placed, Number(/\[(\d+)\]/.exec(k[2] ?? '')?.[1] ?? -1));
    if (h !== undefined) facts.push(h);
  } else if (o.networkPolicy !== undefined && k[0] === 'spec' && k[1] === 'podSelector' && o.networkPolicy.podSelector !== undefined) {
    facts.push(selectorHover(analysis, placed, o.networkPolicy.podSelector, 'NetworkPolicy podSelector'));
  } else if (o.networkPolicy !== undefined && k[0] === 'metadata' && k[1] === 'name') {
    const h = policyHover(analysis, placed);
    if (h !== undefined) facts.push(h);
  } else if (o.route !== undefined && k[0] === 'spec' && (k[1] === 'parentRefs' || k.includes('backendRefs'))) {
    const h = routeRefHover(analysis, placed, k, offset);
    if (h !== undefined) facts.push(h);
  } else if ((o.ingress !== undefined && k.includes('backend')) || (o.ingress !== undefined && k.includes('defaultBackend'))) {
    const h = backendHover(analysis, placed, offset);
    if (h !== undefined) facts.push(h);
  }
  return facts;
}

/** Hover at `offset` of `uri`, or undefined when there is nothing to say. */
export function hoverAt(analysis: Analysis, uri: string, text: string, offset: number, options: IdeOptions = {}): HoverResult | undefined {
  const doc = analysis.documentAt(uri, text, offset);
  if (doc === undefined) return undefined;
  const path = treePathAt(doc.root, offset);
  if (path === undefined) return undefined;
  const placed = objectAt(analysis.index, uri, offset, doc.index);
  const k = path.keys;
  const facts: string[] = [];
  // Answered under the object's view: a copy of it in an alternative (prod/ beside dev/) is never deployed with it.
  // In a base that several Kustomize roots build, each build answers; answers that differ are named by their root.
  if (placed !== undefined) {
    const answers = perBuild(analysis, placed, (p) => workspaceFacts(analysis, p, k, offset));
    const texts = answers.map((a) => a.value.join('\n\n---\n\n'));
    if (new Set(texts).size > 1) {
      // Roots that answer alike share one section ("In overlays a, c:").
      const groups = new Map<string, string[]>();
      answers.forEach((a, i) => {
        const t = texts[i] ?? '';
        if (t !== '' && a.root !== undefined) groups.set(t, [...(groups.get(t) ?? []), a.root]);
      });
      for (const [t, roots] of groups) facts.push(`_In ${rootNames(roots)}:_\n\n${t}`);
    } else {
      const first = answers[0];
      for (const f of first?.value ?? []) facts.push(f);
      if (first !== undefined && first.label !== '' && facts.length > 0)
        facts[facts.length - 1] +=
          `\n\n_In alternative ${first.label}: the objects of its alternatives, never deployed with it, are left out._`;
    }
  }
  const apiVersion = str(getPath(doc.root, 'apiVersion'));
  const kind = str(getPath(doc.root, 'kind'));
  if (apiVersion !== undefined && kind !== undefined && options.schemaDocs !== false) {
    const hit = fieldAtAnyVersion(apiVersion, kind, k);
    if (hit !== undefined) facts.push(fieldMarkdown(hit));
  }
  if (facts.length === 0) return undefined;
  const span: Span = path.span;
  return { contents: facts.join('\n\n---\n\n'), span };
}
