/**
 * Baseline: the crunch runs in the request handler, on the one thread that also serves
 * every other request.
 */
import type { CrunchInput, CrunchResult } from './crunch.ts';
import { crunch } from './crunch.ts';
import type { Cruncher } from './cruncher.ts';

/** Runs crunches inline. The signal is ignored: nothing can interrupt synchronous code. */
export function createMainThreadCruncher(): Cruncher {
  return {
    name: 'main-thread',
    // LESSON: this blocks the event loop for the whole crunch; /health waits behind it.
    run: async (input: CrunchInput): Promise<CrunchResult> => crunch(input),
    stats: () => ({}),
    close: async () => {},
  };
}
