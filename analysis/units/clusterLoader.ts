/**
 * ClusterLoader2 (kubernetes/perf-tests' load-test harness) object templates read as CL2 creates
 * them. A test config's `steps[].phases[].objectBundle[]` entries name an `objectTemplatePath`
 * (relative to the config's folder, also inside a `module:` it includes); CL2 creates each of its
 * objects once per replica index, named `<basename>-<index>` whatever the template's
 * `metadata.name` says (clusterloader2/pkg/test/simple_test_executor.go `ExecuteObject`,
 * pkg/framework/client/objects.go `CreateObject` sets the name). So a template's objects have
 * unknown names: a StatefulSet's `serviceName: headless-service-0` may be the Service of template
 * `headless-service.yaml` created with basename `headless-service`. Pure.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { unknownValue } from '../model/values.js';
import { dirname, joinPath } from '../workspace/paths.js';

/** The object templates of the workspace's ClusterLoader2 configs: their objects' names are CL2's. */
export function clusterLoaderTemplatesOf(files: ReadonlyMap<string, FileFacts>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const f of files.values()) {
    const config = f.toolConfig?.clusterLoader;
    if (config === undefined) continue;
    const dir = dirname(f.uri);
    // A module's paths are relative to the including config's folder (each file's also to its own: a module no config in view includes).
    const seen = new Set<string>([f.uri]);
    const queue = [config];
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      for (const t of c.templates) out.add(joinPath(dir, t));
      for (const m of c.modules) {
        const uri = joinPath(dir, m);
        const module = files.get(uri)?.toolConfig?.clusterLoader;
        if (module !== undefined && !seen.has(uri)) {
          seen.add(uri);
          queue.push(module);
        }
      }
    }
  }
  return out;
}

/** An object of a CL2 object template as CL2 creates it: its name is `<basename>-<index>`, unknown here. */
export function clusterLoaderObject(o: KObject): KObject {
  return o.name === undefined || !o.name.known ? o : { ...o, name: unknownValue(o.name.span) };
}
