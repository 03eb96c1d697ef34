/**
 * Argo CD config management plugins (CMP, sidecar plugins) whose generate step is `kustomize build`:
 * an Application source with `plugin: {name: …}` renders its folder as that command does, so the
 * folder is a kustomize source (units/argocd.ts `toolOf`) instead of a part not known here. Argo CD
 * runs the plugin's `generate` in the source folder; a plugin with `spec.version` is named
 * `<name>-<version>` by Applications (Argo CD's operator manual, "Config Management Plugins").
 *
 * Plugin definitions read from the workspace:
 * - a `ConfigManagementPlugin` document (`argoproj.io/v1alpha1`; the file a sidecar mounts as
 *   `plugin.yaml`);
 * - the ConfigMap `argocd-cmp-cm` whose data values hold them (as the argo-cd chart and the Argo CD
 *   operator manual write it; a ConfigMap of another name is not looked into: any ConfigMap could be);
 * - the argo-cd chart's values `configs.cmp.plugins.<name>` (its template writes each as a
 *   `ConfigManagementPlugin` named `<name>` whose spec is the entry; model/lower.ts marks such a
 *   values file `argoCmp`).
 *
 * Only a generate step that is `kustomize build` with no other effect is recognised: `kustomize build`
 * alone or with `.`, `--enable-helm` and `--load-restrictor LoadRestrictionsNone` (the command
 * itself, or the script of `sh -c`/`bash -c`), and no `init` step (which may change the folder
 * first). Anything else, a name defined twice differently, or a plugin not in the workspace stays
 * unknown: the build is incomplete, as before.
 */

import { parse as parseYaml } from 'yaml';
import type { FileFacts, KObject } from '../model/types.js';
import type { ParsedFile } from '../syntax/parse.js';
import type { YMap, YNode } from '../syntax/tree.js';
import { isMap, isScalar, isSeq } from '../syntax/tree.js';

/** What a plugin's generate step amounts to. */
export type PluginTool = 'kustomize' | 'other';

/** A plugin the workspace defines, by the name Applications give it (argocdPluginNotes.ts says what it would run). */
export interface PluginDef {
  readonly tool: PluginTool;
  /** The `init` step's command and args, when plain strings. */
  readonly init?: readonly string[];
  /** The `generate` step's command and args, when plain strings. */
  readonly generate?: readonly string[];
  /** Defined twice, differently: not known which one Argo CD runs. */
  readonly conflict?: true;
  /** Defined only in `argocd-cm`'s `configManagementPlugins`, which Argo CD 2.8 and later no longer run. */
  readonly legacy?: true;
}

function get(n: YNode | undefined, key: string): YNode | undefined {
  return isMap(n) ? n.pairs.find((p) => p.key === key)?.value : undefined;
}

function known(n: YNode | undefined): string | undefined {
  return isScalar(n) && !n.unknown && n.value !== null ? String(n.value) : undefined;
}

const ARGO_V1ALPHA1 = 'argoproj.io/v1alpha1';

function isPluginObject(o: KObject): boolean {
  return o.kind === 'ConfigManagementPlugin' && o.group === 'argoproj.io';
}

function isConfigMap(o: KObject): boolean {
  return o.kind === 'ConfigMap' && o.group === '';
}

/** Whether a file may define a plugin (its change can change which Argo CD sources are kustomize builds). */
export function definesCmpPlugin(f: FileFacts | undefined): boolean {
  if (f === undefined || f.template) return false;
  if (f.toolConfig?.argoCmp === true) return true;
  return f.objects.some(
    (o) =>
      isPluginObject(o) || (isConfigMap(o) && o.name?.known === true && (o.name.value === 'argocd-cmp-cm' || o.name.value === 'argocd-cm')),
  );
}

/** A plain value's strings, or undefined when it is not a list of plain strings. */
function strings(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) && v.every((x): x is string => typeof x === 'string') ? v : undefined;
}

const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/env sh', '/usr/bin/env bash']);

