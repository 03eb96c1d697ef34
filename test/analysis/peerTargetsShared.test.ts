/**
 * A rule's peers are evaluated once per index, scope and peer list (analysis/checks/support/policies.ts
 * `peerTargets`), not once per rule: rules of different policies with the same peers share one
 * result, and every rule gets what asking for it alone gives.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AnalysisHost } from '../../analysis/index.js';
import { DEFAULT_SETTINGS } from '../../analysis/settings.js';
import type { CheckContext } from '../../analysis/checks/support/check.js';
import { peerTargets, scopeOf } from '../../analysis/checks/support/policies.js';
import type { PeerTargets, Scope } from '../../analysis/checks/support/policies.js';
import type { PolicyRule } from '../../analysis/model/types.js';
import { generateWorkspace } from '../../scripts/bench/generate.js';

function contextOf(files: ReadonlyMap<string, string>): CheckContext {
  const host = new AnalysisHost();
  for (const [path, text] of files) host.setFile(`file:///ws/${path}`, text);
  return { index: host.snapshot().index, settings: DEFAULT_SETTINGS } as unknown as CheckContext;
}

function rulesOf(ctx: CheckContext): Array<{ rule: PolicyRule; scope: Scope; name: string }> {
  const out: Array<{ rule: PolicyRule; scope: Scope; name: string }> = [];
  for (const p of ctx.index.objects) {
    const np = p.obj.networkPolicy;
    const scope = scopeOf(p.placements[0]);
    if (np === undefined || scope === undefined) continue;
    for (const rule of [...(np.ingress ?? []), ...(np.egress ?? [])])
      out.push({ rule, scope, name: `${p.obj.uri}#${p.obj.ordinal} ${rule.path}` });
  }
  return out;
}

const named = (t: PeerTargets): unknown => ({ ...t, producers: t.producers.map((p) => `${p.obj.uri}#${p.obj.ordinal}`) });

it("rules with the same peers share one evaluation, equal to each rule's own", () => {
  const ws = generateWorkspace(600, 5, 'netpol');
  const forward = contextOf(ws.files);
  const backward = contextOf(ws.files);
  const rules = rulesOf(forward);
  const reversed = rulesOf(backward).reverse();
  const asked = rules.map((r) => peerTargets(forward, r.rule, r.scope));
  // Asked in the other order on an index of its own: the first rule of each peer list computes it.
  const other = new Map(reversed.map((r) => [r.name, named(peerTargets(backward, r.rule, r.scope))]));
  for (const [i, r] of rules.entries()) assert.deepEqual(named(asked[i] as PeerTargets), other.get(r.name), r.name);
  const distinct = new Set(asked).size;
  assert.ok(rules.length > 100, `${rules.length} rules`);
  assert.ok(distinct < rules.length / 2, `${distinct} evaluations for ${rules.length} rules`);
});
