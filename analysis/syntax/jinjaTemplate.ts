/**
 * Jinja and Liquid templates: YAML whose lines hold `{% … %}` statement tags (with `-` trim
 * markers) or `{# … #}` comments. Documentation sites keep manifest snippets between
 * `{% raw %}` and `{% endraw %}` lines (mkdocs-macros, Jekyll), so that the site's template engine
 * leaves their contents alone:
 *
 * ```yaml
 * {% raw %}
 * apiVersion: external-secrets.io/v1
 * kind: ExternalSecret
 * {% endraw %}
 * ```
 *
 * `maskJinjaStatements` returns the text with every line that holds only such tags turned into a
 * comment of the same length (every offset and span stays), or undefined when there is none.
 */

/** A line of tags only: its indentation, the tags, a `\r` before the line break. */
const TAG_LINE = /^([ \t]*)((?:\{%-?[^\n]*?-?%\}[ \t]*|\{#[^\n]*?#\}[ \t]*)+)(\r?)$/;

export function maskJinjaStatements(text: string): string | undefined {
  if (!text.includes('{%') && !text.includes('{#')) return undefined;
  let changed = false;
  const lines = text.split('\n').map((line) => {
    const m = TAG_LINE.exec(line);
    if (m === null) return line;
    changed = true;
    const body = m[2] ?? '';
    return `${m[1] ?? ''}#${' '.repeat(body.length - 1)}${m[3] ?? ''}`;
  });
  return changed ? lines.join('\n') : undefined;
}
