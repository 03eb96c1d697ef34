/**
 * §A.13, row `A13T`: a boolean field of a built-in kind that the API server receives as a string or
 * a number fails decoding before any validation, and the whole object is rejected: `json: cannot
 * unmarshal string into Go struct field PodSpec.spec.template.spec.hostNetwork of type bool` (Go's
 * decoder: the struct that holds the field, then its JSON path without list indices).
 *
 * kubectl reads a plain file as YAML 1.1, where `yes`, `on`, `y` (and `no`, `off`, `n`) are
 * booleans: only a quoted value (`"true"`) or a number is a string or a number there. kustomize
 * reads its resources and patches with go-yaml v3 (YAML 1.2), where those words are strings
 * (`kubectl kustomize` writes `hostNetwork: "yes"`), so a build sends the string: that finding is
 * marked `kyamlString` and reported only for objects a Kustomize build read that way
 * (checks/api/storedFindings.ts).
 */

import type { YMap, YNode } from '../../syntax/tree.js';
import { get, isMap, isScalar } from '../../syntax/tree.js';
import { seqItems } from './nodes.js';
import type { ApiSink } from './sink.js';

const POD_SPEC = [
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'automountServiceAccountToken',
  'enableServiceLinks',
  'setHostnameAsFQDN',
  'hostUsers',
];
const CONTAINER = ['stdin', 'stdinOnce', 'tty'];
const SECURITY_CONTEXT = ['privileged', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'runAsNonRoot'];

/** The pod spec's path in each workload kind (Go's field path, without list indices). */
const POD_SPEC_PATH: Readonly<Record<string, string>> = {
  Pod: 'spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  ReplicationController: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

/** A YAML 1.2 boolean as written: any other word YAML 1.1 reads as a boolean (`yes`, `on`, `n`) is a string to go-yaml v3. */
const YAML12_BOOLEAN = /^(true|True|TRUE|false|False|FALSE)$/;

function field(s: ApiSink, text: string, node: YNode | undefined, struct: string, path: string): void {
  if (!isScalar(node) || node.unknown || node.value === null) return;
  const message = (what: string): string => `json: cannot unmarshal ${what} into Go struct field ${struct}.${path} of type bool`;
  const v = node.value;
  if (typeof v === 'boolean') {
    const written = text.slice(node.span.start, node.span.end);
    if (node.quoted || YAML12_BOOLEAN.test(written)) return;
    // kubectl reads it as a boolean; a Kustomize build sends the string.
    s.add('A13T', 'api-invalid-value', node.span, message('string'), 'error', [
      { title: `Write ${String(v)}`, edits: [s.booleanEdit(node.span, v)], isPreferred: true },
    ]);
    s.markKyamlString();
    return;
  }
  const what = typeof v === 'number' ? 'number' : 'string';
  const meant = typeof v === 'string' && /^(true|false)$/i.test(v) ? v.toLowerCase() : undefined;
  s.add(
    'A13T',
    'api-invalid-value',
    node.span,
    message(what),
    'error',
    meant === undefined ? [] : [{ title: `Write ${meant}`, edits: [s.booleanEdit(node.span, meant === 'true')], isPreferred: true }],
  );
}

function podSpec(s: ApiSink, text: string, spec: YNode | undefined, path: string): void {
  if (!isMap(spec)) return;
  for (const key of POD_SPEC) field(s, text, get(spec, key), 'PodSpec', `${path}.${key}`);
  field(s, text, get(get(spec, 'securityContext'), 'runAsNonRoot'), 'PodSecurityContext', `${path}.securityContext.runAsNonRoot`);
  for (const list of ['containers', 'initContainers']) {
    for (const c of seqItems(get(spec, list))) {
      const cp = `${path}.${list}`;
      for (const key of CONTAINER) field(s, text, get(c, key), 'Container', `${cp}.${key}`);
      for (const key of SECURITY_CONTEXT)
        field(s, text, get(get(c, 'securityContext'), key), 'SecurityContext', `${cp}.securityContext.${key}`);
      for (const m of seqItems(get(c, 'volumeMounts'))) field(s, text, get(m, 'readOnly'), 'VolumeMount', `${cp}.volumeMounts.readOnly`);
    }
  }
}

/** The boolean fields of `root` (a built-in kind the API rules validate) that the API server would not decode. */
export function booleanFieldRules(s: ApiSink, root: YMap, kind: string, text: string): void {
  const spec = get(root, 'spec');
  const podPath = POD_SPEC_PATH[kind];
  if (podPath !== undefined) {
    let pod: YNode | undefined = root;
    for (const key of podPath.split('.')) pod = get(pod, key);
    podSpec(s, text, pod, podPath);
  }
  if (kind === 'Deployment') field(s, text, get(spec, 'paused'), 'DeploymentSpec', 'spec.paused');
  if (kind === 'Job') field(s, text, get(spec, 'suspend'), 'JobSpec', 'spec.suspend');
  if (kind === 'CronJob') field(s, text, get(spec, 'suspend'), 'CronJobSpec', 'spec.suspend');
  if (kind === 'Service') {
    field(s, text, get(spec, 'publishNotReadyAddresses'), 'ServiceSpec', 'spec.publishNotReadyAddresses');
    field(s, text, get(spec, 'allocateLoadBalancerNodePorts'), 'ServiceSpec', 'spec.allocateLoadBalancerNodePorts');
  }
}
