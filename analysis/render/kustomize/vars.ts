/**
 * kustomize's `vars` (the legacy way before `replacements`): a var names a field of one object
 * (`objref`: group, version, kind, name, namespace; `fieldref.fieldpath`, `metadata.name` when
 * omitted), and every `$(NAME)` in the fields kustomize's varReference field specs list (its
 * defaults below, plus the `varReference` sections of `configurations`) is replaced by that
 * field's value at the end of the top build, after content hashes and name references (kustomize's
 * `ResAccumulator.ResolveVars`). Vars declared in a base hold in every kustomization including it.
 *
 * As kustomize's refvar filter: a string that is exactly `$(NAME)` takes the value with its type
 * (a number stays a number), otherwise the value is written into the text; `$$` is a `$`; a name
 * no var declares stays `$(NAME)` (the build stays complete: runtimeEnv.ts); only string values are read (in a map, each string value; in a
 * list, each item). What kustomize stops at (an objref matching several objects or none, a field
 * path that is not a scalar, a var declared twice) makes the build incomplete, and so does a value
 * that is not known here (the substituted fields become unknown).
 */

import { parse as parseYaml } from 'yaml';
import type { ScalarValue, YMap, YNode, YScalar } from '../../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../../syntax/tree.js';
import { getKey, setKey, text } from './nodes.js';
import type { FieldSpec } from './configurations.js';
import { specPlaces, specSelects } from './configurations.js';
import type { Res } from './resource.js';
import { apiVersionOf, isClusterScoped, kindOf, namespaceOf } from './resource.js';

export interface Var {
  readonly name: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly objectName: string;
  readonly namespace: string | undefined;
  readonly fieldPath: readonly string[];
}

