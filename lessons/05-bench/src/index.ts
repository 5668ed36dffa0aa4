/**
 * Lesson 05's reusable parts: the ab-flag parser, one autocannon run summarised as ab does,
 * and the formats it prints.
 */
export { parseAbArgs, usage, UsageError, type LoadOptions, type Command } from './ab-args.ts';
export { runLoad, type LoadSummary } from './run-load.ts';
export { formatText, formatHtml, formatJson } from './format-summary.ts';
export { main as runCli, versionLine, type CliIo } from './cli-main.ts';
export { createLoadTargetApp } from './app.ts';
export { runOpenLoop, summarize, type OpenLoopOptions, type OpenLoopResult, type OpenLoopSummary } from './open-loop/open-loop.ts';
export { arrivalSchedule, type Arrivals } from './open-loop/arrivals.ts';
