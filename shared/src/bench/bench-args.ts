/**
 * Command-line options every lesson's bench understands, parsed with node:util parseArgs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** How long and how hard a bench runs. */
export interface BenchOptions {
  /** Seconds per variant per measured round. */
  duration: number;
  /** Seconds of warm-up per variant before measuring (JIT, caches, connections). */
  warmup: number;
  /** Measured rounds; variants alternate order each round. */
  rounds: number;
  /** Concurrent connections (HTTP benches). */
  connections: number;
  /** CI mode: about a second per variant, one round. */
  short: boolean;
  /** Skip writing JSON to results/. */
  noSave: boolean;
  /** CPU-profile the servers over the measured rounds (HTTP benches); profiles go to profiles/. */
  profile?: boolean;
  /** Write bench.reference.json beside the bench script from this run. */
  saveReference?: boolean;
  /** Print each variant's server CPU per request split by process (HTTP benches). */
  perProcess?: boolean;
}

/**
 * Defaults: six measured rounds of 3 s per variant (even, so ABBA order gives each side each
 * position equally; six pairs for a t interval, see confidence.ts) after 2 s of warm-up:
 * about as long per variant as the three 5 s rounds before.
 */
export const defaultBenchOptions: BenchOptions = {
  duration: 3, warmup: 2, rounds: 6, connections: 50, short: false, noSave: false, profile: false, saveReference: false, perProcess: false,
};

/** Thrown for a bad flag; benches print its message alone and exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type ExtraOptions = NonNullable<ParseArgsConfig['options']>;

const common = {
  duration: { type: 'string' },
  warmup: { type: 'string' },
  rounds: { type: 'string' },
  connections: { type: 'string' },
  short: { type: 'boolean' },
  'no-save': { type: 'boolean' },
  profile: { type: 'boolean' },
  'save-reference': { type: 'boolean' },
  'per-process': { type: 'boolean' },
  help: { type: 'boolean' },
} as const satisfies ExtraOptions;

function positive(name: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number >= 0, got "${raw}"`);
  }
  return value;
}

/**
 * What `--short` means: a smoke run that shows the bench works, not a measurement. Two rounds
 * so both orders run (no variant is always first and cold), each side warmed first.
 */
export const shortBenchOptions = { duration: 0.5, warmup: 0.5, rounds: 2 } as const;

/**
 * Parses `--duration --warmup --rounds --connections --short --no-save --profile
 * --save-reference --per-process` plus a lesson's own options. `--short` sets {@link shortBenchOptions}
 * unless those are given explicitly.
 * @throws UsageError for unknown flags or bad values
 */
export function parseBenchArgs(
  argv: string[] = process.argv.slice(2),
  defaults: Partial<BenchOptions> = {},
  extra: ExtraOptions = {},
): { options: BenchOptions; values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv.filter((a) => a !== '--'), options: { ...common, ...extra }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const base = { ...defaultBenchOptions, ...defaults };
  const short = v.short === true;
  const options: BenchOptions = {
    short,
    noSave: v['no-save'] === true,
    profile: v.profile === true,
    saveReference: v['save-reference'] === true,
    perProcess: v['per-process'] === true || base.perProcess === true,
    duration: positive('duration', v.duration as string | undefined, short ? shortBenchOptions.duration : base.duration, false),
    warmup: positive('warmup', v.warmup as string | undefined, short ? shortBenchOptions.warmup : base.warmup, false),
    rounds: Math.max(1, positive('rounds', v.rounds as string | undefined, short ? shortBenchOptions.rounds : base.rounds, true)),
    connections: Math.max(1, positive('connections', v.connections as string | undefined, base.connections, true)),
  };
  if (v.help) {
    throw new UsageError('options: --duration S --warmup S --rounds N --connections N --short --no-save --profile --save-reference --per-process');
  }
  if (options.short && options.saveReference) {
    throw new UsageError('--save-reference needs a full run: a --short run is a smoke test, not a measurement');
  }
  return { options, values: parsed.values, positionals: parsed.positionals };
}
