/**
 * What the panel host posts to one webview instance: each model with its overview only when the
 * overview differs from the one that webview already has (protocol `WireModel`). Pure, so the
 * panel benchmark posts exactly what the host posts.
 */

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
