/**
 * Loading the known-good corpus (test/corpus/known-good) into an analysis host, by relative path.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AnalysisHost } from '../../analysis/index.js';
import { parseFixture } from './fixture.js';

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

/**
 * One workspace of the known-good corpus, examples/ and every check fixture's files, by `file:///ws/…`
 * URI (the incremental, warm-start and selection tests compare analyses of it). Fixtures that set
 * settings are left out unless `withSettingsFixtures`.
 */
export function mixedWorkspace(options: { readonly withSettingsFixtures?: boolean } = {}): Map<string, string> {
  const root = join(__dirname, '..', '..');
  const files = new Map<string, string>();
  for (const [rel, text] of corpusFiles()) files.set(`file:///ws/corpus/${rel}`, text);
  for (const [rel, text] of corpusFiles(join(root, 'examples'))) files.set(`file:///ws/examples/${rel}`, text);
  const checks = join(root, 'test/fixtures/checks');
  for (const dir of readdirSync(checks).sort()) {
    for (const f of readdirSync(join(checks, dir))
      .filter((x) => x.endsWith('.yaml'))
      .sort()) {
      const fx = parseFixture(f, readFileSync(join(checks, dir, f), 'utf8'));
      if (fx.settingsLines.length > 0 && options.withSettingsFixtures !== true) continue;
      for (const v of fx.files) files.set(`file:///ws/fixtures/${dir}/${f.replace(/\.yaml$/, '')}/${v.path}`, v.text);
    }
  }
  return files;
}
