/**
 * One settings definition (analysis/settingsSchema.ts): package.json's contributions and the
 * `.kube-reach.yaml` schema are generated from it (`npm run docs`), the analysis defaults equal its
 * defaults, the CLI accepts exactly its keys, and the schema enumerates the check codes. Also the
 * `$kube-reach` problem matcher reads `kube-reach check` text output.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import Ajv from 'ajv';
import { CHECKS, DEFAULT_SETTINGS, readSettings } from '../../analysis/index.js';
import { SETTINGS } from '../../analysis/settingsSchema.js';
import { runCli as run } from '../support/cli.js';
import { configFileSchema, contributedProperties, SCHEMA_PATH } from '../../scripts/settingsSchema.js';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    configuration: { properties: Record<string, unknown> };
    yamlValidation: Array<{ fileMatch: string; url: string }>;
    problemMatchers: Array<{
      name: string;
      pattern: { regexp: string; file: number; line: number; column: number; severity: number; code: number; message: number };
    }>;
  };
};

it('package.json settings and schemas/kube-reach.schema.json equal their generated forms (npm run docs)', () => {
  assert.deepEqual(pkg.contributes.configuration.properties, contributedProperties());
  assert.deepEqual(JSON.parse(readFileSync(join(root, SCHEMA_PATH), 'utf8')), configFileSchema());
  assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: '.kube-reach.yaml', url: `./${SCHEMA_PATH}` }]);
});

it("the analysis defaults equal the definition's defaults", () => {
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    const setting = key === 'severity' ? 'diagnostics.severity' : key;
    if (SETTINGS[setting] === undefined && (key === 'helm' || key === 'gatewayApi')) {
      // A group of dotted settings (`helm.valueFiles`, …): each member is defined with its default.
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) {
        assert.ok(SETTINGS[`${key}.${sub}`] !== undefined, `${key}.${sub} is defined`);
        assert.deepEqual(SETTINGS[`${key}.${sub}`]?.default, v, `${key}.${sub}`);
      }
      continue;
    }
    assert.ok(SETTINGS[setting] !== undefined, `${key} is defined`);
    assert.deepEqual(SETTINGS[setting]?.default, value, key);
  }
});

it('kubeReach.helm.* settings are narrowed: nested or flat, a single file for a list, bad values reported and ignored', () => {
  const ok = readSettings({ helm: { valueFiles: { 'charts/*': ['a.yaml', 'b.yaml'], 'charts/one.x': 'c.yaml' }, releaseName: 'shop' } });
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(ok.settings.helm, {
    valueFiles: { 'charts/*': ['a.yaml', 'b.yaml'], 'charts/one.x': ['c.yaml'] },
    releaseName: 'shop',
    namespace: '',
  });
  assert.equal(readSettings({ 'kubeReach.helm.namespace': 'prod' }).settings.helm.namespace, 'prod');
  const bad = readSettings({ helm: { valueFiles: ['a.yaml'], releaseName: 'Shop_1' } });
  assert.equal(bad.problems.length, 2, bad.problems.join('; '));
  assert.deepEqual(bad.settings.helm, DEFAULT_SETTINGS.helm);
});

it('the schema enumerates every check code under severity, and validates like the CLI', async () => {
  const schema = configFileSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
  for (const c of CHECKS) assert.ok(schema.properties['severity']?.properties?.[c.code] !== undefined, c.code);
  const validate = new Ajv({ strict: false }).compile(schema);
  const dir = mkdtempSync(join(tmpdir(), 'kube-reach-schema-'));
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n');
  const cases: Array<[Record<string, unknown>, boolean]> = [
    [{ severity: { 'yaml-syntax': 'warning' } }, true],
    [{ diagnostics: { severity: { 'service-selector-no-match': 'off' } }, exclude: ['x/**'], kubernetesVersion: '1.30' }, true],
    [{ severity: { 'no-such-check': 'off' } }, false],
    [{ exlude: [] }, false],
    [{ 'trace.server': 'verbose' }, false],
    [{ helm: { valueFiles: { 'charts/*': ['prod.yaml'] }, releaseName: 'shop' } }, true],
    [{ 'helm.namespace': 'shop' }, true],
    [{ helm: { valuesFiles: {} } }, false],
  ];
  for (const [config, ok] of cases) {
    assert.equal(validate(config), ok, `schema: ${JSON.stringify(config)}`);
    writeFileSync(join(dir, '.kube-reach.yaml'), JSON.stringify(config));
    const r = await run(['check', 'a.yaml'], dir);
    assert.equal(r.code === 2, !ok, `cli: ${JSON.stringify(config)} → ${r.code} ${r.err}`);
  }
});

it("the $kube-reach problem matcher reads every line of check's text output", async () => {
  const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'kube-reach');
  assert.ok(matcher !== undefined);
  const re = new RegExp(matcher.pattern.regexp);
  const json = (
    JSON.parse((await run(['check', 'examples', '--format', 'json'], root)).out) as {
      diagnostics: Array<{ file: string; code: string; severity: string; range: { start: { line: number; character: number } } }>;
    }
  ).diagnostics;
  const lines = (await run(['check', 'examples'], root)).out.trimEnd().split('\n');
  assert.equal(lines.length, json.length);
  lines.forEach((l, i) => {
    const m = re.exec(l);
    const d = json[i];
    assert.ok(m !== null && d !== undefined, l);
    const p = matcher.pattern;
    assert.equal(m[p.file], d.file);
    assert.equal(Number(m[p.line]), d.range.start.line + 1);
    assert.equal(Number(m[p.column]), d.range.start.character + 1);
    assert.equal(m[p.severity], d.severity);
    assert.equal(m[p.code], d.code);
  });
});
