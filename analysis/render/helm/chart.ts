/**
 * The chart model (pure: the host hands in file texts). A chart is its Chart.yaml (apiVersion v1 or
 * v2; v1 charts list dependencies in requirements.yaml), values.yaml, templates/, the other files
 * (`.Files`) and subcharts in charts/ (folders; a `.tgz` subchart is unpacked by the server or CLI
 * and handed in as a folder). Follows Helm's chart loader (helm.sh/docs/topics/charts/).
 */

import { parse as parseYaml } from 'yaml';
import type { Tags } from 'yaml';
import { YAML11_TAGS } from '../../syntax/yaml11.js';
import { isFlowIndentError, joinFlowContinuations } from '../../syntax/flowContinuation.js';
import { fromYamlValue } from './template/index.js';
import type { GoValue } from './template/index.js';
import { isRecord } from '../../narrow.js';
import { goMatchPattern } from '../../text/goGlob.js';
import { mergeValues } from './values.js';

export interface ImportValue {
  readonly child: string;
  readonly parent: string;
}

export interface Dependency {
  readonly name: string;
  readonly alias?: string;
  readonly condition?: string;
  readonly tags: readonly string[];
  /** `import-values`: a string `x` is `{child: exports.x, parent: .}`. */
  readonly importValues: readonly ImportValue[];
  readonly version?: string;
  readonly repository?: string;
}

export interface ChartMeta {
  readonly apiVersion: string;
  readonly name: string;
  readonly version: string;
  readonly type: 'application' | 'library';
  readonly dependencies: readonly Dependency[];
  /** Chart.yaml as Go values, for `.Chart` (Helm's Metadata field names). */
  readonly fields: Map<string, GoValue>;
}

export interface Chart {
  readonly meta: ChartMeta;
  /** Default values (values.yaml), a map. */
  readonly values: Map<string, GoValue>;
  /** Templates by path inside the chart (`templates/x.yaml`). */
  readonly templates: ReadonlyMap<string, string>;
  /** Every other file (`.Files`): not Chart.yaml, values.yaml, templates/ or charts/. */
  readonly files: ReadonlyMap<string, string>;
  /** values.schema.json's text (Helm validates the values against it before rendering: valuesSchema.ts). */
  readonly schema?: string;
  /** Subcharts found in charts/ (by folder). */
  readonly subcharts: readonly Chart[];
  /** What could not be read (a bad Chart.yaml in a subchart, bad values.yaml). */
  readonly problems: readonly string[];
  /** A subchart's folder name in its parent's charts/ (its alias or name may differ). */
  readonly dir?: string;
}

/** Chart.yaml and requirements.yaml texts lately read (a chart rendered again reads the same ones; their objects are only read). */
const metaCache = new Map<string, { readonly raw: unknown; readonly problem: string | undefined }>();
const META_CACHE_ENTRIES = 512;

/**
 * How Helm reads Chart.yaml and values files: sigs.k8s.io/yaml's non-strict Unmarshal (go-yaml v2),
 * where a repeated key is set again (the later value wins) rather than refused, and plain scalars take
 * go-yaml v2's YAML 1.1 values (`0754` is 492, `yes` true, `on:` the key "true": syntax/yaml11.ts
 * `YAML11_TAGS`). `yaml`'s warnings (a
 * template's `{{ .Version }}` read as a flow-map key) are not printed: the CLI's and the server's
 * stderr carries only their own messages.
 */
const HELM_READ = { maxAliasCount: 1000, uniqueKeys: false, logLevel: 'error', customTags: helmScalarTags } as const;

/** The core schema's tags after go-yaml v2's YAML 1.1 readings (`YAML11_TAGS`). */
export function helmScalarTags(tags: Tags): Tags {
  return [...YAML11_TAGS, ...tags];
}

function readYaml(text: string | undefined, what: string, problems: string[]): unknown {
  if (text === undefined) return undefined;
  const cached = what === 'Chart.yaml' || what === 'requirements.yaml';
  const key = `${what}\u0000${text}`;
  let hit = cached ? metaCache.get(key) : undefined;
  if (hit === undefined) {
    try {
      hit = { raw: parseYaml(text, HELM_READ) as unknown, problem: undefined };
    } catch (e) {
      const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
      // A flow collection continued at its key's indentation, which go-yaml (Helm's reader) reads (syntax/flowContinuation.ts).
      const joined = isFlowIndentError(message) ? joinFlowContinuations(text) : undefined;
      hit = { raw: undefined, problem: `${what}: ${message}` };
      if (joined !== undefined) {
        try {
          hit = { raw: parseYaml(joined, HELM_READ) as unknown, problem: undefined };
        } catch {
          // Still not YAML: the first reading's error stands.
        }
      }
    }
    if (cached) {
      if (metaCache.size >= META_CACHE_ENTRIES) metaCache.delete(metaCache.keys().next().value ?? '');
      metaCache.set(key, hit);
    }
  }
  if (hit.problem !== undefined) problems.push(hit.problem);
  return hit.raw;
}

