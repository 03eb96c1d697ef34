/**
 * Measures `kube-reach reach` against the np-guard/netpol-analyzer golden outputs that are not
 * vendored (test/conformance/README.md, "measured, not vendored"): the connection lists of its
 * cases with AdminNetworkPolicy or BaselineAdminNetworkPolicy objects, and every exposure output
 * (`<case>_exposure_output.txt`, `list --exposure`). Reads a local clone (bare or not) of that
 * repository, extracts `tests/` and `test_outputs/connlist/` into a temporary folder and runs each
 * case through the public CLI with the engine options of
 * test/conformance/netpol-analyzer.kube-reach.yaml. An exposure output that differs only in how a
 * selector's `matchExpressions` print (netpol-analyzer prints Go structs,
 * `{Key:app,Operator:In,Values:[a b],}`; Kube Reach the operators' words, `app In (a,b)`) is
 * counted apart; every other difference is listed with its lines. The bad-path cases
 * (`tests/*bad_path*`, inputs netpol-analyzer rejects with an error) are run through
 * `kube-reach check`: the script lists those that get no error-level finding. Cases whose inputs
 * hold kinds Kube Reach does not read (OpenShift Route, UserDefinedNetwork, …) are counted apart.
 *
 *   node --import tsx scripts/conformance-peer.ts /path/to/netpol-analyzer[.git]
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';

const repo = process.argv[2];
if (repo === undefined) {
  process.stderr.write('usage: node --import tsx scripts/conformance-peer.ts <netpol-analyzer clone>\n');
  process.exit(2);
}
const config = join(__dirname, '..', 'test', 'conformance', 'netpol-analyzer.kube-reach.yaml');
const work = mkdtempSync(join(tmpdir(), 'kube-reach-npa-peer-'));
const UNREAD_KINDS =
  /^\s*kind:\s*(Route|UserDefinedNetwork|ClusterUserDefinedNetwork|NetworkAttachmentDefinition|MultiNetworkPolicy|VirtualMachine)\s*$/m;
const CLUSTER_KINDS = /^\s*kind:\s*(AdminNetworkPolicy|BaselineAdminNetworkPolicy)\s*$/m;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function holds(dir: string, kinds: RegExp): boolean {
  return filesUnder(dir).some((f) => kinds.test(readFileSync(f, 'utf8')));
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

/** A selector printed by netpol-analyzer, rewritten in Kube Reach's words (sorted by key). */
function selectorWords(line: string): string {
  return line.replace(/\{((?:[^{}]|\{[^{}]*\})*)\}/g, (whole: string, inner: string) => {
    if (!inner.includes('{Key:')) return whole;
    const items: string[] = [];
    const re = /\{Key:([^,]*),Operator:([A-Za-z]+),Values:\[([^\]]*)\],\}|([^,{}]+=[^,{}]*)/g;
    for (let m = re.exec(inner); m !== null; m = re.exec(inner)) {
      if (m[4] !== undefined) {
        items.push(m[4]);
        continue;
      }
      const values = (m[3] ?? '')
        .split(' ')
        .filter((v) => v !== '')
        .sort();
      const op = m[2] ?? '';
      const key = m[1] ?? '';
      if (op === 'In' && values.length === 1) items.push(`${key}=${values[0] ?? ''}`);
      else if (op === 'Exists' || op === 'DoesNotExist') items.push(`${key} ${op}`);
      else items.push(`${key} ${op} (${values.join(',')})`);
    }
    const key = (s: string): string => s.split(/[= ]/)[0] ?? '';
    items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return `{${items.join(',')}}`;
  });
}

async function reach(dir: string, exposure: boolean): Promise<string> {
  let out = '';
  const args = ['reach', dir, '--format', 'text', '--config', config, ...(exposure ? ['--exposure'] : [])];
  await main(args, { stdout: (t) => (out += t), stderr: () => undefined, cwd: work });
  return out;
}

function differences(expected: readonly string[], ours: readonly string[]): string {
  const e = new Set(expected);
  const o = new Set(ours);
  return [...expected.filter((l) => !o.has(l)).map((l) => `    - ${l}`), ...ours.filter((l) => !e.has(l)).map((l) => `    + ${l}`)].join(
    '\n',
  );
}

