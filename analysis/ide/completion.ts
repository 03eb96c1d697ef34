/**
 * Completion (docs/dev/design.md §4): keys and enum values by schema, with their docs, never a key already
 * present; and values from the workspace: label keys and values inside selectors, Service names
 * and their ports in Ingress backends, container port names and numbers in `targetPort` and in
 * NetworkPolicy ports, Namespace names and labels in `namespaceSelector`; Gateways, listeners and
 * Services in Gateway API routes (`gatewayCompletion.ts`).
 */

import type { Analysis } from '../host.js';
import { lookupContext, perBuild, underViewOf } from './context.js';
import { selectedProducers } from '../checks/support/policies.js';
import { selectedBy, servicesNamed } from '../checks/support/serviceTargets.js';
import { SYSTEM_NAMESPACES } from '../workspace/wellKnown.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ContainerPort } from '../model/types.js';
import type { CompletionResult, IdeOptions, Span } from '../types.js';
import { lineContextAt } from './lineContext.js';
import type { LineContext } from './lineContext.js';
import { DOCS, fieldAtAnyVersion, typeAt } from './schema.js';
import { gatewayRouteValues } from './gatewayCompletion.js';
import { lineBreakOf, yamlScalar } from '../edits/writer.js';
import { objectStartingBefore } from '../workspace/objectsAt.js';

/** At most this many label values are offered at once (local ones first). */
const MAX_VALUE_ITEMS = 100;

const LABEL_SELECTOR = /(^|\.)(selector|podSelector)(\.matchLabels)?$/;

/** Is the cursor's map a pod label selector (Service selector, matchLabels of a pod selector)? */
function inPodSelector(lc: LineContext): boolean {
  const p = lc.parents.join('.');
  if (lc.kind === 'Service') return p === 'spec.selector';
  if (/namespaceSelector/.test(p)) return false;
  return LABEL_SELECTOR.test(p) && p.endsWith('matchLabels');
}

function inNamespaceSelector(lc: LineContext): boolean {
  return /namespaceSelector\.matchLabels$/.test(lc.parents.join('.'));
}

function value(label: string, detail: string, replace: Span, sort: string, documentation?: string): CompletionResult {
  return {
    label,
    insertText: label,
    kind: 'value',
    detail,
    replace,
    sortText: sort,
    ...(documentation !== undefined ? { documentation } : {}),
  };
}

/** Label keys of the workspace's pod templates with a few example values, once per snapshot. */
function labelKeys(analysis: Analysis): Map<string, string[]> {
  return analysis.memo('completion.labelKeys', () => {
    const keys = new Map<string, string[]>();
    for (const pair of analysis.index.labelPairs()) {
      const eq = pair.indexOf('=');
      const k = pair.slice(0, eq);
      const examples = keys.get(k) ?? [];
      if (examples.length < 5) examples.push(pair.slice(eq + 1));
      keys.set(k, examples);
    }
    return keys;
  });
}

function producerName(p: Placed): string {
  return `${p.obj.kind} ${p.obj.name?.known === true ? p.obj.name.value : '?'}`;
}

/**
 * Values of label `key` for a selector in `ns`: this namespace's first, then others, those that
 * start with the typed prefix, at most MAX_VALUE_ITEMS (big workspaces have thousands of `app`s).
 */
function labelValueItems(
  analysis: Analysis,
  ns: string | undefined,
  key: string,
  typed: string,
): Array<[string, { local: boolean; from: string }]> {
  const prefix = typed.toLowerCase();
  const matches = prefix === '' ? (): boolean => true : (v: string): boolean => v.toLowerCase().startsWith(prefix);
  // Each value's first producer; named only for the values listed (a namespace of 16,000 `app`s lists 100).
  const local = new Map<string, Placed>();
  if (ns !== undefined) {
    for (const p of analysis.index.producersIn(ns)) {
      const v = p.obj.pod?.labels?.entries.find((e) => e.key === key)?.value;
      if (v?.known === true && !local.has(v.value) && matches(v.value)) local.set(v.value, p);
    }
  }
  const out: Array<[string, { local: boolean; from: string }]> = [...local.keys()]
    .sort((a, b) => (a < b ? -1 : 1))
    .slice(0, MAX_VALUE_ITEMS)
    .map((v) => [v, { local: true, from: producerName(local.get(v) as Placed) }]);
  const all = analysis.memo(`completion.labelValues.${key}`, () => {
    const values: string[] = [];
    for (const pair of analysis.index.labelPairs()) if (pair.startsWith(`${key}=`)) values.push(pair.slice(key.length + 1));
    return values.sort();
  });
  for (const v of all) {
    if (out.length >= MAX_VALUE_ITEMS) break;
    if (local.has(v) || !matches(v)) continue;
    const first = analysis.index.producersWithLabel(key, v)[0];
    if (first !== undefined) out.push([v, { local: false, from: producerName(first) }]);
  }
  return out.slice(0, MAX_VALUE_ITEMS);
}

