/**
 * The files that run shell commands against a cluster, and their command lines with the folder each runs in:
 * Makefiles (recipes run in the Makefile's folder), GitHub Actions workflows (`.github/workflows/*.yml`: a step's
 * `run` runs in the repository's top, or its `working-directory`, else the job's or the workflow's
 * `defaults.run.working-directory`), GitLab CI files (`.gitlab-ci.yml`: `script`, `before_script` and
 * `after_script` run in the repository's top, `$CI_PROJECT_DIR`) and shell scripts (`*.sh`: in the folder a
 * `cd "$(dirname "$0")"` names, else where the Makefile, workflow or script that runs them runs). A conservative
 * reading: a folder written with a variable or an expression is unknown, and the lines run there are read as
 * nothing (units/harnessRuns.ts reads what the lines start). Pure; design notes: docs/dev/units.md, test harnesses.
 */

import { parse as parseYaml } from 'yaml';
import { basename, dirname, joinPath } from '../workspace/paths.js';
import { MAKEFILE_NAMES } from '../workspace/makefiles.js';
import { isRecord } from '../narrow.js';

/** What kind of runner a file is, by its path; undefined for any other file. */
export function runSourceKind(uri: string): 'make' | 'github' | 'gitlab' | 'shell' | undefined {
  const name = basename(uri);
  if ((MAKEFILE_NAMES as readonly string[]).includes(name)) return 'make';
  if (/\.sh$/.test(name)) return 'shell';
  if (name === '.gitlab-ci.yml') return 'gitlab';
  if (/\.ya?ml$/.test(name) && dirname(uri).endsWith('/.github/workflows')) return 'github';
  return undefined;
}

/** Whether `uri` is a file whose commands are read for harness runs and applies. */
export function isRunSource(uri: string): boolean {
  return runSourceKind(uri) !== undefined;
}

/**
 * Command lines one shell runs in turn (a `cd` holds for the lines after it): a Makefile recipe line, a workflow
 * step's `run`, a GitLab job's scripts, a shell script. `cwd`: the folder the first starts in (undefined: unknown).
 */
export interface CommandBlock {
  readonly cwd: string | undefined;
  readonly lines: readonly string[];
}

/** The folder `$(dirname "$0")` and its spellings name in a shell script, written so a path reader can tell it (no `$`). */
export const SCRIPT_DIR = '@script-dir@';
/** The repository's top (`${{ github.workspace }}`, `$GITHUB_WORKSPACE`, `$CI_PROJECT_DIR`), likewise. */
export const TOP_DIR = '@top-dir@';

/** A text's lines, continuation lines joined, comments dropped. */
function linesOf(text: string): string[] {
  return text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '$1'))
    .filter((l) => l.trim() !== '');
}

/** A record's field, when `v` is a record. */
function field(v: unknown, key: string): unknown {
  return isRecord(v) ? v[key] : undefined;
}

/** `working-directory` as a folder under `top`: undefined when absent, null when written with an expression. */
function workingDirectory(v: unknown, top: string): string | null | undefined {
  const w = field(field(v, 'run'), 'working-directory') ?? field(v, 'working-directory');
  if (w === undefined) return undefined;
  if (typeof w !== 'string' || w.includes('$') || w.startsWith('/') || w.includes('://')) return null;
  return w === '.' || w === './' || w === '' ? top : joinPath(top, w);
}

/** Parses YAML text as an unknown value; undefined when it is not YAML. */
function yamlOf(text: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: false, logLevel: 'silent' }) as unknown;
  } catch {
    return undefined;
  }
}

/** The `run` steps of a GitHub Actions workflow at `<top>/.github/workflows/`, each in its working directory. */
function githubLines(uri: string, text: string): CommandBlock[] {
  const top = dirname(dirname(dirname(uri)));
  const doc = yamlOf(text);
  const jobs = field(doc, 'jobs');
  if (typeof jobs !== 'object' || jobs === null) return [];
  const out: CommandBlock[] = [];
  const workflowDir = workingDirectory(field(doc, 'defaults'), top);
  for (const job of Object.values(jobs as Record<string, unknown>)) {
    const jobDir = workingDirectory(field(job, 'defaults'), top);
    const steps = field(job, 'steps');
    if (!Array.isArray(steps)) continue;
    for (const step of steps as unknown[]) {
      const run = field(step, 'run');
      if (typeof run !== 'string') continue;
      const own = field(step, 'working-directory');
      const dir = own !== undefined ? workingDirectory(step, top) : jobDir !== undefined ? jobDir : workflowDir;
      const cwd = dir === null ? undefined : (dir ?? top);
      out.push({ cwd, lines: linesOf(topNamed(run)) });
    }
  }
  return out;
}

