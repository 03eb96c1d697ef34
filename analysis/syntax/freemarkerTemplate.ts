/**
 * FreeMarker templates (`*.ftl.yaml`, a generator such as cloudogu/gitops-playground renders them
 * before anything applies them): YAML whose lines hold directives (`<#if …>`, `</#if>`,
 * `<#list … as x>`, `<#assign …>`, `<@macro/>`, `<#-- comments -->`, also across lines) and whose
 * values hold interpolations with FreeMarker's built-ins and defaults (`${config.port?c}`,
 * `${x!"none"}`, `${r"${STAGE}"}`):
 *
 * ```yaml
 * <#if config.features.mail.active>
 *     notifications.argoproj.io/subscribe: ${config.features.argocd.emailToAdmin}
 * </#if>
 * ```
 *
 * `maskFreemarkerDirectives` returns the text with every line that holds only directives (or lies
 * inside a comment that spans lines) turned into a comment of the same length, and every
 * interpolation written as a `${____}` placeholder of the same length (the parser reads it as an
 * unknown value), so every offset and span stays; undefined when the text has no directive line.
 */

/** A line of directives only: its indentation, the directives, a `\r` before the line break. */
const DIRECTIVE_LINE = /^([ \t]*)((?:<\/?[#@][A-Za-z_-][^\n]*?>[ \t]*)+)(\r?)$/;
/** A FreeMarker directive alone on its line (what `hasFreemarkerDirective` looks for). */
const ANY_DIRECTIVE_LINE =
  /^[ \t]*<\/?#(?:if|elseif|else|list|items|sep|assign|local|global|include|import|macro|function|return|switch|case|default|on|noparse|compress|attempt|recover|ftl|setting|nested|--)\b/m;

/** Whether a text has a FreeMarker directive alone on a line (a file read as FreeMarker even where the mask does not make it YAML). */
export function hasFreemarkerDirective(text: string): boolean {
  return text.includes('<') && ANY_DIRECTIVE_LINE.test(text);
}

export function maskFreemarkerDirectives(text: string): string | undefined {
  if (!hasFreemarkerDirective(text)) return undefined;
  let comment = false;
  const lines = text.split('\n').map((line) => {
    const cr = line.endsWith('\r') ? '\r' : '';
    const body = cr === '' ? line : line.slice(0, -1);
    // Inside a comment that spans lines, up to its `-->`.
    if (comment || /^[ \t]*<#--/.test(body)) {
      const close = body.indexOf('-->', comment ? 0 : body.indexOf('<#--') + 4);
      if (close === -1) comment = true;
      else if (body.slice(close + 3).trim() === '') comment = false;
      else return interpolations(line);
      return blank(body) + cr;
    }
    const m = DIRECTIVE_LINE.exec(line);
    if (m === null) return interpolations(line);
    return `${m[1] ?? ''}#${' '.repeat((m[2] ?? '').length - 1)}${m[3] ?? ''}`;
  });
  return lines.join('\n');
}

/** A line turned into a comment of its length, its indentation kept. */
function blank(body: string): string {
  const indent = /^[ \t]*/.exec(body)?.[0] ?? '';
  const rest = body.length - indent.length;
  return rest === 0 ? body : `${indent}#${' '.repeat(rest - 1)}`;
}

/** Every `${…}` interpolation of a line as a `${____}` placeholder of the same length (quotes and braces inside it kept together). */
function interpolations(line: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const start = line.indexOf('${', i);
    if (start === -1) return out + line.slice(i);
    const end = interpolationEnd(line, start + 2);
    if (end === undefined || end - start < 4) {
      out += line.slice(i, start + 2);
      i = start + 2;
      continue;
    }
    out += `${line.slice(i, start)}\${${'_'.repeat(end - start - 3)}}`;
    i = end;
  }
}

/** The offset after the `}` that closes an interpolation whose expression starts at `from`; undefined if the line ends first. */
function interpolationEnd(line: string, from: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
    }
  }
  return undefined;
}
