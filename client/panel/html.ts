/**
 * The panel's HTML shell. Pure (no vscode import) so tests check the CSP directly: nothing but
 * the bundled script (by nonce) and stylesheet from dist/ may load; no inline handlers, nothing
 * remote. All content is rendered by the script from validated messages.
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
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;', "'": '&#39;' };

function attr(value: string): string {
  return value.replace(/[&"<>']/g, (c) => ATTR_ESCAPES[c] ?? c);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function panelHtml(input: PanelHtmlInput): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(input.nonce)) throw new Error('nonce must be at least 16 alphanumeric characters');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, input.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>Kube Reach: Reachability</title>
</head>
<body>
<main id="root"><p class="status" role="status">Loading…</p></main>
<script nonce="${input.nonce}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
