/**
 * `kube-reach check` against the contract of docs/dev/design.md §6, run in process on examples/ and on
 * temporary workspaces.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import type { CliRun } from '../support/cli.js';

const root = join(__dirname, '..', '..');

const run = (args: string[], cwd = root): Promise<CliRun> => runCli(args, cwd);

interface JsonDiag {
  file: string;
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function parseJson(out: string): JsonDiag[] {
  const v: unknown = JSON.parse(out);
  assert.ok(typeof v === 'object' && v !== null && 'diagnostics' in v && Array.isArray(v.diagnostics));
  return v.diagnostics as JsonDiag[];
}

describe('kube-reach check', () => {
  it('reports every deliberate mistake of examples/ and nothing else', async () => {
    const { code, out } = await run(['check', 'examples', '--format', 'json']);
    assert.equal(code, 1);
    const found = parseJson(out).map((d) => `${d.file} ${d.code}`);
    assert.deepEqual(found, [
      'examples/drafts/redis.yaml yaml-syntax',
      'examples/shop/catalog.yaml service-selector-no-match',
      'examples/shop/ingress.yaml ingress-backend-port-missing',
      'examples/shop/ingress.yaml ingress-backend-missing',
      'examples/shop/policies.yaml netpol-selects-nothing',
      'examples/shop/worker.yaml service-target-port-unknown',
    ]);
  });

  it('each example mistake sits on the line after its MISTAKE comment or under it', async () => {
    const { out } = await run(['check', 'examples', '--format', 'json']);
    const { readFileSync } = await import('node:fs');
    for (const d of parseJson(out)) {
      const lines = readFileSync(join(root, d.file), 'utf8').split('\n');
      const above = lines.slice(Math.max(0, d.range.start.line - 4), d.range.start.line).join('\n');
      assert.match(above, new RegExp(`MISTAKE \\(${d.code}\\)`), `${d.file}:${d.range.start.line + 1} ${d.code}`);
    }
  });

  it('text format is path:line:col: severity code: message, 1-based', async () => {
    const json = parseJson((await run(['check', 'examples', '--format', 'json'])).out);
    const text = (await run(['check', 'examples'])).out.trimEnd().split('\n');
    assert.equal(text.length, json.length);
    text.forEach((line, i) => {
      const d = json[i];
      assert.ok(d !== undefined);
      assert.equal(line, `${d.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`);
    });
  });

  it('SARIF results start at the JSON range start + 1', async () => {
    const json = parseJson((await run(['check', 'examples', '--format', 'json'])).out);
    const sarif = JSON.parse((await run(['check', 'examples', '--format', 'sarif'])).out) as {
      version: string;
      runs: Array<{
        columnKind: string;
        results: Array<{
          ruleId: string;
          level: string;
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
        }>;
      }>;
    };
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0]?.results ?? [];
    assert.equal(sarif.runs[0]?.columnKind, 'utf16CodeUnits');
    assert.equal(results.length, json.length);
    results.forEach((r, i) => {
      const d = json[i];
      const region = r.locations[0]?.physicalLocation.region;
      assert.ok(d !== undefined && region !== undefined);
      assert.equal(r.ruleId, d.code);
      assert.equal(region.startLine, d.range.start.line + 1);
      assert.equal(region.startColumn, d.range.start.character + 1);
    });
  });

  it('--fail-on decides the exit code; hints never fail', async () => {
    assert.equal((await run(['check', 'examples', '--fail-on', 'none'])).code, 0);
    assert.equal((await run(['check', 'examples/shop', '--fail-on', 'error'])).code, 0);
    assert.equal((await run(['check', 'examples/shop', '--fail-on', 'warning'])).code, 1);
  });

  it('--severity and --exclude change what is reported', async () => {
    const off = parseJson(
      (await run(['check', 'examples', '--format', 'json', '--severity', 'yaml-syntax=off', '--severity', 'netpol-selects-nothing=error']))
        .out,
    );
    assert.ok(!off.some((d) => d.code === 'yaml-syntax'));
    assert.equal(off.find((d) => d.code === 'netpol-selects-nothing')?.severity, 'error');
    const excluded = parseJson((await run(['check', 'examples', '--format', 'json', '--exclude', 'drafts/**'])).out);
    assert.ok(!excluded.some((d) => d.file.includes('drafts/')));
  });

  it('reads .kube-reach.yaml from the current folder and --config on top', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-reach-cfg-'));
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'bad.yaml'), 'kind: ConfigMap\na: [\n');
    writeFileSync(join(dir, '.kube-reach.yaml'), 'diagnostics:\n  severity:\n    yaml-syntax: warning\n');
    const viaFile = parseJson((await run(['check', 'm', '--format', 'json'], dir)).out);
    assert.equal(viaFile[0]?.severity, 'warning');
    assert.equal(viaFile[0]?.file, 'm/bad.yaml');
    writeFileSync(join(dir, 'strict.yaml'), 'severity:\n  yaml-syntax: "off"\n');
    assert.deepEqual(parseJson((await run(['check', 'm', '--format', 'json', '--config', 'strict.yaml'], dir)).out), []);
  });

  it('reports a note on a .fleetignore itself, named as the manifests are', async () => {
    // Outside every Fleet bundle, with bundles below it: they never read it (analysis/units/fleetIgnoreNotes.ts).
    const dir = mkdtempSync(join(tmpdir(), 'kube-reach-fleetignore-'));
    mkdirSync(join(dir, '.git'));
    for (const b of ['web', 'api']) {
      mkdirSync(join(dir, 'repo', b), { recursive: true });
      writeFileSync(join(dir, 'repo', b, 'fleet.yaml'), `defaultNamespace: ${b}\n`);
      writeFileSync(join(dir, 'repo', b, 'app.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${b}}\ndata: {a: b}\n`);
    }
    writeFileSync(join(dir, 'repo', '.fleetignore'), '*.bak\n');
    const found = parseJson((await run(['check', 'repo', '--format', 'json', '--fail-on', 'none'], dir)).out);
    assert.deepEqual(
      found.map((d) => [d.file, d.code, d.severity]),
      [['repo/.fleetignore', 'kustomize-build-problem', 'information']],
    );
  });

  it('exits 2 with a clear message on bad usage', async () => {
    const missing = await run(['check', 'no/such/dir']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file or folder: no\/such\/dir/);
    const flag = await run(['check', '--nope']);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /unknown option --nope/);
    assert.equal((await run(['check', '--format', 'xml'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);
    assert.equal((await run(['check', '--severity', 'yaml-syntax=loud'])).code, 2);
  });
});

describe('check --gateway-api-channel', () => {
  it('makes a field of the experimental channel only an error with standard, silent with experimental; a bad value is a usage error', async () => {
    const file = 'test/fixtures/checks/api-ignored-field/gateway-api.yaml';
    const channel = async (c: string): Promise<JsonDiag[]> => {
      const r = await run(['check', file, '--format', 'json', '--gateway-api-channel', c]);
      return (JSON.parse(r.out) as { diagnostics: JsonDiag[] }).diagnostics.filter((d) => d.code === 'api-ignored-field');
    };
    const standard = await channel('standard');
    assert.ok(standard.length >= 3);
    assert.ok(standard.every((d) => d.severity === 'error' && /strict decoding error: unknown field/.test(d.message)));
    assert.ok(standard.every((d) => d.message.endsWith('the cluster runs the standard channel: kubeReach.gatewayApi.channel: standard)')));
    assert.deepEqual(await channel('experimental'), []);
    const auto = await channel('auto');
    assert.equal(auto.length, standard.length);
    assert.ok(auto.every((d) => d.severity === 'information'));
    const bad = await run(['check', file, '--gateway-api-channel', 'beta']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--gateway-api-channel must be one of auto, standard, experimental \(got "beta"\)/);
  });
});
