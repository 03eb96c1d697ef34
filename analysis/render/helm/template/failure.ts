/** What an execution is bounded by and how it fails (Go's wording, the innermost source span). */

import type { Tree } from './ast.js';

/** Templates by name: the set's, or a `tpl` text's over them. */
export interface TemplateLookup {
  get(name: string): Tree | undefined;
}

export interface Limits {
  readonly maxSteps: number;
  readonly maxOutput: number;
  readonly maxDepth: number;
}

export type ErrorKind = 'parse' | 'exec' | 'fail' | 'required' | 'unsupported' | 'limit';

/** An execution failure, with the innermost source span and Go's wording. */
export class ExecFailure extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly source: string,
    readonly srcStart: number,
    readonly srcEnd: number,
    readonly func?: string,
    /** For fail/required: the user's message alone. */
    readonly userMessage?: string,
  ) {
    super(message);
  }
}
