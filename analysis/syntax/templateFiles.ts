/**
 * Which files are templates (their `{{ }}` actions are template syntax, not text): a file under a
 * Helm chart's `templates/` folder (a folder whose parent holds `Chart.yaml`), a `.tpl` file, and
 * a file matching one of `kubeReach.templateGlobs`. Everywhere else `{{ }}` inside a string is
 * plain text (a Grafana dashboard or a Go template in a ConfigMap).
 */

/** The chart folder of a Chart.yaml's uri, or undefined for any other file. */
export function chartDirOf(uri: string): string | undefined {
  const m = /^(.*)\/Chart\.ya?ml$/.exec(uri);
  return m?.[1];
}

/** Compiles `kubeReach.templateGlobs`: `**`, `*`, `?`, `{a,b}`; matched against the path's tail. */
export function compileTemplateGlobs(globs: readonly string[]): (uri: string) => boolean {
  const res: RegExp[] = [];
  for (const g of globs) {
    const pattern = g.replace(/^\.\//, '').replace(/^\/+/, '');
    if (pattern === '') continue;
    let re = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i] ?? '';
      if (c === '*' && pattern[i + 1] === '*') {
        // `**/` matches any number of folders, `**` at the end anything.
        if (pattern[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else if (c === '{') {
        const close = pattern.indexOf('}', i);
        if (close === -1) re += '\\{';
        else {
          re +=
            '(?:' +
            pattern
              .slice(i + 1, close)
              .split(',')
              .map((a) => a.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
              .join('|') +
            ')';
          i = close;
        }
      } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
    try {
      // A glob without `/` names a file at any depth; with `/`, a path from some folder down.
      res.push(new RegExp(`(^|/)${re}$`));
    } catch {
      // An unusable glob matches nothing.
    }
  }
  if (res.length === 0) return () => false;
  return (uri) => {
    const path = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
    return res.some((r) => r.test(path));
  };
}

/** Whether `uri` is a template: under `<chart>/templates/` with `<chart>` in `chartDirs`, `.tpl`, or a glob match. */
export function isTemplateFile(uri: string, chartDirs: { has(dir: string): boolean }, globMatch: (uri: string) => boolean): boolean {
  if (uri.endsWith('.tpl')) return true;
  let from = 0;
  for (;;) {
    const i = uri.indexOf('/templates/', from);
    if (i === -1) break;
    if (chartDirs.has(uri.slice(0, i))) return true;
    from = i + 1;
  }
  return globMatch(uri);
}
