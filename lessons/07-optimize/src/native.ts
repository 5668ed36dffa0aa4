/**
 * Loads the C++ addon built by node-gyp (build/Release/path_length.node).
 *
 * The addon is compiled by this package's `install` script (scripts/build-addon.mjs), which
 * the root `npm run setup` runs. When it is missing, {@link loadNative} throws {@link AddonNotBuiltError}
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
   * The addon copies `coords` before it returns (on the calling thread), so the caller may
   * write to, transfer or detach the array at once. The job occupies one of libuv's pool
   * threads (4 by default), the same ones fs, dns.lookup, crypto and zlib use.
   */
  pathLengthAsync(coords: Float64Array): Promise<number>;
  /**
   * The same without the copy: takes the array's whole ArrayBuffer (as `postMessage` with a
   * transfer list does), so every view of it is detached (length 0) when this returns, and
   * the worker reads memory no other code can reach. For large arrays the caller is done with.
   * @throws TypeError for a SharedArrayBuffer-backed array (it cannot be transferred)
   */
  pathLengthAsyncTransfer(coords: Float64Array): Promise<number>;
}

/** What the compiled module exports; `pathLengthAsyncOwned` is only safe behind {@link moveOut}. */
interface RawAddon extends Omit<PathLengthAddon, 'pathLengthAsyncTransfer'> {
  pathLengthAsyncOwned(coords: Float64Array): Promise<number>;
}

/**
 * Moves `coords`' memory into a new ArrayBuffer that only the returned view references: no
 * copy (the backing store changes owner), and the caller's views are detached.
 */
function moveOut(coords: Float64Array): Float64Array {
  // Wrong types and odd lengths are left to the addon's own errors, before anything moves.
  if (!(coords instanceof Float64Array) || coords.length % 2 !== 0) return coords;
  const { buffer, byteOffset, length } = coords; // read before the move empties the view
  if (!(buffer instanceof ArrayBuffer)) throw new TypeError('a SharedArrayBuffer cannot be transferred: use pathLengthAsync, which copies');
  // LESSON: transfer, not copy: structuredClone with a transfer list (ArrayBuffer.prototype.transfer from Node 22)
  const moved = structuredClone(buffer, { transfer: [buffer] });
  return new Float64Array(moved, byteOffset, length);
}

/** Where node-gyp puts the compiled module. */
export const addonPath = fileURLToPath(new URL('../build/Release/path_length.node', import.meta.url));

/** Thrown when the addon has not been compiled; the message is the fix. */
export class AddonNotBuiltError extends Error {
  override name = 'AddonNotBuiltError';
  constructor() {
    super(`The lesson-07 C++ addon is not built (${addonPath} is missing). Build it with: `
      + 'cd lessons/07-optimize && npm run build:addon');
  }
}

let cached: PathLengthAddon | undefined;

/** The addon, loaded once. @throws AddonNotBuiltError when it was never compiled */
export function loadNative(): PathLengthAddon {
  if (cached) return cached;
  if (!existsSync(addonPath)) throw new AddonNotBuiltError();
  const require = createRequire(import.meta.url);
  const raw = require(addonPath) as RawAddon;
  cached = {
    segmentLength: raw.segmentLength,
    pathLength: raw.pathLength,
    pathLengthAsync: raw.pathLengthAsync,
    pathLengthAsyncTransfer: (coords) => raw.pathLengthAsyncOwned(moveOut(coords)),
  };
  return cached;
}
