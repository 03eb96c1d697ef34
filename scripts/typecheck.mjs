// Type-checks every layer with its own tsconfig (each layer has its own lib/types rules).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const projects = ['analysis', 'protocol', 'server', 'cli', 'client', 'webview', 'test', 'scripts'].filter((p) =>
  existsSync(join(root, p, 'tsconfig.json')),
);
let failed = 0;
for (const p of projects) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, p)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`typecheck: ${p} has type errors`);
  }
}
console.log(`typecheck: ${projects.length - failed}/${projects.length} projects clean`);
process.exit(failed === 0 ? 0 : 1);
