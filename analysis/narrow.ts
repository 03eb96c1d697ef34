/**
 * Narrowing untrusted input (parsed YAML and JSON, LSP parameters, webview messages) at the
 * boundary: the one definition every layer uses (server/ and cli/ through analysis/index.ts,
 * client/ and webview/ through protocol/narrow.ts).
 */

/** A plain object (not null, not an array): its keys may be read as `unknown`. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
