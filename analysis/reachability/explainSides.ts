/**
 * One side of an `explain` verdict in words (docs/dev/design.md §6): which NetworkPolicy rules allow
 * it or which policies isolate it, and through the cluster tiers which Admin, NetworkPolicy or
 * Baseline rule decided (docs/dev/cluster-policies.md), with the possible outcomes where a rule or
 * a policy's selection is only maybe (C13, netpol-semantics rule 1).
 */

import type { Bits } from './bitset.js';
import { hasBit } from './bitset.js';
import type { CPolicy, Peer, ReachEngine, SideExplanation } from './engine.js';
import { ruleWords } from './engine.js';
import { clusterPolicyWords, clusterRuleWords } from './clusterTier.js';
import type { TierResult, TierStep, TieredTrace } from './tierVerdicts.js';
import type { DecidedBy } from './explain.js';

function policyEntry(engine: ReachEngine, p: CPolicy, direction: 'ingress' | 'egress', maybe = false): DecidedBy {
  const span = p.spec.podSelectorSpan ?? p.obj.anchor;
  return {
    file: p.obj.uri,
    line: engine.analysis.positionAt(p.obj.uri, span.start).line,
    policy: p.key,
    direction,
    rule: 'spec.podSelector',
    description: maybe
      ? `policy ${p.key} may select the pod (a templated value decides) and then isolates its ${direction}`
      : `policy ${p.key} selects the pod and isolates its ${direction}`,
    span,
  };
}

/** `policy a` or `policies a and b`, `policies a, b and c`. */
function policiesWords(keys: readonly string[]): string {
  if (keys.length <= 1) return `policy ${keys[0] ?? ''}`;
  return `policies ${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1] ?? ''}`;
}

export interface SideVerdict {
  readonly state: 'allowed' | 'denied' | 'undefined' | 'open';
  readonly text: string;
  readonly decidedBy: DecidedBy[];
}

export function judgeSide(
  engine: ReachEngine,
  side: SideExplanation | undefined,
  atom: number,
  dst: Peer,
  who: string,
  other: string,
  portText: string,
): SideVerdict {
  if (side === undefined) return { state: 'open', text: '', decidedBy: [] };
  if (side.tiers !== undefined) return judgeTiers(engine, side, side.tiers, atom, dst, who, other, portText);
  const dir = side.direction;
  if (!side.isolated) return { state: 'open', text: `${dir} of ${who} is not isolated`, decidedBy: [] };
  const allowing: DecidedBy[] = [];
  const undef: DecidedBy[] = [];
  const undefReasons: string[] = [];
  for (const m of side.matches) {
    const ports = engine.rulePorts(m.rule, dst);
    const covers = (b: Bits): boolean => hasBit(b, atom);
    if (!covers(ports.yes) && !covers(ports.maybe)) continue;
    const peerKey = dir === 'ingress' ? 'from' : 'to';
    const path = m.peer === undefined ? m.rule.rule.path : `${m.rule.rule.path}.${peerKey}[${m.peer}]`;
    const span = m.peer === undefined ? m.rule.rule.span : (m.rule.peers[m.peer]?.peer.span ?? m.rule.rule.span);
    const entry: DecidedBy = {
      file: m.rule.policy.obj.uri,
      line: engine.analysis.positionAt(m.rule.policy.obj.uri, span.start).line,
      policy: m.rule.policy.key,
      direction: dir,
      rule: path,
      description: ruleWords(m.rule, m.peer),
      span,
    };
    const sure = m.undefinedReason === undefined && covers(ports.yes) && hasBit(side.yes, atom);
    if (sure) allowing.push(entry);
    else {
      undef.push(entry);
      const notEvery = side.ifSelected !== undefined && m.undefinedReason === undefined && covers(ports.yes);
      undefReasons.push(
        notEvery
          ? `${entry.description} allows it, but not every policy that may select the pod does`
          : (m.undefinedReason ?? ports.reason ?? 'a templated value decides'),
      );
    }
  }
  const maybeSelected = side.ifSelected !== undefined;
  if (hasBit(side.yes, atom)) {
    // Only maybe-selecting policies: each of them allows it, and so does "none selects the pod".
    const n = side.isolating.length;
    // Policies with one pod selector and no templated value in it select the pod together.
    const together = new Map<string, string[]>();
    for (const p of side.isolating) together.set(p.selection, [...(together.get(p.selection) ?? []), p.key]);
    const same = [...together.values()].filter((g) => g.length > 1).map((g) => `; ${policiesWords(g)} select the same pods`);
    const whether = maybeSelected
      ? ` whether or not ${policiesWords(side.isolating.map((p) => p.key))} ${n === 1 ? 'selects' : 'select'} it${same.join('')}`
      : '';
    return {
      state: 'allowed',
      text: `${dir} of ${who} allows ${portText} ${dir === 'ingress' ? 'from' : 'to'} ${other}${whether} (${allowing.map((d) => d.description).join('; ')})`,
      decidedBy: allowing,
    };
  }
  if (hasBit(side.maybe, atom)) {
    const reasons = [...new Set([...undefReasons, ...side.reasons])];
    return {
      state: 'undefined',
      text: `${dir} of ${who}: ${reasons.join('; ')}`,
      decidedBy: undef.length > 0 ? undef : side.isolating.map((p) => policyEntry(engine, p, dir, maybeSelected)),
    };
  }
  const pols = side.isolating.map((p) => p.key);
  return {
    state: 'denied',
    text: `${dir} of ${who} is isolated by ${policiesWords(pols)} and no rule allows ${portText} ${dir === 'ingress' ? 'from' : 'to'} ${other}`,
    decidedBy: side.isolating.map((p) => policyEntry(engine, p, dir)),
  };
}

