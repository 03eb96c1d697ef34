/**
 * The fields every check writes the same way into a finding (`ctx.report({ ...about(o, span),
 * ...tier(evidence), message })`): where it lies and which object it is about, and its tier
 * (docs/dev/checks-spec.md): with evidence about the object it names, the check's warning; without,
 * information (or a hint).
 */

import type { KObject } from '../../model/types.js';
import type { Span } from '../../types.js';
import type { Finding } from './check.js';

/** A finding about `obj` at `span` of its file, in `namespace` when known. */
export function about(obj: KObject, span: Span, namespace?: string): Pick<Finding, 'uri' | 'span' | 'object' | 'namespace'> {
  return { uri: obj.uri, span, object: obj, ...(namespace !== undefined ? { namespace } : {}) };
}

/** The evidence tier: a warning with evidence; without it, `without` (information unless said). */
export function tier(evidence: boolean, without: 'information' | 'hint' = 'information'): Pick<Finding, 'confidence' | 'severity'> {
  return evidence ? { confidence: 'evidence', severity: 'warning' } : { confidence: 'no-evidence', severity: without };
}
