/**
 * How a finding names the Kustomize, Flux, Argo CD and Fleet roots it holds in (units/kustomize.ts,
 * docs/dev/kustomize.md §3). Pure.
 */

import { dirname, displayPart } from '../workspace/paths.js';
import { argoRootName, isArgoRootId } from './argocd.js';
import { fleetRootName, isFleetRootId } from './fleet.js';
import { isFluxRootId } from './flux.js';

/**
 * How a finding names the roots it holds in, when it holds in some of the roots that build the
 * object but not all: "overlays prod, staging" (the roots' shared parent, then their own names).
 */
export function rootNames(roots: readonly string[]): string {
  // Argo CD Applications (units/argocd.ts) and Flux Kustomizations (`<file>#<name>`, units/flux.ts) by their names.
  const apps = roots.filter(isArgoRootId).map(argoRootName).sort();
  const bundles = roots.filter(isFleetRootId).map(fleetRootName);
  const flux = roots.filter((r) => isFluxRootId(r) && !isArgoRootId(r) && !isFleetRootId(r)).map((r) => r.slice(r.lastIndexOf('#') + 1));
  if (apps.length + flux.length + bundles.length > 0 && apps.length + flux.length + bundles.length === roots.length) {
    const named = (what: string, list: string[]): string[] =>
      list.length === 0 ? [] : [`${what}${list.length > 1 ? 's' : ''} ${list.sort().join(', ')}`];
    return [...named('Application', apps), ...named('Flux Kustomization', flux), ...named('Fleet bundle', bundles)].join('; ');
  }
  const sorted = [...roots].sort();
  const shown = (part: string): string => displayPart(part, sorted[0] ?? '');
  const parents = new Set(sorted.map((r) => dirname(r)));
  if (parents.size === 1) {
    const parent = [...parents][0] ?? '';
    return `${shown(parent.slice(parent.lastIndexOf('/') + 1))} ${sorted.map((r) => shown(r.slice(r.lastIndexOf('/') + 1))).join(', ')}`;
  }
  const common = commonDir(sorted);
  return sorted.map((r) => shown(r.slice(common.length).replace(/^\//, ''))).join(', ');
}

function commonDir(list: readonly string[]): string {
  let c = list[0] ?? '';
  for (const x of list)
    while (c !== '' && !(x === c || x.startsWith(c.endsWith('/') ? c : `${c}/`))) c = dirname(c) === c ? '' : dirname(c);
  return c;
}
