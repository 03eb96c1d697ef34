/**
 * go-yaml, a port of libyaml (kubectl, kustomize, Helm and Flux read manifests with it), ends an
 * anchor or alias name at the first character that is not a letter, digit, `_` or `-`, and accepts
 * `:` right after it: `*app:` is the alias `app` followed by the mapping value indicator, a key
 * written from an anchor (Flux home labs' app-template values: `controllers: {*app: …}`). YAML 1.2,
 * and the `yaml` package, read the `:` as part of the name: `unknown anchor 'app:' referenced`.
 *
 * The same-length reading (syntax/leniency.ts applies it where it removes errors): a name written
 * `*name:` whose anchor `&name` the text defines loses its last character in every anchor and alias
 * of that name, padded with a space (`&app x` → `&ap  x`, `*app:` → `*ap :`, `*app` → `*ap `), when
 * the shorter name is not an anchor or alias of the text already. Anchor names are not part of the
 * objects, and every span keeps its offset.
 */

const NAME = /[A-Za-z0-9_-]/;

/** `&name`/`*name` at `i` (the indicator) where an anchor or alias may start: after a blank, a line start or `[{,`. */
function startsToken(input: string, i: number): boolean {
  const prev = i === 0 ? '\n' : input[i - 1];
  return prev === ' ' || prev === '\t' || prev === '\n' || prev === '\r' || prev === '[' || prev === '{' || prev === ',';
}

/** Every anchor or alias name in `input` with the offsets of its indicators. */
function namesOf(input: string): Map<string, Array<{ readonly at: number; readonly alias: boolean; readonly colon: boolean }>> {
  const out = new Map<string, Array<{ readonly at: number; readonly alias: boolean; readonly colon: boolean }>>();
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if ((c !== '&' && c !== '*') || !startsToken(input, i)) continue;
    let j = i + 1;
    while (j < input.length && NAME.test(input[j] ?? '')) j++;
    if (j === i + 1) continue;
    const name = input.slice(i + 1, j);
    const after = input[j];
    const colon = after === ':' && (j + 1 >= input.length || /[\s]/.test(input[j + 1] ?? ''));
    let list = out.get(name);
    if (list === undefined) out.set(name, (list = []));
    list.push({ at: i, alias: c === '*', colon });
    i = j - 1;
  }
  return out;
}

/** The text with go-yaml's reading of `*name:` made explicit, same length; undefined when nothing applies. */
export function splitAliasColons(input: string): string | undefined {
  const names = namesOf(input);
  let out: string[] | undefined;
  for (const [name, uses] of names) {
    if (name.length < 2 || !uses.some((u) => u.alias && u.colon) || !uses.some((u) => !u.alias)) continue;
    const shorter = name.slice(0, -1);
    if (names.has(shorter)) continue;
    out ??= input.split('');
    for (const u of uses) {
      // The name's last character becomes a space: `*app:` → `*ap :`.
      out[u.at + name.length] = ' ';
    }
  }
  return out?.join('');
}
