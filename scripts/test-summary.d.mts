// Types for test-summary.mjs, so TypeScript tests can import it.
export interface Counts { passed: number; failed: number; skipped: number }
export interface SkipRecord { package: string; file: string; name: string; reason: string }
export function countsOf(rawLine: string): Counts | undefined;
export function summaryLines(counts: Counts, skips: readonly SkipRecord[]): string[];
