/**
 * `kube-reach reach` and `kube-reach explain` through the CLI entry point (docs/dev/design.md §6), in
 * process: every format against an expected file beside the workspace
 * (`test/fixtures/reachability/cli/*.expected.*`, rewritten with UPDATE_EXPECT=1), the JSON
 * contracts, and the exit codes.
 */

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';

const dir = join(__dirname, '..', 'fixtures', 'reachability', 'cli');

const run = (args: readonly string[]): Promise<CliRun> => runCli(args, dir);

/** Runs the CLI and compares stdout with `<name>` in the fixture folder. */
async function check(name: string, args: readonly string[]): Promise<string> {
  const r = await run(args);
  assert.equal(r.code, 0, r.err);
  const file = join(dir, name);
  if (process.env['UPDATE_EXPECT'] === '1') writeFileSync(file, r.out);
  assert.ok(existsSync(file), `${name} is missing (UPDATE_EXPECT=1, then review it)`);
  assert.equal(r.out, readFileSync(file, 'utf8'));
  return r.out;
}

for (const format of ['text', 'json', 'csv', 'dot', 'mermaid']) {
  test(`reach --format ${format}`, async () => {
    await check(`reach.expected.${format === 'text' ? 'txt' : format}`, ['reach', 'workspace', '--format', format]);
  });
}

test('reach: the text format is the default and is netpol-analyzer connlist lines, sorted byte-wise', async () => {
  const r = await run(['reach', 'workspace']);
  assert.equal(r.code, 0);
  const lines = r.out.trimEnd().split('\n');
  assert.deepEqual(
    [...lines].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    lines,
  );
  for (const l of lines)
    assert.match(l, /^\S+ => \S+ : (All Connections|(SCTP|TCP|UDP) [\d,-]+(,(SCTP|TCP|UDP) [\d,-]+)*)( \(undefined: .+\))?$/);
});

test('reach --format json: nodes sorted by id, connections by from/to, verdicts and port ranges', async () => {
  const r = await run(['reach', 'workspace', '--format', 'json']);
  const json = JSON.parse(r.out) as {
    nodes: Array<{ id: string; namespace: string | null; kind: string; name: string; labels: Record<string, string> }>;
    connections: Array<{ from: string; to: string; ports: unknown; verdict: string }>;
  };
  const ids = json.nodes.map((n) => n.id);
  assert.deepEqual([...ids].sort(), ids);
  const web = json.nodes.find((n) => n.id === 'shop/web[Deployment]');
  assert.deepEqual(web, { id: 'shop/web[Deployment]', namespace: 'shop', kind: 'Deployment', name: 'web', labels: { app: 'web' } });
  for (const c of json.connections) {
    assert.ok(c.verdict === 'allowed' || c.verdict === 'undefined');
    assert.notEqual(c.from, c.to, 'self pairs are omitted');
    assert.ok(c.ports === 'all' || Array.isArray(c.ports));
  }
  const webToApi = json.connections.find((c) => c.from === 'shop/web[Deployment]' && c.to === 'shop/api[Deployment]');
  assert.deepEqual(webToApi, {
    from: 'shop/web[Deployment]',
    to: 'shop/api[Deployment]',
    ports: [{ protocol: 'TCP', port: 9090 }],
    verdict: 'allowed',
  });
  const keys = json.connections.map((c) => `${c.from}\u0000${c.to}`);
  assert.deepEqual([...keys].sort(), keys);
});

test('reach --namespace keeps connections with either end in the namespace', async () => {
  const r = await run(['reach', 'workspace', '--namespace', 'other']);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  const shop = await run(['reach', 'workspace', '--namespace', 'shop']);
  assert.ok(
    shop.out
      .split('\n')
      .filter((l) => l !== '')
      .every((l) => l.includes('shop/')),
  );
});

test('reach --unit picks one unit; a unit that names nothing exits 2', async () => {
  const all = await run(['reach', 'workspace']);
  const unit = await run(['reach', 'workspace', '--unit', 'workspace']);
  assert.equal(unit.code, 0, unit.err);
  assert.equal(unit.out, all.out);
  const none = await run(['reach', 'workspace', '--unit', 'elsewhere']);
  assert.equal(none.code, 2);
  assert.match(none.err, /--unit: elsewhere is not a unit/);
});

