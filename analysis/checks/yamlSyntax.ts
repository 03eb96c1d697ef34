/**
 * `yaml-syntax`: a YAML syntax error. The rest of the file still counts, but absence checks in the
 * same unit fall silent (a document that failed to parse may hold the missing object). A Go template
 * outside a chart, a file with `{Name}` placeholders a script fills in, a Terraform, Jinja or FreeMarker template
 * (`FileFacts.guessedTemplate`), gets one information note instead.
 */

import type { Check } from './support/check.js';
import type { Span } from '../types.js';
import type { FileFacts } from '../model/types.js';
import { hasFreemarkerDirective } from '../syntax/freemarkerTemplate.js';

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
    'In a Helm template the rendered output is judged, on the template line that wrote the broken text. Where',
    'that text is `%!s(<nil>)` (Go\'s fmt prints it for a nil value: `printf "%s/%s" .Values.image.repository …`',
    'with `image.repository` unset), the message names the unset values the action reads: *the template wrote',
    '`%!s(<nil>)` here (…) because `.Values.image.repository` is not set in the values*. Inside quotes (`image:',
    '"{{ printf "%s/%s" .Values.image.repository … }}"`) or inside a value, YAML reads it as text and the object is',
    "applied with it: the same words, as a warning (information when only the chart's defaults were given: the chart",
    'may leave the value to the installer; once `helm-value-required` names the value, once).',
    '',
    'Duplicate keys in a map are errors, the key named: `Map keys must be unique: "helm.sh/chart" twice in this map',
    '(kubectl: key "helm.sh/chart" already set in map)` (a chart\'s label helper that includes another one writing the',
    'same labels). Keys are compared as kubectl sends them (as JSON strings, plain keys',
    'read as YAML 1.1), so `on:` and `true:` (both "true"), `yes:` and `y:`, `0755:` and `493:` (both "493") or',
    '`1:` and `"1":` in one map are one key, reported in go-yaml v2\'s strict wording: `key true already set in map:',
    'kubectl reads on and true as the same key "true" (YAML 1.1)`: the API server receives one of the values.',
    '',
    'A file that is not valid YAML as it stands but reads cleanly once its `{{ }}` actions are masked is a Go',
    "template outside a Helm chart (test fixtures, a generator's input): it is read as a template, its actions'",
    'values unknown, with one information note at the first error instead of an error per action. Add it to',
    '`kubeReach.templateGlobs` to say it is a template (the note goes away). When such a template has `if`/`range`/`else`',
    'actions and the masked reading explains most errors but not all (its branches, read at once, write different YAML:',
    'an `else` that fails on purpose, two `if`s that indent one list differently), the note stands on the line where the',
    'masked reading still stumbles, and only a render can tell which branch writes. Likewise a file that reads cleanly once',
    'its `{Name}`, printf, `@NAME@`, `%NAME%` or `%%%` placeholders are masked (`cidr: {IPv6}/128`, `secretName: %s`, `name: @STS_NAME@`, `value: %PASSWORD%`, `namespace: %%%`, filled in by a test with a string replace, `fmt.Sprintf` or sed) gets',
    'one information note, and their values are unknown; so does a template repository a CLI fills in whose lines hold only a',
    "`<NAME>` placeholder where mapping entries go (kubefirst's `<CERT_MANAGER_ISSUER_ANNOTATION_1>` under `annotations:`),",
    "read with those keys left out and their maps' keys unknown; so does a Terraform template (`templatefile`: lines of",
    '`%{ if … }`/`%{ endif }` directives, read as comments, `${…}` values unknown), a FreeMarker template (`*.ftl.yaml`:',
    'lines of `<#if>`, `<#list>`, `<#assign>` directives and `<#-- -->` comments, read as comments, `${…}` values with',
    "FreeMarker's built-ins such as `${port?c}` unknown), and a Jinja or Liquid template (lines",
    'of `{% … %}` tags, such as a documentation snippet between `{% raw %}` and `{% endraw %}`, read as comments). A Carvel',
    'ytt template (a file that loads a `@ytt:` module or writes a value as `key: #@ expression`) is valid YAML whose',
    '`#@` comments ytt evaluates first: its annotated values are unknown (not nulls, so not "required" or "invalid"), and',
    'the map or list around an annotation line (`#@ if`, `#@ for`) is structurally unknown. A `.json` file that does not parse and holds no',
    'Kubernetes object (`tsconfig.json`, `.vscode/launch.json`: JSON with comments) gets one note instead of errors, and',
    "so does a YAML file with no `apiVersion:` or `kind:` line at all (a KEP's `kep.yaml` listing `- @handle` reviewers,",
    'a CI file): it is not a manifest. A FreeMarker template that does not parse even with its directive lines read as',
    'comments (a directive inside a line) gets one note too: a generator renders it before anything applies',
    'it. Kustomizations, Chart.yaml, values files and templates keep their errors.',
    '',
    'One broken line makes the parser stumble on the lines after it: per YAML document, the first error is reported',
    'with the number of errors after it (kubectl, too, stops at the first: `error parsing FILE: error converting YAML to',
    'JSON: yaml: line N: …`); duplicate keys and unknown anchors stand alone and are each reported. When the document',
    'starts with a line of plain text (`$ kubectl apply -f …`: a shell script or notes named `.yaml`), the error says so:',
    'kubectl reads such a document as a string, not an object (`error validating data: invalid object to validate`).',
  ].join('\n'),
  run(ctx) {
    for (const f of ctx.files) {
      const g = f.guessedTemplate;
      if (g !== undefined) {
        ctx.report({
          uri: f.uri,
          span: g.maskedError?.span ?? g.span,
          message:
            g.maskedError !== undefined
              ? `Not valid YAML as it stands (${g.message}); it reads as a Go template, but even with its {{ }} actions masked this line has: ${g.maskedError.message}. Its branches, read at once, write different YAML here (an else that fails on purpose, or two ifs that indent a list differently): check what each renders. Checked with its actions' values unknown.`
              : g.placeholders === true
                ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its {Name}, %s, @NAME@, %NAME%, %%% or whole-line <NAME> placeholders filled in: checked with their values unknown (a script or test replaces them before applying).`
                : g.terraform === true
                  ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its Terraform %{ } directive lines left out: a Terraform template (templatefile), checked with its \${ } values unknown.`
                  : g.jinja === true
                    ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its {% %} tag lines left out: a Jinja or Liquid template (a docs snippet between {% raw %} and {% endraw %}), checked as it reads.`
                    : g.freemarker === true
                      ? `Not valid YAML as it stands (${g.message}), but it reads cleanly with its FreeMarker <#if>, <#list> directive lines left out: a FreeMarker template a generator renders, checked with its \${…} values unknown.`
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
      // A FreeMarker template (gitops-playground's `*.ftl.yaml`) that does not read as YAML even with its
      // directive lines masked (a directive inside a line): not YAML until a generator renders it. One note, no errors.
      if (first !== undefined && (/\.ftl(?:\.|$)/i.test(f.uri) || textOf(f, ctx.text(f.uri) ?? '').freemarker)) {
        ctx.report({
          uri: f.uri,
          span: first.span,
          message: `Not valid YAML as it stands (${first.message}): a FreeMarker template (<#if>, <#list> directives, \${…} values), which a generator renders before it is applied. Not checked as it stands; add it to kubeReach.exclude.`,
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
      // A rendered template's `%!s(<nil>)` that YAML reads as text: named as an unquoted one is (the YAML is valid).
      for (const w of f.nilWrites ?? [])
        ctx.report({ uri: f.uri, span: w.span, message: w.message, confidence: 'definite', severity: w.severity });
      // A file without errors costs nothing (the check runs once per part of a file: a 5 MB bundle has thousands).
      if (first === undefined) continue;
      for (const { error, more, plain } of mergeDuplicateKeys(reported(f.syntaxErrors, textOf(f, ctx.text(f.uri) ?? '')))) {
        const after =
          more > 0
            ? ` (${more >= 19 ? 'at least 19' : more} more syntax error${more === 1 ? '' : 's'} after it in this document, not listed: kubectl stops at the first)`
            : '';
        const text =
          plain === undefined
            ? ''
            : `. The document starts with a line of plain text ("${plain}"), which kubectl reads as a string, not an object (error validating data: invalid object to validate): a shell script or notes named .yaml? If it is not a manifest, add it to kubeReach.exclude.`;
        ctx.report({ uri: f.uri, span: error.span, message: `${error.message}${after}${text}`, confidence: 'definite', severity: 'error' });
      }
    }
  },
};

/** A duplicate key's error (syntax/duplicateKeys.ts): the key, JSON-quoted. */
const DUPLICATE_KEY =
  /^Map keys must be unique: ("(?:[^"\\]|\\.)*") twice in this map \(kubectl: key "(?:[^"\\]|\\.)*" already set in map\)$/;

/**
 * Duplicate keys whose errors fall on one span become one error naming them all: a rendered template's
 * keys all point at the `include` line that wrote them (a chart's label helper including another that
 * writes the same three labels), where three errors would say one thing. kubectl names the first.
 */
function mergeDuplicateKeys<T extends { readonly error: { readonly span: Span; readonly message: string } }>(items: readonly T[]): T[] {
  const out: T[] = [];
  const bySpan = new Map<string, { at: number; keys: string[] }>();
  for (const it of items) {
    const m = DUPLICATE_KEY.exec(it.error.message);
    const key = `${it.error.span.start}:${it.error.span.end}`;
    const seen = m === null ? undefined : bySpan.get(key);
    if (m === null || seen === undefined) {
      if (m !== null) bySpan.set(key, { at: out.length, keys: [m[1] ?? '""'] });
      out.push(it);
      continue;
    }
    seen.keys.push(m[1] ?? '""');
    const first = out[seen.at];
    if (first === undefined) continue;
    const names = `${seen.keys.slice(0, -1).join(', ')} and ${seen.keys[seen.keys.length - 1] ?? ''}`;
    out[seen.at] = {
      ...first,
      error: {
        ...first.error,
        message: `Map keys must be unique: ${names} twice in this map (kubectl: key ${seen.keys[0] ?? ''} already set in map)`,
      },
    };
  }
  return out;
}

/** Errors of our own reading and of YAML's rules on a well-formed document (duplicate keys, anchors): each stands alone. */
const STANDALONE = /^(?:Map keys must be unique|unknown anchor|anchor '|key .* already set in map|a map of .* over the limit)/;
/** A first line that YAML reads as structure: a key, a list item, a flow collection, a quoted scalar, a directive, a tag or an anchor. */
const STRUCTURE = /^\s*(?:-(?:\s|$)|[[{"'%!&*|>]|[^\s#][^#]*?:(?:\s|$))/;

/** What the check reads from a file's whole text: where its documents start, and whether it is a FreeMarker template. */
interface TextReading {
  readonly text: string;
  /** Offsets of the document markers (`---`, `...` at a line's start), after 0: ascending. */
  readonly starts: readonly number[];
  readonly freemarker: boolean;
}

/**
 * A file's text as the check reads it, once per file: the check runs once per part of a file (a
 * 5 MB bundle checked document by document has thousands), and each part with an error scanned the
 * whole text. Keyed by the file's objects list, which every part of one file's facts shares (each
 * part is a facts object of its own); the text decides whether a reading is still this file's.
 */
const readings = new WeakMap<object, TextReading>();

function textOf(facts: FileFacts, text: string): TextReading {
  const known = readings.get(facts.objects);
  if (known !== undefined && known.text === text) return known;
  const starts = [0];
  for (const m of text.matchAll(/^(?:---|\.\.\.)(?=\s|$)/gm)) starts.push(m.index);
  const reading = { text, starts, freemarker: hasFreemarkerDirective(text) };
  readings.set(facts.objects, reading);
  return reading;
}

/**
 * The syntax errors to report (docs/rules.md `yaml-syntax`): per document, the first error the parser met and how many
 * more followed it (a broken line makes the parser stumble on every line after it: kubectl reports a file's first
 * error only), and every standalone error; with the document's first line when it is plain text (a shell script).
 */
function reported(
  errors: ReadonlyArray<{ readonly span: Span; readonly message: string }>,
  reading: TextReading,
): Array<{ error: { readonly span: Span; readonly message: string }; more: number; plain: string | undefined }> {
  const { text, starts } = reading;
  /** The last document start at or before `at` (binary search). */
  const docOf = (at: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? Infinity) <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const out: Array<{ error: { readonly span: Span; readonly message: string }; more: number; plain: string | undefined }> = [];
  const firsts = new Map<number, (typeof out)[number]>();
  for (const error of errors) {
    if (STANDALONE.test(error.message)) {
      out.push({ error, more: 0, plain: undefined });
      continue;
    }
    const doc = docOf(error.span.start);
    const first = firsts.get(doc);
    if (first !== undefined) {
      first.more++;
      continue;
    }
    const eol = text.indexOf('\n', error.span.start);
    const entry = { error, more: 0, plain: plainLine(text, starts[doc] ?? 0, eol < 0 ? text.length : eol) };
    firsts.set(doc, entry);
    out.push(entry);
  }
  return out;
}

/** The document's first content line (from `from`, up to `to`: the end of the error's line) when YAML reads it as a plain string, not structure. */
function plainLine(text: string, from: number, to: number): string | undefined {
  for (const line of text.slice(from, to).split('\n')) {
    const t = line.trim();
    if (t === '' || t.startsWith('#') || /^(?:---|\.\.\.)$/.test(t)) continue;
    return STRUCTURE.test(line) ? undefined : t.length > 60 ? `${t.slice(0, 57)}…` : t;
  }
  return undefined;
}
