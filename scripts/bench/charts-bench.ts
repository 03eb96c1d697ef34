/**
 * `npm run bench -- --charts DIR` (issue #12 point 7): a workspace of Helm charts you point it at
 * (say 50 public charts fetched under /tmp; nothing of them is committed), driven through the
 * language server as an editor drives it:
 *
 * - the floor: the `yaml` package parsing the charts' rendered output (`kube-reach render` of every
 *   root chart, written to a temporary folder) in a fresh process (scripts/bench/floor.ts); and a
 *   second floor that adds the folder's other YAML and JSON files (values, CRDs, CI values), which
 *   the server reads as a plain parse would;
 * - T1: initialized → analysisComplete on the folder (every chart rendered and checked), with the
 *   server's CPU time over the same span beside the floors' own CPU time (on a loaded machine the
 *   wall times of both stretch unevenly; their CPU times compare);
 * - T1 warm start: the same with the warm-start cache a first server wrote into its storage folder
 *   (docs/dev/warm-start.md), whose diagnostics must equal the cold run's;
 * - template edits: a literal `targetPort: name` line of a Service template broken and repaired
 *   (each edit renders that chart again), timed until the template's diagnostics for the new
 *   version arrive; an edit whose error/warning count does not change is counted (the Service may
 *   not render with default values);
 * - hover on `.Values.` in those templates;
 * - T7: the server's peak resident memory.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchClient, positionOf } from './lspClient.js';
import type { Arrival } from './lspClient.js';
import { median, p95 } from './stats.js';

const repo = join(__dirname, '..', '..');
const SAMPLE_TIMEOUT_MS = 20_000;
const TYPING_GAP_MS = 50;
const SKIPPED = new Set(['.git', 'node_modules']);
/** Service templates edited per run (their edits alternate). */
const EDITED_TEMPLATES = 4;

export interface ChartsBenchOptions {
  readonly dir: string;
  readonly runs: number;
  readonly samples: number;
  /** The language server's command line (as the VS Code client starts it). */
  readonly server: readonly string[];
}

interface Publish {
  uri: string;
  version?: number;
  diagnostics: Array<{ severity?: number }>;
}

const isPublish = (a: Arrival): boolean => a.method === 'textDocument/publishDiagnostics';
const publishOf = (a: Arrival): Publish => a.params as Publish;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function fmt(ms: number): string {
  return Number.isNaN(ms) ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

/** Every folder under `dir` with a Chart.yaml, in path order. */
function chartFolders(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return out;
  }
  if (entries.includes('Chart.yaml')) out.push(dir);
  for (const e of entries) {
    if (SKIPPED.has(e)) continue;
    const full = join(dir, e);
    try {
      if (statSync(full).isDirectory()) chartFolders(full, out);
    } catch {
      // Unreadable entries are not charts.
    }
  }
  return out;
}

/** Charts that are not vendored subcharts (`<chart>/charts/<sub>`) of another chart: what the server renders. */
export function rootChartFolders(dir: string): string[] {
  const all = chartFolders(dir);
  const set = new Set(all);
  return all.filter((d) => {
    for (let p = dirname(d); p !== dirname(p) && p.length >= dir.length; p = dirname(p)) {
      if (p.endsWith('/charts') && set.has(dirname(p))) return false;
    }
    return true;
  });
}

/** A template line the edits toggle: `targetPort: <name>` written literally. */
const TARGET_PORT = /^( +targetPort: )([a-z][-a-z0-9]*)[ \t]*$/m;

/** The rendered output of every root chart (`kube-reach render`), one file per chart, in `out`. */
function renderAll(roots: readonly string[], out: string): { documents: number; bytes: number; failed: number; ms: number } {
  let documents = 0;
  let bytes = 0;
  let failed = 0;
  const t0 = performance.now();
  roots.forEach((chart, i) => {
    const r = spawnSync(process.execPath, [join(repo, 'dist/cli.js'), 'render', chart], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    if (r.status !== 0) failed++;
    const text = r.stdout ?? '';
    documents += (text.match(/^---$/gm) ?? []).length;
    bytes += Buffer.byteLength(text);
    writeFileSync(join(out, `${String(i).padStart(3, '0')}.yaml`), text);
  });
  return { documents, bytes, failed, ms: performance.now() - t0 };
}

/** Copies the folder's YAML and JSON files that are not templates into `out` (the second floor's other half). */
function copyPlainFiles(dir: string, out: string): number {
  let bytes = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      if (SKIPPED.has(e)) continue;
      const full = join(d, e);
      if (statSync(full).isDirectory()) {
        if (e !== 'templates') walk(full);
      } else if (/\.(ya?ml|json)$/i.test(e)) {
        const target = join(out, relative(dir, full));
        mkdirSync(dirname(target), { recursive: true });
        const text = readFileSync(full);
        bytes += text.length;
        writeFileSync(target, text);
      }
    }
  };
  walk(dir);
  return bytes;
}

