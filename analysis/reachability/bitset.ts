/**
 * Fixed-size bitsets over Uint32Array: sets of pod classes and sets of port atoms.
 */

export type Bits = Uint32Array;

export function bits(size: number): Bits {
  return new Uint32Array((size + 31) >>> 5);
}

/**
 * Zeroed bitsets carved from shared buffers: many sets made and kept together (a matrix's side
 * entries) without one ArrayBuffer each, which V8 allocates off its heap and tracks one by one
 * (that allocation and its collection were a third of the tiered sides' cost). A buffer lives while
 * any set carved from it does, so a slab serves sets of one lifetime. Never read a set's `buffer`.
 */
export class BitsSlab {
  private buffer: ArrayBuffer | undefined;
  private offset = 0;

  constructor(private readonly bytes = 1 << 16) {}

  /** A zeroed set of `words` words (larger sets get a buffer of their own). */
  words(words: number): Bits {
    const need = words * 4;
    if (need * 4 > this.bytes) return new Uint32Array(words);
    if (this.buffer === undefined || this.offset + need > this.bytes) {
      this.buffer = new ArrayBuffer(this.bytes);
      this.offset = 0;
    }
    const out = new Uint32Array(this.buffer, this.offset, words);
    this.offset += need;
    return out;
  }

  /** A zeroed set of `size` bits. */
  bits(size: number): Bits {
    return this.words((size + 31) >>> 5);
  }
}

/** `a &= ~b`, in place; returns `a`. */
export function andNotInto(a: Bits, b: Bits): Bits {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] ?? 0) & ~(b[i] ?? 0);
  return a;
}

export function setBit(b: Bits, i: number): void {
  b[i >>> 5] = (b[i >>> 5] ?? 0) | (1 << (i & 31));
}

export function clearBit(b: Bits, i: number): void {
  b[i >>> 5] = (b[i >>> 5] ?? 0) & ~(1 << (i & 31));
}

export function hasBit(b: Bits, i: number): boolean {
  return (((b[i >>> 5] ?? 0) >>> (i & 31)) & 1) === 1;
}

export function and(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) & (b[i] ?? 0);
  return out;
}

export function or(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) | (b[i] ?? 0);
  return out;
}

/** a & ~b */
export function andNot(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) & ~(b[i] ?? 0);
  return out;
}

export function orInto(into: Bits, b: Bits): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] ?? 0) | (b[i] ?? 0);
}

export function isEmpty(a: Bits): boolean {
  for (let i = 0; i < a.length; i++) if ((a[i] ?? 0) !== 0) return false;
  return true;
}

export function equal(a: Bits, b: Bits): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function forEachBit(a: Bits, f: (i: number) => void): void {
  for (let w = 0; w < a.length; w++) {
    let x = a[w] ?? 0;
    while (x !== 0) {
      const t = x & -x;
      f((w << 5) + (31 - Math.clz32(t)));
      x ^= t;
    }
  }
}
