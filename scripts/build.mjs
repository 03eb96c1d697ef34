// The one build script: esbuild bundles every entry point into dist/ (design §1).
// Usage: node scripts/build.mjs [--watch] [--minify]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** Entry points; an entry whose source does not exist yet is skipped. */
const entries = [
  { in: 'cli/main.ts', out: 'cli', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  { in: 'server/main.ts', out: 'server', platform: 'node', format: 'cjs' },
  { in: 'client/extension.ts', out: 'client', platform: 'node', format: 'cjs', external: ['vscode'] },
  { in: 'webview/main.ts', out: 'webview', platform: 'browser', format: 'iife' },
].filter((e) => existsSync(join(root, e.in)));

mkdirSync(join(root, 'dist'), { recursive: true });

// The hover/completion docs table is generated from kubernetes-models' typings (design §4).
if (!watch) {
  const gen = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/gen-k8s-docs.ts')], { cwd: root, stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      absWorkingDir: root,
      entryPoints: { [e.out]: e.in },
      outdir: 'dist',
      bundle: true,
      platform: e.platform,
      format: e.format,
      target: e.platform === 'node' ? 'node20' : 'es2022',
      external: e.external ?? [],
      sourcemap: 'linked',
      minify,
      logLevel: 'warning',
      banner: e.banner ? { js: e.banner } : undefined,
      plugins: [
        {
          name: 'report',
          setup(build) {
            build.onEnd((result) => {
              if (watch) console.log(`[watch] ${e.out}: ${result.errors.length} error(s)`);
            });
          },
        },
      ],
    }),
  ),
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
