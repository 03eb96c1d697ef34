import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Order statistics for the benchmark (nearest-rank, so a p95 is a measured sample). */

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function p95(values: readonly number[]): number {
  return quantile(values, 0.95);
}

export interface Blocking {
  readonly wall: number;
  /** The longest stall of this process's event loop. */
  readonly longest: number;
  /** The stalls over 50 ms, summed (on a loaded machine, also time this process waited for a core). */
  readonly over50: number;
  /** This process's CPU time meanwhile (user and system; all its threads). */
  readonly cpu: number;
}

/** Runs `work`, measuring how long this process's event loop could not run anything else. */
export async function blocking(work: () => Promise<unknown>): Promise<Blocking> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let over50 = 0;
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    const stall = now - last - 10;
    if (stall > longest) longest = stall;
    if (stall > 50) over50 += stall;
    last = now;
  }, 10);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await work();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  clearInterval(tick);
  histogram.disable();
  return { wall, longest: Math.max(longest, histogram.max / 1e6 - 10), over50, cpu: (c.user + c.system) / 1000 };
}
