// The esbuild entry points and their options, shared by scripts/build.mjs (which writes dist/) and
// scripts/notices.ts (which bundles in memory to list the packages each bundle carries).

/** Entry points: source, dist/ name, platform, format. */
export const ENTRIES = [
  { in: 'cli/main.ts', out: 'cli', platform: 'node', format: 'cjs', banner: '#!/usr/bin/env node' },
  { in: 'server/main.ts', out: 'server', platform: 'node', format: 'cjs' },
  // elkjs (1.4 MB of the client's 2 MB minified) is its own bundle, required from dist/client.js
  // on the panel's first layout, and so is the language client: activation compiles neither (design T9).
  {
    in: 'client/extension.ts',
    out: 'client',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    apart: { 'elkjs/lib/elk.bundled.js': './elk.js', './languageClient.js': './languageClient.js' },
  },
  // elkjs's API over dist/elk-worker.js run in the host's thread (client/panel/elkHost.ts): for the
  // layouts the webview's worker could not make; elkjs itself ships once, as the worker script.
  { in: 'client/panel/elkHost.ts', out: 'elk', platform: 'node', format: 'cjs' },
  // vscode-languageclient, loaded by dist/client.js right after `activate` returns.
  { in: 'client/languageClient.ts', out: 'languageClient', platform: 'node', format: 'cjs', external: ['vscode'] },
  { in: 'webview/main.ts', out: 'webview', platform: 'browser', format: 'iife' },
];

/**
 * `apart`: imports left out of an entry's bundle, each required at run time from the bundle named
 * (a path relative to dist/, another entry's output).
 */
function apartPlugin(apart) {
  return {
    name: 'apart',
    setup(build) {
      for (const [request, path] of Object.entries(apart)) {
        const filter = new RegExp(`^${request.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
        build.onResolve({ filter }, () => ({ path, external: true }));
      }
    },
  };
}

/** esbuild options of one entry (without watch/minify and build.mjs's own plugins). */
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
    plugins: e.apart ? [apartPlugin(e.apart)] : [],
  };
}

/**
 * Files copied into dist/ as they are (not bundled): elkjs's own worker script, which the panel's
 * webview starts as a web worker (webview/layoutWorker.ts) and dist/elk.js runs in the extension
 * host's thread when that fails (client/panel/elkHost.ts). As published, it works in both: a
 * bundle's wrapper would hide its CommonJS export from the host.
 */
export const COPIES = [{ from: 'node_modules/elkjs/lib/elk-worker.min.js', to: 'dist/elk-worker.js' }];
