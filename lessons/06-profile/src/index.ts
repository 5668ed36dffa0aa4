/**
 * Lesson 06's reusable parts: the cpuprofile analyzer and the profile pickers, and the
 * slow/fixed pairs for lessons that want a known hot path.
 */
export { analyzeCpuProfile, formatAnalysis, type CpuProfile, type FunctionTime, type Analysis } from './profiling/analyze-cpuprofile.ts';
export { pickMainCpuProfile, pickMainIsolateLog } from './profiling/pick-main.ts';
export { slow } from './slow.ts';
export { fixed } from './fixed.ts';
export type { HotPaths, PriceRank } from './hot-paths.ts';
export { createProfileApp, type ProfileAppOptions } from './app.ts';
