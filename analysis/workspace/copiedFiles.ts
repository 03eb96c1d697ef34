/**
 * A file a kustomization lists that a command beside it copies into its folder before the build: a kuttl step's
 * `cp ../../../../config/samples/barbican_v1beta1_barbican.*yaml deploy` before `oc kustomize deploy`
 * (openstack-k8s-operators' kuttl tests keep `deploy/kustomization.yaml` without the file it lists), a Makefile's or
 * a script's `cp`. Such a file is generated, not misspelled. Pure: the files and texts come from the build's host.
 */

import { basename, dirname, joinPath } from './paths.js';
import { goMatchPattern } from '../text/goGlob.js';

/** A file whose text may run a `cp`: a YAML file (a kuttl TestStep, a chainsaw Test), a shell script, a Makefile. */
const RUNS_COMMANDS = /(?:\.ya?ml|\.sh|\/(?:GNUm|M)akefile)$/;

/** `cp [flags] SOURCE… DEST` in a text, its words (quotes stripped); none written with a variable. */
function copies(text: string): Array<{ readonly sources: readonly string[]; readonly dest: string }> {
  const out: Array<{ sources: string[]; dest: string }> = [];
  for (const m of text.matchAll(/(?:^|[\s;&|("'])cp((?:\s+[^\s;&|<>)]+)+)/gm)) {
    const words = (m[1] ?? '')
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/^["']|["']$/g, ''))
      .filter((w) => !w.startsWith('-'));
    const dest = words.pop();
    if (dest === undefined || words.length === 0 || [dest, ...words].some((w) => w.includes('$') || w.startsWith('/'))) continue;
    out.push({ sources: words, dest });
  }
  return out;
}

/**
 * The file (in the missing file's folder or the one above it: a kuttl test runs its commands in its own folder)
 * whose `cp` writes file `missing` before the build: `cp SRC <folder>` whose source's name matches (a glob as the
 * shell expands it), or `cp SRC <file>`; undefined when none does. `read` is told every file looked at.
 */
export function copiedBy(
  missing: string,
  filesUnder: ((dir: string) => readonly string[]) | undefined,
  text: (uri: string) => string | undefined,
  read?: (uri: string) => void,
): string | undefined {
  if (filesUnder === undefined) return undefined;
  const dir = dirname(missing);
  const name = basename(missing);
  for (const d of [dir, dirname(dir)]) {
    for (const f of filesUnder(d)) {
      if (dirname(f) !== d || !RUNS_COMMANDS.test(f)) continue;
      read?.(f);
      const t = text(f);
      if (t === undefined || !t.includes('cp ')) continue;
      for (const c of copies(t)) {
        const to = joinPath(d, c.dest);
        if (to === missing && c.sources.length === 1) return f;
        if (to === dir && c.sources.some((s) => goMatchPattern(basename(s))?.test(name) === true)) return f;
      }
    }
  }
  return undefined;
}
