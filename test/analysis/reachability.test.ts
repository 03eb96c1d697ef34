/**
 * Reachability fixtures (`test/fixtures/reachability/*.yaml`), one or more per rule of
 * docs/dev/netpol-semantics.md, named after the rule. Each fixture holds manifests plus header lines:
 *
 *   #! key: value                              a setting (kubeReach.*), e.g. `#! podCIDRs: []`
 *   #? FROM -> TO:PORT[/PROTOCOL]              a probe (explain)
 *   #? FROM -> TO via service NS/NAME:PORT[/PROTOCOL]   a probe through a Service port (number or name)
 *   #? FROM -> TO via ingress NS/NAME HOST PATH
 *   #? FROM -> TO via gateway NS/NAME HOST[:PORT] PATH   a GET through a Gateway API Gateway (to its HTTP listeners on PORT);
 *        after PATH: method=M, header=NAME:VALUE…, query=NAME=VALUE… (a request with them)
 *   #? FROM -> TO via gateway NS/NAME HOST[:PORT] grpc SERVICE/METHOD   a gRPC call through it (GRPCRoutes)
 *   #? FROM -> TO via gateway NS/NAME tls SNI[:PORT]   a TLS connection through it (TLSRoutes)
 *   #? FROM -> TO via gateway NS/NAME dtls SNI[:PORT]  a DTLS connection through it (STUNner's TURN-DTLS listeners)
 *   #? FROM -> TO via gateway NS/NAME tcp|udp PORT      a TCP or UDP connection through it (TCPRoutes, UDPRoutes)
 *   #? reach                                   the whole connection list (reach --format text)
 *   #? exposure                                the exposure analysis (reach --exposure, its part after the list)
 *   #- PATH                                    starts a file of the fixture's folder (test/support/fixture.ts)
 *
 * The expected output beside it (`*.expected.txt`) is rendered by the renderers the CLI uses;
 * `UPDATE_EXPECT=1` rewrites it.
 */

import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';
import type { Probe, ProbeResult } from '../../analysis/reachability/explain.js';
import { ProbeError, explainProbe, renderExplainText } from '../../analysis/reachability/explain.js';
import { computeReach } from '../../analysis/reachability/connectionList.js';
import { computeExposure } from '../../analysis/reachability/exposure.js';
import { renderExposureText } from '../../analysis/reachability/exposureRender.js';
import { renderText } from '../../analysis/reachability/render.js';
import { csvField } from '../../protocol/graphText.js';
import { parseFixture } from '../support/fixture.js';

const dir = join(__dirname, '..', 'fixtures', 'reachability');

function parseQuery(q: string): Probe | 'reach' | 'exposure' {
  if (q === 'reach' || q === 'exposure') return q;
  const arrow = q.indexOf(' -> ');
  assert.ok(arrow > 0, `bad query: ${q}`);
  const from = q.slice(0, arrow);
  let rest = q.slice(arrow + 4);
  const viaService = /^(\S+) via service (\S+\/[^:\s]+):([^/\s]+)(?:\/([A-Z]+))?$/.exec(rest);
  if (viaService !== null) {
    const p = viaService[3] ?? '';
    return {
      from,
      to: viaService[1] ?? '',
      port: undefined,
      protocol: viaService[4],
      via: { service: viaService[2] ?? '', port: /^\d+$/.test(p) ? Number(p) : p },
    };
  }
  const viaIngress = /^(\S+) via ingress (\S+) (\S+) (\S+)$/.exec(rest);
  if (viaIngress !== null) {
    return {
      from,
      to: viaIngress[1] ?? '',
      port: undefined,
      protocol: undefined,
      via: { ingress: viaIngress[2] ?? '', host: viaIngress[3] ?? '', path: viaIngress[4] ?? '' },
    };
  }
  const viaTls = /^(\S+) via gateway (\S+) (tls|dtls) ([^:\s]+)(?::(\d+))?$/.exec(rest);
  if (viaTls !== null) {
    return {
      from,
      to: viaTls[1] ?? '',
      port: undefined,
      protocol: undefined,
      via: {
        gateway: viaTls[2] ?? '',
        connection: viaTls[3] === 'dtls' ? 'DTLS' : 'TLS',
        sni: viaTls[4] ?? '',
        port: viaTls[5] === undefined ? undefined : Number(viaTls[5]),
      },
    };
  }
  const viaL4 = /^(\S+) via gateway (\S+) (tcp|udp) (\d+)$/.exec(rest);
  if (viaL4 !== null) {
    return {
      from,
      to: viaL4[1] ?? '',
      port: undefined,
      protocol: undefined,
      via: { gateway: viaL4[2] ?? '', connection: viaL4[3] === 'udp' ? 'UDP' : 'TCP', port: Number(viaL4[4]) },
    };
  }
  // Request details after the path or call: `method=POST`, `header=x-canary:1`, `query=v=2` (each header and query repeatable).
  const words = rest.split(' ');
  const extra = words.filter((w) => /^(method|header|query)=/.test(w));
  rest = words.filter((w) => !extra.includes(w)).join(' ');
  const headers = Object.fromEntries(
    extra.filter((w) => w.startsWith('header=')).map((w) => [w.slice(7, w.indexOf(':')), w.slice(w.indexOf(':') + 1)]),
  );
  const query = Object.fromEntries(
    extra.filter((w) => w.startsWith('query=')).map((w) => [w.slice(6, w.indexOf('=', 6)), w.slice(w.indexOf('=', 6) + 1)]),
  );
  const method = extra.find((w) => w.startsWith('method='))?.slice(7);
  const details = {
    ...(method === undefined ? {} : { method }),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(Object.keys(query).length > 0 ? { query } : {}),
  };
  const viaGrpc = /^(\S+) via gateway (\S+) ([^:\s]+)(?::(\d+))? grpc ([^/\s]+)\/(\S+)$/.exec(rest);
  if (viaGrpc !== null) {
    return {
      from,
      to: viaGrpc[1] ?? '',
      port: undefined,
      protocol: undefined,
      via: {
        gateway: viaGrpc[2] ?? '',
        host: viaGrpc[3] ?? '',
        grpc: { service: viaGrpc[5] ?? '', method: viaGrpc[6] ?? '' },
        ...(viaGrpc[4] === undefined ? {} : { port: Number(viaGrpc[4]) }),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      },
    };
  }
  const viaGateway = /^(\S+) via gateway (\S+) ([^:\s]+)(?::(\d+))? (\S+)$/.exec(rest);
  if (viaGateway !== null) {
    return {
      from,
      to: viaGateway[1] ?? '',
      port: undefined,
      protocol: undefined,
      via: {
        gateway: viaGateway[2] ?? '',
        host: viaGateway[3] ?? '',
        path: viaGateway[5] ?? '',
        ...(viaGateway[4] === undefined ? {} : { port: Number(viaGateway[4]) }),
        ...details,
      },
    };
  }
  const direct = /^(\S+):(\d+)(?:\/([A-Z]+))?$/.exec(rest);
  assert.ok(direct !== null, `bad query: ${q}`);
  return { from, to: direct[1] ?? '', port: Number(direct[2]), protocol: direct[3], via: undefined };
}

