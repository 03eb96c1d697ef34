/**
 * A throwaway git repository for tests of what reads a commit (`kube-reach diff --base`, the
 * server's changes since HEAD): git run in it without the machine's identity or signing.
 */

import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';

/** Runs git in `repo` (a test's identity, no signing) and returns its output. */
export function gitIn(repo: string): (...args: string[]) => string {
  return (...args) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
      cwd: repo,
      encoding: 'utf8',
    });
}

/** Makes `repo` a git repository whose one commit holds the folder `from` as `repo/<into>`; returns `gitIn(repo)`. */
export function commitFolder(repo: string, from: string, into: string): (...args: string[]) => string {
  const git = gitIn(repo);
  git('init', '-q');
  cpSync(from, join(repo, into), { recursive: true });
  git('add', '.');
  git('commit', '-q', '-m', 'before');
  return git;
}
