/**
 * Between rounds: a server may still owe responses it read before autocannon stopped.
 * Waiting until it answers promptly keeps one round's backlog out of the next round.
 */

/** Options for {@link waitUntilIdle}. */
export interface IdleOptions {
  /** A response faster than this counts as prompt (default 20 ms). */
  promptMs?: number;
  /** Prompt responses needed in a row (default 5). */
  times?: number;
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  /** Path to probe (default `/health`). */
  path?: string;
}

/** Resolves once every server answers `path` promptly `times` times in a row (or at the deadline). */
export async function waitUntilIdle(urls: readonly string[], options: IdleOptions = {}): Promise<void> {
  const { promptMs = 20, times = 5, timeoutMs = 30_000, path = '/health' } = options;
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (let prompt = 0; prompt < times && Date.now() < deadline;) {
      const started = performance.now();
      // undici may reuse a keep-alive socket the server is closing at that moment: retry once.
      await fetch(new URL(path, url)).catch(() => fetch(new URL(path, url))).then((r) => r.arrayBuffer());
      prompt = performance.now() - started < promptMs ? prompt + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, promptMs));
    }
  }
}
