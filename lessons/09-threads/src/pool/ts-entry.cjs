// Node 20 only (see ts-worker.ts): the Worker's entry is this plain JavaScript file, which
// loads the TypeScript module named in workerData.entry through tsx's require hook (passed
// in execArgv). On Node ≥ 22.18 the Worker starts from the .ts file itself.
const { workerData } = require('node:worker_threads');
const { fileURLToPath } = require('node:url');

require(fileURLToPath(workerData.entry));