function stepEntry(engine: ReachEngine, st: TierStep): DecidedBy {
  const r = st.rule;
  const peerKey = r.direction === 'ingress' ? 'from' : 'to';
  const span = st.peer === undefined ? r.rule.span : (r.peers[st.peer]?.peer.span ?? r.rule.span);
  return {
    file: r.policy.obj.uri,
    line: engine.analysis.positionAt(r.policy.obj.uri, span.start).line,
    policy: r.policy.key,
    direction: r.direction,
    rule: st.peer === undefined ? r.rule.path : `${r.rule.path}.${peerKey}[${st.peer}]`,
    description: clusterRuleWords(r, st.peer),
    span,
    tier: r.policy.tier,
  };
}

/**
 * What one tier may do with one atom: its one possible outcome and the rules that may give it, or
 * `unsure` when several outcomes are possible (C13) or policies of equal priority disagree (C3);
 * undefined when no rule of the tier may decide it.
 */
function tierDecision(t: TierResult, atom: number): { state: 'allow' | 'deny' | 'pass' | 'unsure'; steps: TierStep[] } | undefined {
  const steps = t.steps.filter((st) => hasBit(st.atoms, atom) || hasBit(st.unsure, atom));
  const outcomes = (['allow', 'deny', 'pass'] as const).filter((k) => hasBit(t[k], atom));
  if (outcomes.length === 0) return undefined;
  const only = outcomes[0];
  if (outcomes.length === 1 && only !== undefined && !hasBit(t.open, atom) && !hasBit(t.conflict, atom)) return { state: only, steps };
  return { state: 'unsure', steps };
}

function actionWords(st: TierStep): string {
  const a = st.rule.denyAll ? 'deny' : st.rule.action;
  return a === 'allow' ? 'allow it' : a === 'deny' ? 'deny it' : a === 'pass' ? 'pass it on' : 'decide it';
}

/**
 * One side through the tiers (docs/dev/cluster-policies.md): the Admin tier's deciding rule, else
 * the NetworkPolicies if they isolate the pod, else the Baseline tier's rule, else the default.
 * Where a rule only maybe matches and every possible outcome agrees (C13), the explanation names
 * the rule, why it may match, and what decides otherwise.
 */