interface Floor {
  readonly ms: number;
  readonly cpuMs: number;
  readonly documents: number;
}

function floorMs(folder: string): Floor {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'floor.ts'), folder], { cwd: repo, encoding: 'utf8' });
  const out = JSON.parse(r.stdout || 'null') as { ms?: unknown; cpuMs?: unknown; documents?: unknown } | null;
  if (typeof out?.ms !== 'number' || typeof out.cpuMs !== 'number' || typeof out.documents !== 'number')
    throw new Error(`floor run failed: ${r.stderr}`);
  return { ms: out.ms, cpuMs: out.cpuMs, documents: out.documents };
}

interface RunResult {
  t1: number;
  /** The server's CPU time from `initialized` to the cold pass's end (ms, /proc). */
  cpu: number;
  /** The cold pass's diagnostics, one line per diagnostic, sorted. */
  published: string[];
  t7cold: number | undefined;
  t7: number | undefined;
  edits: number[];
  /** Edits whose error/warning count changed with the targetPort. */
  flipped: number;
  hovers: number[];
  lost: string[];
  passLogs: string[];
  files: number;
}

/** A run with the warm-start cache in `cacheDir`; `seed`: close only once the server has written it there. */
interface WarmMode {
  readonly cacheDir: string;
  readonly seed: boolean;
}

