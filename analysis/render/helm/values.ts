/**
 * Values as Helm computes them (helm.sh/docs/chart_template_guide/values_files/ and
 * helm.sh/docs/chart_template_guide/subcharts_and_globals/): user values (values files, then
 * `--set`) over the chart's defaults, a subchart's values under its name (or alias) with the
 * parent's `global` pushed down, `null` deleting a default, dependencies switched off by
 * `condition` and `tags` (helm.sh/docs/topics/charts/), and `import-values`.
 */

import type { Chart, Dependency } from './chart.js';
import type { GoValue } from './template/index.js';

export type Values = Map<string, GoValue>;

function isMap(v: GoValue): v is Map<string, GoValue> {
  return v instanceof Map;
}

export function copyValues(v: GoValue, depth = 0): GoValue {
  if (depth > 200) return null;
  if (Array.isArray(v)) return v.map((e) => copyValues(e, depth + 1));
  if (v instanceof Map) {
    const m = new Map<string, GoValue>();
    for (const [k, e] of v) m.set(k, copyValues(e, depth + 1));
    return m;
  }
  return v;
}

/** Merges `src` over `dest` (maps deeply, everything else replaced): values files and `--set`. */
export function mergeValues(dest: Values, src: Values, depth = 0): Values {
  for (const [k, v] of src) {
    const d = dest.get(k);
    if (isMap(v) && d !== undefined && isMap(d) && depth < 200) mergeValues(d, v, depth + 1);
    else dest.set(k, copyValues(v));
  }
  return dest;
}

/** Helm's coalesceTables: fills `dest` from the defaults `src`; a user `null` deletes the default. */
function coalesceTable(dest: Values, src: Values, depth = 0): void {
  for (const [k, sv] of src) {
    if (!dest.has(k)) {
      dest.set(k, copyValues(sv));
      continue;
    }
    const dv = dest.get(k);
    if (dv === null) {
      dest.delete(k);
    } else if (isMap(dv) && isMap(sv) && depth < 200) {
      coalesceTable(dv, sv, depth + 1);
    }
  }
  // A null the user set for a key the chart does not have is dropped as well.
  for (const [k, v] of [...dest]) if (v === null && !src.has(k)) dest.delete(k);
}

/** Pushes the parent's `global` into a subchart's values (the parent's keys win). */
function coalesceGlobals(dest: Values, parent: Values): void {
  const pg = parent.get('global');
  if (!isMap(pg)) return;
  let dg = dest.get('global');
  if (!isMap(dg)) dest.set('global', (dg = new Map()));
  for (const [k, v] of pg) {
    const cur = dg.get(k);
    if (isMap(v) && cur !== undefined && isMap(cur)) {
      const merged = copyValues(cur) as Values;
      mergeValues(merged, v);
      dg.set(k, merged);
    } else dg.set(k, copyValues(v));
  }
}

/** The name a subchart's values and templates go by: its dependency's alias, else its name. */
export interface Bound {
  readonly chart: Chart;
  readonly name: string;
  readonly subcharts: readonly Bound[];
  /** Dependencies listed in Chart.yaml that are not vendored in charts/. */
  readonly missing: readonly Dependency[];
}

/** Helm's CoalesceValues over the enabled chart tree: `user` is changed in place and returned. */
export function coalesceValues(b: Bound, user: Values): Values {
  coalesceTable(user, b.chart.values);
  for (const sub of b.subcharts) {
    let dv = user.get(sub.name);
    if (!isMap(dv)) user.set(sub.name, (dv = new Map()));
    coalesceGlobals(dv, user);
    coalesceValues(sub, dv);
  }
  return user;
}

function lookupPath(values: Values, path: string): GoValue {
  let cur: GoValue = values;
  for (const part of path.split('.').filter((p) => p !== '')) {
    if (!isMap(cur)) return undefined;
    cur = cur.get(part);
  }
  return cur;
}

function setPath(values: Values, path: string, v: GoValue): void {
  const parts = path.split('.').filter((p) => p !== '');
  if (parts.length === 0) {
    if (isMap(v)) mergeValues(values, v);
    return;
  }
  let cur = values;
  for (const part of parts.slice(0, -1)) {
    let next = cur.get(part);
    if (!isMap(next)) cur.set(part, (next = new Map()));
    cur = next;
  }
  const last = parts[parts.length - 1] ?? '';
  const old = cur.get(last);
  if (isMap(old) && isMap(v)) mergeValues(old, v);
  else cur.set(last, copyValues(v));
}

/**
 * Binds the chart tree: aliases applied, dependencies switched off by `condition`/`tags` (Helm's
 * processDependencyEnabled: tags first, a condition that resolves to a bool wins), missing ones
 * noted. `values` are the user's values coalesced with the defaults (re-computed per level).
 */
