/**
 * Measures the Kustomize builder (analysis/render/kustomize/) against `kubectl kustomize` (the
 * golden: kustomize v5.5.0 in kubectl 1.32) on local checkouts of public repositories, which are
 * never committed (docs/dev/kustomize.md, "Measured against kubectl kustomize"). For every
 * kustomization under the folders given (a `kind: Component` is no build), it runs `kubectl
 * kustomize <dir>` and the builder on the same files, and compares the outputs object by object
 * (order and formatting normalised: objects sorted by apiVersion, kind, namespace and name, values
 * compared as JSON data). A build kubectl refuses is compared with the builder's own verdict: a
 * problem the builder reports as one `kustomize build` has (a known build with an error problem)
 * counts as identical.
 *
 *   node --import tsx scripts/kustomize-golden.ts [--verbose] [--all] [--only TEXT] <folder>…
 *
 * Builds that need the network (remote bases, charts kustomize would pull) or a plugin cannot be
 * compared offline: they are counted apart, as are `helmCharts` builds (kubectl needs
 * `--enable-helm` and a helm binary).
 */

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseFile } from '../analysis/syntax/parse.js';
import type { ParsedFile } from '../analysis/syntax/parse.js';
import { buildKustomization, KUSTOMIZATION_FILES } from '../analysis/render/kustomize/index.js';
import type { BuildResult } from '../analysis/render/kustomize/index.js';
import { plain } from '../analysis/render/kustomize/nodes.js';

const SKIP = new Set(['.git', 'node_modules', 'vendor']);

function filesUnder(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    if (SKIP.has(e)) continue;
    const p = join(dir, e);
    let s;
    try {
      s = statSync(p);
    } catch {
      continue;
    }
    if (s.isDirectory()) filesUnder(p, out);
    else if (s.isFile()) out.push(p);
  }
  return out;
}

/** The builder's host over the files under `top` (nothing outside it is read). */
function hostOver(top: string, files: readonly string[]) {
  const uris = new Map(files.map((f) => [pathToFileURL(f).href, f]));
  const texts = new Map<string, string | undefined>();
  const parses = new Map<string, ParsedFile | undefined>();
  const text = (uri: string): string | undefined => {
    if (!texts.has(uri)) {
      const f = uris.get(uri);
      texts.set(uri, f === undefined ? undefined : readFileSync(f, 'utf8'));
    }
    return texts.get(uri);
  };
  const sorted = [...uris.keys()].sort();
  return {
    top,
    text,
    parse: (uri: string): ParsedFile | undefined => {
      if (!parses.has(uri)) {
        const t = text(uri);
        parses.set(uri, t === undefined ? undefined : parseFile(t));
      }
      return parses.get(uri);
    },
    kustomizationOf: (d: string): string | undefined => KUSTOMIZATION_FILES.map((k) => `${d}/${k}`).find((u) => uris.has(u)),
    filesUnder: (d: string): readonly string[] => sorted.filter((u) => u.startsWith(`${d}/`)),
  };
}

const key = (o: unknown): string => {
  const r = o as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  return JSON.stringify([r?.apiVersion, r?.kind, r?.metadata?.namespace ?? '', r?.metadata?.name]);
};

