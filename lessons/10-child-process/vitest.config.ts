import { defineConfig } from 'vitest/config';

// Every test here starts threads or processes that load TypeScript through tsx: about 0.3 s
// each on an idle 2-core machine, several seconds when the machine is loaded.
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
