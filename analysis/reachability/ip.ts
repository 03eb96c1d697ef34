/**
 * IP address sets for ipBlocks (semantics rule 15): IPv4 and IPv6 CIDRs as closed integer
 * intervals (bigint, so both families share one representation). Pure; never throws.
 */

import { ipv6Bytes } from '../model/apiFormats.js';

export type Family = 4 | 6;

/** A closed interval of addresses of one family. */
export interface IpRange {
  readonly family: Family;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** A set of addresses: sorted, disjoint, non-adjacent intervals per family. */
export type IpSet = readonly IpRange[];

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

/** An IPv6 address as a 128-bit number (the grammar of `ipv6Bytes`, shared with the API checks). */
export function parseIPv6(s: string): bigint | undefined {
  const bytes = ipv6Bytes(s);
  if (bytes === undefined) return undefined;
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** An address (no prefix) of either family. */
export function parseAddress(s: string): { family: Family; value: bigint } | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseIPv6(s);
  if (v6 !== undefined) return { family: 6, value: v6 };
  return undefined;
}

/** `a.b.c.d/n` or `x::/n` as a range; host bits are ignored (the API rejects them anyway). */
export function parseCidr(s: string): IpRange | undefined {
  const slash = s.indexOf('/');
  if (slash === -1) return undefined;
  const addr = parseAddress(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (addr === undefined || !/^\d{1,3}$/.test(lenText)) return undefined;
  const bits = addr.family === 4 ? 32n : 128n;
  const len = BigInt(Number(lenText));
  if (len > bits) return undefined;
  const hostBits = bits - len;
  const mask = (1n << hostBits) - 1n;
  const lo = addr.value & ~mask & (addr.family === 4 ? V4_MAX : V6_MAX);
  return { family: addr.family, lo, hi: lo | mask };
}

function normalize(ranges: IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: IpRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.family === r.family && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { family: last.family, lo: last.lo, hi: r.hi };
    } else {
      out.push(r);
    }
  }
  return out;
}

export function union(a: IpSet, b: IpSet): IpSet {
  return normalize([...a, ...b]);
}

export function subtract(a: IpSet, b: IpSet): IpSet {
  let cur: IpRange[] = [...a];
  for (const cut of b) {
    const next: IpRange[] = [];
    for (const r of cur) {
      if (r.family !== cut.family || cut.hi < r.lo || cut.lo > r.hi) {
        next.push(r);
        continue;
      }
      if (cut.lo > r.lo) next.push({ family: r.family, lo: r.lo, hi: cut.lo - 1n });
      if (cut.hi < r.hi) next.push({ family: r.family, lo: cut.hi + 1n, hi: r.hi });
    }
    cur = next;
  }
  return normalize(cur);
}

export function intersects(a: IpSet, b: IpSet): boolean {
  for (const x of a) for (const y of b) if (x.family === y.family && x.lo <= y.hi && y.lo <= x.hi) return true;
  return false;
}

export function contains(a: IpSet, family: Family, value: bigint): boolean {
  return a.some((r) => r.family === family && r.lo <= value && value <= r.hi);
}

/** cidr minus every except; undefined when any part is not a CIDR. */
export function ipBlockSet(cidr: string, except: readonly string[]): IpSet | undefined {
  const base = parseCidr(cidr);
  if (base === undefined) return undefined;
  const cuts: IpRange[] = [];
  for (const e of except) {
    const r = parseCidr(e);
    if (r === undefined) return undefined;
    cuts.push(r);
  }
  return subtract([base], cuts);
}

export function formatIPv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}

export const IPV4_ALL: IpRange = { family: 4, lo: 0n, hi: V4_MAX };

/** Whether the range `r` lies inside the set `ip`. */
export function rangeIn(ip: readonly IpRange[], r: IpRange): boolean {
  return contains(ip, r.family, r.lo) && contains(ip, r.family, r.hi);
}
