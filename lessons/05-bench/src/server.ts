/**
 * `pnpm --filter lesson-05 start`: the items API on 127.0.0.1:3005 (PORT to change it).
 */
import { createMetrics, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createLoadTargetApp } from './app.ts';

const config = loadConfig(process.env, { port: 3005 });
const db = openSeededDatabase(config);
const metrics = createMetrics();

await serve(createLoadTargetApp(db, metrics), {
  name: 'lesson-05',
  config,
  onClose: () => { metrics.close(); db.close(); },
});
