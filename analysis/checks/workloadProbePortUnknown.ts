/**
 * `workload-probe-port-unknown`: a probe uses a named port that its container does not define. The
 * probe errors, the pod never becomes Ready, and every Service selecting it has no endpoints.
 */

import { about } from './support/findingFields.js';
import type { Check } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import { describe, unitsComplete } from './support/evidence.js';

export const workloadProbePortUnknown: Check = {
  code: 'workload-probe-port-unknown',
  defaultSeverity: 'warning',
  summary: 'A probe uses a named port that its container does not define.',
  doc: [
    'An `httpGet`, `tcpSocket` or `grpc` probe may name its port (`port: http`). Kubernetes looks the name up',
    "in the **same container's** `ports`; when it is not there the probe fails, the pod never becomes Ready and",
    'Services selecting it have no endpoints — an outage that no Service check explains.',
    '',
    '```yaml',
    'ports: [{containerPort: 8080}]        # unnamed',
    'readinessProbe: {httpGet: {path: /healthz, port: http}}',
    '```',
    '',
    '**Fix:** name the container port, or use the port number (quick-fix).',
  ].join('\n'),
  run(ctx) {
    for (const placed of ctx.objects) {
      const o = placed.obj;
      const pod = o.pod;
      if (pod === undefined || pod.portsUnknown) continue;
      if (!unitsComplete(ctx, placed)) continue;
      for (const pr of pod.probePorts) {
        if (!pr.port.known || typeof pr.port.value !== 'string') continue;
        const name = pr.port.value;
        const own = pod.ports.filter((c) => c.container === pr.container);
        if (own.some((c) => c.name === name)) continue;
        const w = writerFor(ctx, o.uri);
        const fixes = own.map((c) => ({
          title: `Use port ${c.containerPort}`,
          isPreferred: own.length === 1,
          edits: [w.value(pr.port.span, c.containerPort)],
        }));
        const named = own.filter((c) => c.name !== undefined);
        for (const c of named)
          if (c.name !== undefined)
            fixes.push({ title: `Use port "${c.name}"`, isPreferred: false, edits: [w.value(pr.port.span, c.name)] });
        ctx.report({
          ...about(o, pr.port.span),
          confidence: 'definite',
          severity: 'warning',
          message: `${describe(o, placed.placements[0]?.namespace)}: the ${pr.probe} of container "${pr.container}" uses port "${name}", which the container does not define${own.length > 0 ? ` (it declares ${own.map((c) => (c.name !== undefined ? `"${c.name}" ${c.containerPort}` : String(c.containerPort))).join(', ')})` : ''}: the probe fails and the pod never becomes Ready.`,
          fixes,
        });
      }
    }
  },
};
