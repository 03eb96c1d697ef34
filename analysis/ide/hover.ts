/**
 * Hover with facts from the workspace (design §4): on a Service selector or a NetworkPolicy
 * podSelector, the workloads it selects, or the nearest miss and the label that differs.
 */

import type { Analysis } from '../host.js';
import { candidateProducers, describe, evaluateSelector, labelsOf, nearestProducer, selectorText, shortPath } from '../checks/evidence.js';
import { serviceSelector } from '../checks/serviceTargets.js';
import type { Placed } from '../index/workspaceIndex.js';
import type { Selector } from '../model/types.js';
import { parseFile } from '../syntax/parse.js';
import type { HoverResult } from '../types.js';
import { documentAt, treePathAt } from './yamlPath.js';

function workloadLine(p: Placed, from: string): string {
  const ports = (p.obj.pod?.ports ?? []).map((c) => `${c.containerPort}/${c.protocol}${c.name !== undefined ? ` "${c.name}"` : ''}`);
  return `- ${describe(p.obj)} — \`${shortPath(p.obj.uri, from)}\`${ports.length > 0 ? ` (ports ${ports.join(', ')})` : ''}`;
}

function selectorHover(analysis: Analysis, placed: Placed, sel: Selector, what: string): string {
  const o = placed.obj;
  const pl = placed.placements[0];
  if (pl === undefined) return '';
  const ns = pl.floating ? `no namespace (lands in the namespace it is applied to)` : pl.namespace === undefined ? 'the release namespace' : `namespace \`${pl.namespace}\``;
  if (sel.unknown) return `**${what}** \`${selectorText(sel)}\` depends on template values, so the selected workloads are not known.`;
  const candidates = candidateProducers({ index: analysis.index, settings: analysis.settings, text: () => undefined, report: () => undefined }, pl);
  const outcome = evaluateSelector(candidates, sel);
  const lines = [`**${what}** \`${selectorText(sel) || '{}'}\` in ${ns}`, ''];
  if (outcome.matched.length > 0) {
    lines.push(`Selects ${outcome.matched.length} workload${outcome.matched.length === 1 ? '' : 's'}:`, '');
    for (const m of outcome.matched.slice(0, 20)) lines.push(workloadLine(m, o.uri));
    if (outcome.matched.length > 20) lines.push(`- … and ${outcome.matched.length - 20} more`);
  } else {
    lines.push(outcome.maybe ? 'Selects no workload for certain; some depend on template values.' : 'Selects no workload defined in this workspace.');
    const near = nearestProducer(candidates, sel);
    if (near !== undefined) {
      lines.push('', `Nearest: ${describe(near.placed.obj)} — \`${shortPath(near.placed.obj.uri, o.uri)}\``);
      for (const d of near.differing) {
        const want = d.entry.value.known ? d.entry.value.value : '?';
        lines.push(`- \`${d.entry.key}\`: selector wants \`${want}\`, pod template has ${d.have === undefined ? 'no such label' : `\`${d.have}\``}`);
      }
      const labels = [...labelsOf(near.placed).known].map(([k, v]) => `${k}=${v}`);
      if (labels.length > 0) lines.push('', `Its pod template labels: \`${labels.join(', ')}\``);
    }
  }
  return lines.join('\n');
}

/** Hover at `offset` of `uri`, or undefined when there is nothing to say. */
export function hoverAt(analysis: Analysis, uri: string, text: string, offset: number): HoverResult | undefined {
  const parsed = parseFile(text);
  const doc = documentAt(parsed.documents, offset);
  if (doc === undefined) return undefined;
  const path = treePathAt(doc.root, offset);
  if (path === undefined) return undefined;
  const facts = analysis.index.files.get(uri);
  const placed = analysis.index.objects.find((p) => p.obj.uri === uri && p.obj.docIndex === doc.index && p.obj.span.start <= offset && offset <= p.obj.span.end);
  if (facts === undefined || placed === undefined) return undefined;
  const o = placed.obj;
  const k = path.keys;
  if (o.service !== undefined && k[0] === 'spec' && k[1] === 'selector') {
    const sel = serviceSelector(placed);
    if (sel === undefined) return undefined;
    return { contents: selectorHover(analysis, placed, sel, `Service selector`), span: path.span };
  }
  if (o.networkPolicy !== undefined && k[0] === 'spec' && k[1] === 'podSelector') {
    const sel = o.networkPolicy.podSelector;
    if (sel === undefined) return undefined;
    return { contents: selectorHover(analysis, placed, sel, 'NetworkPolicy podSelector'), span: path.span };
  }
  return undefined;
}
