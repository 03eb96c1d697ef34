/**
 * `netpol-policy-types-mismatch`: `policyTypes` and the rule lists disagree, so the policy does
 * something else than it says. Purely syntactic: `egress: []` without `Egress` does not deny
 * egress; rules of a direction missing from an explicit `policyTypes` are ignored.
 */

import type { PolicyRule } from '../model/types.js';
import type { Span, TextEdit } from '../types.js';
import type { Check } from './check.js';
import { describe } from './evidence.js';

/** Inserts `key: value` on a new line before the line of `keySpan`, at its indentation. */
export function insertKeyBefore(uri: string, text: string | undefined, keySpan: Span, key: string, value: string): TextEdit | undefined {
  if (text === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', keySpan.start - 1) + 1;
  const before = text.slice(lineStart, keySpan.start);
  if (/^\s*$/.test(before)) {
    const nl = text.includes('\r\n') ? '\r\n' : '\n';
    return { uri, span: { start: lineStart, end: lineStart }, newText: `${before}${key}: ${value}${nl}` };
  }
  if (/[{,]\s*$/.test(before)) return { uri, span: { start: keySpan.start, end: keySpan.start }, newText: `${key}: ${value}, ` };
  return undefined;
}

/**
 * Deletes an ignored rule list: from the start of its key's line to the end of its last rule's
 * line (block style only; a flow list on the key's line is left to the user).
 */
function deleteRules(uri: string, text: string | undefined, keySpan: Span, rules: readonly PolicyRule[], key: string): Array<{ title: string; isPreferred: boolean; edits: TextEdit[] }> {
  const last = rules[rules.length - 1];
  if (text === undefined || last === undefined) return [];
  const start = text.lastIndexOf('\n', keySpan.start - 1) + 1;
  if (text.slice(start, keySpan.start).trim() !== '') return [];
  const eol = text.indexOf('\n', last.span.end);
  const end = eol === -1 ? text.length : eol + 1;
  return [{ title: `Delete the ignored ${key} rules (the policy keeps behaving as now)`, isPreferred: false, edits: [{ uri, span: { start, end }, newText: '' }] }];
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
      const text = ctx.text(o.uri);
      const both = '[Ingress, Egress]';
      const fixTypes = (anchor: Span | undefined): Array<{ title: string; isPreferred: boolean; edits: TextEdit[] }> => {
        let edit: TextEdit | undefined;
        if (np.policyTypesSpan !== undefined) edit = { uri: o.uri, span: np.policyTypesSpan, newText: both };
        else if (anchor !== undefined) edit = insertKeyBefore(o.uri, text, anchor, 'policyTypes', both);
        return edit === undefined ? [] : [{ title: `Set policyTypes to ${both}`, isPreferred: true, edits: [edit] }];
      };
      for (const dir of ['Ingress', 'Egress'] as const) {
        const rules = dir === 'Ingress' ? np.ingress : np.egress;
        const keySpan = dir === 'Ingress' ? np.ingressKeySpan : np.egressKeySpan;
        const key = dir.toLowerCase();
        if (rules === undefined || keySpan === undefined || np.policyTypes.includes(dir)) continue;
        if (rules.length === 0) {
          if (dir === 'Ingress') continue; // Ingress is always a default type; an explicit [Egress] with ingress: [] is deliberate enough.
          ctx.report({
            uri: o.uri,
            span: keySpan,
            object: o,
            confidence: 'definite',
            severity: 'warning',
            message: `${who} has ${key}: [] but ${dir} is not in policyTypes${np.policyTypesExplicit ? '' : ' (omitted, so it defaults to [Ingress])'}: ${key} is not isolated and stays fully open. Add ${dir} to policyTypes to deny all ${key}.`,
            fixes: fixTypes(keySpan),
          });
        } else if (np.policyTypesExplicit) {
          ctx.report({
            uri: o.uri,
            span: keySpan,
            object: o,
            confidence: 'definite',
            severity: 'warning',
            message: `${who} has ${rules.length} ${key} rule${rules.length === 1 ? '' : 's'}, but policyTypes does not list ${dir}: these rules are ignored. Add ${dir} to policyTypes, or delete them.`,
            fixes: [...fixTypes(keySpan), ...deleteRules(o.uri, text, keySpan, rules, key)],
          });
        }
      }
    }
  },
};