/** Values files' values the index read (syntax/valuesFile.ts) that no render has taken yet, by text; at most this many characters of text. */
const offered = new Map<string, { readonly js: unknown }>();
let offeredLength = 0;
const OFFERED_LENGTH = 8 * 1024 * 1024;

/**
 * The value of a values.yaml text as `yaml`'s `parse(text, { maxAliasCount: 1000 })` returns it
 * (read with the index's parse of the file): the next render that reads this text takes it instead
 * of parsing the text again. Only `js` objects nobody else holds (a render converts them, never
 * changes them).
 */
export function offerValues(text: string, value: { readonly js: unknown }): void {
  if (valuesCache.has(text) || text.length > OFFERED_LENGTH) return;
  if (offered.delete(text)) offeredLength -= text.length;
  while (offeredLength + text.length > OFFERED_LENGTH) {
    const oldest = offered.keys().next().value;
    if (oldest === undefined) break;
    offered.delete(oldest);
    offeredLength -= oldest.length;
  }
  offered.set(text, value);
  offeredLength += text.length;
}

/** The last values.yaml texts read, with their values and problem (renders never change a chart's values). */
const valuesCache = new Map<string, { readonly values: Map<string, GoValue>; readonly problem: string | undefined }>();
const VALUES_CACHE_ENTRIES = 64;

/**
 * A chart's default values from its values.yaml text. Remembered by text, so a chart rendered
 * again after an edit in a template does not parse its values again: the values are only read
 * (Helm's coalescing copies them, values.ts), never changed.
 */
function defaultValues(text: string | undefined, problems: string[]): Map<string, GoValue> {
  if (text === undefined) return new Map();
  let hit = valuesCache.get(text);
  if (hit === undefined) {
    const own: string[] = [];
    const shared = offered.get(text);
    offered.delete(text);
    if (shared !== undefined) offeredLength -= text.length;
    // The index's reading is one document's; a text with `---` lines is split as Helm 4 splits it.
    const values =
      shared !== undefined && !SEPARATOR_LINE.test(text)
        ? valuesMap(shared.js, 'values.yaml', own)
        : readValuesDocuments(text, 'values.yaml', own);
    hit = { values, problem: own[0] };
    if (valuesCache.size >= VALUES_CACHE_ENTRIES) valuesCache.delete(valuesCache.keys().next().value ?? '');
  } else valuesCache.delete(text);
  valuesCache.set(text, hit);
  if (hit.problem !== undefined) problems.push(hit.problem);
  return hit.values;
}

/** A line that starts with `---` (apimachinery's YAMLReader: a document separator, or an error). */
const SEPARATOR_LINE = /^---/m;

/** Go's json kind names for a document that is not a map (json.UnmarshalTypeError.Value). */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  return typeof v === 'string' ? 'string' : 'object';
}

/** One document's value as a values map: null or empty is no values; anything but a map is Helm's unmarshal error. */
function valuesMap(raw: unknown, what: string, problems: string[]): Map<string, GoValue> {
  if (raw === undefined || raw === null) return new Map();
  const v = fromYamlValue(raw);
  if (v instanceof Map) return v;
  problems.push(
    `${what}: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(raw)} into Go value of type map[string]interface {}`,
  );
  return new Map();
}

/** Go's strings.TrimSpace (Unicode white space). */
function goTrimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, '');
}

/**
 * A values file's values as Helm 4 reads them (pkg/chart/v2/loader/load.go `LoadValues`, used for a
 * chart's values.yaml and every `-f`/`--values` file since v4.0.0, helm/helm 92087f6): the text is
 * cut into documents at lines that start with `---` (k8s.io/apimachinery util/yaml `YAMLReader`: after
 * the `---` only white space or a `#` comment, anything else stops the file with `invalid Yaml document
 * separator: <rest>`; empty documents are skipped), each document read with sigs.k8s.io/yaml into a
 * map (a list or scalar stops the file), and the maps merged in order (`MergeMaps`: a later document's
 * map merges into a map, anything else replaces). Helm 3 read only the first document. On a problem
 * (pushed, prefixed by `what`) the file gives no values, as Helm gives none.
 */