test('reach --exposure: the connection list, a blank line and the exposure in text; an exposure member in JSON', async () => {
  const text = await check('reach.exposure.expected.txt', ['reach', 'workspace', '--exposure']);
  const plain = await run(['reach', 'workspace']);
  assert.ok(text.startsWith(plain.out + '\nExposure Analysis Result:\n'));
  for (const l of text
    .slice(plain.out.length + 1)
    .trimEnd()
    .split('\n')
    .slice(1)) {
    if (/^(Egress|Ingress) Exposure:$|^Workloads not protected by network policies:$|^$/.test(l)) continue;
    assert.match(l, /^\S+ *( \t=> \t| \t<= \t)\S.* : .+$|^\S+ is not protected on (Ingress|Egress)$/, l);
  }
  const out = await check('reach.exposure.expected.json', ['reach', 'workspace', '--exposure', '--format', 'json']);
  const json = JSON.parse(out) as {
    connections: unknown[];
    exposure: {
      egress: Array<{ workload: string; peer: string; peerKind: string; ports: unknown; verdict: string }>;
      ingress: Array<{ workload: string; peer: string; peerKind: string; ports: unknown; verdict: string }>;
      unprotected: Array<{ workload: string; direction: string }>;
    };
  };
  const plainJson = JSON.parse((await run(['reach', 'workspace', '--format', 'json'])).out) as { connections: unknown[] };
  assert.deepEqual(json.connections, plainJson.connections);
  for (const e of [...json.exposure.egress, ...json.exposure.ingress]) {
    assert.ok(['entire-cluster', 'representative', 'external'].includes(e.peerKind));
    assert.ok(['allowed', 'undefined'].includes(e.verdict));
  }
  const bad = await run(['reach', 'workspace', '--exposure', '--format', 'csv']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--exposure: the csv format does not show exposure/);
});

test('reach: bad flags and missing paths exit 2 with a message', async () => {
  const bad = await run(['reach', 'workspace', '--format', 'yaml']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be one of text, json, csv, dot, mermaid/);
  const unknown = await run(['reach', 'workspace', '--frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown option --frobnicate/);
  const missing = await run(['reach', 'no-such-folder']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such file or folder: no-such-folder/);
});

test('explain --probes FILE, text and JSON', async () => {
  await check('explain.expected.txt', ['explain', 'workspace', '--probes', 'probes.json']);
  const out = await check('explain.expected.json', ['explain', 'workspace', '--probes', 'probes.json', '--format', 'json']);
  const json = JSON.parse(out) as {
    results: Array<{
      allowed: boolean | null;
      reason: string;
      decidedBy: Array<{ file: string; line: number; policy: string; direction: string; rule: string }>;
    }>;
  };
  assert.deepEqual(
    json.results.map((r) => r.allowed),
    [true, false, false, true, true, true, null],
  );
  const first = json.results[0];
  assert.deepEqual(first?.decidedBy, [
    {
      file: 'workspace/policies.yaml',
      line: 13,
      policy: 'shop/api-from-web',
      direction: 'ingress',
      rule: 'spec.ingress[0].from[0]',
      description: 'rule 1 of ingress in policy shop/api-from-web',
    },
  ]);
  const denied = json.results[1];
  assert.deepEqual(
    denied?.decidedBy.map((d) => d.policy),
    ['shop/default-deny', 'shop/db-from-api'],
    'for denied, every policy isolating the denying side',
  );
});

test('explain: the single-probe form equals the same probe from a file', async () => {
  const single = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    'shop/api[Deployment]',
    '--port',
    '9090',
    '--format',
    'json',
  ]);
  assert.equal(single.code, 0, single.err);
  const file = JSON.parse(readFileSync(join(dir, 'explain.expected.json'), 'utf8')) as { results: unknown[] };
  assert.deepEqual(JSON.parse(single.out), { results: [file.results[0]] });
  const viaService = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    'shop/api[Deployment]',
    '--via-service',
    'shop/api:http',
    '--format',
    'json',
  ]);
  assert.deepEqual(JSON.parse(viaService.out), { results: [file.results[3]] });
  const viaIngress = await run([
    'explain',
    'workspace',
    '--to',
    'shop/web[Deployment]',
    '--via-ingress',
    'shop/shop',
    '--host',
    'shop.example.com',
    '--path',
    '/cart',
    '--format',
    'json',
  ]);
  assert.deepEqual(JSON.parse(viaIngress.out), { results: [file.results[4]] });
});

