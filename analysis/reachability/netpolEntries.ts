/**
 * A side's NetworkPolicy entries in the all-pairs form (`ReachMatrix`, docs/dev/design.md §5): for
 * one pod and direction, "for these port atoms, these peers" as the pod's NetworkPolicies decide it
 * (netpol-semantics.md rules 1–4), each rule's peers once as a bitset over classes and external
 * ranges, each distinct combination of rules once. Cluster-policy tiers are laid over these
 * entries by `tieredSides.ts`.
 */

import type { Bits } from './bitset.js';
import { BitsSlab, and, andNot, andNotInto, bits, hasBit, isEmpty, or, orInto, setBit } from './bitset.js';
import type { CPolicy, CRule, ReachEngine } from './engine.js';
import { rangeIn } from './ip.js';
import type { Protocol } from './ports.js';
import type { SideEntry } from './sideEntries.js';

/** For the atoms in `atoms`, the peers in `yes` surely and those in `maybe` possibly pass this side. */
type Entry = SideEntry;

interface RulePeers {
  readonly yes: Bits;
  readonly maybe: Bits;
}

/** An atom's tokens as a key: `;` (a new policy's group) is not followed by a comma. */
function joinTokens(tokens: readonly string[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    if (t === ';') out += ';';
    else out += (i === 0 || tokens[i - 1] === ';' ? '' : ',') + t;
  });
  return out;
}

/** Per atom, its tokens joined as `joinTokens` joins them, appended one at a time (no lists). */
class TokenKeys {
  readonly keys: string[];
  /** Per atom: whether a token was written since the start or the last `;`. */
  private readonly open: Uint8Array;

  constructor(atoms: number) {
    this.keys = new Array<string>(atoms).fill('');
    this.open = new Uint8Array(atoms);
  }

  push(a: number, token: string): void {
    this.keys[a] = this.open[a] === 1 ? `${this.keys[a] ?? ''},${token}` : `${this.keys[a] ?? ''}${token}`;
    this.open[a] = 1;
  }

  /** A new policy's group (`;`) on every atom. */
  separate(): void {
    for (let a = 0; a < this.keys.length; a++) this.keys[a] = `${this.keys[a] ?? ''};`;
    this.open.fill(0);
  }
}

/**
 * The groups of a side that only maybe-selecting policies may isolate: the policies that select
 * the pod together (`CPolicy.selection`) form one, and groups of the same rule contents are one.
 */
export function maybeGroups(policies: readonly CPolicy[], direction: 'ingress' | 'egress'): CPolicy[][] {
  const bySelection = new Map<string, CPolicy[]>();
  for (const p of policies) {
    const g = bySelection.get(p.selection);
    if (g === undefined) bySelection.set(p.selection, [p]);
    else g.push(p);
  }
  const seen = new Map<string, CPolicy[]>();
  for (const g of bySelection.values()) {
    const k = g
      .map((p) => (direction === 'ingress' ? p.ingressKey : p.egressKey))
      .sort()
      .join('+');
    if (!seen.has(k)) seen.set(k, g);
  }
  return [...seen.values()];
}

/**
 * What NetworkPolicy entries keep between matrices over the same class model, port atoms and
 * external ranges (`ReachMatrix` starts afresh otherwise): rule peers and combinations by rule
 * content, named-port destinations, and the sides of pods with equal profiles (`ingress`, `egress`).
 */
export class EntryCaches {
  readonly peers = new Map<number, RulePeers>();
  readonly entries = new Map<string, { yes: Bits; maybe: Bits; any?: Bits }>();
  readonly namedDst = new Map<string, Map<number, Bits>>();
  readonly all = new Map<string, Bits>();
  /** Sides by the content of the rules that make them (`ReachMatrix`'s profiles). */
  readonly ingress = new Map<string, Entry[]>();
  readonly egress = new Map<string, Entry[]>();
}

/** The NetworkPolicy entries of one engine's sides (`ingress`, `egress`). */
export class NetpolEntries {
  private readonly n: number;
  private readonly byContent = new Map<number, CRule>();
  private readonly portsUnknown: Bits;
  private readonly anyPortsUnknown: boolean;
  private readonly protoBits = new Map<string, Bits>();

