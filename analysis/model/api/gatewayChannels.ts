/**
 * Fields of the Gateway API's experimental channel only (docs/dev/api-rules.md §A.10a, GW51): the
 * v1.5.1 CRDs of the experimental channel have them in kinds and versions the standard channel
 * serves too, whose standard CRDs do not. Which channel a cluster installed is in the manifests
 * only when they hold the Gateway API CRDs (or `kubeReach.gatewayApi.channel` says it: the check
 * reads it, `checks/api/gatewayChannel.ts`); unknown, this is information: with the standard CRDs, kubectl's default strict field
 * validation rejects the object (`<Kind> in version "<v>" cannot be handled as a <Kind>: strict
 * decoding error: unknown field "<path>"`, the server's decoding error for a custom resource), and
 * without it the field is pruned: the feature silently does nothing.
 */

import type { YNode } from '../../syntax/tree.js';
import { isMap, pair } from '../../syntax/tree.js';
import type { ApiSink } from './sink.js';
import { visit } from './gatewayLengths.js';
import { str } from './nodes.js';
import { goQuote } from '../apiFormats.js';

/** Per kind: the versions the rows apply to, and each field as its parent's path and its key. */
const EXPERIMENTAL: Readonly<
  Record<string, { readonly versions: readonly string[]; readonly fields: ReadonlyArray<readonly [string, string]> }>
> = {
  Gateway: { versions: ['v1', 'v1beta1'], fields: [['spec', 'defaultScope']] },
  HTTPRoute: {
    versions: ['v1', 'v1beta1'],
    fields: [
      ['spec', 'useDefaultGateways'],
      ['spec.rules[]', 'retry'],
      ['spec.rules[]', 'sessionPersistence'],
      ['spec.rules[].filters[]', 'externalAuth'],
      ['spec.rules[].backendRefs[].filters[]', 'externalAuth'],
    ],
  },
  GRPCRoute: {
    versions: ['v1'],
    fields: [
      ['spec', 'useDefaultGateways'],
      ['spec.rules[]', 'sessionPersistence'],
    ],
  },
  TLSRoute: { versions: ['v1'], fields: [['spec', 'useDefaultGateways']] },
  // v1.6.1: TCPRoute and UDPRoute `v1` are standard; `useDefaultGateways` stays experimental.
  TCPRoute: { versions: ['v1'], fields: [['spec', 'useDefaultGateways']] },
  UDPRoute: { versions: ['v1'], fields: [['spec', 'useDefaultGateways']] },
};

/** The experimental-only fields an object of `kind` at `version` sets (GW51, information). */
export function experimentalFields(s: ApiSink, root: YNode, kind: string, version: string): void {
  const rows = EXPERIMENTAL[kind];
  if (rows === undefined || !rows.versions.includes(version)) return;
  for (const [parent, key] of rows.fields) {
    visit(root, parent.split('.'), '', (node, path) => {
      const p = isMap(node) ? pair(node, key) : undefined;
      if (p === undefined) return;
      const field = `${path}.${key}`;
      const strict = `${kind} in version "${version}" cannot be handled as a ${kind}: strict decoding error: unknown field "${field}"`;
      s.experimentalField(
        'GW51',
        'api-ignored-field',
        p.keySpan,
        `${field}: a field of the Gateway API's experimental channel only. With the standard channel's CRDs, kubectl apply fails (${strict}), and with --validate=false the field is dropped.`,
        kind,
        strict,
      );
    });
  }
}

/**
 * The experimental channel's header-value pattern (v1.5.1: HTTPRoute header matches, and the
 * `add`/`set` values of HTTPRoute and GRPCRoute header modifiers; the standard CRDs give these
 * values none): `^[!-~]+([\t ]?[!-~]+)*$`, printable US-ASCII in runs separated by one tab or
 * space. Tested without the regular expression, whose nested quantifiers backtrack exponentially on
 * a long value that fails at its end. "" and values past maxLength 4096 fail their length first
 * (kube-openapi stops at the first failing string rule, GW50).
 */
const HEADER_VALUE_TEXT = '^[!-~]+([\\t ]?[!-~]+)*$';

export function headerValueMatches(v: string): boolean {
  let gap = true;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x21 && c <= 0x7e) gap = false;
    else if ((c === 0x20 || c === 0x09) && !gap) gap = true;
    else return false;
  }
  return !gap;
}

export function experimentalHeaderValue(s: ApiSink, n: YNode | undefined, path: string, kind: string): void {
  const v = str(n);
  if (n === undefined || v === undefined || v === '' || v.length > 4096 || headerValueMatches(v)) return;
  s.channelRule(
    'GW46',
    'api-invalid-value',
    n.span,
    `${path}: Invalid value: ${goQuote(v)}: ${path} in body should match '${HEADER_VALUE_TEXT}'`,
    kind,
    'experimental',
  );
}