test('explain: an endpoint that names nothing exits 2 naming the probe', async () => {
  const r = await run(['explain', 'workspace', '--probes', 'probes-unknown.json']);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /probe 1 \(shop\/nope\[Deployment\] -> shop\/api\[Deployment\]\): from "shop\/nope\[Deployment\]" names nothing in the manifests/,
  );
  const single = await run(['explain', 'workspace', '--from', 'shop/web[Deployment]', '--to', 'shop/nothing', '--port', '80']);
  assert.equal(single.code, 2);
  assert.match(single.err, /names nothing/);
});

test('explain: malformed probes and flags exit 2', async () => {
  const bad = await run(['explain', 'workspace', '--probes', 'probes-bad.json']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /probe 1: "port" must be a number/);
  const none = await run(['explain', 'workspace']);
  assert.equal(none.code, 2);
  const mixed = await run(['explain', 'workspace', '--probes', 'probes.json', '--from', 'a/b']);
  assert.equal(mixed.code, 2);
  const port = await run(['explain', 'workspace', '--from', 'shop/web[Deployment]', '--to', 'shop/api[Deployment]', '--port', 'http']);
  assert.equal(port.code, 2);
  assert.match(port.err, /--port must be a port number/);
});

test('explain --via-service: a Service port is a port and a protocol (ns/name:port/PROTOCOL or --protocol)', async () => {
  const udp = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    'shop/api[Deployment]',
    '--via-service',
    'shop/api:http/UDP',
  ]);
  assert.equal(udp.code, 0, udp.err);
  assert.match(
    udp.out,
    /via Service shop\/api:http\/UDP: denied\n {2}Service shop\/api port "http" is \d+\/TCP: a connection over UDP finds no Service port\n/,
  );
  const flag = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    'shop/api[Deployment]',
    '--via-service',
    'shop/api:http',
    '--protocol',
    'UDP',
  ]);
  assert.equal(flag.out, udp.out);
  const clash = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    'shop/api[Deployment]',
    '--via-service',
    'shop/api:http/UDP',
    '--protocol',
    'TCP',
  ]);
  assert.equal(clash.code, 2);
  assert.match(clash.err, /--via-service names protocol UDP but --protocol is TCP/);
});

test("explain: the checks' virtual pods and external ranges are endpoints, named in words", async () => {
  const dns = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    '{cluster-dns}',
    '--port',
    '53',
    '--protocol',
    'UDP',
  ]);
  assert.equal(dns.code, 0, dns.err);
  assert.match(dns.out, /the cluster DNS pods in kube-system/);
  const byNamespace = await run([
    'explain',
    'workspace',
    '--from',
    'shop/web[Deployment]',
    '--to',
    '{cluster-dns:kube-system}',
    '--port',
    '53',
    '--protocol',
    'UDP',
  ]);
  assert.equal(byNamespace.out.split('\n').slice(1).join('\n'), dns.out.split('\n').slice(1).join('\n'));
  const list = await run(['reach', 'workspace']);
  const external = /^(\S+\[External\]) => (\S+) : /m.exec(list.out);
  assert.ok(external !== null, list.out);
  const r = await run(['explain', 'workspace', '--from', external[1] ?? '', '--to', external[2] ?? '', '--port', '8080']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.out, /names nothing/);
});