function namespaceLabelValues(analysis: Analysis): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>([
    ['kubernetes.io/metadata.name', new Set([...analysis.index.namespaceNames(), ...SYSTEM_NAMESPACES])],
  ]);
  for (const name of analysis.index.namespaceNames()) {
    for (const o of analysis.index.declaredNamespace(name) ?? []) {
      for (const e of o.labels?.entries ?? []) {
        if (!e.value.known) continue;
        const set = out.get(e.key) ?? new Set<string>();
        set.add(e.value.value);
        out.set(e.key, set);
      }
    }
  }
  for (const e of analysis.settings.externalNamespaces) {
    out.get('kubernetes.io/metadata.name')?.add(e.name);
    for (const [k, v] of Object.entries(e.labels)) out.set(k, (out.get(k) ?? new Set<string>()).add(v));
  }
  return out;
}

function portItems(ports: readonly ContainerPort[], replace: Span, by: string): CompletionResult[] {
  const out: CompletionResult[] = [];
  const seen = new Set<string>();
  for (const c of ports) {
    if (c.name !== undefined && !seen.has(c.name)) {
      seen.add(c.name);
      out.push(value(c.name, `container port ${c.containerPort}/${c.protocol} · ${by}`, replace, `0${c.name}`));
    }
    const n = String(c.containerPort);
    if (!seen.has(n)) {
      seen.add(n);
      out.push(value(n, `${c.protocol}${c.name !== undefined ? ` "${c.name}"` : ''} · ${by}`, replace, `1${n.padStart(5, '0')}`));
    }
  }
  return out;
}

/** The object being typed: the last one of the file that starts before the cursor (its span may end before a half-typed line). */
function objectAt(analysis: Analysis, uri: string, offset: number): Placed | undefined {
  return objectStartingBefore(analysis.index, uri, offset);
}

