/**
 * The shapes the scoreboard writes and the results page reads: results/scoreboard.json, as
 * CONTRACT.md states them (Interval mirrors the bench harness's).
 */

/** A two-sided 95% confidence interval. */
export interface Interval { low: number; high: number }

export interface ScoreboardCell {
  stage: string;
  workload: string;
  /** Highest offered rate (req/s) at which p99 <= the objective with no errors: the mean of the repeats. */
  capacity?: { rps: number; ci: Interval; repeats: number[] };
  /** Server CPU (whole process tree) per request, µs, at `cpuRateRps`. */
  cpuPerRequestUs?: number;
  cpuRateRps?: number;
  note?: string;
}

export interface Scoreboard {
  date: string;
  node: string;
  cores: number;
  smoke: boolean;
  sloP99Ms: number;
  stages: { id: string; label: string }[];
  workloads: { id: 'by-id' | 'category' | 'mixed'; label: string }[];
  cells: ScoreboardCell[];
  /** False while the run is going on or when it was stopped early (extra to CONTRACT.md). */
  complete?: boolean;
  /** How the run was made (extra to CONTRACT.md). */
  settings?: { repeats: number; seconds: number; warmupSeconds: number; startRps: number; maxRps: number; bisections: number; cpuRateRps: number; cpuSeconds: number };
  /** The machine's load average (1, 5, 15 min) when the run started and ended (extra to CONTRACT.md). */
  conditions?: { loadAverageStart: number[]; loadAverageEnd: number[] };
}
