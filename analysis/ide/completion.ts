/**
 * Workspace-aware completion (design §4): inside a Service `selector` (and a NetworkPolicy
 * `podSelector.matchLabels`), the label keys and values of the workspace's pod templates, those of
 * the object's own namespace first.
 */

import type { Analysis } from '../host.js';
import { labelsOf } from '../checks/evidence.js';
import type { CompletionResult } from '../types.js';
import { lineContextAt } from './yamlPath.js';

function inSelector(kind: string | undefined, parents: readonly string[]): boolean {
  const p = parents.join('.');
  if (kind === 'Service') return p === 'spec.selector';
  if (kind === 'NetworkPolicy') return p === 'spec.podSelector.matchLabels' || /^spec\.(ingress|egress)\.\[\]\.(from|to)\.\[\]\.podSelector\.matchLabels$/.test(p);
  return false;
}

/** Completion items at `offset` of `uri`. */
export function completeAt(analysis: Analysis, uri: string, text: string, offset: number): CompletionResult[] {
  const ctx = lineContextAt(text, offset);
  if (ctx === undefined || !inSelector(ctx.kind, ctx.parents)) return [];
  const here = analysis.index.objects.find((p) => p.obj.uri === uri && p.obj.span.start <= offset && offset <= p.obj.span.end + 1);
  const ns = here?.placements[0]?.namespace;
  // Label key → value → producers; own namespace ranks first.
  const values = new Map<string, Map<string, { local: boolean; from: string }>>();
  for (const p of analysis.index.objects) {
    if (p.obj.pod === undefined) continue;
    const local = ns !== undefined && p.placements.some((pl) => pl.namespace === ns);
    const from = `${p.obj.kind} ${p.obj.name?.known === true ? p.obj.name.value : '?'}`;
    for (const [k, v] of labelsOf(p).known) {
      if (p.obj.pod.controllerLabels.has(k)) continue;
      const m = values.get(k) ?? new Map<string, { local: boolean; from: string }>();
      const prev = m.get(v);
      if (prev === undefined || (!prev.local && local)) m.set(v, { local, from });
      values.set(k, m);
    }
  }
  const replace = { start: ctx.wordStart, end: offset };
  if (ctx.key !== undefined) {
    const m = values.get(ctx.key);
    if (m === undefined) return [];
    return [...m].map(([v, info]) => ({
      label: v,
      insertText: v,
      kind: 'value' as const,
      detail: `${ctx.key}=${v} · ${info.from}${info.local ? '' : ' (other namespace)'}`,
      replace,
      sortText: `${info.local ? '0' : '1'}${v}`,
    }));
  }
  const present = new Set<string>();
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  // Keys already in this map (same indentation, contiguous block) are not offered again.
  for (const l of text.slice(0, Math.max(0, lineStart - 1)).split('\n').reverse()) {
    const m = /^(\s*)([A-Za-z0-9_./-]+):/.exec(l);
    if (m === null || (m[1]?.length ?? 0) !== ctx.indent) break;
    present.add(m[2] ?? '');
  }
  return [...values]
    .filter(([k]) => !present.has(k))
    .map(([k, m]) => {
      const local = [...m.values()].some((i) => i.local);
      return {
        label: k,
        insertText: `${k}: `,
        kind: 'property' as const,
        detail: `pod template label: ${[...m.keys()].slice(0, 5).join(', ')}`,
        replace,
        sortText: `${local ? '0' : '1'}${k}`,
      };
    });
}
