import { defineConfig } from 'vitest/config';

// One file at a time: the browser test starts Chromium, which wants both cores for a moment.
export default defineConfig({
  test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 },
});
