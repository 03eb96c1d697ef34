// The one build script: esbuild bundles every entry point into dist/ (docs/dev/design.md §1).
// Usage: node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COPIES, ENTRIES, esbuildOptions } from './entries.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** Entry points (scripts/entries.mjs); an entry whose source does not exist yet is skipped. */
const entries = ENTRIES.filter((e) => existsSync(join(root, e.in)));

mkdirSync(join(root, 'dist'), { recursive: true });
for (const c of COPIES) copyFileSync(join(root, c.from), join(root, c.to));

// The hover/completion docs table is generated from kubernetes-models' typings (docs/dev/design.md §4).
if (!watch) {
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/gen-k8s-docs.ts')], { cwd: root, stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}

/**
 * The `yaml` package reads `process.env.LOG_TOKENS` for every token its parser meets and
 * `process.env.LOG_STREAM` for every document (debug output): an environment lookup each, about a
 * tenth of a large folder's parse. The bundles read them as unset.
 */
const yamlDebugSwitchesOff = {
  name: 'yaml-debug-switches-off',
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const contents = source.replace(/\bnode_process\.env\.LOG_(TOKENS|STREAM)\b/g, 'false');
      if (contents === source) throw new Error(`${args.path}: no LOG_TOKENS/LOG_STREAM switch found (yaml package changed?)`);
      return { contents, loader: 'js' };
    });
  },
};

const contexts = await Promise.all(
  entries.map((e) => {
    const options = esbuildOptions(root, e);
    return esbuild.context({
      ...options,
      minify,
      plugins: [
        ...options.plugins,
        yamlDebugSwitchesOff,
        {
          name: 'report',
          setup(build) {
            build.onEnd((result) => {
              if (watch) console.log(`[watch] ${e.out}: ${result.errors.length} error(s)`);
            });
          },
        },
      ],
    });
  }),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] build started');
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  if (existsSync(join(root, 'dist/cli.js'))) chmodSync(join(root, 'dist/cli.js'), 0o755);
}
