/**
 * Resource files templated only by `${VAR}` placeholders inside values (Flux's postBuild, envsubst):
 * the objects' shape is as written, so the build that loads them stays complete (the values are
 * unknown). Design notes: docs/dev/flux.md.
 */

import type { ParsedFile } from '../../syntax/parse.js';

/**
 * Whether a templated file holds no template action (`{{ }}`), only placeholders inside values. Its
 * `$(NAME)`s, if any, are added to `pendingVars`: vars the build must resolve (vars.ts), as in a
 * file that holds only those.
 */
export function envsubstOnly(pendingVars: Set<string>, parsed: ParsedFile, text: string | undefined): boolean {
  if (text === undefined || parsed.template || parsed.directives.length > 0 || text.includes('{{')) return false;
  for (const m of text.matchAll(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)) pendingVars.add(m[1] ?? '');
  return true;
}
