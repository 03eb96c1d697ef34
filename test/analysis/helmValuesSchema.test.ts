/**
 * values.schema.json as Helm checks it (analysis/render/helm/schema/, valuesSchema.ts):
 * test/fixtures/helm/values-schema/cases.yaml lists schemas, values and the lines Helm prints, in the
 * wording of santhosh-tekuri/jsonschema v6 (Helm v3.18.5+ and v4); a chart and its subchart are
 * checked each against their own part of the values, and a refused chart renders nothing.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { compileSchema } from '../../analysis/render/helm/schema/compile.js';
import { validate, violationLines } from '../../analysis/render/helm/schema/validate.js';
import { fromYamlValue } from '../../analysis/render/helm/template/index.js';
import { loadChart } from '../../analysis/render/helm/chart.js';
import { renderChart } from '../../analysis/render/helm/render.js';
import { parseSet } from '../../analysis/render/helm/values.js';
import { AnalysisHost } from '../../analysis/index.js';
import { parseFixture } from '../support/fixture.js';
import type { Values } from '../../analysis/render/helm/values.js';

interface Case {
  readonly name: string;
  readonly schema: unknown;
  readonly values: unknown;
  readonly errors: string | null;
}

const cases = parse(readFileSync(join(__dirname, '..', 'fixtures', 'helm', 'values-schema', 'cases.yaml'), 'utf8')) as Case[];

describe('values.schema.json validation', () => {
  for (const c of cases) {
    it(c.name, () => {
      const schema = compileSchema(c.schema);
      assert.ok(schema !== undefined);
      const o = validate(schema, fromYamlValue(c.values));
      const lines = o.error === undefined ? null : violationLines(o.error.kind === 'group' ? o.error.causes : [o.error]);
      assert.equal(lines, c.errors);
      if (c.name.startsWith('unknown')) assert.equal(o.unknown, true);
    });
  }
});

describe("a chart's and its subcharts' schemas", () => {
  const files = new Map([
    ['Chart.yaml', 'apiVersion: v2\nname: parent\nversion: 0.1.0\ndependencies:\n  - name: child\n    version: 0.1.0\n    alias: kid\n'],
    ['values.yaml', 'firstname: John\n'],
    ['values.schema.json', '{"$schema": "http://json-schema.org/draft-07/schema#", "required": ["firstname", "lastname"]}'],
    ['templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.firstname }}\n'],
    ['charts/child/Chart.yaml', 'apiVersion: v2\nname: child\nversion: 0.1.0\n'],
    ['charts/child/values.yaml', 'age: 1\n'],
    ['charts/child/values.schema.json', '{"properties": {"age": {"type": "integer", "minimum": 0}}, "required": ["age"]}'],
  ]);
  const render = (...sets: string[]): ReturnType<typeof renderChart> => {
    const chart = loadChart(files);
    assert.ok(chart !== undefined);
    const values: Values = new Map();
    for (const s of sets) assert.equal(parseSet(s, values), undefined);
    return renderChart(chart, { values });
  };

  it('names each chart that fails, the subchart by its alias, and renders nothing', () => {
    const r = render('kid.age=-25');
    assert.equal(
      r.schema.message,
      "values don't meet the specifications of the schema(s) in the following chart(s):\nparent:\n- at '': missing property 'lastname'\nkid:\n- at '/age': minimum: got -25, want 0\n",
    );
    assert.deepEqual(r.templates, []);
    assert.deepEqual(r.manifests, []);
  });

  it('renders as before when every schema passes', () => {
    const r = render('lastname=Doe');
    assert.equal(r.schema.message, undefined);
    assert.deepEqual(
      r.manifests.map((m) => m.content),
      ['apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: John\n'],
    );
  });

  it('a null over a default removes it, as Helm coalesces values before the check', () => {
    const r = render('lastname=Doe', 'kid.age=null');
    assert.equal(
      r.schema.message,
      "values don't meet the specifications of the schema(s) in the following chart(s):\nkid:\n- at '': missing property 'age'\n",
    );
  });
});

describe('an edit of values.schema.json', () => {
  it("re-checks the values file it judges (equal to a fresh host's), and a schema that accepts the values brings the templates' findings back", () => {
    const path = join(__dirname, '..', 'fixtures', 'checks', 'helm-values-schema', 'refused.yaml');
    const fx = parseFixture('helm-values-schema/refused', readFileSync(path, 'utf8'));
    const seen = (h: AnalysisHost): string[] => {
      const snap = h.snapshot();
      return fx.files.flatMap((f) => snap.diagnosticsFor(f.uri).map((d) => `${f.path} ${d.code} ${d.span.start}`));
    };
    const host = new AnalysisHost();
    for (const f of fx.files) host.setFile(f.uri, f.text);
    const before = seen(host);
    const schema = fx.files.find((f) => f.path === 'web/values.schema.json');
    assert.ok(schema !== undefined);
    const loosened = schema.text.replace('"minimum": 1', '"minimum": 0');
    assert.notEqual(loosened, schema.text);
    host.setFile(schema.uri, loosened);
    const fresh = new AnalysisHost();
    for (const f of fx.files) fresh.setFile(f.uri, f === schema ? loosened : f.text);
    assert.deepEqual(seen(host), seen(fresh));
    assert.equal(seen(host).length, before.length - 1);
    for (const f of fx.files) if (f.path.endsWith('values.schema.json')) host.setFile(f.uri, '{}');
    const after = seen(host);
    assert.ok(!after.some((l) => l.includes('helm-values-schema')), after.join('\n'));
    assert.ok(
      after.some((l) => l.startsWith('web/templates/service.yaml api-invalid-port')),
      after.join('\n'),
    );
  });
});

describe("a schema its draft's metaschema refuses (the library's compile error)", () => {
  const render = (schema: string): ReturnType<typeof renderChart> => {
    const chart = loadChart(
      new Map([
        ['Chart.yaml', 'apiVersion: v2\nname: mychart\nversion: 0.1.0\n'],
        ['values.yaml', 'port: 80\n'],
        ['values.schema.json', schema],
        ['templates/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'],
      ]),
    );
    assert.ok(chart !== undefined);
    return renderChart(chart);
  };
  const head = "values don't meet the specifications of the schema(s) in the following chart(s):\nmychart:\n";
  const refused = (url: string): string =>
    `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with '${url}'\n`;

  it("prints Helm's own test case: a root that is a number (test-values-invalid.schema.json)", () => {
    const r = render('   1E1111111           \n');
    assert.equal(
      r.schema.message,
      `${head}${refused('https://json-schema.org/draft/2020-12/schema#')}- at '': got number, want boolean or object`,
    );
    assert.deepEqual(r.manifests, []);
  });

  it("follows each draft's metaschema: type names, required as a list of strings, counts, subschemas", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      [
        '{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"port": {"type": "int"}}}',
        `${refused('http://json-schema.org/draft-07/schema#')}- at '/properties/port/type': anyOf failed\n  - at '/properties/port/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'\n  - at '/properties/port/type': got string, want array`,
      ],
      [
        '{"$schema": "http://json-schema.org/draft-07/schema#", "required": true, "properties": {"a": {"minLength": "5"}, "b": {"required": ["x", 1]}}}',
        `${refused('http://json-schema.org/draft-07/schema#')}- at '/required': got boolean, want array\n- at '/properties': validation failed\n  - at '/properties/a/minLength': allOf failed\n    - at '/properties/a/minLength': got string, want integer\n  - at '/properties/b/required/1': got number, want string`,
      ],
      [
        '{"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"port": {"type": "integer", "required": true}}}',
        `${refused('http://json-schema.org/draft-04/schema#')}- at '/properties/port/required': got boolean, want array`,
      ],
      [
        '{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"name": {"type": "string", "pattern": "^(?!-)[a-z-]+$"}}}',
        `${refused('http://json-schema.org/draft-07/schema#')}- at '/properties/name/pattern': '^(?!-)[a-z-]+$' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: \`(?!\``,
      ],
      [
        '{"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"port": true}}',
        `${refused('http://json-schema.org/draft-04/schema#')}- at '/properties/port': got boolean, want object`,
      ],
      [
        '{"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "required": true}',
        `${refused('https://json-schema.org/draft/2019-09/schema#')}- at '': allOf failed\n  - at '/required': got boolean, want array`,
      ],
      [
        // 2019-09's applicator: `items` one schema or a tuple, `additionalItems` a schema.
        '{"$schema": "https://json-schema.org/draft/2019-09/schema", "properties": {"list": {"items": [{"type": "object"}], "additionalItems": 3}}}',
        `${refused('https://json-schema.org/draft/2019-09/schema#')}- at '': allOf failed\n  - at '/properties/list': allOf failed\n    - at '/properties/list/additionalItems': got number, want boolean or object`,
      ],
      [
        '{"properties": {"port": {"type": "int"}}, "required": "port"}',
        `${refused('https://json-schema.org/draft/2020-12/schema#')}- at '': allOf failed\n  - at '/properties/port': allOf failed\n    - at '/properties/port/type': anyOf failed\n      - at '/properties/port/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'\n      - at '/properties/port/type': got string, want array\n  - at '/required': got string, want array`,
      ],
    ];
    for (const [schema, message] of cases) {
      const r = render(schema);
      assert.equal(r.schema.message, head + message, schema);
      assert.deepEqual(r.manifests, [], schema);
    }
  });

  it("names a pattern Go refuses in 2019-09 and 2020-12 as the library's compiler does (InvalidRegexError)", () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      [
        '{"properties": {"tag": {"type": "string", "pattern": "^v(?=[0-9])"}}}',
        'invalid regex "^v(?=[0-9])" at "file:///values.schema.json#/properties/tag/pattern": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
      ],
      [
        // patternProperties first (the applicator vocabulary), a property name path-escaped, `\\` in Go's %q.
        '{"$schema": "https://json-schema.org/draft/2019-09/schema", "properties": {"my key": {"patternProperties": {"a(?=b)": {}}, "pattern": "\\\\1"}}}',
        'invalid regex "a(?=b)" at "file:///values.schema.json#/properties/my%20key/patternProperties": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
      ],
      [
        '{"$schema": "https://json-schema.org/draft/2019-09/schema", "properties": {"x": {"pattern": "\\\\1"}}}',
        'invalid regex "\\\\1" at "file:///values.schema.json#/properties/x/pattern": error parsing regexp: invalid escape sequence: `\\1`',
      ],
      [
        '{"$defs": {"used": {"pattern": "a{1001}"}}, "properties": {"a": {"$ref": "#/$defs/used"}}}',
        'invalid regex "a{1001}" at "file:///values.schema.json#/$defs/used/pattern": error parsing regexp: invalid repeat count: `{1001}`',
      ],
    ];
    for (const [schema, message] of cases) {
      const r = render(schema);
      assert.equal(r.schema.message, head + message, schema);
      assert.deepEqual(r.manifests, [], schema);
    }
  });

  it('passes schemas their metaschema accepts, and drafts it does not check', () => {
    for (const schema of [
      '{"$schema": "http://json-schema.org/draft-07/schema#", "required": [], "properties": {"port": {"type": ["integer", "null"], "enum": [80, null]}}}',
      '{"$schema": "http://json-schema.org/draft-06/schema#", "properties": {"port": {"type": "integer", "minimum": 1, "maxLength": 3}}}',
      '{"$schema": "http://json-schema.org/draft-07/schema#", "properties": {"name": {"pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}, "v": {"pattern": "(?<=v)1"}}}',
      '{"$defs": {"p": {"type": "object"}}, "properties": {"a": {"$ref": "#/$defs/p"}}, "allOf": [true], "required": ["port"]}',
      '{"$schema": "https://json-schema.org/draft/2019-09/schema", "type": "object", "required": ["port"], "properties": {"l": {"items": [true, {"type": "array"}]}}}',
      // 2019-09 and 2020-12 assert no format in the metaschema, and the compiler reads reachable subschemas only.
      '{"$schema": "https://json-schema.org/draft/2019-09/schema", "properties": {"v": {"pattern": "(?<=v)1"}}, "$defs": {"unused": {"pattern": "(?=x)"}}}',
      'true',
    ])
      assert.equal(render(schema).schema.message, undefined, schema);
  });
});
