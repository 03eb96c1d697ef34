/**
 * Rendering a chart as `helm template` does (helm.sh/docs/helm/helm_template/ and
 * helm.sh/docs/chart_template_guide/builtin_objects/): every template of the chart and its enabled
 * subcharts is parsed into one set (deeper paths first, so a parent's `define` wins), every file
 * that is not a partial (`_*`) is executed with its chart's built-in objects, NOTES.txt is skipped,
 * empty output is dropped, and the documents are printed in Helm's install order with
 * `# Source: <chart>/templates/<file>` headers. Pure: files in, text and source maps out.
 */

import { valuesObject } from './valuesMethods.js';
import { parseDocument, stringify } from 'yaml';
import { bindCharts, coalesceValues, copyValues, importValues, mergeValues, valuePaths } from './values.js';
import type { Bound, Values } from './values.js';
import type { Chart } from './chart.js';
import { GoStruct, TemplateSet, withMethods } from './template/index.js';
import type { ExecTracking, GoFunc, GoValue, ReadHook, Segment, TemplateError } from './template/index.js';
import { utf8Encode } from './template/utf8.js';
import { capabilities } from './capabilities.js';
import { base64Encode } from './funcs/digest.js';
import { collectMaps, templatesToRun } from './memo.js';
import { checkValuesSchemas } from './valuesSchema.js';
import type { SchemaCheck } from './valuesSchema.js';
import type { RenderMemo, TemplateRun } from './memo.js';
import { separated } from './separators.js';

export type { RenderMemo } from './memo.js';

export interface RenderOptions {
  /** User values (values files merged, then `--set`), as Go values. */
  readonly values?: Values;
  readonly releaseName?: string;
  readonly namespace?: string;
  /** Target Kubernetes minor release, e.g. "1.35" (`kubeReach.kubernetesVersion`). */
  readonly kubernetesVersion?: string;
  /**
   * What `.Capabilities.APIVersions` lists: `cluster` (the default) the group/versions and the kinds
   * a cluster of the target release serves, as `helm install` reads them from discovery; `template`
   * what `helm template` has without a cluster, group/versions only (Helm's default version set:
   * every group/version client-go's scheme knows, whatever the Kubernetes version; capabilities.ts),
   * so there `Has "networking.k8s.io/v1/IngressClass"` is false and `Has "policy/v1beta1"` true.
   */
  readonly capabilities?: 'cluster' | 'template';
  /** More entries for `.Capabilities.APIVersions` (`helm template --api-versions`: a group/version or group/version/kind). */
  readonly apiVersions?: readonly string[];
  /**
   * Whether to split and order the documents as `helm template` prints them (`manifests`); false
   * when only the templates' outputs are read (the Helm units), which saves parsing each document.
   */
  readonly manifests?: boolean;
  /** Execution limits passed to the engine. */
  readonly limits?: { maxSteps?: number; maxOutput?: number; maxDepth?: number };
  /**
   * The memo of a render of the same chart with the same values and options whose inputs differ at
   * most in the texts of template files: only the templates an edit can change run again (see
   * `RenderMemo`); the others keep what they wrote.
   */
  readonly previous?: RenderMemo;
  /**
   * Told of every read of a value that is absent, `~`, `""` or `[]` (`.Values.a.b`, `$v.b` of
   * `$v := .Values.a`, `with`, `index`, `get`, `dig`, `$.Values`), by path from the root chart's
   * values (a subchart's under its name; its `global` as the root's): `units/helmNeeded.ts`.
   */
  readonly onEmptyRead?: (read: EmptyRead) => void;
}

/** One read of an empty value: the template running, the value's path, and where the read is. */
export interface EmptyRead {
  readonly template: string;
  readonly path: readonly string[];
  readonly source: string;
  readonly pos: number;
}

/** One rendered template file. */
export interface RenderedTemplate {
  /** `<chart>/templates/x.yaml` or `<chart>/charts/<sub>/templates/x.yaml`. */
  readonly name: string;
  /** The chart-relative path of the file in its own chart folder (`templates/x.yaml`) and the chart's path (`''`, `charts/sub`). */
  readonly chartPath: string;
  readonly path: string;
  readonly text: string;
  readonly segments: readonly Segment[];
  readonly error?: TemplateError;
}

