/**
 * What every step of a build does with the workspace: reading a file (an input of the build, with
 * `$(NAME)` read as kustomize reads it), and meeting a problem or a part not known here (which makes
 * the build incomplete). Design notes: docs/dev/kustomize.md.
 */

import type { Span } from '../../types.js';
import type { ParsedFile } from '../../syntax/parse.js';
import type { YNode } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { ignoredBy } from '../../workspace/gitignore.js';
import { namedByMakefile, rewrittenByMakefile } from '../../workspace/makefiles.js';
import { copiedBy } from '../../workspace/copiedFiles.js';
import { literalEnv, literalVariables } from './envsubst.js';
import type { BuildState as State } from './subBuilds.js';
import { isUnder, joinPath } from '../../workspace/paths.js';
import { ABSENCE_SILENT, notFetchedMessage } from '../../text/notFetched.js';

const REMOTE = /^(https?:|git@|git::|ssh:|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\.git(\/\/|$)/;

export function isRemote(ref: string): boolean {
  return REMOTE.test(ref);
}

export function problem(st: State, uri: string, span: Span, message: string, missing?: string, absentTarget?: true): void {
  // A missing file a `.gitignore` lists, a Makefile above it names, or a command beside it copies there is generated (the files looked at are inputs: an edit to one rebuilds).
  const ignored =
    missing === undefined
      ? undefined
      : (ignoredBy(
          missing,
          (u) => st.host.text(u),
          (u) => st.inputs.add(u),
        ) ??
        namedByMakefile(
          missing,
          (u) => st.host.text(u),
          (u) => st.inputs.add(u),
        ) ??
        // A command beside it copies it there first (a kuttl step's `cp … deploy` before `kustomize deploy`).
        copiedBy(
          missing,
          st.host.filesUnder === undefined ? undefined : (d) => st.host.filesUnder?.(d) ?? [],
          (u) => st.host.text(u),
          (u) => st.inputs.add(u),
        ));
  // A kustomization its folder's Makefile rewrites before it builds is a scratch: what it names may not be what is built.
  const rewritten =
    missing === undefined || ignored !== undefined
      ? undefined
      : rewrittenByMakefile(
          uri,
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
    ...(rewritten !== undefined ? { rewrittenBy: rewritten } : {}),
  });
  if (missing !== undefined) unknownPart(st);
  else st.complete = false;
}

/** The kustomization file names kustomize looks for in a directory, in its order. */
export const KUSTOMIZATION_FILES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** Whether `uri` names a kustomization file. */
export const isKustomizationUri = (uri: string): boolean => KUSTOMIZATION_FILES.includes(uri.slice(uri.lastIndexOf('/') + 1));

/**
 * A part `kustomize build` fetches from the network (a remote resource, component, patch or
 * transformer; a chart kustomize pulls): not known here, which works offline. The build is
 * incomplete, and a note on the entry says so (`remote-source-not-fetched`, text/notFetched.ts).
 */
export function remotePart(st: State, uri: string, span: Span, what: string, ref: string): void {
  st.notes.push({
    uri,
    span: { ...span, uri },
    message: notFetchedMessage(`kustomize build fetches ${what} "${ref}"`, 'its objects', { tail: ABSENCE_SILENT }),
    remote: ref,
  });
  unknownPart(st);
}

/**
 * A resource or patch file outside the kustomization's folder: `kubectl kustomize` and `kubectl apply -k`
 * (kustomize's default load restrictor, `LoadRestrictionsRootOnly`), Fleet, and Argo CD unless its
 * build options lift it refuse it; Flux's kustomize-controller builds with `LoadRestrictionsNone`.
 * The build goes on and this is information; the tool that builds the root decides what it is
 * (units/loadRestrictor.ts `asRestricted`: an error where that tool refuses it).
 */
