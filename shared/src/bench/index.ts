/**
 * The course's bench harness: `benchHttp` (autocannon against servers in child processes),
 * `benchOps` (functions in-process), shared flags, one report format with attribution,
 * 95% intervals on every ratio and reproduce verdicts on intervals.
 */
export { parseBenchArgs, defaultBenchOptions, shortBenchOptions, UsageError, type BenchOptions } from './bench-args.ts';
export { benchHttp, runAutocannon, withAaVariant, isolate, targetRoots, type AlongsideLoad, type HttpVariant, type HttpBenchSpec, type RequestSpec, type Target } from './http-bench.ts';
export { benchOps, calibrateBatch, calibrate, minBatchNs, oneBatch, maxBatchNs, type OpsVariant, type OpsBenchSpec } from './ops-bench.ts';
export { report, ratioLine, smokeLine, formatRatio, fmtRatio, formatInterval, isFinding, compare, roundSeries, isAa, runConditions, conditionLines, percentilePoints, reportedPercentiles, repoPath, saturatedShare, busyLoadPerCore, environmentLine, median, fmt, table, tableRows, pairs, withinNoise, nodeVersionNote, referenceNode, type BenchReport, type VariantResult, type ReportNotes, type Comparison, type RunConditions, type NoiseFloor, type PercentilePoint } from './report.ts';
export { spawnServer, spawnedServerPid, tsxImportArgs, type ServerProcess, type SpawnServerOptions } from './spawn-server.ts';
export { runBench } from './run-bench.ts';
export { prepareBenchDatabase } from './bench-database.ts';
export { cpuSeconds, reapedChildrenCpuSeconds } from './process-cpu.ts';
export { waitUntilIdle, type IdleOptions } from './wait-until-idle.ts';
export { createLatencyHistogram, mergeHistograms, type LatencyHistogram } from './latency-histogram.ts';
export { rangeOf, rangesOverlap, type Range } from './statistics.ts';
export { verdict, direction, readReference, referenceFacts, saveReference, referencePath, defaultTolerance, type Verdict, type VerdictKind, type ReferenceFile, type ReferenceRatio, type VerdictRecord, type ReaderEstimate, type ReferenceEstimate } from './reference.ts';
export { attribute, markRound, finishRound, type Attribution, type RoundCost, type ProcessCost } from './attribution.ts';
export { snapshotTree, parseStat, describeProcess, processCounters, type TreeSnapshot, type ProcessCounters } from './process-tree.ts';
export { probeEnv, probeImportArgs, queryProbe, type ProbeStats } from './probe-client.ts';
export { mergeProfiles, selfTimes, whatChanged, type CpuProfile, type ChangedFunction } from './cpu-profile.ts';
export { createProgress, type Progress } from './progress.ts';
export { canPin, cpuSplit, machineCores, pinServer, pinGenerator } from './isolation.ts';
export { pairedRatio, intervalDirection, intervalsOverlap, logWidth, roundsFor, seededRandom, normal, tQuantile975, minReliablePairs, type Interval, type RatioEstimate } from './confidence.ts';