async function run(o: ChartsBenchOptions, edited: readonly string[], perRun: number, warm?: WarmMode): Promise<RunResult> {
  const [command, ...args] = [process.execPath, ...o.server];
  const client = new BenchClient(command ?? process.execPath, args, o.dir);
  const r: RunResult = {
    t1: NaN,
    cpu: NaN,
    published: [],
    t7cold: undefined,
    t7: undefined,
    edits: [],
    flipped: 0,
    hovers: [],
    lost: [],
    passLogs: [],
    files: 0,
  };
  const stopLogs = client.collectPassLogs(r.passLogs);
  const published = new Map<string, Publish>();
  const stopRecording = client.listen((a) => {
    if (isPublish(a)) published.set(publishOf(a).uri, publishOf(a));
  });
  try {
    const started = await client.start(o.dir, undefined, warm === undefined ? undefined : { cacheDir: warm.cacheDir });
    stopRecording();
    r.t1 = started.t1;
    r.cpu = (client.cpuMs() ?? NaN) - (started.cpuAtInitialized ?? NaN);
    for (const [uri, p] of published) for (const d of p.diagnostics) r.published.push(`${uri} ${JSON.stringify(d)}`);
    r.published.sort();
    r.files = (started.complete.params as { files?: number }).files ?? 0;
    r.t7cold = client.peakRssMB();
    if (warm?.seed === true) {
      // Written once analysis has been idle for two seconds (server/server.ts).
      const until = performance.now() + 60_000;
      while (!readdirSync(warm.cacheDir).some((f) => f.endsWith('.bin')) && performance.now() < until) await sleep(100);
    }
    if (perRun === 0) return r;
    const per = Math.max(1, Math.ceil(perRun / edited.length));
    for (const file of edited) {
      const uri = pathToFileURL(file).href;
      let text = readFileSync(file, 'utf8');
      const opened = client.next(
        `didOpen ${file}`,
        (a) => isPublish(a) && publishOf(a).uri === uri && publishOf(a).version === 1,
        SAMPLE_TIMEOUT_MS,
      );
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'helm', version: 1, text } });
      let before: number;
      try {
        before = countProblems(publishOf(await opened));
      } catch (e) {
        r.lost.push(`open ${relative(o.dir, file)}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      const m = TARGET_PORT.exec(text);
      if (m === null) continue;
      const at = m.index + (m[1] ?? '').length;
      const name = m[2] ?? '';
      let version = 1;
      for (let i = 0; i < per; i++) {
        const [from, to] = i % 2 === 0 ? [name, `${name}q`] : [`${name}q`, name];
        version++;
        const v = version;
        const arrived = client.next(
          `publication ${v}`,
          (a) => isPublish(a) && publishOf(a).uri === uri && publishOf(a).version === v,
          SAMPLE_TIMEOUT_MS,
        );
        const idle = client
          .next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', SAMPLE_TIMEOUT_MS)
          .catch(() => undefined);
        const range = { start: positionOf(text, at), end: positionOf(text, at + from.length) };
        const e0 = performance.now();
        await client.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [{ range, text: to }],
        });
        text = text.slice(0, at) + to + text.slice(at + from.length);
        try {
          const p = await arrived;
          r.edits.push(p.at - e0);
          const count = countProblems(publishOf(p));
          if (count !== before) r.flipped++;
          before = count;
        } catch (e) {
          r.lost.push(`edit ${relative(o.dir, file)}: ${e instanceof Error ? e.message : String(e)}`);
        }
        await idle;
        await sleep(TYPING_GAP_MS);
        const valuesAt = text.indexOf('.Values.');
        if (valuesAt >= 0) {
          const position = positionOf(text, valuesAt + 9);
          const h0 = performance.now();
          await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
          r.hovers.push(performance.now() - h0);
        }
      }
    }
    r.t7 = client.peakRssMB();
  } finally {
    stopRecording();
    stopLogs();
    await client.close();
  }
  return r;
}

function countProblems(p: Publish): number {
  return p.diagnostics.filter((d) => (d.severity ?? 1) <= 2).length;
}

/** The Service templates the edits toggle: a literal targetPort line, one template per chart, spread over the charts. */
function editedTemplates(roots: readonly string[], runIndex: number): string[] {
  const found: string[] = [];
  for (const chart of roots) {
    const dir = join(chart, 'templates');
    if (!existsSync(dir)) continue;
    const stack = [dir];
    let hit: string | undefined;
    while (stack.length > 0 && hit === undefined) {
      const d = stack.pop() ?? '';
      for (const e of readdirSync(d).sort()) {
        const full = join(d, e);
        if (statSync(full).isDirectory()) stack.push(full);
        else if (/\.ya?ml$/.test(e) && TARGET_PORT.test(readFileSync(full, 'utf8'))) {
          hit = full;
          break;
        }
      }
    }
    if (hit !== undefined) found.push(hit);
  }
  const out: string[] = [];
  for (let i = 0; i < Math.min(EDITED_TEMPLATES, found.length); i++) {
    const f = found[(runIndex * EDITED_TEMPLATES + i) % found.length];
    if (f !== undefined && !out.includes(f)) out.push(f);
  }
  return out;
}

export async function benchCharts(o: ChartsBenchOptions): Promise<Record<string, unknown>> {
  const roots = rootChartFolders(o.dir);
  if (roots.length === 0) throw new Error(`--charts ${o.dir}: no folder with a Chart.yaml`);
  const tmp = mkdtempSync(join(tmpdir(), 'kube-reach-bench-charts-'));
  try {
    const renderedDir = join(tmp, 'rendered');
    mkdirSync(renderedDir);
    const rendered = renderAll(roots, renderedDir);
    const floors: Floor[] = [];
    for (let i = 0; i < o.runs; i++) floors.push(floorMs(renderedDir));
    const floor = median(floors.map((f) => f.ms));
    const floorCpu = median(floors.map((f) => f.cpuMs));
    const plainBytes = copyPlainFiles(o.dir, join(renderedDir, 'files'));
    const wideFloors: Floor[] = [];
    for (let i = 0; i < o.runs; i++) wideFloors.push(floorMs(renderedDir));
    const wides = wideFloors.map((f) => f.ms);
    const wide = median(wides);
    const wideCpu = median(wideFloors.map((f) => f.cpuMs));
    const interactive = Math.min(o.runs, 2);
    const perRun = Math.ceil(o.samples / interactive);
    const runs: RunResult[] = [];
    for (let i = 0; i < o.runs; i++) {
      process.stderr.write(`  charts: run ${i + 1}/${o.runs}…\n`);
      runs.push(await run(o, editedTemplates(roots, i), i < interactive ? perRun : 0));
    }
    // Warm start (docs/dev/warm-start.md): a server with a storage folder writes its cache once the
    // cold pass is idle; the next servers over the unchanged folder read it.
    const cacheDir = join(tmp, 'storage');
    mkdirSync(cacheDir);
    process.stderr.write('  charts: cold run writing the warm-start cache…\n');
    const seeded = await run(o, [], 0, { cacheDir, seed: true });
    const warm: RunResult[] = [];
    for (let i = 0; i < Math.min(o.runs, 3); i++) {
      process.stderr.write(`  charts: warm run ${i + 1}…\n`);
      warm.push(await run(o, [], 0, { cacheDir, seed: false }));
    }
    const expected = seeded.published.join('\n');
    const warmSame = runs.every((r) => r.published.join('\n') === expected) && warm.every((r) => r.published.join('\n') === expected);
    const t1 = median(runs.map((r) => r.t1));
    const cpu = median(runs.map((r) => r.cpu));
    const t1warm = median(warm.map((r) => r.t1));
    const cpuWarm = median(warm.map((r) => r.cpu));
    const edits = runs.flatMap((r) => r.edits);
    const hovers = runs.flatMap((r) => r.hovers);
    const peaks = runs.map((r) => r.t7 ?? r.t7cold).filter((x): x is number => x !== undefined);
    const colds = runs.map((r) => r.t7cold).filter((x): x is number => x !== undefined);
    const peak = peaks.length > 0 ? Math.max(...peaks) : NaN;
    const flipped = runs.reduce((n, r) => n + r.flipped, 0);
    const lost = runs.flatMap((r) => r.lost);
    console.log(
      `\nCharts ${o.dir}: ${roots.length} root charts; rendered output ${rendered.documents} documents, ${(rendered.bytes / 1e6).toFixed(1)} MB (${rendered.failed} charts with templates that did not render); Node ${process.version}`,
    );
    console.log(
      `Floor (fresh node: yaml parseAllDocuments of the rendered output, this run): ${fmt(floor)} ms median of ${floors.length} [${floors.map((f) => fmt(f.ms)).join(', ')}]; CPU ${fmt(floorCpu)} ms`,
    );
    console.log(
      `Floor 2 (the same, with the folder's other YAML and JSON files, ${(plainBytes / 1e6).toFixed(1)} MB more): ${fmt(wide)} ms median of ${wides.length} [${wides.map(fmt).join(', ')}]; CPU ${fmt(wideCpu)} ms`,
    );
    console.log(
      `  T1  initialized → analysisComplete          ${fmt(t1)} ms median of ${runs.length} [${runs.map((r) => fmt(r.t1)).join(', ')}]   ${(t1 / floor).toFixed(2)}× floor, ${(t1 / wide).toFixed(2)}× floor 2   target ≤ 2× floor`,
    );
    console.log(
      `      server CPU over T1 (user + system, /proc; compares runs at any load) ${fmt(cpu)} ms median [${runs.map((r) => fmt(r.cpu)).join(', ')}]   ${(cpu / floorCpu).toFixed(2)}× the floor's CPU, ${(cpu / wideCpu).toFixed(2)}× floor 2's`,
    );
    console.log(
      `  T1  warm start (cache) → analysisComplete  ${fmt(t1warm)} ms median of ${warm.length} [${warm.map((r) => fmt(r.t1)).join(', ')}]   ${(t1warm / floor).toFixed(2)}× floor; CPU ${fmt(cpuWarm)} ms; diagnostics ${warmSame ? 'equal to' : 'DIFFERENT from'} the cold runs'   target ≤ 0.3× floor`,
    );
    console.log(
      `  T4  template didChange → its diagnostics, p95 ${fmt(p95(edits))} ms (n=${edits.length}, median ${fmt(median(edits))}; ${flipped} edits changed the findings)   target ≤ 100 ms`,
    );
    console.log(`  T6  hover on .Values in a template, p95       ${fmt(p95(hovers))} ms (n=${hovers.length})   target ≤ 15 ms`);
    console.log(
      `  T7  peak RSS (VmHWM)                          ${Number.isNaN(peak) ? 'n/a' : peak.toFixed(0)} MB highest of ${peaks.length} runs (at cold analysis end: ${colds.length > 0 ? Math.max(...colds).toFixed(0) : 'n/a'} MB)   target ≤ 250 MB`,
    );
    console.log(
      `  Files reported ${runs[0]?.files ?? 0}; render of every chart by the CLI took ${fmt(rendered.ms)} ms (one process per chart)`,
    );
    const logs = runs[0]?.passLogs ?? [];
    if (logs.length > 0)
      console.log(`  Server breakdown, run 1: cold ${logs[0] ?? ''}${logs.length > 1 ? `; last slow edit ${logs.at(-1) ?? ''}` : ''}`);
    if (lost.length > 0) console.log(`  Lost samples (${lost.length}):\n    ${lost.slice(0, 10).join('\n    ')}`);
    return {
      dir: o.dir,
      charts: roots.length,
      rendered: { documents: rendered.documents, bytes: rendered.bytes, chartsWithUnrenderedTemplates: rendered.failed },
      floorMs: { median: floor, runs: floors.map((f) => f.ms), cpuMs: floors.map((f) => f.cpuMs) },
      floorWithPlainFilesMs: { median: wide, runs: wides, cpuMs: wideFloors.map((f) => f.cpuMs), plainBytes },
      T1: {
        medianMs: t1,
        ratioToFloor: t1 / floor,
        ratioToFloorWithPlainFiles: t1 / wide,
        runs: runs.map((r) => r.t1),
        serverCpuMs: runs.map((r) => r.cpu),
        cpuRatioToFloor: cpu / floorCpu,
      },
      T1warm: {
        medianMs: t1warm,
        ratioToFloor: t1warm / floor,
        runs: warm.map((r) => r.t1),
        serverCpuMs: warm.map((r) => r.cpu),
        sameDiagnostics: warmSame,
      },
      templateEdit: { p95Ms: p95(edits), medianMs: median(edits), count: edits.length, changedFindings: flipped, samples: edits },
      hover: { p95Ms: p95(hovers), count: hovers.length },
      T7: { peakMB: peak, runs: peaks, atColdAnalysisEnd: colds },
      lostSamples: lost,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
