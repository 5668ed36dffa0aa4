/**
 * `pnpm --filter lesson-05 bench:load -- [ab flags] URL`
 */
import { main } from './cli-main.ts';

main(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
}).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    // Unexpected: still one line, never a stack trace for a user.
    process.stderr.write(`bench:load: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
