/**
 * ApplicationSets: the Applications their generators make (argocdGenerators.ts: `list`, git
 * `directories` and `files`, `matrix`, `merge`, `clusters`), with their parameters put into
 * `spec.template` (a generator's own `template` over it) as the ApplicationSet controller renders
 * it: fasttemplate `{{key}}`, or with `goTemplate: true` Go's text/template with Sprig (the core's
 * Helm engine: Helm's own functions aside, the same library), each string field on its own. A field
 * whose template reads a parameter not known, calls a function not known (`normalize`) or fails
 * stays unknown; an Application whose name stays unknown is none, except one a `clusters`
 * generator makes (the clusters are Argo CD's, not known here: it applies its folder to a
 * destination not known, `unknownDestination`). `templatePatch` makes no Application.
 * Design notes: docs/dev/argocd.md.
 */

import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { AppDoc } from './argocd.js';
import { generatorParams, globRegExp, type Params } from './argocdGenerators.js';
import type { ParsedFile } from '../syntax/parse.js';
import { TemplateSet, fromYamlValue } from '../render/helm/template/index.js';

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

/** The Applications an ApplicationSet document makes from its generators (none from a generator not known here). */
export function applicationSetApps(
  doc: YMap,
  from: string,
  filesUnder: (dir: string) => readonly string[],
  parse: (uri: string) => ParsedFile | undefined,
): AppDoc[] {
  const spec = get(doc, 'spec');
  const template = get(spec, 'template');
  if (!isMap(spec) || !isMap(template) || get(spec, 'templatePatch') !== undefined) return [];
  const goTemplate = known(get(spec, 'goTemplate')) === 'true';
  const generators = get(spec, 'generators');
  const out: AppDoc[] = [];
  for (const g of isSeq(generators) ? generators.items : []) {
    // A generator's own template is merged over the ApplicationSet's.
    const own = get(firstGenerator(g), 'template');
    const tpl = isMap(own) ? overlay(template, own) : template;
    for (const params of generatorParams(g, { goTemplate, from, filesUnder, parse }, 0)) {
      const made = substitute(tpl, params, goTemplate);
      const nameNode = get(get(made, 'metadata'), 'name');
      const appSpec = get(made, 'spec');
      const cluster = [...params.values()].includes(null);
      // A clusters generator's Application applies its folder to a cluster not known here.
      const raw = get(get(tpl, 'metadata'), 'name');
      const name = known(nameNode) ?? (cluster && isScalar(raw) && typeof raw.value === 'string' ? raw.value : undefined);
      if (name !== undefined && isMap(appSpec)) out.push({ name, nameNode, spec: appSpec, ...(cluster ? { unknownDestination: g } : {}) });
    }
  }
  return out;
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

/** Parameters as the data of a Go template: dotted keys nested, maps whose keys are 0..n-1 lists. */
function nested(params: Params): unknown {
  const root = new Map<string, unknown>();
  for (const [key, v] of params) {
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

/** One Go template field with the parameters (undefined: it reads a parameter not known, or does not render). */
function goTemplateField(text: string, params: Params): string | undefined {
  // A field reference the parameters lack renders "<no value>" (or fails with missingkey=error): not
  // known, unless the action tests or defaults it.
  for (const m of text.matchAll(/\{\{(.*?)\}\}/gs))
    for (const ref of /\b(default|if|with|hasKey|empty|coalesce|ternary)\b/.test(m[1] ?? '')
      ? []
      : (m[1] ?? '').replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, '').matchAll(/(?:^|[\s(|])\$?\.([A-Za-z_][\w.]*)/g)) {
      const key = ref[1] ?? '';
      if (![...params.keys()].some((k) => (k === key || k.startsWith(`${key}.`)) && params.get(k) !== null)) return undefined;
    }
  const set = new TemplateSet({ limits: { maxSteps: 10_000, maxOutput: 100_000 } });
  if (set.parse([{ name: 'field', text }]).length > 0) return undefined;
  const r = set.execute('field', fromYamlValue(nested(params)));
  return r.error === undefined ? r.text : undefined;
}

/** One fasttemplate action's value (undefined or null: not known). */
function action(tag: string, params: Params): string | null | undefined {
  return params.get(tag.trim());
}

/** A copy of the template with the parameters put in (a field not known stays unknown). */
function substitute(n: YNode, params: Params, goTemplate: boolean): YNode {
  if (isScalar(n)) {
    if (!n.unknown || typeof n.value !== 'string' || !n.value.includes('{{')) return n;
    let value: string | undefined;
    if (goTemplate) value = goTemplateField(n.value, params);
    else {
      let complete = true;
      value = n.value.replace(/\{\{(.*?)\}\}/g, (whole, tag: string) => {
        const v = action(tag, params);
        if (v === undefined || v === null) complete = false;
        return v ?? whole;
      });
      if (!complete) value = undefined;
    }
    return value !== undefined ? { kind: 'scalar', span: n.span, value, unknown: false, quoted: true } : n;
  }
  if (isSeq(n)) return { ...n, items: n.items.map((x) => substitute(x, params, goTemplate)) };
  if (isMap(n))
    return { ...n, pairs: n.pairs.map((p) => (p.value === undefined ? p : { ...p, value: substitute(p.value, params, goTemplate) })) };
  return n;
}
