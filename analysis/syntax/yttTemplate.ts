/**
 * Carvel ytt templates: YAML whose `#@` comments are ytt annotations. ytt evaluates them before
 * anything is applied, so what they stand for is unknown here:
 *
 * ```yaml
 * #@ load("@ytt:data", "data")
 * #@ if data.values.port > 0:
 * ---
 * metadata:
 *   name: #@ data.values.name      # a value ytt writes
 * spec:
 *   ports:
 *   - port: #@ data.values.port
 * #@ end
 * ```
 *
 * A YAML reader sees `name:` with no value (a null) and `port:` with none; read so, every such
 * field would be "required" or "invalid". `maskYtt` returns the text with each value annotation
 * (`key: #@ …`, `- #@ …`) replaced by a same-length run of `_` (an unknown value, as `${VAR}` is),
 * and each line that holds only an annotation (`#@ if …`, `#@ for …`, `#@ template.replace(…)`)
 * recorded as a control directive, so the map or list around it is structurally unknown. A file is
 * read so only when it loads a ytt module or annotates a value: `#` comments that merely start
 * with `@` elsewhere stay comments.
 */

import type { Span } from '../types.js';
import type { Directive } from './mask.js';

/** A ytt file: it loads a ytt module, or writes a value with an annotation. */
const YTT = /^[ \t]*#@[ \t]*load\(["']@ytt:|^[ \t]*(?:-[ \t]+)*[^\s#'"][^#\n]*:[ \t]+#@[ \t]|^[ \t]*-[ \t]+#@[ \t]/m;

/** `key: #@ expr` or `- #@ expr`: the annotation is the value. */
const VALUE_ANNOTATION = /^([ \t]*(?:-[ \t]+)*(?:[^\s#'"][^#\n]*?:[ \t]+|-[ \t]+))(#@[^\r\n]*)/;

/** A line that is only an annotation; `load(`, `def`, data-values and schema annotations write no node of their own here. */
const ANNOTATION_LINE = /^([ \t]*)#@(?![ \t]*(?:load\(|$))/;

export interface YttMask {
  readonly text: string;
  readonly masked: readonly Span[];
  readonly directives: readonly Directive[];
}

export function maskYtt(text: string): YttMask | undefined {
  if (!text.includes('#@') || !YTT.test(text)) return undefined;
  const masked: Span[] = [];
  const directives: Directive[] = [];
  let out = '';
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(lineStart, end);
    const value = VALUE_ANNOTATION.exec(line);
    const annotation = value === null ? ANNOTATION_LINE.exec(line) : null;
    if (value !== null) {
      const at = (value[1] ?? '').length;
      const len = (value[2] ?? '').length;
      out += line.slice(0, at) + '_'.repeat(len) + line.slice(at + len);
      masked.push({ start: lineStart + at, end: lineStart + at + len });
    } else {
      out += line;
      if (annotation !== null) {
        const column = (annotation[1] ?? '').length;
        directives.push({ offset: lineStart + column, column, kind: 'control' });
      }
    }
    if (nl === -1) break;
    out += '\n';
    lineStart = nl + 1;
  }
  return { text: out, masked, directives };
}