  constructor(
    private readonly engine: ReachEngine,
    readonly caches: EntryCaches,
  ) {
    for (const r of engine.rules) this.byContent.set(r.contentId, r);
    this.n = engine.classes.length;
    this.portsUnknown = bits(this.n + engine.dstRanges.length);
    for (const c of engine.classes) if (c.portsUnknown) setBit(this.portsUnknown, c.index);
    this.anyPortsUnknown = !isEmpty(this.portsUnknown);
  }

  private protoAtoms(p: Protocol): Bits {
    let b = this.protoBits.get(p);
    if (b === undefined) this.protoBits.set(p, (b = this.engine.space.protocol(p)));
    return b;
  }

  domain(direction: 'ingress' | 'egress'): number {
    return this.n + (direction === 'ingress' ? this.engine.srcRanges.length : this.engine.dstRanges.length);
  }

  /** The sets of the rule peers and entries this matrix makes (kept together in its caches). */
  private readonly slab = new BitsSlab();

  /** Every peer of a direction's domain (shared: never mutated). */
  all(direction: 'ingress' | 'egress'): Bits {
    let b = this.caches.all.get(direction);
    if (b === undefined) {
      const size = this.domain(direction);
      b = bits(size);
      for (let i = 0; i < size; i++) b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
      this.caches.all.set(direction, b);
    }
    return b;
  }

  /** A rule's peers over classes and the external ranges of its direction. */
  private rulePeers(rule: CRule): RulePeers {
    const hit = this.caches.peers.get(rule.contentId);
    if (hit !== undefined) return hit;
    const size = this.domain(rule.direction);
    const ranges = rule.direction === 'ingress' ? this.engine.srcRanges : this.engine.dstRanges;
    let out: RulePeers;
    if (rule.unknown) out = { yes: bits(size), maybe: this.all(rule.direction) };
    else if (rule.allPeers) out = { yes: this.all(rule.direction), maybe: bits(size) };
    else {
      const yes = this.slab.bits(size);
      const maybe = this.slab.bits(size);
      for (const p of rule.peers) {
        orInto(yes, p.pods.yes);
        orInto(maybe, p.pods.maybe);
        // Only a templated peer or an ipBlock matches an external range.
        if (!p.unknown && p.ip === undefined) continue;
        ranges.forEach((r, i) => {
          if (p.unknown) setBit(maybe, this.n + i);
          else if (p.ip !== undefined && rangeIn(p.ip, r)) setBit(yes, this.n + i);
        });
      }
      out = { yes, maybe: andNotInto(maybe, yes) };
    }
    this.caches.peers.set(rule.contentId, out);
    return out;
  }

  /** Combines rule contributions per atom into entries, computing each distinct combination once. */
  private entries(
    direction: 'ingress' | 'egress',
    perAtom: string[],
    contribution: (token: string) => RulePeers,
    onlyMaybe: boolean,
  ): Entry[] {
    const byKey = new Map<string, Bits>();
    const space = this.engine.space;
    perAtom.forEach((k, a) => {
      let atoms = byKey.get(k);
      if (atoms === undefined) byKey.set(k, (atoms = space.empty()));
      setBit(atoms, a);
    });
    const out: Entry[] = [];
    for (const [k, atoms] of byKey) {
      const cacheKey = `${direction}|${onlyMaybe ? 'M' : ''}|${k}`;
      let v = this.caches.entries.get(cacheKey);
      if (v === undefined) this.caches.entries.set(cacheKey, (v = this.combine(direction, k, contribution, onlyMaybe)));
      if (!isEmpty(v.yes) || !isEmpty(v.maybe)) out.push({ atoms, yes: v.yes, maybe: v.maybe, any: v.any });
    }
    return out;
  }

