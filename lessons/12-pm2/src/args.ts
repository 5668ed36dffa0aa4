/**
 * The argument parsing of every script of this lesson, in one place and free of side effects,
 * so a test can feed it each command line the README documents.
 *
 * `npm run processes -- --reload-above 300` hands the script `--reload-above 300`; pnpm
 * (`pnpm --filter lesson-12 processes -- --reload-above 300`) hands it the `--` as well, and
 * `parseArgs` reads everything after a `--` as positionals (ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL).
 * Both forms are documented, so a lone `--` is dropped before parsing.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Wrong arguments: the script prints the message and exits 2. */
export class ArgsError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

function parse<O extends Options>(argv: string[], options: O, allowPositionals = false) {
  try {
    // LESSON: the `--` that pnpm passes through is not an argument.
    return parseArgs({ args: argv.filter((arg) => arg !== '--'), options, allowPositionals, strict: true });
  } catch (error) {
    throw new ArgsError((error as Error).message);
  }
}

/** `list-processes.ts [--json] [--reload-above MB]` */
export function parseProcessesArgs(argv: string[]): { json: boolean; reloadAboveMb: number | undefined } {
  const { values } = parse(argv, { json: { type: 'boolean' }, 'reload-above': { type: 'string' } });
  const raw = values['reload-above'];
  const reloadAboveMb = raw === undefined ? undefined : Number(raw);
  if (reloadAboveMb !== undefined && !(reloadAboveMb > 0)) throw new ArgsError(`--reload-above must be a number of MB > 0, got "${raw}"`);
  return { json: values.json === true, reloadAboveMb };
}

/** `memory-demo.ts [--seconds N]` */
export function parseMemoryDemoArgs(argv: string[]): { seconds: number } {
  const { values } = parse(argv, { seconds: { type: 'string', default: '40' } });
  const seconds = Number(values.seconds);
  if (!(seconds > 0)) throw new ArgsError(`--seconds must be > 0, got "${values.seconds}"`);
  return { seconds };
}

/** `start.ts [--only app] [--env stage] [--config file] [--quiet]` */
export function parseStartArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): { only: string; stage: string; config: string | undefined; quiet: boolean } {
  const { values } = parse(argv, {
    only: { type: 'string', default: 'course-api' },
    env: { type: 'string', default: env.STAGE || 'development' },
    config: { type: 'string' },
    // The memory demo starts its own daemon and kills it: the "next:" hint would mislead.
    quiet: { type: 'boolean' },
  });
  return { only: values.only!, stage: values.env!, config: values.config, quiet: values.quiet === true };
}

/** The commands of `cli.ts`. */
export const cliCommands = ['status', 'logs', 'reload', 'save', 'resurrect', 'stop'] as const;
export type CliCommand = (typeof cliCommands)[number];

/**
 * `cli.ts <command> [pm2 options]`: the first word is the command, the rest goes to pm2
 * (e.g. `npm run logs -- --nostream`), so this one is not strict.
 */
export function parseCliArgs(argv: string[]): { command: CliCommand; rest: string[] } {
  const [command, ...rest] = argv.filter((arg) => arg !== '--');
  if (!cliCommands.includes(command as CliCommand)) throw new ArgsError(`usage: cli.ts ${cliCommands.join('|')} [pm2 options]`);
  return { command: command as CliCommand, rest };
}

/** `startup-preview.ts` takes no arguments. */
export function parseNoArgs(argv: string[]): Record<string, never> {
  parse(argv, {});
  return {};
}
