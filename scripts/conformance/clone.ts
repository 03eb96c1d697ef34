/**
 * What conformance-diff.ts and conformance-peer.ts do alike with a local clone (bare or not) of
 * np-guard/netpol-analyzer (test/conformance/README.md, "measured, not vendored"): take the clone
 * from the command line, extract the folders a script compares from its HEAD into a temporary
 * folder, measure there with the engine options of test/conformance/netpol-analyzer.kube-reach.yaml,
 * and remove the folder whatever happens.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The engine options netpol-analyzer's outputs assume. */
export const CONFIG = join(__dirname, '..', '..', 'test', 'conformance', 'netpol-analyzer.kube-reach.yaml');

/** Kinds Kube Reach does not read: cases that hold one are counted apart. */
export const UNREAD_KINDS =
  /^\s*kind:\s*(Route|UserDefinedNetwork|ClusterUserDefinedNetwork|NetworkAttachmentDefinition|MultiNetworkPolicy|VirtualMachine)\s*$/m;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

/** Whether a file under `dir` declares one of `kinds`. */
export function holds(dir: string, kinds: RegExp): boolean {
  return filesUnder(dir).some((f) => kinds.test(readFileSync(f, 'utf8')));
}

/**
 * Runs `measure` on `paths` of the clone named by the first argument (usage, exit 2, without one),
 * extracted into a temporary folder named after `script`; an error is printed and exits 1.
 */
export function measureClone(script: string, paths: readonly string[], measure: (work: string) => Promise<void>): void {
  const repo = process.argv[2];
  if (repo === undefined) {
    process.stderr.write(`usage: node --import tsx scripts/${script}.ts <netpol-analyzer clone>\n`);
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), `kube-reach-${script}-`));
  const run = async (): Promise<void> => {
    const archive = execFileSync('git', ['-C', repo, 'archive', 'HEAD', ...paths], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '-C', work], { input: archive });
    await measure(work);
  };
  run()
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    })
    .finally(() => rmSync(work, { recursive: true, force: true }));
}
