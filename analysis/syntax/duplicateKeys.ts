/** Duplicate keys in a map while lowering (parse.ts): their identity and kubectl's wording. */

import { Scalar } from 'yaml';
import type { Span } from '../types.js';
import { yaml11Value } from './yaml11.js';

/** A map key seen while lowering: its YAML 1.2 identity and where it is. */
export interface DuplicateKey {
  readonly yaml12: string;
  readonly span: Span;
}

export function yaml12Identity(v: unknown): string {
  return typeof v === 'string' ? 's' + v : typeof v + String(v);
}

/**
 * A repeated key. Keys equal in YAML 1.2 keep the `yaml` package's wording, with the key named and
 * go-yaml v2's strict wording after it. Keys that differ in YAML 1.2
 * but are one key to kubectl (`on:` and `true:`, `yes:` and `y:`, `0755:` and `493:`) get
 * go-yaml v2's strict wording, which sigs.k8s.io/yaml's strict conversion reports (`key true already set
 * in map`, the Go value of the later key), with the reading that makes them one. `1:` and `"1":` are one
 * JSON key too.
 */
export function duplicateKeyMessage(key: string, first: DuplicateKey, here: DuplicateKey, keyNode: Scalar, src: string): string {
  if (first.yaml12 === here.yaml12) {
    // Which key: a template's include or a long map makes the first one hard to find.
    const named = JSON.stringify(key.length <= 64 ? key : `${key.slice(0, 61)}...`);
    return `Map keys must be unique: ${named} twice in this map (kubectl: key ${named} already set in map)`;
  }
  const v = keyNode.value;
  const plain = keyNode.type === undefined || keyNode.type === Scalar.PLAIN;
  const k8s = plain ? yaml11Value(src.slice(here.span.start, here.span.end)) : undefined;
  const go = k8s ?? v;
  const shown = typeof go === 'boolean' || typeof go === 'number' ? String(go) : JSON.stringify(String(go));
  const text = (s: Span): string => {
    const t = src.slice(s.start, s.end);
    return t.length <= 64 && !/[\r\n]/.test(t) ? t : JSON.stringify(key);
  };
  const firstK8s = src.slice(first.span.start, first.span.end);
  const yaml11 = k8s !== undefined || (firstK8s.length <= 64 && yaml11Value(firstK8s) !== undefined);
  return `key ${shown} already set in map: kubectl reads ${text(first.span)} and ${text(here.span)} as the same key "${key}"${yaml11 ? ' (YAML 1.1)' : ''}`;
}
