/**
 * Syntax-tree nodes made by the GitOps roots (Argo CD, Fleet, Flux) for the kustomizations they
 * synthesize: every node carries the span of the field it was made from, so a finding about a built
 * object points at the Application, fleet.yaml or Kustomization that set it.
 */

import type { Span } from '../types.js';
import type { YMap, YNode, YPair, YScalar, YSeq } from '../syntax/tree.js';

/** A quoted string. */
export function scalar(value: string, span: Span): YScalar {
  return { kind: 'scalar', span, value, unknown: false, quoted: true };
}

export function pairOf(key: string, value: YNode, keySpan: Span): YPair {
  return { key, keySpan, value, keyUnknown: false };
}

export function seqOf(items: YNode[], span: Span): YSeq {
  return { kind: 'seq', span, items, unknown: false, flow: false };
}

export function mapOf(pairs: YPair[], span: Span): YMap {
  return { kind: 'map', span, pairs, unknown: false, flow: false };
}
