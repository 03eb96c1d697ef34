/**
 * `kustomize-build-problem`: what the Kustomize builder (analysis/render/kustomize/build.ts) could
 * not do, on the kustomization line that asked for it, instead of a build that silently lacks the
 * part. A problem `kustomize build` itself would have (a JSON patch that does not apply, a patch
 * without a target, a generator merging into nothing, a cycle) is an error when every part of the
 * build is known; a file the kustomization names that is not in the workspace is a warning only
 * when files of its folder are (the file is really absent), else information (it may lie outside what was
 * opened, or a `.gitignore` lists it: a file generated before the build). A base built by several roots reports its problem once.
 */

import { tier } from './support/findingFields.js';
import { basename, dirname, displayPart } from '../workspace/paths.js';
import type { Check } from './support/check.js';
import { buildItemsOnce, upperFirst } from './support/buildRoots.js';
import { refusedBundles } from '../units/fleet.js';

export const kustomizeBuildProblem: Check = {
  code: 'kustomize-build-problem',
  defaultSeverity: 'error',
  summary: 'A kustomization asks for something the build cannot do, or names a file that is not there.',
  doc: [
    'Kube Reach builds every kustomization as `kustomize build` would and checks the objects the build',
    'produces. When a step cannot be done, this says so on the kustomization entry that asked for it:',
    '',
    '- **error**: `kustomize build` would fail too: a JSON 6902 patch whose operation does not apply',
    '  (a missing path, a failed `test`), a patch without a target, a strategic merge patch without',
    '  `kind` and `metadata.name`, a generator with `behavior: merge` or `replace` and nothing to merge',
    '  into, a kustomization that includes itself. When part of the build is not known here (a remote',
    '  base, a missing file, a Helm chart or plugin), these are information instead, and a patch target or',
    '  generator merge base missing from the build is not reported (it is most likely in that part).',
    '  Always an error, whatever else the build holds: a resource whose id (group, version, kind,',
    '  namespace, name; no namespace and `default` are one) the build already holds, on the entry that',
    '  adds it the second time (`may not add resource with an already registered id:',
    '  Service.v1.[noGrp]/web.[noNs]`: two samples of one name, two bases with one object); a generator',
    '  without `behavior: merge` or `replace` whose object the build holds (`exists; behavior must be',
    '  merge or replace`); a `namespace` that gives two objects one id (`namespace transformation',
    '  produces ID conflict`); a Component listed under `resources` or a Kustomization under',
    "  `components` (`expected kind != 'Component'`); a kustomization file that says nothing (`kustomization.yaml",
    '  is empty`: only comments, or only `apiVersion` and `kind`) or holds a field kustomize does not have',
    '  at the top or in an entry (`invalid Kustomization: json: unknown field "resource"`, on the field: a',
    "  generator's `literal:`, a replacement target's `select: {apiVersion: v1}`, a labels entry's",
    "  `includeSelector:`, an image's `tag:`). The refused resource is left out of the build, which",
    '  is incomplete: checks that claim something is missing stay silent for it.',
    '  A Flux Kustomization without `targetNamespace` whose build leaves a namespaced object without a',
    '  namespace is an error too: kustomize-controller rejects the whole apply (`Service/web namespace',
    '  not specified`). So is a `${VAR}` without a value or a default in a Flux build where the',
    "  workspace's kustomize-controller runs StrictPostBuildSubstitutions (the feature gate, on by default",
    '  from v1.9.0): the controller fails the build (`variable not set (strict mode): "PORT_NAME"`).',
    "  So is a Fleet bundle's `namespace` when the bundle's render holds a cluster-scoped object: Fleet",
    '  refuses the deployment (`invalid cluster scoped object [name=reader kind=ClusterRole …] found`).',
    "  And `helmCharts` in a Fleet bundle's kustomization: Fleet runs kustomize without `--enable-helm`.",
    "  And a fleet.yaml `dependsOn` entry Fleet's bundle reader refuses (neither `name` nor `selector`).",
    '- **warning**: a resource, patch file or component that is not in the workspace although its',
    '  folder is: the file is missing or misspelled, and `kustomize build` stops there.',
    '- **information**: a resource, patch file or component outside what was opened or read (the',
    '  CLI was given only an overlay; the base lies outside the workspace folder), or one a `.gitignore`',
    '  lists or a Makefile in its folder or above names (a file a step before the build writes, such as a',
    "  Makefile's image patch or a Secret it fills in with `sed … > secret-processed.yaml`), one a command in its folder or",
    "  the one above copies there (a kuttl step's `cp ../../config/samples/app.*yaml deploy` before `kustomize build deploy`), one a kustomization",
    '  names that the Makefile in its folder rewrites before it builds (`cat … > kustomization.yaml`, `yq -i`), or an Argo CD',
    '  ApplicationSet generator whose parameters come from outside the repository (SCM provider, pull',
    "  requests, a plugin, a cluster decision resource). The build's objects are then not all known, and",
    '  checks that claim something is missing stay silent for it.',
    "  A resource or patch file outside the kustomization's folder (`security; file '../common/config.yaml'",
    "  is not in or below the kustomization's folder`) is judged as the tool that builds the root loads it:",
    "  an **error** for a plain root (`kubectl apply -k`, `kustomize build`: kustomize's default load",
    '  restrictor, `LoadRestrictionsRootOnly`), a Fleet bundle (Fleet builds with it too) and an Argo CD',
    "  Application when the workspace's argocd-cm sets `kustomize.buildOptions` without `--load-restrictor",
    "  LoadRestrictionsNone`; **information** for a Flux Kustomization's build (kustomize-controller loads",
    "  with `LoadRestrictionsNone`), an Argo CD Application whose argocd-cm (or the argo-cd chart's",
    '  `configs.cm`) or kustomize plugin passes `--load-restrictor LoadRestrictionsNone`, or when no argocd-cm',
    '  is in the workspace.',
    '  Also information: a field kustomize v5 still builds but deprecates (`bases`, `commonLabels`,',
    '  `imageTags`, `patchesJson6902`, `patchesStrategicMerge`, `vars`), on its key, with the warning',
    "  `kustomize build` prints (\"'bases' is deprecated. Please use 'resources' instead. Run 'kustomize",
    '  edit fix\' to update your Kustomization automatically.").',
    '  Also information: a Fleet bundle that deploys a chart or a kustomize build, on the `helm` or',
    '  `kustomize` key of its fleet.yaml, when files beside it hold objects that render never reads:',
    '  Fleet never deploys them (a Certificate beside a downloaded cert-manager chart). And on a',
    '  fleet.yaml `helm.chart` naming a packed chart of the repository (`./chart.tgz`): Fleet unpacks it,',
    '  Kube Reach does not, so what that deployment holds is not known here. And on a fleet.yaml',
    "  `helm.valuesFiles` entry naming a file the repository lacks: Fleet's bundle reader refuses the",
    '  whole bundle, and its folder is read as if it had no fleet.yaml.',
    '  Also on a `.fleetignore` itself (a file with no objects: the CLI, SARIF and the editor report it there):',
    '  information on a line holding `/` (`apps/web`, `old/`), which leaves nothing out since Fleet matches',
    "  each line against a file's or folder's name, never a path; and on one that no bundle holds while",
    "  bundles below it never read it (Fleet reads the `.fleetignore` files of the folder a bundle's walk",
    "  starts at, and below). A **warning** on a line Go's `filepath.Match` refuses (`[z`): Fleet's walk of",
    '  the bundles reading it fails, and Fleet does not deploy them.',
    '  Parts of a build that a tool fetches or runs and Kube Reach does not (a remote base, a chart kustomize,',
    '  Argo CD, Flux or Fleet pulls, an Argo CD plugin) are `remote-source-not-fetched` notes.',
    "- **warning** too: a Flux Kustomization's `spec.patchesStrategicMerge` or `spec.patchesJson6902`",
    '  (v1beta2 fields): the `kustomize.toolkit.fluxcd.io/v1` API that kustomize-controller reads since',
    '  Flux 2.0 has no such field and the API server drops it, so those patches are never applied.',
    '',
    '```yaml',
    'resources:',
    '  - deployment.yaml',
    '  - servce.yaml        # warning: resource "servce.yaml" is not in the workspace, though its folder is',
    '```',
    '',
    '**Fix:** correct the path or the patch; open the folder that holds the base.',
  ].join('\n'),
  run(ctx) {
    const layout = ctx.index.kustomizeLayout();
    for (const [p, result] of buildItemsOnce(ctx, (r) => r.problems)) {
      if (p.missing !== undefined && p.ignoredBy !== undefined) {
        // Listed by a .gitignore, named by a Makefile or copied there by a command beside it (a kuttl step's `cp`): a file a step before the build writes, not a mistake.
        ctx.report({
          uri: p.uri,
          span: p.span,
          message: `${upperFirst(p.message)}, and ${displayPart(relativeTo(p.ignoredBy, p.uri), p.uri)} ${p.ignoredBy.endsWith('/.gitignore') ? 'lists it' : /\/(?:GNUm|M)akefile$/.test(p.ignoredBy) ? 'names it' : 'copies it there'}: a file generated before the build, so the objects of this build are not all known.`,
          ...tier(false),
        });
        continue;
      }
      if (p.missing !== undefined && p.rewrittenBy !== undefined) {
        // The folder's Makefile replaces this kustomization before it builds (`cat … > kustomization.yaml`): a scratch, not the build.
        ctx.report({
          uri: p.uri,
          span: p.span,
          message: `${upperFirst(p.message)}, and ${displayPart(relativeTo(p.rewrittenBy, p.uri), p.uri)} rewrites this kustomization before it builds, so the objects of this build are not all known.`,
          ...tier(false),
        });
        continue;
      }
      if (p.missing !== undefined) {
        // Evidence that the file is really absent: the folder it would lie in has files of its own here.
        const folder = dirname(p.missing);
        let folderRead = false;
        for (const uri of ctx.index.files.keys())
          if (dirname(uri) === folder) {
            folderRead = true;
            break;
          }
        ctx.report({
          uri: p.uri,
          span: p.span,
          message: folderRead
            ? `${upperFirst(p.message)}, though its folder is: kustomize build would stop here.`
            : `${upperFirst(p.message)}: the objects of this build are not all known.`,
          ...tier(folderRead),
        });
        continue;
      }
      if (p.note === true) {
        // How the root was made (an ApplicationSet generator whose parameters are not known here): the build is incomplete.
        ctx.report({ uri: p.uri, span: p.span, message: `${upperFirst(p.message)}.`, ...tier(false) });
        continue;
      }
      if (p.level !== undefined) {
        // A field read otherwise than written: kustomize's deprecation warning (information), or a field the controller never applies.
        ctx.report({
          uri: p.uri,
          span: p.span,
          message: p.level === 'information' ? p.message : `${upperFirst(p.message)}.`,
          confidence: p.level === 'information' ? 'definite' : 'evidence',
          severity: p.level,
        });
        continue;
      }
      if (p.applyFails === true) {
        // A Flux Kustomization's object kustomize-controller cannot place: its apply fails whatever else the build holds.
        ctx.report({ uri: p.uri, span: p.span, message: `${upperFirst(p.message)}.`, confidence: 'definite', severity: 'error' });
        continue;
      }
      if (p.certain === true) {
        // kustomize stops here whatever the parts not known here hold (a resource whose id the build holds).
        ctx.report({
          uri: p.uri,
          span: p.span,
          message: `kustomize build would fail: ${p.message}.`,
          confidence: 'definite',
          severity: 'error',
        });
        continue;
      }
      // A target missing from a build with unknown parts (a remote base, a file outside the
      // workspace) is most likely in that part: the note about the part says enough.
      if (!result.knownParts && p.absentTarget === true) continue;
      ctx.report({
        uri: p.uri,
        span: p.span,
        message: result.knownParts
          ? `kustomize build would fail: ${p.message}.`
          : `${upperFirst(p.message)} (part of this build is not known here, so kustomize build may differ).`,
        confidence: result.knownParts ? 'definite' : 'no-evidence',
        severity: result.knownParts ? 'error' : 'information',
      });
    }
    // A fleet.yaml Fleet's bundle reader refuses for a values file it cannot read: no bundle here either (units/fleet.ts).
    for (const f of ctx.files) {
      const r = refusedBundles(layout.fleet).get(f.uri);
      if (r === undefined) continue;
      ctx.report({
        uri: f.uri,
        span: r.span,
        message: `Fleet's bundle reader refuses this bundle: values file "${r.file}" is not in the repository ("reading values file: …/${r.file}: no such file or directory"), so Kube Reach reads the folder's files as if there were no fleet.yaml.`,
        ...tier(false),
      });
    }
  },
};

/** `.gitignore` as the user would find it from the kustomization: a path relative to its folder. */
function relativeTo(uri: string, from: string): string {
  const a = dirname(uri).split('/');
  const b = dirname(from).split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = b.length - i;
  return [...Array<string>(up).fill('..'), ...a.slice(i), basename(uri)].join('/');
}
