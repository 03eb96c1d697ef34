/**
 * The reachability panel's browser code: validates host messages, renders them as DOM (text
 * nodes only), and sends link clicks back as `open` messages. No network, no inline handlers.
 */

import type { WireLocation } from '../protocol/lsp.js';
import type { WebviewMessage } from '../protocol/webviewMessages.js';
import { parseHostMessage } from './messages.js';
import { renderOverview, renderStatus } from './render.js';
import { mount, type VElement } from './vnode.js';
import './panel.css';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let locations: readonly WireLocation[] = [];

function show(tree: VElement): void {
  const root = document.getElementById('root');
  if (root === null) return;
  root.replaceChildren(mount(document, tree));
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostMessage(event.data);
  if (msg === undefined) return;
  if (msg.kind === 'status') {
    locations = [];
    show(renderStatus(msg.state, msg.message));
    return;
  }
  const r = renderOverview(msg.overview);
  locations = r.locations;
  show(r.tree);
  vscode.postMessage({ kind: 'rendered', ...r.counts });
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('a[data-loc], button#refresh') : null;
  if (target === null) return;
  event.preventDefault();
  if (target.id === 'refresh') {
    vscode.postMessage({ kind: 'refresh' });
    return;
  }
  const loc = locations[Number(target.getAttribute('data-loc'))];
  if (loc !== undefined) vscode.postMessage({ kind: 'open', location: loc });
});

vscode.postMessage({ kind: 'ready' });
