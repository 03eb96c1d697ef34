/**
 * Turning the API findings that lowering stored in `FileFacts` into diagnostics, one per object that
 * has them (per Kustomize root that builds it: a root that patched the apiVersion has no removed-apiVersion
 * finding; the runner joins the rest): pick the variant
 * for `kubeReach.kubernetesVersion`, drop findings on patches (objects the index leaves out), and
 * attach the object for annotation suppressions.
 */

import { isFluxRootId } from '../../units/flux.js';
import { pluginRenderedFolders } from '../../units/argocdCharts.js';
import type { ApiFinding, ApiVariant } from '../../model/apiValidation.js';
import { builtNameFindings } from '../../model/apiValidation.js';
import type { FileFacts, KObject } from '../../model/types.js';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex.js';
import { dirname, relativePath } from '../../workspace/paths.js';
import { goModulesOf, goTestData } from '../../units/testData.js';
import type { CheckContext } from '../support/check.js';
import { gatewayApiChannel, gatewayReleaseBefore } from './gatewayChannel.js';

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
  'GW27',
  'GW31',
]);

function kustomizeMaySupply(f: ApiFinding): boolean {
  return (
    KUSTOMIZE_RELATIONAL.has(f.rule) || f.code === 'api-service-field-forbidden' || (f.rule === 'SV16' && f.code === 'api-required-value')
  );
}

/**
 * A boolean or number in an object's own `metadata.annotations` (A13): kustomize outputs its
 * annotations as strings (render/kustomize/buildMetadata.ts `clearEmptyAnnotations`), so the
 * built object holds `"true"`; a pod template's annotations stay as written.
 */
function stringifiedByKustomize(f: ApiFinding): boolean {
  return (
    f.rule === 'A13' &&
    f.code === 'api-invalid-annotation' &&
    f.variants.some((v) => v.message.includes(' ObjectMeta.metadata.annotations of type string'))
  );
}

/** Object names (Service M2, Namespace M3, the rest M4): a Kustomize build may change them. */
const NAME_RULES = new Set(['M2', 'M3', 'M4']);

function nameOf(o: KObject | undefined): string | undefined {
  return o?.name?.known === true ? o.name.value : undefined;
}

/**
 * The object is reached by a Kustomize build (which may supply labels, namespaces and ports): a
 * kustomization's, or a Flux Kustomization's or Argo CD Application's that builds its folder.
 */
function kustomized(index: WorkspaceIndex, o: KObject): boolean {
  const dirs = index.kustomizeDirs();
  if (dirs.size === 0) return false;
  const builds = index.kustomizeLayout().builds;
  // A GitOps root (`<file>#…`) builds a kustomization when its build read one (not a folder of plain files).
  const gitops = (unit: string): boolean =>
    isFluxRootId(unit) &&
    [...(builds.get(unit)?.result.kustomizations ?? [])].some((u) => index.factsForChecks(u)?.toolConfig?.kind === 'kustomization');
  return index.placements(o).some((pl) => dirs.has(pl.unit) || gitops(pl.unit));
}

const spanKey = (s: { readonly start: number; readonly end: number }): string => `${s.start}:${s.end}`;

/**
 * The plain scalars of a file that kubectl's YAML 1.1 reads as booleans and kustomize's YAML 1.2 as
 * strings (`yes`, `on`, `n`, …), when a Kustomize build read the file so (its `kyamlFiles`): a finding
 * there is about kubectl's reading, not what the build applies.
 */
function kyamlWords(
  index: WorkspaceIndex,
  facts: FileFacts,
): { readonly spans: ReadonlySet<string>; readonly builtBy: (root: string) => boolean } | undefined {
  const all = facts.documents === undefined ? (facts.yaml11 ?? []) : facts.documents.flatMap((d) => d.yaml11 ?? []);
  const spans = new Set(all.filter((s) => typeof s.value === 'boolean' && typeof s.yaml12 === 'string').map((s) => spanKey(s.span)));
  if (spans.size === 0) return undefined;
  const builds = index.kustomizeLayout().builds;
  return { spans, builtBy: (root) => builds.get(root)?.result.kyamlFiles?.has(facts.uri) === true };
}

