/**
 * ApplicationSets: the Applications their generators make (argocdGenerators.ts: `list`, git
 * `directories` and `files`, `matrix`, `merge`, `clusters`), with their parameters put into
 * `spec.template` (a generator's own `template` over it) as the ApplicationSet controller renders
 * it: fasttemplate `{{key}}`, or with `goTemplate: true` Go's text/template with Sprig (the core's
 * Helm engine: Helm's own functions aside, the same library), each string field on its own. A field
 * whose template reads a parameter not known, calls a function not known or fails stays unknown
 * (with `goTemplateOptions: [missingkey=error]`, one that reads a parameter the set lacks fails: no
 * Application); Argo CD's `normalize` and `slugify` are run. An Application whose name stays
 * unknown is none, except one a generator with parameters not known makes (`clusters`, SCM
 * provider, pull requests, plugin, cluster decision resource: it applies its folder to a
 * destination not known, `notKnown`, and the outside generators are noted). With `goTemplate`,
 * `templatePatch` is rendered with each set and merged over the Application (maps key by key, lists
 * and scalars replaced, `null` removes), its fields pointing at the patch.
 * Design notes: docs/dev/argocd.md.
 */

import type { Span } from '../types.js';
import type { YMap, YNode, YScalar } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { AppDoc } from './argocd.js';
import type { GeneratorContext, Params } from './argocdGenerators.js';
import { ANY, generatorParams, globRegExp, normalizeName, paramText, slugify, SlugifyError } from './argocdGenerators.js';
import type { ParsedFile } from '../syntax/parse.js';
import { parseRendered } from '../syntax/parse.js';
import { TemplateSet, def, fromYamlValue } from '../render/helm/template/index.js';
import { FuncError } from '../render/helm/template/callable.js';
import { notFetchedMessage } from '../text/notFetched.js';
import type { FuncDef } from '../render/helm/template/index.js';

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

/** Argo CD's `directory.include`/`exclude` match of a path relative to the source folder. */
export function globMatch(glob: string, rel: string): boolean {
  return globRegExp(glob, true).test(rel);
}

/**
 * A note about how an Application was made, on the ApplicationSet's line that says it
 * (kustomize-build-problem, information), or, with `remote`, about a part of a source Argo CD runs
 * and Kube Reach does not (a config management plugin: `remote-source-not-fetched`, text/notFetched.ts).
 */
export interface ArgoNote {
  readonly span: Span;
  readonly message: string;
  /** What Argo CD runs that Kube Reach does not (the plugin). */
  readonly remote?: string;
}

/** How an ApplicationSet renders its templates. */
interface Style {
  readonly goTemplate: boolean;
  /** `goTemplateOptions: ["missingkey=error"]`: a field reading a parameter the set lacks fails. */
  readonly missingKeyError: boolean;
}

/** A template that fails to render (Argo CD reports the error and makes no Application of the set). */
const FAILS = Symbol('fails');

/** Why a generator's parameters are not known here, by its key. */
const OUTSIDE_WHY: Readonly<Record<string, string>> = {
  scmProvider: "the repositories of a Git host's organisation",
  pullRequest: "a Git host's open pull requests",
  plugin: "a plugin's service",
  clusterDecisionResource: 'a custom resource of the cluster',
};

/** The Applications an ApplicationSet document makes from its generators (none from a generator not known here). */
export function applicationSetApps(
  doc: YMap,
  from: string,
  filesUnder: (dir: string) => readonly string[],
  parse: (uri: string) => ParsedFile | undefined,
  newFileGlobbing = false,
): AppDoc[] {
  const spec = get(doc, 'spec');
  const template = get(spec, 'template');
  if (!isMap(spec) || !isMap(template)) return [];
  const goTemplate = known(get(spec, 'goTemplate')) === 'true';
  const options = get(spec, 'goTemplateOptions');
  const style: Style = {
    goTemplate,
    missingKeyError: goTemplate && isSeq(options) && options.items.some((o) => known(o)?.replace(/\s/g, '') === 'missingkey=error'),
  };
  // A templatePatch is a Go template (Argo CD documents it for goTemplate only).
  const patch = get(spec, 'templatePatch');
  if (patch !== undefined && (!goTemplate || !isScalar(patch) || typeof patch.value !== 'string')) return [];
  const outside: GeneratorContext['outside'] = [];
  const ctx: GeneratorContext = {
    goTemplate,
    from,
    filesUnder,
    parse,
    outside,
    newFileGlobbing,
    render: (n, params) => {
      const made = substitute(n, params, style);
      return made === FAILS ? n : made;
    },
  };
  const generators = get(spec, 'generators');
  const out: AppDoc[] = [];
  for (const g of isSeq(generators) ? generators.items : []) {
    // A generator's own template is merged over the ApplicationSet's.
    const own = get(firstGenerator(g), 'template');
    const tpl = isMap(own) ? overlay(template, own) : template;
    const met = outside.length;
    const sets = generatorParams(g, ctx, 0);
    // Parameters the ApplicationSet controller fetches (a Git host's API, a plugin's service, a cluster's resource): not fetched here (text/notFetched.ts).
    const notes = outside.slice(met).map((o) => ({
      span: o.span,
      message: notFetchedMessage(
        `Argo CD's ApplicationSet controller takes the parameters of generator \`${o.kind}\` from ${OUTSIDE_WHY[o.kind] ?? 'outside the repository'}`,
        'the Applications it makes',
        { tail: ': they are built with unknown values, and checks that claim something is missing stay silent for them' },
      ),
      remote: `ApplicationSet generator "${o.kind}"`,
    }));
    for (const params of sets) {
      let made = substitute(tpl, params, style);
      // A patch not known here leaves the Application as the template makes it, incomplete.
      let patchNotKnown = false;
      if (made !== FAILS && isScalar(patch)) {
        const p = patched(made, patch, params, style);
        if (p === undefined) patchNotKnown = true;
        else made = p;
      }
      if (made === FAILS) continue;
      const nameNode = get(get(made, 'metadata'), 'name');
      const appSpec = get(made, 'spec');
      const unknownParams = [...params.values()].includes(null);
      // A generator with parameters not known (clusters, …) applies its folder to a destination not known here.
      const raw = get(get(tpl, 'metadata'), 'name');
      const name =
        known(nameNode) ?? (unknownParams && isScalar(raw) && typeof raw.value === 'string' ? partly(raw.value, params, style) : undefined);
      const notKnown = unknownParams ? g : patchNotKnown ? patch : undefined;
      if (name !== undefined && isMap(appSpec))
        out.push({
          name,
          nameNode,
          spec: appSpec,
          ...(notKnown !== undefined ? { notKnown } : {}),
          ...(notes.length > 0 ? { notes } : {}),
        });
    }
  }
  return out;
}

