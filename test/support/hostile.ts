/**
 * The hostile corpus, generated at test time (a few megabytes that are not committed): inputs a
 * bad-input campaign found crashing, stalling or passing silently (issue 20). Each case says what
 * the file must give: a finding of `code` (or none), never a throw, and within its time budget.
 * Used by test/analysis/hostile.test.ts, test/server/hostile.test.ts and `npm run fuzz`.
 */

export interface HostileCase {
  readonly name: string;
  /** The file's text. */
  text(): string;
  /** A diagnostic code the file must get (`undefined`: any or none). */
  readonly expect?: string;
  /** A code the file must not get. */
  readonly forbid?: string;
  /** Only in the long campaign (`npm run fuzz`): large inputs whose short-run twin covers the same path. */
  readonly long?: boolean;
}

/** Nine Lists of nine aliases each (978 bytes): 387,420,489 objects if expanded. */
export function listAliasBomb(width = 9, depth = 9): string {
  let s =
    'apiVersion: v1\nkind: List\nitems:\n- &c0 {apiVersion: v1, kind: Service, metadata: {name: s}, spec: {selector: {app: x}, ports: [{port: 80}]}}\n';
  for (let i = 1; i <= depth; i++)
    s += `- &c${i} {apiVersion: v1, kind: List, items: [${Array(width)
      .fill(`*c${i - 1}`)
      .join(', ')}]}\n`;
  return s;
}

/** Nested Lists through aliases, doubling at each level: 2^17 = 131,072 objects from 553 bytes. */
export function doublingListAliases(levels = 17): string {
  let s = 'apiVersion: v1\nkind: List\nitems:\n- &b0 {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n';
  for (let i = 1; i <= levels; i++) s += `- &b${i} {apiVersion: v1, kind: List, items: [*b${i - 1}, *b${i - 1}]}\n`;
  return s;
}

const nearMissValue = 'a'.repeat(20_000);

export const HOSTILE: readonly HostileCase[] = [
  { name: 'sequence nested 1,000 levels (- - - … x)', text: () => '- '.repeat(1000) + 'x\n', expect: 'input-limit' },
  { name: 'flow sequence nested 1,000 levels ([[[…]]])', text: () => '['.repeat(1000) + ']'.repeat(1000) + '\n', expect: 'input-limit' },
  { name: 'flow map nested 1,000 levels', text: () => '{a: '.repeat(1000) + 'x' + '}'.repeat(1000) + '\n', expect: 'input-limit' },
  {
    name: 'block map nested 1,000 levels',
    text: () => Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' x\n',
    expect: 'input-limit',
  },
  { name: '9×9 List alias bomb', text: () => listAliasBomb(), expect: 'input-limit' },
  { name: '131,072 objects from doubling List aliases', text: () => doublingListAliases(), expect: 'input-limit' },
  {
    name: '130,000 tiny documents',
    text: () => Array.from({ length: 130_000 }, () => 'apiVersion: v1\nkind: Pod\n').join('---\n'),
    expect: 'input-limit',
  },
  { name: '100,000 empty documents', text: () => '---\n'.repeat(100_000), expect: 'input-limit' },
  { name: '80,000 unclosed {{', text: () => 'a: ' + '{{'.repeat(80_000) + '\n', expect: 'input-limit' },
  {
    name: '40,000 {{ .x }} actions',
    long: true,
    text: () =>
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n' +
      Array.from({ length: 40_000 }, (_, i) => `  k${i}: {{ .Values.v${i} }}\n`).join(''),
  },
  {
    name: '5,000 keys in one map',
    text: () =>
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n' + Array.from({ length: 5_000 }, (_, i) => `  k${i}: v\n`).join(''),
    forbid: 'input-limit',
  },
  {
    name: '40,000 keys in one map',
    long: true,
    text: () =>
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n' + Array.from({ length: 40_000 }, (_, i) => `  k${i}: v\n`).join(''),
    forbid: 'input-limit',
  },
  {
    name: '60,000 keys in one map',
    long: true,
    text: () =>
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n' + Array.from({ length: 60_000 }, (_, i) => `  k${i}: v\n`).join(''),
    expect: 'input-limit',
  },
  { name: '4.9 MB single line', long: true, text: () => 'a: ' + 'x'.repeat(4_900_000) + '\n', forbid: 'input-limit' },
  { name: '20,001 aliases', text: () => 'a: &a x\nb: [' + Array(20_001).fill('*a').join(', ') + ']\n', expect: 'input-limit' },
  {
    // Each alias resolved by a walk of the whole document made this quadratic (minutes); one walk per document now.
    name: '10,000 aliases of 5,000 anchors, at the limit',
    text: () =>
      'a: [' +
      Array.from({ length: 5_000 }, (_, i) => `&a${i} x, *a${i}`).join(', ') +
      ']\nb: [' +
      Array(5_000).fill('*a0').join(', ') +
      ']\n',
    forbid: 'input-limit',
  },
  {
    name: '20,000-character near-miss label value',
    text: () =>
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: ${nearMissValue}\n  template:\n    metadata:\n      labels:\n        app: ${nearMissValue}\n    spec:\n      containers:\n      - name: c\n        image: i\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app: ${nearMissValue.slice(0, -1)}b\n  ports:\n  - port: 80\n`,
  },
  {
    name: 'undefined alias',
    text: () => 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: *nope\n  ports:\n  - port: 80\n',
    expect: 'yaml-syntax',
  },
  {
    name: 'alias inside its own anchor',
    text: () => 'apiVersion: v1\nkind: List\nitems: &i\n- {apiVersion: v1, kind: List, items: *i}\n',
    expect: 'yaml-syntax',
  },
  {
    name: 'CR-only line ends',
    text: () => 'apiVersion: v1\rkind: Service\rmetadata:\r  name: web\rspec:\r  selector:\r    app: web\r  ports:\r  - port: 80\r',
    forbid: 'yaml-syntax',
  },
  {
    name: 'mixed CR, LF and CRLF line ends',
    text: () => 'apiVersion: v1\r\nkind: Service\rmetadata:\n  name: web\r\nspec:\r  ports:\n  - port: 80\r',
    forbid: 'yaml-syntax',
  },
  { name: 'unclosed quotes and brackets', text: () => 'a: "' + '[{'.repeat(5000) + "\nb: '" + '\n'.repeat(10) },
  { name: '40,000 ${VAR} placeholders', text: () => 'a: ' + '${A:-x} '.repeat(40_000) + '\n' },
  { name: 'unclosed ${VAR:- defaults', text: () => 'a: ' + '${A:-'.repeat(40_000) + '\n' },
];
