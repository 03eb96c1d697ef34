/**
 * The values of a Flux Kustomization's `postBuild.substituteFrom`, read from the ConfigMaps and
 * Secrets of the workspace as kustomize-controller reads them from the cluster (fluxcd/pkg
 * kustomize `LoadVariables`): each reference names a ConfigMap or Secret in the Kustomization's own
 * namespace; their `data` keys (a Secret's base64-decoded, its `stringData` over them as the API
 * server stores it) become variables with every line break removed, a later reference's over an
 * earlier one's, and `postBuild.substitute`'s inline values over all of them.
 *
 * A reference is *resolved* when exactly one ConfigMap or Secret of that name lies in the
 * workspace (with that namespace or none, a folder `kubectl apply -n` places): it sets its keys,
 * each to its value or, where that is not known here (SOPS ciphertext), to an unknown one. Any
 * other reference (none: created by a bootstrap script or another repository; several that differ)
 * may set any variable, `optional` or not: the cluster may hold it. A variable no resolved reference sets and no unresolved one may set
 * is unset, and its `${VAR:=default}` default applies. Then the substitution over a root's built
 * objects (`substituteVariables`), or, for a root no substitution follows, its `${VAR}` text made
 * unknown (`hideVariables`). Design notes: docs/dev/flux.md.
 */

import type { FileFacts } from '../model/types.js';
import type { FluxRoot } from './flux.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode, YScalar } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';
import type { BuildProblem } from '../render/kustomize/index.js';
import { dirname } from '../workspace/paths.js';
import { base64Decode } from '../render/helm/funcs/digest.js';
import { utf8Decode } from '../render/helm/template/utf8.js';

/** A variable as kustomize-controller sees it: its value, set to something not known here, or unset. */
export type VariableState = { readonly value: string } | 'unknown' | 'unset';

/** What a Flux root's postBuild gives its substitution. */
export interface SubstitutionValues {
  readonly lookup: (name: string) => VariableState;
  /** Workspace files the values were read from (an edit to one rebuilds the root). */
  readonly files: readonly string[];
  /** The values as one text: a layout reuses a root's build only while it is the same. */
  readonly key: string;
  /** kustomize-controller's StrictPostBuildSubstitutions (`strictReading`): an unset variable without a default fails the apply. */
  readonly strict?: boolean;
  /** Whether the values hold any variable (kustomize-controller substitutes only then, or with `substituteStrategy: Always`). */
  readonly any?: boolean;
}

/** What `substitutionValues` may read besides plain files: a folder's own build (ConfigMaps and Secrets its generators make), strictness. */
export interface ValuesOptions {
  readonly build?: (dir: string) => {
    readonly objects: ReadonlyArray<{ readonly uri: string; readonly root: YMap }>;
    readonly inputs: ReadonlySet<string>;
  };
  readonly strict?: boolean;
}

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && typeof n.value === 'string' ? n.value : undefined;
}

/** A reference's values: known by key (undefined: a value not known here), or undefined when it is not resolved. */
type Source = ReadonlyMap<string, string | undefined> | undefined;

/** The names `substituteFrom` references (ConfigMap and Secret): files holding objects of those names may change a root's values. */
export function referencedNames(spec: YMap): string[] {
  const from = get(get(spec, 'postBuild'), 'substituteFrom');
  if (!isSeq(from)) return [];
  return from.items.flatMap((r) => {
    const name = known(get(r, 'name'));
    return name === undefined ? [] : [name];
  });
}

