/**
 * Ports a server's configuration file, kept in a ConfigMap and mounted into the pods, tells it to
 * listen on: nginx's `listen 443 ssl;` (`listen [::]:443`, `listen 0.0.0.0:8080`), Apache's
 * `Listen 8080`, HAProxy's `bind *:8443`. A test backend of an ingress controller's examples runs
 * `nginx` with its `conf.d` from a ConfigMap and declares only `containerPort: 80` while a Service
 * forwards to 443, where the mounted configuration listens: traffic flows, so the port checks
 * take these ports as shown listeners, as they take a probe's (checks/support/serviceTargets.ts).
 *
 * Pure: syntax nodes in, numbers out.
 */

import type { YNode } from '../syntax/tree.js';
import { get, getPath, isMap, isScalar, isSeq } from '../syntax/tree.js';
import { plainString } from './values.js';

/** A listen directive at the start of a line: the port, after an optional address. */
const LISTEN = /^[ \t]*(?:listen|Listen|bind)[ \t]+(?:(?:\[[0-9a-fA-F:.]*\]|[\w.*-]*):)?(\d{1,5})(?![\d.:\w-])/gm;

/** The ports a ConfigMap's `data` values listen on, by the directives above (undefined: none). */
export function configMapListens(root: YNode): readonly number[] | undefined {
  const data = get(root, 'data');
  if (!isMap(data)) return undefined;
  const out = new Set<number>();
  for (const pair of data.pairs) {
    const v = pair.value;
    if (!isScalar(v) || typeof v.value !== 'string') continue;
    for (const m of v.value.matchAll(LISTEN)) {
      const port = Number(m[1]);
      if (port > 0 && port < 65536) out.add(port);
    }
  }
  return out.size === 0 ? undefined : [...out].sort((a, b) => a - b);
}

/** The names of the ConfigMaps a pod spec mounts as volumes (directly or in a projected volume). */
export function mountedConfigMaps(podSpec: YNode | undefined): readonly string[] | undefined {
  const volumes = get(podSpec, 'volumes');
  if (!isSeq(volumes)) return undefined;
  const out: string[] = [];
  for (const v of volumes.items) {
    const direct = plainString(getPath(v, 'configMap', 'name'));
    if (direct !== undefined) out.push(direct);
    const sources = getPath(v, 'projected', 'sources');
    if (isSeq(sources))
      for (const s of sources.items) {
        const name = plainString(getPath(s, 'configMap', 'name'));
        if (name !== undefined) out.push(name);
      }
  }
  return out.length === 0 ? undefined : out;
}
