/**
 * `kube-reach explain [paths…] --probes FILE [--format text|json]`, or the single-probe form
 * `--from EP --to EP --port N [--protocol P] [--via-service ns/name:port[/PROTOCOL]]
 *  [--via-ingress ns/name --host H --path P]
 *  [--via-gateway ns/name (--host H (--path P [--method M] [--query N=V]… | --grpc S/M) [--header 'N: V']… [--port N]
 *   | --sni H [--port N] [--protocol UDP] | --port N [--protocol UDP])]` (docs/dev/design.md §6,
 *  docs/dev/gateway-api.md §10).
 */

import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diagnosticEngineOptions } from '../analysis/index.js';
import { ReachEngine, reachNotes } from '../analysis/index.js';
import type { Probe, ProbeResult, Via } from '../analysis/index.js';
import { ProbeError, explainJson, explainProbe, packedOf, renderExplainText } from '../analysis/index.js';
import type { ParsedArgs } from './args.js';
import { readableNotes } from '../server/notes.js';
import { uriToPath } from '../server/uris.js';
import { oneOf } from './args.js';
import type { CommandSpec } from './command.js';
import type { CliIO } from './io.js';
import { UsageError } from './io.js';
import { loadWorkspace, WORKSPACE_FLAGS } from './workspace.js';
import { isRecord } from '../analysis/index.js';

function parsePort(flag: string, v: string): number {
  if (!/^\d+$/.test(v)) throw new UsageError(`${flag} must be a port number (got "${v}")`);
  return Number(v);
}

/** `pkg.Service/Method` (a GRPCRoute's service and method). */
function grpcCall(what: string, text: string): { service: string; method: string } {
  const m = /^\/?([^/\s]+)\/([^/\s]+)$/.exec(text);
  if (m === null) throw new UsageError(`${what} expects SERVICE/METHOD, e.g. shop.Cart/AddItem (got "${text}")`);
  return { service: m[1] ?? '', method: m[2] ?? '' };
}

/** `--header 'Name: value'` (repeatable) and `--query name=value` (repeatable) as a map, in the order given. */
function pairs(flag: string, list: readonly string[], sep: ':' | '='): Record<string, string> | undefined {
  if (list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf(sep);
    const name = at < 0 ? '' : item.slice(0, at).trim();
    if (name === '') throw new UsageError(`${flag} expects ${sep === ':' ? "'Name: value'" : 'name=value'} (got "${item}")`);
    out[name] = item.slice(at + 1).trim();
  }
  return out;
}

/** A probes file's `via.headers` or `via.query`: an object of strings. */
function stringMap(where: string, raw: unknown): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  if (!isRecord(raw) || Object.values(raw).some((v) => typeof v !== 'string'))
    throw new UsageError(`${where} must be an object of strings`);
  return raw as Record<string, string>;
}

/** What an HTTP request through a Gateway carries beside host and path (`method`, `headers`, `query`), only what is given. */
function details(method: unknown, headers: Record<string, string> | undefined, query: Record<string, string> | undefined, where: string) {
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Z]+$/.test(method)))
    throw new UsageError(`${where} method must be an HTTP method in capitals, e.g. POST`);
  return {
    ...(typeof method === 'string' ? { method } : {}),
    ...(headers === undefined ? {} : { headers }),
    ...(query === undefined ? {} : { query }),
  };
}

/** A connection through a Gateway's TLS (sni; DTLS with protocol UDP), TCP or UDP (port, protocol) listener. */
function gatewayConnection(where: string, gateway: string, sni: string | undefined, port: number | undefined, protocol: unknown): Via {
  const proto = typeof protocol === 'string' ? protocol.toUpperCase() : 'TCP';
  if (sni !== undefined) {
    if (proto !== 'TCP' && proto !== 'UDP')
      throw new UsageError(`${where}: a TLS connection (sni) goes over TCP, or over UDP (DTLS), not ${proto}`);
    return { gateway, connection: proto === 'UDP' ? 'DTLS' : 'TLS', port, sni };
  }
  if (port === undefined) throw new UsageError(`${where}: a TCP or UDP connection through a Gateway needs the listener port`);
  if (proto !== 'TCP' && proto !== 'UDP') throw new UsageError(`${where}: a Gateway connection is TCP or UDP, not ${proto}`);
  return { gateway, connection: proto, port };
}