export function bindCharts(chart: Chart, user: Values, name = chart.meta.name, prefix = '', topValues?: Values, depth = 0): Bound {
  const top = topValues ?? coalesceValues(unbound(chart, name), copyValues(user) as Values);
  const tags = top.get('tags');
  const subs: Bound[] = [];
  const missing: Dependency[] = [];
  const byName = new Map(chart.subcharts.map((c) => [c.meta.name, c]));
  const listed = new Set<string>();
  for (const dep of chart.meta.dependencies) {
    listed.add(dep.name);
    const sub = byName.get(dep.name);
    const as = dep.alias ?? dep.name;
    let enabled = true;
    if (dep.tags.length > 0 && isMap(tags)) {
      let hasTrue = false;
      let hasFalse = false;
      for (const t of dep.tags) {
        const v = tags.get(t);
        if (v === true) hasTrue = true;
        else if (v === false) hasFalse = true;
      }
      if (!hasTrue && hasFalse) enabled = false;
    }
    if (dep.condition !== undefined) {
      for (const c of dep.condition.split(',')) {
        const v = lookupPath(top, prefix + c.trim());
        if (typeof v === 'boolean') {
          enabled = v;
          break;
        }
      }
    }
    if (!enabled) continue;
    if (sub === undefined) {
      missing.push(dep);
      continue;
    }
    subs.push(depth < 20 ? bindCharts(sub, user, as, `${prefix}${as}.`, top, depth + 1) : unbound(sub, as));
  }
  // Charts in charts/ without a dependency entry are always part of the chart.
  for (const c of chart.subcharts)
    if (!listed.has(c.meta.name))
      subs.push(depth < 20 ? bindCharts(c, user, c.meta.name, `${prefix}${c.meta.name}.`, top, depth + 1) : unbound(c, c.meta.name));
  return { chart, name, subcharts: subs, missing };
}

function unbound(chart: Chart, name: string): Bound {
  return { chart, name, subcharts: chart.subcharts.map((c) => unbound(c, c.meta.name)), missing: [] };
}

/** `import-values`: copies a subchart's values into the parent's (parent's own settings lose). */
export function importValues(b: Bound, values: Values): void {
  for (const sub of b.subcharts) {
    const sv = values.get(sub.name);
    if (isMap(sv)) importValues(sub, sv);
    const dep = b.chart.meta.dependencies.find((d) => (d.alias ?? d.name) === sub.name);
    if (dep === undefined || !isMap(sv)) continue;
    for (const iv of dep.importValues) {
      const v = lookupPath(sv, iv.child);
      if (v !== undefined) setPath(values, iv.parent === '.' ? '' : iv.parent, v);
    }
  }
}

/** Parses one `--set` argument (Helm's strvals: `a.b=c,d[0]=e`, `true`/`false`/`null`, integers). */
export function parseSet(arg: string, into: Values, asString = false): string | undefined {
  const parts: string[] = [];
  let cur = '';
  let braces = 0;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (c === '\\' && i + 1 < arg.length) {
      cur += arg[++i];
      continue;
    }
    if (c === '{') braces++;
    else if (c === '}' && braces > 0) braces--;
    if (c === ',' && braces === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  parts.push(cur);
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq <= 0) return `--set: expected key=value (got "${p}")`;
    const key = p.slice(0, eq);
    const raw = p.slice(eq + 1);
    let value: GoValue = raw;
    if (!asString) {
      if (raw === 'true') value = true;
      else if (raw === 'false') value = false;
      else if (raw === 'null') value = null;
      else if (/^-?(0|[1-9]\d*)$/.test(raw) && Math.abs(Number(raw)) <= Number.MAX_SAFE_INTEGER) value = BigInt(raw);
      else if (raw.startsWith('{') && raw.endsWith('}')) value = raw.slice(1, -1) === '' ? [] : raw.slice(1, -1).split(',');
    }
    let target: Values | GoValue[] = into;
    const segs = key.split(/\.(?![^[]*\])/);
    for (let s = 0; s < segs.length; s++) {
      const seg = segs[s] ?? '';
      const m = /^([^[]*)((?:\[\d+\])*)$/.exec(seg);
      if (m === null) return `--set: bad key "${key}"`;
      const name = m[1] ?? '';
      const idx = [...(m[2] ?? '').matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
      const lastSeg = s === segs.length - 1;
      const steps: Array<string | number> = [name, ...idx];
      for (let k = 0; k < steps.length; k++) {
        const step = steps[k];
        if (step === undefined) break;
        const last = lastSeg && k === steps.length - 1;
        const nextIsIndex = typeof steps[k + 1] === 'number';
        const make = (): Values | GoValue[] => (nextIsIndex ? [] : new Map());
        if (typeof step === 'number') {
          if (!Array.isArray(target) || step > 65536) return `--set: bad index in "${key}"`;
          while (target.length <= step) target.push(null);
          if (last) target[step] = value;
          else {
            let n: GoValue = target[step] ?? null;
            if (!(n instanceof Map) && !Array.isArray(n)) target[step] = n = make();
            target = n;
          }
        } else {
          if (!(target instanceof Map)) return `--set: bad key "${key}"`;
          if (last) target.set(step, value);
          else {
            let n = target.get(step);
            if (!(n instanceof Map) && !Array.isArray(n)) target.set(step, (n = make()));
            target = n;
          }
        }
      }
    }
  }
  return undefined;
}

/**
 * The path from the root chart's values of every map in `values` (after coalescing), for naming
 * what a template reads: a subchart's values sit under its name, and its `global` (a copy of the
 * parent's, pushed down) reads as the root's `global`. Maps inside lists get no path.
 */
export function valuePaths(b: Bound, values: Values): WeakMap<object, readonly string[]> {
  const paths = new WeakMap<object, readonly string[]>();
  const visit = (m: Values, path: readonly string[], depth: number): void => {
    if (paths.has(m) || depth > 100) return;
    paths.set(m, path);
    for (const [k, v] of m) if (isMap(v)) visit(v, [...path, k], depth + 1);
  };
  const globals = (c: Bound, vals: Values): void => {
    const g = vals.get('global');
    if (isMap(g)) visit(g, ['global'], 0);
    for (const s of c.subcharts) {
      const sv = vals.get(s.name);
      if (isMap(sv)) globals(s, sv);
    }
  };
  globals(b, values);
  visit(values, [], 0);
  return paths;
}
