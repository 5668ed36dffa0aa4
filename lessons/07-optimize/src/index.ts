/** What other lessons may import from lesson 07. */
export { createOptimizeApp, type OptimizeAppOptions } from './app.ts';
export { helloBuffer, helloString, catalogueBody } from './hello.ts';
export { csvWithConcat, csvWithJoin, csvWithPlus } from './assemble.ts';
export { createDownloadsRouter } from './downloads.ts';
export { statsOnWrite, type StatsOnWriteStore } from './stats-on-write.ts';
export { boundedMemo, editDistance, suggest, type Memoized } from './memo.ts';
export { pathLength, segmentLength, randomPath } from './path-length.ts';
export { loadNative, addonPath, AddonNotBuiltError, type PathLengthAddon } from './native.ts';
export { makeFile, defaultFilesDir } from './files.ts';
