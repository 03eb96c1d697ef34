// Type-checks every layer with `tsc -b`: one project per layer (its own lib/types rules), joined by
// project references (tsconfig.json at the root), so analysis/ is checked once and the layers that
// import it read its declarations. Declarations and build info go to out/tsc/ (git-ignored); a second
// run re-checks only what changed. scripts/ is checked with test/ (they import each other).
// The compiler is TypeScript 7's native one (`typescript7`, an alias of typescript@7.0.2); TypeScript 6
// (`typescript`) stays for the tools that use its API (typescript-eslint, knip).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript7/bin/tsc'), '-b', root], { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('typecheck: type errors (tsc -b)');
  process.exit(1);
}
console.log('typecheck: clean (tsc -b: analysis, protocol, server, cli, client, webview, test with scripts)');
