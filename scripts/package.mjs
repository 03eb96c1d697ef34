// `npm run package`: minified build, then the VSIX with the pinned @vscode/vsce (no dependencies:
// dist/ bundles everything). Prints the VSIX path and fails if it exceeds 2 MB (design T9).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
const MAX_BYTES = 2 * 1024 * 1024;

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

mkdirSync(dirname(out), { recursive: true });
run(['scripts/build.mjs', '--minify']);
run([join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out]);
const size = statSync(out).size;
console.log(`package: ${out} (${(size / 1024).toFixed(0)} KiB)`);
if (size > MAX_BYTES) {
  console.error(`package: the VSIX is larger than 2 MB`);
  process.exit(1);
}
