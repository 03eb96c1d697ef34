/**
 * The parameter sets of an ApplicationSet's generators, as the ApplicationSet controller makes them
 * from what is known offline (docs/dev/argocd.md):
 *
 * - `list`: literal `elements` (`elementsYaml` is not known here);
 * - `git` `directories`: the workspace's folders below the repository root (read as for a path,
 *   `units/flux.ts` `repositoryRoot`), matched as Go's `path.Match` (a `*` stays within one folder),
 *   hidden folders left out, `exclude: true` entries taken away; parameters `path`, `path.basename`,
 *   `path.basenameNormalized`, `path[N]` (Go template: `path.path`, `path.segments`);
 * - `git` `files`: the workspace's JSON/YAML files matched by each `path` (Argo CD's default greedy
 *   globbing: `*` crosses folders; with the controller's new globbing `*` stays in a folder, `**` crosses),
 *   each file's object (or each object of its list) flattened into `key.sub` parameters, with
 *   `path` (its folder), `path.basename`, `path.filename` and their normalized forms, `path[N]`;
 * - `matrix`: every pair of its two generators' sets, merged; a second generator whose fields are
 *   templated reads each set of the first (its fields rendered with that set's parameters first);
 * - `merge`: each set of the first generator, with the parameters of the other generators' sets
 *   whose `mergeKeys` values equal its own (later generators win);
 * - `clusters`: one set whose parameters (`name`, `server`, labels, annotations) are not known
 *   (null): the clusters are Argo CD's;
 * - `scmProvider`, `pullRequest`, `plugin`, `clusterDecisionResource`: their parameters come from
 *   outside the repository (a Git host's API, a plugin's service, a custom resource): one set in which
 *   every parameter is not known (`ANY`), and the generator is recorded (`GeneratorContext.outside`).
 *
 * A generator's `values` are `values.*` parameters; a `selector` keeps the sets whose parameters
 * match it as a label selector matches labels (`matchLabels`, `matchExpressions` with `In`, `NotIn`,
 * `Exists`, `DoesNotExist`); a parameter not known keeps the set (it may match).
 */

import type { Span } from '../types.js';
import type { FileFacts, KObject } from '../model/types.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YNode } from '../syntax/tree.js';
import { get, isMap, isScalar, isSeq } from '../syntax/tree.js';
import { repositoryRoot } from './flux.js';

/** A parameter's value: a generator element's scalar keeps its YAML type (Go templates test it); null: not known here. */
export type ParamValue = string | number | boolean | null;

/** Parameters by dotted key; null: a value not known here (a cluster's). */
export type Params = ReadonlyMap<string, ParamValue>;

/** The key of a set whose every parameter is not known (a generator reading from outside the repository). */
export const ANY = '*';

/** A parameter of the set as text (fasttemplate, selectors, merge keys); null: not known here. */
export function paramText(params: Params, key: string): string | null | undefined {
  const v = params.has(key) ? params.get(key) : params.has(ANY) ? null : undefined;
  return v === undefined || v === null ? v : String(v);
}

/** The generators whose parameters come from outside the repository. */
const OUTSIDE = ['scmProvider', 'pullRequest', 'plugin', 'clusterDecisionResource'];

export interface GeneratorContext {
  readonly goTemplate: boolean;
  /** The ApplicationSet file's folder (repository paths are read from it upwards). */
  readonly from: string;
  readonly filesUnder: (dir: string) => readonly string[];
  readonly parse: (uri: string) => ParsedFile | undefined;
  /** A matrix's second generator with a set of the first put into its templated fields (argocdSets.ts). */
  readonly render: (n: YNode, params: Params) => YNode;
  /** Generators whose parameters come from outside the repository, as they are met (the span of their key). */
  readonly outside: Array<{ readonly kind: string; readonly span: Span }>;
  /** The controller's new git file globbing (`newFileGlobbing`); else Argo CD's default, greedy one. */
  readonly newFileGlobbing?: boolean;
}

/** How deep matrix and merge generators nest (Argo CD allows two levels). */
const DEPTH = 3;

