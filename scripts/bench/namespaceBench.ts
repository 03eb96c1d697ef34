/**
 * `npm run bench -- --namespace 4000` (issue #21): one namespace holding that many objects — a
 * Service and a Deployment per app, two per file, in folders of 25 apps, with a NetworkPolicy and
 * an Ingress per folder — so the cost of an edit shows whether it grows with the namespace. Drives
 * the server over stdio as bench.ts does: the cold pass, then edits in one open file (a Service's
 * targetPort, and the pod label its selector needs), each timed until that file's diagnostics for
 * the new version arrive; hover and completion in it; the server's peak memory. The floor is the
 * `yaml` package parsing the same files in a fresh process, in the same run.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeWorkspace } from './generate.js';
import type { GeneratedBenchOptions, GeneratedWorkspace } from './generate.js';
import { BenchClient, BenchDocument, positionOf } from './lspClient.js';
import { median, p95 } from './stats.js';

/** Apps per folder (one NetworkPolicy and one Ingress each). */
const APPS_PER_FOLDER = 25;
const NAMESPACE = 'shop';

function appFile(i: number): string {
  const app = `app-${i}`;
  const tier = i % 3 === 0 ? 'frontend' : 'backend';
  return [
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${NAMESPACE}\nspec:\n  selector:\n    app: ${app}\n    tier: ${tier}\n`,
    `  ports:\n    - name: http\n      port: 80\n      targetPort: http\n---\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: ${NAMESPACE}\n  labels:\n    app: ${app}\nspec:\n`,
    `  replicas: 2\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n        tier: ${tier}\n`,
    `    spec:\n      containers:\n        - name: main\n          image: registry.example.com/${app}:1.0.0\n          ports:\n            - name: http\n              containerPort: 8080\n`,
    `          readinessProbe:\n            httpGet:\n              path: /healthz\n              port: http\n`,
  ].join('');
}

function folderFiles(folder: number, first: number, last: number): Array<[string, string]> {
  const dir = `${NAMESPACE}/team-${folder}`;
  const app = `app-${first}`;
  const policy =
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: team-${folder}\n  namespace: ${NAMESPACE}\nspec:\n` +
    `  podSelector:\n    matchLabels:\n      app: ${app}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              tier: frontend\n` +
    `      ports:\n        - port: http\n`;
  const ingress =
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: team-${folder}\n  namespace: ${NAMESPACE}\nspec:\n  ingressClassName: nginx\n  rules:\n` +
    `    - host: team-${folder}.example.com\n      http:\n        paths:\n` +
    Array.from(
      { length: Math.min(3, last - first) },
      (_, k) =>
        `          - path: /${first + k}\n            pathType: Prefix\n            backend:\n              service:\n                name: app-${first + k}\n                port:\n                  name: http\n`,
    ).join('');
  const out: Array<[string, string]> = [];
  for (let i = first; i < last; i++) out.push([`${dir}/app-${i}.yaml`, appFile(i)]);
  out.push([`${dir}/policy.yaml`, policy], [`${dir}/ingress.yaml`, ingress]);
  return out;
}

/** About `objects` objects in one namespace (two per app, plus a policy and an Ingress per folder). */
export function generateNamespace(objects: number, seed: number): GeneratedWorkspace {
  const apps = Math.max(APPS_PER_FOLDER, Math.round(objects / (2 + 2 / APPS_PER_FOLDER)));
  const files = new Map<string, string>();
  files.set(`${NAMESPACE}/namespace.yaml`, `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE}\n`);
  files.set(
    `${NAMESPACE}/ingressclass.yaml`,
    'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n',
  );
  let manifests = 2;
  for (let folder = 0; folder * APPS_PER_FOLDER < apps; folder++) {
    const first = folder * APPS_PER_FOLDER;
    const last = Math.min(apps, first + APPS_PER_FOLDER);
    for (const [rel, text] of folderFiles(folder, first, last)) files.set(rel, text);
    manifests += (last - first) * 2 + 2;
  }
  return { seed, manifests, files, truth: [], splitApps: [] };
}

interface NamespaceBenchOptions extends GeneratedBenchOptions {
  readonly floorMs: (ws: GeneratedWorkspace, root: string) => number;
}

/** The namespace rows: T1, T4 (a Service edit; a pod-label edit), T6 hover and completion, T7. */
export async function benchNamespace(objects: number, o: NamespaceBenchOptions): Promise<Record<string, unknown>> {
  const ws = generateNamespace(objects, o.seed);
  const root = mkdtempSync(join(tmpdir(), `kube-reach-bench-ns-${objects}-`));
  const fmt = o.fmt;
  try {
    writeWorkspace(root, ws);
    const floors: number[] = [];
    for (let i = 0; i < o.runs; i++) floors.push(o.floorMs(ws, root));
    const floor = median(floors);
    const runs = Math.min(o.runs, 2);
    const perRun = Math.ceil(o.samples / runs);
    const t1: number[] = [];
    const svcEdits: number[] = [];
    const labelEdits: number[] = [];
    const hovers: number[] = [];
    const completions: number[] = [];
    const peaks: number[] = [];
    const lost: string[] = [];
    const logs: string[] = [];
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`  namespace ${objects}: run ${r + 1}/${runs}…\n`);
      const client = new BenchClient(process.execPath, o.serverCommand, root);
      const stopLogs = client.collectPassLogs(logs);
      try {
        t1.push((await client.start(root)).t1);
        // An app in the middle of the namespace, another each run.
        const app = Math.floor(objects / 4) + r * 7;
        const rel = [...ws.files.keys()].find((f) => f.endsWith(`/app-${app}.yaml`));
        if (rel === undefined) throw new Error(`no app-${app} in the namespace`);
        const doc = new BenchDocument(client, pathToFileURL(join(root, rel)).href, ws.files.get(rel) ?? '');
        await doc.open();
        const edit = async (from: string, to: string, after: string, into: number[]): Promise<void> => {
          if (doc.text.indexOf(from, doc.text.indexOf(after)) < 0) throw new Error(`"${from}" not in ${rel}`);
          try {
            into.push((await doc.replace(from, to, after)).diagnostics);
          } catch (e) {
            lost.push(`${from} → ${to}: ${e instanceof Error ? e.message : String(e)}`);
          }
        };
        for (let i = 0; i < perRun; i++) {
          const broken = i % 2 === 0;
          await edit(
            broken ? 'targetPort: http' : 'targetPort: htpp',
            broken ? 'targetPort: htpp' : 'targetPort: http',
            'kind: Service',
            svcEdits,
          );
          // The pod label the Service selects: breaking it makes the Service select nothing.
          const label = `app: app-${app}\n        tier`;
          const wrong = `app: app-${app}x\n        tier`;
          await edit(broken ? label : wrong, broken ? wrong : label, 'template:', labelEdits);
          const hoverAt = positionOf(doc.text, doc.text.indexOf('selector:') + 2);
          const h0 = performance.now();
          await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: doc.uri }, position: hoverAt });
          hovers.push(performance.now() - h0);
          const completeAt = positionOf(doc.text, doc.text.indexOf(`app: app-${app}`) + 5);
          const c0 = performance.now();
          await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: doc.uri }, position: completeAt });
          completions.push(performance.now() - c0);
        }
        const peak = client.peakRssMB();
        if (peak !== undefined) peaks.push(peak);
      } finally {
        stopLogs();
        await client.close();
      }
    }
    const edits = [...svcEdits, ...labelEdits];
    const peak = peaks.length > 0 ? Math.max(...peaks) : NaN;
    console.log(`\nOne namespace, ${ws.manifests} objects in ${ws.files.size} files; seed ${o.seed}; Node ${process.version}`);
    console.log(`Floor (fresh node: read + yaml parseAllDocuments, same files, this run): ${fmt(floor)} ms median of ${floors.length}`);
    console.log(`  T1  initialized → analysisComplete   ${fmt(median(t1))} ms median of ${t1.length} [${t1.map(fmt).join(', ')}]`);
    console.log(
      `  T4  didChange → diagnostics, p95      ${fmt(p95(edits))} ms (n=${edits.length}, median ${fmt(median(edits))}; Service edits p95 ${fmt(p95(svcEdits))}, pod-label edits p95 ${fmt(p95(labelEdits))})   target ≤ 50 ms`,
    );
    console.log(`  T6  hover, p95                        ${fmt(p95(hovers))} ms (n=${hovers.length})   target ≤ 15 ms`);
    console.log(`  T6  completion, p95                   ${fmt(p95(completions))} ms (n=${completions.length})   target ≤ 25 ms`);
    console.log(
      `  T7  peak RSS (VmHWM)                  ${Number.isNaN(peak) ? 'n/a' : peak.toFixed(0)} MB highest of ${peaks.length} runs   target ≤ 250 MB`,
    );
    if (logs.length > 0) console.log(`  Server breakdown, last slow pass: ${logs.at(-1) ?? ''}`);
    if (lost.length > 0) console.log(`  Lost samples (${lost.length}):\n    ${lost.slice(0, 10).join('\n    ')}`);
    return {
      namespaceObjects: ws.manifests,
      files: ws.files.size,
      floorMs: { median: floor, runs: floors },
      T1: { medianMs: median(t1), runs: t1 },
      T4: { p95Ms: p95(edits), medianMs: median(edits), count: edits.length, service: svcEdits, podLabel: labelEdits },
      T6hover: { p95Ms: p95(hovers), samples: hovers },
      T6completion: { p95Ms: p95(completions), samples: completions },
      T7: { peakMB: peak, runs: peaks },
      lostSamples: lost,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