/** GitLab CI's keywords at the top that are no job. */
const GITLAB_KEYWORDS: ReadonlySet<string> = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'cache',
]);

/** The script lines of a `.gitlab-ci.yml` (its jobs' and `default`'s `before_script`, `script`, `after_script`), run in its folder. */
function gitlabLines(uri: string, text: string): CommandBlock[] {
  const top = dirname(uri);
  const doc = yamlOf(text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return [];
  const out: CommandBlock[] = [];
  const add = (v: unknown, lines: string[]): void => {
    if (typeof v === 'string') for (const l of linesOf(topNamed(v))) lines.push(l);
    else if (Array.isArray(v)) for (const x of v as unknown[]) add(x, lines);
  };
  for (const [key, job] of Object.entries(doc as Record<string, unknown>)) {
    if (GITLAB_KEYWORDS.has(key) && key !== 'default') continue;
    // A job's scripts run in one shell, in the project's folder (`after_script` in a shell of its own).
    const lines: string[] = [];
    for (const k of ['before_script', 'script']) add(field(job, k), lines);
    const after: string[] = [];
    add(field(job, 'after_script'), after);
    for (const l of [lines, after]) if (l.length > 0) out.push({ cwd: top, lines: l });
  }
  return out;
}

/** `${{ github.workspace }}`, `$GITHUB_WORKSPACE` and `$CI_PROJECT_DIR` written as `TOP_DIR`. */
function topNamed(text: string): string {
  return text.replace(/\$\{\{\s*github\.workspace\s*\}\}|\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR)\}?/g, TOP_DIR);
}

/**
 * A shell script's text with the script's own folder written as `SCRIPT_DIR`: `$(dirname "$0")`,
 * `$(dirname "${BASH_SOURCE[0]}")`, `$(cd "$(dirname "$0")" && pwd)` and the like, and a variable assigned one of
 * them (`SCRIPT_DIR=$(cd "$(dirname "$0")" && pwd)`, then `$SCRIPT_DIR/../config`).
 */
export function scriptDirNamed(text: string): string {
  const dirOf0 = String.raw`\$\(\s*dirname\s+("?)\$(?:0|\{0\}|\{?BASH_SOURCE(?:\[0\])?\}?)\1\s*\)`;
  let t = text
    .replace(new RegExp(String.raw`\$\(\s*cd\s+("?)${dirOf0}((?:/\.\.)*)/?\1\s*(?:&&|;)\s*pwd(?:\s+-P)?\s*\)`, 'g'), `${SCRIPT_DIR}$3`)
    .replace(new RegExp(dirOf0, 'g'), SCRIPT_DIR);
  const vars = new Map<string, string>();
  for (const m of t.matchAll(
    new RegExp(String.raw`^\s*(?:export\s+|readonly\s+|local\s+)?([A-Za-z_]\w*)=("?)(${SCRIPT_DIR}(?:/[\w.-]+)*)/?\2\s*$`, 'gm'),
  ))
    if (m[1] !== undefined && m[3] !== undefined) vars.set(m[1], m[3]);
  for (const [name, value] of vars) t = t.replace(new RegExp(String.raw`\$\{${name}\}|\$${name}(?!\w)`, 'g'), value);
  return t;
}

/** The command blocks of runner `uri`, with the folders they start in; a shell script's where `cwd` says (undefined: unknown). */
export function commandBlocksOf(uri: string, text: string, cwd?: string): CommandBlock[] {
  switch (runSourceKind(uri)) {
    case 'make':
      // make runs each recipe line in a shell of its own.
      return linesOf(text).map((l) => ({ cwd: dirname(uri), lines: [l] }));
    case 'github':
      return githubLines(uri, text);
    case 'gitlab':
      return gitlabLines(uri, text);
    case 'shell':
      return [{ cwd, lines: linesOf(scriptDirNamed(text)) }];
    default:
      return [];
  }
}