test('explain --via-gateway --grpc: a gRPC call routed by GRPCRoutes, and its usage errors', async () => {
  const args = ['explain', '../gateway-grpc-request.yaml', '--to', 'shop/cart-admin[Deployment]', '--via-gateway', 'infra/grpc'];
  const call = await run([...args, '--host', 'grpc.example.com', '--grpc', 'shop.Cart/Purge']);
  assert.equal(call.code, 0, call.err);
  assert.match(call.out, /gRPC shop\.Cart\/Purge: allowed/);
  assert.match(call.out, /rules\[1\] of GRPCRoute shop\/cart \(service shop\.Cart, method Purge\)/);
  const both = await run([...args, '--host', 'grpc.example.com', '--grpc', 'shop.Cart/Purge', '--path', '/']);
  assert.equal(both.code, 2);
  assert.match(both.err, /--path \(an HTTPRoute request\) or --grpc/);
  const malformed = await run([...args, '--host', 'grpc.example.com', '--grpc', 'Purge']);
  assert.equal(malformed.code, 2);
  assert.match(malformed.err, /--grpc expects SERVICE\/METHOD/);
  const ingress = await run([
    'explain',
    'workspace',
    '--to',
    'shop/web[Deployment]',
    '--via-ingress',
    'shop/shop',
    '--host',
    'h',
    '--path',
    '/',
    '--grpc',
    'a.B/C',
  ]);
  assert.equal(ingress.code, 2);
});

