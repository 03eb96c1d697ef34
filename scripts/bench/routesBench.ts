/**
 * `npm run bench -- --routes 1000` (issue #17): one namespace with a Gateway, that many Services and
 * as many HTTPRoutes (one file each, a hostname of its own, one backend each) — so the cost of an
 * edit of one route shows whether it grows with the routes of its unit. Drives the server over stdio
 * as bench.ts does: the cold pass, then edits of one open route's backend port (a port the Service
 * does not expose, and back), each timed until that file's diagnostics for the new version arrive
 * and until the pass is complete (`kubeReach/analysisComplete`). The floor is the `yaml` package
 * parsing the same files in a fresh process, in the same run.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeWorkspace } from './generate.js';
import type { GeneratedBenchOptions, GeneratedWorkspace } from './generate.js';
import { BenchClient, BenchDocument } from './lspClient.js';
import { median, p95 } from './stats.js';

const NAMESPACE = 'shop';

function service(i: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: store-${i}\n  namespace: ${NAMESPACE}\nspec:\n  selector:\n    app: store\n  ports:\n    - port: 8080\n`;
}

function route(i: number): string {
  return (
    `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: web-${i}\n  namespace: ${NAMESPACE}\nspec:\n` +
    `  parentRefs:\n    - name: gw\n      sectionName: https\n  hostnames: ["web-${i}.example.com"]\n  rules:\n` +
    `    - matches:\n        - path: {type: PathPrefix, value: /}\n      backendRefs:\n        - name: store-${i}\n          port: 8080\n`
  );
}

const COMMON =
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NAMESPACE}\n---\n` +
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: store\n  namespace: ${NAMESPACE}\nspec:\n  selector:\n    matchLabels:\n      app: store\n` +
  `  template:\n    metadata:\n      labels:\n        app: store\n    spec:\n      containers:\n        - name: store\n          image: store:1\n` +
  `          ports:\n            - containerPort: 8080\n---\n` +
  `apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: eg\nspec:\n  controllerName: gateway.envoyproxy.io/gatewayclass-controller\n---\n` +
  `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n  namespace: ${NAMESPACE}\nspec:\n  gatewayClassName: eg\n  listeners:\n` +
  `    - name: http\n      port: 80\n      protocol: HTTP\n    - name: https\n      port: 443\n      protocol: HTTPS\n      hostname: "*.example.com"\n` +
  `      tls:\n        certificateRefs:\n          - name: example-tls\n`;

/** `routes` HTTPRoutes and Services in one namespace, beside one Gateway. */
export function generateRoutes(routes: number, seed: number): GeneratedWorkspace {
  const files = new Map<string, string>();
  files.set(`${NAMESPACE}/common.yaml`, COMMON);
  for (let i = 0; i < routes; i++) {
    files.set(`${NAMESPACE}/services/store-${i}.yaml`, service(i));
    files.set(`${NAMESPACE}/routes/web-${i}.yaml`, route(i));
  }
  return { seed, manifests: 4 + 2 * routes, files, truth: [], splitApps: [] };
}

interface RoutesBenchOptions extends GeneratedBenchOptions {
  readonly floorMs: (ws: GeneratedWorkspace, root: string) => number;
}

/** The routes rows: T1 cold, T4 route edit → its diagnostics, and → the pass complete. */
export async function benchRoutes(routes: number, o: RoutesBenchOptions): Promise<Record<string, unknown>> {
  const ws = generateRoutes(routes, o.seed);
  const root = mkdtempSync(join(tmpdir(), `kube-reach-bench-routes-${routes}-`));
  const fmt = o.fmt;
  try {
    writeWorkspace(root, ws);
    const floors: number[] = [];
    for (let i = 0; i < o.runs; i++) floors.push(o.floorMs(ws, root));
    const floor = median(floors);
    const runs = Math.min(o.runs, 2);
    const perRun = Math.ceil(o.samples / runs);
    const t1: number[] = [];
    const edits: number[] = [];
    const passes: number[] = [];
    const lost: string[] = [];
    const logs: string[] = [];
    for (let r = 0; r < runs; r++) {
      process.stderr.write(`  routes ${routes}: run ${r + 1}/${runs}…\n`);
      const client = new BenchClient(process.execPath, o.serverCommand, root);
      const stopLogs = client.collectPassLogs(logs);
      try {
        t1.push((await client.start(root)).t1);
        const rel = `${NAMESPACE}/routes/web-${Math.floor(routes / 2) + r}.yaml`;
        const doc = new BenchDocument(client, pathToFileURL(join(root, rel)).href, ws.files.get(rel) ?? '');
        await doc.open();
        // A port the Service does not expose (gateway-backend-port-missing), then back.
        await doc.toggle('port: 8080', 'port: 8081', perRun, { edits, passes, lost });
      } finally {
        stopLogs();
        await client.close();
      }
    }
    console.log(`\nGateway API routes: ${routes} HTTPRoutes and Services in one namespace, ${ws.files.size} files; seed ${o.seed}`);
    console.log(`Floor (fresh node: read + yaml parseAllDocuments, same files, this run): ${fmt(floor)} ms median of ${floors.length}`);
    console.log(`  T1  initialized → analysisComplete   ${fmt(median(t1))} ms median of ${t1.length} [${t1.map(fmt).join(', ')}]`);
    console.log(
      `  T4  route edit → its diagnostics     ${fmt(p95(edits))} ms p95 (n=${edits.length}, median ${fmt(median(edits))})   target ≤ 50 ms`,
    );
    console.log(`  T4  route edit → pass complete       ${fmt(p95(passes))} ms p95 (median ${fmt(median(passes))})`);
    if (logs.length > 0) console.log(`  Server breakdown, last slow pass: ${logs.at(-1) ?? ''}`);
    if (lost.length > 0) console.log(`  Lost samples (${lost.length}):\n    ${lost.slice(0, 10).join('\n    ')}`);
    return {
      routes,
      files: ws.files.size,
      floorMs: { median: floor, runs: floors },
      T1: { medianMs: median(t1), runs: t1 },
      T4: { p95Ms: p95(edits), medianMs: median(edits), samples: edits },
      T4pass: { p95Ms: p95(passes), medianMs: median(passes), samples: passes },
      lostSamples: lost,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
