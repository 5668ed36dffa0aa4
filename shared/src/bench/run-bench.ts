/**
 * Entry wrapper for bench scripts: a bad flag prints one line and exits 2, no stack trace.
 */
import { UsageError } from './bench-args.ts';

/** Runs `main`; UsageError → message + exit 2; any other error → message + exit 1. */
export function runBench(main: () => Promise<unknown>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`bench: ${error.message}`);
        process.exit(2);
      }
      console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
