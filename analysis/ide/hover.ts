import type { Analysis } from '../host.js';
import type { HoverResult } from '../types.js';

export function hoverAt(_analysis: Analysis, _uri: string, _text: string, _offset: number): HoverResult | undefined {
  return undefined;
}
