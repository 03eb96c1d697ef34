/**
 * The panel's HTML shell. Pure (no vscode import) so tests check the CSP directly: nothing but
 * the bundled script (by nonce) and stylesheet from dist/ may load, and the layout worker from a
 * blob URL made of dist/elk-worker.js; no inline handlers, nothing remote. All content is rendered by the script from validated messages.
 */

export interface PanelHtmlInput {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** `webview.asWebviewUri(dist/webview.js)`, as a string. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(dist/webview.css)`, as a string. */
  readonly styleUri: string;
  /** A fresh random nonce per render (see `makeNonce`). */
  readonly nonce: string;
  /**
   * `webview.asWebviewUri(dist/elk-worker.js)`: elkjs's worker script, which the page reads
   * (`connect-src` the extension's files) and starts from a blob URL (`worker-src blob:`), so
   * layouts run off the extension host's thread (webview/layoutWorker.ts). Without it, no worker.
   */
  readonly workerUri?: string;
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;', "'": '&#39;' };

function attr(value: string): string {
  return value.replace(/[&"<>']/g, (c) => ATTR_ESCAPES[c] ?? c);
}

export function contentSecurityPolicy(cspSource: string, nonce: string, worker = false): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    // The layout worker: its script read from the extension's files, started from a blob URL.
    ...(worker ? [`connect-src ${cspSource}`, `worker-src blob:`] : []),
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(input.nonce)) throw new Error('nonce must be at least 16 alphanumeric characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce, input.workerUri !== undefined))}">
<meta name="viewport" content="width=device-width, initial-scale=1">${input.workerUri !== undefined ? `\n<meta name="kube-reach-layout-worker" content="${attr(input.workerUri)}">` : ''}
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>Kube Reach: Reachability</title>
</head>
<body>
<main id="root"><p class="status" role="status">Loading…</p></main>
<script nonce="${input.nonce}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
