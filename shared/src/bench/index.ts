/**
 * The course's bench harness: `benchHttp` (autocannon against servers in child processes),
 * `benchOps` (functions in-process), shared flags, one report format.
 */
export { parseBenchArgs, defaultBenchOptions, UsageError, type BenchOptions } from './bench-args.ts';
export { benchHttp, runAutocannon, type HttpVariant, type HttpBenchSpec, type RequestSpec, type Target } from './http-bench.ts';
export { benchOps, type OpsVariant, type OpsBenchSpec } from './ops-bench.ts';
export { report, ratioLine, formatRatio, environmentLine, median, type BenchReport, type VariantResult } from './report.ts';
export { spawnServer, tsxImportArgs, type ServerProcess, type SpawnServerOptions } from './spawn-server.ts';
export { runBench } from './run-bench.ts';
export { prepareBenchDatabase } from './bench-database.ts';
export { cpuSeconds } from './process-cpu.ts';
export { waitUntilIdle, type IdleOptions } from './wait-until-idle.ts';
