/** The parse tree of a text/template, after Go's text/template/parse node types. */

export interface Span {
  readonly pos: number;
  readonly end: number;
}

export type Arg =
  | (Span & { readonly type: 'field'; readonly idents: readonly string[] })
  | (Span & { readonly type: 'variable'; readonly idents: readonly string[] })
  | (Span & { readonly type: 'dot' })
  | (Span & { readonly type: 'nil' })
  | (Span & { readonly type: 'bool'; readonly val: boolean })
  | (Span & { readonly type: 'number'; readonly num: NumberConst })
  | (Span & { readonly type: 'string'; readonly val: string })
  | (Span & { readonly type: 'identifier'; readonly name: string })
  | (Span & { readonly type: 'chain'; readonly node: Arg; readonly fields: readonly string[] })
  | (Span & { readonly type: 'pipe'; readonly pipe: Pipe });

/** A number constant with the interpretations Go's parse.NumberNode allows. */
export interface NumberConst {
  readonly text: string;
  readonly int?: bigint;
  readonly float?: number;
  /** The constant's default type when it meets interface{}: float only with '.', 'e' or 'p' (not hex ints, not chars). */
  readonly ideal: 'int' | 'float';
}

export interface Command extends Span {
  readonly args: readonly Arg[];
}

export interface Pipe extends Span {
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
}

export interface ControlNode extends Span {
  readonly type: 'if' | 'with' | 'range';
  readonly pipe: Pipe;
  readonly list: readonly Node[];
  readonly elseList: readonly Node[] | undefined;
}

export type Node =
  | (Span & { readonly type: 'text'; readonly text: string })
  | (Span & { readonly type: 'action'; readonly pipe: Pipe })
  | ControlNode
  | (Span & { readonly type: 'template'; readonly name: string; readonly pipe: Pipe | undefined })
  | (Span & { readonly type: 'break' | 'continue' });

/** A named template: its body and where it was defined. */
export interface Tree {
  readonly name: string;
  /** The source (file) the body was parsed from. */
  readonly source: string;
  readonly text: string;
  readonly root: readonly Node[];
}
