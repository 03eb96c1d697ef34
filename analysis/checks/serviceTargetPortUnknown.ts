/**
 * `service-target-port-unknown`: a Service port forwards to a pod port that no selected workload
 * declares. Named targetPorts resolve only against a container port of the same name **and**
 * protocol (Kubernetes' FindPort); numeric ones are compared with the declared ports, quietly when
 * containers declare none (containerPort is informational in Kubernetes).
 */

import { about, tier } from './support/findingFields.js';
import type { Placed } from '../workspace/workspaceIndex.js';
import type { ContainerPort, ServicePort } from '../model/types.js';
import type { Check, Finding } from './support/check.js';
import { writerFor } from '../edits/writer.js';
import type { EditWriter } from '../edits/writer.js';
import { describe } from './support/evidence.js';
import {
  declaresIncompletely,
  formatPorts,
  portComparableServices,
  portsServedBySiblings,
  probesPort,
  configListensOn,
  SIDECAR_PORT_NAMES,
  SIDECAR_PORT_NUMBERS,
} from './support/serviceTargets.js';
import type { TextEdit } from '../types.js';
import { injectedPorts } from './support/sidecarSets.js';

function workloadsDeclare(producers: readonly Placed[]): string {
  // Alternatives (the same workload in several flavour files) declare the same ports: said once.
  const said = producers.map((p) => {
    const ports = p.obj.pod?.ports ?? [];
    return `${describe(p.obj)} declares ${ports.length === 0 ? 'no ports' : `${ports.length === 1 ? 'only ' : ''}${formatPorts(ports)}`}`;
  });
  return [...new Set(said)].join('; ');
}

function fixesFor(
  w: EditWriter,
  sp: ServicePort,
  candidates: readonly ContainerPort[],
  preferOnly: boolean,
): NonNullable<Finding['fixes']> {
  const out: Array<{ title: string; edits: TextEdit[]; isPreferred?: boolean }> = [];
  const seen = new Set<string>();
  const make = (value: number | string): TextEdit | undefined => {
    if (sp.targetPort !== undefined) return w.intOrString(sp.targetPort.span, value);
    if (sp.port === undefined) return undefined;
    return w.insertAfter(sp.port.span, 'targetPort', value);
  };
  const single = preferOnly && candidates.length === 1;
  for (const c of candidates) {
    for (const value of [c.containerPort, ...(c.name !== undefined ? [c.name] : [])]) {
      const key = String(value);
      if (seen.has(key)) continue;
      seen.add(key);
      const edit = make(value);
      if (edit === undefined) continue;
      out.push({
        title: `Set targetPort to ${typeof value === 'number' ? value : `"${value}"`}`,
        edits: [edit],
        ...(single && typeof value === 'number' ? { isPreferred: true } : {}),
      });
    }
  }
  return out;
}

/** controller-runtime's default webhook server port (`webhook.DefaultPort`). */
const WEBHOOK_PORT = 9443;

