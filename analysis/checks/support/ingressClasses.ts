/**
 * Which IngressClass an Ingress belongs to, and which controller serves it.
 */

import type { WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { KObject } from '../../model/types.js';

export type EffectiveClass =
  { readonly kind: 'named'; readonly name: string } | { readonly kind: 'default' } | { readonly kind: 'unknown' };

/** The class from `ingressClassName`, else the legacy annotation; `default` when neither is set. */
export function effectiveClass(o: KObject): EffectiveClass {
  const ing = o.ingress;
  if (ing === undefined) return { kind: 'unknown' };
  if (ing.className !== undefined) return ing.className.known ? { kind: 'named', name: ing.className.value } : { kind: 'unknown' };
  if (ing.classAnnotation !== undefined) return { kind: 'named', name: ing.classAnnotation };
  return { kind: 'default' };
}

export function ingressClasses(index: WorkspaceIndex): KObject[] {
  return [...index.ingressClasses()];
}

/** True when the class is served by ingress-nginx (the IngressClass says so, or the class is `nginx`). */
export function isIngressNginx(index: WorkspaceIndex, cls: EffectiveClass): boolean {
  const classes = ingressClasses(index);
  let name: string | undefined;
  if (cls.kind === 'named') name = cls.name;
  else if (cls.kind === 'default') {
    const def = classes.find((c) => c.ingressClass?.isDefault === true);
    if (def === undefined) return false;
    return def.ingressClass?.controller === 'k8s.io/ingress-nginx';
  } else return false;
  const declared = classes.find((c) => c.name?.known === true && c.name.value === name);
  if (declared !== undefined) return declared.ingressClass?.controller === 'k8s.io/ingress-nginx';
  return name === 'nginx';
}

export function classKey(cls: EffectiveClass): string {
  return cls.kind === 'named' ? cls.name : cls.kind === 'default' ? '(default)' : '(unknown)';
}