export interface RenderedManifest {
  /** The template it came from (`# Source:`). */
  readonly source: string;
  /** The document's text as Helm v4.2 prints it (leading white space trimmed, trailing kept: `splitManifests`). */
  readonly content: string;
  /** Offset of `content` in the template's output. */
  readonly outStart: number;
  readonly kind: string;
  readonly hook: boolean;
}

export interface RenderResult {
  readonly templates: readonly RenderedTemplate[];
  /** The documents in install order (none with `RenderOptions.manifests` false). */
  readonly manifests: readonly RenderedManifest[];
  /** Parse errors of template files (a file that does not parse renders nothing). */
  readonly parseErrors: readonly TemplateError[];
  /** Dependencies listed but not vendored: templates that use them cannot be known. */
  readonly missing: readonly string[];
  readonly problems: readonly string[];
  /** The values the templates saw (the root chart's). */
  readonly values: Values;
  /** Every template file of the chart and its enabled subcharts: its name, and its folder path (`chartPath`/`path`). */
  readonly files: ReadonlyArray<{ readonly name: string; readonly chartPath: string; readonly path: string }>;
  /**
   * The chart files templates read through `.Files` (Get, GetBytes, Lines, or matched by Glob), by
   * path from the root chart's folder (`files/x.yaml`, `charts/sub/config.json`): chart data, not
   * manifests (Helm installs only what templates write, and crds/).
   */
  readonly filesRead: ReadonlySet<string>;
  /** For the next render of the same chart after an edit in templates (`RenderOptions.previous`). */
  readonly memo: RenderMemo;
  /**
   * The values.schema.json check (valuesSchema.ts). When a schema fails, Helm renders nothing:
   * `templates` and `manifests` are then empty.
   */
  readonly schema: SchemaCheck;
}

/** Helm's InstallOrder (pkg/releaseutil/kind_sorter.go), the order `helm template` prints kinds in. */
const INSTALL_ORDER = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

/** A path glob as Helm's `.Files.Glob` reads it (`*` within a folder, `**` across folders). */
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close === -1) re += '\\{';
      else {
        re +=
          '(?:' +
          pattern
            .slice(i + 1, close)
            .split(',')
            .map((a) => a.replace(/[.+^$()|[\]\\*?]/g, '\\$&'))
            .join('|') +
          ')';
        i = close;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Helm's toYAML of a map of strings (sorted keys, no trailing newline). */
function toYamlMap(m: ReadonlyMap<string, string>): string {
  const o: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) o[k] = m.get(k) ?? '';
  return stringify(o, { lineWidth: 0 }).replace(/\n$/, '');
}

/**
 * `.Files` of one chart: Get, GetBytes, Glob, Lines, AsConfig, AsSecrets. Helm's `files` is a
 * map[string][]byte; `.Files` stays a struct here so that every file a template reads is recorded
 * (`read`), and a `Glob` result, whose files are recorded when matched, is the map itself (templates
 * `range $path, $_ := .Files.Glob …`).
 */
function filesObject(files: ReadonlyMap<string, string>, read: (path: string) => void): GoStruct {
  const f = new GoStruct('engine.files');
  for (const [name, m] of filesMethods(files, read)) f.methods.set(name, m);
  return f;
}

function filesMethods(files: ReadonlyMap<string, string>, read: (path: string) => void): Map<string, GoFunc> {
  const f = { methods: new Map<string, GoFunc>() };
  const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  const get = (name: GoValue): string | undefined => {
    if (typeof name !== 'string') return undefined;
    const t = files.get(name);
    if (t !== undefined) read(name);
    return t;
  };
  f.methods.set('Get', (name) => get(name) ?? '');
  f.methods.set('GetBytes', (name) => get(name) ?? '');
  f.methods.set('Lines', (name) => {
    const t = get(name);
    if (t === undefined || t === '') return [];
    const lines = t.split('\n');
    return lines;
  });
  f.methods.set('Glob', (pattern) => {
    const sub = new Map<string, string>();
    if (typeof pattern === 'string') {
      const re = globRegExp(pattern);
      for (const [p, t] of files)
        if (re.test(p)) {
          sub.set(p, t);
          read(p);
        }
    }
    return withMethods(new Map<string, GoValue>(sub), 'engine.files', filesMethods(sub, read));
  });
  // AsConfig/AsSecrets: a map of base names to contents (base64 for secrets), as toYaml writes it.
  f.methods.set('AsConfig', () => (files.size === 0 ? '' : toYamlMap(new Map([...files].map(([p, t]) => [baseName(p), t])))));
  f.methods.set('AsSecrets', () =>
    files.size === 0 ? '' : toYamlMap(new Map([...files].map(([p, t]) => [baseName(p), base64Encode(utf8Encode(t))]))),
  );
  return f.methods;
}

