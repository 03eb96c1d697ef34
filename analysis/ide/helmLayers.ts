/**
 * The values layers around a chart of a chart tree (pure), for hover, definition and completion on
 * `.Values…` (ide/helmValues.ts): a subchart's `.Values.a` is set by each chart above it at
 * `<alias or name>.a` (and `.Values.global.a` at `global.a`), and a chart's `.Values.<sub>.…`
 * defaults to the subchart's own values.yaml, as Helm coalesces values
 * (helm.sh/docs/chart_template_guide/subcharts_and_globals/).
 */

import { parse as parseYamlText } from 'yaml';
import type { HelmSource } from './helmValues.js';
import { isRecord } from '../narrow.js';

export interface ParentValues {
  readonly source: HelmSource;
  readonly prefix: readonly string[];
  /** A values file of `kubeReach.helm.valueFiles` (for the top chart), not the parent's values.yaml. */
  readonly valuesFile: boolean;
}

export interface SubchartValues {
  readonly source: HelmSource;
  /** The name its values go by in this chart (its dependency's alias, else its name). */
  readonly name: string;
}

/** The path a parent's file holds `.Values.<path>` of this chart at. */
export function parentPath(p: ParentValues, path: readonly string[]): string[] {
  return path[0] === 'global' ? [...path] : [...p.prefix, ...path];
}

/**
 * The values layers around a chart of a chart tree, from the tree's files (uri → source): the
 * charts above it (each `…/charts/<dir>` whose parent holds Chart.yaml, under its dependency's alias
 * or name) and the subcharts vendored as folders in its `charts/`. `parentValueFiles` gives the
 * values files `kubeReach.helm.valueFiles` names for a chart folder (the top chart's apply).
 */
/** A Chart.yaml's name and dependencies. */
interface Meta {
  readonly name: string | undefined;
  readonly deps: ReadonlyArray<{ readonly name: string; readonly alias: string | undefined }>;
}

/**
 * Chart.yaml files lately read, by text: every hover in a chart reads its Chart.yaml and its
 * parents' and subcharts' (some carry long annotations: a parse took most of a hover's time).
 */
const metaByText = new Map<string, Meta>();
const META_KEPT = 64;

export function chartValueLayers(
  chart: string,
  files: ReadonlyMap<string, HelmSource>,
  parentValueFiles: (dir: string) => readonly HelmSource[] = () => [],
): { parents: ParentValues[]; subcharts: SubchartValues[] } {
  const metas = new Map<string, Meta>();
  const metaOf = (dir: string): Meta => {
    const known = metas.get(dir);
    if (known !== undefined) return known;
    const meta = readMeta(dir);
    metas.set(dir, meta);
    return meta;
  };
  const readMeta = (dir: string): Meta => {
    const text = files.get(`${dir}/Chart.yaml`)?.text ?? files.get(`${dir}/Chart.yml`)?.text;
    const known = text === undefined ? undefined : metaByText.get(text);
    if (known !== undefined) return known;
    const meta = parseMeta(text);
    if (text !== undefined) {
      if (metaByText.size >= META_KEPT) metaByText.delete(metaByText.keys().next().value ?? '');
      metaByText.set(text, meta);
    }
    return meta;
  };
  const parseMeta = (text: string | undefined): Meta => {
    let raw: unknown;
    try {
      raw = text === undefined ? undefined : parseYamlText(text, { logLevel: 'error' });
    } catch {
      raw = undefined;
    }
    const rec = isRecord(raw) ? raw : {};
    const deps: Array<{ name: string; alias: string | undefined }> = [];
    if (Array.isArray(rec['dependencies']))
      for (const d of rec['dependencies'] as unknown[]) {
        if (typeof d !== 'object' || d === null) continue;
        const r = d as Record<string, unknown>;
        if (typeof r['name'] === 'string') deps.push({ name: r['name'], alias: typeof r['alias'] === 'string' ? r['alias'] : undefined });
      }
    return { name: typeof rec['name'] === 'string' ? rec['name'] : undefined, deps };
  };
  const hasChart = (dir: string): boolean => files.has(`${dir}/Chart.yaml`) || files.has(`${dir}/Chart.yml`);
  const valuesOf = (dir: string): HelmSource | undefined => files.get(`${dir}/values.yaml`) ?? files.get(`${dir}/values.yml`);
  const nameIn = (parent: string, dir: string): string => {
    const own = metaOf(dir).name ?? dir.slice(dir.lastIndexOf('/') + 1);
    const dep = metaOf(parent).deps.find((d) => d.name === own);
    return dep?.alias ?? own;
  };
  const parents: ParentValues[] = [];
  let prefix: string[] = [];
  let cur = chart;
  for (let depth = 0; depth < 20; depth++) {
    const m = /^(.*)\/charts\/[^/]+$/.exec(cur);
    const parent = m?.[1];
    if (parent === undefined || !hasChart(parent)) break;
    prefix = [nameIn(parent, cur), ...prefix];
    const v = valuesOf(parent);
    if (v !== undefined) parents.push({ source: v, prefix, valuesFile: false });
    for (const f of parentValueFiles(parent)) parents.push({ source: f, prefix, valuesFile: true });
    cur = parent;
  }
  const subcharts: SubchartValues[] = [];
  const seen = new Set<string>();
  for (const uri of files.keys()) {
    const m = /^(.*)\/charts\/([^/]+)\/Chart\.ya?ml$/.exec(uri);
    if (m?.[1] !== chart || m[2] === undefined) continue;
    const dir = `${chart}/charts/${m[2]}`;
    const v = valuesOf(dir);
    if (v === undefined || seen.has(dir)) continue;
    seen.add(dir);
    subcharts.push({ source: v, name: nameIn(chart, dir) });
  }
  subcharts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { parents, subcharts };
}