/**
 * A name template with the parameters known put in and the others left as written
 * (`{{name}}-{{path.basename}}` → `{{name}}-pricelist`): the Applications of one generator whose
 * cluster is not known keep apart by what is known.
 */
function partly(text: string, params: Params, style: Style): string {
  return text.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => {
    const key = style.goTemplate ? /^-?\s*\.([A-Za-z_][\w.]*)\s*-?$/.exec(tag)?.[1] : tag.trim();
    const v = key === undefined ? undefined : paramText(params, key);
    return v ?? whole;
  });
}

/** The generator a `generators` entry holds (its one key besides `selector`). */
function firstGenerator(g: YNode): YNode | undefined {
  return isMap(g) ? g.pairs.find((p) => p.key !== 'selector')?.value : undefined;
}

/** `over` merged into `base`, maps key by key (a generator's template over the ApplicationSet's). */
function overlay(base: YNode, over: YNode): YNode {
  if (!isMap(base) || !isMap(over)) return over;
  const pairs = base.pairs.map((p) => {
    const o = over.pairs.find((q) => q.key === p.key);
    return o?.value === undefined || p.value === undefined ? p : { ...p, value: overlay(p.value, o.value) };
  });
  for (const q of over.pairs) if (!base.pairs.some((p) => p.key === q.key)) pairs.push(q);
  return { ...base, pairs };
}

/**
 * A templatePatch rendered with the set's parameters and merged over the made Application as Argo CD
 * patches it (a strategic merge over the Application type, whose lists have no merge keys: maps key
 * by key, lists and scalars replaced, `null` removes the key). Its fields point at the patch. A patch
 * that fails (`missingkey=error`), renders what is not YAML or not one map fails as Argo CD fails;
 * undefined: the patch reads what is not known here (a parameter, a function) or holds values not known.
 */
function patched(app: YNode, patch: YScalar, params: Params, style: Style): YNode | typeof FAILS | undefined {
  const text = goTemplateField(String(patch.value), params, style);
  if (typeof text !== 'string') return text;
  const parsed = parseRendered(text);
  const docs = parsed.documents.filter((d) => d.root !== undefined);
  const root = docs[0]?.root;
  if (parsed.errors.length > 0 || docs.length > 1) return FAILS;
  if (root === undefined || (isScalar(root) && root.value === null)) return app;
  if (!isMap(root)) return FAILS;
  return hasUnknown(root) ? undefined : mergePatch(app, respan(root, patch.span));
}

function hasUnknown(n: YNode): boolean {
  if (n.unknown) return true;
  if (isSeq(n)) return n.items.some(hasUnknown);
  if (isMap(n)) return n.pairs.some((p) => p.keyUnknown || (p.value !== undefined && hasUnknown(p.value)));
  return false;
}

/** A rendered node with every span the patch's (its text is not the file's). */
function respan(n: YNode, span: Span): YNode {
  if (isSeq(n)) return { ...n, span, items: n.items.map((x) => respan(x, span)) };
  if (isMap(n))
    return {
      ...n,
      span,
      pairs: n.pairs.map((p) => ({ ...p, keySpan: span, value: p.value === undefined ? undefined : respan(p.value, span) })),
    };
  return { ...n, span };
}

