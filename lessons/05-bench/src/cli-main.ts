/**
 * The CLI as a function: arguments in, exit code out, output through the given streams.
 * Tests call it directly; `cli.ts` wires it to the process.
 */
import { createRequire } from 'node:module';
import { parseAbArgs, usage, UsageError } from './ab-args.ts';
import { formatHtml, formatJson, formatText } from './format-summary.ts';
import { runLoad } from './run-load.ts';

/** Where the CLI writes. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const require = createRequire(import.meta.url);

/** `bench:load 1.0.0 (autocannon 9.0.0)` */
export function versionLine(): string {
  const own = require('../package.json') as { version: string };
  const autocannon = require('autocannon/package.json') as { version: string };
  return `bench:load ${own.version} (lesson-05, autocannon ${autocannon.version} underneath)`;
}

/**
 * Runs the CLI. Exit codes: 0 done (failed requests are in the summary), 2 bad input,
 * 1 autocannon refused the options or crashed.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseAbArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`bench:load: ${error.message}`);
      return 2;
    }
    throw error;
  }
  if (command.kind === 'help') { io.out(usage); return 0; }
  if (command.kind === 'version') { io.out(versionLine()); return 0; }

  const { options } = command;
  if (!options.json && !options.html) {
    io.err(`Benchmarking ${options.url} (${options.requests ?? 'unlimited'} requests, ${options.concurrency} at a time${options.timeLimitSeconds ? `, at most ${options.timeLimitSeconds} s` : ''})`);
    if (!options.keepAlive) io.err('note: autocannon keeps connections alive with or without -k; ab without -k opens a new connection per request');
  }
  try {
    const summary = await runLoad(options);
    io.out(options.json ? formatJson(summary) : options.html ? formatHtml(summary) : formatText(summary));
    return 0;
  } catch (error) {
    io.err(`bench:load: ${(error as Error).message}`);
    return 1;
  }
}
