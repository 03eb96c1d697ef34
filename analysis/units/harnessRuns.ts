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

import { dirname, isUnder, joinPath } from '../workspace/paths.js';
import { DNS_LABEL, kubectlAppliedFiles } from '../model/shellCommands.js';
import { commandBlocksOf, runSourceKind, SCRIPT_DIR, TOP_DIR } from './runSources.js';

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

/** Where a runner's lines are: the script's own folder (`$(dirname "$0")`) and the repository's top, when known. */
interface Around {
  readonly scriptDir?: string;
  readonly top?: string;
}

/**
 * A path as a recipe writes it, relative to `cwd` (undefined: unknown), or to the script's folder or the repository's
 * top its markers name (units/runSources.ts); undefined for another variable, a URL or an absolute path.
 */
function pathAt(cwd: string | undefined, raw: string, around: Around = {}): string | undefined {
  let p = raw.replace(/^["']|["']$/g, '').replace(HERE, '.');
  let base = cwd;
  for (const [mark, dir] of [
    [SCRIPT_DIR, around.scriptDir],
    [TOP_DIR, around.top],
  ] as const)
    if (p.startsWith(mark)) {
      base = dir;
      p = `.${p.slice(mark.length)}`;
    }
  if (base === undefined || p === '' || p.includes('$') || p.includes('@') || p.includes('://') || p.startsWith('/') || p.startsWith('~'))
    return undefined;
  return p === '.' || p === './' ? base : joinPath(base, p);
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

/** The `chainsaw test` commands of Makefile `uri`'s text, in order. */
export function chainsawRunsIn(uri: string, text: string): ChainsawRun[] {
  return [...runsIn(uri, text).chainsaw];
}

/** The `kubectl kuttl test` commands of Makefile `uri`'s text, in order. */
export function kuttlRunsIn(uri: string, text: string): KuttlRun[] {
  return [...runsIn(uri, text).kuttl];
}

/** A runner's lines read: the runs they start, the files they apply into a named namespace, the scripts they run. */
function runsIn(uri: string, text: string, cwd?: string): MakefileRuns {
  const kind = runSourceKind(uri);
  const around: Around =
    kind === 'shell'
      ? { scriptDir: dirname(uri) }
      : kind === 'github'
        ? { top: dirname(dirname(dirname(uri))) }
        : kind === 'gitlab'
          ? { top: dirname(uri) }
          : {};
  const out = { chainsaw: [] as ChainsawRun[], kuttl: [] as KuttlRun[], applies: [] as AppliedRun[], calls: [] as ScriptCall[] };
  for (const block of commandBlocksOf(uri, text, cwd)) {
    // A `cd` holds for the lines after it in the block (one shell); one to a folder not known makes the rest unknown.
    let at = block.cwd;
    const pushed: Array<string | undefined> = [];
    for (const line of block.lines)
      for (const segment of line.split(/&&|\|\||;|\|/)) {
        const words = segment
          .trim()
          .replace(/^[@+-]+/, '')
          .split(/\s+/)
          .filter((w) => w !== '');
        const verb = words[0];
        if (verb === 'cd' || verb === 'pushd') {
          if (verb === 'pushd') pushed.push(at);
          at = words[1] === undefined ? undefined : pathAt(at, words[1], around);
          continue;
        }
        if (verb === 'popd') {
          at = pushed.pop();
          continue;
        }
        readCommand(words, segment, at, around, out);
      }
  }
  return out;
}

/** One command's words (and its text, for kubectl's reading) run in folder `at`: what it runs, into `out`. */
function readCommand(
  words: readonly string[],
  segment: string,
  at: string | undefined,
  around: Around,
  out: { chainsaw: ChainsawRun[]; kuttl: KuttlRun[]; applies: AppliedRun[]; calls: ScriptCall[] },
): void {
  const script = scriptCalled(words);
  if (script !== undefined) {
    const uri = pathAt(at, script, around);
    if (uri !== undefined && at !== undefined) out.calls.push({ script: uri, cwd: at });
    return;
  }
  if (at !== undefined) {
    const c = words.findIndex(isChainsaw);
    if (c !== -1 && words[c + 1] === 'test') out.chainsaw.push(runOf(at, words.slice(c + 2)));
    const k = kuttlAt(words);
    if (k !== -1 && words[k + 1] === 'test') out.kuttl.push(kuttlRunOf(at, words.slice(k + 2)));
  }
  // `kubectl apply -n <name> -f <path>`: only a literal namespace places anything (a variable is read as nothing).
  if (!/kubectl/.test(segment)) return;
  for (const a of kubectlAppliedFiles(segment)) {
    if (a.kustomize === true || typeof a.namespace !== 'string') continue;
    const file = pathAt(at, a.file, around);
    if (file !== undefined) out.applies.push({ file, namespace: a.namespace, ...(a.recursive === true ? { recursive: true } : {}) });
  }
}

/** The script a command runs: `./hack/e2e.sh`, `hack/e2e.sh`, `bash -x hack/e2e.sh`, `source env.sh`; undefined for any other. */
function scriptCalled(words: readonly string[]): string | undefined {
  let i = 0;
  // Variables set for the command (`NS=e2e ./run.sh`).
  while (/^[A-Za-z_]\w*=/.test(words[i] ?? '')) i++;
  const w = words[i] ?? '';
  if (['bash', 'sh', 'zsh', 'source', '.'].includes(w)) {
    i++;
    while ((words[i] ?? '').startsWith('-')) i++;
  }
  const path = (words[i] ?? '').replace(/^["']|["']$/g, '');
  return /\.sh$/.test(path) ? path : undefined;
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

/** A file a runner's `kubectl apply|create|replace -n <name> -f <path>` applies into a named namespace. */
export interface AppliedRun {
  readonly file: string;
  readonly namespace: string;
  readonly recursive?: boolean;
}

/** A shell script a runner's line runs, and the folder it runs it in. */
export interface ScriptCall {
  readonly script: string;
  readonly cwd: string;
}

/** A runner's (Makefile's, workflow's, GitLab CI file's, shell script's) test runs, applies and script calls. */
export interface MakefileRuns {
  readonly chainsaw: readonly ChainsawRun[];
  readonly kuttl: readonly KuttlRun[];
  readonly applies?: readonly AppliedRun[];
  readonly calls?: readonly ScriptCall[];
}

/** How many times scripts' folders are passed on (a script that runs a script that runs a script…). */
const CALL_DEPTH = 4;

/**
 * What every runner among `uris` (units/runSources.ts) whose text `text` gives starts, by runner: each is in the map,
 * its runs empty or not (an edit of one reads them all again: a script runs where the lines that run it run). A shell
 * script runs in the folder the lines that run it agree on; one that no known line runs, or that two run from
 * different folders, in a folder not known (its `$(dirname "$0")` paths still read).
 */
export function harnessRunsOf(uris: Iterable<string>, text: (uri: string) => string | undefined): Map<string, MakefileRuns> {
  const out = new Map<string, MakefileRuns>();
  const scripts: Array<{ uri: string; text: string }> = [];
  for (const uri of new Set(uris)) {
    const kind = runSourceKind(uri);
    const t = kind === undefined ? undefined : text(uri);
    if (t === undefined) continue;
    if (kind === 'shell') scripts.push({ uri, text: t });
    else out.set(uri, runsIn(uri, t));
  }
  const cwdOf = new Map<string, string | undefined>();
  for (let round = 0; round <= CALL_DEPTH && scripts.length > 0; round++) {
    const callers = new Map<string, Set<string>>();
    for (const r of out.values()) for (const c of r.calls ?? []) callers.set(c.script, (callers.get(c.script) ?? new Set()).add(c.cwd));
    let moved = round === 0;
    for (const { uri } of scripts) {
      const from = callers.get(uri);
      const cwd = from !== undefined && from.size === 1 ? [...from][0] : undefined;
      if (cwdOf.has(uri) && cwdOf.get(uri) === cwd) continue;
      cwdOf.set(uri, cwd);
      moved = true;
    }
    if (!moved) break;
    for (const { uri, text: t } of scripts) out.set(uri, runsIn(uri, t, cwdOf.get(uri)));
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

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** Whether a runner's `kubectl apply -n <name> -f <path>` names file `uri` (the file, its folder, a folder above it with `-R`). */
function names(a: AppliedRun, uri: string): boolean {
  return a.file === uri || (MANIFEST_FILE.test(uri) && (dirname(uri) === a.file || (a.recursive === true && isUnder(uri, a.file))));
}

/** Whether a runner applies file `uri` into a named namespace (a file that comes or goes there changes placements). */
export function appliedByRuns(runs: ReadonlyMap<string, MakefileRuns>, uri: string): boolean {
  for (const r of runs.values()) for (const a of r.applies ?? []) if (names(a, uri)) return true;
  return false;
}

/**
 * Where the runners' `kubectl apply -n <name> -f <path>` lines (a Makefile's, a CI workflow's, a shell script's)
 * put the objects of the plain files they apply: those without a namespace in the named one, in the file's own
 * folder unit (kubectl reads a folder's `.yaml`, `.yml` and `.json` files, at every depth with `-R`). Lines that
 * name two namespaces for a file leave it unknown (null). `among` gives the files that may be placed so (not a
 * chart's, a Kustomize tree's or a test tool's, which their own readings place).
 */
export function runPlacements(
  runs: ReadonlyMap<string, MakefileRuns>,
  among: Iterable<string>,
): Map<string, ReadonlyArray<{ readonly test: string; readonly namespace: string | null }>> {
  const applies = [...runs.values()].flatMap((r) => r.applies ?? []);
  const out = new Map<string, ReadonlyArray<{ readonly test: string; readonly namespace: string | null }>>();
  if (applies.length === 0) return out;
  for (const uri of among) {
    const namespaces = new Set(applies.filter((a) => names(a, uri)).map((a) => a.namespace));
    if (namespaces.size === 0) continue;
    out.set(uri, [{ test: dirname(uri), namespace: namespaces.size === 1 ? ([...namespaces][0] ?? null) : null }]);
  }
  return out;
}
