/**
 * Seeded random cluster policies for the shared-unknowns tests (test/analysis/clusterSharedUnknowns
 * and oneValueSelectors): AdminNetworkPolicies and a BaselineAdminNetworkPolicy whose subjects and
 * peers are drawn from a small pool of selections, so that selections repeat; and the engine of one
 * workspace file.
 */

import type { AnalysisSettings } from '../../analysis/index.js';
import { AnalysisHost, readSettings } from '../../analysis/index.js';
import { ReachEngine, optionsFromSettings } from '../../analysis/reachability/engine.js';

/** Two to four AdminNetworkPolicies and, with chance 0.6, the BaselineAdminNetworkPolicy `default`, as YAML documents. */
export function randomAdminPolicies(r: () => number, pool: readonly string[]): string[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const docs: string[] = [];
  const rules = (dir: 'ingress' | 'egress', actions: readonly string[]): string => {
    const n = Math.floor(r() * 3);
    if (n === 0) return '';
    let out = `  ${dir}:\n`;
    for (let k = 0; k < n; k++) {
      const port = chance(0.5) ? '' : `\n      ports: [{portNumber: {port: ${pick([80, 5432])}}}]`;
      out += `    - name: r${k}\n      action: ${pick(actions)}\n      ${dir === 'ingress' ? 'from' : 'to'}: [${pick(pool)}]${port}\n`;
    }
    return out;
  };
  const anps = 2 + Math.floor(r() * 3);
  for (let i = 0; i < anps; i++) {
    const body = `  priority: ${pick([5, 10, 20])}\n  subject: ${pick(pool)}\n${rules('ingress', ['Allow', 'Deny', 'Pass'])}${rules('egress', ['Allow', 'Deny', 'Pass'])}`;
    docs.push(`apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp${i}}\nspec:\n${body}`);
  }
  if (chance(0.6))
    docs.push(
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: ${pick(pool)}\n${rules('ingress', ['Allow', 'Deny'])}${rules('egress', ['Allow', 'Deny'])}`,
    );
  return docs;
}

/** The reachability engine (the CLI's options) of a workspace of one file. */
export function engineOf(uri: string, text: string, settings: AnalysisSettings): ReachEngine {
  const host = new AnalysisHost(settings);
  host.setFile(uri, text);
  return new ReachEngine(host.snapshot(), optionsFromSettings(settings));
}

/** Every YAML file read as a template (templated selectors are unknowns), and plain. */
export const TEMPLATED = readSettings({ templateGlobs: ['**/*.yaml'] }).settings;
export const PLAIN = readSettings({}).settings;

/** Namespaces `a` and `b` labelled `team: t0` and `team: t1`. */
export function teamNamespaces(): string[] {
  return ['a', 'b'].map((ns, i) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: t${i}}}\n`);
}
