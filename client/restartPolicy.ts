/**
 * When to restart a server that stopped unexpectedly: up to `max` times within `windowMs`, then
 * stop and say so. Pure (the clock is passed in) so it is unit-tested without VS Code.
 */

export interface RestartDecision {
  readonly restart: boolean;
  /** Restarts within the window, this one included when `restart`. */
  readonly count: number;
}

export class RestartPolicy {
  private readonly times: number[] = [];

  constructor(
    readonly max = 5,
    readonly windowMs = 3 * 60 * 1000,
  ) {}

  onStopped(now: number): RestartDecision {
    while (this.times.length > 0 && (this.times[0] ?? now) <= now - this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return { restart: false, count: this.times.length };
    this.times.push(now);
    return { restart: true, count: this.times.length };
  }

  reset(): void {
    this.times.length = 0;
  }
}