  /**
   * One entry's peers from its tokens. With only policies that maybe select the pod (`onlyMaybe`:
   * the key holds one `;`-separated group of tokens per policy, each read as if the policy selected
   * it), a peer is allowed when every policy surely allows it, else undefined (`Verdicts.netpolSide`);
   * `any` keeps the peers one of them may allow, for the tiers.
   */
  private combine(
    direction: 'ingress' | 'egress',
    k: string,
    token: (t: string) => RulePeers,
    onlyMaybe: boolean,
  ): { yes: Bits; maybe: Bits; any?: Bits } {
    const size = this.domain(direction);
    if (!onlyMaybe) {
      const yes = this.slab.bits(size);
      const maybe = this.slab.bits(size);
      for (const t of k === '' ? [] : k.split(',')) {
        const c = token(t);
        orInto(yes, c.yes);
        orInto(maybe, c.maybe);
      }
      return { yes, maybe: andNotInto(maybe, yes) };
    }
    let every: Bits | undefined;
    const any = bits(size);
    for (const group of k.split(';')) {
      const own = bits(size);
      for (const t of group === '' ? [] : group.split(',')) {
        const c = token(t);
        orInto(own, c.yes);
        orInto(any, c.yes);
        orInto(any, c.maybe);
      }
      every = every === undefined ? own : and(every, own);
    }
    const yes = every ?? bits(size);
    return { yes, maybe: andNot(this.all(direction), yes), any };
  }

  /** Class `d`'s ingress side as its NetworkPolicies decide it. */
  ingress(d: number): Entry[] {
    const e = this.engine;
    const iso = e.selectingOf(d).ingress;
    const isoMaybe = e.selectingOf(d).ingressMaybe;
    if (iso.length === 0 && isoMaybe.length === 0)
      return [{ atoms: e.space.all(), yes: this.all('ingress'), maybe: bits(this.domain('ingress')) }];
    const onlyMaybe = iso.length === 0;
    // Each atom's tokens joined as `joinTokens` joins them, written as they come.
    const keys = new TokenKeys(e.space.size);
    const groups = onlyMaybe ? maybeGroups(isoMaybe, 'ingress') : [...iso, ...isoMaybe].map((p) => [p]);
    const dst = { kind: 'class' as const, index: d };
    groups.forEach((group, gi) => {
      // Only maybe-selecting policies: each group's rules as if it selected the pod, in a group of its own.
      if (onlyMaybe && gi > 0) keys.separate();
      for (const pol of group) {
        const surely = onlyMaybe || iso.includes(pol);
        for (const rule of pol.ingress ?? []) {
          const ports = e.rulePorts(rule, dst);
          for (let a = 0; a < e.space.size; a++) {
            if (surely && hasBit(ports.yes, a)) keys.push(a, `y${rule.contentId}`);
            else if (hasBit(ports.yes, a) || hasBit(ports.maybe, a)) keys.push(a, `m${rule.contentId}`);
          }
        }
      }
    });
    const token = (t: string): RulePeers => {
      const rule = this.byContent.get(Number(t.slice(1)));
      if (rule === undefined) return { yes: bits(0), maybe: bits(0) };
      const p = this.rulePeers(rule);
      return t[0] === 'y' ? p : { yes: bits(this.domain('ingress')), maybe: or(p.yes, p.maybe) };
    };
    return this.entries('ingress', keys.keys, token, onlyMaybe);
  }