function mergePatch(base: YNode, patch: YNode): YNode {
  if (!isMap(base) || !isMap(patch)) return patch;
  const removed = (v: YNode | undefined): boolean => v === undefined || (isScalar(v) && v.value === null);
  const pairs = base.pairs.flatMap((p) => {
    const q = patch.pairs.find((x) => x.key === p.key);
    if (q === undefined) return [p];
    if (removed(q.value)) return [];
    return [{ ...p, value: p.value === undefined ? q.value : mergePatch(p.value, q.value as YNode) }];
  });
  for (const q of patch.pairs) if (!base.pairs.some((p) => p.key === q.key) && !removed(q.value)) pairs.push(q);
  return { ...base, pairs };
}

/** Parameters as the data of a Go template: dotted keys nested, maps whose keys are 0..n-1 lists. */
function nested(params: Params): unknown {
  const root = new Map<string, unknown>();
  for (const [key, v] of params) {
    if (key === ANY) continue;
    const parts = key.split('.');
    let cur = root;
    for (const [i, k] of parts.entries()) {
      if (i === parts.length - 1) cur.set(k, v);
      else {
        const next = cur.get(k);
        cur.set(k, next instanceof Map ? next : new Map());
        cur = cur.get(k) as Map<string, unknown>;
      }
    }
  }
  const lists = (v: unknown): unknown => {
    if (!(v instanceof Map)) return v;
    const keys = [...v.keys()];
    if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => lists(v.get(k)));
    return new Map([...v].map(([k, x]) => [k, lists(x)]));
  };
  return lists(root);
}

/** Argo CD's own template functions besides Sprig's: `normalize` and `slugify`. */
const ARGO_FUNCS: ReadonlyMap<string, FuncDef> = new Map([
  ['normalize', def(['string'], ([s]) => normalizeName(String(s)))],
  [
    'slugify',
    def(
      [],
      (args) => {
        try {
          return slugify(args);
        } catch (e) {
          throw e instanceof SlugifyError ? new FuncError(e.message) : e;
        }
      },
      'any',
    ),
  ],
]);

/** Actions that may test or default a parameter the set lacks instead of printing it. */
const GUARDED = /\b(default|if|with|hasKey|empty|coalesce|ternary)\b/;
/** Texts in which a `.field` may not be a parameter (dot rebound, variables, other templates). */
const SCOPED = /\b(range|with|define|template|block)\b|:=/;

/**
 * One Go template field with the parameters: its text; undefined when it reads a parameter not
 * known (or one the set lacks, which Argo CD prints as `<no value>`), or does not render; FAILS when
 * `missingkey=error` makes the read of a parameter the set lacks an error.
 */
function goTemplateField(text: string, params: Params, style: Style): string | undefined | typeof FAILS {
  const keys = [...params.keys()];
  const any = params.has(ANY);
  for (const m of text.matchAll(/\{\{(.*?)\}\}/gs)) {
    const body = m[1] ?? '';
    for (const ref of body.replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '').matchAll(/(?:^|[\s(|])\$?\.([A-Za-z_][\w.]*)/g)) {
      const key = ref[1] ?? '';
      const under = keys.filter((k) => k === key || k.startsWith(`${key}.`));
      if (under.length === 0 && !any) {
        // The set lacks it: an error with missingkey=error, else "<no value>" unless the action tests or defaults it.
        if (style.missingKeyError && !SCOPED.test(text)) return FAILS;
        if (GUARDED.test(body) && !style.missingKeyError) continue;
        return undefined;
      }
      if (under.length === 0 || under.some((k) => params.get(k) === null)) return undefined;
    }
  }
  const set = new TemplateSet({ limits: { maxSteps: 10_000, maxOutput: 100_000 }, extraFuncs: ARGO_FUNCS });
  if (set.parse([{ name: 'field', text }]).length > 0) return undefined;
  const r = set.execute('field', fromYamlValue(nested(params)));
  return r.error === undefined ? r.text : undefined;
}

/** A copy of the template with the parameters put in (a field not known stays unknown; FAILS: a field fails to render). */
function substitute(n: YNode, params: Params, style: Style): YNode | typeof FAILS {
  if (isScalar(n)) {
    if (!n.unknown || typeof n.value !== 'string' || !n.value.includes('{{')) return n;
    let value: string | undefined;
    if (style.goTemplate) {
      const r = goTemplateField(n.value, params, style);
      if (r === FAILS) return FAILS;
      value = r;
    } else {
      let complete = true;
      value = n.value.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => {
        const v = paramText(params, tag.trim());
        if (v === undefined || v === null) complete = false;
        return v ?? whole;
      });
      if (!complete) value = undefined;
    }
    return value !== undefined ? { kind: 'scalar', span: n.span, value, unknown: false, quoted: true } : n;
  }
  if (isSeq(n)) {
    const items: YNode[] = [];
    for (const x of n.items) {
      const made = substitute(x, params, style);
      if (made === FAILS) return FAILS;
      items.push(made);
    }
    return { ...n, items };
  }
  if (isMap(n)) {
    const pairs = [];
    for (const p of n.pairs) {
      const made = p.value === undefined ? undefined : substitute(p.value, params, style);
      if (made === FAILS) return FAILS;
      pairs.push(made === undefined ? p : { ...p, value: made });
    }
    return { ...n, pairs };
  }
  return n;
}
