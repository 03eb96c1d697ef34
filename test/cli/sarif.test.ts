/**
 * `kube-reach check --format sarif` is valid SARIF 2.1.0: validated against the official schema
 * (draft-04, shipped by @microsoft/jest-sarif) with ajv-draft-04, on examples/ and on every check
 * fixture folder, and every result starts at the JSON range start + 1.
 */

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv-draft-04';
import { runCli } from '../support/cli.js';

const root = join(__dirname, '..', '..');
const schema = JSON.parse(
  readFileSync(join(root, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
) as Record<string, unknown>;
// The official schema's "language" pattern is not valid in Unicode mode: compile patterns without it.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/'));
ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
const validate = ajv.compile(schema);

const run = async (args: string[]): Promise<string> => (await runCli(args, root)).out;

interface SarifRegion {
  startLine: number;
  startColumn: number;
}

describe('SARIF output', () => {
  it('the validator rejects a broken log (it can fail)', async () => {
    const log = JSON.parse(await run(['check', 'examples', '--format', 'sarif'])) as {
      runs: Array<{ results: Array<Record<string, unknown>> }>;
    };
    const first = log.runs[0]?.results[0];
    assert.ok(first !== undefined);
    first['level'] = 'fatal';
    assert.equal(validate(log), false);
  });

  const targets = ['examples', ...readdirSync(join(root, 'test/fixtures/checks')).map((d) => `test/fixtures/checks/${d}`)];
  for (const target of targets) {
    it(`${target}: valid against the SARIF 2.1.0 schema, positions equal JSON + 1`, async () => {
      const sarif: unknown = JSON.parse(await run(['check', target, '--format', 'sarif']));
      const ok = validate(sarif);
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3)));
      const json = JSON.parse(await run(['check', target, '--format', 'json'])) as {
        diagnostics: Array<{ code: string; range: { start: { line: number; character: number } } }>;
      };
      const results =
        (sarif as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: SarifRegion } }> }> }> })
          .runs[0]?.results ?? [];
      assert.equal(results.length, json.diagnostics.length);
      results.forEach((r, i) => {
        const d = json.diagnostics[i];
        const region = r.locations[0]?.physicalLocation.region;
        assert.ok(d !== undefined && region !== undefined);
        assert.equal(r.ruleId, d.code);
        assert.equal(region.startLine, d.range.start.line + 1);
        assert.equal(region.startColumn, d.range.start.character + 1);
      });
    });
  }
});