async function measure(): Promise<void> {
  const archive = execFileSync('git', ['-C', repo ?? '', 'archive', 'HEAD', 'tests', 'test_outputs/connlist'], { maxBuffer: 1 << 30 });
  execFileSync('tar', ['-x', '-C', work], { input: archive });
  const outputs = join(work, 'test_outputs', 'connlist');
  const cases = (suffix: string): string[] =>
    readdirSync(outputs)
      .filter((f) => f.endsWith(suffix))
      .map((f) => f.slice(0, -suffix.length))
      .filter((c) => existsSync(join(work, 'tests', c)))
      .sort();
  const report = (title: string, exact: number, apart: string[], apartWhat: string, differ: string[], unread: number): void => {
    const total = exact + apart.length + differ.length;
    process.stdout.write(
      `${title}: ${exact} exact of ${total}${apartWhat === '' ? '' : `, ${apart.length} ${apartWhat}`}, ${differ.length} differ (plus ${unread} with kinds Kube Reach does not read)\n`,
    );
    for (const d of differ) process.stdout.write(`  differs: ${d}\n`);
  };

  // Connection lists of the cases with cluster policies.
  let exact = 0;
  let unread = 0;
  const differ: string[] = [];
  for (const c of cases('_connlist_output.txt')) {
    const dir = join(work, 'tests', c);
    if (!holds(dir, CLUSTER_KINDS)) continue;
    if (holds(dir, UNREAD_KINDS)) {
      unread++;
      continue;
    }
    const expected = lines(readFileSync(join(outputs, `${c}_connlist_output.txt`), 'utf8'));
    const ours = lines(await reach(dir, false));
    if (expected.join('\n') === ours.join('\n')) exact++;
    else differ.push(`${c}\n${differences(expected, ours)}`);
  }
  report('AdminNetworkPolicy/BaselineAdminNetworkPolicy connection lists', exact, [], '', differ, unread);

  // Exposure outputs: the part from "Exposure Analysis Result:" on.
  let exposureExact = 0;
  let exposureUnread = 0;
  const printing: string[] = [];
  const exposureDiffer: string[] = [];
  for (const c of cases('_exposure_output.txt')) {
    const dir = join(work, 'tests', c);
    if (holds(dir, UNREAD_KINDS)) {
      exposureUnread++;
      continue;
    }
    const all = readFileSync(join(outputs, `${c}_exposure_output.txt`), 'utf8');
    const out = await reach(dir, true);
    const part = (t: string): string[] => lines(t.slice(Math.max(0, t.indexOf('Exposure Analysis Result:'))));
    const expected = part(all);
    const ours = part(out);
    if (expected.join('\n') === ours.join('\n')) {
      exposureExact++;
      continue;
    }
    // Padding follows the longest workload name, which the selector's words change too.
    const tight = (l: string): string => l.replace(/ +\t/g, ' \t');
    const e = expected.map((l) => tight(selectorWords(l)));
    const o = ours.map(tight);
    if ([...e].sort().join('\n') === [...o].sort().join('\n')) printing.push(c);
    else exposureDiffer.push(`${c}\n${differences(e, o)}`);
  }
  report('exposure outputs', exposureExact, printing, 'differ only in how matchExpressions print', exposureDiffer, exposureUnread);

  // Bad-path cases: netpol-analyzer stops with an error; Kube Reach should report one.
  const bad = readdirSync(join(work, 'tests'))
    .filter((c) => c.includes('bad_path'))
    .sort();
  let reported = 0;
  let badUnread = 0;
  const silent: string[] = [];
  for (const c of bad) {
    const dir = join(work, 'tests', c);
    if (holds(dir, UNREAD_KINDS)) {
      badUnread++;
      continue;
    }
    let out = '';
    await main(['check', dir, '--format', 'json', '--config', config], { stdout: (t) => (out += t), stderr: () => undefined, cwd: work });
    const parsed = JSON.parse(out) as { diagnostics?: Array<{ severity?: string; code?: string }> };
    const errors = (parsed.diagnostics ?? []).filter((d) => d.severity === 'error');
    if (errors.length > 0) reported++;
    else silent.push(c);
  }
  process.stdout.write(
    `bad-path cases: ${reported} of ${reported + silent.length} get an error (plus ${badUnread} with kinds Kube Reach does not read)\n`,
  );
  for (const c of silent) process.stdout.write(`  no error: ${c}\n`);
}

measure()
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
