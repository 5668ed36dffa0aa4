/**
 * Entry point: lesson 07's routes on the 100k-item database.
 *
 *   cd lessons/07-optimize && npm start                  # creates data/lesson-07/big-200mb.bin once
 *   BIG_FILE_MB=20 npm start                              # a smaller file
 *   MAX_BUFFERED_DOWNLOADS=4 npm start                    # 4 readFile downloads at once (default 1)
 */
import { join } from 'node:path';
import { createMetrics, integerFromEnv, loadConfig, openSeededDatabase, serve } from '@course/shared';
import { createOptimizeApp } from './app.ts';
import { defaultFilesDir, makeFile } from './files.ts';

const config = loadConfig();
const filesDir = process.env.FILES_DIR || defaultFilesDir;
const bigFileMb = Number(process.env.BIG_FILE_MB ?? 200);
if (!Number.isInteger(bigFileMb) || bigFileMb < 1 || bigFileMb > 1024) {
  console.error(`BIG_FILE_MB must be a whole number from 1 to 1024, got "${process.env.BIG_FILE_MB}"`);
  process.exit(1);
}

// Each buffered download holds the whole file in memory: this many at once, 503 beyond.
const maxBufferedDownloads = integerFromEnv(process.env, 'MAX_BUFFERED_DOWNLOADS', 1, 1, 1000);

const db = openSeededDatabase(config);
// Generated on first start (a second or two for 200 MiB), never committed.
const file = await makeFile(join(filesDir, `big-${bigFileMb}mb.bin`), bigFileMb * 1024 * 1024, (message) => console.log(`lesson-07: ${message}`));
const metrics = createMetrics();
const app = createOptimizeApp({ db, filesDir, metrics, maxBufferedDownloads });
await serve(app, {
  name: `lesson-07 (serving ${file})`,
  config,
  onClose: () => {
    metrics.close();
    db.close();
  },
});
