/**
 * A file of JSON objects one after another (`{…}\n{…}`), as `kubectl get -o json` of several
 * objects or a converter writes them: kubectl reads a file whose first character that is not space
 * is `{` as a stream of JSON values (apimachinery's YAMLOrJSONDecoder), one object each. YAML reads
 * such a file as one flow mapping followed by garbage. Each value is read on its own, at its place
 * in the file (the rest blanked, so offsets stay the file's), as one document of the file.
 */

import type { ParsedDocument, ParsedFile } from './parse.js';

/** The top-level JSON values of `text` when there are two or more, each `{…}` and only space between; else undefined. */
function streamValues(text: string): Array<{ start: number; end: number }> | undefined {
  const out: Array<{ start: number; end: number }> = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (depth === 0) {
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
      // A JSON object: `{` and then a key (`"`) or `}`; `{{ … }}` is a template action, `{a: 1}` YAML.
      if (c !== 123 /* { */ || !/^\{\s*["}]/.test(text.slice(i, i + 200))) return undefined;
      start = i;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91 /* [ */) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) out.push({ start, end: i + 1 });
    }
  }
  return depth === 0 && !inString && out.length > 1 ? out : undefined;
}

/** Characters read at most (values × file length): a stream of a few hundred objects. */
const BUDGET = 50_000_000;

/**
 * The file read as a JSON stream (`parse`: the plain YAML reading of one text), when it is one and
 * every value reads cleanly; undefined otherwise.
 */
export function readJsonStream(input: string, parse: (text: string) => ParsedFile): ParsedFile | undefined {
  const values = streamValues(input);
  if (values === undefined || values.length * input.length > BUDGET) return undefined;
  const documents: ParsedDocument[] = [];
  let first: ParsedFile | undefined;
  for (const [index, v] of values.entries()) {
    // The other values blanked (line breaks kept): this one keeps its offsets, lines and columns.
    const alone = input.slice(0, v.start).replace(/[^\n]/g, ' ') + input.slice(v.start, v.end) + input.slice(v.end).replace(/[^\n]/g, ' ');
    const read = parse(alone);
    const doc = read.documents[0];
    if (read.errors.length > 0 || read.limit !== undefined || read.templated || read.documents.length !== 1 || doc === undefined)
      return undefined;
    first ??= read;
    documents.push({ ...doc, index, commentBefore: '' });
  }
  return first === undefined ? undefined : { ...first, documents, errors: [], tolerated: [] };
}