/** The Service name written in the backend block around the cursor. */
function backendServiceName(text: string, offset: number): string | undefined {
  const from = text.lastIndexOf('service:', offset);
  if (from === -1) return undefined;
  const block = text.slice(from, offset + 400);
  return /\n\s*name:\s*["']?([A-Za-z0-9.-]+)/.exec(block)?.[1];
}

function workspaceValues(analysis: Analysis, uri: string, text: string, offset: number, lc: LineContext): CompletionResult[] | undefined {
  const key = lc.key;
  if (key === undefined) return undefined;
  const here = objectAt(analysis, uri, offset);
  // Under the view of the object being typed: values from a copy in an alternative (prod/ beside dev/) are not offered.
  // In a base that several Kustomize roots build, the values of every build, once each.
  if (here === undefined) return valuesFor(analysis, here, text, offset, lc, key);
  const answers = perBuild(analysis, here, (p) => valuesFor(analysis, p, text, offset, lc, key));
  if (answers.length === 1 || answers.every((a) => a.value === undefined)) return answers[0]?.value;
  const seen = new Set<string>();
  const out: CompletionResult[] = [];
  for (const i of answers.flatMap((a) => a.value ?? [])) {
    const id = `${i.label}\u0000${i.insertText}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(i);
  }
  return out;
}

function valuesFor(
  analysis: Analysis,
  here: Placed | undefined,
  text: string,
  offset: number,
  lc: LineContext,
  key: string,
): CompletionResult[] | undefined {
  const replace = { start: lc.wordStart, end: offset };
  const path = [...lc.parents, key].join('.');
  const ns = here?.placements[0]?.namespace;
  if (inPodSelector(lc)) {
    return labelValueItems(analysis, ns, key, lc.word).map(([v, info]) =>
      value(v, `${key}=${v} · ${info.from}${info.local ? '' : ' (other namespace)'}`, replace, `${info.local ? '0' : '1'}${v}`),
    );
  }
  if (inNamespaceSelector(lc)) {
    return [...(namespaceLabelValues(analysis).get(key) ?? [])]
      .sort()
      .map((v) => value(v, key === 'kubernetes.io/metadata.name' ? 'namespace' : `namespace label ${key}=${v}`, replace, v));
  }
  if (lc.kind === 'Ingress' && /backend\.service\.name$/.test(path) && here !== undefined) {
    const pl = here.placements[0];
    const services =
      pl?.namespace !== undefined
        ? analysis.index.servicesIn(pl.namespace)
        : analysis.index.objects.filter((p) => p.obj.service !== undefined && analysis.index.currentView()?.excludes(p) !== true);
    return services
      .map((s) => {
        const name = s.obj.name?.known === true ? s.obj.name.value : '';
        const ports = (s.obj.service?.ports ?? [])
          .map((p) => (p.port?.known === true ? `${p.port.value}${p.name?.known === true ? ` "${p.name.value}"` : ''}` : '?'))
          .join(', ');
        return value(name, `Service · ports ${ports}`, replace, name);
      })
      .filter((i) => i.label !== '');
  }
  if (lc.kind === 'Ingress' && /backend\.service\.port\.(number|name)$/.test(path) && here?.placements[0] !== undefined) {
    const name = backendServiceName(text, offset);
    const svc = name === undefined ? undefined : servicesNamed(analysis.index, here.placements[0], name)[0];
    const ports = svc?.obj.service?.ports ?? [];
    return ports.flatMap((p) => {
      const v =
        key === 'number' ? (p.port?.known === true ? String(p.port.value) : undefined) : p.name?.known === true ? p.name.value : undefined;
      const tp = p.targetPort ?? p.port;
      return v === undefined
        ? []
        : [value(v, `Service "${name ?? ''}" port → targetPort ${tp?.known === true ? tp.value : '?'}`, replace, v)];
    });
  }
  const routeValues = gatewayRouteValues(analysis, here, text, offset, lc, replace);
  if (routeValues !== undefined) return routeValues;
  if (lc.kind === 'Service' && /^spec\.ports\.\[\]\.targetPort$/.test(path) && here !== undefined) {
    const sel = selectedBy(lookupContext(analysis), here);
    return sel === undefined
      ? []
      : sel.producers.flatMap((p) =>
          portItems(p.obj.pod?.ports ?? [], replace, `${p.obj.kind} ${p.obj.name?.known === true ? p.obj.name.value : ''}`),
        );
  }
  if (
    lc.kind === 'NetworkPolicy' &&
    /^spec\.(ingress|egress)\.\[\]\.ports\.\[\]\.port$/.test(path) &&
    here !== undefined &&
    ns !== undefined
  ) {
    const producers = path.startsWith('spec.ingress')
      ? selectedProducers(lookupContext(analysis), here.obj, ns).producers
      : [...analysis.index.producersIn(ns)];
    return producers.flatMap((p) =>
      portItems(p.obj.pod?.ports ?? [], replace, `${p.obj.kind} ${p.obj.name?.known === true ? p.obj.name.value : ''}`),
    );
  }
  return undefined;
}

function keyItems(analysis: Analysis, uri: string, text: string, offset: number, lc: LineContext, schema: boolean): CompletionResult[] {
  const replace = { start: lc.wordStart, end: offset };
  const out: CompletionResult[] = [];
  if (inPodSelector(lc)) {
    const here = objectAt(analysis, uri, offset);
    const ns = here?.placements[0]?.namespace;
    const localKeys = new Set<string>();
    // This namespace's keys as the object being typed sees it (not an alternative's copies).
    if (ns !== undefined)
      underViewOf(analysis, here, () => {
        for (const p of analysis.index.producersIn(ns)) for (const e of p.obj.pod?.labels?.entries ?? []) localKeys.add(e.key);
      });
    for (const [k, examples] of labelKeys(analysis)) {
      if (lc.present.has(k)) continue;
      out.push({
        label: k,
        insertText: `${yamlScalar(k)}: `,
        kind: 'property',
        detail: `pod template label: ${examples.join(', ')}`,
        replace,
        sortText: `${localKeys.has(k) ? '0' : '1'}${k}`,
      });
    }
    return out;
  }
  if (inNamespaceSelector(lc)) {
    for (const [k, vs] of namespaceLabelValues(analysis)) {
      if (lc.present.has(k)) continue;
      out.push({
        label: k,
        insertText: `${yamlScalar(k)}: `,
        kind: 'property',
        detail: `namespace label: ${[...vs].slice(0, 5).join(', ')}`,
        replace,
        sortText: k === 'kubernetes.io/metadata.name' ? `0${k}` : `1${k}`,
      });
    }
    return out;
  }
  if (!schema || lc.apiVersion === undefined || lc.kind === undefined) return out;
  const typeKey = typeAt(lc.apiVersion, lc.kind, lc.parents);
  const type = typeKey === undefined ? undefined : DOCS.types[typeKey];
  if (type === undefined) return out;
  const pad = ' '.repeat(lc.indent + 2);
  // The file's own line break: a bare LF inserted into a CRLF file would mix them.
  const nl = lineBreakOf(text);
  for (const [name, f] of Object.entries(type.f)) {
    if (lc.present.has(name) || (lc.parents.length === 0 && (name === 'apiVersion' || name === 'kind'))) continue;
    let insertText = `${name}: `;
    if (f.t.endsWith('[]')) insertText = `${name}:${nl}${pad}- `;
    else if (f.t === 'object' || f.t.startsWith('map[')) insertText = `${name}:${nl}${pad}`;
    out.push({
      label: name,
      insertText,
      kind: 'property',
      detail: `${f.t}${f.r === 1 ? ' · required' : ''}`,
      documentation: f.d,
      replace,
      sortText: `${f.r === 1 ? '0' : '1'}${name}`,
    });
  }
  return out;
}

/** Fields whose value may be a number (a port, an IntOrString): a decimal item is written as the number. */
const NUMERIC_KEYS = new Set(['port', 'targetPort', 'number', 'endPort', 'containerPort']);

/**
 * A value item as YAML writes it where the cursor is: inside the quote the user opened, as it
 * is; otherwise quoted when a plain scalar would read as another type (a label value `yes` or
 * `1.0` is a boolean or a number to kubectl, which rejects it), except a number where the field
 * takes one.
 */
function written(item: CompletionResult, lc: LineContext): CompletionResult {
  if (item.kind !== 'value' || lc.quote !== undefined) return item;
  if (/^[0-9]+$/.test(item.label) && NUMERIC_KEYS.has(lc.key ?? '')) return item;
  const insertText = yamlScalar(item.label);
  return insertText === item.insertText ? item : { ...item, insertText };
}

/** Completion items at `offset` of `uri`. */
export function completeAt(analysis: Analysis, uri: string, text: string, offset: number, options: IdeOptions = {}): CompletionResult[] {
  const lc = lineContextAt(text, offset);
  if (lc === undefined) return [];
  if (lc.key === undefined) return keyItems(analysis, uri, text, offset, lc, options.schemaDocs !== false);
  const fromWorkspace = workspaceValues(analysis, uri, text, offset, lc);
  if (fromWorkspace !== undefined) return fromWorkspace.map((i) => written(i, lc));
  if (lc.apiVersion === undefined || lc.kind === undefined || options.schemaDocs === false) return [];
  const hit = fieldAtAnyVersion(lc.apiVersion, lc.kind, [...lc.parents, lc.key]);
  const replace = { start: lc.wordStart, end: offset };
  return (hit?.field.e ?? []).map((e) => written(value(e, `${lc.key ?? ''} · allowed value`, replace, e, hit?.field.d), lc));
}
