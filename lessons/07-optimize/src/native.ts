/**
 * Loads the C++ addon built by node-gyp (build/Release/path_length.node).
 *
 * The addon is compiled by this package's `install` script (scripts/build-addon.mjs), which
 * `pnpm install` runs. When it is missing, {@link loadNative} throws {@link AddonNotBuiltError}
 * saying how to build it: a lesson about native code must not silently fall back to JS.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The addon's exports (see native/path-length.cc). */
export interface PathLengthAddon {
  /** One segment: the N-API call costs more than the arithmetic. */
  segmentLength(x1: number, y1: number, x2: number, y2: number): number;
  /** The whole polyline in one call, on the main thread. */
  pathLength(coords: Float64Array): number;
  /**
   * The whole polyline on the libuv thread pool; the event loop keeps turning meanwhile.
   * Do not write to `coords` until the promise settles: the worker reads it from another thread.
   */
  pathLengthAsync(coords: Float64Array): Promise<number>;
}

/** Where node-gyp puts the compiled module. */
export const addonPath = fileURLToPath(new URL('../build/Release/path_length.node', import.meta.url));

/** Thrown when the addon has not been compiled; the message is the fix. */
export class AddonNotBuiltError extends Error {
  override name = 'AddonNotBuiltError';
  constructor() {
    super(`The lesson-07 C++ addon is not built (${addonPath} is missing). Build it with: `
      + 'pnpm --filter lesson-07 build:addon   (or: cd lessons/07-optimize && node scripts/build-addon.mjs)');
  }
}

let cached: PathLengthAddon | undefined;

/** The addon, loaded once. @throws AddonNotBuiltError when it was never compiled */
export function loadNative(): PathLengthAddon {
  if (cached) return cached;
  if (!existsSync(addonPath)) throw new AddonNotBuiltError();
  const require = createRequire(import.meta.url);
  cached = require(addonPath) as PathLengthAddon;
  return cached;
}