/** A data map's values as kustomize-controller takes them (line breaks removed); a non-scalar or templated value is unknown. */
function dataValues(n: YNode | undefined, out: Map<string, string | undefined>, decode: boolean): boolean {
  if (n === undefined || (isScalar(n) && n.value === null && !n.unknown)) return true;
  if (!isMap(n) || n.unknown) return false;
  for (const p of n.pairs) {
    if (p.keyUnknown) return false;
    const v = p.value;
    let s: string | undefined;
    if (isScalar(v) && !v.unknown && v.value !== null) s = String(v.value);
    if (s !== undefined && decode) {
      const bytes = base64Decode(s);
      s = typeof bytes === 'string' ? undefined : utf8Decode(bytes);
    }
    // A SOPS-encrypted value is ciphertext: not the value the cluster gets.
    if (s !== undefined && /^ENC\[[A-Z0-9_]+,data:/.test(s)) s = undefined;
    out.set(p.key, s?.replace(/\n/g, ''));
  }
  return true;
}

/**
 * One ConfigMap or Secret document's variables, or undefined when they are not known here
 * (templated). A SOPS-encrypted Secret keeps its keys in plain text: it sets those variables, to
 * values not known here (`ENC[…]`), and no others.
 */
function sourceOf(root: YMap, kind: string): Source {
  const out = new Map<string, string | undefined>();
  if (kind === 'ConfigMap') return dataValues(get(root, 'data'), out, false) ? out : undefined;
  if (!dataValues(get(root, 'data'), out, true) || !dataValues(get(root, 'stringData'), out, false)) return undefined;
  return out;
}

/**
 * The substitution values of a Flux Kustomization in `namespace` (its own; undefined: none written)
 * with `spec`, read from `files` (their parsed documents through `parse`).
 */
export function substitutionValues(
  spec: YMap,
  namespace: string | undefined,
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  options: ValuesOptions = {},
): SubstitutionValues {
  const inline = new Map<string, string>();
  const sub = get(get(spec, 'postBuild'), 'substitute');
  const inlineUnknown = new Set<string>();
  if (isMap(sub))
    for (const p of sub.pairs) {
      const v = p.value;
      if (p.keyUnknown) continue;
      if (!isScalar(v) || v.unknown || v.value === null) inlineUnknown.add(p.key);
      else inline.set(p.key, String(v.value).replace(/\n/g, ''));
    }
  const refs = get(get(spec, 'postBuild'), 'substituteFrom');
  const sources: Source[] = [];
  const read = new Set<string>();
  if (isSeq(refs))
    for (const r of refs.items) {
      const kind = known(get(r, 'kind'));
      const name = known(get(r, 'name'));
      if ((kind !== 'ConfigMap' && kind !== 'Secret') || name === undefined) {
        sources.push(undefined);
        continue;
      }
      const found: Source[] = [];
      for (const f of files.values()) {
        if (f.toolConfig !== undefined) continue;
        for (const o of f.objects) {
          if (o.kind !== kind || o.group !== '' || o.name?.known !== true || o.name.value !== name) continue;
          if (o.namespace !== undefined && (o.namespace.known !== true || o.namespace.value !== namespace)) continue;
          read.add(f.uri);
          const doc = parse(f.uri)?.documents[o.docIndex]?.root;
          found.push(isMap(doc) && f.template !== true ? sourceOf(doc, kind) : undefined);
        }
      }
      for (const g of generated(kind, name, namespace, files, parse, options.build)) {
        for (const u of g.inputs) read.add(u);
        found.push(sourceOf(g.root, kind));
      }
      const first = found[0];
      const same = found.length > 0 && found.every((s) => s !== undefined && first !== undefined && sameSource(s, first));
      sources.push(same ? first : undefined);
    }
  const lookup = (name: string): VariableState => {
    if (inlineUnknown.has(name)) return 'unknown';
    const v = inline.get(name);
    if (v !== undefined) return { value: v };
    // A later reference's value is over an earlier one's.
    for (let i = sources.length - 1; i >= 0; i--) {
      const s = sources[i];
      if (s === undefined) return 'unknown';
      if (!s.has(name)) continue;
      const value = s.get(name);
      return value === undefined ? 'unknown' : { value };
    }
    return 'unset';
  };
  const strict = options.strict === true;
  const any = inline.size > 0 || inlineUnknown.size > 0 || sources.some((s) => s === undefined || s.size > 0);
  const key = JSON.stringify([
    [...inline],
    [...inlineUnknown],
    sources.map((s) => (s === undefined ? null : [...s])),
    [...read].sort(),
    strict,
  ]);
  return { lookup, files: [...read].sort(), key, strict, any };
}

/** A scalar's text as written (quotes taken off): a value the reading left unknown (`${APP}`). */
function sourceText(n: YNode | undefined, uri: string, text: (uri: string) => string | undefined): string {
  if (n === undefined) return '';
  const t = text(n.span.uri ?? uri)?.slice(n.span.start, n.span.end) ?? '';
  return /^(["']).*\1$/s.test(t) ? t.slice(1, -1) : t;
}

/** `build` run at most once per folder. */
export function memoBuild<T>(build: (dir: string) => T): (dir: string) => T {
  const memo = new Map<string, T>();
  return (dir) => {
    let r = memo.get(dir);
    if (r === undefined) memo.set(dir, (r = build(dir)));
    return r;
  };
}

/**
 * The ConfigMaps (Secrets) named `name` that a kustomization's `configMapGenerator`
 * (`secretGenerator`) makes, as its folder's own build outputs them: the generated name (with the
 * content hash suffix unless `disableNameSuffixHash`, a prefix or suffix of that kustomization),
 * with no namespace or `namespace`. Only folders holding a generator whose name the reference
 * contains are built.
 */
function generated(
  kind: string,
  name: string,
  namespace: string | undefined,
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
  build: ValuesOptions['build'],
): Array<{ readonly root: YMap; readonly inputs: ReadonlySet<string> }> {
  if (build === undefined) return [];
  const field = kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator';
  const out: Array<{ readonly root: YMap; readonly inputs: ReadonlySet<string> }> = [];
  for (const f of files.values()) {
    if (f.toolConfig?.kind !== 'kustomization') continue;
    const gens = get(parse(f.uri)?.documents.find((d) => isMap(d.root))?.root, field);
    if (!isSeq(gens) || !gens.items.some((g) => name.includes(known(get(g, 'name')) ?? '\u0000'))) continue;
    const result = build(dirname(f.uri));
    for (const o of result.objects) {
      const meta = get(o.root, 'metadata');
      if (o.uri !== f.uri || known(get(o.root, 'kind')) !== kind || known(get(meta, 'name')) !== name) continue;
      const ns = get(meta, 'namespace');
      if (ns !== undefined && known(ns) !== namespace) continue;
      out.push({ root: o.root, inputs: result.inputs });
    }
  }
  return out;
}

/**
 * Whether the workspace's kustomize-controller runs with the StrictPostBuildSubstitutions feature
 * gate: a `--feature-gates=…StrictPostBuildSubstitutions=true` argument (`=false` turns it off), or
 * else a `ghcr.io/fluxcd/kustomize-controller` image of v1.9.0 or later (where the gate is on by
 * default), in a kustomize-controller Deployment or a kustomization (its patches). Without either,
 * the version that applies the builds is not known here: not strict.
 */
export function strictReading(
  files: ReadonlyMap<string, FileFacts>,
  text: (uri: string) => string | undefined,
): { readonly value: boolean; readonly read: ReadonlySet<string> } {
  let gate: boolean | undefined;
  let version = false;
  const read = new Set<string>();
  for (const f of files.values()) {
    const holds =
      f.toolConfig?.kind === 'kustomization' ||
      f.objects.some((o) => o.kind === 'Deployment' && o.name?.known === true && o.name.value === 'kustomize-controller');
    const t = holds ? text(f.uri) : undefined;
    if (t === undefined || !STRICT_TEXT.test(t)) continue;
    read.add(f.uri);
    for (const m of t.matchAll(/StrictPostBuildSubstitutions=(true|false)\b/g)) gate = gate === false ? false : m[1] === 'true';
    for (const m of t.matchAll(/fluxcd\/kustomize-controller:v(\d+)\.(\d+)\./g)) version ||= Number(m[1]) > 1 || Number(m[2]) >= 9;
  }
  return { value: gate ?? version, read };
}

/** A text that may decide strict substitution (`strictReading`); `read` holds the files whose text is such. */
export const STRICT_TEXT = /StrictPostBuildSubstitutions=|fluxcd\/kustomize-controller:v/;

function sameSource(a: ReadonlyMap<string, string | undefined>, b: ReadonlyMap<string, string | undefined>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && b.get(k) === v);
}

/** A Flux variable reference's start: `${`, a name (letters, digits and `_`, not a digit first), an optional default operator. */
const VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-=])?/;

