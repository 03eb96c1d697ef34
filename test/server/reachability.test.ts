/**
 * `kubeReach/reachability`, `kubeReach/explain` and `kubeReach/reachabilityContext` over real
 * JSON-RPC on examples/: the connection list equals `kube-reach reach --format json` (plus node
 * locations), explain answers carry a location at the deciding rule, and the panel context lists
 * the policies and Ingress routes.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { EXPLAIN_METHOD, REACHABILITY_METHOD } from '../../protocol/lsp.js';
import type { ExplainResult, ReachabilityResult } from '../../protocol/lsp.js';
import { EXPOSURE_METHOD, REACHABILITY_CONTEXT_METHOD } from '../../protocol/reachability.js';
import type { PanelExposure } from '../../protocol/reachability.js';
import { main } from '../../cli/main.js';
import type { ReachabilityContext } from '../../protocol/reachability.js';
import { AnalysisHost } from '../../analysis/host.js';
import { ReachabilityMemory } from '../../analysis/index.js';
import { buildContext, buildReachability } from '../../server/handlers/reachability.js';
import { FULL_CAPABILITIES, Harness } from './harness.js';

const root = join(__dirname, '..', '..');
const examples = join(root, 'examples');
let h: Harness;

/** examples/' manifests, as the harness's server reads them. */
const exampleFiles: Array<{ uri: string; text: string }> = [];
function readExamples(dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) readExamples(p);
    else if (/\.ya?ml$/.test(name)) exampleFiles.push({ uri: pathToFileURL(p).href, text: readFileSync(p, 'utf8') });
  }
}
readExamples(examples);

before(async () => {
  h = new Harness({ capabilities: FULL_CAPABILITIES, rootPath: examples });
  await h.initialize();
  await h.analysisComplete();
});
after(() => h.dispose());

test('kubeReach/reachability equals the CLI JSON, plus node locations', async () => {
  const r = (await h.client.sendRequest(REACHABILITY_METHOD, {})) as ReachabilityResult;
  const cli = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'cli/main.ts'), 'reach', '.', '--format', 'json'], {
    cwd: examples,
    encoding: 'utf8',
  });
  assert.equal(cli.status, 0, cli.stderr);
  const expected = JSON.parse(cli.stdout) as { nodes: Array<{ id: string; namespace: string | null }>; connections: unknown[] };
  assert.deepEqual(r.connections, expected.connections);
  assert.deepEqual(
    r.nodes.map((n) => n.id),
    expected.nodes.map((n) => n.id),
  );
  const api = r.nodes.find((n) => n.id === 'shop/api[Deployment]');
  assert.ok(api?.location !== undefined && api.location.uri.endsWith('/shop/api.yaml'), 'a workload node has a location in its file');
  const external = r.nodes.find((n) => n.kind === 'External');
  assert.ok(external === undefined || external.location === undefined);
  const scoped = (await h.client.sendRequest(REACHABILITY_METHOD, { namespace: 'shop-data' })) as ReachabilityResult;
  assert.ok(scoped.connections.length > 0);
  assert.ok(scoped.connections.every((c) => c.from.startsWith('shop-data/') || c.to.startsWith('shop-data/')));
});

