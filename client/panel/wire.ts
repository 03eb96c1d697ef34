/**
 * What the panel host posts to one webview instance: each model with its overview only when the
 * overview differs from the one that webview already has (protocol `WireModel`), and after the
 * first as its change from the model posted before (`ModelWire`). Pure, so the panel benchmark
 * posts exactly what the host posts.
 */

import { deltaSize, diffPacked, type PackedDelta } from '../../protocol/packedDelta.js';
import { packModel, type PackedModel } from '../../protocol/packedModel.js';
import type { PanelModel } from '../../protocol/panel.js';
import type { WireModel } from '../../protocol/webviewMessages.js';

export class OverviewOnce {
  /** The overview (as JSON) in the last model posted to the current webview instance. */
  private sent: string | undefined;

  /** A new webview instance (loaded, reloaded, or asking for everything again). */
  reset(): void {
    this.sent = undefined;
  }

  wire(model: PanelModel | WireModel): WireModel {
    if (model.overview === null) return model;
    const key = JSON.stringify(model.overview);
    if (key === this.sent) return { ...model, overview: null };
    this.sent = key;
    return model;
  }
}

/**
 * What the host posts for each model to one webview instance: the first model packed whole, each
 * next one as its change from the one posted before (protocol/packedDelta.ts; an edit to a policy
 * changes a few connections of thousands), packed with that one's string table so that only what
 * changed differs. Whole again after `reset` (a new or reloaded webview, or one that asked for
 * everything again), when most of the model changed, or when the string table has grown by a
 * quarter since the last whole model (strings no longer used are dropped then).
 */
export class ModelWire {
  private readonly overview = new OverviewOnce();
  private last: PackedModel | undefined;
  private wholeStrings = 0;

  reset(): void {
    this.overview.reset();
    this.last = undefined;
  }

  message(model: PanelModel | WireModel): { readonly kind: 'model'; readonly model: PackedModel | PackedDelta } {
    const wired = this.overview.wire(model);
    const base = this.last;
    if (base !== undefined) {
      const packed = packModel(wired, base);
      if (packed.strings.length <= this.wholeStrings * 1.25 + 64) {
        const delta = diffPacked(base, packed);
        if (deltaSize(delta) * 2 < packedSize(packed)) {
          this.last = packed;
          return { kind: 'model', model: delta };
        }
      }
    }
    const whole = packModel(wired);
    this.last = whole;
    this.wholeStrings = whole.strings.length;
    return { kind: 'model', model: whole };
  }
}

/** The entries of a packed model's lists (as `deltaSize` counts a delta's). */
function packedSize(p: PackedModel): number {
  const l = p.layout;
  return (
    p.strings.length +
    p.portSets.length +
    p.nodes.length * 8 +
    p.edges.length +
    p.policies.length * 7 +
    p.ingressRoutes.length * 10 +
    p.gatewayRoutes.length * 10 +
    (p.overview?.length ?? 0) +
    (l === null ? 0 : l.groups.length + l.boxes.length + (l.routes?.length ?? 0))
  );
}
