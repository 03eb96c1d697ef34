/**
 * Measures `kube-reach reach` against the np-guard/netpol-analyzer golden outputs that are not
 * vendored (test/conformance/README.md, "measured, not vendored"): the connection lists of its
 * cases with AdminNetworkPolicy or BaselineAdminNetworkPolicy objects, and every exposure output
 * (`<case>_exposure_output.txt`, `list --exposure`). Reads a local clone (bare or not) of that
 * repository, extracts `tests/` and `test_outputs/connlist/` into a temporary folder and runs each
 * case through the public CLI with the engine options of
 * test/conformance/netpol-analyzer.kube-reach.yaml. Every difference is listed with its lines
 * (`--format text` prints selectors as netpol-analyzer does, `matchExpressions` entries as Go
 * structs, so outputs compare as they are). The explain outputs
 * (`<case>_explain_output.txt`, `list --explain`) are in netpol-analyzer's own wording: the script
 * asks `kube-reach explain` each of their connections (a port of each allowed and denied set,
 * per protocol) and compares the verdict and the policies named as deciding it. The bad-path cases
 * (`tests/*bad_path*`, inputs netpol-analyzer rejects with an error) are run through
 * `kube-reach check`: the script lists those that get no error-level finding. Cases whose inputs
 * hold kinds Kube Reach does not read (OpenShift Route, UserDefinedNetwork, …) are counted apart.
 *
 *   node --import tsx scripts/conformance-peer.ts /path/to/netpol-analyzer[.git]
 */

import { cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, parseAllDocuments } from 'yaml';
import { main } from '../cli/main.js';
import { CONFIG as config, UNREAD_KINDS, holds, measureClone } from './conformance/clone.js';

const CLUSTER_KINDS = /^\s*kind:\s*(AdminNetworkPolicy|BaselineAdminNetworkPolicy)\s*$/m;

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

interface ExplainedProbe {
  readonly from: string;
  readonly to: string;
  readonly protocol: string;
  readonly port: number;
  readonly allowed: boolean;
  /** The policies their explanation names, as Kube Reach keys them (`ns/name`, `Kind/name`). */
  readonly policies: string[];
}

/**
 * The connections an explain output explains: per pair (`Connections between A => B:`), each
 * `Allowed …`/`Denied …` set, one port per protocol of it (the first of its ranges, 80 for a whole
 * protocol), with the policies named under it for the side that decides (both sides for an
 * allowed connection, the denying side for a denied one). Pairs with the ingress controller are left out
 * (their ports follow Ingress routing, not a probe).
 */
function explainProbes(text: string): ExplainedProbe[] {
  const out: ExplainedProbe[] = [];
  let from = '';
  let to = '';
  let current: ExplainedProbe[] = [];
  let sideCounts = true;
  const flush = (): void => {
    current = [];
  };
  for (const line of text.split('\n')) {
    const pair = /^Connections between (.+) => (.+):$/.exec(line);
    if (pair !== null) {
      from = pair[1] ?? '';
      to = pair[2] ?? '';
      flush();
      continue;
    }
    const set = /^\t(Allowed|Denied) (.+?) due to/.exec(line);
    if (set !== null && !from.startsWith('{') && !to.startsWith('{')) {
      current = [];
      // `TCP:[1-79,81-65535], UDP, SCTP`: commas inside brackets belong to the ranges.
      for (const item of (set[2] ?? '').split(/,\s*(?![^[]*\])/)) {
        const m = /^(TCP|UDP|SCTP)(?::\[(\d+))?/.exec(item.trim());
        if (m === null) continue;
        const probe = { from, to, protocol: m[1] ?? 'TCP', port: Number(m[2] ?? 80), allowed: set[1] === 'Allowed', policies: [] };
        current.push(probe);
        out.push(probe);
      }
      continue;
    }
    const side = /^\t\t(Egress|Ingress) \((Allowed|Denied)\)/.exec(line);
    if (side !== null) {
      // A denied connection names the policies of the side that denies it (as Kube Reach does).
      sideCounts = current.length > 0 && (side[2] === 'Allowed') === current[0]?.allowed;
    }
    const named = /(NetworkPolicy|AdminNetworkPolicy|BaselineAdminNetworkPolicy) '([^']+)'/.exec(line);
    if (named !== null && sideCounts) {
      const kind = named[1] ?? '';
      const key = kind === 'NetworkPolicy' ? (named[2] ?? '') : `${kind}/${named[2] ?? ''}`;
      for (const p of current) if (!p.policies.includes(key)) p.policies.push(key);
    }
  }
  return out;
}

