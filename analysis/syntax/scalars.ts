/**
 * What a plain, quoted or block scalar's text stands for beyond its YAML value: a placeholder a
 * reader fills in, a test tool's expression (both unknown values), and a block scalar's final line
 * break as go-yaml reads it. Used by `parse.ts` while lowering.
 */

import { Scalar } from 'yaml';
import type { Span } from '../types.js';
import type { ScalarValue } from './tree.js';

/**
 * A placeholder a reader replaces before applying, as docs examples write them: `<YOUR_DOMAIN>`,
 * `<account-id>.dkr.ecr…` (an upper-case name, or one with `-`/`_` between its words; not an HTML tag
 * such as `<br>`), a whole value in angle brackets that holds a `.` or `/` after its first name
 * (`<guestbook.contoso.com>`, `<your-domain.com>`, `</other/*>`: never a tag, and no valid host, name or
 * path in Kubernetes), or as install instructions fill them in with `sed -e s/__URL__/…/`: an upper-case
 * name between double underscores (`__URL__`, `__IMAGE_TAG__`), or, as test suites fill them in with a
 * string replace, an upper-case name with `_` between its words in braces (`"{GATEWAY_CONTROLLER_NAME}"`:
 * the Gateway API conformance suite), or a shell variable a script fills in with `envsubst` or `sed`
 * (`namespace: $NAMESPACE`, `name: $APP_NAME-svc`, `cidr: $API_SERVER_IP/32`: the whole value one
 * upper-case `$NAME` with at most name, `.`, `:` and `/` characters around it), or a Concourse or BOSH variable its pipeline interpolates
 * (`name: alertmanager-((ALERTMANAGER_NAME))`, `((vault:path.key))`: a name in double parentheses,
 * not shell arithmetic's `$((…))`), or an Argo CD secret plugin's token, which the plugin replaces
 * in the rendered manifests (`<path:kv/data/app#host>`, argocd-vault-plugin, with its `| base64encode`
 * modifiers; `coder.<secret:private-domain>`, argocd-secret-replacer: a lower-case prefix, a colon and
 * a key), or a whole value that is a phrase in angle brackets (`namespace: << define your namespace here >>`,
 * `<your namespace>`: a workshop's blank for the reader; words with spaces, never a valid name), or a whole value that is an ellipsis (`name: ...  # <1>`, `namespace: …`: docs snippets that leave the
 * value to the reader, as Stackable's AsciiDoc examples do; never a valid name). A plain or quoted scalar holding one
 * is an unknown value, like `${VAR}`.
 */
const DOC_PLACEHOLDER =
  /^<<? *[A-Za-z][A-Za-z0-9'_-]*(?: [A-Za-z0-9'_-]+)+ *>>?$|^<\/?[A-Za-z0-9*][\w*-]*(?:[./][\w*-]*)+>$|<(?:[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+|[A-Z][A-Z0-9]+)>|<[a-z][a-z0-9]*:[\w./#-]+(?: ?\| ?[a-z0-9]+)*>|(?<![A-Za-z0-9_])__[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*__(?![A-Za-z0-9_])|(?<![{$])\{[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\}(?!\})|^[a-z0-9.:/-]*\$[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![A-Za-z0-9_])[a-z0-9.:/-]*$|(?<!\$)\(\([A-Za-z][A-Za-z0-9_.:/-]*\)\)/;

export function docPlaceholder(value: unknown, type: Scalar.Type | undefined): boolean {
  if ((value === '...' || value === '\u2026') && type !== Scalar.BLOCK_FOLDED && type !== Scalar.BLOCK_LITERAL) return true;
  return (
    typeof value === 'string' &&
    value.length <= 256 &&
    (value.includes('<') || value.includes('__') || value.includes('{') || value.includes('$') || value.includes('((')) &&
    type !== Scalar.BLOCK_FOLDED &&
    type !== Scalar.BLOCK_LITERAL &&
    DOC_PLACEHOLDER.test(value)
  );
}

/**
 * argocd-vault-plugin's generic placeholders (`name: <name>`, `replicas: <replicas>`,
 * `<name>-json`, `<password | base64encode>`): any `<key>` in a value of a document that names its
 * secret path with the `avp.kubernetes.io/path` annotation (the plugin fills them in from that path
 * before Argo CD applies the document).
 */
const AVP_GENERIC = /<[^<>\n]+>/;
/** A document that uses argocd-vault-plugin's generic placeholders (its path annotation). */
export const AVP_PATH_ANNOTATION = /avp\.kubernetes\.io\/path/;

export function avpPlaceholder(value: unknown, type: Scalar.Type | undefined): boolean {
  return (
    typeof value === 'string' &&
    value.length <= 256 &&
    value.includes('<') &&
    type !== Scalar.BLOCK_FOLDED &&
    type !== Scalar.BLOCK_LITERAL &&
    AVP_GENERIC.test(value)
  );
}

/**
 * A test tool's expression standing for a value (kyverno/chainsaw templating, on by default: a
 * field value wrapped in parentheses is a JMESPath expression, `($namespace)`,
 * `(join('-', ['cross', $namespace]))`, `(env('VERSION'))`): the whole one-line scalar is `( … )`
 * and holds a `$binding` or a function call. Chainsaw evaluates it before applying: an unknown
 * value, like `${VAR}`.
 */
const TEST_EXPRESSION = /^\((?=.*(?:\$[A-Za-z_]|\b[a-z_][a-z0-9_]*\())[^\n]*\)$/;

export function testExpression(value: unknown, type: Scalar.Type | undefined): boolean {
  return (
    typeof value === 'string' &&
    value.length <= 256 &&
    value.startsWith('(') &&
    type !== Scalar.BLOCK_FOLDED &&
    type !== Scalar.BLOCK_LITERAL &&
    TEST_EXPRESSION.test(value) &&
    !CEL_SELF.test(value) &&
    wrappedWhole(value)
  );
}

/** CEL names the object under validation `self` (`oldSelf`); JMESPath has no such name (`@`): a CRD or policy rule, text. */
const CEL_SELF = /(?<![\w$.])(?:self|oldSelf)\b/;

/**
 * Whether the parenthesis that opens `value` is the one that closes it (quoted text skipped): a
 * CEL rule such as `(has(self.a) && !has(self.b)) || (!has(self.a) && has(self.b))` in a CRD's
 * `x-kubernetes-validations` starts and ends with parentheses, but they are two groups, not one
 * expression wrapped whole.
 */
function wrappedWhole(value: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quote !== undefined) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === value.length - 1;
  }
  return false;
}

/**
 * A block scalar that runs to the end of a file without a final line break has no final line break
 * to keep (YAML's clip and keep chomping keep the one there is): go-yaml, which kubectl reads with,
 * reads `key: |` then `  text` at the end of the file as "text"; the `yaml` package adds "\n".
 */
export function eofBlockScalar(value: ScalarValue, type: Scalar.Type | undefined, span: Span, src: string): ScalarValue {
  if (typeof value !== 'string' || !value.endsWith('\n') || span.end < src.length) return value;
  if (type !== Scalar.BLOCK_LITERAL && type !== Scalar.BLOCK_FOLDED) return value;
  return src.endsWith('\n') || src.endsWith('\r') ? value : value.slice(0, -1);
}
