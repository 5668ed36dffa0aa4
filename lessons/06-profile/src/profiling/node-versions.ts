/**
 * What the running Node line does differently for this lesson, as data: the README's
 * "Node versions" table, pinned per version by test/node-versions.test.ts.
 */

/** `[major, minor, patch]` of a version string such as `v26.12.1` or `22.23.5`. */
export function parseVersion(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
}

const atLeast = (v: [number, number, number], w: [number, number, number]): boolean =>
  v[0] !== w[0] ? v[0] > w[0] : v[1] !== w[1] ? v[1] > w[1] : v[2] >= w[2];

/**
 * Whether tsx 4.23 runs its loaders on the main thread (`module.registerHooks`, synchronous)
 * or on a loader thread of its own (`module.register`). tsx picks registerHooks from these
 * versions on (its own table, in dist/register-*.cjs); before them it needs the thread.
 */
export function tsxUsesLoaderThread(version: string): boolean {
  const v = parseVersion(version);
  const inThread: [number, number, number][] = [[22, 22, 3], [24, 11, 1], [25, 1, 0], [26, 0, 0]];
  const line = inThread.find((w) => w[0] === v[0]);
  if (line) return !atLeast(v, line);
  return v[0] < 22 || (v[0] === 23); // 20, 21 and 23 have no registerHooks tsx accepts
}

/**
 * How many `.cpuprofile` files `node --import tsx --cpu-prof script.ts` writes: one per V8
 * isolate, so two (main + loader thread) where tsx needs its thread, one otherwise.
 */
export function tsxCpuProfileCount(version: string): 1 | 2 {
  return tsxUsesLoaderThread(version) ? 2 : 1;
}

/**
 * Node's own TypeScript type stripping (`node file.ts`), as `process.features.typescript`
 * reports it: on by default from 22.18 and 23.6; absent on 20.
 */
export function typeStripping(version: string): 'strip' | undefined {
  const v = parseVersion(version);
  return atLeast(v, [23, 6, 0]) || (v[0] === 22 && atLeast(v, [22, 18, 0])) ? 'strip' : undefined;
}