interface Renderable {
  readonly name: string;
  readonly chartPath: string;
  readonly path: string;
  readonly text: string;
  readonly basePath: string;
  readonly top: Map<string, GoValue>;
}

/** Helm's sortTemplates, the order it renders templates in: more path segments first, then reverse lexical order. */
export function helmTemplateOrder(a: string, b: string): number {
  const ca = a.split('/').length;
  const cb = b.split('/').length;
  if (ca !== cb) return cb - ca;
  return a < b ? 1 : a > b ? -1 : 0;
}

/**
 * Helm's SplitManifests as of v4.2 (pkg/release/v1/util/manifest.go, helm/helm 265c5eb53 and
 * bfebbb7c1, unchanged in v4.2.4 and on main): `(?m)^---[ \t]*` separates documents in the output
 * (its leading white space trimmed first); a document that is only white space is dropped, the others
 * lose their leading white space and keep their trailing white space (Helm 3 and v4.0–4.1 trimmed both,
 * with `(?:^|\s*\n)---\s*`), so a `|+` block at a document's end keeps its line breaks.
 */
function splitManifests(text: string): Array<{ content: string; start: number }> {
  const out: Array<{ content: string; start: number }> = [];
  const sep = /^---[ \t]*/gm;
  const first = text.length - goTrimLeft(text).length;
  let last = first;
  const push = (from: number, to: number): void => {
    const raw = text.slice(from, to);
    if (raw.trim() === '') return;
    const content = goTrimLeft(raw);
    out.push({ content, start: to - content.length });
  };
  sep.lastIndex = first;
  for (let m = sep.exec(text); m !== null; m = sep.exec(text)) {
    push(last, m.index);
    last = m.index + m[0].length;
    if (m[0].length === 0) sep.lastIndex++;
  }
  push(last, text.length);
  return out;
}

/** Go's strings.TrimLeftFunc(s, unicode.IsSpace). */
function goTrimLeft(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '');
}

function headOf(content: string): { kind: string; hook: boolean } {
  try {
    const doc = parseDocument(content);
    const js: unknown = doc.toJS({ maxAliasCount: 100 });
    if (typeof js !== 'object' || js === null || Array.isArray(js)) return { kind: '', hook: false };
    const rec = js as Record<string, unknown>;
    const meta = rec['metadata'];
    const ann = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['annotations'] : undefined;
    const hook = typeof ann === 'object' && ann !== null && typeof (ann as Record<string, unknown>)['helm.sh/hook'] === 'string';
    return { kind: typeof rec['kind'] === 'string' ? rec['kind'] : '', hook };
  } catch {
    return { kind: '', hook: false };
  }
}

function kindRank(kind: string): number {
  const i = INSTALL_ORDER.indexOf(kind);
  return i === -1 ? INSTALL_ORDER.length : i;
}

function withoutNulls(v: Values, depth = 0): Values {
  const out = new Map<string, GoValue>();
  for (const [k, e] of v) {
    if (e === null) continue;
    out.set(k, e instanceof Map && depth < 200 ? withoutNulls(e, depth + 1) : e);
  }
  return out;
}

const isEmpty = (v: GoValue): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** `RenderOptions.onEmptyRead` as each template's read hook. */
function emptyReads(tell: RenderOptions['onEmptyRead'], b: Bound, values: Values): ((template: string) => ReadHook) | undefined {
  if (tell === undefined) return undefined;
  const paths = valuePaths(b, values);
  return (template) => (m, key, v, source, pos) => {
    const at = isEmpty(v) ? paths.get(m) : undefined;
    if (at !== undefined) tell({ template, path: [...at, key], source, pos });
  };
}

