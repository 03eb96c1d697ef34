/**
 * `helm-value-required`: a value a chart needs at install time that its values do not give
 * (units/helmNeeded.ts). Either a template stops on `required`/`fail` (Helm's `execution error at
 * (…)`, and nothing is installed), or the chart renders but an empty default makes what a template
 * writes invalid (an empty name, `release-name-`): the API server's findings that vanish once the
 * value is given are folded into this one finding, which names the value.
 */

import type { Check } from './support/check.js';
import { reportRenderFindings } from './support/helmRenderFindings.js';

export const helmValueRequired: Check = {
  code: 'helm-value-required',
  defaultSeverity: 'information',
  summary: 'A chart needs a value at install time that its values leave empty, so `helm install` fails.',
  doc: [
    "Many charts leave a value to the installer: a queue name, a version, a URL. With the chart's defaults",
    '`helm template` and `helm install` then either stop where a template calls `required` or `fail`',
    '(*execution error at (chart/templates/x.yaml:5:11): …*), or render objects the API server refuses',
    '(a name written from an empty value: `release-name-`, or no name at all).',
    '',
    "Kube Reach reports this once per chart and value, in Helm's words where Helm stops, on the values.yaml",
    'entry the chart reads (else on the template): the one the failing call reads, else the one the',
    'conditions around it read (`{{ if not .Values.x }}{{ fail "…" }}{{ end }}` sits on `x`). For invalid',
    'objects it renders the chart again with the',
    'empty values given: the API findings that then vanish, on objects the template still writes, are the',
    'chart asking for that value. They are folded into this finding (listed as related information) instead',
    'of being reported one by one, and the finding names the value that makes them vanish.',
    '',
    'The values are found as the templates read them: written out (`.Values.a.b`, `$.Values.a.b`), through',
    '`index .Values "a" "b"`, `get`, `dig`, a variable (`$a := .Values.a` then `$a.b`), `with .Values.a` then',
    "`.b`, and in subcharts (a subchart's `.Values.b` is the parent's `<subchart>.b`, its `.Values.global.b`",
    "the parent's `global.b`); the finding sits on the entry of the parent's values.yaml, else of the",
    "subchart's own (for a packed `charts/*.tgz` subchart, whose files are not analysed, on the parent's",
    'section for that subchart, `<subchart>:`). A value read inside a list (`range .Values.items`) or',
    'through a copy (`deepCopy`) has',
    'no path a values file could set alone: its API findings stay as they are.',
    '',
    "With the chart's own defaults alone (no values file, no `--set`) this is information: the chart asks",
    "the installer for the value. With values given (`kubeReach.helm.valueFiles`, the CLI's `--values` or",
    '`--set`), a `required` or `fail` stop is an error: `helm install` with those values fails.',
    '',
    '```yaml',
    '# templates/deployment.yaml',
    'metadata:',
    '  name: {{ .Release.Name }}-{{ .Values.version }}   # values.yaml has no `version`',
    '```',
    '',
    '**Fix:** give the value in a values file or with `--set` (or a default in values.yaml).',
  ].join('\n'),
  run(ctx) {
    reportRenderFindings(ctx, 'needed');
  },
};
