/**
 * What every step of a build does with the workspace: reading a file (an input of the build, with
 * `$(NAME)` read as kustomize reads it), and meeting a problem or a part not known here (which makes
 * the build incomplete). Design notes: docs/dev/kustomize.md.
 */

import type { Span } from '../../types.js';
import type { ParsedFile } from '../../syntax/parse.js';
import { ignoredBy } from '../../workspace/gitignore.js';
import { literalEnv, literalVariables } from './envsubst.js';
import type { BuildState as State } from './subBuilds.js';

const REMOTE = /^(https?:|git@|git::|ssh:|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)/;

export function isRemote(ref: string): boolean {
  return REMOTE.test(ref);
}

export function problem(st: State, uri: string, span: Span, message: string, missing?: string, absentTarget?: true): void {
  // A missing file a `.gitignore` lists is generated (the `.gitignore`s looked at are inputs: an edit to one rebuilds).
  const ignored =
    missing === undefined
      ? undefined
      : ignoredBy(
          missing,
          (u) => st.host.text(u),
          (u) => st.inputs.add(u),
        );
  st.problems.push({
    uri,
    span,
    message,
    ...(missing !== undefined ? { missing } : {}),
    ...(absentTarget ? { absentTarget } : {}),
    ...(ignored !== undefined ? { ignoredBy: ignored } : {}),
  });
  if (missing !== undefined) unknownPart(st);
  else st.complete = false;
}

/** The build depends on something that cannot be known here: it is incomplete. */
export function unknownPart(st: State): void {
  st.complete = false;
  st.unknown = true;
}

/**
 * A file of the build, read as kustomize reads it: `$(NAME)` as text; with `variablesAsText` (a
 * resource or patch file), `${VAR}`s inside values as text too (envsubst.ts `literalVariables`),
 * which the build records (units/postBuild.ts decides what the text becomes).
 */
export function read(st: State, uri: string, variablesAsText = false): ParsedFile | undefined {
  st.inputs.add(uri);
  const parsed = st.host.parse(uri);
  if (parsed === undefined) return undefined;
  const literal = variablesAsText ? literalVariables(st.host.text(uri), parsed) : undefined;
  if (literal !== undefined) st.literalVariables = true;
  return literal ?? literalEnv(parsed, () => st.host.text(uri));
}
