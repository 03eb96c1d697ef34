/**
 * `npm run bench` (docs/dev/design.md §9): generates seeded workspaces of ~1,000 and ~10,000 manifests with
 * injected mistakes, drives the language server (dist/server.js with the Node options the VS Code client gives it) over stdio as an editor does,
 * and prints T1–T4, T6 and T7 with the floor (the `yaml` package parsing the same files) measured
 * in the same run, plus a ground-truth check that every injected mistake was reported; then T8,
 * the reachability engine on 5,000 pods × 1,000 policies (scripts/bench/reach-bench.ts).
 *
 * T5 runs on one generated multi-document file of about 5 MB (`--bundle 5`, scripts/bench/generate.ts
 * `generateBundle`): edits in one document of it, hover in it, and the server's peak memory.
 *
 * `--charts DIR` runs a workspace of Helm charts you point it at (scripts/bench/charts-bench.ts):
 * the cold pass against the `yaml` parse of the charts' rendered output, template edits, memory.
 *
 * Every workspace size also gets a warm start (T1 with the warm-start cache a first server wrote,
 * docs/dev/warm-start.md) and a run with every file open (the edits and memory again). `--netpol N`
 * adds a workspace of the NetworkPolicy-heavy mix (generate.ts `Mix`). T9 comes last: the VSIX's
 * size (scripts/package.mjs, which leaves dist/ minified) and activation (scripts/bench/activation.ts).
 *
 * `--namespace N` (scripts/bench/namespaceBench.ts, issue #21): one namespace of N objects, whose
 * edits must cost what they change, not what the namespace holds.
 *
 * `--kustomize N` (scripts/bench/kustomizeBench.ts, issue #13 point 7): a Kustomize platform of N
 * build roots (10 overlays per base), whose base edits must rebuild only the roots that include it.
 *
 * `--routes N` (scripts/bench/routesBench.ts, issue #17): N HTTPRoutes and Services in one namespace,
 * whose route edits must cost what they change, not what the namespace's routes hold.
 *
 * `--server-flag F` (repeatable) adds a Node option to the server's, to measure a V8 flag before
 * protocol/serverProcess.ts adopts it (`--server-flag --heap-growing-percent=20`).
 *
 * Usage: npm run bench -- [--size 1000] [--size 10000] [--netpol 10000] [--bundle 5] [--charts DIR] [--namespace 4000]
 *        [--kustomize 500] [--routes 1000] [--runs 5] [--samples 60] [--seed N] [--skip-t8] [--skip-t9] [--t8-only]
 *        [--server-flag F]
 * (no --size, --netpol, --bundle, --charts, --namespace, --kustomize or --routes: sizes 1,000 and 10,000, the NetworkPolicy-heavy
 * 10,000 and the 5 MB bundle; --bundle, --charts, --namespace, --kustomize or --routes alone: only those;
 * --t8-only: T8 alone). T8 runs twice, as is and with 50 cluster policies (issue 14's row).
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { benchCharts } from './charts-bench.js';
import { generateBundle, generateWorkspace, writeWorkspace } from './generate.js';
import type { GeneratedWorkspace, Mix, TruthEntry } from './generate.js';
import { BenchClient, EDITOR_CAPABILITIES, positionOf } from './lspClient.js';
import { benchNamespace } from './namespaceBench.js';
import { benchKustomize } from './kustomizeBench.js';
import { benchRoutes } from './routesBench.js';
import type { Arrival } from './lspClient.js';
import { median, p95 } from './stats.js';
import { DEFAULT_SERVER_MEMORY_MB, serverNodeFlags } from '../../protocol/serverProcess.js';

const repo = join(__dirname, '..', '..');
/** Longest wait for any one server answer before the sample counts as lost. */
const SAMPLE_TIMEOUT_MS = 10_000;
/** Pause between edits: a fast typist's keystroke interval (the debounce adapts to the pace). */
const TYPING_GAP_MS = 50;
/**
 * A cold pass slower than this means analysis is far off target: the bench stops early. On a loaded
 * machine the floor itself grows (it was 20–26 s for 10,000 manifests at load 20–30), so the limit
 * is also at least `SLOW_T1_FLOORS` times the floor of the same run: a load spike does not cut the
 * interactive, warm-start and every-file-open rows of a corpus that analyses at its usual ratio.
 */
const SLOW_T1_MS = 60_000;
const SLOW_T1_FLOORS = 10;
/** Runs that take interactive samples (T3, T4, T6). */
const INTERACTIVE_RUNS = 2;

interface Options {
  sizes: number[];
  /** Sizes of the NetworkPolicy-heavy mix (generate.ts `Mix` 'netpol'). */
  netpol: number[];
  skipT9: boolean;
  /** Megabytes of the single-file bundle (T5); 0: none. */
  bundleMB: number;
  runs: number;
  samples: number;
  seed: number;
  skipT8: boolean;
  /** T8 alone (`--t8-only`): no server workspaces, no T9. */
  t8Only: boolean;
  /** A folder of Helm charts (`--charts`); '' for none. */
  charts: string;
  /** Objects of the one-namespace workspaces (`--namespace`). */
  namespaces: number[];
  /** Build roots of the Kustomize platforms (`--kustomize`). */
  kustomize: number[];
  /** HTTPRoutes of the one-namespace Gateway API workspaces (`--routes`). */
  routes: number[];
  /** Node options added to the server's (`--server-flag`, repeatable): to measure a V8 flag before adopting it. */
  serverFlags: string[];
}

