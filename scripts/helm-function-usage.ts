/**
 * Measures which template functions real charts call (docs/dev/helm-functions.md): for every chart
 * (a folder with Chart.yaml and templates/) in the given bare git repositories, lexes its templates
 * with the engine's own lexer and counts, per function, the charts that call it. Prints the
 * Markdown table with whether the engine implements each function.
 *
 *   node --import tsx scripts/helm-function-usage.ts <bare clone of a chart repository> …
 */

import { execFileSync } from 'node:child_process';
import { lex } from '../analysis/render/helm/template/lex.js';
import { ALL_FUNCS } from '../analysis/render/helm/template/index.js';

const repos = process.argv.slice(2);
const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const usage = new Map<string, Set<string>>();
const charts: string[] = [];
const owners = new Set<string>();

for (const dir of repos) {
  const repoName = /([^/+]+)\+([^/]+)\/repo\/?$/.exec(dir);
  const owner = repoName?.[1] ?? dir;
  const name = repoName?.[2] ?? dir;
  const files = git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n');
  for (const chartYaml of files.filter((f) => /(^|\/)Chart\.yaml$/.test(f))) {
    const chartDir = chartYaml.replace(/\/?Chart\.yaml$/, '');
    const prefix = chartDir === '' ? '' : `${chartDir}/`;
    const templates = files.filter((f) => f.startsWith(`${prefix}templates/`) && /\.(ya?ml|tpl|txt|json)$/.test(f));
    if (templates.length === 0) continue;
    const chart = `${owner}/${chartDir === '' ? name : chartDir}`;
    charts.push(chart);
    owners.add(owner);
    for (const f of templates) {
      for (const item of lex(git(dir, 'show', `HEAD:${f}`))) {
        if (item.typ === 'error') break;
        if (item.typ !== 'identifier') continue;
        let set = usage.get(item.val);
        if (set === undefined) usage.set(item.val, (set = new Set()));
        set.add(chart);
      }
    }
  }
}

const rows = [...usage].sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1));
console.log(`${charts.length} charts from ${owners.size} authors (${[...owners].sort().join(', ')}); ${rows.length} functions called.\n`);
console.log('| function | charts calling it | implemented |');
console.log('|---|---:|---|');
for (const [f, set] of rows) console.log(`| \`${f}\` | ${set.size} | ${ALL_FUNCS.has(f) ? 'yes' : '**no**'} |`);