/** JSON data with map keys sorted (unknown values, `undefined` in the builder's output, become "<unknown>"). */
function canonical(v: unknown): unknown {
  if (v === undefined) return '<unknown>';
  if (Array.isArray(v)) return v.map(canonical);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** The paths where two values differ (at most `max`). */
function differences(a: unknown, b: unknown, path = '', out: string[] = [], max = 5): string[] {
  if (out.length >= max) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`, out, max);
    return out;
  }
  out.push(
    `${path || '/'}: kubectl ${JSON.stringify(a)?.slice(0, 80)} ≠ ours ${b === '<unknown>' ? '"<unknown>"' : JSON.stringify(b)?.slice(0, 80)}`,
  );
  return out;
}

type Verdict =
  'identical' | 'unknown' | 'differ' | 'both-fail' | 'kubectl-fails' | 'ours-fails' | 'offline' | 'helm' | 'agree' | 'disagree';

function compare(dir: string, host: ReturnType<typeof hostOver>): { verdict: Verdict; detail: string[] } {
  const uri = pathToFileURL(dir).href;
  const result: BuildResult = buildKustomization(uri, host);
  const kust = host.kustomizationOf(uri);
  const kText = kust === undefined ? '' : (host.text(kust) ?? '');
  // kubectl kustomize's load restrictor: information here (Flux builds such files), a failure of kubectl's.
  const restricted = result.problems.some((p) => p.message.startsWith('security; file '));
  const ourError =
    restricted ||
    result.problems.some(
      (p) => p.certain === true || (result.knownParts && p.level === undefined && p.note !== true && p.missing === undefined),
    );
  const missing = result.problems.some((p) => p.missing !== undefined);
  if (!result.knownParts && !missing) return { verdict: /helmCharts/.test(kText) ? 'helm' : 'offline', detail: [] };
  let golden: string;
  try {
    golden = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '');
    const err = /err="(.*)"\s*$/s.exec(stderr)?.[1] ?? stderr.trim().split('\n').pop() ?? '';
    if (ourError || missing) return { verdict: 'both-fail', detail: [] };
    return { verdict: 'kubectl-fails', detail: [err.slice(0, 400)] };
  }
  if (ourError || missing)
    return { verdict: 'ours-fails', detail: result.problems.filter((p) => p.level === undefined).map((p) => p.message) };
  const theirs = parseAllDocuments(golden)
    .map((d) => canonical(d.toJS()))
    .filter((o) => o !== null)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const ours = result.objects.map((o) => canonical(plain(o.root))).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const detail: string[] = [];
  const byKey = new Map(ours.map((o) => [key(o), o]));
  const seen = new Set<string>();
  for (const t of theirs) {
    // An object whose namespace or name the builder reads as unknown (template text, a `$NAME` placeholder) is the one kubectl names.
    const r = t as { metadata?: { namespace?: unknown; name?: unknown } };
    const k =
      [
        key(t),
        key({ ...r, metadata: { ...r.metadata, namespace: '<unknown>' } }),
        key({ ...r, metadata: { ...r.metadata, name: '<unknown>' } }),
        key({ ...r, metadata: { ...r.metadata, namespace: '<unknown>', name: '<unknown>' } }),
      ].find((x) => byKey.has(x) && !seen.has(x)) ?? key(t);
    seen.add(k);
    const o = byKey.get(k);
    if (o === undefined) detail.push(`missing in ours: ${k}`);
    else for (const d of differences(t, o)) detail.push(`${k} ${d}`);
  }
  for (const o of ours) if (!seen.has(key(o))) detail.push(`extra in ours: ${key(o)}`);
  // Values the builder reads as unknown by design (template text, placeholders, run-time `$(VAR)`: docs/dev/kustomize.md).
  const unknownOnly = detail.length > 0 && detail.every((d) => d.endsWith('ours "<unknown>"'));
  return { verdict: detail.length === 0 ? 'identical' : unknownOnly ? 'unknown' : 'differ', detail };
}

/**
 * `--refusals`: only the builds the builder says kustomize refuses (problems marked `certain`), each
 * checked against kubectl kustomize (does it fail too, and with the same words?). Cheap on big corpora.
 */
function refusals(dir: string, host: ReturnType<typeof hostOver>): { verdict: 'agree' | 'disagree'; detail: string[] } | undefined {
  const result = buildKustomization(pathToFileURL(dir).href, host);
  const certain = result.problems.filter((p) => p.certain === true);
  if (certain.length === 0) return undefined;
  let err = '';
  try {
    execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch (e) {
    err = String((e as { stderr?: unknown }).stderr ?? '');
  }
  // kustomize's own words for each refusal (its paths are absolute, ours as written).
  const phrases = [
    'may not add resource with an already registered id',
    'exists; behavior must be merge or replace',
    'namespace transformation produces ID conflict',
    "expected kind != 'Component'",
    "expected kind 'Component'",
    'is empty',
    'invalid Kustomization: json: unknown field',
    'invalid Kustomization: json: cannot unmarshal',
  ];
  const agree = certain.some((p) => phrases.some((w) => p.message.includes(w) && err.includes(w)));
  return {
    verdict: err !== '' && agree ? 'agree' : 'disagree',
    detail: [...certain.map((p) => `ours: ${p.message}`), `kubectl: ${err.trim().split('\n').pop()?.slice(0, 300) ?? ''}`],
  };
}

function main(): void {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  // `--only TEXT`: only the kustomizations whose folder's path holds TEXT (the files read are still every folder's).
  const at = args.indexOf('--only');
  const only = at === -1 ? undefined : args[at + 1];
  const folders = args.filter((a, i) => !a.startsWith('--') && (at === -1 || (i !== at && i !== at + 1)));
  if (folders.length === 0) {
    process.stderr.write('usage: node --import tsx scripts/kustomize-golden.ts [--verbose] [--all] [--refusals] [--only TEXT] <folder>…\n');
    process.exit(2);
  }
  const counts = new Map<Verdict, number>();
  for (const top of folders) {
    const files = filesUnder(top);
    const host = hostOver(top, files);
    const dirs = files
      .filter((f) => KUSTOMIZATION_FILES.some((k) => f.endsWith(`/${k}`)))
      .filter((f) => !/^\s*kind:\s*Component\s*$/m.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(0, f.lastIndexOf('/')))
      .filter((d) => only === undefined || d.includes(only))
      .sort();
    for (const dir of dirs) {
      if (args.includes('--refusals')) {
        const r = refusals(dir, host);
        if (r === undefined) continue;
        counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
        process.stdout.write(`${r.verdict}: ${relative(top, dir)}\n`);
        for (const d of r.detail.slice(0, verbose ? 50 : 4)) process.stdout.write(`  ${d}\n`);
        continue;
      }
      const { verdict, detail } = compare(dir, host);
      counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
      // `--all`: the differences in values read as unknown by design too.
      const quiet = ['identical', 'offline', 'helm', 'both-fail', ...(args.includes('--all') ? [] : ['unknown'])];
      if (!quiet.includes(verdict)) {
        process.stdout.write(`${verdict}: ${relative(top, dir)}\n`);
        for (const d of detail.slice(0, verbose ? 50 : 3)) process.stdout.write(`  ${d}\n`);
      }
    }
  }
  const n = [...counts.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`${n} kustomizations: ${[...counts].map(([v, c]) => `${v} ${c}`).join(', ')}\n`);
}

main();