export function readValuesDocuments(text: string, what: string, problems: string[]): Map<string, GoValue> {
  if (!SEPARATOR_LINE.test(text)) return valuesMap(readYaml(text, what, problems), what, problems);
  const spans = valuesDocumentSpans(text);
  if (!Array.isArray(spans)) {
    problems.push(`${what}: error reading yaml document: invalid Yaml document separator: ${spans.refused}`);
    return new Map();
  }
  const out = new Map<string, GoValue>();
  for (const span of spans) {
    // bufio.Reader.ReadLine drops "\n" or "\r\n"; YAMLReader ends every line with "\n".
    const lines = text.slice(span.start, span.end).split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const doc = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).join('\n') + '\n';
    const own: string[] = [];
    const v = valuesMap(readYaml(doc, what, own), what, own);
    if (own[0] !== undefined) {
      problems.push(own[0]);
      return new Map();
    }
    mergeValues(out, v);
  }
  return out;
}

/**
 * Where the documents of a values file lie, cut as Helm 4 cuts them (`readValuesDocuments`): the
 * text between lines that start with `---`, empty documents left out; or the rest of the first
 * separator line Helm refuses (then the file gives no values). The editor's hover, definition and
 * completion read the documents at these places (ide/helmValuesFile.ts).
 */
export function valuesDocumentSpans(text: string): Array<{ start: number; end: number }> | { refused: string } {
  const out: Array<{ start: number; end: number }> = [];
  let docStart = 0;
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const next = nl === -1 ? text.length : nl + 1;
    if (text.startsWith('---', at)) {
      const line = text.slice(at, nl === -1 ? text.length : nl);
      const rest = goTrimSpace((line.endsWith('\r') ? line.slice(0, -1) : line).slice(3));
      if (rest !== '' && !rest.startsWith('#')) return { refused: rest };
      if (at > docStart) out.push({ start: docStart, end: at });
      docStart = next;
    }
    at = next;
  }
  if (text.length > docStart) out.push({ start: docStart, end: text.length });
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function readDependencies(raw: unknown): Dependency[] {
  if (!Array.isArray(raw)) return [];
  const out: Dependency[] = [];
  for (const d of raw as unknown[]) {
    if (!isRecord(d)) continue;
    const name = str(d['name']);
    if (name === undefined) continue;
    const imports: ImportValue[] = [];
    const iv = d['import-values'];
    if (Array.isArray(iv)) {
      for (const x of iv as unknown[]) {
        if (typeof x === 'string') imports.push({ child: `exports.${x}`, parent: '.' });
        else if (isRecord(x) && typeof x['child'] === 'string' && typeof x['parent'] === 'string')
          imports.push({ child: x['child'], parent: x['parent'] });
      }
    }
    const tags = Array.isArray(d['tags']) ? (d['tags'] as unknown[]).filter((t): t is string => typeof t === 'string') : [];
    const alias = str(d['alias']);
    const condition = str(d['condition']);
    const version = str(d['version']);
    const repository = str(d['repository']);
    out.push({
      name,
      tags,
      importValues: imports,
      ...(alias !== undefined ? { alias } : {}),
      ...(condition !== undefined ? { condition } : {}),
      ...(version !== undefined ? { version } : {}),
      ...(repository !== undefined ? { repository } : {}),
    });
  }
  return out;
}

/** Helm's Metadata field names for the keys of Chart.yaml. */
const META_FIELDS: Readonly<Record<string, string>> = {
  apiVersion: 'APIVersion',
  appVersion: 'AppVersion',
  kubeVersion: 'KubeVersion',
};