/** Whether words are `kustomize build` with only options that build the folder as kustomize does here. */
function kustomizeBuildWords(words: readonly string[]): boolean {
  if (words[0] !== 'kustomize' || words[1] !== 'build') return false;
  for (let i = 2; i < words.length; i++) {
    const w = words[i];
    if (w === '.' || w === './' || w === '--enable-helm' || w === '--load-restrictor=LoadRestrictionsNone') continue;
    if (w === '--load-restrictor' && words[i + 1] === 'LoadRestrictionsNone') {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/** A shell script that is one `kustomize build` command (blank lines and a trailing newline aside). */
function kustomizeScript(script: string): boolean {
  const lines = script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length !== 1) return false;
  const line = lines[0] ?? '';
  if (/[;&|<>$`\\'"(){}*?]/.test(line)) return false;
  return kustomizeBuildWords(line.split(/\s+/));
}

/** What a plugin's spec (as plain data) generates with. */
export function pluginTool(spec: unknown): PluginTool {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return 'other';
  const s = spec as Record<string, unknown>;
  if (s['init'] !== undefined && s['init'] !== null) return 'other';
  const gen = s['generate'];
  if (gen === null || typeof gen !== 'object' || Array.isArray(gen)) return 'other';
  const command = strings((gen as Record<string, unknown>)['command']);
  const args = strings((gen as Record<string, unknown>)['args']);
  if (command === undefined || args === undefined) return 'other';
  const words = [...command, ...args];
  const shell = words[0];
  if (shell !== undefined && SHELLS.has(shell) && words[1] === '-c' && words.length === 3)
    return kustomizeScript(words[2] ?? '') ? 'kustomize' : 'other';
  return kustomizeBuildWords(words) ? 'kustomize' : 'other';
}

/** A tree node as plain data (undefined for anything templated). */
function plain(n: YNode | undefined): unknown {
  if (n === undefined) return undefined;
  if (n.unknown) return Symbol.for('unknown');
  if (isScalar(n)) return n.value;
  if (isSeq(n)) return n.items.map(plain);
  if (isMap(n)) return Object.fromEntries(n.pairs.map((p) => [p.key, plain(p.value)]));
  return undefined;
}

/** The name an Application uses for a plugin: `<name>-<version>` when the plugin has a version. */
function appName(name: string, spec: unknown): string {
  const v = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>)['version'] : undefined;
  return typeof v === 'string' && v !== '' ? `${name}-${v}` : name;
}

/** A step's command and args, when both are plain strings. */
function stepWords(step: unknown): string[] | undefined {
  if (step === null || typeof step !== 'object' || Array.isArray(step)) return undefined;
  const command = strings((step as Record<string, unknown>)['command']);
  const args = strings((step as Record<string, unknown>)['args']);
  return command === undefined || args === undefined ? undefined : [...command, ...args];
}

/** A plugin's definition from its spec (as plain data). */
function pluginDef(spec: unknown, legacy = false): PluginDef {
  const s = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
  const init = stepWords(s['init']);
  const generate = stepWords(s['generate']);
  return {
    // Argo CD 2.8 and later run no argocd-cm plugin: never a kustomize source.
    tool: legacy ? 'other' : pluginTool(spec),
    ...(init !== undefined ? { init } : {}),
    ...(generate !== undefined ? { generate } : {}),
    ...(legacy ? { legacy: true as const } : {}),
  };
}

function pluginDoc(doc: unknown, add: (name: string, def: PluginDef) => void): void {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return;
  const d = doc as Record<string, unknown>;
  if (d['apiVersion'] !== ARGO_V1ALPHA1 || d['kind'] !== 'ConfigManagementPlugin') return;
  const meta = d['metadata'];
  const name = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>)['name'] : undefined;
  if (typeof name === 'string' && name !== '') add(appName(name, d['spec']), pluginDef(d['spec']));
}

/** `argocd-cm`'s `configManagementPlugins`: a YAML list of `{name, init, generate}` (Argo CD before 2.8). */
function legacyPlugins(text: string, add: (name: string, def: PluginDef) => void): void {
  let list: unknown;
  try {
    list = parseYaml(text, { logLevel: 'silent' }) as unknown;
  } catch {
    return;
  }
  if (!Array.isArray(list)) return;
  for (const p of list as unknown[]) {
    const name = p !== null && typeof p === 'object' ? (p as Record<string, unknown>)['name'] : undefined;
    if (typeof name === 'string' && name !== '') add(name, pluginDef(p, true));
  }
}

/** The plugins the workspace defines, by the name Applications give them; a name defined twice differently is a conflict ('other'). */
export function cmpPlugins(files: ReadonlyMap<string, FileFacts>, parse: (uri: string) => ParsedFile | undefined): Map<string, PluginDef> {
  const out = new Map<string, PluginDef>();
  const add = (name: string, def: PluginDef): void => {
    const had = out.get(name);
    // A sidecar plugin and an argocd-cm one of the same name: Argo CD 2.8 and later run the sidecar's.
    if (had === undefined || (had.legacy === true && def.legacy !== true)) out.set(name, def);
    else if (def.legacy === true && had.legacy !== true) return;
    else if (JSON.stringify(had) !== JSON.stringify(def)) out.set(name, { ...def, tool: 'other', conflict: true });
  };
  for (const f of files.values()) {
    if (!definesCmpPlugin(f)) continue;
    const parsed = parse(f.uri);
    if (parsed === undefined || parsed.template || parsed.templated) continue;
    if (f.toolConfig?.argoCmp === true) {
      const plugins = get(get(get(parsed.documents[0]?.root, 'configs'), 'cmp'), 'plugins');
      if (isMap(plugins) && !plugins.unknown) for (const p of plugins.pairs) add(appName(p.key, plain(p.value)), pluginDef(plain(p.value)));
      continue;
    }
    for (const o of f.objects) {
      const root = parsed.documents[o.docIndex]?.root;
      if (isPluginObject(o)) pluginDoc(plain(root), add);
      else if (isConfigMap(o)) {
        const data = get(root, 'data');
        if (!isMap(data)) continue;
        for (const p of data.pairs) {
          const text = known(p.value);
          if (text !== undefined && o.name?.known === true && o.name.value === 'argocd-cm') {
            if (p.key === 'configManagementPlugins') legacyPlugins(text, add);
            continue;
          }
          if (text === undefined || !text.includes('ConfigManagementPlugin')) continue;
          try {
            for (const doc of [parseYaml(text, { logLevel: 'silent' }) as unknown]) pluginDoc(doc, add);
          } catch {
            // Not YAML: not a plugin definition.
          }
        }
      }
    }
  }
  return out;
}

/** Whether an Application source (`node`) names a plugin of the workspace whose generate step is `kustomize build`. */
export function kustomizePlugin(node: YMap, plugins: () => ReadonlyMap<string, PluginDef>): boolean {
  const name = known(get(get(node, 'plugin'), 'name'));
  return name !== undefined && plugins().get(name)?.tool === 'kustomize';
}

/**
 * For an Application with plugin sources: which are built as `kustomize build` (`k`) and which not
 * (`-`), in order, the notes on the others (a plugin's definition changes them), and the load restrictor.
 */
export function pluginKey(
  sources: ReadonlyArray<{ readonly node: YMap; readonly kustomizePlugin?: true }>,
  notes: ReadonlyArray<{ readonly message: string }> = [],
  restrictor?: string,
): string | undefined {
  const list = sources.filter((s) => get(s.node, 'plugin') !== undefined);
  if (list.length === 0 && notes.length === 0 && restrictor === undefined) return undefined;
  const key = [list.map((s) => (s.kustomizePlugin === true ? 'k' : '-')).join(''), ...notes.map((n) => n.message)].join('\n');
  return restrictor === undefined ? key : `${key}\n${restrictor}`;
}

/** `--load-restrictor LoadRestrictionsNone` among kustomize build options (a string of them, or the words of a command). */
function liftsRestriction(options: string): boolean {
  return /--load[-_]restrictor(?:=|\s+)LoadRestrictionsNone\b/.test(options);
}

/**
 * How Argo CD's `kustomize build` restricts loading, by the `kustomize.buildOptions` of the
 * workspace's `argocd-cm` (a ConfigMap of that name, or the argo-cd chart's values `configs.cm`
 * setting them): `none` when they pass `--load-restrictor LoadRestrictionsNone`, `root-only` when an
 * argocd-cm says otherwise (kustomize's default), undefined when no argocd-cm is in the workspace, or
 * several disagree (units/loadRestrictor.ts).
 */
export function argoLoadRestrictor(
  files: ReadonlyMap<string, FileFacts>,
  parse: (uri: string) => ParsedFile | undefined,
): 'none' | 'root-only' | undefined {
  const found = new Set<'none' | 'root-only' | undefined>();
  for (const f of files.values()) {
    if (!definesCmpPlugin(f)) continue;
    const parsed = parse(f.uri);
    if (parsed === undefined || parsed.template || parsed.templated) continue;
    if (f.toolConfig?.argoCmp === true) {
      const cm = get(get(parsed.documents[0]?.root, 'configs'), 'cm');
      const options = get(cm, 'kustomize.buildOptions');
      if (options === undefined) continue;
      const text = known(options);
      found.add(text === undefined ? undefined : liftsRestriction(text) ? 'none' : 'root-only');
      continue;
    }
    for (const o of f.objects) {
      if (!isConfigMap(o) || o.name?.known !== true || o.name.value !== 'argocd-cm') continue;
      const data = get(parsed.documents[o.docIndex]?.root, 'data');
      const options = get(data, 'kustomize.buildOptions');
      const text = options === undefined ? '' : known(options);
      found.add(text === undefined ? undefined : liftsRestriction(text) ? 'none' : 'root-only');
    }
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/**
 * How an Application's `kustomize build` loads a file outside a kustomization's folder
 * (units/loadRestrictor.ts): `plugin` when a source's plugin runs `kustomize build --load-restrictor
 * LoadRestrictionsNone`, else as argocd-cm's `kustomize.buildOptions` say (`cm`: `argoLoadRestrictor`).
 */
export function sourcesRestrictor(
  sources: ReadonlyArray<{ readonly node: YMap; readonly kustomizePlugin?: true }>,
  plugins: () => ReadonlyMap<string, PluginDef>,
  cm: () => 'none' | 'root-only' | undefined,
): 'none' | 'root-only' | 'plugin' | undefined {
  const lifts = (node: YMap): boolean => {
    const name = known(get(get(node, 'plugin'), 'name'));
    const def = name === undefined ? undefined : plugins().get(name);
    return def?.generate !== undefined && liftsRestriction(def.generate.join(' '));
  };
  return sources.some((s) => s.kustomizePlugin === true && lifts(s.node)) ? 'plugin' : cm();
}