/** Reports every stored finding of `code` that applies at the target version. */
export function reportApiFindings(ctx: CheckContext, code: string): void {
  const minor = targetMinor(ctx.settings.kubernetesVersion);
  // The runner hands a file's facts to the first group of its objects it judges (objects with
  // alternatives are judged in groups, one per view); the findings of the other groups' objects
  // (other Kustomize roots) are read from the same facts.
  const files = new Map(ctx.files.map((f) => [f.uri, f]));
  for (const p of ctx.objects) {
    if (files.has(p.obj.uri)) continue;
    const f = ctx.index.factsForChecks(p.obj.uri);
    if (f !== undefined) files.set(p.obj.uri, f);
  }
  for (const facts of files.values()) {
    const list: readonly ApiFinding[] = facts.apiFindings ?? [];
    if (list.length === 0) continue;
    // Non-patch objects of the file by the start offset of their root map (one per Kustomize root that builds it).
    const byStart = new Map<number, KObject[]>();
    for (const p of ctx.objects) {
      if (p.obj.uri !== facts.uri) continue;
      const at = byStart.get(p.obj.span.start);
      if (at === undefined) byStart.set(p.obj.span.start, [p.obj]);
      else at.push(p.obj);
    }
    // Where kustomize's YAML 1.2 reading makes kubectl's `yes`/`on`/… booleans strings (the built objects hold those).
    const words = kyamlWords(ctx.index, facts);
    for (const f of list) {
      if (f.code !== code) continue;
      // Kustomize patches and `$patch` documents are not in the index: never judged.
      const objects = byStart.get(f.objectStart);
      const first = objects?.[0];
      if (objects === undefined || first === undefined) continue;
      if (kustomizeMaySupply(f) && kustomized(ctx.index, first)) continue;
      const variant = f.variants.find((v) => v.from <= minor && minor <= v.to);
      if (variant === undefined) continue;
      // Reported once per object (per root; the runner joins them): a root whose build changed the
      // apiVersion (a patch to `policy/v1`) does not have a removed-apiVersion finding of the file.
      const sourceObject =
        f.rule === 'A16' || NAME_RULES.has(f.rule) ? facts.objects.find((o) => o.span.start === f.objectStart) : undefined;
      const source = f.rule === 'A16' ? sourceObject?.apiVersion : undefined;
      const sourceName = NAME_RULES.has(f.rule) ? nameOf(sourceObject) : undefined;
      for (const object of objects) {
        const kyaml =
          words !== undefined && object.build !== undefined && words.builtBy(object.build.root) && words.spans.has(spanKey(f.span));
        // A13T: a `yes` in a boolean field is a string only in a build that read the file with go-yaml v3; elsewhere kubectl sends a boolean.
        if (f.kyamlString === true ? !kyaml : kyaml) continue;
        if (source !== undefined && object.build !== undefined && object.apiVersion !== source) continue;
        // kustomize writes an object's annotations back as strings (`true` is "true"): a build never sends the boolean.
        if (object.build !== undefined && stringifiedByKustomize(f)) continue;
        // A build that renamed the object is judged by the name it builds, not by the file's: the
        // namespace transformer names a `v1` Namespace object after `namespace:` (a placeholder
        // `name: _` becomes `default`), and namePrefix/nameSuffix add to names (builtNames below).
        if (sourceName !== undefined && object.build !== undefined && nameOf(object) !== sourceName) continue;
        report(ctx, facts.uri, f, variant, object);
      }
    }
  }
  if (code === 'api-invalid-name') reportBuiltNames(ctx, files, minor);
  reportPacked(ctx, code, minor);
}

/**
 * The findings of packed (`charts/*.tgz`) subcharts' templates (their files are not analysed), on
 * the parent chart's file the render placed them on (units/helmNeeded.ts `packedFindings`), once
 * each: a file several renders read holds the same finding for every one of them.
 */
