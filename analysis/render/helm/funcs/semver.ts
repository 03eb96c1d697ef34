/**
 * Sprig's semver and semverCompare (Sprig documentation, "Semantic Version Functions", which
 * follows Masterminds/semver v3): versions with an optional `v` and missing minor/patch;
 * constraints joined by `||` (or) and `,`/space (and), operators = != > < >= <= ~ ^, wildcards
 * x/X/*, hyphen ranges; a pre-release version only satisfies a constraint that names a
 * pre-release (hence charts' `>=1.19-0`).
 */

import { FuncError } from '../template/callable.js';
import { GoStruct } from '../template/values.js';
import type { GoFunc } from '../template/values.js';

export interface Version {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly meta: string;
  readonly original: string;
}

const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

export function parseVersion(s: string): Version {
  const m = VERSION.exec(s);
  if (m === null) throw new FuncError('Invalid Semantic Version');
  return {
    major: BigInt(m[1] ?? '0'),
    minor: BigInt((m[2] ?? '.0').slice(1)),
    patch: BigInt((m[3] ?? '.0').slice(1)),
    pre: m[5] ?? '',
    meta: m[8] ?? '',
    original: s,
  };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

interface Constraint {
  readonly op: string;
  readonly con: Version;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
  /** Whether minor/patch were written (for ~ and ^). */
  readonly parts: number;
}

const isX = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*';

const CONSTRAINT =
  /^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(\.[0-9xX*]+)?(\.[0-9xX*]+)?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/;

function parseOne(text: string): Constraint {
  const m = CONSTRAINT.exec(text);
  if (m === null) throw new FuncError(`improper constraint: ${text}`);
  const [, op = '', maj = '', min, pat, pre = '', meta = ''] = m;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  let ver: string;
  if (isX(maj)) {
    ver = '0.0.0';
    dirty = true;
    minorDirty = true;
    patchDirty = true;
  } else if (isX(min?.slice(1))) {
    ver = `${maj}.0.0${pre}`;
    dirty = true;
    minorDirty = true;
    patchDirty = true;
  } else if (isX(pat?.slice(1))) {
    ver = `${maj}${min ?? ''}.0${pre}`;
    dirty = true;
    patchDirty = true;
  } else ver = `${maj}${min ?? ''}${pat ?? ''}${pre}${meta}`;
  const parts = min === undefined ? 1 : pat === undefined ? 2 : 3;
  return {
    op: op === '=>' ? '>=' : op === '=<' ? '<=' : op === '~>' ? '~' : op,
    con: parseVersion(ver),
    dirty,
    minorDirty,
    patchDirty,
    parts,
  };
}

function check(v: Version, c: Constraint): boolean {
  if (v.pre !== '' && c.con.pre === '') return false;
  const cmp = compareVersions(v, c.con);
  const { con } = c;
  switch (c.op) {
    case '':
    case '=':
      if (!c.dirty) return cmp === 0;
      if (c.minorDirty && con.major === 0n && isWildAll(c)) return true;
      if (v.major !== con.major) return false;
      if (c.minorDirty) return true;
      return v.minor === con.minor;
    case '!=':
      return !check(v, { ...c, op: '=' });
    case '>':
      if (!c.dirty) return cmp > 0;
      if (v.major !== con.major) return v.major > con.major;
      if (c.minorDirty) return false;
      return v.minor > con.minor;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      if (!c.dirty) return cmp <= 0;
      if (v.major !== con.major) return v.major < con.major;
      if (c.minorDirty) return true;
      return v.minor <= con.minor;
    case '~':
      if (cmp < 0) return false;
      if (v.major !== con.major) return false;
      if (c.parts >= 2 && !c.minorDirty) return v.minor === con.minor;
      return true;
    case '^':
      if (cmp < 0) return false;
      if (con.major > 0n || c.parts === 1) return v.major === con.major;
      if (con.minor > 0n || c.parts === 2 || c.patchDirty) return v.major === 0n && v.minor === con.minor;
      return v.major === 0n && v.minor === 0n && v.patch === con.patch;
    default:
      return false;
  }
}

function isWildAll(c: Constraint): boolean {
  return c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && c.minorDirty && c.patchDirty && c.dirty;
}

/** Parses a constraint string into or-groups of and-ed comparisons. */
export function parseConstraints(text: string): Constraint[][] {
  return text.split('||').map((group) => {
    const g = group.trim();
    // hyphen range "a - b"
    const hy = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(g);
    if (hy !== null) return [parseOne(`>=${hy[1] ?? ''}`), parseOne(`<=${hy[2] ?? ''}`)];
    const tokens = g
      .replace(/(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter((t) => t !== '');
    if (tokens.length === 0) throw new FuncError(`improper constraint: ${text}`);
    return tokens.map(parseOne);
  });
}

export function semverCompare(constraint: string, version: string): boolean {
  const groups = parseConstraints(constraint);
  const v = parseVersion(version);
  // A wildcard alone ("*", "x") matches any release.
  return groups.some((g) => g.every((c) => ((c.op === '' || c.op === '=') && isWildAll(c) ? v.pre === '' : check(v, c))));
}

/** A semver value as Sprig's `semver` returns it (*semver.Version with its methods). */
export function versionStruct(v: Version): GoStruct {
  const text = `${v.major}.${v.minor}.${v.patch}${v.pre === '' ? '' : '-' + v.pre}${v.meta === '' ? '' : '+' + v.meta}`;
  return new GoStruct(
    '*semver.Version',
    new Map(),
    new Map<string, GoFunc>([
      ['Major', () => v.major],
      ['Minor', () => v.minor],
      ['Patch', () => v.patch],
      ['Prerelease', () => v.pre],
      ['Metadata', () => v.meta],
      ['Original', () => v.original],
      ['String', () => text],
      [
        'Compare',
        (o) =>
          BigInt(
            compareVersions(v, o instanceof GoStruct ? parseVersion(String(o.methods.get('String')?.() ?? '')) : parseVersion(String(o))),
          ),
      ],
    ]),
  );
}
