/**
 * `yaml-1-1-value`: a plain value that kubectl (and Helm) read as YAML 1.1 — `yes`/`on` as true,
 * `no`/`off` as false, `0755` as octal 493, `1_000` as 1000 — while YAML 1.2 tools (editors,
 * linters, yq v4) read it otherwise. Kube Reach's checks already use the value the API server
 * receives (`syntax/parse.ts`); this hint names the ambiguity and offers the unambiguous spelling.
 */

import type { ScalarValue } from '../syntax/tree.js';
import type { Yaml11Scalar } from '../syntax/parse.js';
import type { FileFacts } from '../model/types.js';
import { writerFor } from '../edits/writer.js';
import type { Check } from './support/check.js';

function shown(v: ScalarValue): string {
  return typeof v === 'string' ? `the string "${v}"` : v === null ? 'null' : String(v);
}

/**
 * The scalars of the documents that are Kubernetes objects: kubectl never reads a document that is
 * not one (a GitHub workflow's `on:`, a tool's config), so how YAML 1.1 would read it is no concern.
 */
function objectScalars(f: FileFacts): readonly Yaml11Scalar[] {
  if (f.documents === undefined) return f.objects.length > 0 ? (f.yaml11 ?? []) : [];
  return f.documents.flatMap((d) => (d.objects.length > 0 ? (d.yaml11 ?? []) : []));
}

export const yaml11ValueCheck: Check = {
  code: 'yaml-1-1-value',
  defaultSeverity: 'hint',
  summary: 'A plain value kubectl reads as YAML 1.1 (yes/no/on/off, 0755, 1_000) differently from YAML 1.2.',
  doc: [
    'kubectl and Helm decode manifests with go-yaml v2, which follows YAML 1.1: `y`, `yes` and `on` (any case',
    'variant go-yaml knows) are `true`, `n`, `no` and `off` are `false`, an integer with a leading zero is octal',
    '(`0755` is 493, `0443` is 291; `080` is 80), `1_000` is 1000 and `0b101` is 5. YAML 1.2 tools (editors, linters,',
    "yq v4, most libraries) read `yes` and `1_000` as strings and `0755` as 755. Kube Reach's checks use the value",
    'the API server receives; this hint points out where readers disagree. A label or annotation value `yes` is a',
    'boolean to kubectl, which then rejects the object (`cannot unmarshal bool into Go struct field ... of type string`).',
    'Keys are read the same way and sent as the JSON string of that value: a label key `on:` is the label `true`,',
    'a key `0755:` is `"493"`. Two keys of one map that kubectl reads as one (`on:` and `true:`, `yes:` and `y:`,',
    '`0755:` and `493:`) are a duplicate key, reported as `yaml-syntax` (`key true already set in map`).',
    'Only documents that are Kubernetes objects are read: kubectl never sees a GitHub workflow, whose `on:` is not reported.',
    'A resource or patch file a Kustomize build reads is read as kustomize reads it (go-yaml v3): there `yes`, `on`, `n`',
    'and the other YAML 1.1 booleans are strings (`kubectl kustomize` writes `"yes"`), so they are not reported; its',
    'integers with a leading zero, `_` or `0b` still are (go-yaml v3 reads them as kubectl does).',
    '',
    '```yaml',
    'metadata:',
    '  labels:',
    '    enabled: yes        # kubectl: true (rejected: label values are strings)',
    '    on: edge            # kubectl: the label key "true"',
    'spec:',
    '  ports:',
    '    - port: 0443        # kubectl: 291',
    '```',
    '',
    'In a boolean field of a built-in kind (`hostNetwork`, `suspend`, `readOnly`, …) the hint says the field is a boolean',
    'and offers only `true`/`false`: a quoted `"yes"` is a string the API server refuses.',
    '',
    '**Fix:** quote text (`"yes"`), write booleans as `true`/`false` and numbers in decimal (quick-fixes).',
  ].join('\n'),
  run(ctx) {
    const layout = ctx.index.kustomizeLayout();
    for (const f of ctx.files) {
      // A file a Kustomize build reads as kustomize does (YAML 1.2 booleans): its `yes`/`on`/… are strings there, as in the output.
      const kyaml = (layout.readers.get(f.uri) ?? []).some((r) => layout.builds.get(r)?.result.kyamlFiles?.has(f.uri) === true);
      // Scalars in a boolean field of a built-in kind (the API rules' A13T finding at the same span): quoting
      // one would send a string the API server cannot decode, so only the boolean is offered there.
      const booleanFields = new Set((f.apiFindings ?? []).filter((a) => a.rule === 'A13T').map((a) => `${a.span.start}:${a.span.end}`));
      for (const s of objectScalars(f)) {
        if (kyaml && typeof s.value === 'boolean') continue;
        const w = writerFor(ctx, f.uri);
        if (s.key === true) {
          // A key: kubectl sends it as the JSON string of its YAML 1.1 value.
          const sent = String(s.value);
          ctx.report({
            uri: f.uri,
            span: s.span,
            message: `kubectl reads the key ${s.text} as "${sent}" (YAML 1.1 reads ${s.text} as ${typeof s.value === 'boolean' ? 'the boolean' : 'the number'} ${sent}); YAML 1.2 tools read "${String(s.yaml12)}". Quote it if you mean "${s.text}".`,
            confidence: 'definite',
            severity: 'hint',
            // As for values: writing what kubectl sends changes nothing and is preferred for a
            // number; for a boolean the intent is open (the key "true", or the word), so neither is.
            fixes: [
              { title: `Write "${sent}" (what kubectl sends)`, isPreferred: typeof s.value !== 'boolean', edits: [w.value(s.span, sent)] },
              { title: `Quote it ("${s.text}", the key for every reader)`, edits: [w.value(s.span, s.text)] },
            ],
          });
          continue;
        }
        const isBool = typeof s.value === 'boolean';
        const booleanField = isBool && booleanFields.has(`${s.span.start}:${s.span.end}`);
        const message = booleanField
          ? `kubectl reads ${s.text} as the boolean ${String(s.value)} (YAML 1.1); YAML 1.2 tools read ${shown(s.yaml12)}. The field is a boolean, and the API server refuses the string "${s.text}": write ${String(s.value)}.`
          : isBool
            ? `kubectl reads ${s.text} as the boolean ${String(s.value)} (YAML 1.1); YAML 1.2 tools read ${shown(s.yaml12)}. Quote it if you mean text; write ${String(s.value)} if you mean a boolean.`
            : `kubectl reads ${s.text} as ${String(s.value)} (YAML 1.1${/^[-+]?0[0-7_]+$/.test(s.text) ? ', octal' : ''}); YAML 1.2 tools read ${shown(s.yaml12)}. Write ${String(s.value)}, or quote it if you mean text.`;
        const write = {
          title: `Write ${String(s.value)} (what kubectl sends)`,
          isPreferred: !isBool || booleanField,
          edits: [w.value(s.span, s.value)],
        };
        ctx.report({
          uri: f.uri,
          span: s.span,
          message,
          confidence: 'definite',
          severity: 'hint',
          fixes: booleanField
            ? [write]
            : [write, { title: `Quote it ("${s.text}", text for every reader)`, edits: [w.value(s.span, s.text)] }],
        });
      }
    }
  },
};
