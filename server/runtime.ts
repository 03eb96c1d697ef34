/**
 * What the server needs from its host process, injected so the wiring in `server.ts` stays free
 * of direct IO (as vscode's language servers do with their `RuntimeEnvironment`).
 */

import { readFileSync } from 'node:fs';
import { listManifests, readIgnoreFiles, readManifest } from './files.js';
import type { ReadResult } from './files.js';
import { lowerOnWorkers } from './parsePool.js';

export interface Disposable {
  dispose(): void;
}

export interface ServerRuntime {
  /** Manifest files under a folder, sorted, honouring exclude globs. */
  listManifests(root: string, exclude: readonly string[], note?: (message: string) => void): string[];
  /** One manifest, or the reason it was skipped (binary, oversize, unreadable). */
  readManifest(path: string, maxBytes: number): ReadResult;
  /** A small text file (the `.kube-reach.yaml` of a root), or undefined when absent. */
  readTextFile(path: string): string | undefined;
  /** The `.gitignore` and `.fleetignore` files above the listed files (path → text; server/files.ts `readIgnoreFiles`); none without it. */
  readIgnoreFiles?(files: Iterable<string>): Map<string, string>;
  /** Milliseconds from an arbitrary origin, for durations only. */
  now(): number;
  setTimer(callback: () => void, ms: number): Disposable;
  /** Resolves after pending IO callbacks have run (lets messages in between long work). */
  yieldToEventLoop(): Promise<void>;
  /** Lowers plain manifests on parse workers (server/parsePool.ts); without it the host parses every file itself. */
  lowerOnWorkers?: typeof lowerOnWorkers;
}

/** The runtime of a Node process. */
export const nodeRuntime: ServerRuntime = {
  listManifests,
  readManifest,
  readIgnoreFiles,
  readTextFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  now: () => performance.now(),
  setTimer(callback, ms) {
    if (ms <= 0) {
      const immediate = setImmediate(callback);
      return { dispose: () => clearImmediate(immediate) };
    }
    const timeout = setTimeout(callback, ms);
    return { dispose: () => clearTimeout(timeout) };
  },
  yieldToEventLoop: () => new Promise((resolve) => setImmediate(resolve)),
  lowerOnWorkers,
};