/**
 * The bash string functions of fluxcd/pkg/envsubst (after drone/envsubst's funcs.go) that are evaluated
 * here: `//a/b` (strings.Replace, every `a`), `/a/b` (the first), `^^` and `,,` (upper and lower case),
 * `^` and `,` (the first character). undefined for the others (`#`, `%`, `/#`, `/%`, `:pos:len`) and for
 * arguments holding `$`: the value is then not known here.
 */
function stringFunction(value: string, fn: string): string | undefined {
  if (fn === '^^') return value.toUpperCase();
  if (fn === ',,') return value.toLowerCase();
  if (fn === '^') return value.slice(0, 1).toUpperCase() + value.slice(1);
  if (fn === ',') return value.slice(0, 1).toLowerCase() + value.slice(1);
  const all = fn.startsWith('//');
  if (!fn.startsWith('/') || fn.startsWith('/#') || fn.startsWith('/%') || fn.includes('$')) return undefined;
  const args = fn.slice(all ? 2 : 1);
  const slash = args.indexOf('/');
  const from = slash === -1 ? args : args.slice(0, slash);
  const to = slash === -1 ? '' : args.slice(slash + 1);
  if (from === '') return undefined;
  return all ? value.split(from).join(to) : value.replace(from, () => to);
}

/**
 * kustomize-controller's envsubst (fluxcd/pkg/envsubst, after drone/envsubst) over one value:
 * `${VAR}`, and `${VAR:-default}`, `${VAR:=default}`, `${VAR-default}`, `${VAR=default}` (the
 * default when VAR is unset or empty: `toDefault` serves every one), a default holding `${…}` of its own
 * (`${KOPIUR_CLAIM:-${APP}}`), and the string functions `stringFunction` evaluates
 * (`${DOMAIN//./-}`). undefined when a value is not known here (a variable set to a value
 * not known here, an unset one without a default, another form).
 */
