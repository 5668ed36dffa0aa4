/**
 * Flags of the profiling scripts: `--target slow|fixed|express|http --seconds N --connections N`.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '@course/shared/bench';
import { targets, type ProfileTarget } from './targets.ts';

/** Parsed flags. */
export interface ProfileArgs {
  target: ProfileTarget;
  seconds: number;
  connections: number;
  positionals: string[];
}

function positiveNumber(flag: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new UsageError(`--${flag} must be a number above 0 and at most ${max}, got "${raw}"`);
  return value;
}

/** @throws UsageError for an unknown flag, target or bad number */
export function parseProfileArgs(argv: readonly string[], defaults: { target?: string; seconds?: number } = {}): ProfileArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: { target: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const name = parsed.values.target ?? defaults.target ?? 'slow';
  const target = targets[name];
  if (!target) throw new UsageError(`--target must be one of ${Object.keys(targets).join(', ')}, got "${name}"`);
  return {
    target,
    seconds: positiveNumber('seconds', parsed.values.seconds, defaults.seconds ?? 10, 600),
    connections: Math.round(positiveNumber('connections', parsed.values.connections, 10, 1000)),
    positionals: parsed.positionals,
  };
}
