/**
 * A stub extension host for component tests of the webview bundle in headless Chromium: serves
 * dist/webview.js and dist/webview.css under the panel's real HTML and CSP (client/panel/html.ts),
 * stands in for `acquireVsCodeApi` (posted messages and saved state are recorded on `window`),
 * and sends host messages the way VS Code delivers them (window `message` events).
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserServer, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { AnalysisHost } from '../../analysis/host.js';
import { panelHtml } from '../../client/panel/html.js';
import type { ElkElsewhere } from '../../client/panel/layout.js';
import { buildPanelModel } from '../../client/panel/model.js';
import type { PanelModel } from '../../protocol/panel.js';
import type { PanelExposure } from '../../protocol/reachability.js';
import { postedMessage, type PostedHostMessage } from '../../protocol/packedModel.js';
import type { HostMessage } from '../../protocol/webviewMessages.js';
import { buildExposure } from '../../server/handlers/exposure.js';
import { buildOverview } from '../../server/handlers/overview.js';
import { ReachabilityMemory } from '../../analysis/index.js';
import { buildContext, buildReachability } from '../../server/handlers/reachability.js';
import { pathToUri } from '../../server/uris.js';

export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
export const ROOT = join(__dirname, '..', '..');
const ORIGIN = 'http://panel.test';

export type Theme = 'light' | 'dark' | 'high-contrast';

const THEMES: Record<Theme, Record<string, string>> = {
  light: {
    '--vscode-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-descriptionForeground': '#616161',
    '--vscode-textLink-foreground': '#005fb8',
    '--vscode-textLink-activeForeground': '#005fb8',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-button-background': '#005fb8',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#e5e5e5',
    '--vscode-button-secondaryForeground': '#3b3b3b',
    '--vscode-input-background': '#ffffff',
    '--vscode-input-foreground': '#3b3b3b',
    '--vscode-input-border': '#cecece',
    '--vscode-panel-border': '#e5e5e5',
    '--vscode-sideBar-background': '#f8f8f8',
    '--vscode-errorForeground': '#b5200d',
    '--vscode-editorWarning-foreground': '#8a5a00',
    '--vscode-charts-green': '#2f7a2f',
    '--vscode-charts-orange': '#9a5b00',
    '--vscode-charts-red': '#c72e0f',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-textCodeBlock-background': '#f0f0f0',
  },
  dark: {
    '--vscode-foreground': '#cccccc',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-descriptionForeground': '#a8a8a8',
    '--vscode-textLink-foreground': '#4daafc',
    '--vscode-textLink-activeForeground': '#4daafc',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-button-background': '#0078d4',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#313131',
    '--vscode-button-secondaryForeground': '#cccccc',
    '--vscode-input-background': '#313131',
    '--vscode-input-foreground': '#cccccc',
    '--vscode-input-border': '#3c3c3c',
    '--vscode-panel-border': '#2b2b2b',
    '--vscode-sideBar-background': '#181818',
    '--vscode-errorForeground': '#f48771',
    '--vscode-editorWarning-foreground': '#cca700',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-orange': '#d18616',
    '--vscode-charts-red': '#f14c4c',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-textCodeBlock-background': '#2b2b2b',
  },
  'high-contrast': {
    '--vscode-foreground': '#ffffff',
    '--vscode-editor-background': '#000000',
    '--vscode-descriptionForeground': '#ffffff',
    '--vscode-textLink-foreground': '#21a6ff',
    '--vscode-textLink-activeForeground': '#21a6ff',
    '--vscode-focusBorder': '#f38518',
    '--vscode-contrastBorder': '#6fc3df',
    '--vscode-button-background': '#000000',
    '--vscode-button-foreground': '#ffffff',
    '--vscode-button-secondaryBackground': '#000000',
    '--vscode-button-secondaryForeground': '#ffffff',
    '--vscode-input-background': '#000000',
    '--vscode-input-foreground': '#ffffff',
    '--vscode-input-border': '#6fc3df',
    '--vscode-panel-border': '#6fc3df',
    '--vscode-sideBar-background': '#000000',
    '--vscode-errorForeground': '#f48771',
    '--vscode-editorWarning-foreground': '#ffd370',
    '--vscode-charts-green': '#89d185',
    '--vscode-charts-orange': '#ffd370',
    '--vscode-charts-red': '#f48771',
    '--vscode-font-family': 'sans-serif',
    '--vscode-font-size': '13px',
    '--vscode-editor-font-family': 'monospace',
    '--vscode-textCodeBlock-background': '#000000',
  },
};

function themeCss(theme: Theme): string {
  return `html { ${Object.entries(THEMES[theme])
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ')} }\n`;
}

export interface Posted {
  readonly kind: string;
  readonly [k: string]: unknown;
}

/** An analysis host holding every YAML file under `folder` (each text through `edit`). */
export function hostOfFolder(folder: string, edit: (path: string, text: string) => string = (_, t) => t): AnalysisHost {
  const host = new AnalysisHost();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml)$/.test(name)) host.setFile(pathToUri(p), edit(p, readFileSync(p, 'utf8')));
    }
  };
  walk(folder);
  return host;
}

