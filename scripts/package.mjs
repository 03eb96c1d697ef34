// `npm run package`: the VSIX with the pinned @vscode/vsce, exactly as a plain `vsce package` makes
// it (vsce runs `vscode:prepublish`, the minified build; package.json has no runtime dependencies,
// dist/ bundles everything; the README's relative links and images are rewritten to the repository
// and the images also ship inside the VSIX). Prints the VSIX path and fails above 2 MB (design T9).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, 'out', `${pkg.name}-${pkg.version}.vsix`);
const MAX_BYTES = 2 * 1024 * 1024;

mkdirSync(dirname(out), { recursive: true });
const r = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--out', out], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (r.status !== 0) process.exit(r.status ?? 1);
const size = statSync(out).size;
console.log(`package: ${out} (${(size / 1024).toFixed(0)} KiB)`);
if (size > MAX_BYTES) {
  console.error(`package: the VSIX is larger than 2 MB`);
  process.exit(1);
}