/** Narrows one probe of a probes file. */
function readProbe(raw: unknown, i: number): Probe {
  const where = `probe ${i + 1}`;
  if (!isRecord(raw)) throw new UsageError(`${where}: expected an object`);
  const from = raw['from'];
  const to = raw['to'];
  const port = raw['port'];
  const protocol = raw['protocol'];
  const rawVia = raw['via'];
  let via: Via | undefined;
  if (rawVia !== undefined) {
    if (!isRecord(rawVia)) throw new UsageError(`${where}: via must be an object`);
    if (typeof rawVia['service'] === 'string') {
      const p = rawVia['port'];
      if (typeof p !== 'number' && typeof p !== 'string') throw new UsageError(`${where}: via.port must be a Service port number or name`);
      via = { service: rawVia['service'], port: p };
    } else if (
      typeof rawVia['gateway'] === 'string' &&
      (rawVia['sni'] !== undefined || (rawVia['host'] === undefined && rawVia['port'] !== undefined))
    ) {
      // A TLS connection (sni, optionally port) or a TCP/UDP connection (port; the probe's protocol).
      const sni = rawVia['sni'];
      const p = rawVia['port'];
      if (sni !== undefined && typeof sni !== 'string') throw new UsageError(`${where}: via.sni must be a host name`);
      if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p)))
        throw new UsageError(`${where}: via.port must be a listener port number`);
      via = gatewayConnection(where, rawVia['gateway'], typeof sni === 'string' ? sni : undefined, p, protocol);
    } else if (typeof rawVia['gateway'] === 'string') {
      const host = rawVia['host'];
      const path = rawVia['path'];
      const grpc = rawVia['grpc'];
      const p = rawVia['port'];
      if (typeof host !== 'string' || (typeof path === 'string') === (typeof grpc === 'string'))
        throw new UsageError(`${where}: via.gateway needs host and path or grpc, sni (a TLS connection) or port (a TCP or UDP connection)`);
      if (p !== undefined && (typeof p !== 'number' || !Number.isInteger(p)))
        throw new UsageError(`${where}: via.port must be a listener port number`);
      const listenerPort = p === undefined ? {} : { port: p };
      const headers = stringMap(`${where}: via.headers`, rawVia['headers']);
      const query = stringMap(`${where}: via.query`, rawVia['query']);
      if (typeof grpc === 'string' && (rawVia['method'] !== undefined || query !== undefined))
        throw new UsageError(`${where}: a gRPC call (via.grpc) takes headers, not method or query`);
      via =
        typeof grpc === 'string'
          ? {
              gateway: rawVia['gateway'],
              host,
              grpc: grpcCall(`${where}: via.grpc`, grpc),
              ...listenerPort,
              ...(headers === undefined ? {} : { headers }),
            }
          : {
              gateway: rawVia['gateway'],
              host,
              path: String(path),
              ...listenerPort,
              ...details(rawVia['method'], headers, query, `${where}: via.`),
            };
    } else if (typeof rawVia['ingress'] === 'string') {
      const host = rawVia['host'];
      const path = rawVia['path'];
      if (typeof host !== 'string' || typeof path !== 'string') throw new UsageError(`${where}: via.ingress needs host and path`);
      via = { ingress: rawVia['ingress'], host, path };
    } else {
      throw new UsageError(`${where}: via needs "service", "ingress" or "gateway"`);
    }
  }
  const needsFrom = via === undefined || 'service' in via;
  if (typeof to !== 'string') throw new UsageError(`${where}: "to" must be an endpoint`);
  if (needsFrom && typeof from !== 'string') throw new UsageError(`${where}: "from" must be an endpoint`);
  if (via === undefined && (typeof port !== 'number' || !Number.isInteger(port))) throw new UsageError(`${where}: "port" must be a number`);
  if (protocol !== undefined && typeof protocol !== 'string') throw new UsageError(`${where}: "protocol" must be a string`);
  return {
    from: typeof from === 'string' ? from : via !== undefined && 'gateway' in via ? `{gateway:${via.gateway}}` : '{ingress-controller}',
    to,
    port: typeof port === 'number' ? port : undefined,
    protocol: typeof protocol === 'string' ? protocol : undefined,
    via,
  };
}

