/**
 * go-yaml's leniencies (kubectl, kustomize and Helm read manifests with go-yaml, which accepts
 * some text the `yaml` package refuses): a reading of the text with those spots rewritten, same
 * length, where that removes errors.
 */
import { isFlowIndentError, joinFlowContinuations } from './flowContinuation.js';
import { maskFlowDashes, restoreFlowDashes } from './flowDash.js';
import type { ParsedFile } from './parse.js';
import { joinQuoteContinuations, restoreQuotedValues } from './quoteContinuation.js';
import { splitAliasColons } from './aliasColon.js';
import { QUOTE_ESCAPE_ERROR, restoreQuoteEscapes, rewriteQuoteEscapes } from './quoteEscapes.js';

/** `plain`, or a reading with go-yaml's leniencies where that removes errors. */
export function goYamlLeniency(input: string, plain: ParsedFile, read: (text: string) => ParsedFile): ParsedFile {
  // Quoted scalars (older controller-gen CRDs) and flow collections continued at their key's indentation, which kubectl reads:
  // read again with those lines joined when that removes errors (syntax/quoteContinuation.ts, flowContinuation.ts).
  const joined = (t: string | undefined): ParsedFile | undefined => {
    const again = t === undefined ? undefined : read(t);
    return again !== undefined && again.limit === undefined && again.errors.length < plain.errors.length ? again : undefined;
  };
  const quotes = plain.errors.some((e) => e.message.startsWith('Missing closing')) ? joinQuoteContinuations(input) : undefined;
  const quoted = joined(quotes?.text);
  if (quoted !== undefined && quotes !== undefined) {
    for (const d of quoted.documents) restoreQuotedValues(d.root, quotes.values);
    return quoted;
  }
  const flow = plain.errors.some((e) => isFlowIndentError(e.message)) ? joined(joinFlowContinuations(input)) : undefined;
  if (flow !== undefined) return flow;
  // A lone `-` in a flow sequence (`waitFor: [-]`): go-yaml reads the string "-" (syntax/flowDash.ts).
  if (plain.errors.some((e) => e.message.startsWith('Block collections are not allowed within flow'))) {
    const dashes = maskFlowDashes(input);
    if (dashes !== undefined) {
      const again = read(dashes.text);
      if (again.limit === undefined && again.errors.length < plain.errors.length) {
        for (const d of again.documents) restoreFlowDashes(d.root, dashes.offsets);
        return again;
      }
    }
  }
  // `*app:` as a key: go-yaml ends the alias name at `:` (syntax/aliasColon.ts).
  if (plain.errors.some((e) => /^unknown anchor '[^']*:' referenced/.test(e.message))) {
    const split = splitAliasColons(input);
    if (split !== undefined) {
      const again = read(split);
      if (again.limit === undefined && again.errors.length < plain.errors.length) return again;
    }
  }
  // `\'` in a double-quoted scalar: go-yaml reads `'` (syntax/quoteEscapes.ts).
  if (plain.errors.some((e) => e.message.startsWith(QUOTE_ESCAPE_ERROR))) {
    const rewritten = rewriteQuoteEscapes(input, plain.errors);
    if (rewritten !== undefined) {
      const again = read(rewritten.text);
      if (
        again.limit === undefined &&
        again.errors.length < plain.errors.length &&
        restoreQuoteEscapes(
          again.documents.map((d) => d.root),
          input,
          rewritten.offsets,
        )
      )
        return again;
    }
  }
  return plain;
}