function parseOptions(argv: readonly string[]): Options {
  const o: Options = {
    sizes: [],
    netpol: [],
    bundleMB: 0,
    runs: 5,
    samples: 60,
    seed: 20261126,
    skipT8: false,
    t8Only: false,
    skipT9: false,
    charts: '',
    namespaces: [],
    kustomize: [],
    routes: [],
    serverFlags: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--skip-t8') {
      o.skipT8 = true;
    } else if (flag === '--t8-only') {
      o.t8Only = true;
      o.skipT9 = true;
    } else if (flag === '--skip-t9') {
      o.skipT9 = true;
    } else if (flag === '--server-flag') {
      const f = argv[i + 1];
      if (f === undefined || !f.startsWith('--')) throw new Error('--server-flag needs a Node option such as --heap-growing-percent=20');
      o.serverFlags.push(f);
      i++;
    } else if (flag === '--charts') {
      const dir = argv[i + 1];
      if (dir === undefined || dir === '') throw new Error('--charts needs a folder');
      o.charts = resolve(dir);
      i++;
    } else if (
      flag === '--size' ||
      flag === '--netpol' ||
      flag === '--runs' ||
      flag === '--samples' ||
      flag === '--seed' ||
      flag === '--bundle' ||
      flag === '--namespace' ||
      flag === '--kustomize' ||
      flag === '--routes'
    ) {
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number`);
      i++;
      if (flag === '--size') o.sizes.push(Math.round(value));
      else if (flag === '--netpol') o.netpol.push(Math.round(value));
      else if (flag === '--bundle') o.bundleMB = value;
      else if (flag === '--namespace') o.namespaces.push(Math.round(value));
      else if (flag === '--kustomize') o.kustomize.push(Math.round(value));
      else if (flag === '--routes') o.routes.push(Math.round(value));
      else if (flag === '--runs') o.runs = Math.round(value);
      else if (flag === '--samples') o.samples = Math.round(value);
      else o.seed = Math.round(value);
    } else {
      throw new Error(`unknown option ${flag ?? ''}`);
    }
  }
  if (
    o.sizes.length === 0 &&
    o.netpol.length === 0 &&
    o.bundleMB === 0 &&
    o.charts === '' &&
    o.namespaces.length === 0 &&
    o.kustomize.length === 0 &&
    o.routes.length === 0 &&
    !o.t8Only
  ) {
    o.sizes = [1000, 10000];
    o.netpol = [10000];
    o.bundleMB = 5;
  }
  return o;
}

/** `--server-flag`s of this run (set once the options are read). */
let extraServerFlags: readonly string[] = [];

/**
 * The server as the VS Code client starts it: the server bundle with the client's Node options
 * (heap limit at its default, protocol/serverProcess.ts).
 */
function serverCommand(): string[] {
  return [...serverNodeFlags(DEFAULT_SERVER_MEMORY_MB), ...extraServerFlags, join(repo, 'dist/server.js'), '--stdio'];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: Array<{ code?: unknown; severity?: number; range: { start: { line: number } } }>;
}

function isPublish(a: Arrival): boolean {
  return a.method === 'textDocument/publishDiagnostics';
}

function publishOf(a: Arrival): PublishParams {
  return a.params as PublishParams;
}

interface RunResult {
  t1: number;
  t2: number;
  t7: number | undefined;
  /** Peak RSS when the cold analysis completed (before any edit). */
  t7cold: number | undefined;
  /** The server's CPU time (ms, /proc) until the cold analysis completed, and during the interactive samples. */
  cpuCold: number | undefined;
  cpuSamples: number | undefined;
  t3: number[];
  t4: number[];
  t4dep: number[];
  t4reach: number[];
  /** Policy edit → kubeReach/reachability for the policy's namespace answered. */
  t4list: number[];
  /** The first kubeReach/reachability of the run (not a T4 sample). */
  listFirst: number[];
  /** The first kubeReach/explain of the run: it builds the workspace engine (not a T4 sample). */
  reachFirst: number[];
  hover: number[];
  completion: number[];
  lost: string[];
  /** The server's own breakdown of slow passes (window/logMessage "Pass N: …"). */
  passLogs: string[];
  /** The latest publication per URI when the cold analysis completed. */
  published: Map<string, PublishParams>;
  filesReported: number;
  /** First didOpen → the pass after the last one complete, when every file was opened (RunMode.openAll). */
  openAllMs: number;
}

/**
 * A probe the generated policy in `policyFile` decides: from a workload of its namespace whose
 * pods carry `tier: frontend` to the workload beside the policy (the one its podSelector's `app`
 * names), on that workload's `http` container port. Allowed while the policy's peer says
 * `tier: frontend`, denied once the edit breaks it.
 */
function decidedProbe(ws: GeneratedWorkspace, policyFile: string): { from: string; to: string; port: number } | undefined {
  const text = ws.files.get(policyFile) ?? '';
  const ns = /namespace: (\S+)/.exec(text)?.[1];
  const app = /app: (\S+)/.exec(text)?.[1];
  if (ns === undefined || app === undefined) return undefined;
  const dir = policyFile.slice(0, policyFile.lastIndexOf('/') + 1);
  let to: string | undefined;
  let port: number | undefined;
  let from: string | undefined;
  for (const [file, fileText] of ws.files) {
    if (!file.startsWith(`${ns}/`)) continue;
    for (const doc of fileText.split(/^---$/m)) {
      const kind = /^kind: (Deployment|StatefulSet|DaemonSet)$/m.exec(doc)?.[1];
      const name = /^ {2}name: (\S+)$/m.exec(doc)?.[1];
      if (kind === undefined || name === undefined) continue;
      if (to === undefined && file.startsWith(dir) && name === app) {
        to = `${ns}/${name}[${kind}]`;
        port = Number(/name: http\s+containerPort: (\d+)/.exec(doc)?.[1]);
      }
      if (from === undefined && name !== app && /^ +tier: frontend$/m.test(doc)) from = `${ns}/${name}[${kind}]`;
    }
  }
  return to === undefined || from === undefined || port === undefined || !Number.isInteger(port) ? undefined : { from, to, port };
}

/** How a run differs from a plain cold start. */
interface RunMode {
  /** initializationOptions (`{cacheDir}`: the warm-start cache, docs/dev/warm-start.md). */
  readonly init?: unknown;
  /** Before the samples, open every file of the workspace (an editor restoring a large session). */
  readonly openAll?: boolean;
  /** Close only once the server has written its warm-start cache into this folder. */
  readonly awaitCacheIn?: string;
  /** A cold pass slower than this skips the interactive samples (default `SLOW_T1_MS`). */
  readonly slowT1Ms?: number;
}

/** One server lifetime: start, cold analysis, then the interactive samples. */
async function run(ws: GeneratedWorkspace, root: string, perRun: number, runIndex: number, mode: RunMode = {}): Promise<RunResult> {
  const client = new BenchClient(process.execPath, serverCommand(), root);
  const uriOf = (rel: string): string => pathToFileURL(join(root, rel)).href;
  const result: RunResult = {
    t1: NaN,
    t2: NaN,
    t7: undefined,
    t7cold: undefined,
    cpuCold: undefined,
    cpuSamples: undefined,
    t3: [],
    t4: [],
    t4dep: [],
    t4reach: [],
    t4list: [],
    listFirst: [],
    reachFirst: [],
    hover: [],
    completion: [],
    lost: [],
    passLogs: [],
    published: new Map(),
    filesReported: 0,
    openAllMs: NaN,
  };
  const stopLogs = client.collectPassLogs(result.passLogs);
  const stopRecording = client.listen((a) => {
    if (isPublish(a)) result.published.set(publishOf(a).uri, publishOf(a));
  });
  try {
    const started = await client.start(
      root,
      { ...EDITOR_CAPABILITIES, workspace: { ...EDITOR_CAPABILITIES.workspace, didChangeWatchedFiles: { dynamicRegistration: true } } },
      mode.init,
    );
    result.t2 = started.t2;
    result.t1 = started.t1;
    result.filesReported = (started.complete.params as { files: number }).files;
    stopRecording();
    result.t7cold = client.peakRssMB();
    result.cpuCold = client.cpuMs();

    const versions = new Map<string, number>();
    const texts = new Map<string, string>();
    const open = async (rel: string): Promise<number> => {
      const uri = uriOf(rel);
      // Already open (RunMode.openAll): nothing to time.
      if (versions.has(uri)) return NaN;
      const text = ws.files.get(rel) ?? '';
      versions.set(uri, 1);
      texts.set(uri, text);
      const published = client.next(
        `didOpen ${rel}`,
        (a) => isPublish(a) && publishOf(a).uri === uri && publishOf(a).version === 1,
        SAMPLE_TIMEOUT_MS,
      );
      // Settled either way, so a lost sample never leaves an unhandled rejection behind.
      const idle = client
        .next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', SAMPLE_TIMEOUT_MS)
        .catch(() => undefined);
      const t0 = performance.now();
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      const at = (await published).at;
      await idle;
      return at - t0;
    };
    /**
     * Replaces `from` by `to` (first occurrence at or after `after`) in an open document; times
     * until `waitFor`'s diagnostics are published, or until `request` (sent right after the
     * change) is answered.
     */
    const edit = async (
      rel: string,
      from: string,
      to: string,
      after: number,
      waitFor: string | undefined,
      request?: () => Promise<unknown>,
    ): Promise<number> => {
      const uri = uriOf(rel);
      const text = texts.get(uri) ?? '';
      const offset = text.indexOf(from, after);
      if (offset < 0) throw new Error(`"${from}" not in ${rel}`);
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      texts.set(uri, text.slice(0, offset) + to + text.slice(offset + from.length));
      const target = waitFor === undefined ? undefined : uriOf(waitFor);
      const published =
        target === undefined
          ? undefined
          : client.next(
              `publication for ${waitFor ?? ''}`,
              (a) => isPublish(a) && publishOf(a).uri === target && (target !== uri || publishOf(a).version === version),
              SAMPLE_TIMEOUT_MS,
            );
      // Settled either way, so a lost sample never leaves an unhandled rejection behind.
      const idle = client
        .next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', SAMPLE_TIMEOUT_MS)
        .catch(() => undefined);
      // Positions first: the clock times the server, not the bench's line counting (an editor has them).
      const range = { start: positionOf(text, offset), end: positionOf(text, offset + from.length) };
      const t0 = performance.now();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range, text: to }],
      });
      const answered = request === undefined ? undefined : await request().then(() => performance.now());
      const at = answered ?? (published === undefined ? NaN : (await published).at);
      await idle;
      await sleep(TYPING_GAP_MS);
      return at - t0;
    };
    const sample = async (name: string, into: number[], f: () => Promise<number>): Promise<void> => {
      try {
        into.push(await f());
      } catch (e) {
        result.lost.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };

    /** The interactive samples (T3, T4, T6); only some runs take them, to bound the bench's time. */
    const interact = async (): Promise<void> => {
      // Apps used for edits, hover and completion; every run uses different ones.
      const apps = ws.splitApps.slice(runIndex * 2, runIndex * 2 + 2);
      const [edited, dependent] = apps;
      if (edited === undefined || dependent === undefined) throw new Error('workspace too small: needs split apps');
      const reserved = new Set([edited.serviceFile, edited.workloadFile, dependent.serviceFile, dependent.workloadFile]);

      // T3: open files never opened before in this run (none are left when every file is open).
      const candidates = [...ws.files.keys()].filter((f) => !reserved.has(f));
      const stride = Math.max(1, Math.floor(candidates.length / perRun));
      for (let i = 0; i < (mode.openAll === true ? 0 : perRun); i++) {
        const rel = candidates[(i * stride + runIndex) % candidates.length] ?? '';
        await sample(`T3 ${rel}`, result.t3, () => open(rel));
      }

      // T4: edits of an open Service (break and repair its targetPort).
      await open(edited.serviceFile);
      const targetAt = (ws.files.get(edited.serviceFile) ?? '').indexOf('targetPort: http');
      for (let i = 0; i < perRun; i++) {
        const [from, to] = i % 2 === 0 ? ['targetPort: http', 'targetPort: htpp'] : ['targetPort: htpp', 'targetPort: http'];
        await sample('T4 edit', result.t4, () => edit(edited.serviceFile, from, to, targetAt, edited.serviceFile));
      }
      // T4 dependent: edit a workload's pod label; the (closed) Service file's diagnostics change.
      await open(dependent.workloadFile);
      const workloadText = ws.files.get(dependent.workloadFile) ?? '';
      const templateAt = workloadText.indexOf('template:');
      for (let i = 0; i < perRun; i++) {
        const label = `app: ${dependent.name}`;
        const [from, to] = i % 2 === 0 ? [`${label}\n`, `${label}x\n`] : [`${label}x\n`, `${label}\n`];
        await sample('T4 dependent', result.t4dep, () => edit(dependent.workloadFile, from, to, templateAt, dependent.serviceFile));
      }

      // T4 reachability: a NetworkPolicy edit (its peer selector), then kubeReach/explain, answered
      // on the edited text: the engine's results for a changed workspace (issue #6). The probe is
      // one the edited rule decides (a frontend pod to the policy's pods on their http port), so
      // the verdict flips with every edit and a stale answer shows as a lost sample.
      const policyFile = candidates.find(
        (f) =>
          (mode.openAll === true || !versions.has(uriOf(f))) && /kind: NetworkPolicy[\s\S]*tier: frontend\n/.test(ws.files.get(f) ?? ''),
      );
      const probe = policyFile === undefined ? undefined : decidedProbe(ws, policyFile);
      if (policyFile !== undefined && probe !== undefined) {
        await open(policyFile);
        const policyAt = (ws.files.get(policyFile) ?? '').indexOf('kind: NetworkPolicy');
        // The first request builds the workspace engine from nothing (as opening the panel or a
        // policy's code lens does in the editor); it is reported on its own row, and the edits
        // that follow measure what T4 is about: results for a changed workspace.
        const timed = async (method: string, params: unknown): Promise<number> => {
          const t0 = performance.now();
          await client.connection.sendRequest(method, params);
          return performance.now() - t0;
        };
        /** `perRun` edits that break and repair the peer, each answered by `ask` (which checks the answer). */
        const toggles = async (name: string, into: number[], ask: (broken: boolean, to: string) => Promise<void>): Promise<void> => {
          for (let i = 0; i < perRun; i++) {
            const broken = i % 2 === 0;
            const [from, to] = broken ? ['tier: frontend\n', 'tier: frontendx\n'] : ['tier: frontendx\n', 'tier: frontend\n'];
            await sample(name, into, () => edit(policyFile, from, to, policyAt, undefined, () => ask(broken, to.trim())));
          }
        };
        await sample('first kubeReach/explain', result.reachFirst, () => timed('kubeReach/explain', { probes: [probe] }));
        await toggles('T4 reachability', result.t4reach, async (broken, to) => {
          const answer = await client.connection.sendRequest('kubeReach/explain', { probes: [probe] });
          const allowed = (answer as { results?: Array<{ allowed?: unknown }> } | null)?.results?.[0]?.allowed;
          if (allowed !== !broken)
            throw new Error(
              `explain answered ${String(allowed)} for ${probe.from} -> ${probe.to} after the edit to "${to}" (expected ${String(!broken)})`,
            );
        });
        // The same edits, answered by the connection list of the policy's namespace (what the
        // panel asks for): the probe's connection must come and go with them. Its first request
        // computes the namespace's rows of the all-pairs matrix from nothing (as opening the panel
        // does): a row of its own, like the first explain.
        const namespace = probe.to.slice(0, probe.to.indexOf('/'));
        await sample('first kubeReach/reachability', result.listFirst, () => timed('kubeReach/reachability', { namespace }));
        await toggles('T4 reachability list', result.t4list, async (broken, to) => {
          const answer = await client.connection.sendRequest('kubeReach/reachability', { namespace });
          const connections =
            (answer as { connections?: Array<{ from?: unknown; to?: unknown; ports?: unknown }> } | null)?.connections ?? [];
          const covers = (p: { port?: unknown; endPort?: unknown }): boolean =>
            typeof p.port === 'number' && p.port <= probe.port && (typeof p.endPort === 'number' ? p.endPort : p.port) >= probe.port;
          const listed = connections.some(
            (c) => c.from === probe.from && c.to === probe.to && (c.ports === 'all' || (Array.isArray(c.ports) && c.ports.some(covers))),
          );
          if (listed === broken)
            throw new Error(
              `kubeReach/reachability ${listed ? 'listed' : 'did not list'} ${probe.from} -> ${probe.to} port ${probe.port} after the edit to "${to}"`,
            );
        });
      } else {
        result.lost.push('T4 reachability: no NetworkPolicy with a frontend peer and a workload beside it');
      }

      // T6: hover and completion in the open Service.
      const svcUri = uriOf(edited.serviceFile);
      const svcText = texts.get(svcUri) ?? '';
      const hoverAt = [svcText.indexOf('selector:') + 2, svcText.indexOf(`app: ${edited.name}`) + 1, svcText.indexOf('targetPort') + 3];
      const completeAt = [svcText.indexOf(`app: ${edited.name}`) + 5, svcText.indexOf(`app: ${edited.name}`)];
      for (let i = 0; i < perRun; i++) {
        const h = hoverAt[i % hoverAt.length] ?? 0;
        await sample('T6 hover', result.hover, async () => {
          const position = positionOf(svcText, h);
          const t0 = performance.now();
          await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: svcUri }, position });
          return performance.now() - t0;
        });
        const c = completeAt[i % completeAt.length] ?? 0;
        await sample('T6 completion', result.completion, async () => {
          const position = positionOf(svcText, c);
          const t0 = performance.now();
          await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: svcUri }, position });
          return performance.now() - t0;
        });
      }
    };
    if (mode.openAll === true) {
      // Every file opened, as an editor restoring a session of this workspace sends them; the
      // samples below then run with all of them open.
      const o0 = performance.now();
      for (const rel of ws.files.keys()) {
        const uri = uriOf(rel);
        const text = ws.files.get(rel) ?? '';
        versions.set(uri, 1);
        texts.set(uri, text);
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
      }
      // Passes follow the opens; the workspace is settled when one ends and no other starts soon after.
      for (;;) {
        const more = await client
          .next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', 2_000)
          .then(() => true)
          .catch(() => false);
        if (!more) break;
      }
      result.openAllMs = performance.now() - o0 - 2_000;
    }
    const slowT1Ms = mode.slowT1Ms ?? SLOW_T1_MS;
    if (perRun > 0 && result.t1 > slowT1Ms)
      result.lost.push(
        `interactive samples skipped: the cold pass took ${fmt(result.t1)} ms (> ${fmt(slowT1Ms)} ms), so each edit would too`,
      );
    else if (perRun > 0) {
      const cpu0 = client.cpuMs();
      await interact();
      const cpu1 = client.cpuMs();
      if (cpu0 !== undefined && cpu1 !== undefined) result.cpuSamples = cpu1 - cpu0;
    }
    result.t7 = client.peakRssMB();
    if (mode.awaitCacheIn !== undefined) {
      // Written once analysis has been idle for two seconds (server/server.ts).
      const until = performance.now() + 60_000;
      while (!readdirSync(mode.awaitCacheIn).some((f) => f.endsWith('.bin')) && performance.now() < until) await sleep(100);
    }
  } finally {
    stopRecording();
    stopLogs();
    await client.close();
  }
  return result;
}

/** The floor (scripts/bench/floor.ts): a fresh Node process reading and parsing every file. */
function floorMs(ws: GeneratedWorkspace, root: string): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'floor.ts'), root], { cwd: repo, encoding: 'utf8' });
  const out: unknown = JSON.parse(r.stdout || 'null');
  const ms = (out as { ms?: unknown } | null)?.ms;
  const documents = (out as { documents?: unknown } | null)?.documents;
  if (typeof ms !== 'number' || documents !== ws.manifests)
    throw new Error(`floor run failed (${String(documents)} documents, expected ${ws.manifests}): ${r.stderr}`);
  return ms;
}

interface TruthReport {
  injected: number;
  reported: number;
  missing: string[];
  unexpected: string[];
}

function checkTruth(ws: GeneratedWorkspace, root: string, published: ReadonlyMap<string, PublishParams>): TruthReport {
  const prefix = pathToFileURL(root).href + '/';
  // Errors and warnings only, by (file, code), with their lines: the information and hint tiers may legitimately say more.
  const found = new Map<string, number[]>();
  for (const [uri, p] of published) {
    const rel = uri.startsWith(prefix) ? decodeURIComponent(uri.slice(prefix.length)) : uri;
    for (const d of p.diagnostics) {
      if (typeof d.code !== 'string' || (d.severity ?? 1) > 2) continue;
      const key = `${rel} ${d.code}`;
      const lines = found.get(key) ?? [];
      lines.push(d.range.start.line);
      found.set(key, lines);
    }
  }
  // An entry with lines (a bundle holding many generated files) is reported when a finding of its code lies in them.
  const within = (line: number, t: TruthEntry): boolean => t.lines === undefined || (t.lines[0] <= line && line < t.lines[1]);
  const missing = ws.truth
    .filter((t) => !(found.get(`${t.file} ${t.code}`) ?? []).some((line) => within(line, t)))
    .map((t) => `${t.file}${t.lines !== undefined ? `:${t.lines[0] + 1}` : ''}: ${t.code} (${t.note})`);
  const unexpected: string[] = [];
  for (const [key, lines] of found) {
    const entries = ws.truth.filter((t) => `${t.file} ${t.code}` === key);
    for (const line of entries.length === 0 ? lines.slice(0, 1) : lines.filter((l) => !entries.some((t) => within(l, t))))
      unexpected.push(`${key}${entries.length === 0 ? '' : ` (line ${line + 1})`}`);
  }
  return { injected: ws.truth.length, reported: ws.truth.length - missing.length, missing, unexpected };
}

function fmt(ms: number): string {
  return Number.isNaN(ms) ? 'n/a' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function ratio(ms: number, floor: number): string {
  return `${(ms / floor).toFixed(ms / floor < 0.1 ? 3 : 2)}× floor`;
}

/** A run's published diagnostics as comparable lines (file, code, range, message). */
function publishedLines(published: ReadonlyMap<string, PublishParams>): string[] {
  const out: string[] = [];
  for (const [uri, p] of published) for (const d of p.diagnostics) out.push(`${uri} ${JSON.stringify(d)}`);
  return out.sort();
}

async function benchSize(size: number, o: Options, mix: Mix = 'default'): Promise<Record<string, unknown>> {
  const ws = generateWorkspace(size, o.seed, mix);
  const label = mix === 'default' ? `~${size}` : `~${size} (${mix} mix)`;
  const root = mkdtempSync(join(tmpdir(), `kube-reach-bench-${mix}-${size}-`));
  const cacheDir = mkdtempSync(join(tmpdir(), `kube-reach-bench-storage-${size}-`));
  try {
    writeWorkspace(root, ws);
    let bytes = 0;
    let policies = 0;
    for (const t of ws.files.values()) {
      bytes += Buffer.byteLength(t);
      policies += t.match(/^kind: NetworkPolicy$/gm)?.length ?? 0;
    }
    // Bare Node start-up, the part of T2 no server code can remove (this machine's load shows here).
    const bareStarts: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const t0 = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      bareStarts.push(performance.now() - t0);
    }
    const floors: number[] = [];
    for (let i = 0; i < o.runs; i++) floors.push(floorMs(ws, root));
    const floor = median(floors);
    const slowT1Ms = Math.max(SLOW_T1_MS, SLOW_T1_FLOORS * floor);
    // T1, T2 and T7 come from every run; the interactive samples from the first INTERACTIVE_RUNS
    // runs (each edit costs a full analysis pass, and the default bench must stay near 5 minutes).
    const interactiveRuns = Math.min(o.runs, INTERACTIVE_RUNS);
    const perRun = Math.ceil(o.samples / interactiveRuns);
    const runs: RunResult[] = [];
    for (let i = 0; i < o.runs; i++) {
      process.stderr.write(`  ${label}: run ${i + 1}/${o.runs}…\n`);
      const r = await run(ws, root, i < interactiveRuns ? perRun : 0, i, { slowT1Ms });
      runs.push(r);
      if (r.t1 > slowT1Ms) {
        // Analysis this slow would make the default bench take hours: one run says enough.
        process.stderr.write(`  size ${size}: cold pass ${fmt(r.t1)} ms > ${fmt(slowT1Ms)} ms, stopping after this run\n`);
        break;
      }
    }
    const first = runs[0];
    const truth = checkTruth(ws, root, first?.published ?? new Map());
    // Warm start (docs/dev/warm-start.md): a server with a storage folder writes its cache once the
    // cold pass is idle; the next servers over the unchanged workspace read it.
    const warm: RunResult[] = [];
    let warmSame = true;
    if (first !== undefined && first.t1 <= slowT1Ms) {
      process.stderr.write(`  ${label}: cold run writing the warm-start cache…\n`);
      const seeded = await run(ws, root, 0, 0, { init: { cacheDir }, awaitCacheIn: cacheDir });
      for (let i = 0; i < Math.min(o.runs, 3); i++) {
        process.stderr.write(`  ${label}: warm run ${i + 1}…\n`);
        warm.push(await run(ws, root, 0, i, { init: { cacheDir } }));
      }
      const expected = publishedLines(seeded.published).join('\n');
      warmSame =
        warm.every((r) => publishedLines(r.published).join('\n') === expected) && expected === publishedLines(first.published).join('\n');
    }
    // Every file open (an editor restoring a large session): the edits again, and the memory.
    let openAll: RunResult | undefined;
    if (first !== undefined && first.t1 <= slowT1Ms) {
      process.stderr.write(`  ${label}: every file open…\n`);
      openAll = await run(ws, root, Math.ceil(o.samples / interactiveRuns), 0, { openAll: true, slowT1Ms });
    }
    const pool = (k: 't3' | 't4' | 't4dep' | 't4reach' | 't4list' | 'listFirst' | 'reachFirst' | 'hover' | 'completion'): number[] =>
      runs.flatMap((r) => r[k]);
    const t1 = median(runs.map((r) => r.t1));
    const t2 = median(runs.map((r) => r.t2));
    const t7s = runs.map((r) => r.t7).filter((x): x is number => x !== undefined);
    const rows: Array<[string, string, string, string, string]> = [];
    const row = (id: string, what: string, value: number, stat: string, target: string): void => {
      rows.push([id, what, `${fmt(value)} ms ${stat}`, ratio(value, floor), target]);
    };
    row('T1', 'initialized → analysisComplete', t1, `median of ${runs.length}`, '≤ 1.2× floor (issue: ≤ 2×)');
    row('T2', 'spawn → initialize answered', t2, `median of ${runs.length}`, '≤ 250 ms');
    for (const [id, what, k, target] of [
      ['T3', 'didOpen → diagnostics', 't3', '≤ 50 ms'],
      ['T4', 'didChange → diagnostics', 't4', '≤ 50 ms'],
      ['T4', 'didChange → dependent file', 't4dep', '≤ 100 ms'],
      ['T4', 'policy didChange → kubeReach/explain answered', 't4reach', '≤ 50 ms'],
      ['T4', 'policy didChange → kubeReach/reachability (its namespace) answered', 't4list', '≤ 50 ms'],
      ['T6', 'hover', 'hover', '≤ 15 ms'],
      ['T6', 'completion', 'completion', '≤ 25 ms'],
    ] as const) {
      const s = pool(k);
      row(id, what, p95(s), `p95 (n=${s.length}, median ${fmt(median(s))})`, target);
    }
    const firstReach = pool('reachFirst');
    row(
      '',
      'first kubeReach/explain (cold engine)',
      median(firstReach),
      `median of ${firstReach.length}`,
      'none (builds the workspace engine)',
    );
    const firstList = pool('listFirst');
    row(
      '',
      'first kubeReach/reachability (its namespace)',
      median(firstList),
      `median of ${firstList.length}`,
      'none (computes its matrix rows)',
    );
    const t1warm = median(warm.map((r) => r.t1));
    if (warm.length > 0) row('T1', 'warm start (cache) → analysisComplete', t1warm, `median of ${warm.length}`, '≤ 0.3× floor (issue 19)');
    const openPool = (k: 't4' | 't4dep' | 't4reach' | 'hover'): number[] => openAll?.[k] ?? [];
    if (openAll !== undefined) {
      row('', 'every file open: didOpen × all → idle', openAll.openAllMs, `(${ws.files.size} files)`, 'none');
      for (const [id, what, k, target] of [
        ['T4', 'every file open: didChange → diagnostics', 't4', '≤ 50 ms'],
        ['T4', 'every file open: didChange → dependent', 't4dep', '≤ 100 ms'],
        ['T4', 'every file open: policy didChange → explain', 't4reach', '≤ 50 ms'],
        ['T6', 'every file open: hover', 'hover', '≤ 15 ms'],
      ] as const) {
        const s = openPool(k);
        row(id, what, p95(s), `p95 (n=${s.length}, median ${fmt(median(s))})`, target);
      }
    }
    // T7 is the peak over the server's life, editing included: the highest of all runs.
    const t7 = t7s.length > 0 ? Math.max(...t7s) : NaN;
    const t7colds = runs.map((r) => r.t7cold).filter((x): x is number => x !== undefined);
    console.log(
      `\nWorkspace ${label}: ${ws.manifests} manifests (${policies} NetworkPolicies) in ${ws.files.size} files, ${(bytes / 1e6).toFixed(1)} MB; seed ${o.seed}; Node ${process.version}`,
    );
    console.log(
      `Floor (fresh node: read + yaml parseAllDocuments, same files, this run): ${fmt(floor)} ms median of ${floors.length} [${floors.map(fmt).join(', ')}] = ${(bytes / 1e6 / (floor / 1000)).toFixed(1)} MB/s`,
    );
    for (const r of rows) console.log(`  ${r[0].padEnd(3)} ${r[1].padEnd(32)} ${r[2].padEnd(40)} ${r[3].padEnd(16)} target ${r[4]}`);
    console.log(
      `  T7  peak RSS (VmHWM)               ${Number.isNaN(t7) ? 'n/a' : t7.toFixed(0)} MB highest of ${t7s.length} runs [${t7s.map((x) => x.toFixed(0)).join(', ')}] (at cold analysis end: ${t7colds.length > 0 ? Math.max(...t7colds).toFixed(0) : 'n/a'} MB)   target ≤ 250 MB`,
    );
    if (openAll?.t7 !== undefined) console.log(`  T7  every file open: peak RSS ${openAll.t7.toFixed(0)} MB   target ≤ 250 MB`);
    if (warm.length > 0) {
      console.log(
        `  Warm start: per-run T1 [${warm.map((r) => fmt(r.t1)).join(', ')}] ms; diagnostics ${warmSame ? 'equal to' : 'DIFFERENT from'} the cold runs'; server breakdown: ${warm[0]?.passLogs[0] ?? ''}`,
      );
    }
    console.log(`  T2 context: bare \`node -e 0\` start-up median ${fmt(median(bareStarts))} ms [${bareStarts.map(fmt).join(', ')}]`);
    console.log(
      `  Per-run T1 [${runs.map((r) => fmt(r.t1)).join(', ')}] ms; T2 [${runs.map((r) => fmt(r.t2)).join(', ')}] ms; analysed files reported ${first?.filesReported ?? 0} of ${ws.files.size}`,
    );
    const cpuOf = (rs: readonly RunResult[], k: 'cpuCold' | 'cpuSamples'): string => rs.map((r) => fmt(r[k] ?? NaN)).join(', ');
    console.log(
      `  Server CPU (user + system, /proc; compares runs at any load): cold pass [${cpuOf(runs, 'cpuCold')}] ms; interactive samples [${cpuOf(runs, 'cpuSamples')}] ms${openAll !== undefined ? `; every file open: samples [${cpuOf([openAll], 'cpuSamples')}] ms` : ''}${warm.length > 0 ? `; warm start [${cpuOf(warm, 'cpuCold')}] ms` : ''}`,
    );
    const logs = first?.passLogs ?? [];
    if (logs.length > 0)
      console.log(`  Server breakdown, run 1: cold ${logs[0] ?? ''}${logs.length > 1 ? `; last slow edit ${logs.at(-1) ?? ''}` : ''}`);
    const lost = [...runs, ...warm, ...(openAll !== undefined ? [openAll] : [])].flatMap((r) => r.lost);
    if (lost.length > 0) console.log(`  Lost samples (${lost.length}):\n    ${lost.slice(0, 10).join('\n    ')}`);
    console.log(
      `  Ground truth: ${truth.reported}/${truth.injected} injected mistakes reported; ${truth.missing.length} missing; ${truth.unexpected.length} unexpected error/warning (file, code) pairs`,
    );
    for (const m of truth.missing.slice(0, 20)) console.log(`    missing: ${m}`);
    for (const u of truth.unexpected.slice(0, 20)) console.log(`    unexpected: ${u}`);
    return {
      size,
      mix,
      policies,
      manifests: ws.manifests,
      files: ws.files.size,
      bytes,
      floorMs: { median: floor, runs: floors },
      T1: { medianMs: t1, ratioToFloor: t1 / floor, runs: runs.map((r) => r.t1) },
      T2: { medianMs: t2, ratioToFloor: t2 / floor, runs: runs.map((r) => r.t2), bareNodeStartMs: bareStarts },
      T3: { p95Ms: p95(pool('t3')), count: pool('t3').length, samples: pool('t3') },
      T4: { p95Ms: p95(pool('t4')), count: pool('t4').length, samples: pool('t4') },
      T4dependent: { p95Ms: p95(pool('t4dep')), count: pool('t4dep').length, samples: pool('t4dep') },
      T4reachability: { p95Ms: p95(pool('t4reach')), count: pool('t4reach').length, samples: pool('t4reach') },
      T6hover: { p95Ms: p95(pool('hover')), count: pool('hover').length, samples: pool('hover') },
      T6completion: { p95Ms: p95(pool('completion')), count: pool('completion').length, samples: pool('completion') },
      T4reachabilityList: { p95Ms: p95(pool('t4list')), count: pool('t4list').length, samples: pool('t4list') },
      T4reachabilityListFirst: { medianMs: median(firstList), samples: firstList },
      T4reachabilityFirst: { medianMs: median(firstReach), samples: firstReach },
      T7: { peakMB: t7, runs: t7s, atColdAnalysisEnd: t7colds },
      serverCpuMs: { cold: runs.map((r) => r.cpuCold ?? null), samples: runs.map((r) => r.cpuSamples ?? null) },
      T1warm: { medianMs: t1warm, ratioToFloor: t1warm / floor, runs: warm.map((r) => r.t1), sameDiagnostics: warmSame },
      openAll:
        openAll === undefined
          ? undefined
          : {
              openMs: openAll.openAllMs,
              T4: { p95Ms: p95(openPool('t4')), samples: openPool('t4') },
              T4dependent: { p95Ms: p95(openPool('t4dep')), samples: openPool('t4dep') },
              T4reachability: { p95Ms: p95(openPool('t4reach')), samples: openPool('t4reach') },
              T6hover: { p95Ms: p95(openPool('hover')), samples: openPool('hover') },
              T7: { peakMB: openAll.t7 },
            },
      lostSamples: lost,
      truth,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/**
 * T5 (docs/dev/design.md §9): one multi-document file of about `o.bundleMB` MB, open in the editor.
 * Edits break and repair a Service's targetPort in the middle of it (the length changes, so every
 * later document moves), each timed until the file's diagnostics for the new version arrive;
 * hovers on that Service; the server's peak memory over the run. The floor is the `yaml` package
 * parsing that file in a fresh process (scripts/bench/floor.ts), in the same run.
 */
async function benchBundle(o: Options): Promise<Record<string, unknown>> {
  const bundle = generateBundle(o.bundleMB * 1_000_000, o.seed);
  const [[rel, original]] = [...bundle.files] as [[string, string]];
  const root = mkdtempSync(join(tmpdir(), 'kube-reach-bench-bundle-'));
  try {
    writeWorkspace(root, { seed: o.seed, manifests: bundle.manifests, files: bundle.files, truth: bundle.truth, splitApps: [] });
    const floors: number[] = [];
    for (let i = 0; i < o.runs; i++) floors.push(floorMs({ manifests: bundle.manifests } as GeneratedWorkspace, root));
    const floor = median(floors);
    const uri = pathToFileURL(join(root, rel)).href;
    const runs = Math.min(o.runs, 3);
    const perRun = Math.ceil(o.samples / runs);
    const t1: number[] = [];
    const opened: number[] = [];
    const edits: number[] = [];
    const hovers: number[] = [];
    const peaks: number[] = [];
    /** The server's CPU time during each run's edits and hovers (ms, /proc). */
    const cpus: number[] = [];
    /** Peak RSS once the opened file's diagnostics arrived (the cold pass and the open), before any edit. */
    const openPeaks: number[] = [];
    const lost: string[] = [];
    const logs: string[] = [];
    let published: PublishParams | undefined;
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`  bundle: run ${r + 1}/${runs}…\n`);
      const client = new BenchClient(process.execPath, serverCommand(), root);
      const stopLogs = client.collectPassLogs(logs);
      try {
        t1.push((await client.start(root)).t1);
        // Every run edits a different app's Service, in the middle of the file and below.
        const app = bundle.apps[Math.floor(bundle.apps.length / 2) + r * 7];
        if (app === undefined) throw new Error('bundle too small');
        let text = original;
        const serviceAt = text.indexOf(`kind: Service\nmetadata:\n  name: ${app.name}\n`);
        const targetAt = text.indexOf('targetPort: http', serviceAt);
        if (serviceAt < 0 || targetAt < 0) throw new Error(`no Service ${app.name} in the bundle`);
        const waitFor = (version: number): Promise<Arrival> =>
          client.next(
            `publication of version ${version}`,
            (a) => isPublish(a) && publishOf(a).uri === uri && publishOf(a).version === version,
            SAMPLE_TIMEOUT_MS * 3,
          );
        let version = 1;
        const openedAt = waitFor(1);
        const o0 = performance.now();
        await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
        const first = await openedAt;
        opened.push(first.at - o0);
        const openPeak = client.peakRssMB();
        if (openPeak !== undefined) openPeaks.push(openPeak);
        published ??= publishOf(first);
        const cpu0 = client.cpuMs();
        for (let i = 0; i < perRun; i++) {
          const [from, to] = i % 2 === 0 ? ['targetPort: http', 'targetPort: htttp'] : ['targetPort: htttp', 'targetPort: http'];
          version++;
          const arrived = waitFor(version);
          const idle = client
            .next('analysisComplete', (a) => a.method === 'kubeReach/analysisComplete', SAMPLE_TIMEOUT_MS * 3)
            .catch(() => undefined);
          // Positions first: the clock times the server, not the bench's line counting in 5 MB (an editor has them).
          const range = { start: positionOf(text, targetAt), end: positionOf(text, targetAt + from.length) };
          const e0 = performance.now();
          await client.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version },
            contentChanges: [{ range, text: to }],
          });
          text = text.slice(0, targetAt) + to + text.slice(targetAt + from.length);
          try {
            edits.push((await arrived).at - e0);
          } catch (e) {
            lost.push(`T5 edit: ${e instanceof Error ? e.message : String(e)}`);
          }
          await idle;
          await sleep(TYPING_GAP_MS);
          // A hover on the edited Service's selector, and on its name.
          const hoverAt = i % 2 === 0 ? text.indexOf('selector:', serviceAt) + 2 : serviceAt + 30;
          const position = positionOf(text, hoverAt);
          const h0 = performance.now();
          const answer: unknown = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
          hovers.push(performance.now() - h0);
          if (answer === null) lost.push(`T6 hover at ${hoverAt}: no answer`);
        }
        const cpu1 = client.cpuMs();
        if (cpu0 !== undefined && cpu1 !== undefined) cpus.push(cpu1 - cpu0);
        const peak = client.peakRssMB();
        if (peak !== undefined) peaks.push(peak);
      } finally {
        stopLogs();
        await client.close();
      }
    }
    const truth = checkTruth(
      { seed: o.seed, manifests: bundle.manifests, files: bundle.files, truth: bundle.truth, splitApps: [] },
      root,
      new Map(published === undefined ? [] : [[published.uri, published]]),
    );
    const peak = peaks.length > 0 ? Math.max(...peaks) : NaN;
    console.log(
      `\nBundle ~${o.bundleMB} MB: ${bundle.manifests} manifests in one file, ${(original.length / 1e6).toFixed(1)} MB; seed ${o.seed}; Node ${process.version}`,
    );
    console.log(
      `Floor (fresh node: read + yaml parseAllDocuments of the file, this run): ${fmt(floor)} ms median of ${floors.length} [${floors.map(fmt).join(', ')}]`,
    );
    console.log(`  T1  initialized → analysisComplete   ${fmt(median(t1))} ms median of ${t1.length}   ${ratio(median(t1), floor)}`);
    console.log(`  T3  didOpen → diagnostics             ${fmt(median(opened))} ms median of ${opened.length}`);
    console.log(
      `  T5  didChange → diagnostics, p95      ${fmt(p95(edits))} ms (n=${edits.length}, median ${fmt(median(edits))})   ${ratio(p95(edits), floor)}   target ≤ 150 ms`,
    );
    console.log(
      `  T6  hover, p95                        ${fmt(p95(hovers))} ms (n=${hovers.length}, median ${fmt(median(hovers))})   ${ratio(p95(hovers), floor)}   target ≤ 15 ms`,
    );
    console.log(
      `  T7  peak RSS (VmHWM)                  ${Number.isNaN(peak) ? 'n/a' : peak.toFixed(0)} MB highest of ${peaks.length} runs [${peaks.map((x) => x.toFixed(0)).join(', ')}] (after the cold pass and the open: ${openPeaks.length > 0 ? Math.max(...openPeaks).toFixed(0) : 'n/a'} MB)   target ≤ 250 MB`,
    );
    console.log(`  Server CPU during the edits and hovers (user + system, /proc): [${cpus.map(fmt).join(', ')}] ms`);
    if (logs.length > 0) console.log(`  Server breakdown, last slow pass: ${logs.at(-1) ?? ''}`);
    if (lost.length > 0) console.log(`  Lost samples (${lost.length}):\n    ${lost.slice(0, 10).join('\n    ')}`);
    console.log(
      `  Ground truth: ${truth.reported}/${truth.injected} injected mistakes reported in their documents; ${truth.missing.length} missing; ${truth.unexpected.length} unexpected error/warning findings`,
    );
    for (const m of truth.missing.slice(0, 10)) console.log(`    missing: ${m}`);
    for (const u of truth.unexpected.slice(0, 10)) console.log(`    unexpected: ${u}`);
    return {
      bundleMB: o.bundleMB,
      manifests: bundle.manifests,
      bytes: original.length,
      floorMs: { median: floor, runs: floors },
      T1: { medianMs: median(t1), runs: t1 },
      T3open: { medianMs: median(opened), samples: opened },
      T5: { p95Ms: p95(edits), medianMs: median(edits), count: edits.length, samples: edits },
      T6hover: { p95Ms: p95(hovers), medianMs: median(hovers), count: hovers.length, samples: hovers },
      T7: { peakMB: peak, runs: peaks, afterOpen: openPeaks },
      serverCpuMs: { samples: cpus },
      lostSamples: lost,
      truth,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * T8 (docs/dev/design.md §9): the reachability engine on 5,000 pods × 1,000 policies, by reach-bench.ts;
 * with `clusterPolicies`, that many AdminNetworkPolicies, BaselineAdminNetworkPolicies and
 * ClusterNetworkPolicies added (issue 14: 50).
 */
function reachBench(seed: number, runs: number, clusterPolicies = 0): unknown {
  console.log(
    `\nT8: reachability, 5,000 pods × 1,000 NetworkPolicies${clusterPolicies > 0 ? ` + ${clusterPolicies} cluster policies` : ''} (scripts/bench/reach-bench.ts)`,
  );
  const args = ['--seed', String(seed), '--runs', String(runs), '--cluster-policies', String(clusterPolicies), '--json'];
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'scripts/bench/reach-bench.ts'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let figures: unknown;
  for (const line of (r.stdout ?? '').split('\n')) {
    if (line.startsWith('T8 ')) figures = JSON.parse(line.slice(3)) as unknown;
    else if (line !== '') console.log(line);
  }
  if (r.status !== 0 || figures === undefined) throw new Error(`reach-bench failed (exit ${r.status ?? 'signal'}): ${r.stderr ?? ''}`);
  return figures;
}

/**
 * T9 (docs/dev/design.md §9): the VSIX as `npm run package` makes it (scripts/package.mjs: the
 * minified build and vsce), then activation on that minified client bundle, `runs` fresh processes
 * (scripts/bench/activation.ts: loading dist/client.js and running `activate` against a stand-in
 * `vscode`; VS Code's own share of activation is not included). The harness is bundled with esbuild
 * and run by a plain `node`, as the extension host loads plain JavaScript. Leaves dist/ minified.
 */
function t9Bench(runs: number): Record<string, unknown> {
  console.log('\nT9: VSIX size (scripts/package.mjs) and activation (scripts/bench/activation.ts, minified dist/client.js)');
  const pkg = spawnSync(process.execPath, [join(repo, 'scripts/package.mjs')], { cwd: repo, encoding: 'utf8' });
  const kib = Number(/\((\d+) KiB\)/.exec(pkg.stdout ?? '')?.[1]);
  const harness = join(mkdtempSync(join(tmpdir(), 'kube-reach-t9-')), 'activation.cjs');
  buildSync({
    entryPoints: [join(repo, 'scripts/bench/activation.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: harness,
    logLevel: 'warning',
  });
  const loads: number[] = [];
  const activates: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [harness, join(repo, 'dist/client.js')], { cwd: repo, encoding: 'utf8' });
    const out = (JSON.parse(r.stdout || 'null') ?? {}) as Record<string, unknown>;
    const { loadMs: load, activateMs: activate, loadCpuMs, activateCpuMs } = out;
    if (typeof load === 'number') loads.push(load);
    if (typeof activate === 'number') activates.push(activate);
    if (typeof loadCpuMs === 'number' && typeof activateCpuMs === 'number') cpus.push(loadCpuMs + activateCpuMs);
  }
  rmSync(join(harness, '..'), { recursive: true, force: true });
  const total = loads.map((l, i) => l + (activates[i] ?? NaN));
  console.log(
    `  T9  VSIX ${Number.isNaN(kib) ? `n/a (package failed: ${(pkg.stderr ?? '').slice(-300)})` : `${kib} KiB`}   target ≤ 2,048 KiB`,
  );
  console.log(
    `  T9  activation (load bundle + activate) ${fmt(median(total))} ms median of ${total.length} [${total.map(fmt).join(', ')}]; load ${fmt(median(loads))} ms, activate ${fmt(median(activates))} ms; CPU ${fmt(median(cpus))} ms   target ≤ 50 ms`,
  );
  return { vsixKiB: kib, activationMs: { median: median(total), runs: total, loadMs: loads, activateMs: activates, cpuMs: cpus } };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  extraServerFlags = o.serverFlags;
  const started = performance.now();
  console.log(
    `Kube Reach bench: server ${serverCommand()
      .map((p) => p.replace(repo + '/', ''))
      .join(
        ' ',
      )}; sizes ${o.sizes.join(', ')}${o.netpol.length > 0 ? `; NetworkPolicy-heavy mix ${o.netpol.join(', ')}` : ''}${o.bundleMB > 0 ? `; a ${o.bundleMB} MB bundle` : ''}${o.namespaces.length > 0 ? `; one namespace of ${o.namespaces.join(', ')} objects` : ''}; ${o.runs} runs; ${o.samples} samples per p95; seed ${o.seed}; Node ${process.version}`,
  );
  const results: Record<string, unknown>[] = [];
  for (const size of o.sizes) results.push(await benchSize(size, o));
  for (const size of o.netpol) results.push(await benchSize(size, o, 'netpol'));
  const bundle = o.bundleMB > 0 ? await benchBundle(o) : undefined;
  const charts =
    o.charts === '' ? undefined : await benchCharts({ dir: o.charts, runs: o.runs, samples: o.samples, server: serverCommand() });
  const namespaces: Record<string, unknown>[] = [];
  for (const n of o.namespaces)
    namespaces.push(
      await benchNamespace(n, { runs: o.runs, samples: o.samples, seed: o.seed, serverCommand: serverCommand(), floorMs, fmt }),
    );
  const kustomize: Record<string, unknown>[] = [];
  for (const n of o.kustomize)
    kustomize.push(await benchKustomize(n, { runs: o.runs, samples: o.samples, seed: o.seed, serverCommand: serverCommand(), fmt }));
  const routes: Record<string, unknown>[] = [];
  for (const n of o.routes)
    routes.push(await benchRoutes(n, { runs: o.runs, samples: o.samples, seed: o.seed, serverCommand: serverCommand(), floorMs, fmt }));
  const t8 = o.skipT8 ? undefined : reachBench(o.seed, o.runs);
  const t8Cluster = o.skipT8 ? undefined : reachBench(o.seed, o.runs, 50);
  const t9 = o.skipT9 ? undefined : t9Bench(o.runs);
  const dir = join(repo, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        seed: o.seed,
        runs: o.runs,
        samples: o.samples,
        results,
        bundle,
        charts,
        namespaces,
        kustomize,
        routes,
        T8: t8,
        T8clusterPolicies: t8Cluster,
        T9: t9,
      },
      null,
      2,
    ),
  );
  console.log(`\nWrote ${file.replace(repo + '/', '')} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
