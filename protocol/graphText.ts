/**
 * The graph export formats that `kube-reach reach --format mermaid|dot|csv` and the panel's Export
 * both write, so a graph exported from either reads the same: node ids made safe for Mermaid and
 * DOT, every manifest-derived string escaped for its format, and CSV fields that a spreadsheet
 * cannot take for formulas. Pure string functions (the webview imports them too).
 */

export interface GraphTextNode {
  readonly id: string;
  /** DOT only: the cluster (namespace) the node is drawn in; '' or absent for none. */
  readonly cluster?: string;
}

export interface GraphTextEdge {
  readonly from: string;
  readonly to: string;
  /** The ports, as `kube-reach reach` prints them. */
  readonly label: string;
  /** An `undefined` verdict: a dashed edge, labelled so. */
  readonly undefinedVerdict: boolean;
  /** In a connectivity diff (`kube-reach diff`): how the edge changed, drawn in its colour. */
  readonly diff?: 'added' | 'removed' | 'changed';
}

/** The colours of a diff's edges (netpol-analyzer's: added green, removed red, changed magenta). */
const DIFF_COLOURS = { added: '#008000', removed: 'red', changed: 'magenta' } as const;

/** Identifiers for the node ids: letters, digits and `_`, unique, never starting with a digit. */
function safeIds(nodes: readonly GraphTextNode[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const n of nodes) {
    let base = n.id.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = 'n_' + base;
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    out.set(n.id, id);
  }
  return out;
}

function edgeLabel(e: GraphTextEdge): string {
  return e.label + (e.undefinedVerdict ? ' (undefined)' : '');
}

export function mermaidText(nodes: readonly GraphTextNode[], edges: readonly GraphTextEdge[]): string {
  const ids = safeIds(nodes);
  const esc = (s: string): string => s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
  const out = ['flowchart LR'];
  for (const n of nodes) out.push(`  ${ids.get(n.id) ?? ''}["${esc(n.id)}"]`);
  for (const e of edges)
    out.push(
      `  ${ids.get(e.from) ?? ''} ${e.undefinedVerdict || e.diff === 'removed' ? '-.->' : '-->'}|"${esc(edgeLabel(e))}"| ${ids.get(e.to) ?? ''}`,
    );
  edges.forEach((e, i) => {
    if (e.diff !== undefined) out.push(`  linkStyle ${i} stroke:${DIFF_COLOURS[e.diff]},color:${DIFF_COLOURS[e.diff]}`);
  });
  return out.join('\n') + '\n';
}

/** DOT; nodes with a `cluster` are drawn inside a subgraph per cluster, in order of appearance. */
export function dotText(nodes: readonly GraphTextNode[], edges: readonly GraphTextEdge[]): string {
  const ids = safeIds(nodes);
  const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const out = ['digraph reach {', '  rankdir=LR;'];
  const byCluster = new Map<string, GraphTextNode[]>();
  for (const n of nodes) {
    const key = n.cluster ?? '';
    const list = byCluster.get(key);
    if (list === undefined) byCluster.set(key, [n]);
    else list.push(n);
  }
  let i = 0;
  for (const [cluster, list] of byCluster) {
    if (cluster !== '') out.push(`  subgraph cluster_${i++} {`, `    label="${esc(cluster)}";`);
    for (const n of list) out.push(`${cluster !== '' ? '    ' : '  '}${ids.get(n.id) ?? ''} [label="${esc(n.id)}"];`);
    if (cluster !== '') out.push('  }');
  }
  for (const e of edges) {
    const colour = e.diff === undefined ? '' : `, color="${DIFF_COLOURS[e.diff]}", fontcolor="${DIFF_COLOURS[e.diff]}"`;
    out.push(
      `  ${ids.get(e.from) ?? ''} -> ${ids.get(e.to) ?? ''} [label="${esc(edgeLabel(e))}"${e.undefinedVerdict || e.diff === 'removed' ? ', style=dashed' : ''}${colour}];`,
    );
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** A CSV field: quoted when it must be, and never read as a formula (a leading = + - @). */
export function csvField(s: string): string {
  const t = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r']/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}
