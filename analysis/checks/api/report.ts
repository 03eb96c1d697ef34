/**
 * Turning the API findings that lowering stored in `FileFacts` into diagnostics: pick the variant
 * for `kubeReach.kubernetesVersion`, drop findings on patches (objects the index leaves out), and
 * attach the object for annotation suppressions.
 */

import type { ApiFinding } from '../../model/apiValidation.js';
import type { KObject } from '../../model/types.js';
import type { WorkspaceIndex } from '../../index/workspaceIndex.js';
import type { CheckContext } from '../check.js';
import { dirname } from '../../index/paths.js';

/** The minor version of `kubeReach.kubernetesVersion` (`1.35` → 35). */
export function targetMinor(version: string): number {
  const m = /^1\.(\d+)/.exec(version);
  return m === null ? 35 : Number(m[1]);
}

const objectsByIndex = new WeakMap<WorkspaceIndex, Map<string, Map<number, KObject>>>();
const kustomizedByIndex = new WeakMap<WorkspaceIndex, Set<KObject>>();

/**
 * Findings that a Kustomize build can make false after the file is read: `labels`/`commonLabels`
 * add the workload selector and template labels, `namespace:` replaces metadata.namespace, and an
 * overlay's patch may add a missing field or change the Service type that another field depends
 * on. On files a build reaches, these stay silent (a present literal value that is malformed is
 * still reported).
 */
const KUSTOMIZE_RELATIONAL = new Set(['M5', 'WL1', 'WL2', 'WL3', 'SV1', 'SV2', 'SV10', 'SV13', 'SV14', 'SV15', 'SV22', 'IN1']);

function kustomizeMaySupply(f: ApiFinding): boolean {
  return KUSTOMIZE_RELATIONAL.has(f.rule) || f.code === 'api-service-field-forbidden' || (f.rule === 'SV16' && f.code === 'api-required-value');
}

/** Objects that a Kustomize build in the workspace reaches. */
function kustomized(index: WorkspaceIndex): Set<KObject> {
  const cached = kustomizedByIndex.get(index);
  if (cached !== undefined) return cached;
  const dirs = new Set<string>();
  for (const f of index.files.values()) if (f.toolConfig?.kind === 'kustomization') dirs.add(dirname(f.uri));
  const out = new Set<KObject>();
  if (dirs.size > 0) for (const p of index.objects) if (p.placements.some((pl) => dirs.has(pl.unit))) out.add(p.obj);
  kustomizedByIndex.set(index, out);
  return out;
}

/** Non-patch objects of each file by the start offset of their root map. */
function objectsOf(index: WorkspaceIndex): Map<string, Map<number, KObject>> {
  const cached = objectsByIndex.get(index);
  if (cached !== undefined) return cached;
  const out = new Map<string, Map<number, KObject>>();
  for (const placed of index.objects) {
    const o = placed.obj;
    let m = out.get(o.uri);
    if (m === undefined) {
      m = new Map();
      out.set(o.uri, m);
    }
    m.set(o.span.start, o);
  }
  objectsByIndex.set(index, out);
  return out;
}

/** Reports every stored finding of `code` that applies at the target version. */
export function reportApiFindings(ctx: CheckContext, code: string): void {
  const minor = targetMinor(ctx.settings.kubernetesVersion);
  const objects = objectsOf(ctx.index);
  for (const facts of ctx.index.files.values()) {
    const list: readonly ApiFinding[] = facts.apiFindings ?? [];
    if (list.length === 0) continue;
    const byStart = objects.get(facts.uri);
    for (const f of list) {
      if (f.code !== code) continue;
      // Kustomize patches and `$patch` documents are not in the index: never judged.
      const object = byStart?.get(f.objectStart);
      if (object === undefined) continue;
      if (kustomizeMaySupply(f) && kustomized(ctx.index).has(object)) continue;
      const variant = f.variants.find((v) => v.from <= minor && minor <= v.to);
      if (variant === undefined) continue;
      ctx.report({
        uri: facts.uri,
        span: f.span,
        message: variant.message,
        object,
        confidence: 'definite',
        severity: variant.severity,
        data: { rule: f.rule },
        ...(f.fixes !== undefined
          ? { fixes: f.fixes.map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ uri: facts.uri, span: e.span, newText: e.newText })), ...(x.isPreferred === true ? { isPreferred: true } : {}) })) }
          : {}),
      });
    }
  }
}
