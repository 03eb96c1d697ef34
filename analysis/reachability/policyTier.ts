/**
 * The NetworkPolicy tier (docs/dev/netpol-semantics.md): every NetworkPolicy compiled against a
 * class model and a port space: which classes it selects, and per rule the classes and address
 * sets its peers match and the port atoms its ports allow. A policy compiled by the last engine
 * over the same model and space is taken as it is, so an edit compiles only the edited policies.
 */

import type { IpBlock, KObject, NetworkPolicySpec, PolicyPeer, PolicyPort, PolicyRule } from '../model/types.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { Bits } from './bitset.js';
import { andNot, bits, or } from './bitset.js';
import type { ClassModel } from './classModel.js';
import { triAnd } from './classModel.js';
import { nameOf } from './gather.js';
import type { IpSet } from './ip.js';
import { intersects, ipBlockSet } from './ip.js';
import type { PortSpace, Protocol } from './ports.js';
import { isProtocol } from './ports.js';
import type { TriBits } from './selectors.js';
import { selectorKey } from './selectors.js';
import type { Condition } from './sharedValues.js';
import { oneValueKey, podConditionKey, selectorLabelKeys, sharedSelectionKey } from './sharedValues.js';
import { exact } from '../model/values.js';

/** A compiled peer element. */
export interface CPeer {
  readonly index: number;
  readonly peer: PolicyPeer;
  readonly pods: TriBits;
  /** cidr minus except, when this is a valid ipBlock peer. */
  readonly ip: IpSet | undefined;
  readonly ipText: string | undefined;
  /** The ipBlock overlaps podCIDRs: whether it matches a pod is undefined. */
  readonly ipOverlapsPods: boolean;
  readonly unknown: boolean;
}

export interface NamedPort {
  readonly name: string;
  readonly protocol: Protocol;
}

export interface CPorts {
  readonly yes: Bits;
  readonly maybe: Bits;
  readonly named: readonly NamedPort[];
}

export interface CRule {
  /** Equal for rules with the same peers and ports (stable across engines that share a class model). */
  readonly contentId: number;
  readonly policy: CPolicy;
  readonly direction: 'ingress' | 'egress';
  readonly rule: PolicyRule;
  /** `from`/`to` absent or empty: every pod and every address. */
  readonly allPeers: boolean;
  readonly peers: readonly CPeer[];
  readonly ports: CPorts;
  readonly unknown: boolean;
}

export interface CPolicy {
  /** The content ids of its ingress / egress rules (equal for policies that allow the same). */
  readonly ingressKey: string;
  readonly egressKey: string;
  readonly obj: KObject;
  readonly namespace: string;
  readonly key: string;
  readonly spec: NetworkPolicySpec;
  readonly selected: TriBits;
  /**
   * Policies with the same `selection` select the same pods whatever the templated values are: one
   * namespace and one pod selector written without a templated value (`s:ns|selector`), or with
   * templated text that one value decides (`t:ns|…`, `sharedSelectionKey`: the same text in one
   * file's block, or at the top level of one chart's templates). Any other policy whose selector
   * holds a templated value has its own (`p:ns/name`).
   */
  readonly selection: string;
  /**
   * What its maybe-selection of a pod is about, beside cluster policies' subjects and peers
   * (`Condition`: the pod selector's key, in its own namespace); a templated policy has none.
   */
  readonly condition: Condition;
  readonly ingress: readonly CRule[] | undefined;
  readonly egress: readonly CRule[] | undefined;
}

/** A compiled policy and the notes its compilation wrote. */
export interface CompiledPolicy {
  readonly policy: CPolicy;
  readonly notes: readonly string[];
}

/** A known ipBlock's addresses and text, once per block (lowered blocks are immutable). */
const ipBlocks = new WeakMap<IpBlock, { readonly ip: IpSet | undefined; readonly text: string }>();

