/**
 * Entry point: `GET /items/:id` and `GET /search?q=` answered through `node:sqlite` instead of
 * better-sqlite3, on the same file (DB_PATH), in the same app factory, for the bench's
 * side-by-side. Listens on PORT (3000) at HOST (127.0.0.1). Needs Node 22.13+ (see node-sqlite.ts).
 */
import { createApp, createMetrics, loadConfig, notFound, openSeededDatabase, parseId, serve } from '@course/shared';
import { nodeSqliteStatus, openNodeSqliteReads } from './node-sqlite.ts';
import { parseSearchQuery } from './search.ts';

const status = nodeSqliteStatus();
if (!status.available) {
  console.error(status.reason);
  process.exit(1);
}

const config = loadConfig();
// Creating, migrating and seeding the file is the course's shared code (better-sqlite3); once
// that is done, every request below reads through node:sqlite only.
openSeededDatabase(config).close();
const reads = openNodeSqliteReads(config.dbPath);
const metrics = createMetrics();

await serve(
  createApp({
    metrics,
    routes: (app) => {
      app.get('/items/:id', (req, res) => {
        const item = reads.byId(parseId(req.params.id));
        if (!item) throw notFound('Item');
        res.json(item);
      });
      app.get('/search', (req, res) => {
        res.json(reads.search(parseSearchQuery(req.query as Record<string, unknown>)));
      });
    },
  }),
  {
    name: 'lesson-02 (node:sqlite)',
    config,
    onClose: () => {
      metrics.close();
      reads.close();
    },
  },
);
