/** The `yaml` composer's documents, one at a time (syntax/parse.ts lowers each as it comes). */

import { Composer, Parser } from 'yaml';
import type { Document, LineCounter } from 'yaml';

/**
 * Documents as `parseAllDocuments` composes them, handed to `each` one at a time as the composer
 * finishes them (with whether it took comments or errors met before it), so a file of thousands of
 * documents never holds every `yaml` AST at once; `each` returns false to stop. Returns whether the
 * text ended with comments or errors outside any document.
 */
export function composeDocuments(
  src: string,
  lineCounter: LineCounter,
  options: { readonly prettyErrors: false; readonly strict: boolean; readonly uniqueKeys: boolean },
  each: (doc: Document.Parsed, carried: boolean) => boolean,
): boolean {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(options);
  const carried: boolean[] = [];
  let index = 0;
  const pending = (): boolean => {
    const info = composer.streamInfo();
    return info.comment !== '' || info.errors.length > 0;
  };
  for (const token of parser.parse(src)) {
    if (token.type === 'document') carried.push(pending());
    for (const d of composer.next(token)) {
      if (!each(d as Document.Parsed, carried[index] === true)) return false;
      index++;
    }
  }
  const trailing = pending();
  for (const d of composer.end()) {
    if (!each(d as Document.Parsed, carried[index] === true)) return trailing;
    index++;
  }
  return trailing;
}