/** The addresses (undefined: not a valid CIDR) and text of an ipBlock, or undefined when a value is templated. */
export function knownIpBlock(b: IpBlock): { readonly ip: IpSet | undefined; readonly text: string } | undefined {
  if (!b.cidr.known || !b.except.every((e) => e.known)) return undefined;
  let out = ipBlocks.get(b);
  if (out === undefined) {
    const except = b.except.map((e) => (e.known ? e.value : ''));
    const text = b.cidr.value + (except.length > 0 ? ` except ${except.join(', ')}` : '');
    ipBlocks.set(b, (out = { ip: ipBlockSet(b.cidr.value, except), text }));
  }
  return out;
}

/**
 * The key of a `ports` list, once per list: lowered lists are immutable, and every engine built
 * after an edit compiles the policies it gathers again (at 3,000 NetworkPolicy-heavy manifests these
 * strings were the largest allocation of an edit's checks after the parser's).
 */
const portsKeys = new WeakMap<readonly PolicyPort[], string>();

export function portsKey(ports: readonly PolicyPort[] | undefined): string {
  if (ports === undefined) return '*';
  let key = portsKeys.get(ports);
  if (key === undefined) portsKeys.set(ports, (key = portsKeyOf(ports)));
  return key;
}

function portsKeyOf(ports: readonly PolicyPort[]): string {
  return ports
    .map(
      (p) =>
        `${p.protocol}:${p.port === undefined ? '*' : p.port.known ? String(p.port.value) + (typeof p.port.value === 'string' ? 'n' : '') : '?'}:${p.endPort === undefined ? '' : p.endPort.known ? p.endPort.value : '?'}`,
    )
    .join(',');
}

/** Compiled port lists per port space (shared by the engines over one space). */
const portsCaches = new WeakMap<PortSpace, Map<string, CPorts>>();

/** The port atoms of a `ports` list; named ports are kept by name (they resolve per destination). */
export function compilePorts(space: PortSpace, ports: readonly PolicyPort[] | undefined): CPorts {
  let cache = portsCaches.get(space);
  if (cache === undefined) portsCaches.set(space, (cache = new Map()));
  const k = portsKey(ports);
  let out = cache.get(k);
  if (out === undefined) {
    out = compilePortsUncached(space, ports);
    cache.set(k, out);
  }
  return out;
}

function compilePortsUncached(sp: PortSpace, ports: readonly PolicyPort[] | undefined): CPorts {
  if (ports === undefined) return { yes: sp.all(), maybe: sp.empty(), named: [] };
  let yes = sp.empty();
  let maybe = sp.empty();
  const named: NamedPort[] = [];
  for (const p of ports) {
    if (!isProtocol(p.protocol)) continue;
    if (p.port === undefined) yes = or(yes, sp.protocol(p.protocol));
    else if (!p.port.known) maybe = or(maybe, sp.protocol(p.protocol));
    else if (typeof p.port.value === 'number') {
      if (p.endPort !== undefined && !p.endPort.known) {
        yes = or(yes, sp.range(p.protocol, p.port.value, p.port.value));
        maybe = or(maybe, sp.range(p.protocol, p.port.value, 65535));
      } else {
        yes = or(yes, sp.range(p.protocol, p.port.value, p.endPort?.known === true ? p.endPort.value : p.port.value));
      }
    } else named.push({ name: p.port.value, protocol: p.protocol });
  }
  return { yes, maybe: andNot(maybe, yes), named };
}

/**
 * The NetworkPolicies of a gathering compiled over a class model and port space, in gathering
 * order, with their rules, the policies per namespace and the named ports the rules use.
 */
export class NetworkPolicyTier {
  readonly policies: CPolicy[] = [];
  readonly rules: CRule[] = [];
  readonly byNamespace = new Map<string, CPolicy[]>();
  /** The named ports the rules use (`PROTO/name`). */
  readonly namedUsed = new Map<string, NamedPort>();
  /** Compiled policies by object (the next engine over the same model and space takes them). */
  readonly compiled = new Map<KObject, CompiledPolicy>();
  readonly notes: string[] = [];
  /** How many policies this tier compiled (the others were the last engine's). */
  compiledNow = 0;

