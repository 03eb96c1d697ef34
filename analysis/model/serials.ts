/**
 * Identities the lowering hands out in this process: `FileFacts.serial` (which facts an edit was
 * lowered from) and `LoweredDocument.id` (a document while it is unchanged). Facts restored from
 * the warm-start cache (`analysis/cache/facts.ts`) take fresh ones, so they never collide with
 * facts lowered here.
 */

let factsCount = 0;
let documentCount = 0;

export function nextFactsSerial(): number {
  return ++factsCount;
}

export function nextDocumentId(): number {
  return ++documentCount;
}