function expandVariables(body: string, value: (name: string) => VariableState, missing?: (name: string) => void): string | undefined {
  let out = '';
  let i = 0;
  for (let at = body.indexOf('${'); at !== -1; at = body.indexOf('${', i)) {
    out += body.slice(i, at);
    const m = VARIABLE.exec(body.slice(at));
    if (m === null) return undefined;
    let j = at + m[0].length;
    if (m[2] === undefined && body[j] !== '}') {
      // A string function of the variable (`${DOMAIN//./-}`): its value when that function is one evaluated here.
      const close = body.indexOf('}', j);
      if (close === -1) return undefined;
      const v = value(m[1] ?? '');
      if (v === 'unknown') return undefined;
      if (v === 'unset') {
        missing?.(m[1] ?? '');
        return undefined;
      }
      const r = stringFunction(v.value, body.slice(j, close));
      if (r === undefined) return undefined;
      out += r;
      i = close + 1;
      continue;
    }
    const start = j;
    // A default runs to the `}` that closes this `${`, nested ones included.
    for (let depth = 0; m[2] !== undefined && j < body.length && (body[j] !== '}' || depth-- > 0); j++)
      if (body.startsWith('${', j)) depth++;
    if (body[j] !== '}') return undefined;
    const v = value(m[1] ?? '');
    if (v === 'unknown') return undefined;
    // fluxcd/pkg envsubst: every default operator (`-`, `=`, `:-`, `:=`) gives the default for an empty value too.
    if (v !== 'unset' && (v.value !== '' || m[2] === undefined)) out += v.value;
    else if (m[2] === undefined) {
      missing?.(m[1] ?? '');
      return undefined;
    } else {
      const d = expandVariables(body.slice(start, j), value, missing);
      if (d === undefined) return undefined;
      out += d;
    }
    i = j + 1;
  }
  return out + body.slice(i);
}