  constructor(
    private readonly model: ClassModel,
    private readonly space: PortSpace,
    private readonly podCIDRs: IpSet,
    policies: ReadonlyArray<{ readonly placed: Placed; readonly ns: string }>,
    previousCompiled: ReadonlyMap<KObject, CompiledPolicy> | undefined,
    private readonly textOf: (uri: string) => string | undefined,
  ) {
    for (const { placed, ns } of policies) {
      const obj = placed.obj;
      const hit = previousCompiled?.get(obj);
      const compiled = hit !== undefined && hit.policy.namespace === ns ? hit : this.compileNewPolicy(obj, ns);
      if (compiled === undefined) continue;
      this.compiled.set(obj, compiled);
      const policy = compiled.policy;
      for (const n of compiled.notes) this.notes.push(n);
      for (const r of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        this.rules.push(r);
        for (const np of r.ports.named) this.namedUsed.set(`${np.protocol}/${np.name}`, np);
      }
      this.policies.push(policy);
      const list = this.byNamespace.get(ns);
      if (list === undefined) this.byNamespace.set(ns, [policy]);
      else list.push(policy);
    }
  }

  /**
   * `CPolicy.selection`: a pod selector without a templated value selects the same pods in its
   * namespace whatever the templates render (`s:`); so does one whose templated text the same value
   * decides (`t:`, `sharedSelectionKey`); any other has its own (`p:`).
   */
  private selectionOf(spec: NetworkPolicySpec, ns: string, name: string, fixed: string | undefined, uri: string): string {
    if (spec.unknown) return `p:${ns}/${name}`;
    if (fixed !== undefined) return `s:${fixed}`;
    const shared = spec.podSelector === undefined ? undefined : sharedSelectionKey(uri, this.textOf(uri), [spec.podSelector]);
    return shared === undefined ? `p:${ns}/${name}` : `t:${ns}|${shared}`;
  }

  private compileNewPolicy(obj: KObject, ns: string): CompiledPolicy | undefined {
    const spec = obj.networkPolicy;
    const name = nameOf(obj);
    if (spec === undefined || name === undefined) return undefined;
    this.compiledNow++;
    const model = this.model;
    const n = model.classes.length;
    const notes: string[] = [];
    // A missing podSelector decodes as the empty selector: every pod of the namespace (rule 2).
    const selKey = `${ns}|${spec.podSelector === undefined ? '{}' : selectorKey(spec.podSelector)}`;
    let sel = model.selectedCache.get(selKey);
    if (sel === undefined) {
      sel =
        spec.podSelector === undefined
          ? { yes: model.nsClasses(ns).yes, maybe: bits(n) }
          : triAnd(model.selectors.evaluate(spec.podSelector), model.nsClasses(ns));
      model.selectedCache.set(selKey, sel);
    }
    const selected = spec.unknown ? { yes: bits(n), maybe: or(sel.yes, sel.maybe) } : sel;
    const ps = spec.podSelector;
    const fixedSelector =
      ps === undefined ||
      (!ps.unknown &&
        ps.matchLabels?.unknown !== true &&
        (ps.matchLabels?.entries ?? []).every((e) => e.value.known) &&
        ps.matchExpressions.every((r) => !r.unknown));
    const policy: CPolicy = {
      ingressKey: '',
      egressKey: '',
      obj,
      namespace: ns,
      key: `${ns}/${name}`,
      spec,
      selected,
      selection: this.selectionOf(spec, ns, name, fixedSelector ? selKey : undefined, obj.uri),
      condition: {
        selection: undefined,
        pod: spec.unknown ? undefined : podConditionKey(obj.uri, this.textOf(obj.uri), ps),
        ns: model.nsClasses(ns).yes,
        labelKeys: selectorLabelKeys(ps),
        oneValue: spec.unknown ? undefined : oneValueKey(ps),
      },
      ingress: undefined,
      egress: undefined,
    };
    const mutable = policy as { ingress: CRule[] | undefined; egress: CRule[] | undefined };
    const keys = policy as { ingressKey: string; egressKey: string };
    if (spec.policyTypes.includes('Ingress')) {
      mutable.ingress = (spec.ingress ?? []).map((r) => this.compileRule(policy, 'ingress', r, notes));
      keys.ingressKey = mutable.ingress.map((r) => r.contentId).join('.');
    }
    if (spec.policyTypes.includes('Egress')) {
      mutable.egress = (spec.egress ?? []).map((r) => this.compileRule(policy, 'egress', r, notes));
      keys.egressKey = mutable.egress.map((r) => r.contentId).join('.');
    }
    return { policy, notes };
  }

