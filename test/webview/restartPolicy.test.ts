/** The client's restart policy after a server crash (docs/dev/design.md §1): a few restarts, then stop. */

import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RestartPolicy } from '../../client/restartPolicy.js';

describe('client restart policy', () => {
  it('restarts up to max times within the window, then stops', () => {
    const p = new RestartPolicy(3, 1000);
    assert.deepEqual(p.onStopped(0), { restart: true, count: 1 });
    assert.deepEqual(p.onStopped(10), { restart: true, count: 2 });
    assert.deepEqual(p.onStopped(20), { restart: true, count: 3 });
    assert.deepEqual(p.onStopped(30), { restart: false, count: 3 });
  });

  it('forgets crashes older than the window, and on reset', () => {
    const p = new RestartPolicy(2, 1000);
    p.onStopped(0);
    p.onStopped(100);
    assert.equal(p.onStopped(500).restart, false);
    assert.deepEqual(p.onStopped(1050), { restart: true, count: 2 });
    p.reset();
    assert.deepEqual(p.onStopped(1051), { restart: true, count: 1 });
  });
});