/** `explain FIXTURE --probes FILE --format json` with a probes file of `lines` (YAML list items): its results. */
async function explainProbes(fixture: string, lines: string): Promise<Array<{ allowed: boolean | null; reason: string }>> {
  const tmp = mkdtempSync(join(tmpdir(), 'kube-reach-probes-'));
  const probes = join(tmp, 'probes.yaml');
  writeFileSync(probes, `probes:\n${lines}`);
  try {
    const r = await run(['explain', fixture, '--probes', probes, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { results: Array<{ allowed: boolean | null; reason: string }> }).results;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('explain --via-gateway --method/--header/--query: rules that match by method, header or query parameter, and usage errors', async () => {
  const args = ['explain', '../gateway-request.yaml', '--via-gateway', 'infra/web', '--host', 'shop.example.com'];
  const canary = await run([...args, '--to', 'shop/api[Deployment]', '--path', '/canary', '--header', 'X-Canary: 1']);
  assert.equal(canary.code, 0, canary.err);
  assert.match(canary.out, /shop\.example\.com\/canary \(header X-Canary: 1\): allowed/);
  assert.match(canary.out, /rules\[3\] of HTTPRoute shop\/shop \(PathPrefix \/canary, header x-canary: 1\)/);
  const plain = await run([...args, '--to', 'shop/api[Deployment]', '--path', '/canary']);
  assert.match(plain.out, /: denied/);
  const orders = await run([...args, '--to', 'shop/health[Deployment]', '--path', '/orders', '--method', 'POST', '--query', 'v=2']);
  assert.match(orders.out, /\(POST, query v=2\): allowed/);
  const noQuery = await run([...args, '--to', 'shop/health[Deployment]', '--path', '/orders', '--method', 'POST']);
  assert.match(noQuery.out, /: denied/);
  const badHeader = await run([...args, '--to', 'shop/api[Deployment]', '--path', '/', '--header', 'no-colon']);
  assert.equal(badHeader.code, 2);
  assert.match(badHeader.err, /--header expects 'Name: value'/);
  const badMethod = await run([...args, '--to', 'shop/api[Deployment]', '--path', '/', '--method', 'post']);
  assert.equal(badMethod.code, 2);
  const grpcQuery = await run([...args, '--to', 'shop/api[Deployment]', '--grpc', 'a.B/C', '--query', 'v=1']);
  assert.equal(grpcQuery.code, 2);
  const noGateway = await run(['explain', '../gateway-request.yaml', '--from', 'a', '--to', 'b', '--port', '80', '--method', 'POST']);
  assert.equal(noGateway.code, 2);
  assert.match(noGateway.err, /--method, --header and --query go with --via-gateway/);
  // A probes file takes the same as via.method, via.headers and via.query.
  const results = await explainProbes(
    '../gateway-request.yaml',
    '  - {to: "shop/api[Deployment]", via: {gateway: infra/web, host: shop.example.com, path: /canary, headers: {x-canary: "1"}}}\n' +
      '  - {to: "shop/health[Deployment]", via: {gateway: infra/web, host: shop.example.com, path: /orders, method: POST, query: {v: "2"}}}\n',
  );
  assert.deepEqual(
    results.map((x) => x.allowed),
    [true, true],
  );
});

test('explain --via-gateway: an HTTPRoute and a GRPCRoute sharing a hostname are answered by the route the Gateway accepts, named', async () => {
  const args = ['explain', '../gateway-cross-serving.yaml', '--via-gateway', 'infra/gw', '--format', 'json'];
  const verdict = async (extra: readonly string[]): Promise<{ allowed: boolean | null; reason: string }> => {
    const r = await run([...args, ...extra]);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { results: Array<{ allowed: boolean | null; reason: string }> };
    const first = out.results[0];
    assert.ok(first !== undefined, r.out);
    return first;
  };
  // HTTPRoute shop/api sorts first: accepted; a gRPC call to its host is answered by it.
  const call = await verdict(['--to', 'shop/api[Deployment]', '--host', 'api.example.com', '--grpc', 'shop.Cart/Add']);
  assert.equal(call.allowed, true, call.reason);
  assert.match(
    call.reason,
    /GRPCRoute shop\/grpc is not accepted on listener "com": HTTPRoute shop\/api shares hostname api\.example\.com/,
  );
  assert.match(call.reason, /is answered by HTTPRoute shop\/api/);
  // GRPCRoute shop/a-rpc sorts first: a GET that is not a gRPC path gets 404.
  const get = await verdict(['--to', 'shop/api[Deployment]', '--host', 'rpc.example.org', '--path', '/index.html']);
  assert.equal(get.allowed, false, get.reason);
  assert.match(get.reason, /HTTPRoute shop\/site is not accepted on listener "org": GRPCRoute shop\/a-rpc/);
  // One namespace and name for both: undefined, and why.
  const same = await verdict(['--to', 'shop/api[Deployment]', '--host', 'same.example.org', '--path', '/']);
  assert.equal(same.allowed, null);
  assert.match(same.reason, /same namespace and name/);
});

test('explain --via-gateway --sni / --port: TLS, TCP and UDP connections routed by TLSRoutes, TCPRoutes, UDPRoutes', async () => {
  const base = ['explain', '../gateway-l4-connection.yaml', '--via-gateway', 'infra/edge'];
  const tls = await run([...base, '--to', 'shop/web[Deployment]', '--sni', 'web.example.com']);
  assert.equal(tls.code, 0, tls.err);
  assert.match(tls.out, /a TLS connection for web\.example\.com: allowed/);
  assert.match(tls.out, /rules\[0\] of TLSRoute shop\/web-exact on listener "tls"/);
  const udp = await run([...base, '--to', 'shop/dns[Deployment]', '--port', '53', '--protocol', 'UDP']);
  assert.equal(udp.code, 0, udp.err);
  assert.match(udp.out, /a UDP connection to port 53: allowed/);
  assert.match(udp.out, /UDP\/5353 of shop\/dns\[Deployment\]/);
  const tcp = await run([...base, '--to', 'shop/dns[Deployment]', '--port', '5300', '--format', 'json']);
  assert.equal(tcp.code, 0, tcp.err);
  const json = JSON.parse(tcp.out) as { results: Array<{ allowed: boolean | null }> };
  assert.equal(json.results[0]?.allowed, false);
  const mixed = await run([...base, '--to', 'shop/web[Deployment]', '--sni', 'web.example.com', '--host', 'web.example.com']);
  assert.equal(mixed.code, 2);
  assert.match(mixed.err, /--sni \(a TLS connection\) excludes --host/);
  const sctp = await run([...base, '--to', 'shop/dns[Deployment]', '--port', '53', '--protocol', 'SCTP']);
  assert.equal(sctp.code, 2);
  assert.match(sctp.err, /TCP or UDP, not SCTP/);
  // DTLS (--sni with --protocol UDP) is STUNner's TURN-DTLS: a Gateway of another implementation refuses it; SCTP is no transport of TLS.
  const dtls = await run([...base, '--to', 'shop/web[Deployment]', '--sni', 'web.example.com', '--protocol', 'UDP']);
  assert.equal(dtls.code, 0, dtls.err);
  assert.match(dtls.out, /a DTLS connection for web\.example\.com: denied\n.*the Gateway API has no DTLS listener/);
  const tlsSctp = await run([...base, '--to', 'shop/web[Deployment]', '--sni', 'web.example.com', '--protocol', 'SCTP']);
  assert.equal(tlsSctp.code, 2);
  assert.match(tlsSctp.err, /over TCP, or over UDP \(DTLS\), not SCTP/);
  const nothing = await run([...base, '--to', 'shop/web[Deployment]']);
  assert.equal(nothing.code, 2);
  assert.match(nothing.err, /--sni \(a TLS connection\), or --port/);
});

test('explain --via-gateway --sni / --port: listener port and protocol, allowedRoutes, ReferenceGrant, the refused route named', async () => {
  const base = ['explain', '../gateway-l4-attachment.yaml', '--via-gateway', 'infra/edge'];
  const json = async (args: readonly string[]): Promise<{ allowed: boolean | null; reason: string }> => {
    const r = await run([...base, ...args, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { results: Array<{ allowed: boolean | null; reason: string }> };
    assert.ok(parsed.results[0] !== undefined);
    return parsed.results[0];
  };
  // Terminated at the listener, to a Service of another namespace a ReferenceGrant permits.
  const term = await json(['--to', 'data/db[StatefulSet]', '--sni', 'pay.example.com', '--port', '8443']);
  assert.equal(term.allowed, true, term.reason);
  assert.match(term.reason, /listener "term" \(TLS terminated with pay-cert, the stream forwarded as TCP\)/);
  // The more specific listener admits routes of its own namespace only: both routes named.
  const same = await json(['--to', 'shop/web[Deployment]', '--sni', 'web.example.com', '--port', '443']);
  assert.equal(same.allowed, false);
  assert.match(same.reason, /TLSRoute shop\/web-exact is not attached to listener "web-only": .*allowedRoutes\.namespaces\.from: Same/);
  // An HTTPS listener on the port takes no TLSRoute.
  const https = await json(['--to', 'shop/web[Deployment]', '--sni', 'web.example.com', '--port', '9443']);
  assert.equal(https.allowed, false);
  assert.match(https.reason, /listener "https" on port 9443 is HTTPS, which takes HTTPRoutes and GRPCRoutes/);
  // No grant for TCPRoutes: the Gateway does not follow the backendRef.
  const tcp = await json(['--to', 'data/db-replica[StatefulSet]', '--port', '5432']);
  assert.equal(tcp.allowed, false);
  assert.match(tcp.reason, /RefNotPermitted/);
  // allowedRoutes.kinds that leave the TCPRoute out.
  const kinds = await json(['--to', 'data/db[StatefulSet]', '--port', '6432']);
  assert.equal(kinds.allowed, false);
  assert.match(kinds.reason, /TCPRoute data\/bouncer is not attached to listener "pg-bouncer": allowedRoutes\.kinds/);
  // A probes file with the same connections.
  const results = await explainProbes(
    '../gateway-l4-attachment.yaml',
    '  - {to: "data/dns[Deployment]", protocol: UDP, via: {gateway: infra/edge, port: 53}}\n' +
      '  - {to: "data/db[StatefulSet]", via: {gateway: infra/edge, sni: pay.example.com, port: 8443}}\n',
  );
  assert.deepEqual(
    results.map((x) => x.allowed),
    [false, true],
  );
  assert.match(
    results[0]?.reason ?? '',
    /UDPRoute data\/dns is not attached to listener "dns": the namespace selector of listener "dns" does not match namespace data/,
  );
});

test('explain --via-gateway: a TCPRoute on a terminating TLS listener, routes that lose the tie-break named, --port for HTTP listeners', async () => {
  const base = ['explain', '../gateway-route-precedence.yaml', '--via-gateway', 'infra/edge'];
  const json = async (args: readonly string[]): Promise<{ allowed: boolean | null; reason: string }> => {
    const r = await run([...base, ...args, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const parsed = JSON.parse(r.out) as { results: Array<{ allowed: boolean | null; reason: string }> };
    assert.ok(parsed.results[0] !== undefined);
    return parsed.results[0];
  };
  // No TLSRoute answers the name: the TCPRoute on the terminating listener takes the stream, the
  // second TCPRoute named as the loser.
  const tcp = await json(['--to', 'shop/stream[Deployment]', '--sni', 'other.example.com', '--port', '8443']);
  assert.equal(tcp.allowed, true, tcp.reason);
  assert.match(
    tcp.reason,
    /rules\[0\] of TCPRoute shop\/a-stream on listener "term" \(TLS terminated with edge-cert, the stream forwarded as TCP\)/,
  );
  assert.match(tcp.reason, /TCPRoute shop\/b-stream takes it on the same listener too: the older route wins/);
  // The TLSRoute for the name is more specific than the TCPRoutes.
  const tls = await json(['--to', 'shop/pay[Deployment]', '--sni', 'pay.example.com', '--port', '8443']);
  assert.equal(tls.allowed, true, tls.reason);
  assert.match(tls.reason, /TLSRoute shop\/pay on listener "term"/);
  // A passthrough listener gives no TCPRoute a TLS connection.
  const pass = await json(['--to', 'shop/stream[Deployment]', '--sni', 'other.example.com', '--port', '443']);
  assert.equal(pass.allowed, false);
  assert.match(pass.reason, /^no TLSRoute on listener "pass"/);
  // --port with --host: the HTTP listener on that port; the route that loses the tie named.
  const http = await json(['--to', 'shop/api-a[Deployment]', '--host', 'shop.example.com', '--path', '/api', '--port', '80']);
  assert.equal(http.allowed, true, http.reason);
  assert.match(http.reason, /rules\[0\] of HTTPRoute shop\/b-site matches it as well: the older route wins/);
  const alt = await json(['--to', 'shop/web-alt[Deployment]', '--host', 'shop.example.com', '--path', '/api', '--port', '8080']);
  assert.equal(alt.allowed, true, alt.reason);
  const other = await json(['--to', 'shop/web-alt[Deployment]', '--host', 'shop.example.com', '--path', '/', '--port', '9443']);
  assert.equal(other.allowed, false);
  assert.match(other.reason, /listener "tls9" on port 9443 is TLS, which takes TLSRoutes \(follow a connection with --sni\)/);
  // A probes file: via.port with host.
  const tmp = mkdtempSync(join(tmpdir(), 'kube-reach-probes-'));
  const probes = join(tmp, 'probes.yaml');
  writeFileSync(
    probes,
    'probes:\n' +
      '  - {to: "shop/web-alt[Deployment]", via: {gateway: infra/edge, host: shop.example.com, path: /, port: 80}}\n' +
      '  - {to: "shop/web-alt[Deployment]", via: {gateway: infra/edge, host: shop.example.com, path: /, port: 8080}}\n' +
      '  - {to: "shop/web-alt[Deployment]", via: {gateway: infra/edge, host: shop.example.com, path: /, port: "80"}}\n',
  );
  try {
    const r = await run(['explain', '../gateway-route-precedence.yaml', '--probes', probes, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /probe 3: via\.port must be a listener port number/);
    writeFileSync(probes, readFileSync(probes, 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    const ok = await run(['explain', '../gateway-route-precedence.yaml', '--probes', probes, '--format', 'json']);
    assert.equal(ok.code, 0, ok.err);
    const results = (JSON.parse(ok.out) as { results: Array<{ allowed: boolean | null; reason: string }> }).results;
    assert.deepEqual(
      results.map((x) => x.allowed),
      [false, true],
    );
    assert.match(results[0]?.reason ?? '', /the Gateway answers 404/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
