/**
 * dist/elk.js: elkjs in the extension host, for the layouts the webview's worker could not make
 * (client/panel/layout.ts requires it on the first such layout). elkjs's API over its own worker
 * script run in this thread as elkjs's bundled build does (the script's `Worker` export, a
 * stand-in for a web worker): that script is dist/elk-worker.js, the one the webview starts as
 * its worker, so the package carries elkjs's 1.6 MB once (the VSIX stays under 2 MB, design T9).
 */

import { join } from 'node:path';
import ElkApi from 'elkjs/lib/elk-api.js';

type WorkerFactory = NonNullable<NonNullable<ConstructorParameters<typeof ElkApi>[0]>['workerFactory']>;

/** The worker script's stand-in worker, in this thread (`require` of the file beside this bundle). */
const inThread: WorkerFactory = () => {
  // Beside this bundle in dist/ (a path, not a module name: the bundler leaves it to run time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script: unknown = require(join(__dirname, 'elk-worker.js'));
  if (typeof script !== 'object' || script === null || !('Worker' in script) || typeof script.Worker !== 'function')
    throw new Error('elkjs did not load: dist/elk-worker.js has no Worker');
  return new (script.Worker as new () => ReturnType<WorkerFactory>)();
};

export default class ElkInHost extends ElkApi {
  constructor() {
    super({ workerFactory: inThread });
  }
}
