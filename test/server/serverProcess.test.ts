/**
 * How the client starts the server process (protocol/serverProcess.ts): the setting's value of
 * any shape gives a heap limit, the flags are ones this Node accepts and obeys, and a server that
 * runs out of that heap is explained with the setting to change.
 */

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import {
  DEFAULT_SERVER_MEMORY_MB,
  MIN_SERVER_MEMORY_MB,
  serverEnv,
  serverMemoryMB,
  serverNodeFlags,
  serverStderrAdvice,
} from '../../protocol/serverProcess.js';

describe('server process', () => {
  it('reads kubeReach.server.maxMemoryMB of any shape', () => {
    const cases: Array<[unknown, number]> = [
      [undefined, DEFAULT_SERVER_MEMORY_MB],
      ['2048', DEFAULT_SERVER_MEMORY_MB],
      [Number.NaN, DEFAULT_SERVER_MEMORY_MB],
      [2048, 2048],
      [1500.4, 1500],
      [12, MIN_SERVER_MEMORY_MB],
    ];
    for (const [setting, mb] of cases) assert.equal(serverMemoryMB(setting), mb, String(setting));
  });

  it('starts Node with a heap limit it obeys', () => {
    const r = spawnSync(
      process.execPath,
      [...serverNodeFlags(300), '-e', 'process.stdout.write(String(require("v8").getHeapStatistics().heap_size_limit))'],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    assert.equal(r.status, 0, r.stderr);
    const limitMB = Number(r.stdout) / 1024 / 1024;
    // The old generation's 300 MB plus the young generation.
    assert.ok(limitMB >= 300 && limitMB < 400, `heap limit ${limitMB} MB`);
  });

  it('starts the server with one malloc arena unless the environment sets it', () => {
    const child = (env: Record<string, string | undefined>): string => {
      const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.env.MALLOC_ARENA_MAX))'], {
        encoding: 'utf8',
        env: serverEnv(env),
      });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };
    const base = { ...process.env, NODE_OPTIONS: '', MALLOC_ARENA_MAX: undefined };
    assert.equal(child(base), '1');
    assert.equal(child({ ...base, MALLOC_ARENA_MAX: '4' }), '4');
    // The caller's environment is kept (VS Code's ELECTRON_RUN_AS_NODE, the user's variables).
    assert.equal(serverEnv({ ELECTRON_RUN_AS_NODE: '1' })['ELECTRON_RUN_AS_NODE'], '1');
  });

  it('explains a server that ran out of its heap', () => {
    // A process that fills a 256 MB heap, as a server on too large a workspace would.
    const r = spawnSync(
      process.execPath,
      [...serverNodeFlags(MIN_SERVER_MEMORY_MB), '-e', 'const a = []; for (;;) a.push(new Array(1e5).fill(a.length));'],
      { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 },
    );
    assert.notEqual(r.status, 0);
    const advice = r.stderr
      .split('\n')
      .map((line) => serverStderrAdvice(line, MIN_SERVER_MEMORY_MB))
      .find((a) => a !== undefined);
    assert.ok(advice !== undefined, `no advice for:\n${r.stderr.slice(0, 2000)}`);
    assert.match(advice, /256 MB heap limit: raise kubeReach\.server\.maxMemoryMB/);
    assert.equal(serverStderrAdvice('[info] analysed 12 files', 1024), undefined);
  });
});