/** Renders a chart. Never throws; templates that fail carry their error and whatever they wrote. */
export function renderChart(chart: Chart, options: RenderOptions = {}): RenderResult {
  const user = copyValues(options.values ?? new Map()) as Values;
  const bound = bindCharts(chart, user);
  const values = coalesceValues(bound, copyValues(user) as Values);
  // Imported child values override the parent's defaults (helm.sh/docs/topics/charts/, "Importing
  // Child Values via dependencies"), not what the user set.
  importValues(bound, values);
  mergeValues(values, withoutNulls(user));
  // Helm validates the values before any template runs, and renders nothing when a schema fails.
  const schema = checkValuesSchemas(bound, values);
  const caps = capabilities(options.kubernetesVersion ?? '1.35', options.capabilities !== 'template', options.apiVersions ?? []);
  // `.Release` and `.Template` are maps in Helm (chartutil.ToRenderValues), `.Chart` a struct.
  const release = new Map<string, GoValue>([
    ['Name', options.releaseName ?? 'release-name'],
    ['Namespace', options.namespace ?? 'default'],
    ['Service', 'Helm'],
    ['IsInstall', true],
    ['IsUpgrade', false],
    ['Revision', 1n],
  ]);
  const renderables: Renderable[] = [];
  const missing: string[] = [];
  const problems: string[] = [...chart.problems];
  const filesRead = new Set<string>();
  // What the running template reads through `.Files` (kept per template for the next render).
  let reads = new Set<string>();
  // The maps every template of the chart sees: a write into one may change what later ones write.
  const shared = new WeakSet<object>([release]);
  collectMaps(values, shared);
  /** Collects chart `b`'s templates and its subcharts'; returns the object its templates see as `.` (the parent's `.Subcharts.<name>`). */
  const walk = (b: Bound, id: string, chartPath: string, vals: GoValue): Map<string, GoValue> => {
    for (const m of b.missing) missing.push(`${id}: dependency "${m.alias ?? m.name}" is not in charts/`);
    const chartValues = vals instanceof Map ? vals : new Map<string, GoValue>();
    const subcharts = new Map<string, GoValue>();
    const chartFields = new Map<string, GoValue>([...b.chart.meta.fields, ['Name', b.name]]);
    shared.add(chartValues).add(subcharts);
    // `.Chart.Annotations` and the like are maps every template of the chart sees too.
    for (const v of chartFields.values()) collectMaps(v, shared);
    const top = new Map<string, GoValue>([
      ['Values', valuesObject(chartValues)],
      ['Release', release],
      ['Chart', new GoStruct('chart.Metadata', chartFields)],
      ['Capabilities', caps.struct],
      [
        'Files',
        filesObject(b.chart.files, (p) => {
          const path = chartPath === '' ? p : `${chartPath}/${p}`;
          filesRead.add(path);
          reads.add(path);
        }),
      ],
      ['Subcharts', subcharts],
    ]);
    // The parent's templates reach it as `.Subcharts.<name>`: a write into it is a write every template of this chart sees.
    shared.add(top);
    for (const [path, text] of b.chart.templates) {
      renderables.push({ name: `${id}/${path}`, chartPath, path, text, basePath: `${id}/templates`, top });
    }
    for (const s of b.subcharts) {
      const sv = vals instanceof Map ? vals.get(s.name) : undefined;
      // `.Subcharts.<name>` is the subchart's own `.` (Helm's engine recAllTpls: each enabled dependency by its name or alias).
      subcharts.set(
        s.name,
        walk(
          s,
          `${id}/charts/${s.name}`,
          `${chartPath === '' ? '' : chartPath + '/'}charts/${s.chart.dir ?? s.name}`,
          sv instanceof Map ? sv : new Map(),
        ),
      );
      for (const p of s.chart.problems) problems.push(`${id}/charts/${s.name}: ${p}`);
    }
    return top;
  };
  walk(bound, bound.name, '', values);
  renderables.sort((a, b) => helmTemplateOrder(a.name, b.name));
  const set = new TemplateSet({
    funcs: { kubeVersion: caps.kubeVersion, apiVersions: caps.apiVersions },
    ...(options.limits !== undefined ? { limits: options.limits } : {}),
  });
  const parseErrors = set.parse(renderables.map((r) => ({ name: r.name, text: r.text })));
  const broken = new Set(parseErrors.map((e) => e.source));
  const templates: RenderedTemplate[] = [];
  const toRun = templatesToRun(options.previous, renderables);
  const emptyRead = emptyReads(options.onEmptyRead, bound, values);
  const runs = new Map<string, TemplateRun>();
  let sharedWrite = false;
  for (const r of renderables) {
    const base = r.path.slice(r.path.lastIndexOf('/') + 1);
    if (base.startsWith('_') || base === 'NOTES.txt' || broken.has(r.name) || schema.message !== undefined) continue;
    // A library chart's templates are never rendered.
    if (bound.chart.meta.type === 'library' && r.chartPath === '') continue;
    const kept = toRun !== undefined && !toRun.has(r.name) ? options.previous?.runs.get(r.name) : undefined;
    if (kept !== undefined) {
      templates.push(kept.result);
      runs.set(r.name, kept);
      for (const p of kept.reads) filesRead.add(p);
      continue;
    }
    const data = new Map(r.top);
    data.set(
      'Template',
      new Map<string, GoValue>([
        ['Name', r.name],
        ['BasePath', r.basePath],
      ]),
    );
    reads = new Set();
    const track: ExecTracking = { used: new Set(), shared, sharedWrite: false, read: emptyRead?.(r.name) };
    const res = set.execute(r.name, data, track);
    const out = separated(res.text, res.segments);
    const result: RenderedTemplate = {
      name: r.name,
      chartPath: r.chartPath,
      path: r.path,
      text: out.text,
      segments: out.segments,
      ...(res.error !== undefined ? { error: res.error } : {}),
    };
    templates.push(result);
    runs.set(r.name, { result, used: track.used, reads });
    sharedWrite ||= track.sharedWrite;
  }
  // A template that ran again wrote into the values: the templates after it may write otherwise.
  if (toRun !== undefined && sharedWrite) return renderChart(chart, { ...options, previous: undefined });
  templates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const manifests: RenderedManifest[] = [];
  for (const t of options.manifests === false ? [] : templates) {
    if (t.error !== undefined || t.text.trim() === '') continue;
    for (const d of splitManifests(t.text)) {
      const head = headOf(d.content);
      manifests.push({ source: t.name, content: d.content, outStart: d.start, kind: head.kind, hook: head.hook });
    }
  }
  const order = (a: RenderedManifest, b: RenderedManifest): number => {
    const ka = kindRank(a.kind);
    const kb = kindRank(b.kind);
    if (ka !== kb) return ka - kb;
    if (ka === INSTALL_ORDER.length && a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
    return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
  };
  const plain = manifests.filter((m) => !m.hook).sort(order);
  const hooks = manifests.filter((m) => m.hook).sort(order);
  const files = renderables.map((r) => ({ name: r.name, chartPath: r.chartPath, path: r.path }));
  const memo: RenderMemo = { texts: new Map(renderables.map((r) => [r.name, r.text])), runs, sharedWrite };
  // Values a schema refuses: Helm stops before parsing a template.
  const parsed = schema.message === undefined ? parseErrors : [];
  return {
    templates,
    manifests: [...plain, ...hooks],
    parseErrors: parsed,
    missing,
    problems: [...problems, ...schema.problems],
    values,
    files,
    filesRead,
    memo,
    schema,
  };
}

/** The text `helm template` prints for a render. */
export function manifestText(r: RenderResult): string {
  // pkg/action/action.go writes each manifest as `---\n# Source: %s\n%s\n` into the release manifest;
  // pkg/cmd/template.go prints that trimmed (strings.TrimSpace) with a line break, then each hook as
  // written. Documents keep their trailing line break (splitManifests): a blank line before every
  // `---` but the first hook's, as Helm v4.2 prints (helm/helm#32565).
  const doc = (m: RenderedManifest): string => `---\n# Source: ${m.source}\n${m.content}\n`;
  const plain = r.manifests
    .filter((m) => !m.hook)
    .map(doc)
    .join('');
  const hooks = r.manifests
    .filter((m) => m.hook)
    .map(doc)
    .join('');
  return `${goTrimSpace(plain)}\n${hooks}`;
}

/** Go's strings.TrimSpace. */
function goTrimSpace(s: string): string {
  return goTrimLeft(s).replace(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/, '');
}

/**
 * Notes about what could not be rendered, one line each (file and reason): `kube-reach render`
 * prints them on stderr, the language server in its output channel.
 */
export function renderNotes(r: RenderResult): string[] {
  const notes: string[] = [];
  for (const m of r.missing) notes.push(`${m}: the templates that use it are not rendered`);
  for (const e of r.parseErrors)
    notes.push(
      `${e.source}: not rendered: ${e.kind === 'unsupported' && e.func !== undefined ? `function "${e.func}" is not supported` : e.message}`,
    );
  for (const t of r.templates) {
    const e = t.error;
    if (e === undefined) continue;
    notes.push(
      `${t.name}: not rendered: ${e.kind === 'unsupported' && e.func !== undefined ? `function "${e.func}" is not supported` : e.message}`,
    );
  }
  for (const p of r.problems) notes.push(p);
  return notes;
}
