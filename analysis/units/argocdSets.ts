/**
 * ApplicationSets: the Applications a `list` generator (literal `elements`) or a `git` generator's
 * `directories` make, with their parameters put into `spec.template` as the ApplicationSet
 * controller renders it (fasttemplate `{{key}}`, or with `goTemplate: true` the plain field
 * references `{{ .key.sub }}` and `{{ index .path.segments N }}`). A parameter not known, any other
 * template action, `templatePatch`, and every other generator (matrix, merge, clusters, git
 * files, SCM and pull-request providers, plugins) make no Application: nothing changes. The
 * directories a git generator lists are the workspace's folders below the repository root (read
 * as for a path, `units/flux.ts` `repositoryRoot`), matched as Go's `path.Match` (a `*` stays
 * within one folder), hidden folders left out, `exclude: true` entries taken away.
 * Design notes: docs/dev/argocd.md.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import { joinPath } from '../workspace/paths.js';
import type { AppDoc } from './argocd.js';
import { repositoryRoot } from './flux.js';

type Params = ReadonlyMap<string, string>;

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** A glob as a regular expression: `*` within one folder (Go's path.Match) or across folders (gobwas/glob without separators), `{a,b}`. */
function globRegExp(glob: string, crossFolders: boolean): RegExp {
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
    } else if (c === '{' && crossFolders) {
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

/** Argo CD's `directory.include`/`exclude` match of a path relative to the source folder. */
export function globMatch(glob: string, rel: string): boolean {
  return globRegExp(glob, true).test(rel);
}

/** The Applications an ApplicationSet document makes from its literal generators (none when any part is not known). */
export function applicationSetApps(doc: YMap, from: string, filesUnder: (dir: string) => readonly string[]): AppDoc[] {
  const spec = get(doc, 'spec');
  const template = get(spec, 'template');
  if (!isMap(spec) || !isMap(template) || get(spec, 'templatePatch') !== undefined) return [];
  const goTemplate = known(get(spec, 'goTemplate')) === 'true';
  const generators = get(spec, 'generators');
  const out: AppDoc[] = [];
  for (const g of isSeq(generators) ? generators.items : []) {
    for (const params of generatorParams(g, goTemplate, from, filesUnder)) {
      const made = substitute(template, params, goTemplate);
      const nameNode = get(get(made, 'metadata'), 'name');
      const name = known(nameNode);
      const appSpec = get(made, 'spec');
      if (name !== undefined && isMap(appSpec)) out.push({ name, nameNode, spec: appSpec });
    }
  }
  return out;
}

/** Every parameter set one generator gives (none for a generator not read here). */
function generatorParams(g: YNode, goTemplate: boolean, from: string, filesUnder: (dir: string) => readonly string[]): Params[] {
  const list = get(g, 'list');
  const git = get(g, 'git');
  const extra = new Map<string, string>();
  flatten(get(list ?? git, 'values'), 'values', extra);
  if (isMap(list)) {
    const elements = get(list, 'elements');
    if (!isSeq(elements) || get(list, 'elementsYaml') !== undefined) return [];
    return elements.items.map((e) => {
      const p = new Map(extra);
      flatten(e, '', p);
      return p;
    });
  }
  const dirs = get(git, 'directories');
  if (!isMap(git) || !isSeq(dirs) || get(git, 'files') !== undefined) return [];
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  const prefixes: string[] = [];
  for (const d of dirs.items) {
    const path = known(get(d, 'path'));
    if (path === undefined) return [];
    const rx = globRegExp(path.replace(/^\.?\//, ''), false);
    if (known(get(d, 'exclude')) === 'true') exclude.push(rx);
    else {
      include.push(rx);
      // The folders before the first glob character name a folder of the repository.
      const head: string[] = [];
      for (const s of path.replace(/^\.?\//, '').split('/')) {
        if (/[*?[\\]/.test(s)) break;
        head.push(s);
      }
      prefixes.push(head.join('/'));
    }
  }
  const first = prefixes[0];
  if (first === undefined) return [];
  const root = repositoryRoot(from, first === '' ? '.' : first, (dir) => filesUnder(dir).length > 0);
  if (root === undefined) return [];
  const found = new Set<string>();
  for (const prefix of new Set(prefixes))
    for (const uri of filesUnder(joinPath(root, prefix))) {
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
    .map((rel) => {
      const p = new Map(extra);
      const segments = rel.split('/');
      const basename = segments[segments.length - 1] ?? '';
      const normalized = basename.replace(/[^a-zA-Z0-9-.]/g, '-');
      if (goTemplate) {
        p.set('path.path', rel);
        p.set('path.basename', basename);
        p.set('path.basenameNormalized', normalized);
        for (const [i, s] of segments.entries()) p.set(`path.segments.${i}`, s);
      } else {
        p.set('path', rel);
        p.set('path.basename', basename);
        p.set('path.basenameNormalized', normalized);
        for (const [i, s] of segments.entries()) p.set(`path[${i}]`, s);
      }
      return p;
    });
}

/** A generator element's known scalars by dotted key (`values.env`). */
function flatten(n: YNode | undefined, prefix: string, out: Map<string, string>): void {
  if (!isMap(n)) return;
  for (const p of n.pairs) {
    const key = prefix === '' ? p.key : `${prefix}.${p.key}`;
    const v = known(p.value);
    if (v !== undefined) out.set(key, v);
    else if (isMap(p.value)) flatten(p.value, key, out);
  }
}

/** One template action's value, or undefined when it is not a plain parameter reference. */
function action(tag: string, params: Params, goTemplate: boolean): string | undefined {
  const t = tag.trim();
  if (!goTemplate) return params.get(t);
  const field = /^\.([A-Za-z0-9_.]+)$/.exec(t);
  if (field !== null) return params.get(field[1] ?? '');
  const index = /^index\s+\.path\.segments\s+(\d+)$/.exec(t);
  return index === null ? undefined : params.get(`path.segments.${index[1] ?? ''}`);
}

/** A copy of the template with the parameters put in (a scalar with an action not known stays unknown). */
function substitute(n: YNode, params: Params, goTemplate: boolean): YNode {
  if (isScalar(n)) {
    if (!n.unknown || typeof n.value !== 'string' || !n.value.includes('{{')) return n;
    let complete = true;
    const value = n.value.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => {
      const v = action(tag, params, goTemplate);
      if (v === undefined) complete = false;
      return v ?? whole;
    });
    return complete ? { kind: 'scalar', span: n.span, value, unknown: false, quoted: true } : n;
  }
  if (isSeq(n)) return { ...n, items: n.items.map((x) => substitute(x, params, goTemplate)) };
  if (isMap(n))
    return { ...n, pairs: n.pairs.map((p) => (p.value === undefined ? p : { ...p, value: substitute(p.value, params, goTemplate) })) };
  return n;
}
