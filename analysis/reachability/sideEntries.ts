/**
 * A side of a pod in the all-pairs form (`ReachMatrix`, docs/dev/cluster-policies.md): entries
 * "for these port atoms, these peers", the side evaluated peer by peer where shared unknowns are
 * weighed (`perPeerEntries`), and the per-atom unions of a side's NetworkPolicy entries that the
 * tiered sides read (`NpUnions`).
 */

import type { Bits } from './bitset.js';
import { BitsSlab, bits, hasBit, setBit } from './bitset.js';
import type { ReachEngine } from './engine.js';

/** For the atoms in `atoms`, the peers in `yes` surely and those in `maybe` possibly pass this side. */
export interface SideEntry {
  readonly atoms: Bits;
  readonly yes: Bits;
  readonly maybe: Bits;
  /**
   * On a NetworkPolicy side that only maybe-selecting policies may isolate: the peers one of them
   * may allow were it to select the pod (`yes` is what every one of them allows; the rest is undefined).
   */
  readonly any?: Bits | undefined;
}

/**
 * Pod `c`'s side toward every peer of the direction's domain (classes, then external ranges), each
 * as `Verdicts.side` answers it, as entries: atoms with the same peers allowed and undefined share one.
 */
export function perPeerEntries(engine: ReachEngine, c: number, direction: 'ingress' | 'egress'): SideEntry[] {
  const n = engine.classes.length;
  const ranges = direction === 'ingress' ? engine.srcRanges : engine.dstRanges;
  const size = n + ranges.length;
  const atoms = engine.space.size;
  const yes: Bits[] = [];
  const maybe: Bits[] = [];
  for (let a = 0; a < atoms; a++) {
    yes.push(bits(size));
    maybe.push(bits(size));
  }
  for (let q = 0; q < size; q++) {
    const range = ranges[q - n];
    const other = q < n ? { kind: 'class' as const, index: q } : range === undefined ? undefined : { kind: 'ip' as const, range };
    if (other === undefined) continue;
    const side = engine.side(direction, c, other, direction === 'ingress' ? { kind: 'class', index: c } : other);
    for (let a = 0; a < atoms; a++) {
      const into = hasBit(side.yes, a) ? yes[a] : hasBit(side.maybe, a) ? maybe[a] : undefined;
      if (into !== undefined) setBit(into, q);
    }
  }
  const byKey = new Map<string, SideEntry>();
  const out: SideEntry[] = [];
  for (let a = 0; a < atoms; a++) {
    const y = yes[a] ?? bits(size);
    const m = maybe[a] ?? bits(size);
    if (y.every((w) => w === 0) && m.every((w) => w === 0)) continue;
    const k = `${y.join(',')}|${m.join(',')}`;
    let en = byKey.get(k);
    if (en === undefined) {
      byKey.set(k, (en = { atoms: engine.space.empty(), yes: y, maybe: m }));
      out.push(en);
    }
    setBit(en.atoms, a);
  }
  return out;
}

/** Numeric keys of `NpUnions` stay below this (entries masks of up to 30 entries). */
export const NP_KEYS = 1 << 30;

/** An atom's union of NetworkPolicy entries (`NpUnions.at`). */
export interface NpUnion {
  /** The same for the atoms the same entries of the list hold (a number below `NP_KEYS` up to 30 entries). */
  readonly key: number | string;
  /**
   * A number no other union has, unless it is the same union: atoms that one entry alone holds share it across lists
   * when the entry's sets are the same (entries lists share their entries' sets: `NetpolEntries`).
   */
  readonly id: number;
  readonly yes: Bits;
  readonly any: Bits;
}

let nextUnion = 0;

/** Unions of one entry alone, by its sets (`yes`, then `any` or `maybe`): shared by the lists that hold those sets. */
const alone = new WeakMap<Bits, WeakMap<Bits, NpUnion>>();

function aloneUnion(en: SideEntry, key: number | string): NpUnion {
  const m = en.any ?? en.maybe;
  let byOther = alone.get(en.yes);
  if (byOther === undefined) alone.set(en.yes, (byOther = new WeakMap()));
  let u = byOther.get(m);
  if (u === undefined) {
    const W = en.yes.length;
    const any = new Uint32Array(W);
    for (let i = 0; i < W; i++) any[i] = (en.yes[i] ?? 0) | (m[i] ?? 0);
    byOther.set(m, (u = { key, id: nextUnion++, yes: en.yes, any }));
  }
  return u.key === key ? u : { ...u, key };
}

/** The union of no entries, per size. */
const none = new Map<number, NpUnion>();

function noneUnion(W: number, key: number | string): NpUnion {
  let u = none.get(W);
  if (u === undefined) none.set(W, (u = { key, id: nextUnion++, yes: new Uint32Array(W), any: new Uint32Array(W) }));
  return u.key === key ? u : { ...u, key };
}

/**
 * Per atom, the union of a side's NetworkPolicy entries that hold it (`yes`, and `any`: yes or
 * maybe, or what a maybe-selecting policy may allow), computed once per set of entries: pods with
 * the same NetworkPolicy profile share one entries list (`ReachMatrix`), so their tiered sides
 * read it from here. Never mutated once made.
 */
export class NpUnions {
  constructor(
    private readonly np: readonly SideEntry[],
    private readonly slab: BitsSlab,
  ) {}

  private readonly byKey = new Map<number | string, NpUnion>();

  /** Atom `a`'s union. */
  at(a: number): NpUnion {
    const np = this.np;
    let mask = 0;
    let extra = '';
    let count = 0;
    let last = -1;
    for (let i = 0; i < np.length; i++) {
      if (!hasBit(np[i]?.atoms ?? NONE, a)) continue;
      count++;
      last = i;
      if (i < 30) mask |= 1 << i;
      else extra += `${i},`;
    }
    const key: number | string = extra === '' ? mask : `${mask}|${extra}`;
    let hit = this.byKey.get(key);
    if (hit === undefined) {
      const one = count === 1 ? np[last] : undefined;
      const W = np[0]?.yes.length ?? 0;
      if (one !== undefined) hit = aloneUnion(one, key);
      else if (count === 0) hit = noneUnion(W, key);
      else {
        const yes = this.slab.words(W);
        const any = this.slab.words(W);
        for (const en of np) {
          if (!hasBit(en.atoms, a)) continue;
          const m = en.any ?? en.maybe;
          for (let i = 0; i < W; i++) {
            yes[i] = (yes[i] ?? 0) | (en.yes[i] ?? 0);
            any[i] = (any[i] ?? 0) | (en.yes[i] ?? 0) | (m[i] ?? 0);
          }
        }
        hit = { key, id: nextUnion++, yes, any };
      }
      this.byKey.set(key, hit);
    }
    return hit;
  }
}

const NONE: Bits = new Uint32Array(0);

const npUnions = new WeakMap<readonly SideEntry[], NpUnions>();

/** The unions of one entries list (kept while the list lives), their sets carved from `slab`. */
export function npUnionsOf(np: readonly SideEntry[], slab: BitsSlab): NpUnions {
  let u = npUnions.get(np);
  if (u === undefined) npUnions.set(np, (u = new NpUnions(np, slab)));
  return u;
}
