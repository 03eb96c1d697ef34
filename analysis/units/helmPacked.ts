/**
 * How a file of a packed subchart (`charts/*.tgz`, unpacked by the CLI and the server into support
 * files at `charts/<name>/…`, never analysed) is named to the user and where a link to it lands: the
 * archive and the path inside it (`charts/queue-1.0.0.tgz: queue/templates/service.yaml`, words a
 * user finds in the workspace and in `tar tzf`), and the archive's dependency entry in the Chart.yaml
 * above it (a file that opens), never the unpacked path, which is no file.
 */

import { isMap, isScalar, isSeq, pair } from '../syntax/tree.js';
import type { Span } from '../types.js';
import { valuesTree } from './helmSchema.js';

/** A packed subchart's file, as the user can find it. */
export interface PackedFile {
  /** The archive's URI: `<chart>/charts/<name>-<version>.tgz`, as `helm dependency build` names it. */
  readonly archive: string;
  /** The file's path inside the archive: `<name>/templates/service.yaml`. */
  readonly inner: string;
  /** Where a link to the file lands: the archive's dependency entry (its `name:`) in the Chart.yaml above it, else that Chart.yaml's first line. */
  readonly place: { readonly uri: string; readonly span: Span } | undefined;
}

/** A Chart.yaml (or Chart.yml) of `dir` among `texts`: its URI and text. */
function chartYaml(dir: string, texts: (uri: string) => string | undefined): { uri: string; text: string } | undefined {
  for (const name of ['Chart.yaml', 'Chart.yml']) {
    const uri = `${dir}/${name}`;
    const text = texts(uri);
    if (text !== undefined) return { uri, text };
  }
  return undefined;
}

function scalarText(n: ReturnType<typeof pair>): string | undefined {
  const v = n?.value;
  return isScalar(v) && v.value !== null && v.value !== '' ? String(v.value) : undefined;
}

/**
 * The packed archive `uri` lies in, below root chart `root`: the first `charts/<name>` folder on the
 * way from `root` whose Chart.yaml the host does not analyse (`analysed`: an unpacked subchart's
 * Chart.yaml is a manifest of the workspace, a packed one's a support file). Undefined for a file
 * that is in no packed subchart. The archive is named `<name>-<version>.tgz` from the packed
 * Chart.yaml (the name `helm dependency build` and `helm pull` give it).
 */
export function packedFile(
  root: string,
  uri: string,
  texts: (uri: string) => string | undefined,
  analysed: (uri: string) => boolean,
): PackedFile | undefined {
  if (!uri.startsWith(`${root}/charts/`) || analysed(uri)) return undefined;
  let dir = root;
  for (let depth = 0; depth < 20; depth++) {
    const m = /^charts\/([^/]+)\//.exec(uri.slice(dir.length + 1));
    if (m?.[1] === undefined) return undefined;
    const sub = `${dir}/charts/${m[1]}`;
    const own = chartYaml(sub, texts);
    if (own !== undefined && (analysed(own.uri) || analysed(`${sub}/Chart.yaml`) || analysed(`${sub}/Chart.yml`))) {
      dir = sub;
      continue;
    }
    const meta = own === undefined ? undefined : valuesTree(own.text, true);
    const name = scalarText(pair(meta, 'name')) ?? m[1];
    const version = scalarText(pair(meta, 'version'));
    const archive = `${dir}/charts/${version === undefined ? name : `${name}-${version}`}.tgz`;
    return { archive, inner: uri.slice(`${dir}/charts/`.length), place: dependencyPlace(dir, name, texts, analysed) };
  }
  return undefined;
}

/** The `name:` of the dependency `name` in the Chart.yaml of `dir` (analysed), else that file's first line. */
function dependencyPlace(
  dir: string,
  name: string,
  texts: (uri: string) => string | undefined,
  analysed: (uri: string) => boolean,
): { uri: string; span: Span } | undefined {
  const chart = chartYaml(dir, texts);
  if (chart === undefined || !analysed(chart.uri)) return undefined;
  const deps = pair(valuesTree(chart.text, true), 'dependencies')?.value;
  if (isSeq(deps))
    for (const d of deps.items) {
      if (!isMap(d)) continue;
      const n = pair(d, 'name');
      if (scalarText(n) === name && n?.value !== undefined) return { uri: chart.uri, span: n.value.span };
    }
  const first = /^[ \t]*[^\s#].*$/m.exec(chart.text);
  return { uri: chart.uri, span: first === null ? { start: 0, end: 0 } : { start: first.index, end: first.index + first[0].length } };
}
