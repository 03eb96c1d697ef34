/**
 * A `ports` list as the API server validates it: the walk, and the rules a Service's `spec.ports`
 * (docs/dev/api-rules.md §A.5 SV3, SV4, SV6) and a container's `ports` (§A.8 C1, C2, C6) share —
 * a port's name is in a format and unique within its list, its protocol one the API supports.
 *
 * What differs stays with each kind, explicit: the name's format (a Service port's name is a
 * DNS-1123 label, a container port's an IANA service name) is a parameter here; a Service's name
 * required beside other ports (SV2), its (protocol, port) and nodePort uniqueness (SV9, SV11) and
 * its protocol default, and a container's containerPort and hostPort (C3–C5), are in
 * `service.ts` and `workload.ts`.
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isSeq } from '../../syntax/tree.js';
import { goQuote } from '../apiFormats.js';
import { seqItems, str } from './nodes.js';
import type { ApiSink } from './sink.js';

const PROTOCOLS_SORTED = ['SCTP', 'TCP', 'UDP'];

/** A kind's rule ids for the shared rules, and its port names' format (the errors a name has). */
export interface PortListRules {
  readonly nameFormat: (name: string) => string[];
  readonly invalidName: string;
  readonly duplicateName: string;
  readonly protocol: string;
}

export class PortList {
  /** The list is literal: no template adds or hides items, so its items' values can be compared. */
  readonly closed: boolean;
  private readonly names = new Set<string>();

  constructor(
    private readonly s: ApiSink,
    private readonly node: YNode | undefined,
    private readonly rules: PortListRules,
  ) {
    this.closed = isSeq(node) && !node.unknown;
  }

  /** Each item that is a map, with its index. */
  forEach(visit: (item: YMap, index: number) => void): void {
    seqItems(this.node).forEach((item, i) => {
      if (isMap(item)) visit(item, i);
    });
  }

  /** A set name (not "" or null): in the kind's format, and unique in a closed list once valid. */
  name(nameNode: YNode | undefined, path: string): void {
    const name = str(nameNode);
    if (name === undefined || name === '' || nameNode === undefined) return;
    const errs = this.rules.nameFormat(name);
    for (const msg of errs) this.s.invalid(this.rules.invalidName, 'api-invalid-port-name', nameNode.span, path, goQuote(name), msg);
    if (errs.length > 0) return;
    if (this.names.has(name) && this.closed) this.s.duplicate(this.rules.duplicateName, nameNode.span, path, goQuote(name));
    this.names.add(name);
  }

  /** A written protocol: the value when the API supports it, else reported and undefined (also for a templated one). */
  protocol(item: YMap, path: string): string | undefined {
    const protoNode = get(item, 'protocol');
    const proto = str(protoNode);
    if (proto === undefined || protoNode === undefined || PROTOCOLS_SORTED.includes(proto)) return proto;
    this.s.unsupported(this.rules.protocol, protoNode, path, proto, PROTOCOLS_SORTED);
    return undefined;
  }
}
