/** Pod spec and container ports (docs/dev/api-rules.md §A.8), workloads (§A.9), Namespace (§A.10). */

import type { Span } from '../../types.js';
import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isScalar, isSeq, pair } from '../../syntax/tree.js';
import { dns1123Label, goQuote, ianaSvcName, qualifiedName } from '../apiFormats.js';
import { annotationRules, labelMapRules, selectorRules } from './meta.js';
import { absent, anchorIn, closed, int, seqItems, str, unsetString } from './nodes.js';
import { PortList } from './portList.js';
import { ApiSink, structured } from './sink.js';

function probePortRules(s: ApiSink, c: YMap, cp: string): void {
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    for (const handler of ['httpGet', 'tcpSocket']) {
      s.portOrName('C10', get(get(get(c, probe), handler), 'port'), `${cp}.${probe}.${handler}.port`);
    }
  }
}

function containerPortRules(s: ApiSink, c: YMap, cp: string): void {
  const list = new PortList(s, get(c, 'ports'), { nameFormat: ianaSvcName, invalidName: 'C1', duplicateName: 'C2', protocol: 'C6' });
  list.forEach((item, j) => {
    const pp = `${cp}.ports[${j}]`;
    list.name(get(item, 'name'), `${pp}.name`);
    const cpNode = get(item, 'containerPort');
    const cport = int(cpNode);
    if ((absent(cpNode) && !item.unknown && list.closed) || cport === 0)
      s.required('C3', cpNode?.span ?? anchorIn(item), `${pp}.containerPort`);
    else if (cport !== undefined && cpNode !== undefined) s.port('C4', cpNode.span, `${pp}.containerPort`, cport);
    const hpNode = get(item, 'hostPort');
    const hp = int(hpNode);
    if (hp !== undefined && hp !== 0 && hpNode !== undefined) s.port('C5', hpNode.span, `${pp}.hostPort`, hp);
    list.protocol(item, `${pp}.protocol`);
  });
}

export function podSpecRules(s: ApiSink, spec: YNode | undefined, path: string, workload: boolean): void {
  if (!isMap(spec)) return;
  const allNames = new Set<string>();
  const lists: Array<[string, YNode | undefined]> = [
    ['containers', get(spec, 'containers')],
    ['initContainers', get(spec, 'initContainers')],
  ];
  const hostNetwork = (() => {
    const n = get(spec, 'hostNetwork');
    return isScalar(n) && !n.unknown && n.value === true;
  })();
  for (const [key, list] of lists) {
    const seqClosed = isSeq(list) && !list.unknown;
    seqItems(list).forEach((c, i) => {
      if (!isMap(c)) return;
      const cp = `${path}.${key}[${i}]`;
      const nameNode = get(c, 'name');
      const name = str(nameNode);
      if (unsetString(nameNode)) {
        if (!c.unknown && seqClosed) s.required('C9', anchorIn(c), `${cp}.name`);
      } else if (name !== undefined && nameNode !== undefined) {
        for (const msg of dns1123Label(name)) s.invalid('C9', 'api-invalid-name', nameNode.span, `${cp}.name`, goQuote(name), msg);
        if (allNames.has(name) && seqClosed) s.duplicate('C9', nameNode.span, `${cp}.name`, goQuote(name));
        allNames.add(name);
      }
      containerPortRules(s, c, cp);
      probePortRules(s, c, cp);
      if (hostNetwork) {
        seqItems(get(c, 'ports')).forEach((p, j) => {
          const hpNode = get(p, 'hostPort');
          const hp = int(hpNode);
          const cport = int(get(p, 'containerPort'));
          if (
            !spec.unknown &&
            isMap(p) &&
            !p.unknown &&
            !(isSeq(get(c, 'ports')) && get(c, 'ports')?.unknown === true) &&
            hp !== undefined &&
            hp !== 0 &&
            cport !== undefined &&
            hp !== cport &&
            hpNode !== undefined
          ) {
            s.invalid(
              'C8',
              'api-invalid-value',
              hpNode.span,
              `${cp}.ports[${j}].hostPort`,
              String(hp),
              'must match `containerPort` when `hostNetwork` is true',
            );
          }
        });
      }
    });
  }
  // C7: host ports are unique across the (regular) containers.
  const containers = get(spec, 'containers');
  if (isSeq(containers) && !containers.unknown) {
    const seen = new Set<string>();
    containers.items.forEach((c, ci) => {
      const ports = get(c, 'ports');
      if (!isSeq(ports) || ports.unknown) return;
      ports.items.forEach((p, pi) => {
        const hpNode = get(p, 'hostPort');
        const hp = int(hpNode);
        if (hp === undefined || hp === 0 || hpNode === undefined || !isMap(p) || p.unknown) return;
        const protoNode = get(p, 'protocol');
        const proto = absent(protoNode) ? 'TCP' : str(protoNode);
        const ipNode = get(p, 'hostIP');
        const hostIP = absent(ipNode) ? '' : str(ipNode);
        if (proto === undefined || hostIP === undefined) return;
        const key = `${proto}/${hostIP}/${hp}`;
        if (seen.has(key)) s.duplicate('C7', hpNode.span, `${path}.containers[${ci}].ports[${pi}].hostPort`, goQuote(key));
        seen.add(key);
      });
    });
  }
  if (workload) {
    const rpNode = get(spec, 'restartPolicy');
    const rp = str(rpNode);
    if (rp !== undefined && rpNode !== undefined && rp !== 'Always') s.unsupported('WL5', rpNode, `${path}.restartPolicy`, rp, ['Always']);
  }
}

