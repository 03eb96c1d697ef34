/* global module, setInterval, clearInterval */
// Helpers shared by the extension-host suites (*.test.js and *.standin.test.js). Not a test file:
// index.js loads only names ending in .test.js.

/** Polls `fn` every 50 ms until it returns something truthy; rejects after `ms`. */
function waitFor(fn, what, ms = 20000) {
  return new Promise((resolve, reject) => {
    const end = Date.now() + ms;
    const timer = setInterval(async () => {
      try {
        const v = await fn();
        if (v) {
          clearInterval(timer);
          resolve(v);
        } else if (Date.now() > end) {
          clearInterval(timer);
          reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
        }
      } catch (e) {
        clearInterval(timer);
        reject(e);
      }
    }, 50);
  });
}

/** Line of the first line equal to `text` after the line equal to `after`. */
function lineOf(doc, text, after) {
  let seen = after === undefined;
  for (let i = 0; i < doc.lineCount; i++) {
    const l = doc.lineAt(i).text;
    if (!seen && l === after) seen = true;
    else if (seen && l === text) return i;
  }
  throw new Error(`no line "${text}" in ${doc.uri.fsPath}`);
}

function hoverText(hovers) {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

module.exports = { hoverText, lineOf, waitFor };