function metaFields(raw: Record<string, unknown>): Map<string, GoValue> {
  const fields = new Map<string, GoValue>();
  for (const [k, v] of Object.entries(raw)) {
    const name = META_FIELDS[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
    fields.set(name, fromYamlValue(v));
  }
  // Go's zero values for the fields templates read.
  for (const f of ['Name', 'Version', 'AppVersion', 'Description', 'Type', 'Home', 'Icon', 'KubeVersion', 'APIVersion'])
    if (!fields.has(f)) fields.set(f, '');
  if (!fields.has('Deprecated')) fields.set('Deprecated', false);
  return fields;
}

interface IgnoreRule {
  readonly negate: boolean;
  readonly mustDir: boolean;
  readonly match: (path: string) => boolean;
}

/**
 * Helm's `.helmignore` rules (pkg/ignore), with its default `templates/.?*`: one `filepath.Match`
 * glob per line (`#` comments); a trailing `/` matches folders only; a pattern with a `/` matches the
 * whole chart-relative path (a leading `/` is dropped), one without matches the base name; `!`
 * negates, and as in Helm a negated rule ignores every path it does not match. A line Helm refuses
 * (`**`, a malformed pattern: Helm's loader then fails the chart) is left out and named in
 * `problems`, in Helm's words; a rule that is malformed only once its `!` or trailing `/` is taken
 * off matches nothing, as Helm's matcher does.
 */
function ignoreRules(text: string | undefined, problems: string[]): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of [...(text ?? '').split('\n'), 'templates/.?*']) {
    let rule = raw.trim();
    if (rule === '' || rule.startsWith('#')) continue;
    const refused = rule.includes('**')
      ? 'double-star (**) syntax is not supported'
      : goMatchPattern(rule) === undefined
        ? 'syntax error in pattern'
        : undefined;
    if (refused !== undefined) {
      problems.push(`.helmignore: ${JSON.stringify(rule)}: ${refused} (Helm refuses to load the chart; the rule is left out here)`);
      continue;
    }
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    const whole = rule.includes('/');
    const re = goMatchPattern(rule.replace(/^\//, ''));
    const match = re === undefined ? () => false : (path: string) => re.test(whole ? path : path.slice(path.lastIndexOf('/') + 1));
    rules.push({ negate, mustDir, match });
  }
  return rules;
}

/** Helm's `Rules.Ignore` for one path (a folder when `dir`). */
function ignored(rules: readonly IgnoreRule[], path: string, dir: boolean): boolean {
  for (const r of rules) {
    if (r.negate) {
      if (r.mustDir && !dir) return true;
      if (!r.match(path)) return true;
      continue;
    }
    if (r.mustDir && !dir) continue;
    if (r.match(path)) return true;
  }
  return false;
}

/**
 * The files Helm loads from a chart folder: those its `.helmignore` does not ignore (a file inside an
 * ignored folder is ignored, as Helm's walk skips the folder). Without a `.helmignore`, only the
 * default rule applies.
 */
function helmIgnore(files: ReadonlyMap<string, string>, problems: string[]): ReadonlyMap<string, string> {
  const rules = ignoreRules(files.get('.helmignore'), problems);
  const out = new Map<string, string>();
  const dirs = new Map<string, boolean>();
  const dirIgnored = (d: string): boolean => {
    let v = dirs.get(d);
    if (v === undefined) {
      const slash = d.lastIndexOf('/');
      v = (slash > 0 && dirIgnored(d.slice(0, slash))) || ignored(rules, d, true);
      dirs.set(d, v);
    }
    return v;
  };
  for (const [path, text] of files) {
    const slash = path.lastIndexOf('/');
    if (slash > 0 && dirIgnored(path.slice(0, slash))) continue;
    if (ignored(rules, path, false)) continue;
    out.set(path, text);
  }
  return out;
}

/**
 * Reads a chart from its files (paths relative to the chart folder, `/`-separated), leaving out what
 * its `.helmignore` ignores, as Helm's loader does. Returns undefined when there is no readable
 * Chart.yaml with a name.
 */
export function loadChart(all: ReadonlyMap<string, string>, depth = 0): Chart | undefined {
  const problems: string[] = [];
  const files = depth === 0 ? helmIgnore(all, problems) : all;
  const rawMeta = readYaml(files.get('Chart.yaml') ?? files.get('Chart.yml'), 'Chart.yaml', problems);
  if (!isRecord(rawMeta)) return undefined;
  const name = str(rawMeta['name']);
  if (name === undefined) return undefined;
  const apiVersion = str(rawMeta['apiVersion']) ?? 'v1';
  let deps = readDependencies(rawMeta['dependencies']);
  if (apiVersion === 'v1' && deps.length === 0) {
    const req = readYaml(files.get('requirements.yaml'), 'requirements.yaml', problems);
    if (isRecord(req)) deps = readDependencies(req['dependencies']);
  }
  const meta: ChartMeta = {
    apiVersion,
    name,
    version: str(rawMeta['version']) ?? '',
    type: rawMeta['type'] === 'library' ? 'library' : 'application',
    dependencies: deps,
    fields: metaFields(rawMeta),
  };
  const values = defaultValues(files.get('values.yaml') ?? files.get('values.yml'), problems);
  const templates = new Map<string, string>();
  const other = new Map<string, string>();
  const subFiles = new Map<string, Map<string, string>>();
  for (const [path, text] of files) {
    if (path.startsWith('templates/')) templates.set(path, text);
    else if (path.startsWith('charts/')) {
      const rest = path.slice('charts/'.length);
      const slash = rest.indexOf('/');
      if (slash <= 0) continue;
      const dir = rest.slice(0, slash);
      let m = subFiles.get(dir);
      if (m === undefined) subFiles.set(dir, (m = new Map()));
      m.set(rest.slice(slash + 1), text);
    } else if (
      path !== 'Chart.yaml' &&
      path !== 'Chart.yml' &&
      path !== 'values.yaml' &&
      path !== 'values.schema.json' &&
      path !== 'requirements.yaml' &&
      path !== 'requirements.lock' &&
      path !== 'Chart.lock'
    ) {
      other.set(path, text);
    }
  }
  const subcharts: Chart[] = [];
  if (depth < 20) {
    for (const [dir, sf] of [...subFiles].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      // Helm ignores folders in charts/ whose names start with `_` or `.`.
      if (dir.startsWith('_') || dir.startsWith('.')) continue;
      const sub = loadChart(sf, depth + 1);
      if (sub === undefined) problems.push(`charts/${dir}: no readable Chart.yaml`);
      else subcharts.push({ ...sub, dir });
    }
  }
  const schema = files.get('values.schema.json');
  return { meta, values, templates, files: other, subcharts, problems, ...(schema !== undefined ? { schema } : {}) };
}

/** A `file://` dependency of a chart: its name and the folder it names, relative to the chart folder. */
export interface LocalDependency {
  readonly name: string;
  readonly path: string;
}

/**
 * The `file://` dependencies of the chart whose files are `files` (Chart.yaml, or requirements.yaml
 * for v1 charts) that are not in its charts/ folder (no `charts/*` subchart of that name).
 */
export function localDependencies(files: ReadonlyMap<string, string>): LocalDependency[] {
  const meta = readYaml(files.get('Chart.yaml') ?? files.get('Chart.yml'), 'Chart.yaml', []);
  if (!isRecord(meta)) return [];
  let deps = readDependencies(meta['dependencies']);
  if (deps.length === 0) {
    const req = readYaml(files.get('requirements.yaml'), 'requirements.yaml', []);
    if (isRecord(req)) deps = readDependencies(req['dependencies']);
  }
  const present = new Set<string>();
  for (const [path, text] of files) {
    const m = /^charts\/[^/]+\/Chart\.ya?ml$/.exec(path);
    if (m === null) continue;
    // Read as Chart.yaml (remembered: the render reads the same texts); problems are not reported here.
    const sub = readYaml(text, 'Chart.yaml', []);
    if (isRecord(sub) && typeof sub['name'] === 'string') present.add(sub['name']);
  }
  const out: LocalDependency[] = [];
  for (const d of deps) {
    const repo = d.repository?.trim() ?? '';
    if (!repo.startsWith('file://') || present.has(d.name)) continue;
    out.push({ name: d.name, path: repo.slice('file://'.length) });
  }
  return out;
}

/**
 * A chart rendered from these files writes no manifest: a library chart, or one whose templates are
 * all partials (`_*`) and NOTES.txt (Linkerd's `partials` chart). Such a `file://` dependency only
 * lends its defines, so vendoring it cannot add objects of its own to the chart that uses it.
 */
export function writesNothing(files: ReadonlyMap<string, string>): boolean {
  const meta = readYaml(files.get('Chart.yaml') ?? files.get('Chart.yml'), 'Chart.yaml', []);
  if (!isRecord(meta)) return false;
  if (meta['type'] === 'library') return true;
  for (const path of files.keys()) {
    const t = /(?:^|\/)templates\/(?:.*\/)?([^/]+)$/.exec(path);
    if (t === null) continue;
    const base = t[1] ?? '';
    if (!base.startsWith('_') && base !== 'NOTES.txt') return false;
  }
  return true;
}
