/**
 * The attachment of one parentRef (resolve.ts `attachment`), computed once per index and shared by
 * the four attachment checks, hover and code lenses.
 */

import type { Placement } from '../../workspace/workspaceIndex.js';
import type { GatewayObjectRef } from '../../model/gateway.js';
import type { KObject } from '../../model/types.js';
import type { CheckContext } from '../support/check.js';
import type { Attachment } from './resolve.js';
import { attachment } from './resolve.js';

export function attachmentOf(ctx: CheckContext, route: KObject, pl: Placement, ref: GatewayObjectRef): Attachment {
  return ctx.index.cachedFor(ref, `attach:${pl.unit}\u0000${pl.namespace ?? ''}\u0000${pl.floating ? 1 : 0}`, () =>
    attachment(ctx, route, pl, ref),
  );
}
