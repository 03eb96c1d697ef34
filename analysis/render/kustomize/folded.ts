/**
 * The value kustomize hands on for a folded block scalar (`>`, `>-`, `>+`) of a resource or a
 * strategic merge patch.
 *
 * kustomize writes every object out through kyaml's `RNode.MarshalJSON` (its `Resource.AsYAML`,
 * and a JSON 6902 patch before it applies): the node is emitted as YAML by go-yaml v3, read back
 * and turned into JSON. go-yaml v3's folded-scalar writer (`yaml_emitter_write_folded_scalar` in
 * emitterc.go) decides whether a line break needs an extra empty line by looking at the text
 * after the *start of the value* (`k := 0`), where libyaml looks after the break. So:
 * - a value that starts with a non-blank character gets an extra line break before every line
 *   that is more indented than the one before it (`"a\n  b"` comes back as `"a\n\n  b"`), and
 *   before the trailing breaks a `>+` keeps;
 * - a value that starts with a blank gets none at all, so its plain line breaks fold into spaces
 *   when read back (`" a\nb\nc"` comes back as `" a\nb c"`).
 * What the cluster receives (`kubectl apply -k`, `kustomize build | kubectl apply`, Argo CD, Flux)
 * is that reading. Values the emitter does not write folded (a space before a line break or at the
 * end, characters it must escape) come back as they were. Checked against `kubectl kustomize`
 * (kustomize v5.5.0); test/analysis/kustomizeBuild.test.ts holds the cases.
 */

import { parse as parseYaml } from 'yaml';
import type { ScalarValue, YScalar } from '../../syntax/tree.js';

/** The value kustomize hands on for scalar `n`, read from `fileText` (its spans' file). */
export function kustomizeScalarValue(n: YScalar, fileText: string | undefined): ScalarValue {
  const v = n.value;
  if (typeof v !== 'string' || !n.quoted || n.unknown || fileText === undefined || !v.includes('\n')) return v;
  if (fileText.charCodeAt(n.span.start) !== 0x3e /* '>' */) return v;
  return refolded(v) ?? v;
}

/** What go-yaml v3 writes for `value` as a folded scalar, read back; undefined when it would not write it folded. */
export function refolded(value: string): string | undefined {
  if (!blockAllowed(value)) return undefined;
  const text = `v: ${header(value)}\n${body(value)}`;
  let read: unknown;
  try {
    read = parseYaml(text.endsWith('\n') ? text : `${text}\n`, { logLevel: 'error' });
  } catch {
    return undefined;
  }
  if (typeof read !== 'object' || read === null) return undefined;
  const out = (read as { v?: unknown }).v;
  return typeof out === 'string' ? out : undefined;
}

const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * go-yaml's `yaml_emitter_analyze_scalar`: block styles are out for a value with a space at its
 * end or before a line break, or a character it must escape (`is_printable`). Line breaks other
 * than `\n` are left alone here (the `yaml` package reads them as YAML 1.2 does, go-yaml as 1.1).
 */
function blockAllowed(value: string): boolean {
  if (value === '' || value.endsWith(' ')) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20 && value[i + 1] === '\n') return false;
    if (c === 0x09 || c === 0x0a) continue;
    const printable = (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
    if (!printable || c === 0x85 || c === 0x2028 || c === 0x2029) return false;
  }
  return true;
}

/** `yaml_emitter_write_block_scalar_hints`: `>`, an indentation indicator, a chomping indicator. */
function header(value: string): string {
  let h = '>';
  if (isBlank(value[0]) || isBreak(value[0])) h += '2';
  const last = value.length - 1;
  if (!isBreak(value[last])) h += '-';
  else if (last === 0 || isBreak(value[last - 1])) h += '+';
  return h;
}

/** `yaml_emitter_write_folded_scalar` with go-yaml v3's `k := 0`, content indented by two spaces. */
function body(value: string): string {
  let k = 0;
  while (isBreak(value[k])) k++;
  const extraBreaks = !(k >= value.length || isBlank(value[k]));
  let out = '';
  let breaks = true;
  let leadingSpaces = true;
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (isBreak(c)) {
      if (!breaks && !leadingSpaces && c === '\n' && extraBreaks) out += '\n';
      out += c;
      breaks = true;
    } else {
      if (breaks) {
        out += '  ';
        leadingSpaces = isBlank(c);
      }
      out += c;
      breaks = false;
    }
  }
  return out;
}