function judgeTiers(
  engine: ReachEngine,
  side: SideExplanation,
  t: TieredTrace,
  atom: number,
  dst: Peer,
  who: string,
  other: string,
  portText: string,
): SideVerdict {
  const dir = side.direction;
  const toFrom = dir === 'ingress' ? 'from' : 'to';
  const final = hasBit(side.yes, atom) ? 'allowed' : hasBit(side.maybe, atom) ? 'undefined' : 'denied';
  const decided = (res: TierResult, label: string, rest: () => SideVerdict): SideVerdict | 'pass' | undefined => {
    const d = tierDecision(res, atom);
    if (d === undefined) return undefined;
    if (d.state === 'pass') return 'pass';
    const entries = d.steps.map((st) => stepEntry(engine, st));
    if (d.state === 'unsure') {
      const conflict = res.conflicts.find((c) => hasBit(c.atoms, atom));
      if (final !== 'undefined') {
        // Every outcome the unknowns leave possible agrees (a conflict of equal priorities too: the
        // trace takes the unknowns one by one, and weighed together they never decide differently).
        const after = hasBit(res.open, atom) || hasBit(res.pass, atom) ? rest() : undefined;
        const what = d.steps.map((st) =>
          hasBit(st.unsure, atom)
            ? `${clusterRuleWords(st.rule, st.peer)} may match (${st.reason ?? 'a templated value decides'}) and would ${actionWords(st)}`
            : `${clusterRuleWords(st.rule, st.peer)} would ${actionWords(st)}`,
        );
        const verb = final === 'allowed' ? 'allows' : 'denies';
        return {
          state: final,
          text: `${dir} of ${who} ${verb} ${portText} ${toFrom} ${other} whichever way that goes: ${what.join('; ')}${after === undefined ? '' : `; otherwise ${after.text}`}`,
          decidedBy: [...entries, ...(after?.decidedBy ?? [])],
        };
      }
      const first = d.steps[0];
      const why =
        conflict !== undefined
          ? `${conflict.policies.map(clusterPolicyWords).join(' and ')} have the same priority and decide differently: the API lets the implementation apply either`
          : (d.steps.find((st) => hasBit(st.unsure, atom))?.reason ?? 'a templated value decides');
      const shown =
        conflict === undefined ? (first === undefined ? [] : [first]) : d.steps.filter((st) => conflict.policies.includes(st.rule.policy));
      return {
        state: 'undefined',
        text: `${dir} of ${who} (${label}): ${why}`,
        decidedBy: shown.map((st) => stepEntry(engine, st)),
      };
    }
    const words = d.steps.length === 0 ? label : d.steps.map((st) => clusterRuleWords(st.rule, st.peer)).join(' or ');
    if (d.state === 'allow')
      return { state: 'allowed', text: `${dir} of ${who} allows ${portText} ${toFrom} ${other} (${words})`, decidedBy: entries };
    return { state: 'denied', text: `${dir} of ${who} denies ${portText} ${toFrom} ${other} (${words})`, decidedBy: entries };
  };
  const byDefault = (passText: string, passEntries: DecidedBy[]): SideVerdict => ({
    state: 'open',
    text: `${passText}${dir} of ${who}: no NetworkPolicy isolates it and no cluster policy rule decides ${portText} ${toFrom} ${other}, so the default allows it`,
    decidedBy: passEntries,
  });
  const baselineOrDefault = (): SideVerdict => {
    const base = t.baseline === undefined ? undefined : decided(t.baseline, 'baseline tier', () => byDefault('', []));
    return base !== undefined && base !== 'pass' ? base : byDefault('', []);
  };
  // NetworkPolicies that only maybe select the pod (C13): they decide if one selects it, else the Baseline tier.
  const maybeSelected = (passText: string, passEntries: DecidedBy[]): SideVerdict => {
    const np = t.networkPolicy;
    const keys = np.isolating.map((p) => p.key);
    const one = keys.length === 1;
    // Policies with one `selection` select the pod together or not at all (netpol-semantics rule 1):
    // what they allow, they allow together; separate selections each allow it on their own.
    const groups = new Map<string, string[]>();
    for (const p of np.isolating) groups.set(p.selection, [...(groups.get(p.selection) ?? []), p.key]);
    const oneGroup = !one && groups.size === 1;
    const shared = [...groups.values()].filter((g) => g.length > 1);
    const branch = judgeSide(engine, np, atom, dst, who, other, portText);
    const rules = branch.decidedBy.map((d) => ({ ...d, tier: 'NetworkPolicy' as const }));
    const allows = one
      ? 'it allows'
      : oneGroup
        ? 'together they allow'
        : shared.length === 0
          ? 'each of them allows'
          : `each of them allows (${shared.map((g) => `${policiesWords(g)} together`).join(', ')})`;
    const ifOne = hasBit(np.yes, atom)
      ? `${allows} ${portText} ${toFrom} ${other} (${branch.decidedBy.map((d) => d.description).join('; ')})`
      : hasBit(np.ifSelected ?? np.maybe, atom)
        ? `a rule of ${one ? 'it' : 'them'} may allow ${portText} ${toFrom} ${other}, not surely`
        : `no rule of ${one ? 'it' : 'them'} allows ${portText} ${toFrom} ${other}`;
    const otherwise = baselineOrDefault();
    const head =
      final === 'undefined'
        ? `${dir} of ${who}:`
        : `${dir} of ${who} ${final === 'allowed' ? 'allows' : 'denies'} ${portText} ${toFrom} ${other} whichever way that goes:`;
    const whether = one
      ? `whether policy ${keys[0] ?? ''} selects the pod depends on a templated value; if it does, `
      : oneGroup
        ? `whether ${policiesWords(keys)} select the pod (together or not at all) depends on a templated value; if they do, `
        : `which of ${policiesWords(keys)} select the pod depends on templated values; if one does, `;
    return {
      state: final,
      text: `${passText}${head} ${whether}${ifOne}; if ${one || oneGroup ? 'not' : 'none does'}, ${otherwise.text}`,
      decidedBy: [...passEntries, ...rules, ...otherwise.decidedBy],
    };
  };
  // After the Admin tier: the NetworkPolicies if they isolate the pod, else the Baseline tier, else the default.
  const onward = (passText: string, passEntries: DecidedBy[]): SideVerdict => {
    if (hasBit(t.byNetworkPolicy, atom) && !t.networkPolicySure) return maybeSelected(passText, passEntries);
    if (hasBit(t.byNetworkPolicy, atom)) {
      const v = judgeSide(engine, t.networkPolicy, atom, dst, who, other, portText);
      const withTier = v.decidedBy.map((d) => ({ ...d, tier: 'NetworkPolicy' as const }));
      return { state: v.state, text: passText + v.text, decidedBy: [...passEntries, ...withTier] };
    }
    const base = t.baseline === undefined ? undefined : decided(t.baseline, 'baseline tier', () => byDefault('', []));
    if (base !== undefined && base !== 'pass')
      return { ...base, text: passText + base.text, decidedBy: [...passEntries, ...base.decidedBy] };
    return byDefault(passText, passEntries);
  };
  const admin = decided(t.admin, 'admin tier', () => onward('', []));
  const passed = admin === 'pass' ? t.admin.steps.find((st) => hasBit(st.atoms, atom)) : undefined;
  const passText = passed === undefined ? '' : `${clusterRuleWords(passed.rule, passed.peer)} passes it on; `;
  const v = admin !== undefined && admin !== 'pass' ? admin : onward(passText, passed === undefined ? [] : [stepEntry(engine, passed)]);
  // Matches that one unknown decides together were weighed together (C13): say which.
  return t.together === undefined || t.together.length === 0 ? v : { ...v, text: `${v.text} (weighed together: ${t.together.join('; ')})` };
}
