// `npm run screenshots`: refreshes the README images from the UI test (test/e2e/ui/run.mjs, which
// drives the packaged VSIX in code-server): docs/images/{diagnostic,hover,quick-fix,completion,panel-explanation,panel-graph,panel-narrow-500-graph}.png
// (the UI test's panel.png, the panel beside the editor, is not in the README, so it is not copied: the VSIX ships
// docs/images/*.png and stays within T9).
// The images ship in the VSIX, so they are quantised with pngquant (Debian's `pngquant` package):
// a third of their size, which keeps the VSIX within T9 (≤ 2 MB, docs/dev/design.md §9).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(root, 'test-results', 'ui');
const images = join(root, 'docs', 'images');
const NAMES = ['diagnostic', 'hover', 'quick-fix', 'completion', 'panel-explanation', 'panel-graph', 'panel-narrow-500-graph'];

for (const [script, args] of [
  ['scripts/package.mjs', []],
  ['test/e2e/ui/run.mjs', ['--shots', shots]],
]) {
  const r = spawnSync(process.execPath, [join(root, script), ...args], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`screenshots: ${script} failed; README images left as they were`);
    process.exit(1);
  }
}
mkdirSync(images, { recursive: true });
for (const n of NAMES) {
  const from = join(shots, `${n}.png`);
  if (!existsSync(from)) {
    console.error(`screenshots: the UI test did not produce ${n}.png`);
    process.exit(1);
  }
  const to = join(images, `${n}.png`);
  const q = spawnSync('pngquant', ['--quality=85-98', '--speed', '1', '--strip', '--force', '--output', to, from], { stdio: 'inherit' });
  if (q.error !== undefined || q.status !== 0) {
    console.error('screenshots: pngquant failed or is missing (apt-get install pngquant); the image is copied as it is');
    copyFileSync(from, to);
  }
  console.log(`screenshots: docs/images/${n}.png`);
}
