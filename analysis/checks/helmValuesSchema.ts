/**
 * `helm-values-schema`: values a chart's values.schema.json refuses (analysis/render/helm/valuesSchema.ts,
 * units/helmSchema.ts). `helm template`, `install` and `upgrade` validate the merged values against
 * the chart's schema and each enabled subchart's before rendering, and stop with "values don't meet
 * the specifications of the schema(s)": nothing of the chart is installed, so its templates' findings
 * are not reported either (the chart renders nothing here, and counts as unknown for absence findings).
 */

import type { Check } from './support/check.js';
import { reportRenderFindings } from './support/helmRenderFindings.js';

export const helmValuesSchema: Check = {
  code: 'helm-values-schema',
  defaultSeverity: 'error',
  summary: "A chart's values.schema.json refuses its values, so Helm renders and installs nothing.",
  doc: [
    "Helm checks a chart's values against the chart's `values.schema.json` (JSON Schema) before it renders",
    "anything, and each enabled subchart's values against that subchart's schema. When a value breaks the",
    "schema, `helm template`, `helm install` and `helm upgrade` stop with *values don't meet the",
    'specifications of the schema(s) in the following chart(s)*. Kube Reach runs the same check, with the',
    "values it renders the chart with (values.yaml, `kubeReach.helm.valueFiles`, the CLI's `--values` and",
    "`--set`), and reports each violation in Helm's words on the values entry that set it (the highest",
    'values file that has it; a missing required property on the map that lacks it). The chart then renders',
    "nothing, as in Helm: its templates' findings are not reported, and checks that claim something is",
    "missing stay silent about what the chart would have installed. When only the chart's own defaults are given",
    '(no values file, no `--set`), a required property they leave out or an empty default (`""`, `~`, `[]`, `{}`)',
    "is a value the chart asks the installer for, as a template's `required` does: information, not an error.",
    '',
    'Schemas are read as Helm v3.18.5+ and v4 read them (santhosh-tekuri/jsonschema v6): draft-04 to 2020-12',
    'by `$schema` (2020-12 without it), `format` checked in drafts before 2019-09 only. A part of a schema',
    'that cannot be decided offline (a `$ref` to another document, which Helm would download; a pattern',
    'Go and JavaScript may read differently; a format not followed here) is never reported as a failure.',
    'A schema that is not valid JSON Schema for its draft (a `type` of `int`, `required: true` on a property, a',
    "count given as a string, before 2019-09 a `pattern` Go's regular expressions refuse, such as a look-ahead",
    "`(?=`) makes Helm refuse the chart's values whatever they are: reported on the",
    "schema's entry in values.schema.json, in the words of the validator's metaschema check.",
    '',
    '```yaml',
    '# values.schema.json: {"properties": {"replicaCount": {"type": "integer", "minimum": 1}}}',
    "replicaCount: 0    # error: … at '/replicaCount': minimum: got 0, want 1",
    '```',
    '',
    '**Fix:** change the value (or the values file that sets it) to what the schema allows, or correct the schema.',
  ].join('\n'),
  run(ctx) {
    reportRenderFindings(ctx, 'schema');
  },
};
