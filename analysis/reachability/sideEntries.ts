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

  private readonly byKey = new Map<number | string, { readonly key: number | string; readonly yes: Bits; readonly any: Bits }>();

  /** Atom `a`'s union; `key` is the same for the atoms the same entries hold (a number below `NP_KEYS` up to 30 entries). */
  at(a: number): { readonly key: number | string; readonly yes: Bits; readonly any: Bits } {
    const np = this.np;
    let mask = 0;
    let extra = '';
    for (let i = 0; i < np.length; i++) {
      if (!hasBit(np[i]?.atoms ?? NONE, a)) continue;
      if (i < 30) mask |= 1 << i;
      else extra += `${i},`;
    }
    const key: number | string = extra === '' ? mask : `${mask}|${extra}`;
    let hit = this.byKey.get(key);
    if (hit === undefined) {
      const W = np[0]?.yes.length ?? 0;
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
      this.byKey.set(key, (hit = { key, yes, any }));
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