/** Whether kustomize-controller substitutes over a root's build: its postBuild gives values (inline, or ConfigMaps and Secrets to read them from). */
export function substitutes(root: FluxRoot): boolean {
  const post = get(root.spec, 'postBuild');
  const inline = get(post, 'substitute');
  return (isMap(inline) && inline.pairs.length > 0) || isSeq(get(post, 'substituteFrom'));
}

/** A substituted value as YAML reads it again (kustomize-controller substitutes over the object's YAML). */
function reread(out: string, quoted: boolean): YScalar['value'] {
  if (quoted) return out;
  return /^-?\d+$/.test(out) && out.length < 16 ? Number(out) : out === 'true' ? true : out === 'false' ? false : out;
}

/**
 * Substitutes a Flux root's postBuild values (`substitute` inline, over those its `substituteFrom`
 * ConfigMaps and Secrets give: units/fluxValues.ts) into its built objects, as kustomize-controller
 * does after the build (fluxcd/pkg/kustomize `SubstituteVariables`, over each object's YAML): a value
 * whose every `${VAR}` is known (set, or a `${VAR:=default}`/`${VAR:-default}` default when the
 * variable is unset) becomes that text; one naming a variable set to a value not known here (a
 * reference not resolved in the workspace) stays (or becomes) unknown. Both the values a resource file
 * holds (unknown here, read from their text) and `${VAR}` text the build copied from a
 * kustomization (`namespace: ${NS}`, an image tag: known strings) are substituted. An object
 * labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` is left as built.
 */