  /** Destinations (classes) where a named port of this protocol resolves to atom `a`. */
  private namedDestinations(name: string, protocol: string, a: number): Bits | undefined {
    const k = `${protocol}/${name}`;
    let m = this.caches.namedDst.get(k);
    if (m === undefined) {
      m = new Map();
      const size = this.domain('egress');
      for (const c of this.engine.classes) {
        for (const cp of c.ports) {
          if (cp.name !== name || cp.protocol !== protocol || (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP')) continue;
          const atom = this.engine.space.atomOf(protocol, cp.containerPort);
          let b = m.get(atom);
          if (b === undefined) m.set(atom, (b = bits(size)));
          setBit(b, c.index);
        }
      }
      this.caches.namedDst.set(k, m);
    }
    return m.get(a);
  }

  /** Class `s`'s egress side as its NetworkPolicies decide it. */
  egress(s: number): Entry[] {
    const e = this.engine;
    const iso = e.selectingOf(s).egress;
    const isoMaybe = e.selectingOf(s).egressMaybe;
    if (iso.length === 0 && isoMaybe.length === 0)
      return [{ atoms: e.space.all(), yes: this.all('egress'), maybe: bits(this.domain('egress')) }];
    const onlyMaybe = iso.length === 0;
    const perAtom: string[][] = Array.from({ length: e.space.size }, () => []);
    const groups = onlyMaybe ? maybeGroups(isoMaybe, 'egress') : [...iso, ...isoMaybe].map((p) => [p]);
    groups.forEach((group, gi) => {
      // Only maybe-selecting policies: each group's rules as if it selected the pod, in a group of its own.
      if (onlyMaybe && gi > 0) for (let a = 0; a < e.space.size; a++) perAtom[a]?.push(';');
      for (const pol of group) {
        const surely = onlyMaybe || iso.includes(pol);
        for (const rule of pol.egress ?? []) {
          const ports = rule.ports;
          for (let a = 0; a < e.space.size; a++) {
            if (surely && hasBit(ports.yes, a)) perAtom[a]?.push(`y${rule.contentId}`);
            else if (hasBit(ports.yes, a) || hasBit(ports.maybe, a)) perAtom[a]?.push(`m${rule.contentId}`);
            ports.named.forEach((np, i) => {
              if (this.namedDestinations(np.name, np.protocol, a) !== undefined)
                perAtom[a]?.push(`${surely ? 'n' : 'N'}${rule.contentId}.${i}`);
              if (this.anyPortsUnknown && hasBit(this.protoAtoms(np.protocol), a)) perAtom[a]?.push(`u${rule.contentId}.${i}`);
            });
          }
        }
      }
    });
    const size = this.domain('egress');
    // Named tokens (n/N: a named port resolving to `atom` on the destination) depend on the atom.
    const token = (t: string, atom: number): RulePeers => {
      const [ri, ni] = t.slice(1).split('.').map(Number);
      const rule = this.byContent.get(ri ?? -1);
      if (rule === undefined) return { yes: bits(size), maybe: bits(size) };
      const p = this.rulePeers(rule);
      const kind = t[0];
      if (kind === 'y') return p;
      if (kind === 'm') return { yes: bits(size), maybe: or(p.yes, p.maybe) };
      const np = rule.ports.named[ni ?? -1];
      if (np === undefined) return { yes: bits(size), maybe: bits(size) };
      if (kind === 'u') return { yes: bits(size), maybe: and(or(p.yes, p.maybe), this.portsUnknown) };
      const dsts = this.namedDestinations(np.name, np.protocol, atom);
      if (dsts === undefined) return { yes: bits(size), maybe: bits(size) };
      if (kind === 'n') return { yes: and(p.yes, dsts), maybe: and(p.maybe, dsts) };
      return { yes: bits(size), maybe: and(or(p.yes, p.maybe), dsts) };
    };
    const keys = perAtom.map(joinTokens);
    const byKey = new Map<string, Bits>();
    keys.forEach((k, a) => {
      const kk = k.includes('n') || k.includes('N') ? `${k}@${a}` : k;
      let atoms = byKey.get(kk);
      if (atoms === undefined) byKey.set(kk, (atoms = e.space.empty()));
      setBit(atoms, a);
    });
    const out: Entry[] = [];
    for (const [kk, atoms] of byKey) {
      const at = kk.indexOf('@');
      const k = at === -1 ? kk : kk.slice(0, at);
      const atom = at === -1 ? -1 : Number(kk.slice(at + 1));
      const cacheKey = `egress|${onlyMaybe ? 'M' : ''}|${kk}`;
      let v = this.caches.entries.get(cacheKey);
      if (v === undefined) this.caches.entries.set(cacheKey, (v = this.combine('egress', k, (t) => token(t, atom), onlyMaybe)));
      if (!isEmpty(v.yes) || !isEmpty(v.maybe)) out.push({ atoms, yes: v.yes, maybe: v.maybe, any: v.any });
    }
    return out;
  }
}