function readProbesFile(path: string, io: CliIO): Probe[] {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8');
  } catch {
    throw new UsageError(`--probes: cannot read ${path}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new UsageError(`--probes: ${path} is not JSON: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`);
  }
  if (!isRecord(raw) || !Array.isArray(raw['probes'])) throw new UsageError(`--probes: ${path} must hold {"probes": [...]}`);
  return (raw['probes'] as unknown[]).map((p, i) => readProbe(p, i));
}

export async function runExplain(parsed: ParsedArgs, io: CliIO): Promise<number> {
  const format = oneOf('--format', parsed.values.get('--format')?.[0], ['text', 'json'] as const, 'text');
  const one = (f: string): string | undefined => parsed.values.get(f)?.[0];
  const probesFile = one('--probes');
  let probes: Probe[];
  if (probesFile !== undefined) {
    for (const f of [
      '--from',
      '--to',
      '--port',
      '--protocol',
      '--via-service',
      '--via-ingress',
      '--via-gateway',
      '--host',
      '--path',
      '--grpc',
      '--sni',
      '--method',
      '--header',
      '--query',
    ]) {
      if (parsed.values.has(f)) throw new UsageError(`${f} cannot be combined with --probes`);
    }
    probes = readProbesFile(probesFile, io);
  } else {
    const to = one('--to');
    const viaIngress = one('--via-ingress');
    const viaService = one('--via-service');
    const viaGateway = one('--via-gateway');
    if (to === undefined) throw new UsageError('give --probes FILE, or --from EP --to EP --port N');
    let via: Via | undefined;
    let viaProtocol: string | undefined;
    if ([viaService, viaIngress, viaGateway].filter((v) => v !== undefined).length > 1)
      throw new UsageError('--via-service, --via-ingress and --via-gateway exclude each other');
    if (viaService !== undefined) {
      // ns/name:port or ns/name:port/PROTOCOL (a Service port is a port and a protocol).
      const m = /^([^/:]+\/[^/:]+):([^/]+)(?:\/([A-Za-z]+))?$/.exec(viaService);
      if (m === null) throw new UsageError(`--via-service expects ns/name:port or ns/name:port/PROTOCOL (got "${viaService}")`);
      const p = m[2] ?? '';
      via = { service: m[1] ?? '', port: /^\d+$/.test(p) ? Number(p) : p };
      const given = m[3]?.toUpperCase();
      const flag = one('--protocol');
      if (given !== undefined && flag !== undefined && given !== flag)
        throw new UsageError(`--via-service names protocol ${given} but --protocol is ${flag}`);
      viaProtocol = given;
    } else if (viaIngress !== undefined) {
      const host = one('--host');
      const path = one('--path');
      if (host === undefined || path === undefined) throw new UsageError('--via-ingress needs --host and --path');
      via = { ingress: viaIngress, host, path };
    } else if (viaGateway !== undefined) {
      const host = one('--host');
      const path = one('--path');
      const grpc = one('--grpc');
      const sni = one('--sni');
      if (!/^[^/]+\/[^/]+$/.test(viaGateway)) throw new UsageError(`--via-gateway expects ns/name (got "${viaGateway}")`);
      const portArg = one('--port');
      if (sni !== undefined || (host === undefined && path === undefined && grpc === undefined)) {
        if (host !== undefined || path !== undefined || grpc !== undefined)
          throw new UsageError('--sni (a TLS connection) excludes --host, --path and --grpc');
        if (sni === undefined && portArg === undefined)
          throw new UsageError(
            '--via-gateway needs --host with --path or --grpc, --sni (a TLS connection), or --port (a TCP or UDP connection)',
          );
        via = gatewayConnection(
          '--via-gateway',
          viaGateway,
          sni,
          portArg === undefined ? undefined : parsePort('--port', portArg),
          one('--protocol'),
        );
      } else if (host === undefined || (path === undefined) === (grpc === undefined))
        throw new UsageError('--via-gateway needs --host, and --path (an HTTPRoute request) or --grpc (a GRPCRoute call)');
      else {
        // --port: the HTTP or HTTPS listener's port (any when left out).
        const listenerPort = portArg === undefined ? {} : { port: parsePort('--port', portArg) };
        const headers = pairs('--header', parsed.values.get('--header') ?? [], ':');
        const query = pairs('--query', parsed.values.get('--query') ?? [], '=');
        if (grpc !== undefined && (one('--method') !== undefined || query !== undefined))
          throw new UsageError('--grpc (a gRPC call) takes --header, not --method or --query');
        via =
          grpc !== undefined
            ? { gateway: viaGateway, host, grpc: grpcCall('--grpc', grpc), ...listenerPort, ...(headers === undefined ? {} : { headers }) }
            : { gateway: viaGateway, host, path: path ?? '', ...listenerPort, ...details(one('--method'), headers, query, '--') };
      }
    }
    if (
      (viaGateway === undefined || via === undefined || 'connection' in via) &&
      ['--method', '--header', '--query'].some((f) => parsed.values.has(f))
    )
      throw new UsageError('--method, --header and --query go with --via-gateway and --host');
    if (
      via === undefined &&
      (one('--host') !== undefined || one('--path') !== undefined || one('--grpc') !== undefined || one('--sni') !== undefined)
    ) {
      throw new UsageError('--host and --path go with --via-ingress or --via-gateway (--grpc and --sni with --via-gateway)');
    }
    if (viaIngress !== undefined && (one('--grpc') !== undefined || one('--sni') !== undefined))
      throw new UsageError('--grpc and --sni go with --via-gateway');
    const from = one('--from');
    if (from === undefined && viaIngress === undefined && viaGateway === undefined) throw new UsageError('--from is required');
    const portText = one('--port');
    if (portText === undefined && via === undefined) throw new UsageError('--port is required');
    probes = [
      {
        from: from ?? (viaGateway !== undefined ? `{gateway:${viaGateway}}` : '{ingress-controller}'),
        to,
        port: portText === undefined ? undefined : parsePort('--port', portText),
        protocol: one('--protocol') ?? viaProtocol,
        via,
      },
    ];
  }
  const ws = await loadWorkspace(parsed.positionals, parsed, io);
  // With the checks' virtual pods, so the pods a diagnostic reasons about ({cluster-dns:NS}, …) can
  // be asked about; they never change a verdict between other endpoints.
  const analysis = ws.host.snapshot();
  const engine = new ReachEngine(analysis, diagnosticEngineOptions(ws.settings));
  // What the engine left out, and a Kustomize base outside the paths given (else its objects are missing without a word).
  for (const n of readableNotes(reachNotes(analysis, engine), [io.cwd])) io.stderr(`kube-reach: note: ${n}\n`);
  const results: ProbeResult[] = [];
  for (let i = 0; i < probes.length; i++) {
    const p = probes[i];
    if (p === undefined) continue;
    try {
      results.push(explainProbe(engine, p));
    } catch (e) {
      if (e instanceof ProbeError) throw new UsageError(`probe ${i + 1} (${p.from} -> ${p.to}): ${e.message}`);
      throw e;
    }
  }
  // A packed subchart's policy (charts/*.tgz): its archive and the path inside it.
  const packedPath = (uri: string): string | undefined => {
    const p = packedOf(analysis.index, uri);
    const path = p === undefined ? undefined : uriToPath(p.archive);
    return p === undefined || path === undefined ? undefined : `${relative(io.cwd, path).split(sep).join('/')}: ${p.inner}`;
  };
  const file = (uri: string): string => ws.displayPath.get(uri) ?? packedPath(uri) ?? uri;
  io.stdout(format === 'json' ? JSON.stringify(explainJson(results, file), null, 2) + '\n' : renderExplainText(probes, results, file));
  return 0;
}

export const explainCommand: CommandSpec = {
  name: 'explain',
  summary: 'Explain reachability verdicts, one probe or a file of them.',
  synopsis: '[paths…] (--probes FILE | --from EP --to EP --port N) [options]',
  flags: [
    { name: '--probes', value: 'FILE', help: 'a JSON/YAML file {"probes": [{from, to, port, protocol?, via?}]}' },
    { name: '--from', value: 'EP', help: "source endpoint, e.g. 'shop/frontend[Deployment]'" },
    { name: '--to', value: 'EP', help: 'destination endpoint' },
    { name: '--port', value: 'N', help: 'destination port' },
    { name: '--protocol', value: 'P', help: 'TCP (default), UDP or SCTP' },
    { name: '--via-service', value: 'NS/NAME:PORT', help: 'through a Service port' },
    { name: '--via-ingress', value: 'NS/NAME', help: 'through an Ingress (with --host and --path)' },
    {
      name: '--via-gateway',
      value: 'NS/NAME',
      help: 'a GET (--host, --path), a gRPC call (--host, --grpc), a TLS connection (--sni) or a TCP/UDP connection (--port, --protocol) through a Gateway API Gateway; with --host, --port picks the HTTP listener port',
    },
    { name: '--host', value: 'H', help: 'the request host' },
    { name: '--path', value: 'P', help: 'the request path' },
    { name: '--grpc', value: 'SERVICE/METHOD', help: 'with --via-gateway: a gRPC call, routed by GRPCRoutes' },
    { name: '--method', value: 'M', help: 'with --via-gateway and --path: the request method (default GET)' },
    {
      name: '--header',
      value: "'NAME: VALUE'",
      repeatable: true,
      help: 'with --via-gateway and --host: a request header (HTTPRoute and GRPCRoute header matches)',
    },
    { name: '--query', value: 'NAME=VALUE', repeatable: true, help: 'with --via-gateway and --path: a query parameter' },
    {
      name: '--sni',
      value: 'H',
      help: 'with --via-gateway: a TLS connection for server name H (to --port if given), routed by TLSRoutes (and TCPRoutes on a listener that terminates TLS); to a STUNner Gateway, its TURN-TLS listener (with --protocol UDP, DTLS: its TURN-DTLS listener), picked by port',
    },
    { name: '--format', value: 'text|json', help: 'output format (default text)' },
    ...WORKSPACE_FLAGS,
  ],
  details: 'Exit codes: 0 ok, 2 bad usage, an unknown endpoint or no manifest read.',
  run: runExplain,
};
