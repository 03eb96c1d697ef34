/**
 * The virtual DOM's attribute rule (webview/vnode.ts): only the listed attribute names can be set
 * (no event handlers, no style, no URLs). Names are tested once and remembered, so the rule must
 * hold for a name whatever was asked before it.
 */

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { h } from '../../webview/vnode.js';

it('h refuses every attribute outside the list, before and after the allowed ones were seen', () => {
  const refused = ['onclick', 'onload', 'style', 'src', 'xlink:href', 'formaction', 'data-X', 'classx', 'aria-'];
  const allowed = ['class', 'x', 'data-node', 'aria-label', 'marker-end', 'viewBox'];
  for (let round = 0; round < 2; round++) {
    for (const name of refused) assert.throws(() => h('g', { [name]: 'v' }), /is not allowed/, `${name} (round ${round})`);
    for (const name of allowed) assert.equal(h('g', { [name]: 'v' }).attrs[name], 'v', `${name} (round ${round})`);
  }
  assert.throws(() => h('a', { href: 'https://example.com' }), /href must be "#"/);
});
