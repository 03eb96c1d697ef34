/**
 * Resource ids as kustomize keeps them (api/resid `ResId`): group, version, kind, name and
 * namespace, where no namespace and `default` are one and a cluster-scoped object has none
 * (`EffectiveNamespace`). kustomize's resource map refuses a second resource of an id it holds
 * (`resWrangler.Append`: "may not add resource with an already registered id"), a generator
 * without `behavior: merge`/`replace` whose id it holds (`appendReplaceOrMerge`: "exists; behavior
 * must be merge or replace"), and a namespace transformation that gives two resources one id
 * ("namespace transformation produces ID conflict"); each stops `kustomize build`. Checked against
 * kubectl kustomize v5.5.0 (test/analysis/kustomizeIds.test.ts). Design notes: docs/dev/kustomize.md.
 */

import type { Span } from '../../types.js';
import { relativePath } from '../../workspace/paths.js';
import type { Res } from './resource.js';
import { apiVersionOf, effectiveNamespace, kindOf, nameOf, namespaceOf } from './resource.js';
import type { BuildState } from './subBuilds.js';

/** The id kustomize compares (`ResId.Equals`), or undefined when its kind or name is not known here. */
export function idKey(r: Res): string | undefined {
  const kind = kindOf(r);
  const name = nameOf(r);
  if (kind === '' || name === undefined) return undefined;
  return JSON.stringify([apiVersionOf(r), kind, name, effectiveNamespace(r) ?? null]);
}

/** The id as kustomize writes it in its errors (`ResId.String`): `Service.v1.[noGrp]/web.[noNs]`. */
export function idText(r: Res): string {
  const v = apiVersionOf(r);
  const i = v.indexOf('/');
  const group = i === -1 ? '' : v.slice(0, i);
  const version = i === -1 ? v : v.slice(i + 1);
  const ns = namespaceOf(r) ?? '';
  return `${kindOf(r) || '[noKind]'}.${version || '[noVer]'}.${group || '[noGrp]'}/${nameOf(r) ?? ''}.${ns || '[noNs]'}`;
}

/** Where a resource came from, as the kustomization at `kustUri` would name it (a path relative to its folder). */
function origin(r: Res, kustUri: string): string {
  return relativePath(kustUri.slice(0, kustUri.lastIndexOf('/')), r.uri);
}

/** A failure `kustomize build` has whatever the parts of the build not known here hold. */
export function fails(st: BuildState, kustUri: string, span: Span, message: string): void {
  // An entry a Flux or Argo CD root merged in lies in its own file.
  const uri = span.uri ?? kustUri;
  st.problems.push({ uri, span: { ...span, uri }, message, certain: true });
  st.complete = false;
}

/**
 * Appends resources to a build's resources as kustomize's `AppendAll` does: one whose id the build
 * holds is refused (a failure on the kustomization entry `span` that brought it) and left out.
 */
export class Appender {
  private readonly ids = new Map<string, Res>();

  constructor(
    private readonly st: BuildState,
    private readonly ra: Res[],
    private readonly kustUri: string,
    /** Append without looking (the files of an Argo CD directory source, which kubectl applies one by one). */
    private readonly unchecked = false,
  ) {
    if (!unchecked)
      for (const r of ra) {
        const k = idKey(r);
        if (k !== undefined && !this.ids.has(k)) this.ids.set(k, r);
      }
  }

  add(r: Res, span: Span): void {
    const k = this.unchecked ? undefined : idKey(r);
    const held = k === undefined ? undefined : this.ids.get(k);
    if (held !== undefined) {
      fails(
        this.st,
        this.kustUri,
        span,
        `may not add resource with an already registered id: ${idText(r)} (${origin(held, this.kustUri)} added it first)`,
      );
      return;
    }
    if (k !== undefined) this.ids.set(k, r);
    this.ra.push(r);
  }

  /** A failure of the kustomization entry at `span` that kustomize has whatever else the build holds. */
  fails(span: Span, message: string): void {
    fails(this.st, this.kustUri, span, message);
  }

  /** The resource the build holds with the id of `r` (a generator's object: `behavior: create` may not add it). */
  holder(r: Res): Res | undefined {
    const k = this.unchecked ? undefined : idKey(r);
    return k === undefined ? undefined : this.ids.get(k);
  }
}

/** A generator entry without `behavior: merge`/`replace` whose object's id the build holds: kustomize stops. */
export function generatorExists(st: BuildState, kustUri: string, span: Span, field: string, made: Res, held: Res): void {
  fails(
    st,
    kustUri,
    span,
    `${field} "${nameOf(made) ?? ''}": id ${idText(made)} exists; behavior must be merge or replace (${held.uri === kustUri ? 'an earlier generator made it' : `${origin(held, kustUri)} added it`})`,
  );
}

/**
 * After a kustomization's `namespace` moved its resources: two that now share an id make kustomize's
 * namespace transformer stop. The later one is left out.
 */
export function namespaceConflicts(st: BuildState, ra: Res[], kustUri: string, span: Span): void {
  const ids = new Map<string, Res>();
  for (let i = 0; i < ra.length; i++) {
    const r = ra[i];
    const k = r === undefined ? undefined : idKey(r);
    if (r === undefined || k === undefined) continue;
    const held = ids.get(k);
    if (held === undefined) {
      ids.set(k, r);
      continue;
    }
    fails(
      st,
      kustUri,
      span,
      `namespace transformation produces ID conflict: ${idText(r)} (${held.uri === r.uri ? `twice in ${origin(r, kustUri)}` : `${origin(held, kustUri)} and ${origin(r, kustUri)}`})`,
    );
    ra.splice(i--, 1);
  }
}