export function outsideRoot(st: State, uri: string, span: Span, rel: string): void {
  // A kustomization a GitOps tool writes itself (a Fleet bundle's overlays) is no file kustomize restricts here.
  if (!isKustomizationUri(uri)) return;
  st.problems.push({
    uri,
    span: { ...span, uri },
    message: `security; file '${rel}' is not in or below the kustomization's folder: kubectl kustomize and kubectl apply -k stop here (Argo CD too, unless its kustomize build options pass --load-restrictor LoadRestrictionsNone); Flux's kustomize-controller builds it`,
    level: 'information',
    outsideRoot: rel,
  });
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

const kyamlMemo = new WeakMap<ParsedFile, ParsedFile>();

/**
 * A resource or patch file as kustomize reads it: with go-yaml v3 (kyaml), where `y`, `yes`, `on`,
 * `n`, `no`, `off` (any case go-yaml v2 knows) are strings, values and keys alike, and `kubectl
 * kustomize` writes them out quoted (`"yes"`); kubectl's YAML 1.1 reading of a plain file makes
 * them booleans. Integers read the same in both (go-yaml v3 still takes `0755` as octal, `1_000`
 * and `0b101`). The other scalars and every span are as parsed (kubectl kustomize v5.5.0).
 */
export function kyamlReading(parsed: ParsedFile): ParsedFile {
  const hit = kyamlMemo.get(parsed);
  if (hit !== undefined) return hit;
  let changed = false;
  const documents = parsed.documents.map((d) => {
    const words = d.yaml11.filter((s) => typeof s.value === 'boolean' && typeof s.yaml12 === 'string');
    if (words.length === 0 || d.root === undefined) return d;
    changed = true;
    const at = new Map(words.map((s) => [`${s.key === true ? 'k' : 'v'}${s.span.start}:${s.span.end}`, String(s.yaml12)]));
    return { ...d, root: asStrings(d.root, at) };
  });
  const out = changed ? { ...parsed, documents } : parsed;
  kyamlMemo.set(parsed, out);
  return out;
}

/** A copy of `n` with the scalars and keys `at` names (by span) as the strings kyaml reads (copied only where one changes). */
function asStrings<T extends YNode>(n: T, at: ReadonlyMap<string, string>): T {
  if (isScalar(n)) {
    const s = at.get(`v${n.span.start}:${n.span.end}`);
    return (s === undefined || n.unknown ? n : { ...n, value: s, quoted: true }) as T;
  }
  if (isSeq(n)) {
    const items = n.items.map((i) => asStrings(i, at));
    return (items.every((x, i) => x === n.items[i]) ? n : { ...n, items }) as T;
  }
  if (isMap(n)) {
    const pairs = n.pairs.map((p) => {
      const key = p.keyUnknown ? undefined : at.get(`k${p.keySpan.start}:${p.keySpan.end}`);
      const value = p.value === undefined ? undefined : asStrings(p.value, at);
      return key === undefined && value === p.value ? p : { ...p, ...(key !== undefined ? { key } : {}), value };
    });
    return (pairs.every((x, i) => x === n.pairs[i]) ? n : { ...n, pairs }) as T;
  }
  return n;
}

/**
 * A generator's file (`files`, `envs`), named at `at`. Where kustomize's load restrictor applies
 * (`restricted`), a file outside the kustomization's folder is recorded. A YAML or JSON file not in
 * the workspace stops kustomize ("loading KV pairs: … no such file or directory"): a problem, unless
 * a step before the build writes it (a `.gitignore`d file, one a Makefile names). Other files (an
 * `.env`, a script, a config) the hosts do not read: their data is unknown, never claimed absent.
 */
export function generatorFile(st: State, dir: string, rel: string, at: Span & { uri: string }, restricted: boolean): string | undefined {
  const uri = joinPath(dir, rel);
  if (restricted && !isUnder(uri, dir)) outsideRoot(st, at.uri, at, rel);
  st.inputs.add(uri);
  const t = st.host.text(uri);
  // The hosts read YAML and JSON files only: another file (`config.ini`, `app.py`) may be on disk unread.
  if (t === undefined && !isRemote(rel) && /\.(?:ya?ml|json)$/i.test(rel)) {
    const held = { problems: st.problems.length, complete: st.complete, unknown: st.unknown };
    problem(st, at.uri, at, `generator file "${rel}" is not in the workspace`, uri);
    if (st.problems[held.problems]?.ignoredBy !== undefined) {
      st.problems.length = held.problems;
      st.complete = held.complete;
      st.unknown = held.unknown;
    }
  }
  return t;
}
