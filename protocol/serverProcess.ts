/**
 * How the language server's Node process is started, shared by the VS Code client and the
 * benchmark (which measures the server as the extension runs it).
 *
 * V8 sizes the heap of a process by the machine's memory: with the default limit of a desktop
 * machine it lets the old generation grow to several times the live data between collections,
 * and a long-lived server that reanalyses on every keystroke then sits far above what it needs.
 * V8 caps its heap growing factor lower for a smaller heap limit, so an explicit limit makes it
 * collect sooner, and a smaller young generation keeps less memory committed. At 10,000 manifests
 * the live heap is about 100 MB, a tenth of the default limit here (`npm run bench`, T7).
 */

/** `kubeReach.server.maxMemoryMB` when unset. */
export const DEFAULT_SERVER_MEMORY_MB = 1024;
/** The smallest heap limit accepted (below it, ordinary workspaces would not fit). */
export const MIN_SERVER_MEMORY_MB = 256;
/** Young generation semi-space size, in MB (V8's default grows to 16 on 64-bit machines). */
const SEMI_SPACE_MB = 8;

/** The heap limit to use for a setting value of any shape (unknown in, a whole number of MB out). */
export function serverMemoryMB(setting: unknown): number {
  if (typeof setting !== 'number' || !Number.isFinite(setting)) return DEFAULT_SERVER_MEMORY_MB;
  return Math.max(MIN_SERVER_MEMORY_MB, Math.round(setting));
}

/** Node options for the server process, before the script. */
export function serverNodeFlags(maxMemoryMB: number): string[] {
  return [`--max-old-space-size=${maxMemoryMB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
}

/**
 * The server process's environment: `env` with `MALLOC_ARENA_MAX=1` unless `env` sets it. glibc gives
 * each thread that allocates its own malloc arena and keeps what a thread freed in that arena, so
 * the parse workers' native memory (server/parsePool.ts: their messages, parser and compiler zones)
 * stayed in the server's resident memory for its whole life after they exited: 25–38 MB of peak RSS
 * at 10,000 manifests (`kube-reach check --parse-workers 2` under the server's flags, peak RSS 250 →
 * 223 MB on the default mix, 279–294 → 254–256 MB NetworkPolicy-heavy; the CPU the same). One arena
 * lets the main thread reuse it. Other C libraries (macOS, Windows, musl) ignore the variable.
 */
export function serverEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  return env['MALLOC_ARENA_MAX'] === undefined ? { ...env, MALLOC_ARENA_MAX: '1' } : { ...env };
}

/**
 * What to tell the user about a line the server wrote to stderr, when it explains a crash: Node's
 * report of a heap that reached its limit.
 */
export function serverStderrAdvice(line: string, maxMemoryMB: number): string | undefined {
  if (!/heap out of memory|Reached heap limit/i.test(line)) return undefined;
  return `the Kube Reach server ran out of memory at its ${maxMemoryMB} MB heap limit: raise kubeReach.server.maxMemoryMB (or exclude folders with kubeReach.exclude), then run "Kube Reach: Restart Server"`;
}