export function substituteVariables(
  root: FluxRoot,
  values: SubstitutionValues,
  objects: ReadonlyArray<{ readonly uri: string; readonly root: YMap }>,
  text: (uri: string) => string | undefined,
): BuildProblem[] {
  if (!substitutes(root)) return [];
  const problems: BuildProblem[] = [];
  const always = known(get(get(root.spec, 'postBuild'), 'substituteStrategy')) === 'Always';
  const strict = values.strict === true && (values.any === true || always);
  const expand = (body: string, missing?: (name: string) => void): string | undefined =>
    body.includes('$$') ? undefined : expandVariables(body, values.lookup, missing);
  for (const o of objects) {
    const meta = get(o.root, 'metadata');
    const key = 'kustomize.toolkit.fluxcd.io/substitute';
    if (known(get(get(meta, 'annotations'), key)) === 'disabled' || known(get(get(meta, 'labels'), key)) === 'disabled') continue;
    // The object as the controller names it: its name before the substitution.
    const nameNode = get(meta, 'name');
    const builtName = isScalar(nameNode) && !nameNode.unknown ? String(nameNode.value) : sourceText(nameNode, o.uri, text);
    const missingAt =
      (n: YScalar) =>
      (name: string): void => {
        if (strict) problems.push(notSet(root, o.root, builtName, n.span.uri ?? o.uri, n, name));
      };
    const replace = (n: YScalar): YScalar | undefined => {
      if (!n.unknown) {
        // Text a kustomization copied: substituted, or unknown when a value is not known here.
        if (typeof n.value !== 'string' || !n.value.includes('${')) return undefined;
        const out = expand(n.value, missingAt(n));
        if (out === undefined) return { kind: 'scalar', span: n.span, value: null, unknown: true, quoted: n.quoted };
        return { kind: 'scalar', span: n.span, value: /[\n\\]/.test(out) ? out : reread(out, n.quoted), unknown: false, quoted: n.quoted };
      }
      const source = text(n.span.uri ?? o.uri)?.slice(n.span.start, n.span.end);
      if (source === undefined || !source.includes('${')) return undefined;
      const quoted = /^(["']).*\1$/s.test(source);
      const body = quoted ? source.slice(1, -1) : source;
      // Whole-line or block scalars, and escapes in quoted ones, are left unknown.
      if (/[\n\\]/.test(body) || (!quoted && /^[|>]/.test(body))) return undefined;
      const out = expand(body, missingAt(n));
      if (out === undefined) return undefined;
      return { kind: 'scalar', span: n.span, value: reread(out, quoted), unknown: false, quoted };
    };
    walk(o.root, replace, (k) => expand(k));
  }
  return problems;
}

/**
 * A variable with no value and no default under StrictPostBuildSubstitutions: kustomize-controller
 * fails the build with fluxcd/pkg envsubst's error, wrapped as the controller wraps it (the object
 * named as kyaml prints a GVK: `Service.v1.[noGrp]/web`). On the `${VAR}` text.
 */
function notSet(root: FluxRoot, o: YMap, objectName: string, uri: string, n: YScalar, name: string): BuildProblem {
  const apiVersion = known(get(o, 'apiVersion')) ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash === -1 ? '[noGrp]' : apiVersion.slice(0, slash);
  const gvk = `${known(get(o, 'kind')) ?? '[noKind]'}.${apiVersion.slice(slash + 1) || '[noVer]'}.${group}`;
  const flux = root.id.slice(root.id.lastIndexOf('#') + 1);
  return {
    uri,
    span: n.span,
    message: `Flux Kustomization "${flux}": \${${name}} has no value and no default, and kustomize-controller (StrictPostBuildSubstitutions, on by default from v1.9.0) rejects the build (post build failed for '${gvk}/${objectName}': envsubst error: variable substitution failed: variable not set (strict mode): "${name}")`,
    applyFails: true,
  };
}

/**
 * `${VAR}` text a build copied from a kustomization, in a root no substitution follows (a plain
 * kustomization: a pipeline may run envsubst before the build): unknown values, as the reading of
 * a templated file makes them.
 */
export function hideVariables(objects: ReadonlyArray<{ readonly root: YMap }>): void {
  for (const o of objects)
    walk(
      o.root,
      (n) =>
        !n.unknown && typeof n.value === 'string' && n.value.includes('${')
          ? { kind: 'scalar', span: n.span, value: null, unknown: true, quoted: n.quoted }
          : undefined,
      () => undefined,
    );
}

/** What a key holding `${VAR}` text becomes: substituted, or unknown (the map is then structurally unknown, as a templated key makes it). */
type KeyReplace = (key: string) => string | undefined;

function walk(n: YNode, replace: (n: YScalar) => YScalar | undefined, key?: KeyReplace): void {
  if (isMap(n)) {
    for (const [i, p] of n.pairs.entries()) {
      if (key !== undefined && !p.keyUnknown && p.key.includes('${')) {
        const k = key(p.key);
        n.pairs[i] = k === undefined ? { ...p, keyUnknown: true } : { ...p, key: k };
      }
      const q = n.pairs[i] ?? p;
      if (q.value === undefined) continue;
      if (isScalar(q.value)) {
        const r = replace(q.value);
        if (r !== undefined) n.pairs[i] = { ...q, value: r };
      } else walk(q.value, replace, key);
    }
  } else if (isSeq(n)) {
    for (const [i, it] of n.items.entries()) {
      if (isScalar(it)) {
        const r = replace(it);
        if (r !== undefined) n.items[i] = r;
      } else walk(it, replace, key);
    }
  }
}
