/**
 * `kube-reach diff <dir1> <dir2>` and `kube-reach diff --base <git-ref> [paths…]`: the connections
 * a change opens, closes or changes (analysis/reachability/diff.ts), in netpol-analyzer's diff
 * formats (text, csv, md) plus json, dot and mermaid. With `--base`, the manifests at that commit
 * are read with git (no checkout) and compared with the work tree.
 */

import { relative, resolve, sep } from 'node:path';
import { AnalysisHost } from '../analysis/index.js';
import type { AnalysisSettings } from '../analysis/index.js';
import { ReachEngine, isPickableUnit, optionsFromSettings, reachNotes } from '../analysis/index.js';
import { computeReach } from '../analysis/index.js';
import { connectivityDiff, diffGraph, renderDiffCsv, renderDiffJson, renderDiffMarkdown, renderDiffText } from '../analysis/index.js';
import type { DiffEntry, DiffSide, DiffType, RefNames } from '../analysis/index.js';
import { dotText, mermaidText } from '../protocol/graphText.js';
import { compileExcludes } from '../server/files.js';
import { GitError, filesAtRef, gitTopLevel, verifyCommit } from '../server/git.js';
import { pathToUri } from '../server/uris.js';
import type { ParsedArgs } from './args.js';
import { readableNotes } from '../server/notes.js';
import { oneOf } from './args.js';
import type { CommandSpec } from './command.js';
import type { CliIO } from './io.js';
import { escapeControl, UsageError } from './io.js';
import { loadSettings, loadWorkspace, unitArgument, WORKSPACE_FLAGS } from './workspace.js';

const FORMATS = ['text', 'csv', 'md', 'json', 'dot', 'mermaid'] as const;
type DiffFormat = (typeof FORMATS)[number];

interface Side extends DiffSide {
  /** The notes `reach` prints (objects left out, variants, policies not evaluated), printed once for both sides by `printNotes`. */
  readonly notes: readonly string[];
  /** Whether `unit` is a unit of this side's manifests. */
  readonly hasUnit: boolean;
}

/**
 * A side's engine on its files (only `unit`'s objects when given). Its notes name folders as paths
 * relative to `root` (the side's folder; the work tree's for both sides with --base), so the two
 * sides' notes about the same folders read the same, and a person can find them.
 */
function side(host: AnalysisHost, settings: AnalysisSettings, unit: string | undefined, root: string): Side {
  const analysis = host.snapshot();
  const engine = new ReachEngine(analysis, { ...optionsFromSettings(settings), unit });
  const hasUnit = unit !== undefined && isPickableUnit(analysis.index, unit);
  // The notes `reach` prints, for each side: a Kustomize build naming a folder none of whose files
  // were read (a base outside the paths given), whose objects are on neither side and would
  // otherwise read as no difference; Calico/Cilium policies neither side evaluates.
  const notes = readableNotes(reachNotes(analysis, engine), [root]);
  return { space: engine.space, result: computeReach(engine), notes, hasUnit };
}

/** Each side's notes, saying which side: a note both sides have once, for both. */
function printNotes(before: Side, after: Side, names: RefNames, io: CliIO): void {
  for (const n of before.notes)
    io.stderr(`kube-reach: note (${after.notes.includes(n) ? `${names.ref1} and ${names.ref2}` : names.ref1}): ${n}\n`);
  for (const n of after.notes) if (!before.notes.includes(n)) io.stderr(`kube-reach: note (${names.ref2}): ${n}\n`);
}

/** The manifests under `paths` as they are at `ref`, read from git into a fresh host (same uris as the work tree's). */
async function hostAtRef(ref: string, paths: readonly string[], settings: AnalysisSettings, io: CliIO): Promise<AnalysisHost> {
  try {
    const top = await gitTopLevel(io.cwd);
    if (top === undefined) throw new GitError(`--base needs a git repository, and ${io.cwd} is not in one`);
    await verifyCommit(top, ref);
    const rels = (paths.length === 0 ? ['.'] : paths).map((p) => relative(top, resolve(io.cwd, p)).split(sep).join('/') || '.');
    const read = await filesAtRef(top, ref, rels, {
      excluded: compileExcludes(settings.exclude),
      maxBytes: settings.maxFileSizeMB * 1024 * 1024,
    });
    for (const n of read.notes) io.stderr(`kube-reach: note: ${escapeControl(n)}\n`);
    const host = new AnalysisHost(settings);
    for (const [file, text] of read.manifests) host.setFile(pathToUri(resolve(top, file)), text);
    // Charts render with their partials, `.Files` and `.tgz` subcharts, as in the work tree.
    for (const [file, text] of read.support) {
      const uri = pathToUri(resolve(top, file));
      if (!host.hasFile(uri)) host.setSupportFile(uri, text);
    }
    return host;
  } catch (e) {
    if (e instanceof GitError) throw new UsageError(e.message);
    throw e;
  }
}

