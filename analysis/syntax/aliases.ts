/**
 * Aliases resolved in one walk of a document (syntax/parse.ts lowers each alias to its target).
 */
import { isAlias, visit } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';

/**
 * What every alias of `doc` refers to: the last node before it, in document order, that sets its
 * anchor (what `yaml`'s `Alias.resolve` finds, in one walk of the document instead of one per
 * alias: a file of thousands of aliases would otherwise take seconds).
 */
export function aliasTargets(doc: Document.Parsed): Map<Alias, YamlNode | undefined> {
  const out = new Map<Alias, YamlNode | undefined>();
  const last = new Map<string, YamlNode>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) out.set(node, last.get(node.source));
      else if (node.anchor !== undefined) last.set(node.anchor, node);
    },
  });
  return out;
}
