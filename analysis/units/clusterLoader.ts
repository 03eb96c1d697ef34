/**
 * ClusterLoader2 (kubernetes/perf-tests' load-test harness) object templates read as CL2 creates
 * them. A test config's `steps[].phases[].objectBundle[]` entries name an `objectTemplatePath`
 * (relative to the config's folder, also inside a `module:` it includes); CL2 creates each of its
 * objects once per replica index, named `<basename>-<index>` whatever the template's
 * `metadata.name` says (clusterloader2/pkg/test/simple_test_executor.go `ExecuteObject`,
 * pkg/framework/client/objects.go `CreateObject` sets the name). So a template's object is named
 * `<basename>-0` when every phase that creates it has a literal basename and one replica (a
 * StatefulSet's `serviceName: headless-service-0` is the Service of template `headless-service.yaml`
 * created with basename `headless-service`); otherwise its name is unknown. Pure.
 */

import type { FileFacts, KObject } from '../model/types.js';
import { unknownValue } from '../model/values.js';
import { dirname, joinPath } from '../workspace/paths.js';

/**
 * The object templates of the workspace's ClusterLoader2 configs, with the one name CL2 gives their
 * objects when every config that names the template says it (`<basename>-0`), else undefined (unknown).
 */
export function clusterLoaderTemplatesOf(files: ReadonlyMap<string, FileFacts>): ReadonlyMap<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const f of files.values()) {
    const config = f.toolConfig?.clusterLoader;
    if (config === undefined) continue;
    const dir = dirname(f.uri);
    // A module's paths are relative to the including config's folder (each file's also to its own: a module no config in view includes).
    const seen = new Set<string>([f.uri]);
    const queue = [config];
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      for (const t of c.templates) {
        const uri = joinPath(dir, t.path);
        out.set(uri, out.has(uri) && out.get(uri) !== t.name ? undefined : t.name);
      }
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

/** An object of a CL2 object template as CL2 creates it: named `name` (`<basename>-0`), or unknown (`<basename>-<index>`). */
export function clusterLoaderObject(o: KObject, name: string | undefined): KObject {
  if (o.name === undefined) return o;
  return { ...o, name: name === undefined ? unknownValue(o.name.span) : { known: true, value: name, span: o.name.span } };
}