  private compileRule(policy: CPolicy, direction: 'ingress' | 'egress', rule: PolicyRule, notes: string[]): CRule {
    const peers: CPeer[] = [];
    const peerKeys: string[] = [];
    (rule.peers ?? []).forEach((peer, i) => {
      let peerKey = 'X';
      let pods: TriBits = this.model.noClasses();
      let ip: IpSet | undefined;
      let ipText: string | undefined;
      let ipOverlapsPods = false;
      const hasSel = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
      if (peer.unknown) {
        peerKey = 'U';
        pods = this.model.maybeAllClasses();
      } else if (peer.ipBlock !== undefined && !hasSel) {
        const block = knownIpBlock(peer.ipBlock);
        if (block !== undefined) {
          ({ ip, text: ipText } = block);
          peerKey = `ip:${ipText}`;
          if (ip === undefined) notes.push(`${policy.key}: ipBlock ${ipText} is not a valid CIDR; it matches nothing`);
          else if (intersects(ip, this.podCIDRs)) {
            ipOverlapsPods = true;
            pods = this.model.maybeAllClasses();
          }
        } else {
          peerKey = 'U';
          pods = this.model.maybeAllClasses();
        }
      } else if (hasSel && peer.ipBlock === undefined) {
        const k = `${peer.namespaceSelector === undefined ? `ns:${policy.namespace}` : `nsSel:${selectorKey(peer.namespaceSelector)}`}|${peer.podSelector === undefined ? '-' : selectorKey(peer.podSelector)}`;
        peerKey = `sel:${k}`;
        const hit = this.model.peerCache.get(k);
        if (hit !== undefined) pods = hit;
        else {
          const podPart = peer.podSelector !== undefined ? this.model.selectors.evaluate(peer.podSelector) : undefined;
          if (peer.namespaceSelector !== undefined) {
            const nsPart = this.model.nsSelect(peer.namespaceSelector);
            pods = podPart === undefined ? nsPart : triAnd(podPart, nsPart);
          } else if (podPart !== undefined) {
            pods = triAnd(podPart, this.model.nsClasses(policy.namespace));
          }
          this.model.peerCache.set(k, pods);
        }
      } else {
        // `{}` or ipBlock with a selector: the API server rejects it (rule 10); it matches nothing.
        notes.push(`${policy.key}: ${rule.path}.${direction === 'ingress' ? 'from' : 'to'}[${i}] is not a valid peer; it matches nothing`);
      }
      peerKeys.push(peerKey);
      peers.push({ index: i, peer, pods, ip, ipText, ipOverlapsPods, unknown: peer.unknown });
    });
    const contentKey = `${direction}|${rule.unknown ? 'U' : ''}|${rule.peers === undefined ? '*' : peerKeys.join(';')}|${portsKey(rule.ports)}`;
    let contentId = this.model.ruleIds.get(contentKey);
    if (contentId === undefined) this.model.ruleIds.set(contentKey, (contentId = this.model.ruleIds.size));
    const c: CRule = {
      contentId,
      policy,
      direction,
      rule,
      allPeers: rule.peers === undefined,
      peers: exact(peers),
      ports: compilePorts(this.space, rule.ports),
      unknown: rule.unknown,
    };
    return c;
  }
}

/**
 * A compiled rule in the user's words: `rule 1 of ingress in policy shop/web`, with the peer that
 * matched when the rule lists several (`(from entry 2)`).
 */
export function ruleWords(rule: CRule, peer?: number): string {
  const i = /\[(\d+)\]$/.exec(rule.rule.path)?.[1];
  const which = i === undefined ? rule.rule.path : `rule ${Number(i) + 1}`;
  const entry = peer !== undefined && rule.peers.length > 1 ? ` (${rule.direction === 'ingress' ? 'from' : 'to'} entry ${peer + 1})` : '';
  return `${which} of ${rule.direction} in policy ${rule.policy.key}${entry}`;
}
