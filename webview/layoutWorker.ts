/**
 * elkjs in a web worker of the webview: the host sends each namespace's layout (`layout`
 * messages, client/panel/layout.ts) and the webview answers with elkjs's output (`laid`), so
 * elkjs's cold start and its layouts run neither on the extension host's thread nor on the
 * webview's. The worker is elkjs's own worker script (dist/elk-worker.js, from the extension's
 * files: the page names it in a `kube-reach-layout-worker` meta element), read through the page
 * (a worker's own loads do not reach the webview's resources) and started from a blob URL, which
 * the panel's CSP allows for workers alone (`worker-src blob:`). The messages are elkjs's worker
 * protocol: `{ id, cmd, … }` in, `{ id, data }` or `{ id, error }` out.
 */

import type { LayoutGraph } from '../protocol/webviewMessages.js';

interface Pending {
  readonly resolve: (data: unknown) => void;
  readonly reject: (e: Error) => void;
}

let started: Promise<Worker> | undefined;
const pending = new Map<number, Pending>();
let nextId = 0;

function fail(why: string): void {
  for (const p of pending.values()) p.reject(new Error(why));
  pending.clear();
}

function call(worker: Worker, message: Record<string, unknown>): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...message, id });
  });
}

async function start(url: string): Promise<Worker> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the layout worker did not load (${response.status})`);
  const blob = URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
  const worker = new Worker(blob);
  worker.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m: unknown = event.data;
    if (typeof m !== 'object' || m === null || !('id' in m) || typeof m.id !== 'number') return;
    const p = pending.get(m.id);
    if (p === undefined) return;
    pending.delete(m.id);
    if ('error' in m && m.error !== undefined) p.reject(new Error(`elkjs: ${String(m.error)}`));
    else p.resolve('data' in m ? m.data : undefined);
  });
  worker.addEventListener('error', (e: ErrorEvent) => {
    // A broken worker is not used again: the host lays out in the extension host instead.
    fail(`the layout worker failed: ${e.message}`);
    worker.terminate();
  });
  // As elkjs's own API does before a first layout.
  await call(worker, { cmd: 'register', algorithms: ['layered'] });
  return worker;
}

/** The URL of the worker script, from the page (undefined: the host runs elkjs itself). */
function workerUrl(): string | undefined {
  const meta = document.querySelector('meta[name="kube-reach-layout-worker"]');
  const url = meta?.getAttribute('content') ?? '';
  return url === '' ? undefined : url;
}

/** elkjs's layout of `graph`, in the worker (started on the first call). */
export async function layOutInWorker(graph: LayoutGraph): Promise<unknown> {
  const url = workerUrl();
  if (url === undefined) throw new Error('no layout worker in this page');
  started ??= start(url);
  let worker: Worker;
  try {
    worker = await started;
  } catch (e) {
    started = undefined;
    throw e;
  }
  return call(worker, { cmd: 'layout', graph, layoutOptions: {}, options: {} });
}
