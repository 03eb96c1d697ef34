/**
 * YAML 1.1 scalars as kubectl and Helm read them (go-yaml v2), where YAML 1.2 reads otherwise: used while lowering
 * (`parse.ts`), by the edit writer (quoting) and by the CRD schema skim.
 */

const YAML11_BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((s): [string, boolean] => [s, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((s): [string, boolean] => [s, false]),
]);

/**
 * The YAML 1.1 value of a plain scalar as go-yaml v2 resolves it (the decoder behind kubectl's and
 * Helm's sigs.k8s.io/yaml), when it differs from YAML 1.2's or is read differently by other YAML
 * 1.1 readers: y/yes/on and n/no/off booleans, integers with a leading zero (octal when every
 * digit is, as strconv.ParseInt with base 0 reads them; else the decimal float go-yaml falls back
 * to), `_` digit separators and 0b binary integers.
 */
export function yaml11Value(text: string): number | boolean | undefined {
  const b = YAML11_BOOLEANS.get(text);
  if (b !== undefined) return b;
  const lead = /^([-+]?)0([0-9_]+)$/.exec(text);
  if (lead !== null) {
    const digits = (lead[2] ?? '').replace(/_/g, '');
    if (digits === '') return undefined;
    const n = /^[0-7]+$/.test(digits) ? parseInt(digits, 8) : parseInt(digits, 10);
    return lead[1] === '-' ? -n : n;
  }
  if (/^[-+]?[0-9][0-9_]*$/.test(text) && text.includes('_')) return Number(text.replace(/_/g, ''));
  const bin = /^([-+]?)0b([01_]+)$/.exec(text);
  if (bin !== null) {
    const n = parseInt((bin[2] ?? '').replace(/_/g, ''), 2);
    return bin[1] === '-' ? -n : n;
  }
  return undefined;
}

/** The plain scalars `yaml11Value` reads otherwise than YAML 1.2 (booleans; leading-zero, `_` and `0b` integers). */
const YAML11_BOOLEAN = /^(?:[yYnN]|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF)$/;
const YAML11_INTEGER = /^[-+]?(?:0[0-9_]+|0b[01_]+|[0-9][0-9_]*_[0-9_]*)$/;

/**
 * `yaml` custom tags that resolve plain scalars as go-yaml v2 does (`yaml11Value`), for readers that
 * stand in for sigs.k8s.io/yaml (Helm's values and Chart.yaml): put before the core schema's tags,
 * `customTags: (tags) => [...YAML11_TAGS, ...tags]`. Quoted and tagged scalars are not affected.
 */
export const YAML11_TAGS = [
  { tag: 'tag:yaml.org,2002:bool', default: true, test: YAML11_BOOLEAN, resolve: (s: string): unknown => yaml11Value(s) ?? s },
  { tag: 'tag:yaml.org,2002:int', default: true, test: YAML11_INTEGER, resolve: (s: string): unknown => yaml11Value(s) ?? s },
] as const;
