/**
 * The notes `reach`, `explain` and `diff` print on standard error about what the engine left out:
 * the engine's own (alternatives, variants), a Kustomize build naming a folder none of whose
 * files were read (a base outside the paths given) or a part kustomize fetches from the network,
 * whose objects would otherwise be missing without a word, and network policies of CNI plugins
 * that no answer evaluates. File URIs in them are written as paths relative to a folder a person knows.
 */

import { relative, sep } from 'node:path';
import { unevaluatedPoliciesNote, type Analysis } from '../analysis/index.js';
import { uriToPath } from '../server/uris.js';

/** A note for each Kustomize build that names a file or folder outside the paths read. */
function outsidePathsNotes(analysis: Analysis): string[] {
  const read = new Set([...analysis.index.files.keys()].map((uri) => uri.slice(0, uri.lastIndexOf('/'))));
  const outside = new Set<string>();
  for (const [root, build] of analysis.index.kustomizeLayout().builds)
    for (const p of build.result?.problems ?? [])
      if (p.missing !== undefined && p.ignoredBy === undefined && !read.has(p.missing.slice(0, p.missing.lastIndexOf('/'))))
        outside.add(
          `the Kustomize build of ${root} names ${p.missing}, which is outside the paths read: its objects are left out (name a folder that holds both)`,
        );
  return [...outside];
}

/** The note on network policies of CNI plugins (Calico, Cilium) that no answer evaluates, when the paths hold any. */
export function unevaluatedNotes(analysis: Analysis): string[] {
  const note = unevaluatedPoliciesNote(analysis.index.objects);
  return note === undefined ? [] : [note];
}

/**
 * The notes about a Kustomize build: a folder outside the paths read (above), and a part kustomize
 * fetches from the network (a remote base, a chart it pulls; `kustomize-remote-source`), whose
 * objects are left out as well. One note per root and part.
 */
export function kustomizeNotes(analysis: Analysis): string[] {
  const remote = new Set<string>();
  for (const [root, build] of analysis.index.kustomizeLayout().builds)
    for (const n of build.result?.notes ?? [])
      if (n.remote !== undefined)
        remote.add(
          `the Kustomize build of ${root} fetches ${n.remote}, which Kube Reach does not (it reads no network): its objects are left out`,
        );
  return [...outsidePathsNotes(analysis), ...remote];
}

/**
 * `notes` with every file URI written as a path relative to `root` (`.` for `root` itself); a GitOps
 * root's `#Kind:name` stays, as `--unit` takes it (`apps.yaml#Application:web`).
 */
export function readableNotes(notes: readonly string[], root: string): string[] {
  return notes.map((n) =>
    n.replace(/file:\/\/[^\s,()#]+(#[^\s,()]*)?/g, (uri, fragment: string | undefined) => {
      const path = uriToPath(fragment === undefined ? uri : uri.slice(0, -fragment.length));
      return path === undefined ? uri : (relative(root, path).split(sep).join('/') || '.') + (fragment ?? '');
    }),
  );
}
