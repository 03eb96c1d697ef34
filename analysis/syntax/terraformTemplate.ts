/**
 * Terraform templates (`templatefile`, `templatestring`): YAML whose lines hold `%{ if … }`,
 * `%{ for … }`, `%{ else }`, `%{ endif }`, `%{ endfor }` directives (with `~` strip markers), and
 * `${…}` interpolations. Helm values files rendered by Terraform look like this:
 *
 * ```yaml
 * %{ if opentelemetry_enabled }
 * opentelemetry:
 *   enabled: true
 * %{ endif }
 * ```
 *
 * `maskTerraformDirectives` returns the text with every line that holds only directives turned
 * into a comment of the same length (every offset and span stays), or undefined when there is
 * none. `${…}` interpolations are masked as placeholders by the parser anyway.
 */

/** A line of directives only: its indentation, the directives, a `\r` before the line break. */
const DIRECTIVE_LINE = /^([ \t]*)((?:%\{~?[^{}\n]*?~?\}[ \t]*)+)(\r?)$/;

export function maskTerraformDirectives(text: string): string | undefined {
  if (!text.includes('%{')) return undefined;
  let changed = false;
  const lines = text.split('\n').map((line) => {
    const m = DIRECTIVE_LINE.exec(line);
    if (m === null) return line;
    changed = true;
    const body = m[2] ?? '';
    return `${m[1] ?? ''}#${' '.repeat(body.length - 1)}${m[3] ?? ''}`;
  });
  return changed ? lines.join('\n') : undefined;
}
