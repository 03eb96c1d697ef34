// The esbuild entry points and their options, shared by scripts/build.mjs (which writes dist/) and
// scripts/notices.ts (which bundles in memory to list the packages each bundle carries).

/** Entry points: source, dist/ name, platform, format. */
export const ENTRIES = [
  { in: 'cli/main.ts', out: 'cli', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  { in: 'server/main.ts', out: 'server', platform: 'node', format: 'cjs' },
  { in: 'client/extension.ts', out: 'client', platform: 'node', format: 'cjs', external: ['vscode'] },
  { in: 'webview/main.ts', out: 'webview', platform: 'browser', format: 'iife' },
];

/** esbuild options of one entry (without watch/minify/plugins). */
export function esbuildOptions(root, e) {
  return {
    absWorkingDir: root,
    entryPoints: { [e.out]: e.in },
    outdir: 'dist',
    bundle: true,
    platform: e.platform,
    format: e.format,
    target: e.platform === 'node' ? 'node20' : 'es2022',
    external: e.external ?? [],
    sourcemap: 'linked',
    logLevel: 'warning',
    banner: e.banner ? { js: e.banner } : undefined,
  };
}
