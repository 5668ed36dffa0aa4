import { defineConfig } from 'vitest/config';

// One file at a time: each file starts its own PostgreSQL, Redis and hosts on a 2-core machine.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 90_000 },
});
