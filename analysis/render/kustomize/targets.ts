/**
 * Patch targets (kustomize's `target:`, and the legacy `patchesJson6902` targets): group, version,
 * kind, name and namespace as anchored regular expressions, label and annotation selectors.
 */

import type { YNode } from '../../syntax/tree.js';
import { isMap } from '../../syntax/tree.js';
import { getKey, plain, text } from './nodes.js';
import type { Res } from './resource.js';
import { groupOf, kindOf } from './resource.js';

export interface Target {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: RegExp;
  readonly name?: RegExp;
  readonly namespace?: RegExp;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

function anchored(s: string | undefined): RegExp | undefined {
  if (s === undefined) return undefined;
  try {
    return new RegExp(`^(?:${s})$`);
  } catch {
    return new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  }
}

export function readTarget(n: YNode | undefined): Target | undefined {
  if (!isMap(n)) return undefined;
  const t: { -readonly [K in keyof Target]: Target[K] } = {};
  const g = text(getKey(n, 'group'));
  if (g !== undefined) t.group = g;
  const v = text(getKey(n, 'version'));
  if (v !== undefined) t.version = v;
  const k = anchored(text(getKey(n, 'kind')));
  if (k !== undefined) t.kind = k;
  const nm = anchored(text(getKey(n, 'name')));
  if (nm !== undefined) t.name = nm;
  const ns = anchored(text(getKey(n, 'namespace')));
  if (ns !== undefined) t.namespace = ns;
  const ls = text(getKey(n, 'labelSelector'));
  if (ls !== undefined) t.labelSelector = ls;
  const as = text(getKey(n, 'annotationSelector'));
  if (as !== undefined) t.annotationSelector = as;
  return t;
}

/** A label selector string (`a=b,c!=d,e,!f`) against a string map. */
export function selectorMatches(sel: string, map: YNode | undefined): boolean {
  const m = plain(map);
  const labels = m !== null && typeof m === 'object' ? (m as Record<string, unknown>) : {};
  for (const raw of sel.split(',')) {
    const term = raw.trim();
    if (term === '') continue;
    const ne = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term);
    const eq = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term);
    if (ne !== null) {
      if (String(labels[ne[1] ?? '']) === ne[2]) return false;
    } else if (eq !== null) {
      if (labels[eq[1] ?? ''] === undefined || String(labels[eq[1] ?? '']) !== eq[2]) return false;
    } else if (term.startsWith('!')) {
      if (labels[term.slice(1)] !== undefined) return false;
    } else if (labels[term] === undefined) return false;
  }
  return true;
}

export function targetMatches(t: Target, r: Res): boolean {
  if (t.kind !== undefined && !t.kind.test(kindOf(r))) return false;
  if (t.group !== undefined && groupOf(r) !== t.group) return false;
  if (t.version !== undefined) {
    const v = text(getKey(r.node, 'apiVersion')) ?? '';
    if (v.slice(v.indexOf('/') + 1) !== t.version) return false;
  }
  const nameRe = t.name;
  if (nameRe !== undefined && !r.names.some((n) => nameRe.test(n))) return false;
  const nsRe = t.namespace;
  if (nsRe !== undefined && !r.namespaces.some((n) => nsRe.test(n ?? 'default'))) return false;
  if (t.labelSelector !== undefined && !selectorMatches(t.labelSelector, getKey(getKey(r.node, 'metadata'), 'labels'))) return false;
  if (t.annotationSelector !== undefined && !selectorMatches(t.annotationSelector, getKey(getKey(r.node, 'metadata'), 'annotations')))
    return false;
  return true;
}
