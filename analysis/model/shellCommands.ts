/**
 * The shell lines test harnesses run (kuttl `commands`, chainsaw `script` and `command` operations): the files
 * a `kubectl apply|create|replace` applies, in order, and into which namespace (`-n`, `$NAMESPACE`, kuttl's
 * `namespaced: true`). Pure.
 */

import type { YNode } from '../syntax/tree.js';
import { isScalar } from '../syntax/tree.js';
import type { TestAppliedFile } from './types.js';
import { plainString } from './values.js';

/** A relative path, literal or a `filepath.Glob` pattern: no URL, no template expression. */
export function relativePath(p: string): boolean {
  return p !== '' && !p.includes('://') && !/[{}()$]/.test(p) && !p.startsWith('/');
}

/** Whether a path names files by a pattern (`*`, `?`, `[…]`) rather than literally. */
export function isGlobPath(p: string): boolean {
  return /[*?[]/.test(p);
}

/**
 * A file a chainsaw Test applies, creates or updates (`create` fails on an object that exists: never
 * an update), or one a kuttl step applies (its `apply` list, `kubectl apply -f` in its commands):
 * model/types.ts `TestAppliedFile`, kept on the test tool's object.
 */
export type AppliedFile = TestAppliedFile;

/**
 * A shell line as written: a literal string, or one read as an unknown value for its `${VAR}` (the shell's
 * variable, not a placeholder another tool fills in): its text in `source`, the file's (a block scalar's
 * header and indentation are words kubectl never sees).
 */
export function shellText(n: YNode | undefined, source: string | undefined): string | undefined {
  const literal = plainString(n);
  if (literal !== undefined) return literal;
  // The reading masks `${VAR}` (same length, underscores): the scalar's source text holds the words.
  return isScalar(n) && n.unknown && typeof n.value === 'string' && source !== undefined
    ? source.slice(n.span.start, n.span.end)
    : undefined;
}

/** A namespace's name (an RFC 1123 label). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const isTool = (w: string, tool: string): boolean => w === tool || w.endsWith(`/${tool}`);

/** A command's words, quotes stripped. */
function wordsOf(segment: string): string[] {
  return segment
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/^["']|["']$/g, ''));
}

/** kubectl's global flags that take a value as the next word (`kubectl -n web apply …`). */
const KUBECTL_VALUE_FLAGS: ReadonlySet<string> = new Set([
  '-n',
  '--namespace',
  '--context',
  '--kubeconfig',
  '--cluster',
  '--user',
  '-s',
  '--server',
  '--token',
  '--as',
]);

/** The kubectl command's verb (`apply`), past the global flags before it and their values. */
function kubectlVerb(words: readonly string[], k: number): string | undefined {
  for (let i = k + 1; i < words.length; i++) {
    const w = words[i] ?? '';
    if (!w.startsWith('-')) return w;
    if (KUBECTL_VALUE_FLAGS.has(w)) i++;
  }
  return undefined;
}

/**
 * The folder a `kustomize build [DIR]` or `kubectl kustomize [DIR]` command builds (`.` without one), or
 * undefined for any other command; the flags that take a value (kustomize build's `--load-restrictor`,
 * `-o`, `--helm-command`, …) are skipped with it. Only literal relative paths count later (a URL or a
 * variable is no folder here).
 */
function builtFolder(words: readonly string[]): string | undefined {
  let i = words.findIndex((w) => isTool(w, 'kustomize'));
  if (i !== -1 && words[i + 1] === 'build') i += 2;
  else {
    const k = words.findIndex((w) => isTool(w, 'kubectl'));
    if (k === -1 || kubectlVerb(words, k) !== 'kustomize') return undefined;
    i = words.indexOf('kustomize', k + 1) + 1;
  }
  for (; i < words.length; i++) {
    const w = words[i] ?? '';
    if (!w.startsWith('-')) return w;
    if (VALUE_FLAGS.has(w)) i++;
  }
  return '.';
}

/** `kustomize build`'s and `kubectl kustomize`'s flags that take a value as the next word. */
const VALUE_FLAGS: ReadonlySet<string> = new Set([
  '--load-restrictor',
  '-o',
  '--output',
  '--helm-command',
  '--helm-api-versions',
  '--helm-kube-version',
  '--mount',
  '-e',
  '--env',
  '--network-name',
  '--reorder',
]);

/**
 * `kubectl apply -f a.yaml -f b/`, `kubectl create --filename=x.yaml`, `kubectl apply -k overlay/`: the files a shell
 * command line applies, in order. A build piped to kubectl (`kustomize build overlay | kubectl apply -f -`,
 * `kubectl kustomize overlay | kubectl apply -f -`) applies that folder's build, as `-k` does.
 */
export function kubectlAppliedFiles(text: string, how: ShellNamespace = {}): AppliedFile[] {
  const out: AppliedFile[] = [];
  for (const line of text.split(/\n|&&|\|\||;/)) {
    let piped: string | undefined;
    for (const segment of line.split('|')) {
      const from = piped;
      const words = wordsOf(segment);
      piped = builtFolder(words);
      const k = words.findIndex((w) => isTool(w, 'kubectl'));
      if (k === -1) continue;
      const verb = kubectlVerb(words, k);
      if (verb !== 'apply' && verb !== 'create' && verb !== 'replace') continue;
      const ns = kubectlNamespace(words, k, how);
      for (const a of commandFiles(words, k, verb, from)) out.push(ns === undefined ? a : { ...a, ...ns });
    }
  }
  return out;
}

/**
 * How a harness runs a shell command: `namespaced` (kuttl adds `--namespace <test's>` to a kubectl command naming
 * none), `variable` (what `$NAMESPACE` holds when not the test's namespace: a name, null unknown).
 */
export interface ShellNamespace {
  readonly namespaced?: boolean;
  readonly variable?: string | null;
}

/**
 * The namespace one kubectl command applies into: `-n <name>`, `-n=<name>`, `-n<name>`, `--namespace <name>`,
 * `--namespace=<name>`; `$NAMESPACE`/`${NAMESPACE}` the test's (or `how.variable`); another variable unknown (null).
 * undefined without one (kubectl's default), unless `how.namespaced`.
 */
function kubectlNamespace(
  words: readonly string[],
  k: number,
  how: ShellNamespace,
): Pick<AppliedFile, 'namespace' | 'testNamespace'> | undefined {
  for (let i = k + 1; i < words.length; i++) {
    const w = words[i] ?? '';
    const m = /^(?:-n|--namespace)(?:=?(.+))?$/.exec(w);
    if (m === null || (w.startsWith('--') && m[1] !== undefined && !w.startsWith('--namespace='))) continue;
    const v = m[1] ?? words[i + 1];
    if (v === undefined) return { namespace: null };
    if (v === '$NAMESPACE' || v === '${NAMESPACE}')
      return how.variable === undefined ? { testNamespace: true } : { namespace: how.variable };
    return { namespace: DNS_LABEL.test(v) ? v : null };
  }
  return how.namespaced === true ? { testNamespace: true } : undefined;
}

/** What one `kubectl apply|create|replace` applies: its `-f`/`-k` paths; `-f -` the build piped into it (`from`). */
function commandFiles(words: readonly string[], k: number, verb: string, from: string | undefined): AppliedFile[] {
  const out: AppliedFile[] = [];
  const recursive = words.slice(k + 1).some((w) => w === '-R' || w === '--recursive' || w === '--recursive=true');
  for (let i = k + 1; i < words.length; i++) {
    const m = /^(?:(-f|--filename)|(-k|--kustomize))(?:=(.+))?$/.exec(words[i] ?? '');
    if (m === null) continue;
    const file = m[3] ?? words[++i];
    const create = verb === 'create';
    // stdin: the folder a piped `kustomize build` built, applied as its build (as -k).
    if (file === '-' && m[1] !== undefined && from !== undefined && relativePath(from) && !isGlobPath(from))
      out.push({ file: from, create, kustomize: true });
    if (file === undefined || file === '-' || !relativePath(file) || isGlobPath(file)) continue;
    // kubectl: -k reads the folder as a Kustomize build (kubectl kustomize), -R a -f folder at every depth.
    out.push(m[2] !== undefined ? { file, create, kustomize: true } : recursive ? { file, create, recursive } : { file, create });
  }
  return out;
}
