/**
 * `reach` and `explain --via-gateway` agree (docs/dev/gateway-api.md §7, §10): on every
 * reachability and check fixture with a Gateway, every connection `reach` lists from a Gateway's
 * data plane to a pod (or, through a STUNner StaticService, to an external range) is one `explain` allows for some
 * request or connection through that Gateway
 * (a GET of a host and path, a gRPC call, a TLS connection by SNI, a TCP or UDP connection to a
 * listener port), and every connection `explain` allows is listed; undefined ones on both sides
 * likewise. The requests tried are built from the manifests: every listener's and route's hostname
 * (a wildcard with a label in its place), every path and gRPC method the routes match, every
 * listener port, and the requests with the method, headers and query parameters each match names.
 */

import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import type { Via } from '../../analysis/reachability/explain.js';
import { explainProbe } from '../../analysis/reachability/explain.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';
import { gatewayStaticTargets } from '../../analysis/reachability/gatewayRouting.js';
import { isEmpty } from '../../analysis/reachability/bitset.js';

const fixtures = join(__dirname, '..', 'fixtures');

/** A name a hostname pattern answers (a wildcard with a label in its place). */
function nameFor(h: string): string {
  return h.startsWith('*.') ? `w${h.slice(1)}` : h;
}

/** Every request and connection through the Gateway `key` worth trying, from what its listeners and routes name. */
function requestsThrough(engine: ReachEngine, key: string): Via[] {
  const slash = key.indexOf('/');
  const gw = engine.gathering.gathered.gateways.find(
    (g) => g.namespace === key.slice(0, slash) && g.placed.obj.name?.known === true && g.placed.obj.name.value === key.slice(slash + 1),
  );
  const listeners = gw?.placed.obj.gateway?.listeners ?? [];
  const hosts = new Set<string>(['unlisted.example.net']);
  const sni = new Set<string>(['unlisted.example.net']);
  const paths = new Set<string>(['/']);
  const calls = new Set<string>(['x.Y/Z']);
  const detailed: Array<{ path: string; method?: string; headers?: Record<string, string>; query?: Record<string, string> }> = [];
  const grpcHeaders: Array<{ call: string; headers: Record<string, string> }> = [];
  const ports = {
    HTTP: new Set<number | undefined>([undefined]),
    TLS: new Set<number | undefined>([undefined]),
    TCP: new Set<number>(),
    UDP: new Set<number>(),
  };
  for (const l of listeners) {
    const p = l.port?.known === true ? l.port.value : undefined;
    if (l.hostname?.known === true) (l.protocol === 'TLS' ? sni : hosts).add(nameFor(l.hostname.value));
    if (p === undefined) continue;
    if (l.protocol === 'HTTP' || l.protocol === 'HTTPS') ports.HTTP.add(p);
    else if (l.protocol === 'TLS') ports.TLS.add(p);
    else if (l.protocol === 'TCP') ports.TCP.add(p);
    // STUNner's TURN listeners (`TURN-UDP`, `DTLS`, …) take UDP clients too (gatewayRouting.ts `anyPortController`).
    else if (/^(TURN-)?(UDP|DTLS)$/.test(l.protocol ?? '')) ports.UDP.add(p);
    // …and `TURN-TCP`, `TURN-TLS` take TURN clients over TCP.
    else if (/^TURN-(TCP|TLS)$/.test(l.protocol ?? '')) ports.TCP.add(p);
  }
  for (const { placed } of engine.gathering.gathered.routes) {
    const r = placed.obj;
    for (const h of r.route?.hostnames ?? []) if (h.known) (r.kind === 'TLSRoute' ? sni : hosts).add(nameFor(h.value));
    for (const rule of r.route?.rules ?? []) {
      for (const m of rule.matches) {
        if (m.pathType !== 'RegularExpression') paths.add(m.path);
        // A request with the method, headers and query parameters a match names (the Exact ones).
        const headers = Object.fromEntries(m.headers.filter((h) => h.type === 'Exact').map((h) => [h.name, h.value]));
        const query = Object.fromEntries(m.queryParams.filter((q) => q.type === 'Exact').map((q) => [q.name, q.value]));
        if (m.method !== undefined || Object.keys(headers).length > 0 || Object.keys(query).length > 0)
          detailed.push({
            path: m.pathType === 'RegularExpression' ? '/' : m.path,
            ...(m.method === undefined ? {} : { method: m.method }),
            ...(Object.keys(headers).length > 0 ? { headers } : {}),
            ...(Object.keys(query).length > 0 ? { query } : {}),
          });
      }
      for (const m of rule.grpcMatches ?? []) {
        if (m.type !== 'Exact') continue;
        const call = `${m.service === '' ? 'x.Y' : m.service}/${m.method === '' ? 'Z' : m.method}`;
        calls.add(call);
        const headers = Object.fromEntries(m.headers.filter((h) => h.type === 'Exact').map((h) => [h.name, h.value]));
        if (Object.keys(headers).length > 0) grpcHeaders.push({ call, headers });
      }
    }
  }
  const out: Via[] = [];
  for (const port of ports.HTTP)
    for (const host of hosts) {
      for (const path of paths) out.push({ gateway: key, host, path, ...(port === undefined ? {} : { port }) });
      for (const d of detailed) out.push({ gateway: key, host, ...d, ...(port === undefined ? {} : { port }) });
      for (const { call, headers } of grpcHeaders) {
        const [service = '', method = ''] = call.split('/');
        out.push({ gateway: key, host, grpc: { service, method }, headers, ...(port === undefined ? {} : { port }) });
      }
      for (const c of calls) {
        const [service = '', method = ''] = c.split('/');
        out.push({ gateway: key, host, grpc: { service, method }, ...(port === undefined ? {} : { port }) });
      }
    }
  for (const port of ports.TLS) for (const name of sni) out.push({ gateway: key, connection: 'TLS', port, sni: name });
  for (const port of ports.TCP) out.push({ gateway: key, connection: 'TCP', port });
  for (const port of ports.UDP) out.push({ gateway: key, connection: 'UDP', port });
  return out;
}

