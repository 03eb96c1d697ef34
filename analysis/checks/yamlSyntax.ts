/**
 * `yaml-syntax`: a YAML syntax error. The rest of the file still counts, but absence checks in the
 * same unit fall silent (a document that failed to parse may hold the missing object). A Go template
 * outside a chart, a file with `{Name}` placeholders a script fills in, or a Terraform template (`FileFacts.guessedTemplate`),
 * gets one information note instead.
 */

import type { Check } from './support/check.js';

/** A line that sets `apiVersion` or `kind` (at any depth, in a list item too). */
const MANIFEST_KEY = /^[ \t-]*["']?(?:apiVersion|kind)["']?[ \t]*:/m;
/** Files Kubernetes tools read whatever keys they hold: kustomizations, Helm's Chart.yaml and values files, templates. */
const TOOLING_FILE = /(?:^|\/)(?:kustomization\.ya?ml|Kustomization|Chart\.ya?ml|values[^/]*\.ya?ml|[^/]*\.tpl)$/;

export const yamlSyntax: Check = {
  code: 'yaml-syntax',
  defaultSeverity: 'error',
  summary: 'The file is not valid YAML at this point.',
  doc: [
    'The YAML parser stopped at this position. Kubernetes (and `kubectl apply`) will reject the whole file.',
    '',
    'Kube Reach still reads the documents it can, but checks that claim something is missing stay silent for',
    'the unit of this file, because the broken document may hold what they look for.',
    '',
    "**Fix:** correct the syntax; the message is the parser's.",
    '',
    'Duplicate keys in a map are errors. Keys are compared as kubectl sends them (as JSON strings, plain keys',
    'read as YAML 1.1), so `on:` and `true:` (both "true"), `yes:` and `y:`, `0755:` and `493:` (both "493") or',
    '`1:` and `"1":` in one map are one key, reported in go-yaml v2\'s strict wording: `key true already set in map:',
    'kubectl reads on and true as the same key "true" (YAML 1.1)`: the API server receives one of the values.',
    '',
    'A file that is not valid YAML as it stands but reads cleanly once its `{{ }}` actions are masked is a Go',
    "template outside a Helm chart (test fixtures, a generator's input): it is read as a template, its actions'",
    'values unknown, with one information note at the first error instead of an error per action. Add it to',
    '`kubeReach.templateGlobs` to say it is a template (the note goes away). Likewise a file that reads cleanly once',
    'its `{Name}`, printf or `@NAME@` placeholders are masked (`cidr: {IPv6}/128`, `secretName: %s`, `name: @STS_NAME@`, filled in by a test with a string replace, `fmt.Sprintf` or sed) gets',
    'one information note, and their values are unknown; so does a Terraform template (`templatefile`: lines of',
    '`%{ if … }`/`%{ endif }` directives, read as comments, `${…}` values unknown), and a Jinja or Liquid template (lines',
    'of `{% … %}` tags, such as a documentation snippet between `{% raw %}` and `{% endraw %}`, read as comments). A Carvel',
    'ytt template (a file that loads a `@ytt:` module or writes a value as `key: #@ expression`) is valid YAML whose',
    '`#@` comments ytt evaluates first: its annotated values are unknown (not nulls, so not "required" or "invalid"), and',
    'the map or list around an annotation line (`#@ if`, `#@ for`) is structurally unknown. A `.json` file that does not parse and holds no',
    'Kubernetes object (`tsconfig.json`, `.vscode/launch.json`: JSON with comments) gets one note instead of errors, and',
    "so does a YAML file with no `apiVersion:` or `kind:` line at all (a KEP's `kep.yaml` listing `- @handle` reviewers,",
    'a CI file): it is not a manifest. Kustomizations, Chart.yaml, values files and templates keep their errors.',
  ].join('\n'),
  run(ctx) {
    for (const f of ctx.files) {
      const g = f.guessedTemplate;
      if (g !== undefined) {
        ctx.report({
          uri: f.uri,
          span: g.span,
          message:
            g.placeholders === true
              ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its {Name}, %s or @NAME@ placeholders filled in: checked with their values unknown (a script or test replaces them before applying).`
              : g.terraform === true
                ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its Terraform %{ } directive lines left out: a Terraform template (templatefile), checked with its \${ } values unknown.`
                : g.jinja === true
                  ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its {% %} tag lines left out: a Jinja or Liquid template (a docs snippet between {% raw %} and {% endraw %}), checked as it reads.`
                  : `Not valid YAML as it stands (${g.message}), but it reads as a Go template: checked with its {{ }} actions' values unknown. If it is a template, add it to kubeReach.templateGlobs.`,
          confidence: 'no-evidence',
          severity: 'information',
        });
      }
      // A `.json` file that holds no Kubernetes object (tsconfig.json, .vscode/launch.json: JSON with
      // comments, which their tools accept) is not a manifest: one note, no errors.
      const first = f.syntaxErrors[0];
      if (first !== undefined && /\.json$/i.test(f.uri) && !f.objects.some((o) => o.kind !== '' && o.apiVersion !== '')) {
        ctx.report({
          uri: f.uri,
          span: first.span,
          message: `Not valid JSON (${first.message}) and no Kubernetes object in it (apiVersion and kind): not read as a manifest. A JSON-with-comments file such as tsconfig.json? Add it to kubeReach.exclude.`,
          confidence: 'no-evidence',
          severity: 'information',
        });
        continue;
      }
      // A YAML file with no `apiVersion:` or `kind:` key anywhere in its text (a KEP's kep.yaml
      // listing `@handle` reviewers, a CI or compose file) is not a manifest: one note, no errors.
      // Kustomizations, charts' Chart.yaml and values files are Kubernetes tooling's own: their errors stay.
      if (first !== undefined && f.objects.length === 0 && !TOOLING_FILE.test(f.uri) && !MANIFEST_KEY.test(ctx.text(f.uri) ?? 'kind:')) {
        ctx.report({
          uri: f.uri,
          span: first.span,
          message: `Not valid YAML (${first.message}) and no apiVersion or kind in it: not read as a Kubernetes manifest. If it is not one, add it to kubeReach.exclude.`,
          confidence: 'no-evidence',
          severity: 'information',
        });
        continue;
      }
      for (const e of f.syntaxErrors) {
        ctx.report({ uri: f.uri, span: e.span, message: e.message, confidence: 'definite', severity: 'error' });
      }
    }
  },
};