/** The `vars` of a kustomization; undefined when one cannot be read. */
export function readVars(list: YNode | undefined): Var[] | undefined {
  if (list === undefined || (isScalar(list) && list.value === null && !list.unknown)) return [];
  if (!isSeq(list)) return undefined;
  const out: Var[] = [];
  for (const v of list.items) {
    const name = text(getKey(v, 'name'));
    const ref = getKey(v, 'objref');
    const kind = text(getKey(ref, 'kind'));
    const objectName = text(getKey(ref, 'name'));
    if (name === undefined || kind === undefined || objectName === undefined) return undefined;
    const apiVersion = text(getKey(ref, 'apiVersion'));
    const slash = apiVersion?.lastIndexOf('/') ?? -1;
    const group = text(getKey(ref, 'group')) ?? (apiVersion !== undefined && slash !== -1 ? apiVersion.slice(0, slash) : '');
    const version = text(getKey(ref, 'version')) ?? (apiVersion !== undefined ? apiVersion.slice(slash + 1) : '');
    const field = getKey(v, 'fieldref');
    const path = text(getKey(field, 'fieldPath')) ?? text(getKey(field, 'fieldpath')) ?? 'metadata.name';
    out.push({
      name,
      group,
      version,
      kind,
      objectName,
      namespace: text(getKey(ref, 'namespace')),
      // kyaml's GetFieldValue: `.`-separated, `[i]` and `[k=v]` as steps of their own.
      fieldPath: path.split('.').flatMap((p) => p.split(/(?=\[)/)),
    });
  }
  return out;
}

/** kustomize's default varReference field specs: where `$(NAME)` is replaced. */
const POD_FIELDS = ['containers', 'initContainers'].flatMap((c) => [
  `${c}/args`,
  `${c}/command`,
  `${c}/env/value`,
  `${c}/volumeMounts/mountPath`,
]);
const DEFAULT_SPECS: readonly FieldSpec[] = [
  ...['DaemonSet', 'Deployment', 'Job', 'ReplicaSet', 'StatefulSet'].flatMap((kind) =>
    [...POD_FIELDS.map((f) => `spec/template/spec/${f}`), ...(kind === 'StatefulSet' ? [] : ['spec/template/spec/volumes/nfs/server'])].map(
      (p) => spec(p, kind),
    ),
  ),
  ...POD_FIELDS.map((f) => spec(`spec/jobTemplate/spec/template/spec/${f}`, 'CronJob')),
  spec('spec/jobTemplate/spec/template/volumes/nfs/server', 'CronJob'),
  ...[...POD_FIELDS, 'volumes/nfs/server'].map((f) => spec(`spec/${f}`, 'Pod')),
  spec('spec/template/metadata/annotations', 'Deployment'),
  spec('spec/rules/host', 'Ingress'),
  spec('spec/tls/hosts', 'Ingress'),
  spec('spec/tls/secretName', 'Ingress'),
  spec('spec/ports/port', 'Service'),
  spec('spec/ports/targetPort', 'Service'),
  spec('spec/volumeClaimTemplates/spec/nfs/server', 'StatefulSet'),
  spec('spec/nfs/server', 'PersistentVolume'),
  spec('metadata/labels'),
  spec('metadata/annotations'),
];

function spec(path: string, kind?: string): FieldSpec {
  return { path: path.split('/'), create: false, ...(kind !== undefined ? { kind } : {}) };
}

/** kyaml's Lookup of a field path: map keys, `[i]` list indexes, `[k=v]` list items. */
function lookup(root: YNode | undefined, path: readonly string[]): YNode | undefined {
  let cur = root;
  for (const step of path) {
    const idx = /^\[(.*)\]$/.exec(step)?.[1];
    if (idx === undefined) cur = getKey(cur, step);
    else if (!isSeq(cur)) return undefined;
    else if (/^\d+$/.test(idx)) cur = cur.items[Number(idx)];
    else {
      const eq = idx.indexOf('=');
      if (eq === -1) return undefined;
      cur = cur.items.find((it) => text(getKey(it, idx.slice(0, eq))) === idx.slice(eq + 1));
    }
  }
  return cur;
}

/** The objects a var's objref names, by any id they have had (kustomize's GetMatchingResourcesByAnyId). */
function matching(v: Var, ra: readonly Res[]): Res[] {
  return ra.filter((r) => {
    const api = apiVersionOf(r);
    const slash = api.lastIndexOf('/');
    if (kindOf(r) !== v.kind || (slash === -1 ? '' : api.slice(0, slash)) !== v.group || api.slice(slash + 1) !== v.version) return false;
    if (!r.names.includes(v.objectName)) return false;
    // An objref without a namespace matches any (kustomize's GvknEquals), unless the object is cluster-scoped.
    if (v.namespace === undefined && !isClusterScoped(r)) return true;
    return r.namespaces.some((n) => (n ?? '') === (v.namespace ?? '')) || (namespaceOf(r) ?? '') === (v.namespace ?? '');
  });
}

/** A `${VAR}` placeholder, which the parser reads as an unknown value (syntax/mask.ts). */
const BRACED = /\$\{[A-Za-z_]/;

/**
 * The string a scalar holds: its value, or for one the parser read as a placeholder (unknown),
 * the text of its file at its span (a plain or quoted one-line scalar).
 */
function rawString(n: YScalar, home: string, textOf: (uri: string) => string | undefined): string | undefined {
  if (!n.unknown) return typeof n.value === 'string' ? n.value : undefined;
  const src = textOf(n.span.uri ?? home)?.slice(n.span.start, n.span.end);
  if (src === undefined || !src.includes('$(') || src.includes('\n') || /^[|>]/.test(src)) return undefined;
  if (!/^["']/.test(src)) return src.trim();
  try {
    const v: unknown = parseYaml(src, { logLevel: 'error' });
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** kustomize's refvar DoReplacements: a string exactly `$(NAME)` becomes the value itself. */
function expand(input: string, value: (name: string) => ScalarValue | undefined): ScalarValue {
  let out = '';
  let checkpoint = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) continue;
    out += input.slice(checkpoint, i);
    const next = input[i + 1];
    let advance = 1;
    if (next === '$') out += '$';
    else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) out += '$(';
      else {
        const name = input.slice(i + 2, close);
        const v = value(name);
        const mapped = v === undefined ? `$(${name})` : v;
        if (input === `$(${name})`) return mapped;
        out += String(mapped);
        advance = close - i;
      }
    } else out += `$${next ?? ''}`;
    i += advance;
    checkpoint = i + 1;
  }
  return out + input.slice(checkpoint);
}

/**
 * Resolves `vars` over the built objects (the end of the top build). Returns false when kustomize
 * would stop, or a value is not known here: the build is then incomplete.
 */
export function resolveVars(
  vars: readonly Var[],
  ra: readonly Res[],
  configured: readonly FieldSpec[],
  textOf: (uri: string) => string | undefined,
): boolean {
  if (vars.length === 0) return true;
  let known = true;
  const values = new Map<string, ScalarValue | undefined>();
  for (const v of vars) {
    const found = matching(v, ra);
    const field = found.length === 1 ? lookup(found[0]?.node, v.fieldPath) : undefined;
    if (values.has(v.name) || field === undefined || !isScalar(field) || field.unknown || field.value === null) {
      known = false;
      values.set(v.name, undefined);
    } else values.set(v.name, field.value);
  }
  const specs = [...DEFAULT_SPECS, ...configured];
  /** The node with its `$(NAME)`s replaced (a new node: built trees may share scalars), or itself. */
  const replace = (n: YNode, home: string): YNode => {
    if (!isScalar(n)) return n;
    const raw = rawString(n, home, textOf);
    if (raw === undefined || !raw.includes('$')) return n;
    // A var whose value is not known makes every string naming it unknown.
    if ([...values].some(([name, v]) => v === undefined && raw.includes(`$(${name})`))) return { ...n, unknown: true, value: null };
    const out = expand(raw, (name) => values.get(name));
    if (out === raw) return n;
    // A `${VAR}` (Flux's postBuild fills it in later) stays unknown, as the parser read it; an undeclared `$(NAME)` is
    // text kustomize leaves, which Kubernetes may expand at run time (runtimeEnv.ts).
    if (typeof out === 'string' && BRACED.test(out)) return n.unknown ? n : { ...n, unknown: true, value: null };
    return { ...n, value: out, unknown: false, quoted: typeof out === 'string' };
  };
  for (const r of ra) {
    for (const f of specs) {
      if (!specSelects(f, apiVersionOf(r), kindOf(r))) continue;
      for (const at of specPlaces(r.node, f, () => ({ kind: 'map', span: r.node.span, pairs: [], unknown: false, flow: false }) as YMap)) {
        const node = getKey(at.parent, at.key);
        if (node === undefined) continue;
        if (isMap(node))
          node.pairs.forEach((p, i) => {
            if (p.value !== undefined) node.pairs[i] = { ...p, value: replace(p.value, r.uri) };
          });
        else if (isSeq(node)) node.items.forEach((it, i) => (node.items[i] = replace(it, r.uri)));
        else {
          const out = replace(node, r.uri);
          if (out !== node) setKey(at.parent, at.key, out);
        }
      }
    }
  }
  return known;
}
