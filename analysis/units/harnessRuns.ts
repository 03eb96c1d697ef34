/**
 * The `chainsaw test` and `kubectl kuttl test` runs a repository's Makefiles start (the hosts hand Makefiles over as support files,
 * workspace/makefiles.ts): where chainsaw runs, the Configuration it reads and the test folders and namespace
 * it is given, as its `test` command reads its flags (kyverno/chainsaw `pkg/commands/test/command.go`):
 * `--config <file>` (without it, `.chainsaw.yaml` in the folder it runs in when that exists), `--test-dir`
 * (repeatable, comma-separated) and the positional arguments (`.` without any), `--namespace <name>` (over
 * the Configuration's: flags take precedence); kuttl's likewise (`internal/kuttlctl/cmd/test.go`: `--config <file>`,
 * else `kuttl-test.yaml` where it runs; `--namespace`/`-n` over the TestSuite's `namespace`). Pure; design notes:
 * docs/dev/units.md, test harnesses.
 */

import { basename, dirname, isUnder, joinPath } from '../workspace/paths.js';
import { MAKEFILE_NAMES } from '../workspace/makefiles.js';
import { DNS_LABEL } from '../model/shellCommands.js';

/** One `chainsaw test` command of a Makefile's recipes. */
export interface ChainsawRun {
  /** The folder it runs in: the Makefile's, or the one a `cd <dir> &&` before it names. */
  readonly cwd: string;
  /** The Configuration file: `--config`'s, else `.chainsaw.yaml` in `cwd`; null: not a literal path (unknown). */
  readonly config: string | null;
  /** `--config` named it (a file the workspace lacks is then unknown, not absent). */
  readonly explicit: boolean;
  /** The folders whose Tests it runs. */
  readonly testDirs: readonly string[];
  /** `--namespace`: every Test without `spec.namespace` runs in it (null: not a literal name). */
  readonly namespace?: string | null;
}

/** `chainsaw test`'s flags that take no value (every other `--flag` without `=` takes the next word). */
const BOOL_FLAGS: ReadonlySet<string> = new Set([
  '--fail-fast',
  '--full-name',
  '--skip-delete',
  '--template',
  '--no-cluster',
  '--pause-on-failure',
  '--no-color',
  '--remarshal',
  '--quiet',
  '--fast-namespace-deletion',
  '--help',
  '-h',
]);

/** Make's and the shell's names for the folder a recipe runs in, read as `.`. */
const HERE = /\$[({](?:CURDIR|PWD|shell pwd)[)}]/g;

/** The chainsaw binary as a recipe names it: `chainsaw`, a path to it, a make variable named for it, `go run …/chainsaw@v…`. */
function isChainsaw(w: string): boolean {
  return /(^|\/)chainsaw(@\S+)?$/.test(w) || /^\$[({][A-Za-z_]*CHAINSAW[A-Za-z_]*[)}]$/i.test(w);
}

