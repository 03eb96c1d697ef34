/**
 * `netpol-policy-types-mismatch`: `policyTypes` and the rule lists disagree, so the policy does
 * something else than it says. Purely syntactic: `egress: []` without `Egress` does not deny
 * egress; rules of a direction missing from an explicit `policyTypes` are ignored.
 */

import { about } from './support/findingFields.js';
import type { PolicyRule } from '../model/types.js';
import type { Span, TextEdit } from '../types.js';
import { writerFor } from '../edits/writer.js';
import type { EditWriter } from '../edits/writer.js';
import type { Check } from './support/check.js';
import { describe } from './support/evidence.js';

/**
 * Deletes an ignored rule list: in YAML from the start of its key's line to the end of its last
 * rule's line (block style only; a flow list on the key's line is left to the user); in JSON the
 * member and its comma.
 */
function deleteRules(
  w: EditWriter,
  keySpan: Span,
  rules: readonly PolicyRule[],
  key: string,
): Array<{ title: string; isPreferred: boolean; edits: TextEdit[] }> {
  const last = rules[rules.length - 1];
  if (last === undefined) return [];
  const edit = w.deleteMember(keySpan, last.span.end);
  return edit === undefined
    ? []
    : [{ title: `Delete the ignored ${key} rules (the policy keeps behaving as now)`, isPreferred: false, edits: [edit] }];
}

export const netpolPolicyTypesMismatch: Check = {
  code: 'netpol-policy-types-mismatch',
  defaultSeverity: 'warning',
  summary: 'policyTypes and the ingress/egress lists disagree: rules are ignored or a deny is not one.',
  doc: [
    'When `policyTypes` is omitted, the API server sets it to `[Ingress]`, plus `Egress` only if `egress` has at',
    'least one rule. So `egress: []` **without** `policyTypes: [..., Egress]` does not deny egress at all: egress',
    'stays open. And rules of a direction missing from an explicit `policyTypes` are ignored.',
    '',
    '```yaml',
    'spec:',
    '  podSelector: {}',
    '  egress: []          # meant "deny all egress"; without policyTypes it denies nothing',
    '```',
    '',
    '**Fix:** set `policyTypes` to include the direction (quick-fix), or delete the ignored rules.',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const np = o.networkPolicy;
      if (np === undefined || np.unknown) continue;
      const who = describe(o, placed.placements[0]?.namespace);
      const w = writerFor(ctx, o.uri);
      const both = ['Ingress', 'Egress'];
      const fixTypes = (anchor: Span | undefined): Array<{ title: string; isPreferred: boolean; edits: TextEdit[] }> => {
        let edit: TextEdit | undefined;
        if (np.policyTypesSpan !== undefined) edit = w.value(np.policyTypesSpan, both);
        else if (anchor !== undefined) edit = w.insertBefore(anchor, 'policyTypes', both);
        return edit === undefined ? [] : [{ title: 'Set policyTypes to [Ingress, Egress]', isPreferred: true, edits: [edit] }];
      };
      for (const dir of ['Ingress', 'Egress'] as const) {
        const rules = dir === 'Ingress' ? np.ingress : np.egress;
        const keySpan = dir === 'Ingress' ? np.ingressKeySpan : np.egressKeySpan;
        const key = dir.toLowerCase();
        if (rules === undefined || keySpan === undefined || np.policyTypes.includes(dir)) continue;
        if (rules.length === 0) {
          if (dir === 'Ingress') continue; // Ingress is always a default type; an explicit [Egress] with ingress: [] is deliberate enough.
          ctx.report({
            ...about(o, keySpan),
            confidence: 'definite',
            severity: 'warning',
            message: `${who} has ${key}: [] but ${dir} is not in policyTypes${np.policyTypesExplicit ? '' : ' (omitted, so it defaults to [Ingress])'}: ${key} is not isolated and stays fully open. Add ${dir} to policyTypes to deny all ${key}.`,
            fixes: fixTypes(keySpan),
          });
        } else if (np.policyTypesExplicit) {
          ctx.report({
            ...about(o, keySpan),
            confidence: 'definite',
            severity: 'warning',
            message: `${who} has ${rules.length} ${key} rule${rules.length === 1 ? '' : 's'}, but policyTypes does not list ${dir}: these rules are ignored. Add ${dir} to policyTypes, or delete them.`,
            fixes: [...fixTypes(keySpan), ...deleteRules(w, keySpan, rules, key)],
          });
        }
      }
    }
  },
};
