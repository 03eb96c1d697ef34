/**
 * Port atoms (docs/dev/design.md §5, docs/dev/checks-spec.md C4): each protocol's port space 1–65535 is cut at every
 * port, endPort and resolved named port the workspace mentions; a set of ports is then a bitset
 * over the atoms, so egress and ingress sides are intersected per atom, never as booleans.
 */

import type { Bits } from './bitset.js';
import { bits, forEachBit, setBit } from './bitset.js';

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export function isProtocol(p: string): p is Protocol {
  return p === 'TCP' || p === 'UDP' || p === 'SCTP';
}

export interface PortRange {
  readonly protocol: Protocol;
  readonly port: number;
  readonly endPort: number;
}

/** Collects cut points, then freezes into a PortSpace. */
export class PortCuts {
  private readonly starts = new Map<Protocol, Set<number>>(PROTOCOLS.map((p) => [p, new Set([1])]));

  /** Marks [lo, hi] as a possible boundary range. */
  add(protocol: Protocol, lo: number, hi = lo): void {
    const s = this.starts.get(protocol);
    if (s === undefined) return;
    const a = Math.max(1, Math.min(65535, lo));
    const b = Math.max(1, Math.min(65535, hi));
    if (b < a) return;
    s.add(a);
    if (b < 65535) s.add(b + 1);
  }

  freeze(): PortSpace {
    return new PortSpace(PROTOCOLS.map((p) => [...(this.starts.get(p) ?? [1])].sort((a, b) => a - b)));
  }
}

export class PortSpace {
  /** Per protocol (PROTOCOLS order): atom start ports. */
  private readonly starts: readonly (readonly number[])[];
  private readonly offsets: readonly number[];
  readonly size: number;
  private readonly allBits: Bits;
  private readonly protoBits: ReadonlyMap<Protocol, Bits>;

  constructor(starts: readonly (readonly number[])[]) {
    this.starts = starts;
    const offsets: number[] = [];
    let n = 0;
    for (const s of starts) {
      offsets.push(n);
      n += s.length;
    }
    this.offsets = offsets;
    this.size = n;
    this.allBits = bits(n);
    for (let i = 0; i < n; i++) setBit(this.allBits, i);
    const pb = new Map<Protocol, Bits>();
    PROTOCOLS.forEach((p, pi) => {
      const b = bits(n);
      const len = starts[pi]?.length ?? 0;
      for (let i = 0; i < len; i++) setBit(b, (offsets[pi] ?? 0) + i);
      pb.set(p, b);
    });
    this.protoBits = pb;
  }

  /** Same atoms as `other` (then port bitsets of one are valid in the other). */
  sameCuts(other: PortSpace): boolean {
    return (
      this.starts.length === other.starts.length &&
      this.starts.every((s, i) => {
        const o = other.starts[i] ?? [];
        return s.length === o.length && s.every((x, j) => x === o[j]);
      })
    );
  }

  empty(): Bits {
    return bits(this.size);
  }

  all(): Bits {
    return this.allBits.slice();
  }

  protocol(p: Protocol): Bits {
    return (this.protoBits.get(p) ?? this.allBits).slice();
  }

  /** The atoms covering [lo, hi] of a protocol (lo/hi must be cut points for exactness). */
  range(p: Protocol, lo: number, hi: number): Bits {
    return this.atoms(p, (a, b) => b >= lo && a <= hi);
  }

  /** The atoms wholly inside [lo, hi] of a protocol (`range` less the atoms it covers only in part). */
  within(p: Protocol, lo: number, hi: number): Bits {
    return this.atoms(p, (a, b) => a >= lo && b <= hi);
  }

  /** The atoms of a protocol whose port span [a, b] `keep` accepts. */
  private atoms(p: Protocol, keep: (a: number, b: number) => boolean): Bits {
    const out = this.empty();
    const pi = PROTOCOLS.indexOf(p);
    const s = this.starts[pi] ?? [];
    const off = this.offsets[pi] ?? 0;
    for (let i = 0; i < s.length; i++) {
      const a = s[i] ?? 1;
      const b = (s[i + 1] ?? 65536) - 1;
      if (keep(a, b)) setBit(out, off + i);
    }
    return out;
  }

  /** The atom holding one port. */
  atomOf(p: Protocol, port: number): number {
    const pi = PROTOCOLS.indexOf(p);
    const s = this.starts[pi] ?? [];
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] ?? 0) <= port) lo = mid;
      else hi = mid - 1;
    }
    return (this.offsets[pi] ?? 0) + lo;
  }

  /** Maximal ranges of a set, sorted by protocol then port. */
  ranges(set: Bits): PortRange[] {
    const out: PortRange[] = [];
    forEachBit(set, (atom) => {
      let pi = 0;
      while (pi + 1 < PROTOCOLS.length && atom >= (this.offsets[pi + 1] ?? Infinity)) pi++;
      const protocol = PROTOCOLS[pi] ?? 'TCP';
      const s = this.starts[pi] ?? [];
      const i = atom - (this.offsets[pi] ?? 0);
      const lo = s[i] ?? 1;
      const hi = (s[i + 1] ?? 65536) - 1;
      const last = out[out.length - 1];
      if (last !== undefined && last.protocol === protocol && last.endPort + 1 === lo)
        out[out.length - 1] = { protocol, port: last.port, endPort: hi };
      else out.push({ protocol, port: lo, endPort: hi });
    });
    return out;
  }

  isAll(set: Bits): boolean {
    for (let i = 0; i < this.allBits.length; i++) if (set[i] !== this.allBits[i]) return false;
    return true;
  }
}

/** netpol-analyzer's connection string: `All Connections` or `TCP 80,8080-8082,UDP 53`. */
export function formatConns(space: PortSpace, set: Bits): string {
  if (space.isAll(set)) return 'All Connections';
  const parts: string[] = [];
  let proto: Protocol | undefined;
  for (const r of space.ranges(set)) {
    const text = r.port === r.endPort ? String(r.port) : `${r.port}-${r.endPort}`;
    if (r.protocol !== proto) {
      parts.push(`${r.protocol} ${text}`);
      proto = r.protocol;
    } else {
      parts.push(text);
    }
  }
  return parts.join(',');
}
