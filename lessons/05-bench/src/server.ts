/**
 * `npm start`: the items API on 127.0.0.1:3005 (PORT to change it).
 * WAL_AUTOCHECKPOINT (pages, default SQLite's 1000; 0 turns automatic checkpoints off) is for
 * the bench's write-tail experiment.
 */
import { createMetrics, integerFromEnv, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createLoadTargetApp } from './app.ts';

const config = loadConfig(process.env, { port: 3005 });
const autocheckpoint = integerFromEnv(process.env, 'WAL_AUTOCHECKPOINT', 1000, 0, 1_000_000);
const db = openSeededDatabase(config);
// LESSON: the commit that crosses this many WAL pages also copies the WAL into the database
// file (a checkpoint), synchronously, on the event loop's thread.
db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
const metrics = createMetrics();

await serve(createLoadTargetApp(db, metrics), {
  name: 'lesson-05',
  config,
  onClose: () => { metrics.close(); db.close(); },
});
