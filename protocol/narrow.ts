/** The core's narrowing helpers for client/ and webview/, which do not import analysis/ directly. */
export { isRecord } from '../analysis/narrow.js';

/** Every element of `v` narrowed by `item`; undefined when `v` is not an array or any element fails. */
export function listOf<T>(v: unknown, item: (x: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: T[] = [];
  for (const x of v as unknown[]) {
    const t = item(x);
    if (t === undefined) return undefined;
    out.push(t);
  }
  return out;
}