interface Fixture {
  readonly name: string;
  readonly text: string;
  readonly settings: string;
}

function gatewayFixtures(): Fixture[] {
  const out: Fixture[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        const text = readFileSync(p, 'utf8');
        if (!/^kind: Gateway$/m.test(text) && !/kind: Gateway[,}]/.test(text)) continue;
        const settings = text
          .split('\n')
          .filter((l) => l.startsWith('#! '))
          .map((l) => l.slice(3))
          .join('\n');
        out.push({ name: p.slice(fixtures.length + 1), text, settings });
      }
    }
  };
  walk(join(fixtures, 'reachability'));
  walk(join(fixtures, 'checks'));
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The data-plane connections `reach` lists and those `explain` gives, as `dp -> pod` lines (`?` when undefined). */
function bothSides(f: Fixture): { reach: string[]; explain: string[]; gateways: number } {
  const { settings } = readSettings(parseYaml(f.settings) ?? {});
  const host = new AnalysisHost(settings);
  host.setFile(`file:///fixtures/${f.name}`, f.text);
  const engine = new ReachEngine(host.snapshot(), optionsFromSettings(settings));
  const planes = new Map<string, string>();
  for (const [key, classes] of engine.model.gatewayDataPlanes) {
    const c = classes[0] === undefined ? undefined : engine.classes[classes[0]];
    if (c !== undefined && c.synthetic) planes.set(c.node, key);
  }
  const reach = new Set<string>();
  for (const c of computeReach(engine).connections) {
    // To pods, and to the external ranges of a STUNner StaticService's addresses.
    if (!planes.has(c.from)) continue;
    reach.add(`${c.from} -> ${c.to}${isEmpty(c.allowed) ? ' ?' : ''}`);
  }
  const pods = engine.nodes.filter((n) => n.external === undefined && !n.id.startsWith('{'));
  const ranges = engine.nodes.filter((n) => n.external !== undefined);
  const explained = new Map<string, boolean>();
  for (const [node, key] of planes) {
    const vias = requestsThrough(engine, key);
    // External ranges through the Gateways whose routes name StaticServices (a templated route is undefined for any end).
    for (const pod of gatewayStaticTargets(engine, key).length > 0 ? [...pods, ...ranges] : pods) {
      let best: boolean | null | undefined;
      for (const via of vias) {
        const protocol = 'connection' in via && via.connection === 'UDP' ? 'UDP' : undefined;
        const r = explainProbe(engine, { from: node, to: pod.id, port: undefined, protocol, via });
        if (r.allowed === true) {
          best = true;
          break;
        }
        if (r.allowed === null) best = null;
      }
      if (best !== undefined && best !== false) explained.set(`${node} -> ${pod.id}`, best === true);
    }
  }
  return {
    reach: [...reach].sort(),
    explain: [...explained].map(([k, sure]) => `${k}${sure ? '' : ' ?'}`).sort(),
    gateways: planes.size,
  };
}

const all = gatewayFixtures();

test('the fixtures with Gateways are found', () => {
  assert.ok(all.length >= 20, `${all.length} fixtures`);
});

for (const f of all) {
  test(`reach and explain agree through Gateways: ${f.name}`, () => {
    const { reach, explain } = bothSides(f);
    assert.deepEqual(reach, explain);
  });
}