/** A glob as a regular expression: `*` within one folder (Go's path.Match) or across folders (gobwas/glob without separators), `{a,b}`. */
export function globRegExp(glob: string, crossFolders: boolean, braces = crossFolders): RegExp {
  let out = '';
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') out += crossFolders ? '.*' : '[^/]*';
    else if (c === '?') out += crossFolders ? '.' : '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) return /(?!)/;
      out += `[${glob
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{' && braces) {
      out += '(?:';
      depth++;
    } else if (c === '}' && depth > 0) {
      out += ')';
      depth--;
    } else if (c === ',' && depth > 0) out += '|';
    else if (c === '\\' && i + 1 < glob.length) out += (glob[++i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return depth === 0 ? new RegExp(`^${out}$`) : /(?!)/;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** Every parameter set one `generators` entry gives (none for a generator not read here). */
export function generatorParams(g: YNode, ctx: GeneratorContext, depth: number): Params[] {
  if (!isMap(g) || depth > DEPTH) return [];
  const list = get(g, 'list');
  const git = get(g, 'git');
  const matrix = get(g, 'matrix');
  const merge = get(g, 'merge');
  const clusters = get(g, 'clusters');
  const outside = OUTSIDE.find((k) => get(g, k) !== undefined);
  let sets: Params[] = [];
  if (isMap(list)) sets = listParams(list);
  else if (isMap(git)) sets = get(git, 'files') !== undefined ? fileParams(git, ctx) : directoryParams(git, ctx);
  else if (isMap(matrix)) sets = matrixParams(matrix, ctx, depth);
  else if (isMap(merge)) sets = mergeParams(merge, ctx, depth);
  else if (isMap(clusters)) sets = [clusterParams()];
  else if (outside !== undefined) {
    ctx.outside.push({ kind: outside, span: g.pairs.find((p) => p.key === outside)?.keySpan ?? g.span });
    sets = [new Map([[ANY, null]])];
  }
  const extra = new Map<string, ParamValue>();
  flatten(get(list ?? git ?? clusters ?? (outside === undefined ? undefined : get(g, outside)), 'values'), 'values', extra);
  if (extra.size > 0) sets = sets.map((p) => new Map([...p, ...extra]));
  return select(sets, get(g, 'selector'));
}

function listParams(list: YNode): Params[] {
  const elements = get(list, 'elements');
  if (!isSeq(elements) || get(list, 'elementsYaml') !== undefined) return [];
  return elements.items.map((e) => {
    const p = new Map<string, ParamValue>();
    flatten(e, '', p);
    return p;
  });
}

/** The repository root the generator's paths are read from, by the folders they name before any glob (a file's folder). */
function rootOf(paths: readonly string[], ctx: GeneratorContext, files: boolean): string | undefined {
  const first = paths[0];
  if (first === undefined) return undefined;
  const head: string[] = [];
  const segments = first.split('/');
  for (const s of files ? segments.slice(0, -1) : segments) {
    if (/[*?[\\{]/.test(s)) break;
    head.push(s);
  }
  return repositoryRoot(ctx.from, head.length === 0 ? '.' : head.join('/'), (dir) => ctx.filesUnder(dir).length > 0);
}

/** The path parameters of a folder (and a file in it), fasttemplate or Go template. */
function pathParams(dir: string, file: string | undefined, goTemplate: boolean): Map<string, ParamValue> {
  const p = new Map<string, ParamValue>();
  const segments = dir === '' ? [] : dir.split('/');
  const basename = segments[segments.length - 1] ?? '';
  p.set(goTemplate ? 'path.path' : 'path', dir);
  p.set('path.basename', basename);
  p.set('path.basenameNormalized', normalizeName(basename));
  if (file !== undefined) {
    p.set('path.filename', file);
    p.set('path.filenameNormalized', normalizeName(file));
  }
  for (const [i, s] of segments.entries()) p.set(goTemplate ? `path.segments.${i}` : `path[${i}]`, s);
  return p;
}

/** A git generator's `path` entries as globs: those it takes, those `exclude: true` takes away, and the repository root. */
function pathGlobs(
  entries: YNode | undefined,
  glob: (path: string) => RegExp,
  ctx: GeneratorContext,
  files: boolean,
): { include: RegExp[]; exclude: RegExp[]; root: string } | undefined {
  if (!isSeq(entries)) return undefined;
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  const paths: string[] = [];
  for (const d of entries.items) {
    const path = known(get(d, 'path'))?.replace(/^\.?\//, '');
    if (path === undefined) return undefined;
    if (known(get(d, 'exclude')) === 'true') exclude.push(glob(path));
    else {
      include.push(glob(path));
      paths.push(path);
    }
  }
  const root = rootOf(paths, ctx, files);
  return root === undefined ? undefined : { include, exclude, root };
}

function directoryParams(git: YNode, ctx: GeneratorContext): Params[] {
  const globs = pathGlobs(get(git, 'directories'), (p) => globRegExp(p, false), ctx, false);
  if (globs === undefined) return [];
  const { include, exclude, root } = globs;
  const found = new Set<string>();
  for (const uri of ctx.filesUnder(root)) {
    const parts = uri
      .slice(root.length + 1)
      .split('/')
      .slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      if ((parts[i - 1] ?? '').startsWith('.')) break;
      found.add(parts.slice(0, i).join('/'));
    }
  }
  return [...found]
    .sort()
    .filter((rel) => include.some((rx) => rx.test(rel)) && !exclude.some((rx) => rx.test(rel)))
    .map((rel) => pathParams(rel, undefined, ctx.goTemplate));
}

/**
 * A `files` glob as Argo CD reads it by default, "very greedy" (its documentation: `some-path/*.yaml`
 * takes the YAML files at any level under `some-path`; two single-star folder levels before
 * `values.yaml` read as a double star): `*` and `**` cross folders, `?` is any one character.
 */
function greedyFileGlob(glob: string): RegExp {
  return globRegExp(glob, true, false);
}

/**
 * Whether the workspace turns on the ApplicationSet controller's new git file globbing
 * (`applicationsetcontroller.enable.new.git.file.globbing: "true"` in the `argocd-cmd-params-cm`
 * ConfigMap): `*` then stays within one folder and `**` crosses folders (`fileGlob`).
 */
export function newFileGlobbing(files: ReadonlyMap<string, FileFacts>, parse: (uri: string) => ParsedFile | undefined): boolean {
  for (const f of files.values()) {
    for (const o of f.objects) {
      if (!isCmdParams(o)) continue;
      const data = get(parse(f.uri)?.documents[o.docIndex]?.root, 'data');
      if (known(get(data, 'applicationsetcontroller.enable.new.git.file.globbing')) === 'true') return true;
    }
  }
  return false;
}

/** Argo CD's command parameters ConfigMap (its edit changes how ApplicationSets read files). */
export function isCmdParams(o: KObject): boolean {
  return o.kind === 'ConfigMap' && o.group === '' && o.name?.known === true && o.name.value === 'argocd-cmd-params-cm';
}

/** A `files` glob with the new globbing: `**` crosses folders (and matches none), `*` stays within one. */
function fileGlob(glob: string): RegExp {
  const parts = glob.split('**');
  const body = parts.map((p) => globRegExp(p, false).source.replace(/^\^|\$$/g, '')).join('.*');
  return new RegExp(`^${body.replace(/\.\*\\\//g, '(?:.*/)?')}$`);
}

function fileParams(git: YNode, ctx: GeneratorContext): Params[] {
  const globs = pathGlobs(get(git, 'files'), ctx.newFileGlobbing === true ? fileGlob : greedyFileGlob, ctx, true);
  if (globs === undefined) return [];
  const { include, exclude, root } = globs;
  const out: Params[] = [];
  for (const uri of ctx.filesUnder(root)) {
    const rel = uri.slice(root.length + 1);
    if (!include.some((rx) => rx.test(rel)) || exclude.some((rx) => rx.test(rel)) || !/\.(json|ya?ml)$/.test(rel)) continue;
    const doc = ctx.parse(uri)?.documents[0];
    if (doc === undefined || doc.errors.length > 0) return [];
    const items = isSeq(doc.root) ? doc.root.items : [doc.root];
    const slash = rel.lastIndexOf('/');
    for (const it of items) {
      if (!isMap(it)) continue;
      const p = new Map<string, ParamValue>();
      flatten(it, '', p);
      for (const [k, v] of pathParams(slash === -1 ? '' : rel.slice(0, slash), rel.slice(slash + 1), ctx.goTemplate)) p.set(k, v);
      out.push(p);
    }
  }
  return out;
}

function matrixParams(matrix: YNode, ctx: GeneratorContext, depth: number): Params[] {
  const gens = get(matrix, 'generators');
  if (!isSeq(gens) || gens.items.length !== 2) return [];
  const [a, b] = gens.items;
  if (a === undefined || b === undefined) return [];
  const left = generatorParams(a, ctx, depth + 1);
  // The second generator may read the first's parameters (`path: '{{.path.path}}/*'`): it is made
  // again with each set of the first put into its fields.
  if (templated(b)) return left.flatMap((l) => generatorParams(ctx.render(b, l), ctx, depth + 1).map((r) => new Map([...l, ...r])));
  const right = generatorParams(b, ctx, depth + 1);
  return left.flatMap((l) => right.map((r) => new Map([...l, ...r])));
}

function mergeParams(merge: YNode, ctx: GeneratorContext, depth: number): Params[] {
  const gens = get(merge, 'generators');
  const keysNode = get(merge, 'mergeKeys');
  const keys = isSeq(keysNode) ? keysNode.items.map(known) : [];
  if (!isSeq(gens) || keys.length === 0 || keys.some((k) => k === undefined)) return [];
  const [base, ...others] = gens.items.map((g) => generatorParams(g, ctx, depth + 1));
  const keyOf = (p: Params): string => JSON.stringify(keys.map((k) => paramText(p, k ?? '') ?? null));
  return (base ?? []).map((p) => {
    const out = new Map(p);
    for (const sets of others) for (const q of sets) if (keyOf(q) === keyOf(p)) for (const [k, v] of q) out.set(k, v);
    return out;
  });
}

/** A clusters generator's one set: its parameters are the cluster's, not known here. */
function clusterParams(): Params {
  return new Map([
    ['name', null],
    ['nameNormalized', null],
    ['server', null],
  ]);
}

/** Whether any scalar in a generator is templated (it reads another generator's parameters). */
function templated(n: YNode): boolean {
  if (isScalar(n)) return typeof n.value === 'string' && n.value.includes('{{');
  if (isSeq(n)) return n.items.some(templated);
  if (isMap(n)) return n.pairs.some((p) => p.value !== undefined && templated(p.value));
  return false;
}

/** One requirement of a selector: whether a set matches it (undefined: a parameter it reads is not known). */
type Requirement = (p: Params) => boolean | undefined;

/**
 * A generator's `selector`, a Kubernetes label selector over the parameters (by dotted key):
 * `matchLabels` and `matchExpressions` (`In`, `NotIn`, `Exists`, `DoesNotExist`) all hold. A set
 * whose parameters the selector reads are not known is kept (it may match); a selector not read
 * here (an unknown operator or a templated value; Argo CD fails the ApplicationSet on an invalid
 * one) keeps no set.
 */
function select(sets: Params[], selector: YNode | undefined): Params[] {
  if (selector === undefined) return sets;
  const reqs = requirements(selector);
  if (reqs === undefined) return [];
  return sets.filter((p) => reqs.every((r) => r(p) !== false));
}

function requirements(selector: YNode): Requirement[] | undefined {
  if (!isMap(selector) || selector.pairs.some((p) => p.key !== 'matchLabels' && p.key !== 'matchExpressions')) return undefined;
  const out: Requirement[] = [];
  const labels = get(selector, 'matchLabels');
  if (labels !== undefined) {
    if (!isMap(labels)) return undefined;
    for (const pair of labels.pairs) {
      const want = known(pair.value);
      if (want === undefined) return undefined;
      out.push((p) => {
        const v = paramText(p, pair.key);
        return v === null ? undefined : v === want;
      });
    }
  }
  const exprs = get(selector, 'matchExpressions');
  if (exprs !== undefined) {
    if (!isSeq(exprs)) return undefined;
    for (const e of exprs.items) {
      const key = known(get(e, 'key'));
      const op = known(get(e, 'operator'));
      const valuesNode = get(e, 'values');
      const values = isSeq(valuesNode) ? valuesNode.items.map(known) : [];
      if (key === undefined || values.some((v) => v === undefined)) return undefined;
      // As the API server validates a selector: In/NotIn need values, Exists/DoesNotExist none.
      const set = op === 'In' || op === 'NotIn';
      if ((op !== 'Exists' && op !== 'DoesNotExist' && !set) || set !== values.length > 0) return undefined;
      out.push((p) => {
        const v = paramText(p, key);
        if (v === null) return undefined;
        if (op === 'Exists') return v !== undefined;
        if (op === 'DoesNotExist') return v === undefined;
        const found = v !== undefined && values.includes(v);
        return op === 'In' ? found : !found;
      });
    }
  }
  return out;
}

/**
 * Argo CD's `normalize` (and the `…Normalized` parameters): lower case, every character other than
 * `a-z`, `0-9`, `-` and `.` a hyphen, at most 253 characters, no leading or trailing `-` or `.`
 * (a DNS subdomain name as Kubernetes names want it).
 */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^-a-z0-9.]/g, '-')
    .slice(0, 253)
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** Why Argo CD's `slugify` fails: Go's type assertion on an argument panics, and text/template reports it. */
export class SlugifyError extends Error {}