/** Runs every query of one fixture and renders the outputs like the CLI does. */
function check(name: string): void {
  const file = join(dir, name);
  const text = readFileSync(file, 'utf8');
  const settingsLines: string[] = [];
  const queries: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#! ')) settingsLines.push(line.slice(3));
    else if (line.startsWith('#? ')) queries.push(line.slice(3).trim());
  }
  assert.ok(queries.length > 0, `${name} has no #? query`);
  const { settings, problems } = readSettings(parseYaml(settingsLines.join('\n')) ?? {});
  assert.deepEqual(problems, [], `${name}: settings`);
  const host = new AnalysisHost(settings);
  // `#- path` lines split a fixture into files (a folder's layout matters: Go testdata folders).
  const fx = parseFixture(name.replace(/\.yaml$/, ''), text);
  if (fx.multi) for (const f of fx.files) host.setFile(f.uri, f.text);
  else host.setFile(`file:///fixtures/${name}`, text);
  const snapshot = host.snapshot();
  const engine = new ReachEngine(snapshot, optionsFromSettings(settings));
  const out: string[] = [];
  const shortName = (u: string): string => u.slice(u.lastIndexOf('/') + 1);
  for (const q of queries) {
    const parsed = parseQuery(q);
    out.push(`#? ${q}\n`);
    if (parsed === 'reach') {
      out.push(renderText(engine.space, computeReach(engine)));
      continue;
    }
    if (parsed === 'exposure') {
      const exposure = computeExposure(snapshot, optionsFromSettings(settings), engine);
      out.push(renderExposureText(exposure.engine.space, exposure));
      continue;
    }
    let result: ProbeResult;
    try {
      result = explainProbe(engine, parsed);
    } catch (e) {
      if (!(e instanceof ProbeError)) throw e;
      out.push(`error: ${e.message}\n`);
      continue;
    }
    out.push(renderExplainText([parsed], [result], shortName));
  }
  if (engine.notes.length > 0) out.push(`notes:\n${engine.notes.map((n) => `  ${n}\n`).join('')}`);
  const actual = out.join('');
  const expectedFile = file.replace(/\.yaml$/, '.expected.txt');
  if (process.env['UPDATE_EXPECT'] === '1') {
    writeFileSync(expectedFile, actual);
    return;
  }
  assert.ok(existsSync(expectedFile), `${expectedFile} is missing (run with UPDATE_EXPECT=1 and review it)`);
  assert.equal(actual, readFileSync(expectedFile, 'utf8'));
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

test('every reachability fixture has its expectation', () => {
  assert.ok(fixtures.length > 0);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.expected.txt'))) {
    assert.ok(fixtures.includes(f.replace(/\.expected\.txt$/, '.yaml')), `${f} has no fixture`);
  }
});

for (const f of fixtures) test(`reachability: ${f}`, () => check(f));

test('CSV cells are quoted and never start a spreadsheet formula (same rule as the panel export)', () => {
  assert.equal(csvField('prod/api'), 'prod/api');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=SUM(A1)'), `"'=SUM(A1)"`);
  assert.equal(csvField('-1+2'), `"'-1+2"`);
});
