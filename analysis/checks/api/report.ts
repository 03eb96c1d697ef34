/**
 * Turning the API findings that lowering stored in `FileFacts` into diagnostics: pick the variant
 * for `kubeReach.kubernetesVersion`, drop findings on patches (objects the index leaves out), and
 * attach the object for annotation suppressions.
 */

import type { ApiFinding } from '../../model/apiValidation.js';
import type { KObject } from '../../model/types.js';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import type { CheckContext } from '../support/check.js';

/** The minor version of `kubeReach.kubernetesVersion` (`1.35` → 35). */
export function targetMinor(version: string): number {
  const m = /^1\.(\d+)/.exec(version);
  return m === null ? 35 : Number(m[1]);
}

/**
 * Findings that a Kustomize build can make false after the file is read: `labels`/`commonLabels`
 * add the workload selector and template labels, `namespace:` replaces metadata.namespace, and an
 * overlay's patch may add a missing field or change the Service type that another field depends
 * on. On files a build reaches, these stay silent (a present literal value that is malformed is
 * still reported).
 */
const KUSTOMIZE_RELATIONAL = new Set([
  'M5',
  'WL1',
  'WL2',
  'WL3',
  'SV1',
  'SV2',
  'SV10',
  'SV13',
  'SV14',
  'SV15',
  'SV22',
  'IN1',
  // Gateway API fields an overlay may add (docs/dev/api-rules.md §A.10a).
  'GW1',
  'GW2',
  'GW3',
  'GW5',
  'GW10',
  'GW13',
]);

function kustomizeMaySupply(f: ApiFinding): boolean {
  return (
    KUSTOMIZE_RELATIONAL.has(f.rule) || f.code === 'api-service-field-forbidden' || (f.rule === 'SV16' && f.code === 'api-required-value')
  );
}

/** The object is reached by a Kustomize build (which may supply labels, namespaces and ports). */
function kustomized(index: WorkspaceIndex, o: KObject): boolean {
  const dirs = index.kustomizeDirs();
  return dirs.size > 0 && index.placements(o).some((pl) => dirs.has(pl.unit));
}

/** Reports every stored finding of `code` that applies at the target version. */
export function reportApiFindings(ctx: CheckContext, code: string): void {
  const minor = targetMinor(ctx.settings.kubernetesVersion);
  for (const facts of ctx.files) {
    const list: readonly ApiFinding[] = facts.apiFindings ?? [];
    if (list.length === 0) continue;
    // Non-patch objects of the file by the start offset of their root map.
    const byStart = new Map(ctx.objects.filter((p) => p.obj.uri === facts.uri).map((p) => [p.obj.span.start, p.obj]));
    for (const f of list) {
      if (f.code !== code) continue;
      // Kustomize patches and `$patch` documents are not in the index: never judged.
      const object = byStart?.get(f.objectStart);
      if (object === undefined) continue;
      if (kustomizeMaySupply(f) && kustomized(ctx.index, object)) continue;
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
          ? {
              fixes: f.fixes.map((x) => ({
                title: x.title,
                edits: x.edits.map((e) => ({ uri: facts.uri, span: e.span, newText: e.newText })),
                ...(x.isPreferred === true ? { isPreferred: true } : {}),
              })),
            }
          : {}),
      });
    }
  }
}