export function templateRules(s: ApiSink, template: YNode | undefined, path: string, workload: boolean): void {
  if (!isMap(template)) return;
  const meta = get(template, 'metadata');
  labelMapRules(s, get(meta, 'labels'), `${path}.metadata.labels`, 'M6', 'M7');
  annotationRules(s, get(meta, 'annotations'), `${path}.metadata.annotations`);
  podSpecRules(s, get(template, 'spec'), `${path}.spec`, workload);
}

function goMap(entries: ReadonlyArray<[string, string]>): string {
  return `map[string]string{${entries.map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`).join(', ')}}`;
}

function jsonMap(entries: ReadonlyArray<[string, string]>): string {
  return `{${entries.map(([k, v]) => `${goQuote(k)}:${goQuote(v)}`).join(',')}}`;
}

/** Literal label entries of a closed map, or undefined. */
function literalLabels(n: YNode | undefined): Array<[string, string]> | undefined {
  if (!closed(n)) return undefined;
  const out: Array<[string, string]> = [];
  for (const p of n.pairs) {
    const v = absent(p.value) ? '' : str(p.value);
    if (p.keyUnknown || v === undefined) return undefined;
    out.push([p.key, v]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function workloadRules(s: ApiSink, root: YMap, kind: string, kindSpan: Span): void {
  const specPair = pair(root, 'spec');
  const specNode = specPair?.value;
  if (specNode !== undefined && !isMap(specNode) && !absent(specNode)) return;
  const spec = isMap(specNode) ? specNode : undefined;
  const specClosed = spec !== undefined ? !spec.unknown : !root.unknown;
  const selPair = pair(spec, 'selector');
  const sel = selPair?.value;
  if (absent(sel)) {
    if (specClosed) s.required('WL1', selPair?.keySpan ?? specPair?.keySpan ?? kindSpan, 'spec.selector');
  } else if (isMap(sel) && selPair !== undefined) {
    const clean = selectorRules(s, sel, 'spec.selector');
    const ml = get(sel, 'matchLabels');
    const me = get(sel, 'matchExpressions');
    const nLabels = isMap(ml) ? ml.pairs.length : 0;
    const nExprs = seqItems(me).length;
    const certain = !sel.unknown && (absent(ml) || closed(ml)) && (absent(me) || (isSeq(me) && !me.unknown));
    if (nLabels + nExprs === 0 && certain) {
      const goLabels = isMap(ml) ? 'map[string]string{}' : 'map[string]string(nil)';
      const goExprs = isSeq(me) ? '[]v1.LabelSelectorRequirement{}' : '[]v1.LabelSelectorRequirement(nil)';
      const go = `&v1.LabelSelector{MatchLabels:${goLabels}, MatchExpressions:${goExprs}}`;
      s.invalid(
        'WL2',
        'api-invalid-selector',
        selPair.keySpan,
        'spec.selector',
        structured('{}', go),
        `empty selector is invalid for ${kind === 'ReplicaSet' ? 'deployment' : kind.toLowerCase()}`,
      );
    } else if (clean) {
      // WL3: the template's labels must match the selector.
      const tmplPair = pair(spec, 'template');
      const tmeta = get(tmplPair?.value, 'metadata');
      const lp = pair(tmeta, 'labels');
      const labels = absent(lp?.value)
        ? closed(tmeta) || (absent(tmeta) && closed(tmplPair?.value))
          ? []
          : undefined
        : literalLabels(lp?.value);
      const matchLabels = literalLabels(ml) ?? [];
      if (labels !== undefined && tmplPair !== undefined) {
        const have = new Map(labels);
        let matches = matchLabels.every(([k, v]) => have.get(k) === v);
        for (const e of seqItems(me)) {
          const key = str(get(e, 'key')) ?? '';
          const op = str(get(e, 'operator'));
          const values = seqItems(get(e, 'values')).map((v) => str(v) ?? '');
          const v = have.get(key);
          if (op === 'In' && (v === undefined || !values.includes(v))) matches = false;
          if (op === 'NotIn' && v !== undefined && values.includes(v)) matches = false;
          if (op === 'Exists' && v === undefined) matches = false;
          if (op === 'DoesNotExist' && v !== undefined) matches = false;
        }
        if (!matches) {
          const value = absent(lp?.value) ? structured('null', 'map[string]string(nil)') : structured(jsonMap(labels), goMap(labels));
          s.invalid(
            'WL3',
            'api-invalid-selector',
            lp?.keySpan ?? pair(tmeta, 'labels')?.keySpan ?? tmplPair.keySpan,
            'spec.template.metadata.labels',
            value,
            '`selector` does not match template `labels`',
          );
        }
      }
    }
  }
  templateRules(s, get(spec, 'template'), 'spec.template', true);
}

export function namespaceRules(s: ApiSink, root: YMap): void {
  seqItems(get(get(root, 'spec'), 'finalizers')).forEach((n, i) => {
    const v = str(n);
    if (v === undefined) return;
    const path = `spec.finalizers[${i}]`;
    const count = qualifiedName(v, 35).length;
    for (let k = 0; k < count; k++) s.invalid('NS2', 'api-invalid-name', n.span, path, goQuote(v), (m) => qualifiedName(v, m)[k] ?? '');
    if (!v.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(v)) {
      s.invalid('NS2', 'api-invalid-name', n.span, path, goQuote(v), 'name is neither a standard finalizer name nor is it fully qualified');
    }
  });
}