test('kubeReach/explain: verdicts with locations on decidedBy; unknown endpoints answer null', async () => {
  const r = (await h.client.sendRequest(EXPLAIN_METHOD, {
    probes: [
      { from: 'shop/api[Deployment]', to: 'shop-data/postgres[StatefulSet]', port: 5432 },
      { from: 'shop/frontend[Deployment]', to: 'shop-data/postgres[StatefulSet]', port: 5432 },
      { from: 'shop/nothing[Deployment]', to: 'shop-data/postgres[StatefulSet]', port: 5432 },
      { bad: true },
    ],
  })) as ExplainResult;
  assert.equal(r.results.length, 4);
  const [allowed, denied, unknown, bad] = r.results;
  assert.equal(allowed?.allowed, true);
  assert.equal(denied?.allowed, false);
  for (const d of [...(allowed?.decidedBy ?? []), ...(denied?.decidedBy ?? [])]) {
    assert.ok(d.location !== undefined && d.location.uri === d.file && d.location.range.start.line === d.line);
  }
  assert.ok((denied?.decidedBy.length ?? 0) > 0, 'the denying policy is named');
  assert.equal(unknown?.allowed, null);
  assert.equal(bad?.allowed, null);
  for (const d of allowed?.decidedBy ?? []) assert.match(d.description, /^rule \d+ of ingress in policy shop-data\//);
});

test('kubeReach/explain answers every node the connection list names (external ranges, the ingress controller)', async () => {
  const list = (await h.client.sendRequest(REACHABILITY_METHOD, {})) as ReachabilityResult;
  const ends = list.connections.filter(
    (c) => c.verdict === 'allowed' && (c.from.endsWith('[External]') || c.to.endsWith('[External]') || c.from.startsWith('{')),
  );
  assert.ok(
    ends.some((c) => c.from.endsWith('[External]')) && ends.some((c) => c.from.startsWith('{ingress-controller')),
    JSON.stringify(ends),
  );
  const probes = ends.map((c) => {
    const first = c.ports === 'all' ? { protocol: 'TCP', port: 80 } : (c.ports[0] ?? { protocol: 'TCP', port: 80 });
    return { from: c.from, to: c.to, port: first.port, protocol: first.protocol };
  });
  const r = (await h.client.sendRequest(EXPLAIN_METHOD, { probes })) as ExplainResult;
  r.results.forEach((x, i) => {
    assert.equal(x.allowed, true, `${probes[i]?.from} -> ${probes[i]?.to}: ${x.reason}`);
    assert.doesNotMatch(x.reason, /\{ingress-controller|spec\.(ingress|egress)\[/, "the reason is in the user's words");
  });
});

test('kubeReach/reachabilityContext: policies with selected nodes, Ingress routes', async () => {
  const c = (await h.client.sendRequest(REACHABILITY_CONTEXT_METHOD, {})) as ReachabilityContext;
  assert.ok(c.policies.length > 0);
  assert.ok(c.policies.some((p) => p.selects.includes('shop-data/postgres[StatefulSet]')));
  assert.deepEqual(c.units, []);
  assert.ok(c.ingressRoutes.length > 0);
  const route = c.ingressRoutes.find((x) => x.endpoints.some((e) => e.node === 'shop/frontend[Deployment]'));
  assert.ok(route !== undefined, JSON.stringify(c.ingressRoutes));
  assert.equal(route.endpoints.find((e) => e.node === 'shop/frontend[Deployment]')?.allowed, true);
});

/**
 * The panel's first paint asks for the context without what each policy allows (`allows: false`),
 * then for the whole of it: the first is the whole without `allows`, and the whole asked for after
 * it (computed from the rows kept) is what a fresh server answers.
 */
test('kubeReach/reachabilityContext with allows: false leaves out what each policy allows, and only that', async () => {
  const first = (await h.client.sendRequest(REACHABILITY_CONTEXT_METHOD, { allows: false })) as ReachabilityContext;
  const whole = (await h.client.sendRequest(REACHABILITY_CONTEXT_METHOD, {})) as ReachabilityContext;
  assert.ok(whole.policies.length > 0 && whole.policies.every((p) => p.allows !== undefined), JSON.stringify(whole.policies));
  assert.ok(whole.policies.some((p) => (p.allows ?? []).length > 0));
  assert.deepEqual(first, { ...whole, policies: whole.policies.map(({ allows: _, ...p }) => p) });
  // In process, through one memory as the server keeps it: the whole after the first equals a fresh one.
  const files = (): AnalysisHost => {
    const host = new AnalysisHost();
    for (const f of exampleFiles) host.setFile(f.uri, f.text);
    return host;
  };
  const a = files().snapshot();
  const memory = new ReachabilityMemory();
  const partial = buildContext(a, { allows: false }, memory);
  assert.ok(partial.policies.every((p) => p.allows === undefined));
  assert.deepEqual(buildContext(a, {}, memory), buildContext(files().snapshot()));
});

test('variants: the panel context lists the units that hold them, and a unit scopes the graph', () => {
  const deployment = (replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
`;
  const host = new AnalysisHost();
  host.setFile('file:///ws/dev/web.yaml', deployment(1));
  host.setFile('file:///ws/prod/web.yaml', deployment(3));
  const a = host.snapshot();
  const units = buildContext(a).units;
  assert.equal(units.length, 2, JSON.stringify(units));
  const unit = units[1] ?? '';
  const r = buildReachability(a, { unit });
  assert.ok(
    r.nodes.some((n) => n.id === 'shop/web[Deployment]' && n.location?.uri === 'file:///ws/prod/web.yaml'),
    JSON.stringify(r.nodes),
  );
});

test('kubeReach/exposure lists what reach --exposure prints', async () => {
  const r = (await h.client.sendRequest(EXPOSURE_METHOD, {})) as PanelExposure;
  const cli = async (format: string): Promise<string> => {
    let out = '';
    const code = await main(['reach', '.', '--exposure', '--format', format], {
      stdout: (x) => (out += x),
      stderr: () => undefined,
      cwd: examples,
    });
    assert.equal(code, 0);
    return out;
  };
  assert.ok(r.egress.length + r.ingress.length > 0);
  // The peers as the JSON names them (selectors in the operators' words, as the panel shows them).
  const json = JSON.parse(await cli('json')) as {
    exposure: Record<'egress' | 'ingress', Array<{ workload: string; peer: string; peerKind: string; verdict: string; reason?: string }>>;
  };
  for (const dir of ['egress', 'ingress'] as const)
    assert.deepEqual(
      r[dir].map((e) => [e.workload, e.peer, e.peerKind, e.verdict, e.reason]),
      json.exposure[dir].map((e) => [e.workload, e.peer, e.peerKind, e.verdict, e.reason]),
      dir,
    );
  // The ports as the text prints them (whose peer column has netpol-analyzer's selector words).
  const lines = (await cli('text')).split('\n').map((l) => l.replace(/ +\t/, ' \t').replace(/ \t(=>|<=) \t.*? : /, ' \t$1 \t… : '));
  for (const [dir, arrow] of [
    [r.egress, '=>'],
    [r.ingress, '<='],
  ] as const)
    for (const e of dir) {
      const line = `${e.workload} \t${arrow} \t… : ${e.label}${e.verdict === 'undefined' ? ` (undefined: ${e.reason ?? ''})` : ''}`;
      assert.ok(lines.includes(line), line);
    }
  for (const u of r.unprotected) assert.ok(lines.includes(`${u.workload} is not protected on ${u.direction}`));
  const scoped = (await h.client.sendRequest(EXPOSURE_METHOD, { namespace: 'shop-data' })) as PanelExposure;
  assert.ok([...scoped.egress, ...scoped.ingress].every((e) => e.workload.startsWith('shop-data/')));
});
