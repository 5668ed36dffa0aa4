/**
 * The server this lesson loads: the course's items API, unchanged, with /metrics so a load
 * run can be read from the server's side too.
 */
import { createApiApp, createItemsRepository, type Database, type Metrics } from '@course/shared';
import type { Express } from 'express';

/** Builds the items API on `db`; never listens. */
export function createLoadTargetApp(db: Database, metrics?: Metrics): Express {
  return createApiApp({ store: createItemsRepository(db), metrics });
}