/**
 * Argo CD's `slugify` (`SlugifyName`): `slugify [maxSize [smartTruncate]] name`, the name last,
 * `maxSize` an int (default 50), `smartTruncate` a bool (default true); a fourth argument is
 * ignored. The name is lower-cased, every character but `-`, `a-z`, `0-9` a hyphen, cut to 253
 * and trimmed of `-`; then gosimple/slug's `Make` (v1.14 and later) with that maximum length: runs
 * of hyphens are one, `-` and `_` trimmed from both ends; without smart truncation the text was cut
 * to `maxSize` before that, with it a slug longer than `maxSize` is cut at the last `-` at or
 * before index `maxSize` (else at `maxSize`). An argument of another type, or a negative
 * `maxSize` without smart truncation, panics in Argo CD: an error here.
 */
export function slugify(args: readonly unknown[]): string {
  let maxSize = 50;
  let smart = true;
  let name = '';
  args.forEach((a, i) => {
    if (i === args.length - 1) {
      if (typeof a !== 'string') throw new SlugifyError('the name is not a string');
      name = a;
    } else if (i === 0) {
      if (typeof a !== 'bigint') throw new SlugifyError('maxSize is not an int');
      maxSize = Number(a);
    } else if (i === 1) {
      if (typeof a !== 'boolean') throw new SlugifyError('smartTruncate is not a bool');
      smart = a;
    }
  });
  let text = name
    .toLowerCase()
    .replace(/[^-a-zA-Z0-9]/gu, '-')
    .slice(0, 253)
    .replace(/^-+|-+$/g, '');
  if (!smart && text.length >= maxSize) {
    if (maxSize < 0) throw new SlugifyError('slice bounds out of range');
    text = text.slice(0, maxSize);
  }
  text = text.replace(/-+/g, '-').replace(/^[-_]+|[-_]+$/g, '');
  if (maxSize > 0 && smart && text.length > maxSize) {
    const cut = text.lastIndexOf('-', maxSize);
    text = cut >= 0 ? text.slice(0, cut) : text.slice(0, maxSize);
  }
  return text;
}

/** A generator element's known scalars by dotted key (`values.env`; list items by index), with their YAML types. */
function flatten(n: YNode | undefined, prefix: string, out: Map<string, ParamValue>): void {
  const entries: Array<[string, YNode | undefined]> = isMap(n)
    ? n.pairs.map((p) => [p.key, p.value])
    : isSeq(n)
      ? n.items.map((x, i) => [String(i), x])
      : [];
  for (const [k, value] of entries) {
    const key = prefix === '' ? k : `${prefix}.${k}`;
    if (isScalar(value) && !value.unknown && value.value !== null) out.set(key, value.value);
    else if (isMap(value) || isSeq(value)) flatten(value, key, out);
  }
}