/** Builds the panel model of a folder of manifests the way the host does (server builders + elkjs). */
export async function modelOfFolder(
  folder: string,
  revision = 1,
  edit: (path: string, text: string) => string = (_, t) => t,
  /** `fast`: the first paint's layout (the host's instant grids where elkjs has not laid a namespace out yet in this process). */
  layout: 'fast' | 'full' = 'full',
): Promise<PanelModel> {
  const a = hostOfFolder(folder, edit).snapshot();
  // One memory for both requests, as the server keeps: the context reuses the connection list.
  const memory = new ReachabilityMemory();
  return buildPanelModel({
    reach: buildReachability(a, {}, memory),
    // The folder is the workspace folder: the notes' files are written relative to it.
    context: buildContext(a, {}, memory, [folder]),
    overview: buildOverview(a),
    scope: {},
    revision,
    layout,
  });
}

/** The exposure lists of a folder, as the server answers `kubeReach/exposure`. */
export async function exposureOfFolder(folder: string): Promise<PanelExposure> {
  return Promise.resolve(buildExposure(hostOfFolder(folder).snapshot(), {}));
}

export class StubHost {
  private constructor(
    private readonly server: BrowserServer,
    readonly browser: Browser,
  ) {}

  static async start(): Promise<StubHost> {
    const server = await chromium.launchServer({
      executablePath: CHROMIUM,
      headless: true,
      timeout: 60_000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const browser = await chromium.connect(server.wsEndpoint(), { timeout: 60_000 });
      return new StubHost(server, browser);
    } catch (e) {
      StubHost.kill(server);
      throw e;
    }
  }

  private static kill(server: BrowserServer): void {
    const pid = server.process().pid;
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Closes the browser, then kills its process by PID whatever happened. */
  async close(): Promise<void> {
    await Promise.race([this.browser.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await Promise.race([this.server.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    StubHost.kill(this.server);
  }

  /** A fresh page holding the panel, optionally with saved state (as after a reload). */
  async open(theme: Theme = 'light', savedState?: unknown, viewport = { width: 1400, height: 900 }): Promise<Page> {
    const page = await this.browser.newPage({ viewport });
    page.setDefaultTimeout(20_000);
    const nonce = 'abcdefghijklmnop1234567890';
    const html = panelHtml({
      cspSource: ORIGIN,
      scriptUri: `${ORIGIN}/webview.js`,
      styleUri: `${ORIGIN}/webview.css`,
      workerUri: `${ORIGIN}/elk-worker.js`,
      nonce,
    })
      .replace('<body>', `<body class="vscode-${theme === 'high-contrast' ? 'high-contrast' : theme}">`)
      .replace('</head>', `<link rel="stylesheet" href="${ORIGIN}/theme.css">\n</head>`);
    await page.route(`${ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
      if (path === '/webview.js')
        return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(ROOT, 'dist/webview.js'), 'utf8') });
      if (path === '/elk-worker.js')
        return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(ROOT, 'dist/elk-worker.js'), 'utf8') });
      if (path === '/webview.css')
        return route.fulfill({ contentType: 'text/css', body: readFileSync(join(ROOT, 'dist/webview.css'), 'utf8') });
      if (path === '/theme.css') return route.fulfill({ contentType: 'text/css', body: themeCss(theme) });
      return route.fulfill({ status: 404, body: '' });
    });
    // Anything else (remote loads) fails: the panel must load nothing outside its bundle.
    await page.route(/^(?!http:\/\/panel\.test\/).*/, (route) => route.abort());
    // A string, not a function: tsx would wrap a function with helpers the page does not have.
    await page.addInitScript(`(() => {
      const w = window;
      w.__posted = [];
      w.__state = ${JSON.stringify(savedState ?? null)};
      w.acquireVsCodeApi = () => ({
        postMessage: (m) => w.__posted.push(JSON.parse(JSON.stringify(m))),
        getState: () => w.__state,
        setState: (s) => { w.__state = JSON.parse(JSON.stringify(s)); },
      });
    })();`);
    page.on('pageerror', (e) => console.error(`webview page error: ${e.message}`));
    await page.goto(`${ORIGIN}/index.html`);
    await waitPosted(page, (m) => m.kind === 'ready');
    return page;
  }
}

/** Delivers a host message as VS Code does (a window `message` event with a structured clone). */
export async function send(page: Page, message: HostMessage): Promise<void> {
  // As a string: Playwright serialises objects property by property, which takes seconds for a big model.
  await page.evaluate(
    (json: string) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(JSON.parse(json), '*'),
    // As the host posts it: a model packed (protocol/packedModel.ts).
    JSON.stringify(postedMessage(message)),
  );
}

/** Delivers a message as the host posted it (a model packed whole or as its change, client/panel/wire.ts). */
export async function sendPosted(page: Page, message: PostedHostMessage): Promise<void> {
  await page.evaluate(
    (json: string) => (globalThis as unknown as { postMessage(m: unknown, origin: string): void }).postMessage(JSON.parse(json), '*'),
    JSON.stringify(message),
  );
}

export async function posted(page: Page): Promise<Posted[]> {
  return page.evaluate(() => (globalThis as unknown as { __posted: Posted[] }).__posted);
}

/** How many messages the page has posted (without copying them out of the page). */
export async function postedCount(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as { __posted: Posted[] }).__posted.length);
}

/** Waits (on state, with a deadline) until a posted message matches; returns it. */
export async function waitPosted(page: Page, pred: (m: Posted) => boolean, timeoutMs = 20_000, after = 0): Promise<Posted> {
  const end = Date.now() + timeoutMs;
  let seen = after;
  const kinds: string[] = [];
  for (;;) {
    // Only the messages not looked at yet leave the page (a long test posts many `rendered` messages).
    const fresh = await page.evaluate((n) => (globalThis as unknown as { __posted: Posted[] }).__posted.slice(n), seen);
    seen += fresh.length;
    kinds.push(...fresh.map((m) => m.kind));
    const hit = fresh.find(pred);
    if (hit !== undefined) return hit;
    if (Date.now() > end) throw new Error(`no posted message matched within ${timeoutMs} ms; got: ${kinds.join(', ')}`);
    await page
      .waitForFunction((n) => (globalThis as unknown as { __posted: unknown[] }).__posted.length > n, seen, {
        timeout: Math.max(100, end - Date.now()),
      })
      .catch(() => undefined);
  }
}

/**
 * elkjs in the page's web worker, asked as the panel host asks (client/panel/panel.ts): a
 * `layout` message per namespace, its `laid` answer (an error answer rejects).
 */
export function elkInPage(page: Page, fellBack: (why: string) => void): ElkElsewhere {
  let id = 0;
  return {
    run: async (graph) => {
      const requestId = id++;
      const before = await postedCount(page);
      await send(page, { kind: 'layout', requestId, graph });
      const r = await waitPosted(page, (m) => m.kind === 'laid' && m['requestId'] === requestId, 60_000, before);
      if (typeof r['error'] === 'string') throw new Error(r['error']);
      return r['graph'];
    },
    fellBack,
  };
}
