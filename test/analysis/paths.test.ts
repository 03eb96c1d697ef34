/**
 * One path logic (docs/dev/design.md §2, "File ids"): the core encodes a path a user wrote the way
 * the CLI and the server spell file URIs, and shows names decoded.
 */

import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { displayPart, encodeSegment, joinPath } from '../../analysis/workspace/paths.js';
import { pathToUri, uriToPath } from '../../server/uris.js';

test('encodeSegment spells every character as pathToFileURL does, and keeps the C0 controls it drops', () => {
  for (let c = 1; c < 0x3100; c++) {
    const ch = String.fromCodePoint(c);
    if (ch === '/') continue;
    const want = pathToFileURL(`/a${ch}`).href.slice('file:///a'.length);
    const got = encodeSegment(ch);
    if (c < 0x20 && ch !== '\t' && ch !== '\n' && ch !== '\r') assert.equal(got, `%${c.toString(16).toUpperCase().padStart(2, '0')}`);
    else assert.equal(got, want, `U+${c.toString(16)}`);
  }
  assert.equal(encodeSegment('😀'), pathToFileURL('/😀').href.slice('file:///'.length));
  assert.equal(encodeSegment('a\ud800b'), 'a%EF%BF%BDb');
});

test('the server spells a path as pathToFileURL does and reads it back exactly', () => {
  for (const p of ['/w/svc 100%#1.yaml', '/w/über app/pröd?/x.yaml', '/w/a\u0001b', '/w/[x]{y}|~^`.yml', '/w/%41.yaml']) {
    assert.equal(uriToPath(pathToUri(p)), p);
    if (!p.includes('\u0001')) assert.equal(pathToUri(p), pathToFileURL(p).href);
  }
});

test('joinPath encodes what a user wrote onto a URI folder, and not onto a plain path', () => {
  const dir = pathToUri('/w/über app/overlays/pröd 100%');
  for (const rel of ['../../base/svc #1.yaml', 'patch ü.yaml', './a%20b.yaml', '../x?y/z.yaml'])
    assert.equal(joinPath(dir, rel), pathToUri(posix.join('/w/über app/overlays/pröd 100%', rel)));
  assert.equal(joinPath('/w/a b', 'c d.yaml'), '/w/a b/c d.yaml');
});

test('displayPart decodes names of URIs back to what the user wrote, and leaves plain paths alone', () => {
  const uri = pathToUri('/w/pröd 100%/svc #1.yaml');
  assert.equal(displayPart(uri.slice(uri.lastIndexOf('/') + 1), uri), 'svc #1.yaml');
  assert.equal(displayPart('a%20b', '/plain/path'), 'a%20b');
  assert.equal(displayPart('bad%E0%A4', uri), 'bad%E0%A4');
});
