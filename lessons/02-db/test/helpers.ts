import { createMetrics, type Database, type Metrics, type RunningServer } from '@course/shared';
import { createTestDatabase, listen } from '@course/shared/testing';
import { createLessonApp } from '../src/app.ts';

/** The fixed clock of every test server. */
export const fixedNow = new Date('2026-01-02T03:04:05.000Z');

/** A lesson-02 server on port 0 with an in-memory database of `seedCount` items. */
export interface TestServer {
  url: string;
  db: Database;
  metrics: Metrics;
  /** Unexpected errors the app logged (each would have been a 500). */
  logged: unknown[];
  close(): Promise<void>;
}

export async function startTestServer(seedCount = 50): Promise<TestServer> {
  const db = createTestDatabase(seedCount);
  const metrics = createMetrics();
  const logged: unknown[] = [];
  const running: RunningServer = await listen(createLessonApp({ db, metrics, now: () => fixedNow, logError: (error) => logged.push(error) }));
  return {
    url: running.url,
    db,
    metrics,
    logged,
    close: async () => {
      await running.close();
      metrics.close();
      db.close();
    },
  };
}

/** A valid body for POST /items; `sku` must be unique per test. */
export function newItem(sku: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sku, name: 'Test Lamp', category: 'kitchen', priceCents: 1999, tags: ['new'], ...overrides };
}
