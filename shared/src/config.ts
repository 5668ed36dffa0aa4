/**
 * Configuration read from the environment, in one place, validated once at start-up.
 *
 * Only the entry point (`server.ts`) of a lesson calls {@link loadConfig}; app factories take
 * their dependencies as arguments, so tests never depend on the environment.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The settings every lesson's server understands. */
export interface Config {
  /** TCP port; 0 lets the OS pick a free one. */
  port: number;
  /** Interface to bind. Defaults to loopback so a lesson never exposes itself by accident. */
  host: string;
  /** SQLite database file, or `:memory:`. */
  dbPath: string;
  /** Items to seed into an empty database. */
  seedCount: number;
  /** Milliseconds a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Connections the server holds open at once; one more is closed as it arrives. */
  maxConnections: number;
}

/**
 * Default of {@link Config.maxConnections}: far above any bench of the course (200
 * connections at most), far below the 1,024 file descriptors a shell often allows a process.
 */
export const defaultMaxConnections = 1000;

/** The repository root (the folder holding pnpm-workspace.yaml). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Default database file, inside the git-ignored `data/` folder of the repository. */
export const defaultDbPath = join(repoRoot, 'data', 'course.db');

/** Thrown for an environment variable that cannot be used; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads an integer setting from the environment: `fallback` when unset or empty.
 * Lessons use it for their own settings (WORKERS, CRUNCH_THREADS, …) so every setting fails
 * the same way.
 * @throws ConfigError naming the variable when the value is not an integer in [min, max]
 */
export function integerFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/**
 * Reads PORT, HOST, DB_PATH, SEED_COUNT, SHUTDOWN_TIMEOUT_MS and MAX_CONNECTIONS.
 * @param env the environment to read (defaults to `process.env`)
 * @param defaults per-lesson defaults, e.g. `{ port: 3000 }`
 * @throws ConfigError naming the variable when a value is out of range
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaults: Partial<Config> = {}): Config {
  return {
    port: integerFromEnv(env, 'PORT', defaults.port ?? 3000, 0, 65535),
    host: env.HOST || defaults.host || '127.0.0.1',
    dbPath: env.DB_PATH || defaults.dbPath || defaultDbPath,
    seedCount: integerFromEnv(env, 'SEED_COUNT', defaults.seedCount ?? 100_000, 0, 10_000_000),
    shutdownTimeoutMs: integerFromEnv(env, 'SHUTDOWN_TIMEOUT_MS', defaults.shutdownTimeoutMs ?? 10_000, 0, 600_000),
    maxConnections: integerFromEnv(env, 'MAX_CONNECTIONS', defaults.maxConnections ?? defaultMaxConnections, 1, 1_000_000),
  };
}