function reportPacked(ctx: CheckContext, code: string, minor: number): void {
  const layout = ctx.index.helmLayout();
  if (layout.roots.length === 0) return;
  const seen = new Set<string>();
  // A chart an Argo CD Application renders with a config management plugin is the plugin's to render (units/argocdCharts.ts).
  const plugin = pluginRenderedFolders(ctx.index.kustomizeLayout().argo);
  for (const f of ctx.files) {
    for (const dir of layout.readers.get(f.uri) ?? []) {
      if (plugin.has(dir)) continue;
      for (const p of layout.renders.get(dir)?.packed ?? []) {
        if (p.uri !== f.uri || p.code !== code) continue;
        const variant = p.variants.find((v) => v.from <= minor && minor <= v.to);
        if (variant === undefined) continue;
        const key = `${p.span.start}|${p.span.end}|${variant.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        ctx.report({
          uri: p.uri,
          span: p.span,
          message: variant.message,
          confidence: 'definite',
          severity: variant.severity,
          data: { rule: p.rule },
        });
      }
    }
  }
}

/**
 * `api-invalid-name` on the names Kustomize builds made: an object whose built name differs from
 * its file's (namePrefix/nameSuffix, the namespace transformer naming a Namespace) is judged by the
 * built name, reported where that name comes from (the kustomization's field), once per root.
 */
function reportBuiltNames(ctx: CheckContext, files: ReadonlyMap<string, FileFacts>, minor: number): void {
  const sources = new Map<string, Map<number, KObject>>();
  for (const p of ctx.objects) {
    const o = p.obj;
    const built = nameOf(o);
    if (o.build === undefined || built === undefined || o.name === undefined) continue;
    const facts = files.get(o.uri);
    if (facts === undefined) continue;
    let byStart = sources.get(o.uri);
    if (byStart === undefined) {
      byStart = new Map(facts.objects.map((x) => [x.span.start, x]));
      sources.set(o.uri, byStart);
    }
    const source = byStart.get(o.span.start);
    if (source === undefined || nameOf(source) === built) continue;
    for (const f of builtNameFindings(o.kind, built, o.name.span)) {
      const variant = f.variants.find((v) => v.from <= minor && minor <= v.to);
      if (variant !== undefined) report(ctx, o.uri, f, variant, o);
    }
  }
}

function report(ctx: CheckContext, uri: string, f: ApiFinding, variant: ApiVariant, object: KObject): void {
  let { message, severity } = variant;
  let span = f.span;
  if (f.gatewayRelease !== undefined && gatewayReleaseBefore(ctx.index, f.gatewayRelease.kind, f.gatewayRelease.from)) return;
  if (f.uncheckedOnStandard !== undefined && gatewayApiChannel(ctx.index, ctx.settings, f.uncheckedOnStandard).channel === 'standard')
    return;
  if (f.experimentalField !== undefined) {
    // GW51: silent where the cluster serves the experimental channel, an error where it is known to be standard.
    const channel = gatewayApiChannel(ctx.index, ctx.settings, f.experimentalField.kind);
    const only = f.experimentalField.only;
    const words = f.experimentalField.experimentalWords;
    if (words !== undefined) {
      // Both channels reject it: in the words of the channel the cluster runs (the standard's unless it is known).
      if (channel.channel === 'experimental') {
        message = words.error;
        span = words.span;
      }
    } else if (only !== undefined) {
      // A rule of one channel's CRDs only: the error there, silent with the other's, information when unknown.
      if (channel.channel !== undefined && channel.channel !== only) return;
      if (channel.channel === only) {
        message = `${f.experimentalField.strictError} (a rule of the Gateway API's ${only} channel's CRDs only, and the cluster runs the ${only} channel: ${channel.source})`;
        severity = 'error';
      }
    } else if (channel.channel === 'experimental') return;
    else if (channel.channel !== 'standard' && f.experimentalField.standardOnly === true) return;
    else if (channel.channel === 'standard') {
      const what = f.experimentalField.standardOnly === true ? 'a value' : 'a field';
      message = `${f.experimentalField.strictError} (${what} of the Gateway API's experimental channel only, and the cluster runs the standard channel: ${channel.source})`;
      severity = 'error';
    }
  }
  // A Go module's testdata folder holds test inputs and goldens, often invalid on purpose: information, saying why.
  const testData = severity === 'information' || severity === 'hint' ? undefined : goTestData(uri, goModules(ctx.index));
  if (testData !== undefined) {
    message = `${message} (${testDataWhere(testData, uri)})`;
    severity = 'information';
  }
  ctx.report({
    uri,
    span,
    message,
    object,
    confidence: 'definite',
    severity,
    data: { rule: f.rule },
    ...(f.fixes !== undefined
      ? {
          fixes: f.fixes.map((x) => ({
            title: x.title,
            edits: x.edits.map((e) => ({ uri, span: e.span, newText: e.newText })),
            ...(x.isPreferred === true ? { isPreferred: true } : {}),
          })),
        }
      : {}),
  });
}

/** The folders holding a `go.mod` the host handed over (every support file is the Helm layout's: units/helm.ts). */
function goModules(index: WorkspaceIndex): ReadonlySet<string> {
  return index.cached('go-modules', () => goModulesOf(index.helmLayout().support));
}

/** Where a Go test input lives, in the words of a finding on file `uri`. */
function testDataWhere(at: { readonly folder: string; readonly module: string }, uri: string): string {
  const rel = (target: string): string => relativePath(dirname(uri), target);
  const folder = rel(at.folder);
  return `a Go test input: ${folder === '.' ? 'its folder' : `${folder}/`} is a testdata folder of the Go module of ${rel(at.module)}/go.mod, whose tests read these files as inputs or goldens, often invalid on purpose`;
}