/** A path as a recipe writes it, relative to `cwd`; undefined for a variable, a URL or an absolute path. */
function pathAt(cwd: string, raw: string): string | undefined {
  const p = raw.replace(/^["']|["']$/g, '').replace(HERE, '.');
  if (p === '' || p.includes('$') || p.includes('://') || p.startsWith('/') || p.startsWith('~')) return undefined;
  return p === '.' || p === './' ? cwd : joinPath(cwd, p);
}

/** One `chainsaw test` command's words after `test`, run in `cwd`. */
function runOf(cwd: string, words: readonly string[]): ChainsawRun {
  let config: string | null | undefined;
  let namespace: string | null | undefined;
  const dirs: string[] = [];
  let unknownDir = false;
  const addDirs = (v: string): void => {
    for (const d of v.split(',')) {
      const at = pathAt(cwd, d);
      if (at === undefined) unknownDir = true;
      else dirs.push(at);
    }
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (/[<>]/.test(w)) {
      // A redirection: `> out.txt` takes the next word.
      if (/^\d*[<>]+&?$/.test(w)) i++;
      continue;
    }
    if (!w.startsWith('-')) {
      addDirs(w);
      continue;
    }
    const eq = w.indexOf('=');
    const flag = eq === -1 ? w : w.slice(0, eq);
    if (eq === -1 && BOOL_FLAGS.has(flag)) continue;
    const value = eq === -1 ? words[++i] : w.slice(eq + 1);
    if (value === undefined) break;
    if (flag === '--config') config = pathAt(cwd, value) ?? null;
    else if (flag === '--test-dir') addDirs(value);
    else if (flag === '--namespace') {
      const v = value.replace(/^["']|["']$/g, '');
      namespace = DNS_LABEL.test(v) ? v : null;
    }
  }
  // chainsaw runs the Tests of `.` without a test folder; an unknown one (a variable) names none we know.
  const testDirs = dirs.length === 0 && !unknownDir ? [cwd] : dirs;
  return {
    cwd,
    config: config === undefined ? `${cwd}/.chainsaw.yaml` : config,
    explicit: config !== undefined,
    testDirs,
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/**
 * The commands of Makefile `uri`'s text whose tool `locate` finds (the index of its word) followed by `test`: the
 * folder each runs in (the Makefile's, or the one a `cd <dir> &&` before it names) and its words after `test`, in
 * order (continuation lines joined, comments dropped).
 */
function testCommands(
  uri: string,
  text: string,
  locate: (words: readonly string[]) => number,
): Array<{ cwd: string; args: readonly string[] }> {
  const out: Array<{ cwd: string; args: readonly string[] }> = [];
  const dir = dirname(uri);
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    if (!/chainsaw|kuttl/i.test(line)) continue;
    let cwd = dir;
    for (const segment of line.replace(/#.*$/, '').split(/&&|\|\||;|\|/)) {
      const words = segment
        .trim()
        .replace(/^[@+-]+/, '')
        .split(/\s+/)
        .filter((w) => w !== '');
      if (words[0] === 'cd') {
        const to = words[1] === undefined ? undefined : pathAt(cwd, words[1]);
        if (to !== undefined) cwd = to;
        continue;
      }
      const k = locate(words);
      if (k !== -1 && words[k + 1] === 'test') out.push({ cwd, args: words.slice(k + 2) });
    }
  }
  return out;
}

/** The `chainsaw test` commands of Makefile `uri`'s text, in order. */
export function chainsawRunsIn(uri: string, text: string): ChainsawRun[] {
  return testCommands(uri, text, (words) => words.findIndex(isChainsaw)).map((c) => runOf(c.cwd, c.args));
}

/** The `kubectl kuttl test` commands of Makefile `uri`'s text, in order. */
export function kuttlRunsIn(uri: string, text: string): KuttlRun[] {
  return testCommands(uri, text, kuttlAt).map((c) => kuttlRunOf(c.cwd, c.args));
}

/** One `kubectl kuttl test` command of a Makefile's recipes (kudobuilder/kuttl `internal/kuttlctl/cmd/test.go`). */
export interface KuttlRun {
  readonly cwd: string;
  /** The TestSuite file: `--config`'s, else `kuttl-test.yaml` in `cwd`; null: not a literal path. */
  readonly config: string | null;
  /** `--config` named it (kuttl then fails without it); without, kuttl runs with no suite when `kuttl-test.yaml` is absent. */
  readonly explicit?: boolean;
  /** `--namespace`/`-n`: every test runs in it, over the suite's `namespace` (null: not a literal name). */
  readonly namespace?: string | null;
  /** The positional arguments, which replace the suite's `testDirs` (a variable one names no folder known here). */
  readonly testDirs?: readonly string[];
}

/** kuttl as a recipe names it: `kubectl kuttl`, `kubectl-kuttl` or a path to it, a make variable named for it, `go run …/kubectl-kuttl@v…`. */
function kuttlAt(words: readonly string[]): number {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (/(^|\/)kubectl-kuttl(@\S+)?$/.test(w) || /^\$[({][A-Za-z_]*KUTTL[A-Za-z_]*[)}]$/i.test(w)) return i;
    if (/(^|\/)kubectl$/.test(w) && words[i + 1] === 'kuttl') return i + 1;
  }
  return -1;
}

/** `kubectl kuttl test`'s flags that take no value. */
const KUTTL_BOOL_FLAGS: ReadonlySet<string> = new Set([
  '--start-control-plane',
  '--attach-control-plane-output',
  '--start-kind',
  '--skip-delete',
  '--skip-cluster-delete',
  '--help',
  '-h',
]);

function kuttlRunOf(cwd: string, words: readonly string[]): KuttlRun {
  let config: string | null | undefined;
  let namespace: string | null | undefined;
  let testDirs: string[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (/[<>]/.test(w)) {
      if (/^\d*[<>]+&?$/.test(w)) i++;
      continue;
    }
    if (!w.startsWith('-')) {
      const at = pathAt(cwd, w);
      testDirs = [...(testDirs ?? []), ...(at === undefined ? [] : [at])];
      continue;
    }
    if (w.indexOf('=') === -1 && KUTTL_BOOL_FLAGS.has(w)) continue;
    const eq = w.indexOf('=');
    const flag = eq === -1 ? w : w.slice(0, eq);
    const value = eq === -1 ? words[++i] : w.slice(eq + 1);
    if (value === undefined) break;
    if (flag === '--config') config = pathAt(cwd, value) ?? null;
    else if (flag === '--namespace' || flag === '-n') {
      const v = value.replace(/^["']|["']$/g, '');
      namespace = DNS_LABEL.test(v) ? v : null;
    }
  }
  return {
    cwd,
    config: config === undefined ? `${cwd}/kuttl-test.yaml` : config,
    ...(config !== undefined ? { explicit: true } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(testDirs !== undefined ? { testDirs } : {}),
  };
}

/** Whether `uri` names a Makefile the hosts hand over. */
export function isMakefile(uri: string): boolean {
  return (MAKEFILE_NAMES as readonly string[]).includes(basename(uri));
}

/** A Makefile's test runs. */
export interface MakefileRuns {
  readonly chainsaw: readonly ChainsawRun[];
  readonly kuttl: readonly KuttlRun[];
}

/** The test runs of every Makefile among `uris` whose text `text` gives, by Makefile (those with one at least). */
export function harnessRunsOf(uris: Iterable<string>, text: (uri: string) => string | undefined): Map<string, MakefileRuns> {
  const out = new Map<string, MakefileRuns>();
  for (const uri of uris) {
    if (!isMakefile(uri)) continue;
    const t = text(uri);
    if (t === undefined) continue;
    const runs = { chainsaw: chainsawRunsIn(uri, t), kuttl: kuttlRunsIn(uri, t) };
    if (runs.chainsaw.length + runs.kuttl.length > 0) out.set(uri, runs);
  }
  return out;
}

/** The runs whose test folders hold folder `dir`. */
export function runsOver(runs: ReadonlyMap<string, MakefileRuns>, dir: string): ChainsawRun[] {
  const out: ChainsawRun[] = [];
  for (const list of runs.values()) for (const r of list.chainsaw) if (r.testDirs.some((d) => d === dir || isUnder(dir, d))) out.push(r);
  return out;
}

/**
 * The kuttl runs without a TestSuite: no `--config`, and no file at `kuttl-test.yaml` where they run (`has` says
 * which files the workspace holds). kuttl then runs the tests of its folder arguments with its flags alone
 * (`internal/kuttlctl/cmd/test.go`: "running without a 'kuttl-test.yaml' configuration"); one without a folder
 * argument stops ("no test directories provided"), and one whose folders are all variables names none known here.
 */
export function suitelessKuttlRuns(runs: ReadonlyMap<string, MakefileRuns>, has: (uri: string) => boolean): KuttlRun[] {
  const out: KuttlRun[] = [];
  for (const list of runs.values())
    for (const r of list.kuttl)
      if (r.explicit !== true && r.config !== null && !has(r.config) && (r.testDirs?.length ?? 0) > 0) out.push(r);
  return out;
}

/** The kuttl runs of TestSuite file `suite` (those whose `--config`, or `kuttl-test.yaml` where they run, is it). */
export function kuttlRunsOf(runs: ReadonlyMap<string, MakefileRuns>, suite: string): KuttlRun[] {
  const out: KuttlRun[] = [];
  for (const list of runs.values()) for (const r of list.kuttl) if (r.config === suite) out.push(r);
  return out;
}
