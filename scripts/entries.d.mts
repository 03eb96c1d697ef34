// Types of scripts/entries.mjs for the TypeScript scripts.
import type { BuildOptions } from 'esbuild';

export interface Entry {
  readonly in: string;
  readonly out: string;
  readonly platform: 'node' | 'browser';
  readonly format: 'cjs' | 'iife';
  readonly banner?: string;
  readonly external?: readonly string[];
}

export const ENTRIES: readonly Entry[];
/** Files copied into dist/ as they are. */
export const COPIES: ReadonlyArray<{ readonly from: string; readonly to: string }>;
export function esbuildOptions(root: string, e: Entry): BuildOptions;
