import type { Analysis } from '../host.js';
import type { CompletionResult } from '../types.js';

export function completeAt(_analysis: Analysis, _uri: string, _text: string, _offset: number): CompletionResult[] {
  return [];
}
