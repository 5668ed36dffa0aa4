/**
 * pm2 runs lesson 11's worker in cluster mode: pm2's daemon plays the primary's part.
 *
 *   npm start                     development (default stage)
 *   STAGE=production npm start    env_production below
 *
 * Evaluated by the pm2 CLI, in the environment of the command that starts it: PORT, WORKERS,
 * DB_PATH... set there win over the defaults here. That is also why `npm run reload` reloads the
 * app by name and never re-reads this file with --update-env (see src/cli.ts).
 */
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..', '..');
const pm2Home = process.env.PM2_HOME || path.join(repoRoot, 'tmp', 'pm2');
const logDir = path.join(pm2Home, 'logs');
// The worker drains for SHUTDOWN_TIMEOUT_MS after SIGINT; pm2 must not SIGKILL it sooner.
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS || 10_000);

/** Settings every app here shares. */
const common = {
  exec_mode: 'cluster',
  // TypeScript without a build: pm2 forks its ProcessContainer with these Node flags.
  interpreter: 'node',
  node_args: ['--import', 'tsx'],
  // Readiness: pm2 waits for the worker's process.send('ready') (shared serve()) before it
  // counts the worker as up, and before it stops the old one during `pm2 reload`.
  wait_ready: true,
  // Longest pm2 waits for 'ready'. tsx compiles on first start: a few seconds on a busy box.
  // NOT a safety net: when it runs out during `pm2 reload`, pm2 7 stops the old instance
  // anyway, ready replacement or not (lib/God/Reload.js; see the README).
  listen_timeout: Number(process.env.LISTEN_TIMEOUT_MS || 20_000),
  // After SIGINT (pm2's default kill_signal) the worker drains; SIGKILL only after this.
  kill_timeout: shutdownTimeoutMs + 2_000,
  // Crash loops: pm2's own backoff (100 ms, x1.5 per restart, at most 15 s; reset after 30 s up),
  // as lesson 11's primary does (x2, at most 30 s, reset after 10 s up).
  exp_backoff_restart_delay: 100,
  max_restarts: 10,
  min_uptime: 5_000,
  log_date_format: 'YYYY-MM-DD HH:mm:ss.SSS Z',
  // One out and one error file per app, whatever the instance count.
  merge_logs: true,
};

const shared = {
  HOST: process.env.HOST || '127.0.0.1',
  DB_PATH: process.env.DB_PATH || path.join(repoRoot, 'data', 'course.db'),
  SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  // pm2 does not relay lesson 11's cache invalidations: each worker's cache is local, so a
  // short TTL is the bound on how stale another worker's answer can be.
  CACHE_TTL_MS: process.env.CACHE_TTL_MS || '1000',
  // With a Redis, writes invalidate every instance's cache (lesson 13's channel): see below.
  ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
};

module.exports = {
  apps: [
    {
      ...common,
      name: 'course-api',
      script: process.env.REDIS_URL
        ? path.join(__dirname, 'src', 'redis-coherent-worker.ts')
        : path.join(repoRoot, 'lessons', '11-cluster', 'src', 'worker.ts'),
      cwd: path.join(repoRoot, 'lessons', '11-cluster'),
      instances: process.env.WORKERS || 'max',
      max_memory_restart: process.env.MAX_MEMORY || '400M',
      out_file: path.join(logDir, 'course-api.out.log'),
      error_file: path.join(logDir, 'course-api.err.log'),
      env: { ...shared, NODE_ENV: 'development', PORT: process.env.PORT || '3000' },
      // `--env development` (the scripts' default stage) looks for this block; `env` is the base.
      env_development: {},
      env_production: { ...shared, NODE_ENV: 'production', PORT: process.env.PORT || '8080', CACHE_TTL_MS: process.env.CACHE_TTL_MS || '5000' },
    },
    {
      // Lesson 08's leaky endpoint on the same API: what max_memory_restart is for.
      ...common,
      name: 'leaky-api',
      script: path.join(__dirname, 'src', 'leaky-server.ts'),
      cwd: __dirname,
      instances: process.env.WORKERS || 2,
      max_memory_restart: process.env.MAX_MEMORY || '250M',
      out_file: path.join(logDir, 'leaky-api.out.log'),
      error_file: path.join(logDir, 'leaky-api.err.log'),
      env: { ...shared, NODE_ENV: 'development', PORT: process.env.PORT || '3001' },
      env_development: {},
    },
  ],
};
