/**
 * kustomize's load restrictor as the tool that builds a root sets it (docs/dev/kustomize.md "Files
 * outside the kustomization's folder"). A resource or patch file outside the kustomization's folder
 * (render/kustomize/reading.ts `outsideRoot`) is refused by kustomize's default,
 * `LoadRestrictionsRootOnly` ("security; file '…' is not in or below '…'"), and built with
 * `--load-restrictor LoadRestrictionsNone`:
 *
 * - a plain root (`kubectl kustomize`, `kubectl apply -k`, `kustomize build`; a test harness's `-k`):
 *   refused, an error in kustomize's words, and the build is incomplete (in a base it includes, the
 *   error says that the including build fails: the base may be deployed otherwise);
 * - a Flux root: kustomize-controller builds with `LoadRestrictionsNone` (fluxcd/pkg kustomize,
 *   confined to the source's files): information;
 * - an Argo CD root: Argo CD runs `kustomize build` with argocd-cm's `kustomize.buildOptions`
 *   (units/argocdPlugins.ts `argoLoadRestrictor`): refused when the workspace's argocd-cm passes no
 *   `--load-restrictor LoadRestrictionsNone` (an error), built when it does, or when the source's
 *   plugin runs `kustomize build --load-restrictor LoadRestrictionsNone` (information), not known
 *   without an argocd-cm in the workspace (information, as before);
 * - a Fleet root: Fleet's agent builds with `LoadRestrictionsRootOnly` (rancher/fleet
 *   `internal/cmd/agent/deployer/kustomize`): an error.
 */

import type { BuildProblem, BuildResult } from '../render/kustomize/index.js';
import { dirname } from '../workspace/paths.js';

/** What the root's tool does with a file outside a kustomization's folder. */
export type Restrictor =
  | { readonly tool: 'kubectl' }
  | { readonly tool: 'Flux' }
  | { readonly tool: 'Fleet' }
  | { readonly tool: 'Argo CD'; readonly restrictor: 'none' | 'root-only' | 'plugin' | undefined };

/** `result` with each file outside a kustomization's folder judged as the root's tool judges it. */
export function asRestricted(result: BuildResult, by: Restrictor): BuildResult {
  if (!result.problems.some((p) => p.outsideRoot !== undefined)) return result;
  let refused = false;
  const problems = result.problems.map((p): BuildProblem => {
    const rel = p.outsideRoot;
    if (rel === undefined) return p;
    const security = `security; file '${rel}' is not in or below the kustomization's folder`;
    const base = { uri: p.uri, span: p.span, outsideRoot: rel };
    switch (by.tool) {
      case 'kubectl': {
        refused = true;
        const why = `(kustomize's default load restrictor, LoadRestrictionsRootOnly; kustomize build --load-restrictor LoadRestrictionsNone builds it)`;
        // In a base: the builds that stop are the including roots' (this folder may be deployed otherwise: a Flux root's own path).
        if (dirname(p.uri) === result.dir) return { ...base, message: `${security} ${why}`, certain: true };
        return {
          ...base,
          message: `a kubectl kustomize build of a folder that includes this one fails: ${security} ${why}`,
          applyFails: true,
        };
      }
      case 'Fleet':
        refused = true;
        return {
          ...base,
          message: `Fleet's kustomize build fails: ${security} (Fleet builds with kustomize's LoadRestrictionsRootOnly)`,
          applyFails: true,
        };
      case 'Flux':
        return {
          ...base,
          message: `${security}: Flux's kustomize-controller builds it (it loads with LoadRestrictionsNone); kubectl kustomize and kubectl apply -k stop here`,
          level: 'information',
        };
      case 'Argo CD':
        if (by.restrictor === 'root-only') {
          refused = true;
          return {
            ...base,
            message: `Argo CD's kustomize build fails: ${security} (the workspace's argocd-cm kustomize.buildOptions do not pass --load-restrictor LoadRestrictionsNone)`,
            applyFails: true,
          };
        }
        return {
          ...base,
          message:
            by.restrictor === undefined
              ? `${security}: kubectl kustomize and kubectl apply -k stop here, and Argo CD too unless argocd-cm's kustomize.buildOptions pass --load-restrictor LoadRestrictionsNone (no argocd-cm in the workspace says)`
              : `${security}: Argo CD builds it (${by.restrictor === 'plugin' ? "the source's plugin runs kustomize build" : "argocd-cm's kustomize.buildOptions pass"} --load-restrictor LoadRestrictionsNone); kubectl kustomize and kubectl apply -k stop here`,
          level: 'information',
        };
    }
  });
  return { ...result, problems, ...(refused ? { complete: false } : {}) };
}
