/**
 * Loading the known-good corpus (test/corpus/known-good) into an analysis host, by relative path.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AnalysisHost } from '../../analysis/index.js';

export const CORPUS = join(__dirname, '..', 'corpus', 'known-good');

export function corpusFiles(dir = CORPUS): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(name)) out.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export const uriOf = (rel: string): string => `file:///corpus/${rel}`;

export function hostFor(files: ReadonlyMap<string, string>): AnalysisHost {
  const host = new AnalysisHost();
  for (const [rel, text] of files) host.setFile(uriOf(rel), text);
  return host;
}