const NODES_PEER = /^\s*-?\s*nodes:\s*(#.*)?$/m;

/**
 * A copy of a case's folder (`<dir>.without-nodes`) with every `nodes` peer of its cluster
 * policies taken out, as netpol-analyzer reads them (it ignores those peers with a warning); an
 * egress rule left with no peer is taken out too (a rule whose only peers are ignored matches
 * nothing). Undefined when the case has no `nodes` peer.
 */
function withoutNodesPeers(dir: string): string | undefined {
  if (!holds(dir, NODES_PEER)) return undefined;
  const copy = `${dir}.without-nodes`;
  cpSync(dir, copy, { recursive: true });
  const files = (d: string): string[] =>
    readdirSync(d).flatMap((e) => (statSync(join(d, e)).isDirectory() ? files(join(d, e)) : [join(d, e)]));
  let removed = 0;
  for (const file of files(copy)) {
    if (!/\.ya?ml$/.test(file)) continue;
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    if (!Array.isArray(docs)) continue;
    let changed = false;
    for (const doc of docs) {
      if (!CLUSTER_KINDS.test(`kind: ${String(doc.get('kind'))}`)) continue;
      const egress = doc.getIn(['spec', 'egress']);
      if (!isSeq(egress)) continue;
      for (let r = egress.items.length - 1; r >= 0; r--) {
        const rule = egress.items[r];
        const to = isMap(rule) ? rule.get('to') : undefined;
        if (!isSeq(to)) continue;
        const before = to.items.length;
        to.items = to.items.filter((peer) => !(isMap(peer) && peer.has('nodes')));
        if (to.items.length === before) continue;
        removed += before - to.items.length;
        changed = true;
        if (to.items.length === 0) egress.items.splice(r, 1);
      }
    }
    if (changed) writeFileSync(file, docs.map((d) => d.toString()).join(''));
  }
  return removed > 0 ? copy : undefined;
}

/**
 * Whether a connection list differs from netpol-analyzer's by docs/dev/cluster-policies.md C9
 * alone: with the case's `nodes` peers taken out (as netpol-analyzer reads them) it is exact, every
 * line of ours that theirs lacks is an undefined verdict because of a `nodes` peer, and every line
 * of theirs that ours lacks is there as such an undefined line for the same pair and ports.
 */
async function byNodesPeers(work: string, dir: string, expected: readonly string[], ours: readonly string[]): Promise<boolean> {
  const stripped = withoutNodesPeers(dir);
  if (stripped === undefined) return false;
  if (lines(await reach(work, stripped, false)).join('\n') !== expected.join('\n')) return false;
  const e = new Set(expected);
  const o = new Set(ours);
  const extra = ours.filter((l) => !e.has(l));
  const missing = expected.filter((l) => !o.has(l));
  return (
    extra.every((l) => l.includes(' (undefined: ') && l.includes('selects nodes')) &&
    missing.every((l) => extra.some((x) => x.startsWith(`${l} (undefined: `)))
  );
}

async function reach(work: string, dir: string, exposure: boolean): Promise<string> {
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

async function measure(work: string): Promise<void> {
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
  const byDesign: string[] = [];
  for (const c of cases('_connlist_output.txt')) {
    const dir = join(work, 'tests', c);
    if (!holds(dir, CLUSTER_KINDS)) continue;
    if (holds(dir, UNREAD_KINDS)) {
      unread++;
      continue;
    }
    const expected = lines(readFileSync(join(outputs, `${c}_connlist_output.txt`), 'utf8'));
    const ours = lines(await reach(work, dir, false));
    if (expected.join('\n') === ours.join('\n')) exact++;
    else if (await byNodesPeers(work, dir, expected, ours)) byDesign.push(`${c} (C9, \`nodes\` peers)`);
    else differ.push(`${c}\n${differences(expected, ours)}`);
  }
  report('AdminNetworkPolicy/BaselineAdminNetworkPolicy connection lists', exact, byDesign, 'by design', differ, unread);
  for (const c of byDesign) process.stdout.write(`  by design: ${c}\n`);

  // Exposure outputs: the part from "Exposure Analysis Result:" on.
  let exposureExact = 0;
  let exposureUnread = 0;
  const exposureDiffer: string[] = [];
  for (const c of cases('_exposure_output.txt')) {
    const dir = join(work, 'tests', c);
    if (holds(dir, UNREAD_KINDS)) {
      exposureUnread++;
      continue;
    }
    const all = readFileSync(join(outputs, `${c}_exposure_output.txt`), 'utf8');
    const out = await reach(work, dir, true);
    const part = (t: string): string[] => lines(t.slice(Math.max(0, t.indexOf('Exposure Analysis Result:'))));
    const expected = part(all);
    const ours = part(out);
    if (expected.join('\n') === ours.join('\n')) {
      exposureExact++;
      continue;
    }
    exposureDiffer.push(`${c}\n${differences(expected, ours)}`);
  }
  report('exposure outputs', exposureExact, [], '', exposureDiffer, exposureUnread);

  // Explain outputs: the verdict and the deciding policies of each connection they explain.
  let asked = 0;
  let sameVerdict = 0;
  let samePolicies = 0;
  let explainCases = 0;
  let explainByDesign = 0;
  const explainDiffer: string[] = [];
  for (const c of cases('_explain_output.txt')) {
    const dir = join(work, 'tests', c);
    if (holds(dir, UNREAD_KINDS)) continue;
    explainCases++;
    const probes = explainProbes(readFileSync(join(outputs, `${c}_explain_output.txt`), 'utf8'));
    if (probes.length === 0) continue;
    const file = join(work, `${c}.probes.json`);
    writeFileSync(file, JSON.stringify({ probes: probes.map((p) => ({ from: p.from, to: p.to, port: p.port, protocol: p.protocol })) }));
    type Result = { allowed?: boolean | null; decidedBy?: Array<{ policy?: string }> };
    const ask = async (where: string): Promise<Result[]> => {
      let out = '';
      await main(['explain', where, '--probes', file, '--format', 'json', '--config', config], {
        stdout: (t) => (out += t),
        stderr: () => undefined,
        cwd: work,
      });
      try {
        return (JSON.parse(out) as { results?: Result[] }).results ?? [];
      } catch {
        return [];
      }
    };
    const agrees = (p: ExplainedProbe, r: Result | undefined): { verdict: boolean; policies: boolean } => {
      const ours = new Set((r?.decidedBy ?? []).map((d) => d.policy ?? ''));
      const verdict = r?.allowed === p.allowed;
      return { verdict, policies: verdict && p.policies.length === ours.size && p.policies.every((x) => ours.has(x)) };
    };
    const results = await ask(dir);
    // Differences on an undefined verdict in a case with `nodes` peers: by design (C9) when the
    // case without those peers (as netpol-analyzer reads it) agrees on the verdict and the policies.
    let stripped: Result[] | undefined;
    for (const [i, p] of probes.entries()) {
      asked++;
      const r = results[i];
      const a = agrees(p, r);
      if (a.verdict) sameVerdict++;
      if (a.policies) {
        samePolicies++;
        continue;
      }
      if (r?.allowed === null) {
        if (stripped === undefined) {
          const copy = withoutNodesPeers(dir);
          stripped = copy === undefined ? [] : await ask(copy);
        }
        if (agrees(p, stripped[i]).policies) {
          explainByDesign++;
          continue;
        }
      }
      const ours = (r?.decidedBy ?? []).map((d) => d.policy ?? '');
      explainDiffer.push(
        `${c}: ${p.from} -> ${p.to} ${p.protocol}/${p.port}: theirs ${p.allowed ? 'allowed' : 'denied'} by [${p.policies.join(', ')}], ours ${String(r?.allowed)} by [${[...new Set(ours)].join(', ')}]`,
      );
    }
  }
  process.stdout.write(
    `explain outputs (${explainCases} cases): ${asked} connections asked, ${sameVerdict} with the same verdict, ${samePolicies} also naming the same deciding policies, ${explainByDesign} by design (C9: undefined because of a \`nodes\` peer, the same as theirs without it)\n`,
  );
  for (const d of explainDiffer) process.stdout.write(`  differs: ${d}\n`);

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

measureClone('conformance-peer', ['tests', 'test_outputs/connlist'], measure);