function render(format: DiffFormat, entries: readonly DiffEntry[], names: RefNames): string {
  switch (format) {
    case 'text':
      return renderDiffText(entries, names);
    case 'csv':
      return renderDiffCsv(entries, names);
    case 'md':
      return renderDiffMarkdown(entries, names) + '\n';
    case 'json':
      return renderDiffJson(entries, names);
    case 'dot':
    case 'mermaid': {
      const g = diffGraph(entries, names);
      const mark: Record<DiffType, string> = { added: '+ ', removed: '- ', changed: '~ ' };
      const edges = g.edges.map((e) => ({ from: e.from, to: e.to, label: mark[e.type] + e.label, undefinedVerdict: false, diff: e.type }));
      const nodes = g.nodes.map((id) => ({ id, cluster: /^([^/[{]+)\//.exec(id)?.[1] ?? '' }));
      return format === 'dot' ? dotText(nodes, edges) : mermaidText(nodes, edges);
    }
  }
}

/** A unit's identity from its path (`reach --unit`'s). */
function unitUri(cwd: string, ...path: string[]): string {
  const arg = path[path.length - 1] ?? '';
  return unitArgument(arg, (p) => pathToUri(resolve(cwd, ...path.slice(0, -1), p)));
}

async function runDiff(parsed: ParsedArgs, io: CliIO): Promise<number> {
  const format = oneOf('--format', parsed.values.get('--format')?.[0], FORMATS, 'text');
  const base = parsed.values.get('--base')?.[0];
  const unitArg = parsed.values.get('--unit')?.[0];
  let before: Side;
  let after: Side;
  let names: RefNames;
  if (base !== undefined) {
    const settings = loadSettings(parsed, io);
    const ws = await loadWorkspace(parsed.positionals, parsed, io);
    // The base's files have the work tree's paths: one unit for both sides.
    const unit = unitArg === undefined ? undefined : unitUri(io.cwd, unitArg);
    before = side(await hostAtRef(base, parsed.positionals, settings, io), settings, unit, io.cwd);
    after = side(ws.host, ws.settings, unit, io.cwd);
    names = { ref1: base, ref2: 'worktree' };
  } else {
    if (parsed.positionals.length !== 2) throw new UsageError('expects two folders (diff <dir1> <dir2>) or --base <git-ref> [paths…]');
    const [dir1 = '', dir2 = ''] = parsed.positionals;
    const ws1 = await loadWorkspace([dir1], parsed, io);
    const ws2 = await loadWorkspace([dir2], parsed, io);
    // The unit at the same place in each folder.
    before = side(ws1.host, ws1.settings, unitArg === undefined ? undefined : unitUri(io.cwd, dir1, unitArg), resolve(io.cwd, dir1));
    after = side(ws2.host, ws2.settings, unitArg === undefined ? undefined : unitUri(io.cwd, dir2, unitArg), resolve(io.cwd, dir2));
    names = { ref1: 'ref1', ref2: 'ref2' };
  }
  if (unitArg !== undefined && !before.hasUnit && !after.hasUnit)
    throw new UsageError(
      `--unit: ${unitArg} is not a unit of the manifests on either side (a Kustomize build, a Helm chart, a folder of manifests, or a file of a folder that has alternatives)`,
    );
  names = { ref1: parsed.values.get('--ref1-name')?.[0] ?? names.ref1, ref2: parsed.values.get('--ref2-name')?.[0] ?? names.ref2 };
  printNotes(before, after, names, io);
  const entries = connectivityDiff(before, after);
  // As netpol-analyzer: no difference prints nothing in its formats (and says so on stderr).
  if (entries.length === 0) io.stderr('kube-reach: note: no connectivity difference\n');
  if (entries.length > 0 || format === 'json') io.stdout(render(format, entries, names));
  return parsed.booleans.has('--fail-on-change') && entries.length > 0 ? 1 : 0;
}

export const diffCommand: CommandSpec = {
  name: 'diff',
  summary: 'List the connections a change opens, closes or changes.',
  synopsis: '<dir1> <dir2> [options]  |  --base <git-ref> [paths…] [options]',
  flags: [
    { name: '--base', value: 'REF', help: 'compare the work tree with the manifests at this git commit (read with git, no checkout)' },
    { name: '--format', value: FORMATS.join('|'), help: "output format (default text, netpol-analyzer's diff format)" },
    { name: '--fail-on-change', help: 'exit 1 when connectivity changed' },
    { name: '--ref1-name', value: 'NAME', help: 'the name of the first side in the output (default ref1, or the --base ref)' },
    { name: '--ref2-name', value: 'NAME', help: 'the name of the second side (default ref2, or worktree)' },
    {
      name: '--unit',
      value: 'PATH',
      help: "pick one unit on each side, as reach's: its alternatives left out, every other unit kept (with --base a path of the work tree; with two folders, a path inside each)",
    },
    ...WORKSPACE_FLAGS,
  ],
  details:
    'No difference prints nothing in text, csv and md (a note on stderr) and an empty list in json. Exit codes: 0 ok, 1 connectivity changed with --fail-on-change, 2 bad usage, an unreadable path or an unknown git ref.',
  run: runDiff,
};