export const serviceTargetPortUnknown: Check = {
  code: 'service-target-port-unknown',
  defaultSeverity: 'warning',
  summary: 'A Service port forwards to a pod port that the selected workloads do not declare.',
  doc: [
    'Each Service port forwards to `targetPort` on the selected pods (when `targetPort` is omitted it equals `port`).',
    'A **named** targetPort must match a container port with that `name` and the same `protocol`; otherwise the pod',
    'is not an endpoint for that port at all. A **numeric** targetPort that no container declares usually means the',
    'classic mistake "targetPort 80, the app listens on 8080": connections are refused.',
    '',
    'Numeric ports are only compared when the workloads declare ports (containerPort is informational in Kubernetes),',
    'and a warning needs evidence: no port of the Service lands on a declared port, or the workload declares exactly',
    'one port of that protocol and no other port of the Service lands on it, or every container runs a well-known image',
    "(whose listeners are then known). A Service that partly overlaps its workloads' ports gets information. A probe that",
    "connects to the target port, or the port in the containers' command, args or env values",
    '(`--metrics-bind-address=:8443`, `PORT: "8080"`), or the default port of a well-known image (docs/well-known-images.md:',
    '`kong/go-echo` serves HTTP on 1027), or a listen directive in a ConfigMap the pods mount as a volume (nginx',
    '`listen 443 ssl;`, Apache `Listen 8080`, HAProxy `bind *:8443`: a test backend that declares only 80 while its',
    'server block listens on 443) shows the pods listen there (silent); a probe on another port the workload does not',
    'declare shows its declared ports are incomplete (information), and so does a container that sets two or more of',
    'its listeners through env variables (`KONG_PROXY_LISTEN`, `KONG_ADMIN_LISTEN`): the listeners no variable sets keep',
    "the image's defaults (Kong serves its admin GUI on 8002 and 8445 unless `KONG_ADMIN_GUI_LISTEN` moves it). A port of",
    'a second Service is information when another Service selecting the same pods already forwards to their declared',
    'ports under other port numbers: it is a separate listener the container opens without declaring it (an embedded',
    'broker beside the web port); it stays a warning when another Service forwards the same port number to a declared',
    "port (that one was meant to as well). A Service port 443 forwarding to 9443 is an admission webhook's: controller-runtime's",
    "webhook server listens on 9443 by default, declared or not (information). Env variables that name the process's own",
    "port count (`PORT`, `SERVER_PORT`, `WEBHOOK_SERVER_PORT`, `HTTP_PORT`, `*_LISTEN*`); an upstream's (`DB_PORT`) does not.",
    "A Service that a route reaching its pods on any port names (STUNner's `stunner.l7mp.io` UDPRoute, which sends media",
    'to "any UDP port on the pods" the Service selects, or a standard UDPRoute attached to a STUNner Gateway) is not',
    'judged: its ports are placeholders.',
    'The ports of containers an OpenKruise `SidecarSet` injects into the selected pods (its `selector`, `namespace`',
    "and `namespaceSelector`, read against the Namespace's declared labels, match them) count as declared; a SidecarSet",
    'whose selector, namespace, namespace labels or ports leave open whether it injects what into them makes their',
    'ports unknown (silent).',
    '',
    '```yaml',
    'ports:',
    '  - port: 80          # targetPort omitted: forwards to 80, but the container declares 8080',
    '```',
    '',
    '**Fix:** set `targetPort` to one of the declared ports (a quick-fix per candidate, by number and by name).',
  ].join('\n'),
  run(ctx) {
    for (const { placed, svc, sel } of portComparableServices(ctx)) {
      const o = placed.obj;
      if (sel.producers.length === 0) continue;
      const producers = sel.producers;
      if (producers.some((p) => p.obj.pod?.portsUnknown === true)) continue;
      const ns0 = sel.placement.namespace;
      const injected = producers.some((p) => p.obj.pod?.injectedSidecar === true) || (ns0 !== undefined && ctx.index.injectsSidecars(ns0));
      // OpenKruise SidecarSets that select these pods add their containers' ports (model/sidecarSet.ts).
      const sidecars = injectedPorts(ctx, producers, sel.placement);
      if (sidecars.unknown) continue;
      const declared = [...producers.flatMap((p) => p.obj.pod?.ports ?? []), ...sidecars.ports];
      const ns = sel.placement.namespace;
      const who = describe(o, sel.placement.floating ? undefined : ns);
      const w = writerFor(ctx, o.uri);
      const numericMisses: Array<{ sp: ServicePort; value: number }> = [];
      let hits = 0; // Service ports that land on a declared port
      const reached = new Set<ContainerPort>(); // the declared ports they land on
      for (const sp of svc.ports) {
        const tp = sp.targetPort ?? sp.port;
        if (tp === undefined || !tp.known) continue;
        if (typeof tp.value === 'string') {
          const name = tp.value;
          const landed = declared.filter((c) => c.name === name && c.protocol === sp.protocol);
          if (landed.length > 0) {
            hits++;
            for (const c of landed) reached.add(c);
            continue;
          }
          if (injected && SIDECAR_PORT_NAMES.has(name)) continue;
          const other = declared.find((c) => c.name === name);
          const sameProto = declared.filter((c) => c.protocol === sp.protocol);
          const names = [...new Set(declared.map((c) => c.name).filter((n): n is string => n !== undefined))];
          const message =
            other !== undefined
              ? `${who}: targetPort "${name}" is declared as ${other.protocol} by ${describe(producers[0]?.obj ?? o)}, but this Service port is ${sp.protocol}${sp.protocolSpan === undefined ? ' (the default)' : ''}; Kubernetes resolves named ports only within the same protocol, so no pod is an endpoint for this port.`
              : `${who}: targetPort "${name}" matches no port of the selected pods, so they are not endpoints for this port. ${producers.map((p) => describe(p.obj)).join(', ')} ${names.length > 0 ? `${producers.length === 1 ? 'names its ports' : 'name their ports'} ${names.map((n) => `"${n}"`).join(', ')}` : `declare${producers.length === 1 ? 's' : ''} ${declared.length > 0 ? formatPorts(declared) : 'no container ports'}`}.`;
          ctx.report({
            ...about(o, tp.span),
            ...tier(true),
            message,
            related: producers.map((p) => ({
              uri: p.obj.uri,
              span: p.obj.pod?.ports[0]?.span ?? p.obj.anchor,
              message: `${describe(p.obj)}: container ports`,
            })),
            fixes: fixesFor(w, sp, sameProto, false),
          });
          continue;
        }
        const value = tp.value;
        const sameProto = declared.filter((c) => c.protocol === sp.protocol);
        if (declared.length === 0) continue;
        const landed = sameProto.filter((c) => c.containerPort === value);
        if (landed.length > 0) {
          hits++;
          for (const c of landed) reached.add(c);
          continue;
        }
        // Declared only with another protocol: service-protocol-mismatch's case, not this one.
        if (declared.some((c) => c.containerPort === value)) continue;
        if (injected && SIDECAR_PORT_NUMBERS.has(value)) continue;
        // A probe connects there: the pods listen on it, declared or not.
        if (producers.some((p) => probesPort(p, value) || configListensOn(ctx, p, sel.placement, value))) continue;
        numericMisses.push({ sp, value });
      }
      // A probe on an undeclared port shows the declared list is incomplete: no evidence then.
      const incomplete = producers.some(declaresIncompletely);
      let siblings: ReadonlySet<string> | undefined | null = null; // read once, when a miss needs it
      for (const { sp, value } of numericMisses) {
        const sameProto = declared.filter((c) => c.protocol === sp.protocol);
        const uniquePorts = new Set(sameProto.map((c) => c.containerPort));
        const disjoint = hits === 0;
        // "The workload declares one port and this Service port misses it" is the classic mistake
        // only while no other port of the Service reaches that one: then the miss is an extra port
        // the process opens without declaring it (a metrics port), information.
        const onlyPortMissed = uniquePorts.size === 1 && !sameProto.some((c) => reached.has(c));
        // Pods whose every image is well known listen on their configured ports only.
        const listenersKnown = producers.every((p) => p.obj.pod?.listenersKnown === true);
        // Another Service serves these pods' declared ports under other port numbers: this one is a
        // separate listener the container opens without declaring it (information), unless another
        // Service forwards this very port number to a declared port (then this one was meant to).
        let separate = false;
        if ((disjoint || onlyPortMissed) && !listenersKnown && !incomplete) {
          if (siblings === null) siblings = portsServedBySiblings(ctx, placed, sel);
          const port = sp.port?.known === true ? sp.port.value : undefined;
          separate = siblings !== undefined && !siblings.has(`${sp.protocol}/${String(port)}`);
        }
        // A container that sets several listeners through env variables keeps the image's defaults
        // for the others (Kong's admin GUI on 8002): its declared ports are no bound on its listeners.
        const byEnv = !listenersKnown && producers.some((p) => p.obj.pod?.listenersByEnv === true);
        // 443 → 9443 is an admission webhook's Service: controller-runtime's webhook server listens
        // on 9443 by default, and operators often leave that listener undeclared.
        const webhookServer =
          !listenersKnown && value === WEBHOOK_PORT && sp.protocol === 'TCP' && sp.port?.known === true && sp.port.value === 443;
        const warn = (listenersKnown || ((disjoint || onlyPortMissed) && !separate && !byEnv && !webhookServer)) && !incomplete;
        const tp = sp.targetPort ?? sp.port;
        if (tp === undefined) continue;
        const how =
          sp.targetPort === undefined
            ? `port ${value} forwards to pod port ${value} (targetPort omitted, so it equals port)`
            : `port ${sp.port?.known === true ? sp.port.value : '?'} forwards to pod port ${value}`;
        ctx.report({
          ...about(o, tp.span, ns),
          ...tier(warn),
          message: `${who} ${how}, but ${workloadsDeclare(producers)}. Connections will be refused unless the container also listens on ${value}.`,
          related: producers.map((p) => ({
            uri: p.obj.uri,
            span: p.obj.pod?.ports[0]?.span ?? p.obj.anchor,
            message: `${describe(p.obj)}: container ports`,
          })),
          fixes: fixesFor(w, sp, sameProto, disjoint),
        });
      }
    }
  },
};
